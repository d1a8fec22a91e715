/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fuzz-diff.c - tern-fuzz --diff: the rule file's syntax and matching
 * by region, QEMU's command line without the qtest accelerator, a planted
 * difference (a "QEMU" that alters one reply) reported with its trace line
 * and filtered once a rule documents it, and real runs of the tern-fuzz
 * program against qemu-system-riscv64 over the uart, sifive-test and plic
 * corpora.  Needs qemu-system-riscv64 on $PATH, as the diff suite does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "fuzz/fuzz-diff.h"
#include "tests/fuzz/repro-targets.h"

static char *qemu_path(void)
{
    char *q = g_find_program_in_path("qemu-system-riscv64");

    if (!q) {
        fail_msg("qemu-system-riscv64 is not on $PATH (CI installs qemu-system-misc)");
    }
    return q;
}

/* ---- rules ------------------------------------------------------------------------------------
 */

static void test_rules(void **state)
{
    GPtrArray *rules;
    Error *err = NULL;
    const FuzzDiffRule *r;

    rules = fuzz_diff_rules_parse("# comment\n\n"
                                  "read*\tregion=serial@0x7-0x7\treply\tthe scratch register\n"
                                  "write* region=riscv.sifive.test end QEMU exits\n"
                                  "readl addr=0x30000000-0x3fffffff reply PCIe\n",
                                  "rules", &err);
    assert_non_null(rules);
    assert_int_equal(rules->len, 3);
    r = fuzz_diff_rules_match(rules, "readb 0x10000007", "serial", 7);
    assert_non_null(r);
    assert_int_equal(r->line, 3);
    assert_int_equal(r->action, FUZZ_DIFF_REPLY);
    assert_string_equal(r->reason, "the scratch register");
    /* Another register of the region, another command, another region: no rule. */
    assert_null(fuzz_diff_rules_match(rules, "readb 0x10000005", "serial", 5));
    assert_null(fuzz_diff_rules_match(rules, "writeb 0x10000007 0x1", "serial", 7));
    assert_null(fuzz_diff_rules_match(rules, "readb 0x10000007", "goldfish_rtc", 7));
    r = fuzz_diff_rules_match(rules, "writel 0x100000 0x5555", "riscv.sifive.test", 0);
    assert_non_null(r);
    assert_int_equal(r->action, FUZZ_DIFF_END);
    /* Address ranges ignore the region; the bounds are inclusive. */
    assert_non_null(fuzz_diff_rules_match(rules, "readl 0x3fffffff", NULL, 0));
    assert_null(fuzz_diff_rules_match(rules, "readl 0x40000000", NULL, 0));
    assert_null(fuzz_diff_rules_match(rules, "readq 0x30000000", NULL, 0));
    g_ptr_array_unref(rules);

    /* A broken rule names its line. */
    assert_null(fuzz_diff_rules_parse("read* addr=0x10 reply no range\n", "bad", &err));
    assert_true(g_str_has_prefix(error_get_pretty(err), "bad:1: a rule is "));
    error_free(err);
    err = NULL;
    assert_null(fuzz_diff_rules_parse("\nread* region=x maybe why\n", "bad", &err));
    assert_true(g_str_has_prefix(error_get_pretty(err), "bad:2: "));
    error_free(err);
    err = NULL;
    assert_null(fuzz_diff_rules_parse("read* region=x reply\n", "bad", &err));
    error_free(err);

    /* The shipped rule file parses. */
    {
        char *path = g_build_filename(getenv("TERN_SOURCE_ROOT"), "fuzz/diff-rules.txt", NULL);
        rules = fuzz_diff_rules_load(path, &err);
        if (!rules) {
            fail_msg("%s", error_get_pretty(err));
        }
        assert_true(rules->len >= 5);
        g_ptr_array_unref(rules);
        g_free(path);
    }
}

static void test_qemu_argv(void **state)
{
    Error *err = NULL;
    GPtrArray *a = fuzz_diff_qemu_argv(
        "qemu",
        "-display none -machine 'accel=qtest,' -m 512M -M virt,accel=qtest -accel qtest "
        "-rtc clock=vm,base=2000-01-01T00:00:00",
        &err);
    char *line;

    assert_non_null(a);
    line = g_strjoinv(" ", (char **)a->pdata);
    assert_string_equal(line, "qemu -M virt -bios none -nodefaults -display none -display none "
                              "-m 512M -M virt -rtc clock=vm,base=2000-01-01T00:00:00 -S -qtest "
                              "stdio -qtest-log none");
    g_free(line);
    g_ptr_array_unref(a);
    /* Without an -rtc of its own, the fixed base is added. */
    a = fuzz_diff_qemu_argv("qemu", "-m 64M", &err);
    line = g_strjoinv(" ", (char **)a->pdata);
    assert_non_null(strstr(line, " -m 64M -rtc base=2000-01-01T00:00:00,clock=vm -S "));
    g_free(line);
    g_ptr_array_unref(a);
}

/* ---- a planted difference ---------------------------------------------------------------------
 */

/* A "QEMU" that answers as the real one, except that the scratch register reads 0x42 for 0x41. */
static char *fake_qemu(const char *dir)
{
    char *path = g_build_filename(dir, "qemu-system-riscv64", NULL);
    char *q = qemu_path();
    char *script = g_strdup_printf(
        "#!/bin/bash\n"
        "# the real QEMU with one reply altered\n"
        "exec %s \"$@\" > >(exec sed -u 's/^OK 0x0000000000000041$/OK 0x0000000000000042/')\n",
        q);

    assert_true(g_file_set_contents(path, script, -1, NULL));
    assert_int_equal(chmod(path, 0755), 0);
    g_free(script);
    g_free(q);
    return path;
}

static int diff_inputs(const char *qemu, const char *rules_text, const char *dir, FuzzDiffStats *st,
                       char **report)
{
    static const uint8_t input[] = {0, 0x41, 1, 0, 5, 0, 0, 0x43, 1, 0};
    char *path = g_build_filename(dir, "input", NULL);
    char *inputs[] = {path, NULL};
    GPtrArray *rules;
    Error *err = NULL;
    FILE *out;
    size_t len;
    int status;

    assert_true(g_file_set_contents(path, (const char *)input, sizeof(input), NULL));
    rules = fuzz_diff_rules_parse(rules_text, "test rules", &err);
    assert_non_null(rules);
    repro_targets_register();
    if (!fuzz_start(fuzz_find_target("test-repro"), &err)) {
        fail_msg("%s", error_get_pretty(err));
    }
    out = open_memstream(report, &len);
    status = fuzz_diff_run(qemu, rules, inputs, 60, out, st, &err);
    fclose(out);
    if (err) {
        fail_msg("%s", error_get_pretty(err));
    }
    fuzz_stop();
    repro_targets_cleanup();
    g_ptr_array_unref(rules);
    g_unlink(path);
    g_free(path);
    return status;
}

static void test_planted_difference(void **state)
{
    char *dir = g_dir_make_tmp("tern-diff-XXXXXX", NULL);
    char *fake = fake_qemu(dir);
    char *real = qemu_path();
    FuzzDiffStats st;
    char *report;

    /* The real QEMU agrees on everything, the fw_cfg DMA transfer included. */
    assert_int_equal(diff_inputs(real, "", dir, &st, &report), 0);
    assert_int_equal(st.inputs, 1);
    assert_int_equal(st.requests, 8);
    assert_int_equal(st.differing, 0);
    g_free(report);

    /* The altered reply: reported with its line, the request, both replies and the trace. */
    assert_int_equal(diff_inputs(fake, "", dir, &st, &report), 1);
    assert_int_equal(st.differing, 1);
    assert_non_null(strstr(report, "/input: trace line 2 differs\n"
                                   "  request: readb 0x10000007\n"
                                   "  region:  serial+0x7\n"
                                   "  tern:    OK 0x0000000000000041\n"
                                   "  qemu:    OK 0x0000000000000042\n"));
    assert_non_null(strstr(report, "# the trace (requests, each with Tern's reply after '# => '):\n"
                                   "writeb 0x10000007 0x41\n# => OK\n"
                                   "readb 0x10000007\n# => OK 0x0000000000000041\n"));
    g_free(report);

    /* A rule on the register documents it: the run is clean, the difference counted. */
    assert_int_equal(
        diff_inputs(fake, "read* region=serial@0x7-0x7 reply planted\n", dir, &st, &report), 0);
    assert_int_equal(st.differing, 0);
    assert_int_equal(st.documented, 1);
    assert_int_equal(st.requests, 8);
    assert_non_null(strstr(report, "(documented: rule line 1)"));
    g_free(report);

    /* A QEMU that refuses the command line: the difference says what it said. */
    {
        char *bad = g_build_filename(dir, "bad-qemu", NULL);
        assert_true(g_file_set_contents(bad, "#!/bin/sh\necho 'qemu: no such option' >&2\nexit 1\n",
                                        -1, NULL));
        assert_int_equal(chmod(bad, 0755), 0);
        assert_int_equal(diff_inputs(bad, "", dir, &st, &report), 1);
        assert_non_null(strstr(report, "/input: trace line 1 differs\n"));
        assert_non_null(strstr(report, "  qemu:    (no reply: QEMU ended) qemu: no such option\n"));
        g_free(report);
        g_unlink(bad);
        g_free(bad);
    }

    g_unlink(fake);
    g_rmdir(dir);
    g_free(fake);
    g_free(real);
    g_free(dir);
}

/* ---- through the program, against the real QEMU -----------------------------------------------
 */

static void diff_program(const char *preset, unsigned files, unsigned ended)
{
    char *fuzz = g_build_filename(getenv("TERN_BUILD_ROOT"), "tern-fuzz", NULL);
    char *rules = g_build_filename(getenv("TERN_SOURCE_ROOT"), "fuzz/diff-rules.txt", NULL);
    char *corpus =
        g_strdup_printf("%s/corpora/generic-fuzz-%s", getenv("TERN_SOURCE_ROOT"), preset);
    char *target = g_strdup_printf("--fuzz-target=generic-fuzz-%s", preset);
    char *qemu = qemu_path();
    char *out, *summary;
    int status;

    assert_true(g_spawn_sync(
        NULL, (char *[]){fuzz, target, "--diff", qemu, "--diff-rules", rules, corpus, NULL}, NULL,
        0, NULL, NULL, &out, NULL, &status, NULL));
    printf("# %s", strstr(out, "tern-fuzz: --diff: ") ? strstr(out, "tern-fuzz: --diff: ") : out);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    summary = g_strdup_printf("tern-fuzz: --diff: generic-fuzz-%s: %u inputs, ", preset, files);
    assert_non_null(strstr(out, summary));
    assert_null(strstr(out, " 0 replies compared"));
    assert_non_null(strstr(out, ", 0 with an undocumented difference\n"));
    g_free(summary);
    summary = g_strdup_printf(" %u inputs ended by QEMU as documented", ended);
    assert_non_null(strstr(out, summary));
    g_free(summary);
    g_free(out);
    g_free(qemu);
    g_free(target);
    g_free(corpus);
    g_free(rules);
    g_free(fuzz);
}

static unsigned corpus_size(const char *preset)
{
    char *dir = g_strdup_printf("%s/corpora/generic-fuzz-%s", getenv("TERN_SOURCE_ROOT"), preset);
    GDir *d = g_dir_open(dir, 0, NULL);
    unsigned n = 0;

    assert_non_null(d);
    while (g_dir_read_name(d)) {
        n++;
    }
    g_dir_close(d);
    g_free(dir);
    return n;
}

static void test_program_uart(void **state)
{
    diff_program("uart", corpus_size("uart"), 0);
}

static void test_program_sifive_test(void **state)
{
    /* PASS and FAIL end QEMU 7.2 (a rule says so); the other seeds compare to the end. */
    diff_program("sifive-test", corpus_size("sifive-test"), 2);
}

static void test_program_plic(void **state)
{
    diff_program("plic", corpus_size("plic"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_qemu_argv),
        cmocka_unit_test(test_planted_difference),
        cmocka_unit_test(test_program_uart),
        cmocka_unit_test(test_program_sifive_test),
        cmocka_unit_test(test_program_plic),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
