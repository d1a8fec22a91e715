/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plic.h - the SiFive platform-level interrupt controller of the virt
 * machine ("riscv.sifive.plic"), register-compatible with QEMU 7.2
 * (virt-machine.md §6).
 *
 * Inputs: the unnamed GPIO-in list, one line per source (0..num-sources-1).
 * Outputs: the unnamed GPIO-out list of 2 * num-harts lines, S-mode external
 * interrupts first ([0, n): hart i's S context), then M-mode ([n, 2n)),
 * whatever the order of the contexts.  The board connects them with
 * sysbus_connect_gpio_out (on virt: to SEIP and MEIP of hart i), and the
 * node's interrupts-extended follows that wiring.  Not here: which device
 * drives which source (the board), the harts' mip bits (cpu/).
 */
#ifndef TERN_HW_PLIC_H
#define TERN_HW_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/sysbus.h"

#define TYPE_PLIC "riscv.sifive.plic"

/* Register layout (§6). */
#define PLIC_PRIORITY_BASE  0x4 /* priority[N] at 4 * N, N >= 1 */
#define PLIC_PENDING_BASE   0x1000
#define PLIC_ENABLE_BASE    0x2000
#define PLIC_ENABLE_STRIDE  0x80
#define PLIC_CONTEXT_BASE   0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_CONTEXT_CLAIM  0x4 /* in a context: threshold at 0, claim/complete at 4 */
#define PLIC_SIZE           0x600000

/* The virt machine's values. */
#define PLIC_NUM_SOURCES    96
#define PLIC_NUM_PRIORITIES 7

/* Limits: they bound the state arrays (the snapshot's size). */
#define PLIC_MAX_SOURCES      1024 /* what the layout has room for */
#define PLIC_MAX_HARTS        512  /* the virt machine's limit */
#define PLIC_MAX_CONTEXTS     1024 /* (PLIC_SIZE - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE */
#define PLIC_MAX_ENABLE_WORDS 4096 /* contexts * words of enable bits */

typedef enum { PLIC_MODE_U, PLIC_MODE_S, PLIC_MODE_M } PlicMode;

/* What a context is: configuration, from hart-config. */
typedef struct PlicContext {
    uint32_t hart; /* index among the PLIC's harts (hartid - hartid-base) */
    PlicMode mode;
} PlicContext;

typedef struct PlicState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    /* properties */
    char *hart_config; /* NULL: "MS" for every hart */
    uint32_t hartid_base;
    uint32_t num_harts;
    uint32_t num_sources; /* including source 0, which is reserved */
    uint32_t num_priorities;
    /* configuration, from realize */
    uint32_t num_contexts;
    uint32_t num_words; /* 32-bit words of a source bit map */
    PlicContext *contexts;
    /* state */
    uint32_t priority[PLIC_MAX_SOURCES];
    uint32_t pending[PLIC_MAX_SOURCES / 32];
    uint32_t claimed[PLIC_MAX_SOURCES / 32];
    uint32_t threshold[PLIC_MAX_CONTEXTS];
    uint32_t enable[PLIC_MAX_ENABLE_WORDS]; /* context c: words [c * num_words, ...) */
    /* outputs */
    qemu_irq s_external[PLIC_MAX_HARTS];
    qemu_irq m_external[PLIC_MAX_HARTS];
} PlicState;

#define PLIC(obj) OBJECT_CHECK(PlicState, (obj), TYPE_PLIC)

#endif
