/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmstate-test.h - a device's state table saved and loaded from a test.
 * The round trip every device test runs is
 *
 *     saved = vmstate_test_save_dev(dev);
 *     ... change the device through its registers ...
 *     vmstate_test_restore_dev(dev, saved);
 *     ... check what the device does after the load ...
 *
 * where restore checks that the change reached the saved state, loads, and
 * checks that saving again gives the saved bytes exactly.  Tests that feed a
 * load bytes of their own (a corrupt field) use vmstate_test_load instead.
 * The one copy for every test program (tests/support).
 */
#ifndef TERN_TEST_VMSTATE_TEST_H
#define TERN_TEST_VMSTATE_TEST_H

#include <glib.h>

#include "core/qdev.h"
#include "core/vmstate.h"

/* The state of opaque under vmsd (hand it to restore or load, or free it). */
GByteArray *vmstate_test_save(const VMStateDescription *vmsd, const void *opaque);
/* Loads saved as it is (the test fails if the load does) and frees it. */
void vmstate_test_load(const VMStateDescription *vmsd, void *opaque, GByteArray *saved);
/*
 * The end of a round trip: the state now differs from saved, loading saved
 * succeeds, and the state then saves as saved, byte for byte.  Frees saved.
 */
void vmstate_test_restore(const VMStateDescription *vmsd, void *opaque, GByteArray *saved);

/* The same through the device's class state table. */
GByteArray *vmstate_test_save_dev(DeviceState *dev);
void vmstate_test_load_dev(DeviceState *dev, GByteArray *saved);
void vmstate_test_restore_dev(DeviceState *dev, GByteArray *saved);

#endif
