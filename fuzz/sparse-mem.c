/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sparse-mem.c - generic-fuzz's background memory behind every other
 * region (sparse-mem.h has the contract).  Blocks live in a hash table keyed
 * by block index; it is only looked up and emptied, never iterated, so its
 * order cannot leak into a run.
 */
#include "fuzz/sparse-mem.h"

#include <string.h>
#include <glib.h>

#include "core/accel.h"
#include "core/bswap.h"
#include "core/machine.h"
#include "core/module.h"
#include "core/object.h"
#include "fuzz/fuzz.h"

typedef struct SparseMemBlock {
    gint64 index; /* the key: address / SPARSE_MEM_BLOCK_SIZE */
    uint8_t data[SPARSE_MEM_BLOCK_SIZE];
} SparseMemBlock;

struct SparseMem {
    Object parent_obj;
    MemoryRegion mr;
    GHashTable *blocks; /* &SparseMemBlock.index -> SparseMemBlock */
    size_t allocated;   /* bytes */
};

#define SPARSE_MEM(obj) OBJECT_CHECK(SparseMem, (obj), TYPE_SPARSE_MEM)

static SparseMemBlock *sparse_mem_block(SparseMem *sm, hwaddr addr)
{
    gint64 index = (gint64)(addr / SPARSE_MEM_BLOCK_SIZE);

    return g_hash_table_lookup(sm->blocks, &index);
}

/* The part of an access inside one block: bytes [addr, addr+n) with n <= 8. */
static uint64_t sparse_mem_read_part(SparseMem *sm, hwaddr addr, unsigned n)
{
    SparseMemBlock *b = sparse_mem_block(sm, addr);

    return b ? load_le_sized(b->data + addr % SPARSE_MEM_BLOCK_SIZE, n) : 0;
}

static void sparse_mem_write_part(SparseMem *sm, hwaddr addr, uint64_t value, unsigned n)
{
    SparseMemBlock *b = sparse_mem_block(sm, addr);

    if (!b) {
        /* Zeros are what an absent block reads: storing them costs nothing. */
        if (!value || sm->allocated + SPARSE_MEM_BLOCK_SIZE > SPARSE_MEM_MAX_ALLOCATION) {
            return;
        }
        b = g_new0(SparseMemBlock, 1);
        b->index = (gint64)(addr / SPARSE_MEM_BLOCK_SIZE);
        g_hash_table_insert(sm->blocks, &b->index, b);
        sm->allocated += SPARSE_MEM_BLOCK_SIZE;
    }
    store_le_sized(b->data + addr % SPARSE_MEM_BLOCK_SIZE, value, n);
}

/* How many of the size bytes at addr lie in addr's block. */
static unsigned sparse_mem_first_part(hwaddr addr, unsigned size)
{
    unsigned room = SPARSE_MEM_BLOCK_SIZE - (unsigned)(addr % SPARSE_MEM_BLOCK_SIZE);

    return MIN(size, room);
}

static uint64_t sparse_mem_read(void *opaque, hwaddr addr, unsigned size)
{
    unsigned n = sparse_mem_first_part(addr, size);
    uint64_t v = sparse_mem_read_part(opaque, addr, n);

    if (n < size) { /* an unaligned access across two blocks */
        v |= sparse_mem_read_part(opaque, addr + n, size - n) << (8 * n);
    }
    return v;
}

static void sparse_mem_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    unsigned n = sparse_mem_first_part(addr, size);

    if (n < size) {
        sparse_mem_write_part(opaque, addr + n, value >> (8 * n), size - n);
        value &= (UINT64_C(1) << (8 * n)) - 1;
    }
    sparse_mem_write_part(opaque, addr, value, n);
}

/*
 * Unaligned accesses are taken whole (QEMU's sparse-mem takes aligned ones
 * and the memory core splits the rest into aligned pieces: the bytes are
 * the same).  Declaring them aligned-only would make Tern's memory core
 * compute an alignment from offsets of 2^32 and above, which only this
 * region has (core/memory.c mmio_access_size shifts 1u by up to 63).
 */
static const MemoryRegionOps sparse_mem_ops = {
    .read = sparse_mem_read,
    .write = sparse_mem_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8, .unaligned = true},
    .impl = {.min_access_size = 1, .max_access_size = 8, .unaligned = true},
};

bool sparse_mem_is(const MemoryRegion *mr)
{
    return mr && mr->ops == &sparse_mem_ops;
}

MemoryRegion *sparse_mem_region(SparseMem *sm)
{
    return &sm->mr;
}

size_t sparse_mem_blocks(const SparseMem *sm)
{
    return g_hash_table_size(sm->blocks);
}

size_t sparse_mem_bytes(const SparseMem *sm)
{
    return sm->allocated;
}

void sparse_mem_clear(SparseMem *sm)
{
    g_hash_table_remove_all(sm->blocks);
    sm->allocated = 0;
}

/* ---- the harness part ------------------------------------------------------------------------ */

static void sparse_mem_part_save(void *opaque)
{
    /* The snapshot is taken before any input: no block exists to save. */
}

static void sparse_mem_part_restore(void *opaque)
{
    sparse_mem_clear(opaque);
}

static bool sparse_mem_part_check(void *opaque, Error **errp)
{
    SparseMem *sm = opaque;

    if (sparse_mem_blocks(sm)) {
        error_setg(errp, "%u block(s) (%zu bytes) still allocated after the restore",
                   g_hash_table_size(sm->blocks), sm->allocated);
        return false;
    }
    return true;
}

/* ---- the object ------------------------------------------------------------------------------ */

static void sparse_mem_instance_init(Object *obj)
{
    SparseMem *sm = SPARSE_MEM(obj);

    sm->blocks = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
    /* [0, 2^64-1): the size field cannot say 2^64. */
    memory_region_init_io(&sm->mr, obj, &sparse_mem_ops, sm, TYPE_SPARSE_MEM, UINT64_MAX);
}

static void sparse_mem_instance_finalize(Object *obj)
{
    SparseMem *sm = SPARSE_MEM(obj);

    /* Detaches it from the system memory when that still exists. */
    memory_region_finalize(&sm->mr);
    g_hash_table_destroy(sm->blocks);
}

SparseMem *sparse_mem_create(Error **errp)
{
    const AccelOps *accel = accel_current();
    MachineState *ms = machine_current();
    AddressSpace *as = address_space_memory();
    Object *obj;
    SparseMem *sm;

    if (!accel || strcmp(accel->name, "qtest")) {
        error_setg(errp, "sparse-mem needs the qtest accelerator (a running guest could fill it)");
        return NULL;
    }
    if (!ms || !as || !as->root) {
        error_setg(errp, "sparse-mem needs a machine with system memory");
        return NULL;
    }
    obj = object_new(TYPE_SPARSE_MEM);
    if (!object_property_try_add_child(OBJECT(ms), TYPE_SPARSE_MEM, obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_unref(obj); /* the machine's child property holds it now */
    sm = SPARSE_MEM(obj);
    memory_region_add_subregion_overlap(as->root, 0, &sm->mr, SPARSE_MEM_PRIORITY);
    fuzz_add_harness_part(&(FuzzHarnessPart){.name = TYPE_SPARSE_MEM,
                                             .save = sparse_mem_part_save,
                                             .restore = sparse_mem_part_restore,
                                             .check = sparse_mem_part_check,
                                             .opaque = sm});
    return sm;
}

static const TypeInfo sparse_mem_info = {
    .name = TYPE_SPARSE_MEM,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(SparseMem),
    .instance_init = sparse_mem_instance_init,
    .instance_finalize = sparse_mem_instance_finalize,
};

static void sparse_mem_register_types(void)
{
    type_register_static(&sparse_mem_info);
}

type_init(sparse_mem_register_types);
