/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp.h - a minimal QMP monitor (the QEMU Machine Protocol): the greeting,
 * capabilities negotiation, a handful of commands and the events that go
 * with them, over any chardev.
 *
 * Enough for QEMU's test clients: libqtest reads the greeting and sends
 * qmp_capabilities; QEMU's Python machine also uses quit, stop, cont,
 * query-status and the qom-* commands.  Monitors come from -qmp SPEC,
 * -mon chardev=ID[,mode=control][,pretty=on] and -object
 * monitor-qmp,id=X,chardev=ID[,pretty=on].
 *
 * Not here: the human monitor, out-of-band execution (the "oob" capability
 * is offered and may be enabled, but no command here supports it), and
 * events for run-state changes that did not come from a QMP command.
 */
#ifndef TERN_QMP_H
#define TERN_QMP_H

#include <stdbool.h>

#include "core/chardev.h"
#include "core/error.h"

#define TYPE_MONITOR_QMP "monitor-qmp"

/* Largest JSON value a client may send; more is refused and skipped. */
#define QMP_MAX_INPUT (1024 * 1024)
/* Deepest nesting of objects and arrays in one value (QEMU's limit). */
#define QMP_MAX_NESTING 1024

typedef struct QmpMonitor QmpMonitor;

/*
 * Serves QMP on chr (which gets this monitor as its front end).  The
 * greeting goes out when a client connects, or at once on a back end that
 * is always connected (stdio, file, ringbuf).
 */
QmpMonitor *qmp_monitor_new(Chardev *chr, bool pretty, Error **errp);
/* Detaches from the chardev (if it still exists) and frees the monitor. */
void qmp_monitor_free(QmpMonitor *mon);

/*
 * Sends event NAME to every monitor past capabilities negotiation; data is a
 * JSON object as text (e.g. "{\"guest\": false}") or NULL for none.
 */
void qmp_event_emit(const char *name, const char *data_json);

/*
 * For the qmp fuzz target, which restores the machine after every input
 * but not the host side: puts the monitor serving chardev_id back to what
 * a new client finds - capabilities not negotiated, oob off, the input
 * scanner empty - without sending the greeting.  False when no monitor
 * serves that chardev.
 */
bool qmp_monitor_reset_session(const char *chardev_id);
/* True when that monitor's session is as qmp_monitor_reset_session() leaves it. */
bool qmp_monitor_session_is_fresh(const char *chardev_id);

/* Frees every monitor; tern_cleanup() calls it before the chardevs go. */
void qmp_cleanup_all(void);

#endif
