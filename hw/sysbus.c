/*
 * sysbus.c - the abstract memory-mapped device type: MMIO regions to map and
 * interrupt outputs to connect.  Mapping goes into the system memory root
 * unless the board names another container.
 */
#include "hw/sysbus.h"

#include <assert.h>

#include "core/module.h"

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

void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out_named(DEVICE(dev), SYSBUS_DEVICE_GPIO_IRQ, n, irq);
}

/* Unmaps the regions before the device (which embeds them) goes away. */
static void sysbus_unmap_all(Object *obj)
{
    SysBusDevice *dev = SYS_BUS_DEVICE(obj);

    for (int i = 0; i < dev->num_mmio; i++) {
        if (dev->mmio[i].mapped_in && dev->mmio[i].memory->container) {
            memory_region_del_subregion(dev->mmio[i].mapped_in, dev->mmio[i].memory);
        }
        dev->mmio[i].mapped_in = NULL;
    }
}

static const TypeInfo sysbus_device_info = {
    .name = TYPE_SYS_BUS_DEVICE,
    .parent = TYPE_DEVICE,
    .abstract = true,
    .instance_size = sizeof(SysBusDevice),
    .instance_finalize = sysbus_unmap_all,
    .class_size = sizeof(SysBusDeviceClass),
};

static void sysbus_register_types(void)
{
    type_register_static(&sysbus_device_info);
}

type_init(sysbus_register_types)
