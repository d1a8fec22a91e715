/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tern-main.c - main() of the tern emulator: the only place that exits.
 *
 * SIGTERM, SIGINT and SIGHUP request a host shutdown (exit status 0, as
 * QEMU); the handler only hands the signal to the main loop.
 */
#include <signal.h>
#include <string.h>

#include "core/main-loop.h"
#include "core/tern.h"

static void on_signal(int signo)
{
    main_loop_shutdown_from_signal(signo);
}

static void install_signal_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
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
