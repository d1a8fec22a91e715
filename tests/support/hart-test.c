/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hart-test.c - one hart alone for the cpu/ unit tests (see hart-test.h). */
#include "tests/support/hart-test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/object.h"
#include "core/qdev.h"

RVHart *hart_test_new(void)
{
    DeviceState *dev = qdev_new(TYPE_RISCV_CPU_RV64);

    object_property_add_child(object_get_root(), "hart", OBJECT(dev));
    object_unref(OBJECT(dev));
    assert_true(qdev_realize(dev, NULL));
    device_cold_reset(dev);
    return RV_HART(dev);
}

void hart_test_free(void)
{
    object_root_cleanup();
}
