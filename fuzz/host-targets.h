/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host-targets.h - what the host-input fuzz targets (options, config,
 * image: options-fuzz.c; qtest, qmp: qtest-fuzz.c) let a test see of the
 * last input: the sandbox's verdict, tern_init()'s outcome and error, the
 * replies.  The targets themselves need none of it; tests/fuzz uses it to
 * check determinism and the sandbox rules.  docs/fuzzing.md describes the
 * targets, their input formats and the sandbox.
 */
#ifndef TERN_FUZZ_HOST_TARGETS_H
#define TERN_FUZZ_HOST_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    HOST_FUZZ_NONE,            /* no input run yet */
    HOST_FUZZ_SANDBOX_REFUSED, /* the sandbox refused the input: tern_init() did not run */
    HOST_FUZZ_INIT_ERROR,      /* tern_init() refused it with one safe line */
    HOST_FUZZ_INIT_RUN,        /* the machine was built (then torn down) */
    HOST_FUZZ_INIT_DONE,       /* help, version, dumpdtb: nothing to run */
} HostFuzzOutcomeKind;

typedef struct HostFuzzOutcome {
    HostFuzzOutcomeKind kind;
    /* The sandbox's reason, or tern_init()'s error; "" otherwise. */
    const char *text;
    /*
     * snapshot_digest() of the machine built (HOST_FUZZ_INIT_RUN), when
     * host_fuzz_set_digest(true); else "".
     */
    const char *digest;
} HostFuzzOutcome;

/* The outcome of the last options, config or image input. */
const HostFuzzOutcome *host_fuzz_last_outcome(void);
/* Also digest each machine built (costly; tests only). */
void host_fuzz_set_digest(bool on);
/*
 * The sandbox's check of one argument (or config section), as the
 * options and config targets apply it: NULL when allowed, else the reason.
 */
const char *host_fuzz_sandbox_check(const char *text, size_t len);
/* The private directory the host targets run in (NULL before the first start). */
const char *host_fuzz_sandbox_dir(void);

/*
 * One line that is safe to print: valid UTF-8 without C0 controls, DEL, C1
 * controls or U+2028/U+2029.  The empty string is one safe line.
 */
bool host_fuzz_is_one_safe_line(const char *s, size_t len);

/*
 * qtest and qmp: everything the server or monitor answered to the last
 * input (qtest: reply lines, each ending in '\n'; qmp: the monitor's
 * output as sent), kept when host_fuzz_set_keep_replies(true) (tests only:
 * it also digests the machine after every input).
 */
void host_fuzz_set_keep_replies(bool on);
const char *host_fuzz_last_replies(void);
/* With replies kept: snapshot_digest() of the machine at the end of the last input. */
const char *host_fuzz_last_machine_digest(void);

#endif
