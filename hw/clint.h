/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clint.h - the core-local interruptor of the virt machine, as QEMU models
 * it: two ACLINT devices, "riscv.aclint.swi" (software interrupts: MSIP, or
 * SSIP when sswi=1) and "riscv.aclint.mtimer" (mtime and one mtimecmp per
 * hart, driving MTIP).  Together at 0x2000000 they form the SiFive CLINT.
 *
 * Outputs are the unnamed GPIO list, one line per hart (index = hart -
 * hartid-base); the board connects line h with sysbus_connect_gpio_out (on
 * virt: to the MSIP (or SSIP) / MTIP input of hart h), and the device-tree
 * nodes list the lines as wired.  Not here: the hart's mip register (cpu/).
 */
#ifndef TERN_HW_CLINT_H
#define TERN_HW_CLINT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/timer.h"
#include "hw/sysbus.h"

#define TYPE_CLINT_SWI    "riscv.aclint.swi"
#define TYPE_CLINT_MTIMER "riscv.aclint.mtimer"

/* Layout (virt-machine.md §2, §5). */
#define CLINT_SIZE          0x10000 /* the SiFive CLINT: MSWI then MTIMER */
#define CLINT_SWI_SIZE      0x4000
#define CLINT_MTIMER_OFFSET 0x4000 /* of the MTIMER within the CLINT */
#define CLINT_MTIMER_SIZE   0x8000
#define CLINT_MTIMECMP_BASE 0x0 /* + 8 * hart, in the MTIMER region */
#define CLINT_MTIME_OFFSET  0x7ff8
#define CLINT_TIMEBASE_FREQ 10000000
/* The virt machine's limit; it bounds the per-hart state arrays. */
#define CLINT_MAX_HARTS 512

typedef struct ClintMtimerState ClintMtimerState;

typedef struct ClintSwiState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    /* properties */
    uint32_t hartid_base;
    uint32_t num_harts;
    uint32_t sswi; /* nonzero: supervisor software interrupts (aclint=on only) */
    bool aclint;   /* device tree: separate ACLINT nodes instead of one CLINT node */
    /* link "mtimer": the MTIMER whose lines the CLINT node lists with ours (aclint=off) */
    ClintMtimerState *mtimer;
    /* state */
    uint8_t msip[CLINT_MAX_HARTS]; /* MSWI: bit 0 of msip[h] (SSWI keeps none) */
    qemu_irq irqs[CLINT_MAX_HARTS];
} ClintSwiState;

/* What a hart's timer callback needs to find its hart. */
typedef struct ClintMtimerHart {
    ClintMtimerState *mtimer;
    uint32_t index;
    Timer *timer;
} ClintMtimerHart;

struct ClintMtimerState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    /* properties */
    uint32_t hartid_base;
    uint32_t num_harts;
    uint32_t timebase_freq;
    bool aclint;
    /* state */
    uint64_t time_delta; /* mtime = ticks of the virtual clock + time_delta */
    uint64_t timecmp[CLINT_MAX_HARTS];
    int64_t deadline_ns[CLINT_MAX_HARTS]; /* when the hart's timer fires; -1: not armed */
    uint8_t mtip[CLINT_MAX_HARTS];        /* level last driven on out[h] */
    qemu_irq irqs[CLINT_MAX_HARTS];
    /*
     * num_harts entries, from realize (timer NULL before).  Inside the
     * instance, so a snapshot digest can name each hart's timer by its place.
     */
    ClintMtimerHart harts[CLINT_MAX_HARTS];
    bool timers_made;
};

#define CLINT_SWI(obj)    OBJECT_CHECK(ClintSwiState, (obj), TYPE_CLINT_SWI)
#define CLINT_MTIMER(obj) OBJECT_CHECK(ClintMtimerState, (obj), TYPE_CLINT_MTIMER)

/* mtime as the guest reads it now. */
uint64_t clint_mtimer_read_mtime(ClintMtimerState *s);

#endif
