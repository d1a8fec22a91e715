/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-driver.h - a minimal virtio-mmio driver for tests: the register
 * dance of a Linux driver (legacy or modern), split rings built in guest
 * RAM, notifications and the used ring read back.  It speaks only the
 * guest's view (virtio-mmio registers and ring layout in memory), never
 * hw/virtio.h internals, so the same driver runs
 *  - in-process on an address space (vd_address_space_ops), or
 *  - over the qtest protocol (vd_qtest_ops, opaque = the QTestState *),
 * chosen by the ops struct the VirtioDriver carries.  Part of the test
 * support library (tests/support): the one virtio driver of the tests.
 */
#ifndef TERN_TEST_VIRTIO_DRIVER_H
#define TERN_TEST_VIRTIO_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register offsets of a virtio-mmio transport (virtio 1.2 §4.2.2, legacy §4.2.4). */
#define VD_MAGIC         0x000
#define VD_VERSION       0x004
#define VD_DEVICE_ID     0x008
#define VD_VENDOR        0x00c
#define VD_DEV_FEAT      0x010
#define VD_DEV_FEAT_SEL  0x014
#define VD_DRV_FEAT      0x020
#define VD_DRV_FEAT_SEL  0x024
#define VD_PAGE_SIZE     0x028
#define VD_QUEUE_SEL     0x030
#define VD_QUEUE_NUM_MAX 0x034
#define VD_QUEUE_NUM     0x038
#define VD_QUEUE_ALIGN   0x03c
#define VD_QUEUE_PFN     0x040
#define VD_QUEUE_READY   0x044
#define VD_QUEUE_NOTIFY  0x050
#define VD_ISR           0x060
#define VD_ISR_ACK       0x064
#define VD_STATUS        0x070
#define VD_DESC_LO       0x080
#define VD_DESC_HI       0x084
#define VD_AVAIL_LO      0x090
#define VD_AVAIL_HI      0x094
#define VD_USED_LO       0x0a0
#define VD_USED_HI       0x0a4
#define VD_SHM_SEL       0x0ac
#define VD_SHM_LEN_LO    0x0b0
#define VD_SHM_LEN_HI    0x0b4
#define VD_SHM_BASE_LO   0x0b8
#define VD_QUEUE_RESET   0x0c0
#define VD_CONFIG_GEN    0x0fc
#define VD_CONFIG        0x100

#define VD_MAGIC_VALUE 0x74726976 /* "virt" */

/* Device status bits. */
#define VD_S_ACK         1
#define VD_S_DRIVER      2
#define VD_S_DRIVER_OK   4
#define VD_S_FEATURES_OK 8
#define VD_S_NEEDS_RESET 0x40

/* Descriptor flags. */
#define VD_F_NEXT     1
#define VD_F_WRITE    2
#define VD_F_INDIRECT 4

/* virtio-blk request types (virtio 1.2 §5.2.6) and status values. */
#define VD_BLK_T_IN           0
#define VD_BLK_T_OUT          1
#define VD_BLK_T_FLUSH        4
#define VD_BLK_T_GET_ID       8
#define VD_BLK_T_DISCARD      11
#define VD_BLK_T_WRITE_ZEROES 13
#define VD_BLK_S_OK           0
#define VD_BLK_S_IOERR        1
#define VD_BLK_S_UNSUPP       2

/* The transports of the virt board: slot i at 0x10001000 + 0x1000 * i. */
#define VD_SLOT(i) (0x10001000 + 0x1000 * (uint64_t)(i))

/*
 * How the driver reaches the device: read and write are MMIO accesses of
 * size 1, 2, 4 or 8 bytes (what a guest load or store does), memread and
 * memwrite move bytes to and from guest memory.
 */
typedef struct VirtioDriverOps {
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, unsigned size, uint64_t value);
    void (*memread)(void *opaque, uint64_t addr, void *buf, size_t len);
    void (*memwrite)(void *opaque, uint64_t addr, const void *buf, size_t len);
} VirtioDriverOps;

/* In-process: opaque is an AddressSpace *, NULL for address_space_memory(). */
extern const VirtioDriverOps vd_address_space_ops;
/* Through the qtest client: opaque is the QTestState *. */
extern const VirtioDriverOps vd_qtest_ops;

typedef struct VirtioDriver {
    const VirtioDriverOps *ops; /* NULL: vd_address_space_ops on the system address space */
    void *opaque;
    uint64_t base;
    bool modern;
    unsigned queue, num;
    uint64_t desc, avail, used;
    uint16_t avail_idx; /* the driver's next available index */
} VirtioDriver;

/* Points d at the transport at base with queues of num entries, touching no register. */
void vd_attach(VirtioDriver *d, const VirtioDriverOps *ops, void *opaque, uint64_t base,
               unsigned num);

/* Transport registers (offsets from d->base; virtio-mmio registers are 4 bytes wide). */
uint32_t vd_readl(const VirtioDriver *d, uint64_t off);
void vd_writel(const VirtioDriver *d, uint64_t off, uint32_t v);
/* Device config space (offsets from VD_CONFIG), size 1, 2, 4 or 8 bytes. */
uint64_t vd_config_read(const VirtioDriver *d, uint64_t off, unsigned size);
void vd_config_write(const VirtioDriver *d, uint64_t off, unsigned size, uint64_t v);

/* Guest memory, little-endian as the rings are. */
void vd_mem_read(const VirtioDriver *d, uint64_t addr, void *buf, size_t len);
void vd_mem_write(const VirtioDriver *d, uint64_t addr, const void *buf, size_t len);
void vd_memset(const VirtioDriver *d, uint64_t addr, uint8_t byte, size_t len);
uint8_t vd_get8(const VirtioDriver *d, uint64_t addr);
uint16_t vd_get16(const VirtioDriver *d, uint64_t addr);
uint32_t vd_get32(const VirtioDriver *d, uint64_t addr);
void vd_put8(const VirtioDriver *d, uint64_t addr, uint8_t v);
void vd_put16(const VirtioDriver *d, uint64_t addr, uint16_t v);
void vd_put32(const VirtioDriver *d, uint64_t addr, uint32_t v);
void vd_put64(const VirtioDriver *d, uint64_t addr, uint64_t v);

/* Writes descriptor i of the table at table (the queue's or an indirect one). */
void vd_desc_at(const VirtioDriver *d, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                uint16_t flags, uint16_t next);
void vd_desc(VirtioDriver *d, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
             uint16_t next);

/* One buffer of a chain: the device writes it when device_writes. */
typedef struct VdBuf {
    uint64_t addr;
    uint32_t len;
    bool device_writes;
} VdBuf;

/* Puts a chain of n buffers in descriptors 0..n-1 (head 0), linked by NEXT. */
void vd_chain(VirtioDriver *d, const VdBuf *bufs, unsigned n);

/*
 * Resets the device and sets queue up with num entries at ring (4 KiB
 * aligned), accepting the features in want (low and high word) that the
 * device offers; ends with DRIVER_OK.  Returns the negotiated low word.
 * Keeps d->ops and d->opaque; the rest of d starts afresh.
 */
uint32_t vd_setup(VirtioDriver *d, uint64_t base, unsigned queue, unsigned num, uint64_t ring,
                  uint64_t want);

/* Makes the chain at head available (without notifying). */
void vd_make_avail(VirtioDriver *d, uint16_t head);
void vd_kick(VirtioDriver *d);
/* vd_make_avail + vd_kick. */
void vd_submit(VirtioDriver *d, uint16_t head);

uint16_t vd_used_idx(const VirtioDriver *d);
/* Used element i (ring position i % num): id and len. */
void vd_used_elem(const VirtioDriver *d, uint16_t i, uint32_t *id, uint32_t *len);

/* used_event (driver to device) and avail_event (device to driver), with EVENT_IDX. */
void vd_set_used_event(const VirtioDriver *d, uint16_t v);
uint16_t vd_avail_event(const VirtioDriver *d);

/* The 16-byte virtio-blk request header (type, reserved, sector) at addr. */
void vd_blk_header(const VirtioDriver *d, uint64_t addr, uint32_t type, uint64_t sector);

#endif
