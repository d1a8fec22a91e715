/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accel.c - the accelerator registry.  Does not run anything itself.
 */
#include "core/accel.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#define ACCEL_MAX 8

static const AccelOps *accels[ACCEL_MAX];
static int accel_count;
static const AccelOps *current;

void accel_register(const AccelOps *ops)
{
    assert(!accel_find(ops->name));
    assert(accel_count < ACCEL_MAX);
    accels[accel_count++] = ops;
}

const AccelOps *accel_find(const char *name)
{
    for (int i = 0; i < accel_count; i++) {
        if (!strcmp(accels[i]->name, name)) {
            return accels[i];
        }
    }
    return NULL;
}

const AccelOps *accel_current(void)
{
    return current;
}

bool accel_configure(const char *name, Error **errp)
{
    const AccelOps *ops = accel_find(name);

    if (!ops) {
        error_setg(errp, "invalid accelerator '%s' (-accel help lists them)", name);
        return false;
    }
    if (ops->init_machine && !ops->init_machine(errp)) {
        error_prepend(errp, "accelerator '%s': ", name);
        return false;
    }
    current = ops;
    return true;
}

static int accel_compare(const void *a, const void *b)
{
    const AccelOps *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

void accel_print_help(void)
{
    const AccelOps *sorted[ACCEL_MAX];

    memcpy(sorted, accels, sizeof(accels[0]) * accel_count);
    qsort(sorted, accel_count, sizeof(sorted[0]), accel_compare);
    printf("Accelerators supported in Tern binary:\n");
    for (int i = 0; i < accel_count; i++) {
        printf("%-10s %s\n", sorted[i]->name, sorted[i]->desc);
    }
}

void accel_reset(void)
{
    if (current && current->cleanup) {
        current->cleanup();
    }
    current = NULL;
}
