/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hwtest.h - a bench for device unit tests: a system memory root and
 * address space, one device created, realized and mapped, its interrupt
 * outputs connected to recorders, and the virtual clock to move by hand.
 * Part of the test support library (tests/support).
 */
#ifndef TERN_TEST_HWTEST_H
#define TERN_TEST_HWTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "core/memory.h"
#include "core/object.h"
#include "core/timer.h"
#include "hw/sysbus.h"

#define HWTEST_MAX_IRQ 64

typedef struct HwTest {
    MemoryRegion root;
    DeviceState *dev;
    int irq_level[HWTEST_MAX_IRQ]; /* last level seen on each recorder line */
    int irq_changes[HWTEST_MAX_IRQ];
    qemu_irq irq_in[HWTEST_MAX_IRQ];
} HwTest;

/* Sets up memory; the device is created with hwtest_create() (so tests can set properties). */
HwTest *hwtest_new(void);
/* Creates type as /machine-less child "dut" of the root, unrealized. */
DeviceState *hwtest_create(HwTest *t, const char *type);
/* Sets a property from its string form; the test fails if it is refused. */
void hwtest_set_prop(DeviceState *dev, const char *name, const char *value);
/* Sets the NULL-terminated (name, value) pairs in ap, as hwtest_set_prop. */
void hwtest_set_props_v(DeviceState *dev, va_list ap);
/* Realizes the device, maps its MMIO region 0 at addr, and connects sysbus IRQ i to line i. */
void hwtest_realize_at(HwTest *t, hwaddr addr);
/*
 * hwtest_realize_at, then GPIO out[i] connected to recorder i for
 * i < gpio_outs, a cold reset, and recorders that forget the line changes
 * the reset made.
 */
void hwtest_ready(HwTest *t, hwaddr addr, unsigned gpio_outs);
/* The usual bench in one call: new, create type, NULL-terminated property pairs, ready. */
HwTest *hwtest_start(const char *type, hwaddr addr, unsigned gpio_outs, ...);
/* A new HwTest whose device of type, with prop=value, must fail to realize. */
HwTest *hwtest_realize_fails(const char *type, const char *prop, const char *value);
void hwtest_free(HwTest *t);

uint64_t hwtest_read(hwaddr addr, unsigned size);
void hwtest_write(hwaddr addr, unsigned size, uint64_t v);

#define hwtest_readb(a)     hwtest_read((a), 1)
#define hwtest_readw(a)     hwtest_read((a), 2)
#define hwtest_readl(a)     hwtest_read((a), 4)
#define hwtest_readq(a)     hwtest_read((a), 8)
#define hwtest_writeb(a, v) hwtest_write((a), 1, (v))
#define hwtest_writew(a, v) hwtest_write((a), 2, (v))
#define hwtest_writel(a, v) hwtest_write((a), 4, (v))
#define hwtest_writeq(a, v) hwtest_write((a), 8, (v))

/*
 * The size-byte register at addr ignores the access widths in the mask
 * ignored (1 | 2 | 4 | 8): a read of each of them at addr gives 0, and a
 * write of each (of the complement of the register's value) changes
 * nothing: a size-byte read gives the same value afterwards.
 */
void hwtest_assert_ignored_widths(hwaddr addr, unsigned size, unsigned ignored);

/* Moves virtual time forward by ns, firing timers on the way (as qtest's clock_step). */
void hwtest_clock_step(int64_t ns);

#endif
