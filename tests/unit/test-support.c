/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-support.c - the test support library (tests/support) checked on its
 * own, so that a device test failing means the device: the captures return
 * what was written, the temporary directory goes away, the counters count,
 * the device-tree readers find what a tree holds, the vmstate round trip
 * restores, and the virtio driver lays out descriptors and rings in guest
 * memory as virtio 1.2 §2.7 says, little-endian byte by byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <glib.h>

#include "core/log.h"
#include "core/memory.h"
#include "core/opts.h"
#include "core/vmstate.h"
#include "hw/fdt.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"
#include "tests/support/mutate.h"
#include "tests/support/opts-test.h"
#include "tests/support/fds.h"
#include "tests/support/tmpdir.h"
#include "tests/support/virtio-driver.h"
#include "tests/support/vmstate-test.h"

/* ---- captures -------------------------------------------------------------------------------- */

static void test_logcapture_returns_guest_errors_and_stops_logging(void **state)
{
    char *text;

    logcapture_cancel(); /* nothing runs: nothing happens */
    logcapture_begin();
    tern_log_mask(LOG_GUEST_ERROR, "first %d\n", 1);
    logcapture_assert_logged("first 1");
    tern_log_mask(LOG_GUEST_ERROR, "second\n");
    text = logcapture_end();
    assert_string_equal(text, "first 1\nsecond\n");
    g_free(text);
    /* Logging is off again: a new capture starts empty. */
    tern_log_mask(LOG_GUEST_ERROR, "lost\n");
    logcapture_begin();
    text = logcapture_end();
    assert_string_equal(text, "");
    g_free(text);
}

static void test_capture_stdout_returns_what_was_printed(void **state)
{
    char *text;

    capture_stdout_begin();
    printf("hello ");
    fputs("world\n", stdout);
    text = capture_stdout_end();
    assert_string_equal(text, "hello world\n");
    g_free(text);
}

static void test_stream_capture_returns_what_was_written(void **state)
{
    StreamCapture c;
    char *text;

    fprintf(stream_capture_begin(&c), "a=%d;", 1);
    fputs("b", c.file);
    text = stream_capture_end(&c);
    assert_string_equal(text, "a=1;b");
    free(text);
}

/* ---- temporary directories and option counting ------------------------------------------------
 */

static uint8_t byte_of(uint64_t i)
{
    return (uint8_t)(i * 3);
}

/* The file at path holds exactly the len bytes of expect. */
static void assert_file_holds(const char *path, const void *expect, gsize len)
{
    char *text = NULL;
    gsize got = 0;

    assert_true(g_file_get_contents(path, &text, &got, NULL));
    assert_int_equal(got, len);
    assert_memory_equal(text, expect, len);
    g_free(text);
}

static void test_fds_open_count_follows_open_and_close(void **state)
{
    unsigned before = fds_open_count();
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

    assert_true(fd >= 0);
    assert_int_equal(fds_open_count(), before + 1);
    close(fd);
    assert_int_equal(fds_open_count(), before);
}

static void test_tmpdir_writes_files_and_removes_them_all(void **state)
{
    char *dir = tmpdir_new("tern-support-XXXXXX");
    char *kept = g_strdup(dir);
    char *a = tmpdir_write(dir, "a", "xyz", 3);
    char *b = tmpdir_write_pattern(dir, "b", 300, byte_of);
    char *text = NULL;
    gsize len = 0;

    assert_file_holds(a, "xyz", 3);
    assert_true(g_file_get_contents(b, &text, &len, NULL));
    assert_int_equal(len, 300);
    for (gsize i = 0; i < len; i++) {
        assert_int_equal((uint8_t)text[i], byte_of(i));
    }
    g_free(text);
    assert_int_equal(chmod(b, 0400), 0); /* read-only files go too */
    tmpdir_remove(dir);
    assert_false(g_file_test(kept, G_FILE_TEST_EXISTS));
    tmpdir_remove(NULL);
    g_free(a);
    g_free(b);
    g_free(kept);
}

static void test_tmpfile_holds_bytes_or_a_string_until_removed(void **state)
{
    char *bytes = tmpfile_new("tern-support-XXXXXX", "a\0b", 3);
    char *string = tmpfile_new("tern-support-XXXXXX", "text", -1);
    char *kept = g_strdup(bytes);

    assert_file_holds(bytes, "a\0b", 3);
    assert_file_holds(string, "text", 4);
    tmpfile_remove(bytes);
    tmpfile_remove(string);
    assert_false(g_file_test(kept, G_FILE_TEST_EXISTS));
    tmpfile_remove(NULL);
    g_free(kept);
}

static OptsList support_opts = {.name = "support-test", .implied_opt_name = "name"};

static void test_opts_counters_count_entries_and_values(void **state)
{
    Opts *opts;

    opts_register(&support_opts);
    assert_int_equal(opts_test_entries(&support_opts), 0);
    opts = opts_parse(&support_opts, "one,x=1,y=2", false, &error_abort);
    opts_parse(&support_opts, "two", false, &error_abort);
    assert_int_equal(opts_test_entries(&support_opts), 2);
    assert_int_equal(opts_test_values(opts), 3); /* name, x and y */
    opts_reset_all();
}

/* ---- device tree ------------------------------------------------------------------------------
 */

static void test_fdt_readers_find_what_the_tree_holds(void **state)
{
    static const char compat[] = "vendor,dev\0generic";
    const uint32_t cells[] = {1, 2, 0xdeadbeef};
    const char *node = "/soc/dev@12345000";
    DtContext dt;
    char *path;
    int len;

    dt_init(&dt);
    g_free(dt_add_node(&dt, "/", "soc", (uint64_t)-1));
    path = dt_add_node(&dt, "/soc", "dev", 0x12345000);
    assert_string_equal(path, node);
    dt_setprop(&dt, path, "compatible", compat, sizeof(compat));
    dt_setprop_reg(&dt, path, 0x12345000, 0x1000);
    dt_setprop_cells(&dt, path, "cells", cells, 3);
    dt_setprop_string(&dt, path, "label", "one");
    dt_setprop_empty(&dt, path, "flag");

    fdt_test_assert_bytes(dt.fdt, node, "compatible", compat, sizeof(compat));
    fdt_test_assert_reg(dt.fdt, node, 0x12345000, 0x1000);
    fdt_test_assert_cells(dt.fdt, node, "cells", cells, 3);
    assert_int_equal(fdt_test_cell(dt.fdt, node, "cells", 2), 0xdeadbeef);
    fdt_test_assert_string(dt.fdt, node, "label", "one");
    fdt_test_assert_empty(dt.fdt, node, "flag");
    assert_string_equal(fdt_test_prop(dt.fdt, node, "label", &len), "one");
    assert_int_equal(len, 4);
    g_free(path);
    dt_free(&dt);
}

static void test_fdt_interrupt_is_the_source_and_its_parent(void **state)
{
    DtContext dt;
    char *path;

    dt_init(&dt);
    path = dt_add_node(&dt, "/", "dev", 0x1000);
    dt_setprop_cells(&dt, path, "interrupts", (const uint32_t[]){7}, 1);
    dt_setprop_cells(&dt, path, "interrupt-parent", (const uint32_t[]){9}, 1);
    fdt_test_assert_interrupt(dt.fdt, path, 7, 9);
    g_free(path);
    dt_free(&dt);
}

/* ---- vmstate ----------------------------------------------------------------------------------
 */

typedef struct Counter {
    uint32_t count;
    uint8_t bytes[3];
    int loads;
} Counter;

static void counter_post_load(void *opaque)
{
    ((Counter *)opaque)->loads++;
}

static const VMStateField counter_fields[] = {
    VMSTATE_UINT32(count, Counter),
    VMSTATE_ARRAY(bytes, Counter),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription counter_vmsd = {
    .name = "counter",
    .fields = counter_fields,
    .post_load = counter_post_load,
};

static void test_vmstate_round_trip_restores_and_calls_post_load(void **state)
{
    Counter c = {.count = 7, .bytes = {1, 2, 3}};
    GByteArray *saved = vmstate_test_save(&counter_vmsd, &c);

    assert_int_equal(saved->len, 4 + 3);
    c.count = 8;
    c.bytes[2] = 9;
    vmstate_test_restore(&counter_vmsd, &c, saved);
    assert_int_equal(c.count, 7);
    assert_int_equal(c.bytes[2], 3);
    assert_int_equal(c.loads, 1);
    /* load takes the bytes as they are. */
    saved = vmstate_test_save(&counter_vmsd, &c);
    saved->data[0] ^= 0xff;
    vmstate_test_load(&counter_vmsd, &c, saved);
    assert_int_not_equal(c.count, 7);
    assert_int_equal(c.loads, 2);
}

/* ---- virtio driver ----------------------------------------------------------------------------
 */

#define RAM_BASE 0x80000000ull
#define RING     (RAM_BASE + 0x1000)

static HwTest *t;
static MemoryRegion ram;

static int ram_up(void **state)
{
    t = hwtest_new();
    assert_true(memory_region_init_ram(&ram, NULL, "ram", 0x10000, NULL));
    memory_region_add_subregion(&t->root, RAM_BASE, &ram);
    return 0;
}

static int ram_down(void **state)
{
    memory_region_finalize(&ram);
    hwtest_free(t);
    t = NULL;
    return 0;
}

static void read_raw(uint64_t addr, void *buf, size_t len)
{
    address_space_read(address_space_memory(), addr, buf, len);
}

static void test_vd_memory_helpers_are_little_endian(void **state)
{
    VirtioDriver d;
    uint8_t raw[8];

    vd_attach(&d, NULL, NULL, 0, 4); /* no ops: the system address space */
    vd_put16(&d, RAM_BASE, 0x1234);
    vd_put32(&d, RAM_BASE + 2, 0x56789abc);
    read_raw(RAM_BASE, raw, 6);
    assert_memory_equal(raw, "\x34\x12\xbc\x9a\x78\x56", 6);
    vd_put64(&d, RAM_BASE, 0x0102030405060708ull);
    read_raw(RAM_BASE, raw, 8);
    assert_memory_equal(raw, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    assert_int_equal(vd_get16(&d, RAM_BASE), 0x0708);
    assert_int_equal(vd_get32(&d, RAM_BASE + 4), 0x01020304);
    vd_put8(&d, RAM_BASE + 1, 0xee);
    assert_int_equal(vd_get8(&d, RAM_BASE + 1), 0xee);
    vd_memset(&d, RAM_BASE, 0xa5, 600);
    assert_int_equal(vd_get8(&d, RAM_BASE + 599), 0xa5);
    assert_int_equal(vd_get8(&d, RAM_BASE + 600), 0);
}

static void test_vd_descriptors_and_chains_follow_the_split_ring_layout(void **state)
{
    VirtioDriver d;
    const VdBuf bufs[] = {{0x1122334455667788ull, 16, false}, {RAM_BASE, 512, true}};
    uint8_t raw[32];

    vd_attach(&d, &vd_address_space_ops, NULL, 0, 4);
    d.desc = RING;
    vd_desc_at(&d, RING, 1, 0x0102030405060708ull, 0x0a0b0c0d, 0x0e0f, 0x1011);
    read_raw(RING + 16, raw, 16);
    assert_memory_equal(raw,
                        "\x08\x07\x06\x05\x04\x03\x02\x01"
                        "\x0d\x0c\x0b\x0a\x0f\x0e\x11\x10",
                        16);
    vd_chain(&d, bufs, 2);
    read_raw(RING, raw, 32);
    assert_memory_equal(raw, "\x88\x77\x66\x55\x44\x33\x22\x11", 8);
    assert_int_equal(vd_get32(&d, RING + 8), 16);
    assert_int_equal(vd_get16(&d, RING + 12), VD_F_NEXT);
    assert_int_equal(vd_get16(&d, RING + 14), 1);
    assert_int_equal(vd_get32(&d, RING + 24), 512);
    assert_int_equal(vd_get16(&d, RING + 28), VD_F_WRITE);
    assert_int_equal(vd_get16(&d, RING + 30), 0);
}

static void test_vd_rings_are_written_and_read_where_the_layout_puts_them(void **state)
{
    VirtioDriver d;
    uint32_t id, len;

    vd_attach(&d, NULL, NULL, 0, 4);
    d.desc = RING;
    d.avail = RING + 16 * 4;
    d.used = RING + 0x1000;
    for (uint16_t i = 0; i < 5; i++) {
        vd_make_avail(&d, (uint16_t)(10 + i));
    }
    /* idx counts every buffer; entry 4 wrapped onto ring[0]. */
    assert_int_equal(vd_get16(&d, d.avail + 2), 5);
    assert_int_equal(vd_get16(&d, d.avail + 4), 14);
    assert_int_equal(vd_get16(&d, d.avail + 4 + 2 * 3), 13);
    vd_set_used_event(&d, 0x4242);
    assert_int_equal(vd_get16(&d, d.avail + 4 + 2 * 4), 0x4242);
    /* The device's side, written by hand. */
    vd_put16(&d, d.used + 2, 6);
    vd_put32(&d, d.used + 4 + 8 * 1, 3);
    vd_put32(&d, d.used + 4 + 8 * 1 + 4, 99);
    vd_put16(&d, d.used + 4 + 8 * 4, 0x77);
    assert_int_equal(vd_used_idx(&d), 6);
    vd_used_elem(&d, 5, &id, &len); /* position 5 % 4 */
    assert_int_equal(id, 3);
    assert_int_equal(len, 99);
    assert_int_equal(vd_avail_event(&d), 0x77);
}

static void test_vd_blk_header_is_type_reserved_sector(void **state)
{
    VirtioDriver d;
    uint8_t raw[16];

    vd_attach(&d, NULL, NULL, 0, 4);
    vd_memset(&d, RAM_BASE, 0xff, 16);
    vd_blk_header(&d, RAM_BASE, VD_BLK_T_GET_ID, 0x0102030405060708ull);
    read_raw(RAM_BASE, raw, 16);
    assert_memory_equal(raw,
                        "\x08\0\0\0\0\0\0\0"
                        "\x08\x07\x06\x05\x04\x03\x02\x01",
                        16);
}

static void test_mutate_splice_is_seeded_and_breaks_lines(void **state)
{
    GRand *a = g_rand_new_with_seed(7), *b = g_rand_new_with_seed(7);
    bool control = false;

    for (int i = 0; i < 500; i++) {
        const char *x = mutate_splice(a);
        assert_string_equal(x, mutate_splice(b)); /* the same seed, the same draws */
        control |= !mutate_is_one_safe_line(x);
    }
    assert_true(control); /* the dictionary holds what an error line must escape */
    g_rand_free(a);
    g_rand_free(b);
}

static void test_mutate_shows_every_byte_printably_and_cuts(void **state)
{
    char *shown = mutate_shown("a\nb\x01\x7f\xff'\\z", 100);
    char *cut = mutate_shown("0123456789", 4);
    GRand *r = g_rand_new_with_seed(1);
    bool seen[5] = {false};

    assert_string_equal(shown, "a\\x0ab\\x01\\x7f\\xff\\x27\\x5cz");
    assert_string_equal(cut, "0123...");
    /* Draws stay in range and reach every value. */
    for (int i = 0; i < 200; i++) {
        uint32_t v = mutate_rnd(r, 5);
        assert_true(v < 5);
        seen[v] = true;
    }
    for (int i = 0; i < 5; i++) {
        assert_true(seen[i]);
    }
    /* The one-line oracle: plain text and UTF-8 pass, every line breaker fails. */
    assert_true(mutate_is_one_safe_line("tern: -m 12\\nQ: caf\xc3\xa9 \xe2\x82\xac"));
    assert_false(mutate_is_one_safe_line("a\nb"));
    assert_false(mutate_is_one_safe_line("a\x1b[31m"));
    assert_false(mutate_is_one_safe_line("a\x7f"));
    assert_false(mutate_is_one_safe_line("a\xc2\x85"));     /* NEL */
    assert_false(mutate_is_one_safe_line("a\xe2\x80\xa8")); /* U+2028 */
    assert_false(mutate_is_one_safe_line("a\xff"));         /* not UTF-8 */
    mutate_set_current("session %u: %s", 7u, "x");
    assert_string_equal(mutate_current(), "session 7: x");
    g_rand_free(r);
    g_free(shown);
    g_free(cut);
}

#define T(f)  cmocka_unit_test(f)
#define TR(f) cmocka_unit_test_setup_teardown(f, ram_up, ram_down)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_logcapture_returns_guest_errors_and_stops_logging),
        T(test_capture_stdout_returns_what_was_printed),
        T(test_stream_capture_returns_what_was_written),
        T(test_fds_open_count_follows_open_and_close),
        T(test_tmpdir_writes_files_and_removes_them_all),
        T(test_tmpfile_holds_bytes_or_a_string_until_removed),
        T(test_opts_counters_count_entries_and_values),
        T(test_mutate_shows_every_byte_printably_and_cuts),
        T(test_mutate_splice_is_seeded_and_breaks_lines),
        T(test_fdt_readers_find_what_the_tree_holds),
        T(test_fdt_interrupt_is_the_source_and_its_parent),
        T(test_vmstate_round_trip_restores_and_calls_post_load),
        TR(test_vd_memory_helpers_are_little_endian),
        TR(test_vd_descriptors_and_chains_follow_the_split_ring_layout),
        TR(test_vd_rings_are_written_and_read_where_the_layout_puts_them),
        TR(test_vd_blk_header_is_type_reserved_sector),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
