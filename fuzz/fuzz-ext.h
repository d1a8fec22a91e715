/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-ext.h - what the runner (fuzz.c) offers beyond fuzz.h to the commands
 * built on it: --reproduce streams the trace out of a child as it is
 * recorded (a sanitizer abort mid-input keeps every line made so far),
 * --diff runs inputs without clock commands (QEMU has no qtest accelerator
 * to answer them), and both write the reproducer's parts separately.
 * Kept apart from fuzz.h, whose API the targets use.
 */
#ifndef TERN_FUZZ_EXT_H
#define TERN_FUZZ_EXT_H

#include <stdbool.h>
#include <stdio.h>

/* Sees every line as fuzz_trace_add() records it (reply NULL: none). */
typedef void FuzzTraceSink(const char *request, const char *reply, void *opaque);
void fuzz_trace_set_sink(FuzzTraceSink *sink, void *opaque);

/*
 * Off: fuzz_clock_step() and fuzz_clock_step_next() do nothing and record
 * nothing (the virtual clock stays where the snapshot has it).  On by
 * default; fuzz_stop() puts it back on.
 */
void fuzz_set_clock_enabled(bool on);

/* The running target's machine arguments, argv[0] left out (NULL: none). */
const char *fuzz_target_args(void);

/* The parts of a reproducer, as fuzz_format_reproducer() writes them. */
enum {
    FUZZ_REPRO_HEADER = 1,  /* the "====" frame, why, and the comments between parts */
    FUZZ_REPRO_CMDLINE = 2, /* "tern-system-riscv64 ARGS -qtest stdio" alone on a line */
    FUZZ_REPRO_BASH = 4,    /* cat << EOF | ... trace ... EOF */
    FUZZ_REPRO_CTEST = 8,   /* the cmocka test */
    FUZZ_REPRO_ALL = FUZZ_REPRO_HEADER | FUZZ_REPRO_BASH | FUZZ_REPRO_CTEST,
};

/*
 * Writes the chosen parts for a trace (request lines) recorded on target
 * with args; fuzz_write_reproducer() is this with the current input's.
 */
void fuzz_format_reproducer(FILE *out, unsigned parts, const char *target, const char *why,
                            const char *args, const char *trace);

#endif
