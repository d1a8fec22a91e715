/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virtio-mmio.c - the eight virtio-mmio transports of the virt board
 * against virt-machine.md §10: empty slots, the legacy (v1) and modern (v2)
 * register layouts, feature words, access widths, status and QueuePFN
 * resets, interrupt status and acknowledge through the PLIC, the slot rule
 * for -device (highest free slot, bus=virtio-mmio-bus.N), object names and
 * QEMU's aliases, device-tree nodes, and saved state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <libfdt.h>

#include "core/log.h"
#include "core/machine.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/qdev.h"
#include "core/tern.h"
#include "hw/virt.h"
#include "hw/virtio-mmio.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"
#include "tests/support/tern-argv.h"
#include "tests/support/virtio-driver.h"
#include "tests/support/vmstate-test.h"

#define INIT(...)                                                                                  \
    assert_int_equal(                                                                              \
        tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", __VA_ARGS__),        \
                  TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", __VA_ARGS__),        \
                  &error_abort),                                                                   \
        TERN_INIT_RUN)
#define MODERN "-global", "virtio-mmio.force-legacy=false"
#define RNG    "-device", "virtio-rng-device"

#define RAM          0x80000000
#define PLIC_PENDING 0xc001000

static int teardown(void **state)
{
    tern_cleanup();
    logcapture_cancel();
    return 0;
}

static VirtioDriver slot(unsigned i)
{
    VirtioDriver d = {.base = VD_SLOT(i), .num = 8};

    return d;
}

static bool plic_pending(unsigned source)
{
    return (hwtest_read(PLIC_PENDING + 4 * (source / 32), 4) >> (source % 32)) & 1;
}

/* Gives queue 0 of the device in slot s one 16-byte writable buffer and kicks it. */
static void rng_request(VirtioDriver *d)
{
    vd_desc(d, 0, RAM + 0x100000, 16, VD_F_WRITE, 0);
    vd_submit(d, 0);
}

/* ---- empty slots ------------------------------------------------------------------- */

static void test_empty_slot_answers_magic_version_vendor_only(void **state)
{
    INIT("-nodefaults");
    for (unsigned i = 0; i < 8; i++) {
        VirtioDriver d = slot(i);

        assert_int_equal(vd_readl(&d, VD_MAGIC), 0x74726976);
        assert_int_equal(vd_readl(&d, VD_VERSION), 1);
        assert_int_equal(vd_readl(&d, VD_VENDOR), 0x554d4551);
        assert_int_equal(vd_readl(&d, VD_DEVICE_ID), 0);
        assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0);
        assert_int_equal(vd_readl(&d, VD_QUEUE_NUM_MAX), 0);
        assert_int_equal(vd_readl(&d, VD_SHM_LEN_LO), 0);
        assert_int_equal(vd_readl(&d, VD_CONFIG), 0);
        /* Writes are ignored. */
        vd_writel(&d, VD_STATUS, 0xf);
        assert_int_equal(vd_readl(&d, VD_STATUS), 0);
    }
    /* The window past the 0x200-byte region is a hole. */
    assert_int_equal(hwtest_read(VD_SLOT(7) + 0x200, 4), 0);
}

static void test_empty_modern_slot_reports_version_2(void **state)
{
    INIT(MODERN);
    assert_int_equal(hwtest_read(VD_SLOT(0) + VD_VERSION, 4), 2);
    assert_int_equal(hwtest_read(VD_SLOT(0) + VD_MAGIC, 4), 0x74726976);
}

static void test_regions_are_named_as_on_qemu(void **state)
{
    INIT(RNG);
    for (unsigned i = 0; i < 8; i++) {
        const FlatRange *r = address_space_lookup(address_space_memory(), VD_SLOT(i));

        assert_non_null(r);
        assert_string_equal(memory_region_name(r->mr), "virtio-mmio");
        assert_int_equal(memory_region_size(r->mr), 0x200);
    }
}

/* ---- the legacy layout ------------------------------------------------------------------ */

static void test_legacy_registers_of_a_plugged_device(void **state)
{
    VirtioDriver d = slot(7);

    INIT(RNG);
    assert_int_equal(vd_readl(&d, VD_MAGIC), 0x74726976);
    assert_int_equal(vd_readl(&d, VD_VERSION), 1);
    assert_int_equal(vd_readl(&d, VD_DEVICE_ID), 4);
    assert_int_equal(vd_readl(&d, VD_VENDOR), 0x554d4551);
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0x39000000);
    vd_writel(&d, VD_DEV_FEAT_SEL, 1);
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0);
    vd_writel(&d, VD_DEV_FEAT_SEL, 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_NUM_MAX), 1024);
    vd_writel(&d, VD_QUEUE_SEL, 1);
    assert_int_equal(vd_readl(&d, VD_QUEUE_NUM_MAX), 0);
    vd_writel(&d, VD_QUEUE_SEL, 0);
    /* Write-only registers read 0. */
    vd_writel(&d, VD_QUEUE_NUM, 8);
    assert_int_equal(vd_readl(&d, VD_QUEUE_NUM), 0);
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT_SEL), 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_SEL), 0);
    assert_int_equal(vd_readl(&d, VD_PAGE_SIZE), 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_ALIGN), 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_NOTIFY), 0);
    assert_int_equal(vd_readl(&d, VD_ISR_ACK), 0);
    /* QueuePFN reads back in GuestPageSize units. */
    vd_writel(&d, VD_PAGE_SIZE, 4096);
    vd_writel(&d, VD_QUEUE_PFN, 0x80010);
    assert_int_equal(vd_readl(&d, VD_QUEUE_PFN), 0x80010);
    vd_writel(&d, VD_PAGE_SIZE, 0x10000);
    assert_int_equal(vd_readl(&d, VD_QUEUE_PFN), 0x8001);
    /* Modern-only registers read 0 in legacy mode. */
    vd_writel(&d, VD_QUEUE_READY, 1);
    assert_int_equal(vd_readl(&d, VD_QUEUE_READY), 0);
    assert_int_equal(vd_readl(&d, VD_CONFIG_GEN), 0);
    assert_int_equal(vd_readl(&d, VD_DESC_LO), 0);
    /* No shared memory: length all ones; selector, base and QueueReset read 0. */
    assert_int_equal(vd_readl(&d, VD_SHM_LEN_LO), 0xffffffff);
    assert_int_equal(vd_readl(&d, VD_SHM_LEN_HI), 0xffffffff);
    assert_int_equal(vd_readl(&d, VD_SHM_SEL), 0);
    assert_int_equal(vd_readl(&d, VD_SHM_BASE_LO), 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_RESET), 0);
    /* Read-only registers ignore writes. */
    vd_writel(&d, VD_DEVICE_ID, 9);
    vd_writel(&d, VD_MAGIC, 0);
    assert_int_equal(vd_readl(&d, VD_DEVICE_ID), 4);
    assert_int_equal(vd_readl(&d, VD_MAGIC), 0x74726976);
}

static void test_legacy_driver_features_need_selector_0(void **state)
{
    VirtioDriver d = slot(7);
    VirtIODevice *vdev;

    INIT(RNG);
    logcapture_begin();
    vdev =
        virtio_mmio_get_device(VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL)));
    vd_writel(&d, VD_DRV_FEAT_SEL, 1);
    vd_writel(&d, VD_DRV_FEAT, 0x10000000);
    assert_int_equal(vdev->guest_features, 0);
    logcapture_assert_logged("DriverFeaturesSel 1");
    vd_writel(&d, VD_DRV_FEAT_SEL, 0);
    vd_writel(&d, VD_DRV_FEAT, 0xffffffff);
    /* Only what the device offers sticks. */
    assert_int_equal(vdev->guest_features, 0x39000000);
}

static void test_legacy_ring_layout_follows_pfn_and_align(void **state)
{
    VirtioDriver d = slot(7);
    VirtIODevice *vdev;

    INIT(RNG);
    vdev =
        virtio_mmio_get_device(VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL)));
    vd_writel(&d, VD_PAGE_SIZE, 4096);
    vd_writel(&d, VD_QUEUE_NUM, 8);
    vd_writel(&d, VD_QUEUE_ALIGN, 4096);
    vd_writel(&d, VD_QUEUE_PFN, 0x80020);
    assert_int_equal(vdev->vq[0].desc, 0x80020000);
    assert_int_equal(vdev->vq[0].avail, 0x80020000 + 8 * 16);
    assert_int_equal(vdev->vq[0].used, 0x80021000);
    /* A smaller alignment moves the used ring; a bad one is ignored. */
    vd_writel(&d, VD_QUEUE_ALIGN, 64);
    assert_int_equal(vdev->vq[0].used, 0x80020000 + 128 + 64);
    vd_writel(&d, VD_QUEUE_ALIGN, 0);
    vd_writel(&d, VD_QUEUE_ALIGN, 100);
    assert_int_equal(vdev->vq[0].used, 0x80020000 + 128 + 64);
    /* QueueNum changes the layout too. */
    vd_writel(&d, VD_QUEUE_NUM, 4);
    assert_int_equal(vdev->vq[0].avail, 0x80020000 + 4 * 16);
}

static void test_queue_size_must_stay_between_1_and_1024(void **state)
{
    VirtioDriver d = slot(7);
    VirtIODevice *vdev;

    INIT(RNG);
    vdev =
        virtio_mmio_get_device(VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL)));
    assert_int_equal(vdev->vq[0].num, 8);
    vd_writel(&d, VD_QUEUE_NUM, 1024);
    assert_int_equal(vdev->vq[0].num, 1024);
    vd_writel(&d, VD_QUEUE_NUM, 1025);
    vd_writel(&d, VD_QUEUE_NUM, 0);
    assert_int_equal(vdev->vq[0].num, 1024);
    assert_int_equal(vd_readl(&d, VD_QUEUE_NUM_MAX), 1024);
    /* QueueSel takes values below 1024; a queue the device lacks has no maximum. */
    vd_writel(&d, VD_QUEUE_SEL, 1023);
    assert_int_equal(vd_readl(&d, VD_QUEUE_NUM_MAX), 0);
    vd_writel(&d, VD_QUEUE_NUM, 4);
    vd_writel(&d, VD_QUEUE_SEL, 1024);
    assert_int_equal(vdev->queue_sel, 1023);
}

/* ---- the modern layout -------------------------------------------------------------------- */

static void test_modern_registers_and_feature_words(void **state)
{
    VirtioDriver d = slot(7);
    VirtIODevice *vdev;

    INIT(MODERN, RNG);
    vdev =
        virtio_mmio_get_device(VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL)));
    assert_int_equal(vd_readl(&d, VD_VERSION), 2);
    assert_int_equal(vd_readl(&d, VD_DEVICE_ID), 4);
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0x30000000);
    vd_writel(&d, VD_DEV_FEAT_SEL, 1);
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0x101);
    vd_writel(&d, VD_DEV_FEAT_SEL, 5); /* any non-zero selects the high word */
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0x101);
    /* Driver features apply at FEATURES_OK, and only then. */
    vd_writel(&d, VD_DRV_FEAT_SEL, 0);
    vd_writel(&d, VD_DRV_FEAT, 0x30000000);
    vd_writel(&d, VD_DRV_FEAT_SEL, 1);
    vd_writel(&d, VD_DRV_FEAT, 0x1);
    assert_int_equal(vdev->guest_features, 0);
    vd_writel(&d, VD_STATUS, VD_S_ACK | VD_S_DRIVER | VD_S_FEATURES_OK);
    assert_int_equal(vdev->guest_features, 0x130000000ull);
    assert_int_equal(vd_readl(&d, VD_STATUS), VD_S_ACK | VD_S_DRIVER | VD_S_FEATURES_OK);
    vd_writel(&d, VD_DRV_FEAT, 0x0);
    vd_writel(&d, VD_STATUS, VD_S_ACK | VD_S_DRIVER | VD_S_FEATURES_OK | VD_S_DRIVER_OK);
    assert_int_equal(vdev->guest_features, 0x130000000ull);
    /* Legacy registers read 0 and ignore writes. */
    vd_writel(&d, VD_QUEUE_PFN, 0x80000);
    assert_int_equal(vd_readl(&d, VD_QUEUE_PFN), 0);
    assert_int_equal(vdev->vq[0].desc, 0);
    vd_writel(&d, VD_PAGE_SIZE, 4096);
    vd_writel(&d, VD_QUEUE_ALIGN, 64);
    assert_int_equal(vdev->vq[0].align, 4096);
    assert_int_equal(vd_readl(&d, VD_CONFIG_GEN), 0);
    assert_int_equal(vd_readl(&d, VD_SHM_LEN_LO), 0xffffffff);
}

static void test_modern_queue_registers_apply_at_ready(void **state)
{
    VirtioDriver d = slot(7);
    VirtIODevice *vdev;

    INIT(MODERN, RNG);
    vdev =
        virtio_mmio_get_device(VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL)));
    vd_writel(&d, VD_QUEUE_SEL, 0);
    vd_writel(&d, VD_QUEUE_NUM, 4);
    vd_writel(&d, VD_DESC_LO, 0x80001000);
    vd_writel(&d, VD_DESC_HI, 0x1);
    vd_writel(&d, VD_AVAIL_LO, 0x80002000);
    vd_writel(&d, VD_USED_LO, 0x80003000);
    assert_int_equal(vdev->vq[0].desc, 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_READY), 0);
    /* The address registers are write-only. */
    assert_int_equal(vd_readl(&d, VD_DESC_LO), 0);
    assert_int_equal(vd_readl(&d, VD_USED_LO), 0);
    vd_writel(&d, VD_QUEUE_READY, 1);
    assert_int_equal(vd_readl(&d, VD_QUEUE_READY), 1);
    assert_int_equal(vdev->vq[0].num, 4);
    assert_int_equal(vdev->vq[0].desc, 0x180001000ull);
    assert_int_equal(vdev->vq[0].avail, 0x80002000);
    assert_int_equal(vdev->vq[0].used, 0x80003000);
    vd_writel(&d, VD_QUEUE_READY, 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_READY), 0);
    /* A queue the device does not have cannot become ready. */
    vd_writel(&d, VD_QUEUE_SEL, 3);
    vd_writel(&d, VD_QUEUE_READY, 1);
    assert_int_equal(vd_readl(&d, VD_QUEUE_READY), 0);
}

/* ---- widths ---------------------------------------------------------------------------- */

static void test_registers_take_only_4_byte_accesses(void **state)
{
    VirtioDriver d = slot(7);

    INIT(RNG);
    logcapture_begin();
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_MAGIC, 1), 0);
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_MAGIC, 2), 0);
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_MAGIC, 8), 0);
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_DEVICE_ID, 2), 0);
    hwtest_write(VD_SLOT(7) + VD_STATUS, 1, VD_S_ACK);
    hwtest_write(VD_SLOT(7) + VD_STATUS, 2, VD_S_ACK);
    hwtest_write(VD_SLOT(7) + VD_STATUS, 8, VD_S_ACK);
    assert_int_equal(vd_readl(&d, VD_STATUS), 0);
    logcapture_assert_logged("registers take 4 bytes");
    vd_writel(&d, VD_STATUS, VD_S_ACK);
    assert_int_equal(vd_readl(&d, VD_STATUS), VD_S_ACK);
}

static void test_config_space_takes_1_2_4_bytes_and_reads_ones_past_its_end(void **state)
{
    INIT(RNG);
    /* virtio-rng has no config space: every width reads all ones, as QEMU's. */
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_CONFIG, 1), 0xff);
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_CONFIG, 2), 0xffff);
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_CONFIG, 4), 0xffffffff);
    assert_int_equal(hwtest_read(VD_SLOT(7) + 0x1fc, 4), 0xffffffff);
    /* 8 bytes is not an access the region takes. */
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_CONFIG, 8), 0);
    hwtest_write(VD_SLOT(7) + VD_CONFIG, 4, 0x12345678); /* ignored */
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_CONFIG, 4), 0xffffffff);
}

/* ---- status, interrupts ------------------------------------------------------------------ */

static void test_status_0_resets_the_device(void **state)
{
    VirtioDriver d = {0};
    VirtIODevice *vdev;

    INIT(RNG);
    vdev =
        virtio_mmio_get_device(VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL)));
    vd_setup(&d, VD_SLOT(7), 0, 8, RAM + 0x10000, 0xffffffff);
    rng_request(&d);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_true(plic_pending(8));
    vd_writel(&d, VD_QUEUE_SEL, 0);
    vd_writel(&d, VD_STATUS, 0);
    assert_int_equal(vd_readl(&d, VD_STATUS), 0);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
    assert_false(plic_pending(8));
    assert_int_equal(vd_readl(&d, VD_QUEUE_PFN), 0);
    assert_int_equal(vdev->guest_features, 0);
    assert_int_equal(vdev->vq[0].last_avail_idx, 0);
    assert_int_equal(vdev->vq[0].num, 8);
}

static void test_queue_pfn_0_resets_the_device(void **state)
{
    VirtioDriver d = {0};

    INIT(RNG);
    vd_setup(&d, VD_SLOT(7), 0, 8, RAM + 0x10000, 0xffffffff);
    assert_int_not_equal(vd_readl(&d, VD_STATUS), 0);
    vd_writel(&d, VD_QUEUE_PFN, 0);
    assert_int_equal(vd_readl(&d, VD_STATUS), 0);
}

static void test_interrupt_status_and_ack_drive_the_plic_line(void **state)
{
    VirtioDriver d = {0};

    INIT(RNG);
    vd_setup(&d, VD_SLOT(7), 0, 8, RAM + 0x10000, 0xffffffff);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
    assert_false(plic_pending(8));
    rng_request(&d);
    assert_int_equal(vd_used_idx(&d), 1);
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    /* Reading does not clear it (unlike virtio-pci). */
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_true(plic_pending(8));
    vd_writel(&d, VD_ISR_ACK, 2); /* other bits: no change */
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_true(plic_pending(8));
    vd_writel(&d, VD_ISR_ACK, 1);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
    assert_false(plic_pending(8));
    /* ISR is read-only. */
    vd_writel(&d, VD_ISR, 1);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
}

static void test_slot_i_interrupts_plic_source_1_plus_i(void **state)
{
    INIT("-device", "virtio-rng-device,bus=virtio-mmio-bus.0", "-device",
         "virtio-rng-device,bus=virtio-mmio-bus.4");
    for (unsigned i = 0; i < 8; i += 4) {
        VirtioDriver d = {0};

        vd_setup(&d, VD_SLOT(i), 0, 8, RAM + 0x10000 * (i + 1), 0xffffffff);
        rng_request(&d);
        assert_true(plic_pending(1 + i));
    }
    assert_false(plic_pending(8));
}

static void test_two_sockets_route_virtio_to_the_second_plic(void **state)
{
    VirtioDriver d = {0};

    INIT("-smp", "2,sockets=2", RNG);
    vd_setup(&d, VD_SLOT(7), 0, 8, RAM + 0x10000, 0xffffffff);
    rng_request(&d);
    assert_false(plic_pending(8));
    assert_true((hwtest_read(0xc600000 + 0x1000, 4) >> 8) & 1);
}

/* ---- the slot rule, names ---------------------------------------------------------------- */

static unsigned slot_of(const char *path)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(object_resolve_path(path, NULL));
    VirtioMmioState *s = vdev->transport ? virtio_mmio_from_bus(vdev->transport) : NULL;

    assert_non_null(s);
    return s->bus_index;
}

static void test_devices_fill_slots_from_the_highest(void **state)
{
    INIT("-device", "virtio-rng-device,id=a", "-device", "virtio-rng-device,id=b", "-device",
         "virtio-rng-device,id=c,bus=virtio-mmio-bus.2", "-device", "virtio-rng-device,id=d");
    assert_int_equal(slot_of("/machine/peripheral/a"), 7);
    assert_int_equal(slot_of("/machine/peripheral/b"), 6);
    assert_int_equal(slot_of("/machine/peripheral/c"), 2);
    assert_int_equal(slot_of("/machine/peripheral/d"), 5);
    assert_int_equal(hwtest_read(VD_SLOT(7) + VD_DEVICE_ID, 4), 4);
    assert_int_equal(hwtest_read(VD_SLOT(2) + VD_DEVICE_ID, 4), 4);
    assert_int_equal(hwtest_read(VD_SLOT(3) + VD_DEVICE_ID, 4), 0);
}

static void test_bus_may_be_named_by_path(void **state)
{
    INIT("-device", "virtio-rng-device,id=a,bus=/machine/unattached/device[5]/virtio-mmio-bus.1");
    assert_int_equal(slot_of("/machine/peripheral/a"), 1);
}

static void expect_init_error(int argc, char **argv, const char *text)
{
    Error *err = NULL;

    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
    assert_non_null(err);
    if (!strstr(error_get_pretty(err), text)) {
        fail_msg("'%s' does not contain '%s'", error_get_pretty(err), text);
    }
    error_free(err);
    tern_cleanup();
}

#define EXPECT_INIT_ERROR(text, ...)                                                               \
    expect_init_error(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", __VA_ARGS__),    \
                      TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", __VA_ARGS__),    \
                      text)

static void test_bad_bus_choices_are_errors(void **state)
{
    EXPECT_INIT_ERROR("Bus 'virtio-mmio-bus.9' not found", "-device",
                      "virtio-rng-device,bus=virtio-mmio-bus.9");
    EXPECT_INIT_ERROR("Bus 'virtio-mmio-bus.3' is full", "-device",
                      "virtio-rng-device,bus=virtio-mmio-bus.3", "-device",
                      "virtio-rng-device,bus=virtio-mmio-bus.3");
    EXPECT_INIT_ERROR("Bus 'nosuch' not found", "-device", "virtio-rng-device,bus=nosuch");
    EXPECT_INIT_ERROR("No 'virtio-bus' bus found for device 'virtio-rng-device'", RNG, RNG, RNG,
                      RNG, RNG, RNG, RNG, RNG, RNG);
}

static void test_eight_devices_fill_every_slot(void **state)
{
    INIT(RNG, RNG, RNG, RNG, RNG, RNG, RNG, RNG);
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(hwtest_read(VD_SLOT(i) + VD_DEVICE_ID, 4), 4);
    }
}

static void test_transports_have_readable_names_and_qemu_aliases(void **state)
{
    INIT(RNG);
    for (unsigned i = 0; i < 8; i++) {
        char *canonical = g_strdup_printf("/machine/virtio-mmio[%u]", i);
        char *alias = g_strdup_printf("/machine/unattached/device[%u]", 4 + i);
        char *bus = g_strdup_printf("%s/virtio-mmio-bus.%u", canonical, i);
        Object *obj = object_resolve_path(canonical, NULL);

        assert_non_null(obj);
        assert_string_equal(object_get_typename(obj), "virtio-mmio");
        assert_ptr_equal(object_resolve_path(alias, NULL), obj);
        assert_non_null(object_resolve_path(bus, NULL));
        assert_string_equal(object_get_typename(object_resolve_path(bus, NULL)), "virtio-mmio-bus");
        g_free(canonical);
        g_free(alias);
        g_free(bus);
    }
    /* gpex and the platform bus keep their numbers free; the UART is device[14]. */
    assert_null(object_resolve_path("/machine/unattached/device[12]", NULL));
    assert_string_equal(
        object_get_typename(object_resolve_path("/machine/unattached/device[14]", NULL)),
        "serial-mm");
    assert_string_equal(object_get_typename(object_resolve_path("virtio-mmio-bus.3", NULL)),
                        "virtio-mmio-bus");
}

static void test_aclint_shifts_the_aliases_by_one(void **state)
{
    INIT("-M", "virt,aclint=on");
    assert_ptr_equal(object_resolve_path("/machine/unattached/device[5]", NULL),
                     object_resolve_path("/machine/virtio-mmio[0]", NULL));
    assert_ptr_equal(object_resolve_path("/machine/unattached/device[12]", NULL),
                     object_resolve_path("/machine/virtio-mmio[7]", NULL));
}

static void test_force_legacy_is_a_transport_property(void **state)
{
    INIT(MODERN, RNG);
    for (unsigned i = 0; i < 8; i++) {
        char *path = g_strdup_printf("/machine/virtio-mmio[%u]", i);
        assert_false(
            object_property_get_bool(object_resolve_path(path, NULL), "force-legacy", NULL));
        g_free(path);
    }
}

/* ---- device tree ------------------------------------------------------------------------- */

static void *guest_fdt(void)
{
    VirtMachineState *s = VIRT_MACHINE(machine_current());
    void *fdt = g_malloc(s->fdt_size);

    address_space_read(address_space_memory(), s->fdt_addr, fdt, s->fdt_size);
    assert_int_equal(fdt_check_header(fdt), 0);
    return fdt;
}

static void test_device_tree_has_a_node_per_slot(void **state)
{
    void *fdt;
    uint32_t plic_phandle;
    int soc, node, i = 7;

    INIT(RNG);
    fdt = guest_fdt();
    plic_phandle = fdt_test_cell(fdt, "/soc/plic@c000000", "phandle", 0);
    for (unsigned n = 0; n < 8; n++) {
        char *path = g_strdup_printf("/soc/virtio_mmio@%x", 0x10001000 + 0x1000 * n);
        int off = fdt_path_offset(fdt, path);

        assert_true(off >= 0);
        assert_string_equal(fdt_getprop(fdt, off, "compatible", NULL), "virtio,mmio");
        assert_int_equal(fdt_test_cell(fdt, path, "reg", 1), 0x10001000 + 0x1000 * n);
        assert_int_equal(fdt_test_cell(fdt, path, "reg", 3), 0x1000);
        assert_int_equal(fdt_test_cell(fdt, path, "interrupts", 0), 1 + n);
        assert_int_equal(fdt_test_cell(fdt, path, "interrupt-parent", 0), plic_phandle);
        g_free(path);
    }
    /* Listed from slot 7 down, as in QEMU's tree. */
    soc = fdt_path_offset(fdt, "/soc");
    fdt_for_each_subnode(node, fdt, soc)
    {
        const char *name = fdt_get_name(fdt, node, NULL);
        if (g_str_has_prefix(name, "virtio_mmio@")) {
            char *want = g_strdup_printf("virtio_mmio@%x", 0x10001000 + 0x1000 * i--);
            assert_string_equal(name, want);
            g_free(want);
        }
    }
    assert_int_equal(i, -1);
    /* The test device keeps phandle 4: the transports allocate none. */
    assert_int_equal(fdt_test_cell(fdt, "/soc/test@100000", "phandle", 0), 4);
    g_free(fdt);
}

/* ---- state --------------------------------------------------------------------------------- */

static void test_saved_state_restores_registers_and_the_line(void **state)
{
    VirtioDriver d = {0};
    DeviceState *transport, *dev;
    GByteArray *ts, *ds;

    INIT(MODERN, "-device", "virtio-rng-device,id=r");
    transport = DEVICE(object_resolve_path("/machine/virtio-mmio[7]", NULL));
    dev = DEVICE(object_resolve_path("/machine/peripheral/r", NULL));
    vd_setup(&d, VD_SLOT(7), 0, 8, RAM + 0x10000, 0xffffffffffffffffull);
    vd_writel(&d, VD_DEV_FEAT_SEL, 1);
    rng_request(&d);
    ts = vmstate_test_save_dev(transport); /* both tables exist */
    ds = vmstate_test_save_dev(dev);

    device_cold_reset(transport);
    assert_int_equal(vd_readl(&d, VD_STATUS), 0);
    assert_false(plic_pending(8));

    vmstate_test_restore_dev(transport, ts);
    vmstate_test_restore_dev(dev, ds);
    assert_true(plic_pending(8));
    assert_int_equal(vd_readl(&d, VD_ISR), 1);
    assert_int_equal(vd_readl(&d, VD_STATUS),
                     VD_S_ACK | VD_S_DRIVER | VD_S_DRIVER_OK | VD_S_FEATURES_OK);
    assert_int_equal(vd_readl(&d, VD_QUEUE_READY), 1);
    assert_int_equal(vd_readl(&d, VD_DEV_FEAT), 0x101); /* the selector came back */
    /* The queue carries on where it was. */
    vd_writel(&d, VD_ISR_ACK, 1);
    rng_request(&d);
    assert_int_equal(vd_used_idx(&d), 2);
}

static void test_system_reset_resets_transports_and_devices(void **state)
{
    VirtioDriver d = {0};
    Object *m;

    INIT(RNG);
    vd_setup(&d, VD_SLOT(7), 0, 8, RAM + 0x10000, 0xffffffff);
    rng_request(&d);
    vd_writel(&d, VD_PAGE_SIZE, 4096);
    m = OBJECT(machine_current());
    qdev_reset_tree(m);
    assert_int_equal(vd_readl(&d, VD_STATUS), 0);
    assert_int_equal(vd_readl(&d, VD_ISR), 0);
    assert_int_equal(vd_readl(&d, VD_QUEUE_PFN), 0);
    assert_false(plic_pending(8));
    assert_int_equal(
        VIRTIO_MMIO(object_resolve_path("/machine/virtio-mmio[7]", NULL))->guest_page_shift, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_empty_slot_answers_magic_version_vendor_only, teardown),
        cmocka_unit_test_teardown(test_empty_modern_slot_reports_version_2, teardown),
        cmocka_unit_test_teardown(test_regions_are_named_as_on_qemu, teardown),
        cmocka_unit_test_teardown(test_legacy_registers_of_a_plugged_device, teardown),
        cmocka_unit_test_teardown(test_legacy_driver_features_need_selector_0, teardown),
        cmocka_unit_test_teardown(test_legacy_ring_layout_follows_pfn_and_align, teardown),
        cmocka_unit_test_teardown(test_queue_size_must_stay_between_1_and_1024, teardown),
        cmocka_unit_test_teardown(test_modern_registers_and_feature_words, teardown),
        cmocka_unit_test_teardown(test_modern_queue_registers_apply_at_ready, teardown),
        cmocka_unit_test_teardown(test_registers_take_only_4_byte_accesses, teardown),
        cmocka_unit_test_teardown(test_config_space_takes_1_2_4_bytes_and_reads_ones_past_its_end,
                                  teardown),
        cmocka_unit_test_teardown(test_status_0_resets_the_device, teardown),
        cmocka_unit_test_teardown(test_queue_pfn_0_resets_the_device, teardown),
        cmocka_unit_test_teardown(test_interrupt_status_and_ack_drive_the_plic_line, teardown),
        cmocka_unit_test_teardown(test_slot_i_interrupts_plic_source_1_plus_i, teardown),
        cmocka_unit_test_teardown(test_two_sockets_route_virtio_to_the_second_plic, teardown),
        cmocka_unit_test_teardown(test_devices_fill_slots_from_the_highest, teardown),
        cmocka_unit_test_teardown(test_bus_may_be_named_by_path, teardown),
        cmocka_unit_test_teardown(test_bad_bus_choices_are_errors, teardown),
        cmocka_unit_test_teardown(test_eight_devices_fill_every_slot, teardown),
        cmocka_unit_test_teardown(test_transports_have_readable_names_and_qemu_aliases, teardown),
        cmocka_unit_test_teardown(test_aclint_shifts_the_aliases_by_one, teardown),
        cmocka_unit_test_teardown(test_force_legacy_is_a_transport_property, teardown),
        cmocka_unit_test_teardown(test_device_tree_has_a_node_per_slot, teardown),
        cmocka_unit_test_teardown(test_saved_state_restores_registers_and_the_line, teardown),
        cmocka_unit_test_teardown(test_system_reset_resets_transports_and_devices, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
