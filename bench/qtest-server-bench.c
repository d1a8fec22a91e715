/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-server-bench.c - the qtest server's own cost per command, without
 * a process or a pipe: tern_init() on QEMU's oracle command line, an
 * in-process server whose replies are only counted, and a file of
 * commands fed in 64 KiB chunks (as tern's stdio reads them), with the log
 * off or to a file.  Best of ROUNDS passes, in ns per command.  It splits
 * qtest-bench.py's throughput into the server's part and the rest (the
 * kernel's pipe and page-cache copies, the reader).
 * Usage: bench-qtest-server COMMANDS-FILE [LOG-FILE|none] [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "core/tern.h"
#include "qtest/qtest.h"

#define CHUNK (64 * 1024)

static size_t replies;

static void count_replies(void *opaque, const char *text, size_t len)
{
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++) {
        replies++;
    }
}

int main(int argc, char **argv)
{
    char *args[] = {"tern",     "-nouserconfig", "-M",          "virt",   "-bios", "none", "-S",
                    "-display", "none",          "-nodefaults", "-accel", "qtest", NULL};
    const char *log = argc > 2 ? argv[2] : "none";
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    double best = 0;
    size_t commands = 0;
    char *data;
    gsize len;
    GError *gerr = NULL;

    if (argc < 2 || rounds < 1) {
        fprintf(stderr, "usage: bench-qtest-server COMMANDS-FILE [LOG-FILE|none] [ROUNDS]\n");
        return 2;
    }
    if (!g_file_get_contents(argv[1], &data, &len, &gerr)) {
        fprintf(stderr, "bench-qtest-server: %s\n", gerr->message);
        return 1;
    }
    for (gsize i = 0; i < len; i++) {
        commands += data[i] == '\n';
    }
    if (!commands) {
        fprintf(stderr, "bench-qtest-server: %s holds no command line\n", argv[1]);
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        Error *err = NULL;
        QTestServer *s;
        gint64 t0;
        double ns;

        if (tern_init(G_N_ELEMENTS(args) - 1, args, &err) != TERN_INIT_RUN) {
            if (err) {
                error_report_err(err);
            } else {
                fprintf(stderr, "bench-qtest-server: tern_init() did not set up a machine\n");
            }
            return 1;
        }
        s = qtest_server_new(count_replies, NULL);
        if (strcmp(log, "none") && !qtest_server_set_log_path(s, log, &err)) {
            error_report_err(err);
            return 1;
        }
        qtest_server_open(s);
        replies = 0;
        t0 = g_get_monotonic_time();
        for (gsize off = 0; off < len; off += CHUNK) {
            qtest_server_feed(s, data + off, len - off < CHUNK ? len - off : CHUNK);
        }
        ns = (double)(g_get_monotonic_time() - t0) * 1000.0 / (double)commands;
        qtest_server_free(s);
        tern_cleanup();
        if (replies != commands) {
            fprintf(stderr, "bench-qtest-server: %zu replies to %zu commands\n", replies, commands);
            return 1;
        }
        if (!r || ns < best) {
            best = ns;
        }
    }
    printf("%.1f ns per command (%zu commands, log %s, best of %d)\n", best, commands, log, rounds);
    g_free(data);
    return 0;
}
