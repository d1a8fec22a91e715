/*
 * vl.c - start-up: the command line in two passes, then the machine in phases.
 */
#include "core/tern.h"
#include "core/module.h"

#include <stdio.h>
#include <string.h>

TernInitResult tern_init(int argc, char **argv, Error **errp)
{
    module_call_init(MODULE_INIT_OPTS);
    module_call_init(MODULE_INIT_QOM);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-version") || !strcmp(argv[i], "--version")) {
            printf("Tern emulator version %s\n", TERN_VERSION);
            return TERN_INIT_DONE;
        }
    }
    error_setg(errp, "the command line is not implemented yet");
    return TERN_INIT_ERROR;
}

int tern_main_loop(void)
{
    return 0;
}

void tern_cleanup(void)
{
}
