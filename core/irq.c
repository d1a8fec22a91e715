/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * irq.c - interrupt lines: a handler, its opaque and a line number.
 *
 * qemu_set_irq() calls the handler every time, and the receiving device
 * keeps whatever state it needs; the line also remembers the last level set,
 * for snapshots and their digests.  A line may carry its owner (who set it
 * is qdev.c, which keeps a device's inputs and outputs); irq.c only stores it.
 */
#include "core/irq.h"

#include <glib.h>

#include "core/object.h"
#include "core/trace.h"

/* The receiving device's type, its GPIO list and the line: "riscv.sifive.plic[10]". */
TRACE_EVENT(irq_set, "line %s%s%s[%d] level %d",
            (const char *owner, const char *sep, const char *list, int n, int level),
            (owner, sep, list, n, level))

struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
    void *owner;           /* whose input this is, or NULL */
    const char *list_name; /* the owner's GPIO list (NULL: unnamed); owned by the owner */
    int level;             /* last level set */
};

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq irq = g_new0(struct IRQState, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq *irqs = g_new0(qemu_irq, n > 0 ? n : 1);

    for (int i = 0; i < n; i++) {
        irqs[i] = qemu_allocate_irq(handler, opaque, i);
    }
    return irqs;
}

void qemu_free_irq(qemu_irq irq)
{
    g_free(irq);
}

void qemu_free_irqs(qemu_irq *irqs, int n)
{
    if (!irqs) {
        return;
    }
    for (int i = 0; i < n; i++) {
        qemu_free_irq(irqs[i]);
    }
    g_free(irqs);
}

void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq) {
        irq->level = level;
        if (trace_event_enabled(irq_set)) {
            trace_irq_set(irq->owner ? object_get_typename(irq->owner) : "unowned",
                          irq->list_name ? "." : "", irq->list_name ? irq->list_name : "", irq->n,
                          level);
        }
    }
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

void qemu_irq_set_handler(qemu_irq irq, qemu_irq_handler handler, void *opaque,
                          qemu_irq_handler *old_handler, void **old_opaque)
{
    if (old_handler) {
        *old_handler = irq->handler;
    }
    if (old_opaque) {
        *old_opaque = irq->opaque;
    }
    irq->handler = handler;
    irq->opaque = opaque;
}

int qemu_irq_get_line(qemu_irq irq)
{
    return irq->n;
}

void qemu_irq_set_owner(qemu_irq irq, void *owner, const char *list_name)
{
    irq->owner = owner;
    irq->list_name = list_name;
}

void *qemu_irq_get_owner(qemu_irq irq, const char **list_name)
{
    if (list_name) {
        *list_name = irq ? irq->list_name : NULL;
    }
    return irq ? irq->owner : NULL;
}

int qemu_irq_get_level(qemu_irq irq)
{
    return irq ? irq->level : 0;
}

void qemu_irq_restore_level(qemu_irq irq, int level)
{
    if (irq) {
        irq->level = level;
    }
}
