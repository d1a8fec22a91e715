/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bswap.h - byte order: numbers stored little- or big-endian at a byte
 * pointer (any alignment), and byte swaps.  The one place Tern spells byte
 * order; guest-visible formats (virtio rings and config space, the fw_cfg
 * DMA descriptor and file directory, MMIO and qtest data) all use these.
 *
 *   load_le16/32/64(p), load_be16/32/64(p)      the number at p
 *   store_le16/32/64(p, v), store_be16/32/64(p, v)
 *   load_le_sized(p, n), store_le_sized(p, v, n) n = 1..8 bytes
 *   bswap16/32/64(v), bswap_sized(v, n)          n = 1, 2, 4 or 8 bytes
 *
 * Loads and stores go through memcpy, so p needs no alignment and the
 * compiler turns them into one access where the host allows.  Not here:
 * host-endian conversions of whole buffers, or anything that touches guest
 * memory (core/memory.h does that).
 */
#ifndef TERN_BSWAP_H
#define TERN_BSWAP_H

#include <stdint.h>
#include <string.h>
#include <glib.h>

static inline uint16_t bswap16(uint16_t v)
{
    return GUINT16_SWAP_LE_BE(v);
}

static inline uint32_t bswap32(uint32_t v)
{
    return GUINT32_SWAP_LE_BE(v);
}

static inline uint64_t bswap64(uint64_t v)
{
    return GUINT64_SWAP_LE_BE(v);
}

/* The low size bytes of v in reverse order (size 1, 2, 4 or 8; other sizes: v unchanged). */
static inline uint64_t bswap_sized(uint64_t v, unsigned size)
{
    switch (size) {
    case 2:
        return bswap16((uint16_t)v);
    case 4:
        return bswap32((uint32_t)v);
    case 8:
        return bswap64(v);
    default:
        return v;
    }
}

/* ---- little-endian ------------------------------------------------------------------- */

static inline uint16_t load_le16(const void *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT16_FROM_LE(v);
}

static inline uint32_t load_le32(const void *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_LE(v);
}

static inline uint64_t load_le64(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_LE(v);
}

static inline void store_le16(void *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void store_le32(void *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void store_le64(void *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

/* size (1..8) bytes at p as a little-endian number; larger sizes read 8. */
static inline uint64_t load_le_sized(const void *p, unsigned size)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    for (unsigned i = 0; i < size && i < 8; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}

/* The low size (1..8) bytes of v at p, least significant first; larger sizes write 8. */
static inline void store_le_sized(void *p, uint64_t v, unsigned size)
{
    uint8_t *b = p;

    for (unsigned i = 0; i < size && i < 8; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
}

/* ---- big-endian ---------------------------------------------------------------------- */

static inline uint16_t load_be16(const void *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT16_FROM_BE(v);
}

static inline uint32_t load_be32(const void *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_BE(v);
}

static inline uint64_t load_be64(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_BE(v);
}

static inline void store_be16(void *p, uint16_t v)
{
    v = GUINT16_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void store_be32(void *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void store_be64(void *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

#endif
