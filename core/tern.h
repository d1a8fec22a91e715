/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tern.h - the public entry points of the emulator core.
 *
 * A program calls tern_init() with its command line, runs tern_main_loop()
 * when asked to, and always calls tern_cleanup().  The three may run again in
 * the same process (the fuzzers and tests do so thousands of times).  Nothing
 * here exits the process.
 */
#ifndef TERN_H
#define TERN_H

#include "core/error.h"

typedef enum {
    TERN_INIT_ERROR = -1, /* *errp is set; main reports it and exits 1 */
    TERN_INIT_RUN = 0,    /* machine ready: run tern_main_loop() */
    TERN_INIT_DONE = 1,   /* nothing to run (help, version, dumpdtb, a signal): exit 0 */
} TernInitResult;

/*
 * A shutdown signal (runstate_request_shutdown_from_signal) that interrupts
 * start-up - a server waiting for its first client, an output FIFO waiting
 * for its reader - ends it as a shutdown: the error is dropped, QEMU's line
 * "tern: terminating on signal N from pid P (NAME)" is printed (not under
 * -qtest) and TERN_INIT_DONE returned.
 */
TernInitResult tern_init(int argc, char **argv, Error **errp);

/*
 * Runs until a shutdown is requested; returns the process exit status.  A
 * run ended by a signal prints the line above first.
 */
int tern_main_loop(void);

/* Frees everything tern_init() and the run created.  Safe to call twice. */
void tern_cleanup(void);

#endif
