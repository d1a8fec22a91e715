/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-main.c - main() of tern-fuzz.
 *
 * The fuzz framework and its targets (fuzz_target_init) are the fuzzing
 * issue's.  Until then the program builds and links the whole core, with
 * libFuzzer when configured with -Dfuzzing=true, and says plainly that it
 * has no target.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/module.h"
#include "core/tern.h"

#ifdef TERN_LIBFUZZER
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's initialiser runs in main's place: exiting here is exiting from main. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    module_call_init(MODULE_INIT_FUZZ_TARGET);
    fprintf(stderr, "tern-fuzz: no fuzz target is part of this build yet\n");
    exit(2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return 0; /* never reached: LLVMFuzzerInitialize exits */
}
#else
int main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-version"))) {
        printf("tern-fuzz %s\n", TERN_VERSION);
        return 0;
    }
    module_call_init(MODULE_INIT_FUZZ_TARGET);
    fprintf(stderr, "tern-fuzz: no fuzz target is part of this build yet\n");
    return 2;
}
#endif
