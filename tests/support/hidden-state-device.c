/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hidden-state-device.c - a device for snapshot tests that keeps state
 * outside its state table (the mistake the snapshot check mode exists to
 * catch): "counter" is listed, "hidden" is not, and both change together.
 * User-creatable (-device hidden-state-device,id=ID); only tests link it.
 * Beside it, "malformed-state-device", whose table has overlapping fields.
 *
 * Helper code, not a test: its assertions live in tests/unit/test-snapshot.c, which creates both types.
 */
#include "tests/support/hidden-state-device.h"

#include "core/module.h"
#include "core/vmstate.h"

void hidden_state_device_kick(HiddenStateDevice *d)
{
    d->counter++;
    d->hidden += 7;
}

static const VMStateField hidden_state_device_fields[] = {
    VMSTATE_UINT32(counter, HiddenStateDevice),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription hidden_state_device_vmstate = {
    .name = TYPE_HIDDEN_STATE_DEVICE,
    .fields = hidden_state_device_fields,
};

static void hidden_state_device_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "device with state outside its table (snapshot tests)";
    dc->user_creatable = true;
    dc->vmsd = &hidden_state_device_vmstate;
}

static const TypeInfo hidden_state_device_info = {
    .name = TYPE_HIDDEN_STATE_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(HiddenStateDevice),
    .class_init = hidden_state_device_class_init,
};

/* A second type whose table is malformed (two fields over the same bytes). */
static const VMStateField malformed_state_device_fields[] = {
    VMSTATE_UINT32(counter, HiddenStateDevice),
    {.name = "counter-again", .offset = offsetof(HiddenStateDevice, counter), .size = 2},
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription malformed_state_device_vmstate = {
    .name = TYPE_MALFORMED_STATE_DEVICE,
    .fields = malformed_state_device_fields,
};

static void malformed_state_device_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "device with a malformed state table (snapshot tests)";
    dc->user_creatable = true;
    dc->vmsd = &malformed_state_device_vmstate;
}

static const TypeInfo malformed_state_device_info = {
    .name = TYPE_MALFORMED_STATE_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(HiddenStateDevice),
    .class_init = malformed_state_device_class_init,
};

static void hidden_state_device_register(void)
{
    type_register_static(&hidden_state_device_info);
    type_register_static(&malformed_state_device_info);
}

type_init(hidden_state_device_register)
