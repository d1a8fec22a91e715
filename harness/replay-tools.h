/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay-tools.h - what tern-replay does with one trace besides checking it:
 * shrink a failing one (minimize.c) and turn one into a cmocka test
 * (to-test.c).  Both return the process exit status and print their own
 * one-line errors.
 */
#ifndef TERN_REPLAY_TOOLS_H
#define TERN_REPLAY_TOOLS_H

/*
 * Shrinks the trace at path while replaying it fails with the same
 * signature; writes the result to out (NULL: PATH.min).
 */
int replay_minimize(const char *path, const char *args, const char *out);
/* Writes a cmocka test that replays the trace to out (NULL: stdout). */
int replay_to_test(const char *path, const char *args, const char *out);

#endif
