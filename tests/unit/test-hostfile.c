/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-hostfile.c - the host-file layer (core/hostfile.h) on its own: kinds
 * accepted and refused with their reasons, size limits at and past the
 * bound, reads bounded from the open descriptor (a file that grows, one
 * replaced or unlinked after opening), pipes that make the reader wait,
 * EINTR retried while no shutdown signal is pending and a pending one ending
 * the read, and a file the user may not read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/hostfile.h"
#include "core/runstate.h"
#include "tests/support/tmpdir.h"

static char *dir;

static int setup(void **state)
{
    dir = tmpdir_new("tern-hostfile-XXXXXX");
    return 0;
}

/* Acts on a shutdown signal a test left pending (runstate_reset() keeps it: it is the process's).
 */
static void forget_pending_signal(void)
{
    int status;

    if (runstate_shutdown_signal_pending(NULL, NULL)) {
        runstate_process_requests(&status);
    }
    runstate_reset();
}

static int teardown(void **state)
{
    forget_pending_signal();
    tmpdir_remove(dir);
    dir = NULL;
    return 0;
}

static char *path_in_dir(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

/* hostfile_open() must fail with exactly this message (after "OPTION PATH: "). */
static void expect_open_refused(const char *path, unsigned allowed, uint64_t max_size,
                                const char *limit_name, const char *reason)
{
    Error *err = NULL;
    char *expected = g_strdup_printf("-opt %s: %s", path, reason);

    assert_int_equal(hostfile_open("-opt", path, O_RDONLY, allowed, max_size, limit_name, &err),
                     -1);
    assert_non_null(err);
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
    g_free(expected);
}

/* Reads fd through the layer; returns the error message (caller frees) or NULL on success. */
static char *read_fd_error(int fd, uint64_t max_size, char **data, size_t *len)
{
    Error *err = NULL;
    char *msg;

    if (hostfile_read_fd("-opt", "F", fd, max_size, NULL, data, len, &err)) {
        return NULL;
    }
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

/* ---- kinds ------------------------------------------------------------------------------ */

static void test_each_mode_has_its_kind(void **state)
{
    assert_int_equal(hostfile_kind_of(S_IFREG | 0644), HOSTFILE_REGULAR);
    assert_int_equal(hostfile_kind_of(S_IFBLK | 0600), HOSTFILE_BLOCK);
    assert_int_equal(hostfile_kind_of(S_IFCHR | 0666), HOSTFILE_CHAR);
    assert_int_equal(hostfile_kind_of(S_IFIFO | 0600), HOSTFILE_FIFO);
    assert_int_equal(hostfile_kind_of(S_IFDIR | 0755), 0);
    assert_int_equal(hostfile_kind_of(S_IFSOCK | 0755), 0);
    assert_int_equal(hostfile_kind_of(S_IFLNK | 0777), 0);
}

static void test_a_block_device_is_a_drive_but_not_an_image(void **state)
{
    char *why;

    /* What -drive file= asks for: no loop device is needed to check the rule itself. */
    assert_null(hostfile_refusal(S_IFBLK | 0600, HOSTFILE_REGULAR | HOSTFILE_BLOCK));
    assert_null(hostfile_refusal(S_IFREG | 0600, HOSTFILE_REGULAR | HOSTFILE_BLOCK));
    why = hostfile_refusal(S_IFBLK | 0600, HOSTFILE_REGULAR);
    assert_string_equal(why, "is a block device; a regular file is needed");
    g_free(why);
    why = hostfile_refusal(S_IFCHR | 0600, HOSTFILE_REGULAR | HOSTFILE_BLOCK);
    assert_string_equal(why, "is a character device; a regular file or a block device is needed");
    g_free(why);
}

static void test_refusals_name_the_kind_and_what_is_needed(void **state)
{
    static const struct {
        mode_t mode;
        unsigned allowed;
        const char *text;
    } cases[] = {
        {S_IFDIR, HOSTFILE_REGULAR, "is a directory; a regular file is needed"},
        {S_IFIFO, HOSTFILE_REGULAR, "is a named pipe (FIFO); a regular file is needed"},
        {S_IFCHR, HOSTFILE_REGULAR, "is a character device; a regular file is needed"},
        {S_IFSOCK, HOSTFILE_REGULAR | HOSTFILE_FIFO,
         "is a socket; a regular file or a pipe is needed"},
        {S_IFDIR, HOSTFILE_REGULAR | HOSTFILE_CHAR | HOSTFILE_FIFO,
         "is a directory; a regular file, a character device or a pipe is needed"},
        {S_IFLNK, HOSTFILE_REGULAR, "is not a regular file; a regular file is needed"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *why = hostfile_refusal(cases[i].mode | 0600, cases[i].allowed);

        assert_non_null(why);
        assert_string_equal(why, cases[i].text);
        g_free(why);
    }
    assert_null(hostfile_refusal(S_IFCHR | 0666, HOSTFILE_CHAR | HOSTFILE_FIFO));
    assert_null(hostfile_refusal(S_IFIFO | 0600, HOSTFILE_REGULAR | HOSTFILE_FIFO));
}

static void test_a_directory_is_refused_before_reading(void **state)
{
    expect_open_refused(dir, HOSTFILE_REGULAR, 100, NULL,
                        "is a directory; a regular file is needed");
}

static void test_a_directory_opened_for_writing_is_named_as_one(void **state)
{
    Error *err = NULL;
    char *expected = g_strdup_printf("-drive %s: is a directory; a regular file or a block "
                                     "device is needed",
                                     dir);

    /* open(O_RDWR) on a directory fails with EISDIR before any fstat(): same words. */
    assert_int_equal(hostfile_open("-drive", dir, O_RDWR, HOSTFILE_REGULAR | HOSTFILE_BLOCK,
                                   HOSTFILE_NO_LIMIT, NULL, &err),
                     -1);
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
    g_free(expected);
}

static void test_a_fifo_without_writer_is_refused_at_once(void **state)
{
    char *fifo = path_in_dir("fifo");

    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* Without O_NONBLOCK this open() would wait for a writer forever. */
    expect_open_refused(fifo, HOSTFILE_REGULAR, 100, NULL,
                        "is a named pipe (FIFO); a regular file is needed");
    g_free(fifo);
}

static void test_a_fifo_where_pipes_are_accepted_stays_non_blocking(void **state)
{
    char *fifo = path_in_dir("fifo");
    int fd;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    fd =
        hostfile_open("-opt", fifo, O_RDONLY, HOSTFILE_FIFO, HOSTFILE_NO_LIMIT, NULL, &error_abort);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    g_free(fifo);
}

static void test_character_devices_are_refused_where_a_file_is_needed(void **state)
{
    int fd;

    expect_open_refused("/dev/zero", HOSTFILE_REGULAR, HOSTFILE_DTB_MAX_SIZE, NULL,
                        "is a character device; a regular file is needed");
    expect_open_refused("/dev/null", HOSTFILE_REGULAR | HOSTFILE_FIFO, 100, NULL,
                        "is a character device; a regular file or a pipe is needed");
    /* rng-random's default source. */
    fd = hostfile_open("rng-random", "/dev/urandom", O_RDONLY, HOSTFILE_CHAR, HOSTFILE_NO_LIMIT,
                       NULL, &error_abort);
    assert_true(fd >= 0);
    close(fd);
}

static void test_a_missing_file_says_so(void **state)
{
    char *missing = path_in_dir("missing");

    expect_open_refused(missing, HOSTFILE_REGULAR, 100, NULL,
                        "cannot open: No such file or directory");
    expect_open_refused("", HOSTFILE_REGULAR, 100, NULL, "empty file name");
    g_free(missing);
}

static void test_a_socket_is_named_as_one(void **state)
{
    char *sock = path_in_dir("sock");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    assert_true(strlen(sock) < sizeof(addr.sun_path));
    strcpy(addr.sun_path, sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    /* open() of a socket fails (ENXIO); the message still says what it is. */
    expect_open_refused(sock, HOSTFILE_REGULAR, 100, NULL, "is a socket; a regular file is needed");
    close(fd);
    g_free(sock);
}

/* ---- sizes --------------------------------------------------------------------------------- */

static char *sparse_file(const char *name, off_t size)
{
    char *path = path_in_dir(name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, size), 0);
    close(fd);
    return path;
}

static void test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(void **state)
{
    char *at = sparse_file("at", 4096);
    char *over = sparse_file("over", 4097);
    char *data;
    size_t len;

    assert_true(
        hostfile_read_all("-opt", at, HOSTFILE_REGULAR, 4096, NULL, &data, &len, &error_abort));
    assert_int_equal(len, 4096);
    assert_int_equal(data[len], '\0');
    g_free(data);
    expect_open_refused(over, HOSTFILE_REGULAR, 4096, NULL,
                        "is 4097 bytes, above the limit of 4096 bytes");
    expect_open_refused(over, HOSTFILE_REGULAR, 4096, "RAM",
                        "is 4097 bytes, too big for RAM (4096 bytes)");
    g_free(at);
    g_free(over);
}

static void test_a_huge_sparse_file_is_refused_without_reading(void **state)
{
    /* 64 GiB that cost nothing on disk: reading it would take minutes and all memory. */
    char *huge = sparse_file("huge", (off_t)64 << 30);

    expect_open_refused(huge, HOSTFILE_REGULAR, HOSTFILE_DTB_MAX_SIZE, NULL,
                        "is 68719476736 bytes, above the limit of 2097152 bytes");
    g_free(huge);
}

/* A sparse file of size bytes that starts with the ELF magic. */
static char *sparse_elf(const char *name, off_t size)
{
    char *path = sparse_file(name, size);
    int fd = open(path, O_WRONLY);

    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd,
                            "\x7f"
                            "ELF",
                            4, 0),
                     4);
    close(fd);
    return path;
}

/*
 * Images: raw ones must fit RAM; an ELF file may carry sections it never
 * loads (a vmlinux with DWARF), so it may be bigger, up to 1 GiB.
 */
static void test_an_elf_image_may_be_bigger_than_ram_and_a_raw_one_may_not(void **state)
{
    char *raw = sparse_file("raw", 4097);
    char *elf = sparse_elf("elf", 64 << 20);
    char *huge_elf = sparse_elf("huge-elf", (off_t)(HOSTFILE_ELF_MAX_SIZE + 1));
    Error *err = NULL;
    char *data;
    size_t len;
    int fd;
    char *expected =
        g_strdup_printf("-kernel %s: is 4097 bytes, too big for RAM (4096 bytes)", raw);

    assert_int_equal(hostfile_open_image("-kernel", raw, 4096, &err), -1);
    assert_string_equal(error_get_pretty(err), expected);
    g_free(expected);
    g_clear_pointer(&err, error_free);
    fd = hostfile_open_image("-kernel", elf, 4096, &error_abort);
    assert_true(fd >= 0);
    close(fd);
    assert_true(hostfile_read_image("-kernel", elf, 4096, &data, &len, &error_abort));
    assert_int_equal(len, 64 << 20);
    assert_memory_equal(data,
                        "\x7f"
                        "ELF",
                        4);
    g_free(data);
    assert_int_equal(hostfile_open_image("-kernel", huge_elf, 4096, &err), -1);
    assert_non_null(strstr(error_get_pretty(err), "is 1073741825 bytes, above the limit of "
                                                  "1073741824 bytes"));
    g_clear_pointer(&err, error_free);
    /* RAM bigger than the ELF limit is the limit. */
    fd = hostfile_open_image("-kernel", huge_elf, HOSTFILE_ELF_MAX_SIZE + 1, &error_abort);
    assert_true(fd >= 0);
    close(fd);
    g_free(raw);
    g_free(elf);
    g_free(huge_elf);
}

static void test_read_all_returns_the_bytes(void **state)
{
    static const char content[] = "abc\0def";
    char *path = tmpdir_write(dir, "small", content, sizeof(content));
    char *data;
    size_t len;

    assert_true(
        hostfile_read_all("-opt", path, HOSTFILE_REGULAR, 100, NULL, &data, &len, &error_abort));
    assert_int_equal(len, sizeof(content));
    assert_memory_equal(data, content, sizeof(content));
    g_free(data);
    g_free(path);
}

static void test_an_empty_file_reads_as_nothing(void **state)
{
    char *path = tmpdir_write(dir, "empty", "", 0);
    char *data;
    size_t len;

    assert_true(
        hostfile_read_all("-opt", path, HOSTFILE_REGULAR, 0, NULL, &data, &len, &error_abort));
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    g_free(data);
    g_free(path);
}

/* ---- the open descriptor is what is read ------------------------------------------------- */

static void append(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void test_a_file_that_grows_past_the_limit_after_opening_is_caught(void **state)
{
    char *path = tmpdir_write(dir, "grows", "0123456789", 10);
    int fd = hostfile_open("-opt", path, O_RDONLY, HOSTFILE_REGULAR, 16, NULL, &error_abort);
    char *data = NULL, *msg;
    size_t len;

    append(path, "abcdefghij"); /* 20 bytes now; the check at open saw 10 */
    msg = read_fd_error(fd, 16, &data, &len);
    assert_non_null(msg);
    assert_string_equal(msg, "-opt F: is 20 bytes, above the limit of 16 bytes");
    assert_null(data);
    g_free(msg);
    close(fd);
    g_free(path);
}

static void test_a_file_holding_more_than_its_size_says_is_cut_at_the_limit(void **state)
{
    /* /proc files say 0 bytes and hold more: only the bounded read sees it. */
    int fd = hostfile_open("-opt", "/proc/self/maps", O_RDONLY, HOSTFILE_REGULAR, 16, NULL,
                           &error_abort);
    char *data = NULL, *msg;
    size_t len;

    msg = read_fd_error(fd, 16, &data, &len);
    assert_non_null(msg);
    assert_string_equal(msg, "-opt F: holds more than the limit of 16 bytes");
    assert_null(data);
    g_free(msg);
    close(fd);
}

static void test_a_file_that_grows_within_the_limit_is_read_whole(void **state)
{
    char *path = tmpdir_write(dir, "grows", "0123456789", 10);
    int fd = hostfile_open("-opt", path, O_RDONLY, HOSTFILE_REGULAR, 64, NULL, &error_abort);
    char *data;
    size_t len;

    append(path, "abcdefghij");
    assert_null(read_fd_error(fd, 64, &data, &len));
    assert_int_equal(len, 20);
    assert_string_equal(data, "0123456789abcdefghij");
    g_free(data);
    close(fd);
    g_free(path);
}

static void test_a_file_replaced_after_opening_is_not_what_is_read(void **state)
{
    char *path = tmpdir_write(dir, "image", "original", 8);
    char *other = tmpdir_write(dir, "other", "replacement", 11);
    int fd = hostfile_open("-opt", path, O_RDONLY, HOSTFILE_REGULAR, 64, NULL, &error_abort);
    char *data;
    size_t len;

    assert_int_equal(rename(other, path), 0);
    assert_null(read_fd_error(fd, 64, &data, &len));
    assert_string_equal(data, "original");
    g_free(data);
    close(fd);
    g_free(other);
    g_free(path);
}

static void test_a_file_unlinked_after_opening_is_still_read(void **state)
{
    char *path = tmpdir_write(dir, "vanishes", "still here", 10);
    int fd = hostfile_open("-opt", path, O_RDONLY, HOSTFILE_REGULAR, 64, NULL, &error_abort);
    char *data;
    size_t len;

    assert_int_equal(unlink(path), 0);
    assert_null(read_fd_error(fd, 64, &data, &len));
    assert_string_equal(data, "still here");
    g_free(data);
    close(fd);
    /* Gone before the open: a one-line error, not a crash. */
    expect_open_refused(path, HOSTFILE_REGULAR, 64, NULL, "cannot open: No such file or directory");
    g_free(path);
}

static void test_an_endless_device_read_as_a_stream_stops_at_the_limit(void **state)
{
    int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    char *data = NULL, *msg;
    size_t len;

    assert_true(fd >= 0);
    msg = read_fd_error(fd, 100000, &data, &len);
    assert_string_equal(msg, "-opt F: holds more than the limit of 100000 bytes");
    assert_null(data);
    g_free(msg);
    close(fd);
}

/* ---- pipes and signals --------------------------------------------------------------------- */

static void test_a_pipe_is_read_to_its_end(void **state)
{
    int p[2];
    char *data;
    size_t len;

    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "[memory]\n", 9), 9);
    close(p[1]);
    assert_null(read_fd_error(p[0], 64, &data, &len));
    assert_string_equal(data, "[memory]\n");
    g_free(data);
    close(p[0]);
}

static void test_a_pipe_with_more_than_the_limit_is_refused(void **state)
{
    int p[2];
    char *data = NULL, *msg;
    size_t len;

    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "0123456789x", 11), 11);
    close(p[1]);
    msg = read_fd_error(p[0], 10, &data, &len);
    assert_string_equal(msg, "-opt F: holds more than the limit of 10 bytes");
    assert_null(data);
    g_free(msg);
    close(p[0]);
}

/* A named limit is named in the message, as for a regular file that is too big. */
static void test_a_pipe_over_a_named_limit_names_it(void **state)
{
    Error *err = NULL;
    char *data = NULL;
    size_t len = 99;
    int p[2];

    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "0123456789x", 11), 11);
    close(p[1]);
    assert_false(hostfile_read_fd("-kernel", "F", p[0], 10, "RAM", &data, &len, &err));
    assert_string_equal(error_get_pretty(err), "-kernel F: holds more than the 10 bytes of RAM");
    assert_null(data);
    assert_int_equal(len, 0);
    error_free(err);
    close(p[0]);
}

/* HOSTFILE_NO_LIMIT: a stream is read to its end, however long (here 1 MiB, 16 times the start). */
static void test_a_stream_without_limit_is_read_to_its_end(void **state)
{
    enum { LEN = 1 << 20 };
    char *data = NULL, *payload = g_malloc(LEN);
    size_t len = 0, done = 0;
    int p[2];
    pid_t pid;

    for (size_t i = 0; i < LEN; i++) {
        payload[i] = (char)('a' + i % 26);
    }
    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        while (done < LEN) {
            ssize_t n = write(p[1], payload + done, LEN - done);
            if (n <= 0) {
                _exit(1);
            }
            done += n;
        }
        _exit(0);
    }
    close(p[1]);
    assert_null(read_fd_error(p[0], HOSTFILE_NO_LIMIT, &data, &len));
    assert_int_equal(len, LEN);
    assert_memory_equal(data, payload, LEN);
    assert_int_equal(data[LEN], '\0'); /* NUL-terminated, as the header says */
    close(p[0]);
    waitpid(pid, NULL, 0);
    g_free(data);
    g_free(payload);
}

/* A descriptor that read() refuses (a directory) gives the reason, not an empty file. */
static void test_a_read_error_is_named(void **state)
{
    char *data = NULL, *msg;
    size_t len;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);

    assert_true(fd >= 0);
    msg = read_fd_error(fd, 64, &data, &len);
    assert_string_equal(msg, "-opt F: cannot read: Is a directory");
    assert_null(data);
    g_free(msg);
    close(fd);
}

static void test_a_pending_shutdown_signal_ends_a_wait(void **state)
{
    int p[2];
    char *data = NULL, *msg;
    size_t len;

    assert_int_equal(pipe(p), 0);
    /* The writer stays open and silent: without the signal this would wait for ever. */
    runstate_request_shutdown_from_signal(SIGTERM, 0);
    msg = read_fd_error(p[0], 64, &data, &len);
    assert_string_equal(msg, "-opt F: interrupted by signal 15 (Terminated) while reading");
    assert_null(data);
    g_free(msg);
    close(p[0]);
    close(p[1]);
}

static volatile sig_atomic_t alarms;
static bool alarm_requests_shutdown;

static void on_alarm(int signo)
{
    alarms++;
    if (alarm_requests_shutdown) {
        runstate_request_shutdown_from_signal(signo, 0);
    }
}

/* SIGALRM after ms milliseconds, without SA_RESTART (as tern's own handlers). */
static void arm_alarm(int ms, bool shutdown)
{
    struct sigaction sa;
    struct itimerval it = {.it_value = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000}};

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
    alarms = 0;
    alarm_requests_shutdown = shutdown;
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void disarm_alarm(void)
{
    struct itimerval off = {0};

    setitimer(ITIMER_REAL, &off, NULL);
    signal(SIGALRM, SIG_DFL);
}

static void test_a_shutdown_signal_during_the_wait_ends_it(void **state)
{
    int p[2];
    char *data = NULL, *msg;
    size_t len;
    gint64 start = g_get_monotonic_time();

    assert_int_equal(pipe(p), 0);
    arm_alarm(100, true);
    msg = read_fd_error(p[0], 64, &data, &len);
    disarm_alarm();
    assert_int_equal(alarms, 1);
    assert_string_equal(msg, "-opt F: interrupted by signal 14 (Alarm clock) while reading");
    /* Ended by the signal, not by anything else (the writer never wrote nor closed). */
    assert_true(g_get_monotonic_time() - start < 30 * G_USEC_PER_SEC);
    g_free(msg);
    close(p[0]);
    close(p[1]);
}

static void test_other_signals_during_the_wait_are_retried(void **state)
{
    int p[2];
    char *data;
    size_t len;
    pid_t writer;
    int status;

    assert_int_equal(pipe(p), 0);
    writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) {
        close(p[0]);
        g_usleep(400 * 1000);
        _exit(write(p[1], "late", 4) == 4 ? 0 : 1);
    }
    close(p[1]);
    arm_alarm(50, false); /* interrupts the wait; no shutdown was asked for */
    assert_null(read_fd_error(p[0], 64, &data, &len));
    disarm_alarm();
    assert_int_equal(alarms, 1);
    assert_string_equal(data, "late");
    g_free(data);
    assert_int_equal(waitpid(writer, &status, 0), writer);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(p[0]);
}

/* ---- permissions --------------------------------------------------------------------------- */

/*
 * A mode-000 file.  root reads it anyway, so when the test runs as root (as
 * CI does) the check runs in a child that first drops to uid/gid 65534.
 */
static void test_an_unreadable_file_says_permission_denied(void **state)
{
    char *path = tmpdir_write(dir, "secret", "x", 1);
    char *expected = g_strdup_printf("-opt %s: cannot open: Permission denied", path);
    pid_t child;
    int status;

    assert_int_equal(chmod(path, 0), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        Error *err = NULL;
        bool ok;

        if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0)) {
            _exit(2);
        }
        ok = hostfile_open("-opt", path, O_RDONLY, HOSTFILE_REGULAR, 64, NULL, &err) < 0 &&
             !strcmp(error_get_pretty(err), expected);
        _exit(ok ? 0 : 1);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    g_free(expected);
    g_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_mode_has_its_kind),
        cmocka_unit_test(test_a_block_device_is_a_drive_but_not_an_image),
        cmocka_unit_test(test_refusals_name_the_kind_and_what_is_needed),
        cmocka_unit_test_setup_teardown(test_a_directory_is_refused_before_reading, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_directory_opened_for_writing_is_named_as_one, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_fifo_without_writer_is_refused_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_fifo_where_pipes_are_accepted_stays_non_blocking,
                                        setup, teardown),
        cmocka_unit_test(test_character_devices_are_refused_where_a_file_is_needed),
        cmocka_unit_test_setup_teardown(test_a_missing_file_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_socket_is_named_as_one, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_huge_sparse_file_is_refused_without_reading, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_an_elf_image_may_be_bigger_than_ram_and_a_raw_one_may_not, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_all_returns_the_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_empty_file_reads_as_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_that_grows_past_the_limit_after_opening_is_caught, setup, teardown),
        cmocka_unit_test(test_a_file_holding_more_than_its_size_says_is_cut_at_the_limit),
        cmocka_unit_test_setup_teardown(test_a_file_that_grows_within_the_limit_is_read_whole,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_file_replaced_after_opening_is_not_what_is_read,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_file_unlinked_after_opening_is_still_read, setup,
                                        teardown),
        cmocka_unit_test(test_an_endless_device_read_as_a_stream_stops_at_the_limit),
        cmocka_unit_test(test_a_pipe_is_read_to_its_end),
        cmocka_unit_test(test_a_pipe_with_more_than_the_limit_is_refused),
        cmocka_unit_test(test_a_pipe_over_a_named_limit_names_it),
        cmocka_unit_test(test_a_stream_without_limit_is_read_to_its_end),
        cmocka_unit_test_setup_teardown(test_a_read_error_is_named, setup, teardown),
        cmocka_unit_test_teardown(test_a_pending_shutdown_signal_ends_a_wait, teardown),
        cmocka_unit_test_teardown(test_a_shutdown_signal_during_the_wait_ends_it, teardown),
        cmocka_unit_test(test_other_signals_during_the_wait_are_retried),
        cmocka_unit_test_setup_teardown(test_an_unreadable_file_says_permission_denied, setup,
                                        teardown),
    };

    return cmocka_run_group_tests_name("hostfile", tests, NULL, NULL);
}
