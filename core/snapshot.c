/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot.c - taking, restoring, checking and digesting the whole machine
 * (see snapshot.h for what a snapshot holds).
 *
 * Take does the expensive work once: it walks the object tree, sorts the
 * devices by canonical path, validates their state tables, and sizes every
 * buffer a restore needs (device state, timers, bottom halves, IRQ levels),
 * so that a restore is memcpy over precomputed lists and allocates nothing.
 *
 * RAM rests on the memory core's dirty bitmaps, which this module owns once
 * a snapshot is taken.  Pages never written through the memory API are
 * zero (RAM is fresh anonymous memory), so "ever written" is the set that
 * matters: before the first take it is the dirty bitmap itself (nothing
 * clears it before), afterwards a history bitmap kept here (the bits of
 * every take).  Take copies the non-zero pages of that set and clears the
 * dirty bitmap; restore copies back each page written since (or zeroes it
 * when the snapshot had it as zeros) and clears its bit.  It finds those
 * pages in the region's dirty log (the memory core appends a page when its
 * bit goes from 0 to 1), so restore work is the pages written, whatever
 * the RAM size; only past
 * SNAPSHOT_DIRTY_LOG_MAX pages does it scan the bitmap (one word per 64
 * pages), which the page copies then dominate anyway.
 *
 * Restore order matters: the clock first (post_load reads it), then every
 * device's table with its post_load, then every table again without
 * post_load (a post_load that drives an IRQ line runs the receiver's
 * handler, which may change the receiver's already-restored state), then
 * the exact timer lists and bottom halves (post_load and handlers may have
 * armed or scheduled some), IRQ levels, RAM, overlays and the run state.
 *
 * The check mode keeps, per device, a raw copy of the whole instance struct
 * at take time.  After a restore every byte must match it, except:
 *  - the DeviceState header (object-model bookkeeping: class, parent,
 *    property list, reference count; device id, realized flag, GPIO lists);
 *  - other objects embedded in the instance (a child device's struct inside
 *    its container's, as the UART inside serial-mm): each is compared as
 *    itself, or skipped when it is not a device;
 *  - VMSTATE_UNSAVED members (scratch refilled before each use).
 * A byte that differs anywhere else is state that changed and was not put
 * back; outside the table it is reported as "offset N outside the state
 * table".  Pointers and configuration compare equal because they do not
 * change after realize.
 *
 * Not here: what a fuzzer or replayer does with it (fuzz/, harness/).
 */
#include "core/snapshot.h"

#include <string.h>
#include <glib.h>

#include "core/block.h"
#include "core/irq.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/qdev.h"
#include "core/runstate.h"
#include "core/timer.h"
#include "core/trace.h"
#include "core/vmstate.h"

TRACE_EVENT(snapshot_restore, "clock %" PRId64 " ns devices %zu pages %zu blocks %zu",
            (int64_t clock_ns, size_t devices, size_t pages, size_t blocks),
            (clock_ns, devices, pages, blocks))

#define BITS_PER_WORD (8 * sizeof(unsigned long))
/* Dirty-log entries per region: past this many pages a restore scans the bitmap. */
#define SNAPSHOT_DIRTY_LOG_MAX 16384

typedef struct SnapRange {
    size_t start, end; /* [start, end) of the instance */
} SnapRange;

typedef struct SnapDevice {
    char *path;
    DeviceState *dev; /* referenced while the snapshot holds it */
    const VMStateDescription *vmsd;
    size_t state_offset, state_len; /* in Snapshot.state */
    size_t size;                    /* instance bytes */
    uint8_t *raw;                   /* the instance at take time */
    SnapRange *skip;                /* sorted, not compared by the check */
    size_t nr_skip;
    size_t irq_first, nr_irqs; /* in Snapshot.irqs */
} SnapDevice;

typedef struct SnapIrq {
    qemu_irq irq;
    int level;
    const char *list; /* GPIO list name, NULL: unnamed */
    int index;
} SnapIrq;

typedef struct SnapRam {
    MemoryRegion *mr;
    size_t pages, words;
    GHashTable *slot; /* page -> position in data + 1 (non-zero pages only) */
    uint8_t *data;
    size_t nr_data;
    size_t *log; /* the region's dirty log: pages first written since the take */
} SnapRam;

typedef struct SnapDrive {
    BlockBackend *blk;
    BlkOverlaySaved *saved;
} SnapDrive;

typedef struct Snapshot {
    SnapDevice *devices;
    size_t nr_devices;
    uint8_t *state;
    size_t state_len;
    GByteArray *scratch; /* state_len reserved: the check re-saves here */
    SnapIrq *irqs;
    size_t nr_irqs;
    SnapRam *ram;
    size_t nr_ram;
    ClockSaved clock;
    TimerSaved *timers, *timers_now; /* timers_now: the check's buffer */
    size_t nr_timers;
    uint64_t timer_frees;
    BH **bhs;
    size_t nr_bhs;
    uint64_t bh_deletes;
    RunStateSaved run;
    SnapDrive *drives;
    size_t nr_drives;
} Snapshot;

/* Pages ever written, per region: outlives snapshots, dropped at cleanup. */
typedef struct RamHistory {
    MemoryRegion *mr;
    unsigned long *written;
    size_t words;
} RamHistory;

static Snapshot *current;
static GArray *ram_history; /* RamHistory */
static SnapshotStats stats;
static bool check_after_restore;

/* ---- walking the machine ---------------------------------------------------------- */

typedef struct WalkedObject {
    Object *obj;
    char *path;
} WalkedObject;

static int collect_object(Object *obj, void *opaque)
{
    GArray *objects = opaque;
    WalkedObject w = {obj, object_get_canonical_path(obj)};

    if (w.path) {
        g_array_append_val(objects, w);
    }
    return 0;
}

static gint compare_walked(gconstpointer a, gconstpointer b)
{
    return strcmp(((const WalkedObject *)a)->path, ((const WalkedObject *)b)->path);
}

static gint compare_range(gconstpointer a, gconstpointer b)
{
    const SnapRange *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

static void add_skip(GArray *skip, size_t start, size_t end)
{
    SnapRange r = {start, end};

    g_array_append_val(skip, r);
}

/* What the check does not compare in d's instance (see the file comment). */
static void compute_skips(SnapDevice *d, const GArray *objects)
{
    GArray *skip = g_array_new(FALSE, FALSE, sizeof(SnapRange));
    const uint8_t *base = (const uint8_t *)d->dev;

    add_skip(skip, 0, sizeof(DeviceState));
    for (guint i = 0; i < objects->len; i++) {
        const WalkedObject *w = &g_array_index(objects, WalkedObject, i);
        const uint8_t *p = (const uint8_t *)w->obj;

        if (p > base && p < base + d->size) {
            size_t start = (size_t)(p - base);
            add_skip(skip, start, MIN(d->size, start + object_get_instance_size(w->obj)));
        }
    }
    if (d->vmsd) {
        for (const VMStateField *f = d->vmsd->fields; f->name; f++) {
            if (f->kind == VMS_UNSAVED) {
                add_skip(skip, f->offset, f->offset + f->size);
            }
        }
    }
    g_array_sort(skip, compare_range);
    d->nr_skip = skip->len;
    d->skip = (SnapRange *)g_array_free(skip, FALSE);
}

static void collect_irqs(SnapDevice *d, GArray *irqs)
{
    d->irq_first = irqs->len;
    for (NamedGPIOList *l = d->dev->gpios; l; l = l->next) {
        for (int i = 0; i < l->num_in; i++) {
            SnapIrq irq = {l->in[i], 0, l->name, i};
            g_array_append_val(irqs, irq);
        }
    }
    d->nr_irqs = irqs->len - d->irq_first;
}

/* ---- RAM ---------------------------------------------------------------------------- */

static void collect_ram(MemoryRegion *mr, GPtrArray *out)
{
    while (mr && mr->kind == MR_ALIAS) {
        mr = mr->alias;
    }
    if (!mr) {
        return;
    }
    if ((mr->kind == MR_RAM || mr->kind == MR_ROM) && mr->dirty &&
        !g_ptr_array_find(out, mr, NULL)) {
        g_ptr_array_add(out, mr);
    }
    for (unsigned i = 0; i < mr->nr_subregions; i++) {
        collect_ram(mr->subregions[i], out);
    }
}

static size_t region_pages(const MemoryRegion *mr)
{
    return (mr->size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
}

static RamHistory *history_of(MemoryRegion *mr)
{
    for (guint i = 0; ram_history && i < ram_history->len; i++) {
        RamHistory *h = &g_array_index(ram_history, RamHistory, i);
        if (h->mr == mr) {
            return h;
        }
    }
    return NULL;
}

static RamHistory *history_get(MemoryRegion *mr)
{
    RamHistory *h = history_of(mr);
    RamHistory fresh;

    if (h) {
        return h;
    }
    if (!ram_history) {
        ram_history = g_array_new(FALSE, FALSE, sizeof(RamHistory));
    }
    fresh.mr = mr;
    fresh.words = (region_pages(mr) + BITS_PER_WORD - 1) / BITS_PER_WORD;
    fresh.written = g_new0(unsigned long, fresh.words ? fresh.words : 1);
    g_array_append_val(ram_history, fresh);
    return &g_array_index(ram_history, RamHistory, ram_history->len - 1);
}

static bool page_is_zero(const uint8_t *p)
{
    static const uint8_t zeros[TARGET_PAGE_SIZE];

    return !memcmp(p, zeros, TARGET_PAGE_SIZE);
}

/* Records the pages written so far in the history and copies the non-zero ones. */
static void take_ram(SnapRam *r)
{
    RamHistory *h = history_get(r->mr);
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(size_t));

    r->pages = region_pages(r->mr);
    r->words = h->words;
    memory_cache_invalidate(); /* dirty bits are cleared below */
    for (size_t w = 0; w < r->words; w++) {
        unsigned long bits;

        h->written[w] |= r->mr->dirty[w];
        r->mr->dirty[w] = 0;
        bits = h->written[w];
        while (bits) {
            size_t p = w * BITS_PER_WORD + (size_t)__builtin_ctzl(bits);
            bits &= bits - 1;
            if (!page_is_zero(r->mr->ram + p * TARGET_PAGE_SIZE)) {
                g_array_append_val(pages, p);
            }
        }
    }
    r->nr_data = pages->len;
    r->data = g_malloc((r->nr_data ? r->nr_data : 1) * (size_t)TARGET_PAGE_SIZE);
    r->slot = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < r->nr_data; i++) {
        size_t p = g_array_index(pages, size_t, i);
        memcpy(r->data + i * TARGET_PAGE_SIZE, r->mr->ram + p * TARGET_PAGE_SIZE, TARGET_PAGE_SIZE);
        g_hash_table_insert(r->slot, GSIZE_TO_POINTER(p), GSIZE_TO_POINTER(i + 1));
    }
    g_array_free(pages, TRUE);
    r->log = g_new(size_t, MIN(r->pages, SNAPSHOT_DIRTY_LOG_MAX) + 1);
    memory_region_set_dirty_log(r->mr, r->log, MIN(r->pages, SNAPSHOT_DIRTY_LOG_MAX));
}

/* The snapshot's copy of page p, or NULL when it had the page as zeros. */
static const uint8_t *saved_page(const SnapRam *r, size_t p)
{
    size_t slot = GPOINTER_TO_SIZE(g_hash_table_lookup(r->slot, GSIZE_TO_POINTER(p)));

    return slot ? r->data + (slot - 1) * TARGET_PAGE_SIZE : NULL;
}

static void restore_page(SnapRam *r, size_t p)
{
    uint8_t *host = r->mr->ram + p * TARGET_PAGE_SIZE;
    const uint8_t *copy = saved_page(r, p);

    if (copy) {
        memcpy(host, copy, TARGET_PAGE_SIZE);
        stats.pages_restored++;
    } else {
        memset(host, 0, TARGET_PAGE_SIZE);
        stats.pages_zeroed++;
    }
    stats.bytes_restored += TARGET_PAGE_SIZE;
}

/*
 * The pages written since the take come from the region's dirty log; only
 * when more pages were written than the log holds is the bitmap scanned.
 */
static void restore_ram(SnapRam *r)
{
    unsigned long *dirty = r->mr->dirty;
    const size_t *log;
    size_t n = memory_region_dirty_log(r->mr, &log);

    memory_cache_invalidate(); /* dirty bits are cleared below */
    if (n != SIZE_MAX) {
        for (size_t i = 0; i < n; i++) {
            size_t p = log[i];
            unsigned long bit = 1ul << (p % BITS_PER_WORD);

            if (dirty[p / BITS_PER_WORD] & bit) {
                dirty[p / BITS_PER_WORD] &= ~bit;
                restore_page(r, p);
            }
        }
    } else {
        stats.bitmap_words += r->words;
        for (size_t w = 0; w < r->words; w++) {
            unsigned long bits = dirty[w];

            dirty[w] = 0;
            while (bits) {
                size_t p = w * BITS_PER_WORD + (size_t)__builtin_ctzl(bits);
                bits &= bits - 1;
                restore_page(r, p);
            }
        }
    }
    memory_region_dirty_log_clear(r->mr);
}

/* ---- take and free ------------------------------------------------------------------ */

static void snapshot_destroy(Snapshot *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->nr_devices; i++) {
        SnapDevice *d = &s->devices[i];
        g_free(d->path);
        g_free(d->raw);
        g_free(d->skip);
        object_unref(OBJECT(d->dev));
    }
    g_free(s->devices);
    g_free(s->state);
    if (s->scratch) {
        g_byte_array_unref(s->scratch);
    }
    g_free(s->irqs);
    for (size_t i = 0; i < s->nr_ram; i++) {
        if (s->ram[i].log) {
            memory_region_set_dirty_log(s->ram[i].mr, NULL, 0);
            g_free(s->ram[i].log);
        }
        if (s->ram[i].slot) {
            g_hash_table_destroy(s->ram[i].slot);
        }
        g_free(s->ram[i].data);
    }
    g_free(s->ram);
    g_free(s->timers);
    g_free(s->timers_now);
    g_free(s->bhs);
    for (size_t i = 0; i < s->nr_drives; i++) {
        blk_overlay_saved_free(s->drives[i].blk, s->drives[i].saved);
    }
    g_free(s->drives);
    g_free(s);
}

void snapshot_free(void)
{
    snapshot_destroy(current);
    current = NULL;
}

void snapshot_cleanup(void)
{
    snapshot_free();
    check_after_restore = false; /* an option of this machine, not of the process */
    if (ram_history) {
        for (guint i = 0; i < ram_history->len; i++) {
            g_free(g_array_index(ram_history, RamHistory, i).written);
        }
        g_array_free(ram_history, TRUE);
        ram_history = NULL;
    }
    memset(&stats, 0, sizeof(stats));
}

bool snapshot_taken(void)
{
    return current != NULL;
}

static int refuse_writable_drive(BlockBackend *blk, void *opaque)
{
    Error **errp = opaque;

    if (!blk_is_snapshot(blk) && !blk_is_read_only(blk)) {
        error_setg(errp,
                   "drive '%s' is written in place: a snapshot cannot undo that (use "
                   "snapshot=on or readonly=on)",
                   blk_name(blk));
        return 1;
    }
    return 0;
}

static int collect_drive(BlockBackend *blk, void *opaque)
{
    GArray *drives = opaque;

    if (blk_is_snapshot(blk)) {
        SnapDrive d = {blk, NULL};
        g_array_append_val(drives, d);
    }
    return 0;
}

/* Devices in path order, validated, with their skips and IRQ inputs; false with *errp. */
static bool take_devices(Snapshot *s, Error **errp)
{
    GArray *objects = g_array_new(FALSE, FALSE, sizeof(WalkedObject));
    GArray *devices = g_array_new(FALSE, TRUE, sizeof(SnapDevice));
    GArray *irqs = g_array_new(FALSE, FALSE, sizeof(SnapIrq));
    GByteArray *state = g_byte_array_new();
    bool ok = true;

    object_child_foreach_recursive(object_get_root(), collect_object, objects);
    g_array_sort(objects, compare_walked);
    for (guint i = 0; i < objects->len && ok; i++) {
        WalkedObject *w = &g_array_index(objects, WalkedObject, i);
        DeviceState *dev = (DeviceState *)object_dynamic_cast(w->obj, TYPE_DEVICE);
        SnapDevice d = {0};

        if (!dev || !dev->realized) {
            continue;
        }
        d.dev = dev;
        d.vmsd = DEVICE_GET_CLASS(dev)->vmsd;
        d.size = object_get_instance_size(w->obj);
        if (d.vmsd && !vmstate_validate(d.vmsd, d.size, errp)) {
            error_prepend(errp, "device '%s' (%s): ", w->path, object_get_typename(w->obj));
            ok = false;
            break;
        }
        d.path = g_strdup(w->path);
        object_ref(OBJECT(dev));
        d.state_offset = state->len;
        if (d.vmsd) {
            vmstate_save(d.vmsd, dev, state);
        }
        d.state_len = state->len - d.state_offset;
        d.raw = g_memdup2(dev, d.size);
        compute_skips(&d, objects);
        collect_irqs(&d, irqs);
        g_array_append_val(devices, d);
    }
    for (guint i = 0; i < objects->len; i++) {
        g_free(g_array_index(objects, WalkedObject, i).path);
    }
    g_array_free(objects, TRUE);
    s->nr_devices = devices->len;
    s->devices = (SnapDevice *)g_array_free(devices, FALSE);
    s->nr_irqs = irqs->len;
    s->irqs = (SnapIrq *)g_array_free(irqs, FALSE);
    for (size_t i = 0; i < s->nr_irqs; i++) {
        s->irqs[i].level = qemu_irq_get_level(s->irqs[i].irq);
    }
    s->state_len = state->len;
    s->state = g_byte_array_free(state, FALSE);
    s->scratch = g_byte_array_sized_new((guint)s->state_len + 1);
    return ok;
}

static void take_clock_and_bottom_halves(Snapshot *s)
{
    ClockSaved clock;
    size_t n = clock_virtual_save(&clock, NULL, 0);

    s->timers = g_new(TimerSaved, n ? n : 1);
    s->timers_now = g_new(TimerSaved, n ? n : 1);
    s->nr_timers = clock_virtual_save(&s->clock, s->timers, n);
    s->timer_frees = timer_virtual_frees();
    n = bh_save_scheduled(NULL, 0);
    s->bhs = g_new(BH *, n ? n : 1);
    s->nr_bhs = bh_save_scheduled(s->bhs, n);
    s->bh_deletes = bh_deletes();
}

bool snapshot_take(Error **errp)
{
    Snapshot *s;
    GPtrArray *regions;
    GArray *drives;

    snapshot_free();
    if (!address_space_memory()) {
        error_setg(errp, "no machine to take a snapshot of");
        return false;
    }
    if (blk_foreach(refuse_writable_drive, errp)) {
        return false;
    }
    s = g_new0(Snapshot, 1);
    if (!take_devices(s, errp)) {
        snapshot_destroy(s);
        return false;
    }
    take_clock_and_bottom_halves(s);
    runstate_save(&s->run);

    regions = g_ptr_array_new();
    collect_ram(address_space_memory()->root, regions);
    s->nr_ram = regions->len;
    s->ram = g_new0(SnapRam, s->nr_ram ? s->nr_ram : 1);
    for (size_t i = 0; i < s->nr_ram; i++) {
        s->ram[i].mr = regions->pdata[i];
        take_ram(&s->ram[i]);
    }
    g_ptr_array_free(regions, TRUE);

    drives = g_array_new(FALSE, FALSE, sizeof(SnapDrive));
    blk_foreach(collect_drive, drives);
    s->nr_drives = drives->len;
    s->drives = (SnapDrive *)g_array_free(drives, FALSE);
    for (size_t i = 0; i < s->nr_drives; i++) {
        s->drives[i].saved = blk_overlay_save(s->drives[i].blk);
    }

    memset(&stats, 0, sizeof(stats));
    stats.devices = s->nr_devices;
    stats.state_bytes = s->state_len;
    stats.ram_regions = s->nr_ram;
    for (size_t i = 0; i < s->nr_ram; i++) {
        stats.pages_saved += s->ram[i].nr_data;
    }
    stats.timers_saved = s->nr_timers;
    stats.bhs_saved = s->nr_bhs;
    stats.drives_saved = s->nr_drives;
    current = s;
    return true;
}

/* ---- restore -------------------------------------------------------------------------- */

/* The first byte of d's instance that differs from its raw copy, outside the skips; -1: none. */
static ptrdiff_t first_raw_difference(const SnapDevice *d)
{
    const uint8_t *now = (const uint8_t *)d->dev;
    size_t pos = 0;

    for (size_t k = 0; k <= d->nr_skip; k++) {
        size_t end = k < d->nr_skip ? d->skip[k].start : d->size;

        if (end > pos && memcmp(now + pos, d->raw + pos, end - pos)) {
            while (now[pos] == d->raw[pos]) {
                pos++;
            }
            return (ptrdiff_t)pos;
        }
        if (k < d->nr_skip) {
            pos = MAX(pos, d->skip[k].end);
        }
    }
    return -1;
}

bool snapshot_restore(Error **errp)
{
    Snapshot *s = current;

    if (!s) {
        error_setg(errp, "no snapshot to restore");
        return false;
    }
    if (s->nr_timers && timer_virtual_frees() != s->timer_frees) {
        error_setg(errp, "a virtual timer was freed since the snapshot: it cannot be restored");
        return false;
    }
    if (s->nr_bhs && bh_deletes() != s->bh_deletes) {
        error_setg(errp, "a bottom half was deleted since the snapshot: it cannot be restored");
        return false;
    }
    stats.pages_restored = stats.pages_zeroed = stats.bitmap_words = 0;
    stats.blocks_restored = 0;
    stats.bytes_restored = 0;

    /*
     * The clock first: post_load handlers may read it.  Timers are set at the end.
     * A device whose instance is byte for byte as it was at the take (outside
     * what the check skips) holds the saved state already: loading it would
     * write the same bytes, so it is left alone - most devices, for most
     * fuzz inputs.  The second pass looks again, since a post_load of the
     * first may have driven a line into a device that had not changed.
     */
    stats.devices_restored = 0;
    clock_virtual_restore(&s->clock, NULL, 0);
    for (size_t i = 0; i < s->nr_devices; i++) {
        SnapDevice *d = &s->devices[i];
        if (d->vmsd && first_raw_difference(d) >= 0) {
            vmstate_load(d->vmsd, d->dev, s->state + d->state_offset, d->state_len, NULL);
            stats.bytes_restored += d->state_len;
            stats.devices_restored++;
        }
    }
    for (size_t i = 0; i < s->nr_devices; i++) {
        SnapDevice *d = &s->devices[i];
        if (d->vmsd && first_raw_difference(d) >= 0) {
            vmstate_load_plain(d->vmsd, d->dev, s->state + d->state_offset, d->state_len, NULL);
        }
    }
    clock_virtual_restore(&s->clock, s->timers, s->nr_timers);
    bh_restore_scheduled(s->bhs, s->nr_bhs);
    for (size_t i = 0; i < s->nr_irqs; i++) {
        qemu_irq_restore_level(s->irqs[i].irq, s->irqs[i].level);
    }
    for (size_t i = 0; i < s->nr_ram; i++) {
        restore_ram(&s->ram[i]);
    }
    for (size_t i = 0; i < s->nr_drives; i++) {
        size_t n = blk_overlay_restore(s->drives[i].blk, s->drives[i].saved);
        stats.blocks_restored += n;
        stats.bytes_restored += (uint64_t)n * BLK_OVERLAY_BLOCK;
    }
    runstate_restore(&s->run);
    stats.restores++;
    trace_snapshot_restore(clock_get_ns(CLOCK_VIRTUAL), stats.devices_restored,
                           stats.pages_restored, stats.blocks_restored);
    if (check_after_restore) {
        return snapshot_check(errp);
    }
    return true;
}

/* ---- check ------------------------------------------------------------------------------ */

static const char *list_name(const char *name)
{
    return name ? name : "unnamed";
}

static bool check_device(Snapshot *s, const SnapDevice *d, Error **errp)
{
    const char *type = object_get_typename(OBJECT(d->dev));
    ptrdiff_t offset;

    if (d->vmsd) {
        const VMStateField *f;

        g_byte_array_set_size(s->scratch, 0);
        vmstate_save(d->vmsd, d->dev, s->scratch);
        f = vmstate_first_difference(d->vmsd, s->scratch->data, s->state + d->state_offset);
        if (f) {
            error_setg(errp, "device '%s' (%s): field '%s' differs from the snapshot", d->path,
                       type, f->name);
            return false;
        }
    }
    offset = first_raw_difference(d);
    if (offset >= 0) {
        const VMStateField *f = d->vmsd ? vmstate_field_at(d->vmsd, (size_t)offset) : NULL;

        if (f) {
            error_setg(errp, "device '%s' (%s): field '%s' differs from the snapshot", d->path,
                       type, f->name);
        } else {
            error_setg(errp,
                       "device '%s' (%s): offset %td outside the state table differs from the "
                       "snapshot (state the table does not hold)",
                       d->path, type, offset);
        }
        return false;
    }
    for (size_t i = d->irq_first; i < d->irq_first + d->nr_irqs; i++) {
        int level = qemu_irq_get_level(s->irqs[i].irq);
        if (level != s->irqs[i].level) {
            error_setg(errp, "device '%s' (%s): input %s[%d] is at level %d, the snapshot has %d",
                       d->path, type, list_name(s->irqs[i].list), s->irqs[i].index, level,
                       s->irqs[i].level);
            return false;
        }
    }
    return true;
}

static bool check_ram(const SnapRam *r, Error **errp)
{
    RamHistory *h = history_of(r->mr);

    for (size_t w = 0; w < r->words; w++) {
        unsigned long bits = r->mr->dirty[w] | (h ? h->written[w] : 0);

        while (bits) {
            size_t p = w * BITS_PER_WORD + (size_t)__builtin_ctzl(bits);
            const uint8_t *copy = saved_page(r, p);
            const uint8_t *host = r->mr->ram + p * TARGET_PAGE_SIZE;

            bits &= bits - 1;
            if (copy ? memcmp(host, copy, TARGET_PAGE_SIZE) : !page_is_zero(host)) {
                error_setg(errp, "RAM '%s': page %zu (offset 0x%zx) differs from the snapshot",
                           memory_region_name(r->mr), p, p * TARGET_PAGE_SIZE);
                return false;
            }
        }
    }
    return true;
}

static bool runstate_saved_equal(const RunStateSaved *a, const RunStateSaved *b)
{
    return a->state == b->state && a->shutdown_pending == b->shutdown_pending &&
           a->reset_pending == b->reset_pending && a->powerdown_pending == b->powerdown_pending &&
           a->shutdown_requested == b->shutdown_requested &&
           a->reset_requested == b->reset_requested &&
           a->shutdown_exit_code == b->shutdown_exit_code &&
           a->last_shutdown_cause == b->last_shutdown_cause &&
           a->last_reset_cause == b->last_reset_cause;
}

bool snapshot_check(Error **errp)
{
    Snapshot *s = current;
    ClockSaved clock;
    RunStateSaved run;
    size_t n;

    if (!s) {
        error_setg(errp, "no snapshot to check against");
        return false;
    }
    for (size_t i = 0; i < s->nr_devices; i++) {
        if (!check_device(s, &s->devices[i], errp)) {
            return false;
        }
    }
    n = clock_virtual_save(&clock, s->timers_now, s->nr_timers);
    if (clock.now_ns != s->clock.now_ns) {
        error_setg(errp, "virtual clock is at %" PRId64 " ns, the snapshot has %" PRId64,
                   clock.now_ns, s->clock.now_ns);
        return false;
    }
    if (n != s->nr_timers || memcmp(s->timers_now, s->timers, n * sizeof(TimerSaved))) {
        error_setg(errp, "armed virtual timers differ from the snapshot (%zu armed, %zu saved)", n,
                   s->nr_timers);
        return false;
    }
    if (bh_save_scheduled(NULL, 0) != s->nr_bhs) {
        error_setg(errp, "scheduled bottom halves differ from the snapshot");
        return false;
    }
    runstate_save(&run);
    if (!runstate_saved_equal(&run, &s->run)) {
        error_setg(errp, "run state or pending requests differ from the snapshot");
        return false;
    }
    for (size_t i = 0; i < s->nr_ram; i++) {
        if (!check_ram(&s->ram[i], errp)) {
            return false;
        }
    }
    for (size_t i = 0; i < s->nr_drives; i++) {
        uint64_t block = 0;
        if (!blk_overlay_equal(s->drives[i].blk, s->drives[i].saved, &block)) {
            error_setg(errp, "drive '%s': overlay block %" PRIu64 " differs from the snapshot",
                       blk_name(s->drives[i].blk), block);
            return false;
        }
    }
    return true;
}

void snapshot_set_check(bool on)
{
    check_after_restore = on;
}

const SnapshotStats *snapshot_stats(void)
{
    return &stats;
}

/* ---- digest ------------------------------------------------------------------------------ */

static void digest_bytes(const void *data, size_t len, void *opaque)
{
    g_checksum_update(opaque, data, (gssize)len);
}

/* Integers go in as 8 little-endian bytes, whatever the host. */
static void digest_u64(GChecksum *sum, uint64_t v)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
    g_checksum_update(sum, b, sizeof(b));
}

static void digest_str(GChecksum *sum, const char *s)
{
    digest_u64(sum, strlen(s));
    g_checksum_update(sum, (const guchar *)s, (gssize)strlen(s));
}

static int digest_device(Object *obj, void *opaque)
{
    GPtrArray *devices = opaque;
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (dev && dev->realized) {
        g_ptr_array_add(devices, dev);
    }
    return 0;
}

static gint compare_path(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Where a device's instance lies in memory, to name the timers whose opaque points into it. */
typedef struct DeviceSpan {
    uintptr_t start, end;
    const char *path; /* owned by digest_devices' caller */
} DeviceSpan;

/*
 * A timer's name for the digest: the innermost device whose instance holds
 * its opaque, and the opaque's offset inside it ("/machine/clint@0+96"), a
 * name that depends on the build's struct layout but never on addresses.
 */
static char *timer_owner_name(const Timer *t, const GArray *spans)
{
    uintptr_t opaque = (uintptr_t)timer_get_opaque(t);
    const DeviceSpan *best = NULL;

    for (guint i = 0; i < spans->len; i++) {
        const DeviceSpan *d = &g_array_index(spans, DeviceSpan, i);

        if (opaque >= d->start && opaque < d->end &&
            (!best || d->end - d->start < best->end - best->start)) {
            best = d;
        }
    }
    return best ? g_strdup_printf("%s+%zu", best->path, (size_t)(opaque - best->start))
                : g_strdup("(no device)");
}

/* Devices in path order; paths (freed by the caller) and spans are filled for the timers. */
static void digest_devices(GChecksum *sum, GPtrArray *paths, GArray *spans)
{
    GPtrArray *devices = g_ptr_array_new();
    GHashTable *by_path = g_hash_table_new(g_str_hash, g_str_equal);
    GByteArray *state = g_byte_array_new();

    object_child_foreach_recursive(object_get_root(), digest_device, devices);
    for (guint i = 0; i < devices->len; i++) {
        char *path = object_get_canonical_path(devices->pdata[i]);
        g_ptr_array_add(paths, path);
        g_hash_table_insert(by_path, path, devices->pdata[i]);
    }
    g_ptr_array_sort(paths, compare_path);
    for (guint i = 0; i < paths->len; i++) {
        DeviceState *dev = g_hash_table_lookup(by_path, paths->pdata[i]);
        const VMStateDescription *vmsd = DEVICE_GET_CLASS(dev)->vmsd;
        DeviceSpan span = {(uintptr_t)dev, (uintptr_t)dev + object_get_instance_size(OBJECT(dev)),
                           paths->pdata[i]};

        g_array_append_val(spans, span);
        digest_str(sum, paths->pdata[i]);
        digest_str(sum, object_get_typename(OBJECT(dev)));
        g_byte_array_set_size(state, 0);
        if (vmsd) {
            vmstate_save(vmsd, dev, state);
        }
        digest_u64(sum, state->len);
        g_checksum_update(sum, state->data, state->len);
        for (NamedGPIOList *l = dev->gpios; l; l = l->next) {
            digest_str(sum, list_name(l->name));
            for (int k = 0; k < l->num_in; k++) {
                digest_u64(sum, (uint64_t)(int64_t)qemu_irq_get_level(l->in[k]));
            }
        }
    }
    g_byte_array_unref(state);
    g_hash_table_destroy(by_path);
    g_ptr_array_free(devices, TRUE);
}

static void digest_ram(GChecksum *sum)
{
    GPtrArray *regions = g_ptr_array_new();

    collect_ram(address_space_memory()->root, regions);
    for (guint i = 0; i < regions->len; i++) {
        MemoryRegion *mr = regions->pdata[i];
        RamHistory *h = history_of(mr);
        size_t words = (region_pages(mr) + BITS_PER_WORD - 1) / BITS_PER_WORD;

        digest_str(sum, memory_region_name(mr));
        digest_u64(sum, memory_region_size(mr));
        for (size_t w = 0; w < words; w++) {
            unsigned long bits = mr->dirty[w] | (h ? h->written[w] : 0);
            while (bits) {
                size_t p = w * BITS_PER_WORD + (size_t)__builtin_ctzl(bits);
                const uint8_t *host = mr->ram + p * TARGET_PAGE_SIZE;

                bits &= bits - 1;
                if (!page_is_zero(host)) {
                    digest_u64(sum, p);
                    g_checksum_update(sum, host, TARGET_PAGE_SIZE);
                }
            }
        }
    }
    g_ptr_array_free(regions, TRUE);
}

static int digest_drive(BlockBackend *blk, void *opaque)
{
    if (blk_is_snapshot(blk)) {
        digest_str(opaque, blk_name(blk));
        blk_overlay_digest(blk, digest_bytes, opaque);
    }
    return 0;
}

char *snapshot_digest(Error **errp)
{
    GChecksum *sum;
    ClockSaved clock;
    RunStateSaved run;
    size_t n;
    TimerSaved *timers;
    GPtrArray *paths;
    GArray *spans;
    char *hex;

    if (!address_space_memory()) {
        error_setg(errp, "no machine to digest");
        return NULL;
    }
    sum = g_checksum_new(G_CHECKSUM_SHA256);
    paths = g_ptr_array_new_with_free_func(g_free);
    spans = g_array_new(FALSE, FALSE, sizeof(DeviceSpan));
    digest_str(sum, "tern-machine-state-v1");
    digest_devices(sum, paths, spans);

    n = clock_virtual_save(&clock, NULL, 0);
    timers = g_new(TimerSaved, n ? n : 1);
    clock_virtual_save(&clock, timers, n);
    digest_u64(sum, (uint64_t)clock.now_ns);
    digest_u64(sum, n);
    /*
     * In firing order, each deadline with the timer's owner, so that equal
     * deadlines armed in another order digest apart.
     */
    for (size_t i = 0; i < n; i++) {
        char *owner = timer_owner_name(timers[i].timer, spans);

        digest_u64(sum, (uint64_t)timers[i].expire_ns);
        digest_str(sum, owner);
        g_free(owner);
    }
    g_free(timers);
    g_array_free(spans, TRUE);
    g_ptr_array_free(paths, TRUE);
    digest_u64(sum, bh_save_scheduled(NULL, 0));

    runstate_save(&run);
    digest_u64(sum, (uint64_t)run.state);
    digest_u64(sum, (uint64_t)run.shutdown_pending << 2 | (uint64_t)run.reset_pending << 1 |
                        (uint64_t)run.powerdown_pending);
    digest_u64(sum, (uint64_t)run.shutdown_requested);
    digest_u64(sum, (uint64_t)run.reset_requested);
    digest_u64(sum, (uint64_t)(int64_t)run.shutdown_exit_code);
    digest_u64(sum, (uint64_t)run.last_shutdown_cause);
    digest_u64(sum, (uint64_t)run.last_reset_cause);

    digest_ram(sum);
    blk_foreach(digest_drive, sum);
    hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return hex;
}
