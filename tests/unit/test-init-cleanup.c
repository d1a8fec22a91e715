/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-init-cleanup.c - tern_init()/tern_cleanup() 1000 times in one process:
 * no leak (LeakSanitizer, in the sanitizer build) and no growth (the heap in
 * use after the last round equals the heap after the tenth).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <string.h>
#include <glib.h>

#include "core/memory.h"
#include "core/snapshot.h"
#include "core/tern.h"
#include "tests/support/test-device.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/allocator_interface.h>
static size_t heap_in_use(void)
{
    return __sanitizer_get_current_allocated_bytes();
}
#else
/*
 * glibc's per-thread cache and fast bins keep freed chunks counted as in
 * use, which would look like growth: meson runs this test with the cache
 * off (GLIBC_TUNABLES) and main() turns fast bins off, so the count is exact.
 */
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}
#endif

#define ROUNDS 1000

static char *good_argv[] = {"tern",
                            "-nouserconfig",
                            "-M",
                            "virt",
                            "-m",
                            "256M",
                            "-smp",
                            "2",
                            "-accel",
                            "qtest",
                            "-S",
                            "-rtc",
                            "clock=vm",
                            "-global",
                            "test-device.level=8",
                            "-device",
                            "test-device,id=t0",
                            "-device",
                            "test-device",
                            "-d",
                            "guest_errors",
                            NULL};
static char *bad_argv[] = {
    "tern", "-nouserconfig", "-M", "none", "-device", "test-device,id=t0,level=999", NULL};

/* Between init and cleanup: what a fuzzer does with each machine (snapshot.h). */
static void snapshot_round(void)
{
    uint64_t v = 0x55aa;
    char *digest;

    assert_true(snapshot_take(&error_abort));
    assert_int_equal(address_space_write(address_space_memory(), 0x80001000, &v, sizeof(v)),
                     MEMTX_OK);
    assert_true(snapshot_restore(&error_abort));
    digest = snapshot_digest(&error_abort);
    assert_int_equal(strlen(digest), 64);
    g_free(digest);
}

static void run_rounds_with(char **argv, TernInitResult expect, void (*between)(void))
{
    int argc = g_strv_length(argv);
    size_t after_warmup = 0;

    for (int i = 0; i < ROUNDS; i++) {
        Error *err = NULL;

        assert_int_equal(tern_init(argc, argv, &err), expect);
        error_free(err);
        if (between) {
            between();
        }
        tern_cleanup();
        if (i == 9) {
            after_warmup = heap_in_use();
        }
    }
    assert_int_equal(heap_in_use(), after_warmup);
}

static void run_rounds(char **argv, TernInitResult expect)
{
    run_rounds_with(argv, expect, NULL);
}

static void test_snapshot_take_restore_and_digest_1000_times(void **state)
{
    run_rounds_with(good_argv, TERN_INIT_RUN, snapshot_round);
}

static void test_good_command_line_1000_times(void **state)
{
    run_rounds(good_argv, TERN_INIT_RUN);
}

static void test_failing_command_line_1000_times(void **state)
{
    run_rounds(bad_argv, TERN_INIT_ERROR);
}

static void test_cleanup_twice_is_harmless(void **state)
{
    char *argv[] = {"tern", "-nouserconfig", "-M", "none", NULL};

    assert_int_equal(tern_init(4, argv, &error_abort), TERN_INIT_RUN);
    tern_cleanup();
    tern_cleanup();
}

int main(void)
{
#if !(defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer))
    mallopt(M_MXFAST, 0);
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_command_line_1000_times),
        cmocka_unit_test(test_failing_command_line_1000_times),
        cmocka_unit_test(test_snapshot_take_restore_and_digest_1000_times),
        cmocka_unit_test(test_cleanup_twice_is_harmless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
