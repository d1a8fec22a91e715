/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader.h - putting firmware, kernel and initrd images into guest memory.
 *
 * Images are ELF (RISC-V, 64-bit, little-endian, ET_EXEC or ET_DYN: loaded
 * by their program headers' physical addresses, unrelocated) or raw (copied
 * at a given address).  Every byte must land inside the window the board
 * allows (its RAM); a truncated or inconsistent ELF (header fields, program
 * header table, a segment outside the file, wrapping, with more file than
 * memory bytes, or overlapping another), an image too big, or one that
 * overlaps the window's end is a one-line error naming the image, and
 * nothing is written to guest memory unless every check passes.
 */
#ifndef TERN_LOADER_H
#define TERN_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/memory.h"

typedef struct LoadedImage {
    uint64_t entry; /* ELF: e_entry; raw: the load address */
    uint64_t low;   /* lowest address written */
    uint64_t high;  /* one past the highest address written */
    bool is_elf;
} LoadedImage;

/*
 * The board's say over where an image goes: fn is called for every range
 * the image will occupy (each ELF segment, or the raw image), after the
 * image's own checks and before the first byte is written; false (with
 * *errp set) refuses the image and nothing is written.
 */
typedef struct LoaderClaim {
    bool (*fn)(void *opaque, hwaddr addr, uint64_t len, Error **errp);
    void *opaque;
} LoaderClaim;

/*
 * Loads an image already in memory (name starts its messages): ELF when it
 * starts with the ELF magic, else raw at raw_addr.  [win_start, win_end) is
 * where the image may go; claim may be NULL.  Host files are read by the
 * board through core/hostfile.h first.
 */
bool loader_load_buffer(AddressSpace *as, const char *name, const uint8_t *data, size_t len,
                        hwaddr raw_addr, hwaddr win_start, hwaddr win_end, const LoaderClaim *claim,
                        LoadedImage *out, Error **errp);

#endif
