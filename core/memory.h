/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory.h - guest physical memory: regions, address spaces, RAM, DMA.
 *
 * A MemoryRegion is RAM, ROM, MMIO (callbacks through an ops struct), an
 * alias of part of another region, or a container of subregions placed at
 * offsets with priorities.  An AddressSpace is a root region flattened into
 * a sorted table of ranges (rebuilt lazily after the topology changes), so
 * that dispatch is one binary search.
 *
 * MMIO ops declare what the guest may do (valid: access sizes, alignment)
 * and what the callbacks implement (impl); the memory core rejects invalid
 * accesses and splits or widens the rest, and converts endianness, so that a
 * device sees only accesses it implements.  Rejected and unassigned accesses
 * read 0, ignore writes, return an error result and log a guest error
 * (-d guest_errors), as on QEMU's virt machine.
 *
 * RAM is reserved with mmap (pages appear when touched: a 1 TiB guest costs
 * nothing until used) and has a dirty bitmap, one bit per 4 KiB page, set by
 * every write through this API; snapshots use it.
 *
 * Devices reach guest memory only through the dma_memory_* helpers: bounds
 * checked, refused for unassigned addresses, and guarded against a device's
 * DMA re-entering its own MMIO.  Not here: the CPU's MMU (cpu/).
 */
#ifndef TERN_MEMORY_H
#define TERN_MEMORY_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/object.h"

typedef uint64_t hwaddr;
#define HWADDR_PRIx      PRIx64
#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1u << TARGET_PAGE_BITS)

/* Results are bit sets: 0 is success. */
typedef unsigned MemTxResult;
#define MEMTX_OK           0u
#define MEMTX_ERROR        (1u << 0) /* the device or the core refused the access */
#define MEMTX_DECODE_ERROR (1u << 1) /* nothing at this address */
#define MEMTX_REENTRANCY   (1u << 2) /* a device's DMA re-entered its own MMIO */

typedef enum {
    DEVICE_NATIVE_ENDIAN, /* little: RISC-V */
    DEVICE_LITTLE_ENDIAN,
    DEVICE_BIG_ENDIAN,
} DeviceEndian;

typedef struct MemoryRegionOps {
    /* addr is the offset in the region; size is an implemented access size. */
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    DeviceEndian endianness;
    struct {
        unsigned min_access_size; /* 0 means 1 */
        unsigned max_access_size; /* 0 means 4 */
        bool unaligned;           /* accesses not aligned to their size allowed */
    } valid;
    struct {
        unsigned min_access_size; /* 0 means 1 */
        unsigned max_access_size; /* 0 means 4 */
        bool unaligned;
    } impl;
} MemoryRegionOps;

typedef enum {
    MR_CONTAINER,
    MR_IO,
    MR_RAM,
    MR_ROM, /* RAM the guest cannot write (writes ignored and logged) */
    MR_ALIAS,
} MemoryRegionKind;

typedef struct MemoryRegion MemoryRegion;

struct MemoryRegion {
    MemoryRegionKind kind;
    char *name;
    Object *owner; /* for the re-entrancy guard and messages; not referenced */
    uint64_t size;
    bool enabled;
    /* placement in a container */
    MemoryRegion *container;
    hwaddr addr;
    int priority;
    unsigned seq; /* insertion order among equal priorities */
    /* MR_CONTAINER (any region may have subregions, as in QEMU) */
    struct MemoryRegion **subregions;
    unsigned nr_subregions, subregions_cap;
    /* MR_IO */
    const MemoryRegionOps *ops;
    void *opaque;
    /* MR_RAM, MR_ROM */
    uint8_t *ram;
    size_t ram_mapped; /* bytes mapped */
    unsigned long *dirty;
    /* pages whose dirty bit went from 0 to 1, when a snapshot asks (its buffer) */
    size_t *dirty_log;
    size_t dirty_log_len, dirty_log_cap;
    bool dirty_log_overflow;
    /* MR_ALIAS */
    MemoryRegion *alias;
    hwaddr alias_offset;
};

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name, uint64_t size);
void memory_region_init_io(MemoryRegion *mr, Object *owner, const MemoryRegionOps *ops,
                           void *opaque, const char *name, uint64_t size);
bool memory_region_init_ram(MemoryRegion *mr, Object *owner, const char *name, uint64_t size,
                            Error **errp);
bool memory_region_init_rom(MemoryRegion *mr, Object *owner, const char *name, uint64_t size,
                            Error **errp);
void memory_region_init_alias(MemoryRegion *mr, Object *owner, const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
/* Detaches mr from its container and its subregions, frees its RAM and name. */
void memory_region_finalize(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *parent, hwaddr offset, MemoryRegion *child);
/* Higher priority wins where subregions overlap; equal priorities: the later one wins. */
void memory_region_add_subregion_overlap(MemoryRegion *parent, hwaddr offset, MemoryRegion *child,
                                         int priority);
void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);

const char *memory_region_name(const MemoryRegion *mr);
uint64_t memory_region_size(const MemoryRegion *mr);
bool memory_region_is_ram(const MemoryRegion *mr); /* RAM or ROM */
/* Host pointer to the RAM/ROM contents (follows aliases), or NULL. */
uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr);

/* Dirty pages of RAM (offsets within mr). */
void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset, hwaddr len);
bool memory_region_get_dirty(const MemoryRegion *mr, hwaddr offset, hwaddr len);
/* Clears the bitmap of mr. */
void memory_region_reset_dirty(MemoryRegion *mr);
/* Calls fn for each dirty page (page index) in ascending order; returns the count. */
size_t memory_region_foreach_dirty(MemoryRegion *mr, void (*fn)(size_t page, void *opaque),
                                   void *opaque);
/*
 * The dirty log (for snapshots): with a buffer of cap entries, every page
 * whose dirty bit goes from 0 to 1 is appended, so that whoever clears the
 * bits can visit only those instead of scanning the bitmap.  When more than
 * cap pages are logged the log overflows (memory_region_dirty_log returns
 * SIZE_MAX) and the bitmap must be scanned.  The buffer stays the caller's;
 * NULL detaches it.  memory_region_dirty_log_clear empties the log (the
 * caller clears the bits it visited).
 */
void memory_region_set_dirty_log(MemoryRegion *mr, size_t *buf, size_t cap);
size_t memory_region_dirty_log(const MemoryRegion *mr, const size_t **pages);
void memory_region_dirty_log_clear(MemoryRegion *mr);

/*
 * Host pointers to RAM cached outside the memory core (the hart's TLB) are
 * valid while memory_cache_epoch() stays the same.  It changes with the
 * topology and whenever dirty bits are cleared (a cached store pointer
 * would otherwise write without marking its page dirty again).  Whoever
 * clears dirty bits directly (core/snapshot.c) calls memory_cache_invalidate().
 */
unsigned memory_cache_epoch(void);
void memory_cache_invalidate(void);

/* ---- address spaces ------------------------------------------------------------- */

typedef struct FlatRange {
    hwaddr start, last; /* [start, last] in the address space (inclusive: 2^64 fits) */
    MemoryRegion *mr;   /* leaf: RAM, ROM or IO (aliases resolved) */
    hwaddr offset;      /* offset in mr at start */
} FlatRange;

typedef struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatRange *ranges;
    unsigned nr_ranges;
    unsigned built_generation;
    /* What unassigned reads return: 0 (memory), or all ones (port I/O). */
    uint64_t unassigned_value;
} AddressSpace;

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
void address_space_destroy(AddressSpace *as);
/* The leaf range covering addr, or NULL (flattening first if the topology changed). */
const FlatRange *address_space_lookup(AddressSpace *as, hwaddr addr);

/*
 * Reads or writes len bytes at addr: RAM by copy, MMIO by accesses of the
 * largest size the region allows at each address (so a 4-byte read of a
 * register is one 4-byte access), bytes in little-endian order.  Parts that
 * fail read as the unassigned value and the results are OR-ed.
 */
MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr, const void *buf, hwaddr len);
/* One access of size 1, 2, 4 or 8 (what a load/store instruction or qtest readl does). */
MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size, uint64_t *value);
MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size, uint64_t value);
/* Writes into RAM and ROM alike (loaders); other targets are refused. */
MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr, const void *buf, hwaddr len);

/* The machine's system memory and (empty) port I/O spaces, set up by the board. */
AddressSpace *address_space_memory(void);
void memory_system_init(MemoryRegion *system_root);
void memory_system_cleanup(void);

/* ---- DMA -------------------------------------------------------------------------- */

/*
 * Device access to guest memory.  Every byte must be assigned (RAM, ROM or
 * another device's MMIO) and addr+len must not wrap; otherwise nothing is
 * transferred and MEMTX_DECODE_ERROR is returned.  A transfer that reaches
 * the MMIO of a device already inside its own MMIO callback (DMA re-entering
 * its own registers) is refused with MEMTX_REENTRANCY and logged.  Under a
 * fuzzer's transfer budget (clock_budget_set) every started 4 KiB costs one
 * unit, and a transfer the budget cannot pay for is refused with
 * MEMTX_ERROR; a transfer split into several MMIO accesses pays one unit an
 * access and is cut short when they run out.
 */
MemTxResult dma_memory_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len);
MemTxResult dma_memory_write(AddressSpace *as, hwaddr addr, const void *buf, hwaddr len);
MemTxResult dma_memory_set(AddressSpace *as, hwaddr addr, uint8_t c, hwaddr len);

/*
 * Called before every dma_memory_read with the range about to be read; the
 * fuzzer fills guest memory from its input there.  NULL removes it.
 */
typedef void DmaReadHook(AddressSpace *as, hwaddr addr, hwaddr len, void *opaque);
void dma_set_read_hook(DmaReadHook *hook, void *opaque);

#endif
