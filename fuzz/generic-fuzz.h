/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * generic-fuzz.h - what the generic-fuzz targets (generic-fuzz.c) offer
 * beyond their FuzzTarget: the predefined configurations, its usage, and
 * the regions it fuzzes (for the tests and -runs=0 listings).  The input format and the rules are
 * ../shared/spec/fuzzing.md §4-§8; docs/fuzzing.md "generic-fuzz" has
 * Tern's presets.
 */
#ifndef TERN_FUZZ_GENERIC_FUZZ_H
#define TERN_FUZZ_GENERIC_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>

#include "core/error.h"
#include "fuzz/fuzz.h"

/* A predefined configuration: target "generic-fuzz-<name>". */
typedef struct GenericFuzzConfig {
    const char *name;        /* "uart" */
    const char *target;      /* "generic-fuzz-uart" */
    const char *args;        /* after "-M virt -bios none -nodefaults"; @DISK@: the zero image */
    const char *objects;     /* the globs, space-separated */
    const char *description; /* the usage line */
} GenericFuzzConfig;

/* The presets, in registration order; *n is their number. */
const GenericFuzzConfig *generic_fuzz_configs(size_t *n);

/*
 * generic-fuzz's own help: the environment variables and an example.
 * Plain generic-fuzz without TERN_FUZZ_OBJECTS (or QEMU_FUZZ_OBJECTS)
 * prints it and declines to start (fuzz_start_declined(): tern-fuzz exits
 * 0, as QEMU's does); objects that match no region fail fuzz_start.
 */
void generic_fuzz_usage(FILE *out);

/* A flat range the MMIO ops may choose (one per range: a split region counts several times). */
typedef struct GenericFuzzRange {
    uint64_t start;
    uint64_t size; /* 0: the whole 2^64 bytes */
    const char *name;
} GenericFuzzRange;
/*
 * The ranges of the current flat view the ops choose from, in ascending
 * order (empty before the first input).  Free with g_array_unref.
 */
GArray *generic_fuzz_ranges(void);

#endif
