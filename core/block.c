/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * block.c - raw image back ends for -drive, with read-only and snapshot
 * (copy-on-write in memory) modes.
 *
 * I/O is synchronous pread/pwrite on the image: devices complete a request
 * inside the guest's notify, which keeps runs deterministic.  The snapshot
 * overlay is a hash table of 4 KiB blocks keyed by block index; it is only
 * ever looked up, never iterated, so its order cannot leak into a run.
 *
 * Not here: formats other than raw, file locking against a second user of
 * the image, and the record/replay of disk contents (the image is an input
 * like the command line).
 */
#include "core/block.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>

#include "core/bswap.h"
#include "core/hostfile.h"

#define BLK_ZERO_CHUNK (64u * 1024)

struct BlockBackend {
    char *id;
    char *filename;
    char *serial;
    char *interface;
    char *source; /* the drive entry as text: re-running blk_create_all skips it */
    int fd;
    uint64_t size; /* rounded up to whole sectors */
    bool read_only;
    bool snapshot;
    GHashTable *overlay; /* snapshot=on: BlkOverlayBlock by index */
    void *attached;      /* the device using it */
    GArray *written;     /* while a snapshot tracks it: indices of blocks written */
};

typedef struct BlkOverlayBlock {
    gint64 index; /* the hash key points here */
    bool written; /* listed in BlockBackend.written */
    uint8_t data[BLK_OVERLAY_BLOCK];
} BlkOverlayBlock;

static GPtrArray *backends; /* BlockBackend *, creation order */

/* ---- the file ---------------------------------------------------------------------- */

/* Reads len bytes at offset; bytes past the end of the file read as zeros. */
static bool blk_file_read(BlockBackend *blk, uint64_t offset, uint8_t *buf, uint64_t len,
                          Error **errp)
{
    while (len) {
        size_t chunk = (size_t)MIN(len, (uint64_t)1 << 30);
        ssize_t n = pread(blk->fd, buf, chunk, (off_t)offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, errno, "drive '%s': read at %" PRIu64 " failed", blk->id,
                             offset);
            return false;
        }
        if (n == 0) {
            memset(buf, 0, len); /* the tail of a size that is not a whole sector */
            return true;
        }
        buf += n;
        offset += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return true;
}

static bool blk_file_write(BlockBackend *blk, uint64_t offset, const uint8_t *buf, uint64_t len,
                           Error **errp)
{
    while (len) {
        size_t chunk = (size_t)MIN(len, (uint64_t)1 << 30);
        ssize_t n = pwrite(blk->fd, buf, chunk, (off_t)offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error_setg_errno(errp, n < 0 ? errno : ENOSPC,
                             "drive '%s': write at %" PRIu64 " failed", blk->id, offset);
            return false;
        }
        buf += n;
        offset += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return true;
}

/* ---- requests ------------------------------------------------------------------------- */

static bool blk_check_range(BlockBackend *blk, const char *what, uint64_t offset, uint64_t len,
                            Error **errp)
{
    if (len > blk->size || offset > blk->size - len) {
        error_setg(errp,
                   "drive '%s': %s of %" PRIu64 " bytes at %" PRIu64 " is beyond its end (%" PRIu64
                   " bytes)",
                   blk->id, what, len, offset, blk->size);
        return false;
    }
    return true;
}

bool blk_read(BlockBackend *blk, uint64_t offset, void *buf, uint64_t len, Error **errp)
{
    uint8_t *out = buf;

    if (!blk_check_range(blk, "read", offset, len, errp)) {
        return false;
    }
    if (!blk->overlay) {
        return blk_file_read(blk, offset, out, len, errp);
    }
    /* Block by block: the overlay's copy where there is one, else the file. */
    while (len) {
        gint64 index = (gint64)(offset / BLK_OVERLAY_BLOCK);
        uint64_t in_block = offset % BLK_OVERLAY_BLOCK;
        uint64_t chunk = MIN(len, BLK_OVERLAY_BLOCK - in_block);
        BlkOverlayBlock *b = g_hash_table_lookup(blk->overlay, &index);

        if (b) {
            memcpy(out, b->data + in_block, chunk);
        } else if (!blk_file_read(blk, offset, out, chunk, errp)) {
            return false;
        }
        out += chunk;
        offset += chunk;
        len -= chunk;
    }
    return true;
}

/* Copies src (or zeros when src is NULL) into the overlay. */
static bool blk_overlay_write(BlockBackend *blk, uint64_t offset, const uint8_t *src, uint64_t len,
                              Error **errp)
{
    while (len) {
        gint64 index = (gint64)(offset / BLK_OVERLAY_BLOCK);
        uint64_t in_block = offset % BLK_OVERLAY_BLOCK;
        uint64_t chunk = MIN(len, BLK_OVERLAY_BLOCK - in_block);
        BlkOverlayBlock *b = g_hash_table_lookup(blk->overlay, &index);

        if (!b) {
            b = g_new(BlkOverlayBlock, 1);
            b->index = index;
            /* A partial block starts as the file's copy. */
            if (chunk < BLK_OVERLAY_BLOCK &&
                !blk_file_read(blk, (uint64_t)index * BLK_OVERLAY_BLOCK, b->data, BLK_OVERLAY_BLOCK,
                               errp)) {
                g_free(b);
                return false;
            }
            b->written = false;
            g_hash_table_insert(blk->overlay, &b->index, b);
        }
        if (blk->written && !b->written) {
            b->written = true;
            g_array_append_val(blk->written, index);
        }
        if (src) {
            memcpy(b->data + in_block, src, chunk);
            src += chunk;
        } else {
            memset(b->data + in_block, 0, chunk);
        }
        offset += chunk;
        len -= chunk;
    }
    return true;
}

static bool blk_check_writable(BlockBackend *blk, Error **errp)
{
    if (blk->read_only) {
        error_setg(errp, "drive '%s' is read-only", blk->id);
        return false;
    }
    return true;
}

bool blk_write(BlockBackend *blk, uint64_t offset, const void *buf, uint64_t len, Error **errp)
{
    if (!blk_check_writable(blk, errp) || !blk_check_range(blk, "write", offset, len, errp)) {
        return false;
    }
    if (blk->overlay) {
        return blk_overlay_write(blk, offset, buf, len, errp);
    }
    return blk_file_write(blk, offset, buf, len, errp);
}

bool blk_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len, Error **errp)
{
    static const uint8_t zeros[BLK_ZERO_CHUNK];

    if (!blk_check_writable(blk, errp) || !blk_check_range(blk, "write", offset, len, errp)) {
        return false;
    }
    if (blk->overlay) {
        return blk_overlay_write(blk, offset, NULL, len, errp);
    }
    while (len) {
        uint64_t chunk = MIN(len, (uint64_t)BLK_ZERO_CHUNK);
        if (!blk_file_write(blk, offset, zeros, chunk, errp)) {
            return false;
        }
        offset += chunk;
        len -= chunk;
    }
    return true;
}

bool blk_flush(BlockBackend *blk, Error **errp)
{
    if (blk->read_only || blk->overlay) {
        return true; /* nothing of the guest's reaches the file */
    }
    while (fsync(blk->fd) < 0) {
        if (errno != EINTR) {
            error_setg_errno(errp, errno, "drive '%s': flush failed", blk->id);
            return false;
        }
    }
    return true;
}

/* ---- accessors ------------------------------------------------------------------------ */

uint64_t blk_size(const BlockBackend *blk)
{
    return blk->size;
}

bool blk_is_read_only(const BlockBackend *blk)
{
    return blk->read_only;
}

bool blk_is_snapshot(const BlockBackend *blk)
{
    return blk->snapshot;
}

const char *blk_name(const BlockBackend *blk)
{
    return blk->id;
}

const char *blk_serial(const BlockBackend *blk)
{
    return blk->serial;
}

const char *blk_filename(const BlockBackend *blk)
{
    return blk->filename;
}

const char *blk_interface(const BlockBackend *blk)
{
    return blk->interface;
}

int blk_foreach(int (*fn)(BlockBackend *blk, void *opaque), void *opaque)
{
    int ret = 0;

    for (guint i = 0; backends && i < backends->len && !ret; i++) {
        ret = fn(backends->pdata[i], opaque);
    }
    return ret;
}

bool blk_attach(BlockBackend *blk, void *dev)
{
    if (blk->attached && blk->attached != dev) {
        return false;
    }
    blk->attached = dev;
    return true;
}

void blk_detach(BlockBackend *blk, void *dev)
{
    if (blk->attached == dev) {
        blk->attached = NULL;
    }
}

BlockBackend *blk_find(const char *id)
{
    for (guint i = 0; id && backends && i < backends->len; i++) {
        BlockBackend *blk = backends->pdata[i];
        if (!strcmp(blk->id, id)) {
            return blk;
        }
    }
    return NULL;
}

/* ---- creation ------------------------------------------------------------------------- */

static void blk_free(BlockBackend *blk)
{
    if (blk->fd >= 0) {
        close(blk->fd);
    }
    if (blk->overlay) {
        g_hash_table_destroy(blk->overlay);
    }
    if (blk->written) {
        g_array_free(blk->written, TRUE);
    }
    g_free(blk->id);
    g_free(blk->filename);
    g_free(blk->serial);
    g_free(blk->interface);
    g_free(blk->source);
    g_free(blk);
}

/* QEMU's name for a drive without id=: its interface and unit ("none0", "virtio1"). */
static char *blk_generated_id(Opts *opts, uint64_t unit)
{
    const char *iface = opt_get(opts, "if");

    return g_strdup_printf("%s%" PRIu64, iface ? iface : "none", unit);
}

static BlockBackend *blk_open(Opts *opts, const char *id, Error **errp)
{
    const char *file = opt_get(opts, "file");
    const char *format = opt_get(opts, "format");
    BlockBackend *blk;
    off_t end;

    if (!file || !*file) {
        error_setg(errp, "a drive needs file=");
        return NULL;
    }
    if (format && strcmp(format, "raw")) {
        error_setg(errp, "format '%s' is not supported (Tern reads raw images)", format);
        return NULL;
    }
    if (blk_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for drive", id);
        return NULL;
    }
    blk = g_new0(BlockBackend, 1);
    blk->fd = -1;
    blk->id = g_strdup(id);
    blk->filename = g_strdup(file);
    blk->serial = g_strdup(opt_get(opts, "serial"));
    blk->interface = g_strdup(opt_get(opts, "if") ? opt_get(opts, "if") : "none");
    blk->read_only = opt_get_bool(opts, "readonly", false);
    blk->snapshot = opt_get_bool(opts, "snapshot", false);
    /*
     * snapshot=on never writes the file, so it needs no write access to it.
     * A block device is a drive as much as an image file is; a pipe, a
     * character device or a directory cannot be one (no size, no seeking).
     */
    blk->fd = hostfile_open(NULL, file, blk->read_only || blk->snapshot ? O_RDONLY : O_RDWR,
                            HOSTFILE_REGULAR | HOSTFILE_BLOCK, HOSTFILE_NO_LIMIT, NULL, errp);
    if (blk->fd < 0) {
        goto err;
    }
    end = lseek(blk->fd, 0, SEEK_END);
    if (end < 0) {
        error_setg_errno(errp, errno, "cannot find the size");
        goto err;
    }
    /* A partial last sector counts as a whole one; its tail reads as zeros. */
    blk->size = ((uint64_t)end + BLK_SECTOR_SIZE - 1) & ~(uint64_t)(BLK_SECTOR_SIZE - 1);
    if (blk->snapshot) {
        blk->overlay = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
    }
    return blk;

err:
    blk_free(blk);
    return NULL;
}

static void blk_register(BlockBackend *blk)
{
    if (!backends) {
        backends = g_ptr_array_new();
    }
    g_ptr_array_add(backends, blk);
}

BlockBackend *blk_new_from_opts(Opts *opts, Error **errp)
{
    char *id = g_strdup(opts_id(opts));
    BlockBackend *blk;

    if (!id) {
        id = blk_generated_id(opts, opt_get_number(opts, "index", 0));
    }
    blk = blk_open(opts, id, errp);
    g_free(id);
    if (!blk) {
        char *source = opts_to_string(opts);
        error_prepend(errp, "-drive %s: ", source);
        g_free(source);
        return NULL;
    }
    blk->source = opts_to_string(opts);
    blk_register(blk);
    return blk;
}

/*
 * Units, as QEMU numbers drives: per interface, index= when given, else the
 * lowest unit no earlier drive took.  A drive without id= is named from it.
 */
typedef struct BlkCreateAll {
    GHashTable *units; /* "if:unit" of every drive so far */
} BlkCreateAll;

static bool blk_take_unit(BlkCreateAll *state, Opts *opts, uint64_t *unit, Error **errp)
{
    const char *iface = opt_get(opts, "if") ? opt_get(opts, "if") : "none";
    bool given = opt_has(opts, "index");
    char *key;

    *unit = given ? opt_get_number(opts, "index", 0) : 0;
    for (;;) {
        key = g_strdup_printf("%s:%" PRIu64, iface, *unit);
        if (!g_hash_table_contains(state->units, key)) {
            break;
        }
        g_free(key);
        if (given) {
            error_setg(errp, "drive with bus=0, unit=%" PRIu64 " exists", *unit);
            return false;
        }
        (*unit)++;
    }
    g_hash_table_add(state->units, key);
    return true;
}

static int blk_create_one(void *opaque, Opts *opts, Error **errp)
{
    BlkCreateAll *state = opaque;
    char *source = opts_to_string(opts);
    char *id = NULL;
    BlockBackend *blk;
    uint64_t unit;
    int ret = -1;

    if (!blk_take_unit(state, opts, &unit, errp)) {
        goto out;
    }
    id = opts_id(opts) ? g_strdup(opts_id(opts)) : blk_generated_id(opts, unit);
    blk = blk_find(id);
    if (blk && blk->source && !strcmp(blk->source, source)) {
        ret = 0; /* opened by an earlier call */
        goto out;
    }
    blk = blk_open(opts, id, errp);
    if (!blk) {
        goto out;
    }
    blk->source = source;
    source = NULL;
    blk_register(blk);
    ret = 0;
out:
    if (ret) {
        error_prepend(errp, "-drive %s: ", source);
    }
    g_free(source);
    g_free(id);
    return ret;
}

bool blk_create_all(Error **errp)
{
    OptsList *list = opts_find_list("drive");
    BlkCreateAll state;
    int ret;

    if (!list) {
        return true;
    }
    state.units = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ret = opts_foreach(list, blk_create_one, &state, errp);
    g_hash_table_destroy(state.units);
    return ret == 0;
}

void blk_cleanup_all(void)
{
    if (!backends) {
        return;
    }
    for (guint i = 0; i < backends->len; i++) {
        blk_free(backends->pdata[i]);
    }
    g_ptr_array_free(backends, TRUE);
    backends = NULL;
}

/* ---- snapshots -------------------------------------------------------------------------- */

/* The saved overlay: block indices in ascending order and their data, side by side. */
struct BlkOverlaySaved {
    size_t count;
    gint64 *index;
    uint8_t *data;    /* count blocks */
    GHashTable *slot; /* index -> position + 1 */
};

static int compare_index(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

    return x < y ? -1 : x > y;
}

/* The overlay's indices, ascending (caller frees). */
static gint64 *blk_overlay_sorted_indices(BlockBackend *blk, size_t *count)
{
    GHashTableIter it;
    gpointer key;
    size_t n = 0;
    gint64 *index;

    *count = g_hash_table_size(blk->overlay);
    index = g_new(gint64, *count ? *count : 1);
    g_hash_table_iter_init(&it, blk->overlay);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        index[n++] = *(gint64 *)key;
    }
    qsort(index, n, sizeof(*index), compare_index);
    return index;
}

static void blk_overlay_clear_written(BlockBackend *blk)
{
    for (guint i = 0; i < blk->written->len; i++) {
        gint64 index = g_array_index(blk->written, gint64, i);
        BlkOverlayBlock *b = g_hash_table_lookup(blk->overlay, &index);

        if (b) {
            b->written = false;
        }
    }
    g_array_set_size(blk->written, 0);
}

BlkOverlaySaved *blk_overlay_save(BlockBackend *blk)
{
    BlkOverlaySaved *saved;

    if (!blk->overlay) {
        return NULL;
    }
    saved = g_new0(BlkOverlaySaved, 1);
    saved->index = blk_overlay_sorted_indices(blk, &saved->count);
    saved->data = g_malloc((saved->count ? saved->count : 1) * (size_t)BLK_OVERLAY_BLOCK);
    saved->slot = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (size_t i = 0; i < saved->count; i++) {
        BlkOverlayBlock *b = g_hash_table_lookup(blk->overlay, &saved->index[i]);

        memcpy(saved->data + i * BLK_OVERLAY_BLOCK, b->data, BLK_OVERLAY_BLOCK);
        g_hash_table_insert(saved->slot, &saved->index[i], GSIZE_TO_POINTER(i + 1));
    }
    if (!blk->written) {
        blk->written = g_array_sized_new(FALSE, FALSE, sizeof(gint64), 64);
    }
    blk_overlay_clear_written(blk);
    return saved;
}

size_t blk_overlay_restore(BlockBackend *blk, const BlkOverlaySaved *saved)
{
    size_t n;

    if (!saved || !blk->written) {
        return 0;
    }
    n = blk->written->len;
    for (size_t i = 0; i < n; i++) {
        gint64 index = g_array_index(blk->written, gint64, i);
        size_t slot = GPOINTER_TO_SIZE(g_hash_table_lookup(saved->slot, &index));
        BlkOverlayBlock *b = g_hash_table_lookup(blk->overlay, &index);

        if (!b) {
            continue;
        }
        if (slot) {
            memcpy(b->data, saved->data + (slot - 1) * BLK_OVERLAY_BLOCK, BLK_OVERLAY_BLOCK);
            b->written = false;
        } else {
            g_hash_table_remove(blk->overlay, &index); /* frees b */
        }
    }
    g_array_set_size(blk->written, 0);
    return n;
}

void blk_overlay_saved_free(BlockBackend *blk, BlkOverlaySaved *saved)
{
    if (blk && blk->written) {
        blk_overlay_clear_written(blk);
        g_array_free(blk->written, TRUE);
        blk->written = NULL;
    }
    if (saved) {
        g_hash_table_destroy(saved->slot);
        g_free(saved->index);
        g_free(saved->data);
        g_free(saved);
    }
}

void blk_overlay_digest(BlockBackend *blk, void (*fn)(const void *data, size_t len, void *opaque),
                        void *opaque)
{
    size_t count;
    gint64 *index;

    if (!blk->overlay) {
        return;
    }
    index = blk_overlay_sorted_indices(blk, &count);
    for (size_t i = 0; i < count; i++) {
        BlkOverlayBlock *b = g_hash_table_lookup(blk->overlay, &index[i]);

        uint8_t le_index[8];

        store_le64(le_index, (uint64_t)index[i]); /* the same digest on any host */
        fn(le_index, sizeof(le_index), opaque);
        fn(b->data, BLK_OVERLAY_BLOCK, opaque);
    }
    g_free(index);
}

bool blk_overlay_equal(BlockBackend *blk, const BlkOverlaySaved *saved, uint64_t *block)
{
    size_t count;
    gint64 *index;
    bool equal = true;

    if (!blk->overlay || !saved) {
        return !blk->overlay && !saved;
    }
    index = blk_overlay_sorted_indices(blk, &count);
    for (size_t i = 0; i < MAX(count, saved->count) && equal; i++) {
        if (i >= count || i >= saved->count || index[i] != saved->index[i]) {
            *block = (uint64_t)(i < count && (i >= saved->count || index[i] < saved->index[i])
                                    ? index[i]
                                    : saved->index[i]);
            equal = false;
        } else if (memcmp(((BlkOverlayBlock *)g_hash_table_lookup(blk->overlay, &index[i]))->data,
                          saved->data + i * BLK_OVERLAY_BLOCK, BLK_OVERLAY_BLOCK)) {
            *block = (uint64_t)index[i];
            equal = false;
        }
    }
    g_free(index);
    return equal;
}
