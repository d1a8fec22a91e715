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
    /* The store below may empty the slot `in` points at (code storing into itself): copy it first.
     */
    const RVInsn insn = *in;
    bool word = insn.op <= RV_OP_AMOMAXU_W;
    unsigned size = word ? 4 : 8;
    uint64_t addr = env->x[insn.rs1], paddr, old;
    bool lr = insn.op == RV_OP_LR_W || insn.op == RV_OP_LR_D;
    bool sc = insn.op == RV_OP_SC_W || insn.op == RV_OP_SC_D;

    if (!rv_amo_translate(env, addr, size, lr, sc, &paddr)) {
        return false;
    }
    if (sc) {
        uint64_t ok = env->res_valid && env->res_addr == paddr;
        env->res_valid = false;
        if (ok && !rv_phys_store(env, paddr, size, env->x[insn.rs2])) {
            rv_raise_exception(env, RV_EXC_STORE_ACCESS, addr);
            return false;
        }
        env->x[insn.rd] = !ok;
        return true;
    }
    if (!rv_phys_load(env, paddr, size, &old)) {
        rv_raise_exception(env, lr ? RV_EXC_LOAD_ACCESS : RV_EXC_STORE_ACCESS, addr);
        return false;
    }
    if (lr) {
        env->res_valid = true;
        env->res_addr = paddr;
    } else if (!rv_phys_store(env, paddr, size, rv_amo_op(insn.op, old, env->x[insn.rs2], word))) {
        rv_raise_exception(env, RV_EXC_STORE_ACCESS, addr);
        return false;
    }
    env->x[insn.rd] = word ? rv_sext32(old) : old;
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
    unsigned ilen = 0, ird = 0; /* the length and rd of the instruction in hand, kept by SYNC() */
    const RVInsn *in;
    const RVTLBEntry *tlb_e;
    RVInsn crossing[3] = {{0}}; /* a page-crossing instruction, then two empty slots */
#if RV_THREADED
    /* [length / 4][operation]: the bodies for 2-byte and 4-byte encodings (exec-ops.h). */
    static const void *const dispatch[2][RV_OP__COUNT] = {
        {
#define RV_OP_LABEL(name) [RV_OP_##name] = &&L2_##name,
            RV_OPS(RV_OP_LABEL)
#undef RV_OP_LABEL
        },
        {
#define RV_OP_LABEL(name) [RV_OP_##name] = &&L4_##name,
            RV_OPS(RV_OP_LABEL)
#undef RV_OP_LABEL
        },
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
 * decoded slot `in` points at (NEXT_CHECKED advances by ilen; a result
 * after such a call goes to x[ird]).
 */
#define SYNC() (env->pc = pc, env->insns = n, ilen = in->len, ird = in->rd)
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
        x[ird] = (uint64_t)(conv)v;                                                                \
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
/* An F/D load: the value (boxed with box) to f[rd]; rd kept by SYNC() past the call. */
#define FP_LOAD(size, box)                                                                         \
    do {                                                                                           \
        if (!rv_fs_on(env)) {                                                                      \
            ILLEGAL();                                                                             \
        }                                                                                          \
        SYNC();                                                                                    \
        if (!rv_load_fast(env, RS1 + UIMM, size, &v)) {                                            \
            goto trapped;                                                                          \
        }                                                                                          \
        env->f[ird] = v | (box);                                                                   \
        rv_fs_dirty(env);                                                                          \
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
        pc += ILEN;                                                                                \
        n++;                                                                                       \
        STEP(ILEN);                                                                                \
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
        goto *dispatch[in->len >> 2][in->op];                                                      \
    } while (0)
#define STEP(step)                                                                                 \
    do {                                                                                           \
        in += (step) >> 1;                                                                         \
        if (__builtin_expect(n >= end || !in->len, 0)) {                                           \
            goto fetch;                                                                            \
        }                                                                                          \
        goto *dispatch[in->len >> 2][in->op];                                                      \
    } while (0)
#define OP_DEFAULT
#else
#define DISPATCH() goto fetch
#define STEP(step) goto fetch
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
        /* An uncached page (PMP splits it) holds this instruction only: fetch again after it. */
        page_base = page->uncached ? 1 : pc & ~(uint64_t)(TARGET_PAGE_SIZE - 1);
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
        /* A page-crossing instruction is decoded each time, but logged once like the rest. */
        if (log_asm && (in != crossing || rv_code_crossing_first(pc, in->raw))) {
            rv_log_insn(in, pc);
        }
        rv_sink_x0((RVInsn *)in);
    }
    // clang-format off
#if RV_THREADED
    goto *dispatch[in->len >> 2][in->op];
#define OP(name) L2_##name:
#define ILEN 2
#include "cpu/exec-ops.h"
#undef OP
#undef ILEN
#define OP(name) L4_##name:
#define ILEN 4
#include "cpu/exec-ops.h"
#undef OP
#undef ILEN
#else
#define OP(name) case RV_OP_##name:
#define ILEN (in->len)
    switch (in->op) {
#include "cpu/exec-ops.h"
    }
#undef OP
#undef ILEN
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
#undef FP_LOAD
#undef RETIRE_JUMP
#undef JUMP
#undef NEXT
#undef NEXT_CHECKED
#undef TLB_HIT
#undef DISPATCH
#undef STEP
#undef OP_DEFAULT
}
