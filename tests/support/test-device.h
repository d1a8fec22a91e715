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

#endif
