/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-block.c - raw image back ends for -drive: read-write by default,
 * readonly=on refusing writes, snapshot=on keeping every write in memory
 * and the file byte-identical, sizes rounded up to whole sectors with a
 * zero tail, requests past the end refused whole, QEMU's generated ids, and
 * errors that name the drive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/block.h"
#include "core/module.h"
#include "core/opts.h"
#include "tests/support/tmpdir.h"

static char *tmpdir;

/* ---- helpers ------------------------------------------------------------------------ */

static int setup(void **state)
{
    module_call_init(MODULE_INIT_OPTS);
    tmpdir = tmpdir_new("tern-block-XXXXXX");
    return 0;
}

static int teardown(void **state)
{
    blk_cleanup_all();
    opts_reset_all();
    tmpdir_remove(tmpdir);
    tmpdir = NULL;
    return 0;
}

/* A file of len bytes where byte i is (i * 7 + 3) & 0xff; returns its path (freed by caller). */
static uint8_t image_byte(uint64_t i)
{
    return (uint8_t)(i * 7 + 3);
}

static char *make_image(const char *name, size_t len)
{
    return tmpdir_write_pattern(tmpdir, name, len, image_byte);
}

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i * 7 + 3);
}

static Opts *drive(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static Opts *drive(const char *fmt, ...)
{
    va_list ap;
    char *params;
    Error *err = NULL;
    Opts *opts;

    va_start(ap, fmt);
    params = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    opts = opts_parse(opts_find_list("drive"), params, false, &err);
    if (!opts) {
        fail_msg("-drive %s: %s", params, error_get_pretty(err));
    }
    g_free(params);
    return opts;
}

static BlockBackend *open_drive(const char *fmt, const char *path)
{
    Error *err = NULL;
    BlockBackend *blk;

    drive(fmt, path);
    if (!blk_create_all(&err)) {
        fail_msg("%s", error_get_pretty(err));
    }
    blk = blk_find("d0");
    assert_non_null(blk);
    return blk;
}

static char *file_contents(const char *path, gsize *len)
{
    char *data = NULL;

    assert_true(g_file_get_contents(path, &data, len, NULL));
    return data;
}

/* ---- opening --------------------------------------------------------------------------- */

static void test_drive_opens_read_write_by_default(void **state)
{
    char *path = make_image("a.img", 4096);
    BlockBackend *blk = open_drive("file=%s,format=raw,if=none,id=d0", path);
    uint8_t buf[512];
    gsize len;
    char *data;

    assert_false(blk_is_read_only(blk));
    assert_false(blk_is_snapshot(blk));
    assert_int_equal(blk_size(blk), 4096);
    memset(buf, 0xab, sizeof(buf));
    assert_true(blk_write(blk, 1024, buf, sizeof(buf), NULL));
    assert_true(blk_flush(blk, NULL));
    data = file_contents(path, &len);
    assert_int_equal(len, 4096);
    assert_int_equal((uint8_t)data[1024], 0xab);
    assert_int_equal((uint8_t)data[1535], 0xab);
    assert_int_equal((uint8_t)data[1536], pattern(1536));
    g_free(data);
    g_free(path);
}

static void test_reads_return_the_image_bytes(void **state)
{
    char *path = make_image("a.img", 8192);
    BlockBackend *blk = open_drive("file=%s,id=d0", path);
    uint8_t buf[3000];

    assert_true(blk_read(blk, 100, buf, sizeof(buf), NULL));
    for (size_t i = 0; i < sizeof(buf); i++) {
        assert_int_equal(buf[i], pattern(100 + i));
    }
    g_free(path);
}

static void test_readonly_refuses_writes_and_leaves_the_file(void **state)
{
    char *path = make_image("a.img", 2048);
    BlockBackend *blk = open_drive("file=%s,readonly=on,id=d0", path);
    uint8_t buf[512] = {0};
    Error *err = NULL;
    gsize len;
    char *data;

    assert_true(blk_is_read_only(blk));
    assert_false(blk_write(blk, 0, buf, sizeof(buf), &err));
    assert_non_null(strstr(error_get_pretty(err), "drive 'd0' is read-only"));
    error_free(err);
    err = NULL;
    assert_false(blk_write_zeroes(blk, 0, 512, &err));
    error_free(err);
    assert_true(blk_flush(blk, NULL));
    data = file_contents(path, &len);
    assert_int_equal(len, 2048);
    assert_int_equal((uint8_t)data[0], pattern(0));
    g_free(data);
    g_free(path);
}

static void test_readonly_opens_a_file_it_may_not_write(void **state)
{
    char *path = make_image("ro.img", 1024);
    Error *err = NULL;

    if (geteuid() == 0) {
        g_free(path);
        return; /* root opens anything read-write; the access mode test covers it */
    }
    assert_int_equal(g_chmod(path, 0400), 0);
    drive("file=%s,id=rw", path);
    assert_false(blk_create_all(&err));
    assert_non_null(strstr(error_get_pretty(err), "cannot open: Permission denied"));
    error_free(err);
    opts_reset_all();
    assert_non_null(open_drive("file=%s,readonly=on,id=d0", path));
    blk_cleanup_all();
    opts_reset_all();
    assert_non_null(open_drive("file=%s,snapshot=on,id=d0", path));
    g_free(path);
}

/* The access mode (O_RDONLY, O_RDWR) of this process's descriptor open on path, or -1. */
static int open_mode_of(const char *path)
{
    GDir *dir = g_dir_open("/proc/self/fd", 0, NULL);
    const char *name;
    int mode = -1;

    assert_non_null(dir);
    while (mode < 0 && (name = g_dir_read_name(dir))) {
        char *link = g_strdup_printf("/proc/self/fd/%s", name);
        char *target = g_file_read_link(link, NULL);
        char *info_path = g_strdup_printf("/proc/self/fdinfo/%s", name);
        char *info = NULL, *flags;

        if (target && !strcmp(target, path) && g_file_get_contents(info_path, &info, NULL, NULL) &&
            (flags = strstr(info, "flags:"))) {
            mode = (int)(strtol(flags + 6, NULL, 8) & O_ACCMODE);
        }
        g_free(info);
        g_free(info_path);
        g_free(target);
        g_free(link);
    }
    g_dir_close(dir);
    return mode;
}

static void test_image_is_opened_read_only_unless_writable(void **state)
{
    char *path = make_image("mode.img", 512);

    open_drive("file=%s,id=d0", path);
    assert_int_equal(open_mode_of(path), O_RDWR);
    blk_cleanup_all();
    opts_reset_all();
    open_drive("file=%s,readonly=on,id=d0", path);
    assert_int_equal(open_mode_of(path), O_RDONLY);
    blk_cleanup_all();
    opts_reset_all();
    open_drive("file=%s,snapshot=on,id=d0", path);
    assert_int_equal(open_mode_of(path), O_RDONLY);
    blk_cleanup_all();
    assert_int_equal(open_mode_of(path), -1); /* closed */
    g_free(path);
}

/* ---- snapshot=on --------------------------------------------------------------------- */

static void test_snapshot_keeps_writes_in_memory(void **state)
{
    char *path = make_image("a.img", 16384);
    BlockBackend *blk = open_drive("file=%s,snapshot=on,id=d0", path);
    char *before, *after;
    gsize before_len, after_len;
    uint8_t buf[6000], back[6000];
    struct stat st_before, st_after;

    before = file_contents(path, &before_len);
    assert_int_equal(stat(path, &st_before), 0);
    assert_true(blk_is_snapshot(blk));
    assert_false(blk_is_read_only(blk));
    /* Across block boundaries, partial blocks at both ends. */
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(0x80 ^ i);
    }
    assert_true(blk_write(blk, 3000, buf, sizeof(buf), NULL));
    assert_true(blk_write_zeroes(blk, 12000, 1000, NULL));
    assert_true(blk_flush(blk, NULL));
    assert_true(blk_read(blk, 3000, back, sizeof(back), NULL));
    assert_memory_equal(buf, back, sizeof(buf));
    /* Around the writes the image shows through. */
    assert_true(blk_read(blk, 2990, back, 10, NULL));
    for (int i = 0; i < 10; i++) {
        assert_int_equal(back[i], pattern(2990 + i));
    }
    assert_true(blk_read(blk, 9000, back, 10, NULL));
    for (int i = 0; i < 10; i++) {
        assert_int_equal(back[i], pattern(9000 + i));
    }
    assert_true(blk_read(blk, 11999, back, 1002, NULL));
    assert_int_equal(back[0], pattern(11999));
    for (int i = 1; i <= 1000; i++) {
        assert_int_equal(back[i], 0);
    }
    assert_int_equal(back[1001], pattern(13000));

    after = file_contents(path, &after_len);
    assert_int_equal(stat(path, &st_after), 0);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    assert_int_equal(st_before.st_size, st_after.st_size);
    assert_int_equal(st_before.st_mtime, st_after.st_mtime);
    g_free(before);
    g_free(after);
    g_free(path);
}

/* ---- snapshots of the overlay ----------------------------------------------------------- */

static void fill_block(BlockBackend *blk, uint64_t block, uint8_t value)
{
    uint8_t buf[4096];

    memset(buf, value, sizeof(buf));
    assert_true(blk_write(blk, block * 4096, buf, sizeof(buf), NULL));
}

static uint8_t byte_at(BlockBackend *blk, uint64_t offset)
{
    uint8_t b;

    assert_true(blk_read(blk, offset, &b, 1, NULL));
    return b;
}

static void test_overlay_restore_puts_back_only_blocks_written_since_the_save(void **state)
{
    char *path = make_image("a.img", 16384);
    BlockBackend *blk = open_drive("file=%s,snapshot=on,id=d0", path);
    BlkOverlaySaved *saved;
    uint64_t block = 99;

    fill_block(blk, 0, 0x11);
    saved = blk_overlay_save(blk);
    assert_non_null(saved);
    assert_true(blk_overlay_equal(blk, saved, &block));
    fill_block(blk, 0, 0x22);
    fill_block(blk, 0, 0x23); /* the same block twice counts once */
    assert_true(blk_write(blk, 2 * 4096 + 10, "x", 1, NULL));
    assert_false(blk_overlay_equal(blk, saved, &block));
    assert_int_equal(block, 0);
    assert_int_equal(blk_overlay_restore(blk, saved), 2);
    assert_int_equal(byte_at(blk, 5), 0x11);
    assert_int_equal(byte_at(blk, 2 * 4096 + 10), pattern(2 * 4096 + 10));
    assert_true(blk_overlay_equal(blk, saved, &block));
    assert_int_equal(blk_overlay_restore(blk, saved), 0);
    fill_block(blk, 3, 0x44); /* tracking goes on after a restore */
    assert_int_equal(blk_overlay_restore(blk, saved), 1);
    assert_int_equal(byte_at(blk, 3 * 4096), pattern(3 * 4096));
    blk_overlay_saved_free(blk, saved);
    g_free(path);
}

static void test_overlay_equal_reports_a_block_the_saved_copy_lacks(void **state)
{
    char *path = make_image("a.img", 16384);
    BlockBackend *blk = open_drive("file=%s,snapshot=on,id=d0", path);
    BlkOverlaySaved *saved = blk_overlay_save(blk);
    uint64_t block = 0;

    fill_block(blk, 3, 1);
    assert_false(blk_overlay_equal(blk, saved, &block));
    assert_int_equal(block, 3);
    blk_overlay_saved_free(blk, saved);
    g_free(path);
}

static void feed_text(const void *data, size_t len, void *opaque)
{
    GByteArray *out = opaque;

    g_byte_array_append(out, data, (guint)len);
}

static void test_overlay_digest_feeds_blocks_by_ascending_index(void **state)
{
    char *path = make_image("a.img", 16384);
    BlockBackend *blk = open_drive("file=%s,snapshot=on,id=d0", path);
    GByteArray *out = g_byte_array_new();
    gint64 index;

    fill_block(blk, 3, 0x33);
    fill_block(blk, 1, 0x11);
    blk_overlay_digest(blk, feed_text, out);
    assert_int_equal(out->len, 2 * (8 + 4096));
    memcpy(&index, out->data, 8);
    assert_int_equal(index, 1);
    assert_int_equal(out->data[8], 0x11);
    memcpy(&index, out->data + 8 + 4096, 8);
    assert_int_equal(index, 3);
    g_byte_array_unref(out);
    g_free(path);
}

static void test_a_drive_without_overlay_has_nothing_to_save(void **state)
{
    char *path = make_image("a.img", 4096);
    BlockBackend *blk = open_drive("file=%s,readonly=on,id=d0", path);
    uint64_t block;

    assert_null(blk_overlay_save(blk));
    assert_int_equal(blk_overlay_restore(blk, NULL), 0);
    assert_true(blk_overlay_equal(blk, NULL, &block));
    blk_overlay_saved_free(blk, NULL);
    g_free(path);
}

static void test_snapshot_writes_are_gone_after_reopening(void **state)
{
    char *path = make_image("a.img", 4096);
    BlockBackend *blk = open_drive("file=%s,snapshot=on,id=d0", path);
    uint8_t one = 0x5a, back;

    assert_true(blk_write(blk, 7, &one, 1, NULL));
    assert_true(blk_read(blk, 7, &back, 1, NULL));
    assert_int_equal(back, 0x5a);
    blk_cleanup_all();
    opts_reset_all();
    blk = open_drive("file=%s,snapshot=on,id=d0", path);
    assert_true(blk_read(blk, 7, &back, 1, NULL));
    assert_int_equal(back, pattern(7));
    g_free(path);
}

static void test_snapshot_and_readonly_refuses_writes(void **state)
{
    char *path = make_image("a.img", 4096);
    BlockBackend *blk = open_drive("file=%s,snapshot=on,readonly=on,id=d0", path);
    uint8_t one = 1;
    Error *err = NULL;

    assert_false(blk_write(blk, 0, &one, 1, &err));
    error_free(err);
    g_free(path);
}

/* ---- sizes and bounds --------------------------------------------------------------------- */

static void test_reads_past_the_end_are_refused_whole(void **state)
{
    char *path = make_image("a.img", 4096);
    BlockBackend *blk = open_drive("file=%s,id=d0", path);
    uint8_t buf[1024];
    Error *err = NULL;

    memset(buf, 0xee, sizeof(buf));
    assert_false(blk_read(blk, 4096 - 512, buf, 1024, &err));
    assert_non_null(strstr(error_get_pretty(err), "beyond its end"));
    error_free(err);
    assert_int_equal(buf[0], 0xee); /* nothing transferred */
    assert_false(blk_read(blk, 4097, buf, 0, NULL));
    assert_false(blk_read(blk, UINT64_MAX, buf, 2, NULL));
    assert_false(blk_read(blk, 2, buf, UINT64_MAX, NULL));
    assert_false(blk_write(blk, 4095, buf, 2, NULL));
    assert_false(blk_write_zeroes(blk, 0, 4097, NULL));
    /* Exactly up to the end is fine; so is nothing at the end. */
    assert_true(blk_read(blk, 4096 - 1024, buf, 1024, NULL));
    assert_true(blk_read(blk, 4096, buf, 0, NULL));
    g_free(path);
}

static void test_size_not_a_multiple_of_512_rounds_up_with_a_zero_tail(void **state)
{
    char *path = make_image("odd.img", 1000);
    BlockBackend *blk = open_drive("file=%s,id=d0", path);
    uint8_t buf[1024];
    gsize len;
    char *data;

    assert_int_equal(blk_size(blk), 1024);
    memset(buf, 0xee, sizeof(buf));
    assert_true(blk_read(blk, 0, buf, 1024, NULL));
    assert_int_equal(buf[999], pattern(999));
    for (int i = 1000; i < 1024; i++) {
        assert_int_equal(buf[i], 0);
    }
    assert_false(blk_read(blk, 1024, buf, 1, NULL));
    /* A write in the tail extends the file, as QEMU's raw driver does. */
    buf[0] = 0x77;
    assert_true(blk_write(blk, 1020, buf, 1, NULL));
    data = file_contents(path, &len);
    assert_int_equal(len, 1021);
    assert_int_equal((uint8_t)data[1020], 0x77);
    assert_int_equal((uint8_t)data[1005], 0);
    g_free(data);
    g_free(path);
}

static void test_empty_image_has_size_zero(void **state)
{
    char *path = make_image("empty.img", 0);
    BlockBackend *blk = open_drive("file=%s,id=d0", path);
    uint8_t b;

    assert_int_equal(blk_size(blk), 0);
    assert_false(blk_read(blk, 0, &b, 1, NULL));
    assert_true(blk_read(blk, 0, &b, 0, NULL));
    g_free(path);
}

static void test_write_zeroes_reaches_the_file(void **state)
{
    char *path = make_image("a.img", 8192);
    BlockBackend *blk = open_drive("file=%s,id=d0", path);
    gsize len;
    char *data;

    assert_true(blk_write_zeroes(blk, 512, 1536, NULL));
    data = file_contents(path, &len);
    assert_int_equal((uint8_t)data[511], pattern(511));
    assert_int_equal(data[512], 0);
    assert_int_equal(data[2047], 0);
    assert_int_equal((uint8_t)data[2048], pattern(2048));
    g_free(data);
    g_free(path);
}

/* ---- creation, ids, errors ------------------------------------------------------------------- */

static void test_missing_file_error_names_the_drive(void **state)
{
    Error *err = NULL;

    drive("file=/nonexistent/x.img");
    assert_false(blk_create_all(&err));
    assert_string_equal(error_get_pretty(err),
                        "-drive file=/nonexistent/x.img: cannot open: No such file or directory");
    error_free(err);
    assert_null(blk_find("none0"));
}

static void test_directory_is_refused(void **state)
{
    Error *err = NULL;

    drive("file=%s,id=dir", tmpdir);
    assert_false(blk_create_all(&err));
    assert_non_null(strstr(error_get_pretty(err),
                           "is a directory; a regular file or a block device is needed"));
    error_free(err);
}

static void test_only_raw_format_is_accepted(void **state)
{
    char *path = make_image("a.img", 512);
    Error *err = NULL;

    drive("file=%s,format=qcow2,id=q", path);
    assert_false(blk_create_all(&err));
    assert_non_null(strstr(error_get_pretty(err), "format 'qcow2' is not supported"));
    error_free(err);
    g_free(path);
}

static void test_drives_without_id_get_qemu_names(void **state)
{
    char *path = make_image("a.img", 512);

    drive("file=%s", path);
    drive("file=%s,if=virtio", path);
    drive("file=%s,if=none", path);
    drive("file=%s,if=virtio,index=5", path);
    drive("file=%s,id=mine", path); /* takes unit 2 of if=none */
    drive("file=%s", path);
    assert_true(blk_create_all(NULL));
    assert_non_null(blk_find("none0"));
    assert_non_null(blk_find("virtio0"));
    assert_non_null(blk_find("none1"));
    assert_non_null(blk_find("virtio5"));
    assert_non_null(blk_find("mine"));
    assert_string_equal(blk_name(blk_find("mine")), "mine");
    assert_string_equal(blk_filename(blk_find("mine")), path);
    assert_null(blk_find("none2"));
    assert_non_null(blk_find("none3"));
    assert_null(blk_find("virtio1"));
    assert_null(blk_find(NULL));
    g_free(path);
}

static int collect_name(BlockBackend *blk, void *opaque)
{
    g_string_append_printf(opaque, "%s:%s ", blk_name(blk), blk_interface(blk));
    return 0;
}

static void test_drives_are_listed_in_command_line_order(void **state)
{
    char *path = make_image("a.img", 512);
    GString *names = g_string_new(NULL);

    drive("file=%s,id=b", path);
    drive("file=%s,id=a,if=virtio", path);
    drive("file=%s", path);
    assert_true(blk_create_all(NULL));
    assert_int_equal(blk_foreach(collect_name, names), 0);
    assert_string_equal(names->str, "b:none a:virtio none1:none ");
    g_string_free(names, TRUE);
    g_free(path);
}

static void test_generated_id_clashing_with_an_explicit_one_is_refused(void **state)
{
    char *path = make_image("a.img", 512);
    Error *err = NULL;

    drive("file=%s,id=none1", path); /* unit 0 */
    drive("file=%s", path);          /* unit 1: "none1" again */
    assert_false(blk_create_all(&err));
    assert_non_null(strstr(error_get_pretty(err), "Duplicate ID 'none1' for drive"));
    error_free(err);
    g_free(path);
}

static void test_two_drives_on_one_unit_are_refused(void **state)
{
    char *path = make_image("a.img", 512);
    Error *err = NULL;

    drive("file=%s,if=virtio,index=1", path);
    drive("file=%s,if=virtio,index=1,id=again", path);
    assert_false(blk_create_all(&err));
    assert_non_null(strstr(error_get_pretty(err), "drive with bus=0, unit=1 exists"));
    error_free(err);
    g_free(path);
}

static void test_create_all_again_opens_only_new_drives(void **state)
{
    char *path = make_image("a.img", 512);
    BlockBackend *first;

    drive("file=%s,id=d0", path);
    assert_true(blk_create_all(NULL));
    first = blk_find("d0");
    drive("file=%s,id=d1", path);
    assert_true(blk_create_all(NULL));
    assert_ptr_equal(blk_find("d0"), first);
    assert_non_null(blk_find("d1"));
    g_free(path);
}

static void test_new_from_opts_opens_one_drive(void **state)
{
    char *path = make_image("a.img", 512);
    Error *err = NULL;
    BlockBackend *blk = blk_new_from_opts(drive("file=%s,id=solo,serial=SN42", path), &err);

    assert_non_null(blk);
    assert_ptr_equal(blk_find("solo"), blk);
    assert_string_equal(blk_serial(blk), "SN42");
    assert_null(blk_new_from_opts(drive("file=%s/none.img,id=bad", tmpdir), &err));
    assert_non_null(strstr(error_get_pretty(err), "-drive id=bad,file="));
    error_free(err);
    g_free(path);
}

/* One drive from options: no file, an empty file=, a taken id, and no id (named as QEMU does). */
static void test_new_from_opts_refuses_no_file_and_names_drives_without_id(void **state)
{
    char *path = make_image("a.img", 512);
    Error *err = NULL;
    BlockBackend *blk;

    assert_null(blk_new_from_opts(drive("id=nofile"), &err));
    assert_string_equal(error_get_pretty(err), "-drive id=nofile: a drive needs file=");
    error_free(err);
    err = NULL;
    assert_null(blk_new_from_opts(drive("id=empty,file="), &err));
    assert_non_null(strstr(error_get_pretty(err), ": a drive needs file="));
    error_free(err);
    err = NULL;
    assert_null(blk_find("nofile"));
    assert_null(blk_find("empty"));
    blk = blk_new_from_opts(drive("file=%s,if=virtio,index=3", path), &err);
    assert_non_null(blk);
    assert_ptr_equal(blk_find("virtio3"), blk);
    assert_null(blk_new_from_opts(drive("file=%s,id=virtio3", path), &err));
    assert_non_null(strstr(error_get_pretty(err), "Duplicate ID 'virtio3' for drive"));
    error_free(err);
    g_free(path);
}

static void test_a_drive_is_attached_to_one_device(void **state)
{
    char *path = make_image("a.img", 512);
    BlockBackend *blk = open_drive("file=%s,id=d0", path);
    int dev1, dev2;

    assert_true(blk_attach(blk, &dev1));
    assert_true(blk_attach(blk, &dev1));
    assert_false(blk_attach(blk, &dev2));
    blk_detach(blk, &dev2); /* not the owner: no effect */
    assert_false(blk_attach(blk, &dev2));
    blk_detach(blk, &dev1);
    assert_true(blk_attach(blk, &dev2));
    g_free(path);
}

static void test_cleanup_forgets_every_drive(void **state)
{
    char *path = make_image("a.img", 512);

    open_drive("file=%s,id=d0", path);
    blk_cleanup_all();
    assert_null(blk_find("d0"));
    blk_cleanup_all(); /* twice is harmless */
    g_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_drive_opens_read_write_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_return_the_image_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_refuses_writes_and_leaves_the_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_readonly_opens_a_file_it_may_not_write, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_is_opened_read_only_unless_writable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_keeps_writes_in_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_overlay_restore_puts_back_only_blocks_written_since_the_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlay_equal_reports_a_block_the_saved_copy_lacks,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlay_digest_feeds_blocks_by_ascending_index, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_drive_without_overlay_has_nothing_to_save, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_writes_are_gone_after_reopening, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_and_readonly_refuses_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_past_the_end_are_refused_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_not_a_multiple_of_512_rounds_up_with_a_zero_tail,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_image_has_size_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_zeroes_reaches_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_error_names_the_drive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_raw_format_is_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drives_without_id_get_qemu_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drives_are_listed_in_command_line_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_generated_id_clashing_with_an_explicit_one_is_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_drives_on_one_unit_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_all_again_opens_only_new_drives, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_new_from_opts_opens_one_drive, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_new_from_opts_refuses_no_file_and_names_drives_without_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_drive_is_attached_to_one_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cleanup_forgets_every_drive, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
