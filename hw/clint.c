/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clint.c - the ACLINT software-interrupt device ("riscv.aclint.swi") and
 * machine timer ("riscv.aclint.mtimer") of the virt machine, register-
 * compatible with QEMU 7.2 (virt-machine.md §5), and their device-tree nodes
 * (§14: one SiFive "clint" node by default, ACLINT nodes with aclint=on).
 *
 * Not here: the harts' mip bits these lines drive (cpu/), where the board
 * maps the devices and what it connects their outputs to (virt.c).
 *
 * Time: mtime counts the virtual clock at timebase-freq (10 MHz: one tick
 * per 100 ns) plus an offset that mtime writes set.  A hart's MTIP follows
 * QEMU exactly: it is evaluated when mtimecmp or mtime is written (raised at
 * once when mtimecmp <= mtime, else lowered and a virtual-clock timer armed)
 * and raised when that timer fires.  So MTIP is low after reset although
 * mtimecmp = mtime = 0, until the guest writes one of them, as on 7.2.
 */
#include "hw/clint.h"

#include <inttypes.h>

#include "core/log.h"
#include "core/module.h"
#include "core/timer.h"
#include "core/trace.h"
#include "hw/fdt.h"

TRACE_EVENT(clint_swi_read, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))
TRACE_EVENT(clint_swi_write, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))
TRACE_EVENT(clint_mtimer_read, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))
TRACE_EVENT(clint_mtimer_write, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))

/* Register names for the trace: "msip[0]", "setssip[1]", "mtime", "mtimecmp[0]" (+ ".hi"). */
static const char *clint_swi_reg_name(ClintSwiState *s, hwaddr addr, char *buf, size_t len)
{
    if (addr >= (uint64_t)s->num_harts * 4) {
        return "invalid";
    }
    snprintf(buf, len, "%s[%" PRIu64 "]", s->sswi ? "setssip" : "msip", addr / 4);
    return buf;
}

static const char *clint_mtimer_reg_name(ClintMtimerState *s, hwaddr addr, unsigned size, char *buf,
                                         size_t len)
{
    const char *half = size == 4 && (addr & 4) ? ".hi" : "";

    if ((addr & ~(hwaddr)7) == CLINT_MTIME_OFFSET) {
        snprintf(buf, len, "mtime%s", half);
    } else if (addr - CLINT_MTIMECMP_BASE < (uint64_t)s->num_harts * 8) {
        snprintf(buf, len, "mtimecmp[%" PRIu64 "]%s", (addr - CLINT_MTIMECMP_BASE) / 8, half);
    } else {
        return "invalid";
    }
    return buf;
}

/*
 * Writes interrupts-extended from the recorded wiring: for each hart h,
 * output h of each of devs in turn (the CLINT node: MSIP then MTIP).
 */
static void clint_fdt_irqs(DtContext *dt, const char *path, uint32_t num_harts,
                           SysBusDevice *const *devs, int ndevs)
{
    GArray *cells = g_array_new(FALSE, FALSE, sizeof(uint32_t));

    for (uint32_t h = 0; h < num_harts; h++) {
        for (int i = 0; i < ndevs; i++) {
            sysbus_fdt_append_gpio_out_interrupt(devs[i], h, dt, cells);
        }
    }
    dt_setprop_cells(dt, path, "interrupts-extended", (uint32_t *)cells->data, cells->len);
    g_array_free(cells, TRUE);
}

/* ==== riscv.aclint.swi ========================================================== */

static bool clint_swi_hart(ClintSwiState *s, hwaddr addr, const char *what, uint32_t *hart)
{
    if (addr >= (uint64_t)s->num_harts * 4) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "aclint-swi: invalid %s at 0x%" HWADDR_PRIx ": no hart %" PRIu64 "\n", what,
                      addr, s->hartid_base + addr / 4);
        return false;
    }
    *hart = addr / 4;
    return true;
}

static uint64_t clint_swi_read_reg(void *opaque, hwaddr addr, unsigned size)
{
    ClintSwiState *s = opaque;
    uint32_t hart;

    if (!clint_swi_hart(s, addr, "read", &hart)) {
        return 0;
    }
    /* setssip reads 0; msip reads the MSIP bit it drives. */
    return s->sswi ? 0 : s->msip[hart];
}

static uint64_t clint_swi_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t value = clint_swi_read_reg(opaque, addr, size);

    if (trace_event_enabled(clint_swi_read)) {
        char name[32];

        trace_clint_swi_read(addr, clint_swi_reg_name(opaque, addr, name, sizeof(name)), size,
                             value);
    }
    return value;
}

static void clint_swi_write_reg(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    ClintSwiState *s = opaque;
    uint32_t hart;

    if (!clint_swi_hart(s, addr, "write", &hart)) {
        return;
    }
    if (s->sswi) {
        /* Writing 1 sets SSIP; the hart clears it through sip, so 0 does nothing. */
        if (value & 1) {
            qemu_irq_raise(s->irqs[hart]);
        }
        return;
    }
    s->msip[hart] = value & 1;
    qemu_set_irq(s->irqs[hart], s->msip[hart]);
}

static void clint_swi_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    if (trace_event_enabled(clint_swi_write)) {
        char name[32];

        trace_clint_swi_write(addr, clint_swi_reg_name(opaque, addr, name, sizeof(name)), size,
                              value);
    }
    clint_swi_write_reg(opaque, addr, value, size);
}

static const MemoryRegionOps clint_swi_ops = {
    .read = clint_swi_read,
    .write = clint_swi_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static void clint_swi_realize(DeviceState *dev, Error **errp)
{
    ClintSwiState *s = CLINT_SWI(dev);

    if (s->num_harts < 1 || s->num_harts > CLINT_MAX_HARTS) {
        error_setg(errp, "%s: num-harts must be 1 to %d, not %" PRIu32, TYPE_CLINT_SWI,
                   CLINT_MAX_HARTS, s->num_harts);
        return;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &clint_swi_ops, s, TYPE_CLINT_SWI, CLINT_SWI_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    qdev_init_gpio_out(dev, s->irqs, s->num_harts);
}

static void clint_swi_update(ClintSwiState *s)
{
    if (s->sswi || !DEVICE(s)->realized) {
        return; /* SSIP belongs to the hart once raised; unrealized: no lines */
    }
    for (uint32_t h = 0; h < s->num_harts; h++) {
        s->msip[h] &= 1;
        qemu_set_irq(s->irqs[h], s->msip[h]);
    }
}

static void clint_swi_reset(DeviceState *dev)
{
    ClintSwiState *s = CLINT_SWI(dev);

    memset(s->msip, 0, sizeof(s->msip));
    clint_swi_update(s);
}

static void clint_swi_post_load(void *opaque)
{
    clint_swi_update(opaque);
}

/* A weak link: the board owns both devices, and only the device-tree walk follows it. */
static void clint_swi_instance_init(Object *obj)
{
    object_property_add_link(obj, "mtimer", TYPE_CLINT_MTIMER, (Object **)&CLINT_SWI(obj)->mtimer,
                             NULL, 0);
}

static void clint_swi_finalize(Object *obj)
{
    memory_region_finalize(&CLINT_SWI(obj)->mmio);
}

/*
 * aclint=off: the MSWI writes the whole CLINT's node (QEMU's "clint@", MSIP
 * and MTIP per hart: its own output h, then that of the MTIMER its "mtimer"
 * link names); aclint=on: "mswi@" or "sswi@" for this device alone.  The
 * interrupts are the lines as the board wired them.
 */
static void clint_swi_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    ClintSwiState *s = CLINT_SWI(sbd);
    hwaddr addr = sysbus_mmio_get_addr(sbd, 0);
    char *path;

    if (addr == (hwaddr)-1 || (!s->aclint && s->sswi)) {
        return;
    }
    if (!s->aclint) {
        SysBusDevice *devs[2] = {sbd, s->mtimer ? SYS_BUS_DEVICE(s->mtimer) : NULL};
        path = dt_add_node(dt, "/soc", "clint", addr);
        dt_setprop_strings(dt, path, "compatible", "sifive,clint0", "riscv,clint0", NULL);
        dt_setprop_reg(dt, path, addr, CLINT_SIZE);
        clint_fdt_irqs(dt, path, s->num_harts, devs, s->mtimer ? 2 : 1);
    } else {
        path = dt_add_node(dt, "/soc", s->sswi ? "sswi" : "mswi", addr);
        dt_setprop_string(dt, path, "compatible",
                          s->sswi ? "riscv,aclint-sswi" : "riscv,aclint-mswi");
        dt_setprop_reg(dt, path, addr, CLINT_SWI_SIZE);
        clint_fdt_irqs(dt, path, s->num_harts, &sbd, 1);
    }
    g_free(path);
}

static const VMStateField clint_swi_fields[] = {
    VMSTATE_ARRAY(msip, ClintSwiState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription clint_swi_vmstate = {
    .name = "riscv_aclint_swi",
    .fields = clint_swi_fields,
    .post_load = clint_swi_post_load,
};

static const Property clint_swi_props[] = {
    DEFINE_PROP_UINT32("hartid-base", ClintSwiState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", ClintSwiState, num_harts, 1),
    DEFINE_PROP_UINT32("sswi", ClintSwiState, sswi, 0),
    DEFINE_PROP_BOOL("aclint", ClintSwiState, aclint, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void clint_swi_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "RISC-V ACLINT software interrupts (MSWI/SSWI)";
    dc->realize = clint_swi_realize;
    dc->reset = clint_swi_reset;
    dc->vmsd = &clint_swi_vmstate;
    device_class_set_props(dc, clint_swi_props);
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = clint_swi_fdt_node;
}

/* ==== riscv.aclint.mtimer ======================================================= */

/* Mtime without the offset: what time_delta is measured against. */
static uint64_t clint_mtimer_raw_ticks(ClintMtimerState *s)
{
    return clock_ns_to_ticks((uint64_t)clock_get_ns(CLOCK_VIRTUAL), s->timebase_freq);
}

uint64_t clint_mtimer_read_mtime(ClintMtimerState *s)
{
    return clint_mtimer_raw_ticks(s) + s->time_delta;
}

static void clint_mtimer_set_mtip(ClintMtimerState *s, uint32_t hart, int level)
{
    s->mtip[hart] = level;
    qemu_set_irq(s->irqs[hart], level);
}

static void clint_mtimer_disarm(ClintMtimerState *s, uint32_t hart)
{
    s->deadline_ns[hart] = -1;
    if (s->timers_made) {
        timer_del(s->harts[hart].timer);
    }
}

/*
 * Sets mtimecmp[hart] and re-evaluates MTIP.  In the future, the timer is
 * armed diff * 10^9 / freq ns from now (diff in ticks): QEMU's arithmetic,
 * so that the line rises at the same virtual time as on QEMU.  (With the
 * clock between two ticks that is up to one tick after mtime reaches the
 * compare value.)  A crossing beyond the end of virtual time (mtimecmp =
 * UINT64_MAX, say) arms nothing: it never comes.
 */
static void clint_mtimer_write_timecmp(ClintMtimerState *s, uint32_t hart, uint64_t value)
{
    uint64_t mtime = clint_mtimer_read_mtime(s);
    int64_t now = clock_get_ns(CLOCK_VIRTUAL);
    uint64_t wait_ns;

    s->timecmp[hart] = value;
    if (value <= mtime) {
        clint_mtimer_disarm(s, hart);
        clint_mtimer_set_mtip(s, hart, 1);
        return;
    }
    clint_mtimer_set_mtip(s, hart, 0);
    wait_ns = clock_ticks_to_ns(value - mtime, s->timebase_freq);
    if (!clock_deadline_reachable(now, wait_ns)) {
        clint_mtimer_disarm(s, hart);
        return;
    }
    s->deadline_ns[hart] = clock_deadline_add(now, wait_ns);
    timer_mod_ns(s->harts[hart].timer, s->deadline_ns[hart]);
}

static void clint_mtimer_fire(void *opaque)
{
    ClintMtimerHart *h = opaque;

    h->mtimer->deadline_ns[h->index] = -1;
    clint_mtimer_set_mtip(h->mtimer, h->index, 1);
}

/* The hart whose mtimecmp is at addr, or false (logged) when there is none. */
static bool clint_mtimer_cmp_hart(ClintMtimerState *s, hwaddr addr, const char *what,
                                  uint32_t *hart)
{
    if (addr - CLINT_MTIMECMP_BASE >= (uint64_t)s->num_harts * 8) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "aclint-mtimer: invalid %s at 0x%" HWADDR_PRIx ": no hart %" PRIu64 "\n",
                      what, addr, s->hartid_base + (addr - CLINT_MTIMECMP_BASE) / 8);
        return false;
    }
    *hart = (addr - CLINT_MTIMECMP_BASE) / 8;
    return true;
}

static void clint_mtimer_log_bad(hwaddr addr, unsigned size, const char *what)
{
    tern_log_mask(LOG_GUEST_ERROR, "aclint-mtimer: invalid %u-byte %s at 0x%" HWADDR_PRIx "\n",
                  size, what, addr);
}

/* A 64-bit register seen through an aligned access: all 8 bytes, or one 4-byte half. */
static uint64_t clint_mtimer_read_half(uint64_t reg, hwaddr addr, unsigned size)
{
    if (size == 8) {
        return reg;
    }
    return (addr & 4) ? reg >> 32 : (uint32_t)reg;
}

static uint64_t clint_mtimer_read_reg(void *opaque, hwaddr addr, unsigned size)
{
    ClintMtimerState *s = opaque;
    uint32_t hart;

    /* The memory core lets only aligned accesses through; an 8-byte one at +4 cannot come. */
    if (size == 8 && (addr & 7)) {
        clint_mtimer_log_bad(addr, size, "read");
        return 0;
    }
    if ((addr & ~(hwaddr)7) == CLINT_MTIME_OFFSET) {
        return clint_mtimer_read_half(clint_mtimer_read_mtime(s), addr, size);
    }
    if (!clint_mtimer_cmp_hart(s, addr, "read", &hart)) {
        return 0;
    }
    return clint_mtimer_read_half(s->timecmp[hart], addr, size);
}

static uint64_t clint_mtimer_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t value = clint_mtimer_read_reg(opaque, addr, size);

    if (trace_event_enabled(clint_mtimer_read)) {
        char name[32];

        trace_clint_mtimer_read(addr, clint_mtimer_reg_name(opaque, addr, size, name, sizeof(name)),
                                size, value);
    }
    return value;
}

/* reg with the part the access writes replaced by value. */
static uint64_t clint_mtimer_merge(uint64_t reg, hwaddr addr, unsigned size, uint64_t value)
{
    if (size == 8) {
        return value;
    }
    if (addr & 4) {
        return (value << 32) | (uint32_t)reg;
    }
    return (reg & ~(uint64_t)UINT32_MAX) | (uint32_t)value;
}

static void clint_mtimer_write_reg(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    ClintMtimerState *s = opaque;
    uint32_t hart;

    if (size == 8 && (addr & 7)) {
        clint_mtimer_log_bad(addr, size, "write");
        return;
    }
    if ((addr & ~(hwaddr)7) == CLINT_MTIME_OFFSET) {
        uint64_t mtime = clint_mtimer_merge(clint_mtimer_read_mtime(s), addr, size, value);

        /* The new offset makes mtime read back mtime now; every compare is re-made. */
        s->time_delta = mtime - clint_mtimer_raw_ticks(s);
        for (uint32_t h = 0; h < s->num_harts; h++) {
            clint_mtimer_write_timecmp(s, h, s->timecmp[h]);
        }
        return;
    }
    if (!clint_mtimer_cmp_hart(s, addr, "write", &hart)) {
        return;
    }
    clint_mtimer_write_timecmp(s, hart, clint_mtimer_merge(s->timecmp[hart], addr, size, value));
}

static void clint_mtimer_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    if (trace_event_enabled(clint_mtimer_write)) {
        char name[32];

        trace_clint_mtimer_write(
            addr, clint_mtimer_reg_name(opaque, addr, size, name, sizeof(name)), size, value);
    }
    clint_mtimer_write_reg(opaque, addr, value, size);
}

static const MemoryRegionOps clint_mtimer_ops = {
    .read = clint_mtimer_read,
    .write = clint_mtimer_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 8},
};

static void clint_mtimer_realize(DeviceState *dev, Error **errp)
{
    ClintMtimerState *s = CLINT_MTIMER(dev);

    if (s->num_harts < 1 || s->num_harts > CLINT_MAX_HARTS) {
        error_setg(errp, "%s: num-harts must be 1 to %d, not %" PRIu32, TYPE_CLINT_MTIMER,
                   CLINT_MAX_HARTS, s->num_harts);
        return;
    }
    if (!s->timebase_freq) {
        error_setg(errp, "%s: timebase-freq must not be 0", TYPE_CLINT_MTIMER);
        return;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &clint_mtimer_ops, s, TYPE_CLINT_MTIMER,
                          CLINT_MTIMER_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    qdev_init_gpio_out(dev, s->irqs, s->num_harts);
    s->timers_made = true;
    for (uint32_t h = 0; h < s->num_harts; h++) {
        s->harts[h].mtimer = s;
        s->harts[h].index = h;
        s->harts[h].timer = timer_new_ns(CLOCK_VIRTUAL, clint_mtimer_fire, &s->harts[h]);
        s->deadline_ns[h] = -1;
    }
}

/*
 * mtime restarts at 0 and mtimecmp is 0 (7.2's reset value); timers are
 * disarmed and MTIP lowered: the compare is next made when the guest writes.
 */
static void clint_mtimer_reset(DeviceState *dev)
{
    ClintMtimerState *s = CLINT_MTIMER(dev);

    s->time_delta = -clint_mtimer_raw_ticks(s);
    if (!s->timers_made) {
        return;
    }
    for (uint32_t h = 0; h < s->num_harts; h++) {
        s->timecmp[h] = 0;
        clint_mtimer_disarm(s, h);
        clint_mtimer_set_mtip(s, h, 0);
    }
}

/* Re-drives the lines and re-arms the timers from the saved deadlines. */
static void clint_mtimer_post_load(void *opaque)
{
    ClintMtimerState *s = opaque;

    if (!s->timers_made) {
        return; /* not realized: no lines, no timers */
    }
    for (uint32_t h = 0; h < s->num_harts; h++) {
        s->mtip[h] = !!s->mtip[h];
        if (s->deadline_ns[h] >= 0) {
            timer_mod_ns(s->harts[h].timer, s->deadline_ns[h]);
        } else {
            clint_mtimer_disarm(s, h);
        }
        qemu_set_irq(s->irqs[h], s->mtip[h]);
    }
}

static void clint_mtimer_finalize(Object *obj)
{
    ClintMtimerState *s = CLINT_MTIMER(obj);

    if (s->timers_made) {
        for (uint32_t h = 0; h < s->num_harts; h++) {
            timer_free(s->harts[h].timer);
            s->harts[h].timer = NULL;
        }
        s->timers_made = false;
    }
    memory_region_finalize(&s->mmio);
}

/* aclint=on only (the CLINT node comes from the MSWI): registers mtime, then mtimecmp. */
static void clint_mtimer_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    ClintMtimerState *s = CLINT_MTIMER(sbd);
    hwaddr addr = sysbus_mmio_get_addr(sbd, 0);
    uint64_t mtime = addr + CLINT_MTIME_OFFSET;
    uint64_t cmp = addr + CLINT_MTIMECMP_BASE;
    uint32_t reg[8] = {mtime >> 32, (uint32_t)mtime, 0, CLINT_MTIMER_SIZE - CLINT_MTIME_OFFSET,
                       cmp >> 32,   (uint32_t)cmp,   0, CLINT_MTIME_OFFSET};
    char *path;

    if (!s->aclint || addr == (hwaddr)-1) {
        return;
    }
    path = dt_add_node(dt, "/soc", "mtimer", addr);
    dt_setprop_string(dt, path, "compatible", "riscv,aclint-mtimer");
    dt_setprop_cells(dt, path, "reg", reg, 8);
    clint_fdt_irqs(dt, path, s->num_harts, &sbd, 1);
    g_free(path);
}

static const VMStateField clint_mtimer_fields[] = {
    VMSTATE_UINT64(time_delta, ClintMtimerState),
    VMSTATE_ARRAY(timecmp, ClintMtimerState),
    VMSTATE_ARRAY(deadline_ns, ClintMtimerState),
    VMSTATE_ARRAY(mtip, ClintMtimerState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription clint_mtimer_vmstate = {
    .name = "riscv_mtimer",
    .fields = clint_mtimer_fields,
    .post_load = clint_mtimer_post_load,
};

static const Property clint_mtimer_props[] = {
    DEFINE_PROP_UINT32("hartid-base", ClintMtimerState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", ClintMtimerState, num_harts, 1),
    DEFINE_PROP_UINT32("timebase-freq", ClintMtimerState, timebase_freq, CLINT_TIMEBASE_FREQ),
    DEFINE_PROP_BOOL("aclint", ClintMtimerState, aclint, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void clint_mtimer_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "RISC-V ACLINT machine timer (MTIMER)";
    dc->realize = clint_mtimer_realize;
    dc->reset = clint_mtimer_reset;
    dc->vmsd = &clint_mtimer_vmstate;
    device_class_set_props(dc, clint_mtimer_props);
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = clint_mtimer_fdt_node;
}

static const TypeInfo clint_types[] = {
    {
        .name = TYPE_CLINT_SWI,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(ClintSwiState),
        .instance_init = clint_swi_instance_init,
        .instance_finalize = clint_swi_finalize,
        .class_init = clint_swi_class_init,
    },
    {
        .name = TYPE_CLINT_MTIMER,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(ClintMtimerState),
        .instance_finalize = clint_mtimer_finalize,
        .class_init = clint_mtimer_class_init,
    },
};

static void clint_register_types(void)
{
    type_register_static_array(clint_types, G_N_ELEMENTS(clint_types));
}

type_init(clint_register_types)
