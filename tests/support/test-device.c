/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-device.c - "test-device", a user-creatable device for the start-up
 * tests: it has one property of each common kind, a realize that can fail on
 * request, and counts its resets.  Linked only into test programs.
 *
 * Helper code, not a test: its assertions live in tests/unit/test-vl.c and test-init-cleanup.c, which create it.
 */
#include "tests/support/test-device.h"

#include "core/module.h"

const int test_device_linked = 1;

static void test_device_realize(DeviceState *dev, Error **errp)
{
    TestDevice *td = TEST_DEVICE(dev);

    if (td->level > TEST_DEVICE_MAX_LEVEL) {
        error_setg(errp, "level %u is above %u", td->level, TEST_DEVICE_MAX_LEVEL);
        return;
    }
    td->realize_count++;
}

static void test_device_reset(DeviceState *dev)
{
    TEST_DEVICE(dev)->reset_count++;
}

static const Property test_device_props[] = {
    DEFINE_PROP_UINT32("level", TestDevice, level, 3),
    DEFINE_PROP_BOOL("flag", TestDevice, flag, false),
    DEFINE_PROP_STRING("label", TestDevice, label),
    DEFINE_PROP_SIZE("buffer-size", TestDevice, buffer_size, 4096),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_device_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "device for start-up tests";
    dc->user_creatable = true;
    dc->realize = test_device_realize;
    dc->reset = test_device_reset;
    device_class_set_props(dc, test_device_props);
}

static const TypeInfo test_device_info = {
    .name = TYPE_TEST_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(TestDevice),
    .class_init = test_device_class_init,
};

static void test_device_register(void)
{
    type_register_static(&test_device_info);
}

type_init(test_device_register)
