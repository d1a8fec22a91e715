/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unix-sock.h - unix-domain sockets for tests that talk to a spawned tern
 * (QMP clients, qtest servers tern connects to, recorded sessions).  Every
 * helper fails the test (cmocka) instead of returning an error.  Part of
 * the test support library (tests/support).
 */
#ifndef TERN_TEST_UNIX_SOCK_H
#define TERN_TEST_UNIX_SOCK_H

#include <sys/types.h>

/* A listening socket bound to path (backlog 1, close-on-exec). */
int usock_listen(const char *path);
/* Accepts one peer within timeout_ms; flags as accept4's (SOCK_NONBLOCK ...). */
int usock_accept(int listen_fd, int timeout_ms, int flags);
/*
 * Connects to path, retrying every 5 ms while tern starts, for up to
 * timeout_ms; fails early if pid (when > 0) has exited.  A blocking fd.
 */
int usock_connect_retry(const char *path, int timeout_ms, pid_t pid);

#endif
