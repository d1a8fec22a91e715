/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mmio.h - the virtio-mmio transport ("virtio-mmio"), register
 * compatible with QEMU 7.2 (virt-machine.md §10): legacy (version 1, the
 * default) or modern (version 2: force-legacy=false) register layout, one
 * interrupt line driven by the ISR, device config space from 0x100.
 *
 * Each transport has a child bus object "virtio-mmio-bus.N" (N: its
 * bus-index property), a "virtio-bus" (hw/virtio.h) with room for one
 * virtio device; this file implements that bus's transport interface and
 * the virtio core does the plugging.  A device whose "bus" property is
 * unset plugs into the most recently created free bus - on the virt board,
 * the highest free slot (QEMU's rule: the first device lands in slot 7);
 * bus=virtio-mmio-bus.N (or a path to the bus) picks one.  An empty
 * transport answers magic, version and vendor and reads 0 elsewhere.  Not
 * here: the devices (hw/virtio-*.c), the rings and plugging (hw/virtio.c).
 */
#ifndef TERN_HW_VIRTIO_MMIO_H
#define TERN_HW_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/sysbus.h"
#include "hw/virtio.h"

#define TYPE_VIRTIO_MMIO     "virtio-mmio"
#define TYPE_VIRTIO_MMIO_BUS "virtio-mmio-bus"

/* The register window the region covers, and the slot the board gives each transport. */
#define VIRTIO_MMIO_REGION_SIZE 0x200
#define VIRTIO_MMIO_SLOT_SIZE   0x1000

/* Register offsets (§10). */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c
#define VIRTIO_MMIO_QUEUE_PFN           0x040
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW     0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH    0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW      0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH     0x0a4
#define VIRTIO_MMIO_SHM_SEL             0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bc
#define VIRTIO_MMIO_QUEUE_RESET         0x0c0
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC          0x74726976 /* "virt" */
#define VIRTIO_MMIO_VENDOR         0x554d4551 /* "QEMU" */
#define VIRTIO_MMIO_VERSION_LEGACY 1
#define VIRTIO_MMIO_VERSION_MODERN 2

/* A queue's registers as a modern driver writes them, applied at QueueReady. */
typedef struct VirtioMmioQueue {
    uint32_t num;
    uint32_t enabled;
    uint32_t desc[2], avail[2], used[2]; /* low, high */
} VirtioMmioQueue;

typedef struct VirtioMmioState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq irq;
    /* properties */
    bool legacy;        /* force-legacy (QEMU's default: on) */
    uint32_t bus_index; /* N of virtio-mmio-bus.N */
    /* configuration */
    VirtioBusState *bus; /* the child bus object; bus->vdev is the plugged device */
    /* state */
    uint32_t host_features_sel;
    uint32_t guest_features_sel;
    uint32_t guest_page_shift;
    uint32_t guest_features[2];
    VirtioMmioQueue vqs[VIRTIO_DEVICE_MAX_QUEUES];
} VirtioMmioState;

#define VIRTIO_MMIO(obj) OBJECT_CHECK(VirtioMmioState, (obj), TYPE_VIRTIO_MMIO)

/* The device plugged into the transport, or NULL. */
VirtIODevice *virtio_mmio_get_device(VirtioMmioState *s);
/* The transport a virtio-mmio-bus belongs to, or NULL for another kind of bus. */
VirtioMmioState *virtio_mmio_from_bus(VirtioBusState *bus);

#endif
