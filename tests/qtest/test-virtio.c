/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virtio.c - virtio-blk and virtio-rng through the qtest client, as a
 * guest driver would drive them: the legacy virtio-mmio register dance, a
 * split ring in guest RAM written with qtest_memwrite, a notify, and the used
 * ring read back.  virtio-blk runs whole requests against a temporary image
 * (write, read back, flush, get-id); a snapshot=on run leaves the file
 * untouched.  Runs in-process and against a spawned tern (meson runs it
 * once per transport).
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

#include "tests/support/qtest-util.h"
#include "tests/support/tmpdir.h"
#include "tests/support/virtio-driver.h"

#define MACHINE "-M virt -bios none -nodefaults -accel qtest"

/* The first -device lands on the highest slot: 7. */
#define SLOT7 VD_SLOT(7)

#define QNUM      8
#define RING      0x80100000u /* descriptors, then the avail ring; used ring one page up */
#define RING_USED (RING + 0x1000)
#define BUF       0x80200000u

static char *tmp_dir;

/* Legacy initialisation: acknowledge, no features, one queue of QNUM, driver OK. */
static void driver_init(VirtioDriver *d, QTestState *qts, uint32_t device_id)
{
    vd_attach(d, &vd_qtest_ops, qts, SLOT7, QNUM);
    assert_int_equal(vd_readl(d, VD_MAGIC), VD_MAGIC_VALUE);
    assert_int_equal(vd_readl(d, VD_VERSION), 1);
    assert_int_equal(vd_readl(d, VD_DEVICE_ID), device_id);
    vd_writel(d, VD_QUEUE_SEL, 0);
    assert_true(vd_readl(d, VD_QUEUE_NUM_MAX) >= QNUM);
    vd_memset(d, RING, 0, 0x2000);
    vd_setup(d, SLOT7, 0, QNUM, RING, 0);
    assert_int_equal(d->used, RING_USED);
    assert_int_equal(vd_readl(d, VD_STATUS), VD_S_ACK | VD_S_DRIVER | VD_S_DRIVER_OK);
}

/* Puts a chain of n buffers in descriptors 0..n-1, makes it available and notifies. */
static uint32_t driver_submit(VirtioDriver *d, const VdBuf *bufs, unsigned n)
{
    uint32_t id, len;

    vd_chain(d, bufs, n);
    vd_submit(d, 0);
    /* The device completes inside the notify: the used index has moved. */
    assert_int_equal(vd_used_idx(d), d->avail_idx);
    assert_true(vd_readl(d, VD_ISR) & 1);
    vd_writel(d, VD_ISR_ACK, 1);
    vd_used_elem(d, (uint16_t)(d->avail_idx - 1), &id, &len);
    assert_int_equal(id, 0); /* head descriptor 0 */
    return len;
}

/* A virtio-blk request: header, optional data, status byte.  Returns the status. */
static uint8_t blk_request(VirtioDriver *d, uint32_t type, uint64_t sector, uint64_t data,
                           uint32_t len, bool device_writes_data)
{
    VdBuf bufs[3];
    unsigned n = 0;

    vd_blk_header(d, BUF, type, sector);
    vd_put8(d, BUF + 0x20, 0xaa);
    bufs[n++] = (VdBuf){BUF, 16, false};
    if (len) {
        bufs[n++] = (VdBuf){data, len, device_writes_data};
    }
    bufs[n++] = (VdBuf){BUF + 0x20, 1, true};
    driver_submit(d, bufs, n);
    return vd_get8(d, BUF + 0x20);
}

static char *make_image(const char *name, size_t size, uint8_t fill)
{
    uint8_t *data = g_malloc(size);
    char *path;

    memset(data, fill, size);
    path = tmpdir_write(tmp_dir, name, data, size);
    g_free(data);
    return path;
}

/*
 * Writes the 512 bytes of out to sector through the device, reads the
 * sector back into cleared memory and finds out there, then flushes.
 */
static void write_read_back_and_flush(VirtioDriver *d, QTestState *qts, uint64_t sector,
                                      const uint8_t *out)
{
    uint8_t in[512];

    qtest_memwrite(qts, BUF + 0x1000, out, sizeof(in));
    assert_int_equal(blk_request(d, VD_BLK_T_OUT, sector, BUF + 0x1000, 512, false), 0);
    qtest_memset(qts, BUF + 0x2000, 0, 512);
    assert_int_equal(blk_request(d, VD_BLK_T_IN, sector, BUF + 0x2000, 512, true), 0);
    qtest_memread(qts, BUF + 0x2000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(in));
    assert_int_equal(blk_request(d, VD_BLK_T_FLUSH, 0, 0, 0, false), 0);
}

/* The bytes of the image file, which must be len long (the caller frees them). */
static uint8_t *image_contents(const char *image, gsize len)
{
    char *file = NULL;
    gsize file_len = 0;

    assert_true(g_file_get_contents(image, &file, &file_len, NULL));
    assert_int_equal(file_len, len);
    return (uint8_t *)file;
}

/* A machine with image as drive d0 (drive_extra: more of its options) on a virtio-blk device. */
static QTestState *start_blk(const char *image, const char *drive_extra)
{
    return qtest_initf(MACHINE " -drive file=%s,format=raw,if=none,id=d0%s"
                               " -device virtio-blk-device,drive=d0",
                       image, drive_extra);
}

static void test_virtio_blk_writes_reads_back_and_flushes(void **state)
{
    char *image = make_image("disk.img", 64 * 1024, 0x11);
    QTestState *qts = start_blk(image, "");
    uint8_t out[512], *file;
    char id[21] = {0};
    VirtioDriver d;

    driver_init(&d, qts, 2);
    /* Capacity in 512-byte sectors at config offset 0. */
    assert_int_equal(vd_readl(&d, VD_CONFIG), 128);
    for (int i = 0; i < 512; i++) {
        out[i] = (uint8_t)(i * 7);
    }
    write_read_back_and_flush(&d, qts, 3, out);
    /* GET_ID: the drive's id, NUL-padded to 20 bytes. */
    assert_int_equal(blk_request(&d, VD_BLK_T_GET_ID, 0, BUF + 0x3000, 20, true), 0);
    qtest_memread(qts, BUF + 0x3000, id, 20);
    assert_string_equal(id, "d0");
    /* Past the end of the disk: an I/O error, not a crash. */
    assert_int_equal(blk_request(&d, VD_BLK_T_IN, 1000, BUF + 0x2000, 512, true), VD_BLK_S_IOERR);
    qtest_quit(qts);

    /* The write reached the file. */
    file = image_contents(image, 64 * 1024);
    assert_memory_equal(file + 3 * 512, out, sizeof(out));
    assert_int_equal(file[0], 0x11);
    g_free(file);
    tmpfile_remove(image);
}

static void test_virtio_blk_snapshot_leaves_the_file_untouched(void **state)
{
    char *image = make_image("snap.img", 16 * 1024, 0x22);
    QTestState *qts = start_blk(image, ",snapshot=on");
    uint8_t out[512], *file;
    VirtioDriver d;

    memset(out, 0x5a, sizeof(out));
    driver_init(&d, qts, 2);
    /* The guest sees its write ... */
    write_read_back_and_flush(&d, qts, 0, out);
    qtest_quit(qts);
    /* ... and the file never does. */
    file = image_contents(image, 16 * 1024);
    for (gsize i = 0; i < 16 * 1024; i++) {
        if (file[i] != 0x22) {
            fail_msg("byte %zu of the image changed to 0x%02x", (size_t)i, file[i]);
        }
    }
    g_free(file);
    tmpfile_remove(image);
}

static void test_virtio_blk_readonly_drive_refuses_writes(void **state)
{
    char *image = make_image("ro.img", 8 * 1024, 0x33);
    QTestState *qts = start_blk(image, ",readonly=on");
    VirtioDriver d;

    driver_init(&d, qts, 2);
    qtest_memset(qts, BUF + 0x1000, 0x44, 512);
    assert_int_equal(blk_request(&d, VD_BLK_T_OUT, 0, BUF + 0x1000, 512, false), VD_BLK_S_IOERR);
    assert_int_equal(blk_request(&d, VD_BLK_T_IN, 0, BUF + 0x2000, 512, true), 0);
    assert_int_equal(qtest_readb(qts, BUF + 0x2000), 0x33);
    qtest_quit(qts);
    tmpfile_remove(image);
}

/* 32 bytes from virtio-rng in a fresh machine. */
static void rng_bytes(const char *extra, uint8_t out[32])
{
    QTestState *qts = qtest_initf(MACHINE " -device virtio-rng-device%s", extra);
    VdBuf buf = {BUF, 32, true};
    VirtioDriver d;

    driver_init(&d, qts, 4);
    qtest_memset(qts, BUF, 0, 32);
    assert_int_equal(driver_submit(&d, &buf, 1), 32);
    qtest_memread(qts, BUF, out, 32);
    qtest_quit(qts);
}

static void test_virtio_rng_is_deterministic_by_default(void **state)
{
    uint8_t a[32], b[32], zero[32] = {0};

    rng_bytes("", a);
    rng_bytes("", b);
    assert_memory_equal(a, b, 32);
    assert_memory_not_equal(a, zero, 32);
}

static void test_virtio_rng_reads_a_host_source(void **state)
{
    char *src = g_build_filename(tmp_dir, "entropy", NULL);
    char *extra;
    uint8_t got[32], want[32];

    for (int i = 0; i < 32; i++) {
        want[i] = (uint8_t)(0xc0 + i);
    }
    assert_true(g_file_set_contents(src, (char *)want, 32, NULL));
    extra = g_strdup_printf(",rng=r0 -object rng-random,id=r0,filename=%s", src);
    rng_bytes(extra, got);
    assert_memory_equal(got, want, 32);
    tmpfile_remove(src);
    g_free(extra);
}

static int setup(void **state)
{
    qtest_util_install_fail_handler();
    tmp_dir = tmpdir_new("tern-qvirtio-XXXXXX");
    return 0;
}

static int teardown(void **state)
{
    tmpdir_remove(tmp_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_virtio_blk_writes_reads_back_and_flushes),
        cmocka_unit_test(test_virtio_blk_snapshot_leaves_the_file_untouched),
        cmocka_unit_test(test_virtio_blk_readonly_drive_refuses_writes),
        cmocka_unit_test(test_virtio_rng_is_deterministic_by_default),
        cmocka_unit_test(test_virtio_rng_reads_a_host_source),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
