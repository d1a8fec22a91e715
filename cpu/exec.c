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

    while (env->insns < end) {
        const uint64_t pc = env->pc;
        const RVInsn *in;
        RVInsn crossing;
        uint64_t *x = env->x, v;

        if ((pc & ~(uint64_t)(TARGET_PAGE_SIZE - 1)) != page_base) {
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
                if (!rv_fetch_crossing(env, pc, low, &raw)) {
                    goto trapped;
                }
                rv_decode(raw, &crossing);
                in = &crossing;
            } else {
                rv_decode((low & 3) == 3 ? load_le32(host + PAGE_OFFSET(pc)) : low,
                          &page->insn[PAGE_OFFSET(pc) >> 1]);
            }
            if (log_asm) {
                rv_log_insn(in, pc);
            }
        }

#define RS1  x[in->rs1]
#define RS2  x[in->rs2]
#define RD   x[in->rd]
#define IMM  ((int64_t)in->imm)
#define UIMM ((uint64_t)(int64_t)in->imm)
#define ILLEGAL()                                                                                  \
    do {                                                                                           \
        rv_raise_exception(env, RV_EXC_ILLEGAL_INSN, in->raw);                                     \
        goto trapped;                                                                              \
    } while (0)
#define LOAD(size, conv)                                                                           \
    do {                                                                                           \
        if (!rv_load_fast(env, RS1 + UIMM, size, &v)) {                                            \
            goto trapped;                                                                          \
        }                                                                                          \
        RD = (uint64_t)(conv)v;                                                                    \
    } while (0)
#define STORE(size)                                                                                \
    do {                                                                                           \
        if (!rv_store_fast(env, RS1 + UIMM, size, RS2)) {                                          \
            goto trapped;                                                                          \
        }                                                                                          \
    } while (0)
#define BRANCH(cond)                                                                               \
    do {                                                                                           \
        if (cond) {                                                                                \
            env->pc = pc + UIMM;                                                                   \
            goto retire;                                                                           \
        }                                                                                          \
    } while (0)

        switch ((RVOp)in->op) {
        case RV_OP_ILLEGAL:
            ILLEGAL();
        /* ---- RV64I ---- */
        case RV_OP_LUI:
            RD = UIMM;
            break;
        case RV_OP_AUIPC:
            RD = pc + UIMM;
            break;
        case RV_OP_JAL:
            RD = pc + in->len;
            env->pc = pc + UIMM;
            goto retire;
        case RV_OP_JALR:
            v = (RS1 + UIMM) & ~UINT64_C(1);
            RD = pc + in->len;
            env->pc = v;
            goto retire;
        case RV_OP_BEQ:
            BRANCH(RS1 == RS2);
            break;
        case RV_OP_BNE:
            BRANCH(RS1 != RS2);
            break;
        case RV_OP_BLT:
            BRANCH((int64_t)RS1 < (int64_t)RS2);
            break;
        case RV_OP_BGE:
            BRANCH((int64_t)RS1 >= (int64_t)RS2);
            break;
        case RV_OP_BLTU:
            BRANCH(RS1 < RS2);
            break;
        case RV_OP_BGEU:
            BRANCH(RS1 >= RS2);
            break;
        case RV_OP_LB:
            LOAD(1, int8_t);
            break;
        case RV_OP_LH:
            LOAD(2, int16_t);
            break;
        case RV_OP_LW:
            LOAD(4, int32_t);
            break;
        case RV_OP_LD:
            LOAD(8, uint64_t);
            break;
        case RV_OP_LBU:
            LOAD(1, uint8_t);
            break;
        case RV_OP_LHU:
            LOAD(2, uint16_t);
            break;
        case RV_OP_LWU:
            LOAD(4, uint32_t);
            break;
        case RV_OP_SB:
            STORE(1);
            break;
        case RV_OP_SH:
            STORE(2);
            break;
        case RV_OP_SW:
            STORE(4);
            break;
        case RV_OP_SD:
            STORE(8);
            break;
        case RV_OP_ADDI:
            RD = RS1 + UIMM;
            break;
        case RV_OP_SLTI:
            RD = (int64_t)RS1 < IMM;
            break;
        case RV_OP_SLTIU:
            RD = RS1 < UIMM;
            break;
        case RV_OP_XORI:
            RD = RS1 ^ UIMM;
            break;
        case RV_OP_ORI:
            RD = RS1 | UIMM;
            break;
        case RV_OP_ANDI:
            RD = RS1 & UIMM;
            break;
        case RV_OP_SLLI:
            RD = RS1 << (in->imm & 63);
            break;
        case RV_OP_SRLI:
            RD = RS1 >> (in->imm & 63);
            break;
        case RV_OP_SRAI:
            RD = (uint64_t)((int64_t)RS1 >> (in->imm & 63));
            break;
        case RV_OP_ADD:
            RD = RS1 + RS2;
            break;
        case RV_OP_SUB:
            RD = RS1 - RS2;
            break;
        case RV_OP_SLL:
            RD = RS1 << (RS2 & 63);
            break;
        case RV_OP_SLT:
            RD = (int64_t)RS1 < (int64_t)RS2;
            break;
        case RV_OP_SLTU:
            RD = RS1 < RS2;
            break;
        case RV_OP_XOR:
            RD = RS1 ^ RS2;
            break;
        case RV_OP_SRL:
            RD = RS1 >> (RS2 & 63);
            break;
        case RV_OP_SRA:
            RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63));
            break;
        case RV_OP_OR:
            RD = RS1 | RS2;
            break;
        case RV_OP_AND:
            RD = RS1 & RS2;
            break;
        case RV_OP_ADDIW:
            RD = rv_sext32(RS1 + UIMM);
            break;
        case RV_OP_SLLIW:
            RD = rv_sext32((uint32_t)RS1 << (in->imm & 31));
            break;
        case RV_OP_SRLIW:
            RD = rv_sext32((uint32_t)RS1 >> (in->imm & 31));
            break;
        case RV_OP_SRAIW:
            RD = (uint64_t)(int64_t)((int32_t)RS1 >> (in->imm & 31));
            break;
        case RV_OP_ADDW:
            RD = rv_sext32(RS1 + RS2);
            break;
        case RV_OP_SUBW:
            RD = rv_sext32(RS1 - RS2);
            break;
        case RV_OP_SLLW:
            RD = rv_sext32((uint32_t)RS1 << (RS2 & 31));
            break;
        case RV_OP_SRLW:
            RD = rv_sext32((uint32_t)RS1 >> (RS2 & 31));
            break;
        case RV_OP_SRAW:
            RD = (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31));
            break;
        case RV_OP_FENCE:
            break;
        case RV_OP_FENCE_I:
            rv_code_flush_all();
            env->exit_block = true;
            break;
        case RV_OP_ECALL:
            rv_raise_exception(env, RV_EXC_ECALL_U + env->priv, 0);
            goto trapped;
        case RV_OP_EBREAK:
            rv_raise_exception(env, RV_EXC_BREAKPOINT, pc);
            goto trapped;
        /* ---- Zicsr ---- */
        case RV_OP_CSRRW:
        case RV_OP_CSRRS:
        case RV_OP_CSRRC:
        case RV_OP_CSRRWI:
        case RV_OP_CSRRSI:
        case RV_OP_CSRRCI:
            if (!rv_exec_csr(env, in)) {
                ILLEGAL();
            }
            break;
        /* ---- privileged ---- */
        case RV_OP_MRET:
            if (!rv_mret(env)) {
                ILLEGAL();
            }
            goto retire;
        case RV_OP_SRET:
            if (!rv_sret(env)) {
                ILLEGAL();
            }
            goto retire;
        case RV_OP_WFI:
            if (!rv_wfi_allowed(env)) {
                ILLEGAL();
            }
            env->wfi = !rv_wfi_wakeup(env);
            env->exit_block = true;
            break;
        case RV_OP_SFENCE_VMA:
            if (env->priv == RV_PRIV_U ||
                (env->priv == RV_PRIV_S && (env->mstatus & RV_MSTATUS_TVM))) {
                ILLEGAL();
            }
            rv_tlb_flush(env);
            env->exit_block = true;
            break;
        /* ---- M ---- */
        case RV_OP_MUL:
            RD = RS1 * RS2;
            break;
        case RV_OP_MULH:
            RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64);
            break;
        case RV_OP_MULHSU:
            RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(unsigned __int128)RS2) >> 64);
            break;
        case RV_OP_MULHU:
            RD = (uint64_t)(((unsigned __int128)RS1 * (unsigned __int128)RS2) >> 64);
            break;
        case RV_OP_DIV:
            RD = rv_div((int64_t)RS1, (int64_t)RS2);
            break;
        case RV_OP_DIVU:
            RD = RS2 ? RS1 / RS2 : UINT64_MAX;
            break;
        case RV_OP_REM:
            RD = rv_rem((int64_t)RS1, (int64_t)RS2);
            break;
        case RV_OP_REMU:
            RD = RS2 ? RS1 % RS2 : RS1;
            break;
        case RV_OP_MULW:
            RD = rv_sext32(RS1 * RS2);
            break;
        case RV_OP_DIVW:
            RD = rv_sext32(rv_div((int32_t)RS1, (int32_t)RS2));
            break;
        case RV_OP_DIVUW:
            RD = rv_sext32((uint32_t)RS2 ? (uint32_t)RS1 / (uint32_t)RS2 : UINT32_MAX);
            break;
        case RV_OP_REMW:
            RD = rv_sext32(rv_rem((int32_t)RS1, (int32_t)RS2));
            break;
        case RV_OP_REMUW:
            RD = rv_sext32((uint32_t)RS2 ? (uint32_t)RS1 % (uint32_t)RS2 : (uint32_t)RS1);
            break;
        /* ---- A ---- */
        case RV_OP_LR_W:
        case RV_OP_SC_W:
        case RV_OP_AMOSWAP_W:
        case RV_OP_AMOADD_W:
        case RV_OP_AMOXOR_W:
        case RV_OP_AMOAND_W:
        case RV_OP_AMOOR_W:
        case RV_OP_AMOMIN_W:
        case RV_OP_AMOMAX_W:
        case RV_OP_AMOMINU_W:
        case RV_OP_AMOMAXU_W:
        case RV_OP_LR_D:
        case RV_OP_SC_D:
        case RV_OP_AMOSWAP_D:
        case RV_OP_AMOADD_D:
        case RV_OP_AMOXOR_D:
        case RV_OP_AMOAND_D:
        case RV_OP_AMOOR_D:
        case RV_OP_AMOMIN_D:
        case RV_OP_AMOMAX_D:
        case RV_OP_AMOMINU_D:
        case RV_OP_AMOMAXU_D:
            if (!rv_exec_atomic(env, in)) {
                goto trapped;
            }
            break;
        /* ---- F and D loads and stores ---- */
        case RV_OP_FLW:
        case RV_OP_FLD:
            if (!rv_fs_on(env)) {
                ILLEGAL();
            }
            if (!rv_load_fast(env, RS1 + UIMM, in->op == RV_OP_FLW ? 4 : 8, &v)) {
                goto trapped;
            }
            env->f[in->rd] = in->op == RV_OP_FLW ? v | UINT64_C(0xffffffff00000000) : v;
            rv_fs_dirty(env);
            break;
        case RV_OP_FSW:
        case RV_OP_FSD:
            if (!rv_fs_on(env)) {
                ILLEGAL();
            }
            if (!rv_store_fast(env, RS1 + UIMM, in->op == RV_OP_FSW ? 4 : 8, env->f[in->rs2])) {
                goto trapped;
            }
            break;
        /* ---- Zba ---- */
        case RV_OP_ADD_UW:
            RD = (uint32_t)RS1 + RS2;
            break;
        case RV_OP_SH1ADD:
            RD = (RS1 << 1) + RS2;
            break;
        case RV_OP_SH2ADD:
            RD = (RS1 << 2) + RS2;
            break;
        case RV_OP_SH3ADD:
            RD = (RS1 << 3) + RS2;
            break;
        case RV_OP_SH1ADD_UW:
            RD = ((uint64_t)(uint32_t)RS1 << 1) + RS2;
            break;
        case RV_OP_SH2ADD_UW:
            RD = ((uint64_t)(uint32_t)RS1 << 2) + RS2;
            break;
        case RV_OP_SH3ADD_UW:
            RD = ((uint64_t)(uint32_t)RS1 << 3) + RS2;
            break;
        case RV_OP_SLLI_UW:
            RD = (uint64_t)(uint32_t)RS1 << (in->imm & 63);
            break;
        /* ---- Zbb ---- */
        case RV_OP_ANDN:
            RD = RS1 & ~RS2;
            break;
        case RV_OP_ORN:
            RD = RS1 | ~RS2;
            break;
        case RV_OP_XNOR:
            RD = ~(RS1 ^ RS2);
            break;
        case RV_OP_CLZ:
            RD = RS1 ? (uint64_t)__builtin_clzll(RS1) : 64;
            break;
        case RV_OP_CLZW:
            RD = (uint32_t)RS1 ? (uint64_t)__builtin_clz((uint32_t)RS1) : 32;
            break;
        case RV_OP_CTZ:
            RD = RS1 ? (uint64_t)__builtin_ctzll(RS1) : 64;
            break;
        case RV_OP_CTZW:
            RD = (uint32_t)RS1 ? (uint64_t)__builtin_ctz((uint32_t)RS1) : 32;
            break;
        case RV_OP_CPOP:
            RD = (uint64_t)__builtin_popcountll(RS1);
            break;
        case RV_OP_CPOPW:
            RD = (uint64_t)__builtin_popcount((uint32_t)RS1);
            break;
        case RV_OP_MAX:
            RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2;
            break;
        case RV_OP_MAXU:
            RD = RS1 > RS2 ? RS1 : RS2;
            break;
        case RV_OP_MIN:
            RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2;
            break;
        case RV_OP_MINU:
            RD = RS1 < RS2 ? RS1 : RS2;
            break;
        case RV_OP_SEXT_B:
            RD = (uint64_t)(int64_t)(int8_t)RS1;
            break;
        case RV_OP_SEXT_H:
            RD = (uint64_t)(int64_t)(int16_t)RS1;
            break;
        case RV_OP_ZEXT_H:
            RD = (uint16_t)RS1;
            break;
        case RV_OP_ROL:
            RD = rv_ror64(RS1, 64 - (RS2 & 63));
            break;
        case RV_OP_ROLW:
            RD = rv_sext32(rv_ror32((uint32_t)RS1, 32 - (RS2 & 31)));
            break;
        case RV_OP_ROR:
            RD = rv_ror64(RS1, RS2 & 63);
            break;
        case RV_OP_RORI:
            RD = rv_ror64(RS1, in->imm & 63);
            break;
        case RV_OP_RORIW:
            RD = rv_sext32(rv_ror32((uint32_t)RS1, in->imm & 31));
            break;
        case RV_OP_RORW:
            RD = rv_sext32(rv_ror32((uint32_t)RS1, RS2 & 31));
            break;
        case RV_OP_ORC_B:
            RD = rv_orc_b(RS1);
            break;
        case RV_OP_REV8:
            RD = __builtin_bswap64(RS1);
            break;
        /* ---- Zbs ---- */
        case RV_OP_BCLR:
            RD = RS1 & ~(UINT64_C(1) << (RS2 & 63));
            break;
        case RV_OP_BCLRI:
            RD = RS1 & ~(UINT64_C(1) << (in->imm & 63));
            break;
        case RV_OP_BEXT:
            RD = (RS1 >> (RS2 & 63)) & 1;
            break;
        case RV_OP_BEXTI:
            RD = (RS1 >> (in->imm & 63)) & 1;
            break;
        case RV_OP_BINV:
            RD = RS1 ^ (UINT64_C(1) << (RS2 & 63));
            break;
        case RV_OP_BINVI:
            RD = RS1 ^ (UINT64_C(1) << (in->imm & 63));
            break;
        case RV_OP_BSET:
            RD = RS1 | (UINT64_C(1) << (RS2 & 63));
            break;
        case RV_OP_BSETI:
            RD = RS1 | (UINT64_C(1) << (in->imm & 63));
            break;
        /* ---- the rest of F and D ---- */
        default:
            if (!rv_fpu_exec(env, in)) {
                ILLEGAL();
            }
            break;
        }
        env->pc = pc + in->len;
    retire:
        x[0] = 0;
        env->insns++;
        if (__builtin_expect(env->exit_block, 0)) {
            break;
        }
        continue;
    trapped:
        /* A trapping instruction takes its time too: a fault loop still moves the clock. */
        env->x[0] = 0;
        env->insns++;
        break;
#undef RS1
#undef RS2
#undef RD
#undef IMM
#undef UIMM
#undef ILLEGAL
#undef LOAD
#undef STORE
#undef BRANCH
    }
    rv_clock_sync(env);
    return env->insns - n0;
}
