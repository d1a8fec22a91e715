/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysbus.h - memory-mapped devices: a device with MMIO regions the board
 * maps at fixed addresses, and interrupt outputs (the named GPIO list
 * "sysbus-irq", as on QEMU, so qtest's irq_intercept_out finds them).
 *
 * A sysbus device also writes its own device-tree node (fdt_node in its
 * class): the machine's tree is the sum of its devices' nodes.
 *
 * Interrupt wiring has one path.  sysbus_connect_irq records which
 * controller input each output was connected to (the owner of the qemu_irq,
 * qdev_gpio_in_owner); a device's fdt_node calls sysbus_fdt_add_interrupts,
 * which writes "interrupt-parent" and "interrupts" (or
 * "interrupts-extended" when the lines go to several controllers) from that
 * record, asking each controller for its phandle and specifier through the
 * "fdt-interrupt-controller" interface (hw/fdt.h).  So the board's
 * connect call is the only place an interrupt number is written: rewiring
 * a device changes its node with no other edit.
 *
 * Interrupt controllers whose outputs go to harts (the PLIC's contexts, the
 * ACLINT's lines) have them as the unnamed GPIO list, as on QEMU; the board
 * connects them with sysbus_connect_gpio_out, which keeps the same record,
 * and their node lists them with sysbus_fdt_append_gpio_out_interrupt, in
 * whatever order the binding wants ("interrupts-extended" = <intc line> per
 * output, the hart's intc declared by the board: dt_set_interrupt_controller).
 */
#ifndef TERN_SYSBUS_H
#define TERN_SYSBUS_H

#include <stdbool.h>
#include <glib.h>

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
    /* Where output n was connected (sysbus_connect_irq); controller NULL: not to a controller. */
    struct SysBusIrqWiring {
        DeviceState *controller;
        int line;
    } * irq_wiring;
    /* The same for the unnamed GPIO outputs (sysbus_connect_gpio_out); grows as they connect. */
    struct SysBusIrqWiring *gpio_out_wiring;
    int num_gpio_out_wiring;
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
/*
 * Connects output n to irq (NULL: disconnects) and records the controller
 * input it leads to, for the device tree.
 */
void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq);
/* The device and unnamed input line output n was connected to; NULL (*line -1): none. */
DeviceState *sysbus_get_irq_controller(SysBusDevice *dev, int n, int *line);
/*
 * Connects output n of dev's unnamed GPIO list to irq (NULL: disconnects),
 * recording the controller input it reaches as sysbus_connect_irq does.
 */
void sysbus_connect_gpio_out(SysBusDevice *dev, int n, qemu_irq irq);
/* Where unnamed GPIO output n was connected; NULL (*line -1): to no controller's input. */
DeviceState *sysbus_get_gpio_out_controller(SysBusDevice *dev, int n, int *line);
/*
 * Writes the interrupts of dev's node at path from its recorded wiring:
 * outputs 0, 1, ... up to the first one not connected to an interrupt
 * controller's unnamed input.  One controller: "interrupt-parent" then
 * "interrupts"; several: "interrupts-extended".  None: nothing.
 */
void sysbus_fdt_add_interrupts(SysBusDevice *dev, DtContext *dt, const char *path);
/*
 * Appends to cells (a GArray of uint32_t) the <phandle specifier> of the
 * controller input dev's unnamed GPIO output n reaches, from the record:
 * one entry of an "interrupts-extended".  False (nothing appended) when it
 * reaches none.
 */
bool sysbus_fdt_append_gpio_out_interrupt(SysBusDevice *dev, int n, DtContext *dt, GArray *cells);

#endif
