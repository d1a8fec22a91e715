/*
 * replay-main.c - main() of tern-replay, the headless replayer.
 */
#include "core/tern.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    Error *err = NULL;
    int status = 0;

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
