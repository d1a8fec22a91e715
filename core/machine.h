/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.h - the abstract machine type that boards derive from.
 *
 * A board registers "<name>-machine" with a MachineClass filled in by its
 * class_init; start-up creates one instance, sets its properties from
 * -machine and the other machine options, and calls init at
 * PHASE_MACHINE_INITIALIZED.  core/ knows boards only through this class.
 */
#ifndef TERN_MACHINE_H
#define TERN_MACHINE_H

#include <stdint.h>

#include "core/object.h"

#define TYPE_MACHINE        "machine"
#define TYPE_MACHINE_SUFFIX "-machine"

typedef struct MachineState MachineState;

typedef struct MachineClass {
    ObjectClass parent_class;
    const char *name; /* what -M takes: "virt" */
    const char *desc;
    bool is_default;
    int max_cpus;
    uint64_t default_ram_size;
    const char *default_cpu_type; /* "rv64" */
    const char *default_ram_id;   /* the RAM backend's id in /objects: "riscv_virt_board.ram" */
    const char *const *valid_cpu_types; /* NULL-terminated, NULL: any */
    bool no_serial;                     /* has no default serial port */
    bool can_load_kernel;               /* accepts -kernel/-initrd/-append/-dtb */
    const char *virtio_drive_type;      /* the device -drive if=virtio gets; NULL: none */
    bool numa_mem_supported;            /* query-machines' numa-mem-supported, as QEMU's */
    /* Creates harts, RAM and devices.  PHASE_ACCEL_CREATED..MACHINE_INITIALIZED. */
    bool (*init)(MachineState *ms, Error **errp);
    /* Loads images and writes the reset vector: ..PHASE_MACHINE_READY. */
    bool (*done)(MachineState *ms, Error **errp);
    /* System reset; NULL: reset every device under /machine. */
    void (*reset)(MachineState *ms, int cause);
} MachineClass;

typedef struct SmpConfig {
    unsigned cpus, sockets, cores, threads, max_cpus;
} SmpConfig;

struct MachineState {
    Object parent_obj;
    uint64_t ram_size;
    SmpConfig smp;
    char *cpu_type;
    char *firmware;       /* -bios */
    char *kernel;         /* -kernel */
    char *initrd;         /* -initrd */
    char *append;         /* -append */
    char *dtb;            /* -dtb */
    char *dumpdtb;        /* -machine dumpdtb= */
    bool no_defaults;     /* -nodefaults */
    bool exit_after_init; /* the machine's work is done (dumpdtb): tern_init returns DONE */
    Object *memdev;       /* /objects/<default_ram_id> once created, else NULL (not a reference) */
};

#define MACHINE(obj)           OBJECT_CHECK(MachineState, (obj), TYPE_MACHINE)
#define MACHINE_CLASS(klass)   OBJECT_CLASS_CHECK(MachineClass, (klass), TYPE_MACHINE)
#define MACHINE_GET_CLASS(obj) OBJECT_GET_CLASS(MachineClass, (obj), TYPE_MACHINE)

/* The machine of this run, or NULL before PHASE_MACHINE_CREATED. */
MachineState *machine_current(void);
void machine_set_current(MachineState *ms);
/* Finds a machine class by its -M name ("virt"), or NULL. */
MachineClass *machine_find_class(const char *name);
MachineClass *machine_default_class(void);
/*
 * The RAM's backend object, as QEMU names it: /objects/<default_ram_id>, a
 * "memory-backend-ram" whose "size" is the RAM size (the "memory-backend"
 * link of the machine names it).  Boards call it from init; nothing when the
 * class has no default_ram_id.
 */
bool machine_create_default_memdev(MachineState *ms, Error **errp);
/* Prints "-M help": every machine, sorted by name. */
void machine_print_help(void);

#endif
