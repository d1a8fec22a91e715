/*
 * fuzz-main.c - main() of tern-fuzz when not built with libFuzzer.
 */
#include "core/tern.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "tern-fuzz: no fuzz targets are built yet\n");
    return 1;
}
