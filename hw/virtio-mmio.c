/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mmio.c - the virtio-mmio transport with QEMU 7.2's register
 * behaviour (virt-machine.md §10), legacy and modern layouts.
 *
 *   0x000-0x0ff  registers, 4-byte accesses only (others read 0, are ignored
 *                and logged); write-only registers read 0; registers of the
 *                other layout read 0 and ignore writes (logged).
 *   0x100-0x1ff  the device's config space, 1, 2 or 4 bytes; past its end
 *                reads give all ones and writes are dropped (QEMU's rule).
 *
 * Legacy queues: QueuePFN << log2(GuestPageSize) is the descriptor table,
 * the available ring follows it and the used ring starts at the next
 * QueueAlign boundary; writing 0 to QueuePFN resets the device.  Modern
 * queues: the driver writes QueueNum and the ring addresses, which apply
 * when it writes QueueReady = 1; DriverFeatures apply when it sets
 * FEATURES_OK.  In both, Status 0 resets the device, InterruptACK clears ISR
 * bits and the line follows ISR != 0.
 *
 * Known differences from QEMU 7.2, on purpose: QueueReady of a queue the
 * device does not have stays 0 (QEMU records 1); QueueSel above 7 selects no
 * queue (QEMU keeps registers for 1024); a QueueAlign that is not a power of
 * two is ignored (QEMU takes it, and 0 divides by zero there).
 */
#include "hw/virtio-mmio.h"

#include <inttypes.h>
#include <string.h>
#include <glib.h>

#include "core/log.h"
#include "core/module.h"
#include "core/trace.h"
#include "hw/fdt.h"

TRACE_EVENT(virtio_mmio_read, "offset 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t offset, const char *reg, unsigned size, uint64_t value),
            (offset, reg, size, value))
TRACE_EVENT(virtio_mmio_write, "offset 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t offset, const char *reg, unsigned size, uint64_t value),
            (offset, reg, size, value))

/* The virtio spec's register names, for the trace; the device's config space is "config". */
static const char *const virtio_mmio_reg_names[VIRTIO_MMIO_CONFIG / 4] = {
    [VIRTIO_MMIO_MAGIC_VALUE / 4] = "MagicValue",
    [VIRTIO_MMIO_VERSION / 4] = "Version",
    [VIRTIO_MMIO_DEVICE_ID / 4] = "DeviceID",
    [VIRTIO_MMIO_VENDOR_ID / 4] = "VendorID",
    [VIRTIO_MMIO_DEVICE_FEATURES / 4] = "DeviceFeatures",
    [VIRTIO_MMIO_DEVICE_FEATURES_SEL / 4] = "DeviceFeaturesSel",
    [VIRTIO_MMIO_DRIVER_FEATURES / 4] = "DriverFeatures",
    [VIRTIO_MMIO_DRIVER_FEATURES_SEL / 4] = "DriverFeaturesSel",
    [VIRTIO_MMIO_GUEST_PAGE_SIZE / 4] = "GuestPageSize",
    [VIRTIO_MMIO_QUEUE_SEL / 4] = "QueueSel",
    [VIRTIO_MMIO_QUEUE_NUM_MAX / 4] = "QueueNumMax",
    [VIRTIO_MMIO_QUEUE_NUM / 4] = "QueueNum",
    [VIRTIO_MMIO_QUEUE_ALIGN / 4] = "QueueAlign",
    [VIRTIO_MMIO_QUEUE_PFN / 4] = "QueuePFN",
    [VIRTIO_MMIO_QUEUE_READY / 4] = "QueueReady",
    [VIRTIO_MMIO_QUEUE_NOTIFY / 4] = "QueueNotify",
    [VIRTIO_MMIO_INTERRUPT_STATUS / 4] = "InterruptStatus",
    [VIRTIO_MMIO_INTERRUPT_ACK / 4] = "InterruptACK",
    [VIRTIO_MMIO_STATUS / 4] = "Status",
    [VIRTIO_MMIO_QUEUE_DESC_LOW / 4] = "QueueDescLow",
    [VIRTIO_MMIO_QUEUE_DESC_HIGH / 4] = "QueueDescHigh",
    [VIRTIO_MMIO_QUEUE_AVAIL_LOW / 4] = "QueueDriverLow",
    [VIRTIO_MMIO_QUEUE_AVAIL_HIGH / 4] = "QueueDriverHigh",
    [VIRTIO_MMIO_QUEUE_USED_LOW / 4] = "QueueDeviceLow",
    [VIRTIO_MMIO_QUEUE_USED_HIGH / 4] = "QueueDeviceHigh",
    [VIRTIO_MMIO_SHM_SEL / 4] = "SHMSel",
    [VIRTIO_MMIO_SHM_LEN_LOW / 4] = "SHMLenLow",
    [VIRTIO_MMIO_SHM_LEN_HIGH / 4] = "SHMLenHigh",
    [VIRTIO_MMIO_SHM_BASE_LOW / 4] = "SHMBaseLow",
    [VIRTIO_MMIO_SHM_BASE_HIGH / 4] = "SHMBaseHigh",
    [VIRTIO_MMIO_QUEUE_RESET / 4] = "QueueReset",
    [VIRTIO_MMIO_CONFIG_GENERATION / 4] = "ConfigGeneration",
};
#define virtio_mmio_reg_name(offset)                                                               \
    ((offset) >= VIRTIO_MMIO_CONFIG ? "config"                                                     \
     : (offset) % 4 == 0 && virtio_mmio_reg_names[(offset) / 4]                                    \
         ? virtio_mmio_reg_names[(offset) / 4]                                                     \
         : "invalid")

static const char *const virtio_mmio_layout[] = {"modern", "legacy"};

static void virtio_mmio_log(const char *what, hwaddr offset)
{
    tern_log_mask(LOG_GUEST_ERROR, "virtio_mmio: %s (0x%" HWADDR_PRIx ")\n", what, offset);
}

static void virtio_mmio_wrong_layout(VirtioMmioState *s, bool is_write, hwaddr offset)
{
    tern_log_mask(LOG_GUEST_ERROR, "virtio_mmio: %s %s register (0x%" HWADDR_PRIx ") in %s mode\n",
                  is_write ? "write to" : "read from", s->legacy ? "modern" : "legacy", offset,
                  virtio_mmio_layout[s->legacy]);
}

VirtIODevice *virtio_mmio_get_device(VirtioMmioState *s)
{
    return s->bus ? s->bus->vdev : NULL;
}

static VirtioMmioQueue *virtio_mmio_queue(VirtioMmioState *s)
{
    uint16_t sel = virtio_mmio_get_device(s)->queue_sel;

    return sel < VIRTIO_DEVICE_MAX_QUEUES ? &s->vqs[sel] : NULL;
}

/* ---- registers ----------------------------------------------------------------------- */

/*
 * The transport's identity registers (magic, version, vendor), which read
 * the same with or without a device: their value in *value, else false.
 */
static bool virtio_mmio_read_identity(VirtioMmioState *s, hwaddr offset, uint64_t *value)
{
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        *value = VIRTIO_MMIO_MAGIC;
        return true;
    case VIRTIO_MMIO_VERSION:
        *value = s->legacy ? VIRTIO_MMIO_VERSION_LEGACY : VIRTIO_MMIO_VERSION_MODERN;
        return true;
    case VIRTIO_MMIO_VENDOR_ID:
        *value = VIRTIO_MMIO_VENDOR;
        return true;
    }
    return false;
}

static uint64_t virtio_mmio_read_reg(void *opaque, hwaddr offset, unsigned size)
{
    VirtioMmioState *s = opaque;
    VirtIODevice *vdev = virtio_mmio_get_device(s);
    VirtioMmioQueue *q;
    uint64_t value = 0;

    if (!vdev) {
        /* An empty slot: enough for a driver to see "no device here" (device id 0). */
        return virtio_mmio_read_identity(s, offset, &value) ? value : 0;
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        return virtio_config_read(vdev, (uint32_t)(offset - VIRTIO_MMIO_CONFIG), size);
    }
    if (size != 4) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "virtio_mmio: %u-byte read of register 0x%" HWADDR_PRIx
                      " (registers take 4 bytes)\n",
                      size, offset);
        return 0;
    }
    if (virtio_mmio_read_identity(s, offset, &value)) {
        return value;
    }
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev->device_id;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (s->legacy) {
            return s->host_features_sel ? 0 : (uint32_t)vdev->host_features;
        }
        return (uint32_t)((vdev->host_features & ~VIRTIO_DEVICE_GET_CLASS(vdev)->legacy_features) >>
                          (32 * s->host_features_sel));
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return virtio_queue_get_num(vdev, vdev->queue_sel) ? VIRTQUEUE_MAX_SIZE : 0;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (!s->legacy) {
            virtio_mmio_wrong_layout(s, false, offset);
            return 0;
        }
        return (uint32_t)(virtio_queue_get_addr(vdev, vdev->queue_sel) >> s->guest_page_shift);
    case VIRTIO_MMIO_QUEUE_READY:
        if (s->legacy) {
            virtio_mmio_wrong_layout(s, false, offset);
            return 0;
        }
        q = virtio_mmio_queue(s);
        return q ? q->enabled : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        if (s->legacy) {
            virtio_mmio_wrong_layout(s, false, offset);
            return 0;
        }
        return vdev->generation;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
        return UINT32_MAX; /* no shared memory region: length (u64)-1 */
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
    case VIRTIO_MMIO_DRIVER_FEATURES:
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
    case VIRTIO_MMIO_QUEUE_SEL:
    case VIRTIO_MMIO_QUEUE_NUM:
    case VIRTIO_MMIO_QUEUE_ALIGN:
    case VIRTIO_MMIO_QUEUE_NOTIFY:
    case VIRTIO_MMIO_INTERRUPT_ACK:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        virtio_mmio_log("read of write-only register", offset);
        return 0;
    default:
        virtio_mmio_log("read of unknown register", offset);
        return 0;
    }
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t value = virtio_mmio_read_reg(opaque, offset, size);

    if (trace_event_enabled(virtio_mmio_read)) {
        trace_virtio_mmio_read(offset, virtio_mmio_reg_name(offset), size, value);
    }
    return value;
}

/* Status 0 (or legacy QueuePFN 0): the device reset, and the modern queues are off. */
static void virtio_mmio_device_reset(VirtioMmioState *s)
{
    virtio_reset(virtio_mmio_get_device(s));
    for (unsigned i = 0; i < VIRTIO_DEVICE_MAX_QUEUES; i++) {
        s->vqs[i].enabled = 0;
    }
}

static void virtio_mmio_write_status(VirtioMmioState *s, uint32_t value)
{
    VirtIODevice *vdev = virtio_mmio_get_device(s);

    if (!s->legacy && (value & VIRTIO_CONFIG_S_FEATURES_OK)) {
        virtio_set_features(vdev, (uint64_t)s->guest_features[1] << 32 | s->guest_features[0]);
    }
    virtio_set_status(vdev, (uint8_t)value);
    if (vdev->status == 0) {
        virtio_mmio_device_reset(s);
    }
}

static void virtio_mmio_queue_ready(VirtioMmioState *s, VirtioMmioQueue *q, uint32_t value)
{
    VirtIODevice *vdev = virtio_mmio_get_device(s);
    unsigned sel = vdev->queue_sel;

    if (!value) {
        q->enabled = 0;
        return;
    }
    if (sel >= vdev->nvqs) {
        return; /* no such queue: it cannot become ready */
    }
    virtio_queue_set_num(vdev, sel, q->num);
    virtio_queue_set_rings(vdev, sel, (uint64_t)q->desc[1] << 32 | q->desc[0],
                           (uint64_t)q->avail[1] << 32 | q->avail[0],
                           (uint64_t)q->used[1] << 32 | q->used[0]);
    q->enabled = 1;
}

/* The modern ring address registers: word 0 or 1 of desc, avail or used. */
static void virtio_mmio_write_ring(VirtioMmioState *s, hwaddr offset, uint32_t value)
{
    VirtioMmioQueue *q = virtio_mmio_queue(s);
    unsigned word = (offset & 4) ? 1 : 0;

    if (s->legacy) {
        virtio_mmio_wrong_layout(s, true, offset);
        return;
    }
    if (!q) {
        return;
    }
    switch (offset & ~(hwaddr)4) {
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        q->desc[word] = value;
        break;
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
        q->avail[word] = value;
        break;
    default:
        q->used[word] = value;
        break;
    }
}

static void virtio_mmio_write_reg(void *opaque, hwaddr offset, uint64_t data, unsigned size)
{
    VirtioMmioState *s = opaque;
    VirtIODevice *vdev = virtio_mmio_get_device(s);
    uint32_t value = (uint32_t)data;
    VirtioMmioQueue *q;

    if (!vdev) {
        return; /* an empty slot ignores everything */
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, (uint32_t)(offset - VIRTIO_MMIO_CONFIG), size, value);
        return;
    }
    if (size != 4) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "virtio_mmio: %u-byte write to register 0x%" HWADDR_PRIx
                      " (registers take 4 bytes)\n",
                      size, offset);
        return;
    }
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        s->host_features_sel = value ? 1 : 0;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (!s->legacy) {
            s->guest_features[s->guest_features_sel] = value;
        } else if (s->guest_features_sel) {
            virtio_mmio_log("legacy driver features written with DriverFeaturesSel 1", offset);
        } else {
            virtio_set_features(vdev, value);
        }
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        s->guest_features_sel = value ? 1 : 0;
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        if (!s->legacy) {
            virtio_mmio_wrong_layout(s, true, offset);
            break;
        }
        /* log2 of the page size; 0 (no bit set) means byte addresses. */
        s->guest_page_shift = value ? (uint32_t)__builtin_ctz(value) : 0;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        if (value < VIRTIO_QUEUE_MAX) {
            vdev->queue_sel = (uint16_t)value;
        }
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        q = virtio_mmio_queue(s);
        if (!s->legacy && q) {
            q->num = value;
        }
        virtio_queue_set_num(vdev, vdev->queue_sel, value);
        break;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        if (!s->legacy) {
            virtio_mmio_wrong_layout(s, true, offset);
            break;
        }
        virtio_queue_set_align(vdev, vdev->queue_sel, value);
        break;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (!s->legacy) {
            virtio_mmio_wrong_layout(s, true, offset);
        } else if (!value) {
            virtio_mmio_device_reset(s);
        } else {
            virtio_queue_set_addr(vdev, vdev->queue_sel, (uint64_t)value << s->guest_page_shift);
        }
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        q = virtio_mmio_queue(s);
        if (s->legacy) {
            virtio_mmio_wrong_layout(s, true, offset);
        } else if (q) {
            virtio_mmio_queue_ready(s, q, value);
        }
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (value < VIRTIO_QUEUE_MAX) {
            virtio_queue_notify(vdev, value);
        }
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        virtio_isr_ack(vdev, (uint8_t)value);
        break;
    case VIRTIO_MMIO_STATUS:
        virtio_mmio_write_status(s, value);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        virtio_mmio_write_ring(s, offset, value);
        break;
    case VIRTIO_MMIO_MAGIC_VALUE:
    case VIRTIO_MMIO_VERSION:
    case VIRTIO_MMIO_DEVICE_ID:
    case VIRTIO_MMIO_VENDOR_ID:
    case VIRTIO_MMIO_DEVICE_FEATURES:
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
    case VIRTIO_MMIO_INTERRUPT_STATUS:
    case VIRTIO_MMIO_CONFIG_GENERATION:
        virtio_mmio_log("write to read-only register", offset);
        break;
    default:
        virtio_mmio_log("write to unknown register", offset);
        break;
    }
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t data, unsigned size)
{
    if (trace_event_enabled(virtio_mmio_write)) {
        trace_virtio_mmio_write(offset, virtio_mmio_reg_name(offset), size, data);
    }
    virtio_mmio_write_reg(opaque, offset, data, size);
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

/* ---- the transport interface (hw/virtio.h) --------------------------------------------- */

VirtioMmioState *virtio_mmio_from_bus(VirtioBusState *bus)
{
    Object *parent = object_dynamic_cast(OBJECT(bus), TYPE_VIRTIO_MMIO_BUS)
                         ? object_get_parent(OBJECT(bus))
                         : NULL;

    return parent ? (VirtioMmioState *)object_dynamic_cast(parent, TYPE_VIRTIO_MMIO) : NULL;
}

static bool virtio_mmio_bus_available(VirtioBusState *bus)
{
    VirtioMmioState *s = virtio_mmio_from_bus(bus);

    return s && DEVICE(s)->realized;
}

static uint64_t virtio_mmio_bus_get_features(VirtioBusState *bus)
{
    return virtio_mmio_from_bus(bus)->legacy ? 0 : UINT64_C(1) << VIRTIO_F_VERSION_1;
}

static void virtio_mmio_bus_unplug(VirtioBusState *bus, VirtIODevice *vdev)
{
    qemu_irq_lower(virtio_mmio_from_bus(bus)->irq);
}

/* One level-triggered line for every vector: it follows the ISR. */
static void virtio_mmio_bus_notify(VirtioBusState *bus, unsigned vector)
{
    /* Every change is delivered, as QEMU does: the PLIC re-pends a line raised again. */
    qemu_set_irq(virtio_mmio_from_bus(bus)->irq, bus->vdev && bus->vdev->isr);
}

static void virtio_mmio_bus_class_init(ObjectClass *klass, const void *data)
{
    VirtioBusClass *k = VIRTIO_BUS_CLASS(klass);

    k->available = virtio_mmio_bus_available;
    k->get_features = virtio_mmio_bus_get_features;
    k->unplug = virtio_mmio_bus_unplug;
    k->notify = virtio_mmio_bus_notify;
}

/* ---- the device --------------------------------------------------------------------------- */

static void virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    VirtioMmioState *s = VIRTIO_MMIO(dev);
    char *name = g_strdup_printf("%s.%" PRIu32, TYPE_VIRTIO_MMIO_BUS, s->bus_index);

    s->bus = VIRTIO_BUS(object_new(TYPE_VIRTIO_MMIO_BUS));
    if (!object_property_try_add_child(OBJECT(dev), name, OBJECT(s->bus), errp)) {
        object_unref(s->bus);
        s->bus = NULL;
        g_free(name);
        return;
    }
    object_unref(s->bus); /* the child property holds it */
    g_free(name);
    memory_region_init_io(&s->iomem, OBJECT(dev), &virtio_mmio_ops, s, TYPE_VIRTIO_MMIO,
                          VIRTIO_MMIO_REGION_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    VirtioMmioState *s = VIRTIO_MMIO(dev);

    if (s->bus) {
        virtio_bus_release(s->bus);
    }
}

static void virtio_mmio_reset(DeviceState *dev)
{
    VirtioMmioState *s = VIRTIO_MMIO(dev);

    s->host_features_sel = 0;
    s->guest_features_sel = 0;
    s->guest_page_shift = 0;
    memset(s->guest_features, 0, sizeof(s->guest_features));
    memset(s->vqs, 0, sizeof(s->vqs));
    if (virtio_mmio_get_device(s)) {
        virtio_reset(virtio_mmio_get_device(s));
    } else {
        qemu_irq_lower(s->irq);
    }
}

static void virtio_mmio_post_load(void *opaque)
{
    VirtioMmioState *s = opaque;

    VirtIODevice *vdev = virtio_mmio_get_device(s);

    qemu_set_irq(s->irq, vdev && vdev->isr);
}

static void virtio_mmio_instance_init(Object *obj)
{
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &VIRTIO_MMIO(obj)->irq);
}

static void virtio_mmio_instance_finalize(Object *obj)
{
    VirtioMmioState *s = VIRTIO_MMIO(obj);

    if (s->bus) {
        memory_region_finalize(&s->iomem);
    }
}

/* virtio_mmio@ADDR under /soc, with QEMU's properties in its order; interrupts from its wiring. */
static void virtio_mmio_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    hwaddr base = sysbus_mmio_get_addr(sbd, 0);
    char *path;

    if (base == (hwaddr)-1) {
        return;
    }
    path = dt_add_node(dt, "/soc", "virtio_mmio", base);
    dt_setprop_string(dt, path, "compatible", "virtio,mmio");
    dt_setprop_reg(dt, path, base, VIRTIO_MMIO_SLOT_SIZE);
    sysbus_fdt_add_interrupts(sbd, dt, path);
    g_free(path);
}

static const VMStateField virtio_mmio_fields[] = {
    VMSTATE_UINT32(host_features_sel, VirtioMmioState),
    VMSTATE_UINT32(guest_features_sel, VirtioMmioState),
    VMSTATE_UINT32(guest_page_shift, VirtioMmioState),
    VMSTATE_ARRAY(guest_features, VirtioMmioState),
    VMSTATE_ARRAY(vqs, VirtioMmioState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription virtio_mmio_vmstate = {
    .name = "virtio_mmio",
    .fields = virtio_mmio_fields,
    .post_load = virtio_mmio_post_load,
};

static const Property virtio_mmio_props[] = {
    DEFINE_PROP_BOOL("force-legacy", VirtioMmioState, legacy, true),
    DEFINE_PROP_UINT32("bus-index", VirtioMmioState, bus_index, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_mmio_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "virtio-mmio transport";
    dc->realize = virtio_mmio_realize;
    dc->unrealize = virtio_mmio_unrealize;
    dc->reset = virtio_mmio_reset;
    dc->vmsd = &virtio_mmio_vmstate;
    device_class_set_props(dc, virtio_mmio_props);
    object_class_property_set_description(klass, "force-legacy",
                                          "version 1 (legacy) register layout; off: version 2");
    object_class_property_set_description(klass, "bus-index", "N of its virtio-mmio-bus.N");
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = virtio_mmio_fdt_node;
}

static const TypeInfo virtio_mmio_types[] = {
    {
        .name = TYPE_VIRTIO_MMIO,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(VirtioMmioState),
        .instance_init = virtio_mmio_instance_init,
        .instance_finalize = virtio_mmio_instance_finalize,
        .class_init = virtio_mmio_class_init,
    },
    {
        .name = TYPE_VIRTIO_MMIO_BUS,
        .parent = TYPE_VIRTIO_BUS,
        .class_init = virtio_mmio_bus_class_init,
    },
};

static void virtio_mmio_register_types(void)
{
    type_register_static_array(virtio_mmio_types, G_N_ELEMENTS(virtio_mmio_types));
}

type_init(virtio_mmio_register_types)
