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

#include "qtest-util.h"

#define MACHINE "-M virt -bios none -nodefaults -accel qtest"

/* The first -device lands on the highest slot: 7. */
#define SLOT7 0x10008000u

#define VIRTIO_MAGIC      0x000
#define VIRTIO_VERSION    0x004
#define VIRTIO_DEVICE_ID  0x008
#define VIRTIO_PAGE_SIZE  0x028
#define VIRTIO_QUEUE_SEL  0x030
#define VIRTIO_QUEUE_MAX  0x034
#define VIRTIO_QUEUE_NUM  0x038
#define VIRTIO_QUEUE_ALGN 0x03c
#define VIRTIO_QUEUE_PFN  0x040
#define VIRTIO_NOTIFY     0x050
#define VIRTIO_ISR        0x060
#define VIRTIO_ISR_ACK    0x064
#define VIRTIO_STATUS     0x070
#define VIRTIO_CONFIG     0x100

#define QNUM      8
#define RING      0x80100000u /* descriptors, then the avail ring; used ring one page up */
#define RING_USED (RING + 0x1000)
#define BUF       0x80200000u

#define F_NEXT  1
#define F_WRITE 2

typedef struct Driver {
    QTestState *qts;
    uint16_t avail_idx;
    uint16_t used_seen;
} Driver;

static char *tmp_dir;

static void le16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void le32(uint8_t *p, uint32_t v)
{
    le16(p, v);
    le16(p + 2, v >> 16);
}

static void le64(uint8_t *p, uint64_t v)
{
    le32(p, v);
    le32(p + 4, v >> 32);
}

/* Legacy initialisation: acknowledge, no features, one queue of QNUM, driver OK. */
static void driver_init(Driver *d, QTestState *qts, uint32_t device_id)
{
    d->qts = qts;
    d->avail_idx = d->used_seen = 0;
    assert_int_equal(qtest_readl(qts, SLOT7 + VIRTIO_MAGIC), 0x74726976);
    assert_int_equal(qtest_readl(qts, SLOT7 + VIRTIO_VERSION), 1);
    assert_int_equal(qtest_readl(qts, SLOT7 + VIRTIO_DEVICE_ID), device_id);
    qtest_writel(qts, SLOT7 + VIRTIO_STATUS, 0);
    qtest_writel(qts, SLOT7 + VIRTIO_STATUS, 1 | 2);
    qtest_writel(qts, SLOT7 + VIRTIO_PAGE_SIZE, 4096);
    qtest_writel(qts, SLOT7 + VIRTIO_QUEUE_SEL, 0);
    assert_true(qtest_readl(qts, SLOT7 + VIRTIO_QUEUE_MAX) >= QNUM);
    qtest_writel(qts, SLOT7 + VIRTIO_QUEUE_NUM, QNUM);
    qtest_writel(qts, SLOT7 + VIRTIO_QUEUE_ALGN, 4096);
    qtest_memset(qts, RING, 0, 0x2000);
    qtest_writel(qts, SLOT7 + VIRTIO_QUEUE_PFN, RING >> 12);
    qtest_writel(qts, SLOT7 + VIRTIO_STATUS, 1 | 2 | 4);
}

typedef struct Buf {
    uint64_t addr;
    uint32_t len;
    bool device_writes;
} Buf;

/* Puts a chain of n buffers in descriptors 0..n-1, makes it available and notifies. */
static uint32_t driver_submit(Driver *d, const Buf *bufs, int n)
{
    uint8_t desc[16], idx[2], used[8];

    for (int i = 0; i < n; i++) {
        le64(desc, bufs[i].addr);
        le32(desc + 8, bufs[i].len);
        le16(desc + 12, (i + 1 < n ? F_NEXT : 0) | (bufs[i].device_writes ? F_WRITE : 0));
        le16(desc + 14, i + 1 < n ? i + 1 : 0);
        qtest_memwrite(d->qts, RING + 16 * i, desc, 16);
    }
    /* avail ring: flags, idx, ring[QNUM] */
    le16(idx, 0);
    qtest_memwrite(d->qts, RING + 16 * QNUM + 4 + 2 * (d->avail_idx % QNUM), idx, 2);
    d->avail_idx++;
    le16(idx, d->avail_idx);
    qtest_memwrite(d->qts, RING + 16 * QNUM + 2, idx, 2);
    qtest_writel(d->qts, SLOT7 + VIRTIO_NOTIFY, 0);
    /* The device completes inside the notify: the used index has moved. */
    assert_int_equal(qtest_readw(d->qts, RING_USED + 2), d->avail_idx);
    assert_true(qtest_readl(d->qts, SLOT7 + VIRTIO_ISR) & 1);
    qtest_writel(d->qts, SLOT7 + VIRTIO_ISR_ACK, 1);
    qtest_memread(d->qts, RING_USED + 4 + 8 * (d->used_seen % QNUM), used, 8);
    d->used_seen++;
    assert_int_equal(used[0] | used[1] << 8, 0); /* head descriptor 0 */
    return used[4] | used[5] << 8 | used[6] << 16 | (uint32_t)used[7] << 24;
}

/* A virtio-blk request: header, optional data, status byte.  Returns the status. */
static uint8_t blk_request(Driver *d, uint32_t type, uint64_t sector, uint64_t data, uint32_t len,
                           bool device_writes_data)
{
    uint8_t hdr[16] = {0};
    Buf bufs[3];
    int n = 0;

    le32(hdr, type);
    le64(hdr + 8, sector);
    qtest_memwrite(d->qts, BUF, hdr, sizeof(hdr));
    qtest_writeb(d->qts, BUF + 0x20, 0xaa);
    bufs[n++] = (Buf){BUF, 16, false};
    if (len) {
        bufs[n++] = (Buf){data, len, device_writes_data};
    }
    bufs[n++] = (Buf){BUF + 0x20, 1, true};
    driver_submit(d, bufs, n);
    return qtest_readb(d->qts, BUF + 0x20);
}

static char *make_image(const char *name, size_t size, uint8_t fill)
{
    char *path = g_build_filename(tmp_dir, name, NULL);
    uint8_t *data = g_malloc(size);

    memset(data, fill, size);
    assert_true(g_file_set_contents(path, (char *)data, size, NULL));
    g_free(data);
    return path;
}

static void test_virtio_blk_writes_reads_back_and_flushes(void **state)
{
    char *image = make_image("disk.img", 64 * 1024, 0x11);
    QTestState *qts = qtest_initf(MACHINE " -drive file=%s,format=raw,if=none,id=d0"
                                          " -device virtio-blk-device,drive=d0",
                                  image);
    uint8_t out[512], in[512], *file = NULL;
    char id[21] = {0};
    gsize file_len = 0;
    Driver d;

    driver_init(&d, qts, 2);
    /* Capacity in 512-byte sectors at config offset 0. */
    assert_int_equal(qtest_readl(qts, SLOT7 + VIRTIO_CONFIG), 128);
    for (int i = 0; i < 512; i++) {
        out[i] = (uint8_t)(i * 7);
    }
    qtest_memwrite(qts, BUF + 0x1000, out, sizeof(out));
    assert_int_equal(blk_request(&d, 1 /* OUT */, 3, BUF + 0x1000, 512, false), 0);
    qtest_memset(qts, BUF + 0x2000, 0, 512);
    assert_int_equal(blk_request(&d, 0 /* IN */, 3, BUF + 0x2000, 512, true), 0);
    qtest_memread(qts, BUF + 0x2000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    assert_int_equal(blk_request(&d, 4 /* FLUSH */, 0, 0, 0, false), 0);
    /* GET_ID: the drive's id, NUL-padded to 20 bytes. */
    assert_int_equal(blk_request(&d, 8 /* GET_ID */, 0, BUF + 0x3000, 20, true), 0);
    qtest_memread(qts, BUF + 0x3000, id, 20);
    assert_string_equal(id, "d0");
    /* Past the end of the disk: an I/O error, not a crash. */
    assert_int_equal(blk_request(&d, 0, 1000, BUF + 0x2000, 512, true), 1 /* IOERR */);
    qtest_quit(qts);

    /* The write reached the file. */
    assert_true(g_file_get_contents(image, (char **)&file, &file_len, NULL));
    assert_int_equal(file_len, 64 * 1024);
    assert_memory_equal(file + 3 * 512, out, sizeof(out));
    assert_int_equal(file[0], 0x11);
    g_free(file);
    unlink(image);
    g_free(image);
}

static void test_virtio_blk_snapshot_leaves_the_file_untouched(void **state)
{
    char *image = make_image("snap.img", 16 * 1024, 0x22);
    QTestState *qts = qtest_initf(MACHINE " -drive file=%s,format=raw,if=none,id=d0,snapshot=on"
                                          " -device virtio-blk-device,drive=d0",
                                  image);
    uint8_t out[512], in[512], *file = NULL;
    gsize file_len = 0;
    Driver d;

    memset(out, 0x5a, sizeof(out));
    driver_init(&d, qts, 2);
    qtest_memwrite(qts, BUF + 0x1000, out, sizeof(out));
    assert_int_equal(blk_request(&d, 1, 0, BUF + 0x1000, 512, false), 0);
    /* The guest sees its write ... */
    assert_int_equal(blk_request(&d, 0, 0, BUF + 0x2000, 512, true), 0);
    qtest_memread(qts, BUF + 0x2000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    assert_int_equal(blk_request(&d, 4, 0, 0, 0, false), 0);
    qtest_quit(qts);
    /* ... and the file never does. */
    assert_true(g_file_get_contents(image, (char **)&file, &file_len, NULL));
    assert_int_equal(file_len, 16 * 1024);
    for (gsize i = 0; i < file_len; i++) {
        if (file[i] != 0x22) {
            fail_msg("byte %zu of the image changed to 0x%02x", (size_t)i, file[i]);
        }
    }
    g_free(file);
    unlink(image);
    g_free(image);
}

static void test_virtio_blk_readonly_drive_refuses_writes(void **state)
{
    char *image = make_image("ro.img", 8 * 1024, 0x33);
    QTestState *qts = qtest_initf(MACHINE " -drive file=%s,format=raw,if=none,id=d0,readonly=on"
                                          " -device virtio-blk-device,drive=d0",
                                  image);
    Driver d;

    driver_init(&d, qts, 2);
    qtest_memset(qts, BUF + 0x1000, 0x44, 512);
    assert_int_equal(blk_request(&d, 1, 0, BUF + 0x1000, 512, false), 1 /* IOERR */);
    assert_int_equal(blk_request(&d, 0, 0, BUF + 0x2000, 512, true), 0);
    assert_int_equal(qtest_readb(qts, BUF + 0x2000), 0x33);
    qtest_quit(qts);
    unlink(image);
    g_free(image);
}

/* 32 bytes from virtio-rng in a fresh machine. */
static void rng_bytes(const char *extra, uint8_t out[32])
{
    QTestState *qts = qtest_initf(MACHINE " -device virtio-rng-device%s", extra);
    Buf buf = {BUF, 32, true};
    Driver d;

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
    unlink(src);
    g_free(src);
    g_free(extra);
}

static int setup(void **state)
{
    qtest_util_install_fail_handler();
    tmp_dir = g_dir_make_tmp("tern-qvirtio-XXXXXX", NULL);
    assert_non_null(tmp_dir);
    return 0;
}

static int teardown(void **state)
{
    g_rmdir(tmp_dir);
    g_free(tmp_dir);
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
