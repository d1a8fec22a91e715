/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec.c - PLACEHOLDER: the fetch loop lands next. */
#include "cpu/cpu.h"
#include "core/timer.h"

unsigned rv_icount_shift = 3;

uint64_t rv_cpu_exec(CPURVState *env, uint64_t budget)
{
    (void)env;
    (void)budget;
    return 0;
}

void rv_clock_sync(CPURVState *env)
{
    int64_t t = env->slice_t0 + (int64_t)((env->insns - env->slice_n0) << rv_icount_shift);

    if (t > clock_get_ns(CLOCK_VIRTUAL)) {
        clock_advance_virtual_to(t);
    }
}
