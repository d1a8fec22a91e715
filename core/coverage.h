/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * coverage.h - coverage intent written in the code, so that a coverage report
 * can tell a branch no test reached from one that cannot be reached.
 *
 *   testcase(X)  X is a condition tests must see both ways (a boundary, a
 *                rare error).  In a coverage build (-Db_coverage=true defines
 *                TERN_COVERAGE) it becomes a branch of its own, so the report
 *                shows whether X was ever true; elsewhere it is nothing and X
 *                is not evaluated.
 *   ALWAYS(X)    X is believed always true; the code still handles false
 *                (defensive).  Coverage build: the constant 1, so the
 *                defensive path does not count as untested.  Debug build
 *                (asserts on): asserts X, so tests and fuzzers find the bug.
 *                Release (NDEBUG): X itself.
 *   NEVER(X)     the same for a condition believed never true.
 *
 * Only for conditions that are bugs in Tern when they happen: anything a
 * user, a guest or a host file can cause is an Error or a documented guest
 * result, never an ALWAYS/NEVER.
 */
#ifndef TERN_COVERAGE_H
#define TERN_COVERAGE_H

#include <assert.h>

#ifdef TERN_COVERAGE
/* Sums line numbers so that the compiler cannot drop the branch. */
extern unsigned tern_coverage_counter;
#define testcase(X)                                                                                \
    do {                                                                                           \
        if (X) {                                                                                   \
            tern_coverage_counter += __LINE__;                                                     \
        }                                                                                          \
    } while (0)
/* sizeof: X is named (no unused warnings) but never evaluated. */
#define ALWAYS(X) ((void)sizeof(!(X)), 1)
#define NEVER(X)  ((void)sizeof(!(X)), 0)
#elif !defined(NDEBUG)
#define testcase(X) ((void)sizeof(!(X)))
#define ALWAYS(X)   ((X) ? 1 : (assert(!"ALWAYS(" #X ") failed"), 0))
#define NEVER(X)    ((X) ? (assert(!"NEVER(" #X ") failed"), 1) : 0)
#else
#define testcase(X) ((void)sizeof(!(X)))
#define ALWAYS(X)   (X)
#define NEVER(X)    (X)
#endif

#endif
