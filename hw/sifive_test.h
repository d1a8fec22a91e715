/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sifive_test.h - the SiFive test device: the guest ends the run (pass,
 * fail with a code) or resets the machine by writing one register.  Its
 * device-tree node has a phandle (dt_phandle of the device) that the
 * board's reboot and poweroff nodes name as their regmap.
 */
#ifndef TERN_SIFIVE_TEST_H
#define TERN_SIFIVE_TEST_H

#include "hw/sysbus.h"

#define TYPE_SIFIVE_TEST "riscv.sifive.test"

#define SIFIVE_TEST_FAIL  0x3333
#define SIFIVE_TEST_PASS  0x5555
#define SIFIVE_TEST_RESET 0x7777

typedef struct SiFiveTestState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
} SiFiveTestState;

#define SIFIVE_TEST(obj) OBJECT_CHECK(SiFiveTestState, (obj), TYPE_SIFIVE_TEST)

#endif
