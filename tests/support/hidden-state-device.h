/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hidden-state-device.h - see hidden-state-device.c.
 */
#ifndef TERN_HIDDEN_STATE_DEVICE_H
#define TERN_HIDDEN_STATE_DEVICE_H

#include <stdint.h>

#include "core/qdev.h"

#define TYPE_HIDDEN_STATE_DEVICE    "hidden-state-device"
#define TYPE_MALFORMED_STATE_DEVICE "malformed-state-device"

typedef struct HiddenStateDevice {
    DeviceState parent_obj;
    uint32_t counter; /* in the state table */
    uint32_t hidden;  /* changed with counter, but not in the table: the bug it models */
} HiddenStateDevice;

#define HIDDEN_STATE_DEVICE(obj) OBJECT_CHECK(HiddenStateDevice, (obj), TYPE_HIDDEN_STATE_DEVICE)

/* What a register write would do: both members change. */
void hidden_state_device_kick(HiddenStateDevice *d);

#endif
