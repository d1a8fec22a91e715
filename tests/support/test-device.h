/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-device.h - see test-device.c.
 */
#ifndef TERN_TEST_DEVICE_H
#define TERN_TEST_DEVICE_H

#include "core/qdev.h"

#define TYPE_TEST_DEVICE      "test-device"
#define TEST_DEVICE_MAX_LEVEL 100

typedef struct TestDevice {
    DeviceState parent_obj;
    uint32_t level;
    bool flag;
    char *label;
    uint64_t buffer_size;
    unsigned realize_count;
    unsigned reset_count;
} TestDevice;

#define TEST_DEVICE(obj) OBJECT_CHECK(TestDevice, (obj), TYPE_TEST_DEVICE)

/*
 * test-device.o registers the type from a constructor and sits in the
 * support library, where the linker takes only the objects a program
 * refers to: every program that includes this header refers to it (many
 * name the type only as a string on a command line).
 */
extern const int test_device_linked;
static const int *const test_device_anchor __attribute__((used)) = &test_device_linked;

#endif
