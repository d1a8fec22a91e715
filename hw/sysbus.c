/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysbus.c - the abstract memory-mapped device type: MMIO regions to map and
 * interrupt outputs to connect.  Mapping goes into the system memory root
 * unless the board names another container.  Connecting an output (of the
 * sysbus-irq list or the unnamed one) records the controller input it
 * reaches, and the device-tree helpers write a node's interrupts from that
 * record (see sysbus.h).
 */
#include "hw/sysbus.h"

#include <assert.h>
#include <glib.h>

#include "core/module.h"
#include "hw/fdt.h"

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *mr)
{
    assert(dev->num_mmio < SYSBUS_MAX_MMIO);
    dev->mmio[dev->num_mmio].addr = (hwaddr)-1;
    dev->mmio[dev->num_mmio].memory = mr;
    dev->num_mmio++;
}

void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p)
{
    qdev_init_gpio_out_named(DEVICE(dev), p, SYSBUS_DEVICE_GPIO_IRQ, 1);
    dev->irq_wiring = g_renew(struct SysBusIrqWiring, dev->irq_wiring, dev->num_irq + 1);
    dev->irq_wiring[dev->num_irq].controller = NULL;
    dev->irq_wiring[dev->num_irq].line = -1;
    dev->num_irq++;
}

void sysbus_mmio_map_in(SysBusDevice *dev, int n, MemoryRegion *parent, hwaddr addr)
{
    assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].mapped_in) {
        memory_region_del_subregion(dev->mmio[n].mapped_in, dev->mmio[n].memory);
    }
    dev->mmio[n].addr = addr;
    dev->mmio[n].mapped_in = parent;
    memory_region_add_subregion(parent, addr, dev->mmio[n].memory);
}

void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr)
{
    AddressSpace *as = address_space_memory();

    assert(as && as->root);
    sysbus_mmio_map_in(dev, n, as->root, addr);
}

hwaddr sysbus_mmio_get_addr(SysBusDevice *dev, int n)
{
    return n >= 0 && n < dev->num_mmio ? dev->mmio[n].addr : (hwaddr)-1;
}

MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n)
{
    return n >= 0 && n < dev->num_mmio ? dev->mmio[n].memory : NULL;
}

/* Records in *w the controller input irq leads to. */
static void sysbus_record_wiring(struct SysBusIrqWiring *w, qemu_irq irq)
{
    const char *list = NULL;
    int line = -1;
    DeviceState *owner = qdev_gpio_in_owner(irq, &list, &line);

    /* Device trees name a controller's unnamed inputs only. */
    w->controller = owner && !list ? owner : NULL;
    w->line = owner && !list ? line : -1;
}

/* The record of entry n of wiring (count entries), or NULL when n was never connected. */
static DeviceState *sysbus_wiring_controller(const struct SysBusIrqWiring *wiring, int count, int n,
                                             int *line)
{
    bool ok = n >= 0 && n < count && wiring[n].controller;

    if (line) {
        *line = ok ? wiring[n].line : -1;
    }
    return ok ? wiring[n].controller : NULL;
}

void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out_named(DEVICE(dev), SYSBUS_DEVICE_GPIO_IRQ, n, irq);
    sysbus_record_wiring(&dev->irq_wiring[n], irq);
}

DeviceState *sysbus_get_irq_controller(SysBusDevice *dev, int n, int *line)
{
    return sysbus_wiring_controller(dev->irq_wiring, dev->num_irq, n, line);
}

void sysbus_connect_gpio_out(SysBusDevice *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out(DEVICE(dev), n, irq); /* checks n */
    if (n >= dev->num_gpio_out_wiring) {
        dev->gpio_out_wiring = g_renew(struct SysBusIrqWiring, dev->gpio_out_wiring, n + 1);
        for (int i = dev->num_gpio_out_wiring; i <= n; i++) {
            dev->gpio_out_wiring[i].controller = NULL;
            dev->gpio_out_wiring[i].line = -1;
        }
        dev->num_gpio_out_wiring = n + 1;
    }
    sysbus_record_wiring(&dev->gpio_out_wiring[n], irq);
}

DeviceState *sysbus_get_gpio_out_controller(SysBusDevice *dev, int n, int *line)
{
    return sysbus_wiring_controller(dev->gpio_out_wiring, dev->num_gpio_out_wiring, n, line);
}

bool sysbus_fdt_append_gpio_out_interrupt(SysBusDevice *dev, int n, DtContext *dt, GArray *cells)
{
    uint32_t phandle, spec[DT_MAX_INTERRUPT_CELLS];
    int line, ncells;
    DeviceState *controller = sysbus_get_gpio_out_controller(dev, n, &line);

    if (!dt_interrupt_controller_specifier(controller, line, dt, &phandle, spec, &ncells)) {
        return false;
    }
    g_array_append_val(cells, phandle);
    g_array_append_vals(cells, spec, ncells);
    return true;
}

void sysbus_fdt_add_interrupts(SysBusDevice *dev, DtContext *dt, const char *path)
{
    GArray *interrupts = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *extended = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t parent = 0;
    bool one_parent = true;

    for (int n = 0; n < dev->num_irq; n++) {
        uint32_t phandle, cells[DT_MAX_INTERRUPT_CELLS];
        int ncells;

        if (!dt_interrupt_controller_specifier(dev->irq_wiring[n].controller,
                                               dev->irq_wiring[n].line, dt, &phandle, cells,
                                               &ncells)) {
            break;
        }
        one_parent = one_parent && (!parent || parent == phandle);
        parent = phandle;
        g_array_append_vals(interrupts, cells, ncells);
        g_array_append_val(extended, phandle);
        g_array_append_vals(extended, cells, ncells);
    }
    if (interrupts->len && one_parent) {
        dt_setprop_cell(dt, path, "interrupt-parent", parent);
        dt_setprop_cells(dt, path, "interrupts", (uint32_t *)interrupts->data, interrupts->len);
    } else if (interrupts->len) {
        dt_setprop_cells(dt, path, "interrupts-extended", (uint32_t *)extended->data,
                         extended->len);
    }
    g_array_free(interrupts, TRUE);
    g_array_free(extended, TRUE);
}

/* Unmaps the regions before the device (which embeds them) goes away; forgets the wiring. */
static void sysbus_unmap_all(Object *obj)
{
    SysBusDevice *dev = SYS_BUS_DEVICE(obj);

    for (int i = 0; i < dev->num_mmio; i++) {
        if (dev->mmio[i].mapped_in && dev->mmio[i].memory->container) {
            memory_region_del_subregion(dev->mmio[i].mapped_in, dev->mmio[i].memory);
        }
        dev->mmio[i].mapped_in = NULL;
    }
    g_free(dev->irq_wiring);
    dev->irq_wiring = NULL;
    g_free(dev->gpio_out_wiring);
    dev->gpio_out_wiring = NULL;
    dev->num_gpio_out_wiring = 0;
}

/* As QEMU: the system bus takes no hotplugged device. */
static void sysbus_device_class_init(ObjectClass *klass, const void *data)
{
    DEVICE_CLASS(klass)->hotpluggable = false;
}

static const TypeInfo sysbus_device_info = {
    .name = TYPE_SYS_BUS_DEVICE,
    .parent = TYPE_DEVICE,
    .abstract = true,
    .instance_size = sizeof(SysBusDevice),
    .instance_finalize = sysbus_unmap_all,
    .class_size = sizeof(SysBusDeviceClass),
    .class_init = sysbus_device_class_init,
};

static void sysbus_register_types(void)
{
    type_register_static(&sysbus_device_info);
}

type_init(sysbus_register_types)
