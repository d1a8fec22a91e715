/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virtio-transport.c - the virtio core's transport interface
 * (hw/virtio.h, "virtio-bus") proved with a transport that has no
 * registers at all: a fake bus written here records every hook the core
 * calls and keeps one interrupt level that follows the ISR.
 *
 * A virtio-rng and a virtio-blk device plug into it by name or by the
 * last-free rule; the test then plays the driver through the core's
 * transport-side functions only (status, features, queue set-up in the
 * modern and legacy layouts, notify), reads the used ring and the data in
 * guest RAM, and checks that interrupts arrive through the transport's
 * notify with the queue or config vector.  Then config-space access,
 * plug errors, unplug and a transport going away.  No MMIO is mapped: RAM
 * is the only region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/block.h"
#include "core/bswap.h"
#include "core/memory.h"
#include "core/module.h"
#include "core/object.h"
#include "core/opts.h"
#include "core/qdev.h"
#include "core/timer.h"
#include "hw/virtio.h"
#include "tests/support/virtio-driver.h"

#define RAM      0x80000000ull
#define RAM_SIZE (1ull << 20)
#define RING     (RAM + 0x10000) /* desc, then avail at +0x1000, used at +0x2000 (modern) */
#define HDR      (RAM + 0x20000)
#define DATA     (RAM + 0x30000)
#define STATUS   (RAM + 0x40000)
#define QSIZE    8

#define VIRTIO_BLK_T_IN   0
#define VIRTIO_BLK_S_OK   0
#define BLK_CONFIG_LEN    57 /* struct virtio_blk_config as QEMU 7.2 */
#define VIRTIO_BLK_F_SCSI 7

#define TYPE_FAKE_VIRTIO_BUS "fake-virtio-bus"

/* ---- the fake transport ------------------------------------------------------------------- */

typedef struct FakeBus {
    VirtioBusState parent_obj;
    bool modern;      /* offers VERSION_1 */
    bool unavailable; /* its "transport" is not realized */
    bool refuse;      /* the plug hook says no */
    unsigned plugs, unplugs, notifies;
    unsigned last_vector;
    int line; /* the interrupt level: isr != 0 at the last notify */
    VirtIODevice *unplugged;
} FakeBus;

#define FAKE_BUS(obj) OBJECT_CHECK(FakeBus, (obj), TYPE_FAKE_VIRTIO_BUS)

static bool fake_available(VirtioBusState *bus)
{
    return !FAKE_BUS(bus)->unavailable;
}

static bool fake_plug(VirtioBusState *bus, VirtIODevice *vdev, Error **errp)
{
    FakeBus *f = FAKE_BUS(bus);

    assert_null(bus->vdev);
    if (f->refuse) {
        error_setg(errp, "fake transport refuses '%s'", object_get_typename(OBJECT(vdev)));
        return false;
    }
    f->plugs++;
    return true;
}

static uint64_t fake_get_features(VirtioBusState *bus)
{
    return FAKE_BUS(bus)->modern ? UINT64_C(1) << VIRTIO_F_VERSION_1 : 0;
}

static void fake_unplug(VirtioBusState *bus, VirtIODevice *vdev)
{
    FakeBus *f = FAKE_BUS(bus);

    assert_ptr_equal(bus->vdev, vdev);
    f->unplugs++;
    f->unplugged = vdev;
    f->line = 0;
}

static void fake_notify(VirtioBusState *bus, unsigned vector)
{
    FakeBus *f = FAKE_BUS(bus);

    f->notifies++;
    f->last_vector = vector;
    f->line = bus->vdev && bus->vdev->isr;
}

static void fake_bus_class_init(ObjectClass *klass, const void *data)
{
    VirtioBusClass *k = VIRTIO_BUS_CLASS(klass);

    /* Plugging: whether the transport is there, and its word on each device. */
    k->available = fake_available;
    k->plug = fake_plug;
    /* The transport's own feature bits: VERSION_1 when the bus is modern. */
    k->get_features = fake_get_features;
    /* Unplug and notify only record, for the tests to read back. */
    k->unplug = fake_unplug;
    k->notify = fake_notify;
}

static const TypeInfo fake_bus_info = {
    .name = TYPE_FAKE_VIRTIO_BUS,
    .parent = TYPE_VIRTIO_BUS,
    .instance_size = sizeof(FakeBus),
    .class_init = fake_bus_class_init,
};

/* A bus named name, a child of the root (creation order is tree order). */
static FakeBus *fake_bus_new(const char *name, bool modern)
{
    Object *obj = object_new(TYPE_FAKE_VIRTIO_BUS);

    object_property_add_child(object_get_root(), name, obj);
    object_unref(obj);
    FAKE_BUS(obj)->modern = modern;
    return FAKE_BUS(obj);
}

/* ---- the machine: RAM only ------------------------------------------------------------------ */

static MemoryRegion root, ram;
static char *dir, *image;

static int setup(void **state)
{
    clock_reset();
    memory_region_init(&root, NULL, "system", UINT64_MAX);
    memory_system_init(&root);
    memory_region_init_ram(&ram, NULL, "ram", RAM_SIZE, &error_abort);
    memory_region_add_subregion(&root, RAM, &ram);
    return 0;
}

static int teardown(void **state)
{
    object_root_cleanup(); /* unrealizes and frees devices and buses */
    blk_cleanup_all();
    opts_reset_all();
    memory_system_cleanup();
    memory_region_finalize(&root);
    memory_region_finalize(&ram);
    return 0;
}

static int group_setup(void **state)
{
    uint8_t data[4 * BLK_SECTOR_SIZE];

    dir = g_dir_make_tmp("tern-vtransport-XXXXXX", NULL);
    image = g_build_filename(dir, "disk.img", NULL);
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 13 + 1);
    }
    return g_file_set_contents(image, (const char *)data, sizeof(data), NULL) ? 0 : -1;
}

static int group_teardown(void **state)
{
    g_remove(image);
    g_rmdir(dir);
    g_free(image);
    g_free(dir);
    return 0;
}

/* Creates type as child name of the root with bus=bus_name (NULL: unset); realizes it. */
static VirtIODevice *device_new(const char *type, const char *name, const char *bus_name,
                                const char *drive, Error **errp)
{
    DeviceState *dev = qdev_new(type);

    object_property_add_child(object_get_root(), name, OBJECT(dev));
    object_unref(OBJECT(dev));
    if (bus_name) {
        object_property_set_str(OBJECT(dev), "bus", bus_name, &error_abort);
    }
    if (drive) {
        object_property_set_str(OBJECT(dev), "drive", drive, &error_abort);
    }
    if (!qdev_realize(dev, errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return VIRTIO_DEVICE(dev);
}

static VirtIODevice *rng_new(const char *bus_name)
{
    return device_new("virtio-rng-device", "rng", bus_name, NULL, &error_abort);
}

static VirtIODevice *blk_dev_new(const char *bus_name)
{
    Error *err = NULL;
    char *params = g_strdup_printf("file=%s,format=raw,if=none,id=d0", image);

    assert_non_null(opts_parse(opts_find_list("drive"), params, false, &err));
    g_free(params);
    assert_true(blk_create_all(&err));
    return device_new("virtio-blk-device", "blk", bus_name, "d0", &error_abort);
}

/* ---- a driver speaking to the core directly ------------------------------------------------- */

static void mem_write(hwaddr addr, const void *buf, hwaddr len)
{
    assert_int_equal(address_space_write(address_space_memory(), addr, buf, len), MEMTX_OK);
}

static void mem_read(hwaddr addr, void *buf, hwaddr len)
{
    assert_int_equal(address_space_read(address_space_memory(), addr, buf, len), MEMTX_OK);
}

/*
 * The driver: the status and queue set-up go to the core's transport-side
 * functions (there are no registers here), the rings are written by the
 * test support library's virtio driver on the system address space.
 */
typedef struct Driver {
    VirtIODevice *vdev;
    VirtioDriver ring;
} Driver;

/*
 * The initialisation of virtio §3.1 through the core: reset, ACKNOWLEDGE,
 * DRIVER, features (VERSION_1 too when offered), FEATURES_OK, queue 0 of
 * QSIZE at RING, DRIVER_OK.
 */
static void driver_start(Driver *d, VirtIODevice *vdev, bool legacy_layout)
{
    uint64_t wanted = vdev->host_features & ~(UINT64_C(1) << VIRTIO_RING_F_EVENT_IDX);

    memset(d, 0, sizeof(*d));
    d->vdev = vdev;
    vd_attach(&d->ring, &vd_address_space_ops, NULL, 0, QSIZE);
    virtio_set_status(vdev, 0);
    virtio_reset(vdev);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    assert_true(virtio_set_features(vdev, wanted));
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(virtio_queue_set_num(vdev, 0, QSIZE));
    if (legacy_layout) {
        assert_true(virtio_queue_set_align(vdev, 0, 4096));
        virtio_queue_set_addr(vdev, 0, RING);
        d->ring.desc = vdev->vq[0].desc;
        d->ring.avail = vdev->vq[0].avail;
        d->ring.used = vdev->vq[0].used;
    } else {
        d->ring.desc = RING;
        d->ring.avail = RING + 0x1000;
        d->ring.used = RING + 0x2000;
        virtio_queue_set_rings(vdev, 0, d->ring.desc, d->ring.avail, d->ring.used);
    }
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    assert_true(virtio_queue_ready(vdev, 0));
}

static void driver_desc(Driver *d, unsigned i, hwaddr addr, uint32_t len, uint16_t flags,
                        uint16_t next)
{
    vd_desc(&d->ring, i, addr, len, flags, next);
}

/* Makes the chain at head available and notifies queue 0 (what QueueNotify would do). */
static void driver_kick(Driver *d, uint16_t head)
{
    vd_make_avail(&d->ring, head);
    virtio_queue_notify(d->vdev, 0);
}

static uint16_t driver_used_idx(Driver *d)
{
    return vd_used_idx(&d->ring);
}

static void driver_used_elem(Driver *d, uint16_t i, uint32_t *id, uint32_t *len)
{
    vd_used_elem(&d->ring, i, id, len);
}

/* Offers one device-writable buffer of len bytes at DATA as descriptor head, and notifies. */
static void driver_ask(Driver *d, uint16_t head, uint32_t len)
{
    driver_desc(d, head, DATA, len, VRING_DESC_F_WRITE, 0);
    driver_kick(d, head);
}

/* A modern fake bus "fake-bus.0" holding a virtio-rng whose driver has started. */
static FakeBus *rng_started(Driver *d)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);

    driver_start(d, rng_new("fake-bus.0"), false);
    return f;
}

/* ---- plugging ------------------------------------------------------------------------------ */

static void test_a_device_plugs_into_the_bus_it_names(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");

    assert_ptr_equal(f->parent_obj.vdev, vdev);
    assert_ptr_equal(vdev->transport, &f->parent_obj);
    assert_int_equal(f->plugs, 1);
    assert_int_equal(vdev->device_id, VIRTIO_ID_RNG);
    assert_int_equal(vdev->status, 0);
    assert_int_equal(vdev->isr, 0);
    assert_int_equal(f->line, 0);
}

static void test_a_bus_may_be_named_by_its_full_path(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.3", false);
    VirtIODevice *vdev = rng_new("/fake-bus.3");

    assert_ptr_equal(f->parent_obj.vdev, vdev);
}

static void test_without_a_bus_the_last_free_available_one_is_taken(void **state)
{
    FakeBus *a = fake_bus_new("fake-bus.0", true);
    FakeBus *b = fake_bus_new("fake-bus.1", true);
    FakeBus *c = fake_bus_new("fake-bus.2", true);
    VirtIODevice *first, *second;

    c->unavailable = true;
    first = rng_new(NULL);
    assert_ptr_equal(first->transport, &b->parent_obj);
    second = device_new("virtio-rng-device", "rng2", NULL, NULL, &error_abort);
    assert_ptr_equal(second->transport, &a->parent_obj);
    assert_null(c->parent_obj.vdev);
}

static void expect_plug_error(const char *bus_name, const char *message)
{
    Error *err = NULL;

    assert_null(device_new("virtio-rng-device", "refused", bus_name, NULL, &err));
    assert_non_null(err);
    assert_string_equal(error_get_pretty(err), message);
    error_free(err);
}

static void test_a_full_bus_refuses_a_second_device(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");

    expect_plug_error("fake-bus.0", "Bus 'fake-bus.0' is full");
    assert_ptr_equal(f->parent_obj.vdev, vdev);
    assert_int_equal(f->plugs, 1);
}

static void test_an_unknown_or_unavailable_bus_is_not_found(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);

    expect_plug_error("fake-bus.9", "Bus 'fake-bus.9' not found");
    f->unavailable = true;
    expect_plug_error("fake-bus.0", "Bus 'fake-bus.0' not found");
    assert_int_equal(f->plugs, 0);
}

static void test_with_no_free_bus_the_error_names_virtio_bus(void **state)
{
    expect_plug_error(NULL, "No 'virtio-bus' bus found for device 'virtio-rng-device'");
}

static void test_a_transport_may_refuse_a_device(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);

    f->refuse = true;
    expect_plug_error("fake-bus.0", "fake transport refuses 'virtio-rng-device'");
    assert_null(f->parent_obj.vdev);
    f->refuse = false;
    assert_non_null(rng_new("fake-bus.0"));
}

/* ---- features ---------------------------------------------------------------------------- */

static void test_the_transport_decides_whether_version_1_is_offered(void **state)
{
    fake_bus_new("fake-bus.0", true);
    fake_bus_new("fake-bus.1", false);
    VirtIODevice *modern = device_new("virtio-rng-device", "m", "fake-bus.0", NULL, &error_abort);
    VirtIODevice *legacy = device_new("virtio-rng-device", "l", "fake-bus.1", NULL, &error_abort);

    assert_true(virtio_has_feature(modern->host_features, VIRTIO_F_VERSION_1));
    assert_true(modern->modern_transport);
    assert_false(virtio_has_feature(legacy->host_features, VIRTIO_F_VERSION_1));
    assert_false(legacy->modern_transport);
    assert_true(virtio_has_feature(legacy->host_features, VIRTIO_RING_F_INDIRECT_DESC));
}

static void test_the_front_end_adds_its_own_feature_bits(void **state)
{
    VirtIODevice *vdev;

    fake_bus_new("fake-bus.0", false);
    vdev = blk_dev_new("fake-bus.0");
    assert_int_equal(vdev->device_id, VIRTIO_ID_BLOCK);
    assert_true(virtio_has_feature(vdev->host_features, VIRTIO_BLK_F_SCSI)); /* legacy only */
}

static void test_negotiation_keeps_offered_bits_and_locks_at_features_ok(void **state)
{
    VirtIODevice *vdev;

    fake_bus_new("fake-bus.0", true);
    vdev = rng_new("fake-bus.0");
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    assert_true(virtio_set_features(vdev, UINT64_MAX));
    assert_int_equal(vdev->guest_features, vdev->host_features);
    assert_true(virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1));
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                VIRTIO_CONFIG_S_FEATURES_OK);
    assert_false(virtio_set_features(vdev, 0));
    assert_int_equal(vdev->guest_features, vdev->host_features);
}

/* ---- a queue driven through the core ------------------------------------------------------ */

static void test_an_rng_request_is_used_and_interrupts_through_notify(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");
    uint8_t zero[16] = {0}, got[16];
    uint32_t id, len;
    Driver d;

    driver_start(&d, vdev, false);
    mem_write(DATA, zero, sizeof(zero));
    f->notifies = 0;
    driver_desc(&d, 3, DATA, 16, VRING_DESC_F_WRITE, 0);
    driver_kick(&d, 3);
    assert_int_equal(driver_used_idx(&d), 1);
    driver_used_elem(&d, 0, &id, &len);
    assert_int_equal(id, 3);
    assert_int_equal(len, 16);
    mem_read(DATA, got, sizeof(got));
    assert_memory_not_equal(got, zero, sizeof(got));
    assert_int_equal(f->notifies, 1);
    assert_int_equal(f->last_vector, 0);
    assert_int_equal(vdev->isr, VIRTIO_ISR_QUEUE);
    assert_int_equal(f->line, 1);
}

static void test_acknowledging_the_isr_lowers_the_line_through_notify(void **state)
{
    Driver d;
    FakeBus *f = rng_started(&d);
    VirtIODevice *vdev = d.vdev;

    driver_ask(&d, 0, 8);
    assert_int_equal(f->line, 1);
    virtio_isr_ack(vdev, VIRTIO_ISR_QUEUE);
    assert_int_equal(vdev->isr, 0);
    assert_int_equal(f->last_vector, VIRTIO_VECTOR_NONE);
    assert_int_equal(f->line, 0);
}

static void test_the_legacy_layout_places_rings_after_the_descriptor_table(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", false);
    VirtIODevice *vdev = rng_new("fake-bus.0");
    uint32_t id, len;
    Driver d;

    driver_start(&d, vdev, true);
    assert_int_equal(d.ring.avail, RING + VRING_DESC_SIZE * QSIZE);
    assert_int_equal(d.ring.used, RING + 4096);
    assert_int_equal(virtio_queue_get_addr(vdev, 0), RING);
    driver_desc(&d, 0, DATA, 32, VRING_DESC_F_WRITE, 0);
    driver_kick(&d, 0);
    assert_int_equal(driver_used_idx(&d), 1);
    driver_used_elem(&d, 0, &id, &len);
    assert_int_equal(id, 0);
    assert_int_equal(len, 32);
    assert_int_equal(f->last_vector, 0);
    assert_int_equal(f->line, 1);
}

static void test_a_queue_is_not_served_before_driver_ok(void **state)
{
    Driver d;
    FakeBus *f = rng_started(&d);
    VirtIODevice *vdev = d.vdev;

    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                VIRTIO_CONFIG_S_FEATURES_OK);
    f->notifies = 0;
    driver_ask(&d, 0, 8);
    assert_int_equal(driver_used_idx(&d), 0);
    assert_int_equal(f->notifies, 0);
    assert_int_equal(f->line, 0);
}

static void test_a_blk_read_completes_through_the_core(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev;
    uint8_t hdr[16], data[2 * BLK_SECTOR_SIZE], status = 0xee;
    uint32_t id, len;
    Driver d;

    vdev = blk_dev_new("fake-bus.0");
    driver_start(&d, vdev, false);
    store_le32(hdr, VIRTIO_BLK_T_IN);
    store_le32(hdr + 4, 0);
    store_le64(hdr + 8, 1); /* sector 1 */
    mem_write(HDR, hdr, sizeof(hdr));
    mem_write(STATUS, &status, 1);
    driver_desc(&d, 0, HDR, sizeof(hdr), VRING_DESC_F_NEXT, 1);
    driver_desc(&d, 1, DATA, sizeof(data), VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    driver_desc(&d, 2, STATUS, 1, VRING_DESC_F_WRITE, 0);
    f->notifies = 0;
    driver_kick(&d, 0);
    assert_int_equal(driver_used_idx(&d), 1);
    driver_used_elem(&d, 0, &id, &len);
    assert_int_equal(id, 0);
    assert_int_equal(len, sizeof(data) + 1);
    mem_read(STATUS, &status, 1);
    assert_int_equal(status, VIRTIO_BLK_S_OK);
    mem_read(DATA, data, sizeof(data));
    for (size_t i = 0; i < sizeof(data); i++) {
        assert_int_equal(data[i], (uint8_t)((i + BLK_SECTOR_SIZE) * 13 + 1));
    }
    assert_int_equal(f->notifies, 1);
    assert_int_equal(f->last_vector, 0);
    assert_int_equal(f->line, 1);
}

static void test_a_broken_chain_sends_the_config_vector_once_version_1_is_on(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");
    uint32_t generation;
    Driver d;

    driver_start(&d, vdev, false);
    generation = vdev->generation;
    driver_desc(&d, 0, DATA, 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 0); /* loops */
    driver_kick(&d, 0);
    assert_true(vdev->broken);
    assert_true(vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_int_equal(f->last_vector, VIRTIO_VECTOR_CONFIG);
    assert_int_equal(vdev->isr, VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
    assert_int_equal(vdev->generation, generation + 1);
    assert_int_equal(f->line, 1);
}

static void test_a_config_change_notifies_only_after_driver_ok(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");
    Driver d;

    f->notifies = 0;
    virtio_notify_config(vdev);
    assert_int_equal(f->notifies, 0);
    driver_start(&d, vdev, false);
    f->notifies = 0;
    virtio_notify_config(vdev);
    assert_int_equal(f->notifies, 1);
    assert_int_equal(f->last_vector, VIRTIO_VECTOR_CONFIG);
}

static void test_a_reset_clears_the_isr_and_notifies_the_transport(void **state)
{
    Driver d;
    FakeBus *f = rng_started(&d);
    VirtIODevice *vdev = d.vdev;

    driver_ask(&d, 0, 8);
    assert_int_equal(f->line, 1);
    virtio_set_status(vdev, 0);
    virtio_reset(vdev);
    assert_int_equal(vdev->status, 0);
    assert_int_equal(vdev->guest_features, 0);
    assert_int_equal(vdev->vq[0].desc, 0);
    assert_int_equal(f->last_vector, VIRTIO_VECTOR_NONE);
    assert_int_equal(f->line, 0);
}

/* ---- config space ------------------------------------------------------------------------- */

static void test_blk_config_space_reads_little_endian_fields(void **state)
{
    VirtIODevice *vdev;

    fake_bus_new("fake-bus.0", true);
    vdev = blk_dev_new("fake-bus.0");
    assert_int_equal(vdev->config_len, BLK_CONFIG_LEN);
    assert_int_equal(virtio_config_read(vdev, 0, 4), 4); /* capacity: 4 sectors */
    assert_int_equal(virtio_config_read(vdev, 4, 4), 0);
    assert_int_equal(virtio_config_read(vdev, 0, 1), 4);
    assert_int_equal(virtio_config_read(vdev, 20, 4), BLK_SECTOR_SIZE); /* blk_size */
    assert_int_equal(virtio_config_read(vdev, 20, 2), BLK_SECTOR_SIZE);
}

static void test_config_access_past_the_end_reads_ones_and_writes_nothing(void **state)
{
    VirtIODevice *rng, *blk;

    fake_bus_new("fake-bus.0", true);
    fake_bus_new("fake-bus.1", true);
    rng = rng_new("fake-bus.0");
    blk = blk_dev_new("fake-bus.1");
    assert_int_equal(virtio_config_read(rng, 0, 1), 0xff);
    assert_int_equal(virtio_config_read(rng, 0, 2), 0xffff);
    assert_int_equal(virtio_config_read(rng, 0, 4), 0xffffffff);
    assert_int_equal(virtio_config_read(blk, BLK_CONFIG_LEN - 1, 2), 0xffff);
    assert_int_equal(virtio_config_read(blk, BLK_CONFIG_LEN - 1, 1), 1); /* last byte */
    virtio_config_write(blk, 0, 4, 0x12345678); /* capacity is read-only: rewritten on read */
    assert_int_equal(virtio_config_read(blk, 0, 4), 4);
    virtio_config_write(blk, BLK_CONFIG_LEN, 1, 0); /* past the end: ignored */
    assert_int_equal(virtio_config_read(blk, BLK_CONFIG_LEN - 1, 1), 1);
}

static void test_a_config_write_reaches_the_front_end(void **state)
{
    VirtIODevice *vdev;

    fake_bus_new("fake-bus.0", true);
    vdev = blk_dev_new("fake-bus.0");
    assert_int_equal(virtio_config_read(vdev, 32, 1), 1); /* writeback */
    virtio_config_write(vdev, 32, 1, 0);
    assert_int_equal(virtio_config_read(vdev, 32, 1), 0);
}

/* ---- unplugging ---------------------------------------------------------------------------- */

static void test_unplug_calls_the_transport_and_frees_the_bus(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");

    qdev_unrealize(DEVICE(vdev));
    assert_int_equal(f->unplugs, 1);
    assert_ptr_equal(f->unplugged, vdev);
    assert_null(f->parent_obj.vdev);
    assert_null(vdev->transport);
    object_unparent(OBJECT(vdev));
    assert_non_null(device_new("virtio-rng-device", "again", "fake-bus.0", NULL, &error_abort));
    assert_int_equal(f->plugs, 2);
}

static void test_unplugging_an_unplugged_device_does_nothing(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");

    virtio_bus_unplug(vdev);
    virtio_bus_unplug(vdev);
    assert_int_equal(f->unplugs, 1);
    assert_null(vdev->transport);
}

static void test_a_transport_going_away_detaches_its_device_without_hooks(void **state)
{
    Driver d;
    FakeBus *f = rng_started(&d);
    VirtIODevice *vdev = d.vdev;

    virtio_bus_release(&f->parent_obj);
    assert_null(vdev->transport);
    assert_null(f->parent_obj.vdev);
    f->notifies = 0;
    driver_desc(&d, 0, DATA, 8, VRING_DESC_F_WRITE, 0);
    driver_kick(&d, 0); /* served, but there is no one to interrupt */
    assert_int_equal(driver_used_idx(&d), 1);
    assert_int_equal(f->notifies, 0);
    qdev_unrealize(DEVICE(vdev));
    assert_int_equal(f->unplugs, 0);
}

static void test_a_freed_bus_leaves_no_dangling_transport(void **state)
{
    FakeBus *f = fake_bus_new("fake-bus.0", true);
    VirtIODevice *vdev = rng_new("fake-bus.0");

    object_unparent(OBJECT(f));
    assert_null(vdev->transport);
    virtio_notify_config(vdev); /* no transport: nothing to call */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a_device_plugs_into_the_bus_it_names),
        T(test_a_bus_may_be_named_by_its_full_path),
        T(test_without_a_bus_the_last_free_available_one_is_taken),
        T(test_a_full_bus_refuses_a_second_device),
        T(test_an_unknown_or_unavailable_bus_is_not_found),
        T(test_with_no_free_bus_the_error_names_virtio_bus),
        T(test_a_transport_may_refuse_a_device),
        T(test_the_transport_decides_whether_version_1_is_offered),
        T(test_the_front_end_adds_its_own_feature_bits),
        T(test_negotiation_keeps_offered_bits_and_locks_at_features_ok),
        T(test_an_rng_request_is_used_and_interrupts_through_notify),
        T(test_acknowledging_the_isr_lowers_the_line_through_notify),
        T(test_the_legacy_layout_places_rings_after_the_descriptor_table),
        T(test_a_queue_is_not_served_before_driver_ok),
        T(test_a_blk_read_completes_through_the_core),
        T(test_a_broken_chain_sends_the_config_vector_once_version_1_is_on),
        T(test_a_config_change_notifies_only_after_driver_ok),
        T(test_a_reset_clears_the_isr_and_notifies_the_transport),
        T(test_blk_config_space_reads_little_endian_fields),
        T(test_config_access_past_the_end_reads_ones_and_writes_nothing),
        T(test_a_config_write_reaches_the_front_end),
        T(test_unplug_calls_the_transport_and_frees_the_bus),
        T(test_unplugging_an_unplugged_device_does_nothing),
        T(test_a_transport_going_away_detaches_its_device_without_hooks),
        T(test_a_freed_bus_leaves_no_dangling_transport),
    };

    module_call_init(MODULE_INIT_QOM);
    module_call_init(MODULE_INIT_OPTS);
    type_register_static(&fake_bus_info);
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
