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
 */
#ifndef TERN_VMSTATE_H
#define TERN_VMSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "core/error.h"

typedef enum { VMS_BYTES, VMS_TIMER } VMStateKind;

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
#define VMSTATE_END_OF_LIST()                                                                      \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/* Bytes vmstate_save appends. */
size_t vmstate_size(const VMStateDescription *vmsd);
void vmstate_save(const VMStateDescription *vmsd, const void *opaque, GByteArray *out);
/* Restores from buf (exactly vmstate_size bytes), then calls post_load. */
bool vmstate_load(const VMStateDescription *vmsd, void *opaque, const uint8_t *buf, size_t len,
                  Error **errp);

#endif
