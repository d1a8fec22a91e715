/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.c - the abstract "machine" type and machine lookup by name.
 * Boards (hw/) derive from it; nothing board-specific lives here.
 */
#include "core/machine.h"

#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "core/module.h"

static MachineState *current_machine;

MachineState *machine_current(void)
{
    return current_machine;
}

void machine_set_current(MachineState *ms)
{
    current_machine = ms;
}

static void machine_instance_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->cpu_type);
    g_free(ms->firmware);
    g_free(ms->kernel);
    g_free(ms->initrd);
    g_free(ms->append);
    g_free(ms->dtb);
    g_free(ms->dumpdtb);
    if (current_machine == ms) {
        current_machine = NULL;
    }
}

static char *machine_get_dumpdtb(Object *obj, Error **errp)
{
    return g_strdup(MACHINE(obj)->dumpdtb);
}

static void machine_set_dumpdtb(Object *obj, const char *value, Error **errp)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->dumpdtb);
    ms->dumpdtb = g_strdup(value);
}

#define MACHINE_STR_PROP(field)                                                                    \
    static char *machine_get_##field(Object *obj, Error **errp)                                    \
    {                                                                                              \
        return g_strdup(MACHINE(obj)->field);                                                      \
    }                                                                                              \
    static void machine_set_##field(Object *obj, const char *value, Error **errp)                  \
    {                                                                                              \
        MachineState *ms = MACHINE(obj);                                                           \
        g_free(ms->field);                                                                         \
        ms->field = g_strdup(value);                                                               \
    }

MACHINE_STR_PROP(firmware)
MACHINE_STR_PROP(kernel)
MACHINE_STR_PROP(initrd)
MACHINE_STR_PROP(append)
MACHINE_STR_PROP(dtb)

static void machine_class_init(ObjectClass *klass, const void *data)
{
    object_class_property_add_str(klass, "dumpdtb", machine_get_dumpdtb, machine_set_dumpdtb);
    object_class_property_add_str(klass, "firmware", machine_get_firmware, machine_set_firmware);
    object_class_property_add_str(klass, "kernel", machine_get_kernel, machine_set_kernel);
    object_class_property_add_str(klass, "initrd", machine_get_initrd, machine_set_initrd);
    object_class_property_add_str(klass, "append", machine_get_append, machine_set_append);
    object_class_property_add_str(klass, "dtb", machine_get_dtb, machine_set_dtb);
}

static const TypeInfo machine_info = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .instance_size = sizeof(MachineState),
    .instance_finalize = machine_instance_finalize,
    .class_size = sizeof(MachineClass),
    .class_init = machine_class_init,
};

static void machine_register_types(void)
{
    type_register_static(&machine_info);
}

type_init(machine_register_types)

    MachineClass *machine_find_class(const char *name)
{
    GSList *list = object_class_get_list_sorted(TYPE_MACHINE, false);
    MachineClass *found = NULL;

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        if (mc->name && !strcmp(mc->name, name)) {
            found = mc;
            break;
        }
    }
    g_slist_free(list);
    return found;
}

MachineClass *machine_default_class(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_MACHINE, false);
    MachineClass *found = NULL;

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        if (mc->is_default) {
            found = mc;
            break;
        }
    }
    g_slist_free(list);
    return found;
}

void machine_print_help(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_MACHINE, false);

    printf("Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        printf("%-20s %s%s\n", mc->name, mc->desc, mc->is_default ? " (default)" : "");
    }
    g_slist_free(list);
}
