/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * goldfish_rtc.c - the Goldfish RTC of the virt machine (spec §8), at
 * 0x101000, PLIC source 11.
 *
 * The clock is tick_offset plus a host-side clock in ns: the virtual clock
 * by default, host time only under -rtc clock=host (or rt).  Guest writes to
 * TIME_LOW/TIME_HIGH move tick_offset; nothing else does, so a reset keeps
 * the date.  The alarm always runs on a CLOCK_VIRTUAL timer: under a host
 * time source its deadline is "now + (alarm - time now)" in virtual ns, so
 * that no host time leaks into when guest interrupts happen.
 *
 * Not here: the -rtc option (the board turns base=/clock= into properties),
 * other goldfish devices, big-endian variants.
 */
#include "hw/goldfish_rtc.h"

#include <string.h>

#include "core/log.h"
#include "core/module.h"
#include "core/trace.h"
#include "hw/fdt.h"

TRACE_EVENT(goldfish_rtc_read, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))
TRACE_EVENT(goldfish_rtc_write, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))

static const char *const goldfish_rtc_reg_names[] = {
    "TIME_LOW",    "TIME_HIGH",   "ALARM_LOW",    "ALARM_HIGH",
    "IRQ_ENABLED", "CLEAR_ALARM", "ALARM_STATUS", "CLEAR_INTERRUPT",
};
#define goldfish_rtc_reg_name(addr)                                                                \
    ((addr) % 4 == 0 && (addr) / 4 < G_N_ELEMENTS(goldfish_rtc_reg_names)                          \
         ? goldfish_rtc_reg_names[(addr) / 4]                                                      \
         : "invalid")

static uint64_t goldfish_rtc_clock_ns(GoldfishRTCState *s)
{
    return (uint64_t)clock_get_ns(s->clock_type);
}

uint64_t goldfish_rtc_get_time_ns(GoldfishRTCState *s)
{
    return s->tick_offset + goldfish_rtc_clock_ns(s);
}

static void goldfish_rtc_update_irq(GoldfishRTCState *s)
{
    qemu_set_irq(s->irq, s->irq_pending && s->irq_enabled);
}

static void goldfish_rtc_fire(GoldfishRTCState *s)
{
    s->alarm_running = 0;
    s->irq_pending = 1;
    goldfish_rtc_update_irq(s);
}

static void goldfish_rtc_timer_cb(void *opaque)
{
    goldfish_rtc_fire(opaque);
}

static void goldfish_rtc_clear_alarm(GoldfishRTCState *s)
{
    timer_del(s->timer);
    s->alarm_running = 0;
}

/* ALARM_LOW was written: fire now if the alarm is not in the future, else arm the timer. */
static void goldfish_rtc_arm(GoldfishRTCState *s)
{
    uint64_t now = goldfish_rtc_get_time_ns(s);
    int64_t vnow = clock_get_ns(CLOCK_VIRTUAL);
    uint64_t delta;
    int64_t deadline;

    if (s->alarm_next <= now) {
        goldfish_rtc_clear_alarm(s);
        goldfish_rtc_fire(s);
        return;
    }
    /* An alarm centuries away saturates instead of wrapping into the past. */
    delta = s->alarm_next - now;
    deadline = clock_deadline_add(vnow, delta);
    timer_mod_ns(s->timer, deadline);
    s->alarm_running = 1;
}

static uint64_t goldfish_rtc_read_reg(void *opaque, hwaddr addr, unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint64_t now;

    switch (addr) {
    case GOLDFISH_RTC_TIME_LOW:
        now = goldfish_rtc_get_time_ns(s);
        s->time_high = (uint32_t)(now >> 32);
        return (uint32_t)now;
    case GOLDFISH_RTC_TIME_HIGH:
        return s->time_high;
    case GOLDFISH_RTC_ALARM_LOW:
        return (uint32_t)s->alarm_next;
    case GOLDFISH_RTC_ALARM_HIGH:
        return (uint32_t)(s->alarm_next >> 32);
    case GOLDFISH_RTC_IRQ_ENABLED:
        return s->irq_enabled;
    case GOLDFISH_RTC_ALARM_STATUS:
        return s->alarm_running;
    default:
        tern_log_mask(LOG_GUEST_ERROR,
                      "goldfish_rtc: read of write-only or unknown offset 0x%" HWADDR_PRIx "\n",
                      addr);
        return 0;
    }
}

static uint64_t goldfish_rtc_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t value = goldfish_rtc_read_reg(opaque, addr, size);

    if (trace_event_enabled(goldfish_rtc_read)) {
        trace_goldfish_rtc_read(addr, goldfish_rtc_reg_name(addr), size, value);
    }
    return value;
}

/* Replaces bits [shift, shift+32) of the current time by value, by moving tick_offset. */
static void goldfish_rtc_set_time_word(GoldfishRTCState *s, unsigned shift, uint32_t value)
{
    uint64_t now = goldfish_rtc_get_time_ns(s);
    uint64_t mask = UINT64_C(0xffffffff) << shift;
    uint64_t wanted = (now & ~mask) | ((uint64_t)value << shift);

    s->tick_offset += wanted - now;
}

static void goldfish_rtc_write_reg(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint32_t v = (uint32_t)value;

    switch (addr) {
    case GOLDFISH_RTC_TIME_LOW:
        goldfish_rtc_set_time_word(s, 0, v);
        break;
    case GOLDFISH_RTC_TIME_HIGH:
        goldfish_rtc_set_time_word(s, 32, v);
        break;
    case GOLDFISH_RTC_ALARM_LOW:
        s->alarm_next = (s->alarm_next & ~UINT64_C(0xffffffff)) | v;
        goldfish_rtc_arm(s);
        break;
    case GOLDFISH_RTC_ALARM_HIGH:
        s->alarm_next = (s->alarm_next & UINT64_C(0xffffffff)) | ((uint64_t)v << 32);
        break;
    case GOLDFISH_RTC_IRQ_ENABLED:
        s->irq_enabled = v & 1;
        goldfish_rtc_update_irq(s);
        break;
    case GOLDFISH_RTC_CLEAR_ALARM:
        goldfish_rtc_clear_alarm(s);
        break;
    case GOLDFISH_RTC_CLEAR_INTERRUPT:
        s->irq_pending = 0;
        goldfish_rtc_update_irq(s);
        break;
    default:
        tern_log_mask(LOG_GUEST_ERROR,
                      "goldfish_rtc: write of 0x%" PRIx32
                      " to read-only or unknown offset 0x%" HWADDR_PRIx " ignored\n",
                      v, addr);
        break;
    }
}

static void goldfish_rtc_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    if (trace_event_enabled(goldfish_rtc_write)) {
        trace_goldfish_rtc_write(addr, goldfish_rtc_reg_name(addr), size, value);
    }
    goldfish_rtc_write_reg(opaque, addr, value, size);
}

static const MemoryRegionOps goldfish_rtc_ops = {
    .read = goldfish_rtc_read,
    .write = goldfish_rtc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static bool goldfish_rtc_parse_clock(const char *name, ClockType *type)
{
    if (!name || !strcmp(name, "vm")) {
        *type = CLOCK_VIRTUAL;
    } else if (!strcmp(name, "host")) {
        *type = CLOCK_HOST;
    } else if (!strcmp(name, "rt")) {
        *type = CLOCK_RT;
    } else {
        return false;
    }
    return true;
}

static void goldfish_rtc_realize(DeviceState *dev, Error **errp)
{
    GoldfishRTCState *s = GOLDFISH_RTC(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (!goldfish_rtc_parse_clock(s->clock, &s->clock_type)) {
        error_setg(errp, "goldfish_rtc: clock '%s' is not one of vm, host, rt", s->clock);
        return;
    }
    /*
     * Under "vm" base-ns is the date at virtual time 0.  A host clock does
     * not start at 0, so there base-ns is the date at this moment.
     */
    s->tick_offset = (uint64_t)s->base_ns;
    if (s->clock_type != CLOCK_VIRTUAL) {
        s->tick_offset -= goldfish_rtc_clock_ns(s);
    }
    s->timer = timer_new_ns(CLOCK_VIRTUAL, goldfish_rtc_timer_cb, s);
    memory_region_init_io(&s->mmio, OBJECT(dev), &goldfish_rtc_ops, s, TYPE_GOLDFISH_RTC,
                          GOLDFISH_RTC_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->mmio);
    sysbus_init_irq(sbd, &s->irq);
}

static void goldfish_rtc_unrealize(DeviceState *dev)
{
    GoldfishRTCState *s = GOLDFISH_RTC(dev);

    timer_free(s->timer);
    s->timer = NULL;
    memory_region_finalize(&s->mmio);
}

/* As QEMU: the date (tick_offset) and the TIME_HIGH latch survive a reset. */
static void goldfish_rtc_reset(DeviceState *dev)
{
    GoldfishRTCState *s = GOLDFISH_RTC(dev);

    timer_del(s->timer);
    s->alarm_next = 0;
    s->alarm_running = 0;
    s->irq_pending = 0;
    s->irq_enabled = 0;
    goldfish_rtc_update_irq(s);
}

static void goldfish_rtc_post_load(void *opaque)
{
    goldfish_rtc_update_irq(opaque);
}

static const VMStateField goldfish_rtc_vmstate_fields[] = {
    VMSTATE_UINT64(tick_offset, GoldfishRTCState),   VMSTATE_UINT64(alarm_next, GoldfishRTCState),
    VMSTATE_UINT32(alarm_running, GoldfishRTCState), VMSTATE_UINT32(irq_pending, GoldfishRTCState),
    VMSTATE_UINT32(irq_enabled, GoldfishRTCState),   VMSTATE_UINT32(time_high, GoldfishRTCState),
    VMSTATE_TIMER_PTR(timer, GoldfishRTCState),      VMSTATE_END_OF_LIST(),
};

static const VMStateDescription goldfish_rtc_vmstate = {
    .name = TYPE_GOLDFISH_RTC,
    .fields = goldfish_rtc_vmstate_fields,
    .post_load = goldfish_rtc_post_load,
};

/*
 * /soc/rtc@101000 as QEMU's virt writes it: reg covers the board's 4 KiB
 * slot; the interrupts are where the board wired its IRQ.
 */
static void goldfish_rtc_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    hwaddr base = sysbus_mmio_get_addr(sbd, 0);
    char *path = dt_add_node(dt, "/soc", "rtc", base);

    dt_setprop_string(dt, path, "compatible", "google,goldfish-rtc");
    dt_setprop_reg(dt, path, base, GOLDFISH_RTC_VIRT_SLOT_SIZE);
    sysbus_fdt_add_interrupts(sbd, dt, path);
    g_free(path);
}

static const Property goldfish_rtc_props[] = {
    DEFINE_PROP_INT64("base-ns", GoldfishRTCState, base_ns, GOLDFISH_RTC_DEFAULT_BASE_NS),
    DEFINE_PROP_STRING("clock", GoldfishRTCState, clock),
    DEFINE_PROP_END_OF_LIST(),
};

static void goldfish_rtc_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "Goldfish real-time clock";
    dc->realize = goldfish_rtc_realize;
    dc->unrealize = goldfish_rtc_unrealize;
    dc->reset = goldfish_rtc_reset;
    dc->vmsd = &goldfish_rtc_vmstate;
    device_class_set_props(dc, goldfish_rtc_props);
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = goldfish_rtc_fdt_node;
}

static const TypeInfo goldfish_rtc_info = {
    .name = TYPE_GOLDFISH_RTC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(GoldfishRTCState),
    .class_init = goldfish_rtc_class_init,
};

static void goldfish_rtc_register(void)
{
    type_register_static(&goldfish_rtc_info);
}

type_init(goldfish_rtc_register)
