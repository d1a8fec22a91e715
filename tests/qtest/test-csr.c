/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-csr.c - the qtest csr command (../shared/spec/qtest-protocol.md §8
 * and the csr row of §4) on the virt machine, in-process: get_csr reads
 * with the hart's privilege checks, set_csr writes under the CSR's WARL
 * rules and echoes VAL, harts are found by mhartid, an unknown SUB echoes
 * VAL, and whatever QEMU would abort on gets one ERR line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "tests/support/qtest-util.h"

#include "core/error.h"
#include "core/tern.h"
#include "qtest/qtest.h"

#define MACHINE "-M virt -bios none -nodefaults -accel qtest"

typedef struct Raw {
    QTestServer *s;
    GString *out;
    char **argv;
} Raw;

static Raw *raw;

static void raw_collect(void *opaque, const char *text, size_t len)
{
    g_string_append_len(((Raw *)opaque)->out, text, len);
}

static void raw_start(const char *args)
{
    char *line = g_strconcat("tern -nouserconfig ", args, NULL);
    Error *err = NULL;
    int argc;

    raw = g_new0(Raw, 1);
    raw->out = g_string_new(NULL);
    assert_true(g_shell_parse_argv(line, &argc, &raw->argv, NULL));
    g_free(line);
    if (tern_init(argc, raw->argv, &err) != TERN_INIT_RUN) {
        print_error("tern_init '%s': %s\n", args, err ? error_get_pretty(err) : "?");
        error_free(err);
        fail();
    }
    raw->s = qtest_server_new(raw_collect, raw);
    qtest_server_set_log(raw->s, NULL, false);
    qtest_server_open(raw->s);
}

static int setup(void **state)
{
    (void)state;
    qtest_util_install_fail_handler();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (raw) {
        qtest_server_free(raw->s);
        tern_cleanup();
        g_strfreev(raw->argv);
        g_string_free(raw->out, TRUE);
        g_free(raw);
        raw = NULL;
    }
    tern_cleanup();
    return 0;
}

/* Feeds one request and returns its whole output (caller frees). */
static char *ask(const char *req)
{
    char *got;

    qtest_server_feed(raw->s, req, strlen(req));
    got = g_strndup(raw->out->str, raw->out->len);
    g_string_truncate(raw->out, 0);
    return got;
}

static void expect(const char *req, const char *reply)
{
    char *got = ask(req);

    if (strcmp(got, reply)) {
        print_error("request '%s': got '%s', expected '%s'\n", req, got, reply);
        fail();
    }
    g_free(got);
}

/* One ERR line starting with prefix. */
static void expect_err(const char *req, const char *prefix)
{
    char *got = ask(req);

    if (!g_str_has_prefix(got, prefix) || strchr(got, '\n') != got + strlen(got) - 1) {
        print_error("request '%s': got '%s', expected one line starting '%s'\n", req, got, prefix);
        fail();
    }
    g_free(got);
}

static void test_get_csr_reads_with_libqtests_number_format(void **state)
{
    (void)state;
    raw_start(MACHINE);
    /* libqtest: CPU and VAL as 0x%x, CSR in decimal; values as 16 bare hex digits */
    expect("csr get_csr 0x0 3857 0x0\n", "OK 0 0000000000000000\n"); /* mvendorid */
    expect("csr get_csr 0x0 3858 0x0\n", "OK 0 0000000000070216\n"); /* marchid */
    expect("csr get_csr 0x0 769 0x0\n", "OK 0 800000000014112d\n");  /* misa: RV64 ACDFIMSU */
    expect("csr get_csr 0x0 768 0x0\n", "OK 0 0000000a00000000\n");  /* mstatus at reset */
}

static void test_set_csr_echoes_val_and_the_csr_keeps_its_warl_value(void **state)
{
    (void)state;
    raw_start(MACHINE);
    expect("csr set_csr 0x0 832 0x1234\n", "OK 0 0000000000001234\n"); /* mscratch */
    expect("csr get_csr 0x0 832 0x0\n", "OK 0 0000000000001234\n");
    expect("csr set_csr 0x0 833 0xffffffffffffffff\n", "OK 0 ffffffffffffffff\n"); /* mepc */
    expect("csr get_csr 0x0 833 0x0\n", "OK 0 fffffffffffffffe\n");
    expect("csr set_csr 0x0 770 0xffffffffffffffff\n", "OK 0 ffffffffffffffff\n"); /* medeleg */
    expect("csr get_csr 0x0 770 0x0\n", "OK 0 000000000000b3ff\n");
}

static void test_a_counter_set_between_instructions_reads_back_at_once(void **state)
{
    (void)state;
    raw_start(MACHINE);
    expect("csr set_csr 0x0 2818 0x0\n", "OK 0 0000000000000000\n"); /* minstret */
    expect("csr get_csr 0x0 2818 0x0\n", "OK 0 0000000000000000\n");
    expect("csr set_csr 0x0 2816 0x64\n", "OK 0 0000000000000064\n"); /* mcycle */
    expect("csr get_csr 0x0 2816 0x0\n", "OK 0 0000000000000064\n");
}

static void test_harts_are_found_by_mhartid(void **state)
{
    (void)state;
    raw_start(MACHINE " -smp 2");
    expect("csr get_csr 0x1 3860 0x0\n", "OK 0 0000000000000001\n");
    expect("csr set_csr 0x1 832 0x77\n", "OK 0 0000000000000077\n");
    expect("csr get_csr 0x0 832 0x0\n", "OK 0 0000000000000000\n");
    expect("csr get_csr 0x1 832 0x0\n", "OK 0 0000000000000077\n");
}

static void test_an_unknown_sub_echoes_val(void **state)
{
    (void)state;
    raw_start(MACHINE);
    expect("csr frob 0x0 768 0x5\n", "OK 0 0000000000000005\n");
}

static void test_what_qemu_aborts_on_gets_err_and_the_server_keeps_serving(void **state)
{
    (void)state;
    raw_start(MACHINE);
    expect_err("csr get_csr 7 0x300 0\n", "ERR csr: no hart with id 7");
    expect_err("csr get_csr 0x0 2047 0x0\n", "ERR csr: "); /* no such CSR */
    expect_err("csr set_csr 0x0 3860 0x1\n", "ERR csr: "); /* mhartid is read-only */
    expect_err("csr get_csr 0x0 3 0x0\n", "ERR csr: ");    /* fcsr with mstatus.FS off */
    expect_err("csr get_csr 0x0 -1 0x0\n", "ERR csr: ");
    expect_err("csr get_csr 0x0\n", "ERR csr: missing argument CSR");
    expect_err("csr get_csr zz 768 0x0\n", "ERR csr: invalid number 'zz' for CPU");
    expect_err("csr get_csr 0x0 99999999999 0x0\n", "ERR csr: invalid number");
    expect("csr get_csr 0x0 3860 0x0\n", "OK 0 0000000000000000\n");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_get_csr_reads_with_libqtests_number_format),
        T(test_set_csr_echoes_val_and_the_csr_keeps_its_warl_value),
        T(test_a_counter_set_between_instructions_reads_back_at_once),
        T(test_harts_are_found_by_mhartid),
        T(test_an_unknown_sub_echoes_val),
        T(test_what_qemu_aborts_on_gets_err_and_the_server_keeps_serving),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
