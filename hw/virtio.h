/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio.h - the device side of virtio: the abstract "virtio-device" type
 * its front ends (virtio-blk-device, virtio-rng-device) derive from, split
 * virtqueues read and written in guest memory, and the transport interface
 * ("virtio-bus") a transport implements to carry a device.
 *
 * A front end declares its queues (virtio_add_queue), its device id and
 * config space, and handles a queue's notification by popping elements
 * (descriptor chains, gathered into device-readable "out" and
 * device-writable "in" segments), reading and writing them, pushing them to
 * the used ring and notifying.  Front ends talk to this core only.
 *
 * A transport (hw/virtio-mmio.c today, a PCI one later) owns the registers
 * and the interrupt line.  It makes one "virtio-bus" object per slot, of a
 * subtype whose VirtioBusClass fills in the transport interface below; the
 * core plugs a realized device into a bus, asks the transport which
 * feature bits it adds, and calls its notify for interrupts.  The other way,
 * the transport forwards the driver's register accesses to the functions
 * under "for transports".  This file knows no transport by name.
 *
 * Guest memory is reached only through dma_memory_read/write on
 * address_space_memory().  Everything the guest controls is checked: ring
 * addresses, descriptor indices, lengths, addresses (buffers must be RAM),
 * loops, chains longer than the queue, nested indirect tables, segment
 * order.  A violation marks the device broken, as QEMU's virtio_error: a
 * LOG_GUEST_ERROR line, no more processing until a reset and, once the
 * driver has negotiated VIRTIO_F_VERSION_1, status DEVICE_NEEDS_RESET (0x40)
 * with a configuration-change interrupt.
 *
 * Not here: packed virtqueues, MSI-X vectors, the transport's registers.
 */
#ifndef TERN_HW_VIRTIO_H
#define TERN_HW_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/memory.h"
#include "core/qdev.h"

#define TYPE_VIRTIO_DEVICE "virtio-device"
#define TYPE_VIRTIO_BUS    "virtio-bus"
/* The front ends (hw/virtio-blk.c, hw/virtio-rng.c), by the names QEMU gives them. */
#define TYPE_VIRTIO_BLK "virtio-blk-device"
#define TYPE_VIRTIO_RNG "virtio-rng-device"

/* Device status bits. */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 0x01
#define VIRTIO_CONFIG_S_DRIVER      0x02
#define VIRTIO_CONFIG_S_DRIVER_OK   0x04
#define VIRTIO_CONFIG_S_FEATURES_OK 0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED      0x80

/* Interrupt status bits. */
#define VIRTIO_ISR_QUEUE  0x1
#define VIRTIO_ISR_CONFIG 0x2

/* Feature bits common to every device. */
#define VIRTIO_F_NOTIFY_ON_EMPTY    24
#define VIRTIO_F_ANY_LAYOUT         27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_RING_RESET         40

/* What every device offers (QEMU 7.2's defaults; VERSION_1 comes from a modern transport). */
#define VIRTIO_COMMON_FEATURES                                                                     \
    ((UINT64_C(1) << VIRTIO_F_NOTIFY_ON_EMPTY) | (UINT64_C(1) << VIRTIO_F_ANY_LAYOUT) |            \
     (UINT64_C(1) << VIRTIO_RING_F_INDIRECT_DESC) | (UINT64_C(1) << VIRTIO_RING_F_EVENT_IDX) |     \
     (UINT64_C(1) << VIRTIO_F_RING_RESET))
/* Legacy-only bits, hidden from a modern driver. */
#define VIRTIO_LEGACY_FEATURES                                                                     \
    ((UINT64_C(1) << VIRTIO_F_NOTIFY_ON_EMPTY) | (UINT64_C(1) << VIRTIO_F_ANY_LAYOUT))

/* Split ring layout. */
#define VRING_DESC_F_NEXT          1
#define VRING_DESC_F_WRITE         2
#define VRING_DESC_F_INDIRECT      4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_DESC_SIZE            16
#define VRING_USED_ELEM_SIZE       8

/* Device ids (virtio spec §5). */
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG   4

#define VIRTIO_QUEUE_MAX         1024 /* QueueSel and QueueNotify take indices below this */
#define VIRTQUEUE_MAX_SIZE       1024 /* QueueNumMax; also the most segments in an element */
#define VIRTIO_DEVICE_MAX_QUEUES 8    /* the most queues a Tern front end has */
#define VIRTIO_CONFIG_MAX        64   /* bytes of device config space */
#define VIRTIO_LEGACY_ALIGN      4096 /* legacy ring alignment before QueueAlign is written */

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtioBusState VirtioBusState;

/*
 * One split virtqueue.  Plain data: it is saved as part of the device.
 * num is 0 when the queue does not exist; rings are guest addresses, 0
 * when not set up.
 */
typedef struct VirtQueue {
    uint32_t num;         /* ring size the driver chose (initially num_default) */
    uint32_t num_default; /* what virtio_add_queue gave */
    uint64_t desc, avail, used;
    uint32_t align; /* legacy layout: the used ring's alignment */
    uint16_t last_avail_idx;
    uint16_t used_idx;
    uint16_t signalled_used;
    bool signalled_used_valid;
    uint32_t inuse; /* popped, not pushed yet */
} VirtQueue;

/* A segment of guest memory an element points at. */
typedef struct VirtioSeg {
    hwaddr addr;
    uint32_t len;
} VirtioSeg;

/*
 * A popped descriptor chain: out segments (device-readable) first, then in
 * segments (device-writable), in chain order.
 */
typedef struct VirtQueueElement {
    uint16_t head;
    unsigned out_num, in_num;
    uint64_t out_len, in_len; /* total bytes of each kind */
    VirtioSeg seg[VIRTQUEUE_MAX_SIZE];
} VirtQueueElement;

typedef void (*VirtioQueueHandler)(VirtIODevice *vdev, unsigned queue);

struct VirtIODevice {
    DeviceState parent_obj;
    /* properties */
    char *bus; /* a virtio-bus by name or path ("virtio-mmio-bus.N"); NULL: the last free one */
    /* configuration (realize and plug) */
    uint16_t device_id;
    unsigned nvqs;
    VirtioQueueHandler handlers[VIRTIO_DEVICE_MAX_QUEUES];
    uint32_t config_len;
    uint64_t host_features;
    bool modern_transport;     /* VERSION_1 offered */
    VirtioBusState *transport; /* the bus it is plugged into, or NULL */
    /* state */
    uint8_t status;
    uint8_t isr;
    bool broken;
    uint16_t queue_sel;
    uint32_t generation;
    uint64_t guest_features;
    VirtQueue vq[VIRTIO_DEVICE_MAX_QUEUES];
    /* scratch for config accesses */
    uint8_t config[VIRTIO_CONFIG_MAX];
};

typedef struct VirtioDeviceClass {
    DeviceClass parent_class;
    /* Front end's part of realize: id, queues, config length; and its undo. */
    void (*realize)(VirtIODevice *vdev, Error **errp);
    void (*unrealize)(VirtIODevice *vdev);
    /* Adds the device's bits to features (common bits, VERSION_1 if modern). */
    uint64_t (*get_features)(VirtIODevice *vdev, uint64_t features);
    uint64_t legacy_features; /* bits a modern driver does not see */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    void (*reset)(VirtIODevice *vdev);
} VirtioDeviceClass;

#define VIRTIO_DEVICE(obj) OBJECT_CHECK(VirtIODevice, (obj), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_CLASS(klass)                                                                 \
    OBJECT_CLASS_CHECK(VirtioDeviceClass, (klass), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_GET_CLASS(obj) OBJECT_GET_CLASS(VirtioDeviceClass, (obj), TYPE_VIRTIO_DEVICE)

/*
 * The state every device saves: list it first in a front end's table.
 * s is the front end's struct, whose first member is VirtIODevice parent_obj.
 * config is scratch filled before each config access: not state.
 */
#define VMSTATE_VIRTIO_DEVICE(s)                                                                   \
    VMSTATE_PLAIN(parent_obj.status, s), VMSTATE_PLAIN(parent_obj.isr, s),                         \
        VMSTATE_PLAIN(parent_obj.broken, s), VMSTATE_PLAIN(parent_obj.queue_sel, s),               \
        VMSTATE_PLAIN(parent_obj.generation, s), VMSTATE_PLAIN(parent_obj.guest_features, s),      \
        VMSTATE_PLAIN(parent_obj.vq, s), VMSTATE_UNSAVED(parent_obj.config, s)
/* post_load for front ends: drives the interrupt line from the restored ISR. */
void virtio_device_post_load(void *opaque);

/* ---- for front ends ------------------------------------------------------------------ */

/* Declares queue number vdev->nvqs with num_default entries (realize). */
void virtio_add_queue(VirtIODevice *vdev, uint32_t num_default, VirtioQueueHandler handler);
bool virtio_has_feature(uint64_t features, unsigned bit);
bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned bit);
/* Driver has finished (DRIVER_OK) and the queue has rings. */
bool virtio_queue_ready(const VirtIODevice *vdev, unsigned queue);

/* The next available element, or NULL (queue empty, not set up, or the device broke). */
VirtQueueElement *virtio_queue_pop(VirtIODevice *vdev, unsigned queue);
/* Gives elem back unconsumed (it will be popped again) and frees it. */
void virtio_queue_unpop(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem);
/* Drops elem without using it (the device broke while handling it) and frees it. */
void virtio_queue_detach(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem);
/* Puts elem in the used ring with len bytes written, and frees it. */
void virtio_queue_push(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem, uint32_t len);
void virtio_element_free(VirtQueueElement *elem);
/* Copies between an element's out (read) / in (write) segments at offset and buf. */
bool virtio_element_read(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t offset,
                         void *buf, uint64_t len);
bool virtio_element_write(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t offset,
                          const void *buf, uint64_t len);
/* A used-buffer interrupt for queue, unless the driver suppressed it. */
void virtio_notify(VirtIODevice *vdev, unsigned queue);
void virtio_notify_config(VirtIODevice *vdev);
/* The guest broke the rules: log, stop the device (see above). */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the transport interface ---------------------------------------------------------- */

/*
 * Interrupt "vectors" a transport's notify receives besides queue indices
 * (0 .. VIRTIO_QUEUE_MAX-1: buffers were used in that queue).
 */
#define VIRTIO_VECTOR_CONFIG 0xffffu /* the configuration changed (or the device needs a reset) */
#define VIRTIO_VECTOR_NONE   0xfffeu /* the ISR changed otherwise: reset, acknowledge, state load */

/*
 * One slot of a transport that a virtio device plugs into.  The transport
 * creates it as a child of its own object (named "<type>.N" so that
 * bus=<type>.N finds it) and keeps it for its lifetime; the core sets vdev.
 */
struct VirtioBusState {
    Object parent_obj;
    VirtIODevice *vdev; /* the plugged device, or NULL */
};

/*
 * What the core asks of a transport.  Every hook may be NULL except notify.
 * The core calls them; a transport does not call its own hooks through
 * here.
 */
typedef struct VirtioBusClass {
    ObjectClass parent_class;
    /* Can the bus take a device now (its transport is realized)?  NULL: always. */
    bool (*available)(VirtioBusState *bus);
    /*
     * vdev is about to plug in (bus->vdev is still NULL): check it, set up
     * transport state.  False with errp set refuses the device.
     */
    bool (*plug)(VirtioBusState *bus, VirtIODevice *vdev, Error **errp);
    /* Feature bits the transport offers on top of the device's (VERSION_1 for a modern one). */
    uint64_t (*get_features)(VirtioBusState *bus);
    /* vdev leaves (bus->vdev still set): drop transport state, lower the interrupt. */
    void (*unplug)(VirtioBusState *bus, VirtIODevice *vdev);
    /*
     * An interrupt: vector is a queue index, VIRTIO_VECTOR_CONFIG or
     * VIRTIO_VECTOR_NONE.  bus->vdev->isr already holds the new bits; a
     * transport with one level-triggered line sets it to isr != 0.
     */
    void (*notify)(VirtioBusState *bus, unsigned vector);
} VirtioBusClass;

#define VIRTIO_BUS(obj)           OBJECT_CHECK(VirtioBusState, (obj), TYPE_VIRTIO_BUS)
#define VIRTIO_BUS_CLASS(klass)   OBJECT_CLASS_CHECK(VirtioBusClass, (klass), TYPE_VIRTIO_BUS)
#define VIRTIO_BUS_GET_CLASS(obj) OBJECT_GET_CLASS(VirtioBusClass, (obj), TYPE_VIRTIO_BUS)

/*
 * Plugs vdev into the bus named by name (a path, or a partial path such as
 * "virtio-mmio-bus.3"), or with name NULL into the most recently created
 * available free bus.  Errors as QEMU's: "Bus 'virtio-mmio-bus.9' not
 * found", "Bus 'virtio-mmio-bus.7' is full", "No 'virtio-bus' bus found for
 * device 'virtio-rng-device'".  The device's realize does this with its
 * "bus" property.
 */
bool virtio_bus_plug(VirtIODevice *vdev, const char *name, Error **errp);
/* Unplugs vdev from its bus (the transport's unplug hook runs); nothing if not plugged. */
void virtio_bus_unplug(VirtIODevice *vdev);
/*
 * The transport is going away (its unrealize): the device, if any, is
 * detached without calling the transport's hooks.
 */
void virtio_bus_release(VirtioBusState *bus);

/* ---- for transports: the driver's register accesses ----------------------------------- */

/* The device reset: status, features, ISR, queues; notifies VIRTIO_VECTOR_NONE. */
void virtio_reset(VirtIODevice *vdev);
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
/* Refused (false) once FEATURES_OK is set; bits the device lacks are dropped. */
bool virtio_set_features(VirtIODevice *vdev, uint64_t features);
/* The driver acknowledged the ISR bits in mask: they clear, the transport is notified. */
void virtio_isr_ack(VirtIODevice *vdev, uint8_t mask);
/* Tells the transport the ISR's current value (VIRTIO_VECTOR_NONE). */
void virtio_update_irq(VirtIODevice *vdev);
/*
 * Config space (little-endian, 1..4 bytes at addr): reads past config_len
 * give all ones, writes there are ignored.
 */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, unsigned size, uint32_t value);
/* Ring size: refused (false) beyond VIRTQUEUE_MAX_SIZE or to create/remove a queue. */
bool virtio_queue_set_num(VirtIODevice *vdev, unsigned queue, uint32_t num);
uint32_t virtio_queue_get_num(const VirtIODevice *vdev, unsigned queue);
/* Modern layout: the three ring addresses. */
void virtio_queue_set_rings(VirtIODevice *vdev, unsigned queue, uint64_t desc, uint64_t avail,
                            uint64_t used);
/* Legacy layout: one contiguous area at addr (0: queue off), aligned by QueueAlign. */
void virtio_queue_set_addr(VirtIODevice *vdev, unsigned queue, uint64_t addr);
uint64_t virtio_queue_get_addr(const VirtIODevice *vdev, unsigned queue);
bool virtio_queue_set_align(VirtIODevice *vdev, unsigned queue, uint32_t align);
/* Runs queue's handler (the driver's QueueNotify). */
void virtio_queue_notify(VirtIODevice *vdev, unsigned queue);

#endif
