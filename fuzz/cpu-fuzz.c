/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu-fuzz.c - the cpu fuzz target: the input is RISC-V instructions placed
 * in RAM and run on hart 0 by the interpreter (rv_cpu_exec) for a bounded
 * number of steps, starting in M, S or U mode with paging off (Bare) or on
 * (Sv39, Sv48, over page tables pre_fuzz builds in RAM).  Trap handlers in
 * RAM skip a faulting instruction and return, so a trap does not end the
 * run; every device of the virt board is reachable by MMIO.  The machine is
 * built once with the qtest accelerator (nothing runs the hart but this
 * target) and reset by snapshot after every input, as every target's is.
 * docs/fuzzing.md ("cpu") has the byte layout.
 *
 * What it finds: anything guest code can do to the host (a crash, a
 * sanitizer report, a leak), and a device that keeps the event loop busy.
 */
#include "fuzz/cpu-fuzz.h"

#include <string.h>
#include <glib.h>

#include "core/module.h"
#include "core/object.h"
#include "core/runstate.h"
#include "core/timer.h"
#include "cpu/hart.h"
#include "fuzz/fuzz.h"
#include "hw/virt.h"

/* CSR numbers (privileged spec 1.12, table 2.2 to 2.5). */
#define CSR_SSTATUS    0x100
#define CSR_SIE        0x104
#define CSR_STVEC      0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SSCRATCH   0x140
#define CSR_SEPC       0x141
#define CSR_SCAUSE     0x142
#define CSR_SATP       0x180
#define CSR_MSTATUS    0x300
#define CSR_MEDELEG    0x302
#define CSR_MIDELEG    0x303
#define CSR_MIE        0x304
#define CSR_MTVEC      0x305
#define CSR_MCOUNTEREN 0x306
#define CSR_MSCRATCH   0x340
#define CSR_MEPC       0x341
#define CSR_MCAUSE     0x342
#define CSR_PMPCFG0    0x3a0
#define CSR_PMPADDR0   0x3b0

/* Registers by ABI name. */
enum {
    R_ZERO = 0,
    R_RA = 1,
    R_SP = 2,
    R_GP = 3,
    R_TP = 4,
    R_T0 = 5,
    R_T1 = 6,
    R_T2 = 7,
    R_S0 = 8,
    R_S1 = 9,
    R_A0 = 10,
    R_A1,
    R_A2,
    R_A3,
    R_A4,
    R_A5,
    R_A6,
    R_A7,
    R_T3 = 28,
};

/* Page-table entry bits. */
#define PTE_V       (1u << 0)
#define PTE_R       (1u << 1)
#define PTE_W       (1u << 2)
#define PTE_X       (1u << 3)
#define PTE_U       (1u << 4)
#define PTE_G       (1u << 5)
#define PTE_A       (1u << 6)
#define PTE_D       (1u << 7)
#define PTE_RWX     (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE_PBMT_NC (UINT64_C(1) << 61) /* Svpbmt, which the hart lacks: a reserved bit here */

#define SATP_SV39 (UINT64_C(8) << 60)
#define SATP_SV48 (UINT64_C(9) << 60)

/* Exceptions delegated with CPU_FUZZ_DELEGATE: all but ecall from S and M. */
#define CF_MEDELEG 0xb1ff
/* Interrupts delegated: the supervisor ones. */
#define CF_MIDELEG (RV_MIP_BIT(RV_IRQ_SSIP) | RV_MIP_BIT(RV_IRQ_STIP) | RV_MIP_BIT(RV_IRQ_SEIP))
/* Interrupts enabled with CPU_FUZZ_INTERRUPTS. */
#define CF_MIE                                                                                     \
    (CF_MIDELEG | RV_MIP_BIT(RV_IRQ_MSIP) | RV_MIP_BIT(RV_IRQ_MTIP) | RV_MIP_BIT(RV_IRQ_MEIP))

/* rv_cpu_exec returning nothing this many times in a row ends the run. */
#define CF_MAX_STALLS 64
/* Times the clock is warped to the next deadline for a hart in WFI, per input. */
#define CF_MAX_WARPS 8
/* Register seed records: (b1 & 7) of them, a register byte and a little-endian u64 each. */
#define CF_SEED_BYTES 9

static RVHart *cf_hart;
static CpuFuzzStats cf_stats;

const CpuFuzzStats *cpu_fuzz_stats(void)
{
    return &cf_stats;
}

void cpu_fuzz_stats_clear(void)
{
    memset(&cf_stats, 0, sizeof(cf_stats));
}

/* ---- a few instruction encodings (unprivileged spec ch. 2 and 34) ---------------------------- */

static uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | op;
}

static uint32_t enc_b(int32_t off, unsigned rs2, unsigned rs1, unsigned f3)
{
    uint32_t u = (uint32_t)off;

    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | 0x63;
}

static uint32_t enc_jal(int32_t off, unsigned rd)
{
    uint32_t u = (uint32_t)off;

    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
           ((u >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
}

#define ADDI(rd, rs1, imm)  enc_i(imm, rs1, 0, rd, 0x13)
#define ANDI(rd, rs1, imm)  enc_i(imm, rs1, 7, rd, 0x13)
#define LHU(rd, rs1, imm)   enc_i(imm, rs1, 5, rd, 0x03)
#define LD(rd, rs1, imm)    enc_i(imm, rs1, 3, rd, 0x03)
#define SD(rs2, rs1, imm)   enc_s(imm, rs2, rs1, 3, 0x23)
#define LUI(rd, imm20)      ((uint32_t)(imm20) << 12 | (rd) << 7 | 0x37)
#define CSRRW(rd, csr, rs1) enc_i(csr, rs1, 1, rd, 0x73)
#define CSRRS(rd, csr, rs1) enc_i(csr, rs1, 2, rd, 0x73)
#define CSRR(rd, csr)       CSRRS(rd, csr, R_ZERO)
#define CSRW(csr, rs1)      CSRRW(R_ZERO, csr, rs1)
#define CSRS(csr, rs1)      CSRRS(R_ZERO, csr, rs1)
#define MRET                0x30200073u
#define SRET                0x10200073u
#define WFI                 0x10500073u

/* Branches and jumps to labels: a label is an instruction index in the handler. */
typedef enum { LBL_SET, LBL_RET, LBL_IRQ, LBL_END, LBL_WAIT, LBL__MAX } CfLabel;

typedef struct CfAsm {
    uint32_t insn[64];
    unsigned n;
    int label[LBL__MAX];
    struct {
        unsigned at;
        CfLabel to;
        unsigned rs1, rs2, f3; /* f3 8: jal */
    } fix[8];
    unsigned nfix;
} CfAsm;

static void emit(CfAsm *a, uint32_t insn)
{
    g_assert(a->n < G_N_ELEMENTS(a->insn));
    a->insn[a->n++] = insn;
}

static void here(CfAsm *a, CfLabel l)
{
    a->label[l] = (int)a->n;
}

static void branch(CfAsm *a, unsigned f3, unsigned rs1, unsigned rs2, CfLabel to)
{
    g_assert(a->nfix < G_N_ELEMENTS(a->fix));
    a->fix[a->nfix].at = a->n;
    a->fix[a->nfix].to = to;
    a->fix[a->nfix].rs1 = rs1;
    a->fix[a->nfix].rs2 = rs2;
    a->fix[a->nfix].f3 = f3;
    a->nfix++;
    emit(a, 0);
}

#define BEQ  0
#define BNE  1
#define BLT  4
#define JUMP 8

static void resolve(CfAsm *a)
{
    for (unsigned i = 0; i < a->nfix; i++) {
        int32_t off = (a->label[a->fix[i].to] - (int)a->fix[i].at) * 4;

        a->insn[a->fix[i].at] = a->fix[i].f3 == JUMP
                                    ? enc_jal(off, R_ZERO)
                                    : enc_b(off, a->fix[i].rs2, a->fix[i].rs1, a->fix[i].f3);
    }
}

/*
 * The trap handler of one mode (M or S), in the mode's own CSRs:
 *  - an interrupt: that mode's interrupt enables (mie, sie) are cleared and
 *    it returns, so a level that stays up does not trap forever;
 *  - an instruction fetch fault (misaligned, access, page): the run ends
 *    there (that mode's interrupt enables cleared, registers restored,
 *    WFI in a loop; the target stops at WFI);
 *  - any other exception: xepc moves past the instruction (2 or 4 bytes,
 *    from its low half read as the trapped mode fetched it: M with MPRV,
 *    S with SUM; MXR for execute-only pages) and it returns.
 * t0 is swapped with xscratch (the save area), t1-t3 are saved there, so
 * the trapped code sees its registers unchanged.
 */
static void cf_handler(CfAsm *a, bool m)
{
    unsigned scratch = m ? CSR_MSCRATCH : CSR_SSCRATCH;
    unsigned status = m ? CSR_MSTATUS : CSR_SSTATUS;
    unsigned epc = m ? CSR_MEPC : CSR_SEPC;

    memset(a, 0, sizeof(*a));
    emit(a, CSRRW(R_T0, scratch, R_T0));
    emit(a, SD(R_T1, R_T0, 0));
    emit(a, SD(R_T2, R_T0, 8));
    emit(a, SD(R_T3, R_T0, 16));
    emit(a, CSRR(R_T1, m ? CSR_MCAUSE : CSR_SCAUSE));
    branch(a, BLT, R_T1, R_ZERO, LBL_IRQ);
    branch(a, BEQ, R_T1, R_ZERO, LBL_END); /* misaligned fetch */
    emit(a, ADDI(R_T2, R_ZERO, RV_EXC_INSN_ACCESS));
    branch(a, BEQ, R_T1, R_T2, LBL_END);
    emit(a, ADDI(R_T2, R_ZERO, RV_EXC_INSN_PAGE_FAULT));
    branch(a, BEQ, R_T1, R_T2, LBL_END);
    emit(a, CSRR(R_T2, epc));
    emit(a, CSRR(R_T3, status));
    /* M: MPRV | MXR (bits 17, 19); S: SUM | MXR (bits 18, 19) */
    emit(a, LUI(R_T1, m ? 0xa0 : 0xc0));
    emit(a, CSRS(status, R_T1));
    emit(a, LHU(R_T1, R_T2, 0));
    emit(a, CSRW(status, R_T3));
    emit(a, ANDI(R_T1, R_T1, 3));
    emit(a, ADDI(R_T2, R_T2, 2));
    emit(a, ADDI(R_T1, R_T1, -3));
    branch(a, BNE, R_T1, R_ZERO, LBL_SET); /* low bits not 11: 16 bits */
    emit(a, ADDI(R_T2, R_T2, 2));
    here(a, LBL_SET);
    emit(a, CSRW(epc, R_T2));
    here(a, LBL_RET);
    emit(a, LD(R_T1, R_T0, 0));
    emit(a, LD(R_T2, R_T0, 8));
    emit(a, LD(R_T3, R_T0, 16));
    emit(a, CSRRW(R_T0, scratch, R_T0));
    emit(a, m ? MRET : SRET);
    here(a, LBL_IRQ);
    emit(a, CSRW(m ? CSR_MIE : CSR_SIE, R_ZERO));
    branch(a, JUMP, 0, 0, LBL_RET);
    here(a, LBL_END);
    emit(a, CSRW(m ? CSR_MIE : CSR_SIE, R_ZERO));
    emit(a, LD(R_T1, R_T0, 0));
    emit(a, LD(R_T2, R_T0, 8));
    emit(a, LD(R_T3, R_T0, 16));
    emit(a, CSRRW(R_T0, scratch, R_T0));
    here(a, LBL_WAIT);
    emit(a, WFI);
    branch(a, JUMP, 0, 0, LBL_WAIT);
    resolve(a);
}

/* ---- the machine ------------------------------------------------------------------------- */

static char *cf_drive;

static void cf_pre_vm_init(void)
{
    Error *err = NULL;

    if (cf_drive) {
        return;
    }
    cf_drive = fuzz_fixed_image("tern-fuzz-cpu-drive-64k.img", 64 * 1024, NULL, &err);
    if (!cf_drive) {
        /* The drive then fails to open, naming the file; the reason is said here. */
        fuzz_fail("%s", error_get_pretty(err));
        error_free(err);
        cf_drive = g_build_filename(g_get_tmp_dir(), "tern-fuzz-cpu-drive-64k.img", NULL);
    }
}

/* virt with every device it has, both virtio devices, the RTC on the virtual clock. */
static GString *cf_cmdline(FuzzTarget *t)
{
    g_autofree char *quoted = NULL;
    GString *s = g_string_new(NULL);

    (void)t;
    cf_pre_vm_init();
    quoted = g_shell_quote(cf_drive);
    g_string_printf(s,
                    "riscv64 -M virt -accel qtest -bios none -m 128M -display none -serial null "
                    "-rtc base=2000-01-01T00:00:00,clock=vm "
                    "-object rng-builtin,id=r0,seed=42 -device virtio-rng-device,rng=r0 "
                    "-drive if=none,id=d0,file=%s,format=raw,snapshot=on "
                    "-device virtio-blk-device,drive=d0",
                    quoted);
    return s;
}

static void cf_write_pte(uint64_t table, unsigned index, uint64_t pte)
{
    uint8_t b[8];

    for (unsigned i = 0; i < 8; i++) {
        b[i] = (uint8_t)(pte >> (8 * i));
    }
    fuzz_memwrite(table + 8 * index, b, sizeof(b));
}

/* Instructions are little-endian in memory, whatever the host. */
static void cf_write_code(uint64_t addr, const CfAsm *a)
{
    uint8_t b[4 * G_N_ELEMENTS(a->insn)];

    for (unsigned i = 0; i < a->n; i++) {
        for (unsigned j = 0; j < 4; j++) {
            b[4 * i + j] = (uint8_t)(a->insn[i] >> (8 * j));
        }
    }
    fuzz_memwrite(addr, b, 4 * a->n);
}

static uint64_t cf_leaf(uint64_t paddr, unsigned flags)
{
    return (paddr >> 12) << 10 | flags;
}

static uint64_t cf_pointer(uint64_t table)
{
    return (table >> 12) << 10 | PTE_V;
}

/*
 * The page tables (docs/fuzzing.md, "cpu"): Sv39's root maps [0, 3 GiB) one
 * to one for S (MMIO and RAM), RAM again at 3 GiB and MMIO at 4 GiB for U, a
 * region of 4 KiB pages of assorted permissions at 5 GiB, RAM in the upper
 * half; Sv48's root points at Sv39's from its first and last entries, so
 * both modes see the same map.
 */
static void cf_page_tables(void)
{
    static const uint64_t l0_flags[] = {
        PTE_RWX,                               /* 0: S, everything */
        PTE_V | PTE_R | PTE_A,                 /* 1: read-only */
        PTE_V | PTE_X | PTE_A,                 /* 2: execute-only */
        PTE_V | PTE_R | PTE_W | PTE_A,         /* 3: not dirty */
        PTE_V | PTE_R | PTE_W,                 /* 4: not accessed */
        PTE_V | PTE_W | PTE_A | PTE_D,         /* 5: W without R (reserved) */
        PTE_RWX | PTE_U,                       /* 6: user */
        0,                                     /* 7: invalid */
        PTE_RWX | PTE_G,                       /* 8: global */
        PTE_V | PTE_R | PTE_X | PTE_U | PTE_A, /* 9: user read and execute */
        PTE_V,                                 /* 10: a pointer at the last level */
        PTE_RWX | PTE_PBMT_NC,                 /* 11: a reserved bit set */
    };
    uint64_t ram = virt_memmap[VIRT_DRAM].base;

    cf_write_pte(CPU_FUZZ_PT_SV39, 0, cf_leaf(0, PTE_RWX));
    cf_write_pte(CPU_FUZZ_PT_SV39, 1, cf_leaf(UINT64_C(0x40000000), PTE_RWX));
    cf_write_pte(CPU_FUZZ_PT_SV39, 2, cf_leaf(ram, PTE_RWX));
    cf_write_pte(CPU_FUZZ_PT_SV39, 3, cf_leaf(ram, PTE_RWX | PTE_U));
    cf_write_pte(CPU_FUZZ_PT_SV39, 4, cf_leaf(0, PTE_RWX | PTE_U));
    cf_write_pte(CPU_FUZZ_PT_SV39, 5, cf_pointer(CPU_FUZZ_PT_L1));
    cf_write_pte(CPU_FUZZ_PT_SV39, 256, cf_leaf(ram, PTE_RWX));
    cf_write_pte(CPU_FUZZ_PT_SV48, 0, cf_pointer(CPU_FUZZ_PT_SV39));
    cf_write_pte(CPU_FUZZ_PT_SV48, 511, cf_pointer(CPU_FUZZ_PT_SV39));
    /* 2 MiB entries: the 4 KiB tables, a user data megapage, a misaligned megapage */
    cf_write_pte(CPU_FUZZ_PT_L1, 0, cf_pointer(CPU_FUZZ_PT_L0));
    cf_write_pte(
        CPU_FUZZ_PT_L1, 1,
        cf_leaf(CPU_FUZZ_FRAMES - 0x200000, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D));
    cf_write_pte(CPU_FUZZ_PT_L1, 2, cf_leaf(CPU_FUZZ_FRAMES + 0x1000, PTE_RWX));
    for (unsigned i = 0; i < G_N_ELEMENTS(l0_flags); i++) {
        cf_write_pte(CPU_FUZZ_PT_L0, i,
                     l0_flags[i] ? cf_leaf(CPU_FUZZ_FRAMES + 0x1000 * i, 0) | l0_flags[i] : 0);
    }
}

/* A CSR write as csrw at M would make it (WARL rules and side effects: the CSR code's). */
static void cf_csr_write(CPURVState *env, unsigned csr, uint64_t value)
{
    uint64_t old;

    if (!rv_csr_rmw(env, csr, &old, value, ~UINT64_C(0), true)) {
        fuzz_fail("cpu: the hart refused a write of CSR 0x%03x at M", csr);
    }
}

static void cf_pre_fuzz(QTestState *s)
{
    Object *o = object_resolve_path("/machine/soc0/harts[0]", NULL);
    CPURVState *env;
    CfAsm a;

    (void)s;
    cf_hart = o ? (RVHart *)object_dynamic_cast(o, TYPE_RISCV_CPU) : NULL;
    if (!cf_hart) {
        fuzz_fail("cpu: no hart at /machine/soc0/harts[0]");
        return;
    }
    env = &cf_hart->env;
    cf_handler(&a, true);
    cf_write_code(CPU_FUZZ_M_HANDLER, &a);
    cf_handler(&a, false);
    cf_write_code(CPU_FUZZ_S_HANDLER, &a);
    cf_page_tables();
    rv_code_flush_all();

    /* What every input shares; the rest is the header's (cf_setup). */
    if (env->priv != RV_PRIV_M) {
        fuzz_fail("cpu: hart 0 is not in M-mode after reset");
        return;
    }
    cf_csr_write(env, CSR_MTVEC, CPU_FUZZ_M_HANDLER);
    cf_csr_write(env, CSR_STVEC, CPU_FUZZ_S_HANDLER);
    cf_csr_write(env, CSR_MSCRATCH, CPU_FUZZ_SAVE_M);
    cf_csr_write(env, CSR_SSCRATCH, CPU_FUZZ_SAVE_S);
    /* PMP entry 0: NAPOT over the whole address space, RWX (S and U have no access without it). */
    cf_csr_write(env, CSR_PMPADDR0, (UINT64_C(1) << 54) - 1);
    cf_csr_write(env, CSR_PMPCFG0, 0x1f);
    /* Counters readable below M. */
    cf_csr_write(env, CSR_MCOUNTEREN, 0xffffffff);
    cf_csr_write(env, CSR_SCOUNTEREN, 0xffffffff);
}

/* ---- one input ------------------------------------------------------------------------------ */

typedef struct CfView {
    uint64_t ram, mmio; /* RAM's and the devices' addresses as the start mode sees them */
} CfView;

static void cf_default_registers(CPURVState *env, const CfView *v)
{
    memset(env->x, 0, sizeof(env->x));
    env->x[R_SP] = v->ram + (CPU_FUZZ_DATA - CPU_FUZZ_RAM) + CPU_FUZZ_DATA_SIZE;
    env->x[R_GP] = v->ram + (CPU_FUZZ_DATA - CPU_FUZZ_RAM);
    env->x[R_S0] = env->x[R_GP];
    env->x[R_S1] = CPU_FUZZ_VA_PAGES;
    env->x[R_A0] = v->mmio + virt_memmap[VIRT_UART0].base;
    env->x[R_A1] = v->mmio + virt_memmap[VIRT_VIRTIO].base;
    env->x[R_A2] = v->mmio + virt_memmap[VIRT_CLINT].base;
    env->x[R_A3] = v->mmio + virt_memmap[VIRT_PLIC].base;
    env->x[R_A4] = v->mmio + virt_memmap[VIRT_RTC].base;
    env->x[R_A5] = v->mmio + virt_memmap[VIRT_FW_CFG].base;
    env->x[R_A6] = v->mmio + virt_memmap[VIRT_TEST].base;
    env->x[R_A7] = v->ram + (CPU_FUZZ_PT_SV39 - CPU_FUZZ_RAM);
}

/*
 * The header: privilege, paging and the mstatus/delegation/interrupt
 * choices made through the CSR code at M, registers, then mret into the
 * start mode at the code's first byte.  Returns the bytes it used.
 */
static size_t cf_setup(CPURVState *env, const uint8_t *data, size_t size)
{
    uint8_t mode = size ? data[0] : 0;
    unsigned priv = (mode & 3) == 0 ? RV_PRIV_U : (mode & 3) == 1 ? RV_PRIV_S : RV_PRIV_M;
    unsigned paging = (mode >> 2) & 3;
    bool user_view = priv == RV_PRIV_U && paging != 0;
    CfView v = {
        .ram = user_view ? CPU_FUZZ_VA_U_RAM : virt_memmap[VIRT_DRAM].base,
        .mmio = user_view ? CPU_FUZZ_VA_U_MMIO : 0,
    };
    uint64_t mstatus = env->mstatus;
    unsigned seeds = size > 1 ? data[1] & 7 : 0;
    size_t used = MIN(size, 2);

    if (paging) {
        cf_csr_write(env, CSR_SATP,
                     paging == 1 ? SATP_SV39 | (CPU_FUZZ_PT_SV39 >> 12)
                                 : SATP_SV48 | (CPU_FUZZ_PT_SV48 >> 12));
    }
    if (mode & CPU_FUZZ_DELEGATE) {
        cf_csr_write(env, CSR_MEDELEG, CF_MEDELEG);
        cf_csr_write(env, CSR_MIDELEG, CF_MIDELEG);
    }
    mstatus &= ~(RV_MSTATUS_FS | RV_MSTATUS_MPP | RV_MSTATUS_MPIE | RV_MSTATUS_MIE |
                 RV_MSTATUS_SIE | RV_MSTATUS_SUM | RV_MSTATUS_MXR);
    if (!(mode & CPU_FUZZ_FP_OFF)) {
        mstatus |= (uint64_t)RV_FS_INITIAL << 13;
    }
    if (mode & CPU_FUZZ_SUM_MXR) {
        mstatus |= RV_MSTATUS_SUM | RV_MSTATUS_MXR;
    }
    if (mode & CPU_FUZZ_INTERRUPTS) {
        /* mret sets MIE from MPIE; SIE is what S-mode runs with. */
        mstatus |= RV_MSTATUS_MPIE | RV_MSTATUS_SIE;
        cf_csr_write(env, CSR_MIE, CF_MIE);
    }
    mstatus |= (uint64_t)priv << 11;
    cf_csr_write(env, CSR_MSTATUS, mstatus);

    cf_default_registers(env, &v);
    for (unsigned i = 0; i < seeds && used < size; i++) {
        unsigned reg = data[used] & 31;
        uint64_t value = 0;

        for (unsigned b = 0; b < 8 && used + 1 + b < size; b++) {
            value |= (uint64_t)data[used + 1 + b] << (8 * b);
        }
        used = MIN(size, used + CF_SEED_BYTES);
        if (reg) {
            env->x[reg] = value;
        }
    }

    cf_csr_write(env, CSR_MEPC, v.ram + (CPU_FUZZ_CODE - CPU_FUZZ_RAM));
    if (!rv_mret(env)) {
        fuzz_fail("cpu: mret refused at M");
    }
    return used;
}

/* A guest shutdown or reset request (sifive-test) ends the input, as in generic-fuzz. */
static bool cf_request_seen(const RunStateSaved *before)
{
    RunStateSaved now;

    runstate_save(&now);
    return (now.shutdown_pending && !before->shutdown_pending) ||
           (now.reset_pending && !before->reset_pending) || now.state != before->state ||
           now.last_shutdown_cause != before->last_shutdown_cause ||
           now.last_reset_cause != before->last_reset_cause;
}

/*
 * Instructions that may run before the next virtual deadline (at least 1),
 * as the interp accelerator slices: a timer fires at the instruction it is
 * due.
 */
static uint64_t cf_slice(uint64_t left)
{
    int64_t deadline = clock_deadline_ns(CLOCK_VIRTUAL);
    int64_t ahead;
    uint64_t insns;

    if (deadline < 0) {
        return left;
    }
    ahead = deadline - clock_get_ns(CLOCK_VIRTUAL);
    insns = ahead <= 0 ? 1 : (((uint64_t)ahead - 1) >> rv_icount_shift) + 1;
    return MIN(insns, left);
}

/*
 * Runs the hart as the main loop would, bounded: slices to the next
 * deadline, bottom halves and timers between them, and while the hart waits
 * in WFI the clock warped to the next deadline (at most CF_MAX_WARPS times).
 */
static CpuFuzzEnd cf_run(CPURVState *env)
{
    uint64_t left = CPU_FUZZ_STEPS;
    unsigned stalls = 0, warps = 0;
    RunStateSaved before;

    runstate_save(&before);
    while (left) {
        uint64_t n = rv_cpu_exec(env, cf_slice(left));

        left -= MIN(n, left);
        /* What the main loop does between slices: bottom halves and due timers. */
        fuzz_flush_events();
        if (cf_request_seen(&before)) {
            return CPU_FUZZ_END_REQUEST;
        }
        if (env->wfi && !rv_wfi_wakeup(env)) {
            int64_t deadline = clock_deadline_ns(CLOCK_VIRTUAL);

            if (deadline < 0 || warps++ >= CF_MAX_WARPS || clock_budget()->time_limit_hit ||
                !clock_advance_virtual_to(MAX(deadline, clock_get_ns(CLOCK_VIRTUAL)))) {
                return CPU_FUZZ_END_WFI;
            }
            fuzz_flush_events();
            if (!rv_wfi_wakeup(env)) {
                continue;
            }
        }
        /* A hart that cannot move (rv_cpu_exec returning 0 outside WFI) ends the run. */
        stalls = n || env->wfi ? 0 : stalls + 1;
        if (stalls >= CF_MAX_STALLS) {
            return CPU_FUZZ_END_STALLED;
        }
    }
    return env->wfi && !rv_wfi_wakeup(env) ? CPU_FUZZ_END_WFI : CPU_FUZZ_END_BUDGET;
}

static void cf_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    CPURVState *env;
    uint64_t insns0;
    size_t used;
    CpuFuzzEnd end;

    (void)s;
    cf_stats.inputs++;
    if (!cf_hart) {
        return; /* pre_fuzz found no hart: nothing to run */
    }
    env = &cf_hart->env;
    memcpy(&cf_stats.entry, env, CPU_FUZZ_ARCH_SIZE);

    used = cf_setup(env, data, size);
    if (size > used) {
        fuzz_memwrite(CPU_FUZZ_CODE, data + used, MIN(size - used, (size_t)CPU_FUZZ_CODE_MAX));
    }
    /* The host wrote guest code: the decoded-instruction cache must not keep the old. */
    rv_code_flush_all();
    memcpy(&cf_stats.start, env, CPU_FUZZ_ARCH_SIZE);

    insns0 = env->insns;
    end = cf_run(env);
    cf_stats.last_end = end;
    cf_stats.ends[end]++;
    cf_stats.last_insns = env->insns - insns0;
    cf_stats.insns += cf_stats.last_insns;
    memcpy(&cf_stats.final, env, CPU_FUZZ_ARCH_SIZE);
    /* RAM: reading it has no effect on the machine (and nothing is recorded). */
    address_space_read(address_space_memory(), CPU_FUZZ_DATA, cf_stats.data, sizeof(cf_stats.data));
}

static void cf_register(void)
{
    FuzzTarget t = {
        .name = "cpu",
        .description = "RISC-V instructions run by hart 0 from M, S or U mode, paging off or on",
        .get_init_cmdline = cf_cmdline,
        .pre_vm_init = cf_pre_vm_init,
        .pre_fuzz = cf_pre_fuzz,
        .fuzz = cf_fuzz,
    };

    fuzz_add_target(&t);
}

fuzz_target_init(cf_register);
