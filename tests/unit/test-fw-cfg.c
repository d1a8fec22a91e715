/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fw-cfg.c - the fw_cfg_mem device (virt spec §11): items through the
 * selector and data registers at every width, the file directory and its
 * order, the board API, DMA into RAM (select, skip, refused writes) and
 * every way a guest can get DMA wrong, the DMA register's signature,
 * snapshots and the device-tree node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <libfdt.h>

#include "core/bswap.h"
#include "core/log.h"
#include "core/module.h"
#include "hw/fdt.h"
#include "hw/fw_cfg.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"
#include "tests/support/vmstate-test.h"

#define FW_BASE  0x10100000
#define FW_DATA  (FW_BASE + FW_CFG_DATA_OFFSET)
#define FW_CTL   (FW_BASE + FW_CFG_CTL_OFFSET)
#define FW_DMA   (FW_BASE + FW_CFG_DMA_OFFSET)
#define RAM_BASE UINT64_C(0x80000000)
#define RAM_SIZE (1024 * 1024)
#define RAM_END  (RAM_BASE + RAM_SIZE)
#define DESC     (RAM_BASE + 0x1000) /* where tests put DMA descriptors */
#define BUF      (RAM_BASE + 0x2000) /* and DMA data */

static HwTest *t;
static MemoryRegion ram;
static FWCfgState *fw;

static void bench_up(void)
{
    t = hwtest_new();
    assert_true(memory_region_init_ram(&ram, NULL, "ram", RAM_SIZE, NULL));
    memory_region_add_subregion(&t->root, RAM_BASE, &ram);
}

static int setup(void **state)
{
    bench_up();
    fw = fw_cfg_create_mem(object_get_root(), FW_BASE, NULL);
    assert_non_null(fw);
    t->dev = DEVICE(fw);
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 1); /* what the board adds */
    return 0;
}

static int teardown(void **state)
{
    if (t) {
        memory_region_finalize(&ram);
        hwtest_free(t);
        t = NULL;
        fw = NULL;
    }
    logcapture_cancel();
    return 0;
}

static void select_key(uint16_t key)
{
    /* A 16-bit big-endian register: the guest stores the key byte-swapped. */
    hwtest_writew(FW_CTL, GUINT16_SWAP_LE_BE(key));
}

static void read_stream(uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)hwtest_readb(FW_DATA);
    }
}

static void ram_write(hwaddr addr, const void *buf, size_t len)
{
    assert_int_equal(address_space_write(address_space_memory(), addr, buf, len), MEMTX_OK);
}

static void ram_read(hwaddr addr, void *buf, size_t len)
{
    assert_int_equal(address_space_read(address_space_memory(), addr, buf, len), MEMTX_OK);
}

static void ram_fill(hwaddr addr, uint8_t c, size_t len)
{
    assert_int_equal(dma_memory_set(address_space_memory(), addr, c, len), MEMTX_OK);
}

/* Writes a big-endian descriptor {control, length, address} at desc. */
static void put_desc(hwaddr desc, uint32_t control, uint32_t length, uint64_t addr)
{
    uint32_t be[4] = {GUINT32_TO_BE(control), GUINT32_TO_BE(length),
                      GUINT32_TO_BE((uint32_t)(addr >> 32)), GUINT32_TO_BE((uint32_t)addr)};

    ram_write(desc, be, sizeof(be));
}

/* The guest's way to start: high word at +0x10, then low word at +0x14, both big-endian. */
static void dma_kick(uint64_t desc)
{
    hwtest_writel(FW_DMA, GUINT32_SWAP_LE_BE((uint32_t)(desc >> 32)));
    hwtest_writel(FW_DMA + 4, GUINT32_SWAP_LE_BE((uint32_t)desc));
}

static uint32_t desc_control(hwaddr desc)
{
    uint32_t be;

    ram_read(desc, &be, 4);
    return GUINT32_FROM_BE(be);
}

/* A descriptor at DESC made of control, length and addr, started, and done without an error. */
static void dma_run_ok(uint32_t control, uint32_t length, uint64_t addr)
{
    put_desc(DESC, control, length, addr);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), 0);
}

/* ---- regions ---------------------------------------------------------------------------- */

static void test_regions_have_qemu_names_sizes_and_addresses(void **state)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(fw);
    static const struct {
        const char *name;
        uint64_t size;
        hwaddr addr;
    } want[] = {{"fwcfg.ctl", 2, FW_CTL}, {"fwcfg.data", 8, FW_DATA}, {"fwcfg.dma", 8, FW_DMA}};

    assert_int_equal(sbd->num_mmio, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(memory_region_name(sysbus_mmio_get_region(sbd, i)), want[i].name);
        assert_int_equal(memory_region_size(sysbus_mmio_get_region(sbd, i)), want[i].size);
        assert_int_equal(sysbus_mmio_get_addr(sbd, i), want[i].addr);
    }
    assert_int_equal(sbd->num_irq, 0);
}

static void test_fw_cfg_find_returns_the_device(void **state)
{
    assert_ptr_equal(fw_cfg_find(), fw);
    assert_string_equal(object_get_canonical_path_component(OBJECT(fw)), "fw_cfg");
}

static void test_bad_data_width_refuses_realize(void **state)
{
    DeviceState *dev;
    Error *err = NULL;

    teardown(state);
    bench_up();
    dev = hwtest_create(t, TYPE_FW_CFG_MEM);
    assert_true(object_property_parse(OBJECT(dev), "data_width", "3", NULL));
    assert_false(qdev_realize(dev, &err));
    assert_non_null(err);
    error_free(err);
}

/* ---- the data register ------------------------------------------------------------------ */

static void test_signature_by_byte_reads(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readb(FW_DATA), 'Q');
    assert_int_equal(hwtest_readb(FW_DATA), 'E');
    assert_int_equal(hwtest_readb(FW_DATA), 'M');
    assert_int_equal(hwtest_readb(FW_DATA), 'U');
}

static void test_signature_by_16_bit_reads_in_memory_order(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readw(FW_DATA), 0x4551); /* "QE" */
    assert_int_equal(hwtest_readw(FW_DATA), 0x554d); /* "MU" */
}

static void test_signature_by_32_bit_read(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readl(FW_DATA), 0x554d4551);
}

static void test_signature_by_64_bit_read_pads_with_zeros(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readq(FW_DATA), UINT64_C(0x00000000554d4551));
}

static void test_reset_selects_the_signature(void **state)
{
    select_key(FW_CFG_ID);
    hwtest_readb(FW_DATA);
    device_cold_reset(DEVICE(fw));
    assert_int_equal(hwtest_readl(FW_DATA), 0x554d4551);
}

static void test_id_is_traditional_and_dma(void **state)
{
    select_key(FW_CFG_ID);
    assert_int_equal(hwtest_readl(FW_DATA), 3);
}

static void test_id_without_dma_is_1_and_dma_register_absent(void **state)
{
    DeviceState *dev;

    teardown(state);
    bench_up();
    dev = hwtest_create(t, TYPE_FW_CFG_MEM);
    assert_true(object_property_parse(OBJECT(dev), "dma_enabled", "false", NULL));
    assert_true(qdev_realize(dev, NULL));
    fw_cfg_map(FW_CFG_MEM(dev), FW_BASE);
    assert_int_equal(SYS_BUS_DEVICE(dev)->num_mmio, 2);
    select_key(FW_CFG_ID);
    assert_int_equal(hwtest_readl(FW_DATA), 1);
    assert_int_equal(hwtest_readq(FW_DMA), 0);
}

static void test_nb_cpus_is_a_little_endian_u16(void **state)
{
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 0x0102);
    select_key(FW_CFG_NB_CPUS);
    assert_int_equal(hwtest_readb(FW_DATA), 0x02);
    assert_int_equal(hwtest_readb(FW_DATA), 0x01);
    assert_int_equal(hwtest_readb(FW_DATA), 0); /* two bytes only */
}

static void test_uuid_is_16_zero_bytes(void **state)
{
    uint8_t out[16];

    ram_fill(BUF, 0xaa, sizeof(out));
    dma_run_ok(FW_CFG_UUID << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 16, BUF);
    ram_read(BUF, out, sizeof(out));
    for (int i = 0; i < 16; i++) {
        assert_int_equal(out[i], 0);
    }
}

static void test_nographic_and_boot_menu_are_zero_u16(void **state)
{
    select_key(FW_CFG_NOGRAPHIC);
    assert_int_equal(hwtest_readl(FW_DATA), 0);
    select_key(FW_CFG_BOOT_MENU);
    assert_int_equal(hwtest_readl(FW_DATA), 0);
}

static void test_selecting_rewinds_to_the_start(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    hwtest_readw(FW_DATA);
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readb(FW_DATA), 'Q');
}

static void test_byte_writes_to_the_selector_are_ignored(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readb(FW_DATA), 'Q');
    hwtest_writeb(FW_CTL, FW_CFG_ID);
    hwtest_writeb(FW_CTL + 1, FW_CFG_ID);
    assert_int_equal(hwtest_readb(FW_DATA), 'E'); /* neither selected nor rewound */
}

static void test_selector_reads_zero(void **state)
{
    select_key(FW_CFG_ID);
    assert_int_equal(hwtest_readw(FW_CTL), 0);
    assert_int_equal(hwtest_readb(FW_CTL), 0);
    assert_int_equal(hwtest_readl(FW_DATA), 3); /* and leaves the selection alone */
}

static void test_selector_is_big_endian(void **state)
{
    hwtest_writew(FW_CTL, 0x1900); /* qtest's "writew 0x10100008 0x1900" selects 0x19 */
    assert_int_equal(hwtest_readl(FW_DATA), 0x03000000); /* BE count 3, in memory order */
}

static void test_reads_past_the_end_return_zero(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    hwtest_readl(FW_DATA);
    assert_int_equal(hwtest_readl(FW_DATA), 0);
    assert_int_equal(hwtest_readb(FW_DATA), 0);
    assert_int_equal(hwtest_readq(FW_DATA), 0);
}

static void test_read_running_past_the_end_pads_with_zeros(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    hwtest_readb(FW_DATA);
    assert_int_equal(hwtest_readl(FW_DATA), 0x00554d45); /* "EMU\0" */
}

static void test_absent_and_out_of_range_keys_read_zero(void **state)
{
    static const uint16_t keys[] = {
        FW_CFG_RAM_SIZE, FW_CFG_MAX_CPUS, FW_CFG_KERNEL_SIZE, 0x3f, 0x40,
        0x3fff,          0x8000,          FW_CFG_INVALID};

    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        select_key(keys[i]);
        assert_int_equal(hwtest_readq(FW_DATA), 0);
    }
}

static void test_write_channel_bit_selects_the_same_item(void **state)
{
    select_key(FW_CFG_WRITE_CHANNEL | FW_CFG_ID);
    assert_int_equal(hwtest_readl(FW_DATA), 3);
}

static void test_data_reads_at_a_nonzero_offset_read_zero_and_consume_nothing(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readb(FW_DATA + 1), 0);
    assert_int_equal(hwtest_readw(FW_DATA + 2), 0);
    assert_int_equal(hwtest_readl(FW_DATA + 4), 0);
    assert_int_equal(hwtest_readb(FW_DATA), 'Q');
}

static void test_data_writes_are_ignored_and_logged(void **state)
{
    char *text;

    select_key(FW_CFG_SIGNATURE);
    logcapture_begin();
    hwtest_writel(FW_DATA, 0x12345678);
    text = logcapture_end();
    assert_non_null(strstr(text, "fw_cfg"));
    g_free(text);
    assert_int_equal(hwtest_readl(FW_DATA), 0x554d4551);
}

static void test_unaligned_data_read_is_refused(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    assert_int_equal(hwtest_readw(FW_DATA + 1), 0);
    assert_int_equal(hwtest_readb(FW_DATA), 'Q');
}

/* ---- files -------------------------------------------------------------------------------- */

typedef struct DirEntry {
    uint32_t size;
    uint16_t key;
    char name[FW_CFG_MAX_FILE_PATH];
} DirEntry;

/* Reads the directory through the data register; returns the count. */
static uint32_t read_dir(DirEntry *out, uint32_t max)
{
    uint8_t raw[64];
    uint32_t count;

    select_key(FW_CFG_FILE_DIR);
    read_stream(raw, 4);
    count = load_be32(raw);
    for (uint32_t i = 0; i < count && i < max; i++) {
        read_stream(raw, 64);
        out[i].size = load_be32(raw);
        out[i].key = load_be16(raw + 4);
        assert_int_equal(raw[6] | raw[7], 0);
        memcpy(out[i].name, raw + 8, FW_CFG_MAX_FILE_PATH);
    }
    return count;
}

static void test_default_files_are_sorted_by_name(void **state)
{
    DirEntry d[4];

    assert_int_equal(read_dir(d, 4), 3);
    assert_string_equal(d[0].name, "bios-geometry");
    assert_int_equal(d[0].key, 0x20);
    assert_int_equal(d[0].size, 0);
    assert_string_equal(d[1].name, "bootorder");
    assert_int_equal(d[1].key, 0x21);
    assert_int_equal(d[1].size, 0);
    assert_string_equal(d[2].name, "etc/boot-fail-wait");
    assert_int_equal(d[2].key, 0x22);
    assert_int_equal(d[2].size, 4);
}

static void test_boot_fail_wait_is_minus_one(void **state)
{
    select_key(0x22);
    assert_int_equal(hwtest_readl(FW_DATA), 0xffffffff);
}

static void test_directory_has_room_for_every_slot(void **state)
{
    uint8_t tail[4];

    /* 4 + 32 * 64 bytes, unused entries zero: the last entry's name is readable as zeros. */
    select_key(FW_CFG_FILE_DIR);
    for (int i = 0; i < 4 + 64 * FW_CFG_FILE_SLOTS - 4; i++) {
        hwtest_readb(FW_DATA);
    }
    read_stream(tail, 4);
    assert_memory_equal(tail, "\0\0\0\0", 4);
}

static void test_added_file_goes_in_name_order_and_moves_later_keys(void **state)
{
    DirEntry d[4];

    assert_int_equal(fw_cfg_add_file(fw, "etc/aaa", "xyz", 3), 0x22);
    assert_int_equal(fw_cfg_file_key(fw, "etc/boot-fail-wait"), 0x23);
    assert_int_equal(read_dir(d, 4), 4);
    assert_string_equal(d[2].name, "etc/aaa");
    assert_int_equal(d[2].key, 0x22);
    assert_int_equal(d[2].size, 3);
    assert_string_equal(d[3].name, "etc/boot-fail-wait");
    assert_int_equal(d[3].key, 0x23);
    select_key(0x22);
    assert_int_equal(hwtest_readb(FW_DATA), 'x');
    select_key(0x23);
    assert_int_equal(hwtest_readl(FW_DATA), 0xffffffff);
}

static void test_file_sorting_is_by_strcmp(void **state)
{
    DirEntry d[6];

    fw_cfg_add_file(fw, "Zebra", "", 0);
    fw_cfg_add_file(fw, "opt/b", "", 0);
    fw_cfg_add_file(fw, "opt/a", "", 0);
    assert_int_equal(read_dir(d, 6), 6);
    assert_string_equal(d[0].name, "Zebra"); /* upper case sorts first */
    assert_string_equal(d[4].name, "opt/a");
    assert_string_equal(d[5].name, "opt/b");
    for (int i = 0; i < 6; i++) {
        assert_int_equal(d[i].key, 0x20 + i);
    }
}

static void test_duplicate_file_name_is_refused(void **state)
{
    assert_int_equal(fw_cfg_add_file(fw, "bootorder", "x", 1), -1);
    select_key(0x21);
    assert_int_equal(hwtest_readb(FW_DATA), 0);
}

static void test_file_slots_run_out_after_32(void **state)
{
    for (int i = 3; i < FW_CFG_FILE_SLOTS; i++) {
        char name[16];

        g_snprintf(name, sizeof(name), "opt/f%02d", i);
        assert_true(fw_cfg_add_file(fw, name, &i, sizeof(i)) >= FW_CFG_FILE_FIRST);
    }
    assert_int_equal(fw_cfg_add_file(fw, "zzz", "", 0), -1);
    assert_int_equal(fw_cfg_file_key(fw, "opt/f31"), FW_CFG_FILE_FIRST + 31);
}

static void test_long_file_name_is_cut_to_55_bytes(void **state)
{
    char name[80];
    DirEntry d[4];

    memset(name, 'z', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(fw_cfg_add_file(fw, name, "", 0), 0x23);
    read_dir(d, 4);
    assert_int_equal(strlen(d[3].name), FW_CFG_MAX_FILE_PATH - 1);
    assert_int_equal(fw_cfg_file_key(fw, name), 0x23);
}

static void test_modify_file_replaces_contents_and_size(void **state)
{
    DirEntry d[3];

    assert_int_equal(fw_cfg_modify_file(fw, "bootorder", "/a\n/b", 6), 0x21);
    read_dir(d, 3);
    assert_int_equal(d[1].size, 6);
    select_key(0x21);
    assert_int_equal(hwtest_readw(FW_DATA), 0x612f);                   /* "/a" */
    assert_int_equal(fw_cfg_modify_file(fw, "opt/new", "n", 1), 0x23); /* added, sorted */
}

/* ---- board API ---------------------------------------------------------------------------- */

static void test_add_bytes_refuses_keys_outside_the_table(void **state)
{
    assert_false(fw_cfg_add_bytes(fw, FW_CFG_MAX_ENTRY, "x", 1));
    assert_false(fw_cfg_add_bytes(fw, FW_CFG_INVALID, "x", 1));
}

static void test_add_bytes_copies_the_data(void **state)
{
    char buf[4] = "abc";

    fw_cfg_add_bytes(fw, FW_CFG_RAM_SIZE, buf, 3);
    buf[0] = 'X';
    select_key(FW_CFG_RAM_SIZE);
    assert_int_equal(hwtest_readb(FW_DATA), 'a');
}

static void test_arch_local_keys_are_a_separate_table(void **state)
{
    assert_true(fw_cfg_add_i32(fw, FW_CFG_ARCH_LOCAL | FW_CFG_ID, 0x11223344));
    select_key(FW_CFG_ARCH_LOCAL | FW_CFG_ID);
    assert_int_equal(hwtest_readl(FW_DATA), 0x11223344);
    select_key(FW_CFG_ID);
    assert_int_equal(hwtest_readl(FW_DATA), 3);
}

static void test_integers_are_stored_little_endian(void **state)
{
    fw_cfg_add_i32(fw, FW_CFG_RAM_SIZE, 0x01020304);
    fw_cfg_add_i64(fw, FW_CFG_MAX_CPUS, UINT64_C(0x0102030405060708));
    select_key(FW_CFG_RAM_SIZE);
    assert_int_equal(hwtest_readb(FW_DATA), 0x04);
    select_key(FW_CFG_MAX_CPUS);
    assert_int_equal(hwtest_readq(FW_DATA), UINT64_C(0x0102030405060708));
}

static void test_kernel_initrd_and_cmdline_keys(void **state)
{
    fw_cfg_add_kernel(fw, "KERNEL", 6);
    fw_cfg_add_initrd(fw, "RD", 2);
    fw_cfg_add_cmdline(fw, "console=ttyS0");
    select_key(FW_CFG_KERNEL_SIZE);
    assert_int_equal(hwtest_readl(FW_DATA), 6);
    select_key(FW_CFG_KERNEL_DATA);
    assert_int_equal(hwtest_readl(FW_DATA), 0x4e52454b); /* "KERN" */
    select_key(FW_CFG_INITRD_SIZE);
    assert_int_equal(hwtest_readl(FW_DATA), 2);
    select_key(FW_CFG_INITRD_DATA);
    assert_int_equal(hwtest_readw(FW_DATA), 0x4452); /* "RD" */
    select_key(FW_CFG_CMDLINE_SIZE);
    assert_int_equal(hwtest_readl(FW_DATA), 14);
    select_key(FW_CFG_CMDLINE_DATA);
    for (int i = 0; i < 13; i++) {
        hwtest_readb(FW_DATA);
    }
    assert_int_equal(hwtest_readb(FW_DATA), 0); /* the NUL is part of the item */
}

/* ---- the DMA register ------------------------------------------------------------------------ */

static void test_dma_register_reads_the_qemu_cfg_signature(void **state)
{
    assert_int_equal(hwtest_readq(FW_DMA), UINT64_C(0x47464320554d4551));
    assert_int_equal(hwtest_readl(FW_DMA), 0x554d4551);
    assert_int_equal(hwtest_readl(FW_DMA + 4), 0x47464320);
    assert_int_equal(hwtest_readb(FW_DMA + 7), 'G');
}

static void test_dma_read_copies_an_item_into_ram(void **state)
{
    uint8_t out[4 + 3 * 64];

    select_key(FW_CFG_FILE_DIR);
    put_desc(DESC, FW_CFG_DMA_CTL_READ, sizeof(out), BUF);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), 0);
    ram_read(BUF, out, sizeof(out));
    assert_int_equal(load_be32(out), 3);
    assert_string_equal((char *)out + 4 + 8, "bios-geometry");
    assert_string_equal((char *)out + 4 + 64 * 2 + 8, "etc/boot-fail-wait");
}

static void test_dma_read_advances_the_data_stream(void **state)
{
    select_key(FW_CFG_SIGNATURE);
    put_desc(DESC, FW_CFG_DMA_CTL_READ, 2, BUF);
    dma_kick(DESC);
    assert_int_equal(hwtest_readw(FW_DATA), 0x554d); /* "MU" */
}

static void test_dma_select_picks_the_key_from_control(void **state)
{
    uint8_t out[4];

    dma_run_ok(FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    ram_read(BUF, out, 4);
    assert_memory_equal(out, "\x03\0\0\0", 4);
}

static void test_dma_read_past_the_end_fills_zeros(void **state)
{
    uint8_t out[8];

    ram_fill(BUF, 0xaa, 16);
    dma_run_ok(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 8, BUF);
    ram_read(BUF, out, 8);
    assert_memory_equal(out, "QEMU\0\0\0\0", 8);
    ram_read(BUF + 8, out, 1);
    assert_int_equal(out[0], 0xaa); /* nothing past the length asked */
}

static void test_dma_skip_moves_on_without_writing(void **state)
{
    uint8_t out[1];

    ram_fill(BUF, 0xaa, 4);
    dma_run_ok(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_SKIP, 2, BUF);
    ram_read(BUF, out, 1);
    assert_int_equal(out[0], 0xaa);
    assert_int_equal(hwtest_readw(FW_DATA), 0x554d); /* "MU" */
}

static void test_dma_skip_past_the_end_is_not_an_error(void **state)
{
    dma_run_ok(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_SKIP, 100, 0);
}

static void test_dma_write_is_refused_with_error(void **state)
{
    uint8_t in[2] = {9, 9};

    ram_write(BUF, in, 2);
    put_desc(DESC, FW_CFG_NB_CPUS << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE, 2, BUF);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
    select_key(FW_CFG_NB_CPUS);
    assert_int_equal(hwtest_readw(FW_DATA), 1);
}

static void test_dma_write_past_the_end_is_refused_with_error(void **state)
{
    put_desc(DESC, FW_CFG_RAM_SIZE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE, 2, BUF);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
}

static void test_dma_read_wins_over_write_and_skip(void **state)
{
    uint8_t out[4];

    put_desc(DESC,
             FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_WRITE |
                 FW_CFG_DMA_CTL_SKIP,
             4, BUF);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), 0);
    ram_read(BUF, out, 4);
    assert_memory_equal(out, "QEMU", 4);
}

static void test_dma_without_an_operation_only_selects(void **state)
{
    uint8_t out[1];

    ram_fill(BUF, 0xaa, 4);
    dma_run_ok(FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT, 4, BUF);
    ram_read(BUF, out, 1);
    assert_int_equal(out[0], 0xaa);
    assert_int_equal(hwtest_readl(FW_DATA), 3);
}

static void test_dma_single_8_byte_write_starts(void **state)
{
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    hwtest_writeq(FW_DMA, GUINT64_SWAP_LE_BE(DESC));
    assert_int_equal(desc_control(DESC), 0);
}

static void test_dma_high_word_alone_does_not_start(void **state)
{
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    hwtest_writel(FW_DMA, 0);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ);
}

static void test_dma_narrow_writes_are_ignored(void **state)
{
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    hwtest_writel(FW_DMA, 0);
    hwtest_writew(FW_DMA + 6, GUINT16_SWAP_LE_BE((uint16_t)DESC));
    hwtest_writeb(FW_DMA + 7, 0);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ);
}

static void test_dma_address_restarts_from_zero_after_a_transfer(void **state)
{
    /* The low word ORs into the address; a transfer clears it for the next one. */
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    put_desc(DESC + 0x100, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    hwtest_writeq(FW_DMA, GUINT64_SWAP_LE_BE(DESC + 0x100));
    assert_int_equal(desc_control(DESC + 0x100), 0);
    hwtest_writel(FW_DMA + 4, GUINT32_SWAP_LE_BE((uint32_t)DESC)); /* low word only */
    assert_int_equal(desc_control(DESC), 0);
}

/* ---- DMA gone wrong ------------------------------------------------------------------------ */

static void test_dma_descriptor_at_unassigned_address_writes_nothing(void **state)
{
    uint8_t before[64], after[64];
    char *text;

    ram_read(RAM_BASE, before, sizeof(before));
    logcapture_begin();
    dma_kick(0x40000000);
    text = logcapture_end();
    assert_non_null(strstr(text, "fw_cfg: cannot read DMA descriptor at 0x40000000"));
    g_free(text);
    ram_read(RAM_BASE, after, sizeof(after));
    assert_memory_equal(before, after, sizeof(before));
    assert_int_equal(hwtest_readl(FW_DATA), 0x554d4551); /* the stream did not move */
}

static void test_dma_descriptor_running_off_ram_gets_error(void **state)
{
    hwaddr desc = RAM_END - 8;

    ram_fill(desc, 0, 8);
    dma_kick(desc);
    assert_int_equal(desc_control(desc), FW_CFG_DMA_CTL_ERROR);
}

static void test_dma_descriptor_at_the_top_of_the_address_space_is_harmless(void **state)
{
    hwtest_writeq(FW_DMA, GUINT64_SWAP_LE_BE(UINT64_MAX - 3));
    assert_int_equal(hwtest_readl(FW_DATA), 0x554d4551);
}

static void test_dma_data_beyond_ram_is_an_error_and_leaves_ram_alone(void **state)
{
    uint8_t tail[2];

    ram_fill(RAM_END - 2, 0xaa, 2);
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, RAM_END - 2);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
    ram_read(RAM_END - 2, tail, 2);
    assert_memory_equal(tail, "\xaa\xaa", 2);
}

static void test_dma_data_at_unassigned_address_is_an_error(void **state)
{
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, 0x40000000);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
}

static void test_dma_data_address_wrapping_is_an_error(void **state)
{
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, UINT64_MAX - 1);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
}

static void test_dma_zero_fill_beyond_ram_stops_with_error(void **state)
{
    uint8_t out[4], tail[1];

    /* The item fits; the zero fill after it would run off RAM and is refused whole. */
    ram_fill(RAM_END - 1, 0xaa, 1);
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 0xffffffff, RAM_END - 0x100);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
    ram_read(RAM_END - 0x100, out, 4);
    assert_memory_equal(out, "QEMU", 4);
    ram_read(RAM_END - 1, tail, 1);
    assert_int_equal(tail[0], 0xaa);
}

static void test_dma_descriptor_in_its_own_registers_is_refused(void **state)
{
    /* The descriptor "is" the data register: reading it would be DMA into its own MMIO. */
    dma_kick(FW_DATA);
    assert_int_equal(hwtest_readl(FW_DATA), 0x554d4551);
    dma_kick(FW_DMA);
    assert_int_equal(hwtest_readq(FW_DMA), UINT64_C(0x47464320554d4551));
}

static void test_dma_data_into_its_own_registers_is_an_error(void **state)
{
    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 2, FW_CTL);
    dma_kick(DESC);
    assert_int_equal(desc_control(DESC), FW_CFG_DMA_CTL_ERROR);
}

/* ---- snapshots ------------------------------------------------------------------------------- */

static void test_vmstate_restores_selected_key_and_offset(void **state)
{
    GByteArray *saved;

    select_key(FW_CFG_SIGNATURE);
    hwtest_readb(FW_DATA);
    saved = vmstate_test_save_dev(t->dev);
    select_key(FW_CFG_ID);
    hwtest_readb(FW_DATA);
    vmstate_test_restore_dev(t->dev, saved);
    assert_int_equal(hwtest_readb(FW_DATA), 'E');
}

static void test_vmstate_restores_a_half_written_dma_address(void **state)
{
    GByteArray *saved;

    put_desc(DESC, FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    hwtest_writel(FW_DMA, GUINT32_SWAP_LE_BE((uint32_t)(DESC >> 32)));
    saved = vmstate_test_save_dev(t->dev);
    hwtest_writel(FW_DMA, GUINT32_SWAP_LE_BE(0x1234));
    vmstate_test_restore_dev(t->dev, saved);
    hwtest_writel(FW_DMA + 4, GUINT32_SWAP_LE_BE((uint32_t)DESC));
    assert_int_equal(desc_control(DESC), 0);
}

/* The saved layout is cur_entry (u16), cur_offset (u32), dma_addr (u64), in host order. */
static void load_selection(uint16_t key, uint32_t offset)
{
    GByteArray *saved = vmstate_test_save_dev(t->dev);

    memcpy(saved->data, &key, 2);
    memcpy(saved->data + 2, &offset, 4);
    vmstate_test_load_dev(t->dev, saved);
}

static void test_vmstate_with_garbage_selection_reads_zero(void **state)
{
    load_selection(0xffff, 0);
    assert_int_equal(hwtest_readq(FW_DATA), 0);
    load_selection(0x7fff, 0); /* index beyond the table */
    assert_int_equal(hwtest_readq(FW_DATA), 0);
    load_selection(FW_CFG_ARCH_LOCAL | FW_CFG_WRITE_CHANNEL | 0x3f, 0); /* absent item */
    assert_int_equal(hwtest_readq(FW_DATA), 0);
    load_selection(FW_CFG_ID, 0xffffffff); /* offset past the end */
    assert_int_equal(hwtest_readq(FW_DATA), 0);
    dma_run_ok(FW_CFG_DMA_CTL_READ, 4, BUF);
}

/* ---- device tree ----------------------------------------------------------------------------- */

static void test_fdt_node_matches_qemu_virt(void **state)
{
    const char *node = "/fw-cfg@10100000";
    DtContext dt;
    int off;

    dt_init(&dt);
    SYS_BUS_DEVICE_GET_CLASS(fw)->fdt_node(SYS_BUS_DEVICE(fw), &dt);
    fdt_test_assert_string(dt.fdt, node, "compatible", "qemu,fw-cfg-mmio");
    fdt_test_assert_reg(dt.fdt, node, 0x10100000, 0x18);
    fdt_test_assert_empty(dt.fdt, node, "dma-coherent");
    off = fdt_path_offset(dt.fdt, node);
    assert_null(fdt_getprop(dt.fdt, off, "interrupts", NULL));
    dt_free(&dt);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_regions_have_qemu_names_sizes_and_addresses),
        T(test_fw_cfg_find_returns_the_device),
        T(test_bad_data_width_refuses_realize),
        T(test_signature_by_byte_reads),
        T(test_signature_by_16_bit_reads_in_memory_order),
        T(test_signature_by_32_bit_read),
        T(test_signature_by_64_bit_read_pads_with_zeros),
        T(test_reset_selects_the_signature),
        T(test_id_is_traditional_and_dma),
        T(test_id_without_dma_is_1_and_dma_register_absent),
        T(test_nb_cpus_is_a_little_endian_u16),
        T(test_uuid_is_16_zero_bytes),
        T(test_nographic_and_boot_menu_are_zero_u16),
        T(test_selecting_rewinds_to_the_start),
        T(test_byte_writes_to_the_selector_are_ignored),
        T(test_selector_reads_zero),
        T(test_selector_is_big_endian),
        T(test_reads_past_the_end_return_zero),
        T(test_read_running_past_the_end_pads_with_zeros),
        T(test_absent_and_out_of_range_keys_read_zero),
        T(test_write_channel_bit_selects_the_same_item),
        T(test_data_reads_at_a_nonzero_offset_read_zero_and_consume_nothing),
        T(test_data_writes_are_ignored_and_logged),
        T(test_unaligned_data_read_is_refused),
        T(test_default_files_are_sorted_by_name),
        T(test_boot_fail_wait_is_minus_one),
        T(test_directory_has_room_for_every_slot),
        T(test_added_file_goes_in_name_order_and_moves_later_keys),
        T(test_file_sorting_is_by_strcmp),
        T(test_duplicate_file_name_is_refused),
        T(test_file_slots_run_out_after_32),
        T(test_long_file_name_is_cut_to_55_bytes),
        T(test_modify_file_replaces_contents_and_size),
        T(test_add_bytes_refuses_keys_outside_the_table),
        T(test_add_bytes_copies_the_data),
        T(test_arch_local_keys_are_a_separate_table),
        T(test_integers_are_stored_little_endian),
        T(test_kernel_initrd_and_cmdline_keys),
        T(test_dma_register_reads_the_qemu_cfg_signature),
        T(test_dma_read_copies_an_item_into_ram),
        T(test_dma_read_advances_the_data_stream),
        T(test_dma_select_picks_the_key_from_control),
        T(test_dma_read_past_the_end_fills_zeros),
        T(test_dma_skip_moves_on_without_writing),
        T(test_dma_skip_past_the_end_is_not_an_error),
        T(test_dma_write_is_refused_with_error),
        T(test_dma_write_past_the_end_is_refused_with_error),
        T(test_dma_read_wins_over_write_and_skip),
        T(test_dma_without_an_operation_only_selects),
        T(test_dma_single_8_byte_write_starts),
        T(test_dma_high_word_alone_does_not_start),
        T(test_dma_narrow_writes_are_ignored),
        T(test_dma_address_restarts_from_zero_after_a_transfer),
        T(test_dma_descriptor_at_unassigned_address_writes_nothing),
        T(test_dma_descriptor_running_off_ram_gets_error),
        T(test_dma_descriptor_at_the_top_of_the_address_space_is_harmless),
        T(test_dma_data_beyond_ram_is_an_error_and_leaves_ram_alone),
        T(test_dma_data_at_unassigned_address_is_an_error),
        T(test_dma_data_address_wrapping_is_an_error),
        T(test_dma_zero_fill_beyond_ram_stops_with_error),
        T(test_dma_descriptor_in_its_own_registers_is_refused),
        T(test_dma_data_into_its_own_registers_is_an_error),
        T(test_vmstate_restores_selected_key_and_offset),
        T(test_vmstate_restores_a_half_written_dma_address),
        T(test_vmstate_with_garbage_selection_reads_zero),
        T(test_fdt_node_matches_qemu_virt),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
