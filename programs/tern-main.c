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
 */
#include <signal.h>
#include <string.h>

#include "core/main-loop.h"
#include "core/tern.h"

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

int main(int argc, char **argv)
{
    Error *err = NULL;
    int status = 0;

    install_signal_handlers();
    switch (tern_init(argc, argv, &err)) {
    case TERN_INIT_ERROR:
        error_report_err(err);
        status = 1;
        break;
    case TERN_INIT_DONE:
        break;
    case TERN_INIT_RUN:
        status = tern_main_loop();
        break;
    }
    tern_cleanup();
    return status;
}
