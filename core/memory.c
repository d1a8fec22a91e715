/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory.c - regions, flattened address spaces, MMIO dispatch, RAM, DMA.
 *
 * The topology (which region is where) changes rarely; accesses are
 * frequent.  So every change bumps one generation counter, and an address
 * space rebuilds its flat table of leaf ranges the next time it is used.
 * Dispatch is a binary search in that table, then a memcpy (RAM) or the
 * ops callbacks (MMIO) with the access checked, split or widened here, once,
 * instead of in every device.
 *
 * Not here: what the CPU does with a failed access (an exception), and
 * snapshot policy (the dirty bitmap is only the mechanism).
 */
#include "core/memory.h"

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <glib.h>

#include "core/bswap.h"
#include "core/log.h"
#include "core/timer.h"
#include "core/trace.h"

/* A device's own transfers to and from guest memory (not the harts' or qtest's accesses). */
TRACE_EVENT(dma_read, "addr 0x%" PRIx64 " len %" PRIu64, (uint64_t addr, uint64_t len), (addr, len))
TRACE_EVENT(dma_write, "addr 0x%" PRIx64 " len %" PRIu64, (uint64_t addr, uint64_t len),
            (addr, len))
TRACE_EVENT(dma_set, "addr 0x%" PRIx64 " byte 0x%02x len %" PRIu64,
            (uint64_t addr, unsigned byte, uint64_t len), (addr, byte, len))

static unsigned memory_generation = 1;
static unsigned memory_epoch = 1;

static void memory_topology_changed(void)
{
    memory_generation++;
    memory_epoch++;
}

unsigned memory_cache_epoch(void)
{
    return memory_epoch;
}

void memory_cache_invalidate(void)
{
    memory_epoch++;
}

/* ---- regions ------------------------------------------------------------------- */

static void memory_region_common_init(MemoryRegion *mr, MemoryRegionKind kind, Object *owner,
                                      const char *name, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->kind = kind;
    mr->owner = owner;
    mr->name = g_strdup(name ? name : "anonymous");
    mr->size = size;
    mr->enabled = true;
}

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name, uint64_t size)
{
    memory_region_common_init(mr, MR_CONTAINER, owner, name, size);
}

void memory_region_init_io(MemoryRegion *mr, Object *owner, const MemoryRegionOps *ops,
                           void *opaque, const char *name, uint64_t size)
{
    memory_region_common_init(mr, MR_IO, owner, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

static bool memory_region_alloc_ram(MemoryRegion *mr, Error **errp)
{
    size_t pages = (mr->size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
    size_t bytes = pages << TARGET_PAGE_BITS;
    void *p;

    if (!mr->size) {
        return true;
    }
    /* Reserved, not committed: pages appear when first touched. */
    p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
             0);
    if (p == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot reserve %" PRIu64 " bytes for '%s'", mr->size,
                         mr->name);
        return false;
    }
    mr->ram = p;
    mr->ram_mapped = bytes;
    mr->dirty = g_new0(unsigned long, (pages + 63) / 64);
    return true;
}

bool memory_region_init_ram(MemoryRegion *mr, Object *owner, const char *name, uint64_t size,
                            Error **errp)
{
    memory_region_common_init(mr, MR_RAM, owner, name, size);
    if (!memory_region_alloc_ram(mr, errp)) {
        memory_region_finalize(mr);
        return false;
    }
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, Object *owner, const char *name, uint64_t size,
                            Error **errp)
{
    memory_region_common_init(mr, MR_ROM, owner, name, size);
    if (!memory_region_alloc_ram(mr, errp)) {
        memory_region_finalize(mr);
        return false;
    }
    return true;
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner, const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    memory_region_common_init(mr, MR_ALIAS, owner, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_finalize(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    for (unsigned i = 0; i < mr->nr_subregions; i++) {
        mr->subregions[i]->container = NULL;
    }
    g_free(mr->subregions);
    if (mr->ram) {
        munmap(mr->ram, mr->ram_mapped);
    }
    g_free(mr->dirty);
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
    memory_topology_changed();
}

void memory_region_add_subregion_overlap(MemoryRegion *parent, hwaddr offset, MemoryRegion *child,
                                         int priority)
{
    static unsigned seq;

    assert(!child->container);
    if (parent->nr_subregions == parent->subregions_cap) {
        parent->subregions_cap = parent->subregions_cap ? 2 * parent->subregions_cap : 8;
        parent->subregions = g_renew(MemoryRegion *, parent->subregions, parent->subregions_cap);
    }
    parent->subregions[parent->nr_subregions++] = child;
    child->container = parent;
    child->addr = offset;
    child->priority = priority;
    child->seq = ++seq;
    memory_topology_changed();
}

void memory_region_add_subregion(MemoryRegion *parent, hwaddr offset, MemoryRegion *child)
{
    memory_region_add_subregion_overlap(parent, offset, child, 0);
}

void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child)
{
    for (unsigned i = 0; i < parent->nr_subregions; i++) {
        if (parent->subregions[i] == child) {
            memmove(&parent->subregions[i], &parent->subregions[i + 1],
                    (parent->nr_subregions - i - 1) * sizeof(parent->subregions[0]));
            parent->nr_subregions--;
            child->container = NULL;
            memory_topology_changed();
            return;
        }
    }
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_topology_changed();
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    if (mr->addr != addr) {
        mr->addr = addr;
        memory_topology_changed();
    }
}

const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name;
}

uint64_t memory_region_size(const MemoryRegion *mr)
{
    return mr->size;
}

bool memory_region_is_ram(const MemoryRegion *mr)
{
    return mr->kind == MR_RAM || mr->kind == MR_ROM;
}

uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    hwaddr offset = 0;

    while (mr->kind == MR_ALIAS) {
        offset += mr->alias_offset;
        mr = mr->alias;
    }
    return mr->ram ? mr->ram + offset : NULL;
}

/* ---- dirty pages ----------------------------------------------------------------- */

static size_t memory_region_pages(const MemoryRegion *mr)
{
    return (mr->size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
}

static void memory_region_dirty_log_append(MemoryRegion *mr, size_t page);

void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    size_t first, last;

    if (!mr->dirty || !len || offset >= mr->size) {
        return;
    }
    len = MIN(len, mr->size - offset);
    first = offset >> TARGET_PAGE_BITS;
    last = (offset + len - 1) >> TARGET_PAGE_BITS;
    for (size_t p = first; p <= last; p++) {
        unsigned long bit = 1ul << (p % 64);

        if (mr->dirty_log && !(mr->dirty[p / 64] & bit)) {
            memory_region_dirty_log_append(mr, p);
        }
        mr->dirty[p / 64] |= bit;
    }
}

bool memory_region_get_dirty(const MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    size_t first, last;

    if (!mr->dirty || !len || offset >= mr->size) {
        return false;
    }
    len = MIN(len, mr->size - offset);
    first = offset >> TARGET_PAGE_BITS;
    last = (offset + len - 1) >> TARGET_PAGE_BITS;
    for (size_t p = first; p <= last; p++) {
        if (mr->dirty[p / 64] & (1ul << (p % 64))) {
            return true;
        }
    }
    return false;
}

void memory_region_reset_dirty(MemoryRegion *mr)
{
    memory_cache_invalidate();
    if (mr->dirty) {
        memset(mr->dirty, 0, (memory_region_pages(mr) + 63) / 64 * sizeof(unsigned long));
    }
}

size_t memory_region_foreach_dirty(MemoryRegion *mr, void (*fn)(size_t page, void *opaque),
                                   void *opaque)
{
    size_t pages = memory_region_pages(mr), count = 0;

    if (!mr->dirty) {
        return 0;
    }
    for (size_t w = 0; w < (pages + 63) / 64; w++) {
        unsigned long bits = mr->dirty[w];
        while (bits) {
            size_t p = w * 64 + __builtin_ctzl(bits);
            bits &= bits - 1;
            if (fn) {
                fn(p, opaque);
            }
            count++;
        }
    }
    return count;
}

/* ---- flattening ---------------------------------------------------------------------- */

typedef struct FlatBuilder {
    GArray *ranges; /* FlatRange, sorted by start, disjoint */
} FlatBuilder;

/* Last address of [start, start+size), saturating at 2^64-1; size > 0. */
static hwaddr range_last(hwaddr start, uint64_t size)
{
    return size - 1 > UINT64_MAX - start ? UINT64_MAX : start + (size - 1);
}

/* Adds mr over [start, last] wherever nothing of higher precedence is already there. */
static void flat_fill_gaps(FlatBuilder *fb, hwaddr start, hwaddr last, MemoryRegion *mr,
                           hwaddr mr_offset_at_start)
{
    GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(FlatRange), fb->ranges->len + 4);
    hwaddr cursor = start;
    bool done = false;

    for (guint i = 0; i < fb->ranges->len; i++) {
        FlatRange *r = &g_array_index(fb->ranges, FlatRange, i);

        if (!done && r->start > cursor && cursor <= last) {
            hwaddr gap_last = MIN(last, r->start - 1);
            FlatRange nr = {cursor, gap_last, mr, mr_offset_at_start + (cursor - start)};
            g_array_append_val(out, nr);
            if (gap_last == last) {
                done = true;
            } else {
                cursor = gap_last + 1;
            }
        }
        g_array_append_val(out, *r);
        if (!done && r->last >= cursor) {
            if (r->last >= last) {
                done = true;
            } else {
                cursor = r->last + 1;
            }
        }
    }
    if (!done && cursor <= last) {
        FlatRange nr = {cursor, last, mr, mr_offset_at_start + (cursor - start)};
        g_array_append_val(out, nr);
    }
    g_array_free(fb->ranges, TRUE);
    fb->ranges = out;
}

static int subregion_precedence(const void *a, const void *b)
{
    const MemoryRegion *x = *(MemoryRegion *const *)a, *y = *(MemoryRegion *const *)b;

    /* Highest priority first; among equals, the later insertion first. */
    if (x->priority != y->priority) {
        return x->priority > y->priority ? -1 : 1;
    }
    return x->seq > y->seq ? -1 : (x->seq < y->seq ? 1 : 0);
}

/*
 * Renders the offsets [clip_start, clip_last] of mr, whose offset 0 sits at
 * absolute address abs0 (modulo 2^64, so an alias may shift its target
 * "below zero" safely): subregions first in precedence order, then mr itself
 * into whatever they left uncovered.
 */
static void flat_render(FlatBuilder *fb, MemoryRegion *mr, hwaddr abs0, hwaddr clip_start,
                        hwaddr clip_last, unsigned depth)
{
    if (!mr->enabled || !mr->size || depth > 32) {
        return;
    }
    clip_last = MIN(clip_last, mr->size - 1);
    if (clip_start > clip_last) {
        return;
    }
    if (mr->kind == MR_ALIAS) {
        hwaddr t_start = clip_start + mr->alias_offset;
        hwaddr t_last = clip_last + mr->alias_offset;

        if (t_start < clip_start || t_last < clip_last) {
            return; /* the alias reaches past the end of its target's offsets */
        }
        flat_render(fb, mr->alias, abs0 - mr->alias_offset, t_start, t_last, depth + 1);
        return;
    }
    if (mr->nr_subregions) {
        MemoryRegion **subs = g_memdup2(mr->subregions, mr->nr_subregions * sizeof(*subs));

        qsort(subs, mr->nr_subregions, sizeof(*subs), subregion_precedence);
        for (unsigned i = 0; i < mr->nr_subregions; i++) {
            MemoryRegion *sub = subs[i];
            hwaddr s_last;

            if (!sub->size) {
                continue;
            }
            s_last = range_last(sub->addr, sub->size);
            if (s_last < clip_start || sub->addr > clip_last) {
                continue;
            }
            flat_render(fb, sub, abs0 + sub->addr, MAX(clip_start, sub->addr) - sub->addr,
                        MIN(clip_last, s_last) - sub->addr, depth + 1);
        }
        g_free(subs);
    }
    if (mr->kind != MR_CONTAINER) {
        flat_fill_gaps(fb, abs0 + clip_start, abs0 + clip_last, mr, clip_start);
    }
}

static void address_space_update(AddressSpace *as)
{
    FlatBuilder fb;

    if (as->built_generation == memory_generation) {
        return;
    }
    fb.ranges = g_array_new(FALSE, FALSE, sizeof(FlatRange));
    if (as->root) {
        flat_render(&fb, as->root, 0, 0, UINT64_MAX, 0);
    }
    g_free(as->ranges);
    as->nr_ranges = fb.ranges->len;
    as->ranges = (FlatRange *)g_array_free(fb.ranges, FALSE);
    as->built_generation = memory_generation;
}

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name);
    as->root = root;
}

void address_space_destroy(AddressSpace *as)
{
    g_free(as->name);
    g_free(as->ranges);
    memset(as, 0, sizeof(*as));
}

/* Index of the first range whose last >= addr (nr_ranges if none). */
static unsigned address_space_find(AddressSpace *as, hwaddr addr)
{
    unsigned lo = 0, hi = as->nr_ranges;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (as->ranges[mid].last < addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const FlatRange *address_space_lookup(AddressSpace *as, hwaddr addr)
{
    unsigned i;

    address_space_update(as);
    i = address_space_find(as, addr);
    if (i < as->nr_ranges && as->ranges[i].start <= addr) {
        return &as->ranges[i];
    }
    return NULL;
}

/* ---- MMIO dispatch ------------------------------------------------------------------- */

/*
 * The re-entrancy guard: owners whose MMIO callback is running.  An access
 * to a region of an owner already on this stack is a device reaching its own
 * registers through DMA (or an IRQ path): refused, never recursed.
 */
#define MMIO_DEPTH_MAX 16
static Object *mmio_active[MMIO_DEPTH_MAX];
static unsigned mmio_depth;

static bool mmio_enter(MemoryRegion *mr, hwaddr addr, bool is_write)
{
    for (unsigned i = 0; i < mmio_depth; i++) {
        if (mr->owner && mmio_active[i] == mr->owner) {
            tern_log_mask(LOG_GUEST_ERROR,
                          "blocked re-entrant %s of region '%s' at offset 0x%" HWADDR_PRIx
                          " (its own device is already handling an access)\n",
                          is_write ? "write" : "read", mr->name, addr);
            return false;
        }
    }
    if (mmio_depth == MMIO_DEPTH_MAX) {
        tern_log_mask(LOG_GUEST_ERROR, "blocked %s of region '%s': MMIO nested too deep\n",
                      is_write ? "write" : "read", mr->name);
        return false;
    }
    mmio_active[mmio_depth++] = mr->owner;
    return true;
}

static void mmio_leave(void)
{
    mmio_depth--;
}

static unsigned ops_valid_min(const MemoryRegionOps *ops)
{
    return ops->valid.min_access_size ? ops->valid.min_access_size : 1;
}

static unsigned ops_valid_max(const MemoryRegionOps *ops)
{
    return ops->valid.max_access_size ? ops->valid.max_access_size : 4;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

static bool mmio_access_valid(MemoryRegion *mr, hwaddr addr, unsigned size, bool is_write)
{
    const MemoryRegionOps *ops = mr->ops;
    const char *why = NULL;

    if (size < ops_valid_min(ops) || size > ops_valid_max(ops)) {
        why = "access size not accepted";
    } else if (!ops->valid.unaligned && (addr & (size - 1))) {
        why = "unaligned";
    } else if (addr >= mr->size || size > mr->size - addr) {
        why = "beyond the region";
    } else if (is_write ? !ops->write : !ops->read) {
        why = is_write ? "read-only region" : "write-only region";
    }
    if (why) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "invalid %s at offset 0x%" HWADDR_PRIx ", size %u, region '%s': %s\n",
                      is_write ? "write" : "read", addr, size, mr->name, why);
        return false;
    }
    return true;
}

/* Sub-access i of an access split into n pieces of piece bytes: its shift in the value. */
static unsigned piece_shift(const MemoryRegionOps *ops, unsigned size, unsigned piece,
                            unsigned offset)
{
    return ops->endianness == DEVICE_BIG_ENDIAN ? (size - piece - offset) * 8 : offset * 8;
}

static unsigned impl_access_size(const MemoryRegionOps *ops, unsigned size)
{
    unsigned imin = ops->impl.min_access_size ? ops->impl.min_access_size : 1;
    unsigned imax = ops->impl.max_access_size ? ops->impl.max_access_size : 4;

    return MAX(MIN(size, imax), imin);
}

static MemTxResult mmio_read(MemoryRegion *mr, hwaddr addr, unsigned size, uint64_t *value)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned piece = impl_access_size(ops, size);
    uint64_t v = 0;

    *value = 0;
    if (!mmio_access_valid(mr, addr, size, false)) {
        return MEMTX_ERROR;
    }
    if (!mmio_enter(mr, addr, false)) {
        return MEMTX_REENTRANCY;
    }
    if (piece >= size) {
        v = ops->read(mr->opaque, addr, piece) & size_mask(size);
    } else {
        for (unsigned off = 0; off < size; off += piece) {
            uint64_t part = ops->read(mr->opaque, addr + off, piece) & size_mask(piece);
            v |= part << piece_shift(ops, size, piece, off);
        }
    }
    mmio_leave();
    if (ops->endianness == DEVICE_BIG_ENDIAN) {
        v = bswap_sized(v, size);
    }
    *value = v;
    return MEMTX_OK;
}

static MemTxResult mmio_write(MemoryRegion *mr, hwaddr addr, unsigned size, uint64_t value)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned piece = impl_access_size(ops, size);

    if (!mmio_access_valid(mr, addr, size, true)) {
        return MEMTX_ERROR;
    }
    if (!mmio_enter(mr, addr, true)) {
        return MEMTX_REENTRANCY;
    }
    value &= size_mask(size);
    if (ops->endianness == DEVICE_BIG_ENDIAN) {
        value = bswap_sized(value, size);
    }
    if (piece >= size) {
        ops->write(mr->opaque, addr, value, piece);
    } else {
        for (unsigned off = 0; off < size; off += piece) {
            ops->write(mr->opaque, addr + off,
                       (value >> piece_shift(ops, size, piece, off)) & size_mask(piece), piece);
        }
    }
    mmio_leave();
    return MEMTX_OK;
}

/* ---- accesses ------------------------------------------------------------------------ */

static void log_unassigned(AddressSpace *as, hwaddr addr, hwaddr len, bool is_write)
{
    tern_log_mask(LOG_GUEST_ERROR,
                  "unassigned %s at 0x%" HWADDR_PRIx ", %" PRIu64 " byte%s, address space '%s'\n",
                  is_write ? "write" : "read", addr, len, len == 1 ? "" : "s", as->name);
}

/* The largest access size the region takes at offset for up to len bytes (QEMU's rule). */
static unsigned mmio_access_size(MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    unsigned max = ops_valid_max(mr->ops);
    unsigned size;

    /* An offset with 4+ trailing zero bits is aligned for every size (and 1u << 32+ is UB). */
    if (!mr->ops->valid.unaligned && offset && __builtin_ctzll(offset) < 4) {
        unsigned align = 1u << __builtin_ctzll(offset);
        max = MIN(max, align);
    }
    size = (unsigned)MIN((hwaddr)max, len);
    /* Round down to a power of two. */
    while (size & (size - 1)) {
        size &= size - 1;
    }
    return size ? size : 1;
}

/* memcpy(), with the 1-, 2-, 4- and 8-byte copies of sized accesses inlined rather than called. */
static inline void copy_bytes(uint8_t *dst, const uint8_t *src, hwaddr len)
{
    switch (len) {
    case 8:
        memcpy(dst, src, 8);
        break;
    case 4:
        memcpy(dst, src, 4);
        break;
    case 2:
        memcpy(dst, src, 2);
        break;
    case 1:
        *dst = *src;
        break;
    default:
        memcpy(dst, src, len);
        break;
    }
}

/*
 * Walks [addr, addr+len) range by range.  is_write selects the direction;
 * rom_ok lets writes reach ROM (loaders).  The guest-visible rules live here.
 */
static MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, uint8_t *buf, hwaddr len,
                                    bool is_write, bool rom_ok)
{
    MemTxResult result = MEMTX_OK;

    address_space_update(as);
    while (len) {
        unsigned i = address_space_find(as, addr);
        const FlatRange *r = i < as->nr_ranges ? &as->ranges[i] : NULL;
        hwaddr chunk;

        if (!r || r->start > addr) {
            /* A hole up to the next range (or the end). */
            chunk = r ? MIN(len, r->start - addr) : len;
            if (!is_write) {
                for (hwaddr k = 0; k < chunk; k++) {
                    buf[k] = (uint8_t)(as->unassigned_value >> (8 * (k % 8)));
                }
            }
            log_unassigned(as, addr, chunk, is_write);
            result |= MEMTX_DECODE_ERROR;
        } else {
            MemoryRegion *mr = r->mr;
            hwaddr offset = r->offset + (addr - r->start);

            chunk = MIN(len, r->last - addr + 1);
            if (r->last - addr + 1 == 0) {
                chunk = len; /* the range runs to 2^64-1 and covers len */
            }
            if (mr->kind == MR_RAM || mr->kind == MR_ROM) {
                if (!is_write) {
                    copy_bytes(buf, mr->ram + offset, chunk);
                } else if (mr->kind == MR_RAM || rom_ok) {
                    copy_bytes(mr->ram + offset, buf, chunk);
                    memory_region_set_dirty(mr, offset, chunk);
                } else {
                    tern_log_mask(LOG_GUEST_ERROR,
                                  "write to ROM '%s' at offset 0x%" HWADDR_PRIx " ignored\n",
                                  mr->name, offset);
                }
            } else if (rom_ok) {
                result |= MEMTX_ERROR; /* loaders write only RAM and ROM */
            } else {
                unsigned size = mmio_access_size(mr, offset, chunk);
                uint64_t v;

                /* A transfer split into accesses pays one unit each (a fuzzer's limit). */
                if (len > size && !clock_budget_charge_transfer(1)) {
                    result |= MEMTX_ERROR;
                    break;
                }
                chunk = size;
                if (is_write) {
                    result |= mmio_write(mr, offset, size, load_le_sized(buf, size));
                } else {
                    result |= mmio_read(mr, offset, size, &v);
                    store_le_sized(buf, v, size);
                }
            }
        }
        buf += chunk;
        addr += chunk;
        len -= chunk;
    }
    return result;
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len)
{
    return address_space_rw(as, addr, buf, len, false, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr, const void *buf, hwaddr len)
{
    return address_space_rw(as, addr, (uint8_t *)buf, len, true, false);
}

MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr, const void *buf, hwaddr len)
{
    return address_space_rw(as, addr, (uint8_t *)buf, len, true, true);
}

MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size, uint64_t *value)
{
    const FlatRange *r = address_space_lookup(as, addr);
    uint8_t buf[8];
    MemTxResult res;

    assert(size == 1 || size == 2 || size == 4 || size == 8);
    if (r && r->mr->kind == MR_IO && r->last - addr >= size - 1) {
        return mmio_read(r->mr, r->offset + (addr - r->start), size, value);
    }
    res = address_space_read(as, addr, buf, size);
    *value = load_le_sized(buf, size);
    return res;
}

MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size, uint64_t value)
{
    const FlatRange *r = address_space_lookup(as, addr);
    uint8_t buf[8];

    assert(size == 1 || size == 2 || size == 4 || size == 8);
    if (r && r->mr->kind == MR_IO && r->last - addr >= size - 1) {
        return mmio_write(r->mr, r->offset + (addr - r->start), size, value);
    }
    store_le_sized(buf, value, size);
    return address_space_write(as, addr, buf, size);
}

/* ---- the system address spaces ------------------------------------------------------ */

static AddressSpace system_memory_as;
static bool system_memory_ready;

AddressSpace *address_space_memory(void)
{
    return system_memory_ready ? &system_memory_as : NULL;
}

void memory_system_init(MemoryRegion *system_root)
{
    memory_system_cleanup();
    address_space_init(&system_memory_as, system_root, "memory");
    system_memory_ready = true;
}

void memory_system_cleanup(void)
{
    if (system_memory_ready) {
        address_space_destroy(&system_memory_as);
        system_memory_ready = false;
    }
    mmio_depth = 0;
}

/* ---- DMA -------------------------------------------------------------------------------- */

#define DMA_BUDGET_CHUNK 4096

static DmaReadHook *dma_read_hook;
static void *dma_read_hook_opaque;

void dma_set_read_hook(DmaReadHook *hook, void *opaque)
{
    dma_read_hook = hook;
    dma_read_hook_opaque = opaque;
}

/* True when every byte of [addr, addr+len) is assigned and the range does not wrap. */
static bool dma_range_assigned(AddressSpace *as, hwaddr addr, hwaddr len, bool is_write)
{
    hwaddr cur = addr;

    if (!len) {
        return true;
    }
    if (len - 1 > UINT64_MAX - addr) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "DMA %s at 0x%" HWADDR_PRIx " of %" PRIu64 " bytes wraps around\n",
                      is_write ? "write" : "read", addr, len);
        return false;
    }
    for (;;) {
        const FlatRange *r = address_space_lookup(as, cur);
        if (!r) {
            tern_log_mask(LOG_GUEST_ERROR,
                          "DMA %s at 0x%" HWADDR_PRIx " of %" PRIu64
                          " bytes reaches unassigned 0x%" HWADDR_PRIx "\n",
                          is_write ? "write" : "read", addr, len, cur);
            return false;
        }
        if (r->last >= addr + (len - 1)) {
            return true;
        }
        cur = r->last + 1;
    }
}

/* One transfer unit per started 4 KiB: a fuzzer's budget bounds the bytes a device moves. */
static bool dma_charge(hwaddr len)
{
    return clock_budget_charge_transfer(len / DMA_BUDGET_CHUNK + (len % DMA_BUDGET_CHUNK != 0));
}

MemTxResult dma_memory_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len)
{
    trace_dma_read(addr, len);
    if (!dma_charge(len)) {
        memset(buf, 0, len);
        return MEMTX_ERROR;
    }
    if (!dma_range_assigned(as, addr, len, false)) {
        memset(buf, 0, len);
        return MEMTX_DECODE_ERROR;
    }
    if (dma_read_hook && len) {
        dma_read_hook(as, addr, len, dma_read_hook_opaque);
    }
    return address_space_read(as, addr, buf, len);
}

MemTxResult dma_memory_write(AddressSpace *as, hwaddr addr, const void *buf, hwaddr len)
{
    trace_dma_write(addr, len);
    if (!dma_charge(len)) {
        return MEMTX_ERROR;
    }
    if (!dma_range_assigned(as, addr, len, true)) {
        return MEMTX_DECODE_ERROR;
    }
    return address_space_write(as, addr, buf, len);
}

MemTxResult dma_memory_set(AddressSpace *as, hwaddr addr, uint8_t c, hwaddr len)
{
    uint8_t block[256];
    MemTxResult res = MEMTX_OK;

    trace_dma_set(addr, c, len);
    if (!dma_range_assigned(as, addr, len, true)) {
        return MEMTX_DECODE_ERROR;
    }
    memset(block, c, sizeof(block));
    for (uint64_t i = 0; len; i++) {
        hwaddr n = MIN(len, sizeof(block));
        /* Charged as it goes: a fill may be far larger than anything a device holds. */
        if (i % (DMA_BUDGET_CHUNK / sizeof(block)) == 0 && !clock_budget_charge_transfer(1)) {
            return res | MEMTX_ERROR;
        }
        res |= address_space_write(as, addr, block, n);
        addr += n;
        len -= n;
    }
    return res;
}

/* ---- the dirty log (snapshots) ------------------------------------------------------- */

static void memory_region_dirty_log_append(MemoryRegion *mr, size_t page)
{
    if (mr->dirty_log_len < mr->dirty_log_cap) {
        mr->dirty_log[mr->dirty_log_len++] = page;
    } else {
        mr->dirty_log_overflow = true;
    }
}

void memory_region_set_dirty_log(MemoryRegion *mr, size_t *buf, size_t cap)
{
    mr->dirty_log = buf;
    mr->dirty_log_cap = buf ? cap : 0;
    memory_region_dirty_log_clear(mr);
}

size_t memory_region_dirty_log(const MemoryRegion *mr, const size_t **pages)
{
    *pages = mr->dirty_log;
    return mr->dirty_log_overflow ? SIZE_MAX : mr->dirty_log_len;
}

void memory_region_dirty_log_clear(MemoryRegion *mr)
{
    mr->dirty_log_len = 0;
    mr->dirty_log_overflow = false;
}
