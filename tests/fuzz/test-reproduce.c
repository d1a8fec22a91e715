/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-reproduce.c - tern-fuzz --reproduce: crash kinds and signatures
 * read from sanitizer and Tern reports, a wild write and a hang reproduced
 * in a forked child (the trace made before the crash survives it), the
 * --out directory and its deduplication, a clean input, the replay
 * contract (the reproduced trace gives the recorded replies on
 * "tern -accel qtest -qtest stdio < trace"), and the command through the
 * real tern-fuzz program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fuzz/fuzz-reproduce.h"
#include "tests/fuzz/repro-targets.h"

/* ---- classification of reports ----------------------------------------------------------------
 */

static const char asan_report[] =
    "==123==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000015 at pc 0x1\n"
    "WRITE of size 1 at 0x602000000015 thread T0\n"
    "    #0 0x55d1 in __asan_memcpy /src/compiler-rt/lib/asan/asan_interceptors.cpp:22:3\n"
    "    #1 0x55d2 in uart_write /home/u/tern/hw/uart.c:212:9\n"
    "    #2 0x55d3 in memory_region_dispatch /home/u/tern/core/memory.c:401:5\n"
    "    #3 0x55d4 in fuzz_write /home/u/tern/fuzz/fuzz.c:520:9\n"
    "    #4 0x55d5 in gf_op_write /home/u/tern/fuzz/generic-fuzz.c:600:5\n"
    "    #5 0x55d6 in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x1)\n"
    "\n"
    "0x602000000015 is located 0 bytes to the right of 5-byte region\n"
    "allocated by thread T0 here:\n"
    "    #0 0x55e1 in malloc /src/compiler-rt/lib/asan/asan_malloc_linux.cpp:69:3\n"
    "    #1 0x55e2 in other_function /home/u/tern/hw/other.c:1:1\n"
    "SUMMARY: AddressSanitizer: heap-buffer-overflow /home/u/tern/hw/uart.c:212:9 in uart_write\n";

static void test_classify_sanitizer(void **state)
{
    FuzzCrash c, moved;
    char *h1, *h2;
    char *elsewhere = g_strdup(asan_report);

    fuzz_crash_classify(&c, SIGABRT, asan_report);
    assert_true(c.crashed);
    assert_string_equal(c.kind, "AddressSanitizer: heap-buffer-overflow");
    /* The first stack only, the interceptor and the fuzz framework's frames left out. */
    assert_string_equal(c.signature, "uart_write hw/uart.c:212 < memory_region_dispatch "
                                     "core/memory.c:401 < gf_op_write fuzz/generic-fuzz.c:600");
    /* Another build directory, other addresses: the same signature. */
    memcpy(strstr(elsewhere, "/home/u/"), "/work/x/", 8);
    memcpy(strstr(elsewhere, "0x55d2"), "0x77d2", 6);
    fuzz_crash_classify(&moved, SIGABRT, elsewhere);
    assert_string_equal(moved.signature, c.signature);
    h1 = fuzz_crash_hash(&c);
    h2 = fuzz_crash_hash(&moved);
    assert_int_equal(strlen(h1), 12);
    assert_string_equal(h1, h2);
    g_free(h1);
    g_free(h2);
    g_free(elsewhere);
    fuzz_crash_clear(&c);
    fuzz_crash_clear(&moved);
}

static void test_classify_tern_and_ubsan(void **state)
{
    FuzzCrash a, b, u, s, clean;

    /* The same hang at another virtual time is the same crash. */
    fuzz_crash_classify(
        &a, SIGABRT << 0,
        "tern: ERROR:../fuzz/fuzz.c:411:fuzz_run_or_crash: hang: the input used up "
        "its budget of 3000 timer callbacks and bottom halves (virtual time 12 ns)\n"
        "tern-fuzz: hanging input: aborting so that the engine saves it\n");
    fuzz_crash_classify(&b, SIGABRT,
                        "noise\ntern: ERROR:../fuzz/fuzz.c:411:fuzz_run_or_crash: hang: the input "
                        "used up its budget of 3000 timer callbacks and bottom halves (virtual "
                        "time 999 ns)\n");
    assert_string_equal(a.kind, "hang");
    assert_string_equal(a.signature, b.signature);
    assert_string_equal(a.signature, "fuzz/fuzz.c:fuzz_run_or_crash: hang: the input used up its "
                                     "budget of N timer callbacks and bottom halves (virtual time "
                                     "N ns)");
    assert_true(g_str_has_prefix(a.message, "tern: ERROR:../fuzz/fuzz.c:411:"));

    fuzz_crash_classify(&u, 0x100,
                        "hw/plic.c:88:12: runtime error: shift exponent 40 is too large\n");
    assert_string_equal(u.kind, "UndefinedBehaviorSanitizer: runtime error");
    assert_string_equal(u.signature, "hw/plic.c:88: shift exponent N is too large");

    /* A plain signal (no sanitizer): the kind is the signature. */
    fuzz_crash_classify(&s, SIGSEGV, "");
    assert_true(s.crashed);
    assert_true(g_str_has_prefix(s.kind, "signal 11"));
    assert_string_equal(s.signature, s.kind);

    fuzz_crash_classify(&clean, 0, "tern-fuzz: test-repro: ran 1 inputs\n");
    assert_false(clean.crashed);
    fuzz_crash_clear(&a);
    fuzz_crash_clear(&b);
    fuzz_crash_clear(&u);
    fuzz_crash_clear(&s);
    fuzz_crash_clear(&clean);
}

/* ---- reproducing in a child -------------------------------------------------------------------
 */

static FuzzTarget *repro_target(void)
{
    FuzzTarget *t;

    repro_targets_register();
    t = fuzz_find_target("test-repro");
    assert_non_null(t);
    return t;
}

/*
 * The crash signals' handlers as the process started (the sanitizers'),
 * not cmocka's: a child that inherited cmocka's would catch its own crash
 * and go on running the test suite.
 */
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
static struct sigaction start_handlers[G_N_ELEMENTS(crash_signals)];

static int reproduce(const uint8_t *in, size_t len, const char *dir, FuzzReproduction *r,
                     char **printed)
{
    struct sigaction cmocka_handlers[G_N_ELEMENTS(crash_signals)];

    char *text = NULL;
    size_t tlen = 0;
    FILE *out = open_memstream(&text, &tlen);
    Error *err = NULL;
    int status;

    assert_non_null(out);
    for (size_t i = 0; i < G_N_ELEMENTS(crash_signals); i++) {
        sigaction(crash_signals[i], &start_handlers[i], &cmocka_handlers[i]);
    }
    status = fuzz_reproduce(repro_target(), in, len, "crash-input", dir, 120, out, r, &err);
    for (size_t i = 0; i < G_N_ELEMENTS(crash_signals); i++) {
        sigaction(crash_signals[i], &cmocka_handlers[i], NULL);
    }
    fclose(out);
    if (err) {
        fail_msg("fuzz_reproduce: %s", error_get_pretty(err));
    }
    *printed = text;
    return status;
}

static char *read_file(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        fail_msg("%s is missing", path);
    }
    g_free(path);
    return text;
}

/*
 * The replay contract: the trace on a fresh "tern -accel qtest ... -qtest
 * stdio" answers every request as the fuzzer's run did.
 */
static void assert_replays(const FuzzReproduction *r)
{
    const char *root = getenv("TERN_BUILD_ROOT");
    char *dir = g_dir_make_tmp("tern-replay-XXXXXX", NULL);
    char *trace = g_build_filename(dir, "trace", NULL);
    char **expect = g_strsplit(r->replies->str, "\n", -1);
    GString *got = g_string_new(NULL);
    guint want = 0, n = 0;
    char *cmd, **lines;
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
    GPid pid;
    int fd;

    assert_non_null(root);
    assert_true(g_file_set_contents(trace, r->trace->str, -1, NULL));
    /* replies holds request, reply, request, reply...: the odd lines are the replies */
    for (guint i = 1; expect[i] && expect[i - 1][0]; i += 2) {
        want++;
    }
    assert_true(want > 0);
    cmd = g_strdup_printf("exec %s/tern -accel qtest %s -qtest stdio -qtest-log none < %s", root,
                          r->args, trace);
    assert_true(g_spawn_async_with_pipes(NULL, (char *[]){"sh", "-c", cmd, NULL}, NULL,
                                         G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &pid, NULL, &fd, NULL, NULL));
    /* tern keeps running at EOF, as QEMU does: read the replies, then stop it. */
    while (g_get_monotonic_time() < deadline) {
        char buf[4096];
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t got_n;
        char *c = got->str;
        guint have = 0;
        while ((c = strchr(c, '\n'))) {
            have++;
            c++;
        }
        if (have >= want) {
            break;
        }
        if (poll(&p, 1, 1000) <= 0) {
            continue;
        }
        got_n = read(fd, buf, sizeof(buf));
        if (got_n <= 0) {
            break;
        }
        g_string_append_len(got, buf, got_n);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    g_spawn_close_pid(pid);
    close(fd);
    lines = g_strsplit(got->str, "\n", -1);
    for (guint i = 1; expect[i] && expect[i - 1][0]; i += 2, n++) {
        assert_non_null(lines[n]);
        assert_string_equal(lines[n], expect[i]);
    }
    assert_int_equal(n, want);
    g_strfreev(expect);
    g_strfreev(lines);
    g_string_free(got, TRUE);
    g_free(cmd);
    g_unlink(trace);
    g_rmdir(dir);
    g_free(trace);
    g_free(dir);
}

static void test_wild_write_keeps_the_trace(void **state)
{
    /* UART scratch 0x41, DMA through fw_cfg, a RAM byte, then the wild write. */
    static const uint8_t in[] = {0, 0x41, 5, 0, 2, 0x33, 1, 0, 3, 0x99, 0, 0x42};
    FuzzReproduction r;
    char *printed;

    repro_crash_armed = true;
    assert_int_equal(reproduce(in, sizeof(in), NULL, &r, &printed), 0);
    repro_crash_armed = false;
#if defined(__SANITIZE_ADDRESS__) || defined(__has_feature)
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
    assert_string_equal(r.crash.kind, "AddressSanitizer: SEGV");
    /* The crash site is the top frame: the target's own function, in this directory. */
    if (!g_str_has_prefix(r.crash.signature, "repro_fuzz tests/fuzz/repro-targets.c:")) {
        fail_msg("signature %s from:\n%s", r.crash.signature, r.err->str);
    }
#define CHECKED_ASAN
#endif
#endif
#ifndef CHECKED_ASAN
    assert_string_equal(r.crash.kind, "signal 11 (Segmentation fault)");
    assert_string_equal(r.crash.signature, r.crash.kind);
#endif
    /* Streamed as recorded: every access before the crash, none after it. */
    assert_string_equal(r.trace->str, "writeb 0x10000007 0x41\n"
                                      "writel 0x10100010 0x0\n"
                                      "write 0x80001000 0x10 0x0000000a000000040000000080002000\n"
                                      "writel 0x10100014 0x100080\n"
                                      "readl 0x80002000\n"
                                      "write 0x80000133 0x1 0x33\n"
                                      "readb 0x10000007\n");
    /* fw_cfg put the signature where the filled descriptor said: the fill came first. */
    assert_non_null(strstr(r.replies->str, "readl 0x80002000\nOK 0x00000000554d4551\n"));
    assert_string_equal(r.args, REPRO_ARGS);
    /* The printed report: kind, signature, replay line, bash and C reproducers. */
    assert_non_null(strstr(printed, "crash-input reproduced a crash: "));
    assert_non_null(strstr(printed, "\nsignature: "));
    assert_non_null(
        strstr(printed, "replay on: tern-system-riscv64 " REPRO_ARGS " -qtest stdio\n"));
    assert_non_null(strstr(printed, "cat << EOF | tern-system-riscv64 " REPRO_ARGS));
    assert_non_null(strstr(printed, "    qtest_bufwrite(s, 0x80001000, \"\\x00\\x00\\x00\\x0a"));
    assert_non_null(strstr(printed, "    qtest_readb(s, 0x10000007);\n"));
    assert_replays(&r);
    g_free(printed);
    fuzz_reproduction_clear(&r);
}

static void test_hang_and_dedup(void **state)
{
    static const uint8_t hang1[] = {0, 0x41, 4, 0};
    static const uint8_t hang2[] = {0, 0x42, 6, 0, 4, 0};
    char *dir = g_dir_make_tmp("tern-repro-XXXXXX", NULL);
    FuzzReproduction r1, r2;
    char *p1, *p2, *sub, *text, *hash;
    GDir *d;
    const char *name;
    unsigned entries = 0;

    g_setenv("TERN_FUZZ_WORK_BUDGET", "3000", TRUE);
    assert_int_equal(reproduce(hang1, sizeof(hang1), dir, &r1, &p1), 0);
    assert_int_equal(reproduce(hang2, sizeof(hang2), dir, &r2, &p2), 0);
    g_unsetenv("TERN_FUZZ_WORK_BUDGET");
    assert_string_equal(r1.crash.kind, "hang");
    assert_true(g_str_has_prefix(r1.crash.message, "tern: ERROR:"));
    assert_non_null(strstr(r1.crash.message, "budget of 3000"));
    assert_string_equal(r1.trace->str, "writeb 0x10000007 0x41\nclock_step 1000000000\n");
    /* A different input, the same hang: one directory, the second noted as a duplicate. */
    assert_string_equal(r1.crash.signature, r2.crash.signature);
    assert_false(r1.duplicate);
    assert_true(r2.duplicate);
    assert_string_equal(r1.dir, r2.dir);
    hash = fuzz_crash_hash(&r1.crash);
    sub = g_strdup_printf("%s/test-repro-%s", dir, hash);
    assert_string_equal(r1.dir, sub);
    assert_non_null(strstr(p2, "a duplicate, noted in"));

    text = read_file(sub, "input");
    assert_memory_equal(text, hang1, sizeof(hang1));
    g_free(text);
    text = read_file(sub, "trace");
    assert_string_equal(text, r1.trace->str);
    g_free(text);
    text = read_file(sub, "cmdline");
    assert_string_equal(text, "tern-system-riscv64 " REPRO_ARGS " -qtest stdio\n");
    g_free(text);
    text = read_file(sub, "repro.sh");
    assert_true(g_str_has_prefix(text, "#!/bin/bash\n"));
    assert_non_null(strstr(text, "clock_step 1000000000\nEOF\n"));
    g_free(text);
    text = read_file(sub, "repro-test.c");
    assert_non_null(strstr(text, "qtest_clock_step(s, 1000000000);"));
    g_free(text);
    text = read_file(sub, "report.txt");
    assert_non_null(strstr(text, "reproduced a crash: hang"));
    g_free(text);
    text = read_file(sub, "duplicates.txt");
    assert_true(g_str_has_prefix(text, "input-"));
    assert_non_null(strstr(text, "\tcrash-input\n"));
    g_free(text);

    /* Clean up: one directory, seven files (six + the duplicate's input + the list). */
    d = g_dir_open(sub, 0, NULL);
    while ((name = g_dir_read_name(d))) {
        char *f = g_build_filename(sub, name, NULL);
        g_unlink(f);
        g_free(f);
        entries++;
    }
    g_dir_close(d);
    assert_int_equal(entries, 8);
    assert_int_equal(g_rmdir(sub), 0);
    assert_int_equal(g_rmdir(dir), 0);
    g_free(sub);
    g_free(hash);
    g_free(p1);
    g_free(p2);
    g_free(dir);
    fuzz_reproduction_clear(&r1);
    fuzz_reproduction_clear(&r2);
}

static void test_clean_input(void **state)
{
    static const uint8_t in[] = {0, 0x41, 1, 0, 3, 0x99}; /* op 3 disarmed: no crash */
    FuzzReproduction r;
    char *printed;

    assert_int_equal(reproduce(in, sizeof(in), NULL, &r, &printed), 1);
    assert_false(r.crash.crashed);
    assert_non_null(strstr(printed, "crash-input ran clean"));
    assert_string_equal(r.trace->str, "writeb 0x10000007 0x41\nreadb 0x10000007\n");
    assert_replays(&r);
    g_free(printed);
    fuzz_reproduction_clear(&r);
}

/* ---- through the tern-fuzz program ------------------------------------------------------------
 */

static char *self; /* this program, which is a tern-fuzz of test-repro given --fuzz-target= */

static int run_program(char **argv, const char *env, char **out)
{
    char **envp = g_get_environ();
    int status;

    if (env) {
        char **kv = g_strsplit(env, "=", 2);
        envp = g_environ_setenv(envp, kv[0], kv[1], TRUE);
        g_strfreev(kv);
    }
    assert_true(g_spawn_sync(NULL, argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL,
                             &status, NULL));
    g_strfreev(envp);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_program(void **state)
{
    char *fuzz = g_build_filename(getenv("TERN_BUILD_ROOT"), "tern-fuzz", NULL);
    char *seed =
        g_build_filename(getenv("TERN_SOURCE_ROOT"), "corpora/generic-fuzz-uart/thr", NULL);
    char *dir = g_dir_make_tmp("tern-repro-XXXXXX", NULL);
    char *out;

    /* tern-fuzz itself on a generic-fuzz preset: a seed runs clean (status 1, said so). */
    assert_int_equal(run_program((char *[]){fuzz, "--fuzz-target=generic-fuzz-uart", "--reproduce",
                                            seed, "--out", dir, NULL},
                                 NULL, &out),
                     1);
    assert_non_null(strstr(out, "generic-fuzz-uart: "));
    assert_non_null(strstr(out, "/thr ran clean (no crash, hang or failed check)\n"));
    g_free(out);
    /* Nothing was saved for it; a missing file is an error (2), so is a missing argument. */
    assert_int_equal(g_rmdir(dir), 0);
    assert_int_equal(run_program((char *[]){fuzz, "--fuzz-target=generic-fuzz-uart", "--reproduce",
                                            "/nonexistent/crash", NULL},
                                 NULL, &out),
                     2);
    g_free(out);
    assert_int_equal(
        run_program((char *[]){fuzz, "--fuzz-target=generic-fuzz-uart", "--reproduce", NULL}, NULL,
                    &out),
        2);
    g_free(out);
    g_free(seed);
    g_free(fuzz);
    g_free(dir);
}

/*
 * A hang through tern-fuzz itself: the qtest target arming the CLINT's
 * timer twice with a work budget of one timer callback.  Reproduced,
 * saved, and the same input again is a duplicate of it.
 */
static void test_program_hang_saved_and_deduplicated(void **state)
{
    static const char hang[] = "writeq 0x2004000 0x10\nclock_step\n"
                               "writeq 0x2004000 0x20\nclock_step\n";
    char *fuzz = g_build_filename(getenv("TERN_BUILD_ROOT"), "tern-fuzz", NULL);
    char *dir = g_dir_make_tmp("tern-repro-XXXXXX", NULL);
    char *input = g_build_filename(dir, "crash-clint", NULL);
    char *out_dir = g_build_filename(dir, "out", NULL);
    char *out, *trace_path, *trace, *saved, *line;
    GDir *d;
    const char *name;

    assert_true(g_file_set_contents(input, hang, strlen(hang), NULL));
    assert_int_equal(run_program((char *[]){fuzz, "--fuzz-target=qtest", "--reproduce", input,
                                            "--out", out_dir, NULL},
                                 "TERN_FUZZ_WORK_BUDGET=1", &out),
                     0);
    assert_non_null(strstr(out, "/crash-clint reproduced a crash: hang\n"));
    assert_non_null(strstr(out, "\nsignature: fuzz/fuzz.c:fuzz_run_or_crash: hang: "));
    assert_non_null(strstr(out, "\nreplay on: tern-system-riscv64 -M virt -accel qtest "));
    line = strstr(out, "tern-fuzz: saved in ");
    assert_non_null(line);
    saved = g_strndup(line + strlen("tern-fuzz: saved in "),
                      strcspn(line + strlen("tern-fuzz: saved in "), "\n"));
    assert_true(g_str_has_prefix(saved, out_dir));
    trace_path = g_build_filename(saved, "trace", NULL);
    assert_true(g_file_get_contents(trace_path, &trace, NULL, NULL));
    /* The qtest target's trace is its input. */
    assert_string_equal(trace, hang);
    g_free(out);
    assert_int_equal(run_program((char *[]){fuzz, "--fuzz-target=qtest", "--reproduce", input,
                                            "--out", out_dir, NULL},
                                 "TERN_FUZZ_WORK_BUDGET=1", &out),
                     0);
    assert_non_null(strstr(out, "tern-fuzz: a duplicate, noted in "));
    assert_non_null(strstr(out, saved));
    g_free(out);

    d = g_dir_open(saved, 0, NULL);
    assert_non_null(d);
    while ((name = g_dir_read_name(d))) {
        char *f = g_build_filename(saved, name, NULL);
        g_unlink(f);
        g_free(f);
    }
    g_dir_close(d);
    assert_int_equal(g_rmdir(saved), 0);
    assert_int_equal(g_rmdir(out_dir), 0);
    g_unlink(input);
    assert_int_equal(g_rmdir(dir), 0);
    g_free(trace);
    g_free(trace_path);
    g_free(saved);
    g_free(out_dir);
    g_free(input);
    g_free(dir);
    g_free(fuzz);
}

static void test_program_hang(void **state)
{
    static const uint8_t hang[] = {0, 0x41, 4, 0};
    char *dir = g_dir_make_tmp("tern-repro-XXXXXX", NULL);
    char *input = g_build_filename(dir, "crash-1", NULL);
    char *saved, *out, *line, *nl;

    assert_true(g_file_set_contents(input, (const char *)hang, sizeof(hang), NULL));
    /* The command line's path (fuzz_cli_start), in a program whose target hangs on purpose. */
    assert_int_equal(run_program((char *[]){self, "--fuzz-target=test-repro", "--reproduce", input,
                                            "--out", dir, NULL},
                                 "TERN_FUZZ_WORK_BUDGET=2000", &out),
                     0);
    assert_non_null(strstr(out, "crash-1 reproduced a crash: hang\nsignature: "));
    assert_non_null(strstr(out, "replay on: tern-system-riscv64 " REPRO_ARGS " -qtest stdio\n"));
    assert_non_null(strstr(out, "==== tern-fuzz reproducer: target test-repro ====\n"));
    assert_non_null(strstr(out, "writeb 0x10000007 0x41\nclock_step 1000000000\nEOF\n"));
    line = strstr(out, "tern-fuzz: saved in ");
    assert_non_null(line);
    line += strlen("tern-fuzz: saved in ");
    nl = strchr(line, '\n');
    assert_non_null(nl);
    saved = g_strndup(line, (gsize)(nl - line));
    assert_true(g_str_has_prefix(saved, dir));
    {
        static const char *const files[] = {"input",    "trace",        "cmdline",
                                            "repro.sh", "repro-test.c", "report.txt"};
        for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
            char *f = g_build_filename(saved, files[i], NULL);
            assert_true(g_file_test(f, G_FILE_TEST_IS_REGULAR));
            g_unlink(f);
            g_free(f);
        }
    }
    assert_int_equal(g_rmdir(saved), 0);
    g_unlink(input);
    assert_int_equal(g_rmdir(dir), 0);
    g_free(saved);
    g_free(out);
    g_free(input);
    g_free(dir);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_sanitizer),
        cmocka_unit_test(test_classify_tern_and_ubsan),
        cmocka_unit_test(test_wild_write_keeps_the_trace),
        cmocka_unit_test(test_hang_and_dedup),
        cmocka_unit_test(test_clean_input),
        cmocka_unit_test(test_program),
        cmocka_unit_test(test_program_hang),
        cmocka_unit_test(test_program_hang_saved_and_deduplicated),
    };

    int status = repro_targets_fuzz_main(argc, argv);

    if (status >= 0) {
        return status; /* run as a tern-fuzz of the test target */
    }
    self = g_file_read_link("/proc/self/exe", NULL);
    if (!self) {
        self = g_strdup(argv[0]);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(crash_signals); i++) {
        sigaction(crash_signals[i], NULL, &start_handlers[i]);
    }
    status = cmocka_run_group_tests(tests, NULL, NULL);
    g_free(self);
    return status;
}
