/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine-libfuzzer.c - tern-fuzz with clang's libFuzzer (-Dfuzzing=true):
 * libFuzzer owns main(); its initialiser, which runs in main's place,
 * selects and starts the target, and every input goes through the runner.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "fuzz/fuzz-cli.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
                                 uint8_t *out, size_t max_out, unsigned int seed);

static FuzzTarget *target;

/*
 * libFuzzer writes crash files relative to the working directory at the
 * time of the crash, and the host-input targets run tern_init() inside a
 * private directory that is removed: without -artifact_prefix= the crash
 * file would be lost there.  The default becomes the directory tern-fuzz
 * started in (libFuzzer reads its flags after this initialiser).
 */
static void default_artifact_prefix(int *argc, char ***argv)
{
    char **args;
    char *cwd;

    for (int i = 1; i < *argc; i++) {
        if (g_str_has_prefix((*argv)[i], "-artifact_prefix=")) {
            return;
        }
    }
    cwd = g_get_current_dir();
    args = g_new0(char *, *argc + 2); /* kept for the process's life: libFuzzer reads it */
    memcpy(args, *argv, *argc * sizeof(char *));
    args[*argc] = g_strdup_printf("-artifact_prefix=%s/", cwd);
    g_free(cwd);
    *argv = args;
    (*argc)++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int status;

    target = fuzz_cli_start(*argc, *argv, &status);
    if (!target) {
        exit(status); /* in main's place: usage, --list, or a target that cannot start */
    }
    default_artifact_prefix(argc, argv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_run_or_crash(data, size);
    return 0;
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
                                 uint8_t *out, size_t max_out, unsigned int seed)
{
    return target && target->crossover ? target->crossover(d1, s1, d2, s2, out, max_out, seed) : 0;
}
