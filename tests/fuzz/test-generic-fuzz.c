/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-generic-fuzz.c - the generic-fuzz targets through the public entry
 * points (fuzz_start, fuzz_run, the target's hooks) and their trace: the
 * byte format (opcodes, short operands, pad bytes, the FUZZ separator), the
 * crossover, the DMA pattern bytes and where fills land in the trace, the
 * double-fetch rule with and without avoid-double-fetch, every preset
 * starting with its device's regions, and the reset proofs on every
 * preset's corpus (same input twice, B after A, the check mode).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "fuzz/generic-fuzz.h"
#include "qtest/libqtest.h"
#include "tests/support/tmpdir.h"

#define UART_BASE  UINT64_C(0x10000000)
#define FWCFG_DMA  UINT64_C(0x10100010)
#define RING_PFN   0x80010
#define RING_DESC  UINT64_C(0x80010000)
#define RING_AVAIL UINT64_C(0x80010080)

/* ---- building inputs --------------------------------------------------------------------------
 */

enum { SZ_B, SZ_W, SZ_L, SZ_Q };

static void sep(GByteArray *in)
{
    g_byte_array_append(in, (const guint8 *)"FUZZ", 4);
}

static void put_le(GByteArray *in, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint8_t b = (uint8_t)(v >> (8 * i));
        g_byte_array_append(in, &b, 1);
    }
}

/* READ: opcode 2, size, base, two pad bytes, offset (u32). */
static void op_read(GByteArray *in, uint8_t size, uint8_t base, uint32_t offset)
{
    const uint8_t head[] = {2, size, base, 0, 0};

    if (in->len) {
        sep(in);
    }
    g_byte_array_append(in, head, sizeof(head));
    put_le(in, offset, 4);
}

/* WRITE: opcode 3, size, base, two pad bytes, offset (u32), value (u64). */
static void op_write(GByteArray *in, uint8_t size, uint8_t base, uint32_t offset, uint64_t value)
{
    const uint8_t head[] = {3, size, base, 0, 0};

    if (in->len) {
        sep(in);
    }
    g_byte_array_append(in, head, sizeof(head));
    put_le(in, offset, 4);
    put_le(in, value, 8);
}

static void op_pattern(GByteArray *in, uint8_t index, uint8_t stride, const void *data, size_t len)
{
    const uint8_t head[] = {7, index, stride};

    if (in->len) {
        sep(in);
    }
    g_byte_array_append(in, head, sizeof(head));
    g_byte_array_append(in, data, len);
}

static void op_raw(GByteArray *in, const void *cmd, size_t len)
{
    if (in->len) {
        sep(in);
    }
    g_byte_array_append(in, cmd, len);
}

/* ---- running targets --------------------------------------------------------------------------
 */

static FuzzTarget *start(const char *name)
{
    FuzzTarget *t;
    Error *err = NULL;

    fuzz_register_targets();
    t = fuzz_find_target(name);
    if (!t) {
        fail_msg("no fuzz target %s", name);
    }
    if (!fuzz_start(t, &err)) {
        fail_msg("fuzz_start(%s): %s", name, error_get_pretty(err));
    }
    fuzz_trace_set_recording(true);
    fuzz_set_digest(true);
    return t;
}

static void stop(void)
{
    fuzz_set_check_reset(false);
    fuzz_trace_set_recording(false);
    fuzz_set_digest(false);
    fuzz_stop();
}

/* Runs an input that must succeed; its transcript, and the digest after it in *digest. */
static char *run(const uint8_t *data, size_t len, char **digest)
{
    Error *err = NULL;
    FuzzRunResult r = fuzz_run(data, len, &err);

    if (r != FUZZ_RUN_OK) {
        fail_msg("fuzz_run gave %d: %s", r, err ? error_get_pretty(err) : "(no error)");
    }
    if (digest) {
        assert_non_null(fuzz_last_digest());
        *digest = g_strdup(fuzz_last_digest());
    }
    return g_string_free(fuzz_trace_requests(), FALSE);
}

static char *run_bytes(GByteArray *in)
{
    return run(in->data, in->len, NULL);
}

static guint ranges_len(void)
{
    GArray *r = generic_fuzz_ranges();
    guint n = r->len;

    g_array_unref(r);
    return n;
}

static GenericFuzzRange range_at(guint k)
{
    GArray *r = generic_fuzz_ranges();
    GenericFuzzRange fr;

    assert_true(k < r->len);
    fr = g_array_index(r, GenericFuzzRange, k);
    g_array_unref(r);
    return fr;
}

/* The index among the fuzzable ranges of the one starting at addr. */
static unsigned range_index(uint64_t addr)
{
    GArray *r = generic_fuzz_ranges();

    for (guint i = 0; i < r->len; i++) {
        if (g_array_index(r, GenericFuzzRange, i).start == addr) {
            g_array_unref(r);
            return i;
        }
    }
    g_array_unref(r);
    fail_msg("no fuzzable range starts at 0x%" PRIx64, addr);
    return 0;
}

/* Position of needle in hay as a line (or -1). */
static long line_pos(const char *hay, const char *needle)
{
    const char *p = hay;
    size_t n = strlen(needle);

    while ((p = strstr(p, needle))) {
        if ((p == hay || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0')) {
            return p - hay;
        }
        p += n;
    }
    return -1;
}

static unsigned count_lines_starting(const char *hay, const char *prefix)
{
    unsigned n = 0;
    char **lines = g_strsplit(hay, "\n", -1);

    for (char **l = lines; *l; l++) {
        n += g_str_has_prefix(*l, prefix);
    }
    g_strfreev(lines);
    return n;
}

/* ---- the byte format --------------------------------------------------------------------------
 */

static void test_op_decoding(void **state)
{
    GByteArray *in = g_byte_array_new();
    char *t;

    start("generic-fuzz-uart"); /* one range: the 8-byte 16550 at 0x10000000 */
    g_free(run(NULL, 0, NULL));
    assert_int_equal(ranges_len(), 1);

    /* READ: 8 operand bytes; the offset is at 4 (after two pad bytes), modulo the region. */
    op_read(in, SZ_B, 0, 13); /* 13 % 8 = 5: LSR */
    t = run_bytes(in);
    assert_string_equal(t, "readb 0x10000005\n");
    g_free(t);

    /* Pad bytes are ignored, base is taken modulo the range count, opcode modulo 10. */
    g_byte_array_set_size(in, 0);
    op_raw(in, (const uint8_t[]){12, 4, 77, 0xff, 0xee, 6, 0, 0, 0}, 9);
    t = run_bytes(in);
    assert_string_equal(t, "readb 0x10000006\n");
    g_free(t);

    /* One operand byte short: nothing; so is a READ followed directly by the next command. */
    g_byte_array_set_size(in, 0);
    op_raw(in, (const uint8_t[]){2, 0, 0, 0, 0, 5, 0, 0}, 8);
    op_raw(in, (const uint8_t[]){3, 0, 0, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 0, 0, 0, 0}, 16);
    op_read(in, SZ_B, 0, 2);
    t = run_bytes(in);
    assert_string_equal(t, "readb 0x10000002\n");
    g_free(t);

    /* Widths: size % 4; a width is issued only if the region has that many bytes left. */
    g_byte_array_set_size(in, 0);
    op_read(in, SZ_W, 0, 7);     /* 1 byte left: no word */
    op_read(in, SZ_W, 0, 6);     /* readw */
    op_read(in, SZ_L, 0, 5);     /* 3 left: no long */
    op_read(in, SZ_L, 0, 4);     /* readl */
    op_read(in, SZ_Q, 0, 1);     /* 7 left: no quad */
    op_read(in, SZ_Q + 4, 0, 0); /* size 7 % 4 = quad, 8 left */
    op_read(in, SZ_B, 0, 7);     /* a byte is always allowed */
    t = run_bytes(in);
    assert_string_equal(t, "readw 0x10000006\nreadl 0x10000004\nreadq 0x10000000\n"
                           "readb 0x10000007\n");
    g_free(t);

    /* WRITE: 16 operand bytes, value masked to the width; 15 do nothing. */
    g_byte_array_set_size(in, 0);
    op_raw(in, (const uint8_t[]){3, 0, 0, 0, 0, 7, 0, 0, 0, 0x41, 0, 0, 0, 0, 0, 0}, 16);
    op_write(in, SZ_B, 0, 7, UINT64_C(0x1122334455667741));
    op_write(in, SZ_W, 9, 2, UINT64_C(0xabcd1234)); /* pad bytes set below */
    in->data[in->len - 16 + 2] = 0x99;
    in->data[in->len - 16 + 3] = 0x98;
    t = run_bytes(in);
    assert_string_equal(t, "writeb 0x10000007 0x41\nwritew 0x10000002 0x1234\n");
    g_free(t);

    /*
     * Separators: empty commands are skipped, the tail after the last one
     * runs, a separator inside operands cuts the command short.  IN, OUT,
     * the PCI ops and DISABLE_PCI do nothing on virt; CLOCK_STEP is one
     * clock_step; ADD/CLEAR_DMA_PATTERNS touch no device.
     */
    g_byte_array_set_size(in, 0);
    sep(in);
    sep(in);
    g_byte_array_append(in, (const guint8 *)"\x00\x00\x00\x00\x00", 5); /* IN */
    op_raw(in, (const uint8_t[]){1, 0, 0, 0, 0, 0, 0, 0, 0}, 9);        /* OUT */
    op_raw(in, (const uint8_t[]){4, 0, 0, 0}, 4);                       /* PCI_READ */
    op_raw(in, (const uint8_t[]){5, 0, 0, 0, 0, 0, 0, 0, 0}, 9);        /* PCI_WRITE */
    op_raw(in, (const uint8_t[]){6}, 1);
    op_raw(in, (const uint8_t[]){7, 0, 0, 0xaa}, 4);
    op_raw(in, (const uint8_t[]){8}, 1);
    op_raw(in, (const uint8_t[]){9}, 1);
    op_raw(in, (const uint8_t[]){3, 0, 0, 0, 0, 1, 0, 0, 0, 'F', 'U', 'Z', 'Z', 0, 0, 0, 0}, 17);
    op_read(in, SZ_B, 0, 3);
    t = run_bytes(in);
    assert_string_equal(t, "clock_step\nreadb 0x10000003\n");
    g_free(t);

    /* The bare separator, and an input ending in one. */
    t = run((const uint8_t *)"FUZZ", 4, NULL);
    assert_string_equal(t, "");
    g_free(t);
    g_byte_array_set_size(in, 0);
    op_read(in, SZ_B, 0, 4);
    sep(in);
    t = run_bytes(in);
    assert_string_equal(t, "readb 0x10000004\n");
    g_free(t);

    g_byte_array_free(in, TRUE);
    stop();
}

static void test_crossover(void **state)
{
    static const uint8_t d1[] = {1, 2, 3}, d2[] = {'a', 'b', 'c', 'd'};
    static const uint8_t mid[] = {'F', 'U', 'Z', 'Z', 8, 'F', 'U', 'Z', 'Z', 6, 'F', 'U', 'Z', 'Z'};
    FuzzTarget *t;
    uint8_t out[64], want[64];
    size_t n;

    fuzz_register_targets();
    t = fuzz_find_target("generic-fuzz-uart");
    assert_non_null(t);
    assert_non_null(t->crossover);
    memcpy(want, d1, 3);
    memcpy(want + 3, mid, sizeof(mid));
    memcpy(want + 3 + sizeof(mid), d2, sizeof(d2));

    /* max_out <= s1 + 14: no crossover. */
    assert_int_equal(t->crossover(d1, 3, d2, 4, out, 3 + 14, 0), 0);
    assert_int_equal(t->crossover(d1, 3, d2, 4, out, 2, 0), 0);
    /* One byte of room: one byte of data2. */
    memset(out, 0xee, sizeof(out));
    n = t->crossover(d1, 3, d2, 4, out, 3 + 15, 7);
    assert_int_equal(n, 18);
    assert_memory_equal(out, want, 18);
    assert_int_equal(out[18], 0xee);
    /* Plenty of room: all of data2; the seed changes nothing. */
    n = t->crossover(d1, 3, d2, 4, out, sizeof(out), 1);
    assert_int_equal(n, 21);
    assert_memory_equal(out, want, 21);
    assert_int_equal(t->crossover(d1, 3, d2, 4, out, sizeof(out), 99), 21);
    assert_memory_equal(out, want, 21);
    /* Empty data1 and data2. */
    n = t->crossover(NULL, 0, NULL, 0, out, sizeof(out), 0);
    assert_int_equal(n, 14);
    assert_memory_equal(out, mid, 14);
}

/* ---- DMA --------------------------------------------------------------------------------------
 */

/* fw_cfg's DMA register takes a big-endian address: the value a little-endian write needs. */
static uint64_t be64_value(uint64_t v)
{
    return GUINT64_SWAP_LE_BE(v);
}

static void test_dma_pattern_example(void **state)
{
    GByteArray *in = g_byte_array_new();
    char *t;
    long fill, cmd;

    start("generic-fuzz-fw-cfg"); /* data, ctl, dma */
    g_free(run(NULL, 0, NULL));
    /* §6.6's example: index 1, stride 2, data 00 01 02; fw_cfg reads a 16-byte descriptor. */
    op_pattern(in, 1, 2, "\x00\x01\x02", 3);
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x80001000));
    t = run_bytes(in);
    fill = line_pos(t, "write 0x80001000 0x10 0x00010200030200050200070200090200");
    cmd = line_pos(t, "writeq 0x10100010 0x10008000000000");
    assert_true(fill >= 0);
    assert_true(cmd >= 0);
    /* The fill comes before the command that caused it (the reorder script's shape). */
    assert_true(fill < cmd);
    g_free(t);

    /* The index is taken modulo the data length: index 4 of 3 bytes is index 1. */
    g_byte_array_set_size(in, 0);
    op_pattern(in, 4, 2, "\x00\x01\x02", 3);
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x80001000));
    t = run_bytes(in);
    assert_true(line_pos(t, "write 0x80001000 0x10 0x00010200030200050200070200090200") >= 0);
    g_free(t);

    /* Without a pattern nothing is filled; CLEAR_DMA_PATTERNS drops them. */
    g_byte_array_set_size(in, 0);
    op_pattern(in, 0, 0, "\x11", 1);
    op_raw(in, "\x08", 1);
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x80001000));
    t = run_bytes(in);
    assert_int_equal(count_lines_starting(t, "write "), 0);
    g_free(t);

    /* Patterns are per input: the next input starts with none. */
    g_byte_array_set_size(in, 0);
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x80001000));
    t = run_bytes(in);
    assert_int_equal(count_lines_starting(t, "write "), 0);
    g_free(t);

    /* Round robin: two patterns, two descriptors read in two commands. */
    g_byte_array_set_size(in, 0);
    op_pattern(in, 0, 0, "\xa1", 1);
    op_pattern(in, 0, 0, "\xc1", 1);
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x80001000));
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x80002000));
    t = run_bytes(in);
    assert_true(line_pos(t, "write 0x80001000 0x10 0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1") >= 0);
    assert_true(line_pos(t, "write 0x80002000 0x10 0xc1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1") >= 0);
    g_free(t);

    /* A descriptor in a hole goes to sparse-mem (virt's fw_cfg has no RAM there: 0x40000000). */
    g_byte_array_set_size(in, 0);
    op_pattern(in, 0, 1, "\x10\x20", 2);
    op_write(in, SZ_Q, (uint8_t)range_index(FWCFG_DMA), 0, be64_value(0x40000000));
    t = run_bytes(in);
    assert_true(line_pos(t, "write 0x40000000 0x10 0x10201120122013201420152016201720") >= 0);
    g_free(t);

    g_byte_array_free(in, TRUE);
    stop();
}

/*
 * A legacy virtio-blk queue at 0x80010000 and one FLUSH request whose rings
 * and header the DMA patterns supply, in the order the device reads them:
 * avail idx (1), avail ring[0] (head 0), desc 0 (header, NEXT), desc 1
 * (status, WRITE), the header.  After the request the device reads the
 * avail flags (pattern 0 again) and then the avail idx a second time: a
 * double fetch.
 */
/*
 * The queue set-up and one request whose header is at header_addr and
 * comes from the last pattern (index 0, stride, header), then the notify.
 */
static void virtio_blk_request_input(GByteArray *in, uint8_t base, uint64_t header_addr,
                                     uint8_t stride, const void *header, size_t header_len)
{
    struct __attribute__((packed)) {
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
    } d0 = {GUINT64_TO_LE(header_addr), GUINT32_TO_LE(16), GUINT16_TO_LE(1), GUINT16_TO_LE(1)},
      d1 = {GUINT64_TO_LE(0x80020100), GUINT32_TO_LE(1), GUINT16_TO_LE(2), 0};
    static const uint32_t setup[][2] = {{0x70, 1}, {0x70, 3},      {0x28, 0x1000},   {0x30, 0},
                                        {0x38, 8}, {0x3c, 0x1000}, {0x40, RING_PFN}, {0x70, 7}};

    for (size_t i = 0; i < G_N_ELEMENTS(setup); i++) {
        op_write(in, SZ_L, base, setup[i][0], setup[i][1]);
    }
    op_pattern(in, 0, 0, "\x01\x00", 2);
    op_pattern(in, 0, 0, "\x00\x00", 2);
    op_pattern(in, 0, 0, &d0, sizeof(d0));
    op_pattern(in, 0, 0, &d1, sizeof(d1));
    op_pattern(in, 0, stride, header, header_len);
    op_write(in, SZ_L, base, 0x50, 0); /* QUEUE_NOTIFY */
}

static void virtio_blk_flush_input(GByteArray *in, uint8_t base)
{
    const uint8_t header[16] = {4};

    virtio_blk_request_input(in, base, 0x80020000, 0, header, sizeof(header));
}

/* The virtio-mmio range whose device is a block device. */
static uint8_t virtio_blk_base(void)
{
    GArray *r = generic_fuzz_ranges();

    for (guint i = 0; i < r->len; i++) {
        uint64_t start = g_array_index(r, GenericFuzzRange, i).start;
        if (!strcmp(g_array_index(r, GenericFuzzRange, i).name, "virtio-mmio") &&
            fuzz_read(4, start + 8) == 2) {
            g_array_unref(r);
            return (uint8_t)i;
        }
    }
    g_array_unref(r);
    fail_msg("no virtio-blk transport among the fuzzable ranges");
    return 0;
}

/* stderr into a file while fn runs; what was written. */
static int stderr_saved = -1;
static char *stderr_path;

static void capture_stderr_begin(void)
{
    int fd;

    stderr_path = tmpfile_new("tern-gf-stderr-XXXXXX", "", 0);
    fflush(stderr);
    stderr_saved = dup(2);
    fd = open(stderr_path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    dup2(fd, 2);
    close(fd);
}

static char *capture_stderr_end(void)
{
    char *text = NULL;

    fflush(stderr);
    dup2(stderr_saved, 2);
    close(stderr_saved);
    stderr_saved = -1;
    assert_true(g_file_get_contents(stderr_path, &text, NULL, NULL));
    tmpfile_remove(stderr_path);
    stderr_path = NULL;
    return text;
}

static void test_dma_fill_before_command(void **state)
{
    GByteArray *in = g_byte_array_new();
    uint8_t base;
    char *t, *notify;
    long idx, desc, header;

    start("generic-fuzz-virtio-blk");
    g_free(run(NULL, 0, NULL));
    base = virtio_blk_base();
    virtio_blk_flush_input(in, base);
    t = run_bytes(in);
    notify = g_strdup_printf("writel 0x%" PRIx64 " 0x0", range_at(base).start + 0x50);
    idx = line_pos(t, "write 0x80010082 0x2 0x0100");
    desc = line_pos(t, "write 0x80010000 0x10 0x00000280000000001000000001000100");
    header = line_pos(t, "write 0x80020000 0x10 0x04000000000000000000000000000000");
    assert_true(idx >= 0 && desc > idx && header > desc);
    /* Every fill the notify caused precedes it; the device completed the request. */
    assert_true(line_pos(t, notify) > header);
    g_free(notify);
    g_free(t);
    g_byte_array_free(in, TRUE);
    stop();
}

/* The fills of the avail index (0x80010082) in a run of the flush input. */
static unsigned idx_fills(const char *trace)
{
    return count_lines_starting(trace, "write 0x80010082 0x2 ");
}

static void test_double_fetch(void **state)
{
    GByteArray *in = g_byte_array_new();
    char *dir = tmpdir_new("tern-gf-XXXXXX");
    uint8_t *zeros = g_malloc0(65536);
    char *disk = tmpdir_write(dir, "zero.raw", zeros, 65536);
    char *args = g_strdup_printf("-M virt -bios none -nodefaults -drive if=none,id=d0,file=%s,"
                                 "snapshot=on,format=raw -device virtio-blk-device,drive=d0",
                                 disk);
    char *t, *err;

    g_setenv("TERN_FUZZ_ARGS", args, TRUE);
    g_setenv("TERN_FUZZ_OBJECTS", "virtio*", TRUE);
    g_unsetenv("QEMU_FUZZ_OBJECTS");

    /* The preset avoids double fetches: the index is filled once, the queue ends empty. */
    start("generic-fuzz-virtio-blk");
    g_free(run(NULL, 0, NULL));
    virtio_blk_flush_input(in, virtio_blk_base());
    t = run_bytes(in);
    assert_int_equal(idx_fills(t), 1);
    g_free(t);
    stop();

    /* Plain generic-fuzz without the variable: the second read gets fresh pattern bytes. */
    g_unsetenv("TERN_AVOID_DOUBLE_FETCH");
    g_unsetenv("QEMU_AVOID_DOUBLE_FETCH");
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    g_byte_array_set_size(in, 0);
    virtio_blk_flush_input(in, virtio_blk_base());
    t = run_bytes(in);
    assert_int_equal(idx_fills(t), 2);
    g_free(t);
    stop();

    /* QEMU's variable name works too, with any value. */
    g_setenv("QEMU_AVOID_DOUBLE_FETCH", "0", TRUE);
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    t = run_bytes(in);
    assert_int_equal(idx_fills(t), 1);
    g_free(t);
    stop();
    g_unsetenv("QEMU_AVOID_DOUBLE_FETCH");

    /*
     * Logging on, avoid off: ranges are remembered, so the overlapping read
     * is not refilled either (QEMU's rule); every fill is tagged [DMA] on
     * stderr, right before it.
     */
    g_setenv("QTEST_LOG", "1", TRUE);
    capture_stderr_begin();
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    t = run_bytes(in);
    stop();
    err = capture_stderr_end();
    g_unsetenv("QTEST_LOG");
    assert_int_equal(idx_fills(t), 1);
    assert_int_equal(count_lines_starting(t, "write 0x"), 6);
    assert_non_null(strstr(err, "[DMA] "));
    assert_null(strstr(err, "[DOUBLE-FETCH]"));
    g_free(err);
    g_free(t);

    /*
     * Avoid on and logging: a read that overlaps a filled range in part
     * gets only its uncovered head and tail, tagged [DOUBLE-FETCH].  Here
     * the FLUSH header is placed over the avail ring (0x80010080, 16
     * bytes), which the index and ring[0] fills already cover in part.
     */
    g_setenv("QTEST_LOG", "1", TRUE);
    g_setenv("TERN_AVOID_DOUBLE_FETCH", "1", TRUE);
    capture_stderr_begin();
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    g_byte_array_set_size(in, 0);
    /* The header over the avail ring, its pattern with stride 1. */
    virtio_blk_request_input(in, virtio_blk_base(), RING_AVAIL, 1, "\x40\x41\x42\x43", 4);
    t = run_bytes(in);
    stop();
    err = capture_stderr_end();
    g_unsetenv("QTEST_LOG");
    g_unsetenv("TERN_AVOID_DOUBLE_FETCH");
    /* Head [0x80010080, 2) and tail [0x80010086, 10) only: the middle was filled before. */
    assert_true(line_pos(t, "write 0x80010080 0x2 0x4041") >= 0);
    assert_true(line_pos(t, "write 0x80010086 0xa 0x01000100010001000100") >= 0);
    assert_non_null(strstr(err, "[DMA] [DOUBLE-FETCH] "));
    g_free(err);
    g_free(t);

    g_unsetenv("TERN_FUZZ_ARGS");
    g_unsetenv("TERN_FUZZ_OBJECTS");
    g_free(args);
    g_free(disk);
    g_free(zeros);
    tmpdir_remove(dir);
    g_byte_array_free(in, TRUE);
}

/* ---- configuration ----------------------------------------------------------------------------
 */

static void test_needs_objects(void **state)
{
    FuzzTarget *t;
    Error *err = NULL;

    g_unsetenv("TERN_FUZZ_OBJECTS");
    g_unsetenv("QEMU_FUZZ_OBJECTS");
    fuzz_register_targets();
    t = fuzz_find_target("generic-fuzz");
    assert_non_null(t);
    /* fuzz_start declines, with one line, after the usage (tern-fuzz then exits 0). */
    capture_stderr_begin();
    assert_false(fuzz_start(t, &err));
    {
        char *usage = capture_stderr_end();
        assert_non_null(strstr(usage, "TERN_FUZZ_OBJECTS (or QEMU_FUZZ_OBJECTS, required)"));
        g_free(usage);
    }
    assert_true(fuzz_start_declined());
    assert_string_equal(error_get_pretty(err),
                        "fuzz target 'generic-fuzz' cannot run as configured");
    error_free(err);
    err = NULL;

    /* QEMU's names are read; TERN_ wins when both are set. */
    g_setenv("QEMU_FUZZ_ARGS", "-M virt -bios none -nodefaults -serial null", TRUE);
    g_setenv("QEMU_FUZZ_OBJECTS", "serial*", TRUE);
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    assert_int_equal(ranges_len(), 1);
    assert_int_equal(range_at(0).start, UART_BASE);
    stop();
    g_setenv("TERN_FUZZ_OBJECTS", "fwcfg.ctl riscv.sifive.test", TRUE);
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    {
        GArray *r = generic_fuzz_ranges();
        assert_int_equal(r->len, 2);
        assert_string_equal(g_array_index(r, GenericFuzzRange, 0).name, "riscv.sifive.test");
        assert_string_equal(g_array_index(r, GenericFuzzRange, 1).name, "fwcfg.ctl");
        g_array_unref(r);
    }
    stop();
    /* QEMU's region component form "NAME[0]" matches too. */
    g_setenv("TERN_FUZZ_OBJECTS", "fwcfg.dma[0]", TRUE);
    start("generic-fuzz");
    g_free(run(NULL, 0, NULL));
    assert_int_equal(ranges_len(), 1);
    assert_int_equal(range_at(0).start, FWCFG_DMA);
    stop();
    /* Nothing matches: fuzz_start fails saying so (tern-fuzz exits 1). */
    g_setenv("TERN_FUZZ_OBJECTS", "no-such-device", TRUE);
    assert_false(fuzz_start(t, &err));
    assert_false(fuzz_start_declined());
    assert_string_equal(error_get_pretty(err),
                        "fuzz target 'generic-fuzz': no fuzzable region matches the objects "
                        "'no-such-device'");
    error_free(err);
    g_unsetenv("TERN_FUZZ_OBJECTS");
    g_unsetenv("QEMU_FUZZ_OBJECTS");
    g_unsetenv("QEMU_FUZZ_ARGS");
}

/* ---- presets ----------------------------------------------------------------------------------
 */

typedef struct PresetRegions {
    const char *preset;
    const char *regions[5]; /* each must be listed; NULL-terminated */
    uint64_t device_base;   /* an address the corpus must reach */
} PresetRegions;

static const PresetRegions preset_regions[] = {
    {"uart", {"serial"}, 0x10000000},
    {"clint", {"riscv.aclint.swi", "riscv.aclint.mtimer"}, 0x2000000},
    {"plic", {"riscv.sifive.plic"}, 0xc000000},
    {"rtc", {"goldfish_rtc"}, 0x101000},
    {"fw-cfg", {"fwcfg.data", "fwcfg.ctl", "fwcfg.dma"}, 0x10100000},
    {"sifive-test", {"riscv.sifive.test"}, 0x100000},
    {"virtio-blk", {"virtio-mmio"}, 0x10008000},
    {"virtio-rng", {"virtio-mmio"}, 0x10008000},
    {"virt", {"serial", "riscv.sifive.plic", "virtio-mmio", "sparse-mem"}, 0x10000000},
};

static const PresetRegions *preset_expect(const char *preset)
{
    for (size_t i = 0; i < G_N_ELEMENTS(preset_regions); i++) {
        if (!strcmp(preset_regions[i].preset, preset)) {
            return &preset_regions[i];
        }
    }
    fail_msg("preset %s has no expectations in this test", preset);
    return NULL;
}

static bool ranges_have(GArray *r, const char *name)
{
    for (guint i = 0; i < r->len; i++) {
        if (!strcmp(g_array_index(r, GenericFuzzRange, i).name, name)) {
            return true;
        }
    }
    return false;
}

static void test_presets_start(void **state)
{
    size_t n;
    const GenericFuzzConfig *c = generic_fuzz_configs(&n);

    assert_int_equal(n, G_N_ELEMENTS(preset_regions));
    for (size_t i = 0; i < n; i++) {
        GArray *r;
        GByteArray *in = g_byte_array_new();
        char *t;

        const PresetRegions *want = preset_expect(c[i].name);
        start(c[i].target);
        g_free(run(NULL, 0, NULL));
        r = generic_fuzz_ranges();
        assert_true(r->len > 0);
        for (const char *const *name = want->regions; *name; name++) {
            if (!ranges_have(r, *name)) {
                fail_msg("%s does not list %s", c[i].target, *name);
            }
        }
        /* A byte read at offset 0 of each range reaches that range's first address. */
        for (guint k = 0; k < r->len; k++) {
            op_read(in, SZ_B, (uint8_t)k, 0);
        }
        t = run_bytes(in);
        for (guint k = 0; k < r->len; k++) {
            char *line =
                g_strdup_printf("readb 0x%" PRIx64, g_array_index(r, GenericFuzzRange, k).start);
            if (line_pos(t, line) < 0) {
                fail_msg("%s: range %u not read (%s)", c[i].target, k, line);
            }
            g_free(line);
        }
        g_free(t);
        g_byte_array_free(in, TRUE);
        g_array_unref(r);
        stop();
    }
    /* virt has every device's regions, and sparse-mem once per hole. */
    start("generic-fuzz-virt");
    g_free(run(NULL, 0, NULL));
    {
        GArray *r = generic_fuzz_ranges();
        unsigned sparse = 0;
        for (guint k = 0; k < r->len; k++) {
            sparse += !strcmp(g_array_index(r, GenericFuzzRange, k).name, "sparse-mem");
        }
        assert_true(sparse > 1);
        for (size_t i = 0; i < n; i++) {
            for (const char *const *name = preset_regions[i].regions; *name; name++) {
                assert_true(ranges_have(r, *name));
            }
        }
        g_array_unref(r);
    }
    stop();
}

/* ---- reset proofs on the corpora ---------------------------------------------------------------
 */

/* g_ptr_array_sort hands the comparison pointers to the elements. */
static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The preset's seed corpus (files in name order), plus one made-up input mixing every op. */
static GPtrArray *corpus(const char *preset, GPtrArray **labels)
{
    const char *src = getenv("TERN_SOURCE_ROOT");
    char *dir = g_strdup_printf("%s/corpora/generic-fuzz-%s", src ? src : ".", preset);
    GPtrArray *inputs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *n;
    GByteArray *mix = g_byte_array_new();

    if (!d) {
        fail_msg("no corpus directory %s", dir);
    }
    while ((n = g_dir_read_name(d))) {
        g_ptr_array_add(names, g_build_filename(dir, n, NULL));
    }
    g_dir_close(d);
    g_ptr_array_sort(names, compare_paths);
    for (guint i = 0; i < names->len; i++) {
        gchar *data;
        gsize len;
        assert_true(g_file_get_contents(names->pdata[i], &data, &len, NULL));
        g_ptr_array_add(inputs, g_bytes_new_take(data, len));
        if (labels) {
            if (!*labels) {
                *labels = g_ptr_array_new_with_free_func(g_free);
            }
            g_ptr_array_add(*labels, g_path_get_basename(names->pdata[i]));
        }
    }
    assert_true(inputs->len > 0);
    for (unsigned k = 0; k < 40; k++) {
        op_pattern(mix, (uint8_t)k, (uint8_t)(3 * k + 1), "\x01\x80\x00\x00\x10", 5);
        op_write(mix, (uint8_t)k, (uint8_t)(k * 7), k * 0x1001u, UINT64_C(0x8001000080010001) * k);
        op_read(mix, (uint8_t)(k + 1), (uint8_t)(k * 5), k * 0x333u);
        if (k % 5 == 0) {
            op_raw(mix, "\x09", 1);
        }
    }
    g_ptr_array_add(inputs, g_byte_array_free_to_bytes(mix));
    if (labels) {
        g_ptr_array_add(*labels, g_strdup("(mixed ops)"));
    }
    g_ptr_array_free(names, TRUE);
    g_free(dir);
    return inputs;
}

static char *run_gbytes(GBytes *b, char **digest)
{
    gsize len;
    const uint8_t *data = g_bytes_get_data(b, &len);

    return run(data, len, digest);
}

/*
 * Found by this target: an fw_cfg DMA read of a missing key with length
 * 0xffffffff zero-fills 4 GiB (of sparse memory, eight bytes an access),
 * 24 s an input.  The transfer budget cuts it short as a bus error would:
 * the input ends at once, not as a hang, and fw_cfg reports the error in
 * the descriptor's control word, as it does for any failed transfer.
 */
static void test_huge_dma_fill_is_cut_by_the_transfer_budget(void **state)
{
    static const uint8_t input[] = {
        /* ADD_DMA_PATTERN: index 0, stride 0, the descriptor (big-endian): READ, 0xffffffff
           bytes, to 0x100000000 (sparse memory) */
        0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00, 'F', 'U', 'Z', 'Z',
        /* WRITE: 8 bytes to region 2 (fwcfg.dma) offset 0, the descriptor's address 0x800010
           (big-endian), which starts the transfer */
        0x03, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
        0x00, 0x10};
    Error *err = NULL;

    start("generic-fuzz-fw-cfg");
    assert_int_equal(fuzz_run(input, sizeof(input), &err), FUZZ_RUN_OK);
    assert_true(fuzz_last_budget()->transfer_exhausted);
    assert_false(fuzz_last_budget()->work_exhausted);
    assert_int_equal(fuzz_last_budget()->transfer_used, FUZZ_DEFAULT_TRANSFER_BUDGET);
    /* The budgets are the input's: the next one starts with all of them. */
    assert_int_equal(fuzz_run(input, sizeof(input), &err), FUZZ_RUN_OK);
    assert_int_equal(fuzz_last_budget()->transfer_used, FUZZ_DEFAULT_TRANSFER_BUDGET);
    assert_int_equal(fuzz_run(NULL, 0, &err), FUZZ_RUN_OK);
    assert_int_equal(fuzz_last_budget()->transfer_used, 0);
    stop();
}

static void test_reset_proofs(void **state)
{
    size_t n;
    const GenericFuzzConfig *c = generic_fuzz_configs(&n);

    for (size_t i = 0; i < n; i++) {
        GPtrArray *inputs = corpus(c[i].name, NULL);
        GBytes *b = inputs->pdata[inputs->len - 1];
        const PresetRegions *want = preset_expect(c[i].name);
        char *alone, *alone_d, *t1, *d1, *t2, *d2, *after, *after_d;
        bool reached = false;

        start(c[i].target);
        /* B alone (the first input after the snapshot): its replies too, not only its requests. */
        g_free(run_gbytes(b, &alone_d));
        alone = g_string_free(fuzz_trace_transcript(), FALSE);
        for (guint k = 0; k < inputs->len; k++) {
            GBytes *a = inputs->pdata[k];
            char *pfx = g_strdup_printf("0x%" PRIx64, want->device_base);

            /* The same input twice: identical transcripts and digests. */
            g_free(run_gbytes(a, &d1));
            t1 = g_string_free(fuzz_trace_transcript(), FALSE);
            g_free(run_gbytes(a, &d2));
            t2 = g_string_free(fuzz_trace_transcript(), FALSE);
            if (strcmp(t1, t2) || strcmp(d1, d2)) {
                fail_msg("%s input %u: runs differ:\n%s\n---\n%s", c[i].target, k, t1, t2);
            }
            reached |= strstr(t1, pfx) != NULL;
            g_free(t1);
            g_free(t2);
            g_free(pfx);
            g_free(d1);
            g_free(d2);
            /* B after A is B alone, replies and machine. */
            g_free(run_gbytes(b, &after_d));
            after = g_string_free(fuzz_trace_transcript(), FALSE);
            if (strcmp(after, alone) || strcmp(after_d, alone_d)) {
                fail_msg("%s: the last seed after input %u differs from it alone", c[i].target, k);
            }
            g_free(after);
            g_free(after_d);
        }
        /* The check mode passes over the whole corpus. */
        fuzz_set_check_reset(true);
        for (guint k = 0; k < inputs->len; k++) {
            g_free(run_gbytes(inputs->pdata[k], NULL));
        }
        fuzz_set_check_reset(false);
        if (!reached) {
            fail_msg("%s: no seed reaches 0x%" PRIx64, c[i].target, want->device_base);
        }
        g_free(alone);
        g_free(alone_d);
        g_ptr_array_free(inputs, TRUE);
        stop();
    }
}

/* Every corpus input gives the same transcript through the qtest protocol as directly. */
static void test_serialized_equals_direct(void **state)
{
    size_t n;
    const GenericFuzzConfig *c = generic_fuzz_configs(&n);

    for (size_t i = 0; i < n; i++) {
        GPtrArray *labels = NULL;
        GPtrArray *inputs = corpus(c[i].name, &labels);

        start(c[i].target);
        for (guint k = 0; k < inputs->len; k++) {
            char *direct, *serialized;

            char *d_direct, *d_serialized;

            fuzz_set_serialize(false);
            g_free(run_gbytes(inputs->pdata[k], &d_direct));
            direct = g_string_free(fuzz_trace_transcript(), FALSE);
            fuzz_set_serialize(true);
            g_free(run_gbytes(inputs->pdata[k], &d_serialized));
            serialized = g_string_free(fuzz_trace_transcript(), FALSE);
            fuzz_set_serialize(false);
            /* The same machine afterwards, a guest's reset or shutdown request included. */
            if (strcmp(d_direct, d_serialized)) {
                fail_msg("%s input %s: direct and serialized leave different machines", c[i].target,
                         (char *)labels->pdata[k]);
            }
            g_free(d_direct);
            g_free(d_serialized);
            if (strcmp(direct, serialized)) {
                fail_msg("%s input %u: direct and serialized differ:\n%s\n---\n%s", c[i].target, k,
                         direct, serialized);
            }
            g_free(direct);
            g_free(serialized);
        }
        g_ptr_array_free(inputs, TRUE);
        g_ptr_array_free(labels, TRUE);
        stop();
    }
}

/*
 * Every seed's trace replays on a spawned "tern -qtest stdio" with the
 * preset's command line: each request gets the reply the fuzzer saw (the
 * DMA fills come before the commands that read them).  Not the seed that
 * writes to sparse-mem (a plain server has none: QEMU's reproducers have
 * the same limit) nor the made-up mixed input, which may.
 */
static void test_corpus_replays_on_tern(void **state)
{
    size_t n;
    const GenericFuzzConfig *c = generic_fuzz_configs(&n);
    unsigned replayed = 0;

    for (size_t i = 0; i < n; i++) {
        GPtrArray *labels = NULL;
        GPtrArray *inputs = corpus(c[i].name, &labels);
        FuzzTarget *t = start(c[i].target);
        GString *line = t->get_init_cmdline(t);
        const char *args = strchr(line->str, ' ') + 1; /* without argv[0] */
        GPtrArray *transcripts = g_ptr_array_new_with_free_func(g_free);

        for (guint k = 0; k + 1 < inputs->len; k++) {
            g_free(run_gbytes(inputs->pdata[k], NULL));
            g_ptr_array_add(transcripts, g_string_free(fuzz_trace_transcript(), FALSE));
        }
        stop();
        for (guint k = 0; k < transcripts->len; k++) {
            char **lines;
            QTestState *s;

            if (strstr(labels->pdata[k], "sparse")) {
                continue;
            }
            s = qtest_init_transport(QTEST_TRANSPORT_STDIO, args);
            lines = g_strsplit(transcripts->pdata[k], "\n", -1);
            for (guint l = 0; lines[l] && lines[l][0] && lines[l + 1]; l += 2) {
                char *reply = qtest_cmd(s, "%s\n", lines[l]);
                if (strcmp(reply, lines[l + 1])) {
                    fail_msg("%s %s: '%s' replays as '%s', not '%s'", c[i].target,
                             (char *)labels->pdata[k], lines[l], reply, lines[l + 1]);
                }
                g_free(reply);
            }
            if (strstr(labels->pdata[k], "pass") || strstr(labels->pdata[k], "fail")) {
                /* The replay ends as the guest asked: PASS status 0, FAIL its code (1). */
                int want = strstr(labels->pdata[k], "fail") ? 1 : 0;
                assert_int_equal(qtest_wait_exit(s, 20000), want);
                qtest_set_expected_status(s, want);
            }
            qtest_quit(s);
            g_strfreev(lines);
            replayed++;
        }
        g_ptr_array_free(transcripts, TRUE);
        g_string_free(line, TRUE);
        g_ptr_array_free(inputs, TRUE);
        g_ptr_array_free(labels, TRUE);
    }
    assert_true(replayed >= 25);
}

/* sifive-test: FAIL, PASS and RESET end the input (the commands after them do not run). */
static void test_sifive_test_requests_end_input(void **state)
{
    static const uint32_t status[] = {0x5555, 0x00023333, 0x7777};
    GByteArray *in = g_byte_array_new();
    char *t, *want;

    start("generic-fuzz-sifive-test");
    for (size_t i = 0; i < G_N_ELEMENTS(status); i++) {
        g_byte_array_set_size(in, 0);
        op_read(in, SZ_L, 0, 8);
        op_write(in, SZ_L, 0, 0, status[i]);
        op_read(in, SZ_L, 0, 0);
        t = run_bytes(in);
        want = g_strdup_printf("readl 0x100008\nwritel 0x100000 0x%x\n", status[i]);
        assert_string_equal(t, want);
        g_free(want);
        g_free(t);
        /* The next input runs on the restored machine, to its end. */
        g_byte_array_set_size(in, 0);
        op_read(in, SZ_L, 0, 4);
        op_read(in, SZ_L, 0, 12);
        t = run_bytes(in);
        assert_string_equal(t, "readl 0x100004\nreadl 0x10000c\n");
        g_free(t);
    }
    g_byte_array_free(in, TRUE);
    stop();
}

/* sparse-mem: what a write stores reads back within the input, and is gone after it. */
static void test_sparse_mem(void **state)
{
    GByteArray *in = g_byte_array_new();
    unsigned hole;
    char *t;

    start("generic-fuzz-virt");
    g_free(run(NULL, 0, NULL));
    hole = range_index(0xa0000000); /* above the 512 MiB of RAM */
    fuzz_set_check_reset(true);
    op_write(in, SZ_Q, (uint8_t)hole, 0x1008, UINT64_C(0x1122334455667788));
    t = run_bytes(in);
    g_free(t);
    assert_int_equal(fuzz_read(8, 0xa0001008), 0); /* restored: no block left */
    g_byte_array_set_size(in, 0);
    op_write(in, SZ_Q, (uint8_t)hole, 0x1008, UINT64_C(0x1122334455667788));
    op_read(in, SZ_L, (uint8_t)hole, 0x100c);
    op_read(in, SZ_B, (uint8_t)hole, 0x5000);
    g_free(run_bytes(in));
    t = g_string_free(fuzz_trace_transcript(), FALSE);
    assert_non_null(strstr(t, "readl 0xa000100c\nOK 0x0000000011223344\n"));
    assert_non_null(strstr(t, "readb 0xa0005000\nOK 0x0000000000000000\n"));
    g_free(t);
    g_byte_array_free(in, TRUE);
    stop();
}

/* A failed test leaves its target running: the next one starts from nothing. */
static int teardown(void **state)
{
    if (fuzz_current_target()) {
        stop();
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_crossover, teardown),
        cmocka_unit_test_teardown(test_huge_dma_fill_is_cut_by_the_transfer_budget, teardown),
        cmocka_unit_test_teardown(test_op_decoding, teardown),
        cmocka_unit_test_teardown(test_dma_pattern_example, teardown),
        cmocka_unit_test_teardown(test_dma_fill_before_command, teardown),
        cmocka_unit_test_teardown(test_double_fetch, teardown),
        cmocka_unit_test_teardown(test_needs_objects, teardown),
        cmocka_unit_test_teardown(test_presets_start, teardown),
        cmocka_unit_test_teardown(test_sifive_test_requests_end_input, teardown),
        cmocka_unit_test_teardown(test_sparse_mem, teardown),
        cmocka_unit_test_teardown(test_reset_proofs, teardown),
        cmocka_unit_test_teardown(test_serialized_equals_direct, teardown),
        cmocka_unit_test_teardown(test_corpus_replays_on_tern, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
