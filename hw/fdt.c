/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdt.c - a growing libfdt tree with path-based helpers, phandles by owner,
 * and the "fdt-interrupt-controller" interface.  Nodes are added in the order
 * devices write them, so the tree is the same on every run.
 */
#include "hw/fdt.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>
#include <libfdt.h>

#include "core/coverage.h"
#include "core/module.h"

#define DT_INITIAL_SIZE (64 * 1024)

void dt_init(DtContext *dt)
{
    int r;

    memset(dt, 0, sizeof(*dt));
    dt->size = DT_INITIAL_SIZE;
    dt->fdt = g_malloc0(dt->size);
    dt->next_phandle = 1;
    dt->phandles = g_hash_table_new(g_direct_hash, g_direct_equal);
    dt->interrupt_controllers = g_hash_table_new(g_direct_hash, g_direct_equal);
    r = fdt_create_empty_tree(dt->fdt, dt->size);
    if (NEVER(r != 0)) {
        g_error("device tree: cannot create an empty tree (%s)", fdt_strerror(r));
    }
}

void dt_free(DtContext *dt)
{
    g_free(dt->fdt);
    dt->fdt = NULL;
    if (dt->phandles) {
        g_hash_table_destroy(dt->phandles);
        dt->phandles = NULL;
    }
    if (dt->interrupt_controllers) {
        g_hash_table_destroy(dt->interrupt_controllers);
        dt->interrupt_controllers = NULL;
    }
}

uint32_t dt_alloc_phandle(DtContext *dt)
{
    return dt->next_phandle++;
}

uint32_t dt_lookup_phandle(DtContext *dt, const void *owner)
{
    return GPOINTER_TO_UINT(g_hash_table_lookup(dt->phandles, owner));
}

void dt_set_phandle(DtContext *dt, const void *owner, uint32_t phandle)
{
    assert(phandle != 0);
    g_hash_table_insert(dt->phandles, (void *)owner, GUINT_TO_POINTER(phandle));
}

uint32_t dt_phandle(DtContext *dt, const void *owner)
{
    uint32_t phandle = dt_lookup_phandle(dt, owner);

    if (!phandle) {
        phandle = dt_alloc_phandle(dt);
        dt_set_phandle(dt, owner, phandle);
    }
    return phandle;
}

/* Doubles the buffer (libfdt said it is full). */
static void dt_grow(DtContext *dt)
{
    size_t size = dt->size * 2;
    void *bigger = g_malloc0(size);
    int r = fdt_open_into(dt->fdt, bigger, size);

    if (NEVER(r != 0)) {
        g_error("device tree: cannot grow to %zu bytes (%s)", size, fdt_strerror(r));
    }
    g_free(dt->fdt);
    dt->fdt = bigger;
    dt->size = size;
    dt->last_path[0] = '\0';
}

/* Remembers path at off; a path too long for the cache forgets instead. */
static void dt_remember(DtContext *dt, const char *path, int off)
{
    size_t len = strlen(path);

    dt->last_path[0] = '\0';
    if (len < sizeof(dt->last_path)) {
        memcpy(dt->last_path, path, len + 1);
        dt->last_offset = off;
    }
}

static int dt_path_offset(DtContext *dt, const char *path)
{
    int off;

    if (dt->last_path[0] && !strcmp(dt->last_path, path)) {
        return dt->last_offset;
    }
    off = fdt_path_offset(dt->fdt, path);
    if (off < 0) {
        g_error("device tree: no node '%s' (%s)", path, fdt_strerror(off));
    }
    dt_remember(dt, path, off);
    return off;
}

char *dt_add_node(DtContext *dt, const char *parent, const char *name, uint64_t addr)
{
    char *node = addr == (uint64_t)-1 ? g_strdup(name)
                                      : g_strdup_printf("%s@%" G_GINT64_MODIFIER "x", name, addr);
    char *path = g_strdup_printf("%s/%s", strcmp(parent, "/") ? parent : "", node);
    int r;

    while ((r = fdt_add_subnode(dt->fdt, dt_path_offset(dt, parent), node)) == -FDT_ERR_NOSPACE) {
        dt_grow(dt);
    }
    if (r < 0) {
        g_error("device tree: cannot add '%s' (%s)", path, fdt_strerror(r));
    }
    dt_remember(dt, path, r); /* its properties come next */
    g_free(node);
    return path;
}

void dt_setprop(DtContext *dt, const char *path, const char *prop, const void *val, int len)
{
    int r;

    while ((r = fdt_setprop(dt->fdt, dt_path_offset(dt, path), prop, val, len)) ==
           -FDT_ERR_NOSPACE) {
        dt_grow(dt);
    }
    if (r < 0) {
        g_error("device tree: cannot set %s:%s (%s)", path, prop, fdt_strerror(r));
    }
}

void dt_setprop_string(DtContext *dt, const char *path, const char *prop, const char *str)
{
    dt_setprop(dt, path, prop, str, strlen(str) + 1);
}

void dt_setprop_strings(DtContext *dt, const char *path, const char *prop, ...)
{
    GString *buf = g_string_new(NULL);
    va_list ap;
    const char *s;

    va_start(ap, prop);
    while ((s = va_arg(ap, const char *))) {
        g_string_append_len(buf, s, strlen(s) + 1);
    }
    va_end(ap);
    dt_setprop(dt, path, prop, buf->str, buf->len);
    g_string_free(buf, TRUE);
}

void dt_setprop_cells(DtContext *dt, const char *path, const char *prop, const uint32_t *cells,
                      int n)
{
    uint32_t *be = g_new(uint32_t, n ? n : 1);

    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    dt_setprop(dt, path, prop, be, n * 4);
    g_free(be);
}

void dt_setprop_cell(DtContext *dt, const char *path, const char *prop, uint32_t val)
{
    dt_setprop_cells(dt, path, prop, &val, 1);
}

void dt_setprop_u64(DtContext *dt, const char *path, const char *prop, uint64_t val)
{
    uint64_t be = cpu_to_fdt64(val);

    dt_setprop(dt, path, prop, &be, 8);
}

void dt_setprop_reg(DtContext *dt, const char *path, uint64_t addr, uint64_t size)
{
    uint32_t cells[4] = {addr >> 32, (uint32_t)addr, size >> 32, (uint32_t)size};

    dt_setprop_cells(dt, path, "reg", cells, 4);
}

void dt_setprop_empty(DtContext *dt, const char *path, const char *prop)
{
    dt_setprop(dt, path, prop, NULL, 0);
}

size_t dt_finish(DtContext *dt)
{
    int r;

    dt->last_path[0] = '\0';
    r = fdt_pack(dt->fdt);

    if (NEVER(r != 0)) {
        g_error("device tree: cannot pack (%s)", fdt_strerror(r));
    }
    return fdt_totalsize(dt->fdt);
}

/* ---- a tree from outside (-dtb) ------------------------------------------------------- */

#define DT_BLOB_ROOM (64 * 1024) /* for /chosen and what the board adds */

/* True when [a, a+alen) and [b, b+blen) share a byte. */
static bool dt_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/*
 * What fdt_check_full (libfdt 1.6) leaves to its caller, on a blob it
 * accepted: the size limit, blocks apart, and exactly one root node, with
 * an empty name, at offset 0 of the structure block (the path helpers and
 * fdt_add_subnode take offset 0 for "/").  NULL when all is well.
 */
static const char *dt_blob_layout_problem(const void *blob)
{
    uint64_t rsv_off = fdt_off_mem_rsvmap(blob), struct_off = fdt_off_dt_struct(blob);
    uint64_t strings_off = fdt_off_dt_strings(blob), strings_size = fdt_size_dt_strings(blob);
    uint64_t rsv_size, struct_size;
    int offset = 0, next = 0, depth = 0, name_len = -1;
    bool root_done = false;
    uint32_t tag;

    if (fdt_totalsize(blob) > DT_BLOB_MAX_SIZE) {
        G_STATIC_ASSERT(DT_BLOB_MAX_SIZE == 2u << 20);
        return "totalsize above the 2 MiB limit";
    }
    if (fdt_next_tag(blob, 0, &next) != FDT_BEGIN_NODE) {
        return "the structure block does not start with the root node";
    }
    if (!fdt_get_name(blob, 0, &name_len) || name_len != 0) {
        return "the root node has a name";
    }
    /* fdt_check_full walked every tag: each one here is valid and inside the block. */
    next = 0;
    do {
        offset = next;
        tag = fdt_next_tag(blob, offset, &next);
        if (tag == FDT_BEGIN_NODE) {
            if (root_done) {
                return "more than one root node";
            }
            depth++;
        } else if (tag == FDT_END_NODE && --depth == 0) {
            root_done = true;
        } else if (tag == FDT_PROP) {
            /* libfdt adds the length in an int: 0xffffffff steps back a byte, and passes. */
            const fdt32_t *plen = fdt_offset_ptr(blob, offset + FDT_TAGSIZE, sizeof(*plen));

            uint64_t end =
                plen ? (uint64_t)offset + sizeof(struct fdt_property) + fdt32_to_cpu(*plen) : 0;

            if (!plen || next < 0 || (uint64_t)next != ((end + FDT_TAGSIZE - 1) & ~3ull)) {
                return "a property length is out of range";
            }
            if (depth == 0) {
                return "a property outside the root node";
            }
        }
    } while (tag != FDT_END && next >= 0);
    if (next < 0) {
        return fdt_strerror(next);
    }
    struct_size = fdt_version(blob) >= 17 ? fdt_size_dt_struct(blob) : (uint64_t)next;
    rsv_size = ((uint64_t)fdt_num_mem_rsv(blob) + 1) * sizeof(struct fdt_reserve_entry);
    if (dt_ranges_overlap(rsv_off, rsv_size, struct_off, struct_size) ||
        dt_ranges_overlap(rsv_off, rsv_size, strings_off, strings_size) ||
        dt_ranges_overlap(struct_off, struct_size, strings_off, strings_size)) {
        return "its blocks overlap";
    }
    return NULL;
}

bool dt_open_blob(DtContext *dt, const void *blob, size_t len, Error **errp)
{
    const char *problem;
    size_t size;
    void *copy;
    int r;

    if (len < sizeof(uint32_t) || fdt_magic(blob) != FDT_MAGIC) {
        error_setg(errp, "not a flattened device tree");
        return false;
    }
    /* Before libfdt reads fields that older headers lack, or loads tags from odd offsets. */
    if (len < sizeof(struct fdt_header)) {
        problem = fdt_strerror(-FDT_ERR_TRUNCATED);
    } else if (fdt_version(blob) < 16) {
        problem = fdt_strerror(-FDT_ERR_BADVERSION);
    } else if (fdt_off_mem_rsvmap(blob) % 8 || fdt_off_dt_struct(blob) % FDT_TAGSIZE) {
        problem = "a block is not aligned";
    } else if ((r = fdt_check_full(blob, len)) != 0) {
        problem = fdt_strerror(r);
    } else {
        problem = dt_blob_layout_problem(blob);
    }
    if (problem) {
        error_setg(errp, "damaged device tree (%s)", problem);
        return false;
    }
    /* totalsize <= DT_BLOB_MAX_SIZE: neither this sum nor dt_grow's doubling leaves an int. */
    size = fdt_totalsize(blob) + DT_BLOB_ROOM;
    copy = g_malloc0(size);
    r = fdt_open_into(blob, copy, size);
    if (r != 0) { /* not seen after the checks above; kept as the last guard */
        error_setg(errp, "damaged device tree (%s)", fdt_strerror(r));
        g_free(copy);
        return false;
    }
    g_free(dt->fdt);
    dt->fdt = copy;
    dt->last_path[0] = '\0';
    dt->size = size;
    return true;
}

/* ---- interrupt controllers ------------------------------------------------------------ */

void dt_set_interrupt_controller(DtContext *dt, const void *owner, uint32_t phandle)
{
    dt_set_phandle(dt, owner, phandle);
    g_hash_table_add(dt->interrupt_controllers, (void *)owner);
}

bool dt_interrupt_controller_specifier(DeviceState *dev, int n, DtContext *dt, uint32_t *phandle,
                                       uint32_t cells[DT_MAX_INTERRUPT_CELLS], int *ncells)
{
    ObjectClass *ic = dev ? object_class_get_interface(object_get_class(OBJECT(dev)),
                                                       TYPE_FDT_INTERRUPT_CONTROLLER)
                          : NULL;
    FdtInterruptControllerClass *fic = (FdtInterruptControllerClass *)ic;
    uint32_t count;

    if (!dev || n < 0) {
        return false;
    }
    if (!fic && g_hash_table_contains(dt->interrupt_controllers, dev)) {
        /* Declared by the writer of its node: one cell, the line. */
        memset(cells, 0, sizeof(uint32_t) * DT_MAX_INTERRUPT_CELLS);
        cells[0] = n;
        *phandle = dt_lookup_phandle(dt, dev);
        *ncells = 1;
        return true;
    }
    if (!fic || !fic->phandle) {
        return false;
    }
    count = fic->interrupt_cells ? fic->interrupt_cells(dev) : 1;
    assert(count >= 1 && count <= DT_MAX_INTERRUPT_CELLS);
    memset(cells, 0, sizeof(uint32_t) * DT_MAX_INTERRUPT_CELLS);
    if (fic->interrupt_specifier) {
        fic->interrupt_specifier(dev, n, cells);
    } else {
        cells[0] = n;
    }
    *phandle = fic->phandle(dev, dt);
    *ncells = count;
    return true;
}

static const TypeInfo fdt_interrupt_controller_info = {
    .name = TYPE_FDT_INTERRUPT_CONTROLLER,
    .parent = TYPE_INTERFACE,
    .class_size = sizeof(FdtInterruptControllerClass),
    .abstract = true,
};

static void fdt_register_types(void)
{
    type_register_static(&fdt_interrupt_controller_info);
}

type_init(fdt_register_types)
