/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-vl.c - start-up through tern_init(): help options, the phases, what
 * each option does to the machine, config files, -writeconfig round trips,
 * devices from -device and -global, and the main loop's exit paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/accel.h"
#include "core/machine.h"
#include "core/main-loop.h"
#include "core/object.h"
#include "core/phase.h"
#include "core/runstate.h"
#include "core/tern.h"
#include "core/timer.h"
#include "core/vl.h"
#include "tests/support/log-capture.h"
#include "tests/support/test-device.h"
#include "tests/support/tmpdir.h"

#define ARGV(...) ((char *[]){"tern", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"tern", __VA_ARGS__}) / sizeof(char *)))
#define INIT(...) tern_init(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &error_abort)

static int setup(void **state)
{
    /* No user config file leaks in from the machine running the tests. */
    g_setenv("TERN_CONFIG", "/nonexistent/tern.conf", TRUE);
    return 0;
}

static int teardown(void **state)
{
    tern_cleanup();
    return 0;
}

/* Runs tern_init on argv with stdout captured; returns the text printed. */
static char *init_capturing(int argc, char **argv, TernInitResult expect)
{
    TernInitResult r;

    capture_stdout_begin();
    r = tern_init(argc, argv, &error_abort);
    char *text = capture_stdout_end();
    assert_int_equal(r, expect);
    return text;
}

#define HELP_OUTPUT(...) init_capturing(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), TERN_INIT_DONE)

static void test_version_prints_and_stops(void **state)
{
    char *out = HELP_OUTPUT("-version");

    assert_true(g_str_has_prefix(out, "Tern emulator version " TERN_VERSION "\n"));
    assert_int_equal(phase_get(), PHASE_NO_MACHINE);
    g_free(out);
}

static void test_help_lists_every_option(void **state)
{
    static const char *const options[] = {
        "-machine",     "-m ",           "-smp",       "-accel",       "-cpu",
        "-bios",        "-kernel",       "-initrd",    "-append",      "-dtb",
        "-drive",       "-device",       "-chardev",   "-serial",      "-rtc",
        "-icount",      "-qtest ",       "-qtest-log", "-display",     "-nographic",
        "-nodefaults",  "-S ",           "-no-reboot", "-no-shutdown", "-readconfig",
        "-writeconfig", "-nouserconfig", "-object",    "-global",      "-D ",
        "-d ",          "-version",      "-h "};
    char *out = HELP_OUTPUT("-h");

    assert_true(g_str_has_prefix(out, "usage: tern [options]"));
    for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
        if (!strstr(out, options[i])) {
            print_error("usage lacks '%s'\n", options[i]);
            fail();
        }
    }
    g_free(out);
}

static void test_help_wins_over_later_options(void **state)
{
    /* The first pass sees -h before the second pass could refuse -m 12Q. */
    char *out = HELP_OUTPUT("-m", "12Q", "-help");

    assert_non_null(strstr(out, "usage:"));
    g_free(out);
}

static void test_machine_help_lists_none_and_virt(void **state)
{
    char *out = HELP_OUTPUT("-M", "help");

    assert_non_null(strstr(out, "none "));
    assert_non_null(strstr(out, "virt "));
    assert_non_null(strstr(out, "RISC-V VirtIO board (default)"));
    assert_true(strstr(out, "none ") < strstr(out, "virt "));
    g_free(out);
}

static void test_machine_properties_help(void **state)
{
    char *out = HELP_OUTPUT("-machine", "virt,help");

    assert_non_null(strstr(out, "virt-machine options:"));
    assert_non_null(strstr(out, "kernel=<string>"));
    g_free(out);
}

static void test_device_help_lists_user_creatable_devices(void **state)
{
    char *out = HELP_OUTPUT("-device", "help");

    assert_non_null(strstr(out, "name \"test-device\", desc \"device for start-up tests\""));
    g_free(out);
}

static void test_device_properties_help(void **state)
{
    char *out = HELP_OUTPUT("-device", "test-device,help");

    assert_non_null(strstr(out, "test-device options:"));
    assert_non_null(strstr(out, "level=<uint32>"));
    assert_non_null(strstr(out, "flag=<bool>"));
    assert_non_null(strstr(out, "label=<str>"));
    /* Sorted by name. */
    assert_true(strstr(out, "flag=") < strstr(out, "label=") &&
                strstr(out, "label=") < strstr(out, "level="));
    g_free(out);
}

static void test_accel_help_lists_interp_and_qtest(void **state)
{
    char *out = HELP_OUTPUT("-accel", "help");

    assert_non_null(strstr(out, "interp "));
    assert_non_null(strstr(out, "qtest "));
    g_free(out);
}

static void test_log_help_lists_items(void **state)
{
    char *out = HELP_OUTPUT("-d", "help");

    assert_non_null(strstr(out, "guest_errors"));
    assert_non_null(strstr(out, "unimp"));
    g_free(out);
}

static void test_cpu_help_lists_rv64(void **state)
{
    char *out = HELP_OUTPUT("-cpu", "help");

    assert_non_null(strstr(out, "rv64"));
    g_free(out);
}

static void test_default_machine_is_virt_with_128M(void **state)
{
    assert_int_equal(INIT("-nouserconfig"), TERN_INIT_RUN);
    assert_int_equal(phase_get(), PHASE_MACHINE_READY);
    assert_string_equal(object_get_typename(OBJECT(machine_current())), "virt-machine");
    assert_int_equal(machine_current()->ram_size, 128 << 20);
    assert_int_equal(machine_current()->smp.cpus, 1);
    assert_string_equal(machine_current()->cpu_type, "rv64");
    assert_ptr_equal(object_resolve_path("/machine", NULL), OBJECT(machine_current()));
}

static void test_machine_runs_unless_S(void **state)
{
    assert_int_equal(INIT("-M", "none"), TERN_INIT_RUN);
    assert_true(runstate_is_running());
    tern_cleanup();
    assert_int_equal(INIT("-M", "none", "-S"), TERN_INIT_RUN);
    assert_false(runstate_is_running());
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
}

static void test_memory_sizes(void **state)
{
    static const struct {
        const char *arg;
        uint64_t size;
    } cases[] = {
        {"256", 256ull << 20},       {"256M", 256ull << 20}, {"1G", 1ull << 30},
        {"size=512M", 512ull << 20}, {"4096k", 4ull << 20},  {"1.5G", 3ull << 29},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *argv[] = {"tern", "-m", (char *)cases[i].arg, NULL};
        assert_int_equal(tern_init(3, argv, &error_abort), TERN_INIT_RUN);
        assert_int_equal(machine_current()->ram_size, cases[i].size);
        tern_cleanup();
    }
}

static void test_smp_topology_is_derived(void **state)
{
    assert_int_equal(INIT("-smp", "4,sockets=2"), TERN_INIT_RUN);
    assert_int_equal(machine_current()->smp.cpus, 4);
    assert_int_equal(machine_current()->smp.sockets, 2);
    assert_int_equal(machine_current()->smp.cores, 2);
    assert_int_equal(machine_current()->smp.threads, 1);
    assert_int_equal(machine_current()->smp.max_cpus, 4);
    tern_cleanup();
    assert_int_equal(INIT("-smp", "2,maxcpus=8"), TERN_INIT_RUN);
    assert_int_equal(machine_current()->smp.cpus, 2);
    assert_int_equal(machine_current()->smp.max_cpus, 8);
}

static void test_accel_default_and_choice(void **state)
{
    assert_int_equal(INIT("-M", "none"), TERN_INIT_RUN);
    assert_string_equal(accel_current()->name, "interp");
    tern_cleanup();
    assert_int_equal(INIT("-M", "none", "-accel", "qtest"), TERN_INIT_RUN);
    assert_string_equal(accel_current()->name, "qtest");
    assert_int_equal(phase_get(), PHASE_MACHINE_READY);
}

static void test_machine_options_merge(void **state)
{
    char *path = tmpfile_new("tern-kernel-XXXXXX", "", 0);

    assert_int_equal(INIT("-M", "virt", "-kernel", path, "-append", "console=ttyS0,115200"),
                     TERN_INIT_RUN);
    assert_string_equal(machine_current()->kernel, path);
    /* ",," in -append's value is not needed: -append sets the key directly. */
    assert_string_equal(machine_current()->append, "console=ttyS0,115200");
    tmpfile_remove(path);
}

static TestDevice *find_test_device(const char *path)
{
    Object *obj = object_resolve_path_type(path, TYPE_TEST_DEVICE, NULL);

    return obj ? TEST_DEVICE(obj) : NULL;
}

static void test_device_with_id_goes_to_peripheral(void **state)
{
    TestDevice *td;

    assert_int_equal(INIT("-M", "none", "-device", "test-device,id=t0,level=7,flag=on,label=x"),
                     TERN_INIT_RUN);
    td = find_test_device("/machine/peripheral/t0");
    assert_non_null(td);
    assert_int_equal(td->level, 7);
    assert_true(td->flag);
    assert_string_equal(td->label, "x");
    assert_true(td->parent_obj.realized);
    assert_int_equal(td->realize_count, 1);
    /* System reset at PHASE_MACHINE_READY reset it once. */
    assert_int_equal(td->reset_count, 1);
    assert_string_equal(td->parent_obj.id, "t0");
}

static void test_anonymous_devices_are_numbered(void **state)
{
    assert_int_equal(INIT("-M", "none", "-device", "test-device", "-device", "test-device"),
                     TERN_INIT_RUN);
    assert_non_null(find_test_device("/machine/peripheral-anon/device[0]"));
    assert_non_null(find_test_device("/machine/peripheral-anon/device[1]"));
    assert_null(find_test_device("/machine/peripheral-anon/device[2]"));
}

static void test_global_sets_device_default(void **state)
{
    assert_int_equal(INIT("-M", "none", "-global", "test-device.level=9", "-device",
                          "test-device,id=a", "-device", "test-device,id=b,level=4"),
                     TERN_INIT_RUN);
    assert_int_equal(find_test_device("/machine/peripheral/a")->level, 9);
    assert_int_equal(find_test_device("/machine/peripheral/b")->level, 4);
}

static void test_device_errors_name_the_option(void **state)
{
    Error *err = NULL;
    char *argv[] = {"tern", "-M", "none", "-device", "test-device,id=t9,level=500", NULL};

    assert_int_equal(tern_init(5, argv, &err), TERN_INIT_ERROR);
    assert_non_null(strstr(error_get_pretty(err), "-device "));
    assert_non_null(strstr(error_get_pretty(err), "level 500 is above 100"));
    error_free(err);
    /* Nothing of the failed device remains attached. */
    assert_null(object_resolve_path("/machine/peripheral/t9", NULL));
}

static void test_device_unknown_property(void **state)
{
    Error *err = NULL;
    char *argv[] = {"tern", "-M", "none", "-device", "test-device,nosuch=1", NULL};

    assert_int_equal(tern_init(5, argv, &err), TERN_INIT_ERROR);
    assert_non_null(strstr(error_get_pretty(err), "nosuch"));
    error_free(err);
}

static char *write_temp(const char *text)
{
    return tmpfile_new("tern-cfg-XXXXXX", text, -1);
}

static void test_readconfig_creates_devices_and_sets_memory(void **state)
{
    char *cfg = write_temp("# test\n[memory]\n  size = \"64M\"\n\n"
                           "[device \"cfgdev\"]\n  driver = \"test-device\"\n  level = \"11\"\n");

    assert_int_equal(INIT("-M", "none", "-readconfig", cfg), TERN_INIT_RUN);
    assert_int_equal(machine_current()->ram_size, 64 << 20);
    assert_int_equal(find_test_device("/machine/peripheral/cfgdev")->level, 11);
    tmpfile_remove(cfg);
}

static void test_command_line_overrides_config_file(void **state)
{
    char *cfg = write_temp("[memory]\n  size = \"64M\"\n");

    assert_int_equal(INIT("-readconfig", cfg, "-m", "32M"), TERN_INIT_RUN);
    assert_int_equal(machine_current()->ram_size, 32 << 20);
    tmpfile_remove(cfg);
}

static void test_user_config_file_unless_nouserconfig(void **state)
{
    char *cfg = write_temp("[memory]\n  size = \"512M\"\n");

    g_setenv("TERN_CONFIG", cfg, TRUE);
    assert_int_equal(INIT("-M", "virt"), TERN_INIT_RUN);
    assert_int_equal(machine_current()->ram_size, 512 << 20);
    tern_cleanup();
    assert_int_equal(INIT("-M", "virt", "-nouserconfig"), TERN_INIT_RUN);
    assert_int_equal(machine_current()->ram_size, 128 << 20);
    g_setenv("TERN_CONFIG", "/nonexistent/tern.conf", TRUE);
    tmpfile_remove(cfg);
}

static void test_user_config_that_is_a_directory_is_named_as_the_user_config(void **state)
{
    char *dir = tmpdir_new("tern-userconfig-XXXXXX");
    char *expected = g_strdup_printf("user config file %s: is a directory; a regular file or a "
                                     "pipe is needed",
                                     dir);
    Error *err = NULL;

    g_setenv("TERN_CONFIG", dir, TRUE);
    assert_int_equal(tern_init(ARGC("-M", "none"), ARGV("-M", "none"), &err), TERN_INIT_ERROR);
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
    g_setenv("TERN_CONFIG", "/nonexistent/tern.conf", TRUE);
    g_free(expected);
    tmpdir_remove(dir);
}

static void test_writeconfig_round_trip(void **state)
{
    char *dir = tmpdir_new("tern-wc-XXXXXX");
    char *first = g_build_filename(dir, "first.cfg", NULL);
    char *second = g_build_filename(dir, "second.cfg", NULL);
    char *a = NULL, *b = NULL;
    MachineState saved;

    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-m", "96M", "-smp", "1", "-S",
                          "-no-reboot", "-rtc", "base=2024-02-29T12:00:00,clock=vm", "-icount",
                          "shift=3", "-serial", "null", "-chardev", "null,id=c0", "-d",
                          "guest_errors", "-global", "test-device.label=with,,comma", "-device",
                          "test-device,id=t0,level=5", "-writeconfig", first),
                     TERN_INIT_RUN);
    saved = *machine_current();
    assert_int_equal(find_test_device("/machine/peripheral/t0")->level, 5);
    assert_string_equal(find_test_device("/machine/peripheral/t0")->label, "with,comma");
    tern_cleanup();

    assert_int_equal(INIT("-nouserconfig", "-readconfig", first, "-writeconfig", second),
                     TERN_INIT_RUN);
    assert_int_equal(machine_current()->ram_size, saved.ram_size);
    assert_int_equal(machine_current()->smp.cpus, saved.smp.cpus);
    assert_string_equal(object_get_typename(OBJECT(machine_current())), "none-machine");
    assert_false(runstate_is_running());
    assert_int_equal(find_test_device("/machine/peripheral/t0")->level, 5);
    assert_string_equal(find_test_device("/machine/peripheral/t0")->label, "with,comma");

    assert_true(g_file_get_contents(first, &a, NULL, NULL));
    assert_true(g_file_get_contents(second, &b, NULL, NULL));
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "[device \"t0\"]"));
    assert_non_null(strstr(a, "[memory]"));
    g_free(a);
    g_free(b);
    g_free(first);
    g_free(second);
    tmpdir_remove(dir);
}

static void test_writeconfig_to_stdout(void **state)
{
    char *out = init_capturing(ARGC("-M", "none", "-m", "64M", "-writeconfig", "-"),
                               ARGV("-M", "none", "-m", "64M", "-writeconfig", "-"), TERN_INIT_RUN);

    assert_non_null(strstr(out, "[machine]"));
    assert_non_null(strstr(out, "type = \"none\""));
    assert_non_null(strstr(out, "size = \"64M\""));
    g_free(out);
}

static void request_shutdown(void *opaque)
{
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 3);
}

static void test_main_loop_warps_to_timer_and_exits_with_code(void **state)
{
    Timer *t;
    int status;

    assert_int_equal(INIT("-M", "none"), TERN_INIT_RUN);
    t = timer_new_ns(CLOCK_VIRTUAL, request_shutdown, NULL);
    timer_mod_ns(t, 1000000);
    status = tern_main_loop();
    assert_int_equal(status, 3);
    /* interp with idle harts warps the virtual clock straight to the deadline. */
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 1000000);
    timer_free(t);
}

static void test_system_reset_resets_devices(void **state)
{
    Timer *t;
    TestDevice *td;

    assert_int_equal(INIT("-M", "none", "-device", "test-device,id=r"), TERN_INIT_RUN);
    td = find_test_device("/machine/peripheral/r");
    assert_int_equal(td->reset_count, 1);
    t = timer_new_ns(CLOCK_VIRTUAL, request_shutdown, NULL);
    timer_mod_ns(t, 5000);
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_int_equal(tern_main_loop(), 3);
    assert_int_equal(td->reset_count, 2);
    timer_free(t);
}

static void test_no_reboot_turns_reset_into_exit(void **state)
{
    TestDevice *td;

    assert_int_equal(INIT("-M", "none", "-no-reboot", "-device", "test-device,id=r"),
                     TERN_INIT_RUN);
    td = find_test_device("/machine/peripheral/r");
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_int_equal(tern_main_loop(), 0);
    assert_int_equal(td->reset_count, 1);
}

/* ---- what start-up decided, as boards and back ends ask for it -------------------------- */

static void test_vl_answers_nographic_and_the_qtest_log(void **state)
{
    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-serial", "null"), TERN_INIT_RUN);
    assert_false(vl_nographic());
    assert_null(vl_qtest_log());
    tern_cleanup();
    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-accel", "qtest", "-qtest", "null",
                          "-qtest-log", "none", "-nographic", "-serial", "null"),
                     TERN_INIT_RUN);
    assert_true(vl_nographic());
    assert_string_equal(vl_qtest_log(), "none");
}

static void test_vl_answers_the_rtc_base_in_nanoseconds(void **state)
{
    int64_t ns = -1;

    assert_int_equal(INIT("-nouserconfig", "-M", "none"), TERN_INIT_RUN);
    assert_false(vl_rtc_base_ns(&ns));
    assert_int_equal(ns, -1);
    assert_false(vl_rtc_clock_host());
    tern_cleanup();
    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-rtc", "base=2024-02-29T12:00:00"),
                     TERN_INIT_RUN);
    assert_true(vl_rtc_base_ns(&ns));
    assert_int_equal(ns, INT64_C(1709208000) * NANOSECONDS_PER_SECOND);
    tern_cleanup();
    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-rtc", "base=2000-01-02,clock=host"),
                     TERN_INIT_RUN);
    assert_true(vl_rtc_base_ns(&ns));
    assert_int_equal(ns, INT64_C(946771200) * NANOSECONDS_PER_SECOND);
    assert_true(vl_rtc_clock_host());
}

static void test_vl_answers_rtc_base_utc_with_the_host_time(void **state)
{
    int64_t before = g_get_real_time() * 1000, ns = 0;

    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-rtc", "base=utc"), TERN_INIT_RUN);
    assert_true(vl_rtc_base_ns(&ns));
    assert_true(ns >= before);
    assert_true(ns <= g_get_real_time() * 1000);
}

static void test_virtio_drive_on_a_machine_without_virtio_is_refused(void **state)
{
    Error *err = NULL;
    char *image = tmpfile_new("tern-drive-XXXXXX", "", 0);
    char *drive = g_strdup_printf("file=%s,format=raw,if=virtio", image);
    char *argv[] = {"tern", "-nouserconfig", "-M", "none", "-drive", drive, NULL};

    assert_int_equal(tern_init(6, argv, &err), TERN_INIT_ERROR);
    assert_non_null(err);
    assert_non_null(strstr(error_get_pretty(err), "machine 'none' has no virtio bus"));
    error_free(err);
    g_free(drive);
    tmpfile_remove(image);
}

static void on_alarm(int signo)
{
    main_loop_shutdown_from_signal(SIGTERM, (int)getpid());
}

/*
 * tern_init() in-process: a shutdown signal while a server waits for its
 * first client ends start-up as a shutdown (no error, TERN_INIT_DONE), with
 * QEMU's line naming this process as the sender.
 */
static void test_signal_while_start_up_waits_is_a_shutdown(void **state)
{
    struct sigaction sa, old;
    struct itimerval in_50ms = {.it_value = {.tv_usec = 50000}};
    StreamCapture capture;
    Error *err = NULL;
    char *text, *cmdline = NULL, *expected;
    char *argv[] = {"tern", "-nouserconfig", "-M",
                    "none", "-chardev",      "socket,id=c0,host=127.0.0.1,port=0,server=on,wait=on",
                    NULL};

    assert_true(g_file_get_contents("/proc/self/cmdline", &cmdline, NULL, NULL));
    expected = g_strdup_printf("tern: terminating on signal 15 from pid %d (%s)\n", (int)getpid(),
                               cmdline);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    error_set_report_stream(stream_capture_begin(&capture));
    setitimer(ITIMER_REAL, &in_50ms, NULL);
    assert_int_equal(tern_init(6, argv, &err), TERN_INIT_DONE);
    error_set_report_stream(NULL);
    sigaction(SIGALRM, &old, NULL);
    text = stream_capture_end(&capture);
    assert_null(err);
    assert_string_equal(text, expected);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_HOST_SIGNAL);
    assert_false(runstate_shutdown_signal_pending(NULL, NULL));
    free(text);
    g_free(expected);
    g_free(cmdline);
}

/* The run ended by a signal prints the line once; under -qtest it prints nothing (QEMU). */
static void test_signal_line_is_printed_once_and_not_under_qtest(void **state)
{
    StreamCapture capture;
    char *text;

    assert_int_equal(INIT("-nouserconfig", "-M", "none"), TERN_INIT_RUN);
    main_loop_shutdown_from_signal(SIGINT, 0);
    error_set_report_stream(stream_capture_begin(&capture));
    assert_int_equal(tern_main_loop(), 0);
    error_set_report_stream(NULL);
    text = stream_capture_end(&capture);
    assert_string_equal(text, "tern: terminating on signal 2\n");
    free(text);
    tern_cleanup();

    assert_int_equal(INIT("-nouserconfig", "-M", "none", "-accel", "qtest", "-qtest", "/dev/null",
                          "-qtest-log", "none"),
                     TERN_INIT_RUN);
    main_loop_shutdown_from_signal(SIGTERM, (int)getpid());
    error_set_report_stream(stream_capture_begin(&capture));
    assert_int_equal(tern_main_loop(), 0);
    error_set_report_stream(NULL);
    text = stream_capture_end(&capture);
    assert_string_equal(text, "");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_version_prints_and_stops, teardown),
        cmocka_unit_test_teardown(test_signal_while_start_up_waits_is_a_shutdown, teardown),
        cmocka_unit_test_teardown(test_signal_line_is_printed_once_and_not_under_qtest, teardown),
        cmocka_unit_test_teardown(test_help_lists_every_option, teardown),
        cmocka_unit_test_teardown(test_help_wins_over_later_options, teardown),
        cmocka_unit_test_teardown(test_machine_help_lists_none_and_virt, teardown),
        cmocka_unit_test_teardown(test_machine_properties_help, teardown),
        cmocka_unit_test_teardown(test_device_help_lists_user_creatable_devices, teardown),
        cmocka_unit_test_teardown(test_device_properties_help, teardown),
        cmocka_unit_test_teardown(test_accel_help_lists_interp_and_qtest, teardown),
        cmocka_unit_test_teardown(test_log_help_lists_items, teardown),
        cmocka_unit_test_teardown(test_cpu_help_lists_rv64, teardown),
        cmocka_unit_test_teardown(test_default_machine_is_virt_with_128M, teardown),
        cmocka_unit_test_teardown(test_machine_runs_unless_S, teardown),
        cmocka_unit_test_teardown(test_memory_sizes, teardown),
        cmocka_unit_test_teardown(test_smp_topology_is_derived, teardown),
        cmocka_unit_test_teardown(test_accel_default_and_choice, teardown),
        cmocka_unit_test_teardown(test_machine_options_merge, teardown),
        cmocka_unit_test_teardown(test_device_with_id_goes_to_peripheral, teardown),
        cmocka_unit_test_teardown(test_anonymous_devices_are_numbered, teardown),
        cmocka_unit_test_teardown(test_global_sets_device_default, teardown),
        cmocka_unit_test_teardown(test_device_errors_name_the_option, teardown),
        cmocka_unit_test_teardown(test_device_unknown_property, teardown),
        cmocka_unit_test_teardown(test_readconfig_creates_devices_and_sets_memory, teardown),
        cmocka_unit_test_teardown(test_command_line_overrides_config_file, teardown),
        cmocka_unit_test_teardown(test_user_config_file_unless_nouserconfig, teardown),
        cmocka_unit_test_teardown(test_user_config_that_is_a_directory_is_named_as_the_user_config,
                                  teardown),
        cmocka_unit_test_teardown(test_writeconfig_round_trip, teardown),
        cmocka_unit_test_teardown(test_writeconfig_to_stdout, teardown),
        cmocka_unit_test_teardown(test_main_loop_warps_to_timer_and_exits_with_code, teardown),
        cmocka_unit_test_teardown(test_system_reset_resets_devices, teardown),
        cmocka_unit_test_teardown(test_no_reboot_turns_reset_into_exit, teardown),
        cmocka_unit_test_teardown(test_vl_answers_nographic_and_the_qtest_log, teardown),
        cmocka_unit_test_teardown(test_vl_answers_the_rtc_base_in_nanoseconds, teardown),
        cmocka_unit_test_teardown(test_vl_answers_rtc_base_utc_with_the_host_time, teardown),
        cmocka_unit_test_teardown(test_virtio_drive_on_a_machine_without_virtio_is_refused,
                                  teardown),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
