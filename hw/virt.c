/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virt.c - the RISC-V "virt" board, register-compatible with QEMU's
 * (shared/spec/virt-machine.md).
 *
 * A board is a memory-map table plus the code that creates devices in that
 * order.  init (PHASE_MACHINE_INITIALIZED) creates RAM, the MROM, the harts
 * per socket and the devices, in QEMU's creation order, and wires their
 * interrupt lines.  done (PHASE_MACHINE_READY) builds the device tree from
 * the devices' own nodes, loads firmware, kernel and initrd, and writes the
 * reset vector.  Loaded images are kept as ROM blobs and written again on
 * every system reset.
 *
 * Canonical object names are readable (/machine/plic0, /machine/uart0);
 * QEMU's names (/machine/unattached/device[N]) are links to the same
 * objects, so QEMU's qtest traces resolve.  As on QEMU, the system bus is
 * /machine/unattached/sysbus (the "parent_bus" of every board device) and
 * the RAM's backend is /objects/riscv_virt_board.ram.  Not here: the devices
 * themselves, and running the harts.
 */
#include <string.h>
#include <glib.h>
#include <libfdt.h>

#include "core/accel.h"
#include "core/chardev.h"
#include "core/hostfile.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/module.h"
#include "core/qdev.h"
#include "core/timer.h"
#include "core/vl.h"
#include "cpu/hart.h"
#include "hw/clint.h"
#include "hw/fdt.h"
#include "hw/fw_cfg.h"
#include "hw/goldfish_rtc.h"
#include "hw/loader.h"
#include "hw/plic.h"
#include "hw/sifive_test.h"
#include "hw/sysbus.h"
#include "hw/uart.h"
#include "hw/virt.h"
#include "hw/virtio-mmio.h"

/* ---- the memory map (spec §2) ------------------------------------------------------- */

const VirtMemMapEntry virt_memmap[] = {
    [VIRT_DEBUG] = {0x0, 0x100},         [VIRT_MROM] = {0x1000, 0xf000},
    [VIRT_TEST] = {0x100000, 0x1000},    [VIRT_RTC] = {0x101000, 0x1000},
    [VIRT_CLINT] = {0x2000000, 0x10000}, [VIRT_PLIC] = {0xc000000, 0x600000},
    [VIRT_UART0] = {0x10000000, 0x100},  [VIRT_VIRTIO] = {0x10001000, 0x1000},
    [VIRT_FW_CFG] = {0x10100000, 0x18},  [VIRT_DRAM] = {0x80000000, 0},
};

#define VIRT_CLINT_SOCKET_STRIDE 0x10000
#define VIRT_PLIC_SOCKET_STRIDE  0x600000
#define VIRT_MTIMER_OFFSET       0x4000
#define VIRT_SSWI_BASE           0x2F00000
#define VIRT_SSWI_SOCKET_STRIDE  0x4000
#define VIRT_FDT_TOP_MAX         UINT64_C(0xC0000000) /* 7.2 keeps the FDT below 3 GiB */
#define VIRT_FDT_ALIGN           (2u << 20)
#define VIRT_KERNEL_ALIGN        (2u << 20)

/* Debian's OpenSBI first, then the copy QEMU's data package ships. */
static const char *const virt_default_firmware[] = {
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
    "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin",
};

static const char *const virt_cpu_types[] = {"rv64", NULL};

/* ---- creating devices ---------------------------------------------------------------- */

static DeviceState *virt_new_device(VirtMachineState *s, const char *type, const char *name,
                                    Error **errp)
{
    DeviceState *dev = qdev_try_new(type, errp);

    if (dev) {
        object_property_add_child(OBJECT(s), name, OBJECT(dev));
        object_unref(OBJECT(dev));
    }
    return dev;
}

/* Records dev under QEMU's name /machine/unattached/device[index]. */
static void virt_add_qemu_alias(VirtMachineState *s, Object *obj, unsigned index)
{
    Object *unattached = container_get(OBJECT(s), "/unattached");
    char *name;

    if (index >= VIRT_MAX_ALIASES) {
        return;
    }
    s->aliases[index] = obj;
    name = g_strdup_printf("device[%u]", index);
    object_property_add_link(unattached, name, object_get_typename(obj), &s->aliases[index], NULL,
                             0);
    g_free(name);
}

/* The time CSR's source: opaque is the socket's mtimer (a plain cast: this runs per rdtime). */
static uint64_t virt_read_mtime(void *opaque)
{
    return clint_mtimer_read_mtime(opaque);
}

#define TYPE_SYSTEM_BUS "System" /* QEMU's name for the system bus type */

/* Every sysbus device under the machine sits on the system bus, as on QEMU. */
static int virt_plug_into_sysbus(Object *obj, void *opaque)
{
    /* The hart array is a sysbus device on QEMU. */
    if (object_dynamic_cast(obj, TYPE_SYS_BUS_DEVICE) ||
        object_dynamic_cast(obj, TYPE_RISCV_HART_ARRAY)) {
        qdev_set_parent_bus(DEVICE(obj), opaque);
    }
    return 0;
}

static void virt_create_sysbus(VirtMachineState *s)
{
    Object *bus = object_new(TYPE_SYSTEM_BUS);

    object_property_add_child(container_get(OBJECT(s), "/unattached"), "sysbus", bus);
    object_unref(bus);
}

static bool virt_realize_mapped(DeviceState *dev, hwaddr addr, Error **errp)
{
    if (!qdev_realize(dev, errp)) {
        return false;
    }
    if (SYS_BUS_DEVICE(dev)->num_mmio) {
        sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    }
    return true;
}

static bool virt_create_socket(VirtMachineState *s, unsigned socket, unsigned harts,
                               unsigned hartid_base, unsigned *alias_index, Error **errp)
{
    char *name = g_strdup_printf("soc%u", socket);
    DeviceState *soc = virt_new_device(s, TYPE_RISCV_HART_ARRAY, name, errp);
    DeviceState *mswi, *mtimer, *plic, *sswi = NULL;
    hwaddr clint_base = virt_memmap[VIRT_CLINT].base + socket * VIRT_CLINT_SOCKET_STRIDE;
    hwaddr plic_base = virt_memmap[VIRT_PLIC].base + socket * VIRT_PLIC_SOCKET_STRIDE;
    RVHartArray *array;

    g_free(name);
    if (!soc || !object_property_set_str(OBJECT(soc), "cpu-type", TYPE_RISCV_CPU_RV64, errp) ||
        !object_property_set_uint(OBJECT(soc), "num-harts", harts, errp) ||
        !object_property_set_uint(OBJECT(soc), "hartid-base", hartid_base, errp) ||
        !object_property_set_uint(OBJECT(soc), "resetvec", virt_memmap[VIRT_MROM].base, errp) ||
        !qdev_realize(soc, errp)) {
        return false;
    }
    array = RV_HART_ARRAY(soc);
    s->soc[socket] = array;

    name = g_strdup_printf("mswi%u", socket);
    mswi = virt_new_device(s, TYPE_CLINT_SWI, name, errp);
    g_free(name);
    if (!mswi || !object_property_set_uint(OBJECT(mswi), "num-harts", harts, errp) ||
        !object_property_set_uint(OBJECT(mswi), "hartid-base", hartid_base, errp) ||
        !object_property_set_bool(OBJECT(mswi), "aclint", s->aclint, errp) ||
        !virt_realize_mapped(mswi, clint_base, errp)) {
        return false;
    }
    virt_add_qemu_alias(s, OBJECT(mswi), (*alias_index)++);

    name = g_strdup_printf("mtimer%u", socket);
    mtimer = virt_new_device(s, TYPE_CLINT_MTIMER, name, errp);
    g_free(name);
    if (!mtimer || !object_property_set_uint(OBJECT(mtimer), "num-harts", harts, errp) ||
        !object_property_set_uint(OBJECT(mtimer), "hartid-base", hartid_base, errp) ||
        !object_property_set_bool(OBJECT(mtimer), "aclint", s->aclint, errp) ||
        !virt_realize_mapped(mtimer, clint_base + VIRT_MTIMER_OFFSET, errp)) {
        return false;
    }
    virt_add_qemu_alias(s, OBJECT(mtimer), (*alias_index)++);
    /* aclint=off: the MSWI's CLINT node lists the MTIMER's lines with its own. */
    if (!object_property_set_link(OBJECT(mswi), "mtimer", OBJECT(mtimer), errp)) {
        return false;
    }

    if (s->aclint) {
        /* aclint=on: supervisor software interrupts, a third device per socket. */
        name = g_strdup_printf("sswi%u", socket);
        sswi = virt_new_device(s, TYPE_CLINT_SWI, name, errp);
        g_free(name);
        if (!sswi || !object_property_set_uint(OBJECT(sswi), "num-harts", harts, errp) ||
            !object_property_set_uint(OBJECT(sswi), "hartid-base", hartid_base, errp) ||
            !object_property_set_uint(OBJECT(sswi), "sswi", 1, errp) ||
            !object_property_set_bool(OBJECT(sswi), "aclint", true, errp) ||
            !virt_realize_mapped(sswi, VIRT_SSWI_BASE + socket * VIRT_SSWI_SOCKET_STRIDE, errp)) {
            return false;
        }
        virt_add_qemu_alias(s, OBJECT(sswi), (*alias_index)++);
    }

    name = g_strdup_printf("plic%u", socket);
    plic = virt_new_device(s, TYPE_PLIC, name, errp);
    g_free(name);
    /* As QEMU's virt, hart-config says it: "MS" for each hart (every hart has S mode). */
    GString *hart_config = g_string_new("MS");
    for (unsigned h = 1; h < harts; h++) {
        g_string_append(hart_config, ",MS");
    }
    if (!plic || !object_property_set_uint(OBJECT(plic), "num-harts", harts, errp) ||
        !object_property_set_uint(OBJECT(plic), "hartid-base", hartid_base, errp) ||
        !object_property_set_str(OBJECT(plic), "hart-config", hart_config->str, errp) ||
        !virt_realize_mapped(plic, plic_base, errp)) {
        g_string_free(hart_config, TRUE);
        return false;
    }
    g_string_free(hart_config, TRUE);
    virt_add_qemu_alias(s, OBJECT(plic), (*alias_index)++);
    s->plic[socket] = plic;

    /*
     * Spec §3: MSWI -> MSIP, MTIMER -> MTIP, PLIC out [0,n) -> SEIP, [n,2n) ->
     * MEIP.  The only place these numbers are written: the controllers'
     * nodes list their lines from this wiring.
     */
    for (unsigned h = 0; h < harts; h++) {
        RVHart *hart = array->harts[h];
        sysbus_connect_gpio_out(SYS_BUS_DEVICE(mswi), h, rv_hart_irq_in(hart, RV_IRQ_MSIP));
        sysbus_connect_gpio_out(SYS_BUS_DEVICE(mtimer), h, rv_hart_irq_in(hart, RV_IRQ_MTIP));
        /* The time CSR reads the socket's mtime, as on QEMU (rdtime without a trap). */
        rv_hart_set_rdtime(hart, virt_read_mtime, CLINT_MTIMER(mtimer));
        if (sswi) {
            sysbus_connect_gpio_out(SYS_BUS_DEVICE(sswi), h, rv_hart_irq_in(hart, RV_IRQ_SSIP));
        }
        sysbus_connect_gpio_out(SYS_BUS_DEVICE(plic), h, rv_hart_irq_in(hart, RV_IRQ_SEIP));
        sysbus_connect_gpio_out(SYS_BUS_DEVICE(plic), harts + h, rv_hart_irq_in(hart, RV_IRQ_MEIP));
    }
    return true;
}

/* -rtc: base=DATE gives that date; utc/localtime the host's time; none: the device's default. */
static bool virt_configure_rtc(DeviceState *rtc, Error **errp)
{
    int64_t base_ns;

    if (vl_rtc_base_ns(&base_ns) &&
        !object_property_set_int(OBJECT(rtc), "base-ns", base_ns, errp)) {
        return false;
    }
    if (vl_rtc_clock_host()) {
        return object_property_set_str(OBJECT(rtc), "clock", "host", errp);
    }
    return true;
}

/*
 * virtio-mmio slot i at VIRTIO + i * 0x1000, PLIC source 1 + i (socket 1's
 * PLIC when there are two sockets or more, as QEMU), bus virtio-mmio-bus.i,
 * QEMU's name /machine/unattached/device[N].  Devices plug in later, from
 * the -device list.
 */
static bool virt_create_virtio_transports(VirtMachineState *s, unsigned *alias_index, Error **errp)
{
    DeviceState *plic = s->plic[MACHINE(s)->smp.sockets > 1 ? 1 : 0];

    for (unsigned i = 0; i < VIRT_NUM_VIRTIO; i++) {
        char *name = g_strdup_printf("virtio-mmio[%u]", i);
        DeviceState *dev = virt_new_device(s, TYPE_VIRTIO_MMIO, name, errp);

        g_free(name);
        if (!dev || !object_property_set_uint(OBJECT(dev), "bus-index", i, errp) ||
            !virt_realize_mapped(
                dev, virt_memmap[VIRT_VIRTIO].base + i * virt_memmap[VIRT_VIRTIO].size, errp)) {
            return false;
        }
        sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(plic, VIRT_VIRTIO_IRQ + i));
        virt_add_qemu_alias(s, OBJECT(dev), (*alias_index)++);
    }
    return true;
}

static bool virt_machine_init(MachineState *ms, Error **errp)
{
    VirtMachineState *s = VIRT_MACHINE(ms);
    unsigned sockets = ms->smp.sockets, alias_index = 0;
    DeviceState *dev;

    if (sockets > VIRT_MAX_SOCKETS) {
        error_setg(errp, "-smp: machine 'virt' has at most %d sockets, not %u", VIRT_MAX_SOCKETS,
                   sockets);
        return false;
    }
    if (ms->smp.cpus % sockets) {
        error_setg(errp, "-smp: %u harts cannot be split evenly over %u sockets", ms->smp.cpus,
                   sockets);
        return false;
    }
    if (s->aia && strcmp(s->aia, "none")) {
        error_setg(errp, "-machine aia=%s: only aia=none (the PLIC) is available", s->aia);
        return false;
    }

    memory_region_init(&s->system, OBJECT(ms), "system", UINT64_MAX);
    memory_system_init(&s->system);
    if (!memory_region_init_ram(&s->ram, OBJECT(ms), "riscv_virt_board.ram", ms->ram_size, errp)) {
        return false;
    }
    memory_region_add_subregion(&s->system, virt_memmap[VIRT_DRAM].base, &s->ram);
    if (!machine_create_default_memdev(ms, errp)) {
        return false;
    }
    if (!memory_region_init_rom(&s->mrom, OBJECT(ms), "riscv_virt_board.mrom",
                                virt_memmap[VIRT_MROM].size, errp)) {
        return false;
    }
    memory_region_add_subregion(&s->system, virt_memmap[VIRT_MROM].base, &s->mrom);
    s->memory_ready = true;

    for (unsigned i = 0; i < sockets; i++) {
        unsigned per_socket = ms->smp.cpus / sockets;
        if (!virt_create_socket(s, i, per_socket, i * per_socket, &alias_index, errp)) {
            return false;
        }
    }

    dev = virt_new_device(s, TYPE_SIFIVE_TEST, "test", errp);
    if (!dev || !virt_realize_mapped(dev, virt_memmap[VIRT_TEST].base, errp)) {
        return false;
    }
    virt_add_qemu_alias(s, OBJECT(dev), alias_index++);
    s->test = dev;

    /* Eight virtio-mmio transports come here (QEMU's order), then gpex and the platform bus. */
    if (!virt_create_virtio_transports(s, &alias_index, errp)) {
        return false;
    }
    alias_index += 2;

    dev = virt_new_device(s, TYPE_SERIAL_MM, "uart0", errp);
    if (!dev) {
        return false;
    }
    if (serial_hd(0) &&
        !object_property_set_str(OBJECT(dev), "chardev", chardev_id(serial_hd(0)), errp)) {
        return false;
    }
    if (!virt_realize_mapped(dev, virt_memmap[VIRT_UART0].base, errp)) {
        return false;
    }
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(s->plic[0], VIRT_UART0_IRQ));
    virt_add_qemu_alias(s, OBJECT(dev), alias_index++);
    s->uart = dev;

    dev = virt_new_device(s, TYPE_GOLDFISH_RTC, "rtc", errp);
    if (!dev || !virt_configure_rtc(dev, errp) ||
        !virt_realize_mapped(dev, virt_memmap[VIRT_RTC].base, errp)) {
        return false;
    }
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(s->plic[0], VIRT_RTC_IRQ));
    virt_add_qemu_alias(s, OBJECT(dev), alias_index++);
    s->rtc = dev;

    /* fw_cfg: /machine/fw_cfg, as on QEMU (a named child, not unattached). */
    s->fw_cfg = fw_cfg_create_mem(OBJECT(s), virt_memmap[VIRT_FW_CFG].base, errp);
    if (!s->fw_cfg) {
        return false;
    }
    /* QEMU creates fw_cfg once the machine is done, so its "hotplugged" reads true. */
    DEVICE(s->fw_cfg)->hotplugged = true;
    fw_cfg_add_i16(s->fw_cfg, FW_CFG_NB_CPUS, ms->smp.cpus);
    fw_cfg_add_i16(s->fw_cfg, FW_CFG_NOGRAPHIC, vl_nographic());
    virt_create_sysbus(s);
    object_child_foreach_recursive(
        OBJECT(s), virt_plug_into_sysbus,
        object_resolve_path_component(container_get(OBJECT(s), "/unattached"), "sysbus"));
    return true;
}

/* ---- the device tree (spec §14) --------------------------------------------------------- */

/* The ISA Tern implements (RV64GC), in the device tree's spelling. */
#define VIRT_RISCV_ISA "rv64imafdc_zicsr_zifencei"

static void virt_fdt_cpus(VirtMachineState *s, DtContext *dt)
{
    MachineState *ms = MACHINE(s);
    unsigned per_socket = ms->smp.cpus / ms->smp.sockets;
    char *cpus = dt_add_node(dt, "/", "cpus", (uint64_t)-1);
    char *map;

    dt_setprop_cell(dt, cpus, "#address-cells", 1);
    dt_setprop_cell(dt, cpus, "#size-cells", 0);
    dt_setprop_cell(dt, cpus, "timebase-frequency", VIRT_TIMEBASE_FREQ);
    dt->num_harts = ms->smp.cpus;
    for (unsigned i = 0; i < ms->smp.cpus; i++) {
        char *cpu = dt_add_node(dt, cpus, "cpu", i);
        char *intc = dt_add_node(dt, cpu, "interrupt-controller", (uint64_t)-1);
        RVHart *hart = s->soc[i / per_socket]->harts[i % per_socket];
        uint32_t intc_phandle;

        dt->cpu_phandle[i] = dt_alloc_phandle(dt);
        intc_phandle = dt_alloc_phandle(dt);
        /* The hart is this node's interrupt controller: lines wired to it name <intc line>. */
        dt_set_interrupt_controller(dt, hart, intc_phandle);
        dt_setprop_cell(dt, cpu, "phandle", dt->cpu_phandle[i]);
        dt_setprop_string(dt, cpu, "device_type", "cpu");
        dt_setprop_cell(dt, cpu, "reg", i);
        dt_setprop_string(dt, cpu, "status", "okay");
        dt_setprop_string(dt, cpu, "compatible", "riscv");
        dt_setprop_string(dt, cpu, "riscv,isa", VIRT_RISCV_ISA);
        dt_setprop_string(dt, cpu, "mmu-type", "riscv,sv39");
        dt_setprop_cell(dt, intc, "#interrupt-cells", 1);
        dt_setprop_empty(dt, intc, "interrupt-controller");
        dt_setprop_string(dt, intc, "compatible", "riscv,cpu-intc");
        dt_setprop_cell(dt, intc, "phandle", intc_phandle);
        g_free(intc);
        g_free(cpu);
    }
    map = dt_add_node(dt, cpus, "cpu-map", (uint64_t)-1);
    for (unsigned sock = 0; sock < ms->smp.sockets; sock++) {
        char *cname = g_strdup_printf("cluster%u", sock);
        char *cluster = dt_add_node(dt, map, cname, (uint64_t)-1);
        for (unsigned c = 0; c < per_socket; c++) {
            char *core_name = g_strdup_printf("core%u", c);
            char *core = dt_add_node(dt, cluster, core_name, (uint64_t)-1);
            dt_setprop_cell(dt, core, "cpu", dt->cpu_phandle[sock * per_socket + c]);
            g_free(core);
            g_free(core_name);
        }
        g_free(cluster);
        g_free(cname);
    }
    g_free(map);
    g_free(cpus);
}

static int virt_fdt_device(Object *child, void *opaque)
{
    SysBusDevice *sbd = (SysBusDevice *)object_dynamic_cast(child, TYPE_SYS_BUS_DEVICE);

    if (sbd && SYS_BUS_DEVICE_GET_CLASS(sbd)->fdt_node && DEVICE(sbd)->realized) {
        SYS_BUS_DEVICE_GET_CLASS(sbd)->fdt_node(sbd, opaque);
    }
    return 0;
}

/* 32 bytes for /chosen/rng-seed: fixed, so that runs are reproducible (QEMU's are random). */
static void virt_fdt_rng_seed(DtContext *dt, const char *chosen)
{
    GRand *rand = g_rand_new_with_seed(0x7465726e);
    uint32_t seed[8];

    for (int i = 0; i < 8; i++) {
        seed[i] = g_rand_int(rand);
    }
    g_rand_free(rand);
    dt_setprop(dt, chosen, "rng-seed", seed, sizeof(seed));
}

void virt_build_fdt(VirtMachineState *s, DtContext *dt)
{
    MachineState *ms = MACHINE(s);
    char *mem, *soc, *chosen, *node;

    dt_setprop_cell(dt, "/", "#address-cells", 2);
    dt_setprop_cell(dt, "/", "#size-cells", 2);
    dt_setprop_string(dt, "/", "compatible", "riscv-virtio");
    dt_setprop_string(dt, "/", "model", "riscv-virtio,qemu");

    virt_fdt_cpus(s, dt);
    mem = dt_add_node(dt, "/", "memory", virt_memmap[VIRT_DRAM].base);
    dt_setprop_string(dt, mem, "device_type", "memory");
    dt_setprop_reg(dt, mem, virt_memmap[VIRT_DRAM].base, ms->ram_size);
    g_free(mem);

    soc = dt_add_node(dt, "/", "soc", (uint64_t)-1);
    dt_setprop_cell(dt, soc, "#address-cells", 2);
    dt_setprop_cell(dt, soc, "#size-cells", 2);
    dt_setprop_string(dt, soc, "compatible", "simple-bus");
    dt_setprop_empty(dt, soc, "ranges");
    g_free(soc);

    /*
     * Phandles in QEMU's order: cpus and their controllers above, then each
     * node that has one as it is written (the PLICs come before the devices
     * wired to them, then the test device).
     */
    object_child_foreach(OBJECT(s), virt_fdt_device, dt);

    if (s->test) {
        uint32_t test_phandle = dt_lookup_phandle(dt, s->test);

        if (test_phandle) {
            node = dt_add_node(dt, "/", "reboot", (uint64_t)-1);
            dt_setprop_string(dt, node, "compatible", "syscon-reboot");
            dt_setprop_cell(dt, node, "regmap", test_phandle);
            dt_setprop_cell(dt, node, "offset", 0);
            dt_setprop_cell(dt, node, "value", 0x7777);
            g_free(node);
            node = dt_add_node(dt, "/", "poweroff", (uint64_t)-1);
            dt_setprop_string(dt, node, "compatible", "syscon-poweroff");
            dt_setprop_cell(dt, node, "regmap", test_phandle);
            dt_setprop_cell(dt, node, "offset", 0);
            dt_setprop_cell(dt, node, "value", 0x5555);
            g_free(node);
        }
    }

    chosen = dt_add_node(dt, "/", "chosen", (uint64_t)-1);
    if (s->uart) {
        char *stdout_path = g_strdup_printf("/soc/serial@%" PRIx64, virt_memmap[VIRT_UART0].base);
        dt_setprop_string(dt, chosen, "stdout-path", stdout_path);
        g_free(stdout_path);
    }
    virt_fdt_rng_seed(dt, chosen);
    g_free(chosen);
}

/*
 * /chosen: bootargs and the initrd range, on a generated or a -dtb tree alike.
 * A -dtb tree may lack /chosen (it is added); the dt_ helpers' assertions
 * hold on it because dt_open_blob took only a whole tree with its root first.
 */
static void virt_fdt_chosen_boot(VirtMachineState *s, DtContext *dt)
{
    MachineState *ms = MACHINE(s);

    if (fdt_path_offset(dt->fdt, "/chosen") < 0) {
        g_free(dt_add_node(dt, "/", "chosen", (uint64_t)-1));
    }
    if (ms->append) {
        dt_setprop_string(dt, "/chosen", "bootargs", ms->append);
    }
    if (s->initrd_end > s->initrd_start) {
        if (s->initrd_end <= UINT32_MAX) {
            dt_setprop_cell(dt, "/chosen", "linux,initrd-start", (uint32_t)s->initrd_start);
            dt_setprop_cell(dt, "/chosen", "linux,initrd-end", (uint32_t)s->initrd_end);
        } else {
            dt_setprop_u64(dt, "/chosen", "linux,initrd-start", s->initrd_start);
            dt_setprop_u64(dt, "/chosen", "linux,initrd-end", s->initrd_end);
        }
    }
}

static bool virt_load_dtb_file(VirtMachineState *s, DtContext *dt, Error **errp)
{
    MachineState *ms = MACHINE(s);
    char *data = NULL;
    size_t len = 0;
    bool ok;

    if (!hostfile_read_all("-dtb", ms->dtb, HOSTFILE_REGULAR, HOSTFILE_DTB_MAX_SIZE, NULL, &data,
                           &len, errp)) {
        return false;
    }
    /* Checked completely before libfdt reads it (see dt_open_blob). */
    ok = dt_open_blob(dt, data, len, errp);
    if (!ok) {
        error_prepend(errp, "-dtb %s: ", ms->dtb);
    }
    g_free(data);
    return ok;
}

/* ---- images, the reset vector (spec §13) ------------------------------------------------ */

/*
 * Images are ROM blobs: written again at every reset.  Blobs may not
 * overlap, as QEMU's ROM check refuses: one image would silently overwrite
 * another (a kernel over the firmware, an initrd over the tree).  The check
 * runs before the image is written (the loader's claim, below).
 */
static const VirtRomBlob *virt_blob_overlapping(VirtMachineState *s, hwaddr addr, hwaddr len)
{
    for (guint i = 0; i < s->blobs->len && len; i++) {
        const VirtRomBlob *b = &g_array_index(s->blobs, VirtRomBlob, i);
        if (b->len && addr < b->addr + b->len && b->addr < addr + len) {
            return b;
        }
    }
    return NULL;
}

/* "NAME: A-B overlaps OTHER at C-D": the first is what the user should change. */
static void virt_error_overlap(Error **errp, const char *name, hwaddr addr, hwaddr len,
                               const char *other, hwaddr other_addr, hwaddr other_len)
{
    error_setg(errp, "%s: 0x%" PRIx64 "-0x%" PRIx64 " overlaps %s at 0x%" PRIx64 "-0x%" PRIx64,
               name, (uint64_t)addr, (uint64_t)(addr + len - 1), other, (uint64_t)other_addr,
               (uint64_t)(other_addr + other_len - 1));
}

/* Keeps [addr, addr+len) as a blob; data NULL: filled with what is there once it is written. */
static VirtRomBlob *virt_add_blob(VirtMachineState *s, const char *name, hwaddr addr, hwaddr len)
{
    VirtRomBlob blob = {.addr = addr, .len = len, .name = g_strdup(name)};

    g_array_append_val(s->blobs, blob);
    return &g_array_index(s->blobs, VirtRomBlob, s->blobs->len - 1);
}

static void virt_blob_capture(VirtRomBlob *b)
{
    b->data = g_malloc(b->len);
    address_space_read(address_space_memory(), b->addr, b->data, b->len);
}

/* One image being loaded, for the loader's claims. */
typedef struct VirtImageClaim {
    VirtMachineState *s;
    const char *name; /* "-kernel PATH" */
} VirtImageClaim;

/* A place for one segment (or a raw image): free of every blob so far, then kept as one. */
static bool virt_claim_range(void *opaque, hwaddr addr, uint64_t len, Error **errp)
{
    VirtImageClaim *c = opaque;
    const VirtRomBlob *b = virt_blob_overlapping(c->s, addr, len);

    if (b) {
        virt_error_overlap(errp, c->name, addr, len, b->name, b->addr, b->len);
        return false;
    }
    virt_add_blob(c->s, c->name, addr, len);
    return true;
}

static const char *virt_find_default_firmware(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(virt_default_firmware); i++) {
        if (g_file_test(virt_default_firmware[i], G_FILE_TEST_IS_REGULAR)) {
            return virt_default_firmware[i];
        }
    }
    return NULL;
}

/*
 * Loads an image file into RAM and, for the kernel and initrd, publishes the
 * same bytes through fw_cfg (add: fw_cfg_add_kernel or fw_cfg_add_initrd).
 */
static bool virt_load_file(VirtMachineState *s, const char *option, const char *path,
                           hwaddr raw_addr, LoadedImage *img,
                           void (*add)(FWCfgState *, const void *, size_t), Error **errp)
{
    MachineState *ms = MACHINE(s);
    hwaddr ram_base = virt_memmap[VIRT_DRAM].base;
    char *data = NULL;
    size_t len = 0;
    guint first = s->blobs->len;
    VirtImageClaim claim = {.s = s};
    bool ok;

    /* An image that cannot fit (see hostfile.h) is refused before a byte is read. */
    if (!hostfile_read_image(option, path, ms->ram_size, &data, &len, errp)) {
        return false;
    }
    /*
     * Each segment (not the span: ELF gaps are free) must miss the images
     * loaded before; the loader's messages and the claim's start "-OPTION PATH:".
     */
    claim.name = g_strdup_printf("%s %s", option, path);
    ok = loader_load_buffer(address_space_memory(), claim.name, (const uint8_t *)data, len,
                            raw_addr, ram_base, ram_base + ms->ram_size,
                            &(LoaderClaim){virt_claim_range, &claim}, img, errp);
    for (guint i = first; i < s->blobs->len; i++) {
        VirtRomBlob *b = &g_array_index(s->blobs, VirtRomBlob, i);
        if (ok) {
            virt_blob_capture(b);
        } else {
            g_free(b->name); /* claims granted before a later one was refused */
        }
    }
    if (!ok) {
        g_array_set_size(s->blobs, first);
    } else if (add && s->fw_cfg) {
        add(s->fw_cfg, data, len);
    }
    g_free((char *)claim.name);
    g_free(data);
    return ok;
}

static bool virt_load_images(VirtMachineState *s, Error **errp)
{
    MachineState *ms = MACHINE(s);
    hwaddr ram_base = virt_memmap[VIRT_DRAM].base;
    hwaddr firmware_end = ram_base;
    const char *firmware = ms->firmware;
    LoadedImage img;

    if (!firmware || !strcmp(firmware, "default")) {
        firmware = virt_find_default_firmware();
        if (!firmware) {
            const AccelOps *accel = accel_current();
            if (!accel || strcmp(accel->name, "qtest")) {
                error_setg(errp, "-bios default: OpenSBI's fw_dynamic.bin is not installed "
                                 "(apt-get install opensbi), or use -bios none");
                return false;
            }
        }
    } else if (!strcmp(firmware, "none")) {
        firmware = NULL;
    }
    if (firmware) {
        if (!virt_load_file(s, "-bios", firmware, ram_base, &img, NULL, errp)) {
            return false;
        }
        firmware_end = img.high;
    }
    s->start_addr = ram_base;
    s->kernel_entry = 0;
    if (ms->kernel) {
        hwaddr kernel_start =
            firmware ? (firmware_end + VIRT_KERNEL_ALIGN - 1) & ~(hwaddr)(VIRT_KERNEL_ALIGN - 1)
                     : ram_base;

        if (!virt_load_file(s, "-kernel", ms->kernel, kernel_start, &img, fw_cfg_add_kernel,
                            errp)) {
            return false;
        }
        s->kernel_entry = img.is_elf ? img.low : kernel_start;
        if (ms->append && s->fw_cfg) {
            fw_cfg_add_cmdline(s->fw_cfg, ms->append);
        }
        if (ms->initrd) {
            hwaddr start = s->kernel_entry + MIN(ms->ram_size / 2, (uint64_t)128 << 20);
            if (!virt_load_file(s, "-initrd", ms->initrd, start, &img, fw_cfg_add_initrd, errp)) {
                return false;
            }
            if (img.is_elf) {
                error_setg(errp, "-initrd %s: an initrd must be a raw image", ms->initrd);
                return false;
            }
            s->initrd_start = img.low;
            s->initrd_end = img.high;
        }
    }
    return true;
}

static void virt_write_reset_vector(VirtMachineState *s)
{
    uint32_t words[] = {
        0x00000297, /* auipc t0, 0            */
        0x02828613, /* addi  a2, t0, 40       */
        0xf1402573, /* csrr  a0, mhartid      */
        0x0202b583, /* ld    a1, 32(t0)       */
        0x0182b283, /* ld    t0, 24(t0)       */
        0x00028067, /* jr    t0               */
        (uint32_t)s->start_addr,
        (uint32_t)(s->start_addr >> 32),
        (uint32_t)s->fdt_addr,
        (uint32_t)(s->fdt_addr >> 32),
    };
    /* fw_dynamic_info: magic, version, next_addr, next_mode (S), options, boot_hart. */
    uint64_t info[] = {0x4942534f, 2, s->kernel_entry, 1, 0, 0};
    uint8_t rom[sizeof(words) + sizeof(info)];

    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        for (int b = 0; b < 4; b++) {
            rom[i * 4 + b] = words[i] >> (8 * b);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(info); i++) {
        for (int b = 0; b < 8; b++) {
            rom[sizeof(words) + i * 8 + b] = info[i] >> (8 * b);
        }
    }
    address_space_write_rom(address_space_memory(), virt_memmap[VIRT_MROM].base, rom, sizeof(rom));
    /* The reset vector is alone in the boot ROM: images go to RAM only. */
    virt_blob_capture(
        virt_add_blob(s, "the reset vector", virt_memmap[VIRT_MROM].base, sizeof(rom)));
}

static bool virt_machine_done(MachineState *ms, Error **errp)
{
    VirtMachineState *s = VIRT_MACHINE(ms);
    hwaddr ram_base = virt_memmap[VIRT_DRAM].base, top;
    DtContext dt;
    size_t size;

    if (!virt_load_images(s, errp)) {
        return false;
    }
    dt_init(&dt);
    if (ms->dtb) {
        if (!virt_load_dtb_file(s, &dt, errp)) {
            dt_free(&dt);
            return false;
        }
    } else {
        virt_build_fdt(s, &dt);
    }
    virt_fdt_chosen_boot(s, &dt);
    size = dt_finish(&dt);

    if (ms->dumpdtb) {
        GError *gerr = NULL;
        bool ok = g_file_set_contents(ms->dumpdtb, dt.fdt, size, &gerr);
        if (!ok) {
            error_setg(errp, "-machine dumpdtb=%s: %s", ms->dumpdtb, gerr->message);
            g_error_free(gerr);
        }
        dt_free(&dt);
        ms->exit_after_init = ok;
        return ok;
    }

    top = MIN(ram_base + ms->ram_size, VIRT_FDT_TOP_MAX);
    if (top - ram_base < size) {
        error_setg(errp, "-m: %" PRIu64 " bytes of RAM cannot hold the %zu-byte device tree",
                   ms->ram_size, size);
        dt_free(&dt);
        return false;
    }
    s->fdt_addr = (top - size) & ~(hwaddr)(VIRT_FDT_ALIGN - 1);
    if (s->fdt_addr < ram_base) {
        s->fdt_addr = ram_base;
    }
    /* The tree goes at the top of RAM; an image that reaches it is refused, naming the image. */
    {
        const VirtRomBlob *b = virt_blob_overlapping(s, s->fdt_addr, size);
        if (b) {
            virt_error_overlap(errp, b->name, b->addr, b->len, "the device tree", s->fdt_addr,
                               size);
            dt_free(&dt);
            return false;
        }
    }
    address_space_write_rom(address_space_memory(), s->fdt_addr, dt.fdt, size);
    virt_blob_capture(virt_add_blob(s, "the device tree", s->fdt_addr, size));
    s->fdt_size = size;
    dt_free(&dt);
    virt_write_reset_vector(s);
    return true;
}

/* System reset: images back in place (as QEMU's ROM blobs), then every device. */
static void virt_machine_reset(MachineState *ms, int cause)
{
    VirtMachineState *s = VIRT_MACHINE(ms);

    for (guint i = 0; s->blobs && i < s->blobs->len; i++) {
        VirtRomBlob *b = &g_array_index(s->blobs, VirtRomBlob, i);
        address_space_write_rom(address_space_memory(), b->addr, b->data, b->len);
    }
    qdev_reset_tree(OBJECT(ms));
}

/* ---- the machine type ------------------------------------------------------------------ */

static void virt_machine_instance_init(Object *obj)
{
    VirtMachineState *s = VIRT_MACHINE(obj);

    s->blobs = g_array_new(FALSE, TRUE, sizeof(VirtRomBlob));
}

static void virt_machine_instance_finalize(Object *obj)
{
    VirtMachineState *s = VIRT_MACHINE(obj);

    for (guint i = 0; i < s->blobs->len; i++) {
        g_free(g_array_index(s->blobs, VirtRomBlob, i).data);
        g_free(g_array_index(s->blobs, VirtRomBlob, i).name);
    }
    g_array_free(s->blobs, TRUE);
    g_free(s->aia);
    if (s->memory_ready) {
        memory_system_cleanup();
        memory_region_finalize(&s->mrom);
        memory_region_finalize(&s->ram);
        memory_region_finalize(&s->system);
    }
}

static bool virt_get_aclint(Object *obj, Error **errp)
{
    return VIRT_MACHINE(obj)->aclint;
}

static void virt_set_aclint(Object *obj, bool value, Error **errp)
{
    VIRT_MACHINE(obj)->aclint = value;
}

static char *virt_get_aia(Object *obj, Error **errp)
{
    return g_strdup(VIRT_MACHINE(obj)->aia ? VIRT_MACHINE(obj)->aia : "none");
}

static void virt_set_aia(Object *obj, const char *value, Error **errp)
{
    VirtMachineState *s = VIRT_MACHINE(obj);

    if (strcmp(value, "none") && strcmp(value, "aplic") && strcmp(value, "aplic-imsic")) {
        error_setg(errp, "aia must be none, aplic or aplic-imsic, not '%s'", value);
        return;
    }
    g_free(s->aia);
    s->aia = g_strdup(value);
}

static void virt_machine_class_init(ObjectClass *klass, const void *data)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->name = "virt";
    mc->desc = "RISC-V VirtIO board";
    mc->is_default = true;
    mc->max_cpus = VIRT_MAX_HARTS;
    mc->default_ram_size = 128 << 20;
    mc->default_cpu_type = "rv64";
    mc->default_ram_id = "riscv_virt_board.ram";
    mc->numa_mem_supported = true; /* as QEMU's virt board (query-machines) */
    mc->valid_cpu_types = virt_cpu_types;
    mc->can_load_kernel = true;
    mc->virtio_drive_type = TYPE_VIRTIO_BLK;
    mc->init = virt_machine_init;
    mc->done = virt_machine_done;
    mc->reset = virt_machine_reset;
    object_class_property_add_bool(klass, "aclint", virt_get_aclint, virt_set_aclint);
    object_class_property_set_description(klass, "aclint",
                                          "separate ACLINT MSWI/MTIMER/SSWI devices");
    object_class_property_add_str(klass, "aia", virt_get_aia, virt_set_aia);
    object_class_property_set_description(klass, "aia", "interrupt controller: none (PLIC)");
}

static const TypeInfo virt_machine_info = {
    .name = TYPE_VIRT_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(VirtMachineState),
    .instance_init = virt_machine_instance_init,
    .instance_finalize = virt_machine_instance_finalize,
    .class_init = virt_machine_class_init,
};

static const TypeInfo virt_system_bus_info = {
    .name = TYPE_SYSTEM_BUS,
    .parent = TYPE_BUS,
};

static void virt_machine_register(void)
{
    type_register_static(&virt_machine_info);
    type_register_static(&virt_system_bus_info);
}

type_init(virt_machine_register)
