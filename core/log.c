/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.c - the debug log behind -d and -D.  Not an error channel: errors for
 * the user travel as Error and are printed by main().
 */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "core/main-loop.h"
#include "core/trace.h"

const LogItem log_items[] = {
    {LOG_EXEC, "exec", "show trace before each executed instruction block"},
    {LOG_IN_ASM, "in_asm", "show guest instructions as they are decoded"},
    {LOG_INT, "int", "show interrupts and exceptions"},
    {LOG_CPU, "cpu", "show hart state before each block"},
    {LOG_MMU, "mmu", "log MMU-related activity"},
    {LOG_GUEST_ERROR, "guest_errors", "log when the guest accesses invalid state"},
    {LOG_UNIMP, "unimp", "log unimplemented functionality"},
    {LOG_PAGE, "page", "dump pages at start-up"},
    {LOG_STRACE, "strace", "log every user-mode syscall"},
    {LOG_NOCHAIN, "nochain", "do not chain translated blocks"},
    {LOG_QTEST, "qtest", "log qtest commands and replies"},
    {0, NULL, NULL},
};

static uint32_t log_mask;
static FILE *log_file;

bool log_parse_items(const char *str, uint32_t *mask, Error **errp)
{
    gchar **parts = g_strsplit(str, ",", -1);
    uint32_t result = 0;
    bool ok = true;

    for (gchar **p = parts; *p; p++) {
        const LogItem *item;

        if (!**p) {
            error_setg(errp, "empty log item in '%s'", str);
            ok = false;
            break;
        }
        if (g_str_has_prefix(*p, "trace:")) {
            continue; /* trace events, not a mask bit: log_enable_trace_items() */
        }
        if (!strcmp(*p, "all")) {
            for (item = log_items; item->name; item++) {
                result |= item->mask;
            }
            continue;
        }
        for (item = log_items; item->name; item++) {
            if (!strcmp(*p, item->name)) {
                result |= item->mask;
                break;
            }
        }
        if (!item->name) {
            error_setg(errp, "unknown log item '%s' (-d help lists them)", *p);
            ok = false;
            break;
        }
    }
    g_strfreev(parts);
    if (ok) {
        *mask = result;
    }
    return ok;
}

void log_print_help(void)
{
    printf("Log items (comma separated):\n");
    for (const LogItem *item = log_items; item->name; item++) {
        printf("%-15s %s\n", item->name, item->help);
    }
    printf("%-15s %s\n", "all", "every item above");
    printf("%-15s %s\n", "trace:PATTERN", "enable trace events");
    printf("Use \"-trace help\" to get a list of trace events.\n");
}

void log_enable_trace_items(const char *str)
{
    gchar **parts = g_strsplit(str, ",", -1);

    for (gchar **p = parts; *p; p++) {
        if (g_str_has_prefix(*p, "trace:")) {
            trace_enable_events(*p + strlen("trace:"));
        }
    }
    g_strfreev(parts);
}

void log_set_mask(uint32_t mask)
{
    log_mask = mask;
}

uint32_t log_get_mask(void)
{
    return log_mask;
}

bool log_set_file(const char *filename, Error **errp)
{
    FILE *f = NULL;

    if (filename) {
        /* A FIFO waits for its reader, as QEMU; a shutdown signal ends the wait. */
        int fd = main_loop_open_output(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
            error_setg_errno(errp, errno, "cannot open log file '%s'", filename);
            if (fd >= 0) {
                close(fd);
            }
            return false;
        }
        setvbuf(f, NULL, _IOLBF, 0);
    }
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    return true;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    error_before_write(); /* lines held for the same file go first (core/error.h) */
    va_start(ap, fmt);
    vfprintf(log_file ? log_file : stderr, fmt, ap);
    va_end(ap);
}

void log_write(const char *buf, size_t len)
{
    /* stderr is unbuffered: one write, so other writers' lines never land inside this one. */
    error_before_write(); /* a trace line after the qtest log lines held before it */
    fwrite(buf, 1, len, log_file ? log_file : stderr);
}

void log_reset(void)
{
    if (log_file) {
        fclose(log_file);
        log_file = NULL;
    }
    log_mask = 0;
}
