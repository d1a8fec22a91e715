/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * csr.c - the hart's control and status registers: one table of
 * {number, name, predicate, read, write}, the access rules every CSR
 * instruction goes through (rv_csr_rmw), the counters, names for logs and
 * the qtest csr command, and reset values.  Privileged spec 1.12, RV64,
 * M + S + U, F and D; no H, Sstc, Smstateen, Sscofpmf, Zicbo*, Svpbmt.
 *
 * Access rules: bits 9:8 of the number are the lowest privilege allowed,
 * bits 11:10 == 3 mark a read-only CSR (writing one is illegal), a number
 * not in the table is illegal, then the CSR's own predicate (FS off, TVM,
 * counter enables).  Every write ends the block (exit_block).
 *
 * WARL and identity choices (QEMU 7.2's rv64 virt hart as the reference,
 * the spec where QEMU strays from it):
 *  - mvendorid 0; marchid and mimpid 0x70216, the values Debian's QEMU
 *    7.2.22 reports, so guests identify the hart as they do there.
 *  - misa: RV64 IMAFDCSU, writes ignored (misa is WARL; nothing is
 *    switchable).  QEMU 7.2 also reports H, which Tern does not implement.
 *  - mstatus: SIE MIE SPIE MPIE SPP MPP FS MPRV SUM MXR TVM TW TSR
 *    writable; SXL = UXL = 2 (64 bits); XS, VS, UBE, SBE, MBE read 0; SD
 *    reads FS == Dirty.  MPP = 2 (reserved) keeps the previous MPP.
 *  - medeleg: every exception of this hart but ecall from M (bit 11 reads 0,
 *    as the spec requires; QEMU 7.2 lets it be set).
 *  - mideleg: SSIP, STIP, SEIP, LCOFIP.  mie: the M and S bits and LCOFIE.
 *  - mip: software writes SSIP, STIP, SEIP, LCOFIP (hart.c keeps the device
 *    lines apart); csrrs/csrrc compute the new value from software's SEIP
 *    (rv_env_read_mip_rmw) while rd gets mip as a read sees it.
 *  - sie/sip: mie/mip through mideleg; sip lets S write SSIP and LCOFIP.
 *  - mtvec/stvec: modes 0 and 1; a write with mode 2 or 3 is ignored whole
 *    (QEMU 7.2).
 *  - mepc/sepc: bit 0 reads 0 (the spec; QEMU 7.2 keeps it).
 *  - mcounteren/scounteren: 32 bits, all writable.  mcountinhibit: CY, IR
 *    and HPM3..31; bit 1 reads 0.
 *  - menvcfg/senvcfg: FIOM only (no Zicbo*, Svpbmt, Sstc here).
 *  - mhpmcounter3..31 read 0 and ignore writes (no events are counted; the
 *    state has no room for them), mhpmevent3..31 hold what is written.
 *    OpenSBI therefore reports no MHPM counters (QEMU 7.2: 16).
 *  - pmpcfg0/pmpcfg2 (pmpcfg1/3 do not exist on RV64), pmpaddr0..15: pmp.c.
 *  - satp: modes Bare, Sv39, Sv48; a write of another mode leaves satp
 *    unchanged.  16 ASID bits, 44 PPN bits.  TVM makes satp illegal in S.
 *  - mconfigptr 0; no mseccfg, no debug triggers (tselect is illegal).
 *
 * Counters: one cycle per instruction.  env->insns counts executed
 * instructions, env->traps the ones that trapped; exec.c adds one to insns
 * after each instruction, so a write of V to mcycle/minstret sets the offset
 * such that the next instruction reads V.  While mcountinhibit stops a
 * counter, its offset field holds the frozen value itself.
 */
#include "cpu/cpu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RV_MARCHID UINT64_C(0x70216)
#define RV_MIMPID  UINT64_C(0x70216)
#define RV_MISA    ((UINT64_C(2) << 62) | 0x14112d) /* RV64 ACDFIMSU */

#define MIP_SSIP   (UINT64_C(1) << 1)
#define MIP_MSIP   (UINT64_C(1) << 3)
#define MIP_STIP   (UINT64_C(1) << 5)
#define MIP_MTIP   (UINT64_C(1) << 7)
#define MIP_SEIP   (UINT64_C(1) << 9)
#define MIP_MEIP   (UINT64_C(1) << 11)
#define MIP_LCOFIP (UINT64_C(1) << 13)

#define S_INTS       (MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_LCOFIP)
#define MIE_MASK     (S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define MIDELEG_MASK S_INTS
#define SIP_WMASK    (MIP_SSIP | MIP_LCOFIP)
/* Exceptions 0-9, 12, 13, 15: all this hart raises but ecall from M. */
#define MEDELEG_MASK UINT64_C(0xb3ff)

#define MSTATUS_WMASK                                                                              \
    (RV_MSTATUS_SIE | RV_MSTATUS_MIE | RV_MSTATUS_SPIE | RV_MSTATUS_MPIE | RV_MSTATUS_SPP |        \
     RV_MSTATUS_MPP | RV_MSTATUS_FS | RV_MSTATUS_MPRV | RV_MSTATUS_SUM | RV_MSTATUS_MXR |          \
     RV_MSTATUS_TVM | RV_MSTATUS_TW | RV_MSTATUS_TSR)
#define MSTATUS_FIXED ((UINT64_C(2) << 34) | (UINT64_C(2) << 32)) /* SXL = UXL = 64 bits */
#define SSTATUS_RMASK                                                                              \
    (RV_MSTATUS_SIE | RV_MSTATUS_SPIE | RV_MSTATUS_UBE | RV_MSTATUS_SPP | RV_MSTATUS_FS |          \
     RV_MSTATUS_XS | RV_MSTATUS_SUM | RV_MSTATUS_MXR | RV_MSTATUS_UXL | RV_MSTATUS_SD)
#define SSTATUS_WMASK                                                                              \
    (RV_MSTATUS_SIE | RV_MSTATUS_SPIE | RV_MSTATUS_SPP | RV_MSTATUS_FS | RV_MSTATUS_SUM |          \
     RV_MSTATUS_MXR)

#define ENVCFG_FIOM UINT64_C(1)

#define SATP_MODE_SHIFT 60
#define SATP_BARE       0
#define SATP_SV39       8
#define SATP_SV48       9

#define CSR_MCYCLE       0xb00
#define CSR_MINSTRET     0xb02
#define CSR_CYCLE        0xc00
#define CSR_TIME         0xc01
#define CSR_INSTRET      0xc02
#define CSR_MHPMCOUNTER3 0xb03
#define CSR_HPMCOUNTER3  0xc03
#define CSR_MHPMEVENT3   0x323
#define CSR_PMPCFG0      0x3a0
#define CSR_PMPADDR0     0x3b0
#define CSR_MIP          0x344
#define CSR_SIP          0x144
#define CSR_MSTATUS      0x300

#define COUNT_CY 0
#define COUNT_IR 2

typedef struct RVCsr {
    uint16_t num;
    uint16_t count; /* numbers num .. num + count - 1 (the name gets the index appended) */
    uint16_t first; /* the index of num: 3 for mhpmcounter3.. */
    const char *name;
    /* Extra conditions beyond privilege and read-only: false makes the access illegal. */
    bool (*pred)(const CPURVState *env, unsigned csrno);
    uint64_t (*read)(CPURVState *env, unsigned csrno);
    /* The value read-modify-write starts from, when it differs from read (mip, sip). */
    uint64_t (*read_rmw)(CPURVState *env, unsigned csrno);
    void (*write)(CPURVState *env, unsigned csrno, uint64_t value); /* NULL: writes ignored */
} RVCsr;

/* ---- predicates ------------------------------------------------------------------------- */

static bool pred_fs(const CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return (env->mstatus & RV_MSTATUS_FS) != 0;
}

static bool pred_satp(const CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return !(env->priv == RV_PRIV_S && (env->mstatus & RV_MSTATUS_TVM));
}

/* cycle, time, instret, hpmcounterN below M: mcounteren (S and U), then scounteren (U). */
static bool pred_counter(const CPURVState *env, unsigned csrno)
{
    uint32_t bit = UINT32_C(1) << (csrno - CSR_CYCLE);

    if (env->priv < RV_PRIV_M && !(env->mcounteren & bit)) {
        return false;
    }
    if (env->priv < RV_PRIV_S && !(env->scounteren & bit)) {
        return false;
    }
    return true;
}

static bool pred_time(const CPURVState *env, unsigned csrno)
{
    return env->rdtime && pred_counter(env, csrno);
}

/* ---- plain fields ----------------------------------------------------------------------- */

static uint64_t *csr_field(CPURVState *env, unsigned csrno)
{
    switch (csrno) {
    case 0xf14:
        return &env->mhartid;
    case 0x301:
        return &env->misa;
    case 0x340:
        return &env->mscratch;
    case 0x342:
        return &env->mcause;
    case 0x343:
        return &env->mtval;
    case 0x140:
        return &env->sscratch;
    case 0x142:
        return &env->scause;
    case 0x143:
        return &env->stval;
    case 0x180:
        return &env->satp;
    default:
        return NULL;
    }
}

static uint64_t read_field(CPURVState *env, unsigned csrno)
{
    return *csr_field(env, csrno);
}

static void write_field(CPURVState *env, unsigned csrno, uint64_t value)
{
    *csr_field(env, csrno) = value;
}

static uint64_t read_zero(CPURVState *env, unsigned csrno)
{
    (void)env, (void)csrno;
    return 0;
}

static uint64_t read_const(CPURVState *env, unsigned csrno)
{
    (void)env;
    return csrno == 0xf12 ? RV_MARCHID : csrno == 0xf13 ? RV_MIMPID : 0;
}

/* ---- mstatus, sstatus ------------------------------------------------------------------- */

static uint64_t mstatus_value(const CPURVState *env)
{
    uint64_t v = env->mstatus & ~RV_MSTATUS_SD;

    if ((v & RV_MSTATUS_FS) == RV_MSTATUS_FS) {
        v |= RV_MSTATUS_SD;
    }
    return v;
}

static void mstatus_store(CPURVState *env, uint64_t value)
{
    uint64_t old = env->mstatus;
    uint64_t v = (value & MSTATUS_WMASK) | MSTATUS_FIXED;
    uint64_t changed;

    if (((v & RV_MSTATUS_MPP) >> 11) == 2) {
        v = (v & ~RV_MSTATUS_MPP) | (old & RV_MSTATUS_MPP); /* reserved: keep the old MPP */
    }
    if ((v & RV_MSTATUS_FS) == RV_MSTATUS_FS) {
        v |= RV_MSTATUS_SD;
    }
    env->mstatus = v;
    changed = old ^ v;
    if ((changed & (RV_MSTATUS_MPRV | RV_MSTATUS_SUM | RV_MSTATUS_MXR)) ||
        ((changed & RV_MSTATUS_MPP) && (v & RV_MSTATUS_MPRV))) {
        rv_tlb_flush(env);
    }
}

static uint64_t read_mstatus(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return mstatus_value(env);
}

static void write_mstatus(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    mstatus_store(env, value);
}

static uint64_t read_sstatus(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return mstatus_value(env) & SSTATUS_RMASK;
}

static void write_sstatus(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    mstatus_store(env, (env->mstatus & ~SSTATUS_WMASK) | (value & SSTATUS_WMASK));
}

/* ---- trap setup and handling ------------------------------------------------------------ */

static uint64_t read_misa(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return env->misa;
}

static uint64_t read_medeleg(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return env->medeleg;
}

static void write_medeleg(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    env->medeleg = value & MEDELEG_MASK;
}

static uint64_t read_mideleg(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return env->mideleg;
}

static void write_mideleg(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    env->mideleg = value & MIDELEG_MASK;
}

static uint64_t read_mie(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return env->mie;
}

static void write_mie(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    env->mie = value & MIE_MASK;
}

static uint64_t read_sie(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return env->mie & env->mideleg & S_INTS;
}

static void write_sie(CPURVState *env, unsigned csrno, uint64_t value)
{
    uint64_t mask = env->mideleg & S_INTS;

    (void)csrno;
    env->mie = (env->mie & ~mask) | (value & mask);
}

static uint64_t read_mip(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return rv_env_read_mip(env);
}

static uint64_t read_mip_rmw(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return rv_env_read_mip_rmw(env);
}

static void write_mip(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    rv_env_write_mip(env, value, UINT64_MAX);
}

static uint64_t read_sip(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return rv_env_read_mip(env) & env->mideleg & S_INTS;
}

static uint64_t read_sip_rmw(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return rv_env_read_mip_rmw(env) & env->mideleg & S_INTS;
}

static void write_sip(CPURVState *env, unsigned csrno, uint64_t value)
{
    (void)csrno;
    rv_env_write_mip(env, value, env->mideleg & SIP_WMASK);
}

static uint64_t *tvec_field(CPURVState *env, unsigned csrno)
{
    return csrno == 0x305 ? &env->mtvec : &env->stvec;
}

static uint64_t read_tvec(CPURVState *env, unsigned csrno)
{
    return *tvec_field(env, csrno);
}

static void write_tvec(CPURVState *env, unsigned csrno, uint64_t value)
{
    if ((value & 3) < 2) {
        *tvec_field(env, csrno) = value;
    }
}

static uint64_t read_epc(CPURVState *env, unsigned csrno)
{
    return csrno == 0x341 ? env->mepc : env->sepc;
}

static void write_epc(CPURVState *env, unsigned csrno, uint64_t value)
{
    *(csrno == 0x341 ? &env->mepc : &env->sepc) = value & ~UINT64_C(1);
}

static uint64_t read_counteren(CPURVState *env, unsigned csrno)
{
    return csrno == 0x306 ? env->mcounteren : env->scounteren;
}

static void write_counteren(CPURVState *env, unsigned csrno, uint64_t value)
{
    *(csrno == 0x306 ? &env->mcounteren : &env->scounteren) = (uint32_t)value;
}

static uint64_t read_envcfg(CPURVState *env, unsigned csrno)
{
    return csrno == 0x30a ? env->menvcfg : env->senvcfg;
}

static void write_envcfg(CPURVState *env, unsigned csrno, uint64_t value)
{
    *(csrno == 0x30a ? &env->menvcfg : &env->senvcfg) = value & ENVCFG_FIOM;
}

static void write_satp(CPURVState *env, unsigned csrno, uint64_t value)
{
    unsigned mode = (unsigned)(value >> SATP_MODE_SHIFT);

    (void)csrno;
    if (mode != SATP_BARE && mode != SATP_SV39 && mode != SATP_SV48) {
        return;
    }
    env->satp = value;
    rv_tlb_flush(env);
}

/* ---- floating point --------------------------------------------------------------------- */

static void fs_dirty(CPURVState *env)
{
    env->mstatus |= RV_MSTATUS_FS | RV_MSTATUS_SD;
}

static uint64_t read_fcsr(CPURVState *env, unsigned csrno)
{
    switch (csrno) {
    case 0x001:
        return env->fflags;
    case 0x002:
        return env->frm;
    default:
        return (uint64_t)env->frm << 5 | env->fflags;
    }
}

static void write_fcsr(CPURVState *env, unsigned csrno, uint64_t value)
{
    switch (csrno) {
    case 0x001:
        env->fflags = value & 0x1f;
        break;
    case 0x002:
        env->frm = value & 7;
        break;
    default:
        env->fflags = value & 0x1f;
        env->frm = (value >> 5) & 7;
        break;
    }
    fs_dirty(env);
}

/* ---- counters --------------------------------------------------------------------------- */

static uint64_t counter_value(const CPURVState *env, unsigned which)
{
    if (which == COUNT_CY) {
        return (env->mcountinhibit & (1u << COUNT_CY)) ? env->mcycle_off
                                                       : env->insns - env->mcycle_off;
    }
    return (env->mcountinhibit & (1u << COUNT_IR)) ? env->minstret_off
                                                   : env->insns - env->traps - env->minstret_off;
}

/*
 * 1 while an instruction's access runs (it retires after the write: exec.c
 * adds one to insns), 0 for a debugger's access between instructions.
 */
static uint64_t rv_csr_retiring = 1;

/* What the counter reads from the next instruction on, when the current one retires. */
static void counter_set(CPURVState *env, unsigned which, uint64_t value)
{
    if (which == COUNT_CY) {
        env->mcycle_off =
            (env->mcountinhibit & (1u << COUNT_CY)) ? value : env->insns + rv_csr_retiring - value;
    } else {
        env->minstret_off = (env->mcountinhibit & (1u << COUNT_IR))
                                ? value
                                : env->insns + rv_csr_retiring - env->traps - value;
    }
}

static unsigned counter_of(unsigned csrno)
{
    return (csrno & 0x1f) == COUNT_CY ? COUNT_CY : COUNT_IR;
}

static uint64_t read_counter(CPURVState *env, unsigned csrno)
{
    return counter_value(env, counter_of(csrno));
}

static void write_counter(CPURVState *env, unsigned csrno, uint64_t value)
{
    counter_set(env, counter_of(csrno), value);
}

static uint64_t read_time(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    rv_clock_sync(env);
    return env->rdtime(env->rdtime_opaque);
}

static uint64_t read_mcountinhibit(CPURVState *env, unsigned csrno)
{
    (void)csrno;
    return env->mcountinhibit;
}

static void write_mcountinhibit(CPURVState *env, unsigned csrno, uint64_t value)
{
    uint64_t cy = counter_value(env, COUNT_CY), ir = counter_value(env, COUNT_IR);
    uint32_t old = env->mcountinhibit;

    (void)csrno;
    env->mcountinhibit = (uint32_t)value & ~UINT32_C(2);
    /* A counter keeps its value across the change: frozen, or counting on from it. */
    if ((old ^ env->mcountinhibit) & (1u << COUNT_CY)) {
        env->mcycle_off =
            (env->mcountinhibit & (1u << COUNT_CY)) ? cy : env->insns + rv_csr_retiring - cy;
    }
    if ((old ^ env->mcountinhibit) & (1u << COUNT_IR)) {
        env->minstret_off = (env->mcountinhibit & (1u << COUNT_IR))
                                ? ir
                                : env->insns + rv_csr_retiring - env->traps - ir;
    }
}

static uint64_t read_mhpmevent(CPURVState *env, unsigned csrno)
{
    return env->mhpmevent[csrno - CSR_MHPMEVENT3];
}

static void write_mhpmevent(CPURVState *env, unsigned csrno, uint64_t value)
{
    env->mhpmevent[csrno - CSR_MHPMEVENT3] = value;
}

/* ---- PMP -------------------------------------------------------------------------------- */

static uint64_t read_pmpcfg(CPURVState *env, unsigned csrno)
{
    unsigned base = (csrno - CSR_PMPCFG0) * 4;
    uint64_t v = 0;

    for (unsigned i = 0; i < 8; i++) {
        v |= (uint64_t)env->pmpcfg[base + i] << (8 * i);
    }
    return v;
}

static void write_pmpcfg(CPURVState *env, unsigned csrno, uint64_t value)
{
    unsigned base = (csrno - CSR_PMPCFG0) * 4;

    for (unsigned i = 0; i < 8; i++) {
        uint8_t byte = (uint8_t)(value >> (8 * i));

        if (byte != env->pmpcfg[base + i]) {
            rv_pmp_write_cfg(env, base + i, byte);
        }
    }
}

static uint64_t read_pmpaddr(CPURVState *env, unsigned csrno)
{
    return rv_pmp_read_addr(env, csrno - CSR_PMPADDR0);
}

static void write_pmpaddr(CPURVState *env, unsigned csrno, uint64_t value)
{
    rv_pmp_write_addr(env, csrno - CSR_PMPADDR0, value);
}

/* ---- the table -------------------------------------------------------------------------- */

#define ONE(n, nm, p, r, w)                                                                        \
    {                                                                                              \
        n, 1, 0, nm, p, r, NULL, w                                                                 \
    }
#define RANGE(n, c, f, nm, p, r, w)                                                                \
    {                                                                                              \
        n, c, f, nm, p, r, NULL, w                                                                 \
    }

static const RVCsr rv_csrs[] = {
    /* floating point */
    ONE(0x001, "fflags", pred_fs, read_fcsr, write_fcsr),
    ONE(0x002, "frm", pred_fs, read_fcsr, write_fcsr),
    ONE(0x003, "fcsr", pred_fs, read_fcsr, write_fcsr),
    /* supervisor */
    ONE(0x100, "sstatus", NULL, read_sstatus, write_sstatus),
    ONE(0x104, "sie", NULL, read_sie, write_sie),
    ONE(0x105, "stvec", NULL, read_tvec, write_tvec),
    ONE(0x106, "scounteren", NULL, read_counteren, write_counteren),
    ONE(0x10a, "senvcfg", NULL, read_envcfg, write_envcfg),
    ONE(0x140, "sscratch", NULL, read_field, write_field),
    ONE(0x141, "sepc", NULL, read_epc, write_epc),
    ONE(0x142, "scause", NULL, read_field, write_field),
    ONE(0x143, "stval", NULL, read_field, write_field),
    {CSR_SIP, 1, 0, "sip", NULL, read_sip, read_sip_rmw, write_sip},
    ONE(0x180, "satp", pred_satp, read_field, write_satp),
    /* machine */
    ONE(CSR_MSTATUS, "mstatus", NULL, read_mstatus, write_mstatus),
    ONE(0x301, "misa", NULL, read_misa, NULL),
    ONE(0x302, "medeleg", NULL, read_medeleg, write_medeleg),
    ONE(0x303, "mideleg", NULL, read_mideleg, write_mideleg),
    ONE(0x304, "mie", NULL, read_mie, write_mie),
    ONE(0x305, "mtvec", NULL, read_tvec, write_tvec),
    ONE(0x306, "mcounteren", NULL, read_counteren, write_counteren),
    ONE(0x30a, "menvcfg", NULL, read_envcfg, write_envcfg),
    ONE(0x320, "mcountinhibit", NULL, read_mcountinhibit, write_mcountinhibit),
    RANGE(CSR_MHPMEVENT3, 29, 3, "mhpmevent", NULL, read_mhpmevent, write_mhpmevent),
    ONE(0x340, "mscratch", NULL, read_field, write_field),
    ONE(0x341, "mepc", NULL, read_epc, write_epc),
    ONE(0x342, "mcause", NULL, read_field, write_field),
    ONE(0x343, "mtval", NULL, read_field, write_field),
    {CSR_MIP, 1, 0, "mip", NULL, read_mip, read_mip_rmw, write_mip},
    ONE(CSR_PMPCFG0, "pmpcfg0", NULL, read_pmpcfg, write_pmpcfg),
    ONE(CSR_PMPCFG0 + 2, "pmpcfg2", NULL, read_pmpcfg, write_pmpcfg),
    RANGE(CSR_PMPADDR0, RV_PMP_ENTRIES, 0, "pmpaddr", NULL, read_pmpaddr, write_pmpaddr),
    ONE(CSR_MCYCLE, "mcycle", NULL, read_counter, write_counter),
    ONE(CSR_MINSTRET, "minstret", NULL, read_counter, write_counter),
    RANGE(CSR_MHPMCOUNTER3, 29, 3, "mhpmcounter", NULL, read_zero, NULL),
    /* user counters (read-only by number) */
    ONE(CSR_CYCLE, "cycle", pred_counter, read_counter, NULL),
    ONE(CSR_TIME, "time", pred_time, read_time, NULL),
    ONE(CSR_INSTRET, "instret", pred_counter, read_counter, NULL),
    RANGE(CSR_HPMCOUNTER3, 29, 3, "hpmcounter", pred_counter, read_zero, NULL),
    /* machine information (read-only by number) */
    ONE(0xf11, "mvendorid", NULL, read_const, NULL),
    ONE(0xf12, "marchid", NULL, read_const, NULL),
    ONE(0xf13, "mimpid", NULL, read_const, NULL),
    ONE(0xf14, "mhartid", NULL, read_field, NULL),
    ONE(0xf15, "mconfigptr", NULL, read_const, NULL),
};

#define RV_NUM_CSRS 4096
#define RV_NAME_LEN 16

/* By number: the table entry and the name (the index appended for ranges). */
static const RVCsr *rv_csr_by_num[RV_NUM_CSRS];
static char rv_csr_names[RV_NUM_CSRS][RV_NAME_LEN];
static bool rv_csr_built;

static void rv_csr_build(void)
{
    if (rv_csr_built) {
        return;
    }
    for (size_t i = 0; i < sizeof(rv_csrs) / sizeof(rv_csrs[0]); i++) {
        const RVCsr *c = &rv_csrs[i];

        for (unsigned k = 0; k < c->count; k++) {
            unsigned n = c->num + k;

            rv_csr_by_num[n] = c;
            if (c->count == 1) {
                snprintf(rv_csr_names[n], RV_NAME_LEN, "%s", c->name);
            } else {
                snprintf(rv_csr_names[n], RV_NAME_LEN, "%s%u", c->name, c->first + k);
            }
        }
    }
    rv_csr_built = true;
}

bool rv_csr_rmw(CPURVState *env, unsigned csrno, uint64_t *old, uint64_t value, uint64_t mask,
                bool write)
{
    const RVCsr *c;
    uint64_t base;

    rv_csr_build();
    if (csrno >= RV_NUM_CSRS || !(c = rv_csr_by_num[csrno])) {
        return false;
    }
    if (((csrno >> 8) & 3) > env->priv) {
        return false;
    }
    if (write && ((csrno >> 10) & 3) == 3) {
        return false;
    }
    if (c->pred && !c->pred(env, csrno)) {
        return false;
    }
    *old = c->read(env, csrno);
    if (!write) {
        return true;
    }
    base = c->read_rmw ? c->read_rmw(env, csrno) : *old;
    if (c->write) {
        c->write(env, csrno, (base & ~mask) | (value & mask));
    }
    env->exit_block = true;
    return true;
}

bool rv_csr_debug_rmw(CPURVState *env, unsigned csrno, uint64_t *old, uint64_t value, uint64_t mask,
                      bool write)
{
    bool ok;

    rv_csr_retiring = 0;
    ok = rv_csr_rmw(env, csrno, old, value, mask, write);
    rv_csr_retiring = 1;
    return ok;
}

const char *rv_csr_name(unsigned csrno)
{
    rv_csr_build();
    return csrno < RV_NUM_CSRS && rv_csr_by_num[csrno] ? rv_csr_names[csrno] : NULL;
}

int rv_csr_lookup(const char *name)
{
    char *end;
    long n;

    rv_csr_build();
    if (!name || !*name) {
        return -1;
    }
    if (name[0] >= '0' && name[0] <= '9') {
        errno = 0;
        n = strtol(name, &end, 0);
        if (errno || *end || n < 0 || n >= RV_NUM_CSRS || !rv_csr_by_num[n]) {
            return -1;
        }
        return (int)n;
    }
    for (int i = 0; i < RV_NUM_CSRS; i++) {
        if (rv_csr_by_num[i] && !strcmp(rv_csr_names[i], name)) {
            return i;
        }
    }
    return -1;
}

void rv_csr_reset(CPURVState *env)
{
    env->misa = RV_MISA;
    env->mstatus = MSTATUS_FIXED; /* MIE = MPRV = 0, FS off */
    env->medeleg = env->mideleg = 0;
    env->mie = 0;
    env->mtvec = env->stvec = 0;
    env->mscratch = env->sscratch = 0;
    env->mepc = env->sepc = 0;
    env->mcause = env->scause = 0;
    env->mtval = env->stval = 0;
    env->satp = 0;
    env->mcounteren = env->scounteren = env->mcountinhibit = 0;
    env->menvcfg = env->senvcfg = 0;
    memset(env->mhpmevent, 0, sizeof(env->mhpmevent));
    memset(env->pmpcfg, 0, sizeof(env->pmpcfg));
    memset(env->pmpaddr, 0, sizeof(env->pmpaddr));
    env->frm = 0;
    env->fflags = 0;
}
