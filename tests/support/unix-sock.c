/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unix-sock.c - unix-domain socket helpers for tests (unix-sock.h).
 * Helper code, not a test: its assertions live in tests/qmp/test-qmp.c and
 * tests/replay/test-record.c, which use it.
 */
#include "tests/support/unix-sock.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

static int unix_socket(const char *path, struct sockaddr_un *sa)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof(sa->sun_path));
    strcpy(sa->sun_path, path);
    return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

int usock_listen(const char *path)
{
    struct sockaddr_un sa;
    int fd = unix_socket(path, &sa);

    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 1), 0);
    return fd;
}

int usock_accept(int listen_fd, int timeout_ms, int flags)
{
    struct pollfd p = {.fd = listen_fd, .events = POLLIN};
    int fd;

    if (poll(&p, 1, timeout_ms) <= 0) {
        fail_msg("tern did not connect within %d ms", timeout_ms);
    }
    fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | flags);
    assert_true(fd >= 0);
    return fd;
}

/* Still running; an exited child is left for its owner to reap (WNOWAIT). */
static bool alive(pid_t pid)
{
    siginfo_t info = {0};

    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

int usock_connect_retry(const char *path, int timeout_ms, pid_t pid)
{
    for (int waited = 0; waited < timeout_ms; waited += 5) {
        struct sockaddr_un sa;
        int fd = unix_socket(path, &sa);

        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            return fd;
        }
        if (fd >= 0) {
            close(fd);
        }
        if (pid > 0 && !alive(pid)) {
            fail_msg("tern exited before listening on %s", path);
        }
        g_usleep(5000);
    }
    fail_msg("cannot connect to %s", path);
    return -1;
}
