/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-cli.h - what every tern-fuzz engine does with its command line
 * before fuzzing: pick the target (the executable's "-target-NAME" suffix,
 * else --fuzz-target=NAME), print the usage list or the target names, and
 * start the target.  The engines' mains (or libFuzzer's initialiser, which
 * runs in main's place) exit with the status these return.
 */
#ifndef TERN_FUZZ_CLI_H
#define TERN_FUZZ_CLI_H

#include <stdio.h>

#include "fuzz/fuzz.h"

/*
 * Registers the targets and handles the arguments every engine shares:
 * --list (names, one a line), no target (the usage list, status 0), an
 * unknown target or one that cannot start (a one-line error, status 1;
 * status 0 when the target declined after printing its usage).
 * Returns the started target; or NULL with the exit status in *status.
 * The arguments stay as they are: libFuzzer ignores those starting with
 * "--" and passes them on to the workers it spawns with -jobs.
 */
FuzzTarget *fuzz_cli_start(int argc, char **argv, int *status);
/* The usage list in the spec's shape (" * NAME  : description"). */
void fuzz_cli_usage(FILE *out, const char *argv0);

/*
 * The input files paths (NULL-terminated) name: a directory gives its
 * regular files in name order, anything else is taken as a file.  Free
 * the array with g_ptr_array_free(a, TRUE).
 */
GPtrArray *fuzz_cli_input_files(char **paths);
/*
 * Runs the inputs named in argv[1..] (arguments starting with '-' are not
 * inputs) through fuzz_run_or_crash() and ends with "tern-fuzz: T: ran N
 * inputs" on stderr.  Returns 0, 1 when a file cannot be read (one line
 * said so), or -1 when no input was named.
 */
int fuzz_cli_run_files(int argc, char **argv, FuzzTarget *t);

#endif
