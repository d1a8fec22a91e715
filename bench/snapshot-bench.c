/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot-bench.c - what the snapshot core costs on a virt machine
 * (-accel qtest, no firmware): take, restore and digest of an idle machine,
 * then restore after dirtying N RAM pages, for -m 128M and -m 2G.  Prints
 * medians in microseconds.  Not a test: figures vary with the host; the
 * work counted (pages copied) is what tests/unit/test-snapshot.c asserts.
 * Usage: bench-snapshot [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>

#include "core/memory.h"
#include "core/snapshot.h"
#include "core/tern.h"

#define DRAM 0x80000000ull

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), compare);
    return v[n / 2];
}

static void dirty_pages(unsigned pages, uint64_t round)
{
    for (unsigned i = 0; i < pages; i++) {
        uint64_t v = round + i + 1;
        address_space_write(address_space_memory(), DRAM + 0x200000 + (hwaddr)i * 4096, &v,
                            sizeof(v));
    }
}

static int bench_machine(const char *mem, int runs)
{
    char *args[] = {"tern", "-nouserconfig", "-M",     "virt",  "-bios", "none", "-S", "-display",
                    "none", "-nodefaults",   "-accel", "qtest", "-m",    NULL,   NULL};
    static const unsigned dirty[] = {1, 16, 256, 4096};
    double *t = g_new(double, runs);
    Error *err = NULL;
    double t0;

    args[13] = (char *)mem;
    if (tern_init(G_N_ELEMENTS(args) - 1, args, &err) != TERN_INIT_RUN) {
        error_report_err(err);
        return 1;
    }
    for (int i = 0; i < runs; i++) {
        t0 = now_us();
        if (!snapshot_take(&err)) {
            error_report_err(err);
            return 1;
        }
        t[i] = now_us() - t0;
    }
    printf("%-5s take                       %10.2f us\n", mem, median(t, runs));
    for (int i = 0; i < runs; i++) {
        t0 = now_us();
        snapshot_restore(&error_abort);
        t[i] = now_us() - t0;
    }
    printf("%-5s restore, idle              %10.2f us\n", mem, median(t, runs));
    for (int i = 0; i < runs; i++) {
        t0 = now_us();
        g_free(snapshot_digest(&error_abort));
        t[i] = now_us() - t0;
    }
    printf("%-5s digest, idle               %10.2f us\n", mem, median(t, runs));
    for (size_t k = 0; k < G_N_ELEMENTS(dirty); k++) {
        for (int i = 0; i < runs; i++) {
            dirty_pages(dirty[k], (uint64_t)i);
            t0 = now_us();
            snapshot_restore(&error_abort);
            t[i] = now_us() - t0;
        }
        printf("%-5s restore, %4u pages dirty %10.2f us (%zu pages copied or zeroed)\n", mem,
               dirty[k], median(t, runs),
               snapshot_stats()->pages_restored + snapshot_stats()->pages_zeroed);
    }
    tern_cleanup();
    g_free(t);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 101;

    if (runs < 1) {
        fprintf(stderr, "usage: bench-snapshot [RUNS]\n");
        return 1;
    }
    return bench_machine("128M", runs) || bench_machine("2G", runs);
}
