/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * goldfish_rtc.h - the Goldfish real-time clock (virt spec §8): a 64-bit
 * nanosecond wall clock with one alarm and one interrupt line.
 *
 * The board sets the time source before realize from -rtc: "base-ns" is the
 * date (ns since the Unix epoch) the clock shows when the machine starts,
 * "clock" picks what moves it ("vm": the virtual clock, the default and the
 * only deterministic choice; "host"/"rt": host time, only when asked).
 */
#ifndef TERN_GOLDFISH_RTC_H
#define TERN_GOLDFISH_RTC_H

#include "core/timer.h"
#include "hw/sysbus.h"

#define TYPE_GOLDFISH_RTC "goldfish_rtc"

/* Register offsets (32-bit, little-endian). */
#define GOLDFISH_RTC_TIME_LOW        0x00
#define GOLDFISH_RTC_TIME_HIGH       0x04
#define GOLDFISH_RTC_ALARM_LOW       0x08
#define GOLDFISH_RTC_ALARM_HIGH      0x0c
#define GOLDFISH_RTC_IRQ_ENABLED     0x10
#define GOLDFISH_RTC_CLEAR_ALARM     0x14
#define GOLDFISH_RTC_ALARM_STATUS    0x18
#define GOLDFISH_RTC_CLEAR_INTERRUPT 0x1c
#define GOLDFISH_RTC_MMIO_SIZE       0x24

/* What the virt board gives it: a 4 KiB slot (the device tree's reg size). */
#define GOLDFISH_RTC_VIRT_SLOT_SIZE 0x1000

/* 2000-01-01T00:00:00Z: the default date, so that runs without -rtc are reproducible. */
#define GOLDFISH_RTC_DEFAULT_BASE_NS (INT64_C(946684800) * NANOSECONDS_PER_SECOND)

typedef struct GoldfishRTCState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    qemu_irq irq;
    Timer *timer; /* the alarm, on CLOCK_VIRTUAL whatever the time source */
    ClockType clock_type;

    /* properties */
    int64_t base_ns;
    char *clock; /* "vm" (NULL means vm), "host" or "rt" */

    /* guest-visible state */
    uint64_t tick_offset; /* time = tick_offset + clock ns (mod 2^64) */
    uint64_t alarm_next;
    uint32_t alarm_running;
    uint32_t irq_pending;
    uint32_t irq_enabled;
    uint32_t time_high; /* latched by a TIME_LOW read */
} GoldfishRTCState;

#define GOLDFISH_RTC(obj) OBJECT_CHECK(GoldfishRTCState, (obj), TYPE_GOLDFISH_RTC)

/* The time the guest would read now, in ns since the epoch. */
uint64_t goldfish_rtc_get_time_ns(GoldfishRTCState *s);

#endif
