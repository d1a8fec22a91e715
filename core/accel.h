/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accel.h - accelerators: how (and whether) guest code runs.
 *
 * An accelerator is an ops struct registered at init time from the module
 * that implements it (cpu/ registers "interp", qtest/ registers "qtest").
 * core/ only keeps the registry and hands the chosen one to the main loop.
 */
#ifndef TERN_ACCEL_H
#define TERN_ACCEL_H

#include <stdbool.h>

#include "core/error.h"

typedef struct AccelOps {
    const char *name;
    const char *desc;
    /* Called at PHASE_MACHINE_CREATED -> PHASE_ACCEL_CREATED; may be NULL. */
    bool (*init_machine)(Error **errp);
    /* Runs harts for a slice; true while they have work.  NULL: no guest code runs. */
    bool (*cpu_run)(void *opaque);
    /* When harts idle, jump the virtual clock to its next deadline (see main-loop.h). */
    bool warp_virtual;
    /* Undoes init_machine; may be NULL. */
    void (*cleanup)(void);
} AccelOps;

/* Registers ops (from a type_init function).  Names are unique. */
void accel_register(const AccelOps *ops);
const AccelOps *accel_find(const char *name);
/* The configured accelerator, or NULL before PHASE_ACCEL_CREATED. */
const AccelOps *accel_current(void);
/* Makes name the current accelerator and runs its init_machine. */
bool accel_configure(const char *name, Error **errp);
/* Prints the registered accelerators, sorted by name, to stdout. */
void accel_print_help(void);
/* Runs the current accelerator's cleanup and forgets it. */
void accel_reset(void);

#endif
