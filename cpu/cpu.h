/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu.h - a RISC-V hart's architectural state as a plain struct, and the
 * functions the parts of the interpreter call across files.  This is the
 * contract between cpu/'s files (docs/hart.md has the design):
 *
 *   decode.c   encoding -> RVInsn (compressed expanded), disassembly
 *   exec.c     the fetch loop and integer semantics (I M A Zba Zbb Zbs
 *              Zicsr Zifencei, system instructions)
 *   mem.c      loads, stores and fetches: TLB of host pointers, MMIO slow
 *              path, misaligned accesses
 *   fpu.c      F and D semantics (everything but loads and stores)
 *   csr.c      the CSR table, counters
 *   trap.c     exceptions, interrupts, xRET, privilege changes
 *   mmu.c      Sv39/Sv48 page walks
 *   pmp.c      physical memory protection
 *   hart.c     the object-model wrapper (RVHart) that embeds this state
 *   accel-interp.c   the accelerator: slices, virtual time, WFI, -smp
 *
 * Nothing here knows the board: what a hart needs from it (the time CSR's
 * source) comes in through hooks hw/ sets.  cpu/ includes core/ only.
 */
#ifndef TERN_CPU_H
#define TERN_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/memory.h"

/* ---- privilege levels, exception and interrupt causes (privileged spec 1.12) ---- */
#define RV_PRIV_U 0
#define RV_PRIV_S 1
#define RV_PRIV_M 3

#define RV_EXC_INSN_MISALIGNED  0
#define RV_EXC_INSN_ACCESS      1
#define RV_EXC_ILLEGAL_INSN     2
#define RV_EXC_BREAKPOINT       3
#define RV_EXC_LOAD_MISALIGNED  4
#define RV_EXC_LOAD_ACCESS      5
#define RV_EXC_STORE_MISALIGNED 6 /* also AMO */
#define RV_EXC_STORE_ACCESS     7 /* also AMO */
#define RV_EXC_ECALL_U          8
#define RV_EXC_ECALL_S          9
#define RV_EXC_ECALL_M          11
#define RV_EXC_INSN_PAGE_FAULT  12
#define RV_EXC_LOAD_PAGE_FAULT  13
#define RV_EXC_STORE_PAGE_FAULT 15 /* also AMO */
#define RV_CAUSE_INTERRUPT      (UINT64_C(1) << 63)

/* mstatus fields */
#define RV_MSTATUS_SIE  (UINT64_C(1) << 1)
#define RV_MSTATUS_MIE  (UINT64_C(1) << 3)
#define RV_MSTATUS_SPIE (UINT64_C(1) << 5)
#define RV_MSTATUS_UBE  (UINT64_C(1) << 6)
#define RV_MSTATUS_MPIE (UINT64_C(1) << 7)
#define RV_MSTATUS_SPP  (UINT64_C(1) << 8)
#define RV_MSTATUS_MPP  (UINT64_C(3) << 11)
#define RV_MSTATUS_FS   (UINT64_C(3) << 13)
#define RV_MSTATUS_XS   (UINT64_C(3) << 15)
#define RV_MSTATUS_MPRV (UINT64_C(1) << 17)
#define RV_MSTATUS_SUM  (UINT64_C(1) << 18)
#define RV_MSTATUS_MXR  (UINT64_C(1) << 19)
#define RV_MSTATUS_TVM  (UINT64_C(1) << 20)
#define RV_MSTATUS_TW   (UINT64_C(1) << 21)
#define RV_MSTATUS_TSR  (UINT64_C(1) << 22)
#define RV_MSTATUS_UXL  (UINT64_C(3) << 32)
#define RV_MSTATUS_SXL  (UINT64_C(3) << 34)
#define RV_MSTATUS_SBE  (UINT64_C(1) << 36)
#define RV_MSTATUS_MBE  (UINT64_C(1) << 37)
#define RV_MSTATUS_SD   (UINT64_C(1) << 63)
#define RV_FS_OFF       0
#define RV_FS_INITIAL   1
#define RV_FS_CLEAN     2
#define RV_FS_DIRTY     3

#define RV_PMP_ENTRIES 16

/* What an access is for: selects permissions, fault causes and the TLB. */
typedef enum { RV_ACCESS_LOAD, RV_ACCESS_STORE, RV_ACCESS_FETCH } RVAccess;

/*
 * The TLB: per access kind, RV_TLB_SIZE direct-mapped entries from a
 * virtual page to a host pointer (RAM and ROM pages; a store entry only for
 * RAM).  tag is the virtual page number + 1 (0: empty).  An access whose
 * page is not in it (MMIO, a page PMP does not allow whole, a code page for
 * stores) takes the slow path through rv_mmu_translate, rv_pmp_check and the
 * address space.  Flushed by sfence.vma, satp, mstatus and privilege
 * changes, PMP writes, snapshot restore and memory topology changes.
 */
#define RV_TLB_BITS 8
#define RV_TLB_SIZE (1u << RV_TLB_BITS)
struct RVDecodedPage;
/* A store entry's tag bit for a page holding decoded code (see mem.c). */
#define RV_TLB_CODE (UINT64_C(1) << 63)
typedef struct RVTLBEntry {
    uint64_t tag;
    uintptr_t addend; /* host address = vaddr + addend */
    uint64_t paddr_page;
    struct RVDecodedPage *code; /* fetch and code-page store entries: the decoded page */
} RVTLBEntry;

typedef struct CPURVState {
    /* ---- architectural state (saved in snapshots) ---- */
    /*
     * x[0] reads 0 and is never written: the fetch loop sends writes to x0
     * into x[32], a sink no instruction reads.
     */
    uint64_t x[33];
    uint64_t f[32]; /* NaN-boxed singles */
    uint64_t pc;
    uint8_t priv;
    uint8_t frm;    /* fcsr.frm */
    uint8_t fflags; /* fcsr.fflags */
    bool wfi;       /* waiting in WFI */

    uint64_t mhartid;
    uint64_t misa;
    uint64_t mstatus;
    uint64_t medeleg, mideleg;
    uint64_t mie;
    uint64_t mtvec, stvec;
    uint64_t mscratch, sscratch;
    uint64_t mepc, sepc;
    uint64_t mcause, scause;
    uint64_t mtval, stval;
    uint64_t satp;
    uint32_t mcounteren, scounteren, mcountinhibit;
    uint64_t menvcfg, senvcfg;
    uint64_t mhpmevent[29]; /* mhpmevent3..31 (counters are 0: no events counted) */
    uint8_t pmpcfg[RV_PMP_ENTRIES];
    uint64_t pmpaddr[RV_PMP_ENTRIES];

    /*
     * mip from its two writers (hart.h): lines[] are the devices' input
     * levels, mip_sw the bits software last wrote; mip what a read gives.
     */
    uint64_t lines[2];
    uint64_t mip_sw;
    uint64_t mip;

    /* LR/SC reservation: valid and the physical address reserved */
    bool res_valid;
    uint64_t res_addr;

    /*
     * Counters.  insns counts every instruction the hart executed, whether it
     * retired or trapped: virtual time follows it.  traps counts synchronous
     * exceptions (instructions that did not retire).  minstret reads
     * insns - traps - minstret_off, mcycle insns - mcycle_off (one cycle an
     * instruction); csr.c keeps the offsets (and mcountinhibit's freeze).
     */
    uint64_t insns;
    uint64_t traps;
    uint64_t minstret_off, mcycle_off;

    /* ---- not architectural (rebuilt, never saved) ---- */
    AddressSpace *as;
    /* The time CSR: the board's timer value (NULL: reading time is illegal). */
    uint64_t (*rdtime)(void *opaque);
    void *rdtime_opaque;
    /*
     * Set by anything that must end the current block after this
     * instruction: an MMIO access (a device may have raised an interrupt or
     * armed a timer), a CSR write, xRET, a trap, WFI, fence.i.
     */
    bool exit_block;
    RVTLBEntry tlb[3][RV_TLB_SIZE]; /* [RVAccess] */
    unsigned tlb_epoch;             /* memory_cache_epoch() the TLB was filled under */
    int64_t slice_t0;               /* virtual time and insns when rv_cpu_exec began */
    uint64_t slice_n0;
} CPURVState;

/* ---- hart.c ---- */
void rv_env_update_mip(CPURVState *env);
uint64_t rv_env_read_mip(const CPURVState *env);
uint64_t rv_env_read_mip_rmw(const CPURVState *env); /* SEIP: software's bit alone */
void rv_env_write_mip(CPURVState *env, uint64_t value, uint64_t mask);

/* ---- trap.c ---- */
/*
 * Takes exception cause with tval at env->pc (the faulting instruction):
 * picks M or S by medeleg, writes xepc/xcause/xtval/xstatus, changes
 * privilege, sets pc to the vector, counts env->traps, sets exit_block.
 */
void rv_raise_exception(CPURVState *env, uint64_t cause, uint64_t tval);
/* The interrupt (cause number) that would be taken now, or -1 (priorities, delegation, enables). */
int rv_pending_interrupt(const CPURVState *env);
/* Takes the pending interrupt if any at env->pc (the next instruction); true if one was taken. */
bool rv_take_interrupt(CPURVState *env);
/* mret / sret: false when illegal at this privilege (or TSR), leaving state alone. */
bool rv_mret(CPURVState *env);
bool rv_sret(CPURVState *env);
/* Whether WFI may execute now (false: illegal instruction, TW or U-mode). */
bool rv_wfi_allowed(const CPURVState *env);
/* Whether an enabled interrupt is pending (mip & mie != 0): what ends WFI. */
bool rv_wfi_wakeup(const CPURVState *env);
/* Privilege change with the TLB flush it needs (trap entry/return use it). */
void rv_set_priv(CPURVState *env, unsigned priv);

/* ---- csr.c ---- */
/*
 * One CSR instruction's access to csrno at env->priv: *old gets the value
 * read (always read, even when the instruction does not use it); when write,
 * the CSR becomes (old & ~mask) | (value & mask) under its WARL rules.
 * CSRRW: mask ~0; CSRRS: value = mask = rs1; CSRRC: value 0, mask rs1.
 * write is false for CSRRS/CSRRC with rs1 = x0 (and the I forms with uimm 0).
 * Returns false when the access is illegal (no such CSR, privilege,
 * read-only written, counter not enabled, TVM, FS off): the caller raises an
 * illegal instruction.  A write sets env->exit_block.
 */
bool rv_csr_rmw(CPURVState *env, unsigned csrno, uint64_t *old, uint64_t value, uint64_t mask,
                bool write);
/*
 * The same access made between instructions (the qtest csr command): no
 * instruction retires after it, so a counter written reads back what was
 * written at once.
 */
bool rv_csr_debug_rmw(CPURVState *env, unsigned csrno, uint64_t *old, uint64_t value, uint64_t mask,
                      bool write);
/* CSR name for logs and the qtest csr command ("mstatus"), or NULL. */
const char *rv_csr_name(unsigned csrno);
/* By name or number (qtest, -d cpu): -1 if unknown. */
int rv_csr_lookup(const char *name);
/* Reset values of every CSR (M-mode, misa, mstatus.SXL/UXL = 64 bits...). */
void rv_csr_reset(CPURVState *env);

/* ---- mmu.c ---- */
/*
 * Translates vaddr for acc at the effective privilege (loads and stores:
 * MPRV selects MPP; fetches: env->priv).  Bare or M: paddr = vaddr.  Sv39/Sv48
 * per satp, A/D updated in memory (PMP-checked, as the walk's own reads),
 * MXR, SUM, canonical address checks.  true with *paddr; false with *cause
 * (page fault, or access fault when a PTE access fails PMP or is not
 * memory).  Does not check PMP on the final address.
 */
bool rv_mmu_translate(CPURVState *env, uint64_t vaddr, RVAccess acc, uint64_t *paddr,
                      uint64_t *cause);
/* The privilege loads and stores are made at (MPRV). */
unsigned rv_mmu_effective_priv(const CPURVState *env, RVAccess acc);

/* ---- pmp.c ---- */
/* Whether an access of size bytes at paddr is allowed for acc at priv (spec's matching rules). */
bool rv_pmp_check(const CPURVState *env, uint64_t paddr, unsigned size, RVAccess acc,
                  unsigned priv);
/* Whether every byte of the 4 KiB page at page_paddr gets the same decision as its first (the TLB
 * may cache it). */
bool rv_pmp_page_uniform(const CPURVState *env, uint64_t page_paddr, unsigned priv);
/* pmpcfg/pmpaddr writes with locking and WARL (called by csr.c); flush the TLB. */
void rv_pmp_write_cfg(CPURVState *env, unsigned index, uint8_t value);
void rv_pmp_write_addr(CPURVState *env, unsigned index, uint64_t value);
uint64_t rv_pmp_read_addr(const CPURVState *env, unsigned index);

/* ---- mem.c ---- */
/*
 * Guest accesses by instructions: translate, PMP, then RAM through the TLB
 * or the address space (MMIO: syncs the virtual clock first, sets
 * exit_block).  Misaligned loads and stores are done as the bytes they
 * cover (never a trap); each page of a page-crossing access is checked
 * first, so a fault leaves memory untouched.  On a fault the exception is
 * raised (rv_raise_exception) and false returned.
 */
bool rv_load(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t *value);
bool rv_store(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t value);
/*
 * An AMO/LR/SC's physical address for a read-modify-write of size at vaddr:
 * misaligned raises store/AMO address misaligned (load address misaligned
 * for LR); translation and PMP as a store (LR: as a load; an AMO, which
 * reads too, needs PMP's R as well); raises and returns false on a fault.
 */
bool rv_amo_translate(CPURVState *env, uint64_t vaddr, unsigned size, bool is_load, bool sc,
                      uint64_t *paddr);
/*
 * One access to physical memory (RAM/ROM by copy, MMIO as one access of that
 * size after a clock sync): no translation, no PMP (the caller checked).
 * false on a bus error (nothing there, device refused), raising nothing.
 */
bool rv_phys_load(CPURVState *env, uint64_t paddr, unsigned size, uint64_t *value);
bool rv_phys_store(CPURVState *env, uint64_t paddr, unsigned size, uint64_t value);
/* Empties the TLB (every access kind). */
void rv_tlb_flush(CPURVState *env);
/* Drops every decoded instruction (fence.i, reset, new guest code written by the host). */
void rv_code_flush_all(void);

/* ---- exec.c ---- */
/*
 * Runs env for at most budget instructions; returns early after an
 * instruction that sets exit_block (MMIO, CSR write, trap, xRET, WFI...) so
 * the caller can re-check timers.  Takes a pending interrupt first.  Returns
 * the number of instructions executed (env->insns moved by as much).
 */
uint64_t rv_cpu_exec(CPURVState *env, uint64_t budget);
/*
 * Virtual time: every executed instruction is 2^rv_icount_shift ns.  While
 * rv_cpu_exec runs, the clock stands at its start; rv_clock_sync moves it to
 * the current instruction (before MMIO, time reads, and at the end).
 */
extern unsigned rv_icount_shift;
/* The default shift (docs/hart.md, "Virtual time"): 2^3 = 8 ns an instruction. */
#define RV_ICOUNT_SHIFT_DEFAULT 3
void rv_clock_sync(CPURVState *env);

/* ---- fpu.c ---- */
struct RVInsn;
/*
 * Executes an F/D instruction other than a load or store: false when it is
 * illegal (mstatus.FS off, a reserved rounding mode): the caller raises.
 * Sets fflags, marks FS dirty, NaN-boxes single results.
 */
bool rv_fpu_exec(CPURVState *env, const struct RVInsn *insn);

#endif
