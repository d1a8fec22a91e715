/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmstate-test.c - see vmstate-test.h.
 */
#include "tests/support/vmstate-test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

GByteArray *vmstate_test_save(const VMStateDescription *vmsd, const void *opaque)
{
    GByteArray *saved = g_byte_array_new();

    assert_non_null(vmsd);
    vmstate_save(vmsd, opaque, saved);
    assert_int_equal(saved->len, vmstate_size(vmsd));
    return saved;
}

void vmstate_test_load(const VMStateDescription *vmsd, void *opaque, GByteArray *saved)
{
    Error *err = NULL;
    bool ok = vmstate_load(vmsd, opaque, saved->data, saved->len, &err);

    g_byte_array_free(saved, TRUE);
    if (!ok) {
        fail_msg("vmstate_load of '%s': %s", vmsd->name,
                 err ? error_get_pretty(err) : "(no error)");
    }
}

static bool same_bytes(const GByteArray *a, const GByteArray *b)
{
    return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

void vmstate_test_restore(const VMStateDescription *vmsd, void *opaque, GByteArray *saved)
{
    GByteArray *now = vmstate_test_save(vmsd, opaque);
    GByteArray *copy = g_byte_array_append(g_byte_array_new(), saved->data, saved->len);
    bool changed = !same_bytes(now, saved), restored;

    g_byte_array_free(now, TRUE);
    vmstate_test_load(vmsd, opaque, copy);
    now = vmstate_test_save(vmsd, opaque);
    restored = same_bytes(now, saved);
    g_byte_array_free(now, TRUE);
    g_byte_array_free(saved, TRUE);
    if (!changed) {
        fail_msg("'%s': the state saved before the change equals the state after it", vmsd->name);
    }
    if (!restored) {
        fail_msg("'%s': the state after the load differs from the state saved", vmsd->name);
    }
}

GByteArray *vmstate_test_save_dev(DeviceState *dev)
{
    return vmstate_test_save(DEVICE_GET_CLASS(dev)->vmsd, dev);
}

void vmstate_test_load_dev(DeviceState *dev, GByteArray *saved)
{
    vmstate_test_load(DEVICE_GET_CLASS(dev)->vmsd, dev, saved);
}

void vmstate_test_restore_dev(DeviceState *dev, GByteArray *saved)
{
    vmstate_test_restore(DEVICE_GET_CLASS(dev)->vmsd, dev, saved);
}
