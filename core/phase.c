/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phase.c - the start-up phase counter.  Holds no machine state itself.
 */
#include "core/phase.h"

#include <assert.h>

static MachineInitPhase current_phase = PHASE_NO_MACHINE;

static const char *const phase_names[PHASE__MAX] = {
    [PHASE_NO_MACHINE] = "no-machine",
    [PHASE_MACHINE_CREATED] = "machine-created",
    [PHASE_ACCEL_CREATED] = "accel-created",
    [PHASE_LATE_BACKENDS_CREATED] = "late-backends-created",
    [PHASE_MACHINE_INITIALIZED] = "machine-initialized",
    [PHASE_MACHINE_READY] = "machine-ready",
};

bool phase_check(MachineInitPhase phase)
{
    return current_phase >= phase;
}

MachineInitPhase phase_get(void)
{
    return current_phase;
}

void phase_advance(MachineInitPhase phase)
{
    assert(phase == current_phase + 1);
    current_phase = phase;
}

const char *phase_name(MachineInitPhase phase)
{
    return phase < PHASE__MAX ? phase_names[phase] : "invalid";
}

void phase_reset(void)
{
    current_phase = PHASE_NO_MACHINE;
}
