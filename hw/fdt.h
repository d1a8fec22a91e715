/*
 * fdt.h - building the flattened device tree with libfdt, a node at a time.
 *
 * A DtContext holds the tree being built (it grows as needed) and what
 * nodes need from each other: phandles of the harts' interrupt controllers
 * and of the PLIC.  Helpers take paths; a failure inside libfdt can only be
 * a bug in Tern (the tree is Tern's own), so it asserts.  Prefix dt_ (libfdt
 * owns fdt_).
 */
#ifndef TERN_FDT_H
#define TERN_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define DT_MAX_HARTS 512

struct DtContext {
    void *fdt;
    size_t size;
    uint32_t next_phandle;
    uint32_t cpu_intc_phandle[DT_MAX_HARTS]; /* per hart's interrupt-controller node */
    uint32_t cpu_phandle[DT_MAX_HARTS];
    int num_harts;
    uint32_t plic_phandle; /* the interrupt parent of platform devices (socket 0) */
};
typedef struct DtContext DtContext;

void dt_init(DtContext *dt);
void dt_free(DtContext *dt);
uint32_t dt_alloc_phandle(DtContext *dt);
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

#endif
