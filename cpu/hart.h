/*
 * hart.h - a RISC-V hart as a device: its interrupt input lines, the
 * pending bits they drive, its hart id and reset PC; and the hart array
 * that a board creates per socket (/machine/soc0/harts[i], as on QEMU).
 *
 * The interpreter that runs a hart is the hart issue's; this is the part the
 * board and the interrupt controllers connect to.  Input line n is mip bit n
 * (RV_IRQ_*), 79 lines as QEMU 7.2 exposes.
 */
#ifndef TERN_HART_H
#define TERN_HART_H

#include <stdint.h>

#include "core/qdev.h"

#define TYPE_RISCV_CPU        "riscv-cpu"
#define TYPE_RISCV_CPU_RV64   "rv64-riscv-cpu"
#define TYPE_RISCV_HART_ARRAY "riscv.hart_array"

#define RV_IRQ_SSIP      1
#define RV_IRQ_MSIP      3
#define RV_IRQ_STIP      5
#define RV_IRQ_MTIP      7
#define RV_IRQ_SEIP      9
#define RV_IRQ_MEIP      11
#define RV_IRQ_LCOFIP    13
#define RV_NUM_IRQ_LINES 79

#define RV_PRIV_U 0
#define RV_PRIV_S 1
#define RV_PRIV_M 3

typedef struct RVHart {
    DeviceState parent_obj;
    /* configuration */
    uint32_t hartid;
    uint64_t resetvec;
    /* interrupt inputs: level of each line (bit n of lines[n / 64]) */
    uint64_t lines[2];
    /* architectural state the board and firmware hand-off need */
    uint64_t pc;
    uint64_t x[32];
    uint8_t priv;
    uint64_t mip; /* pending bits driven by the lines (0..63) */
} RVHart;

#define RV_HART(obj) OBJECT_CHECK(RVHart, (obj), TYPE_RISCV_CPU)

typedef struct RVHartArray {
    DeviceState parent_obj;
    uint32_t num_harts;
    uint32_t hartid_base;
    char *cpu_type;
    uint64_t resetvec;
    RVHart **harts;
} RVHartArray;

#define RV_HART_ARRAY(obj) OBJECT_CHECK(RVHartArray, (obj), TYPE_RISCV_HART_ARRAY)

/* The interrupt input for mip bit irq of hart. */
qemu_irq rv_hart_irq_in(RVHart *hart, int irq);

#endif
