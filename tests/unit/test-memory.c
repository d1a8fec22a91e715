/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-memory.c - the memory core: flattening (priorities, overlap,
 * aliases), RAM and ROM, MMIO access checking, splitting, widening and
 * endianness, unassigned accesses, dirty pages, DMA bounds, the DMA read
 * hook and the re-entrancy guard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "core/log.h"
#include "core/memory.h"
#include "core/timer.h"
#include "tests/support/log-capture.h"

/* ---- a recording MMIO device ---------------------------------------------------- */

typedef struct Access {
    bool is_write;
    hwaddr addr;
    unsigned size;
    uint64_t data;
} Access;

typedef struct FakeDev {
    Object obj; /* only its address is used, as the owner */
    Access log[64];
    unsigned n;
    uint8_t regs[64];
    AddressSpace *dma_as; /* when set, a write does DMA to dma_addr */
    hwaddr dma_addr;
    MemTxResult dma_result;
} FakeDev;

static uint64_t fake_read(void *opaque, hwaddr addr, unsigned size)
{
    FakeDev *d = opaque;
    uint64_t v = 0;

    d->log[d->n++ % 64] = (Access){false, addr, size, 0};
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)d->regs[(addr + i) % 64] << (8 * i);
    }
    return v;
}

static void fake_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    FakeDev *d = opaque;

    d->log[d->n++ % 64] = (Access){true, addr, size, data};
    for (unsigned i = 0; i < size; i++) {
        d->regs[(addr + i) % 64] = data >> (8 * i);
    }
    if (d->dma_as) {
        uint32_t v = 0x12345678;
        d->dma_result = dma_memory_write(d->dma_as, d->dma_addr, &v, 4);
    }
}

static const MemoryRegionOps ops_any = {
    .read = fake_read,
    .write = fake_write,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 8},
};

static const MemoryRegionOps ops_word_only = {
    .read = fake_read,
    .write = fake_write,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps ops_bytes_impl = {
    .read = fake_read,
    .write = fake_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static const MemoryRegionOps ops_widen = {
    .read = fake_read,
    .write = fake_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps ops_big_endian = {
    .read = fake_read,
    .write = fake_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 8},
};

static const MemoryRegionOps ops_byte_valid = {
    .read = fake_read,
    .write = fake_write,
    .valid = {.min_access_size = 1, .max_access_size = 1},
};

/* ---- fixtures ----------------------------------------------------------------------- */

typedef struct World {
    MemoryRegion root, ram, rom, io;
    AddressSpace as;
    FakeDev dev;
} World;

static World *world_new(const MemoryRegionOps *ops)
{
    World *w = g_new0(World, 1);

    memory_region_init(&w->root, NULL, "system", UINT64_MAX);
    assert_true(memory_region_init_ram(&w->ram, NULL, "ram", 0x10000, NULL));
    assert_true(memory_region_init_rom(&w->rom, NULL, "rom", 0x1000, NULL));
    memory_region_init_io(&w->io, &w->dev.obj, ops, &w->dev, "dev", 0x40);
    memory_region_add_subregion(&w->root, 0x80000000, &w->ram);
    memory_region_add_subregion(&w->root, 0x1000, &w->rom);
    memory_region_add_subregion(&w->root, 0x10000000, &w->io);
    address_space_init(&w->as, &w->root, "memory");
    return w;
}

static void world_free(World *w)
{
    address_space_destroy(&w->as);
    memory_region_finalize(&w->io);
    memory_region_finalize(&w->rom);
    memory_region_finalize(&w->ram);
    memory_region_finalize(&w->root);
    g_free(w);
}

static uint64_t ld(World *w, hwaddr addr, unsigned size, MemTxResult *res)
{
    uint64_t v = 0xdead;
    MemTxResult r = address_space_ld(&w->as, addr, size, &v);

    if (res) {
        *res = r;
    }
    return v;
}

/* ---- RAM, ROM, holes ------------------------------------------------------------------- */

static void test_ram_reads_back_what_was_written(void **state)
{
    World *w = world_new(&ops_any);
    uint8_t out[5] = {0};

    assert_int_equal(address_space_write(&w->as, 0x80000100, "hello", 5), MEMTX_OK);
    assert_int_equal(address_space_read(&w->as, 0x80000100, out, 5), MEMTX_OK);
    assert_memory_equal(out, "hello", 5);
    assert_int_equal(address_space_st(&w->as, 0x80000200, 8, 0x1122334455667788ull), MEMTX_OK);
    assert_int_equal(ld(w, 0x80000200, 8, NULL), 0x1122334455667788ull);
    /* Little-endian bytes in memory. */
    assert_int_equal(ld(w, 0x80000200, 1, NULL), 0x88);
    world_free(w);
}

static void test_ram_writes_mark_pages_dirty(void **state)
{
    World *w = world_new(&ops_any);

    assert_false(memory_region_get_dirty(&w->ram, 0, 0x10000));
    address_space_st(&w->as, 0x80000000 + 0x3ffe, 4, 1); /* spans pages 3 and 4 */
    assert_true(memory_region_get_dirty(&w->ram, 0x3000, 1));
    assert_true(memory_region_get_dirty(&w->ram, 0x4000, 1));
    assert_false(memory_region_get_dirty(&w->ram, 0x2000, 0x1000));
    assert_int_equal(memory_region_foreach_dirty(&w->ram, NULL, NULL), 2);
    memory_region_reset_dirty(&w->ram);
    assert_int_equal(memory_region_foreach_dirty(&w->ram, NULL, NULL), 0);
    world_free(w);
}

static void test_dirty_log_lists_each_page_when_it_first_becomes_dirty(void **state)
{
    World *w = world_new(&ops_any);
    size_t buf[8];
    const size_t *pages;

    memory_region_set_dirty_log(&w->ram, buf, G_N_ELEMENTS(buf));
    address_space_st(&w->as, 0x80000000 + 0x5000, 4, 1);
    address_space_st(&w->as, 0x80000000 + 0x3ffe, 4, 1); /* pages 3 and 4 */
    address_space_st(&w->as, 0x80000000 + 0x5008, 4, 1); /* page 5 again: not listed twice */
    assert_int_equal(memory_region_dirty_log(&w->ram, &pages), 3);
    assert_ptr_equal(pages, buf);
    assert_int_equal(pages[0], 5);
    assert_int_equal(pages[1], 3);
    assert_int_equal(pages[2], 4);
    memory_region_dirty_log_clear(&w->ram);
    assert_int_equal(memory_region_dirty_log(&w->ram, &pages), 0);
    memory_region_set_dirty_log(&w->ram, NULL, 0);
    world_free(w);
}

static void test_dirty_log_overflows_past_its_capacity(void **state)
{
    World *w = world_new(&ops_any);
    size_t buf[2];
    const size_t *pages;

    memory_region_set_dirty_log(&w->ram, buf, G_N_ELEMENTS(buf));
    for (hwaddr p = 0; p < 3; p++) {
        address_space_st(&w->as, 0x80000000 + p * 0x1000, 1, 1);
    }
    assert_true(memory_region_dirty_log(&w->ram, &pages) == SIZE_MAX);
    assert_int_equal(memory_region_foreach_dirty(&w->ram, NULL, NULL), 3); /* bits still set */
    memory_region_dirty_log_clear(&w->ram);
    assert_int_equal(memory_region_dirty_log(&w->ram, &pages), 0);
    memory_region_set_dirty_log(&w->ram, NULL, 0);
    world_free(w);
}

static void test_without_a_dirty_log_writes_only_set_bits(void **state)
{
    World *w = world_new(&ops_any);
    const size_t *pages;

    address_space_st(&w->as, 0x80000000, 4, 1);
    assert_int_equal(memory_region_dirty_log(&w->ram, &pages), 0);
    assert_null(pages);
    assert_true(memory_region_get_dirty(&w->ram, 0, 1));
    world_free(w);
}

static void test_rom_ignores_guest_writes_but_loaders_write_it(void **state)
{
    World *w = world_new(&ops_any);
    uint32_t insn = 0x00000297;

    assert_int_equal(address_space_st(&w->as, 0x1000, 4, 0xffffffff), MEMTX_OK);
    assert_int_equal(ld(w, 0x1000, 4, NULL), 0);
    assert_int_equal(address_space_write_rom(&w->as, 0x1000, &insn, 4), MEMTX_OK);
    assert_int_equal(ld(w, 0x1000, 4, NULL), 0x297);
    /* Loaders cannot write MMIO. */
    assert_int_not_equal(address_space_write_rom(&w->as, 0x10000000, &insn, 4), MEMTX_OK);
    assert_int_equal(w->dev.n, 0);
    world_free(w);
}

static void test_unassigned_reads_zero_and_reports_decode_error(void **state)
{
    World *w = world_new(&ops_any);
    MemTxResult res;

    assert_int_equal(ld(w, 0x0, 4, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_int_equal(address_space_st(&w->as, 0x50, 4, 7), MEMTX_DECODE_ERROR);
    world_free(w);
}

static void test_unassigned_value_of_port_io_is_all_ones(void **state)
{
    MemoryRegion io;
    AddressSpace as;
    uint64_t v;

    memory_region_init(&io, NULL, "io", 0x10000);
    address_space_init(&as, &io, "I/O");
    as.unassigned_value = UINT64_MAX;
    assert_int_equal(address_space_ld(&as, 0x60, 1, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, 0xff);
    address_space_destroy(&as);
    memory_region_finalize(&io);
}

static void test_huge_ram_is_reserved_lazily(void **state)
{
    MemoryRegion big;

    /* 256 GiB: only the pages touched cost memory. */
    assert_true(memory_region_init_ram(&big, NULL, "big", 256ull << 30, NULL));
    memory_region_get_ram_ptr(&big)[(256ull << 30) - 1] = 0x5a;
    assert_int_equal(memory_region_get_ram_ptr(&big)[(256ull << 30) - 1], 0x5a);
    memory_region_finalize(&big);
}

/* ---- flattening ----------------------------------------------------------------------- */

static void test_higher_priority_subregion_wins_overlap(void **state)
{
    MemoryRegion root, low, high;
    AddressSpace as;

    memory_region_init(&root, NULL, "root", 0x10000);
    assert_true(memory_region_init_ram(&low, NULL, "low", 0x4000, NULL));
    assert_true(memory_region_init_ram(&high, NULL, "high", 0x1000, NULL));
    memory_region_add_subregion_overlap(&root, 0x0, &low, 0);
    memory_region_add_subregion_overlap(&root, 0x2000, &high, 1);
    address_space_init(&as, &root, "t");
    assert_ptr_equal(address_space_lookup(&as, 0x1fff)->mr, &low);
    assert_ptr_equal(address_space_lookup(&as, 0x2000)->mr, &high);
    assert_int_equal(address_space_lookup(&as, 0x2000)->offset, 0);
    assert_ptr_equal(address_space_lookup(&as, 0x3000)->mr, &low);
    assert_int_equal(address_space_lookup(&as, 0x3000)->offset, 0x3000);
    assert_null(address_space_lookup(&as, 0x4000));
    /* Disabling the high region uncovers the low one. */
    memory_region_set_enabled(&high, false);
    assert_ptr_equal(address_space_lookup(&as, 0x2000)->mr, &low);
    address_space_destroy(&as);
    memory_region_finalize(&high);
    memory_region_finalize(&low);
    memory_region_finalize(&root);
}

static void test_equal_priority_later_subregion_wins(void **state)
{
    MemoryRegion root, a, b;
    AddressSpace as;

    memory_region_init(&root, NULL, "root", 0x10000);
    assert_true(memory_region_init_ram(&a, NULL, "a", 0x2000, NULL));
    assert_true(memory_region_init_ram(&b, NULL, "b", 0x2000, NULL));
    memory_region_add_subregion(&root, 0x0, &a);
    memory_region_add_subregion(&root, 0x1000, &b);
    address_space_init(&as, &root, "t");
    assert_ptr_equal(address_space_lookup(&as, 0x0fff)->mr, &a);
    assert_ptr_equal(address_space_lookup(&as, 0x1000)->mr, &b);
    assert_ptr_equal(address_space_lookup(&as, 0x2fff)->mr, &b);
    address_space_destroy(&as);
    memory_region_finalize(&b);
    memory_region_finalize(&a);
    memory_region_finalize(&root);
}

static void test_alias_shows_part_of_its_target(void **state)
{
    World *w = world_new(&ops_any);
    MemoryRegion alias;

    memory_region_init_alias(&alias, NULL, "window", &w->ram, 0x8000, 0x1000);
    memory_region_add_subregion(&w->root, 0x40000000, &alias);
    address_space_st(&w->as, 0x80008010, 4, 0xcafef00d);
    assert_int_equal(ld(w, 0x40000010, 4, NULL), 0xcafef00d);
    assert_null(address_space_lookup(&w->as, 0x40001000));
    memory_region_finalize(&alias);
    world_free(w);
}

/* RAM and ROM have host memory, reached through any chain of aliases; I/O and containers not. */
static void test_ram_pointers_follow_aliases(void **state)
{
    World *w = world_new(&ops_any);
    MemoryRegion outer, inner;

    assert_true(memory_region_is_ram(&w->ram));
    assert_true(memory_region_is_ram(&w->rom));
    assert_false(memory_region_is_ram(&w->io));
    assert_false(memory_region_is_ram(&w->root));
    memory_region_init_alias(&inner, NULL, "inner", &w->ram, 0x2000, 0x4000);
    memory_region_init_alias(&outer, NULL, "outer", &inner, 0x100, 0x1000);
    assert_non_null(memory_region_get_ram_ptr(&w->ram));
    assert_ptr_equal(memory_region_get_ram_ptr(&inner),
                     memory_region_get_ram_ptr(&w->ram) + 0x2000);
    assert_ptr_equal(memory_region_get_ram_ptr(&outer),
                     memory_region_get_ram_ptr(&w->ram) + 0x2100);
    assert_null(memory_region_get_ram_ptr(&w->io));
    /* The pointer is the guest's memory: a store shows there. */
    address_space_st(&w->as, 0x80002100, 4, 0x11223344);
    assert_memory_equal(memory_region_get_ram_ptr(&outer), "\x44\x33\x22\x11", 4);
    memory_region_finalize(&outer);
    memory_region_finalize(&inner);
    world_free(w);
}

/* Empty and out-of-range dirty queries and marks do nothing; a mark past the end is clipped. */
static void collect_page(size_t page, void *opaque)
{
    g_array_append_val((GArray *)opaque, page);
}

static void test_dirty_ranges_are_clipped_to_the_region(void **state)
{
    World *w = world_new(&ops_any);
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(size_t));

    memory_region_set_dirty(&w->ram, 0x1000, 0);       /* empty */
    memory_region_set_dirty(&w->ram, 0x10000, 0x1000); /* at the end */
    assert_int_equal(memory_region_foreach_dirty(&w->ram, NULL, NULL), 0);
    memory_region_set_dirty(&w->ram, 0xf800, 0x10000); /* runs past the end: the last page only */
    assert_int_equal(memory_region_foreach_dirty(&w->ram, collect_page, pages), 1);
    assert_int_equal(pages->len, 1);
    assert_int_equal(g_array_index(pages, size_t, 0), 0xf);
    assert_true(memory_region_get_dirty(&w->ram, 0xf000, UINT64_MAX));
    assert_false(memory_region_get_dirty(&w->ram, 0xf000, 0));
    assert_false(memory_region_get_dirty(&w->ram, 0x10000, 1));
    /* I/O regions keep no dirty pages. */
    memory_region_set_dirty(&w->io, 0, 0x40);
    assert_false(memory_region_get_dirty(&w->io, 0, 0x40));
    assert_int_equal(memory_region_foreach_dirty(&w->io, NULL, NULL), 0);
    memory_region_reset_dirty(&w->io);
    g_array_free(pages, TRUE);
    world_free(w);
}

/* Regions that map nothing: size 0, disabled, or an alias whose offsets wrap past 2^64. */
static void test_empty_disabled_and_wrapping_regions_map_nothing(void **state)
{
    World *w = world_new(&ops_any);
    MemoryRegion empty, wrap;

    memory_region_init_alias(&empty, NULL, "empty", &w->ram, 0, 0);
    memory_region_add_subregion_overlap(&w->root, 0x80000000, &empty, 10);
    address_space_st(&w->as, 0x80000000, 4, 0xabcd);
    assert_int_equal(ld(w, 0x80000000, 4, NULL), 0xabcd); /* the RAM below still answers */
    memory_region_init_alias(&wrap, NULL, "wrap", &w->ram, UINT64_MAX - 0xff, 0x1000);
    memory_region_add_subregion(&w->root, 0x50000000, &wrap);
    assert_null(address_space_lookup(&w->as, 0x50000000));
    assert_null(address_space_lookup(&w->as, 0x50000fff));
    /* Disabling hides a region; enabling twice or moving to where it is changes nothing. */
    memory_region_set_enabled(&w->rom, true);
    memory_region_set_address(&w->rom, 0x1000);
    assert_non_null(address_space_lookup(&w->as, 0x1000));
    memory_region_set_enabled(&w->rom, false);
    assert_null(address_space_lookup(&w->as, 0x1000));
    memory_region_set_enabled(&w->rom, true);
    assert_non_null(address_space_lookup(&w->as, 0x1000));
    memory_region_del_subregion(&w->root, &wrap);
    memory_region_del_subregion(&w->root, &empty);
    memory_region_finalize(&wrap);
    memory_region_finalize(&empty);
    world_free(w);
}

static void test_moving_a_region_updates_dispatch(void **state)
{
    World *w = world_new(&ops_any);

    memory_region_set_address(&w->io, 0x20000000);
    assert_null(address_space_lookup(&w->as, 0x10000000));
    assert_ptr_equal(address_space_lookup(&w->as, 0x20000000)->mr, &w->io);
    world_free(w);
}

/* ---- MMIO ------------------------------------------------------------------------------ */

static void test_mmio_access_reaches_device_with_offset_and_size(void **state)
{
    World *w = world_new(&ops_any);

    assert_int_equal(address_space_st(&w->as, 0x10000008, 2, 0xbeef), MEMTX_OK);
    assert_int_equal(w->dev.n, 1);
    assert_true(w->dev.log[0].is_write);
    assert_int_equal(w->dev.log[0].addr, 8);
    assert_int_equal(w->dev.log[0].size, 2);
    assert_int_equal(w->dev.log[0].data, 0xbeef);
    assert_int_equal(ld(w, 0x10000008, 2, NULL), 0xbeef);
    world_free(w);
}

static void test_mmio_invalid_size_is_rejected_and_reads_zero(void **state)
{
    World *w = world_new(&ops_word_only);
    MemTxResult res;

    w->dev.regs[0] = 0xff;
    assert_int_equal(ld(w, 0x10000000, 1, &res), 0);
    assert_int_equal(res, MEMTX_ERROR);
    assert_int_equal(address_space_st(&w->as, 0x10000000, 8, 1), MEMTX_ERROR);
    assert_int_equal(w->dev.n, 0);
    assert_int_equal(ld(w, 0x10000000, 4, &res), 0xff);
    assert_int_equal(res, MEMTX_OK);
    world_free(w);
}

static void test_mmio_unaligned_access_is_rejected(void **state)
{
    World *w = world_new(&ops_any);
    MemTxResult res;

    ld(w, 0x10000002, 4, &res);
    assert_int_equal(res, MEMTX_ERROR);
    assert_int_equal(w->dev.n, 0);
    world_free(w);
}

static void test_mmio_access_past_region_end_is_rejected(void **state)
{
    World *w = world_new(&ops_any);
    MemTxResult res;

    /* The last 8 bytes are fine. */
    ld(w, 0x10000038, 8, &res);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(w->dev.n, 1);
    /* 8 bytes at 0x3c run past 0x40: the device never sees bytes beyond its end. */
    ld(w, 0x1000003c, 8, &res);
    assert_true(res & MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < w->dev.n; i++) {
        assert_true(w->dev.log[i].addr + w->dev.log[i].size <= 0x40);
    }
    world_free(w);
}

static void test_mmio_wide_access_is_split_for_byte_devices(void **state)
{
    World *w = world_new(&ops_bytes_impl);

    memcpy(w->dev.regs, "\x11\x22\x33\x44", 4);
    assert_int_equal(ld(w, 0x10000000, 4, NULL), 0x44332211);
    assert_int_equal(w->dev.n, 4);
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(w->dev.log[i].addr, i);
        assert_int_equal(w->dev.log[i].size, 1);
    }
    address_space_st(&w->as, 0x10000010, 2, 0xa1b2);
    assert_int_equal(w->dev.log[4].data, 0xb2);
    assert_int_equal(w->dev.log[5].data, 0xa1);
    world_free(w);
}

static void test_mmio_narrow_access_is_widened_for_word_devices(void **state)
{
    World *w = world_new(&ops_widen);

    memcpy(w->dev.regs, "\x11\x22\x33\x44", 4);
    assert_int_equal(ld(w, 0x10000000, 1, NULL), 0x11);
    assert_int_equal(w->dev.log[0].size, 4);
    world_free(w);
}

static void test_big_endian_device_is_byte_swapped(void **state)
{
    World *w = world_new(&ops_big_endian);

    /* The device returns 0x0102030405060708 as its value; the guest sees it swapped. */
    memcpy(w->dev.regs, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    assert_int_equal(ld(w, 0x10000000, 8, NULL), 0x0807060504030201ull);
    address_space_st(&w->as, 0x10000000, 4, 0x11223344);
    assert_int_equal(w->dev.log[1].data, 0x44332211);
    world_free(w);
}

static void test_buffer_read_uses_largest_valid_access(void **state)
{
    World *w = world_new(&ops_byte_valid);
    uint8_t buf[4];

    /* valid.max 1: a 4-byte buffer read becomes four 1-byte accesses, as on QEMU. */
    assert_int_equal(address_space_read(&w->as, 0x10000000, buf, 4), MEMTX_OK);
    assert_int_equal(w->dev.n, 4);
    world_free(w);
}

/* A region past 4 GiB: offsets with 32+ trailing zero bits are aligned for any size. */
static void test_buffer_access_at_a_4gib_aligned_offset_of_a_huge_region(void **state)
{
    World *w = world_new(&ops_any);
    MemoryRegion big;
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};

    memory_region_init_io(&big, &w->dev.obj, &ops_any, &w->dev, "big", UINT64_C(1) << 40);
    memory_region_add_subregion(&w->root, UINT64_C(1) << 44, &big);
    w->dev.n = 0;
    assert_int_equal(address_space_write(&w->as, (UINT64_C(1) << 44) + (UINT64_C(1) << 32), buf, 8),
                     MEMTX_OK);
    /* One 8-byte access at offset 2^32 (the shift for 2^32 alignment is never made). */
    assert_int_equal(w->dev.n, 1);
    assert_int_equal(w->dev.log[0].size, 8);
    assert_int_equal(w->dev.log[0].addr, UINT64_C(1) << 32);
    memory_region_del_subregion(&w->root, &big);
    memory_region_finalize(&big);
    world_free(w);
}

/* Under a fuzzer's transfer budget, DMA pays by the 4 KiB and split MMIO transfers by the access.
 */
static void test_transfer_budget_bounds_dma_and_split_mmio(void **state)
{
    World *w = world_new(&ops_any);
    static uint8_t buf[16384];

    clock_budget_set(UINT64_MAX, 3, CLOCK_END_OF_TIME);
    assert_int_equal(dma_memory_write(&w->as, 0x80000000, buf, 16384), MEMTX_ERROR);
    assert_true(clock_budget()->transfer_exhausted);
    assert_false(clock_budget()->work_exhausted);       /* a bus error, not a hang */
    assert_int_equal(clock_budget()->transfer_used, 0); /* refused whole, nothing charged */
    clock_budget_set(UINT64_MAX, 3, CLOCK_END_OF_TIME);
    assert_int_equal(dma_memory_write(&w->as, 0x80000000, buf, 12288), MEMTX_OK);
    assert_int_equal(clock_budget()->transfer_used, 3);

    /* 64 bytes to the device: eight accesses, five paid for, then cut short. */
    clock_budget_set(UINT64_MAX, 5, CLOCK_END_OF_TIME);
    w->dev.n = 0;
    assert_int_equal(address_space_write(&w->as, 0x10000000, buf, 64), MEMTX_ERROR);
    assert_int_equal(w->dev.n, 5);
    /* A single access is never charged: qtest's writel works with the budget spent. */
    assert_int_equal(address_space_write(&w->as, 0x10000000, buf, 4), MEMTX_OK);
    assert_int_equal(w->dev.n, 6);
    /* A fill far larger than any buffer is charged as it goes: 3 units, 12 KiB. */
    clock_budget_set(UINT64_MAX, 3, CLOCK_END_OF_TIME);
    assert_int_equal(dma_memory_set(&w->as, 0x80000000, 0xaa, 65536), MEMTX_ERROR);
    assert_int_equal(clock_budget()->transfer_used, 3);
    /* A read refused for the budget hands back zeros, not stale bytes. */
    memset(buf, 0x5a, sizeof(buf));
    clock_budget_set(UINT64_MAX, 1, CLOCK_END_OF_TIME);
    assert_int_equal(dma_memory_read(&w->as, 0x80000000, buf, 8192), MEMTX_ERROR);
    for (size_t i = 0; i < 8192; i++) {
        assert_int_equal(buf[i], 0);
    }
    clock_budget_clear();
    assert_int_equal(address_space_write(&w->as, 0x10000000, buf, 64), MEMTX_OK);
    world_free(w);
}

static void test_guest_errors_are_logged(void **state)
{
    World *w = world_new(&ops_word_only);
    char *text;

    logcapture_begin();
    ld(w, 0x10000000, 1, NULL);
    ld(w, 0x500, 4, NULL);
    text = logcapture_end();
    assert_non_null(strstr(text, "region 'dev'"));
    assert_non_null(strstr(text, "unassigned read at 0x500"));
    g_free(text);
    world_free(w);
}

/* ---- DMA ------------------------------------------------------------------------------- */

static void test_dma_reads_and_writes_ram(void **state)
{
    World *w = world_new(&ops_any);
    uint8_t out[3];

    assert_int_equal(dma_memory_write(&w->as, 0x80000010, "abc", 3), MEMTX_OK);
    assert_int_equal(dma_memory_read(&w->as, 0x80000010, out, 3), MEMTX_OK);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(dma_memory_set(&w->as, 0x80000010, 0, 3), MEMTX_OK);
    assert_int_equal(ld(w, 0x80000010, 4, NULL), 0);
    world_free(w);
}

static void test_dma_past_end_of_ram_transfers_nothing(void **state)
{
    World *w = world_new(&ops_any);
    uint8_t buf[8] = "xxxxxxx";

    /* Starts in RAM, runs into the hole after it. */
    assert_int_equal(dma_memory_write(&w->as, 0x8000fffc, buf, 8), MEMTX_DECODE_ERROR);
    assert_int_equal(ld(w, 0x8000fffc, 4, NULL), 0);
    assert_int_equal(dma_memory_read(&w->as, 0x8000fffc, buf, 8), MEMTX_DECODE_ERROR);
    assert_int_equal(buf[0], 0);
    world_free(w);
}

static void test_dma_range_that_wraps_is_refused(void **state)
{
    World *w = world_new(&ops_any);
    uint8_t buf[16];

    assert_int_equal(dma_memory_read(&w->as, UINT64_MAX - 3, buf, 16), MEMTX_DECODE_ERROR);
    world_free(w);
}

static hwaddr hook_addr, hook_len;

static void record_hook(AddressSpace *as, hwaddr addr, hwaddr len, void *opaque)
{
    hook_addr = addr;
    hook_len = len;
    /* The fuzzer writes its data here before the device reads it. */
    address_space_write(as, addr, "FUZZ", 4);
}

static void test_dma_read_hook_runs_before_the_read(void **state)
{
    World *w = world_new(&ops_any);
    uint8_t out[4];

    dma_set_read_hook(record_hook, NULL);
    assert_int_equal(dma_memory_read(&w->as, 0x80000400, out, 4), MEMTX_OK);
    dma_set_read_hook(NULL, NULL);
    assert_int_equal(hook_addr, 0x80000400);
    assert_int_equal(hook_len, 4);
    assert_memory_equal(out, "FUZZ", 4);
    world_free(w);
}

static void test_dma_into_own_mmio_is_refused(void **state)
{
    World *w = world_new(&ops_any);

    /* The device's write handler DMAs into its own registers. */
    w->dev.dma_as = &w->as;
    w->dev.dma_addr = 0x10000020;
    assert_int_equal(address_space_st(&w->as, 0x10000000, 4, 1), MEMTX_OK);
    assert_int_equal(w->dev.dma_result, MEMTX_REENTRANCY);
    assert_int_equal(w->dev.n, 1); /* not recursed */
    /* DMA into RAM from the same handler is fine. */
    w->dev.dma_addr = 0x80000000;
    assert_int_equal(address_space_st(&w->as, 0x10000000, 4, 1), MEMTX_OK);
    assert_int_equal(w->dev.dma_result, MEMTX_OK);
    assert_int_equal(ld(w, 0x80000000, 4, NULL), 0x12345678);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram_reads_back_what_was_written),
        cmocka_unit_test(test_ram_writes_mark_pages_dirty),
        cmocka_unit_test(test_ram_pointers_follow_aliases),
        cmocka_unit_test(test_dirty_ranges_are_clipped_to_the_region),
        cmocka_unit_test(test_empty_disabled_and_wrapping_regions_map_nothing),
        cmocka_unit_test(test_dirty_log_lists_each_page_when_it_first_becomes_dirty),
        cmocka_unit_test(test_dirty_log_overflows_past_its_capacity),
        cmocka_unit_test(test_without_a_dirty_log_writes_only_set_bits),
        cmocka_unit_test(test_rom_ignores_guest_writes_but_loaders_write_it),
        cmocka_unit_test(test_unassigned_reads_zero_and_reports_decode_error),
        cmocka_unit_test(test_unassigned_value_of_port_io_is_all_ones),
        cmocka_unit_test(test_huge_ram_is_reserved_lazily),
        cmocka_unit_test(test_higher_priority_subregion_wins_overlap),
        cmocka_unit_test(test_equal_priority_later_subregion_wins),
        cmocka_unit_test(test_alias_shows_part_of_its_target),
        cmocka_unit_test(test_moving_a_region_updates_dispatch),
        cmocka_unit_test(test_mmio_access_reaches_device_with_offset_and_size),
        cmocka_unit_test(test_mmio_invalid_size_is_rejected_and_reads_zero),
        cmocka_unit_test(test_mmio_unaligned_access_is_rejected),
        cmocka_unit_test(test_mmio_access_past_region_end_is_rejected),
        cmocka_unit_test(test_mmio_wide_access_is_split_for_byte_devices),
        cmocka_unit_test(test_mmio_narrow_access_is_widened_for_word_devices),
        cmocka_unit_test(test_big_endian_device_is_byte_swapped),
        cmocka_unit_test(test_buffer_read_uses_largest_valid_access),
        cmocka_unit_test(test_buffer_access_at_a_4gib_aligned_offset_of_a_huge_region),
        cmocka_unit_test(test_transfer_budget_bounds_dma_and_split_mmio),
        cmocka_unit_test(test_guest_errors_are_logged),
        cmocka_unit_test(test_dma_reads_and_writes_ram),
        cmocka_unit_test(test_dma_past_end_of_ram_transfers_nothing),
        cmocka_unit_test(test_dma_range_that_wraps_is_refused),
        cmocka_unit_test(test_dma_read_hook_runs_before_the_read),
        cmocka_unit_test(test_dma_into_own_mmio_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
