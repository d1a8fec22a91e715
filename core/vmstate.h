/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmstate.h - a device's state as a table of fields, not hand-written
 * save/load code.  Snapshots (and fuzzers resetting between inputs) save
 * every device's fields and restore them later; after a restore the device's
 * post_load recomputes what is derived (IRQ levels).
 *
 * A field is a run of plain bytes inside the device struct (integers,
 * arrays, fixed buffers) or a Timer * whose deadline is saved and re-armed.
 * Pointers to anything else must not be listed: they are configuration, not
 * state.  The layout of saved state is "fields in table order, each at its
 * size": valid for the same build, which is all a snapshot needs.
 *
 * A third kind, VMSTATE_UNSAVED, names a member that is neither state nor
 * configuration (scratch that is refilled before every use).  It is not
 * saved; it is listed so that the snapshot check mode (snapshot.h), which
 * compares a device's whole instance after a restore, knows to skip it.
 *
 * vmstate_validate() checks a table against the instance it describes
 * (fields inside the instance, non-empty, not overlapping, names unique,
 * timers saved as 8 bytes); snapshot_take() runs it on every device.
 */
#ifndef TERN_VMSTATE_H
#define TERN_VMSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "core/error.h"

typedef enum {
    VMS_BYTES,   /* size plain bytes at offset */
    VMS_TIMER,   /* a Timer * at offset: its deadline (int64_t ns, -1 when disarmed) is saved */
    VMS_UNSAVED, /* size bytes at offset that are not state: not saved, not checked */
} VMStateKind;

typedef struct VMStateField {
    const char *name;
    size_t offset;
    size_t size;
    VMStateKind kind;
} VMStateField;

typedef struct VMStateDescription {
    const char *name;
    const VMStateField *fields; /* terminated by VMSTATE_END_OF_LIST() */
    /* After a load: recompute derived state (outputs, IRQ lines). */
    void (*post_load)(void *opaque);
} VMStateDescription;

#define VMSTATE_FIELD_(f, s, sz)                                                                   \
    {                                                                                              \
        .name = #f, .offset = offsetof(s, f), .size = (sz), .kind = VMS_BYTES                      \
    }
/* Any plain-data field: its size comes from the struct. */
#define VMSTATE_PLAIN(f, s)  VMSTATE_FIELD_(f, s, sizeof(((s *)0)->f))
#define VMSTATE_BOOL(f, s)   VMSTATE_PLAIN(f, s)
#define VMSTATE_UINT8(f, s)  VMSTATE_PLAIN(f, s)
#define VMSTATE_UINT16(f, s) VMSTATE_PLAIN(f, s)
#define VMSTATE_UINT32(f, s) VMSTATE_PLAIN(f, s)
#define VMSTATE_UINT64(f, s) VMSTATE_PLAIN(f, s)
#define VMSTATE_INT32(f, s)  VMSTATE_PLAIN(f, s)
#define VMSTATE_INT64(f, s)  VMSTATE_PLAIN(f, s)
#define VMSTATE_ARRAY(f, s)  VMSTATE_PLAIN(f, s) /* a fixed-size array member */
#define VMSTATE_TIMER_PTR(f, s)                                                                    \
    {                                                                                              \
        .name = #f, .offset = offsetof(s, f), .size = sizeof(int64_t), .kind = VMS_TIMER           \
    }
/* Scratch that is not state (see above): occupies no bytes in the saved state. */
#define VMSTATE_UNSAVED(f, s)                                                                      \
    {                                                                                              \
        .name = #f, .offset = offsetof(s, f), .size = sizeof(((s *)0)->f), .kind = VMS_UNSAVED     \
    }
#define VMSTATE_END_OF_LIST()                                                                      \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/* Bytes vmstate_save appends (timers count 8, VMSTATE_UNSAVED members 0). */
size_t vmstate_size(const VMStateDescription *vmsd);
void vmstate_save(const VMStateDescription *vmsd, const void *opaque, GByteArray *out);
/*
 * Restores from buf (exactly vmstate_size bytes), then calls post_load.  A
 * wrong length fails with *errp naming the table, and changes nothing.
 */
bool vmstate_load(const VMStateDescription *vmsd, void *opaque, const uint8_t *buf, size_t len,
                  Error **errp);
/*
 * Copies the plain fields back from buf (exactly vmstate_size bytes): no
 * timer is touched and post_load is not called.  Snapshot restore uses it
 * after every post_load has run, to undo what one device's post_load did to
 * another through an IRQ line.
 */
bool vmstate_load_plain(const VMStateDescription *vmsd, void *opaque, const uint8_t *buf,
                        size_t len, Error **errp);

/*
 * Checks the table against an instance of instance_size bytes: a name, a
 * field list, every field named (names unique), non-empty and inside the
 * instance (a timer field covers a Timer * there), no two fields
 * overlapping, timers saved as 8 bytes.  The error names the table and the
 * field.
 */
bool vmstate_validate(const VMStateDescription *vmsd, size_t instance_size, Error **errp);
/* The field (any kind) covering byte offset of the instance, or NULL. */
const VMStateField *vmstate_field_at(const VMStateDescription *vmsd, size_t offset);
/*
 * The first field whose saved bytes differ between two saved states a and b
 * (both vmstate_size bytes), or NULL when they are equal.
 */
const VMStateField *vmstate_first_difference(const VMStateDescription *vmsd, const uint8_t *a,
                                             const uint8_t *b);

#endif
