/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the -d / -D debug log, in QEMU's item names and line format.
 *
 * Items are bits in a mask; tern_log_mask(LOG_GUEST_ERROR, ...) writes only
 * when the item is enabled.  The log goes to stderr, or to the -D file.
 */
#ifndef TERN_LOG_H
#define TERN_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define LOG_EXEC        (1u << 0)
#define LOG_IN_ASM      (1u << 1)
#define LOG_INT         (1u << 2)
#define LOG_CPU         (1u << 3)
#define LOG_MMU         (1u << 4)
#define LOG_GUEST_ERROR (1u << 5)
#define LOG_UNIMP       (1u << 6)
#define LOG_PAGE        (1u << 7)
#define LOG_STRACE      (1u << 8)
#define LOG_NOCHAIN     (1u << 9)
#define LOG_QTEST       (1u << 10)

typedef struct LogItem {
    uint32_t mask;
    const char *name;
    const char *help;
} LogItem;

/* The items -d accepts, terminated by a NULL name. */
extern const LogItem log_items[];

/* Parses "item,item,..." ("all" for every item); on error names the item. */
bool log_parse_items(const char *str, uint32_t *mask, Error **errp);
void log_print_help(void);
/* Enables the trace events of the "trace:PATTERN" items of str (QEMU's -d trace:). */
void log_enable_trace_items(const char *str);

void log_set_mask(uint32_t mask);
uint32_t log_get_mask(void);
static inline bool log_enabled(uint32_t item)
{
    return (log_get_mask() & item) != 0;
}
/* Opens FILE for the log (NULL: stderr).  Truncates it, as QEMU does. */
bool log_set_file(const char *filename, Error **errp);
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define tern_log_mask(item, ...)                                                                   \
    do {                                                                                           \
        if (log_enabled(item)) {                                                                   \
            log_printf(__VA_ARGS__);                                                               \
        }                                                                                          \
    } while (0)
/* Writes len bytes of buf to the log as they are (one write on stderr). */
void log_write(const char *buf, size_t len);
/* Closes the log file and clears the mask (tern_cleanup). */
void log_reset(void);

#endif
