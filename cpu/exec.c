/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec.c - the fetch loop and the integer instructions: RV64I, M, A, Zba,
 * Zbb, Zbs, Zicsr, Zifencei, the system instructions, and FP loads and
 * stores (everything else of F and D is fpu.c's).
 *
 * The loop fetches from the decoded-code cache: the fetch TLB maps the pc's
 * page to its array of decoded slots (mem.c), so a page change costs a TLB
 * probe and an instruction already seen costs nothing to decode.  An
 * instruction that may change what the loop relies on (privilege, mappings,
 * interrupts, devices, timers) sets exit_block, and the loop returns so its
 * caller can fire timers and take interrupts.
 */
#include <string.h>

#include "core/log.h"
#include "core/timer.h"
#include "cpu/decode.h"
#include "cpu/mem.h"

/* Computed-goto dispatch where the compiler has it (GNU C), a switch elsewhere. */
#ifndef RV_THREADED
#ifdef __GNUC__
#define RV_THREADED 1
#else
#define RV_THREADED 0
#endif
#endif

unsigned rv_icount_shift = RV_ICOUNT_SHIFT_DEFAULT;

void rv_clock_sync(CPURVState *env)
{
    uint64_t ns = (env->insns - env->slice_n0) << rv_icount_shift;
    int64_t target = clock_deadline_add(env->slice_t0, ns);

    if (target > clock_get_ns(CLOCK_VIRTUAL)) {
        clock_advance_virtual_to(target);
    }
}

static void rv_log_insn(const RVInsn *in, uint64_t pc)
{
    char text[96];

    rv_disas(in, pc, text, sizeof(text));
    log_printf("0x%016" PRIx64 ":  %0*" PRIx32 "  %s\n", pc, in->len * 2, in->raw, text);
}

/* -d cpu: the hart's registers where a block starts. */
static void rv_log_cpu(const CPURVState *env)
{
    static const char *const abi[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                        "s0",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                        "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                        "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

    log_printf(" pc       %016" PRIx64 "\n mhartid  %016" PRIx64 "\n mstatus  %016" PRIx64
               "\n priv     %u\n mip      %016" PRIx64 "\n mie      %016" PRIx64 "\n",
               env->pc, env->mhartid, env->mstatus, env->priv, env->mip, env->mie);
    for (int i = 0; i < 32; i++) {
        log_printf(" x%-2d/%-4s %016" PRIx64 "%s", i, abi[i], env->x[i], i % 4 == 3 ? "\n" : "");
    }
}

/*
 * Writes to x0 go to x[32], which nothing reads, so no instruction needs to
 * test rd or clear x0 afterwards.  F/D operations keep rd: theirs may name
 * an f register (fpu.c tests rd itself where it writes x[rd]).
 */
static inline void rv_sink_x0(RVInsn *in)
{
    if (in->rd == 0 && (in->op < RV_OP_FLW || in->op > RV_OP_FMV_D_X)) {
        in->rd = 32;
    }
}

static inline void rv_fs_dirty(CPURVState *env)
{
    env->mstatus |= RV_MSTATUS_FS | RV_MSTATUS_SD;
}

static inline bool rv_fs_on(const CPURVState *env)
{
    return (env->mstatus & RV_MSTATUS_FS) != 0;
}

static inline uint64_t rv_sext32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)v;
}

static inline uint64_t rv_ror64(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v >> n) | (v << (64 - n)) : v;
}

static inline uint32_t rv_ror32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? (v >> n) | (v << (32 - n)) : v;
}

static uint64_t rv_orc_b(uint64_t v)
{
    uint64_t r = 0;

    for (unsigned i = 0; i < 8; i++) {
        if ((v >> (8 * i)) & 0xff) {
            r |= UINT64_C(0xff) << (8 * i);
        }
    }
    return r;
}

/* The AMO operation's new memory value from the old one and rs2 (width bits). */
static uint64_t rv_amo_op(unsigned op, uint64_t old, uint64_t src, bool word)
{
    int64_t so = word ? (int32_t)old : (int64_t)old, ss = word ? (int32_t)src : (int64_t)src;
    uint64_t uo = word ? (uint32_t)old : old, us = word ? (uint32_t)src : src;

    switch (op) {
    case RV_OP_AMOSWAP_W:
    case RV_OP_AMOSWAP_D:
        return src;
    case RV_OP_AMOADD_W:
    case RV_OP_AMOADD_D:
        return old + src;
    case RV_OP_AMOXOR_W:
    case RV_OP_AMOXOR_D:
        return old ^ src;
    case RV_OP_AMOAND_W:
    case RV_OP_AMOAND_D:
        return old & src;
    case RV_OP_AMOOR_W:
    case RV_OP_AMOOR_D:
        return old | src;
    case RV_OP_AMOMIN_W:
    case RV_OP_AMOMIN_D:
        return so < ss ? old : src;
    case RV_OP_AMOMAX_W:
    case RV_OP_AMOMAX_D:
        return so > ss ? old : src;
    case RV_OP_AMOMINU_W:
    case RV_OP_AMOMINU_D:
        return uo < us ? old : src;
    default:
        return uo > us ? old : src; /* AMOMAXU */
    }
}

/* An AMO, LR or SC: false after raising. */
static bool rv_exec_atomic(CPURVState *env, const RVInsn *in)
{
    bool word = in->op <= RV_OP_AMOMAXU_W;
    unsigned size = word ? 4 : 8;
    uint64_t addr = env->x[in->rs1], paddr, old;
    bool lr = in->op == RV_OP_LR_W || in->op == RV_OP_LR_D;
    bool sc = in->op == RV_OP_SC_W || in->op == RV_OP_SC_D;

    if (!rv_amo_translate(env, addr, size, lr, &paddr)) {
        return false;
    }
    if (sc) {
        uint64_t ok = env->res_valid && env->res_addr == paddr;
        env->res_valid = false;
        if (ok && !rv_phys_store(env, paddr, size, env->x[in->rs2])) {
            rv_raise_exception(env, RV_EXC_STORE_ACCESS, addr);
            return false;
        }
        env->x[in->rd] = !ok;
        return true;
    }
    if (!rv_phys_load(env, paddr, size, &old)) {
        rv_raise_exception(env, lr ? RV_EXC_LOAD_ACCESS : RV_EXC_STORE_ACCESS, addr);
        return false;
    }
    if (lr) {
        env->res_valid = true;
        env->res_addr = paddr;
    } else if (!rv_phys_store(env, paddr, size, rv_amo_op(in->op, old, env->x[in->rs2], word))) {
        rv_raise_exception(env, RV_EXC_STORE_ACCESS, addr);
        return false;
    }
    env->x[in->rd] = word ? rv_sext32(old) : old;
    return true;
}

/* A CSR instruction: false when illegal (the caller raises). */
static bool rv_exec_csr(CPURVState *env, const RVInsn *in)
{
    bool imm = in->op >= RV_OP_CSRRWI;
    uint64_t src = imm ? in->rs1 : env->x[in->rs1], old;
    bool ok;

    switch (in->op) {
    case RV_OP_CSRRW:
    case RV_OP_CSRRWI:
        ok = rv_csr_rmw(env, (unsigned)in->imm, &old, src, ~UINT64_C(0), true);
        break;
    case RV_OP_CSRRS:
    case RV_OP_CSRRSI:
        ok = rv_csr_rmw(env, (unsigned)in->imm, &old, src, src, in->rs1 != 0);
        break;
    default:
        ok = rv_csr_rmw(env, (unsigned)in->imm, &old, 0, src, in->rs1 != 0);
        break;
    }
    if (ok) {
        env->x[in->rd] = old;
    }
    return ok;
}

/* Division with the spec's results for a zero divisor and overflow. */
static uint64_t rv_div(int64_t a, int64_t b)
{
    return b == 0 ? UINT64_MAX : (a == INT64_MIN && b == -1) ? (uint64_t)a : (uint64_t)(a / b);
}

static uint64_t rv_rem(int64_t a, int64_t b)
{
    return b == 0 ? (uint64_t)a : (a == INT64_MIN && b == -1) ? 0 : (uint64_t)(a % b);
}

/* ---- the loop ---------------------------------------------------------------------------- */

#define PAGE_OFFSET(a) ((a) & (TARGET_PAGE_SIZE - 1))

uint64_t rv_cpu_exec(CPURVState *env, uint64_t budget)
{
    const uint64_t n0 = env->insns, end = n0 + budget;
    uint64_t page_base = 1; /* no page: never a page address */
    RVDecodedPage *page = NULL;
    const uint8_t *host = NULL;
    const bool log_asm = log_enabled(LOG_IN_ASM);
    uint64_t *const x = env->x;
    /* pc and the instruction count live in registers; SYNC() before anything that reads them. */
    uint64_t pc, n, v;
    unsigned ilen = 0;
    const RVInsn *in;
    const RVTLBEntry *tlb_e;
    RVInsn crossing[3] = {{0}}; /* a page-crossing instruction, then two empty slots */
#if RV_THREADED
    static const void *const dispatch[RV_OP__COUNT] = {
#define RV_OP_LABEL(name) [RV_OP_##name] = &&L_##name,
        RV_OPS(RV_OP_LABEL)
#undef RV_OP_LABEL
    };
#endif

    env->slice_t0 = clock_get_ns(CLOCK_VIRTUAL);
    env->slice_n0 = n0;
    if (env->tlb_epoch != memory_cache_epoch()) {
        rv_tlb_flush(env);
    }
    env->exit_block = false;
    rv_take_interrupt(env);
    if (env->wfi) {
        if (!rv_wfi_wakeup(env)) {
            return 0;
        }
        env->wfi = false;
    }
    env->exit_block = false;
    if (log_enabled(LOG_CPU)) {
        rv_log_cpu(env);
    }
    pc = env->pc;
    n = n0;

/*
 * Before a call that may fault or change memory: the helper sees pc and the
 * count, and the length is kept, since a store or fence.i may empty the
 * decoded slot `in` points at (NEXT_CHECKED advances by ilen).
 */
#define SYNC() (env->pc = pc, env->insns = n, ilen = in->len)
/* At the fetch, before any instruction is in hand. */
#define SYNC_STATE() (env->pc = pc, env->insns = n)
#define RELOAD()     (pc = env->pc, n = env->insns)
#define RS1          x[in->rs1]
#define RS2          x[in->rs2]
#define RD           x[in->rd]
#define IMM          ((int64_t)in->imm)
#define UIMM         ((uint64_t)(int64_t)in->imm)
#define ILLEGAL()                                                                                  \
    do {                                                                                           \
        SYNC();                                                                                    \
        rv_raise_exception(env, RV_EXC_ILLEGAL_INSN, in->raw);                                     \
        goto trapped;                                                                              \
    } while (0)
/*
 * Loads and stores: the TLB probe inline; only a miss syncs pc and the count
 * for the slow path (which may fault, or reach a device and end the block).
 */
#define TLB_HIT(kind, addr, size)                                                                  \
    (tlb_e = &env->tlb[kind][((addr) >> TARGET_PAGE_BITS) & (RV_TLB_SIZE - 1)],                    \
     __builtin_expect(tlb_e->tag == ((addr) >> TARGET_PAGE_BITS) + 1 &&                            \
                          PAGE_OFFSET(addr) <= TARGET_PAGE_SIZE - (size),                          \
                      1))
#define LOAD(size, conv)                                                                           \
    do {                                                                                           \
        uint64_t addr_ = RS1 + UIMM;                                                               \
        if (TLB_HIT(RV_ACCESS_LOAD, addr_, size)) {                                                \
            RD = (uint64_t)(conv)rv_host_load((const void *)(uintptr_t)(addr_ + tlb_e->addend),    \
                                              size);                                               \
            NEXT();                                                                                \
        }                                                                                          \
        SYNC();                                                                                    \
        if (!rv_load_slow(env, addr_, size, &v)) {                                                 \
            goto trapped;                                                                          \
        }                                                                                          \
        RD = (uint64_t)(conv)v;                                                                    \
        NEXT_CHECKED();                                                                            \
    } while (0)
#define STORE(size)                                                                                \
    do {                                                                                           \
        uint64_t addr_ = RS1 + UIMM;                                                               \
        if (TLB_HIT(RV_ACCESS_STORE, addr_, size)) {                                               \
            rv_host_store((void *)(uintptr_t)(addr_ + tlb_e->addend), RS2, size);                  \
            NEXT();                                                                                \
        }                                                                                          \
        SYNC();                                                                                    \
        if (!rv_store_slow(env, addr_, size, RS2)) {                                               \
            goto trapped;                                                                          \
        }                                                                                          \
        NEXT_CHECKED();                                                                            \
    } while (0)
#define BRANCH(cond)                                                                               \
    do {                                                                                           \
        if (cond) {                                                                                \
            pc += UIMM;                                                                            \
            n++;                                                                                   \
            DISPATCH();                                                                            \
        }                                                                                          \
    } while (0)
#define JUMP(target)                                                                               \
    do {                                                                                           \
        pc = (target);                                                                             \
        n++;                                                                                       \
        DISPATCH();                                                                                \
    } while (0)
/* After a helper that may have changed pc (xRET): retire with env->pc as the next pc. */
#define RETIRE_JUMP()                                                                              \
    do {                                                                                           \
        pc = env->pc;                                                                              \
        n++;                                                                                       \
        if (env->exit_block) {                                                                     \
            goto out;                                                                              \
        }                                                                                          \
        DISPATCH();                                                                                \
    } while (0)
/*
 * The common end of an instruction: the next pc, x0 kept 0, counted, then
 * fetch and dispatch the next.  NEXT_CHECKED is for instructions that may
 * end the block (devices, CSRs, system): it leaves the loop when they did.
 */
#define NEXT()                                                                                     \
    do {                                                                                           \
        const unsigned len_ = in->len;                                                             \
        pc += len_;                                                                                \
        n++;                                                                                       \
        STEP(len_);                                                                                \
    } while (0)
#define NEXT_CHECKED()                                                                             \
    do {                                                                                           \
        pc += ilen;                                                                                \
        n++;                                                                                       \
        if (env->exit_block) {                                                                     \
            goto out;                                                                              \
        }                                                                                          \
        DISPATCH();                                                                                \
    } while (0)
#if RV_THREADED
/*
 * Each instruction ends with its own copy of the fetch and the indirect jump
 * (threaded code).  DISPATCH finds pc's slot (after a jump); STEP moves to
 * the next slot of the page (an empty slot, or the ones past the page's
 * end, refetch).
 */
#define DISPATCH()                                                                                 \
    do {                                                                                           \
        if (__builtin_expect(n >= end || (pc & ~(uint64_t)(TARGET_PAGE_SIZE - 1)) != page_base ||  \
                                 !(in = &page->insn[PAGE_OFFSET(pc) >> 1])->len,                   \
                             0)) {                                                                 \
            goto fetch;                                                                            \
        }                                                                                          \
        goto *dispatch[in->op];                                                                    \
    } while (0)
#define STEP(step)                                                                                 \
    do {                                                                                           \
        in += (step) >> 1;                                                                         \
        if (__builtin_expect(n >= end || !in->len, 0)) {                                           \
            goto fetch;                                                                            \
        }                                                                                          \
        goto *dispatch[in->op];                                                                    \
    } while (0)
#define OP(name) L_##name:
#define OP_DEFAULT
#else
#define DISPATCH() goto fetch
#define STEP(step) goto fetch
#define OP(name)   case RV_OP_##name:
#define OP_DEFAULT default:
#endif

fetch:
    if (n >= end) {
        goto out;
    }
    if ((pc & ~(uint64_t)(TARGET_PAGE_SIZE - 1)) != page_base) {
        SYNC_STATE();
        page = rv_fetch_page(env, pc, &host);
        if (!page) {
            goto trapped;
        }
        page_base = pc & ~(uint64_t)(TARGET_PAGE_SIZE - 1);
    }
    in = &page->insn[PAGE_OFFSET(pc) >> 1];
    if (__builtin_expect(!in->len, 0)) {
        uint16_t low = load_le16(host + PAGE_OFFSET(pc));
        if ((low & 3) == 3 && PAGE_OFFSET(pc) == TARGET_PAGE_SIZE - 2) {
            uint32_t raw;
            SYNC_STATE();
            if (!rv_fetch_crossing(env, pc, low, &raw)) {
                goto trapped;
            }
            rv_decode(raw, &crossing[0]);
            in = &crossing[0];
        } else {
            rv_decode((low & 3) == 3 ? load_le32(host + PAGE_OFFSET(pc)) : low,
                      &page->insn[PAGE_OFFSET(pc) >> 1]);
        }
        if (log_asm) {
            rv_log_insn(in, pc);
        }
        rv_sink_x0((RVInsn *)in);
    }
    // clang-format off
#if RV_THREADED
    goto *dispatch[in->op];
#else
    switch (in->op) {
#endif
    // clang-format on
    OP_DEFAULT
    OP(ILLEGAL)
    ILLEGAL();
    /* ---- RV64I ---- */
    OP(LUI)
    RD = UIMM;
    NEXT();
    OP(AUIPC)
    RD = pc + UIMM;
    NEXT();
    OP(JAL)
    v = pc + UIMM;
    RD = pc + in->len;
    JUMP(v);
    OP(JALR)
    v = (RS1 + UIMM) & ~UINT64_C(1);
    RD = pc + in->len;
    JUMP(v);
    OP(BEQ)
    BRANCH(RS1 == RS2);
    NEXT();
    OP(BNE)
    BRANCH(RS1 != RS2);
    NEXT();
    OP(BLT)
    BRANCH((int64_t)RS1 < (int64_t)RS2);
    NEXT();
    OP(BGE)
    BRANCH((int64_t)RS1 >= (int64_t)RS2);
    NEXT();
    OP(BLTU)
    BRANCH(RS1 < RS2);
    NEXT();
    OP(BGEU)
    BRANCH(RS1 >= RS2);
    NEXT();
    OP(LB)
    LOAD(1, int8_t);
    OP(LH)
    LOAD(2, int16_t);
    OP(LW)
    LOAD(4, int32_t);
    OP(LD)
    LOAD(8, uint64_t);
    OP(LBU)
    LOAD(1, uint8_t);
    OP(LHU)
    LOAD(2, uint16_t);
    OP(LWU)
    LOAD(4, uint32_t);
    OP(SB)
    STORE(1);
    NEXT();
    OP(SH)
    STORE(2);
    NEXT();
    OP(SW)
    STORE(4);
    NEXT();
    OP(SD)
    STORE(8);
    NEXT();
    OP(ADDI)
    RD = RS1 + UIMM;
    NEXT();
    OP(SLTI)
    RD = (int64_t)RS1 < IMM;
    NEXT();
    OP(SLTIU)
    RD = RS1 < UIMM;
    NEXT();
    OP(XORI)
    RD = RS1 ^ UIMM;
    NEXT();
    OP(ORI)
    RD = RS1 | UIMM;
    NEXT();
    OP(ANDI)
    RD = RS1 & UIMM;
    NEXT();
    OP(SLLI)
    RD = RS1 << (in->imm & 63);
    NEXT();
    OP(SRLI)
    RD = RS1 >> (in->imm & 63);
    NEXT();
    OP(SRAI)
    RD = (uint64_t)((int64_t)RS1 >> (in->imm & 63));
    NEXT();
    OP(ADD)
    RD = RS1 + RS2;
    NEXT();
    OP(SUB)
    RD = RS1 - RS2;
    NEXT();
    OP(SLL)
    RD = RS1 << (RS2 & 63);
    NEXT();
    OP(SLT)
    RD = (int64_t)RS1 < (int64_t)RS2;
    NEXT();
    OP(SLTU)
    RD = RS1 < RS2;
    NEXT();
    OP(XOR)
    RD = RS1 ^ RS2;
    NEXT();
    OP(SRL)
    RD = RS1 >> (RS2 & 63);
    NEXT();
    OP(SRA)
    RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63));
    NEXT();
    OP(OR)
    RD = RS1 | RS2;
    NEXT();
    OP(AND)
    RD = RS1 & RS2;
    NEXT();
    OP(ADDIW)
    RD = rv_sext32(RS1 + UIMM);
    NEXT();
    OP(SLLIW)
    RD = rv_sext32((uint32_t)RS1 << (in->imm & 31));
    NEXT();
    OP(SRLIW)
    RD = rv_sext32((uint32_t)RS1 >> (in->imm & 31));
    NEXT();
    OP(SRAIW)
    RD = (uint64_t)(int64_t)((int32_t)RS1 >> (in->imm & 31));
    NEXT();
    OP(ADDW)
    RD = rv_sext32(RS1 + RS2);
    NEXT();
    OP(SUBW)
    RD = rv_sext32(RS1 - RS2);
    NEXT();
    OP(SLLW)
    RD = rv_sext32((uint32_t)RS1 << (RS2 & 31));
    NEXT();
    OP(SRLW)
    RD = rv_sext32((uint32_t)RS1 >> (RS2 & 31));
    NEXT();
    OP(SRAW)
    RD = (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31));
    NEXT();
    OP(FENCE)
    NEXT();
    OP(FENCE_I)
    SYNC();
    rv_code_flush_all();
    env->exit_block = true;
    NEXT_CHECKED();
    OP(ECALL)
    SYNC();
    rv_raise_exception(env, RV_EXC_ECALL_U + env->priv, 0);
    goto trapped;
    OP(EBREAK)
    SYNC();
    rv_raise_exception(env, RV_EXC_BREAKPOINT, pc);
    goto trapped;
    /* ---- Zicsr ---- */
    OP(CSRRW)
    OP(CSRRS)
    OP(CSRRC)
    OP(CSRRWI)
    OP(CSRRSI)
    OP(CSRRCI)
    SYNC();
    if (!rv_exec_csr(env, in)) {
        ILLEGAL();
    }
    NEXT_CHECKED();
    /* ---- privileged ---- */
    OP(MRET)
    SYNC();
    if (!rv_mret(env)) {
        ILLEGAL();
    }
    RETIRE_JUMP();
    OP(SRET)
    SYNC();
    if (!rv_sret(env)) {
        ILLEGAL();
    }
    RETIRE_JUMP();
    OP(WFI)
    SYNC();
    if (!rv_wfi_allowed(env)) {
        ILLEGAL();
    }
    env->wfi = !rv_wfi_wakeup(env);
    env->exit_block = true;
    NEXT_CHECKED();
    OP(SFENCE_VMA)
    SYNC();
    if (env->priv == RV_PRIV_U || (env->priv == RV_PRIV_S && (env->mstatus & RV_MSTATUS_TVM))) {
        ILLEGAL();
    }
    rv_tlb_flush(env);
    env->exit_block = true;
    NEXT_CHECKED();
    /* ---- M ---- */
    OP(MUL)
    RD = RS1 * RS2;
    NEXT();
    OP(MULH)
    RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64);
    NEXT();
    OP(MULHSU)
    RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(unsigned __int128)RS2) >> 64);
    NEXT();
    OP(MULHU)
    RD = (uint64_t)(((unsigned __int128)RS1 * (unsigned __int128)RS2) >> 64);
    NEXT();
    OP(DIV)
    RD = rv_div((int64_t)RS1, (int64_t)RS2);
    NEXT();
    OP(DIVU)
    RD = RS2 ? RS1 / RS2 : UINT64_MAX;
    NEXT();
    OP(REM)
    RD = rv_rem((int64_t)RS1, (int64_t)RS2);
    NEXT();
    OP(REMU)
    RD = RS2 ? RS1 % RS2 : RS1;
    NEXT();
    OP(MULW)
    RD = rv_sext32(RS1 * RS2);
    NEXT();
    OP(DIVW)
    RD = rv_sext32(rv_div((int32_t)RS1, (int32_t)RS2));
    NEXT();
    OP(DIVUW)
    RD = rv_sext32((uint32_t)RS2 ? (uint32_t)RS1 / (uint32_t)RS2 : UINT32_MAX);
    NEXT();
    OP(REMW)
    RD = rv_sext32(rv_rem((int32_t)RS1, (int32_t)RS2));
    NEXT();
    OP(REMUW)
    RD = rv_sext32((uint32_t)RS2 ? (uint32_t)RS1 % (uint32_t)RS2 : (uint32_t)RS1);
    NEXT();
    /* ---- A ---- */
    OP(LR_W)
    OP(SC_W)
    OP(AMOSWAP_W)
    OP(AMOADD_W)
    OP(AMOXOR_W)
    OP(AMOAND_W)
    OP(AMOOR_W)
    OP(AMOMIN_W)
    OP(AMOMAX_W)
    OP(AMOMINU_W)
    OP(AMOMAXU_W)
    OP(LR_D)
    OP(SC_D)
    OP(AMOSWAP_D)
    OP(AMOADD_D)
    OP(AMOXOR_D)
    OP(AMOAND_D)
    OP(AMOOR_D)
    OP(AMOMIN_D)
    OP(AMOMAX_D)
    OP(AMOMINU_D)
    OP(AMOMAXU_D)
    SYNC();
    if (!rv_exec_atomic(env, in)) {
        goto trapped;
    }
    NEXT_CHECKED();
    /* ---- F and D loads and stores ---- */
    OP(FLW)
    OP(FLD)
    if (!rv_fs_on(env)) {
        ILLEGAL();
    }
    SYNC();
    if (!rv_load_fast(env, RS1 + UIMM, in->op == RV_OP_FLW ? 4 : 8, &v)) {
        goto trapped;
    }
    env->f[in->rd] = in->op == RV_OP_FLW ? v | UINT64_C(0xffffffff00000000) : v;
    rv_fs_dirty(env);
    NEXT_CHECKED();
    OP(FSW)
    OP(FSD)
    if (!rv_fs_on(env)) {
        ILLEGAL();
    }
    SYNC();
    if (!rv_store_fast(env, RS1 + UIMM, in->op == RV_OP_FSW ? 4 : 8, env->f[in->rs2])) {
        goto trapped;
    }
    NEXT_CHECKED();
    /* ---- Zba ---- */
    OP(ADD_UW)
    RD = (uint32_t)RS1 + RS2;
    NEXT();
    OP(SH1ADD)
    RD = (RS1 << 1) + RS2;
    NEXT();
    OP(SH2ADD)
    RD = (RS1 << 2) + RS2;
    NEXT();
    OP(SH3ADD)
    RD = (RS1 << 3) + RS2;
    NEXT();
    OP(SH1ADD_UW)
    RD = ((uint64_t)(uint32_t)RS1 << 1) + RS2;
    NEXT();
    OP(SH2ADD_UW)
    RD = ((uint64_t)(uint32_t)RS1 << 2) + RS2;
    NEXT();
    OP(SH3ADD_UW)
    RD = ((uint64_t)(uint32_t)RS1 << 3) + RS2;
    NEXT();
    OP(SLLI_UW)
    RD = (uint64_t)(uint32_t)RS1 << (in->imm & 63);
    NEXT();
    /* ---- Zbb ---- */
    OP(ANDN)
    RD = RS1 & ~RS2;
    NEXT();
    OP(ORN)
    RD = RS1 | ~RS2;
    NEXT();
    OP(XNOR)
    RD = ~(RS1 ^ RS2);
    NEXT();
    OP(CLZ)
    RD = RS1 ? (uint64_t)__builtin_clzll(RS1) : 64;
    NEXT();
    OP(CLZW)
    RD = (uint32_t)RS1 ? (uint64_t)__builtin_clz((uint32_t)RS1) : 32;
    NEXT();
    OP(CTZ)
    RD = RS1 ? (uint64_t)__builtin_ctzll(RS1) : 64;
    NEXT();
    OP(CTZW)
    RD = (uint32_t)RS1 ? (uint64_t)__builtin_ctz((uint32_t)RS1) : 32;
    NEXT();
    OP(CPOP)
    RD = (uint64_t)__builtin_popcountll(RS1);
    NEXT();
    OP(CPOPW)
    RD = (uint64_t)__builtin_popcount((uint32_t)RS1);
    NEXT();
    OP(MAX)
    RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2;
    NEXT();
    OP(MAXU)
    RD = RS1 > RS2 ? RS1 : RS2;
    NEXT();
    OP(MIN)
    RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2;
    NEXT();
    OP(MINU)
    RD = RS1 < RS2 ? RS1 : RS2;
    NEXT();
    OP(SEXT_B)
    RD = (uint64_t)(int64_t)(int8_t)RS1;
    NEXT();
    OP(SEXT_H)
    RD = (uint64_t)(int64_t)(int16_t)RS1;
    NEXT();
    OP(ZEXT_H)
    RD = (uint16_t)RS1;
    NEXT();
    OP(ROL)
    RD = rv_ror64(RS1, 64 - (RS2 & 63));
    NEXT();
    OP(ROLW)
    RD = rv_sext32(rv_ror32((uint32_t)RS1, 32 - (RS2 & 31)));
    NEXT();
    OP(ROR)
    RD = rv_ror64(RS1, RS2 & 63);
    NEXT();
    OP(RORI)
    RD = rv_ror64(RS1, in->imm & 63);
    NEXT();
    OP(RORIW)
    RD = rv_sext32(rv_ror32((uint32_t)RS1, in->imm & 31));
    NEXT();
    OP(RORW)
    RD = rv_sext32(rv_ror32((uint32_t)RS1, RS2 & 31));
    NEXT();
    OP(ORC_B)
    RD = rv_orc_b(RS1);
    NEXT();
    OP(REV8)
    RD = __builtin_bswap64(RS1);
    NEXT();
    /* ---- Zbs ---- */
    OP(BCLR)
    RD = RS1 & ~(UINT64_C(1) << (RS2 & 63));
    NEXT();
    OP(BCLRI)
    RD = RS1 & ~(UINT64_C(1) << (in->imm & 63));
    NEXT();
    OP(BEXT)
    RD = (RS1 >> (RS2 & 63)) & 1;
    NEXT();
    OP(BEXTI)
    RD = (RS1 >> (in->imm & 63)) & 1;
    NEXT();
    OP(BINV)
    RD = RS1 ^ (UINT64_C(1) << (RS2 & 63));
    NEXT();
    OP(BINVI)
    RD = RS1 ^ (UINT64_C(1) << (in->imm & 63));
    NEXT();
    OP(BSET)
    RD = RS1 | (UINT64_C(1) << (RS2 & 63));
    NEXT();
    OP(BSETI)
    RD = RS1 | (UINT64_C(1) << (in->imm & 63));
    NEXT();
    /* ---- the rest of F and D ---- */
    OP(FMADD_S)
    OP(FMSUB_S)
    OP(FNMSUB_S)
    OP(FNMADD_S)
    OP(FADD_S)
    OP(FSUB_S)
    OP(FMUL_S)
    OP(FDIV_S)
    OP(FSQRT_S)
    OP(FSGNJ_S)
    OP(FSGNJN_S)
    OP(FSGNJX_S)
    OP(FMIN_S)
    OP(FMAX_S)
    OP(FCVT_W_S)
    OP(FCVT_WU_S)
    OP(FMV_X_W)
    OP(FEQ_S)
    OP(FLT_S)
    OP(FLE_S)
    OP(FCLASS_S)
    OP(FCVT_S_W)
    OP(FCVT_S_WU)
    OP(FMV_W_X)
    OP(FCVT_L_S)
    OP(FCVT_LU_S)
    OP(FCVT_S_L)
    OP(FCVT_S_LU)
    OP(FMADD_D)
    OP(FMSUB_D)
    OP(FNMSUB_D)
    OP(FNMADD_D)
    OP(FADD_D)
    OP(FSUB_D)
    OP(FMUL_D)
    OP(FDIV_D)
    OP(FSQRT_D)
    OP(FSGNJ_D)
    OP(FSGNJN_D)
    OP(FSGNJX_D)
    OP(FMIN_D)
    OP(FMAX_D)
    OP(FCVT_S_D)
    OP(FCVT_D_S)
    OP(FEQ_D)
    OP(FLT_D)
    OP(FLE_D)
    OP(FCLASS_D)
    OP(FCVT_W_D)
    OP(FCVT_WU_D)
    OP(FCVT_D_W)
    OP(FCVT_D_WU)
    OP(FCVT_L_D)
    OP(FCVT_LU_D)
    OP(FMV_X_D)
    OP(FCVT_D_L)
    OP(FCVT_D_LU)
    OP(FMV_D_X)
    if (!rv_fpu_exec(env, in)) {
        ILLEGAL();
    }
    NEXT();
    /* The switch's closing brace exists only in the switch build. */
    // clang-format off
#if !RV_THREADED
    }
#endif

trapped:
    /* A trapping instruction takes its time too: a fault loop still moves the clock. */
    RELOAD();
    n++;
out:
    SYNC_STATE();
    rv_clock_sync(env);
    return n - n0;
// clang-format on
#undef SYNC
#undef SYNC_STATE
#undef RELOAD
#undef RS1
#undef RS2
#undef RD
#undef IMM
#undef UIMM
#undef ILLEGAL
#undef LOAD
#undef STORE
#undef BRANCH
#undef RETIRE_JUMP
#undef JUMP
#undef NEXT
#undef NEXT_CHECKED
#undef TLB_HIT
#undef DISPATCH
#undef STEP
#undef OP
#undef OP_DEFAULT
}
