/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot.h - the whole machine, taken and put back in memory: what the
 * fuzzers restore after every input and what the replay harness digests at
 * its checkpoints.  One snapshot per machine (the RAM dirty bitmaps it
 * rests on are one per region); a second take replaces the first.
 *
 * A snapshot holds:
 *  - every realized device's state table (vmstate.h), walking the object
 *    tree from the root, keyed and ordered by canonical path;
 *  - the last level of every device's GPIO inputs (the IRQ lines);
 *  - RAM and ROM through the dirty bitmaps: the pages ever written are
 *    copied at take time, and a restore copies back only the pages written
 *    since (pages never written before the take are zeroed);
 *  - the virtual clock, its armed timers (deadlines and tie-break order) and
 *    the scheduled bottom halves;
 *  - the run state with pending shutdown/reset/powerdown requests;
 *  - every snapshot=on drive overlay (a drive written in place is refused).
 * Not held: host-side things (chardev connections and buffers, QMP and
 * qtest sessions, realtime and host timers, fd handlers, the log).
 *
 * The check mode (snapshot_check, or after every restore once
 * snapshot_set_check is on) compares the machine with the snapshot and
 * names the first difference: the device and its field, or "offset N
 * outside the state table" when a device changed bytes its table does not
 * list (state hidden from snapshots).  docs/design.md "Snapshots" has the
 * details and the cost model.
 */
#ifndef TERN_SNAPSHOT_H
#define TERN_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct SnapshotStats {
    /* the snapshot (set by snapshot_take) */
    size_t devices;      /* realized devices walked */
    size_t state_bytes;  /* bytes of device state tables */
    size_t ram_regions;  /* RAM and ROM regions */
    size_t pages_saved;  /* RAM pages copied at take time */
    size_t timers_saved; /* armed virtual timers */
    size_t bhs_saved;    /* scheduled bottom halves */
    size_t drives_saved; /* snapshot=on overlays */
    /* the last restore */
    size_t devices_restored; /* devices whose state had changed and was loaded back */
    size_t pages_restored;   /* pages copied back from the snapshot */
    size_t pages_zeroed;     /* pages written since the take that the snapshot had as zeros */
    size_t bitmap_words;     /* dirty-bitmap words scanned */
    size_t blocks_restored;  /* overlay blocks put back or dropped */
    uint64_t bytes_restored; /* RAM, overlay and device-state bytes written back */
    uint64_t restores;       /* restores since the take */
} SnapshotStats;

/*
 * Takes a snapshot of the machine (after tern_init() returned
 * TERN_INIT_RUN), replacing any previous one.  Fails, keeping no snapshot,
 * when a device's state table is malformed (the error names the device) or
 * a drive is writable in place.
 */
bool snapshot_take(Error **errp);
/*
 * Puts the machine back as it was at the take.  Allocates nothing.  Fails
 * with no snapshot, or when a timer or bottom half it holds may have been
 * freed since; with the check mode on, also when the check finds a
 * difference afterwards.
 */
bool snapshot_restore(Error **errp);
/* True while a snapshot is held. */
bool snapshot_taken(void);
/* Drops the snapshot; harmless without one.  The record of pages written stays. */
void snapshot_free(void);
/* Drops the snapshot and everything kept about this machine (tern_cleanup). */
void snapshot_cleanup(void);

/*
 * SHA-256 of the machine's current state as 64 hex digits (g_free it): the
 * same contents as a snapshot, with RAM as its non-zero pages, in an order
 * that depends on nothing but the machine (paths, indices), so equal states
 * give equal digests across runs and builds.  NULL with *errp before the
 * machine exists.
 */
char *snapshot_digest(Error **errp);

/* Compares the machine with the snapshot; *errp names the first difference. */
bool snapshot_check(Error **errp);
/* With on, every snapshot_restore() ends with snapshot_check(). */
void snapshot_set_check(bool on);

/* Counters of the snapshot and of the last restore. */
const SnapshotStats *snapshot_stats(void);

#endif
