/*
 * virtio-driver.h - a minimal virtio-mmio driver for tests: the register
 * dance of a Linux driver (legacy or modern), split rings built in guest
 * RAM with address_space_write, notifications and the used ring read back.
 * Header-only; each test program includes it once.
 */
#ifndef TERN_TEST_VIRTIO_DRIVER_H
#define TERN_TEST_VIRTIO_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/memory.h"

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

#define VD_S_ACK         1
#define VD_S_DRIVER      2
#define VD_S_DRIVER_OK   4
#define VD_S_FEATURES_OK 8
#define VD_S_NEEDS_RESET 0x40

#define VD_F_NEXT     1
#define VD_F_WRITE    2
#define VD_F_INDIRECT 4

#define VD_SLOT(i) (0x10001000 + 0x1000 * (hwaddr)(i))

typedef struct VirtioDriver {
    hwaddr base;
    bool modern;
    unsigned queue, num;
    hwaddr desc, avail, used;
    uint16_t avail_idx; /* the driver's next available index */
} VirtioDriver;

static inline uint32_t vd_readl(const VirtioDriver *d, hwaddr off)
{
    uint64_t v = 0;

    address_space_ld(address_space_memory(), d->base + off, 4, &v);
    return (uint32_t)v;
}

static inline void vd_writel(const VirtioDriver *d, hwaddr off, uint32_t v)
{
    address_space_st(address_space_memory(), d->base + off, 4, v);
}

static inline void vd_mem_write(hwaddr addr, const void *buf, size_t len)
{
    address_space_write(address_space_memory(), addr, buf, len);
}

static inline void vd_mem_read(hwaddr addr, void *buf, size_t len)
{
    address_space_read(address_space_memory(), addr, buf, len);
}

static inline void vd_put16(hwaddr addr, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    vd_mem_write(addr, b, 2);
}

static inline uint16_t vd_get16(hwaddr addr)
{
    uint8_t b[2];

    vd_mem_read(addr, b, 2);
    return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t vd_get32(hwaddr addr)
{
    uint8_t b[4];

    vd_mem_read(addr, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Writes descriptor i of the table at table (the queue's or an indirect one). */
static inline void vd_desc_at(hwaddr table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                              uint16_t next)
{
    uint8_t raw[16];

    for (int b = 0; b < 8; b++) {
        raw[b] = (uint8_t)(addr >> (8 * b));
    }
    for (int b = 0; b < 4; b++) {
        raw[8 + b] = (uint8_t)(len >> (8 * b));
    }
    raw[12] = (uint8_t)flags;
    raw[13] = (uint8_t)(flags >> 8);
    raw[14] = (uint8_t)next;
    raw[15] = (uint8_t)(next >> 8);
    vd_mem_write(table + 16 * (hwaddr)i, raw, 16);
}

static inline void vd_desc(VirtioDriver *d, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                           uint16_t next)
{
    vd_desc_at(d->desc, i, addr, len, flags, next);
}

/*
 * Resets the device and sets queue up with num entries at ring (4 KiB
 * aligned), accepting the features in want (low and high word) that the
 * device offers; ends with DRIVER_OK.  Returns the negotiated low word.
 */
static inline uint32_t vd_setup(VirtioDriver *d, hwaddr base, unsigned queue, unsigned num,
                                hwaddr ring, uint64_t want)
{
    uint32_t lo, hi = 0;

    memset(d, 0, sizeof(*d));
    d->base = base;
    d->queue = queue;
    d->num = num;
    d->modern = vd_readl(d, VD_VERSION) == 2;
    vd_writel(d, VD_STATUS, 0);
    vd_writel(d, VD_STATUS, VD_S_ACK);
    vd_writel(d, VD_STATUS, VD_S_ACK | VD_S_DRIVER);
    vd_writel(d, VD_DEV_FEAT_SEL, 0);
    lo = vd_readl(d, VD_DEV_FEAT) & (uint32_t)want;
    vd_writel(d, VD_DRV_FEAT_SEL, 0);
    vd_writel(d, VD_DRV_FEAT, lo);
    if (d->modern) {
        vd_writel(d, VD_DEV_FEAT_SEL, 1);
        hi = vd_readl(d, VD_DEV_FEAT) & (uint32_t)(want >> 32);
        vd_writel(d, VD_DRV_FEAT_SEL, 1);
        vd_writel(d, VD_DRV_FEAT, hi);
        vd_writel(d, VD_STATUS, VD_S_ACK | VD_S_DRIVER | VD_S_FEATURES_OK);
    }
    /* Layout: descriptors, available ring, used ring on the next page. */
    d->desc = ring;
    d->avail = ring + 16 * (hwaddr)num;
    d->used = (d->avail + 6 + 2 * (hwaddr)num + 4095) & ~(hwaddr)4095;
    vd_writel(d, VD_QUEUE_SEL, queue);
    vd_writel(d, VD_QUEUE_NUM, num);
    if (d->modern) {
        vd_writel(d, VD_DESC_LO, (uint32_t)d->desc);
        vd_writel(d, VD_DESC_HI, (uint32_t)(d->desc >> 32));
        vd_writel(d, VD_AVAIL_LO, (uint32_t)d->avail);
        vd_writel(d, VD_AVAIL_HI, (uint32_t)(d->avail >> 32));
        vd_writel(d, VD_USED_LO, (uint32_t)d->used);
        vd_writel(d, VD_USED_HI, (uint32_t)(d->used >> 32));
        vd_writel(d, VD_QUEUE_READY, 1);
    } else {
        vd_writel(d, VD_PAGE_SIZE, 4096);
        vd_writel(d, VD_QUEUE_ALIGN, 4096);
        vd_writel(d, VD_QUEUE_PFN, (uint32_t)(ring >> 12));
    }
    vd_writel(d, VD_STATUS,
              VD_S_ACK | VD_S_DRIVER | VD_S_DRIVER_OK | (d->modern ? VD_S_FEATURES_OK : 0));
    return lo;
}

/* Makes the chain at head available (without notifying). */
static inline void vd_make_avail(VirtioDriver *d, uint16_t head)
{
    vd_put16(d->avail + 4 + 2 * (hwaddr)(d->avail_idx % d->num), head);
    d->avail_idx++;
    vd_put16(d->avail + 2, d->avail_idx);
}

static inline void vd_kick(VirtioDriver *d)
{
    vd_writel(d, VD_QUEUE_NOTIFY, d->queue);
}

static inline void vd_submit(VirtioDriver *d, uint16_t head)
{
    vd_make_avail(d, head);
    vd_kick(d);
}

static inline uint16_t vd_used_idx(const VirtioDriver *d)
{
    return vd_get16(d->used + 2);
}

/* Used element i (ring position i % num): id and len. */
static inline void vd_used_elem(const VirtioDriver *d, uint16_t i, uint32_t *id, uint32_t *len)
{
    hwaddr e = d->used + 4 + 8 * (hwaddr)(i % d->num);

    *id = vd_get32(e);
    *len = vd_get32(e + 4);
}

/* used_event (driver to device) and avail_event (device to driver), with EVENT_IDX. */
static inline void vd_set_used_event(const VirtioDriver *d, uint16_t v)
{
    vd_put16(d->avail + 4 + 2 * (hwaddr)d->num, v);
}

static inline uint16_t vd_avail_event(const VirtioDriver *d)
{
    return vd_get16(d->used + 4 + 8 * (hwaddr)d->num);
}

#endif
