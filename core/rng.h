/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rng.h - entropy back ends: where a virtio-rng device's bytes come from.
 *
 * They live in core/ beside the character and block back ends because they
 * are host back ends like those: the device front end (hw/virtio-rng.c)
 * only asks one of them for bytes.  Both are -object types:
 *
 *   rng-builtin [seed=N]          a deterministic generator: the same seed
 *                                 gives the same bytes on every run and build.
 *                                 Not cryptographic; the default of
 *                                 virtio-rng-device, so runs are reproducible.
 *   rng-random [filename=PATH]    bytes read from a host file, /dev/urandom by
 *                                 default.  Host entropy is an external input:
 *                                 every byte is read by rng_host_read(), the
 *                                 one place the record/replay layer hooks.
 *
 * Reads never block: a source with nothing to give now returns 0 and calls
 * the front end's ready handler later, from the main loop.
 */
#ifndef TERN_RNG_H
#define TERN_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/object.h"

#define TYPE_RNG_BACKEND "rng-backend"
#define TYPE_RNG_BUILTIN "rng-builtin"
#define TYPE_RNG_RANDOM  "rng-random"

/* rng-builtin's seed when none is given ("tern-rng"). */
#define RNG_BUILTIN_DEFAULT_SEED UINT64_C(0x7465726e2d726e67)

typedef struct RngBackend {
    Object parent_obj;
    /* The front end's "more may be available" callback (see rng_backend_read). */
    void (*ready)(void *opaque);
    void *ready_opaque;
} RngBackend;

typedef struct RngBackendClass {
    ObjectClass parent_class;
    size_t (*read)(RngBackend *rng, uint8_t *buf, size_t len);
    /* Deterministic sources: bytes produced so far, and going back to a position. */
    uint64_t (*tell)(RngBackend *rng);
    void (*seek)(RngBackend *rng, uint64_t position);
} RngBackendClass;

#define RNG_BACKEND(obj)           OBJECT_CHECK(RngBackend, (obj), TYPE_RNG_BACKEND)
#define RNG_BACKEND_CLASS(klass)   OBJECT_CLASS_CHECK(RngBackendClass, (klass), TYPE_RNG_BACKEND)
#define RNG_BACKEND_GET_CLASS(obj) OBJECT_GET_CLASS(RngBackendClass, (obj), TYPE_RNG_BACKEND)

/*
 * Up to len bytes into buf; returns how many.  0 means none now: if the
 * source may have more later, the ready handler runs once when it does.
 */
size_t rng_backend_read(RngBackend *rng, uint8_t *buf, size_t len);
/* NULL removes it. */
void rng_backend_set_ready_handler(RngBackend *rng, void (*ready)(void *opaque), void *opaque);
/* Position in a deterministic stream (0 for host sources), and restoring it (snapshots). */
uint64_t rng_backend_tell(RngBackend *rng);
void rng_backend_seek(RngBackend *rng, uint64_t position);

/*
 * REPLAY HOOK: every byte of host entropy is read here and nowhere else.
 * Reads up to len bytes from fd (non-blocking); returns the count, with
 * *would_block set when the source has nothing now but may later, and
 * *at_end when it never will (end of file, read error).
 */
size_t rng_host_read(int fd, uint8_t *buf, size_t len, bool *would_block, bool *at_end);

#endif
