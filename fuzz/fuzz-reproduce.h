/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-reproduce.h - tern-fuzz --reproduce CRASH-FILE [--out DIR]: runs one
 * input in a forked child with the trace recorded (serialized, so a
 * QTEST_LOG shows it) and streamed to the parent as it is made, then
 * prints what kind of crash it was, a signature that deduplicates it, the
 * command line to replay on, the trace, a bash one-liner and a cmocka test
 * (docs/fuzzing.md, "Reproducing a crash").
 */
#ifndef TERN_FUZZ_REPRODUCE_H
#define TERN_FUZZ_REPRODUCE_H

#include <stdio.h>

#include "fuzz/fuzz.h"

/* What a child's end and its stderr say about a crash. */
typedef struct FuzzCrash {
    bool crashed;
    char *kind;      /* "AddressSanitizer: SEGV", "hang", "failed check", "signal 11 (...)" */
    char *signature; /* the top 3 frames outside the framework, or the normalized message */
    char *message;   /* the report's key line */
} FuzzCrash;

/*
 * Classifies a child's end: wait_status as waitpid() gives it, err its
 * stderr.  A sanitizer report gives the kind from its "ERROR:" (or UBSan's
 * "runtime error:") line and the signature from the first stack's top three
 * frames not in sanitizer, libc or fuzz framework files ("FUNC FILE:LINE",
 * the file below the source tree); Tern's "tern: ERROR:" line (a hang, a
 * failed check, an assertion) gives both, as file, function and message
 * with numbers replaced by N, so that the same hang at another virtual
 * time is the same crash.
 */
void fuzz_crash_classify(FuzzCrash *c, int wait_status, const char *err);
void fuzz_crash_clear(FuzzCrash *c);
/* The signature's hash, 12 hex digits: the --out directory's suffix. */
char *fuzz_crash_hash(const FuzzCrash *c);

typedef struct FuzzReproduction {
    FuzzCrash crash;
    char *args;       /* the machine's arguments (the replay command line's) */
    GString *trace;   /* request lines */
    GString *replies; /* requests each followed by its reply, as fuzz_trace_transcript() */
    GString *err;     /* the child's stderr */
    char *dir;        /* with an out directory: where it was written */
    bool duplicate;   /* that directory held this signature already */
} FuzzReproduction;

/*
 * Runs data on t in a forked child (t must not be running here) and fills
 * r.  A child still running after timeout_s seconds of wall time is killed
 * (a loop the work budget cannot see).  With out_dir, a crash is saved in
 * out_dir/<target>-<hash>/ (input, trace, cmdline, repro.sh, repro-test.c,
 * report.txt); a second input with the same signature adds its input there
 * as input-<sha1 prefix> and a line to duplicates.txt.  The report goes to
 * out (NULL: none).  Returns 0 when it crashed, 1 when it ran clean, 2 on
 * an error (then *errp says why).
 */
int fuzz_reproduce(FuzzTarget *t, const uint8_t *data, size_t size, const char *input_name,
                   const char *out_dir, unsigned timeout_s, FILE *out, FuzzReproduction *r,
                   Error **errp);
void fuzz_reproduction_clear(FuzzReproduction *r);

/*
 * The command line's share: with --reproduce FILE among argv, runs it
 * (--out DIR optional), prints the report on stdout, and returns true with
 * the exit status in *status; false when there is no --reproduce.
 */
bool fuzz_reproduce_command(FuzzTarget *t, int argc, char **argv, int *status);

#endif
