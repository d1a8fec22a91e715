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
    TERN_INIT_DONE = 1,   /* nothing to run (help, version, dumpdtb): exit 0 */
} TernInitResult;

TernInitResult tern_init(int argc, char **argv, Error **errp);

/* Runs until a shutdown is requested; returns the process exit status. */
int tern_main_loop(void);

/* Frees everything tern_init() and the run created.  Safe to call twice. */
void tern_cleanup(void);

#endif
