/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.c - the abstract "machine" type and machine lookup by name.
 * Boards (hw/) derive from it; nothing board-specific lives here.
 *
 * QEMU's base properties of a machine are here for clients that read them
 * (qom-get): "memory" ({"size": N}), "smp", "boot" (JSON objects, typed as
 * QEMU names the structures), "memory-backend", and the containers
 * /machine/peripheral, /machine/peripheral-anon and /machine/unattached.
 */
#include "core/machine.h"

#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "core/module.h"

#define TYPE_MEMORY_BACKEND     "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"

typedef struct MemoryBackend {
    Object parent_obj;
    uint64_t size;
} MemoryBackend;

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

static char *machine_get_memory(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("{\"size\": %" G_GUINT64_FORMAT "}", MACHINE(obj)->ram_size);
}

static char *machine_get_smp(Object *obj, ObjectProperty *prop, Error **errp)
{
    const SmpConfig *smp = &MACHINE(obj)->smp;

    return g_strdup_printf("{\"cpus\": %u, \"maxcpus\": %u, \"threads\": %u, \"cores\": %u, "
                           "\"dies\": 1, \"sockets\": %u, \"clusters\": 1}",
                           smp->cpus, smp->max_cpus ? smp->max_cpus : smp->cpus, smp->threads,
                           smp->cores, smp->sockets);
}

static char *machine_get_boot(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup("{\"order\": \"\"}"); /* no boot devices to order on RISC-V */
}

static char *machine_get_memory_backend(Object *obj, ObjectProperty *prop, Error **errp)
{
    Object *memdev = MACHINE(obj)->memdev;
    char *path = memdev ? object_get_canonical_path(memdev) : NULL;

    return path ? path : g_strdup("");
}

static void machine_instance_init(Object *obj)
{
    container_get(obj, "/peripheral");
    container_get(obj, "/peripheral-anon");
    container_get(obj, "/unattached");
}

static void machine_class_init(ObjectClass *klass, const void *data)
{
    /* Typed as QEMU's structures; qom-get gives them as JSON objects. */
    object_class_property_add(klass, "memory", "MemorySizeConfiguration", machine_get_memory, NULL,
                              NULL, NULL)
        ->base = true;
    object_class_property_add(klass, "smp", "SMPConfiguration", machine_get_smp, NULL, NULL, NULL)
        ->base = true;
    object_class_property_add(klass, "boot", "BootConfiguration", machine_get_boot, NULL, NULL,
                              NULL)
        ->base = true;
    object_class_property_add(klass, "memory-backend", "link<" TYPE_MEMORY_BACKEND ">",
                              machine_get_memory_backend, NULL, NULL, NULL)
        ->base = true;
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
    .instance_init = machine_instance_init,
    .instance_finalize = machine_instance_finalize,
    .class_size = sizeof(MachineClass),
    .class_init = machine_class_init,
};

static char *memory_backend_get_size(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%" G_GUINT64_FORMAT,
                           OBJECT_CHECK(MemoryBackend, obj, TYPE_MEMORY_BACKEND)->size);
}

static void memory_backend_class_init(ObjectClass *klass, const void *data)
{
    object_class_property_add(klass, "size", "uint64", memory_backend_get_size, NULL, NULL, NULL)
        ->base = true;
}

static const TypeInfo memory_backend_types[] = {
    {
        .name = TYPE_MEMORY_BACKEND,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(MemoryBackend),
        .class_init = memory_backend_class_init,
    },
    {
        .name = TYPE_MEMORY_BACKEND_RAM,
        .parent = TYPE_MEMORY_BACKEND,
    },
};

bool machine_create_default_memdev(MachineState *ms, Error **errp)
{
    const char *id = MACHINE_GET_CLASS(ms)->default_ram_id;
    Object *objects, *memdev;

    if (!id || ms->memdev) {
        return true;
    }
    objects = container_get(object_get_root(), "/objects");
    if (object_resolve_path_component(objects, id)) {
        error_setg(errp, "object '%s' already exists, the machine's RAM needs that id", id);
        return false;
    }
    memdev = object_new(TYPE_MEMORY_BACKEND_RAM);
    OBJECT_CHECK(MemoryBackend, memdev, TYPE_MEMORY_BACKEND)->size = ms->ram_size;
    object_property_add_child(objects, id, memdev);
    object_unref(memdev);
    ms->memdev = memdev;
    return true;
}

static void machine_register_types(void)
{
    type_register_static(&machine_info);
    type_register_static_array(memory_backend_types, (int)G_N_ELEMENTS(memory_backend_types));
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
