/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot-bench.c - what the snapshot core costs on a virt machine
 * (-accel qtest, no firmware): take, restore and digest of an idle machine,
 * then restore after dirtying N RAM pages (0 to 4096, doubling), for -m 128M
 * and -m 2G.  Prints medians in microseconds; the dirty-page table is in
 * markdown, as docs/fuzzing.md ("Benchmark") shows it.  Not a test: figures vary with the host; the
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
    static const unsigned dirty[] = {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
    double *t = g_new(double, runs);
    Error *err = NULL;
    double t0, idle = 0;

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
    /*
     * One restore against the pages written since the last one: the fuzz
     * runner's cost per input beyond the input itself.  "per page" is the
     * cost above the idle restore, spread over the pages.
     */
    printf("\n| -m %s: dirty pages | restore (us) | per page (us) | pages copied or zeroed |\n",
           mem);
    printf("|---:|---:|---:|---:|\n");
    for (size_t k = 0; k < G_N_ELEMENTS(dirty); k++) {
        char per_page[32] = "-";
        double m;

        for (int i = 0; i < runs; i++) {
            dirty_pages(dirty[k], (uint64_t)i);
            t0 = now_us();
            snapshot_restore(&error_abort);
            t[i] = now_us() - t0;
        }
        m = median(t, runs);
        if (!k) {
            idle = m;
        } else {
            snprintf(per_page, sizeof(per_page), "%.3f", (m - idle) / dirty[k]);
        }
        printf("| %u | %.2f | %s | %zu |\n", dirty[k], m, per_page,
               snapshot_stats()->pages_restored + snapshot_stats()->pages_zeroed);
    }
    printf("\n");
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
