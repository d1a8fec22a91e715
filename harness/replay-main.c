/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay-main.c - main() of tern-replay, the headless replayer.
 *
 * The trace format, replay checker, regression runner and minimizer are the
 * replay issue's.  Until then the program builds and links the whole core
 * (so the link is tested from the start) and says plainly that it cannot
 * replay yet.
 */
#include <stdio.h>
#include <string.h>

#include "core/tern.h"

int main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-version"))) {
        printf("tern-replay %s\n", TERN_VERSION);
        return 0;
    }
    fprintf(stderr, "tern-replay: trace replay is not part of this build yet\n");
    return 2;
}
