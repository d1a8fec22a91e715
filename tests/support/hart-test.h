/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hart-test.h - one hart alone, in-process, for the tests of cpu/'s parts
 * (CSRs, traps, PMP, mip): created under the object root as "hart",
 * realized and reset.  No board: no memory behind it, no devices.
 */
#ifndef TERN_TEST_HART_TEST_H
#define TERN_TEST_HART_TEST_H

#include "cpu/hart.h"

/* A realized, reset hart at /hart (fails the test if it cannot be made). */
RVHart *hart_test_new(void);
/* Frees it (and anything else under the object root). */
void hart_test_free(void);

#endif
