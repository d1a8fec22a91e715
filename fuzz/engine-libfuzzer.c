/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine-libfuzzer.c - tern-fuzz with clang's libFuzzer (-Dfuzzing=true):
 * libFuzzer owns main(); its initialiser, which runs in main's place,
 * selects and starts the target, and every input goes through the runner.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz/fuzz-cli.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
                                 uint8_t *out, size_t max_out, unsigned int seed);

static FuzzTarget *target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int status;

    target = fuzz_cli_start(*argc, *argv, &status);
    if (!target) {
        exit(status); /* in main's place: usage, --list, or a target that cannot start */
    }
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
