/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phase.h - the machine's start-up phases, in the strict order of
 * docs/ARCHITECTURE.md.  phase_advance() moves exactly one step; code that
 * needs the machine to be in a phase checks it with phase_check().
 */
#ifndef TERN_PHASE_H
#define TERN_PHASE_H

#include <stdbool.h>

typedef enum {
    PHASE_NO_MACHINE,            /* options parsed, no machine object yet */
    PHASE_MACHINE_CREATED,       /* machine object exists, properties set */
    PHASE_ACCEL_CREATED,         /* accelerator configured */
    PHASE_LATE_BACKENDS_CREATED, /* qtest server, monitors */
    PHASE_MACHINE_INITIALIZED,   /* board init done: harts, RAM, devices */
    PHASE_MACHINE_READY,         /* images loaded, reset done */
    PHASE__MAX
} MachineInitPhase;

/* True when the current phase is at or past phase. */
bool phase_check(MachineInitPhase phase);
MachineInitPhase phase_get(void);
/* Moves to phase, which must be the next one (a programming error otherwise). */
void phase_advance(MachineInitPhase phase);
const char *phase_name(MachineInitPhase phase);
/* Back to PHASE_NO_MACHINE; only tern_cleanup() calls it. */
void phase_reset(void);

#endif
