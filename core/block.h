/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * block.h - block back ends: the raw disk images behind -drive.
 *
 * One BlockBackend per entry of the "drive" option group:
 *   -drive file=F,format=raw,if=none|virtio,id=ID[,readonly=on][,snapshot=on][,serial=S]
 * The image is opened read-write unless readonly=on (QEMU's default), and
 * read-only when snapshot=on: every guest write then goes to an in-memory
 * copy-on-write overlay of 4 KiB blocks and the file is never written.
 *
 * Sizes: an image whose length is not a multiple of 512 is seen as rounded
 * up to whole sectors, the tail reading as zeros (as QEMU's raw driver does;
 * a write there extends the file).  Requests are all-or-nothing: a request
 * that reaches past the end is refused before anything is transferred.
 *
 * Devices find back ends by id (blk_find) and claim them (blk_attach) so
 * that one drive is not given to two devices.  Not here: the devices (hw/),
 * other image formats, host file locking, asynchronous I/O.
 */
#ifndef TERN_BLOCK_H
#define TERN_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/opts.h"

#define BLK_SECTOR_SIZE 512u
/* The unit of a snapshot=on overlay: a write copies and keeps whole blocks of this size. */
#define BLK_OVERLAY_BLOCK 4096u

typedef struct BlockBackend BlockBackend;

/*
 * Opens the image of one "drive" entry and registers it under its id (or
 * QEMU's generated one, "none0", "virtio1" ...).  The error names the file.
 */
BlockBackend *blk_new_from_opts(Opts *opts, Error **errp);
/*
 * A back end for every "drive" entry not opened yet; errors are prefixed
 * with the drive ("-drive file=x.img: cannot open: No such file or
 * directory").  Calling it again opens only drives added since.
 */
bool blk_create_all(Error **errp);
/* Closes every back end (tern_cleanup, after the devices are gone). */
void blk_cleanup_all(void);

BlockBackend *blk_find(const char *id);
const char *blk_name(const BlockBackend *blk);
/* The drive's serial= (NULL when not given). */
const char *blk_serial(const BlockBackend *blk);
const char *blk_filename(const BlockBackend *blk);
/* The drive's if= ("none" when not given): vl.c gives each "virtio" one a device. */
const char *blk_interface(const BlockBackend *blk);
/* Calls fn for every back end in creation (command-line) order; stops at non-zero. */
int blk_foreach(int (*fn)(BlockBackend *blk, void *opaque), void *opaque);

/* Claims blk for a device; false if another device has it. */
bool blk_attach(BlockBackend *blk, void *dev);
void blk_detach(BlockBackend *blk, void *dev);

/* Bytes, a multiple of BLK_SECTOR_SIZE. */
uint64_t blk_size(const BlockBackend *blk);
bool blk_is_read_only(const BlockBackend *blk);
bool blk_is_snapshot(const BlockBackend *blk);

/* [offset, offset+len) must lie inside blk_size(); false with *errp otherwise. */
bool blk_read(BlockBackend *blk, uint64_t offset, void *buf, uint64_t len, Error **errp);
/* Refused on a read-only drive; with snapshot=on the data stays in memory. */
bool blk_write(BlockBackend *blk, uint64_t offset, const void *buf, uint64_t len, Error **errp);
bool blk_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len, Error **errp);
/* fsync (nothing to do with snapshot=on or read-only). */
bool blk_flush(BlockBackend *blk, Error **errp);

/*
 * ---- snapshots (core/snapshot.c) ----
 * A machine snapshot holds a copy of each snapshot=on overlay.  From
 * blk_overlay_save() on, the back end lists the overlay blocks written, so
 * that blk_overlay_restore() puts back only those (copying the saved block,
 * or dropping a block the snapshot did not have): its cost follows what
 * changed, not the overlay's size.  Read-only drives need nothing; a drive
 * written in place (neither snapshot=on nor readonly=on) cannot be undone,
 * and the snapshot core refuses it.
 */
typedef struct BlkOverlaySaved BlkOverlaySaved;

/* A copy of blk's overlay (NULL when blk has none), and write tracking from now on. */
BlkOverlaySaved *blk_overlay_save(BlockBackend *blk);
/* Puts back the blocks written since the save (or the last restore); returns how many. */
size_t blk_overlay_restore(BlockBackend *blk, const BlkOverlaySaved *saved);
/* Stops tracking and frees the copy (NULL is fine). */
void blk_overlay_saved_free(BlockBackend *blk, BlkOverlaySaved *saved);
/* Feeds the overlay (its blocks by ascending index, each index then data) to fn. */
void blk_overlay_digest(BlockBackend *blk, void (*fn)(const void *data, size_t len, void *opaque),
                        void *opaque);
/* True when the overlay equals the saved copy; otherwise *block is the first block that differs. */
bool blk_overlay_equal(BlockBackend *blk, const BlkOverlaySaved *saved, uint64_t *block);

#endif
