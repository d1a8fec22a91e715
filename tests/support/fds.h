/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fds.h - this process's open file descriptors, counted, so that a test can
 * check that a run (tern_init/tern_cleanup cycles, a fuzz target's inputs)
 * gave back every descriptor it opened.  Part of the test support library.
 */
#ifndef TERN_TEST_FDS_H
#define TERN_TEST_FDS_H

/* How many descriptors are open now (/proc/self/fd); the test fails if it cannot tell. */
unsigned fds_open_count(void);

#endif
