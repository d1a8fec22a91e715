/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-snapshot.c - the snapshot core on a real virt machine built with
 * tern_init() (-accel qtest, devices driven through the memory API): take,
 * change every device, RAM, time, timers, IRQ lines, bottom halves, the run
 * state and a snapshot=on drive; restore; the digest, the register reads
 * and the check mode agree with the take.  Restore work is counted, not
 * timed: it does not grow with RAM size.  A test device that hides state
 * outside its table is caught by the check mode, which names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/block.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/runstate.h"
#include "core/snapshot.h"
#include "core/tern.h"
#include "core/timer.h"
#include "cpu/hart.h"
#include "hw/goldfish_rtc.h"
#include "hw/virt.h"
#include "qtest/qtest.h"
#include "tests/support/hidden-state-device.h"
#include "tests/support/hwtest.h"
#include "tests/support/virtio-driver.h"

#define UART   0x10000000
#define RTC    0x101000
#define CLINT  0x2000000
#define PLIC   0xc000000
#define FW_CFG 0x10100000
#define TEST   0x100000
#define DRAM   0x80000000ull

#define BLK_SLOT 7 /* -device virtio-blk-device takes the highest free slot */
#define RNG_SLOT 6
#define RING_BLK (DRAM + 0x100000)
#define RING_RNG (DRAM + 0x110000)
#define REQ      (DRAM + 0x120000)

static char *image;
static char *image_dir;

static int group_setup(void **state)
{
    uint8_t sector[16384];

    image_dir = g_dir_make_tmp("tern-snap-XXXXXX", NULL);
    image = g_build_filename(image_dir, "disk.img", NULL);
    for (size_t i = 0; i < sizeof(sector); i++) {
        sector[i] = (uint8_t)i;
    }
    assert_true(g_file_set_contents(image, (const char *)sector, sizeof(sector), NULL));
    return 0;
}

static int group_teardown(void **state)
{
    g_remove(image);
    g_rmdir(image_dir);
    g_free(image);
    g_free(image_dir);
    return 0;
}

static int teardown(void **state)
{
    snapshot_set_check(false);
    tern_cleanup();
    return 0;
}

/* tern_init on a virt machine of mem bytes with every device, plus extra arguments. */
static void boot_with(const char *mem, const char *const *extra)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

    for (const char *const *a =
             (const char *const[]){"tern", "-nouserconfig", "-M", "virt", "-accel", "qtest",
                                   "-bios", "none", "-serial", "null", "-m", NULL};
         *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    g_ptr_array_add(argv, g_strdup(mem));
    g_ptr_array_add(argv, g_strdup("-drive"));
    g_ptr_array_add(argv, g_strdup_printf("file=%s,format=raw,if=none,id=d0,snapshot=on", image));
    g_ptr_array_add(argv, g_strdup("-device"));
    g_ptr_array_add(argv, g_strdup("virtio-blk-device,drive=d0"));
    g_ptr_array_add(argv, g_strdup("-device"));
    g_ptr_array_add(argv, g_strdup("virtio-rng-device"));
    for (; extra && *extra; extra++) {
        g_ptr_array_add(argv, g_strdup(*extra));
    }
    g_ptr_array_add(argv, NULL);
    assert_int_equal(tern_init((int)argv->len - 1, (char **)argv->pdata, &error_abort),
                     TERN_INIT_RUN);
    g_ptr_array_free(argv, TRUE);
}

static void boot(void)
{
    boot_with("128M", NULL);
}

static char *digest(void)
{
    return snapshot_digest(&error_abort);
}

static void assert_check_passes(void)
{
    Error *err = NULL;

    if (!snapshot_check(&err)) {
        fail_msg("check failed: %s", error_get_pretty(err));
    }
}

/* ---- what the big test reads and changes -------------------------------------------------- */

/* Registers of every device, read the way a driver would (some reads have side effects). */
static GArray *read_registers(void)
{
    static const struct {
        hwaddr addr;
        unsigned size;
    } regs[] = {
        {UART + 1, 1},
        {UART + 2, 1}, /* IIR: reading clears a THR-empty interrupt */
        {UART + 3, 1},
        {UART + 4, 1},
        {UART + 5, 1},
        {UART + 7, 1},
        {CLINT, 4},
        {CLINT + 0x4000, 8},
        {CLINT + 0xbff8, 8},
        {PLIC + 4 * 10, 4},
        {PLIC + 4 * 11, 4},
        {PLIC + 0x1000, 4},
        {PLIC + 0x2000, 4},
        {PLIC + 0x200000, 4},
        {RTC + GOLDFISH_RTC_TIME_LOW, 4}, /* latches TIME_HIGH */
        {RTC + GOLDFISH_RTC_TIME_HIGH, 4},
        {RTC + GOLDFISH_RTC_ALARM_STATUS, 4},
        {FW_CFG, 1}, /* the data register advances the read offset */
        {VD_SLOT(BLK_SLOT) + VD_STATUS, 4},
        {VD_SLOT(BLK_SLOT) + VD_ISR, 4},
        {VD_SLOT(BLK_SLOT) + VD_QUEUE_NUM_MAX, 4},
        {VD_SLOT(RNG_SLOT) + VD_STATUS, 4},
        {VD_SLOT(RNG_SLOT) + VD_ISR, 4},
        {DRAM, 8},
        {DRAM + 0x5000, 8},
    };
    GArray *values = g_array_new(FALSE, FALSE, sizeof(uint64_t));

    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++) {
        uint64_t v = hwtest_read(regs[i].addr, regs[i].size);
        g_array_append_val(values, v);
    }
    return values;
}

static void set_up_blk(VirtioDriver *d)
{
    vd_setup(d, VD_SLOT(BLK_SLOT), 0, 8, RING_BLK, 0);
}

/* A virtio-blk write of 512 bytes of fill at sector (through the queue, into the overlay). */
static void blk_write_sector(VirtioDriver *d, uint64_t sector, uint8_t fill)
{
    uint8_t hdr[16] = {1 /* VIRTIO_BLK_T_OUT */};
    uint8_t data[512];

    memset(data, fill, sizeof(data));
    for (int i = 0; i < 8; i++) {
        hdr[8 + i] = (uint8_t)(sector >> (8 * i));
    }
    vd_mem_write(d, REQ, hdr, sizeof(hdr));
    vd_mem_write(d, REQ + 0x100, data, sizeof(data));
    vd_desc(d, 0, REQ, 16, VD_F_NEXT, 1);
    vd_desc(d, 1, REQ + 0x100, 512, VD_F_NEXT, 2);
    vd_desc(d, 2, REQ + 0x400, 1, VD_F_WRITE, 0);
    vd_submit(d, 0);
}

static uint8_t drive_byte(uint64_t offset)
{
    uint8_t b;

    assert_true(blk_read(blk_find("d0"), offset, &b, 1, &error_abort));
    return b;
}

/* Changes every device, RAM, time, timers and IRQ lines (not the run state). */
/* Hart 0 of socket 0. */
static RVHart *boot_hart(void)
{
    Object *soc = object_resolve_path("/machine/soc0", NULL);

    assert_non_null(soc);
    return RV_HART_ARRAY(soc)->harts[0];
}

static void change_everything(VirtioDriver *blk)
{
    VirtioDriver rng = {0};

    /* uart: scratch, line control, THR-empty interrupt (raises PLIC source 10) */
    hwtest_write(UART + 7, 1, 0x5a);
    hwtest_write(UART + 3, 1, 0x1b);
    hwtest_write(UART + 1, 1, 0x0f);
    hwtest_write(UART + 0, 1, 'x');
    hwtest_write(UART + 3, 1, 0x80); /* divisor latch: 3, then FIFOs on with a 14-byte trigger */
    hwtest_write(UART + 0, 1, 3);
    hwtest_write(UART + 1, 1, 0);
    hwtest_write(UART + 3, 1, 0x1b);
    hwtest_write(UART + 2, 1, 0xc7);
    hwtest_write(UART + 4, 1, 0x1f); /* loopback: what is sent comes back into the receive FIFO */
    hwtest_write(UART + 0, 1, 'y');
    hwtest_write(UART + 0, 1, 'z');
    hwtest_read(UART + 0, 1);
    /* clint: software interrupt; mtimer: a compare value arms the hart's timer */
    hwtest_write(CLINT, 4, 1);
    hwtest_write(CLINT + 0x4000, 8, 12345);
    hwtest_write(CLINT + 0xbff8, 8, 1000); /* mtime */
    /* plic: priorities, enables, threshold */
    hwtest_write(PLIC + 4 * 10, 4, 3);
    hwtest_write(PLIC + 4 * 11, 4, 2);
    hwtest_write(PLIC + 0x2000, 4, 1u << 10 | 1u << 11);
    hwtest_write(PLIC + 0x200000, 4, 0);
    hwtest_read(PLIC + 0x200004, 4); /* claim the UART's interrupt */
    /* rtc: an alarm with its interrupt enabled (arms the alarm timer) */
    hwtest_read(RTC + GOLDFISH_RTC_TIME_LOW, 4); /* latches TIME_HIGH */
    hwtest_write(RTC + GOLDFISH_RTC_ALARM_HIGH, 4, hwtest_read(RTC + GOLDFISH_RTC_TIME_HIGH, 4));
    hwtest_write(RTC + GOLDFISH_RTC_ALARM_LOW, 4,
                 (uint32_t)(hwtest_read(RTC + GOLDFISH_RTC_TIME_LOW, 4) + 5000000));
    hwtest_write(RTC + GOLDFISH_RTC_IRQ_ENABLED, 4, 1);
    hwtest_write(RTC + GOLDFISH_RTC_CLEAR_INTERRUPT, 4, 1);
    /* fw_cfg: select the signature and read part of it */
    hwtest_write(FW_CFG + 8, 2, 0x0100); /* big-endian key 0x0001 */
    hwtest_read(FW_CFG, 1);
    hwtest_read(FW_CFG, 1);
    hwtest_write(FW_CFG + 0x10, 4,
                 0x12345678); /* the high half of a DMA address (no transfer yet) */
    /* virtio-blk: its config space (capacity), then a request into the snapshot=on overlay */
    hwtest_read(VD_SLOT(BLK_SLOT) + VD_CONFIG, 4);
    hwtest_read(VD_SLOT(BLK_SLOT) + VD_CONFIG + 20, 1);
    blk_write_sector(blk, 1, 0xab);
    /* virtio-rng: set up its queue and read entropy into RAM */
    vd_setup(&rng, VD_SLOT(RNG_SLOT), 0, 8, RING_RNG, 0);
    vd_desc(&rng, 0, REQ + 0x800, 64, VD_F_WRITE, 0);
    vd_submit(&rng, 0);
    /* hart 0: what software and firmware hand-off set (the interpreter will, through these) */
    rv_hart_write_mip(boot_hart(), RV_MIP_BIT(RV_IRQ_SSIP) | RV_MIP_BIT(RV_IRQ_STIP),
                      RV_MIP_WRITABLE);
    boot_hart()->env.pc = 0x80001234;
    boot_hart()->env.x[10] = 0xfeedface;
    boot_hart()->env.priv = 1;
    /* RAM */
    hwtest_write(DRAM, 8, 0x1122334455667788ull);
    hwtest_write(DRAM + 0x5000, 8, 42);
    /* time: the mtimer fires on the way, the rtc alarm does not yet */
    clock_step_virtual(2000000);
}

/* ---- the tests --------------------------------------------------------------------------------
 */

static void test_take_fails_without_a_machine(void **state)
{
    Error *err = NULL;

    assert_false(snapshot_take(&err));
    assert_string_equal(error_get_pretty(err), "no machine to take a snapshot of");
    error_free(err);
    assert_false(snapshot_taken());
    assert_null(snapshot_digest(NULL));
}

static void test_restore_and_check_without_a_snapshot_fail(void **state)
{
    Error *err = NULL;

    boot();
    assert_false(snapshot_restore(&err));
    assert_string_equal(error_get_pretty(err), "no snapshot to restore");
    error_free(err);
    err = NULL;
    assert_false(snapshot_check(&err));
    assert_string_equal(error_get_pretty(err), "no snapshot to check against");
    error_free(err);
}

static void test_take_walks_every_device_and_ram_region(void **state)
{
    const SnapshotStats *st;

    boot();
    assert_true(snapshot_take(&error_abort));
    assert_true(snapshot_taken());
    st = snapshot_stats();
    /* harts, clint (2), plic, uart (2), rtc, test, fw_cfg, 8 transports, blk, rng */
    assert_true(st->devices >= 18);
    assert_true(st->state_bytes > 0);
    assert_int_equal(st->ram_regions, 2); /* DRAM and the mask ROM */
    assert_true(st->pages_saved > 0);     /* the reset vector at least */
    assert_int_equal(st->drives_saved, 1);
}

static void test_an_idle_restore_copies_no_ram_and_keeps_the_digest(void **state)
{
    char *before, *after;

    boot();
    assert_true(snapshot_take(&error_abort));
    before = digest();
    assert_true(snapshot_restore(&error_abort));
    after = digest();
    assert_string_equal(before, after);
    assert_int_equal(snapshot_stats()->pages_restored, 0);
    assert_int_equal(snapshot_stats()->pages_zeroed, 0);
    assert_int_equal(snapshot_stats()->blocks_restored, 0);
    /* Nothing changed: no device is loaded back either. */
    assert_int_equal(snapshot_stats()->devices_restored, 0);
    assert_check_passes();
    g_free(before);
    g_free(after);
}

/* Only the devices an input changed are loaded back; the rest already hold the saved state. */
static void test_a_restore_loads_only_the_devices_that_changed(void **state)
{
    char *before, *after;

    boot();
    assert_true(snapshot_take(&error_abort));
    before = digest();
    hwtest_write(UART + 7, 1, 0x5a); /* the scratch register: the UART alone changes */
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(snapshot_stats()->devices_restored, 1);
    after = digest();
    assert_string_equal(before, after);
    assert_int_equal(hwtest_read(UART + 7, 1), 0);
    /* A value written and written back leaves nothing to load. */
    assert_true(snapshot_restore(&error_abort));
    hwtest_write(UART + 7, 1, 0x5a);
    hwtest_write(UART + 7, 1, 0);
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(snapshot_stats()->devices_restored, 0);
    assert_check_passes();
    g_free(before);
    g_free(after);
}

static void test_restore_undoes_changes_to_every_device(void **state)
{
    VirtioDriver blk = {0};
    GArray *reads_at_take, *reads_after_restore;
    char *at_take, *changed, *restored;
    uint64_t hart_pc, hart_mip;

    boot();
    set_up_blk(&blk);
    assert_true(snapshot_take(&error_abort));
    at_take = digest();
    reads_at_take = read_registers();
    assert_true(snapshot_restore(&error_abort)); /* undo the reads' side effects */

    hart_pc = boot_hart()->env.pc;
    hart_mip = rv_hart_read_mip(boot_hart());
    change_everything(&blk);
    changed = digest();
    assert_string_not_equal(at_take, changed);
    assert_false(snapshot_check(NULL));
    assert_int_equal(drive_byte(512), 0xab);

    assert_true(snapshot_restore(&error_abort));
    restored = digest();
    assert_string_equal(at_take, restored);
    assert_check_passes();
    assert_int_equal(drive_byte(512), 0);
    assert_int_equal(boot_hart()->env.pc, hart_pc);
    assert_int_equal(boot_hart()->env.x[10], 0);
    assert_int_equal(rv_hart_read_mip(boot_hart()), hart_mip);
    reads_after_restore = read_registers();
    assert_int_equal(reads_at_take->len, reads_after_restore->len);
    for (guint i = 0; i < reads_at_take->len; i++) {
        if (g_array_index(reads_at_take, uint64_t, i) !=
            g_array_index(reads_after_restore, uint64_t, i)) {
            fail_msg("register read %u: 0x%" PRIx64 " after the take, 0x%" PRIx64
                     " after the restore",
                     i, g_array_index(reads_at_take, uint64_t, i),
                     g_array_index(reads_after_restore, uint64_t, i));
        }
    }
    g_array_free(reads_at_take, TRUE);
    g_array_free(reads_after_restore, TRUE);
    g_free(at_take);
    g_free(changed);
    g_free(restored);
}

static void test_restore_undoes_changes_with_modern_virtio_transports(void **state)
{
    const char *extra[] = {"-global", "virtio-mmio.force-legacy=false", NULL};
    VirtioDriver blk = {0};
    char *at_take, *now;

    boot_with("128M", extra);
    set_up_blk(&blk);
    assert_true(blk.modern);
    assert_true(snapshot_take(&error_abort));
    at_take = digest();
    change_everything(&blk);
    assert_false(snapshot_check(NULL));
    assert_true(snapshot_restore(&error_abort));
    now = digest();
    assert_string_equal(at_take, now);
    assert_check_passes();
    g_free(at_take);
    g_free(now);
}

static void collect_reply(void *opaque, const char *text, size_t len)
{
    g_string_append_len(opaque, text, (gssize)len);
}

/* Runs a fuzzer-like input through the in-process qtest server; returns the replies. */
static char *run_input(QTestServer *server, GString *replies)
{
    static const char input[] = "writeb 0x10000007 0x42\n"
                                "writeb 0x10000001 0x02\n"
                                "writel 0xc000028 0x1\n"
                                "writel 0xc002000 0x400\n"
                                "writeq 0x2004000 0x100\n"
                                "clock_step 50000\n"
                                "readl 0xc001000\n"
                                "readb 0x10000002\n"
                                "writeq 0x80001000 0x1234\n"
                                "readq 0x80001000\n"
                                "readq 0x200bff8\n";

    g_string_truncate(replies, 0);
    qtest_server_feed(server, input, sizeof(input) - 1);
    return g_strdup(replies->str);
}

static void test_the_same_qtest_input_after_each_restore_gets_the_same_replies(void **state)
{
    GString *replies = g_string_new(NULL);
    QTestServer *server;
    char *first, *again;

    boot();
    server = qtest_server_new(collect_reply, replies);
    qtest_server_open(server);
    assert_true(snapshot_take(&error_abort));
    snapshot_set_check(true);
    first = run_input(server, replies);
    assert_null(strstr(first, "ERR"));
    for (int i = 0; i < 3; i++) {
        assert_true(snapshot_restore(&error_abort));
        again = run_input(server, replies);
        assert_string_equal(first, again);
        g_free(again);
    }
    qtest_server_free(server);
    g_string_free(replies, TRUE);
    g_free(first);
}

static void test_restore_after_restore_returns_to_the_same_state(void **state)
{
    VirtioDriver blk = {0};
    char *at_take;

    boot();
    set_up_blk(&blk);
    assert_true(snapshot_take(&error_abort));
    at_take = digest();
    for (int round = 0; round < 3; round++) {
        char *now;

        change_everything(&blk);
        assert_true(snapshot_restore(&error_abort));
        assert_true(snapshot_restore(&error_abort)); /* twice in a row: still the same */
        now = digest();
        assert_string_equal(at_take, now);
        assert_check_passes();
        g_free(now);
        /* the driver's own view of the ring goes back too */
        blk.avail_idx = 0;
    }
    assert_int_equal(snapshot_stats()->restores, 6);
    g_free(at_take);
}

static void test_a_second_take_replaces_the_first(void **state)
{
    char *at_second, *now;

    boot();
    assert_true(snapshot_take(&error_abort));
    hwtest_write(DRAM, 8, 1);
    hwtest_write(UART + 7, 1, 0x11);
    assert_true(snapshot_take(&error_abort));
    at_second = digest();
    hwtest_write(DRAM, 8, 2);
    hwtest_write(DRAM + 0x3000, 8, 3);
    hwtest_write(UART + 7, 1, 0x22);
    assert_true(snapshot_restore(&error_abort));
    now = digest();
    assert_string_equal(at_second, now);
    assert_int_equal(hwtest_read(DRAM, 8), 1);
    assert_int_equal(hwtest_read(DRAM + 0x3000, 8), 0);
    assert_int_equal(hwtest_read(UART + 7, 1), 0x11);
    g_free(at_second);
    g_free(now);
}

static void test_restore_puts_back_only_ram_written_since_the_take(void **state)
{
    boot();
    hwtest_write(DRAM + 0x1000, 4, 0xaaaa); /* before the take: kept */
    assert_true(snapshot_take(&error_abort));
    hwtest_write(DRAM + 0x1000, 4, 0xbbbb); /* saved page, changed */
    hwtest_write(DRAM + 0x2000, 4, 0xcccc); /* never written before: back to zeros */
    hwtest_write(DRAM + 0x2ffc, 4, 0xdddd); /* same page */
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(hwtest_read(DRAM + 0x1000, 4), 0xaaaa);
    assert_int_equal(hwtest_read(DRAM + 0x2000, 4), 0);
    assert_int_equal(hwtest_read(DRAM + 0x2ffc, 4), 0);
    assert_int_equal(snapshot_stats()->pages_restored, 1);
    assert_int_equal(snapshot_stats()->pages_zeroed, 1);
    assert_check_passes();
}

static void test_pages_written_before_a_freed_snapshot_are_still_restored(void **state)
{
    boot();
    assert_true(snapshot_take(&error_abort));
    hwtest_write(DRAM + 0x4000, 4, 0x1234);
    snapshot_free();
    assert_false(snapshot_taken());
    assert_true(snapshot_take(&error_abort));
    hwtest_write(DRAM + 0x4000, 4, 0x5678);
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(hwtest_read(DRAM + 0x4000, 4), 0x1234);
}

/* Restores after the same writes on a machine of mem; returns the counters. */
static SnapshotStats restore_cost(const char *mem)
{
    SnapshotStats st;

    boot_with(mem, NULL);
    assert_true(snapshot_take(&error_abort));
    for (int i = 0; i < 16; i++) {
        hwtest_write(DRAM + 0x10000 + (hwaddr)i * 0x3000, 8, (uint64_t)i + 1);
    }
    hwtest_write(UART + 7, 1, 0x77);
    assert_true(snapshot_restore(&error_abort));
    st = *snapshot_stats();
    tern_cleanup();
    return st;
}

static void test_restore_cost_does_not_grow_with_ram_size(void **state)
{
    SnapshotStats small = restore_cost("128M"), large = restore_cost("2G");

    assert_int_equal(small.pages_restored + small.pages_zeroed, 16);
    assert_int_equal(large.pages_restored + large.pages_zeroed, 16);
    assert_int_equal(small.bytes_restored, large.bytes_restored);
    /* the pages come from the dirty log: no bitmap word is scanned */
    assert_int_equal(small.bitmap_words, 0);
    assert_int_equal(large.bitmap_words, 0);
    assert_int_equal(small.pages_saved, large.pages_saved);
}

static void test_restore_past_the_dirty_log_scans_the_bitmap(void **state)
{
    const size_t pages = 16384 + 3; /* one region's log holds 16384 */

    boot();
    assert_true(snapshot_take(&error_abort));
    for (size_t i = 0; i < pages; i++) {
        hwtest_write(DRAM + 0x200000 + (hwaddr)i * 0x1000, 1, 0xee);
    }
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(snapshot_stats()->pages_restored + snapshot_stats()->pages_zeroed, pages);
    assert_true(snapshot_stats()->bitmap_words > 0);
    assert_int_equal(hwtest_read(DRAM + 0x200000 + (hwaddr)(pages - 1) * 0x1000, 1), 0);
    assert_check_passes();
}

static void test_time_runs_the_same_after_a_restore(void **state)
{
    char *first, *second;

    uint64_t rtc_now;

    boot();
    hwtest_write(CLINT + 0x4000, 8, 2000); /* mtimecmp: fires at 200 us */
    rtc_now = hwtest_read(RTC + GOLDFISH_RTC_TIME_LOW, 4);
    rtc_now |= hwtest_read(RTC + GOLDFISH_RTC_TIME_HIGH, 4) << 32;
    hwtest_write(RTC + GOLDFISH_RTC_ALARM_HIGH, 4, (rtc_now + 300000) >> 32);
    hwtest_write(RTC + GOLDFISH_RTC_ALARM_LOW, 4,
                 (uint32_t)(rtc_now + 300000)); /* fires at 300 us */
    hwtest_write(RTC + GOLDFISH_RTC_IRQ_ENABLED, 4, 1);
    assert_true(snapshot_take(&error_abort));
    assert_int_equal(snapshot_stats()->timers_saved, 2);
    clock_step_virtual(1000000); /* both fire */
    first = digest();
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 200000);
    clock_step_virtual(1000000);
    second = digest();
    assert_string_equal(first, second);
    g_free(first);
    g_free(second);
}

static void test_timers_armed_after_the_take_are_disarmed_by_restore(void **state)
{
    boot();
    assert_true(snapshot_take(&error_abort));
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    hwtest_write(CLINT + 0x4000, 8, 5000);
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) >= 0);
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    assert_check_passes();
}

static void test_irq_levels_go_back_with_the_devices(void **state)
{
    char *at_take, *now;

    boot();
    hwtest_write(PLIC + 4 * 10, 4, 1);
    hwtest_write(PLIC + 0x2000, 4, 1u << 10);
    assert_true(snapshot_take(&error_abort));
    at_take = digest();
    hwtest_write(UART + 1, 1, 0x02); /* THR-empty interrupt: raises the UART's line */
    assert_int_equal(hwtest_read(PLIC + 0x1000, 4) & (1u << 10), 1u << 10);
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(hwtest_read(PLIC + 0x1000, 4) & (1u << 10), 0);
    now = digest();
    assert_string_equal(at_take, now);
    assert_check_passes();
    g_free(at_take);
    g_free(now);
}

static void test_restore_withdraws_a_pending_shutdown_request(void **state)
{
    boot();
    assert_true(snapshot_take(&error_abort));
    hwtest_write(TEST, 4, 0x5555); /* sifive_test: guest asks to power off */
    assert_true(runstate_request_pending());
    assert_true(snapshot_restore(&error_abort));
    assert_false(runstate_request_pending());
    assert_check_passes();
}

static void test_restore_keeps_a_request_pending_at_the_take(void **state)
{
    boot();
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_true(snapshot_take(&error_abort));
    assert_true(snapshot_restore(&error_abort));
    assert_true(runstate_request_pending());
}

static int bh_runs;

static void count_bh(void *opaque)
{
    bh_runs++;
}

static void test_restore_reschedules_bottom_halves_pending_at_the_take(void **state)
{
    BH *pending, *later;

    boot();
    bh_runs = 0;
    pending = bh_new(count_bh, NULL);
    later = bh_new(count_bh, NULL);
    bh_schedule(pending);
    assert_true(snapshot_take(&error_abort));
    assert_int_equal(snapshot_stats()->bhs_saved, 1);
    bh_poll();
    assert_int_equal(bh_runs, 1);
    bh_schedule(later);
    assert_true(snapshot_restore(&error_abort));
    bh_poll(); /* pending runs again, later not at all */
    assert_int_equal(bh_runs, 2);
    assert_false(bh_poll());
    bh_delete(pending);
    bh_delete(later);
}

static void test_restore_refuses_once_a_held_bottom_half_is_deleted(void **state)
{
    BH *bh;
    Error *err = NULL;

    boot();
    bh = bh_new(count_bh, NULL);
    bh_schedule(bh);
    assert_true(snapshot_take(&error_abort));
    bh_delete(bh);
    assert_false(snapshot_restore(&err));
    assert_non_null(strstr(error_get_pretty(err), "bottom half was deleted"));
    error_free(err);
}

/* 64 bytes from virtio-rng into RAM at REQ + 0x800. */
static void read_entropy(uint8_t out[64])
{
    VirtioDriver rng = {0};

    vd_setup(&rng, VD_SLOT(RNG_SLOT), 0, 8, RING_RNG, 0);
    vd_desc(&rng, 0, REQ + 0x800, 64, VD_F_WRITE, 0);
    vd_submit(&rng, 0);
    vd_mem_read(&rng, REQ + 0x800, out, 64);
}

static void test_entropy_read_after_a_restore_repeats(void **state)
{
    uint8_t first[64], second[64], zeros[64] = {0};

    boot();
    assert_true(snapshot_take(&error_abort));
    read_entropy(first);
    assert_memory_not_equal(first, zeros, sizeof(zeros));
    assert_true(snapshot_restore(&error_abort));
    read_entropy(second);
    assert_memory_equal(first, second, sizeof(first));
}

static void test_restore_puts_back_the_drive_overlay(void **state)
{
    VirtioDriver blk = {0};

    boot();
    set_up_blk(&blk);
    blk_write_sector(&blk, 2, 0x11); /* in the overlay before the take */
    assert_true(snapshot_take(&error_abort));
    blk_write_sector(&blk, 2, 0x22);
    blk_write_sector(&blk, 9, 0x33); /* in a 4 KiB block the overlay did not have */
    assert_int_equal(drive_byte(1024), 0x22);
    assert_int_equal(drive_byte(4609), 0x33);
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(drive_byte(1024), 0x11);
    assert_int_equal(drive_byte(4609), (uint8_t)4609); /* the image's own byte again */
    assert_int_equal(snapshot_stats()->blocks_restored, 2);
    assert_check_passes();
}

static void test_take_refuses_a_drive_written_in_place(void **state)
{
    char *spec = g_strdup_printf("file=%s,format=raw,if=none,id=w0", image);
    const char *extra[] = {"-drive", spec, NULL};
    Error *err = NULL;

    boot_with("128M", extra);
    assert_false(snapshot_take(&err));
    assert_string_equal(error_get_pretty(err),
                        "drive 'w0' is written in place: a snapshot cannot undo that (use "
                        "snapshot=on or readonly=on)");
    assert_false(snapshot_taken());
    error_free(err);
    g_free(spec);
}

static void test_take_refuses_a_malformed_state_table_naming_the_device(void **state)
{
    const char *extra[] = {"-device", "malformed-state-device,id=bad", NULL};
    Error *err = NULL;

    boot_with("128M", extra);
    assert_false(snapshot_take(&err));
    assert_string_equal(error_get_pretty(err),
                        "device '/machine/peripheral/bad' (malformed-state-device): state table "
                        "'malformed-state-device': fields 'counter' and 'counter-again' overlap");
    assert_false(snapshot_taken());
    error_free(err);
}

static HiddenStateDevice *hidden_device(void)
{
    Object *obj =
        object_resolve_path_type("/machine/peripheral/h0", TYPE_HIDDEN_STATE_DEVICE, NULL);

    assert_non_null(obj);
    return HIDDEN_STATE_DEVICE(obj);
}

static void test_check_names_a_device_hiding_state_outside_its_table(void **state)
{
    const char *extra[] = {"-device", "hidden-state-device,id=h0", NULL};
    Error *err = NULL;
    char *expected;

    boot_with("128M", extra);
    assert_true(snapshot_take(&error_abort));
    hidden_state_device_kick(hidden_device());
    assert_true(snapshot_restore(&error_abort));
    assert_int_equal(hidden_device()->counter, 0); /* the table's part went back */
    assert_false(snapshot_check(&err));
    expected = g_strdup_printf("device '/machine/peripheral/h0' (hidden-state-device): offset %zu "
                               "outside the state table differs from the snapshot (state the "
                               "table does not hold)",
                               offsetof(HiddenStateDevice, hidden));
    assert_string_equal(error_get_pretty(err), expected);
    g_free(expected);
    error_free(err);
}

static void test_check_mode_makes_restore_fail_on_hidden_state(void **state)
{
    const char *extra[] = {"-device", "hidden-state-device,id=h0", NULL};
    Error *err = NULL;

    boot_with("128M", extra);
    assert_true(snapshot_take(&error_abort));
    snapshot_set_check(true);
    assert_true(snapshot_restore(&error_abort)); /* nothing changed yet */
    hidden_state_device_kick(hidden_device());
    assert_false(snapshot_restore(&err));
    assert_non_null(strstr(error_get_pretty(err), "'/machine/peripheral/h0'"));
    error_free(err);
}

static void test_check_names_the_field_that_differs_before_a_restore(void **state)
{
    const char *extra[] = {"-device", "hidden-state-device,id=h0", NULL};
    Error *err = NULL;

    boot_with("128M", extra);
    assert_true(snapshot_take(&error_abort));
    hidden_device()->counter = 9;
    assert_false(snapshot_check(&err));
    assert_string_equal(error_get_pretty(err),
                        "device '/machine/peripheral/h0' (hidden-state-device): field 'counter' "
                        "differs from the snapshot");
    error_free(err);
}

static void test_check_reports_ram_and_time_that_differ(void **state)
{
    Error *err = NULL;

    boot();
    assert_true(snapshot_take(&error_abort));
    hwtest_write(DRAM + 0x7000, 1, 1);
    assert_false(snapshot_check(&err));
    assert_string_equal(error_get_pretty(err),
                        "RAM 'riscv_virt_board.ram': page 7 (offset 0x7000) differs from the "
                        "snapshot");
    error_free(err);
    err = NULL;
    assert_true(snapshot_restore(&error_abort));
    clock_step_virtual(10);
    assert_false(snapshot_check(&err));
    assert_string_equal(error_get_pretty(err), "virtual clock is at 10 ns, the snapshot has 0");
    error_free(err);
}

static void test_digest_is_the_same_for_identical_runs(void **state)
{
    VirtioDriver blk = {0};
    char *first, *second;

    boot();
    set_up_blk(&blk);
    change_everything(&blk);
    first = digest();
    tern_cleanup();
    boot();
    set_up_blk(&blk);
    change_everything(&blk);
    second = digest();
    assert_string_equal(first, second);
    assert_int_equal(strlen(first), 64);
    g_free(first);
    g_free(second);
}

static void test_digest_changes_with_a_register_ram_or_time(void **state)
{
    char *a, *b, *c, *d;

    boot();
    a = digest();
    hwtest_write(UART + 7, 1, 1);
    b = digest();
    hwtest_write(DRAM + 0x9000, 1, 1);
    c = digest();
    clock_step_virtual(1);
    d = digest();
    assert_string_not_equal(a, b);
    assert_string_not_equal(b, c);
    assert_string_not_equal(c, d);
    g_free(a);
    g_free(b);
    g_free(c);
    g_free(d);
}

static void test_writing_zeros_to_fresh_ram_keeps_the_digest(void **state)
{
    char *a, *b;

    boot();
    a = digest();
    hwtest_write(DRAM + 0x20000, 8, 0);
    b = digest();
    assert_string_equal(a, b);
    g_free(a);
    g_free(b);
}

static void test_cleanup_drops_the_snapshot(void **state)
{
    boot();
    assert_true(snapshot_take(&error_abort));
    tern_cleanup();
    assert_false(snapshot_taken());
}

/* Two harts' timers armed for the same deadline, hart 0 first or hart 1 first. */
static char *digest_with_timers_armed(bool hart0_first)
{
    const char *extra[] = {"-smp", "2", NULL};
    char *d;

    boot_with("128M", extra);
    hwtest_write(CLINT + 0x4000 + (hart0_first ? 0 : 8), 8, 5000);
    hwtest_write(CLINT + 0x4000 + (hart0_first ? 8 : 0), 8, 5000);
    d = digest();
    tern_cleanup();
    return d;
}

static void test_digest_tells_apart_equal_deadlines_armed_in_another_order(void **state)
{
    char *a = digest_with_timers_armed(true);
    char *again = digest_with_timers_armed(true);
    char *b = digest_with_timers_armed(false);

    /* Same registers, same deadlines; only the firing order of the tie differs. */
    assert_string_equal(a, again);
    assert_string_not_equal(a, b);
    g_free(a);
    g_free(again);
    g_free(b);
}

static void test_check_mode_ends_with_the_machine(void **state)
{
    const char *extra[] = {"-device", "hidden-state-device,id=h0", NULL};

    boot_with("128M", extra);
    snapshot_set_check(true);
    tern_cleanup();
    /* A new machine starts with the check off: hidden state goes unnoticed again. */
    boot_with("128M", extra);
    assert_true(snapshot_take(&error_abort));
    hidden_state_device_kick(hidden_device());
    assert_true(snapshot_restore(&error_abort));
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_take_fails_without_a_machine),
        T(test_restore_and_check_without_a_snapshot_fail),
        T(test_take_walks_every_device_and_ram_region),
        T(test_an_idle_restore_copies_no_ram_and_keeps_the_digest),
        T(test_a_restore_loads_only_the_devices_that_changed),
        T(test_restore_undoes_changes_to_every_device),
        T(test_restore_undoes_changes_with_modern_virtio_transports),
        T(test_restore_after_restore_returns_to_the_same_state),
        T(test_the_same_qtest_input_after_each_restore_gets_the_same_replies),
        T(test_a_second_take_replaces_the_first),
        T(test_restore_puts_back_only_ram_written_since_the_take),
        T(test_pages_written_before_a_freed_snapshot_are_still_restored),
        T(test_restore_cost_does_not_grow_with_ram_size),
        T(test_restore_past_the_dirty_log_scans_the_bitmap),
        T(test_time_runs_the_same_after_a_restore),
        T(test_timers_armed_after_the_take_are_disarmed_by_restore),
        T(test_irq_levels_go_back_with_the_devices),
        T(test_restore_withdraws_a_pending_shutdown_request),
        T(test_restore_keeps_a_request_pending_at_the_take),
        T(test_restore_reschedules_bottom_halves_pending_at_the_take),
        T(test_restore_refuses_once_a_held_bottom_half_is_deleted),
        T(test_entropy_read_after_a_restore_repeats),
        T(test_restore_puts_back_the_drive_overlay),
        T(test_take_refuses_a_drive_written_in_place),
        T(test_take_refuses_a_malformed_state_table_naming_the_device),
        T(test_check_names_a_device_hiding_state_outside_its_table),
        T(test_check_mode_makes_restore_fail_on_hidden_state),
        T(test_check_names_the_field_that_differs_before_a_restore),
        T(test_check_reports_ram_and_time_that_differ),
        T(test_digest_is_the_same_for_identical_runs),
        T(test_digest_changes_with_a_register_ram_or_time),
        T(test_writing_zeros_to_fresh_ram_keeps_the_digest),
        T(test_cleanup_drops_the_snapshot),
        T(test_digest_tells_apart_equal_deadlines_armed_in_another_order),
        T(test_check_mode_ends_with_the_machine),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
