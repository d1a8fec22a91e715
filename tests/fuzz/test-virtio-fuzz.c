/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virtio-fuzz.c - the structure-aware virtio targets (fuzz/virtio-fuzz.c)
 * through the runner (fuzz_start/fuzz_run): hand-written inputs that read
 * and write known sectors, flush, ask for the id and get entropy; indirect,
 * split, looping and MMIO / outside-RAM chains that break the device the
 * way Tern documents (DEVICE_NEEDS_RESET, no used entry) until the driver
 * starts over; the reset proofs (same input twice, B after A, the reset
 * check over the corpora); and random inputs that mostly reach the back
 * ends.  The input format is docs/fuzzing.md's "virtio targets".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "fuzz/fuzz.h"
#include "fuzz/virtio-fuzz.h"

/* Set-up bytes: every feature offered, 8 entries, the default rings, the usual status steps. */
#define SETUP 0x00, 0x00
/* A block request: command 0, type, sector, count byte (sectors - 1), data byte, shape. */
#define BLK(type, sector, count_byte, data, shape) 0x00, type, sector, count_byte, data, shape
#define T_IN                                       0
#define T_OUT                                      1
#define T_FLUSH                                    2
#define T_GETID                                    3
/* An entropy request: command 0, one buffer of len bytes, shape. */
#define RNG1(len, shape) 0x00, 0x00, (uint8_t)((len)-1), (uint8_t)(((len)-1) >> 8), shape
/* Shapes: 0 direct, 3 every buffer split in two, 4 indirect, 6 a loop, 7 malformed (kind, arg). */
#define SH_DIRECT      0
#define SH_SPLIT       3
#define SH_INDIRECT    4
#define SH_LOOP        6
#define SH_BAD         7
#define SH_TO_ITSELF   8 /* with SH_LOOP: the last descriptor's next is itself */
#define BAD_ADDRESS    4
#define BAD_OVERLAP    8
#define BAD_LONG_CHAIN 10 /* arg: 1000 + arg one-byte buffers */
/* arg of BAD_ADDRESS: segment arg % n, address choice arg >> 3 (1 the UART, 4 just past RAM). */
#define AT_UART(seg)    (uint8_t)((1 << 3) | (seg))
#define PAST_RAM(seg)   (uint8_t)((4 << 3) | (seg))
#define CMD_RESETUP     14
#define SLOT_7          0x10008000u /* the first device lands in the highest slot */
#define RANDOM_INPUTS   3000
#define RANDOM_MAX_SIZE 200

static bool started;

static FuzzTarget *start(const char *name)
{
    FuzzTarget *t;

    fuzz_register_targets();
    t = fuzz_find_target(name);
    assert_non_null(t);
    assert_true(fuzz_start(t, &error_abort));
    started = true;
    virtio_fuzz_stats_clear();
    return t;
}

static void run(const uint8_t *data, size_t size)
{
    Error *err = NULL;
    FuzzRunResult r = fuzz_run(data, size, &err);

    if (r != FUZZ_RUN_OK) {
        fail_msg("fuzz_run: %d: %s", r, err ? error_get_pretty(err) : "(no error)");
    }
}

#define RUN(...)                                                                                   \
    do {                                                                                           \
        static const uint8_t input_[] = {__VA_ARGS__};                                             \
        run(input_, sizeof(input_));                                                               \
    } while (0)

static void finish(void)
{
    if (started) {
        fuzz_stop();
        started = false;
    }
}

static int stop(void **state)
{
    finish();
    fuzz_set_check_reset(false);
    fuzz_trace_set_recording(false);
    fuzz_set_digest(false);
    fuzz_set_serialize(false);
    virtio_fuzz_stats_clear();
    return 0;
}

/* Data byte i of an OUT request with data byte d. */
static uint8_t out_byte(uint8_t d, size_t i)
{
    return (uint8_t)(d + i);
}

/* ---- the device found, requests completed ------------------------------------------------ */

static void test_slot_probed(void **state)
{
    static const struct {
        const char *name;
        unsigned version;
    } cases[] = {
        {"virtio-blk", 2},
        {"virtio-rng", 2},
        {"virtio-blk-legacy", 1},
        {"virtio-rng-legacy", 1},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        start(cases[i].name);
        RUN(SETUP);
        assert_int_equal(virtio_fuzz_slot(), SLOT_7);
        assert_int_equal(virtio_fuzz_version(), cases[i].version);
        finish();
    }
}

/*
 * Writes sectors 5-6 with a pattern, then reads sectors 5-7: the pattern,
 * then sector 7 as the image has it.
 */
static void check_write_read(const char *target, uint8_t shape)
{
    const VirtioFuzzStats *st;
    uint8_t input[] = {SETUP, BLK(T_OUT, 5, 1, 0x40, shape), BLK(T_IN, 5, 2, 0, shape)};

    start(target);
    run(input, sizeof(input));
    st = virtio_fuzz_stats();
    assert_int_equal(st->requests, 2);
    assert_int_equal(st->completed, 2);
    assert_int_equal(st->status[0], 2);
    assert_int_equal(st->last_status, 0);
    assert_int_equal(st->last_used_len, 3 * 512 + 1); /* every device-writable byte */
    assert_int_equal(st->last_len, 3 * 512);
    for (size_t i = 0; i < 2 * 512; i++) {
        assert_int_equal(st->last_data[i], out_byte(0x40, i));
    }
    for (size_t i = 0; i < 512; i++) {
        assert_int_equal(st->last_data[1024 + i], virtio_fuzz_image_byte(7 * 512 + i));
    }
    assert_int_equal(st->needs_reset, 0);
    finish();
}

static void test_blk_write_read(void **state)
{
    check_write_read("virtio-blk", SH_DIRECT);
    check_write_read("virtio-blk-legacy", SH_DIRECT);
    check_write_read("virtio-blk", SH_SPLIT);
    check_write_read("virtio-blk", SH_INDIRECT); /* (c): an indirect chain works */
    check_write_read("virtio-blk-legacy", SH_INDIRECT);
}

/* The write is gone with the input: the next input reads the image's bytes again. */
static void test_blk_write_undone(void **state)
{
    const VirtioFuzzStats *st;

    start("virtio-blk");
    RUN(SETUP, BLK(T_OUT, 9, 0, 0x11, SH_DIRECT));
    RUN(SETUP, BLK(T_IN, 9, 0, 0, SH_DIRECT));
    st = virtio_fuzz_stats();
    assert_int_equal(st->status[0], 2);
    assert_int_equal(st->last_len, 512);
    for (size_t i = 0; i < 512; i++) {
        assert_int_equal(st->last_data[i], virtio_fuzz_image_byte(9 * 512 + i));
    }
}

/* The data read also shows in the trace: the driver's memread and its reply. */
static void test_blk_read_in_trace(void **state)
{
    g_autoptr(GString) transcript = NULL;
    g_autofree char *hex = NULL;
    GString *want = g_string_new("0x");

    start("virtio-blk");
    fuzz_trace_set_recording(true);
    RUN(SETUP, BLK(T_IN, 3, 0, 0, SH_DIRECT));
    transcript = fuzz_trace_transcript();
    for (size_t i = 0; i < 16; i++) {
        g_string_append_printf(want, "%02x", virtio_fuzz_image_byte(3 * 512 + i));
    }
    hex = g_string_free(want, FALSE);
    assert_non_null(strstr(transcript->str, hex));
    /* The notify (QueueNotify of slot 7) is there too. */
    assert_non_null(strstr(transcript->str, "0x10008050"));
}

static void test_blk_flush_get_id(void **state)
{
    const VirtioFuzzStats *st;
    char id[20] = "tern-fuzz"; /* the drive's serial=, NUL-padded */

    start("virtio-blk");
    RUN(SETUP, BLK(T_FLUSH, 0, 0, 0, SH_DIRECT));
    st = virtio_fuzz_stats();
    assert_int_equal(st->completed, 1);
    assert_int_equal(st->status[0], 1);
    RUN(SETUP, BLK(T_GETID, 0, 0, 0, SH_DIRECT));
    assert_int_equal(st->completed, 2);
    assert_int_equal(st->status[0], 2);
    assert_int_equal(st->last_len, sizeof(id));
    assert_memory_equal(st->last_data, id, sizeof(id));
}

/* Sectors past the end, a partial sector, an unknown type: answers, not a broken device. */
static void test_blk_errors(void **state)
{
    const VirtioFuzzStats *st;

    start("virtio-blk");
    /* Sector 0xc3 & 7 = 3 from the end - 4: two sectors at 127 run past 128. */
    RUN(SETUP, BLK(T_IN, 0xc3, 1, 0, SH_DIRECT), BLK(T_IN, 0, 0xc0, 0, SH_DIRECT),
        BLK(0x07, 0, 0, 0, SH_DIRECT), 0x77, 0x00, 0x00, 0x00);
    st = virtio_fuzz_stats();
    assert_int_equal(st->completed, 3);
    assert_int_equal(st->status[1], 2); /* IOERR: out of the disk, not whole sectors */
    assert_int_equal(st->status[2], 1); /* UNSUPP: type 0x77 */
    assert_int_equal(st->needs_reset, 0);
}

static void test_rng(void **state)
{
    const VirtioFuzzStats *st;
    uint8_t first[64], zero[64] = {0};

    start("virtio-rng");
    RUN(SETUP, RNG1(64, SH_DIRECT));
    st = virtio_fuzz_stats();
    assert_int_equal(st->completed, 1);
    assert_int_equal(st->last_used_len, 64);
    assert_int_equal(st->rng_bytes, 64);
    assert_int_equal(st->last_len, 64);
    assert_memory_not_equal(st->last_data, zero, 64);
    memcpy(first, st->last_data, sizeof(first));

    /* The stream is back where it was after the reset: the same bytes again. */
    RUN(SETUP, RNG1(64, SH_DIRECT));
    assert_memory_equal(st->last_data, first, sizeof(first));
    /* The second request of an input gets the bytes that follow. */
    RUN(SETUP, RNG1(64, SH_DIRECT), RNG1(64, SH_INDIRECT));
    assert_int_equal(st->completed, 4);
    assert_memory_not_equal(st->last_data, first, sizeof(first));
    finish();

    start("virtio-rng-legacy");
    RUN(SETUP, RNG1(300, SH_SPLIT));
    assert_int_equal(st->completed, 1);
    assert_int_equal(st->last_used_len, 300);
}

/* ---- chains the device must refuse ------------------------------------------------------- */

/*
 * bad (the request bytes of a chain the device must refuse) breaks the
 * device: no used entry and, on a modern transport, DEVICE_NEEDS_RESET;
 * a new set-up then makes good a request work again.
 */
static void check_refused(const char *target, const uint8_t *bad, size_t bad_len,
                          const uint8_t *good, size_t good_len, bool modern)
{
    const VirtioFuzzStats *st;
    GByteArray *in = g_byte_array_new();
    static const uint8_t setup[] = {SETUP}, resetup[] = {CMD_RESETUP, SETUP};

    start(target);
    g_byte_array_append(in, setup, sizeof(setup));
    g_byte_array_append(in, bad, (guint)bad_len);
    run(in->data, in->len);
    st = virtio_fuzz_stats();
    assert_int_equal(st->requests, 1);
    assert_int_equal(st->completed, 0);
    assert_int_equal(st->needs_reset, modern ? 1 : 0);

    g_byte_array_append(in, resetup, sizeof(resetup));
    g_byte_array_append(in, good, (guint)good_len);
    run(in->data, in->len);
    assert_int_equal(st->requests, 3);
    assert_int_equal(st->completed, 1);
    assert_int_equal(st->needs_reset, modern ? 1 : 0); /* only the first input's */
    g_byte_array_free(in, TRUE);
    finish();
}

static void test_refused_chains(void **state)
{
    static const uint8_t blk_good[] = {BLK(T_IN, 1, 0, 0, SH_DIRECT)};
    static const uint8_t rng_good[] = {RNG1(16, SH_DIRECT)};
    static const uint8_t blk_bad[][8] = {
        {BLK(T_IN, 1, 0, 0, SH_LOOP)},
        {BLK(T_IN, 1, 0, 0, SH_LOOP | SH_TO_ITSELF)},
        {BLK(T_OUT, 1, 0, 0, SH_LOOP)},
        {BLK(T_IN, 1, 0, 0, SH_BAD), BAD_ADDRESS, AT_UART(1)},  /* data into the UART */
        {BLK(T_OUT, 1, 0, 0, SH_BAD), BAD_ADDRESS, AT_UART(1)}, /* data from it */
        {BLK(T_IN, 1, 0, 0, SH_BAD), BAD_ADDRESS, PAST_RAM(1)}, /* data past RAM */
        {BLK(T_IN, 1, 0, 0, SH_BAD), BAD_ADDRESS, PAST_RAM(0)}, /* header past RAM */
        {BLK(T_IN, 1, 0, 0, SH_BAD), BAD_ADDRESS, PAST_RAM(2)}, /* status past RAM */
        {BLK(T_IN, 1, 0, 0, SH_BAD), 0 /* short header */, 7},
        {BLK(T_IN, 1, 0, 0, SH_BAD), 6 /* indirect in indirect */, 0},
    };
    static const uint8_t rng_bad[][8] = {
        {RNG1(16, SH_LOOP)},
        {RNG1(16, SH_BAD), BAD_ADDRESS, AT_UART(0)},
        {RNG1(16, SH_BAD), BAD_ADDRESS, PAST_RAM(0)},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(blk_bad); i++) {
        size_t len = blk_bad[i][5] == SH_BAD ? 8 : 6;
        check_refused("virtio-blk", blk_bad[i], len, blk_good, sizeof(blk_good), true);
        check_refused("virtio-blk-legacy", blk_bad[i], len, blk_good, sizeof(blk_good), false);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(rng_bad); i++) {
        size_t len = rng_bad[i][4] == SH_BAD ? 7 : 5;
        check_refused("virtio-rng", rng_bad[i], len, rng_good, sizeof(rng_good), true);
        check_refused("virtio-rng-legacy", rng_bad[i], len, rng_good, sizeof(rng_good), false);
    }
}

/*
 * Buffers over the rings or over the chain's own header: the device may
 * write where the driver keeps its rings, but the run ends cleanly and a
 * new set-up reads the disk correctly.
 */
static void test_overlapping_chains(void **state)
{
    const VirtioFuzzStats *st;

    start("virtio-blk");
    for (uint8_t over = 0; over < 4; over++) {
        uint8_t input[] = {SETUP, BLK(T_IN, 2, 1, 0, SH_BAD),   BAD_OVERLAP, over, CMD_RESETUP,
                           SETUP, BLK(T_IN, 6, 0, 0, SH_DIRECT)};

        run(input, sizeof(input));
        st = virtio_fuzz_stats();
        assert_int_equal(st->last_status, 0);
        assert_int_equal(st->last_len, 512);
        for (size_t i = 0; i < 512; i++) {
            assert_int_equal(st->last_data[i], virtio_fuzz_image_byte(6 * 512 + i));
        }
    }
    assert_int_equal(virtio_fuzz_stats()->inputs, 4);
}

/* An indirect chain of 1024 one-byte buffers is served; one of 1025 breaks the device. */
static void test_long_chains(void **state)
{
    const VirtioFuzzStats *st;

    start("virtio-rng");
    RUN(SETUP, RNG1(16, SH_BAD), BAD_LONG_CHAIN, 24);
    st = virtio_fuzz_stats();
    assert_int_equal(st->completed, 1);
    assert_int_equal(st->last_used_len, 1024);
    assert_int_equal(st->needs_reset, 0);
    RUN(SETUP, RNG1(16, SH_BAD), BAD_LONG_CHAIN, 25);
    assert_int_equal(st->requests, 2);
    assert_int_equal(st->completed, 1);
    assert_int_equal(st->needs_reset, 1);
}

/* Rings at a bad address: the queue never works, and nothing crashes. */
static void test_bad_rings(void **state)
{
    const VirtioFuzzStats *st;

    start("virtio-blk");
    for (uint8_t which = 0; which < 3; which++) {
        for (uint8_t addr = 0; addr < 8; addr++) {
            uint8_t input[] = {0x00, 0x07, (uint8_t)(addr << 2 | which),
                               BLK(T_IN, 1, 0, 0, SH_DIRECT)};
            run(input, sizeof(input));
        }
    }
    st = virtio_fuzz_stats();
    assert_int_equal(st->inputs, 24);
    assert_int_equal(st->completed, 0);
}

/* ---- reset proofs ------------------------------------------------------------------------ */

typedef struct Outcome {
    GString *transcript;
    char *digest;
    uint64_t completed, status0;
    uint8_t data[64];
} Outcome;

static Outcome outcome_of(const uint8_t *data, size_t size)
{
    const VirtioFuzzStats *st = virtio_fuzz_stats();
    uint64_t completed = st->completed, status0 = st->status[0];
    Outcome o;

    run(data, size);
    o.transcript = fuzz_trace_transcript();
    o.digest = g_strdup(fuzz_last_digest());
    o.completed = st->completed - completed;
    o.status0 = st->status[0] - status0;
    memcpy(o.data, st->last_data, sizeof(o.data));
    return o;
}

static void assert_same_outcome(const Outcome *a, const Outcome *b)
{
    assert_string_equal(a->transcript->str, b->transcript->str);
    assert_non_null(a->digest);
    assert_string_equal(a->digest, b->digest);
    assert_int_equal(a->completed, b->completed);
    assert_int_equal(a->status0, b->status0);
    assert_memory_equal(a->data, b->data, sizeof(a->data));
}

static void outcome_free(Outcome *o)
{
    g_string_free(o->transcript, TRUE);
    g_free(o->digest);
}

static void check_reset_proofs(const char *target, const uint8_t *a, size_t a_len, const uint8_t *b,
                               size_t b_len)
{
    Outcome b_alone, b_again, a_out, b_after_a;

    start(target);
    fuzz_trace_set_recording(true);
    fuzz_set_digest(true);
    b_alone = outcome_of(b, b_len);
    assert_true(b_alone.completed > 0);
    assert_true(b_alone.transcript->len > 0);
    b_again = outcome_of(b, b_len);
    assert_same_outcome(&b_alone, &b_again);
    a_out = outcome_of(a, a_len);
    /* A leaves something different behind before the restore. */
    assert_string_not_equal(a_out.digest, b_alone.digest);
    b_after_a = outcome_of(b, b_len);
    assert_same_outcome(&b_alone, &b_after_a);
    outcome_free(&b_alone);
    outcome_free(&b_again);
    outcome_free(&a_out);
    outcome_free(&b_after_a);
    finish();
}

static void test_reset_proofs(void **state)
{
    /* A writes the sectors B reads, breaks the device and leaves the ISR set. */
    static const uint8_t blk_a[] = {SETUP,
                                    BLK(T_OUT, 4, 3, 0x99, SH_DIRECT),
                                    BLK(T_OUT, 8, 0, 0x17, SH_INDIRECT),
                                    11,
                                    32,
                                    1,
                                    0,
                                    0,
                                    0,
                                    0, /* wce := 0 */
                                    BLK(T_IN, 1, 0, 0, SH_LOOP)};
    static const uint8_t blk_b[] = {SETUP, BLK(T_IN, 4, 7, 0, SH_DIRECT),
                                    BLK(T_OUT, 6, 0, 0x33, SH_SPLIT)};
    static const uint8_t rng_a[] = {SETUP, RNG1(100, SH_DIRECT), RNG1(4000, SH_INDIRECT),
                                    RNG1(8, SH_LOOP)};
    static const uint8_t rng_b[] = {SETUP, RNG1(64, SH_DIRECT), RNG1(64, SH_SPLIT)};

    check_reset_proofs("virtio-blk", blk_a, sizeof(blk_a), blk_b, sizeof(blk_b));
    check_reset_proofs("virtio-blk-legacy", blk_a, sizeof(blk_a), blk_b, sizeof(blk_b));
    check_reset_proofs("virtio-rng", rng_a, sizeof(rng_a), rng_b, sizeof(rng_b));
    check_reset_proofs("virtio-rng-legacy", rng_a, sizeof(rng_a), rng_b, sizeof(rng_b));
}

/* Through the in-process server's text protocol the input does exactly the same. */
static void test_serialized_equals_direct(void **state)
{
    static const uint8_t blk[] = {SETUP, BLK(T_OUT, 2, 1, 0x70, SH_INDIRECT),
                                  BLK(T_IN, 2, 1, 0, SH_SPLIT), BLK(T_IN, 1, 0, 0, SH_LOOP)};
    static const uint8_t rng[] = {SETUP, RNG1(100, SH_DIRECT), RNG1(100, SH_INDIRECT)};
    static const struct {
        const char *target;
        const uint8_t *input;
        size_t len;
    } cases[] = {
        {"virtio-blk", blk, sizeof(blk)},
        {"virtio-blk-legacy", blk, sizeof(blk)},
        {"virtio-rng", rng, sizeof(rng)},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Outcome direct, serialized;

        start(cases[i].target);
        fuzz_trace_set_recording(true);
        fuzz_set_digest(true);
        direct = outcome_of(cases[i].input, cases[i].len);
        fuzz_set_serialize(true);
        serialized = outcome_of(cases[i].input, cases[i].len);
        fuzz_set_serialize(false);
        assert_true(direct.completed > 0);
        assert_same_outcome(&direct, &serialized);
        outcome_free(&direct);
        outcome_free(&serialized);
        finish();
    }
}

/* Every corpus file runs clean with the whole machine compared after each restore. */
static void check_corpus(const char *target, const char *dir_name)
{
    const char *root = g_getenv("TERN_SOURCE_ROOT");
    g_autofree char *dir = NULL;
    GDir *d;
    const char *name;
    unsigned files = 0;

    assert_non_null(root);
    dir = g_build_filename(root, "corpora", dir_name, NULL);
    d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    start(target);
    fuzz_set_check_reset(true);
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        g_autofree char *data = NULL;
        gsize len;

        if (g_str_has_suffix(name, ".dict")) {
            continue;
        }
        path = g_build_filename(dir, name, NULL);
        assert_true(g_file_get_contents(path, &data, &len, NULL));
        run((const uint8_t *)data, len);
        files++;
    }
    g_dir_close(d);
    assert_true(files >= 3);
    /* The seeds reach the device: every one completes a request. */
    assert_int_equal(virtio_fuzz_stats()->inputs_completed, files);
    fuzz_set_check_reset(false);
    finish();
}

static void test_corpus_reset_check(void **state)
{
    check_corpus("virtio-blk", "virtio-blk");
    check_corpus("virtio-blk-legacy", "virtio-blk");
    check_corpus("virtio-rng", "virtio-rng");
    check_corpus("virtio-rng-legacy", "virtio-rng");
}

/* ---- the trace replays ------------------------------------------------------------------ */

/*
 * The replies of a transcript, in order: the lines that are not requests
 * (fuzz.h describes them as "# => reply"; fuzz.c writes the bare reply on
 * the line after its request; either is taken).
 */
static GPtrArray *transcript_replies(const char *transcript)
{
    g_auto(GStrv) lines = g_strsplit(transcript, "\n", -1);
    GPtrArray *replies = g_ptr_array_new_with_free_func(g_free);

    for (char **l = lines; *l; l++) {
        const char *reply = g_str_has_prefix(*l, "# => ") ? *l + strlen("# => ") : *l;

        if (g_str_has_prefix(reply, "OK") || g_str_has_prefix(reply, "FAIL") ||
            g_str_has_prefix(reply, "ERR")) {
            g_ptr_array_add(replies, g_strdup(reply));
        }
    }
    return replies;
}

/*
 * Runs "tern ARGS -qtest stdio" with the trace on its stdin and returns its
 * first n reply lines.  Tern keeps running at EOF (as QEMU does), so it is
 * ended once they are in; a reply that does not come within 30 s fails.
 */
static GPtrArray *replay(const char *args, const char *trace_path, guint n)
{
    const char *build = g_getenv("TERN_BUILD_ROOT");
    g_autofree char *tern_path = NULL, *tern = NULL, *quoted_trace = NULL, *sh = NULL;
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    GString *pending = g_string_new(NULL);
    GError *gerr = NULL;
    GPid pid;
    int out, status;

    assert_non_null(build);
    tern_path = g_build_filename(build, "tern", NULL);
    tern = g_shell_quote(tern_path);
    quoted_trace = g_shell_quote(trace_path);
    sh = g_strdup_printf("exec %s %s -qtest stdio -qtest-log none < %s", tern, args, quoted_trace);
    if (!g_spawn_async_with_pipes(NULL, (char *[]){"/bin/sh", "-c", sh, NULL}, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out, NULL,
                                  &gerr)) {
        fail_msg("cannot run %s: %s", tern_path, gerr->message);
    }
    while (lines->len < n) {
        struct pollfd p = {.fd = out, .events = POLLIN};
        char buf[65536];
        ssize_t got;
        char *nl;

        if (poll(&p, 1, 30000) <= 0) {
            break;
        }
        got = read(out, buf, sizeof(buf));
        if (got <= 0) {
            break;
        }
        g_string_append_len(pending, buf, got);
        while ((nl = strchr(pending->str, '\n'))) {
            g_ptr_array_add(lines, g_strndup(pending->str, (gsize)(nl - pending->str)));
            g_string_erase(pending, 0, nl - pending->str + 1);
        }
    }
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    g_spawn_close_pid(pid);
    close(out);
    g_string_free(pending, TRUE);
    return lines;
}

/*
 * An input's trace, fed to a fresh "tern <the target's command line>
 * -qtest stdio", gets the replies the input got in-process, line for line:
 * the reads of the used ring, the status byte and the data included.
 */
static void check_replay(const char *target, const uint8_t *data, size_t size)
{
    FuzzTarget *t = start(target);
    g_autoptr(GString) cmdline = t->get_init_cmdline(t);
    g_autoptr(GString) requests = NULL;
    g_autoptr(GString) transcript = NULL;
    g_autoptr(GPtrArray) want = NULL;
    g_autoptr(GPtrArray) got = NULL;
    g_autofree char *trace_path = NULL;
    GError *gerr = NULL;
    int fd;

    fuzz_trace_set_recording(true);
    run(data, size);
    requests = fuzz_trace_requests();
    transcript = fuzz_trace_transcript();
    want = transcript_replies(transcript->str);
    assert_true(want->len > 20);

    fd = g_file_open_tmp("tern-virtio-trace-XXXXXX", &trace_path, &gerr);
    assert_true(fd >= 0);
    close(fd);
    assert_true(g_file_set_contents(trace_path, requests->str, (gssize)requests->len, &gerr));
    /* The command line's words after argv[0]. */
    got = replay(strchr(cmdline->str, ' ') + 1, trace_path, want->len);
    g_unlink(trace_path);
    assert_int_equal(got->len, want->len);
    for (guint i = 0; i < want->len; i++) {
        assert_string_equal(g_ptr_array_index(got, i), g_ptr_array_index(want, i));
    }
    finish();
}

static void test_trace_replays(void **state)
{
    static const uint8_t blk[] = {SETUP, BLK(T_OUT, 3, 1, 0x51, SH_DIRECT),
                                  BLK(T_IN, 3, 2, 0, SH_INDIRECT), BLK(T_GETID, 0, 0, 0, SH_SPLIT),
                                  BLK(T_IN, 1, 0, 0, SH_LOOP)};
    static const uint8_t rng[] = {SETUP, RNG1(32, SH_DIRECT), RNG1(200, SH_SPLIT)};

    check_replay("virtio-blk", blk, sizeof(blk));
    check_replay("virtio-blk-legacy", blk, sizeof(blk));
    check_replay("virtio-rng", rng, sizeof(rng));
    check_replay("virtio-rng-legacy", rng, sizeof(rng));
}

/* ---- random inputs ----------------------------------------------------------------------- */

/*
 * A few thousand random inputs (fixed seed): none crashes or hangs, and most
 * set the queue up well enough that a request completes and reaches the back
 * end (the format makes the common byte values the well-formed choices).
 */
static void check_random(const char *target, double min_completed, double min_backend)
{
    GRand *rand = g_rand_new_with_seed(9);
    const VirtioFuzzStats *st;
    uint8_t buf[RANDOM_MAX_SIZE];

    start(target);
    for (unsigned i = 0; i < RANDOM_INPUTS; i++) {
        size_t len = (size_t)g_rand_int_range(rand, 0, RANDOM_MAX_SIZE + 1);

        for (size_t j = 0; j < len; j++) {
            buf[j] = (uint8_t)g_rand_int(rand);
        }
        run(buf, len);
    }
    g_rand_free(rand);
    st = virtio_fuzz_stats();
    print_message("# %s: %" PRIu64 " inputs, %" PRIu64 " requests, %" PRIu64
                  " completed; inputs completing one %" PRIu64 ", reaching the back end %" PRIu64
                  ", ending with NEEDS_RESET %" PRIu64 "\n",
                  target, st->inputs, st->requests, st->completed, st->inputs_completed,
                  st->inputs_backend, st->needs_reset);
    assert_int_equal(st->inputs, RANDOM_INPUTS);
    assert_true(st->inputs_completed >= min_completed * RANDOM_INPUTS);
    assert_true(st->inputs_backend >= min_backend * RANDOM_INPUTS);
    finish();
}

static void test_random_inputs(void **state)
{
    check_random("virtio-blk", 0.7, 0.55);
    check_random("virtio-blk-legacy", 0.7, 0.55);
    check_random("virtio-rng", 0.7, 0.7);
    check_random("virtio-rng-legacy", 0.7, 0.7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_slot_probed, stop),
        cmocka_unit_test_teardown(test_blk_write_read, stop),
        cmocka_unit_test_teardown(test_blk_write_undone, stop),
        cmocka_unit_test_teardown(test_blk_read_in_trace, stop),
        cmocka_unit_test_teardown(test_blk_flush_get_id, stop),
        cmocka_unit_test_teardown(test_blk_errors, stop),
        cmocka_unit_test_teardown(test_rng, stop),
        cmocka_unit_test_teardown(test_refused_chains, stop),
        cmocka_unit_test_teardown(test_overlapping_chains, stop),
        cmocka_unit_test_teardown(test_long_chains, stop),
        cmocka_unit_test_teardown(test_bad_rings, stop),
        cmocka_unit_test_teardown(test_reset_proofs, stop),
        cmocka_unit_test_teardown(test_serialized_equals_direct, stop),
        cmocka_unit_test_teardown(test_corpus_reset_check, stop),
        cmocka_unit_test_teardown(test_trace_replays, stop),
        cmocka_unit_test_teardown(test_random_inputs, stop),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
