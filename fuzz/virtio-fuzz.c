/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-fuzz.c - the structure-aware virtio targets: virtio-blk and
 * virtio-rng on a modern (version 2) transport, and virtio-blk-legacy and
 * virtio-rng-legacy on a legacy (version 1) one.
 *
 * The input drives a compact guest-side virtio-mmio driver: the first bytes
 * choose feature negotiation, queue size, ring placement and the status
 * sequence; the rest is a list of commands, mostly requests (a descriptor
 * chain built in guest RAM - direct, split, indirect, looping or one of the
 * malformed shapes - made available and notified), plus notifications,
 * config-space accesses, interrupt acknowledges, clock steps, re-setups and
 * raw register writes.  Every choice is a byte whose common values give the
 * well-formed case, so random bytes mostly make working queues and
 * requests that reach core/block.c and core/rng.c, and the malformed cases
 * are one choice byte away.  docs/fuzzing.md ("virtio targets") has the
 * byte layout.
 *
 * Everything goes through fuzz_read/fuzz_write/fuzz_memwrite/fuzz_memread,
 * so the trace replays on "tern -accel qtest -qtest stdio".  The transport
 * version is a board-wide property (-global virtio-mmio.force-legacy) fixed
 * when the machine is built, so each device has a target per version
 * rather than the input picking one.
 */
#include "fuzz/virtio-fuzz.h"

#include <string.h>
#include <glib.h>

#include "core/module.h"
#include "fuzz/fuzz.h"
#include "hw/virt.h"
#include "hw/virtio-mmio.h"
#include "hw/virtio.h"

/* virtio-blk requests (virtio spec §5.2.6): the guest's side, not the device's. */
#define VF_BLK_T_IN           0
#define VF_BLK_T_OUT          1
#define VF_BLK_T_FLUSH        4
#define VF_BLK_T_GET_ID       8
#define VF_BLK_T_DISCARD      11
#define VF_BLK_T_WRITE_ZEROES 13
#define VF_BLK_T_BARRIER      0x80000000u
#define VF_BLK_ID_BYTES       20
#define VF_SECTOR             512

#define VF_RAM_SIZE  (64 * 1024 * 1024) /* -m 64M below */
#define VF_PAGE      4096
#define VF_MAX_SEGS  8
#define VF_MAX_DESCS 16

/* The window's parts (offsets from its start). */
#define VF_RING     0x00000 /* desc 0x0000, avail 0x4000, used 0x5000 (modern default) */
#define VF_INDIRECT 0x08000 /* indirect tables */
#define VF_HDR      0x09000 /* blk header +0, status +16, discard segment +32, id +64 */
#define VF_DATA     0x10000 /* data buffers */
#define VF_DATA_MAX 0x30000
#define VF_LONG     0x30000 /* a long indirect chain's table (over the data's tail) */

typedef struct VirtioFuzzConfig {
    uint32_t device_id;
    bool legacy;
} VirtioFuzzConfig;

/* The input, read front to back; past its end every byte reads 0 (the common choice). */
typedef struct VfInput {
    const uint8_t *p;
    size_t len, pos;
} VfInput;

typedef struct VfSeg {
    uint64_t addr;
    uint32_t len;
    bool write;
} VfSeg;

/* The driver's view of the device for one input. */
typedef struct VfDriver {
    uint64_t base;
    bool legacy;
    bool blk;
    uint32_t num; /* ring entries the rings were laid out for (1..1024) */
    uint64_t desc, avail, used;
    uint16_t avail_idx, used_seen;
    uint16_t next_desc;
    bool completed_any, backend_any;
} VfDriver;

static const VirtioFuzzConfig vf_configs[] = {
    {VIRTIO_ID_BLOCK, false},
    {VIRTIO_ID_RNG, false},
    {VIRTIO_ID_BLOCK, true},
    {VIRTIO_ID_RNG, true},
};

static VirtioFuzzStats vf_stats;
static uint64_t vf_slot;
static unsigned vf_version;
static char *vf_image;

const VirtioFuzzStats *virtio_fuzz_stats(void)
{
    return &vf_stats;
}

void virtio_fuzz_stats_clear(void)
{
    memset(&vf_stats, 0, sizeof(vf_stats));
}

uint64_t virtio_fuzz_slot(void)
{
    return vf_slot;
}

unsigned virtio_fuzz_version(void)
{
    return vf_version;
}

/* A pattern that differs from sector to sector and inside one, so a misplaced read shows. */
uint8_t virtio_fuzz_image_byte(uint64_t offset)
{
    return (uint8_t)((offset / VF_SECTOR) * 31 + (offset % VF_SECTOR) * 7 + 0x5a);
}

static uint64_t vf_window(void)
{
    return virt_memmap[VIRT_DRAM].base + VIRTIO_FUZZ_WINDOW_OFFSET;
}

/* ---- input -------------------------------------------------------------------------------- */

static bool vf_more(const VfInput *in)
{
    return in->pos < in->len;
}

static uint8_t vf_u8(VfInput *in)
{
    return vf_more(in) ? in->p[in->pos++] : 0;
}

static uint16_t vf_u16(VfInput *in)
{
    uint16_t lo = vf_u8(in);

    return (uint16_t)(lo | vf_u8(in) << 8);
}

static uint32_t vf_u32(VfInput *in)
{
    uint32_t lo = vf_u16(in);

    return lo | (uint32_t)vf_u16(in) << 16;
}

static uint64_t vf_u64(VfInput *in)
{
    uint64_t lo = vf_u32(in);

    return lo | (uint64_t)vf_u32(in) << 32;
}

/* ---- the guest's accesses ------------------------------------------------------------------- */

static uint32_t vf_reg_read(const VfDriver *d, unsigned off)
{
    return (uint32_t)fuzz_read(4, d->base + off);
}

static void vf_reg_write(const VfDriver *d, unsigned off, uint32_t value)
{
    fuzz_write(4, d->base + off, value);
}

/* Whether [addr, addr + len) lies in the window: the only memory the driver writes. */
static bool vf_in_window(uint64_t addr, uint64_t len)
{
    uint64_t w = vf_window();

    return addr >= w && len <= VIRTIO_FUZZ_WINDOW_SIZE && addr - w <= VIRTIO_FUZZ_WINDOW_SIZE - len;
}

/* Ring and table writes land only in the window: a bad ring address is the device's problem. */
static void vf_put16(uint64_t addr, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    if (vf_in_window(addr, sizeof(b))) {
        fuzz_memwrite(addr, b, sizeof(b));
    }
}

static uint16_t vf_get16(uint64_t addr)
{
    uint8_t b[2];

    fuzz_memread(addr, b, sizeof(b));
    return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t vf_get32(uint64_t addr)
{
    uint8_t b[4];

    fuzz_memread(addr, b, sizeof(b));
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void vf_store_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void vf_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                    uint16_t next)
{
    uint8_t b[VRING_DESC_SIZE];

    vf_store_le(b, addr, 8);
    vf_store_le(b + 8, len, 4);
    vf_store_le(b + 12, flags, 2);
    vf_store_le(b + 14, next, 2);
    if (vf_in_window(table + (uint64_t)VRING_DESC_SIZE * i, sizeof(b))) {
        fuzz_memwrite(table + (uint64_t)VRING_DESC_SIZE * i, b, sizeof(b));
    }
}

/*
 * Addresses a guest has no business giving a device: the transport itself,
 * the UART, address 0, across and just past the end of RAM, far beyond it,
 * and one that wraps.
 */
static uint64_t vf_bad_address(const VfDriver *d, uint8_t choice)
{
    uint64_t ram_end = virt_memmap[VIRT_DRAM].base + VF_RAM_SIZE;
    const uint64_t bad[] = {
        d->base,          virt_memmap[VIRT_UART0].base, 0, ram_end - 8, ram_end, UINT64_C(1) << 40,
        UINT64_MAX - 0xf, d->base + VIRTIO_MMIO_STATUS,
    };

    return bad[choice % G_N_ELEMENTS(bad)];
}

/* ---- set-up ------------------------------------------------------------------------------ */

static uint32_t vf_queue_size(VfInput *in, unsigned choice)
{
    static const uint32_t sizes[] = {8, 8, 16, 16, 4, 32, 2};

    return choice < G_N_ELEMENTS(sizes) ? sizes[choice] : (uint32_t)(vf_u16(in) & 0x7ff);
}

static void vf_negotiate(VfDriver *d, VfInput *in, unsigned mode)
{
    uint64_t offered, want;

    vf_reg_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    offered = vf_reg_read(d, VIRTIO_MMIO_DEVICE_FEATURES);
    vf_reg_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    offered |= (uint64_t)vf_reg_read(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    if (mode < 6) {
        want = offered;
    } else if (mode == 6) {
        uint64_t mask = vf_u32(in);
        want = offered & (mask | (uint64_t)vf_u8(in) << 32);
    } else {
        want = vf_u64(in); /* anything, bits the device lacks included */
    }
    vf_reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    vf_reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)want);
    if (!d->legacy || mode == 7) {
        vf_reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
        vf_reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
    }
}

/* Where the rings go: the default layout, a shifted or overlapping one, or a bad address. */
static void vf_place_rings(VfDriver *d, VfInput *in, unsigned choice, uint32_t *page,
                           uint32_t *align)
{
    uint64_t w = vf_window();

    *page = VF_PAGE;
    *align = VF_PAGE;
    d->desc = w + VF_RING;
    d->avail = w + VF_RING + 0x4000;
    d->used = w + VF_RING + 0x5000;
    if (choice == 6) {
        uint8_t o = vf_u8(in);
        /* Shifted, and with the rings close enough to overlap the table. */
        d->desc = w + VF_RING + (o & 7) * 0x100u;
        d->avail = d->desc + ((o >> 3) & 7) * 0x40u;
        d->used = d->avail + ((o >> 6) & 3) * 0x80u;
        *page = (o & 0x40) ? 1 : VF_PAGE; /* legacy: byte-granular PFN */
        *align = (o & 0x80) ? 4u << (o & 3) : VF_PAGE;
    } else if (choice == 7) {
        uint8_t b = vf_u8(in);
        uint64_t bad = vf_bad_address(d, b >> 2);

        switch (b & 3) {
        case 0:
            d->desc = bad;
            break;
        case 1:
            d->avail = bad;
            break;
        case 2:
            d->used = bad;
            break;
        default:
            *align = vf_u32(in); /* legacy: any alignment, 0 and non-powers included */
            break;
        }
    }
    if (d->legacy) {
        /* One area from QueuePFN: the device finds avail and used where the layout puts them. */
        uint64_t avail_end;

        d->desc &= ~(uint64_t)(*page - 1);
        d->avail = d->desc + (uint64_t)VRING_DESC_SIZE * d->num;
        avail_end = d->avail + 2 * (3 + (uint64_t)d->num);
        if (*align && !(*align & (*align - 1))) {
            d->used = (avail_end + *align - 1) & ~((uint64_t)*align - 1);
        } else {
            d->used =
                (avail_end + VF_PAGE - 1) & ~(uint64_t)(VF_PAGE - 1); /* refused: stays 4096 */
        }
    }
}

static void vf_setup_queue(VfDriver *d, uint32_t qsize, uint32_t page, uint32_t align)
{
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_SEL, 0);
    vf_reg_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_NUM, qsize);
    /* Fresh indices: the rings may hold an earlier set-up's entries. */
    vf_put16(d->avail, 0);
    vf_put16(d->avail + 2, 0);
    vf_put16(d->used, 0);
    vf_put16(d->used + 2, 0);
    if (d->legacy) {
        vf_reg_write(d, VIRTIO_MMIO_GUEST_PAGE_SIZE, page);
        vf_reg_write(d, VIRTIO_MMIO_QUEUE_ALIGN, align);
        vf_reg_write(d, VIRTIO_MMIO_QUEUE_PFN,
                     (uint32_t)(d->desc >> (page ? __builtin_ctz(page) : 0)));
        return;
    }
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)d->desc);
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(d->desc >> 32));
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)d->avail);
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (uint32_t)(d->avail >> 32));
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)d->used);
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_USED_HIGH, (uint32_t)(d->used >> 32));
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

/*
 * The set-up bytes (docs/fuzzing.md): s0 = features (bits 0-2) and queue
 * size (3-5); s1 = ring placement (0-2) and status sequence (3-5); each
 * choice 6 or 7 reads operands after s1, in the order queue size, rings,
 * status variant, features (while negotiating), final status.
 */
static void vf_setup(VfDriver *d, VfInput *in)
{
    uint8_t s0 = vf_u8(in), s1 = vf_u8(in);
    unsigned features = s0 & 7, status_mode = (s1 >> 3) & 7, variant = 0;
    uint32_t qsize = vf_queue_size(in, (s0 >> 3) & 7), page, align;
    uint8_t status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

    d->num = CLAMP(qsize, 1, VIRTQUEUE_MAX_SIZE);
    d->avail_idx = d->used_seen = d->next_desc = 0;
    vf_place_rings(d, in, s1 & 7, &page, &align);
    if (status_mode == 6) {
        variant = vf_u8(in) % 6 + 1;
    }

    vf_reg_write(d, VIRTIO_MMIO_STATUS, 0);
    vf_reg_write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    vf_reg_write(d, VIRTIO_MMIO_STATUS, status);
    if (variant != 5) {
        vf_negotiate(d, in, features);
    }
    if (!d->legacy && variant != 2) {
        status |= VIRTIO_CONFIG_S_FEATURES_OK;
        vf_reg_write(d, VIRTIO_MMIO_STATUS, status);
        vf_reg_read(d, VIRTIO_MMIO_STATUS);
    }
    if (variant == 5) {
        vf_negotiate(d, in, features); /* too late: refused after FEATURES_OK */
    }
    if (variant == 1) {
        status |= VIRTIO_CONFIG_S_DRIVER_OK; /* before the queue exists */
        vf_reg_write(d, VIRTIO_MMIO_STATUS, status);
    }
    vf_setup_queue(d, qsize, page, align);
    if (variant != 3) {
        status |= VIRTIO_CONFIG_S_DRIVER_OK;
        vf_reg_write(d, VIRTIO_MMIO_STATUS, status);
    }
    if (variant == 4) {
        vf_reg_write(d, VIRTIO_MMIO_STATUS, status | 0x80); /* FAILED */
    } else if (variant == 6) {
        vf_reg_write(d, VIRTIO_MMIO_STATUS, 0); /* reset straight after */
    } else if (status_mode == 7) {
        vf_reg_write(d, VIRTIO_MMIO_STATUS, vf_u8(in));
    }
}

/* ---- requests ---------------------------------------------------------------------------- */

/* What one malformation does to a chain (the shape byte's case 7). */
enum {
    VF_BAD_SHORT_HEADER,
    VF_BAD_NO_STATUS,
    VF_BAD_ZERO_LEN,
    VF_BAD_OUT_AFTER_IN,
    VF_BAD_ADDRESS,
    VF_BAD_NEXT_BEYOND,
    VF_BAD_NESTED_INDIRECT,
    VF_BAD_INDIRECT_TABLE,
    VF_BAD_OVERLAP,
    VF_BAD_HEAD_BEYOND,
    VF_BAD_LONG_CHAIN,
    VF_BAD_COUNT,
};

/* Makes head available, then notifies (a driver's write barrier is implicit here). */
static void vf_make_available(VfDriver *d, unsigned head)
{
    vf_put16(d->avail + 4 + 2 * (uint64_t)(d->avail_idx % d->num), (uint16_t)head);
    d->avail_idx++;
    vf_put16(d->avail + 2, d->avail_idx);
    vf_reg_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    vf_stats.requests++;
}

/*
 * Builds the chain of segs in the ring (or an indirect table) as shape says
 * and makes it available.  Shapes (bits 0-2): 0-2 direct, 3 each buffer
 * split in two descriptors, 4-5 indirect, 6 a loop, 7 a malformation (kind
 * and argument bytes follow).
 */
static void vf_submit(VfDriver *d, VfInput *in, VfSeg *segs, unsigned nseg, uint8_t shape)
{
    uint64_t table = d->desc;
    unsigned kind = shape & 7, bad = VF_BAD_COUNT, n = 0, head;
    uint16_t idx[VF_MAX_DESCS];
    VfSeg descs[VF_MAX_DESCS];
    bool indirect = kind == 4 || kind == 5;
    uint8_t arg = 0;

    if (kind == 7) {
        bad = vf_u8(in) % VF_BAD_COUNT;
        arg = vf_u8(in);
    }
    switch (bad) {
    case VF_BAD_SHORT_HEADER:
        segs[0].len = MIN(segs[0].len, (uint32_t)(arg % 16));
        break;
    case VF_BAD_NO_STATUS:
        nseg--; /* the last one is writable (status or buffer); nseg stays >= 0 */
        break;
    case VF_BAD_ZERO_LEN:
        segs[arg % nseg].len = 0;
        break;
    case VF_BAD_OUT_AFTER_IN:
        if (nseg < VF_MAX_SEGS) {
            segs[nseg++] = (VfSeg){vf_window() + VF_HDR, 16, false};
        }
        break;
    case VF_BAD_ADDRESS:
        segs[arg % nseg].addr = vf_bad_address(d, arg >> 3);
        break;
    case VF_BAD_OVERLAP: {
        /* The device is asked to write over its rings, or over the chain's own first buffer. */
        const uint64_t over[] = {d->desc, d->avail, d->used, segs[0].addr};
        segs[nseg - 1].addr = over[arg % 4];
        segs[nseg - 1].write = true;
        break;
    }
    case VF_BAD_NESTED_INDIRECT:
    case VF_BAD_INDIRECT_TABLE:
        indirect = true;
        break;
    }

    if (bad == VF_BAD_LONG_CHAIN) {
        /*
         * 1000 + arg one-byte writable buffers in one indirect table: up to
         * 1024 a long but valid chain, beyond it more buffers than an
         * element holds.
         */
        unsigned count = 1000 + arg;
        uint64_t ltable = vf_window() + VF_LONG, data = vf_window() + VF_DATA;
        g_autofree uint8_t *t = g_malloc((size_t)count * VRING_DESC_SIZE);

        for (unsigned i = 0; i < count; i++) {
            uint8_t *e = t + (size_t)i * VRING_DESC_SIZE;

            vf_store_le(e, data + i, 8);
            vf_store_le(e + 8, 1, 4);
            vf_store_le(e + 12, VRING_DESC_F_WRITE | (i + 1 < count ? VRING_DESC_F_NEXT : 0), 2);
            vf_store_le(e + 14, i + 1 < count ? i + 1 : 0, 2);
        }
        fuzz_memwrite(ltable, t, (size_t)count * VRING_DESC_SIZE);
        head = d->next_desc % d->num;
        vf_desc(d->desc, head, ltable, count * VRING_DESC_SIZE, VRING_DESC_F_INDIRECT, 0);
        d->next_desc = (uint16_t)((d->next_desc + 1) % d->num);
        vf_make_available(d, head);
        return;
    }

    /* The descriptors, in chain order. */
    for (unsigned i = 0; i < nseg && n < VF_MAX_DESCS; i++) {
        if (kind == 3 && segs[i].len >= 2 && n + 1 < VF_MAX_DESCS) {
            uint32_t half = segs[i].len / 2;
            descs[n++] = (VfSeg){segs[i].addr, half, segs[i].write};
            descs[n++] = (VfSeg){segs[i].addr + half, segs[i].len - half, segs[i].write};
        } else {
            descs[n++] = segs[i];
        }
    }
    /* A chain longer than the ring only fits in an indirect table. */
    if (n > d->num && kind != 6) {
        indirect = true;
    }
    if (indirect) {
        table = vf_window() + VF_INDIRECT;
    }
    for (unsigned i = 0; i < n; i++) {
        idx[i] = indirect ? (uint16_t)i : (uint16_t)((d->next_desc + i) % d->num);
    }
    for (unsigned i = 0; i < n; i++) {
        uint16_t flags = descs[i].write ? VRING_DESC_F_WRITE : 0;
        uint16_t next = 0;

        if (i + 1 < n) {
            flags |= VRING_DESC_F_NEXT;
            next = idx[i + 1];
        } else if (kind == 6) {
            flags |= VRING_DESC_F_NEXT; /* back to the head, or (shape bit 3) to itself */
            next = idx[(shape & 8) ? i : 0];
        } else if (bad == VF_BAD_NEXT_BEYOND) {
            flags |= VRING_DESC_F_NEXT;
            next = (uint16_t)((indirect ? n : d->num) + arg);
        }
        vf_desc(table, idx[i], descs[i].addr, descs[i].len, flags, next);
    }
    if (bad == VF_BAD_NESTED_INDIRECT) {
        /* The indirect table's first entry is itself indirect. */
        vf_desc(table, 0, table + VRING_DESC_SIZE, (uint32_t)(n * VRING_DESC_SIZE),
                VRING_DESC_F_INDIRECT | (n > 1 ? VRING_DESC_F_NEXT : 0), 1);
    }
    if (indirect) {
        uint64_t taddr = table;
        uint32_t tlen = (uint32_t)(n * VRING_DESC_SIZE);

        if (bad == VF_BAD_INDIRECT_TABLE) {
            switch (arg % 4) {
            case 0:
                tlen = 0;
                break;
            case 1:
                tlen -= 1 + arg / 4 % 15; /* not a whole number of descriptors */
                break;
            case 2:
                tlen = UINT32_MAX & ~15u;
                break;
            default:
                taddr = vf_bad_address(d, arg / 4);
                break;
            }
        }
        head = d->next_desc % d->num;
        vf_desc(d->desc, head, taddr, tlen, VRING_DESC_F_INDIRECT, 0);
        d->next_desc = (uint16_t)((d->next_desc + 1) % d->num);
    } else {
        head = n ? idx[0] : d->next_desc % d->num;
        d->next_desc = (uint16_t)((d->next_desc + MAX(n, 1u)) % d->num);
    }
    if (bad == VF_BAD_HEAD_BEYOND) {
        head = d->num + arg;
    }

    vf_make_available(d, head);
}

/*
 * Reads the used ring after a notify: true if the request just made
 * available was used (requests complete inside the notify), with its
 * written length in *len.  Acknowledges the interrupt as a driver would.
 */
static bool vf_reap(VfDriver *d, uint32_t *len)
{
    uint16_t used_idx;
    bool done = false;

    if (!vf_in_window(d->used, 4 + 8 * (uint64_t)d->num)) {
        return false; /* not a ring the driver can read */
    }
    used_idx = vf_get16(d->used + 2);
    while (d->used_seen != used_idx) {
        uint64_t e = d->used + 4 + 8 * (uint64_t)(d->used_seen % d->num);
        *len = vf_get32(e + 4);
        d->used_seen++;
        vf_stats.completed++;
        done = true;
        if ((uint16_t)(used_idx - d->used_seen) > d->num) {
            d->used_seen = used_idx; /* the device wrote nonsense over its own ring */
        }
    }
    if (done) {
        d->completed_any = true;
        vf_reg_write(d, VIRTIO_MMIO_INTERRUPT_ACK, vf_reg_read(d, VIRTIO_MMIO_INTERRUPT_STATUS));
    }
    return done;
}

static void vf_keep_data(uint64_t addr, size_t len)
{
    vf_stats.last_len = MIN(len, (size_t)VIRTIO_FUZZ_LAST_DATA);
    if (vf_stats.last_len) {
        fuzz_memread(addr, vf_stats.last_data, vf_stats.last_len);
    }
}

/*
 * A block request: type byte (0 IN, 1 OUT, 2 FLUSH, 3 GET_ID, 4 DISCARD,
 * 5 WRITE_ZEROES, 6 IN or OUT with BARRIER, 7 a raw u32 type), sector byte
 * (< 0xc0: in the disk; else near its end or a raw u64), count byte
 * (sectors 1..8; 0xc0 set: a length that is not whole sectors), data
 * byte (OUT data is data + i), shape byte.
 */
static void vf_blk_request(VfDriver *d, VfInput *in)
{
    uint64_t w = vf_window(), hdr = w + VF_HDR, st = hdr + 16, dwz = hdr + 32, id = hdr + 64;
    uint8_t t = vf_u8(in), sb = vf_u8(in), cb = vf_u8(in), db = vf_u8(in), shape = vf_u8(in);
    uint32_t type, bytes = ((cb & 7) + 1u) * VF_SECTOR, used_len = 0;
    uint64_t sector;
    uint8_t header[16], seg[16], status;
    VfSeg segs[VF_MAX_SEGS];
    unsigned n = 0;

    static const uint32_t types[] = {VF_BLK_T_IN,     VF_BLK_T_OUT,     VF_BLK_T_FLUSH,
                                     VF_BLK_T_GET_ID, VF_BLK_T_DISCARD, VF_BLK_T_WRITE_ZEROES};
    if ((t & 7) < 6) {
        type = types[t & 7];
    } else if ((t & 7) == 6) {
        type = VF_BLK_T_BARRIER | ((t >> 3) & 1);
    } else {
        type = vf_u32(in);
    }
    if (sb < 0xc0) {
        sector = sb % VIRTIO_FUZZ_DISK_SECTORS;
    } else if (sb < 0xf0) {
        sector = VIRTIO_FUZZ_DISK_SECTORS - 4 + (sb & 7); /* across and past the end */
    } else {
        sector = vf_u64(in);
    }
    if ((cb & 0xc0) == 0xc0) {
        bytes -= 1 + ((cb >> 3) & 7);
    }

    vf_store_le(header, type, 4);
    vf_store_le(header + 4, 0, 4);
    vf_store_le(header + 8, sector, 8);
    fuzz_memwrite(hdr, header, sizeof(header));
    segs[n++] = (VfSeg){hdr, sizeof(header), false};
    switch (type & ~VF_BLK_T_BARRIER) {
    case VF_BLK_T_IN:
        segs[n++] = (VfSeg){w + VF_DATA, bytes, true};
        break;
    case VF_BLK_T_OUT: {
        g_autofree uint8_t *data = g_malloc(bytes);
        for (uint32_t i = 0; i < bytes; i++) {
            data[i] = (uint8_t)(db + i);
        }
        fuzz_memwrite(w + VF_DATA, data, bytes);
        segs[n++] = (VfSeg){w + VF_DATA, bytes, false};
        break;
    }
    case VF_BLK_T_FLUSH:
        break;
    case VF_BLK_T_GET_ID:
        segs[n++] = (VfSeg){id, VF_BLK_ID_BYTES, true};
        break;
    case VF_BLK_T_DISCARD:
    case VF_BLK_T_WRITE_ZEROES:
        vf_store_le(seg, sector, 8);
        vf_store_le(seg + 8, (cb & 7) + 1u, 4);
        vf_store_le(seg + 12, (cb >> 4) & 3, 4); /* 1: unmap; 2, 3: unknown flags */
        fuzz_memwrite(dwz, seg, sizeof(seg));
        segs[n++] = (VfSeg){dwz, sizeof(seg), false};
        break;
    default:
        segs[n++] = (VfSeg){w + VF_DATA, bytes, false};
        break;
    }
    status = 0xff; /* no device writes this */
    fuzz_memwrite(st, &status, 1);
    segs[n++] = (VfSeg){st, 1, true};

    vf_submit(d, in, segs, n, shape);
    if (!vf_reap(d, &used_len)) {
        return;
    }
    fuzz_memread(st, &status, 1);
    vf_stats.status[MIN(status, 3)]++;
    vf_stats.last_status = status;
    vf_stats.last_used_len = used_len;
    vf_stats.last_len = 0;
    if (status == 0 && (type & ~VF_BLK_T_BARRIER) == VF_BLK_T_IN) {
        vf_keep_data(w + VF_DATA, bytes);
    } else if (status == 0 && type == VF_BLK_T_GET_ID) {
        vf_keep_data(id, VF_BLK_ID_BYTES);
    }
    if (status == 0 && type != VF_BLK_T_GET_ID) {
        d->backend_any = true; /* done by core/block.c (unknown types answer UNSUPP) */
    }
}

/*
 * An entropy request: count byte (1..3 buffers, bit 7: one more,
 * device-readable, first), then per buffer a u16 size (& 0xfff, + 1; top
 * nibble 0xf: 64 KiB + that, past the device's chunk), then the shape byte.
 */
static void vf_rng_request(VfDriver *d, VfInput *in)
{
    uint64_t w = vf_window(), addr = w + VF_DATA;
    uint8_t nb = vf_u8(in);
    unsigned nbufs = nb % 3 + 1, n = 0;
    uint32_t used_len = 0;
    uint64_t asked = 0;
    VfSeg segs[VF_MAX_SEGS];

    if (nb & 0x80) {
        segs[n++] = (VfSeg){w + VF_HDR, 16, false};
    }
    for (unsigned i = 0; i < nbufs; i++) {
        uint16_t v = vf_u16(in);
        uint32_t size = (v >> 12) == 0xf ? 0x10000u + (v & 0xfff) : (v & 0xfffu) + 1;
        uint64_t room = w + VF_DATA + VF_DATA_MAX - addr;

        size = (uint32_t)MIN((uint64_t)size, room ? room : 1);
        segs[n++] = (VfSeg){addr, size, true};
        asked += size;
        addr = MIN(addr + size, w + VF_DATA + VF_DATA_MAX - 1);
    }
    vf_submit(d, in, segs, n, vf_u8(in));
    if (!vf_reap(d, &used_len)) {
        return;
    }
    /* A used entry the device wrote over (a chain aimed at the rings) is not counted. */
    if (used_len <= asked) {
        vf_stats.rng_bytes += used_len;
    }
    vf_stats.last_used_len = used_len;
    vf_keep_data(w + VF_DATA, MIN(used_len, segs[nb & 0x80 ? 1 : 0].len));
    if (used_len) {
        d->backend_any = true;
    }
}

/* ---- commands ---------------------------------------------------------------------------- */

static void vf_command(VfDriver *d, VfInput *in)
{
    uint8_t op = vf_u8(in) % 16;

    if (op < 10) {
        if (d->blk) {
            vf_blk_request(d, in);
        } else {
            vf_rng_request(d, in);
        }
        return;
    }
    switch (op) {
    case 10: /* notify again, or a queue that does not exist */
        vf_reg_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, vf_u8(in) % 4);
        break;
    case 11: { /* config space: offset 0..63, 1, 2 or 4 bytes; a write if the next byte is odd */
        uint8_t b = vf_u8(in);
        unsigned size = 1u << ((b >> 6) % 3);
        uint64_t addr = d->base + VIRTIO_MMIO_CONFIG + (b & 63);

        if (vf_u8(in) & 1) {
            fuzz_write(size, addr, vf_u32(in));
        } else {
            fuzz_read(size, addr);
        }
        break;
    }
    case 12: /* interrupt status, acknowledge of any bits, status */
        vf_reg_read(d, VIRTIO_MMIO_INTERRUPT_STATUS);
        vf_reg_write(d, VIRTIO_MMIO_INTERRUPT_ACK, vf_u8(in));
        vf_reg_read(d, VIRTIO_MMIO_STATUS);
        break;
    case 13: { /* the clock: to the next deadline, or a number of microseconds */
        uint16_t us = vf_u16(in);
        if (us) {
            fuzz_clock_step((int64_t)us * 1000);
        } else {
            fuzz_clock_step_next();
        }
        break;
    }
    case 14: /* the driver starts over: reset and a new set-up */
        vf_setup(d, in);
        break;
    default: { /* any register, any value */
        uint8_t off = vf_u8(in);
        vf_reg_write(d, (unsigned)(off & 0x3f) * 4, vf_u32(in));
        break;
    }
    }
}

static void vf_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    const VirtioFuzzConfig *c = fuzz_current_target()->opaque;
    VfInput in = {data, size, 0};
    VfDriver d = {
        .base = vf_slot,
        .legacy = c->legacy,
        .blk = c->device_id == VIRTIO_ID_BLOCK,
    };

    vf_stats.inputs++;
    if (!vf_slot) {
        return; /* pre_fuzz found no device: the command line is wrong, nothing to drive */
    }
    vf_setup(&d, &in);
    while (vf_more(&in)) {
        vf_command(&d, &in);
    }
    if (vf_reg_read(&d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET) {
        vf_stats.needs_reset++;
    }
    vf_stats.inputs_completed += d.completed_any;
    vf_stats.inputs_backend += d.backend_any;
}

/* ---- the machine ------------------------------------------------------------------------- */

/* The slot the device landed in: the transport whose magic and device id match. */
static void vf_pre_fuzz(QTestState *s)
{
    const VirtioFuzzConfig *c = fuzz_current_target()->opaque;

    vf_slot = 0;
    vf_version = 0;
    for (unsigned i = 0; i < 8; i++) {
        uint64_t base = virt_memmap[VIRT_VIRTIO].base + (uint64_t)i * virt_memmap[VIRT_VIRTIO].size;

        if (fuzz_read(4, base + VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MMIO_MAGIC &&
            fuzz_read(4, base + VIRTIO_MMIO_DEVICE_ID) == c->device_id) {
            vf_slot = base;
            vf_version = (unsigned)fuzz_read(4, base + VIRTIO_MMIO_VERSION);
            break;
        }
    }
    if (!vf_slot) {
        fuzz_fail("no virtio-mmio transport has device id %u", c->device_id);
    }
}

/*
 * The block image: a fixed path and fixed contents, so that the command
 * line of a reproducer works as long as the file is there (tern-fuzz
 * writes it again on every start).  g_file_set_contents replaces it
 * atomically, so processes starting side by side never see it half
 * written.  snapshot=on keeps the guest's writes in memory, where the
 * snapshot core restores them with the machine.
 */
static uint8_t vf_image_byte(size_t i)
{
    return virtio_fuzz_image_byte(i);
}

static void vf_pre_vm_init(void)
{
    Error *err = NULL;

    g_free(vf_image);
    vf_image = fuzz_fixed_image("tern-fuzz-virtio-blk.img",
                                (size_t)VIRTIO_FUZZ_DISK_SECTORS * VF_SECTOR, vf_image_byte, &err);
    if (!vf_image) {
        /* The drive then fails to open, naming the file; the reason is said here. */
        fuzz_fail("%s", error_get_pretty(err));
        error_free(err);
        vf_image = g_build_filename(g_get_tmp_dir(), "tern-fuzz-virtio-blk.img", NULL);
    }
}

static GString *vf_cmdline(FuzzTarget *t)
{
    const VirtioFuzzConfig *c = t->opaque;
    GString *cmd = g_string_new("riscv64 -M virt -bios none -nodefaults -machine accel=qtest "
                                "-m 64M");

    if (!c->legacy) {
        g_string_append(cmd, " -global virtio-mmio.force-legacy=false");
    }
    if (c->device_id == VIRTIO_ID_BLOCK) {
        g_autofree char *drive = NULL;
        g_autofree char *quoted = NULL;

        if (!vf_image) {
            vf_pre_vm_init();
        }
        /* The serial on the device: QEMU 7.2 refuses -drive serial= (the diff mode runs it). */
        drive = g_strdup_printf("if=none,id=d0,file=%s,format=raw,snapshot=on", vf_image);
        quoted = g_shell_quote(drive);
        g_string_append_printf(
            cmd, " -drive %s -device virtio-blk-device,drive=d0,serial=tern-fuzz", quoted);
    } else {
        g_string_append(cmd, " -object rng-builtin,id=rng0,seed=42"
                             " -device virtio-rng-device,rng=rng0");
    }
    return cmd;
}

static void vf_register(void)
{
    static const char *const names[] = {"virtio-blk", "virtio-rng", "virtio-blk-legacy",
                                        "virtio-rng-legacy"};
    static const char *const descriptions[] = {
        "virtio-blk (modern transport): structure-aware queues and requests",
        "virtio-rng (modern transport): structure-aware queues and buffers",
        "virtio-blk (legacy transport): structure-aware queues and requests",
        "virtio-rng (legacy transport): structure-aware queues and buffers",
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(vf_configs); i++) {
        FuzzTarget t = {
            .name = names[i],
            .description = descriptions[i],
            .get_init_cmdline = vf_cmdline,
            .pre_vm_init = vf_configs[i].device_id == VIRTIO_ID_BLOCK ? vf_pre_vm_init : NULL,
            .pre_fuzz = vf_pre_fuzz,
            .fuzz = vf_fuzz,
            .opaque = (void *)&vf_configs[i],
        };
        fuzz_add_target(&t);
    }
}

fuzz_target_init(vf_register);
