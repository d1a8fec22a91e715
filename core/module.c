/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module.c - the per-type lists behind module_init().
 *
 * Constructors run before main() and before any allocator set-up we control,
 * so the lists are fixed arrays: no malloc, nothing to free at exit.  The
 * "done" flags make module_call_init() idempotent, which is what lets
 * tern_init()/tern_cleanup() run many times in one process: type and option
 * registrations are process-wide and made once.
 */
#include "core/module.h"

#include <stddef.h>

#define MODULE_MAX_PER_TYPE 512

typedef struct {
    void (*fns[MODULE_MAX_PER_TYPE])(void);
    size_t count;
    bool done;
} ModuleList;

static ModuleList module_lists[MODULE_INIT_MAX];

void register_module_init(void (*fn)(void), ModuleInitType type)
{
    ModuleList *list = &module_lists[type];

    /* A fixed build registers a fixed number; raising the limit is a code change. */
    if (list->count < MODULE_MAX_PER_TYPE) {
        list->fns[list->count++] = fn;
    }
}

void module_call_init(ModuleInitType type)
{
    ModuleList *list = &module_lists[type];

    if (list->done) {
        return;
    }
    list->done = true;
    for (size_t i = 0; i < list->count; i++) {
        list->fns[i]();
    }
}

bool module_init_done(ModuleInitType type)
{
    return module_lists[type].done;
}
