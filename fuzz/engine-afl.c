/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine-afl.c - main() of tern-fuzz with AFL++ (-Dfuzzing=true
 * -Dfuzz_engine=afl, built by afl-clang-fast or afl-clang-lto): persistent
 * mode with test cases in shared memory.  The target is selected and
 * started before the fork server (__AFL_INIT): fuzz_start() builds the
 * machine, runs pre_fuzz and takes the snapshot, so that happens once in
 * the fork server's parent rather than once per forked child; every input
 * then goes through the runner, which resets the machine by snapshot, so
 * one child runs many inputs with no state carried from one to the next.
 *
 * Outside afl-fuzz the same binary runs the files and directories it is
 * given, or one input read from stdin (afl-fuzz's "@@"-less convention), so
 * that a crash file from afl-fuzz's crashes/ directory replays with
 * "tern-fuzz --fuzz-target=T < CRASH" or "tern-fuzz --fuzz-target=T CRASH".
 * Compiled by a compiler without AFL++'s macros (meson refuses that
 * configuration; the fallback keeps the file buildable for other uses), it
 * does only that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/tern.h"
#include "fuzz/fuzz-cli.h"

/* Inputs per forked child before afl-fuzz forks a fresh one. */
#define AFL_PERSISTENT_RUNS 100000

#ifdef __AFL_HAVE_MANUAL_CONTROL
__AFL_FUZZ_INIT();
#endif

#ifndef __AFL_HAVE_MANUAL_CONTROL
/* No AFL++: one input from stdin. */
static int run_stdin(void)
{
    GByteArray *in = g_byte_array_new();
    uint8_t buf[65536];
    size_t n;

    while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
        g_byte_array_append(in, buf, (guint)n);
    }
    if (ferror(stdin)) {
        fprintf(stderr, "tern-fuzz: cannot read the input from stdin\n");
        g_byte_array_free(in, TRUE);
        return 1;
    }
    fuzz_run_or_crash(in->data, in->len);
    g_byte_array_free(in, TRUE);
    return 0;
}
#endif

int main(int argc, char **argv)
{
    FuzzTarget *t;
    int status;

    if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-version"))) {
        printf("tern-fuzz %s (AFL++)\n", TERN_VERSION);
        return 0;
    }
    t = fuzz_cli_start(argc, argv, &status);
    if (!t) {
        return status;
    }
    status = fuzz_cli_run_files(argc, argv, t);
    if (status >= 0) {
        fuzz_stop();
        return status;
    }
#ifdef __AFL_HAVE_MANUAL_CONTROL
    __AFL_INIT();
    {
        /* In shared memory under afl-fuzz; outside it, read from stdin once. */
        const uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;

        while (__AFL_LOOP(AFL_PERSISTENT_RUNS)) {
            fuzz_run_or_crash(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
        }
    }
    status = 0;
#else
    status = run_stdin();
#endif
    fuzz_stop();
    return status;
}
