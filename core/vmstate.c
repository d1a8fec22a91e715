/*
 * vmstate.c - saving and restoring field tables (see vmstate.h).
 */
#include "core/vmstate.h"

#include <string.h>

#include "core/timer.h"

size_t vmstate_size(const VMStateDescription *vmsd)
{
    size_t total = 0;

    for (const VMStateField *f = vmsd->fields; f->name; f++) {
        total += f->size;
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
        } else {
            g_byte_array_append(out, base + f->offset, f->size);
        }
    }
}

bool vmstate_load(const VMStateDescription *vmsd, void *opaque, const uint8_t *buf, size_t len,
                  Error **errp)
{
    uint8_t *base = opaque;

    if (len != vmstate_size(vmsd)) {
        error_setg(errp, "state of '%s' is %zu bytes, expected %zu", vmsd->name, len,
                   vmstate_size(vmsd));
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
        } else {
            memcpy(base + f->offset, buf, f->size);
        }
        buf += f->size;
    }
    if (vmsd->post_load) {
        vmsd->post_load(opaque);
    }
    return true;
}
