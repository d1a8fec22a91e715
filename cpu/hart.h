/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hart.h - a RISC-V hart as a device: its interrupt input lines, the
 * pending bits they drive, its hart id and reset PC; and the hart array
 * that a board creates per socket (/machine/soc0/harts[i], as on QEMU).
 *
 * The interpreter that runs a hart is the hart issue's; this is the part the
 * board and the interrupt controllers connect to.  Input line n is mip bit n
 * (RV_IRQ_*), 79 lines as QEMU 7.2 exposes.
 *
 * mip has two writers, kept apart (privileged spec, mip):
 *  - devices, through the input lines: a line changes only its own bit.
 *    MSIP, MTIP, MEIP (and every bit software cannot write) are the
 *    devices' alone and follow their line's level (RV_MIP_DEVICE_OWNED).
 *    SEIP reads as the PLIC's line OR the bit software wrote.  A line on a
 *    bit software may also write (SSIP from an ACLINT SSWI, STIP, LCOFIP)
 *    sets or clears that bit, which software may then clear or set again.
 *  - software, through rv_hart_write_mip (what csrw/csrs/csrc on mip do):
 *    only RV_MIP_WRITABLE bits change, and only those in the mask.
 */
#ifndef TERN_HART_H
#define TERN_HART_H

#include <stdint.h>

#include "core/qdev.h"
#include "cpu/cpu.h"

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

#define RV_MIP_BIT(irq) (UINT64_C(1) << (irq))
/* Bits M-mode software may write in mip (no Sstc: STIP is writable). */
#define RV_MIP_WRITABLE                                                                            \
    (RV_MIP_BIT(RV_IRQ_SSIP) | RV_MIP_BIT(RV_IRQ_STIP) | RV_MIP_BIT(RV_IRQ_SEIP) |                 \
     RV_MIP_BIT(RV_IRQ_LCOFIP))
/* Bits whose value is a line's level, whatever software does (SEIP: ORed with software's bit). */
#define RV_MIP_DEVICE_OWNED (~RV_MIP_WRITABLE | RV_MIP_BIT(RV_IRQ_SEIP))

typedef struct RVHart {
    DeviceState parent_obj;
    /* configuration */
    uint32_t hartid;
    uint64_t resetvec;
    /* the architectural state (cpu.h), with the IRQ lines' levels and mip */
    CPURVState env;
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

/*
 * The harts realized and not yet finalized, in hart-id order (ties: creation
 * order); what the accelerator runs.  *n gets the count.
 */
RVHart *const *rv_hart_list(unsigned *n);
/* The time CSR's source: the board's timer (hw/ sets it; NULL makes time illegal). */
void rv_hart_set_rdtime(RVHart *hart, uint64_t (*read)(void *opaque), void *opaque);

/* The interrupt input for mip bit irq of hart. */
qemu_irq rv_hart_irq_in(RVHart *hart, int irq);

/* mip as csrr reads it. */
uint64_t rv_hart_read_mip(const RVHart *hart);
/*
 * mip as the read half of csrrs/csrrc sees it: SEIP is software's bit alone
 * (the PLIC's line does not leak into what the instruction writes back).
 */
uint64_t rv_hart_read_mip_rmw(const RVHart *hart);
/* A software write: bits in mask & RV_MIP_WRITABLE take value's bits; the rest stay. */
void rv_hart_write_mip(RVHart *hart, uint64_t value, uint64_t mask);

#endif
