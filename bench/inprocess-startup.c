/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inprocess-startup.c - start-up to first qtest reply without a process:
 * tern_init() on QEMU's oracle command line, an in-process qtest server,
 * "readl 0x1000", the reply, tern_cleanup().  This is what a fuzzer or an
 * in-process test pays per machine.  Prints the median of N runs in µs.
 * Usage: bench-inprocess-startup [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "core/tern.h"
#include "qtest/qtest.h"

static char reply[128];

static void on_reply(void *opaque, const char *text, size_t len)
{
    size_t n = len < sizeof(reply) - 1 ? len : sizeof(reply) - 1;

    memcpy(reply, text, n);
    reply[n] = '\0';
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    char *args[] = {"tern",     "-nouserconfig", "-M",          "virt",   "-bios", "none", "-S",
                    "-display", "none",          "-nodefaults", "-accel", "qtest", NULL};
    int runs = argc > 1 ? atoi(argv[1]) : 201;
    double *us = g_new(double, runs);

    for (int i = 0; i < runs; i++) {
        Error *err = NULL;
        gint64 t0 = g_get_monotonic_time();
        QTestServer *s;

        if (tern_init(G_N_ELEMENTS(args) - 1, args, &err) != TERN_INIT_RUN) {
            error_report_err(err);
            return 1;
        }
        s = qtest_server_new(on_reply, NULL);
        qtest_server_open(s);
        qtest_server_feed(s, "readl 0x1000\n", 13);
        us[i] = (double)(g_get_monotonic_time() - t0);
        qtest_server_free(s);
        tern_cleanup();
        if (strcmp(reply, "OK 0x0000000000000297\n")) {
            fprintf(stderr, "bench-inprocess-startup: unexpected reply '%s'\n", reply);
            return 1;
        }
    }
    qsort(us, runs, sizeof(double), compare);
    printf("%.1f\n", us[runs / 2]);
    g_free(us);
    return 0;
}
