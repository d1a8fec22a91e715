/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-driver.c - see virtio-driver.h.  Ring layout of a split queue
 * (virtio 1.2 §2.7), as this driver places it:
 *
 *   ring + 0          descriptor table: num x 16 bytes
 *                       addr (le64) | len (le32) | flags (le16) | next (le16)
 *   ring + 16 * num   available ring: flags (le16) | idx (le16) |
 *                       ring[num] (le16) | used_event (le16)
 *   next 4 KiB page   used ring: flags (le16) | idx (le16) |
 *                       ring[num] of {id (le32), len (le32)} | avail_event (le16)
 *
 * Helper code, not a test: its assertions live in tests/unit/test-support.c.
 */
#include "tests/support/virtio-driver.h"

#include <string.h>

#include "core/memory.h"
#include "qtest/libqtest.h"

/* ---- the two ways to reach a device ---------------------------------------------------- */

static AddressSpace *as_of(void *opaque)
{
    return opaque ? opaque : address_space_memory();
}

static uint64_t as_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    address_space_ld(as_of(opaque), addr, size, &v);
    return v;
}

static void as_write(void *opaque, uint64_t addr, unsigned size, uint64_t value)
{
    address_space_st(as_of(opaque), addr, size, value);
}

static void as_memread(void *opaque, uint64_t addr, void *buf, size_t len)
{
    address_space_read(as_of(opaque), addr, buf, len);
}

static void as_memwrite(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    address_space_write(as_of(opaque), addr, buf, len);
}

const VirtioDriverOps vd_address_space_ops = {
    .read = as_read,
    .write = as_write,
    .memread = as_memread,
    .memwrite = as_memwrite,
};

static uint64_t qt_read(void *opaque, uint64_t addr, unsigned size)
{
    switch (size) {
    case 1:
        return qtest_readb(opaque, addr);
    case 2:
        return qtest_readw(opaque, addr);
    case 4:
        return qtest_readl(opaque, addr);
    default:
        return qtest_readq(opaque, addr);
    }
}

static void qt_write(void *opaque, uint64_t addr, unsigned size, uint64_t value)
{
    switch (size) {
    case 1:
        qtest_writeb(opaque, addr, (uint8_t)value);
        break;
    case 2:
        qtest_writew(opaque, addr, (uint16_t)value);
        break;
    case 4:
        qtest_writel(opaque, addr, (uint32_t)value);
        break;
    default:
        qtest_writeq(opaque, addr, value);
        break;
    }
}

static void qt_memread(void *opaque, uint64_t addr, void *buf, size_t len)
{
    qtest_memread(opaque, addr, buf, len);
}

static void qt_memwrite(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    qtest_memwrite(opaque, addr, buf, len);
}

const VirtioDriverOps vd_qtest_ops = {
    .read = qt_read,
    .write = qt_write,
    .memread = qt_memread,
    .memwrite = qt_memwrite,
};

static const VirtioDriverOps *ops_of(const VirtioDriver *d)
{
    return d->ops ? d->ops : &vd_address_space_ops;
}

void vd_attach(VirtioDriver *d, const VirtioDriverOps *ops, void *opaque, uint64_t base,
               unsigned num)
{
    memset(d, 0, sizeof(*d));
    d->ops = ops;
    d->opaque = opaque;
    d->base = base;
    d->num = num;
}

/* ---- registers and memory ------------------------------------------------------------- */

uint32_t vd_readl(const VirtioDriver *d, uint64_t off)
{
    return (uint32_t)ops_of(d)->read(d->opaque, d->base + off, 4);
}

void vd_writel(const VirtioDriver *d, uint64_t off, uint32_t v)
{
    ops_of(d)->write(d->opaque, d->base + off, 4, v);
}

uint64_t vd_config_read(const VirtioDriver *d, uint64_t off, unsigned size)
{
    return ops_of(d)->read(d->opaque, d->base + VD_CONFIG + off, size);
}

void vd_config_write(const VirtioDriver *d, uint64_t off, unsigned size, uint64_t v)
{
    ops_of(d)->write(d->opaque, d->base + VD_CONFIG + off, size, v);
}

void vd_mem_read(const VirtioDriver *d, uint64_t addr, void *buf, size_t len)
{
    ops_of(d)->memread(d->opaque, addr, buf, len);
}

void vd_mem_write(const VirtioDriver *d, uint64_t addr, const void *buf, size_t len)
{
    ops_of(d)->memwrite(d->opaque, addr, buf, len);
}

void vd_memset(const VirtioDriver *d, uint64_t addr, uint8_t byte, size_t len)
{
    uint8_t chunk[256];

    memset(chunk, byte, sizeof(chunk));
    while (len) {
        size_t n = len < sizeof(chunk) ? len : sizeof(chunk);

        vd_mem_write(d, addr, chunk, n);
        addr += n;
        len -= n;
    }
}

/* Little-endian n-byte value from/to memory, whatever the host order. */
static uint64_t get_le(const VirtioDriver *d, uint64_t addr, unsigned n)
{
    uint8_t b[8];
    uint64_t v = 0;

    vd_mem_read(d, addr, b, n);
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}

static void put_le(uint8_t *b, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
}

static void store_le(const VirtioDriver *d, uint64_t addr, uint64_t v, unsigned n)
{
    uint8_t b[8];

    put_le(b, v, n);
    vd_mem_write(d, addr, b, n);
}

uint8_t vd_get8(const VirtioDriver *d, uint64_t addr)
{
    return (uint8_t)get_le(d, addr, 1);
}

uint16_t vd_get16(const VirtioDriver *d, uint64_t addr)
{
    return (uint16_t)get_le(d, addr, 2);
}

uint32_t vd_get32(const VirtioDriver *d, uint64_t addr)
{
    return (uint32_t)get_le(d, addr, 4);
}

void vd_put8(const VirtioDriver *d, uint64_t addr, uint8_t v)
{
    store_le(d, addr, v, 1);
}

void vd_put16(const VirtioDriver *d, uint64_t addr, uint16_t v)
{
    store_le(d, addr, v, 2);
}

void vd_put32(const VirtioDriver *d, uint64_t addr, uint32_t v)
{
    store_le(d, addr, v, 4);
}

void vd_put64(const VirtioDriver *d, uint64_t addr, uint64_t v)
{
    store_le(d, addr, v, 8);
}

/* ---- descriptors ---------------------------------------------------------------------- */

void vd_desc_at(const VirtioDriver *d, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                uint16_t flags, uint16_t next)
{
    uint8_t raw[16];

    put_le(raw, addr, 8);
    put_le(raw + 8, len, 4);
    put_le(raw + 12, flags, 2);
    put_le(raw + 14, next, 2);
    vd_mem_write(d, table + 16 * (uint64_t)i, raw, 16);
}

void vd_desc(VirtioDriver *d, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
             uint16_t next)
{
    vd_desc_at(d, d->desc, i, addr, len, flags, next);
}

void vd_chain(VirtioDriver *d, const VdBuf *bufs, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        bool more = i + 1 < n;

        vd_desc(d, i, bufs[i].addr, bufs[i].len,
                (uint16_t)((more ? VD_F_NEXT : 0) | (bufs[i].device_writes ? VD_F_WRITE : 0)),
                (uint16_t)(more ? i + 1 : 0));
    }
}

/* ---- set-up --------------------------------------------------------------------------- */

uint32_t vd_setup(VirtioDriver *d, uint64_t base, unsigned queue, unsigned num, uint64_t ring,
                  uint64_t want)
{
    uint32_t lo, hi = 0;

    vd_attach(d, d->ops, d->opaque, base, num);
    d->queue = queue;
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
    d->avail = ring + 16 * (uint64_t)num;
    d->used = (d->avail + 6 + 2 * (uint64_t)num + 4095) & ~(uint64_t)4095;
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

/* ---- the rings ------------------------------------------------------------------------ */

void vd_make_avail(VirtioDriver *d, uint16_t head)
{
    vd_put16(d, d->avail + 4 + 2 * (uint64_t)(d->avail_idx % d->num), head);
    d->avail_idx++;
    vd_put16(d, d->avail + 2, d->avail_idx);
}

void vd_kick(VirtioDriver *d)
{
    vd_writel(d, VD_QUEUE_NOTIFY, d->queue);
}

void vd_submit(VirtioDriver *d, uint16_t head)
{
    vd_make_avail(d, head);
    vd_kick(d);
}

uint16_t vd_used_idx(const VirtioDriver *d)
{
    return vd_get16(d, d->used + 2);
}

void vd_used_elem(const VirtioDriver *d, uint16_t i, uint32_t *id, uint32_t *len)
{
    uint64_t e = d->used + 4 + 8 * (uint64_t)(i % d->num);

    *id = vd_get32(d, e);
    *len = vd_get32(d, e + 4);
}

void vd_set_used_event(const VirtioDriver *d, uint16_t v)
{
    vd_put16(d, d->avail + 4 + 2 * (uint64_t)d->num, v);
}

uint16_t vd_avail_event(const VirtioDriver *d)
{
    return vd_get16(d, d->used + 4 + 8 * (uint64_t)d->num);
}

void vd_blk_header(const VirtioDriver *d, uint64_t addr, uint32_t type, uint64_t sector)
{
    uint8_t h[16] = {0};

    put_le(h, type, 4);
    put_le(h + 8, sector, 8);
    vd_mem_write(d, addr, h, sizeof(h));
}
