/*
 * hwtest.h - a bench for device unit tests: a system memory root and
 * address space, one device created, realized and mapped, its interrupt
 * outputs connected to recorders, and the virtual clock to move by hand.
 * Header-only; each test program includes it once.
 */
#ifndef TERN_TEST_HWTEST_H
#define TERN_TEST_HWTEST_H

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

static inline void hwtest_irq_handler(void *opaque, int n, int level)
{
    HwTest *t = opaque;

    t->irq_level[n] = level;
    t->irq_changes[n]++;
}

/* Sets up memory; the device is created with hwtest_create() (so tests can set properties). */
static inline HwTest *hwtest_new(void)
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

/* Creates type as /machine-less child "dut" of the root, unrealized. */
static inline DeviceState *hwtest_create(HwTest *t, const char *type)
{
    t->dev = qdev_new(type);
    object_property_add_child(object_get_root(), "dut", OBJECT(t->dev));
    object_unref(OBJECT(t->dev));
    return t->dev;
}

/* Realizes the device, maps its MMIO region n at addr, and connects sysbus IRQ i to line i. */
static inline void hwtest_realize_at(HwTest *t, hwaddr addr)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(t->dev);

    if (!qdev_realize(t->dev, NULL)) {
        g_error("hwtest: realize failed");
    }
    if (sbd->num_mmio) {
        sysbus_mmio_map(sbd, 0, addr);
    }
    for (int i = 0; i < sbd->num_irq && i < HWTEST_MAX_IRQ; i++) {
        sysbus_connect_irq(sbd, i, t->irq_in[i]);
    }
}

static inline void hwtest_free(HwTest *t)
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

static inline uint64_t hwtest_read(hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    address_space_ld(address_space_memory(), addr, size, &v);
    return v;
}

static inline void hwtest_write(hwaddr addr, unsigned size, uint64_t v)
{
    address_space_st(address_space_memory(), addr, size, v);
}

#define hwtest_readb(a)     hwtest_read((a), 1)
#define hwtest_readw(a)     hwtest_read((a), 2)
#define hwtest_readl(a)     hwtest_read((a), 4)
#define hwtest_readq(a)     hwtest_read((a), 8)
#define hwtest_writeb(a, v) hwtest_write((a), 1, (v))
#define hwtest_writew(a, v) hwtest_write((a), 2, (v))
#define hwtest_writel(a, v) hwtest_write((a), 4, (v))
#define hwtest_writeq(a, v) hwtest_write((a), 8, (v))

/* Moves virtual time forward by ns, firing timers on the way (as qtest's clock_step). */
static inline void hwtest_clock_step(int64_t ns)
{
    clock_step_virtual(ns);
}

#endif
