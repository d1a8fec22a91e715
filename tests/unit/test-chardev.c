/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-chardev.c - character back ends: null, ringbuf, file, unix and tcp
 * sockets (server and client), input flow control through the main loop,
 * connection events, the -serial spec forms, and a UART writing through
 * "-serial file:PATH" end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "core/chardev.h"
#include "core/error.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/runstate.h"
#include "core/tern.h"
#include "tests/support/log-capture.h"
#include "tests/support/tmpdir.h"

typedef struct Frontend {
    GByteArray *got;
    size_t room; /* what can_receive reports */
    int opened, closed;
} Frontend;

static size_t fe_can_receive(void *opaque)
{
    return ((Frontend *)opaque)->room;
}

static void fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Frontend *fe = opaque;

    g_byte_array_append(fe->got, buf, len);
    fe->room -= MIN(fe->room, len);
}

static void fe_event(void *opaque, ChardevEvent event)
{
    Frontend *fe = opaque;

    if (event == CHARDEV_EVENT_OPENED) {
        fe->opened++;
    } else {
        fe->closed++;
    }
}

static void attach(Chardev *chr, Frontend *fe, size_t room)
{
    ChardevFrontend f = {fe_can_receive, fe_receive, fe_event, fe};

    fe->got = g_byte_array_new();
    fe->room = room;
    assert_true(chardev_set_frontend(chr, &f, NULL));
}

static int teardown(void **state)
{
    chardev_cleanup_all();
    main_loop_cleanup();
    tern_cleanup();
    return 0;
}

/* Runs the main loop (without blocking) until cond or 2 s. */
#define PUMP_UNTIL(cond)                                                                           \
    do {                                                                                           \
        gint64 end_ = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;                                 \
        while (!(cond) && g_get_monotonic_time() < end_) {                                         \
            main_loop_wait(true);                                                                  \
            g_usleep(1000);                                                                        \
        }                                                                                          \
        assert_true(cond);                                                                         \
    } while (0)

static void test_null_backend_discards_output(void **state)
{
    Chardev *chr = chardev_new("n0", &(ChardevOptions){.backend = "null"}, NULL);

    assert_non_null(chr);
    assert_string_equal(chardev_backend(chr), "null");
    assert_int_equal(chardev_write(chr, (const uint8_t *)"abc", 3), 3);
}

static void test_duplicate_id_is_refused(void **state)
{
    Error *err = NULL;

    assert_non_null(chardev_new("d0", &(ChardevOptions){.backend = "null"}, NULL));
    assert_null(chardev_new("d0", &(ChardevOptions){.backend = "null"}, &err));
    assert_non_null(err);
    error_free(err);
}

static void test_ringbuf_keeps_output_for_reading(void **state)
{
    Chardev *chr = chardev_new("r0", &(ChardevOptions){.backend = "ringbuf", .size = 8}, NULL);
    uint8_t buf[16];

    chardev_write(chr, (const uint8_t *)"0123456789", 10);
    /* Capacity 8: the oldest bytes are dropped. */
    assert_int_equal(chardev_ringbuf_read(chr, buf, sizeof(buf)), 8);
    assert_memory_equal(buf, "23456789", 8);
    assert_int_equal(chardev_ringbuf_read(chr, buf, sizeof(buf)), 0);
}

static void test_input_reaches_the_frontend(void **state)
{
    Chardev *chr = chardev_new("r1", &(ChardevOptions){.backend = "ringbuf"}, NULL);
    Frontend fe = {0};

    attach(chr, &fe, 64);
    chardev_deliver_input(chr, (const uint8_t *)"hi", 2);
    assert_int_equal(fe.got->len, 2);
    assert_memory_equal(fe.got->data, "hi", 2);
    g_byte_array_free(fe.got, TRUE);
}

static void test_second_frontend_is_refused(void **state)
{
    Chardev *chr = chardev_new("r2", &(ChardevOptions){.backend = "ringbuf"}, NULL);
    Frontend a = {0};
    ChardevFrontend f = {fe_can_receive, fe_receive, fe_event, &a};
    Error *err = NULL;

    attach(chr, &a, 1);
    assert_false(chardev_set_frontend(chr, &f, &err));
    assert_non_null(err);
    error_free(err);
    g_byte_array_free(a.got, TRUE);
}

static void test_file_backend_writes_and_appends(void **state)
{
    char *dir = tmpdir_new("tern-chr-XXXXXX");
    char *path = g_build_filename(dir, "out.txt", NULL);
    char *text = NULL;
    Chardev *chr;

    chr = chardev_new("f0", &(ChardevOptions){.backend = "file", .path = path}, NULL);
    chardev_write(chr, (const uint8_t *)"one\n", 4);
    chardev_cleanup_all();
    chr =
        chardev_new("f0", &(ChardevOptions){.backend = "file", .path = path, .append = true}, NULL);
    chardev_write(chr, (const uint8_t *)"two\n", 4);
    chardev_cleanup_all();
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "one\ntwo\n");
    g_free(text);
    g_free(path);
    tmpdir_remove(dir);
}

static void test_file_backend_reports_unwritable_path(void **state)
{
    Error *err = NULL;

    assert_null(chardev_new(
        "f1", &(ChardevOptions){.backend = "file", .path = "/nonexistent/dir/out"}, &err));
    assert_non_null(strstr(error_get_pretty(err), "/nonexistent/dir/out"));
    error_free(err);
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static void test_unix_server_accepts_a_client_and_passes_bytes(void **state)
{
    char *dir = tmpdir_new("tern-sock-XXXXXX");
    char *path = g_build_filename(dir, "s", NULL);
    Chardev *chr = chardev_new(
        "u0", &(ChardevOptions){.backend = "socket", .path = path, .server = true}, NULL);
    Frontend fe = {0};
    char buf[8] = {0};
    int client;

    assert_non_null(chr);
    attach(chr, &fe, 64);
    client = unix_connect(path);
    PUMP_UNTIL(fe.opened == 1);
    assert_int_equal(write(client, "ping", 4), 4);
    PUMP_UNTIL(fe.got->len == 4);
    assert_memory_equal(fe.got->data, "ping", 4);
    assert_int_equal(chardev_write(chr, (const uint8_t *)"pong", 4), 4);
    assert_int_equal(read(client, buf, 4), 4);
    assert_string_equal(buf, "pong");
    close(client);
    PUMP_UNTIL(fe.closed == 1);
    g_byte_array_free(fe.got, TRUE);
    chardev_cleanup_all();
    /* The server removes its socket file. */
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
    tmpdir_remove(dir);
}

static void test_frontend_flow_control_holds_input(void **state)
{
    char *dir = tmpdir_new("tern-sock-XXXXXX");
    char *path = g_build_filename(dir, "s", NULL);
    Chardev *chr = chardev_new(
        "u1", &(ChardevOptions){.backend = "socket", .path = path, .server = true}, NULL);
    Frontend fe = {0};
    int client;

    attach(chr, &fe, 3);
    client = unix_connect(path);
    PUMP_UNTIL(fe.opened == 1);
    assert_int_equal(write(client, "abcdef", 6), 6);
    PUMP_UNTIL(fe.got->len == 3);
    /* No room: nothing more is read, nothing is lost. */
    for (int i = 0; i < 20; i++) {
        main_loop_wait(true);
    }
    assert_int_equal(fe.got->len, 3);
    fe.room = 16;
    chardev_accept_input(chr);
    PUMP_UNTIL(fe.got->len == 6);
    assert_memory_equal(fe.got->data, "abcdef", 6);
    close(client);
    g_byte_array_free(fe.got, TRUE);
    chardev_cleanup_all();
    g_free(path);
    tmpdir_remove(dir);
}

static void test_unix_client_connects_to_a_listener(void **state)
{
    char *dir = tmpdir_new("tern-sock-XXXXXX");
    char *path = g_build_filename(dir, "s", NULL);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int listener = socket(AF_UNIX, SOCK_STREAM, 0), peer;
    Chardev *chr;
    char buf[4] = {0};

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    assert_int_equal(bind(listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(listener, 1), 0);
    chr = chardev_new("u2", &(ChardevOptions){.backend = "socket", .path = path}, NULL);
    assert_non_null(chr);
    peer = accept(listener, NULL, NULL);
    assert_int_equal(chardev_write(chr, (const uint8_t *)"hey", 3), 3);
    assert_int_equal(read(peer, buf, 3), 3);
    assert_string_equal(buf, "hey");
    close(peer);
    close(listener);
    chardev_cleanup_all();
    g_free(path);
    tmpdir_remove(dir);
}

/* A socketpair end as -chardev socket,fd=N: the other end is returned in *peer. */
static Chardev *fd_chardev(const char *id, int *peer)
{
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    *peer = sv[1];
    return chardev_new(id, &(ChardevOptions){.backend = "socket", .has_fd = true, .fd = sv[0]},
                       NULL);
}

static void test_socket_output_the_peer_does_not_read_waits_without_blocking(void **state)
{
    enum { CHUNK = 4096, COUNT = 1024 }; /* 4 MiB: far more than a socket buffer holds */
    int peer;
    Chardev *chr = fd_chardev("q0", &peer);
    uint8_t chunk[CHUNK];
    GByteArray *got = g_byte_array_new();

    assert_non_null(chr);
    /* Every write returns at once with all of it taken, although nobody reads yet. */
    for (int i = 0; i < COUNT; i++) {
        memset(chunk, i & 0xff, sizeof(chunk));
        assert_int_equal(chardev_write(chr, chunk, sizeof(chunk)), sizeof(chunk));
    }
    /* The main loop sends the rest as the peer reads, in order, nothing lost. */
    g_unix_set_fd_nonblocking(peer, TRUE, NULL);
    while (got->len < (guint)(CHUNK * COUNT)) {
        uint8_t buf[65536];
        ssize_t n = read(peer, buf, sizeof(buf));

        if (n > 0) {
            g_byte_array_append(got, buf, n);
        } else {
            assert_true(n < 0 && errno == EAGAIN);
            main_loop_wait(true);
        }
    }
    for (int i = 0; i < COUNT; i++) {
        assert_int_equal(got->data[(size_t)i * CHUNK], i & 0xff);
        assert_int_equal(got->data[(size_t)i * CHUNK + CHUNK - 1], i & 0xff);
    }
    g_byte_array_free(got, TRUE);
    close(peer);
}

static void test_socket_output_to_a_vanished_peer_fails_and_closes(void **state)
{
    int peer;
    Chardev *chr = fd_chardev("q1", &peer);
    Frontend fe = {0};

    attach(chr, &fe, 64);
    close(peer);
    assert_int_equal(chardev_write(chr, (const uint8_t *)"x", 1), -1);
    assert_int_equal(fe.closed, 1);
    g_byte_array_free(fe.got, TRUE);
}

static void sigterm_as_tern(int signo)
{
    main_loop_shutdown_from_signal(SIGTERM, 0);
}

/* Writes count MiB to chr and returns the host time taken, in ms. */
static gint64 write_mib(Chardev *chr, int count)
{
    enum { MIB = 1024 * 1024 };
    uint8_t *chunk = g_malloc0(MIB);
    gint64 start = g_get_monotonic_time();

    for (int i = 0; i < count; i++) {
        assert_int_equal(chardev_write(chr, chunk, MIB), MIB);
    }
    g_free(chunk);
    return (g_get_monotonic_time() - start) / 1000;
}

static void
test_socket_output_past_16_mib_ends_its_wait_on_sigterm_and_drops_with_one_warning(void **state)
{
    int peer, status = -1;
    Chardev *chr = fd_chardev("q2", &peer);
    struct sigaction sa = {.sa_handler = sigterm_as_tern}, old;
    struct itimerval in_300ms = {.it_value = {.tv_usec = 300 * 1000}};
    StreamCapture capture;
    unsigned dropped = 0;
    int end = -1;
    char *err;

    assert_non_null(chr);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    error_set_report_stream(stream_capture_begin(&capture));
    assert_int_equal(setitimer(ITIMER_REAL, &in_300ms, NULL), 0);
    /* The 17th MiB waits for the peer, which never reads: only the signal ends the wait. */
    assert_in_range(write_mib(chr, 17), 250, 5000);
    /* From then on this peer's output is dropped at once, without another line. */
    assert_in_range(write_mib(chr, 32), 0, 1000);
    chardev_cleanup_all(); /* nothing left to flush at exit */
    error_set_report_stream(NULL);
    sigaction(SIGALRM, &old, NULL);
    err = stream_capture_end(&capture);
    /* Everything queued: 17 MiB less what the socket buffer took. */
    assert_int_equal(sscanf(err,
                            "tern: warning: chardev 'q2': shutting down with the peer not "
                            "reading; %u bytes of output dropped\n%n",
                            &dropped, &end),
                     1);
    assert_in_range(dropped, 16 * 1024 * 1024 + 1, 17 * 1024 * 1024);
    assert_int_equal(end, strlen(err));
    free(err);
    /* The signal is still the main loop's to act on: a shutdown with status 0. */
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
    close(peer);
}

static void
test_socket_output_a_peer_does_not_take_is_dropped_1_s_into_the_exit_with_one_line(void **state)
{
    int peer;
    Chardev *chr = fd_chardev("q3", &peer);
    StreamCapture capture;
    unsigned dropped = 0;
    int end = -1;
    gint64 start;
    char *err;

    assert_non_null(chr);
    assert_in_range(write_mib(chr, 4), 0, 1000);
    error_set_report_stream(stream_capture_begin(&capture));
    start = g_get_monotonic_time();
    chardev_cleanup_all();
    assert_in_range((g_get_monotonic_time() - start) / 1000, 950, 3000);
    error_set_report_stream(NULL);
    err = stream_capture_end(&capture);
    assert_int_equal(sscanf(err,
                            "tern: warning: chardev 'q3': %u bytes of output dropped at "
                            "exit: the peer did not take them within 1000 ms\n%n",
                            &dropped, &end),
                     1);
    assert_in_range(dropped, 1, 4 * 1024 * 1024);
    assert_int_equal(end, strlen(err));
    free(err);
    close(peer);
}

static void test_socket_fd_that_is_not_a_socket_gets_qemus_error(void **state)
{
    Error *err = NULL;

    assert_null(
        chardev_new("q2", &(ChardevOptions){.backend = "socket", .has_fd = true, .fd = 0}, &err));
    assert_string_equal(error_get_pretty(err), "File descriptor '0' is not a socket");
    error_free(err);
}

static void test_tcp_server_binds_loopback_by_default(void **state)
{
    Chardev *chr = chardev_new(
        "t0", &(ChardevOptions){.backend = "socket", .port = "0", .server = true}, NULL);
    char *addr;

    assert_non_null(chr);
    addr = chardev_socket_address(chr);
    assert_true(g_str_has_prefix(addr, "127.0.0.1:"));
    assert_string_not_equal(addr, "127.0.0.1:0");
    g_free(addr);
}

static void test_spec_forms_parse_or_fail_clearly(void **state)
{
    static const char *const bad[] = {"bogus", "file:", "unix:", "tcp:nohost",
                                      "unix:/tmp/x,server=maybe"};
    Error *err = NULL;

    assert_null(chardev_new_from_spec("s0", "none", &err));
    assert_null(err);
    assert_string_equal(chardev_backend(chardev_new_from_spec("s1", "null", NULL)), "null");
    assert_non_null(chardev_new("c9", &(ChardevOptions){.backend = "ringbuf"}, NULL));
    assert_ptr_equal(chardev_new_from_spec("s2", "chardev:c9", NULL), chardev_find("c9"));
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_null(chardev_new_from_spec("sx", bad[i], &err));
        if (!err) {
            print_error("spec '%s' was accepted\n", bad[i]);
            fail();
        }
        error_free(err);
        err = NULL;
    }
}

static void test_serial_file_receives_uart_output(void **state)
{
    char *dir = tmpdir_new("tern-ser-XXXXXX");
    char *path = g_build_filename(dir, "serial.txt", NULL);
    char *spec = g_strdup_printf("file:%s", path);
    char *argv[] = {"tern",  "-nouserconfig", "-M",      "virt", "-accel", "qtest",
                    "-bios", "none",          "-serial", spec,   NULL};
    char *text = NULL;

    assert_int_equal(tern_init(10, argv, &error_abort), TERN_INIT_RUN);
    for (const char *c = "Tern\n"; *c; c++) {
        address_space_st(address_space_memory(), 0x10000000, 1, (uint8_t)*c);
    }
    tern_cleanup();
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "Tern\n");
    g_free(text);
    g_free(spec);
    g_free(path);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_null_backend_discards_output, teardown),
        cmocka_unit_test_teardown(test_duplicate_id_is_refused, teardown),
        cmocka_unit_test_teardown(test_ringbuf_keeps_output_for_reading, teardown),
        cmocka_unit_test_teardown(test_input_reaches_the_frontend, teardown),
        cmocka_unit_test_teardown(test_second_frontend_is_refused, teardown),
        cmocka_unit_test_teardown(test_file_backend_writes_and_appends, teardown),
        cmocka_unit_test_teardown(test_file_backend_reports_unwritable_path, teardown),
        cmocka_unit_test_teardown(test_unix_server_accepts_a_client_and_passes_bytes, teardown),
        cmocka_unit_test_teardown(test_frontend_flow_control_holds_input, teardown),
        cmocka_unit_test_teardown(test_unix_client_connects_to_a_listener, teardown),
        cmocka_unit_test_teardown(test_socket_output_the_peer_does_not_read_waits_without_blocking,
                                  teardown),
        cmocka_unit_test_teardown(test_socket_output_to_a_vanished_peer_fails_and_closes, teardown),
        cmocka_unit_test_teardown(
            test_socket_output_past_16_mib_ends_its_wait_on_sigterm_and_drops_with_one_warning,
            teardown),
        cmocka_unit_test_teardown(
            test_socket_output_a_peer_does_not_take_is_dropped_1_s_into_the_exit_with_one_line,
            teardown),
        cmocka_unit_test_teardown(test_socket_fd_that_is_not_a_socket_gets_qemus_error, teardown),
        cmocka_unit_test_teardown(test_tcp_server_binds_loopback_by_default, teardown),
        cmocka_unit_test_teardown(test_spec_forms_parse_or_fail_clearly, teardown),
        cmocka_unit_test_teardown(test_serial_file_receives_uart_output, teardown),
    };

    g_setenv("TERN_CONFIG", "/nonexistent/tern.conf", TRUE);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
