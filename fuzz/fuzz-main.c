/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-main.c - main() of tern-fuzz in a build without a fuzzing engine
 * (gcc, or clang without -Dfuzzing=true): it runs the input files and
 * directories it is given through the same runner the engines use, one
 * fuzz_run_or_crash() per input, as libFuzzer does when handed files.  The
 * gcc test suite drives every target through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tern.h"
#include "fuzz/fuzz-cli.h"

int main(int argc, char **argv)
{
    FuzzTarget *t;
    int status;

    if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-version"))) {
        printf("tern-fuzz %s\n", TERN_VERSION);
        return 0;
    }
    t = fuzz_cli_start(argc, argv, &status);
    if (!t) {
        return status;
    }
    status = fuzz_cli_run_files(argc, argv, t);
    if (status < 0) {
        fprintf(stderr, "tern-fuzz: this build has no fuzzing engine (configure with "
                        "-Dfuzzing=true): give it input files or directories to run\n");
        status = 1;
    }
    fuzz_stop();
    return status;
}
