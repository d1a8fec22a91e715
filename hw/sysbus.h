/*
 * sysbus.h - memory-mapped devices: a device with MMIO regions the board
 * maps at fixed addresses, and interrupt outputs (the named GPIO list
 * "sysbus-irq", as on QEMU, so qtest's irq_intercept_out finds them).
 *
 * A sysbus device also writes its own device-tree node (fdt_node in its
 * class): the machine's tree is the sum of its devices' nodes.
 */
#ifndef TERN_SYSBUS_H
#define TERN_SYSBUS_H

#include "core/memory.h"
#include "core/qdev.h"

#define TYPE_SYS_BUS_DEVICE    "sys-bus-device"
#define SYSBUS_DEVICE_GPIO_IRQ "sysbus-irq"
#define SYSBUS_MAX_MMIO        8

typedef struct DtContext DtContext;

typedef struct SysBusDevice {
    DeviceState parent_obj;
    int num_mmio;
    struct {
        hwaddr addr; /* where the board mapped it; (hwaddr)-1 when unmapped */
        MemoryRegion *memory;
        MemoryRegion *mapped_in;
    } mmio[SYSBUS_MAX_MMIO];
    int num_irq;
} SysBusDevice;

typedef struct SysBusDeviceClass {
    DeviceClass parent_class;
    /* Adds this device's node(s) to the tree being built; NULL: no node. */
    void (*fdt_node)(SysBusDevice *dev, DtContext *dt);
} SysBusDeviceClass;

#define SYS_BUS_DEVICE(obj) OBJECT_CHECK(SysBusDevice, (obj), TYPE_SYS_BUS_DEVICE)
#define SYS_BUS_DEVICE_CLASS(klass)                                                                \
    OBJECT_CLASS_CHECK(SysBusDeviceClass, (klass), TYPE_SYS_BUS_DEVICE)
#define SYS_BUS_DEVICE_GET_CLASS(obj)                                                              \
    OBJECT_GET_CLASS(SysBusDeviceClass, (obj), TYPE_SYS_BUS_DEVICE)

/* In realize or instance_init: declares region n (in call order). */
void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *mr);
/* Declares one interrupt output; *p is the device's own field, NULL until connected. */
void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p);
/* Maps region n at addr in parent (NULL: the system memory root). */
void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr);
void sysbus_mmio_map_in(SysBusDevice *dev, int n, MemoryRegion *parent, hwaddr addr);
hwaddr sysbus_mmio_get_addr(SysBusDevice *dev, int n);
MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n);
void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq);

#endif
