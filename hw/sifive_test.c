/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sifive_test.c - the SiFive test device (virt spec §7) at 0x100000.
 *
 * Reads return 0.  A 2- or 4-byte write at offset 0: low 16 bits are the
 * status, high 16 bits the code.  PASS ends the run with status 0, FAIL with
 * the code, RESET resets the machine.  Unlike QEMU 7.2, which exits inside
 * the write, this only records a request: the main loop (or the qtest server,
 * after its reply) acts on it, so every run ends the same orderly way.
 * It has no state of its own.
 */
#include "hw/sifive_test.h"

#include "core/log.h"
#include "core/module.h"
#include "core/runstate.h"
#include "core/trace.h"
#include "hw/fdt.h"

TRACE_EVENT(sifive_test_write, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))

static uint64_t sifive_test_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void sifive_test_write_reg(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    uint32_t status = value & 0xffff, code = (value >> 16) & 0xffff;

    if (addr != 0 || size == 1) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "sifive_test: ignored %u-byte write of 0x%" PRIx64
                      " at offset 0x%" HWADDR_PRIx "\n",
                      size, value, addr);
        return;
    }
    switch (status) {
    case SIFIVE_TEST_FAIL:
        system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, code);
        break;
    case SIFIVE_TEST_PASS:
        system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 0);
        break;
    case SIFIVE_TEST_RESET:
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    default:
        tern_log_mask(LOG_GUEST_ERROR, "sifive_test: unknown status 0x%x ignored\n", status);
        break;
    }
}

static void sifive_test_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    if (trace_event_enabled(sifive_test_write)) {
        trace_sifive_test_write(addr, addr == 0 ? "FINISHER" : "invalid", size, value);
    }
    sifive_test_write_reg(opaque, addr, value, size);
}

static const MemoryRegionOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

static void sifive_test_realize(DeviceState *dev, Error **errp)
{
    SiFiveTestState *s = SIFIVE_TEST(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &sifive_test_ops, s, TYPE_SIFIVE_TEST, 0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
}

static void sifive_test_unrealize(DeviceState *dev)
{
    memory_region_finalize(&SIFIVE_TEST(dev)->mmio);
}

static void sifive_test_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    hwaddr base = sysbus_mmio_get_addr(sbd, 0);
    char *path = dt_add_node(dt, "/soc", "test", base);

    dt_setprop_cell(dt, path, "phandle", dt_phandle(dt, sbd));
    dt_setprop_reg(dt, path, base, 0x1000);
    dt_setprop_strings(dt, path, "compatible", "sifive,test1", "sifive,test0", "syscon", NULL);
    g_free(path);
}

static void sifive_test_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "SiFive test device: pass, fail with a code, reset";
    dc->realize = sifive_test_realize;
    dc->unrealize = sifive_test_unrealize;
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = sifive_test_fdt_node;
}

static const TypeInfo sifive_test_info = {
    .name = TYPE_SIFIVE_TEST,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SiFiveTestState),
    .class_init = sifive_test_class_init,
};

static void sifive_test_register(void)
{
    type_register_static(&sifive_test_info);
}

type_init(sifive_test_register)
