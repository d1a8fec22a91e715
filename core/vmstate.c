/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmstate.c - saving and restoring field tables (see vmstate.h).
 *
 * Saved state is the fields in table order, each at its saved size: plain
 * fields as their bytes, timers as their deadline (int64_t ns in host order,
 * -1 when disarmed), unsaved members not at all.  Loading checks the length
 * first, so a bad buffer changes nothing.  Not here: which devices are saved
 * (snapshot.c walks the machine).
 */
#include "core/vmstate.h"

#include <string.h>

#include "core/timer.h"

/* Bytes a field takes in saved state. */
static size_t field_saved_size(const VMStateField *f)
{
    return f->kind == VMS_UNSAVED ? 0 : f->size;
}

/* Bytes a field covers in the instance. */
static size_t field_extent(const VMStateField *f)
{
    return f->kind == VMS_TIMER ? sizeof(Timer *) : f->size;
}

size_t vmstate_size(const VMStateDescription *vmsd)
{
    size_t total = 0;

    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        total += field_saved_size(f);
    }
    return total;
}

void vmstate_save(const VMStateDescription *vmsd, const void *opaque, GByteArray *out)
{
    const uint8_t *base = opaque;

    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        if (f->kind == VMS_TIMER) {
            Timer *t = *(Timer *const *)(base + f->offset);
            int64_t expire = t ? timer_expire_time_ns(t) : -1;
            g_byte_array_append(out, (const guint8 *)&expire, sizeof(expire));
        } else if (f->kind == VMS_BYTES) {
            g_byte_array_append(out, base + f->offset, f->size);
        }
    }
}

static bool vmstate_check_length(const VMStateDescription *vmsd, size_t len, Error **errp)
{
    size_t expected = vmstate_size(vmsd);

    if (len != expected) {
        error_setg(errp, "state of '%s' is %zu bytes, expected %zu", vmsd->name, len, expected);
        return false;
    }
    return true;
}

bool vmstate_load(const VMStateDescription *vmsd, void *opaque, const uint8_t *buf, size_t len,
                  Error **errp)
{
    uint8_t *base = opaque;

    if (!vmstate_check_length(vmsd, len, errp)) {
        return false;
    }
    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        if (f->kind == VMS_TIMER) {
            Timer *t = *(Timer **)(base + f->offset);
            int64_t expire;
            memcpy(&expire, buf, sizeof(expire));
            if (t && expire >= 0) {
                timer_mod_ns(t, expire);
            } else if (t) {
                timer_del(t);
            }
        } else if (f->kind == VMS_BYTES) {
            memcpy(base + f->offset, buf, f->size);
        }
        buf += field_saved_size(f);
    }
    if (vmsd->post_load) {
        vmsd->post_load(opaque);
    }
    return true;
}

bool vmstate_load_plain(const VMStateDescription *vmsd, void *opaque, const uint8_t *buf,
                        size_t len, Error **errp)
{
    uint8_t *base = opaque;

    if (!vmstate_check_length(vmsd, len, errp)) {
        return false;
    }
    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        if (f->kind == VMS_BYTES) {
            memcpy(base + f->offset, buf, f->size);
        }
        buf += field_saved_size(f);
    }
    return true;
}

bool vmstate_validate(const VMStateDescription *vmsd, size_t instance_size, Error **errp)
{
    const char *name = vmsd && vmsd->name ? vmsd->name : "(unnamed)";

    if (!vmsd || !vmsd->name) {
        error_setg(errp, "state table %s has no name", name);
        return false;
    }
    if (!vmsd->fields) {
        error_setg(errp, "state table '%s' has no field list", name);
        return false;
    }
    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        size_t extent = field_extent(f);

        if (f->kind != VMS_BYTES && f->kind != VMS_TIMER && f->kind != VMS_UNSAVED) {
            error_setg(errp, "state table '%s': field '%s' has an unknown kind %d", name, f->name,
                       (int)f->kind);
            return false;
        }
        if (!f->size) {
            error_setg(errp, "state table '%s': field '%s' is empty", name, f->name);
            return false;
        }
        if (f->kind == VMS_TIMER && f->size != sizeof(int64_t)) {
            error_setg(errp, "state table '%s': timer '%s' is saved as %zu bytes, not 8", name,
                       f->name, f->size);
            return false;
        }
        if (f->offset > instance_size || extent > instance_size - f->offset) {
            error_setg(errp,
                       "state table '%s': field '%s' (offset %zu, %zu bytes) lies outside the "
                       "%zu-byte instance",
                       name, f->name, f->offset, extent, instance_size);
            return false;
        }
        for (const VMStateField *g = vmsd->fields; g != f; g++) {
            if (!strcmp(g->name, f->name)) {
                error_setg(errp, "state table '%s': field '%s' is listed twice", name, f->name);
                return false;
            }
            if (g->offset < f->offset + extent && f->offset < g->offset + field_extent(g)) {
                error_setg(errp, "state table '%s': fields '%s' and '%s' overlap", name, g->name,
                           f->name);
                return false;
            }
        }
    }
    return true;
}

const VMStateField *vmstate_field_at(const VMStateDescription *vmsd, size_t offset)
{
    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        if (offset >= f->offset && offset - f->offset < field_extent(f)) {
            return f;
        }
    }
    return NULL;
}

const VMStateField *vmstate_first_difference(const VMStateDescription *vmsd, const uint8_t *a,
                                             const uint8_t *b)
{
    size_t pos = 0;

    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        size_t n = field_saved_size(f);

        if (n && memcmp(a + pos, b + pos, n)) {
            return f;
        }
        pos += n;
    }
    return NULL;
}
