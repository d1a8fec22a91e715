/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virtio-blk.c - virtio-blk-device through its virtqueue on the virt
 * board: requests built in guest RAM (header, data, status byte), notified,
 * and checked in the used ring, the status byte and the image file.  Reads
 * and writes (legacy and modern), any descriptor layout, flush, GET_ID,
 * discard and write zeroes, read-only and snapshot=on drives, requests
 * outside the disk, config space and feature words, then every malformed
 * chain the device must refuse without writing outside the guest's
 * buffers: loops, chains longer than the queue, bad indices, buffers and
 * rings outside RAM, wrong direction flags, truncated headers, bad and
 * nested indirect tables.  Last, notification suppression (event index,
 * NO_INTERRUPT), saved state and creation errors.
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
#include "core/log.h"
#include "core/machine.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/qdev.h"
#include "core/tern.h"
#include "hw/virtio-mmio.h"
#include "tests/support/log-capture.h"
#include "tests/support/virtio-driver.h"
#include "tests/support/tmpdir.h"
#include "tests/support/vmstate-test.h"

#define RAM      0x80000000ull
#define RAM_SIZE (128ull << 20)
#define RING     (RAM + 0x10000)
#define HDR      (RAM + 0x20000)
#define DATA     (RAM + 0x30000)
#define STATUS   (RAM + 0x50000)
#define TABLE    (RAM + 0x60000)
#define QSIZE    16

#define NO_STATUS 0xee /* what the status byte holds before the device answers */

#define F_NOTIFY_ON_EMPTY (1ull << 24)
#define F_EVENT_IDX       (1ull << 29)
#define F_VERSION_1       (1ull << 32)
#define ALL_FEATURES      0xffffffffffffffffull

static char *dir, *image;
static VirtioDriver d;
static DeviceState *blkdev;

/* ---- the machine ------------------------------------------------------------------------- */

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i * 13 + 1);
}

static char *make_image(const char *name, size_t len)
{
    return tmpdir_write_pattern(dir, name, len, pattern);
}

static int setup(void **state)
{
    dir = tmpdir_new("tern-vblk-XXXXXX");
    image = make_image("disk.img", 1 << 20);
    return 0;
}

static int teardown(void **state)
{
    tern_cleanup();
    blk_cleanup_all(); /* until tern_cleanup does it */
    blkdev = NULL;
    tmpdir_remove(dir);
    g_free(image);
    logcapture_cancel();
    return 0;
}

/* tern_init with the drive and extra arguments (NULL-terminated). */
static void boot(const char *drive_opts, ...)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    va_list ap;
    const char *arg;

    for (const char *const *a =
             (const char *const[]){"tern", "-nouserconfig", "-M", "virt", "-accel", "qtest",
                                   "-bios", "none", "-drive", NULL};
         *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    g_ptr_array_add(argv, g_strdup_printf("file=%s,format=raw,if=none,id=d0%s%s", image,
                                          drive_opts ? "," : "", drive_opts ? drive_opts : ""));
    va_start(ap, drive_opts);
    while ((arg = va_arg(ap, const char *))) {
        g_ptr_array_add(argv, g_strdup(arg));
    }
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    assert_int_equal(tern_init((int)argv->len - 1, (char **)argv->pdata, &error_abort),
                     TERN_INIT_RUN);
    g_ptr_array_free(argv, TRUE);
    /* Until vl.c opens -drive back ends itself. */
    if (!blk_find("d0")) {
        assert_true(blk_create_all(&error_abort));
    }
}

/* Creates a virtio-blk-device on drive d0 with extra property pairs (NULL-terminated). */
static DeviceState *add_blk(Error **errp, ...)
{
    DeviceState *dev = qdev_new("virtio-blk-device");
    Object *parent = container_get(OBJECT(machine_current()), "/peripheral-anon");
    char *name = g_strdup_printf("blk%p", (void *)dev);
    const char *prop;
    va_list ap;

    object_property_parse(OBJECT(dev), "drive", "d0", &error_abort);
    va_start(ap, errp);
    while ((prop = va_arg(ap, const char *))) {
        object_property_parse(OBJECT(dev), prop, va_arg(ap, const char *), &error_abort);
    }
    va_end(ap);
    object_property_add_child(parent, name, OBJECT(dev));
    g_free(name);
    object_unref(OBJECT(dev));
    if (!qdev_realize(dev, errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return dev;
}

/* A machine with the drive and a device in slot 7, driven with features want. */
static void start(const char *drive_opts, bool modern, uint64_t want)
{
    if (modern) {
        boot(drive_opts, "-global", "virtio-mmio.force-legacy=false", NULL);
    } else {
        boot(drive_opts, NULL);
    }
    blkdev = add_blk(&error_abort, NULL);
    vd_setup(&d, VD_SLOT(7), 0, QSIZE, RING, want);
}

static VirtIODevice *vdev(void)
{
    return VIRTIO_DEVICE(blkdev);
}

/* ---- requests ------------------------------------------------------------------------------ */

/*
 * The usual three-descriptor request: header, data (len 0: none), status.
 * Returns the status byte; *used_len gets the used length (if given).
 */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t len, bool device_writes,
                       uint32_t *used_len)
{
    uint16_t before = vd_used_idx(&d);
    unsigned status_desc = len ? 2 : 1;
    uint32_t id, ulen;

    vd_blk_header(&d, HDR, type, sector);
    vd_put8(&d, STATUS, NO_STATUS);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    if (len) {
        vd_desc(&d, 1, DATA, len, VD_F_NEXT | (device_writes ? VD_F_WRITE : 0), 2);
    }
    vd_desc(&d, status_desc, STATUS, 1, VD_F_WRITE, 0);
    vd_submit(&d, 0);
    assert_int_equal(vd_used_idx(&d), (uint16_t)(before + 1));
    vd_used_elem(&d, before, &id, &ulen);
    assert_int_equal(id, 0);
    if (used_len) {
        *used_len = ulen;
    }
    return vd_get8(&d, STATUS);
}

static void fill_data(size_t len, uint8_t seed)
{
    uint8_t *buf = g_malloc(len);

    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(seed + i * 3);
    }
    vd_mem_write(&d, DATA, buf, len);
    g_free(buf);
}

static void check_data(size_t len, uint8_t seed)
{
    uint8_t *buf = g_malloc(len);

    vd_mem_read(&d, DATA, buf, len);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != (uint8_t)(seed + i * 3)) {
            fail_msg("data[%zu] = 0x%02x, expected 0x%02x", i, buf[i], (uint8_t)(seed + i * 3));
        }
    }
    g_free(buf);
}

static uint8_t file_byte(const char *path, size_t offset)
{
    char *data = NULL;
    gsize len = 0;
    uint8_t b;

    assert_true(g_file_get_contents(path, &data, &len, NULL));
    assert_true(offset < len);
    b = (uint8_t)data[offset];
    g_free(data);
    return b;
}

/* The device stopped: nothing more comes back, and the log says why. */
static void assert_broken(uint16_t used_before, const char *why)
{
    assert_int_equal(vd_used_idx(&d), used_before);
    assert_true(vdev()->broken);
    logcapture_assert_logged(why);
    assert_int_equal(vd_get8(&d, STATUS), NO_STATUS); /* nothing written */
}

/* ---- reads and writes ---------------------------------------------------------------------- */

static void write_then_read_back(bool modern)
{
    uint32_t used;

    start(NULL, modern, ALL_FEATURES);
    fill_data(2048, 0x40);
    assert_int_equal(request(VD_BLK_T_OUT, 10, 2048, false, &used), VD_BLK_S_OK);
    assert_int_equal(used, 1); /* only the status byte is device-writable */
    assert_int_equal(file_byte(image, 10 * 512), 0x40);
    assert_int_equal(file_byte(image, 10 * 512 + 2047), (uint8_t)(0x40 + 2047 * 3));
    assert_int_equal(file_byte(image, 14 * 512), pattern(14 * 512));
    fill_data(2048, 0);
    assert_int_equal(request(VD_BLK_T_IN, 10, 2048, true, &used), VD_BLK_S_OK);
    assert_int_equal(used, 2049);
    check_data(2048, 0x40);
    assert_int_equal(vd_readl(&d, VD_ISR) & 1, 1);
}

static void test_write_then_read_back_legacy(void **state)
{
    write_then_read_back(false);
}

static void test_write_then_read_back_modern(void **state)
{
    write_then_read_back(true);
    assert_true(vdev()->guest_features & F_VERSION_1);
}

static void test_reads_return_the_image(void **state)
{
    uint8_t buf[1024];

    start(NULL, false, ALL_FEATURES);
    assert_int_equal(request(VD_BLK_T_IN, 2047, 512, true, NULL), VD_BLK_S_OK);
    vd_mem_read(&d, DATA, buf, 512);
    for (int i = 0; i < 512; i++) {
        assert_int_equal(buf[i], pattern(2047 * 512 + i));
    }
}

static void test_descriptor_boundaries_do_not_matter(void **state)
{
    uint8_t st;

    start(NULL, true, ALL_FEATURES);
    /* Header and data in one readable buffer, status alone. */
    vd_blk_header(&d, DATA - 16, VD_BLK_T_OUT, 3);
    fill_data(512, 0x11);
    vd_put8(&d, STATUS, NO_STATUS);
    vd_desc(&d, 0, DATA - 16, 16 + 512, VD_F_NEXT, 1);
    vd_desc(&d, 1, STATUS, 1, VD_F_WRITE, 0);
    vd_submit(&d, 0);
    assert_int_equal(vd_get8(&d, STATUS), VD_BLK_S_OK);
    assert_int_equal(file_byte(image, 3 * 512), 0x11);
    /* Header split in two; data and status in one writable buffer. */
    vd_blk_header(&d, HDR, VD_BLK_T_IN, 3);
    fill_data(513, 0);
    vd_desc(&d, 0, HDR, 5, VD_F_NEXT, 1);
    vd_desc(&d, 1, HDR + 5, 11, VD_F_NEXT, 2);
    vd_desc(&d, 2, DATA, 513, VD_F_WRITE, 0);
    vd_submit(&d, 0);
    check_data(512, 0x11);
    vd_mem_read(&d, DATA + 512, &st, 1);
    assert_int_equal(st, VD_BLK_S_OK);
}

static void test_several_requests_in_one_notify(void **state)
{
    start(NULL, false, ALL_FEATURES);
    for (unsigned r = 0; r < 3; r++) {
        vd_blk_header(&d, HDR + 16 * r, VD_BLK_T_FLUSH, 0);
        vd_put8(&d, STATUS + r, NO_STATUS);
        vd_desc(&d, 2 * r, HDR + 16 * r, 16, VD_F_NEXT, (uint16_t)(2 * r + 1));
        vd_desc(&d, 2 * r + 1, STATUS + r, 1, VD_F_WRITE, 0);
        vd_make_avail(&d, (uint16_t)(2 * r));
    }
    vd_kick(&d);
    assert_int_equal(vd_used_idx(&d), 3);
    for (unsigned r = 0; r < 3; r++) {
        uint32_t id, len;
        vd_used_elem(&d, (uint16_t)r, &id, &len);
        assert_int_equal(id, 2 * r);
        assert_int_equal(vd_get8(&d, STATUS + r), VD_BLK_S_OK);
    }
}

static void test_requests_outside_the_disk_get_ioerr(void **state)
{
    start(NULL, false, ALL_FEATURES);
    assert_int_equal(request(VD_BLK_T_IN, 2048, 512, true, NULL), VD_BLK_S_IOERR);
    assert_int_equal(request(VD_BLK_T_IN, 2047, 1024, true, NULL), VD_BLK_S_IOERR);
    assert_int_equal(request(VD_BLK_T_OUT, UINT64_MAX, 512, false, NULL), VD_BLK_S_IOERR);
    assert_int_equal(request(VD_BLK_T_IN, 0, 100, true, NULL),
                     VD_BLK_S_IOERR); /* not whole sectors */
    assert_int_equal(request(VD_BLK_T_OUT, 0, 513, false, NULL), VD_BLK_S_IOERR);
    assert_int_equal(file_byte(image, 0), pattern(0));
    /* The last sector, and an empty read at the very end, are fine. */
    assert_int_equal(request(VD_BLK_T_IN, 2047, 512, true, NULL), VD_BLK_S_OK);
    assert_int_equal(request(VD_BLK_T_IN, 2048, 0, true, NULL), VD_BLK_S_OK);
    assert_false(vdev()->broken);
}

static void test_unknown_types_get_unsupp(void **state)
{
    start(NULL, false, ALL_FEATURES);
    assert_int_equal(request(2, 0, 512, true, NULL), VD_BLK_S_UNSUPP); /* SCSI */
    assert_int_equal(request(3, 0, 512, false, NULL), VD_BLK_S_UNSUPP);
    assert_int_equal(request(7, 0, 0, false, NULL), VD_BLK_S_UNSUPP);
    assert_int_equal(request(0x7fffffff, 0, 0, false, NULL), VD_BLK_S_UNSUPP);
    assert_false(vdev()->broken);
}

static void test_barrier_bit_is_ignored(void **state)
{
    start(NULL, false, ALL_FEATURES);
    fill_data(512, 0x99);
    assert_int_equal(request(VD_BLK_T_OUT | 0x80000000u, 1, 512, false, NULL), VD_BLK_S_OK);
    assert_int_equal(file_byte(image, 512), 0x99);
    assert_int_equal(request(VD_BLK_T_FLUSH | 0x80000000u, 0, 0, false, NULL), VD_BLK_S_OK);
}

static void test_flush_succeeds(void **state)
{
    uint32_t used;

    start(NULL, true, ALL_FEATURES);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, &used), VD_BLK_S_OK);
    assert_int_equal(used, 1);
}

/* ---- GET_ID -------------------------------------------------------------------------------- */

static void expect_id(const char *want, uint32_t buffer)
{
    char got[21] = {0};
    uint32_t used;

    memset(got, 0x7e, 20);
    vd_mem_write(&d, DATA, got, 20);
    assert_int_equal(request(VD_BLK_T_GET_ID, 0, buffer, true, &used), VD_BLK_S_OK);
    assert_int_equal(used, buffer + 1);
    memset(got, 0, sizeof(got));
    vd_mem_read(&d, DATA, got, MIN(buffer, 20));
    assert_memory_equal(got, want, MIN(strlen(want), buffer));
}

static void test_get_id_answers_the_serial_or_the_drive_id(void **state)
{
    start(NULL, false, ALL_FEATURES);
    expect_id("d0", 20);
    /* Padded with NULs up to 20 bytes; a short buffer gets what fits. */
    assert_int_equal(vd_get8(&d, DATA + 2), 0);
    assert_int_equal(vd_get8(&d, DATA + 19), 0);
    expect_id("d0", 1);
    assert_int_equal(vd_get8(&d, DATA + 1), 0x7e);
}

static void test_get_id_prefers_the_serial_properties(void **state)
{
    start("serial=DRIVE-SERIAL", false, ALL_FEATURES);
    expect_id("DRIVE-SERIAL", 20);
    tern_cleanup();
    blk_cleanup_all();
    boot(NULL, NULL);
    blkdev = add_blk(&error_abort, "serial", "0123456789abcdefghijKLMN", NULL);
    vd_setup(&d, VD_SLOT(7), 0, QSIZE, RING, ALL_FEATURES);
    expect_id("0123456789abcdefghij", 20); /* exactly 20 bytes, no NUL */
}

static void put_segment(uint64_t sector, uint32_t count, uint32_t flags)
{
    uint8_t seg[16];

    for (int i = 0; i < 8; i++) {
        seg[i] = (uint8_t)(sector >> (8 * i));
    }
    for (int i = 0; i < 4; i++) {
        seg[8 + i] = (uint8_t)(count >> (8 * i));
        seg[12 + i] = (uint8_t)(flags >> (8 * i));
    }
    vd_mem_write(&d, DATA, seg, sizeof(seg));
}

/* ---- read-only and snapshot drives ---------------------------------------------------------- */

static void test_read_only_drive_refuses_writes(void **state)
{
    VirtioDriver probe = {.base = VD_SLOT(7)};

    boot("readonly=on", NULL);
    blkdev = add_blk(&error_abort, NULL);
    assert_int_equal(vd_readl(&probe, VD_DEV_FEAT), 0x31006ef4); /* + RO */
    vd_setup(&d, VD_SLOT(7), 0, QSIZE, RING, ALL_FEATURES);
    fill_data(512, 0x55);
    assert_int_equal(request(VD_BLK_T_OUT, 0, 512, false, NULL), VD_BLK_S_IOERR);
    assert_int_equal(file_byte(image, 0), pattern(0));
    put_segment(0, 1, 0);
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 16, false, NULL), VD_BLK_S_IOERR);
    assert_int_equal(request(VD_BLK_T_DISCARD, 0, 16, false, NULL), VD_BLK_S_IOERR);
    assert_int_equal(file_byte(image, 0), pattern(0));
    /* Reads and flushes still work. */
    assert_int_equal(request(VD_BLK_T_IN, 0, 512, true, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_get8(&d, DATA), pattern(0));
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
}

static void test_snapshot_leaves_the_image_untouched(void **state)
{
    char *before = NULL, *after = NULL;
    gsize before_len, after_len;

    assert_true(g_file_get_contents(image, &before, &before_len, NULL));
    start("snapshot=on", false, ALL_FEATURES);
    fill_data(4096, 0x23);
    assert_int_equal(request(VD_BLK_T_OUT, 100, 4096, false, NULL), VD_BLK_S_OK);
    put_segment(300, 8, 0);
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 16, false, NULL), VD_BLK_S_OK);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    fill_data(4096, 0);
    assert_int_equal(request(VD_BLK_T_IN, 100, 4096, true, NULL), VD_BLK_S_OK);
    check_data(4096, 0x23);
    assert_int_equal(request(VD_BLK_T_IN, 300, 512, true, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_get8(&d, DATA), 0);
    assert_true(g_file_get_contents(image, &after, &after_len, NULL));
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    g_free(before);
    g_free(after);
}

/* ---- discard and write zeroes --------------------------------------------------------------- */

static void test_write_zeroes_and_discard(void **state)
{
    uint16_t used;

    start(NULL, true, ALL_FEATURES);
    put_segment(4, 2, 0);
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 16, false, NULL), VD_BLK_S_OK);
    assert_int_equal(file_byte(image, 4 * 512), 0);
    assert_int_equal(file_byte(image, 6 * 512 - 1), 0);
    assert_int_equal(file_byte(image, 6 * 512), pattern(6 * 512));
    put_segment(8, 1, 1); /* unmap allowed for write zeroes */
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 16, false, NULL), VD_BLK_S_OK);
    assert_int_equal(file_byte(image, 8 * 512), 0);
    /* Discard succeeds and leaves the data (discard=ignore). */
    put_segment(20, 4, 0);
    assert_int_equal(request(VD_BLK_T_DISCARD, 0, 16, false, NULL), VD_BLK_S_OK);
    assert_int_equal(file_byte(image, 20 * 512), pattern(20 * 512));
    /* Flags and shapes QEMU refuses. */
    put_segment(20, 1, 2);
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 16, false, NULL), VD_BLK_S_UNSUPP);
    put_segment(20, 1, 1);
    assert_int_equal(request(VD_BLK_T_DISCARD, 0, 16, false, NULL), VD_BLK_S_UNSUPP);
    assert_int_equal(request(VD_BLK_T_DISCARD & ~1u, 0, 16, false, NULL), VD_BLK_S_UNSUPP);
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 32, false, NULL),
                     VD_BLK_S_UNSUPP); /* 2 segments */
    put_segment(2047, 2, 0);
    assert_int_equal(request(VD_BLK_T_WRITE_ZEROES, 0, 16, false, NULL), VD_BLK_S_IOERR);
    put_segment(0, 0x400000, 0);
    assert_int_equal(request(VD_BLK_T_DISCARD, 0, 16, false, NULL), VD_BLK_S_IOERR);
    /* A segment cut short breaks the device. */
    logcapture_begin();
    used = vd_used_idx(&d);
    vd_blk_header(&d, HDR, VD_BLK_T_WRITE_ZEROES, 0);
    vd_put8(&d, STATUS, NO_STATUS);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, DATA, 8, VD_F_NEXT, 2);
    vd_desc(&d, 2, STATUS, 1, VD_F_WRITE, 0);
    vd_submit(&d, 0);
    assert_broken(used, "segment of 8 bytes is too short");
}

/* ---- config space and features ----------------------------------------------------------------
 */

static uint32_t cfg(hwaddr off, unsigned size)
{
    return (uint32_t)vd_config_read(&d, off, size);
}

static void test_config_space_describes_the_disk(void **state)
{
    start(NULL, false, ALL_FEATURES);
    assert_int_equal(cfg(0, 4), 2048); /* capacity in sectors */
    assert_int_equal(cfg(4, 4), 0);
    assert_int_equal(cfg(8, 4), 0);    /* size_max */
    assert_int_equal(cfg(12, 4), 254); /* seg_max */
    assert_int_equal(cfg(16, 2), 2);   /* cylinders: 2048 / (16 * 63), at least 2 */
    assert_int_equal(cfg(18, 1), 16);  /* heads */
    assert_int_equal(cfg(19, 1), 63);  /* sectors */
    assert_int_equal(cfg(20, 4), 512); /* blk_size */
    assert_int_equal(cfg(24, 4), 0);   /* topology */
    assert_int_equal(cfg(28, 4), 0);
    assert_int_equal(cfg(32, 1), 1); /* writeback */
    assert_int_equal(cfg(34, 2), 1); /* num_queues */
    assert_int_equal(cfg(36, 4), 0x3fffff);
    assert_int_equal(cfg(40, 4), 1);
    assert_int_equal(cfg(44, 4), 1);
    assert_int_equal(cfg(48, 4), 0x3fffff);
    assert_int_equal(cfg(52, 4), 1);
    assert_int_equal(cfg(56, 1), 1);
    /* 57 bytes, as QEMU 7.2: past them, all ones. */
    assert_int_equal(cfg(57, 1), 0xff);
    assert_int_equal(cfg(56, 4), 0xffffffff);
    assert_int_equal(cfg(58, 2), 0xffff);
    assert_int_equal(cfg(0xfc, 4), 0xffffffff);
    /* Only writeback is writable. */
    vd_config_write(&d, 0, 4, 7);
    assert_int_equal(cfg(0, 4), 2048);
    vd_config_write(&d, 32, 1, 0);
    assert_int_equal(cfg(32, 1), 0);
    fill_data(512, 1);
    assert_int_equal(request(VD_BLK_T_OUT, 0, 512, false, NULL), VD_BLK_S_OK); /* writethrough */
    vd_writel(&d, VD_STATUS, 0);
    assert_int_equal(cfg(32, 1), 1); /* reset brings the cache back */
}

static void test_geometry_comes_from_the_partition_table(void **state)
{
    uint8_t mbr[512] = {0};
    char *path = g_build_filename(dir, "mbr.img", NULL);
    uint8_t *disk = g_malloc0(8 << 20);

    /* One partition ending at head 3, sector 32: 4 heads of 32 sectors. */
    mbr[0x1be + 5] = 3;
    mbr[0x1be + 6] = 32;
    mbr[0x1be + 12] = 0x10;
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    memcpy(disk, mbr, sizeof(mbr));
    assert_true(g_file_set_contents(path, (const char *)disk, 8 << 20, NULL));
    g_free(disk);
    g_free(image);
    image = path;
    start(NULL, false, ALL_FEATURES);
    assert_int_equal(cfg(0, 4), 16384);
    assert_int_equal(cfg(16, 2), 16384 / (4 * 32));
    assert_int_equal(cfg(18, 1), 4);
    assert_int_equal(cfg(19, 1), 32);
}

/* A disk of sectors sectors whose MBR holds the four 16-byte entries given (end head, sector). */
static void use_mbr_disk(uint64_t sectors, const uint8_t ends[4][2], const uint32_t nr_sects[4])
{
    uint8_t mbr[512] = {0};
    char *path;

    for (int i = 0; i < 4; i++) {
        mbr[0x1be + 16 * i + 5] = ends[i][0];
        mbr[0x1be + 16 * i + 6] = ends[i][1];
        memcpy(mbr + 0x1be + 16 * i + 12, &nr_sects[i], 4); /* little-endian host */
    }
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    path = tmpdir_write(dir, "mbr.img", mbr, sizeof(mbr));
    assert_int_equal(truncate(path, (off_t)(sectors * 512)), 0);
    g_free(image);
    image = path;
    start(NULL, false, ALL_FEATURES);
}

/* Empty entries are skipped: the first that describes a geometry gives it. */
static void test_geometry_skips_empty_partition_entries(void **state)
{
    static const uint8_t ends[4][2] = {{0, 0}, {3, 0}, {7, 16}, {3, 32}};
    static const uint32_t nr[4] = {0, 16, 16, 16};

    use_mbr_disk(16384, ends, nr);
    assert_int_equal(cfg(16, 2), 16384 / (8 * 16));
    assert_int_equal(cfg(18, 1), 8);
    assert_int_equal(cfg(19, 1), 16);
}

/* More than 16383 cylinders from an entry: not a geometry; the next one is used. */
static void test_geometry_skips_an_entry_with_too_many_cylinders(void **state)
{
    static const uint8_t ends[4][2] = {{1, 1}, {7, 32}, {0, 0}, {0, 0}};
    static const uint32_t nr[4] = {16, 16, 0, 0};

    use_mbr_disk(65536, ends, nr); /* 2 heads of 1 sector: 32768 cylinders */
    assert_int_equal(cfg(16, 2), 65536 / (8 * 32));
    assert_int_equal(cfg(18, 1), 8);
    assert_int_equal(cfg(19, 1), 32);
}

/* More than 16 heads means a BIOS translation: the standard 16 x 63 geometry instead (as QEMU). */
static void test_geometry_with_translated_heads_is_the_standard_one(void **state)
{
    static const uint8_t ends[4][2] = {{31, 32}, {3, 32}, {0, 0}, {0, 0}};
    static const uint32_t nr[4] = {16, 16, 0, 0};

    use_mbr_disk(16384, ends, nr);
    assert_int_equal(cfg(16, 2), 16384 / (16 * 63));
    assert_int_equal(cfg(18, 1), 16);
    assert_int_equal(cfg(19, 1), 63);
}

/* A table with no usable entry: the standard geometry. */
static void test_geometry_without_a_usable_entry_is_the_standard_one(void **state)
{
    static const uint8_t ends[4][2] = {{0, 32}, {3, 0}, {0, 0}, {0, 0}};
    static const uint32_t nr[4] = {16, 16, 16, 0};

    use_mbr_disk(16384, ends, nr);
    assert_int_equal(cfg(16, 2), 16384 / (16 * 63));
    assert_int_equal(cfg(18, 1), 16);
    assert_int_equal(cfg(19, 1), 63);
}

static void test_feature_words_match_qemu(void **state)
{
    VirtioDriver probe = {.base = VD_SLOT(7)};

    boot(NULL, NULL);
    blkdev = add_blk(&error_abort, NULL);
    assert_int_equal(vd_readl(&probe, VD_DEV_FEAT), 0x31006ed4);
    tern_cleanup();
    blk_cleanup_all();
    boot(NULL, "-global", "virtio-mmio.force-legacy=false", NULL);
    blkdev = add_blk(&error_abort, NULL);
    assert_int_equal(vd_readl(&probe, VD_DEV_FEAT), 0x30006e54);
    vd_writel(&probe, VD_DEV_FEAT_SEL, 1);
    assert_int_equal(vd_readl(&probe, VD_DEV_FEAT), 0x101);
}

/* ---- malformed chains --------------------------------------------------------------------------
 */

/* Submits the chain at head 0 (descriptors already written) and expects a broken device. */
static void submit_and_expect_broken(const char *why)
{
    uint16_t used = vd_used_idx(&d);

    vd_submit(&d, 0);
    assert_broken(used, why);
}

static void start_for_errors(bool modern)
{
    start(NULL, modern, ALL_FEATURES);
    logcapture_begin();
    vd_blk_header(&d, HDR, VD_BLK_T_IN, 0);
    vd_put8(&d, STATUS, NO_STATUS);
}

static void test_descriptor_loop_breaks_the_device(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, DATA, 512, VD_F_NEXT, 0);
    submit_and_expect_broken("loops or is longer than the queue");
    /* Legacy: no DEVICE_NEEDS_RESET (virtio 0.9 has none), no interrupt. */
    assert_int_equal(vd_readl(&d, VD_STATUS) & VD_S_NEEDS_RESET, 0);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
}

static void test_broken_modern_device_says_it_needs_a_reset(void **state)
{
    start_for_errors(true);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 0); /* points at itself */
    submit_and_expect_broken("loops");
    assert_int_equal(vd_readl(&d, VD_STATUS) & VD_S_NEEDS_RESET, VD_S_NEEDS_RESET);
    assert_int_equal(vd_readl(&d, VD_ISR), 3); /* configuration change */
    assert_int_equal(vd_readl(&d, VD_CONFIG_GEN), 1);
}

static void test_broken_device_ignores_requests_until_reset(void **state)
{
    start_for_errors(true);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 0);
    submit_and_expect_broken("loops");
    /* A good request now is not looked at. */
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, STATUS, 1, VD_F_WRITE, 0);
    vd_blk_header(&d, HDR, VD_BLK_T_FLUSH, 0);
    vd_submit(&d, 0);
    assert_int_equal(vd_used_idx(&d), 0);
    assert_int_equal(vd_get8(&d, STATUS), NO_STATUS);
    /* After a reset the driver starts again and is served. */
    vd_setup(&d, VD_SLOT(7), 0, QSIZE, RING, ALL_FEATURES);
    assert_false(vdev()->broken);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
}

static void test_chain_longer_than_the_queue_breaks_the_device(void **state)
{
    start_for_errors(false);
    for (unsigned i = 0; i < QSIZE; i++) {
        vd_desc(&d, i, DATA + 512 * i, 512, VD_F_NEXT | (i ? VD_F_WRITE : 0),
                (uint16_t)((i + 1) % QSIZE));
    }
    submit_and_expect_broken("longer than the queue of 16");
}

static void test_next_index_beyond_the_queue_breaks_the_device(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, QSIZE);
    submit_and_expect_broken("next descriptor 16 is beyond the queue of 16");
}

static void test_head_beyond_the_queue_breaks_the_device(void **state)
{
    uint16_t used;

    start_for_errors(false);
    used = vd_used_idx(&d);
    vd_make_avail(&d, 200);
    vd_kick(&d);
    assert_broken(used, "available descriptor 200 is beyond the queue");
}

static void test_available_index_jumping_ahead_breaks_the_device(void **state)
{
    start_for_errors(false);
    vd_put16(&d, d.avail + 2, QSIZE + 1);
    vd_kick(&d);
    assert_int_equal(vd_used_idx(&d), 0);
    assert_true(vdev()->broken);
    logcapture_assert_logged("available index moved from 0 to 17");
}

static void test_buffer_in_device_registers_is_refused(void **state)
{
    start_for_errors(false);
    address_space_st(address_space_memory(), 0x10000007, 1, 0x5a); /* UART scratch */
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, 0x10000000, 512, VD_F_NEXT | VD_F_WRITE, 2);
    vd_desc(&d, 2, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("buffer at 0x10000000 (512 bytes) is not in RAM");
    assert_int_equal(vd_get8(&d, 0x10000007), 0x5a);
}

static void test_buffer_past_the_end_of_ram_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, RAM + RAM_SIZE - 256, 512, VD_F_NEXT | VD_F_WRITE, 2);
    vd_desc(&d, 2, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("is not in RAM");
}

static void test_buffer_wrapping_the_address_space_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, 0xffffffffffffff00ull, 512, VD_F_NEXT | VD_F_WRITE, 2);
    vd_desc(&d, 2, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("is not in RAM");
}

static void test_status_in_rom_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, 0x1000, 1, VD_F_WRITE, 0); /* the MROM */
    submit_and_expect_broken("buffer at 0x1000 (1 bytes) is not in RAM");
    assert_int_equal(vd_get32(&d, 0x1000), 0x00000297); /* the reset vector is intact */
}

static void test_ring_outside_ram_breaks_the_device(void **state)
{
    start_for_errors(false);
    vd_writel(&d, VD_QUEUE_PFN, 0x10000); /* 0x10000000: the UART */
    vd_kick(&d);
    assert_true(vdev()->broken);
    logcapture_assert_logged("descriptor table at 0x10000000 is not in RAM");
}

static void test_used_ring_outside_ram_breaks_the_device(void **state)
{
    start(NULL, true, ALL_FEATURES);
    logcapture_begin();
    vd_writel(&d, VD_QUEUE_READY, 0);
    vd_writel(&d, VD_USED_LO, (uint32_t)(RAM + RAM_SIZE - 8));
    vd_writel(&d, VD_QUEUE_READY, 1);
    vd_kick(&d);
    assert_true(vdev()->broken);
    logcapture_assert_logged("used ring at 0x87fffff8 is not in RAM");
}

static void test_readable_buffer_after_a_writable_one_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT | VD_F_WRITE, 1);
    vd_desc(&d, 1, DATA, 512, VD_F_NEXT, 2);
    vd_desc(&d, 2, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("device-readable buffer after a device-writable one");
}

static void test_request_without_header_or_status_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT | VD_F_WRITE, 1); /* header marked writable */
    vd_desc(&d, 1, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("without a header or a status byte");
    vd_setup(&d, VD_SLOT(7), 0, QSIZE, RING, ALL_FEATURES);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, STATUS, 1, 0, 0); /* status marked readable */
    submit_and_expect_broken("without a header or a status byte");
}

static void test_truncated_header_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 8, VD_F_NEXT, 1);
    vd_desc(&d, 1, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("request header of 8 bytes is too short");
}

static void test_zero_sized_buffer_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, DATA, 0, VD_F_NEXT | VD_F_WRITE, 2);
    vd_desc(&d, 2, STATUS, 1, VD_F_WRITE, 0);
    submit_and_expect_broken("zero-sized buffer");
}

/* A guest (or the fuzzer's DMA hook) adding a buffer whenever the device reads the index. */
static void endless_hook(AddressSpace *as, hwaddr addr, hwaddr len, void *opaque)
{
    if (addr == d.avail + 2) {
        vd_put16(&d, d.avail + 4 + 2 * (hwaddr)(d.avail_idx % d.num), 0);
        d.avail_idx++;
        vd_put16(&d, d.avail + 2, d.avail_idx);
    }
}

static void test_buffers_added_during_processing_cannot_stall_the_device(void **state)
{
    /* Without NOTIFY_ON_EMPTY the index is read once per request: the queue never drains. */
    start(NULL, false, ALL_FEATURES & ~F_NOTIFY_ON_EMPTY);
    vd_blk_header(&d, HDR, VD_BLK_T_FLUSH, 0);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, STATUS, 1, VD_F_WRITE, 0);
    dma_set_read_hook(endless_hook, NULL);
    vd_submit(&d, 0); /* returns: at most a queue's worth is handled per notify */
    dma_set_read_hook(NULL, NULL);
    assert_int_equal(vd_used_idx(&d), QSIZE);
    assert_false(vdev()->broken);
    assert_int_equal(vd_get8(&d, STATUS), VD_BLK_S_OK);
}

/* ---- indirect descriptors -----------------------------------------------------------------------
 */

static void test_indirect_table_carries_a_request(void **state)
{
    uint32_t id, len;

    start(NULL, false, ALL_FEATURES);
    fill_data(1024, 0x31);
    vd_blk_header(&d, HDR, VD_BLK_T_OUT, 40);
    vd_desc_at(&d, TABLE, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc_at(&d, TABLE, 1, DATA, 1024, VD_F_NEXT, 2);
    vd_desc_at(&d, TABLE, 2, STATUS, 1, VD_F_WRITE, 0);
    vd_desc(&d, 5, TABLE, 3 * 16, VD_F_INDIRECT, 0);
    vd_put8(&d, STATUS, NO_STATUS);
    vd_submit(&d, 5);
    assert_int_equal(vd_used_idx(&d), 1);
    vd_used_elem(&d, 0, &id, &len);
    assert_int_equal(id, 5);
    assert_int_equal(len, 1);
    assert_int_equal(vd_get8(&d, STATUS), VD_BLK_S_OK);
    assert_int_equal(file_byte(image, 40 * 512), 0x31);
}

static void test_indirect_table_after_direct_descriptors(void **state)
{
    start(NULL, false, ALL_FEATURES);
    vd_blk_header(&d, HDR, VD_BLK_T_IN, 0);
    vd_desc_at(&d, TABLE, 0, DATA, 512, VD_F_NEXT | VD_F_WRITE, 1);
    vd_desc_at(&d, TABLE, 1, STATUS, 1, VD_F_WRITE, 0);
    vd_desc(&d, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc(&d, 1, TABLE, 2 * 16, VD_F_INDIRECT | VD_F_NEXT, 9); /* NEXT ignored */
    vd_put8(&d, STATUS, NO_STATUS);
    vd_submit(&d, 0);
    assert_int_equal(vd_get8(&d, STATUS), VD_BLK_S_OK);
    assert_int_equal(vd_get8(&d, DATA), pattern(0));
}

static void test_nested_indirect_table_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc_at(&d, TABLE, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc_at(&d, TABLE, 1, TABLE + 0x100, 32, VD_F_INDIRECT, 0);
    vd_desc_at(&d, TABLE + 0x100, 0, STATUS, 1, VD_F_WRITE, 0);
    vd_desc(&d, 0, TABLE, 2 * 16, VD_F_INDIRECT, 0);
    submit_and_expect_broken("indirect table inside an indirect table");
}

static void test_indirect_table_of_odd_size_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, TABLE, 24, VD_F_INDIRECT, 0);
    submit_and_expect_broken("indirect table of 24 bytes");
}

static void test_empty_indirect_table_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, TABLE, 0, VD_F_INDIRECT, 0);
    submit_and_expect_broken("indirect table of 0 bytes");
}

static void test_indirect_table_outside_ram_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc(&d, 0, 0x10000000, 48, VD_F_INDIRECT, 0);
    submit_and_expect_broken("indirect table at 0x10000000 is not in RAM");
}

static void test_loop_inside_an_indirect_table_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc_at(&d, TABLE, 0, HDR, 16, VD_F_NEXT, 1);
    vd_desc_at(&d, TABLE, 1, STATUS, 1, VD_F_NEXT | VD_F_WRITE, 0);
    vd_desc(&d, 0, TABLE, 2 * 16, VD_F_INDIRECT, 0);
    submit_and_expect_broken("longer than its indirect table of 2");
}

static void test_indirect_next_beyond_the_table_is_refused(void **state)
{
    start_for_errors(false);
    vd_desc_at(&d, TABLE, 0, HDR, 16, VD_F_NEXT, 2);
    vd_desc(&d, 0, TABLE, 2 * 16, VD_F_INDIRECT, 0);
    submit_and_expect_broken("next descriptor 2 is beyond the indirect table of 2");
}

static void test_huge_indirect_table_is_bounded(void **state)
{
    /* 2048 entries all chained: more buffers than a chain may hold. */
    start_for_errors(false);
    vd_desc_at(&d, TABLE, 0, HDR, 16, VD_F_NEXT, 1);
    for (unsigned i = 1; i < 2048; i++) {
        vd_desc_at(&d, TABLE, i, DATA, 512, VD_F_NEXT | VD_F_WRITE, (uint16_t)(i + 1));
    }
    vd_desc(&d, 0, TABLE, 2048 * 16, VD_F_INDIRECT, 0);
    submit_and_expect_broken("more than 1024 buffers in one chain");
}

/* ---- notification suppression ------------------------------------------------------------------
 */

static void test_event_index_suppresses_and_sends_interrupts(void **state)
{
    /* Without NOTIFY_ON_EMPTY, which would interrupt whenever the queue runs empty. */
    start(NULL, false, ALL_FEATURES & ~F_NOTIFY_ON_EMPTY);
    assert_true(vdev()->guest_features & F_EVENT_IDX);
    /* The first completion always interrupts. */
    vd_set_used_event(&d, 0);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_int_equal(vd_avail_event(&d), 1); /* the device asks to hear of the next one */
    vd_writel(&d, VD_ISR_ACK, 1);
    /* used_event 5: not before the used index passes 5. */
    vd_set_used_event(&d, 5);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
        assert_int_equal(vd_readl(&d, VD_ISR), 0);
    }
    assert_int_equal(vd_used_idx(&d), 5);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK); /* used 5 -> 6 */
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_int_equal(vd_avail_event(&d), 6);
}

static void test_no_interrupt_flag_suppresses_without_event_index(void **state)
{
    start(NULL, false, ALL_FEATURES & ~(F_EVENT_IDX | F_NOTIFY_ON_EMPTY));
    vd_put16(&d, d.avail, 1); /* VRING_AVAIL_F_NO_INTERRUPT */
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
    vd_put16(&d, d.avail, 0);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
}

static void test_notify_on_empty_overrides_no_interrupt(void **state)
{
    start(NULL, false, ALL_FEATURES & ~F_EVENT_IDX);
    assert_true(vdev()->guest_features & F_NOTIFY_ON_EMPTY);
    vd_put16(&d, d.avail, 1);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_readl(&d, VD_ISR), 1); /* the queue ran empty */
}

static void test_completion_raises_plic_source_8(void **state)
{
    start(NULL, false, ALL_FEATURES);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    assert_true((vd_get32(&d, 0xc001000) >> 8) & 1);
}

/* ---- state, creation ------------------------------------------------------------------------- */

static void test_saved_state_continues_the_queue(void **state)
{
    GByteArray *saved;

    start(NULL, false, ALL_FEATURES);
    vd_config_write(&d, 32, 1, 0);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    saved = vmstate_test_save_dev(blkdev);
    device_cold_reset(blkdev);
    assert_int_equal(vd_readl(&d, VD_STATUS), 0);
    assert_int_equal(cfg(32, 1), 1);
    vmstate_test_restore_dev(blkdev, saved);
    assert_int_equal(cfg(32, 1), 0);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_int_equal(request(VD_BLK_T_FLUSH, 0, 0, false, NULL), VD_BLK_S_OK);
    assert_int_equal(vd_used_idx(&d), 2);
}

static void test_device_needs_an_existing_free_drive(void **state)
{
    Error *err = NULL;
    DeviceState *dev;

    boot(NULL, NULL);
    dev = qdev_new("virtio-blk-device");
    assert_false(qdev_realize(dev, &err));
    assert_string_equal(error_get_message(err), "drive property not set");
    error_free(err);
    err = NULL;
    object_property_parse(OBJECT(dev), "drive", "nosuch", &error_abort);
    assert_false(qdev_realize(dev, &err));
    assert_string_equal(error_get_message(err),
                        "Property 'virtio-blk-device.drive' can't find value 'nosuch'");
    error_free(err);
    err = NULL;
    object_unref(OBJECT(dev));
    assert_non_null(add_blk(&error_abort, NULL));
    assert_null(add_blk(&err, NULL));
    assert_string_equal(error_get_message(err),
                        "Property 'virtio-blk-device.drive' can't take value 'd0', it's in use");
    error_free(err);
    /* The failed one took no slot: slot 6 is still empty. */
    assert_int_equal(vd_get32(&d, VD_SLOT(6) + VD_DEVICE_ID), 0);
}

/*
 * -device virtio-blk-device,drive=d0 on the command line: served once vl.c
 * opens -drive back ends (blk_create_all) before the devices; until then the
 * device refuses the drive it cannot find.
 */
static void test_device_from_the_command_line(void **state)
{
    char *drive = g_strdup_printf("file=%s,format=raw,if=none,id=d0", image);
    char *argv[] = {"tern",   "-nouserconfig", "-M",      "virt",
                    "-accel", "qtest",         "-bios",   "none",
                    "-drive", drive,           "-device", "virtio-blk-device,drive=d0,id=disk",
                    NULL};
    bool wired;
    Error *err = NULL;

    assert_int_equal(tern_init(10, argv, &error_abort), TERN_INIT_RUN);
    wired = blk_find("d0") != NULL;
    tern_cleanup();
    blk_cleanup_all();
    if (wired) {
        assert_int_equal(tern_init(12, argv, &error_abort), TERN_INIT_RUN);
        assert_int_equal(vd_get32(&d, VD_SLOT(7) + VD_DEVICE_ID), 2);
        assert_non_null(object_resolve_path("/machine/peripheral/disk", NULL));
    } else {
        assert_int_equal(tern_init(12, argv, &err), TERN_INIT_ERROR);
        assert_non_null(strstr(error_get_pretty(err), "can't find value 'd0'"));
        error_free(err);
    }
    g_free(drive);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_write_then_read_back_legacy),
        T(test_write_then_read_back_modern),
        T(test_reads_return_the_image),
        T(test_descriptor_boundaries_do_not_matter),
        T(test_several_requests_in_one_notify),
        T(test_requests_outside_the_disk_get_ioerr),
        T(test_unknown_types_get_unsupp),
        T(test_barrier_bit_is_ignored),
        T(test_flush_succeeds),
        T(test_get_id_answers_the_serial_or_the_drive_id),
        T(test_get_id_prefers_the_serial_properties),
        T(test_read_only_drive_refuses_writes),
        T(test_snapshot_leaves_the_image_untouched),
        T(test_write_zeroes_and_discard),
        T(test_config_space_describes_the_disk),
        T(test_geometry_comes_from_the_partition_table),
        T(test_geometry_skips_empty_partition_entries),
        T(test_geometry_skips_an_entry_with_too_many_cylinders),
        T(test_geometry_with_translated_heads_is_the_standard_one),
        T(test_geometry_without_a_usable_entry_is_the_standard_one),
        T(test_feature_words_match_qemu),
        T(test_descriptor_loop_breaks_the_device),
        T(test_broken_modern_device_says_it_needs_a_reset),
        T(test_broken_device_ignores_requests_until_reset),
        T(test_chain_longer_than_the_queue_breaks_the_device),
        T(test_next_index_beyond_the_queue_breaks_the_device),
        T(test_head_beyond_the_queue_breaks_the_device),
        T(test_available_index_jumping_ahead_breaks_the_device),
        T(test_buffer_in_device_registers_is_refused),
        T(test_buffer_past_the_end_of_ram_is_refused),
        T(test_buffer_wrapping_the_address_space_is_refused),
        T(test_status_in_rom_is_refused),
        T(test_ring_outside_ram_breaks_the_device),
        T(test_used_ring_outside_ram_breaks_the_device),
        T(test_readable_buffer_after_a_writable_one_is_refused),
        T(test_request_without_header_or_status_is_refused),
        T(test_truncated_header_is_refused),
        T(test_zero_sized_buffer_is_refused),
        T(test_buffers_added_during_processing_cannot_stall_the_device),
        T(test_indirect_table_carries_a_request),
        T(test_indirect_table_after_direct_descriptors),
        T(test_nested_indirect_table_is_refused),
        T(test_indirect_table_of_odd_size_is_refused),
        T(test_empty_indirect_table_is_refused),
        T(test_indirect_table_outside_ram_is_refused),
        T(test_loop_inside_an_indirect_table_is_refused),
        T(test_indirect_next_beyond_the_table_is_refused),
        T(test_huge_indirect_table_is_bounded),
        T(test_event_index_suppresses_and_sends_interrupts),
        T(test_no_interrupt_flag_suppresses_without_event_index),
        T(test_notify_on_empty_overrides_no_interrupt),
        T(test_completion_raises_plic_source_8),
        T(test_saved_state_continues_the_queue),
        T(test_device_needs_an_existing_free_drive),
        T(test_device_from_the_command_line),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
