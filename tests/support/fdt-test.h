/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdt-test.h - reading a flattened device tree in a test: a property of
 * the node at a path, its cells, and assertions on whole properties.  Every
 * function fails the test (with the node and property named) when what it
 * looks for is missing.  And one writer: a device's node, wired to a PLIC
 * as the board wires it.  Part of the test support library (tests/support).
 */
#ifndef TERN_TEST_FDT_TEST_H
#define TERN_TEST_FDT_TEST_H

#include <stdint.h>

#include "core/qdev.h"
#include "hw/fdt.h"

/* Property prop of the node at path; *len (when given) gets its length in bytes. */
const void *fdt_test_prop(const void *fdt, const char *path, const char *prop, int *len);
/* Cell index (big-endian 32 bits) of prop. */
uint32_t fdt_test_cell(const void *fdt, const char *path, const char *prop, int index);
/* prop is exactly the n cells of expect. */
void fdt_test_assert_cells(const void *fdt, const char *path, const char *prop,
                           const uint32_t *expect, int n);
/* prop is exactly the len bytes of expect (a string list: sizeof the literal, NULs included). */
void fdt_test_assert_bytes(const void *fdt, const char *path, const char *prop, const void *expect,
                           int len);
/* prop is the one string expect. */
void fdt_test_assert_string(const void *fdt, const char *path, const char *prop,
                            const char *expect);
/* prop is present and empty (a flag such as interrupt-controller). */
void fdt_test_assert_empty(const void *fdt, const char *path, const char *prop);
/* "reg" is one region, base and size in two cells each (the virt board's /soc). */
void fdt_test_assert_reg(const void *fdt, const char *path, uint64_t base, uint64_t size);
/* "interrupts" is the one cell source and "interrupt-parent" the one cell parent_phandle. */
void fdt_test_assert_interrupt(const void *fdt, const char *path, uint32_t source,
                               uint32_t parent_phandle);

/*
 * The node a board would give the sysbus device dev, written into dt (made
 * here, freed by the caller with dt_free): dev's sysbus IRQ 0 connected to
 * source of a new PLIC, realized as child "plic" of the root, whose node has
 * plic_phandle; /soc exists, and dev's class writes its node under it.
 */
void fdt_test_write_node_on_plic(DtContext *dt, DeviceState *dev, int source,
                                 uint32_t plic_phandle);

#endif
