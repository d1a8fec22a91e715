/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-blk.c - "virtio-blk-device", the virtio block front end (device
 * id 2) over a -drive back end (core/block.h): drive=ID names it.
 *
 * Requests (virtio spec §5.2.6): a 16-byte header the device reads
 *
 *   +0 u32 type | +4 u32 reserved (ioprio) | +8 u64 sector
 *
 * then data (read or written by the device), then one status byte the
 * device writes, the last byte of the chain.  The split between descriptors
 * does not matter (any layout).  Types: IN 0, OUT 1, FLUSH 4, GET_ID 8,
 * DISCARD 11, WRITE_ZEROES 13; the BARRIER bit (1 << 31) is ignored, and
 * SCSI commands (2, 3) and anything else answer UNSUPP.  IN/OUT must cover
 * whole sectors inside the disk, else IOERR; a write to a read-only drive is
 * IOERR.  A chain without header or status byte, or a discard/write-zeroes
 * segment cut short, breaks the device (as QEMU's virtio_error).  The used
 * length is every device-writable byte of the chain, as QEMU 7.2 reports.
 *
 * Features (QEMU 7.2's words: legacy 0x31006ed4, modern 0x30006e54 and
 * 0x101 high): SEG_MAX, GEOMETRY, BLK_SIZE, FLUSH, TOPOLOGY, CONFIG_WCE,
 * DISCARD, WRITE_ZEROES, RO for a read-only drive, and SCSI in legacy mode
 * (offered as QEMU does; the commands get UNSUPP).  Config space is QEMU's
 * 57 bytes (through write_zeroes_may_unmap); writeback (wce) is the one
 * writable field: 0 means every write is flushed at once.  Discard is
 * accepted and does nothing (QEMU's default discard=ignore).
 *
 * Differences from QEMU, on purpose: GET_ID answers the device's serial=,
 * else the drive's serial=, else the drive's id (QEMU: serial or empty), and
 * pads to 20 bytes; requests complete before the notify returns.
 */
#include <inttypes.h>
#include <string.h>
#include <glib.h>

#include "core/block.h"
#include "core/bswap.h"
#include "core/log.h"
#include "core/module.h"
#include "core/trace.h"
#include "hw/virtio.h"

/* Request types and status (virtio spec §5.2.6). */
/* QEMU's virtio_blk_handle_read/write and virtio_blk_req_complete, with Tern's words. */
TRACE_EVENT(virtio_blk_handle_read, "sector %" PRIu64 " bytes %" PRIu64,
            (uint64_t sector, uint64_t bytes), (sector, bytes))
TRACE_EVENT(virtio_blk_handle_write, "sector %" PRIu64 " bytes %" PRIu64,
            (uint64_t sector, uint64_t bytes), (sector, bytes))
TRACE_EVENT(virtio_blk_req_complete, "head %u status %u", (unsigned head, unsigned status),
            (head, status))

#define VIRTIO_BLK_T_IN                    0
#define VIRTIO_BLK_T_OUT                   1
#define VIRTIO_BLK_T_FLUSH                 4
#define VIRTIO_BLK_T_GET_ID                8
#define VIRTIO_BLK_T_DISCARD               11
#define VIRTIO_BLK_T_WRITE_ZEROES          13
#define VIRTIO_BLK_T_BARRIER               0x80000000u
#define VIRTIO_BLK_S_OK                    0
#define VIRTIO_BLK_S_IOERR                 1
#define VIRTIO_BLK_S_UNSUPP                2
#define VIRTIO_BLK_ID_BYTES                20
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1

/* Feature bits. */
#define VIRTIO_BLK_F_SEG_MAX      2
#define VIRTIO_BLK_F_GEOMETRY     4
#define VIRTIO_BLK_F_RO           5
#define VIRTIO_BLK_F_BLK_SIZE     6
#define VIRTIO_BLK_F_SCSI         7
#define VIRTIO_BLK_F_FLUSH        9
#define VIRTIO_BLK_F_TOPOLOGY     10
#define VIRTIO_BLK_F_CONFIG_WCE   11
#define VIRTIO_BLK_F_DISCARD      13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VIRTIO_BLK_HEADER_SIZE 16
#define VIRTIO_BLK_DWZ_SIZE    16 /* a discard / write-zeroes segment */
#define VIRTIO_BLK_QUEUE_SIZE  256
#define VIRTIO_BLK_CONFIG_LEN  57 /* through write_zeroes_may_unmap, as QEMU 7.2 */
/* QEMU's BDRV_REQUEST_MAX_SECTORS (INT_MAX >> 9): the largest request it takes. */
#define VIRTIO_BLK_MAX_SECTORS 0x3fffffu
#define VIRTIO_BLK_CHUNK       (64u * 1024)

typedef struct VirtIOBlock {
    VirtIODevice parent_obj;
    /* properties */
    char *drive;
    char *serial;
    /* configuration */
    BlockBackend *blk;
    uint32_t cylinders, heads, sectors;
    /* state */
    uint8_t wce; /* write cache on: writes are flushed only on FLUSH */
} VirtIOBlock;

#define VIRTIO_BLK(obj) OBJECT_CHECK(VirtIOBlock, (obj), TYPE_VIRTIO_BLK)

/* ---- geometry (QEMU's guess, hw/block/hd-geometry.c) -------------------------------- */

/* From an MBR partition table that ends on a cylinder boundary; false if none. */
static bool virtio_blk_guess_lchs(VirtIOBlock *s, uint64_t nb_sectors)
{
    uint8_t mbr[BLK_SECTOR_SIZE];

    if (blk_size(s->blk) < sizeof(mbr) || !blk_read(s->blk, 0, mbr, sizeof(mbr), NULL) ||
        mbr[510] != 0x55 || mbr[511] != 0xaa) {
        return false;
    }
    for (int i = 0; i < 4; i++) {
        const uint8_t *p = mbr + 0x1be + 16 * i;
        uint32_t nr_sects = load_le32(p + 12);
        uint32_t heads = p[5] + 1u, sectors = p[6] & 63u;
        uint64_t cylinders;

        if (!nr_sects || !p[5] || !sectors) {
            continue;
        }
        cylinders = nb_sectors / (heads * sectors);
        if (cylinders < 1 || cylinders > 16383) {
            continue;
        }
        if (heads > 16) {
            return false; /* a BIOS translation was in use: take the standard geometry */
        }
        s->cylinders = (uint32_t)cylinders;
        s->heads = heads;
        s->sectors = sectors;
        return true;
    }
    return false;
}

static void virtio_blk_guess_geometry(VirtIOBlock *s)
{
    uint64_t nb_sectors = blk_size(s->blk) / BLK_SECTOR_SIZE;

    if (!virtio_blk_guess_lchs(s, nb_sectors)) {
        uint64_t cylinders = nb_sectors / (16 * 63);
        s->cylinders = (uint32_t)MIN(MAX(cylinders, 2), 16383);
        s->heads = 16;
        s->sectors = 63;
    }
}

/* ---- config space --------------------------------------------------------------------- */

/*
 * struct virtio_blk_config:
 *   0 capacity u64 | 8 size_max u32 | 12 seg_max u32 | 16 cylinders u16 | 18 heads u8 |
 *   19 sectors u8 | 20 blk_size u32 | 24 physical_block_exp u8 | 25 alignment_offset u8 |
 *   26 min_io_size u16 | 28 opt_io_size u32 | 32 wce u8 | 33 unused | 34 num_queues u16 |
 *   36 max_discard_sectors u32 | 40 max_discard_seg u32 | 44 discard_sector_alignment u32 |
 *   48 max_write_zeroes_sectors u32 | 52 max_write_zeroes_seg u32 | 56 may_unmap u8
 */
static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    memset(config, 0, VIRTIO_BLK_CONFIG_LEN);
    store_le64(config + 0, blk_size(s->blk) / BLK_SECTOR_SIZE);
    store_le32(config + 12, VIRTIO_BLK_QUEUE_SIZE - 2);
    store_le16(config + 16, (uint16_t)s->cylinders);
    config[18] = (uint8_t)s->heads;
    config[19] = (uint8_t)s->sectors;
    store_le32(config + 20, BLK_SECTOR_SIZE);
    config[32] = s->wce;
    store_le16(config + 34, 1);
    store_le32(config + 36, VIRTIO_BLK_MAX_SECTORS);
    store_le32(config + 40, 1);
    store_le32(config + 44, 1);
    store_le32(config + 48, VIRTIO_BLK_MAX_SECTORS);
    store_le32(config + 52, 1);
    config[56] = 1;
}

static void virtio_blk_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VIRTIO_BLK(vdev)->wce = config[32] != 0;
}

static uint64_t virtio_blk_get_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    features |= UINT64_C(1) << VIRTIO_BLK_F_SEG_MAX | UINT64_C(1) << VIRTIO_BLK_F_GEOMETRY |
                UINT64_C(1) << VIRTIO_BLK_F_BLK_SIZE | UINT64_C(1) << VIRTIO_BLK_F_FLUSH |
                UINT64_C(1) << VIRTIO_BLK_F_TOPOLOGY | UINT64_C(1) << VIRTIO_BLK_F_CONFIG_WCE |
                UINT64_C(1) << VIRTIO_BLK_F_DISCARD | UINT64_C(1) << VIRTIO_BLK_F_WRITE_ZEROES;
    if (!virtio_has_feature(features, VIRTIO_F_VERSION_1)) {
        /* Legacy, as QEMU: SCSI offered, ANY_LAYOUT withheld. */
        features &= ~(UINT64_C(1) << VIRTIO_F_ANY_LAYOUT);
        features |= UINT64_C(1) << VIRTIO_BLK_F_SCSI;
    }
    if (blk_is_read_only(s->blk)) {
        features |= UINT64_C(1) << VIRTIO_BLK_F_RO;
    }
    return features;
}

/*
 * At DRIVER_OK: a driver that cannot write the wce field gets the write cache
 * it negotiated through FLUSH (on if it can flush, else writethrough).
 */
static void virtio_blk_set_status(VirtIODevice *vdev, uint8_t status)
{
    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        VIRTIO_BLK(vdev)->wce = virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_FLUSH);
    }
}

static void virtio_blk_reset(VirtIODevice *vdev)
{
    VIRTIO_BLK(vdev)->wce = 1;
}

/* ---- requests --------------------------------------------------------------------------- */

/* Whole sectors, inside the disk, not more than QEMU takes in one request. */
static bool virtio_blk_range_ok(VirtIOBlock *s, uint64_t sector, uint64_t bytes)
{
    uint64_t total = blk_size(s->blk) / BLK_SECTOR_SIZE;
    uint64_t count = bytes / BLK_SECTOR_SIZE;

    return count <= VIRTIO_BLK_MAX_SECTORS && bytes % BLK_SECTOR_SIZE == 0 && sector <= total &&
           count <= total - sector;
}

/* The one-line form: the message may quote a host file name. */
static void virtio_blk_log_io(VirtIOBlock *s, Error *err)
{
    tern_log_mask(LOG_GUEST_ERROR, "%s: %s\n", TYPE_VIRTIO_BLK, error_get_pretty(err));
    error_free(err);
}

/* IN: disk to the device-writable data; OUT: device-readable data to disk. */
static uint8_t virtio_blk_rw(VirtIOBlock *s, const VirtQueueElement *elem, bool is_write,
                             uint64_t sector)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    uint64_t bytes = is_write ? elem->out_len - VIRTIO_BLK_HEADER_SIZE : elem->in_len - 1;
    uint64_t offset = sector * BLK_SECTOR_SIZE;
    uint8_t *buf;
    uint8_t status = VIRTIO_BLK_S_OK;
    Error *err = NULL;

    if (is_write) {
        trace_virtio_blk_handle_write(sector, bytes);
    } else {
        trace_virtio_blk_handle_read(sector, bytes);
    }
    if (!virtio_blk_range_ok(s, sector, bytes)) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "%s: %s of %" PRIu64 " bytes at sector %" PRIu64 " is not inside the disk\n",
                      TYPE_VIRTIO_BLK, is_write ? "write" : "read", bytes, sector);
        return VIRTIO_BLK_S_IOERR;
    }
    if (is_write && blk_is_read_only(s->blk)) {
        tern_log_mask(LOG_GUEST_ERROR, "%s: write to read-only drive '%s'\n", TYPE_VIRTIO_BLK,
                      blk_name(s->blk));
        return VIRTIO_BLK_S_IOERR;
    }
    buf = g_malloc(MIN(bytes, (uint64_t)VIRTIO_BLK_CHUNK) + 1);
    for (uint64_t done = 0; done < bytes && status == VIRTIO_BLK_S_OK;) {
        uint64_t chunk = MIN(bytes - done, (uint64_t)VIRTIO_BLK_CHUNK);

        if (is_write) {
            if (!virtio_element_read(vdev, elem, VIRTIO_BLK_HEADER_SIZE + done, buf, chunk) ||
                !blk_write(s->blk, offset + done, buf, chunk, &err)) {
                status = VIRTIO_BLK_S_IOERR;
            }
        } else if (!blk_read(s->blk, offset + done, buf, chunk, &err) ||
                   !virtio_element_write(vdev, elem, done, buf, chunk)) {
            status = VIRTIO_BLK_S_IOERR;
        }
        done += chunk;
    }
    g_free(buf);
    if (status == VIRTIO_BLK_S_OK && is_write && !s->wce && !blk_flush(s->blk, &err)) {
        status = VIRTIO_BLK_S_IOERR;
    }
    if (err) {
        virtio_blk_log_io(s, err);
    }
    return status;
}

/* GET_ID: up to 20 bytes of the id, NUL-padded (no NUL when it fills 20). */
static uint8_t virtio_blk_get_id(VirtIOBlock *s, const VirtQueueElement *elem)
{
    const char *id = s->serial ? s->serial : blk_serial(s->blk);
    char buf[VIRTIO_BLK_ID_BYTES] = {0};

    if (!id) {
        id = blk_name(s->blk);
    }
    memcpy(buf, id, MIN(strlen(id), sizeof(buf)));
    if (!virtio_element_write(VIRTIO_DEVICE(s), elem, 0, buf,
                              MIN(elem->in_len - 1, (uint64_t)sizeof(buf)))) {
        return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
}

/* DISCARD / WRITE_ZEROES: one segment {u64 sector, u32 num_sectors, u32 flags}. */
static uint8_t virtio_blk_discard_write_zeroes(VirtIOBlock *s, const uint8_t *seg,
                                               bool write_zeroes)
{
    uint64_t sector = load_le64(seg);
    uint32_t count = load_le32(seg + 8), flags = load_le32(seg + 12);
    Error *err = NULL;

    if (count > VIRTIO_BLK_MAX_SECTORS ||
        !virtio_blk_range_ok(s, sector, (uint64_t)count * BLK_SECTOR_SIZE)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (!write_zeroes && flags) {
        return VIRTIO_BLK_S_UNSUPP; /* unmap is for write zeroes only */
    }
    if (blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (write_zeroes && !blk_write_zeroes(s->blk, sector * BLK_SECTOR_SIZE,
                                          (uint64_t)count * BLK_SECTOR_SIZE, &err)) {
        virtio_blk_log_io(s, err);
        return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK; /* discard: the data may stay (QEMU's discard=ignore) */
}

/* Handles one request; false when the chain broke the device (elem is then not used). */
static bool virtio_blk_handle_request(VirtIOBlock *s, VirtQueueElement *elem, uint8_t *status)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    uint8_t header[VIRTIO_BLK_HEADER_SIZE], seg[VIRTIO_BLK_DWZ_SIZE];
    uint64_t data_out;
    uint32_t type;

    if (!elem->out_num || !elem->in_num) {
        virtio_error(vdev, "request without a header or a status byte");
        return false;
    }
    if (!virtio_element_read(vdev, elem, 0, header, sizeof(header))) {
        virtio_error(vdev, "request header of %" PRIu64 " bytes is too short", elem->out_len);
        return false;
    }
    type = load_le32(header);
    data_out = elem->out_len - VIRTIO_BLK_HEADER_SIZE;
    switch (type & ~(VIRTIO_BLK_T_OUT | VIRTIO_BLK_T_BARRIER)) {
    case VIRTIO_BLK_T_IN:
        *status = virtio_blk_rw(s, elem, type & VIRTIO_BLK_T_OUT, load_le64(header + 8));
        return true;
    case VIRTIO_BLK_T_FLUSH: {
        Error *err = NULL;
        *status = blk_flush(s->blk, &err) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        if (err) {
            virtio_blk_log_io(s, err);
        }
        return true;
    }
    case VIRTIO_BLK_T_GET_ID:
        *status = virtio_blk_get_id(s, elem);
        return true;
    case VIRTIO_BLK_T_DISCARD & ~VIRTIO_BLK_T_OUT:
    case VIRTIO_BLK_T_WRITE_ZEROES & ~VIRTIO_BLK_T_OUT:
        /* One segment only (max_discard_seg 1); a cut segment is a broken chain. */
        if (!(type & VIRTIO_BLK_T_OUT) || data_out > sizeof(seg)) {
            *status = VIRTIO_BLK_S_UNSUPP;
            return true;
        }
        if (!virtio_element_read(vdev, elem, VIRTIO_BLK_HEADER_SIZE, seg, sizeof(seg))) {
            virtio_error(vdev, "discard/write-zeroes segment of %" PRIu64 " bytes is too short",
                         data_out);
            return false;
        }
        *status = virtio_blk_discard_write_zeroes(
            s, seg, (type & ~VIRTIO_BLK_T_BARRIER) == VIRTIO_BLK_T_WRITE_ZEROES);
        return true;
    default:
        *status = VIRTIO_BLK_S_UNSUPP;
        return true;
    }
}

static void virtio_blk_handle_output(VirtIODevice *vdev, unsigned queue)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    uint32_t budget = virtio_queue_get_num(vdev, queue);
    VirtQueueElement *elem;

    /*
     * At most a queue's worth per notify: all a driver can have made
     * available, and a bound even if guest memory changes under us.
     */
    while (budget-- && (elem = virtio_queue_pop(vdev, queue))) {
        uint64_t in_len = elem->in_len;
        uint8_t status = VIRTIO_BLK_S_IOERR;

        if (!virtio_blk_handle_request(s, elem, &status)) {
            virtio_queue_detach(vdev, queue, elem);
            return;
        }
        /* The status byte is the chain's last device-writable byte. */
        trace_virtio_blk_req_complete(elem->head, status);
        if (!virtio_element_write(vdev, elem, in_len - 1, &status, 1)) {
            virtio_queue_detach(vdev, queue, elem);
            return;
        }
        virtio_queue_push(vdev, queue, elem, (uint32_t)MIN(in_len, (uint64_t)UINT32_MAX));
        virtio_notify(vdev, queue);
    }
}

/* ---- the device ---------------------------------------------------------------------------- */

static void virtio_blk_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    BlockBackend *blk;

    if (!s->drive || !*s->drive) {
        error_setg(errp, "drive property not set");
        return;
    }
    blk = blk_find(s->drive);
    if (!blk) {
        error_setg(errp, "Property '%s.drive' can't find value '%s'", TYPE_VIRTIO_BLK, s->drive);
        return;
    }
    if (!blk_attach(blk, s)) {
        error_setg(errp, "Property '%s.drive' can't take value '%s', it's in use", TYPE_VIRTIO_BLK,
                   s->drive);
        return;
    }
    s->blk = blk;
    s->wce = 1;
    virtio_blk_guess_geometry(s);
    vdev->device_id = VIRTIO_ID_BLOCK;
    vdev->config_len = VIRTIO_BLK_CONFIG_LEN;
    virtio_add_queue(vdev, VIRTIO_BLK_QUEUE_SIZE, virtio_blk_handle_output);
}

static void virtio_blk_unrealize(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (s->blk) {
        blk_detach(s->blk, s);
        s->blk = NULL;
    }
}

static const VMStateField virtio_blk_fields[] = {
    VMSTATE_VIRTIO_DEVICE(VirtIOBlock),
    VMSTATE_UINT8(wce, VirtIOBlock),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription virtio_blk_vmstate = {
    .name = "virtio-blk",
    .fields = virtio_blk_fields,
    .post_load = virtio_device_post_load,
};

static const Property virtio_blk_props[] = {
    DEFINE_PROP_STRING("drive", VirtIOBlock, drive),
    DEFINE_PROP_STRING("serial", VirtIOBlock, serial),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_blk_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    dc->desc = "virtio block device";
    dc->user_creatable = true;
    dc->vmsd = &virtio_blk_vmstate;
    device_class_set_props(dc, virtio_blk_props);
    object_class_property_set_description(klass, "drive", "ID of the -drive to use");
    object_class_property_set_description(klass, "serial", "disk serial number (GET_ID)");
    vdc->realize = virtio_blk_realize;
    vdc->unrealize = virtio_blk_unrealize;
    vdc->get_features = virtio_blk_get_features;
    vdc->get_config = virtio_blk_get_config;
    vdc->set_config = virtio_blk_set_config;
    vdc->set_status = virtio_blk_set_status;
    vdc->reset = virtio_blk_reset;
}

static const TypeInfo virtio_blk_info = {
    .name = TYPE_VIRTIO_BLK,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOBlock),
    .class_init = virtio_blk_class_init,
};

static void virtio_blk_register_types(void)
{
    type_register_static(&virtio_blk_info);
}

type_init(virtio_blk_register_types)
