/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-diff.h - tern-fuzz --diff QEMU --fuzz-target=generic-fuzz-X INPUT...:
 * every input becomes its qtest trace on Tern (clock commands dropped:
 * Debian's QEMU has no qtest accelerator to answer them), the trace's
 * requests run on QEMU (-S, the target's arguments without accel=qtest),
 * and the first reply that differs is reported with the trace.  Documented
 * deliberate differences are filtered by the rules of fuzz/diff-rules.txt,
 * which match requests by Tern's memory region or an address range, never
 * by trace line (docs/fuzzing.md, "Differential mode").
 */
#ifndef TERN_FUZZ_DIFF_H
#define TERN_FUZZ_DIFF_H

#include <stdio.h>

#include "fuzz/fuzz.h"

typedef enum {
    FUZZ_DIFF_REPLY, /* the replies may differ; the comparison goes on */
    FUZZ_DIFF_END,   /* QEMU may end the run here; the comparison of this input stops */
} FuzzDiffAction;

typedef struct FuzzDiffRule {
    char *commands;  /* a glob on the request's first word: read*, write*, writel */
    char *region;    /* a glob on Tern's memory region name at the address, or NULL */
    uint64_t lo, hi; /* addresses (no region) or offsets in the region, inclusive */
    FuzzDiffAction action;
    char *reason;
    unsigned line; /* in the rule file */
} FuzzDiffRule;

/*
 * Parses rules, one a line: COMMANDS WHERE ACTION REASON...  WHERE is
 * region=GLOB, region=GLOB@LO-HI (offsets in it) or addr=LO-HI; ACTION is
 * reply or end; '#' starts a comment line.  name is for messages.  Returns
 * the rules (free with g_ptr_array_unref) or NULL with *errp naming the line.
 */
GPtrArray *fuzz_diff_rules_parse(const char *text, const char *name, Error **errp);
GPtrArray *fuzz_diff_rules_load(const char *path, Error **errp);
/*
 * The first rule matching a request whose address lies in region at offset
 * (region NULL: no region there), or NULL.
 */
const FuzzDiffRule *fuzz_diff_rules_match(GPtrArray *rules, const char *request, const char *region,
                                          uint64_t offset);

/* The QEMU command line for a target's arguments: accel=qtest dropped, -S -qtest stdio added. */
GPtrArray *fuzz_diff_qemu_argv(const char *qemu, const char *target_args, Error **errp);

typedef struct FuzzDiffStats {
    unsigned inputs;
    unsigned requests;   /* compared */
    unsigned documented; /* differing replies a rule explains */
    unsigned ended;      /* inputs QEMU ended where a rule says it may */
    unsigned differing;  /* inputs with an undocumented difference */
} FuzzDiffStats;

/*
 * Runs every input on the running target t and on qemu, reporting to out.
 * Returns 0 when no input showed an undocumented difference, 1 when one
 * did, 2 on an error (QEMU cannot be started; *errp says why).
 */
int fuzz_diff_run(const char *qemu, GPtrArray *rules, char **inputs, unsigned timeout_s, FILE *out,
                  FuzzDiffStats *stats, Error **errp);

/*
 * The command line's share: with --diff QEMU among argv, starts t, runs
 * the inputs (files or directories), and returns true with the exit
 * status in *status; false when there is no --diff.
 */
bool fuzz_diff_command(FuzzTarget *t, int argc, char **argv, int *status);

#endif
