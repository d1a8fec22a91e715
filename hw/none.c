/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * none.c - the "none" machine: no harts, no RAM, no devices.  Useful to test
 * start-up and option handling on their own, as QEMU's -M none is.
 */
#include "core/machine.h"
#include "core/module.h"

#define TYPE_NONE_MACHINE "none" TYPE_MACHINE_SUFFIX

static const char *const none_cpu_types[] = {"rv64", NULL};

static void none_machine_class_init(ObjectClass *klass, const void *data)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->name = "none";
    mc->desc = "empty machine";
    mc->max_cpus = 1;
    mc->default_ram_size = 0;
    mc->default_ram_id = "ram"; /* QEMU's, for query-machines */
    mc->default_cpu_type = "rv64";
    mc->valid_cpu_types = none_cpu_types;
    mc->no_serial = true;
}

static const TypeInfo none_machine_info = {
    .name = TYPE_NONE_MACHINE,
    .parent = TYPE_MACHINE,
    .class_init = none_machine_class_init,
};

static void none_machine_register(void)
{
    type_register_static(&none_machine_info);
}

type_init(none_machine_register)
