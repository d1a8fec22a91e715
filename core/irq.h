/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * irq.h - interrupt lines: a level-triggered signal from one device's output
 * to a handler of another's input.  Named as in QEMU so that device code
 * reads the same.  A qemu_irq is owned by whoever allocated it (a device's
 * GPIO inputs are freed with the device).  Setting a NULL irq does nothing:
 * an unconnected output is legal.
 *
 * A line may name its owner: the device whose input it is and the GPIO list
 * it belongs to (qdev sets both for every input it allocates).  Wiring code
 * reads them back to learn where an output was connected (hw/sysbus.c
 * writes a node's interrupts from it); the handler and opaque cannot tell,
 * since an interceptor may replace them.
 */
#ifndef TERN_IRQ_H
#define TERN_IRQ_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*qemu_irq_handler)(void *opaque, int n, int level);
typedef struct IRQState *qemu_irq;

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
/* n lines numbered 0..n-1 (free with qemu_free_irqs). */
qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);
void qemu_free_irqs(qemu_irq *irqs, int n);

void qemu_set_irq(qemu_irq irq, int level);
static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}
static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}
static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

/*
 * Replaces the handler of irq (and its opaque); the old ones are returned so
 * that an interceptor (qtest's irq_intercept_in) can chain or restore.
 */
void qemu_irq_set_handler(qemu_irq irq, qemu_irq_handler handler, void *opaque,
                          qemu_irq_handler *old_handler, void **old_opaque);
int qemu_irq_get_line(qemu_irq irq);

/* Records whose input irq is (owner, and the name of its GPIO list; NULL: unnamed). */
void qemu_irq_set_owner(qemu_irq irq, void *owner, const char *list_name);
/* The owner recorded for irq, or NULL (also for a NULL irq); *list_name may be NULL. */
void *qemu_irq_get_owner(qemu_irq irq, const char **list_name);
/*
 * The level last set on irq (0 until set; any non-zero level reads as
 * given).  Snapshots save it; qemu_irq_restore_level() puts a saved level
 * back without calling the handler (the receiver restores its own state).
 */
int qemu_irq_get_level(qemu_irq irq);
void qemu_irq_restore_level(qemu_irq irq, int level);

#endif
