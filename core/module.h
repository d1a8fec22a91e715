/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module.h - init functions registered before main() by constructors.
 *
 * Each file that provides something (an object type, an option group, a fuzz
 * target, ...) registers one init function per kind with module_init().  The
 * runtime then runs a kind's list exactly once, in registration order, when
 * start-up reaches the step that needs it.  This file knows nothing of what
 * the init functions do.
 */
#ifndef TERN_MODULE_H
#define TERN_MODULE_H

#include <stdbool.h>

typedef enum {
    MODULE_INIT_MIGRATION,
    MODULE_INIT_BLOCK,
    MODULE_INIT_OPTS,
    MODULE_INIT_QOM,
    MODULE_INIT_TRACE,
    MODULE_INIT_FUZZ_TARGET,
    MODULE_INIT_MAX
} ModuleInitType;

/* Appends fn to the list of its type; called from constructors only. */
void register_module_init(void (*fn)(void), ModuleInitType type);

/*
 * Runs every function registered for type, once per process: a second call
 * does nothing.  Registration order is kept (link order, then file order).
 */
void module_call_init(ModuleInitType type);

/* True once module_call_init(type) has run. */
bool module_init_done(ModuleInitType type);

#define module_init(function, type)                                                                \
    static void __attribute__((constructor)) do_tern_init_##function(void)                         \
    {                                                                                              \
        register_module_init(function, type);                                                      \
    }

#define migration_init(function)   module_init(function, MODULE_INIT_MIGRATION)
#define block_init(function)       module_init(function, MODULE_INIT_BLOCK)
#define opts_init(function)        module_init(function, MODULE_INIT_OPTS)
#define type_init(function)        module_init(function, MODULE_INIT_QOM)
#define trace_init(function)       module_init(function, MODULE_INIT_TRACE)
#define fuzz_target_init(function) module_init(function, MODULE_INIT_FUZZ_TARGET)

#endif
