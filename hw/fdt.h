/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdt.h - building the flattened device tree with libfdt, a node at a time.
 *
 * A DtContext holds the tree being built (it grows as needed) and what
 * nodes need from each other: phandles, by the object that owns the node
 * (dt_phandle), and the harts' cpu phandles by hart.  Helpers take paths; a failure inside libfdt
 * can only be a bug in Tern (the tree is Tern's own), so it asserts.  Prefix dt_ (libfdt owns
 * fdt_).
 *
 * Interrupt controllers implement the interface "fdt-interrupt-controller":
 * they answer their phandle in a given tree and their #interrupt-cells, so
 * that a device wired to one of their inputs can name it (hw/sysbus.c's
 * sysbus_fdt_add_interrupts writes a node's interrupts from its wiring).
 * An object that cannot implement it (a hart: cpu/ knows nothing of device
 * trees) is declared one by whoever writes its interrupt-controller node,
 * with dt_set_interrupt_controller: one cell, the input line.
 */
#ifndef TERN_FDT_H
#define TERN_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "core/error.h"
#include "core/hostfile.h"
#include "core/qdev.h"

#define DT_MAX_HARTS 512

struct DtContext {
    void *fdt;
    size_t size;
    uint32_t next_phandle;
    uint32_t cpu_phandle[DT_MAX_HARTS];
    int num_harts;
    GHashTable *phandles;              /* owner -> phandle (see dt_phandle) */
    GHashTable *interrupt_controllers; /* owners given by dt_set_interrupt_controller */
    /*
     * The node last named and its offset: a device writes one node's
     * properties in a row, and adding a property or a subnode to a node
     * moves only what follows it, never the node itself.
     */
    char last_path[128]; /* "" for none */
    int last_offset;
};
typedef struct DtContext DtContext;

void dt_init(DtContext *dt);
void dt_free(DtContext *dt);
uint32_t dt_alloc_phandle(DtContext *dt);
/*
 * The phandle of owner's node in this tree: the one given with
 * dt_set_phandle, else one allocated on the first call and kept.  So a
 * controller's node and the nodes that point at it agree whichever is
 * written first.
 */
uint32_t dt_phandle(DtContext *dt, const void *owner);
/* Gives owner a phandle chosen by the caller (a board's fixed numbering, a test). */
void dt_set_phandle(DtContext *dt, const void *owner, uint32_t phandle);
/* owner's phandle if it has one, else 0 (allocates nothing). */
uint32_t dt_lookup_phandle(DtContext *dt, const void *owner);
/* Adds "parent/name@addr" (or "parent/name" when addr is -1); returns its path (caller frees). */
char *dt_add_node(DtContext *dt, const char *parent, const char *name, uint64_t addr);
void dt_setprop(DtContext *dt, const char *path, const char *prop, const void *val, int len);
void dt_setprop_string(DtContext *dt, const char *path, const char *prop, const char *str);
/* A list of strings, NUL-separated ("compatible"); terminated by NULL. */
void dt_setprop_strings(DtContext *dt, const char *path, const char *prop, ...)
    __attribute__((sentinel));
void dt_setprop_cell(DtContext *dt, const char *path, const char *prop, uint32_t val);
void dt_setprop_cells(DtContext *dt, const char *path, const char *prop, const uint32_t *cells,
                      int n);
void dt_setprop_u64(DtContext *dt, const char *path, const char *prop, uint64_t val);
/* reg = <addr-hi addr-lo size-hi size-lo> (2 address cells, 2 size cells). */
void dt_setprop_reg(DtContext *dt, const char *path, uint64_t addr, uint64_t size);
void dt_setprop_empty(DtContext *dt, const char *path, const char *prop);
/* Packs the tree; returns its size. */
size_t dt_finish(DtContext *dt);

/* ---- a tree from outside (-dtb) ------------------------------------------------------- */

/* The largest blob dt_open_blob takes (its totalsize): the -dtb file limit, one limit. */
#define DT_BLOB_MAX_SIZE HOSTFILE_DTB_MAX_SIZE

/*
 * Replaces dt's tree with a copy of the blob in [blob, blob+len), with room
 * to grow, after checking it completely, since it comes from outside and
 * libfdt trusts its header: the magic ("not a flattened device tree"), then
 * (each "damaged device tree (REASON)", REASON libfdt's error name or one of
 * Tern's own) version 16 or later, an aligned reservation map and structure
 * block, libfdt's fdt_check_full against len (header, offsets and sizes
 * inside the blob and within totalsize, reservation map terminated, every
 * tag, name and property string), totalsize at most DT_BLOB_MAX_SIZE, the
 * three blocks apart from each other, and one root node, unnamed, first in
 * the structure block.  Bytes after totalsize are ignored (as QEMU).  After
 * that every path helper above works on it as on Tern's own tree.
 */
bool dt_open_blob(DtContext *dt, const void *blob, size_t len, Error **errp);

/* ---- interrupt controllers ------------------------------------------------------------ */

#define TYPE_FDT_INTERRUPT_CONTROLLER "fdt-interrupt-controller"
#define DT_MAX_INTERRUPT_CELLS        4

typedef struct FdtInterruptControllerClass {
    ObjectClass parent_class;
    /* The phandle of the controller's node in dt (normally dt_phandle(dt, dev)). */
    uint32_t (*phandle)(DeviceState *dev, DtContext *dt);
    /* Its #interrupt-cells (1 to DT_MAX_INTERRUPT_CELLS). */
    uint32_t (*interrupt_cells)(DeviceState *dev);
    /*
     * The specifier of input line n, in interrupt_cells cells; NULL: the
     * line number, then zeros.
     */
    void (*interrupt_specifier)(DeviceState *dev, int n, uint32_t *cells);
} FdtInterruptControllerClass;

#define FDT_INTERRUPT_CONTROLLER_CLASS(klass)                                                      \
    ((FdtInterruptControllerClass *)object_class_get_interface_assert(                             \
        OBJECT_CLASS(klass), TYPE_FDT_INTERRUPT_CONTROLLER, __FILE__, __LINE__, __func__))

/*
 * Declares owner's node in dt an interrupt controller with this phandle,
 * #interrupt-cells 1 and input line n specified as n: for an object that
 * does not implement the interface (the board declares each hart's
 * "riscv,cpu-intc" node so, and a line wired to hart input n reads
 * <intc n>).
 */
void dt_set_interrupt_controller(DtContext *dt, const void *owner, uint32_t phandle);

/*
 * If dev is an interrupt controller (by the interface, or declared in dt): its phandle in dt and
 * the specifier of its unnamed input n (*ncells cells); else false.
 */
bool dt_interrupt_controller_specifier(DeviceState *dev, int n, DtContext *dt, uint32_t *phandle,
                                       uint32_t cells[DT_MAX_INTERRUPT_CELLS], int *ncells);

#endif
