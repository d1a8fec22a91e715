/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accel-interp.c - the "interp" accelerator: harts run on the interpreter.
 *
 * Until the hart interpreter lands (its own issue) there is no hart to run,
 * so cpu_run is absent and the main loop, with every hart idle, warps the
 * virtual clock from one timer deadline to the next (docs/ARCHITECTURE.md).
 */
#include "core/accel.h"
#include "core/module.h"

static const AccelOps interp_ops = {
    .name = "interp",
    .desc = "interpreter: runs guest code; virtual time advances with it (default)",
    .warp_virtual = true,
};

static void interp_register(void)
{
    accel_register(&interp_ops);
}

type_init(interp_register)
