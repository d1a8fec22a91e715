/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tern-main.c - main() of the tern emulator: the only place that exits.
 *
 * SIGTERM, SIGINT and SIGHUP request a host shutdown (exit status 0 and
 * "tern: terminating on signal N from pid P (NAME)", as QEMU); the handler
 * only hands the signal and its sender to the main loop, whose wake-up pipe
 * also ends a start-up wait (a server's first client, a FIFO's reader).
 * No SA_RESTART, so a blocking call (an open(), a connect()) returns EINTR
 * too instead of resuming.
 *
 * -daemonize and -pidfile act here, at QEMU's point: once the options are
 * read and before the machine is created (tern_init()'s before-machine
 * hook).  The process forks, and the daemon writes the pid file; the parent
 * waits for the daemon to finish start-up and exits 0 (1 if it fails).  Once
 * tern_init() is done, the daemon leaves its session, moves to "/" and puts
 * /dev/null on stdin, stdout and stderr, as QEMU's does.  The pid file is
 * locked while the process runs and removed when it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "core/main-loop.h"
#include "core/tern.h"
#include "core/vl.h"

static void on_signal(int signo, siginfo_t *info, void *context)
{
    (void)context;
    /* si_pid means a sender only for signals a process sent (kill, sigqueue). */
    main_loop_shutdown_from_signal(signo, info && info->si_code <= 0 ? (int)info->si_pid : 0);
}

static void install_signal_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/*
 * Creates and locks path and writes "PID\n" into it; the fd stays open (the
 * lock lasts while the process runs).  *written gets the absolute path, for
 * removal after a chdir.  Errors as QEMU's.
 */
static bool write_pidfile(const char *path, char **written, Error **errp)
{
    char *text;
    char resolved[PATH_MAX];
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    bool ok;

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", path);
        return false;
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        error_setg_errno(errp, errno, "Cannot lock pid file");
        close(fd);
        return false;
    }
    if (ftruncate(fd, 0) < 0) {
        error_setg_errno(errp, errno, "Failed to write pid file");
        goto fail;
    }
    /*
     * As QEMU, no reason given for a failed write: a short one (a file size
     * limit) sets no errno, and a stale errno would name the wrong cause.
     */
    text = g_strdup_printf("%d\n", (int)getpid());
    ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    g_free(text);
    if (!ok) {
        error_setg(errp, "Failed to write pid file");
        goto fail;
    }
    *written = g_strdup(realpath(path, resolved) ? resolved : path);
    return true;

fail:
    unlink(path); /* ours (locked): not left half written, as QEMU */
    close(fd);
    return false;
}

/*
 * -daemonize: returns in the daemon with *notify the pipe to its first
 * parent; in the two parents returns the status they must _exit with (the
 * first waits for the daemon's word: 0 when it runs, else 1).  Nothing is
 * cleaned up in the parents: the daemon owns the sockets and files.
 */
static int daemon_fork(int *notify)
{
    int fds[2];
    pid_t pid;
    char status = 1;

    fflush(NULL);
    if (pipe(fds) < 0) {
        perror("tern: -daemonize: pipe");
        return 1;
    }
    pid = fork();
    if (pid < 0) {
        perror("tern: -daemonize: fork");
        return 1;
    }
    if (pid > 0) {
        ssize_t n;

        close(fds[1]);
        do {
            n = read(fds[0], &status, 1);
        } while (n < 0 && errno == EINTR);
        return n == 1 && status == 0 ? 0 : 1;
    }
    close(fds[0]);
    setsid();
    pid = fork();
    if (pid != 0) {
        return pid > 0 ? 0 : 1; /* the middle process: the daemon is not a session leader */
    }
    *notify = fds[1];
    return -1;
}

/* The daemon's last step of start-up: "/", /dev/null on stdio, the parent told. */
static void daemon_ready(int notify)
{
    int null = open("/dev/null", O_RDWR);
    char ok = 0;

    if (chdir("/") < 0) {
        perror("tern: -daemonize: chdir /");
    }
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) {
            close(null);
        }
    }
    if (write(notify, &ok, 1) != 1) {
        /* the parent is gone: nobody to tell */
    }
    close(notify);
}

static char *pidfile;   /* the pid file written (absolute), removed at exit */
static int notify = -1; /* the daemon's pipe to its first parent */

/*
 * Before the machine is created, as QEMU: fork (the parents exit here) and
 * write the pid file, so a failure shows before any socket is opened.  An
 * error from here on makes the daemon exit 1, and its parent with it.
 */
static bool daemonize_and_write_pidfile(Error **errp)
{
    if (vl_daemonize()) {
        int parent_status = daemon_fork(&notify);

        if (parent_status >= 0) {
            _exit(parent_status);
        }
    }
    if (vl_pidfile() && !write_pidfile(vl_pidfile(), &pidfile, errp)) {
        error_prepend(errp, "cannot create PID file: ");
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    Error *err = NULL;
    int status = 0;

    install_signal_handlers();
    vl_set_before_machine_hook(daemonize_and_write_pidfile);
    switch (tern_init(argc, argv, &err)) {
    case TERN_INIT_ERROR:
        error_report_err(err);
        status = 1;
        break;
    case TERN_INIT_DONE:
        break;
    case TERN_INIT_RUN:
        if (notify >= 0) {
            daemon_ready(notify);
            notify = -1;
        }
        status = tern_main_loop();
        break;
    }
    if (notify >= 0) {
        close(notify);
    }
    if (pidfile) {
        unlink(pidfile);
        g_free(pidfile);
    }
    tern_cleanup();
    return status;
}
