/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-protocol-mutate.c - a black-box mutation run over the qtest protocol,
 * the way an attacker would try Tern's server.
 *
 * The seed is a qtest session that touches every device of the virt board
 * (UART, CLINT, PLIC, RTC, fw_cfg, virtio-mmio, sifive_test, RAM), moves the
 * clock and intercepts IRQs.  A fixed-seed generator mutates it: words
 * replaced by other commands, by numbers at and past every integer limit,
 * by device addresses and register offsets, by QOM paths; lines cut,
 * duplicated, swapped, made very long; separators and control bytes
 * spliced in.  Each mutated session runs on a fresh machine in-process
 * (tern_init, a qtest server fed directly), under the sanitizers in CI.
 *
 * Every input line must get exactly one reply line that starts with "OK",
 * "FAIL" or "ERR" (IRQ lines may come between), and tern_cleanup() must free
 * everything.  Replies may echo a word's control bytes verbatim, as QEMU's
 * do ("FAIL Unknown command 'endianness\r'"): a word never holds a newline,
 * so the framing holds.  A failure prints the
 * session's seed and the line that broke it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "core/error.h"
#include "core/tern.h"
#include "qtest/qtest.h"
#include "tests/support/mutate.h"

#define SESSIONS 2000
#define MACHINE_ARGS                                                                               \
    "tern -nouserconfig -M virt -accel qtest -m 64M -smp 2 -bios none -no-shutdown "               \
    "-object rng-builtin,id=r0 -device virtio-rng-device,rng=r0"

/* The seed session: every device, the clock, IRQs. */
static const char *const seed_lines[] = {
    "endianness",
    "irq_intercept_out /machine/soc0/harts[0]",
    "writeb 0x10000003 0x83",
    "writeb 0x10000000 0x01",
    "writeb 0x10000003 0x03",
    "writeb 0x10000002 0xc7",
    "writeb 0x10000004 0x10",
    "writeb 0x10000001 0x0f",
    "writeb 0x10000000 0x41",
    "readb 0x10000005",
    "readb 0x10000002",
    "writel 0x0c000004 0x7",
    "writel 0x0c002000 0x400",
    "writel 0x0c200000 0x0",
    "readl 0x0c200004",
    "writeq 0x02004000 0x1000",
    "readq 0x0200bff8",
    "writel 0x02000000 0x1",
    "clock_step 100000",
    "clock_step",
    "readl 0x00101000",
    "writel 0x00101008 0x10",
    "writel 0x0010100c 0x0",
    "writel 0x00101010 0x1",
    "writew 0x10100008 0x0000",
    "readb 0x10100000",
    "readl 0x10001000",
    "readl 0x10008008",
    "writel 0x10008070 0x1",
    "writel 0x10008070 0x3",
    "writel 0x10008030 0x0",
    "readl 0x10008034",
    "write 0x80000000 0x8 0x0011223344556677",
    "read 0x80000000 0x8",
    "b64write 0x80001000 0x4 AAECAw==",
    "b64read 0x80001000 0x4",
    "memset 0x80002000 0x100 0xa5",
    "clock_set 200000000",
    "clock_set 9223372036854775000",
    "set_irq_in /machine/soc0/harts[1] unnamed-gpio-in 7 1",
    "module_load accel- qtest",
    "writel 0x00100000 0x3333",
};

static const char *const commands[] = {
    "readb",
    "readw",
    "readl",
    "readq",
    "writeb",
    "writew",
    "writel",
    "writeq",
    "read",
    "write",
    "b64read",
    "b64write",
    "memset",
    "clock_step",
    "clock_set",
    "endianness",
    "irq_intercept_in",
    "irq_intercept_out",
    "set_irq_in",
    "module_load",
    "inb",
    "outl",
    "csr",
    "rtas",
};

static const char *const values[] = {
    "0",
    "1",
    "-1",
    "0x0",
    "0x7f",
    "0xff",
    "0x100",
    "0xffff",
    "0x10000",
    "0x7fffffff",
    "0x80000000",
    "0xffffffff",
    "0x100000000",
    "0x7fffffffffffffff",
    "0x8000000000000000",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "0x10000000",
    "0x10000005",
    "0x10000007",
    "0x02000000",
    "0x02004000",
    "0x02004008",
    "0x0200bff8",
    "0x0200bfff",
    "0x0c000000",
    "0x0c001000",
    "0x0c002000",
    "0x0c200000",
    "0x0c200004",
    "0x0c3ffffc",
    "0x00101000",
    "0x0010101c",
    "0x10100000",
    "0x10100010",
    "0x10001000",
    "0x10001070",
    "0x100010fc",
    "0x10008000",
    "0x10008070",
    "0x10008050",
    "0x7ffffffc",
    "0x83fffff8",
    "0x83ffffff",
    "0x84000000",
    "0x00100000",
    "AAAA",
    "====",
    "0x",
    "1.5",
    "1e9",
    "/machine",
    "/machine/soc0/harts[0]",
    "/machine/soc0/harts[9]",
    "/machine/unattached/device[0]",
    "/machine/unattached",
    "harts[1]",
    "unnamed-gpio-in",
    "unnamed-gpio-out",
    "sysbus-irq",
    "get_csr",
    "set_csr",
    "0x300",
    "0x344",
    "",
};

static const char *const splices[] = {
    "\r", "\t", "\x01", "\x1b", "\x7f", "\xff", " ", "  ", "\n", "\r\n", ",", "'", "\\", "%s%n",
};

static void collect(void *opaque, const char *text, size_t len)
{
    g_string_append_len(opaque, text, len);
}

/* A line made from one seed line by word-level and byte-level mutations. */
static char *mutate_line(GRand *r, const char *line)
{
    gchar **w = g_strsplit(line, " ", -1);
    GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
    GString *out = g_string_new(NULL);
    unsigned rounds = mutate_rnd(r, 4);

    for (int i = 0; w[i]; i++) {
        g_ptr_array_add(words, g_strdup(w[i]));
    }
    g_strfreev(w);
    for (unsigned k = 0; k < rounds; k++) {
        guint i = mutate_rnd(r, words->len + 1);
        char *old = i < words->len ? words->pdata[i] : NULL;
        switch (mutate_rnd(r, 7)) {
        case 0: /* another command */
            if (words->len) {
                g_free(words->pdata[0]);
                words->pdata[0] = g_strdup(commands[mutate_rnd(r, G_N_ELEMENTS(commands))]);
            }
            break;
        case 1: /* a value in place of a word */
        case 2:
            if (old) {
                words->pdata[i] = g_strdup(values[mutate_rnd(r, G_N_ELEMENTS(values))]);
                g_free(old);
            }
            break;
        case 3: /* an extra word */
            g_ptr_array_insert(words, (gint)i,
                               g_strdup(values[mutate_rnd(r, G_N_ELEMENTS(values))]));
            break;
        case 4: /* a word less */
            if (old) {
                g_ptr_array_remove_index(words, i);
            }
            break;
        case 5: /* a byte spliced into a word */
            if (old) {
                size_t at = mutate_rnd(r, (uint32_t)strlen(old) + 1);
                words->pdata[i] =
                    g_strdup_printf("%.*s%s%s", (int)at, old,
                                    splices[mutate_rnd(r, G_N_ELEMENTS(splices))], old + at);
                g_free(old);
            }
            break;
        case 6: /* a very long word */
            if (old) {
                GString *s = g_string_new(old);
                guint n = 1000 + mutate_rnd(r, 60000);
                while (s->len < n) {
                    g_string_append(s, mutate_rnd(r, 2) ? "0" : "f");
                }
                words->pdata[i] = g_string_free(s, FALSE);
                g_free(old);
            }
            break;
        }
    }
    for (guint i = 0; i < words->len; i++) {
        g_string_append(out, i ? " " : "");
        g_string_append(out, words->pdata[i]);
    }
    g_ptr_array_free(words, TRUE);
    return g_string_free(out, FALSE);
}

/* Checks the output one fed line produced: IRQ lines, then exactly one reply per input line. */
static void check_replies(const char *out, unsigned lines_fed, unsigned session, const char *line)
{
    gchar **l = g_strsplit(out, "\n", -1);
    unsigned replies = 0;
    bool ok = g_str_has_suffix(out, "\n");

    for (int i = 0; l[i] && l[i + 1]; i++) {
        const char *t = l[i];
        if (g_str_has_prefix(t, "IRQ ")) {
            continue;
        }
        ok = ok && (g_str_has_prefix(t, "OK") || g_str_has_prefix(t, "FAIL") ||
                    g_str_has_prefix(t, "ERR"));
        replies++;
    }
    if (!ok || replies != lines_fed) {
        char *in = mutate_shown(line, 300), *got = mutate_shown(out, 300);
        print_error("session %u: line '%s' (%u line(s)) got %u replies: '%s'\n", session, in,
                    lines_fed, replies, got);
        g_free(in);
        g_free(got);
        g_strfreev(l);
        fail();
    }
    g_strfreev(l);
}

static void run_session(unsigned session)
{
    GRand *r = g_rand_new_with_seed(0x9e57 + session);
    GString *out = g_string_new(NULL);
    char **argv = NULL;
    int argc = 0;
    Error *err = NULL;
    QTestServer *s;
    unsigned n = 10 + mutate_rnd(r, 40);

    assert_true(g_shell_parse_argv(MACHINE_ARGS, &argc, &argv, NULL));
    if (tern_init(argc, argv, &err) != TERN_INIT_RUN) {
        print_error("tern_init: %s\n", err ? error_get_pretty(err) : "?");
        fail();
    }
    s = qtest_server_new(collect, out);
    qtest_server_set_log(s, NULL, false);
    /* Bulk replies stay small: the limit itself is what is under test, not the heap. */
    qtest_server_set_transfer_limit(s, 1 << 16);
    qtest_server_open(s);
    for (unsigned i = 0; i < n; i++) {
        const char *base = seed_lines[mutate_rnd(r, G_N_ELEMENTS(seed_lines))];
        char *line = mutate_rnd(r, 5) ? mutate_line(r, base) : g_strdup(base);
        char *fed = g_strconcat(line, "\n", NULL);
        unsigned lines = 0;

        for (const char *p = fed; *p; p++) {
            lines += *p == '\n';
        }
        {
            char *in = mutate_shown(line, 300);
            mutate_set_current("session %u line %u: '%s'", session, i, in);
            g_free(in);
        }
        g_string_truncate(out, 0);
        qtest_server_feed(s, fed, strlen(fed));
        check_replies(out->str, lines, session, line);
        g_free(fed);
        g_free(line);
    }
    qtest_server_free(s);
    tern_cleanup();
    g_strfreev(argv);
    g_string_free(out, TRUE);
    g_rand_free(r);
}

static void test_seed_session_is_all_ok(void **state)
{
    GString *out = g_string_new(NULL);
    char **argv = NULL;
    int argc = 0;
    Error *err = NULL;
    QTestServer *s;

    assert_true(g_shell_parse_argv(MACHINE_ARGS, &argc, &argv, NULL));
    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_RUN);
    s = qtest_server_new(collect, out);
    qtest_server_set_log(s, NULL, false);
    qtest_server_open(s);
    /* The seed is valid: every line answers OK, so mutants start from working commands. */
    for (size_t i = 0; i < G_N_ELEMENTS(seed_lines); i++) {
        char *fed = g_strconcat(seed_lines[i], "\n", NULL);
        g_string_truncate(out, 0);
        qtest_server_feed(s, fed, strlen(fed));
        check_replies(out->str, 1, 0, seed_lines[i]);
        if (!strstr(out->str, "OK")) {
            print_error("seed line '%s' answered '%s'\n", seed_lines[i], out->str);
            fail();
        }
        g_free(fed);
    }
    qtest_server_free(s);
    tern_cleanup();
    g_strfreev(argv);
    g_string_free(out, TRUE);
}

static void test_mutated_sessions(void **state)
{
    unsigned first = (unsigned)(uintptr_t)*state;

    for (unsigned i = first; i < first + SESSIONS / 4; i++) {
        run_session(i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_session_is_all_ok),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)0),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)(SESSIONS / 4)),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)(SESSIONS / 2)),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)(3 * SESSIONS / 4)),
    };

    mutate_report_aborts("protocol-mutate");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
