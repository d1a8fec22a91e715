/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-fuzz.h - what the structure-aware virtio targets (virtio-blk,
 * virtio-rng and their -legacy twins, fuzz/virtio-fuzz.c) let tests see:
 * counts of what inputs reached, the last completed request's data, the
 * block image's contents, and the input format's constants.  The input
 * format itself is described in docs/fuzzing.md ("virtio targets").
 */
#ifndef TERN_FUZZ_VIRTIO_FUZZ_H
#define TERN_FUZZ_VIRTIO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The block image: VIRTIO_FUZZ_DISK_SECTORS sectors of 512 bytes. */
#define VIRTIO_FUZZ_DISK_SECTORS 128
/* The guest RAM window every ring and buffer of a well-formed input lies in. */
#define VIRTIO_FUZZ_WINDOW_OFFSET 0x100000 /* from the start of RAM */
#define VIRTIO_FUZZ_WINDOW_SIZE   0x40000
/* The most bytes of the last completed request kept in the statistics. */
#define VIRTIO_FUZZ_LAST_DATA 4096

/* Counts since the last virtio_fuzz_stats_clear(), over every input run. */
typedef struct VirtioFuzzStats {
    uint64_t inputs;           /* fuzz() calls */
    uint64_t requests;         /* chains made available */
    uint64_t completed;        /* used-ring entries the driver saw */
    uint64_t inputs_completed; /* inputs with at least one completed request */
    uint64_t inputs_backend;   /* inputs where a request reached the back end (see below) */
    uint64_t status[4];        /* virtio-blk: status bytes OK, IOERR, UNSUPP, other */
    uint64_t rng_bytes;        /* virtio-rng: bytes the used ring reported */
    uint64_t needs_reset;      /* inputs that ended with DEVICE_NEEDS_RESET in Status */
    /* The last completed request. */
    uint8_t last_status; /* virtio-blk's status byte */
    uint32_t last_used_len;
    size_t last_len; /* bytes in last_data: an IN request's data, or entropy */
    uint8_t last_data[VIRTIO_FUZZ_LAST_DATA];
} VirtioFuzzStats;

const VirtioFuzzStats *virtio_fuzz_stats(void);
void virtio_fuzz_stats_clear(void);
/* Byte offset of the block image as the target creates it (before any write). */
uint8_t virtio_fuzz_image_byte(uint64_t offset);
/* The transport the target found in pre_fuzz: its address and version (0: not yet). */
uint64_t virtio_fuzz_slot(void);
unsigned virtio_fuzz_version(void);

#endif
