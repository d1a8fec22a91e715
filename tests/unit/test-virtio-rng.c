/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virtio-rng.c - virtio-rng-device on the virt board: the default
 * deterministic source gives fixed bytes (the same on every run, however
 * the driver splits its buffers), rng-builtin's seed, rng-random reading a
 * file, /dev/urandom and a pipe that has nothing yet, buffers served only
 * after DRIVER_OK, the 64 KiB cap, saved state replaying the same bytes, and
 * bad -object / rng= values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/main-loop.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/qdev.h"
#include "core/rng.h"
#include "core/tern.h"
#include "tests/support/virtio-driver.h"
#include "tests/support/tern-argv.h"
#include "tests/support/tmpdir.h"
#include "tests/support/vmstate-test.h"

#define BASE_ARGS "-M", "virt", "-accel", "qtest", "-bios", "none"
#define INIT(...)                                                                                  \
    assert_int_equal(tern_init(TERN_ARGC(BASE_ARGS, __VA_ARGS__),                                  \
                               TERN_ARGV(BASE_ARGS, __VA_ARGS__), &error_abort),                   \
                     TERN_INIT_RUN)

#define RAM  0x80000000ull
#define RING (RAM + 0x10000)
#define BUF  (RAM + 0x100000)

/* The first 16 bytes of rng-builtin's default stream (SplitMix64, seed "tern-rng"). */
static const uint8_t default_bytes[16] = {0x81, 0x24, 0xc4, 0x99, 0x63, 0xbe, 0x74, 0x97,
                                          0x00, 0x5b, 0x55, 0x46, 0x3e, 0x0a, 0x16, 0x97};
/* ... and with seed=42. */
static const uint8_t seed42_bytes[8] = {0x95, 0x6e, 0xeb, 0x2f, 0x26, 0x32, 0xd7, 0xbd};

static VirtioDriver d;
static char *dir;

static int setup(void **state)
{
    dir = tmpdir_new("tern-vrng-XXXXXX");
    return 0;
}

static int teardown(void **state)
{
    tern_cleanup();
    tmpdir_remove(dir);
    return 0;
}

static void driver_start(void)
{
    vd_setup(&d, VD_SLOT(7), 0, 8, RING, 0xffffffff);
}

/*
 * Offers n writable buffers of len bytes (at BUF, BUF + len, ...) in one
 * notify; returns how many bytes came back in total (used lengths).
 */
static uint32_t ask(unsigned n, uint32_t len)
{
    uint16_t before = vd_used_idx(&d);
    uint32_t total = 0;

    for (unsigned i = 0; i < n; i++) {
        vd_desc(&d, i, BUF + (hwaddr)i * len, len, VD_F_WRITE, 0);
        vd_make_avail(&d, (uint16_t)i);
    }
    vd_kick(&d);
    for (uint16_t i = before; i != vd_used_idx(&d); i++) {
        uint32_t id, got;
        vd_used_elem(&d, i, &id, &got);
        total += got;
    }
    return total;
}

static uint8_t *bytes_at(hwaddr addr, size_t len)
{
    uint8_t *buf = g_malloc(len);

    vd_mem_read(&d, addr, buf, len);
    return buf;
}

/* One request for len bytes that the device fills whole: the bytes (the caller frees them). */
static uint8_t *ask_bytes(uint32_t len)
{
    assert_int_equal(ask(1, len), len);
    return bytes_at(BUF, len);
}

/* ---- rng-builtin ------------------------------------------------------------------------ */

static void test_default_source_gives_fixed_bytes(void **state)
{
    uint8_t *got;

    INIT("-device", "virtio-rng-device");
    driver_start();
    got = ask_bytes(16);
    assert_memory_equal(got, default_bytes, 16);
    g_free(got);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_non_null(
        object_resolve_path("/machine/peripheral-anon/device[0]/default-backend", NULL));
}

static uint8_t *run_and_collect(unsigned n, uint32_t len)
{
    uint8_t *got;

    INIT("-device", "virtio-rng-device");
    driver_start();
    assert_int_equal(ask(n, len), n * len);
    got = bytes_at(BUF, (size_t)n * len);
    tern_cleanup();
    return got;
}

static void test_two_runs_give_the_same_bytes_however_split(void **state)
{
    uint8_t *a = run_and_collect(3, 100);
    uint8_t *b = run_and_collect(3, 100);
    uint8_t *c = run_and_collect(1, 300);
    uint8_t *e = run_and_collect(6, 50);

    assert_memory_equal(a, b, 300);
    assert_memory_equal(a, c, 300);
    assert_memory_equal(a, e, 300);
    assert_memory_equal(a, default_bytes, 16);
    g_free(a);
    g_free(b);
    g_free(c);
    g_free(e);
}

static void test_seed_selects_another_stream(void **state)
{
    uint8_t *got;

    INIT("-object", "rng-builtin,id=r0,seed=42", "-device", "virtio-rng-device,rng=r0");
    driver_start();
    got = ask_bytes(8);
    assert_memory_equal(got, seed42_bytes, 8);
    g_free(got);
    got = (uint8_t *)object_property_print(object_resolve_path("/objects/r0", NULL), "seed",
                                           &error_abort);
    assert_string_equal((char *)got, "42");
    g_free(got);
}

static void test_bytes_continue_across_requests(void **state)
{
    uint8_t *first, *second;

    INIT("-device", "virtio-rng-device");
    driver_start();
    first = ask_bytes(8);
    second = ask_bytes(8);
    assert_memory_equal(first, default_bytes, 8);
    assert_memory_equal(second, default_bytes + 8, 8);
    g_free(first);
    g_free(second);
}

/* ---- rng-random --------------------------------------------------------------------------- */

static void test_rng_random_reads_the_named_file(void **state)
{
    char *path = g_build_filename(dir, "entropy", NULL);
    char *obj;
    uint8_t content[48], *got;

    for (int i = 0; i < 48; i++) {
        content[i] = (uint8_t)(200 - i);
    }
    assert_true(g_file_set_contents(path, (const char *)content, sizeof(content), NULL));
    obj = g_strdup_printf("rng-random,id=r0,filename=%s", path);
    INIT("-object", obj, "-device", "virtio-rng-device,rng=r0");
    driver_start();
    got = ask_bytes(32);
    assert_memory_equal(got, content, 32);
    g_free(got);
    /* Only 16 bytes are left: the buffer gets those. */
    assert_int_equal(ask(1, 32), 16);
    got = bytes_at(BUF, 16);
    assert_memory_equal(got, content + 32, 16);
    g_free(got);
    /* Exhausted: the next buffer waits, nothing is made up. */
    assert_int_equal(ask(1, 32), 0);
    assert_int_equal(vd_used_idx(&d), 2);
    g_free(obj);
    g_free(path);
}

static void test_rng_random_defaults_to_dev_urandom(void **state)
{
    uint8_t *got, zero[64] = {0};

    if (!g_file_test("/dev/urandom", G_FILE_TEST_EXISTS)) {
        skip();
    }
    INIT("-object", "rng-random,id=r0", "-device", "virtio-rng-device,rng=r0");
    got = (uint8_t *)object_property_print(object_resolve_path("/objects/r0", NULL), "filename",
                                           &error_abort);
    assert_string_equal((char *)got, "/dev/urandom");
    g_free(got);
    driver_start();
    assert_int_equal(ask(2, 64), 128);
    got = bytes_at(BUF, 64);
    assert_memory_not_equal(got, zero, 64);
    g_free(got);
}

static void test_rng_random_waits_for_a_pipe(void **state)
{
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char *obj = g_strdup_printf("rng-random,id=r0,filename=%s", fifo);
    uint8_t *got;
    int writer;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    INIT("-object", obj, "-device", "virtio-rng-device,rng=r0");
    writer = open(fifo, O_WRONLY | O_NONBLOCK);
    assert_true(writer >= 0);
    driver_start();
    assert_int_equal(ask(1, 16), 0); /* nothing in the pipe yet */
    main_loop_wait(true);
    assert_int_equal(vd_used_idx(&d), 0);
    assert_int_equal(write(writer, "0123456789", 10), 10);
    main_loop_wait(true); /* the back end is readable: the waiting buffer is served */
    assert_int_equal(vd_used_idx(&d), 1);
    got = bytes_at(BUF, 10);
    assert_memory_equal(got, "0123456789", 10);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    g_free(got);
    close(writer);
    g_free(obj);
    g_free(fifo);
}

/* ---- the queue ------------------------------------------------------------------------------ */

static void test_nothing_is_served_before_driver_ok(void **state)
{
    INIT("-device", "virtio-rng-device");
    driver_start();
    vd_writel(&d, VD_STATUS, VD_S_ACK | VD_S_DRIVER);
    assert_int_equal(ask(1, 16), 0);
    assert_int_equal(vd_used_idx(&d), 0);
    vd_writel(&d, VD_STATUS, VD_S_ACK | VD_S_DRIVER | VD_S_DRIVER_OK);
    vd_kick(&d);
    assert_int_equal(vd_used_idx(&d), 1);
}

static void test_large_buffers_get_64_kib(void **state)
{
    INIT("-device", "virtio-rng-device");
    driver_start();
    assert_int_equal(ask(1, 100 * 1024), 64 * 1024);
}

static void test_readable_buffer_gets_nothing(void **state)
{
    uint32_t id, len;

    INIT("-device", "virtio-rng-device");
    driver_start();
    vd_desc(&d, 0, BUF, 16, 0, 0);
    vd_submit(&d, 0);
    assert_int_equal(vd_used_idx(&d), 1);
    vd_used_elem(&d, 0, &id, &len);
    assert_int_equal(len, 0);
}

static void test_saved_state_replays_the_same_bytes(void **state)
{
    DeviceState *dev;
    GByteArray *saved;
    uint8_t *before, *after;

    INIT("-device", "virtio-rng-device,id=rng");
    dev = DEVICE(object_resolve_path("/machine/peripheral/rng", NULL));
    driver_start();
    assert_int_equal(ask(1, 8), 8);
    saved = vmstate_test_save_dev(dev);
    before = ask_bytes(8);
    vmstate_test_restore_dev(dev, saved);
    /* Guest memory goes back too (a whole-machine snapshot restores RAM). */
    d.avail_idx = 1;
    vd_put16(&d, d.used + 2, 1);
    after = ask_bytes(8);
    assert_memory_equal(before, after, 8);
    assert_memory_equal(after, default_bytes + 8, 8);
    g_free(before);
    g_free(after);
}

static void test_device_id_and_queue(void **state)
{
    INIT("-device", "virtio-rng-device");
    assert_int_equal(vd_get32(&d, VD_SLOT(7) + VD_DEVICE_ID), 4);
    assert_int_equal(vd_get32(&d, VD_SLOT(7) + VD_DEV_FEAT), 0x39000000);
    assert_int_equal(vd_get32(&d, VD_SLOT(7) + VD_QUEUE_NUM_MAX), 1024);
}

/* ---- bad input ---------------------------------------------------------------------------- */

static void expect_init_error(int argc, char **argv, const char *text)
{
    Error *err = NULL;

    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
    if (!strstr(error_get_pretty(err), text)) {
        fail_msg("'%s' does not contain '%s'", error_get_pretty(err), text);
    }
    error_free(err);
    tern_cleanup();
}

#define EXPECT_INIT_ERROR(text, ...)                                                               \
    expect_init_error(TERN_ARGC(BASE_ARGS, __VA_ARGS__), TERN_ARGV(BASE_ARGS, __VA_ARGS__), text)

static void test_bad_backends_are_errors(void **state)
{
    EXPECT_INIT_ERROR("no 'rng-backend' at path 'nosuch'", "-device",
                      "virtio-rng-device,rng=nosuch");
    EXPECT_INIT_ERROR("rng-random /nonexistent/rng: cannot open: No such file or directory",
                      "-object", "rng-random,id=r0,filename=/nonexistent/rng");
    EXPECT_INIT_ERROR("Parameter 'seed' expects a number", "-object",
                      "rng-builtin,id=r0,seed=many");
    EXPECT_INIT_ERROR("rng-random needs filename=", "-object", "rng-random,id=r0,filename=");
    EXPECT_INIT_ERROR("invalid object type: rng-backend", "-object", "rng-backend,id=r0");
}

static void test_backends_are_user_creatable(void **state)
{
    ObjectClass *builtin = object_class_by_name(TYPE_RNG_BUILTIN);

    INIT("-nodefaults");
    assert_non_null(builtin);
    assert_non_null(object_class_dynamic_cast(builtin, TYPE_USER_CREATABLE));
    assert_non_null(
        object_class_dynamic_cast(object_class_by_name(TYPE_RNG_RANDOM), TYPE_USER_CREATABLE));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_default_source_gives_fixed_bytes),
        T(test_two_runs_give_the_same_bytes_however_split),
        T(test_seed_selects_another_stream),
        T(test_bytes_continue_across_requests),
        T(test_rng_random_reads_the_named_file),
        T(test_rng_random_defaults_to_dev_urandom),
        T(test_rng_random_waits_for_a_pipe),
        T(test_nothing_is_served_before_driver_ok),
        T(test_large_buffers_get_64_kib),
        T(test_readable_buffer_gets_nothing),
        T(test_saved_state_replays_the_same_bytes),
        T(test_device_id_and_queue),
        T(test_bad_backends_are_errors),
        T(test_backends_are_user_creatable),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
