/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdt-test.c - see fdt-test.h.
 */
#include "tests/support/fdt-test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>
#include <libfdt.h>

#include "hw/plic.h"
#include "hw/sysbus.h"

const void *fdt_test_prop(const void *fdt, const char *path, const char *prop, int *len)
{
    int off = fdt_path_offset(fdt, path);
    const void *p;
    int plen = 0;

    if (off < 0) {
        fail_msg("no node %s in the tree", path);
    }
    p = fdt_getprop(fdt, off, prop, &plen);
    if (!p) {
        fail_msg("no property %s in %s", prop, path);
    }
    if (len) {
        *len = plen;
    }
    return p;
}

uint32_t fdt_test_cell(const void *fdt, const char *path, const char *prop, int index)
{
    int len;
    const fdt32_t *p = fdt_test_prop(fdt, path, prop, &len);

    if (index < 0 || len < 4 * (index + 1)) {
        fail_msg("no cell %d in %s of %s (%d bytes)", index, prop, path, len);
    }
    return fdt32_to_cpu(p[index]);
}

void fdt_test_assert_cells(const void *fdt, const char *path, const char *prop,
                           const uint32_t *expect, int n)
{
    int len;
    const fdt32_t *p = fdt_test_prop(fdt, path, prop, &len);

    assert_int_equal(len, 4 * n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(fdt32_to_cpu(p[i]), expect[i]);
    }
}

void fdt_test_assert_bytes(const void *fdt, const char *path, const char *prop, const void *expect,
                           int len)
{
    int plen;
    const void *p = fdt_test_prop(fdt, path, prop, &plen);

    assert_int_equal(plen, len);
    assert_memory_equal(p, expect, len);
}

void fdt_test_assert_string(const void *fdt, const char *path, const char *prop, const char *expect)
{
    fdt_test_assert_bytes(fdt, path, prop, expect, (int)strlen(expect) + 1);
}

void fdt_test_assert_empty(const void *fdt, const char *path, const char *prop)
{
    int len;

    fdt_test_prop(fdt, path, prop, &len);
    assert_int_equal(len, 0);
}

void fdt_test_assert_reg(const void *fdt, const char *path, uint64_t base, uint64_t size)
{
    const uint32_t reg[] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                            (uint32_t)size};

    fdt_test_assert_cells(fdt, path, "reg", reg, 4);
}

void fdt_test_assert_interrupt(const void *fdt, const char *path, uint32_t source,
                               uint32_t parent_phandle)
{
    fdt_test_assert_cells(fdt, path, "interrupts", &source, 1);
    fdt_test_assert_cells(fdt, path, "interrupt-parent", &parent_phandle, 1);
}

void fdt_test_write_node_on_plic(DtContext *dt, DeviceState *dev, int source, uint32_t plic_phandle)
{
    SysBusDeviceClass *sbc = SYS_BUS_DEVICE_GET_CLASS(dev);
    DeviceState *plic = qdev_new(TYPE_PLIC);

    object_property_add_child(object_get_root(), "plic", OBJECT(plic));
    object_unref(OBJECT(plic));
    assert_true(qdev_realize(plic, NULL));
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(plic, source));
    dt_init(dt);
    g_free(dt_add_node(dt, "/", "soc", (uint64_t)-1));
    dt_set_phandle(dt, plic, plic_phandle);
    assert_non_null(sbc->fdt_node);
    sbc->fdt_node(SYS_BUS_DEVICE(dev), dt);
}
