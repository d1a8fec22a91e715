/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accel-qtest.c - the "qtest" accelerator: harts never run; the virtual
 * clock moves only by the qtest protocol's clock_step and clock_set.
 */
#include "core/accel.h"
#include "core/module.h"

static const AccelOps qtest_ops = {
    .name = "qtest",
    .desc = "no guest code runs; tests drive devices over the qtest protocol",
    .warp_virtual = false,
};

static void qtest_accel_register(void)
{
    accel_register(&qtest_ops);
}

type_init(qtest_accel_register)
