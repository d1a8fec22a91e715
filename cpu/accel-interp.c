/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accel-interp.c - the "interp" accelerator (the default): runs the harts
 * on the interpreter, with virtual time following their instructions.
 *
 * Each call from the main loop gives every hart, in hart-id order, a quantum
 * of INTERP_QUANTUM instructions, cut into slices that end at the next
 * virtual deadline, so timers fire at the exact instruction whatever the
 * host does.  A hart in WFI is skipped; when all are, cpu_run reports idle
 * and the main loop warps the clock to the next deadline.  While replaying,
 * no hart runs past the instruction count at which the next recorded input
 * is due (core/replay.h).  Nothing here depends on host time.
 */
#include "core/accel.h"
#include "core/module.h"
#include "core/replay.h"
#include "core/runstate.h"
#include "core/timer.h"
#include "core/vl.h"
#include "cpu/hart.h"

/* Instructions a hart runs before the next one gets its turn (and the main loop polls). */
#define INTERP_QUANTUM 200000

/* Instructions executed by every hart since start-up: the record/replay layer's count. */
static uint64_t interp_icount(void)
{
    unsigned n;
    RVHart *const *harts = rv_hart_list(&n);
    uint64_t total = 0;

    for (unsigned i = 0; i < n; i++) {
        total += harts[i]->env.insns;
    }
    return total;
}

/* How many instructions may run before the next virtual deadline (at least 1). */
static uint64_t interp_slice_budget(uint64_t budget)
{
    int64_t deadline = clock_deadline_ns(CLOCK_VIRTUAL);

    if (deadline >= 0) {
        int64_t ahead = deadline - clock_get_ns(CLOCK_VIRTUAL);
        uint64_t insns = ahead <= 0 ? 1 : (((uint64_t)ahead - 1) >> rv_icount_shift) + 1;
        budget = insns < budget ? insns : budget;
    }
    return budget;
}

static bool interp_cpu_run(void *opaque)
{
    unsigned n;
    RVHart *const *harts = rv_hart_list(&n);
    bool busy = false;

    (void)opaque;
    for (unsigned i = 0; i < n; i++) {
        CPURVState *env = &harts[i]->env;
        uint64_t done = 0;

        while (done < INTERP_QUANTUM && !runstate_request_pending() && runstate_is_running()) {
            uint64_t budget = interp_slice_budget(INTERP_QUANTUM - done);
            uint64_t limit = replay_icount_limit(), ran;

            if (limit != UINT64_MAX) {
                uint64_t now = interp_icount();
                if (now >= limit) {
                    /* The next recorded input is due: the replayer delivers it. */
                    return true;
                }
                budget = limit - now < budget ? limit - now : budget;
            }
            ran = rv_cpu_exec(env, budget);
            done += ran;
            if (!ran) {
                break; /* waiting in WFI */
            }
            busy = true;
        }
        busy |= !env->wfi && done > 0;
        /*
         * Another hart runs next and may store to a reserved address: the
         * turn's end drops the reservation (an SC may fail for any reason;
         * a constrained LR/SC loop still succeeds within one turn).
         */
        if (n > 1) {
            env->res_valid = false;
        }
    }
    return busy;
}

static bool interp_init_machine(Error **errp)
{
    unsigned shift;

    (void)errp;
    rv_icount_shift = vl_icount_shift(&shift) ? shift : RV_ICOUNT_SHIFT_DEFAULT;
    replay_set_icount_source(interp_icount);
    return true;
}

static void interp_cleanup(void)
{
    replay_set_icount_source(NULL);
}

static const AccelOps interp_ops = {
    .name = "interp",
    .desc = "interpreter: runs guest code; virtual time advances with it (default)",
    .init_machine = interp_init_machine,
    .cpu_run = interp_cpu_run,
    .warp_virtual = true,
    .cleanup = interp_cleanup,
};

static void interp_register(void)
{
    accel_register(&interp_ops);
}

type_init(interp_register)
