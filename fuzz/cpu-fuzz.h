/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu-fuzz.h - what the cpu fuzz target (fuzz/cpu-fuzz.c) lets tests see:
 * the guest memory layout it prepares, its step budget, and the hart's state
 * as each input found it and left it.  The input format is
 * docs/fuzzing.md's "cpu".
 */
#ifndef TERN_FUZZ_CPU_FUZZ_H
#define TERN_FUZZ_CPU_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* Guest-physical layout (-m 128M). */
#define CPU_FUZZ_RAM       UINT64_C(0x80000000) /* virt's RAM base */
#define CPU_FUZZ_M_HANDLER UINT64_C(0x80000000) /* mtvec */
#define CPU_FUZZ_S_HANDLER UINT64_C(0x80000400) /* stvec */
#define CPU_FUZZ_CODE      UINT64_C(0x80001000) /* the input's instructions */
#define CPU_FUZZ_CODE_MAX  0x10000              /* at most this many code bytes are copied */
#define CPU_FUZZ_SAVE_M    UINT64_C(0x80020000) /* mscratch: the M handler's save area */
#define CPU_FUZZ_SAVE_S    UINT64_C(0x80020100) /* sscratch: the S handler's */
#define CPU_FUZZ_PT_SV39   UINT64_C(0x80030000) /* Sv39 root (also Sv48's level 2) */
#define CPU_FUZZ_PT_SV48   UINT64_C(0x80031000)
#define CPU_FUZZ_PT_L1     UINT64_C(0x80032000) /* the 4 KiB-page region's tables */
#define CPU_FUZZ_PT_L0     UINT64_C(0x80033000)
#define CPU_FUZZ_DATA      UINT64_C(0x80100000) /* the data window (gp, s0; sp at its top) */
#define CPU_FUZZ_DATA_SIZE 0x10000
#define CPU_FUZZ_FRAMES    UINT64_C(0x80400000) /* frames of the 4 KiB-page region */

/* Virtual addresses under Sv39/Sv48 (RAM and MMIO below 2 GiB are also mapped one to one). */
#define CPU_FUZZ_VA_U_RAM  UINT64_C(0xc0000000)         /* RAM again, user pages */
#define CPU_FUZZ_VA_U_MMIO UINT64_C(0x100000000)        /* [0, 1 GiB) again, user pages */
#define CPU_FUZZ_VA_PAGES  UINT64_C(0x140000000)        /* 4 KiB pages of assorted permissions */
#define CPU_FUZZ_VA_HIGH   UINT64_C(0xffffffc000000000) /* RAM in the upper half */

/* Instructions an input may run (the trap handlers' included). */
#define CPU_FUZZ_STEPS 10000

/* The first header byte (docs/fuzzing.md). */
#define CPU_FUZZ_PRIV_U     0x00
#define CPU_FUZZ_PRIV_S     0x01
#define CPU_FUZZ_PRIV_M     0x02
#define CPU_FUZZ_BARE       (0 << 2)
#define CPU_FUZZ_SV39       (1 << 2)
#define CPU_FUZZ_SV48       (2 << 2)
#define CPU_FUZZ_DELEGATE   0x10
#define CPU_FUZZ_FP_OFF     0x20
#define CPU_FUZZ_SUM_MXR    0x40
#define CPU_FUZZ_INTERRUPTS 0x80

/* Why an input's run ended. */
typedef enum {
    CPU_FUZZ_END_BUDGET,  /* CPU_FUZZ_STEPS instructions ran */
    CPU_FUZZ_END_WFI,     /* the hart waits for an interrupt (a fetch fault ends this way) */
    CPU_FUZZ_END_REQUEST, /* the guest asked for a shutdown or reset (sifive-test) */
    CPU_FUZZ_END_STALLED, /* rv_cpu_exec made no progress several times in a row */
    CPU_FUZZ_END__MAX,
} CpuFuzzEnd;

typedef struct CpuFuzzStats {
    uint64_t inputs; /* fuzz() calls */
    uint64_t insns;  /* instructions over every input */
    uint64_t ends[CPU_FUZZ_END__MAX];
    /* The last input: the architectural part of the hart (fields before CPURVState.as). */
    CpuFuzzEnd last_end;
    uint64_t last_insns; /* instructions it ran (env->insns moved by as much) */
    CPURVState entry;    /* as the input found it (the snapshot's) */
    CPURVState start;    /* as it began the input's first instruction */
    CPURVState final;    /* as the input left it */
    uint8_t data[256];   /* the data window's first bytes as the input left them */
} CpuFuzzStats;

/* The architectural part of a CPURVState: what the snapshot saves and the tests compare. */
#define CPU_FUZZ_ARCH_SIZE offsetof(CPURVState, as)

const CpuFuzzStats *cpu_fuzz_stats(void);
void cpu_fuzz_stats_clear(void);

#endif
