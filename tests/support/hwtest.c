/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hwtest.c - see hwtest.h.
 */
#include "tests/support/hwtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <string.h>

static void hwtest_irq_handler(void *opaque, int n, int level)
{
    HwTest *t = opaque;

    t->irq_level[n] = level;
    t->irq_changes[n]++;
}

HwTest *hwtest_new(void)
{
    HwTest *t = g_new0(HwTest, 1);

    clock_reset();
    memory_region_init(&t->root, NULL, "system", UINT64_MAX);
    memory_system_init(&t->root);
    for (int i = 0; i < HWTEST_MAX_IRQ; i++) {
        t->irq_in[i] = qemu_allocate_irq(hwtest_irq_handler, t, i);
    }
    return t;
}

DeviceState *hwtest_create(HwTest *t, const char *type)
{
    t->dev = qdev_new(type);
    object_property_add_child(object_get_root(), "dut", OBJECT(t->dev));
    object_unref(OBJECT(t->dev));
    return t->dev;
}

void hwtest_set_prop(DeviceState *dev, const char *name, const char *value)
{
    Error *err = NULL;

    if (!object_property_parse(OBJECT(dev), name, value, &err)) {
        fail_msg("%s=%s: %s", name, value, error_get_pretty(err));
    }
}

void hwtest_realize_at(HwTest *t, hwaddr addr)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(t->dev);

    if (!qdev_realize(t->dev, NULL)) {
        fail_msg("hwtest: realize of %s failed", object_get_typename(OBJECT(t->dev)));
    }
    if (sbd->num_mmio) {
        sysbus_mmio_map(sbd, 0, addr);
    }
    for (int i = 0; i < sbd->num_irq && i < HWTEST_MAX_IRQ; i++) {
        sysbus_connect_irq(sbd, i, t->irq_in[i]);
    }
}

void hwtest_set_props_v(DeviceState *dev, va_list ap)
{
    const char *name;

    while ((name = va_arg(ap, const char *))) {
        hwtest_set_prop(dev, name, va_arg(ap, const char *));
    }
}

void hwtest_ready(HwTest *t, hwaddr addr, unsigned gpio_outs)
{
    hwtest_realize_at(t, addr);
    for (unsigned i = 0; i < gpio_outs && i < HWTEST_MAX_IRQ; i++) {
        qdev_connect_gpio_out(t->dev, (int)i, t->irq_in[i]);
    }
    device_cold_reset(t->dev);
    memset(t->irq_changes, 0, sizeof(t->irq_changes));
}

HwTest *hwtest_start(const char *type, hwaddr addr, unsigned gpio_outs, ...)
{
    HwTest *t = hwtest_new();
    va_list ap;

    hwtest_create(t, type);
    va_start(ap, gpio_outs);
    hwtest_set_props_v(t->dev, ap);
    va_end(ap);
    hwtest_ready(t, addr, gpio_outs);
    return t;
}

HwTest *hwtest_realize_fails(const char *type, const char *prop, const char *value)
{
    HwTest *t = hwtest_new();
    Error *err = NULL;

    hwtest_create(t, type);
    hwtest_set_prop(t->dev, prop, value);
    assert_false(qdev_realize(t->dev, &err));
    assert_non_null(err);
    error_free(err);
    return t;
}

void hwtest_free(HwTest *t)
{
    object_root_cleanup(); /* unrealizes and frees the device, unmapping it */
    memory_system_cleanup();
    memory_region_finalize(&t->root);
    for (int i = 0; i < HWTEST_MAX_IRQ; i++) {
        qemu_free_irq(t->irq_in[i]);
    }
    clock_reset();
    g_free(t);
}

uint64_t hwtest_read(hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    address_space_ld(address_space_memory(), addr, size, &v);
    return v;
}

void hwtest_write(hwaddr addr, unsigned size, uint64_t v)
{
    address_space_st(address_space_memory(), addr, size, v);
}

void hwtest_assert_ignored_widths(hwaddr addr, unsigned size, unsigned ignored)
{
    uint64_t before = hwtest_read(addr, size), after, got;

    for (unsigned width = 1; width <= 8; width *= 2) {
        if (!(ignored & width)) {
            continue;
        }
        got = hwtest_read(addr, width);
        if (got) {
            fail_msg("%u-byte read at 0x%" HWADDR_PRIx " gave 0x%" PRIx64 ", not 0", width, addr,
                     got);
        }
        hwtest_write(addr, width, ~before);
    }
    after = hwtest_read(addr, size);
    if (after != before) {
        fail_msg("ignored writes at 0x%" HWADDR_PRIx " changed it from 0x%" PRIx64 " to 0x%" PRIx64,
                 addr, before, after);
    }
}

void hwtest_clock_step(int64_t ns)
{
    clock_step_virtual(ns);
}
