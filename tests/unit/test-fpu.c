/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fpu.c - cpu/fpu.c: the F and D operations on a bare CPURVState, one
 * instruction at a time.  Every expected value is worked out from the
 * RISC-V and IEEE 754 rules (the comments say how), never taken from the
 * implementation: rounding in each of the five modes (ties included),
 * canonical NaNs, NaN-boxing, min/max and compares with NaNs and zeros,
 * saturating conversions, fclass, underflow after rounding, overflow, and
 * the legality (FS, rounding modes) and mstatus.FS/SD updates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fenv.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"

#define NV 16
#define DZ 8
#define OF 4
#define UF 2
#define NX 1

enum { RNE, RTZ, RDN, RUP, RMM, DYN = 7 };

#define CANON_S 0x7fc00000u
#define CANON_D 0x7ff8000000000000ull
#define SNAN_S  0x7f800001u
#define QNAN_S  0x7fc01234u /* a quiet NaN with a payload */
#define SNAN_D  0x7ff0000000000001ull
#define QNAN_D  0x7ff8000000001234ull
#define INF_S   0x7f800000u
#define NINF_S  0xff800000u
#define INF_D   0x7ff0000000000000ull
#define NINF_D  0xfff0000000000000ull
#define FS_MASK RV_MSTATUS_FS

static CPURVState env;

static uint32_t fb(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof(b));
    return b;
}

static uint64_t db(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof(b));
    return b;
}

static uint64_t box(uint32_t v)
{
    return 0xffffffff00000000ull | v;
}

static int setup(void **state)
{
    memset(&env, 0, sizeof(env));
    env.mstatus = (uint64_t)RV_FS_INITIAL << 13;
    return 0;
}

static bool exec(RVOp op, unsigned rd, unsigned rs1, unsigned rs2, unsigned rs3, unsigned rm)
{
    RVInsn insn = {.op = op, .rd = rd, .rs1 = rs1, .rs2 = rs2, .rs3 = rs3, .rm = rm, .len = 4};

    return rv_fpu_exec(&env, &insn);
}

/* Single ops: operands boxed in f1, f2, f3, result from f4 (checked boxed); fflags start at 0. */
static uint32_t s3(RVOp op, uint32_t a, uint32_t b, uint32_t c, unsigned rm)
{
    env.fflags = 0;
    env.f[1] = box(a), env.f[2] = box(b), env.f[3] = box(c);
    env.f[4] = 0;
    assert_true(exec(op, 4, 1, 2, 3, rm));
    assert_int_equal(env.f[4] >> 32, 0xffffffffu);
    return (uint32_t)env.f[4];
}

static uint32_t s2(RVOp op, uint32_t a, uint32_t b, unsigned rm)
{
    return s3(op, a, b, 0, rm);
}

static uint64_t d3(RVOp op, uint64_t a, uint64_t b, uint64_t c, unsigned rm)
{
    env.fflags = 0;
    env.f[1] = a, env.f[2] = b, env.f[3] = c;
    env.f[4] = 0;
    assert_true(exec(op, 4, 1, 2, 3, rm));
    return env.f[4];
}

static uint64_t d2(RVOp op, uint64_t a, uint64_t b, unsigned rm)
{
    return d3(op, a, b, 0, rm);
}

/* Ops with an integer result: f1, f2 in (as given, not boxed), x10 out. */
static uint64_t to_x(RVOp op, uint64_t f1, uint64_t f2, unsigned rm)
{
    env.fflags = 0;
    env.f[1] = f1, env.f[2] = f2;
    env.x[10] = 0x5555555555555555ull;
    assert_true(exec(op, 10, 1, 2, 0, rm));
    return env.x[10];
}

/* Ops from an integer: x11 in, f4 out (raw). */
static uint64_t from_x(RVOp op, uint64_t x, unsigned rm)
{
    env.fflags = 0;
    env.x[11] = x;
    env.f[4] = 0;
    assert_true(exec(op, 4, 11, 0, 0, rm));
    return env.f[4];
}

/* ---- legality and FP state ---- */

static void test_every_fp_operation_is_illegal_while_fs_is_off(void **state)
{
    static const RVOp ops[] = {RV_OP_FADD_S,  RV_OP_FMADD_D,  RV_OP_FSGNJ_S, RV_OP_FMV_X_W,
                               RV_OP_FMV_D_X, RV_OP_FCLASS_D, RV_OP_FEQ_S,   RV_OP_FCVT_W_S};

    env.mstatus = 0;
    env.f[1] = box(fb(1.0f));
    env.x[10] = 7;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        assert_false(exec(ops[i], 10, 1, 1, 1, RNE));
    }
    assert_int_equal(env.x[10], 7);
    assert_int_equal(env.f[10], 0);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(env.mstatus, 0);
}

static void test_reserved_rounding_modes_are_illegal(void **state)
{
    env.f[1] = box(fb(1.0f));
    env.f[2] = db(1.0);
    assert_false(exec(RV_OP_FADD_S, 3, 1, 1, 0, 5));
    assert_false(exec(RV_OP_FADD_S, 3, 1, 1, 0, 6));
    assert_false(exec(RV_OP_FCVT_W_D, 10, 2, 0, 0, 5));
    /* even an exact conversion, which no mode changes, has a rounding-mode field */
    assert_false(exec(RV_OP_FCVT_D_S, 3, 1, 0, 0, 6));
    assert_false(exec(RV_OP_FCVT_D_W, 3, 10, 0, 0, 5));
    for (unsigned frm = 5; frm <= 7; frm++) {
        env.frm = frm;
        assert_false(exec(RV_OP_FMUL_D, 3, 2, 2, 0, DYN));
        assert_false(exec(RV_OP_FMADD_S, 3, 1, 1, 1, DYN));
    }
    assert_int_equal(env.f[3], 0);
    assert_int_equal(env.mstatus >> 13 & 3, RV_FS_INITIAL);
}

static void test_operations_without_a_rounding_mode_ignore_frm(void **state)
{
    env.frm = 7;
    env.f[1] = box(fb(1.0f));
    env.f[2] = box(fb(-2.0f));
    /* funct3 sits in the rm field of these: 0..2, and an invalid frm does not matter */
    assert_true(exec(RV_OP_FSGNJ_S, 3, 1, 2, 0, 0));
    assert_int_equal(env.f[3], box(fb(-1.0f)));
    assert_true(exec(RV_OP_FMIN_S, 3, 1, 2, 0, 0));
    assert_int_equal(env.f[3], box(fb(-2.0f)));
    assert_true(exec(RV_OP_FLT_S, 10, 2, 1, 0, 1));
    assert_int_equal(env.x[10], 1);
    assert_true(exec(RV_OP_FCLASS_S, 10, 1, 0, 0, 1));
    assert_int_equal(env.x[10], 1u << 6);
    assert_true(exec(RV_OP_FMV_X_W, 10, 1, 0, 0, 0));
    assert_int_equal(env.x[10], 0x3f800000);
}

static void test_the_dynamic_rounding_mode_is_frm(void **state)
{
    /* 1 + 2^-24 is the tie between 1 and 1 + 2^-23: up only in RUP and RMM */
    env.frm = RUP;
    assert_int_equal(s2(RV_OP_FADD_S, fb(1.0f), fb(0x1p-24f), DYN), 0x3f800001);
    env.frm = RNE;
    assert_int_equal(s2(RV_OP_FADD_S, fb(1.0f), fb(0x1p-24f), DYN), 0x3f800000);
    env.frm = RMM;
    assert_int_equal(s2(RV_OP_FADD_S, fb(1.0f), fb(0x1p-24f), DYN), 0x3f800001);
}

static void test_writing_an_f_register_makes_fs_dirty_and_sets_sd(void **state)
{
    assert_int_equal(s2(RV_OP_FADD_S, fb(1.0f), fb(2.0f), RNE), fb(3.0f));
    assert_int_equal(env.mstatus & FS_MASK, FS_MASK);
    assert_true(env.mstatus & RV_MSTATUS_SD);

    setup(NULL);
    env.x[11] = 5;
    assert_true(exec(RV_OP_FMV_D_X, 4, 11, 0, 0, 0));
    assert_int_equal(env.mstatus, FS_MASK | RV_MSTATUS_SD);
}

static void test_an_operation_that_changes_no_fp_state_leaves_fs_alone(void **state)
{
    uint64_t before = env.mstatus;

    assert_int_equal(to_x(RV_OP_FMV_X_W, box(fb(1.0f)), 0, 0), 0x3f800000);
    assert_int_equal(to_x(RV_OP_FCLASS_D, db(1.0), 0, 0), 1u << 6);
    assert_int_equal(to_x(RV_OP_FEQ_D, db(1.0), db(1.0), 0), 1);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(3.0), 0, RTZ), 3);
    assert_int_equal(env.mstatus, before);
}

static void test_raising_a_flag_makes_fs_dirty_even_without_an_f_write(void **state)
{
    assert_int_equal(to_x(RV_OP_FLT_S, box(CANON_S), box(fb(1.0f)), 0), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(env.mstatus & FS_MASK, FS_MASK);
    assert_true(env.mstatus & RV_MSTATUS_SD);

    setup(NULL);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(2.5), 0, RTZ), 2);
    assert_int_equal(env.fflags, NX);
    assert_int_equal(env.mstatus & FS_MASK, FS_MASK);
}

static void test_the_host_is_left_rounding_to_nearest(void **state)
{
    /* 1 + 2^-24 rounded up then down: any mode left behind would show in the host's 1 + 2^-53 */
    volatile double one = 1.0, tiny = 0x1p-53;

    for (unsigned rm = RTZ; rm <= RMM; rm++) {
        s2(RV_OP_FADD_S, fb(1.0f), fb(0x1p-24f), rm);
        d3(RV_OP_FMADD_D, db(1.0), db(1.0), db(0x1p-60), rm);
        assert_int_equal(fegetround(), FE_TONEAREST);
        assert_true(one + tiny == 1.0);
        assert_true(-one - tiny == -1.0);
    }
}

static void test_flags_accumulate_into_fflags(void **state)
{
    env.fflags = NX;
    env.f[1] = box(fb(1.0f));
    env.f[2] = box(fb(0.0f));
    assert_true(exec(RV_OP_FDIV_S, 3, 1, 2, 0, RNE));
    assert_int_equal(env.f[3], box(INF_S));
    assert_int_equal(env.fflags, NX | DZ);
}

static void test_x0_is_never_written(void **state)
{
    env.f[1] = db(-1.0);
    assert_true(exec(RV_OP_FMV_X_D, 0, 1, 0, 0, 0));
    assert_true(exec(RV_OP_FCLASS_D, 0, 1, 0, 0, 0));
    assert_true(exec(RV_OP_FCVT_L_D, 0, 1, 0, 0, RNE));
    assert_true(exec(RV_OP_FEQ_D, 0, 1, 1, 0, 2));
    assert_int_equal(env.x[0], 0);
}

/* ---- arithmetic ---- */

static void test_exact_arithmetic_gives_exact_results_and_no_flags(void **state)
{
    assert_int_equal(s2(RV_OP_FADD_S, fb(1.5f), fb(2.25f), RNE), fb(3.75f));
    assert_int_equal(s2(RV_OP_FSUB_S, fb(1.5f), fb(2.25f), RNE), fb(-0.75f));
    assert_int_equal(s2(RV_OP_FMUL_S, fb(1.5f), fb(-2.25f), RNE), fb(-3.375f));
    assert_int_equal(s2(RV_OP_FDIV_S, fb(3.375f), fb(1.5f), RNE), fb(2.25f));
    assert_int_equal(s2(RV_OP_FSQRT_S, fb(6.25f), 0, RNE), fb(2.5f));
    assert_int_equal(d2(RV_OP_FADD_D, db(1.5), db(2.25), RNE), db(3.75));
    assert_int_equal(d2(RV_OP_FSUB_D, db(1.5), db(2.25), RNE), db(-0.75));
    assert_int_equal(d2(RV_OP_FMUL_D, db(1.5), db(-2.25), RNE), db(-3.375));
    assert_int_equal(d2(RV_OP_FDIV_D, db(3.375), db(1.5), RNE), db(2.25));
    assert_int_equal(d2(RV_OP_FSQRT_D, db(6.25), 0, RNE), db(2.5));
    assert_int_equal(env.fflags, 0);
}

static void test_fused_multiply_adds_apply_their_signs(void **state)
{
    /* 2 * 3 with 1: fmadd 7, fmsub 5, fnmsub -(6) + 1 = -5, fnmadd -(6) - 1 = -7 */
    assert_int_equal(s3(RV_OP_FMADD_S, fb(2.0f), fb(3.0f), fb(1.0f), RNE), fb(7.0f));
    assert_int_equal(s3(RV_OP_FMSUB_S, fb(2.0f), fb(3.0f), fb(1.0f), RNE), fb(5.0f));
    assert_int_equal(s3(RV_OP_FNMSUB_S, fb(2.0f), fb(3.0f), fb(1.0f), RNE), fb(-5.0f));
    assert_int_equal(s3(RV_OP_FNMADD_S, fb(2.0f), fb(3.0f), fb(1.0f), RNE), fb(-7.0f));
    assert_int_equal(d3(RV_OP_FMADD_D, db(2.0), db(3.0), db(1.0), RNE), db(7.0));
    assert_int_equal(d3(RV_OP_FMSUB_D, db(2.0), db(3.0), db(1.0), RNE), db(5.0));
    assert_int_equal(d3(RV_OP_FNMSUB_D, db(2.0), db(3.0), db(1.0), RNE), db(-5.0));
    assert_int_equal(d3(RV_OP_FNMADD_D, db(2.0), db(3.0), db(1.0), RNE), db(-7.0));
    assert_int_equal(env.fflags, 0);
}

static void test_fused_multiply_adds_give_the_sign_of_an_exact_zero_as_the_spec_says(void **state)
{
    /* 0*0 + 0 = +0; -(0*0) - 0 = -0 + -0 = -0; -(0*0) + 0 = -0 + +0 = +0 (RNE) */
    assert_int_equal(s3(RV_OP_FMADD_S, 0, 0, 0, RNE), 0);
    assert_int_equal(s3(RV_OP_FNMADD_S, 0, 0, 0, RNE), 0x80000000u);
    assert_int_equal(s3(RV_OP_FNMSUB_S, 0, 0, 0, RNE), 0);
    /* ...but -0 in RDN: x + (-x) is -0 when rounding down */
    assert_int_equal(s3(RV_OP_FNMSUB_S, 0, 0, 0, RDN), 0x80000000u);
    assert_int_equal(d3(RV_OP_FNMADD_D, 0, 0, 0, RNE), 0x8000000000000000ull);
    assert_int_equal(d3(RV_OP_FMSUB_D, 0, 0, 0, RNE), 0);
}

static void test_fused_multiply_add_rounds_once(void **state)
{
    /* (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly; rounding the product first would lose 2^-24 */
    assert_int_equal(s3(RV_OP_FMADD_S, fb(1.0f + 0x1p-12f), fb(1.0f + 0x1p-12f), fb(-1.0f), RNE),
                     fb(0x1p-11f + 0x1p-24f));
    assert_int_equal(env.fflags, 0);
    /* (1 + 2^-27)^2 - 1 = 2^-26 + 2^-54 */
    assert_int_equal(d3(RV_OP_FMADD_D, db(1.0 + 0x1p-27), db(1.0 + 0x1p-27), db(-1.0), RNE),
                     db(0x1p-26 + 0x1p-54));
    assert_int_equal(env.fflags, 0);
}

/* One operation's result in each of RNE, RTZ, RDN, RUP, RMM. */
static void check_modes_s(RVOp op, uint32_t a, uint32_t b, uint32_t c, const uint32_t want[5],
                          unsigned flags)
{
    for (unsigned rm = RNE; rm <= RMM; rm++) {
        assert_int_equal(s3(op, a, b, c, rm), want[rm]);
        assert_int_equal(env.fflags, flags);
    }
}

static void check_modes_d(RVOp op, uint64_t a, uint64_t b, uint64_t c, const uint64_t want[5],
                          unsigned flags)
{
    for (unsigned rm = RNE; rm <= RMM; rm++) {
        assert_int_equal(d3(op, a, b, c, rm), want[rm]);
        assert_int_equal(env.fflags, flags);
    }
}

static void test_a_tie_with_an_even_lower_neighbour_rounds_per_mode(void **state)
{
    /* 1 + 2^-24: halfway between 1 (even) and 1 + 2^-23 */
    static const uint32_t up[5] = {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800001};
    /* -1 - 2^-24: away from zero is down */
    static const uint32_t down[5] = {0xbf800000, 0xbf800000, 0xbf800001, 0xbf800000, 0xbf800001};
    /* 1 + 2^-53 in double */
    static const uint64_t upd[5] = {0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000,
                                    0x3ff0000000000001, 0x3ff0000000000001};

    check_modes_s(RV_OP_FADD_S, fb(1.0f), fb(0x1p-24f), 0, up, NX);
    check_modes_s(RV_OP_FSUB_S, fb(-1.0f), fb(0x1p-24f), 0, down, NX);
    check_modes_d(RV_OP_FADD_D, db(1.0), db(0x1p-53), 0, upd, NX);
}

static void test_a_tie_with_an_odd_lower_neighbour_goes_up_in_rne_too(void **state)
{
    /* (1 + 2^-23) + 2^-24: halfway between 1 + 2^-23 (odd) and 1 + 2^-22 (even) */
    static const uint32_t want[5] = {0x3f800002, 0x3f800001, 0x3f800001, 0x3f800002, 0x3f800002};

    check_modes_s(RV_OP_FADD_S, 0x3f800001, fb(0x1p-24f), 0, want, NX);
}

static void test_results_off_a_tie_round_to_the_nearest_in_both_nearest_modes(void **state)
{
    /* 1 + 3*2^-25 is 3/4 of an ulp above 1; 1 + 2^-25 a quarter */
    static const uint32_t above[5] = {0x3f800001, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800001};
    static const uint32_t below[5] = {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800000};

    check_modes_s(RV_OP_FADD_S, fb(1.0f), fb(0x3p-25f), 0, above, NX);
    check_modes_s(RV_OP_FADD_S, fb(1.0f), fb(0x1p-25f), 0, below, NX);
}

static void test_products_and_fused_results_round_per_mode_with_rmm_ties_away(void **state)
{
    /* (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: a tie, the lower neighbour even */
    static const uint32_t sq[5] = {0x3f801000, 0x3f801000, 0x3f801000, 0x3f801001, 0x3f801001};
    /* (1 + 2^-26)(1 + 2^-27) = 1 + 2^-26 + 2^-27 + 2^-53: a tie, lower even */
    static const uint64_t sqd[5] = {0x3ff0000006000000, 0x3ff0000006000000, 0x3ff0000006000000,
                                    0x3ff0000006000001, 0x3ff0000006000001};
    /* the same product negated by fnmadd, minus +0: away from zero is down */
    static const uint64_t nsqd[5] = {0xbff0000006000000, 0xbff0000006000000, 0xbff0000006000001,
                                     0xbff0000006000000, 0xbff0000006000001};
    uint32_t a = fb(1.0f + 0x1p-12f);

    check_modes_s(RV_OP_FMUL_S, a, a, 0, sq, NX);
    check_modes_s(RV_OP_FMADD_S, a, a, 0, sq, NX);
    check_modes_d(RV_OP_FMUL_D, db(1.0 + 0x1p-26), db(1.0 + 0x1p-27), 0, sqd, NX);
    check_modes_d(RV_OP_FMADD_D, db(1.0 + 0x1p-26), db(1.0 + 0x1p-27), 0, sqd, NX);
    check_modes_d(RV_OP_FNMADD_D, db(1.0 + 0x1p-26), db(1.0 + 0x1p-27), 0, nsqd, NX);
}

static void test_quotients_and_square_roots_round_per_mode(void **state)
{
    /* 1/3 = 0x1.555555...p-2: the 24-bit truncation 0x3eaaaaaa, the rest 0.666 ulp */
    static const uint32_t third[5] = {0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab};
    /* -1/3 */
    static const uint32_t nthird[5] = {0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab};
    /* sqrt(2): 24 bits give 0x3fb504f3, the rest is 0.20 ulp */
    static const uint32_t root2[5] = {0x3fb504f3, 0x3fb504f3, 0x3fb504f3, 0x3fb504f4, 0x3fb504f3};
    /* 1/3 in double: 0x3fd5555555555555 truncated, the rest 1/3 ulp */
    static const uint64_t thirdd[5] = {0x3fd5555555555555, 0x3fd5555555555555, 0x3fd5555555555555,
                                       0x3fd5555555555556, 0x3fd5555555555555};
    /* sqrt(2) in double: 0x3ff6a09e667f3bcc truncated, the rest 0.56 ulp */
    static const uint64_t root2d[5] = {0x3ff6a09e667f3bcd, 0x3ff6a09e667f3bcc, 0x3ff6a09e667f3bcc,
                                       0x3ff6a09e667f3bcd, 0x3ff6a09e667f3bcd};

    check_modes_s(RV_OP_FDIV_S, fb(1.0f), fb(3.0f), 0, third, NX);
    check_modes_s(RV_OP_FDIV_S, fb(-1.0f), fb(3.0f), 0, nthird, NX);
    check_modes_s(RV_OP_FSQRT_S, fb(2.0f), 0, 0, root2, NX);
    check_modes_d(RV_OP_FDIV_D, db(1.0), db(3.0), 0, thirdd, NX);
    check_modes_d(RV_OP_FSQRT_D, db(2.0), 0, 0, root2d, NX);
}

static void test_invalid_operations_give_the_canonical_nan_and_nv(void **state)
{
    assert_int_equal(s2(RV_OP_FSUB_S, INF_S, INF_S, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FADD_S, NINF_S, INF_S, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FMUL_S, 0, INF_S, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FDIV_S, 0, 0x80000000u, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FDIV_S, INF_S, NINF_S, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FSQRT_S, fb(-1.0f), 0, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s3(RV_OP_FMADD_S, INF_S, 0, fb(1.0f), RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FSUB_D, INF_D, INF_D, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FMUL_D, NINF_D, 0, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FDIV_D, 0, 0, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FSQRT_D, db(-1.0), 0, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    /* fmsub: inf*1 - inf */
    assert_int_equal(d3(RV_OP_FMSUB_D, INF_D, db(1.0), INF_D, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    /* and in RMM too */
    assert_int_equal(d2(RV_OP_FDIV_D, 0, 0, RMM), CANON_D);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FSUB_S, INF_S, INF_S, RMM), CANON_S);
    assert_int_equal(env.fflags, NV);
}

static void test_fused_infinity_times_zero_is_invalid_even_with_a_quiet_nan_addend(void **state)
{
    assert_int_equal(s3(RV_OP_FMADD_S, INF_S, 0, QNAN_S, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d3(RV_OP_FNMADD_D, 0, NINF_D, QNAN_D, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    /* but a NaN multiplicand makes no infinity-times-zero */
    assert_int_equal(s3(RV_OP_FMADD_S, QNAN_S, 0, INF_S, RNE), CANON_S);
    assert_int_equal(env.fflags, 0);
}

static void test_nan_operands_give_the_canonical_nan_and_nv_only_when_signalling(void **state)
{
    assert_int_equal(s2(RV_OP_FADD_S, QNAN_S, fb(1.0f), RNE), CANON_S);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(s2(RV_OP_FMUL_S, fb(1.0f), 0xffc00000u, RNE), CANON_S);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(s2(RV_OP_FADD_S, SNAN_S, fb(1.0f), RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s2(RV_OP_FSQRT_S, 0xff800001u, 0, RNE), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(s3(RV_OP_FMADD_S, fb(1.0f), fb(1.0f), SNAN_S, RMM), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FDIV_D, QNAN_D, db(1.0), RNE), CANON_D);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(d2(RV_OP_FSUB_D, db(1.0), SNAN_D, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d3(RV_OP_FNMSUB_D, db(1.0), db(1.0), SNAN_D, RNE), CANON_D);
    assert_int_equal(env.fflags, NV);
}

static void test_division_by_zero_gives_a_signed_infinity_and_dz(void **state)
{
    assert_int_equal(s2(RV_OP_FDIV_S, fb(-1.0f), 0, RNE), NINF_S);
    assert_int_equal(env.fflags, DZ);
    assert_int_equal(d2(RV_OP_FDIV_D, db(1.0), 0x8000000000000000ull, RMM), NINF_D);
    assert_int_equal(env.fflags, DZ);
    /* an infinite dividend is no division by zero */
    assert_int_equal(d2(RV_OP_FDIV_D, INF_D, 0, RNE), INF_D);
    assert_int_equal(env.fflags, 0);
}

static void test_square_roots_of_zeros_and_infinity_are_exact(void **state)
{
    assert_int_equal(s2(RV_OP_FSQRT_S, 0x80000000u, 0, RNE), 0x80000000u);
    assert_int_equal(d2(RV_OP_FSQRT_D, INF_D, 0, RMM), INF_D);
    assert_int_equal(env.fflags, 0);
}

static void test_overflow_rounds_to_infinity_or_the_largest_value_per_mode(void **state)
{
    /* FLT_MAX * 2: nearest modes and the mode toward it give inf, the others FLT_MAX */
    static const uint32_t pos[5] = {INF_S, 0x7f7fffff, 0x7f7fffff, INF_S, INF_S};
    static const uint32_t neg[5] = {NINF_S, 0xff7fffff, NINF_S, 0xff7fffff, NINF_S};
    static const uint64_t posd[5] = {INF_D, 0x7fefffffffffffff, 0x7fefffffffffffff, INF_D, INF_D};

    check_modes_s(RV_OP_FMUL_S, 0x7f7fffff, fb(2.0f), 0, pos, OF | NX);
    check_modes_s(RV_OP_FMUL_S, 0xff7fffff, fb(2.0f), 0, neg, OF | NX);
    check_modes_d(RV_OP_FADD_D, 0x7fefffffffffffff, 0x7fefffffffffffff, 0, posd, OF | NX);
}

static void test_overflow_at_the_rounding_boundary_follows_the_mode(void **state)
{
    /*
     * FLT_MAX + 2^103 is the midpoint of FLT_MAX and 2^128: both nearest
     * modes go to 2^128, which overflows (RNE: 2^128 is the even one).
     * FLT_MAX + 2^102 is below it: the nearest modes give FLT_MAX, no OF.
     */
    static const uint32_t mid[5] = {INF_S, 0x7f7fffff, 0x7f7fffff, INF_S, INF_S};
    /* OF only where the result rounded with an unbounded exponent exceeds FLT_MAX */
    static const unsigned mid_flags[5] = {OF | NX, NX, NX, OF | NX, OF | NX};
    double fmax = 0x1.fffffep127;

    for (unsigned rm = RNE; rm <= RMM; rm++) {
        env.fflags = 0;
        env.f[1] = db(fmax + 0x1p103);
        assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, rm));
        assert_int_equal(env.f[4], box(mid[rm]));
        assert_int_equal(env.fflags, mid_flags[rm]);

        env.fflags = 0;
        env.f[1] = db(fmax + 0x1p102);
        assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, rm));
        assert_int_equal(env.f[4], box(rm == RUP ? INF_S : 0x7f7fffff));
        assert_int_equal(env.fflags, rm == RUP ? OF | NX : NX);
    }
}

static void test_an_exact_subnormal_result_raises_nothing(void **state)
{
    /* 2^-126 * 0.5 = 2^-127, the subnormal 0x00400000 */
    assert_int_equal(s2(RV_OP_FMUL_S, 0x00800000, fb(0.5f), RNE), 0x00400000);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(d2(RV_OP_FMUL_D, 0x0010000000000000, db(0.5), RMM), 0x0008000000000000);
    assert_int_equal(env.fflags, 0);
}

static void test_an_inexact_subnormal_result_raises_underflow_and_inexact(void **state)
{
    /* 2^-149 * 0.5 = 2^-150: the tie between 0 (even) and 2^-149 */
    static const uint32_t want[5] = {0, 0, 0, 1, 1};
    /* 3 * 2^-149 * 0.5 = 1.5 * 2^-149: the tie between 2^-149 (odd) and 2^-148 */
    static const uint32_t want3[5] = {2, 1, 1, 2, 2};
    static const uint64_t wantd[5] = {0, 0, 0, 1, 1};

    check_modes_s(RV_OP_FMUL_S, 1, fb(0.5f), 0, want, UF | NX);
    check_modes_s(RV_OP_FMUL_S, 3, fb(0.5f), 0, want3, UF | NX);
    check_modes_d(RV_OP_FMUL_D, 1, db(0.5), 0, wantd, UF | NX);
}

static void test_tininess_is_detected_after_rounding(void **state)
{
    /*
     * 2^-126 * (1 - 2^-25) is tiny, but rounded to 24 bits with an unbounded
     * exponent it is 2^-126 in RNE, RUP and RMM (the tie goes up to the even
     * 1.0 and away): no underflow there, only inexact, and the result is the
     * smallest normal.  RTZ and RDN round it to 2^-126 * (1 - 2^-24): tiny,
     * so underflow, and the largest subnormal.
     */
    static const uint32_t want[5] = {0x00800000, 0x007fffff, 0x007fffff, 0x00800000, 0x00800000};
    static const unsigned flags[5] = {NX, UF | NX, UF | NX, NX, NX};
    /* in double: (1 - 2^-27) * 2^-1022 (1 + 2^-27) = 2^-1022 (1 - 2^-54), the same tie */
    static const uint64_t wantd[5] = {0x0010000000000000, 0x000fffffffffffff, 0x000fffffffffffff,
                                      0x0010000000000000, 0x0010000000000000};

    for (unsigned rm = RNE; rm <= RMM; rm++) {
        env.fflags = 0;
        env.f[1] = db(0x1.ffffffp-127);
        assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, rm));
        assert_int_equal(env.f[4], box(want[rm]));
        assert_int_equal(env.fflags, flags[rm]);

        assert_int_equal(d2(RV_OP_FMUL_D, db(1.0 - 0x1p-27), db(0x1p-1022 + 0x1p-1049), rm),
                         wantd[rm]);
        assert_int_equal(env.fflags, flags[rm]);
    }
}

static void test_a_result_tiny_even_after_rounding_underflows_in_every_mode(void **state)
{
    /*
     * 2^-1022 (1 - 2^-53) has 53 bits: still tiny after rounding.  As a
     * subnormal it is the tie between 2^-1022 - 2^-1074 (odd) and 2^-1022.
     */
    static const uint64_t want[5] = {0x0010000000000000, 0x000fffffffffffff, 0x000fffffffffffff,
                                     0x0010000000000000, 0x0010000000000000};

    check_modes_d(RV_OP_FMUL_D, db(1.0 - 0x1p-53), 0x0010000000000000, 0, want, UF | NX);
}

/* ---- NaN-boxing ---- */

static void test_an_improperly_boxed_single_reads_as_the_canonical_nan(void **state)
{
    env.f[1] = 0x000000003f800000ull; /* 1.0f without its box */
    env.f[2] = box(fb(1.0f));
    env.f[5] = 0xfffffffe3f800000ull; /* one bit short of a box */
    assert_true(exec(RV_OP_FADD_S, 3, 1, 2, 0, RNE));
    assert_int_equal(env.f[3], box(CANON_S));
    assert_true(exec(RV_OP_FMUL_S, 3, 2, 5, 0, RNE));
    assert_int_equal(env.f[3], box(CANON_S));
    assert_int_equal(env.fflags, 0); /* the canonical NaN is quiet */
    /* sign injection works on the canonical NaN */
    assert_true(exec(RV_OP_FSGNJN_S, 3, 1, 1, 0, 1));
    assert_int_equal(env.f[3], box(0xffc00000u));
    assert_true(exec(RV_OP_FSGNJ_S, 3, 2, 1, 0, 0));
    assert_int_equal(env.f[3], box(fb(1.0f)));
    assert_true(exec(RV_OP_FCVT_D_S, 3, 1, 0, 0, RNE));
    assert_int_equal(env.f[3], CANON_D);
    assert_true(exec(RV_OP_FCLASS_S, 10, 5, 0, 0, 1));
    assert_int_equal(env.x[10], 1u << 9);
    assert_true(exec(RV_OP_FEQ_S, 10, 2, 1, 0, 2));
    assert_int_equal(env.x[10], 0);
    assert_int_equal(env.fflags, 0);
    assert_true(exec(RV_OP_FMAX_S, 3, 1, 2, 0, 1));
    assert_int_equal(env.f[3], box(fb(1.0f)));
}

static void test_moves_between_x_and_f_copy_bits(void **state)
{
    /* fmv.x.w sign-extends the low 32 bits whatever the box */
    assert_int_equal(to_x(RV_OP_FMV_X_W, 0x00000000bf800000ull, 0, 0), 0xffffffffbf800000ull);
    assert_int_equal(to_x(RV_OP_FMV_X_W, box(SNAN_S), 0, 0), SNAN_S);
    assert_int_equal(env.fflags, 0);
    /* fmv.w.x boxes the low 32 bits of x */
    assert_int_equal(from_x(RV_OP_FMV_W_X, 0x123456789abcdef0ull, 0), 0xffffffff9abcdef0ull);
    assert_int_equal(to_x(RV_OP_FMV_X_D, SNAN_D, 0, 0), SNAN_D);
    assert_int_equal(from_x(RV_OP_FMV_D_X, 0x123456789abcdef0ull, 0), 0x123456789abcdef0ull);
    assert_int_equal(env.fflags, 0);
}

/* ---- sign injection, min/max, compares, classify ---- */

static void test_sign_injection_takes_the_sign_from_the_second_operand(void **state)
{
    assert_int_equal(s2(RV_OP_FSGNJ_S, fb(1.0f), fb(-2.0f), 0), fb(-1.0f));
    assert_int_equal(s2(RV_OP_FSGNJN_S, fb(1.0f), fb(-2.0f), 1), fb(1.0f));
    assert_int_equal(s2(RV_OP_FSGNJX_S, fb(-1.0f), fb(-2.0f), 2), fb(1.0f));
    assert_int_equal(s2(RV_OP_FSGNJX_S, fb(-1.0f), fb(2.0f), 2), fb(-1.0f));
    /* NaNs keep their payload and raise nothing */
    assert_int_equal(s2(RV_OP_FSGNJN_S, SNAN_S, fb(1.0f), 1), 0xff800001u);
    assert_int_equal(d2(RV_OP_FSGNJ_D, db(3.0), db(-0.0), 0), db(-3.0));
    assert_int_equal(d2(RV_OP_FSGNJN_D, db(3.0), db(-0.0), 1), db(3.0));
    assert_int_equal(d2(RV_OP_FSGNJX_D, db(-3.0), db(-1.0), 2), db(3.0));
    assert_int_equal(d2(RV_OP_FSGNJ_D, SNAN_D, NINF_D, 0), 0xfff0000000000001ull);
    assert_int_equal(env.fflags, 0);
}

static void test_min_and_max_order_minus_zero_below_plus_zero(void **state)
{
    assert_int_equal(s2(RV_OP_FMIN_S, 0, 0x80000000u, 0), 0x80000000u);
    assert_int_equal(s2(RV_OP_FMIN_S, 0x80000000u, 0, 0), 0x80000000u);
    assert_int_equal(s2(RV_OP_FMAX_S, 0, 0x80000000u, 1), 0);
    assert_int_equal(s2(RV_OP_FMAX_S, 0x80000000u, 0, 1), 0);
    assert_int_equal(d2(RV_OP_FMIN_D, 0, 0x8000000000000000ull, 0), 0x8000000000000000ull);
    assert_int_equal(d2(RV_OP_FMAX_D, 0x8000000000000000ull, 0, 1), 0);
    assert_int_equal(env.fflags, 0);
}

static void test_min_and_max_pick_the_smaller_and_larger_number(void **state)
{
    assert_int_equal(s2(RV_OP_FMIN_S, fb(2.0f), fb(-3.0f), 0), fb(-3.0f));
    assert_int_equal(s2(RV_OP_FMAX_S, fb(2.0f), fb(-3.0f), 1), fb(2.0f));
    assert_int_equal(s2(RV_OP_FMAX_S, NINF_S, fb(-3.0f), 1), fb(-3.0f));
    assert_int_equal(d2(RV_OP_FMIN_D, INF_D, db(1e300), 0), db(1e300));
    assert_int_equal(d2(RV_OP_FMAX_D, db(1.0), db(1.5), 1), db(1.5));
    assert_int_equal(env.fflags, 0);
}

static void test_min_and_max_with_one_nan_give_the_other_operand(void **state)
{
    assert_int_equal(s2(RV_OP_FMIN_S, QNAN_S, fb(1.0f), 0), fb(1.0f));
    assert_int_equal(env.fflags, 0);
    assert_int_equal(s2(RV_OP_FMAX_S, fb(-1.0f), QNAN_S, 1), fb(-1.0f));
    assert_int_equal(env.fflags, 0);
    assert_int_equal(s2(RV_OP_FMIN_S, SNAN_S, fb(1.0f), 0), fb(1.0f));
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FMAX_D, db(2.0), SNAN_D, 1), db(2.0));
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FMIN_D, QNAN_D, 0x8000000000000000ull, 0), 0x8000000000000000ull);
    assert_int_equal(env.fflags, 0);
}

static void test_min_and_max_of_two_nans_give_the_canonical_nan(void **state)
{
    assert_int_equal(s2(RV_OP_FMIN_S, QNAN_S, 0xffc00001u, 0), CANON_S);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(s2(RV_OP_FMAX_S, QNAN_S, SNAN_S, 1), CANON_S);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FMAX_D, SNAN_D, QNAN_D, 1), CANON_D);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(d2(RV_OP_FMIN_D, QNAN_D, QNAN_D, 0), CANON_D);
    assert_int_equal(env.fflags, 0);
}

static void test_compares_order_numbers_and_equal_zeros(void **state)
{
    assert_int_equal(to_x(RV_OP_FEQ_S, box(fb(1.0f)), box(fb(1.0f)), 2), 1);
    assert_int_equal(to_x(RV_OP_FEQ_S, box(fb(1.0f)), box(fb(2.0f)), 2), 0);
    assert_int_equal(to_x(RV_OP_FLT_S, box(fb(1.0f)), box(fb(2.0f)), 1), 1);
    assert_int_equal(to_x(RV_OP_FLT_S, box(fb(2.0f)), box(fb(2.0f)), 1), 0);
    assert_int_equal(to_x(RV_OP_FLE_S, box(fb(2.0f)), box(fb(2.0f)), 0), 1);
    assert_int_equal(to_x(RV_OP_FLE_S, box(fb(3.0f)), box(fb(2.0f)), 0), 0);
    assert_int_equal(to_x(RV_OP_FEQ_S, box(0x80000000u), box(0), 2), 1);
    assert_int_equal(to_x(RV_OP_FLT_S, box(0x80000000u), box(0), 1), 0);
    assert_int_equal(to_x(RV_OP_FLE_S, box(0), box(0x80000000u), 0), 1);
    assert_int_equal(to_x(RV_OP_FEQ_D, db(-0.0), db(0.0), 2), 1);
    assert_int_equal(to_x(RV_OP_FLT_D, NINF_D, db(-1e308), 1), 1);
    assert_int_equal(to_x(RV_OP_FLE_D, INF_D, INF_D, 0), 1);
    assert_int_equal(to_x(RV_OP_FLT_D, db(1.0), db(-1.0), 1), 0);
    assert_int_equal(env.fflags, 0);
}

static void test_feq_raises_nv_only_for_a_signalling_nan(void **state)
{
    assert_int_equal(to_x(RV_OP_FEQ_S, box(QNAN_S), box(QNAN_S), 2), 0);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FEQ_S, box(fb(1.0f)), box(SNAN_S), 2), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FEQ_D, QNAN_D, db(1.0), 2), 0);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FEQ_D, SNAN_D, SNAN_D, 2), 0);
    assert_int_equal(env.fflags, NV);
}

static void test_flt_and_fle_raise_nv_for_any_nan(void **state)
{
    assert_int_equal(to_x(RV_OP_FLT_S, box(QNAN_S), box(fb(1.0f)), 1), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FLE_S, box(fb(1.0f)), box(QNAN_S), 0), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FLT_D, db(1.0), SNAN_D, 1), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FLE_D, QNAN_D, QNAN_D, 0), 0);
    assert_int_equal(env.fflags, NV);
}

static void test_fclass_sets_one_bit_for_each_of_the_ten_classes(void **state)
{
    static const uint32_t s[10] = {NINF_S,     0xbf800000, 0x80000001, 0x80000000, 0,
                                   0x00000001, 0x3f800000, INF_S,      SNAN_S,     CANON_S};
    static const uint64_t d[10] = {NINF_D,
                                   0xbff0000000000000,
                                   0x800fffffffffffff,
                                   0x8000000000000000,
                                   0,
                                   0x0000000000000001,
                                   0x7fefffffffffffff,
                                   INF_D,
                                   0x7ff7ffffffffffff,
                                   0xfff8000000000000};

    for (unsigned i = 0; i < 10; i++) {
        assert_int_equal(to_x(RV_OP_FCLASS_S, box(s[i]), 0, 1), 1u << i);
        assert_int_equal(to_x(RV_OP_FCLASS_D, d[i], 0, 1), 1u << i);
    }
    /* the smallest normal and the largest subnormal */
    assert_int_equal(to_x(RV_OP_FCLASS_S, box(0x00800000), 0, 1), 1u << 6);
    assert_int_equal(to_x(RV_OP_FCLASS_S, box(0x807fffff), 0, 1), 1u << 2);
    assert_int_equal(env.fflags, 0);
}

/* ---- conversions to integers ---- */

static void test_conversions_to_integers_round_per_mode(void **state)
{
    /* 2.5 and -2.5 are ties; 2.25 is not */
    static const int64_t p25[5] = {2, 2, 2, 3, 3};
    static const int64_t m25[5] = {-2, -2, -3, -2, -3};
    static const int64_t p35[5] = {4, 3, 3, 4, 4};
    static const int64_t p225[5] = {2, 2, 2, 3, 2};
    static const int64_t m225[5] = {-2, -2, -3, -2, -2};

    for (unsigned rm = RNE; rm <= RMM; rm++) {
        assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(2.5f)), 0, rm), (uint64_t)p25[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(-2.5f)), 0, rm), (uint64_t)m25[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(to_x(RV_OP_FCVT_L_S, box(fb(3.5f)), 0, rm), (uint64_t)p35[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(to_x(RV_OP_FCVT_W_D, db(2.25), 0, rm), (uint64_t)p225[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(to_x(RV_OP_FCVT_L_D, db(-2.25), 0, rm), (uint64_t)m225[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(to_x(RV_OP_FCVT_LU_D, db(2.5), 0, rm), (uint64_t)p25[rm]);
        assert_int_equal(env.fflags, NX);
    }
    /* RNE: 0.5 and -0.5 go to the even 0, 1.5 to 2 */
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(0.5f)), 0, RNE), 0);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(-0.5f)), 0, RNE), 0);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(1.5f)), 0, RNE), 2);
    assert_int_equal(env.fflags, NX);
}

static void test_exact_conversions_to_integers_raise_nothing(void **state)
{
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(-7.0f)), 0, RNE), (uint64_t)-7);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(-0.0), 0, RDN), 0);
    assert_int_equal(to_x(RV_OP_FCVT_L_D, db(0x1p62), 0, RUP), 1ull << 62);
    assert_int_equal(to_x(RV_OP_FCVT_LU_S, box(fb(0x1p63f)), 0, RTZ), 1ull << 63);
    assert_int_equal(env.fflags, 0);
}

static void test_fcvt_w_saturates_at_the_int32_limits(void **state)
{
    const uint64_t min = 0xffffffff80000000ull, max = 0x7fffffff;

    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(2147483647.0), 0, RNE), max);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(-2147483648.0), 0, RNE), min);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(2147483648.0), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(-2147483649.0), 0, RNE), min);
    assert_int_equal(env.fflags, NV);
    /* in range or not after rounding: 2147483647.5 rounds to 2^31 in RNE, to 2^31 - 1 in RTZ */
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(2147483647.5), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(2147483647.5), 0, RTZ), max);
    assert_int_equal(env.fflags, NX);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(-2147483648.5), 0, RNE), min);
    assert_int_equal(env.fflags, NX);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, db(-2147483648.5), 0, RMM), min);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(fb(0x1p31f)), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(INF_S), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(NINF_S), 0, RNE), min);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(QNAN_S), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_S, box(0xff800001u), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_W_D, 0xfff8000000000000ull, 0, RNE), max);
    assert_int_equal(env.fflags, NV);
}

static void test_fcvt_wu_saturates_and_sign_extends_its_result(void **state)
{
    const uint64_t max = 0xffffffffffffffffull; /* 2^32 - 1, sign-extended */

    assert_int_equal(to_x(RV_OP_FCVT_WU_D, db(4294967295.0), 0, RNE), max);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_WU_D, db(2147483648.0), 0, RNE), 0xffffffff80000000ull);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_WU_D, db(4294967296.0), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_WU_S, box(fb(-1.0f)), 0, RNE), 0);
    assert_int_equal(env.fflags, NV);
    /* -0.5 rounds to -0 (in range, inexact) toward zero, to -1 (out of range) downward */
    assert_int_equal(to_x(RV_OP_FCVT_WU_S, box(fb(-0.5f)), 0, RTZ), 0);
    assert_int_equal(env.fflags, NX);
    assert_int_equal(to_x(RV_OP_FCVT_WU_S, box(fb(-0.5f)), 0, RDN), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_WU_S, box(NINF_S), 0, RNE), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_WU_S, box(INF_S), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_WU_D, CANON_D, 0, RNE), max);
    assert_int_equal(env.fflags, NV);
}

static void test_fcvt_l_saturates_at_the_int64_limits(void **state)
{
    const uint64_t min = 0x8000000000000000ull, max = 0x7fffffffffffffffull;

    assert_int_equal(to_x(RV_OP_FCVT_L_D, db(0x1p63), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_L_D, db(0x1p63 - 1024), 0, RNE), 0x7ffffffffffffc00ull);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_L_D, db(-0x1p63), 0, RNE), min);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_L_D, db(-0x1p63 - 2048), 0, RNE), min);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_L_S, box(fb(0x1p63f)), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_L_S, box(fb(-0x1p63f)), 0, RNE), min);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_L_S, box(NINF_S), 0, RNE), min);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_L_D, INF_D, 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_L_D, SNAN_D, 0, RNE), max);
    assert_int_equal(env.fflags, NV);
}

static void test_fcvt_lu_saturates_at_zero_and_two_to_the_64(void **state)
{
    const uint64_t max = 0xffffffffffffffffull;

    assert_int_equal(to_x(RV_OP_FCVT_LU_D, db(0x1p64), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_LU_D, db(0x1p64 - 2048), 0, RNE), 0xfffffffffffff800ull);
    assert_int_equal(env.fflags, 0);
    assert_int_equal(to_x(RV_OP_FCVT_LU_D, db(-1.0), 0, RNE), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_LU_S, box(fb(0x1p64f)), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_LU_S, box(NINF_S), 0, RNE), 0);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_LU_S, box(CANON_S), 0, RNE), max);
    assert_int_equal(env.fflags, NV);
    assert_int_equal(to_x(RV_OP_FCVT_LU_D, INF_D, 0, RNE), max);
    assert_int_equal(env.fflags, NV);
}

/* ---- conversions from integers and between formats ---- */

static void test_conversions_from_32_bit_integers_read_the_low_word(void **state)
{
    assert_int_equal(from_x(RV_OP_FCVT_S_W, 0x12345678ffffffffull, RNE), box(fb(-1.0f)));
    assert_int_equal(from_x(RV_OP_FCVT_D_W, 0x0000000080000000ull, RNE), db(-2147483648.0));
    assert_int_equal(from_x(RV_OP_FCVT_D_WU, 0xffffffffffffffffull, RNE), db(4294967295.0));
    assert_int_equal(env.fflags, 0);
}

static void test_conversions_from_integers_round_per_mode(void **state)
{
    /* 2^24 + 1: the tie between 2^24 (even) and 2^24 + 2 */
    static const uint32_t t24[5] = {0x4b800000, 0x4b800000, 0x4b800000, 0x4b800001, 0x4b800001};
    static const uint32_t nt24[5] = {0xcb800000, 0xcb800000, 0xcb800001, 0xcb800000, 0xcb800001};
    /* 2^32 - 1: 24 bits of ones then more: nearest is 2^32 */
    static const uint32_t u32[5] = {0x4f800000, 0x4f7fffff, 0x4f7fffff, 0x4f800000, 0x4f800000};
    /* 2^53 + 1 in double */
    static const uint64_t t53[5] = {0x4340000000000000, 0x4340000000000000, 0x4340000000000000,
                                    0x4340000000000001, 0x4340000000000001};
    /* 2^64 - 1 to double: nearest 2^64 */
    static const uint64_t u64[5] = {0x43f0000000000000, 0x43efffffffffffff, 0x43efffffffffffff,
                                    0x43f0000000000000, 0x43f0000000000000};
    /* 2^63 + 2^39: the tie between 2^63 (even) and 2^63 + 2^40, as a single */
    static const uint32_t t63[5] = {0x5f000000, 0x5f000000, 0x5f000000, 0x5f000001, 0x5f000001};
    /* 2^63 + 2^39 + 1: just above that tie */
    static const uint32_t a63[5] = {0x5f000001, 0x5f000000, 0x5f000000, 0x5f000001, 0x5f000001};
    /* INT64_MIN + 1 = -(2^63 - 1) to single: nearest -2^63 */
    static const uint32_t mn[5] = {0xdf000000, 0xdeffffff, 0xdf000000, 0xdeffffff, 0xdf000000};

    for (unsigned rm = RNE; rm <= RMM; rm++) {
        assert_int_equal(from_x(RV_OP_FCVT_S_W, (1u << 24) + 1, rm), box(t24[rm]));
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_S_L, (uint64_t) - ((1 << 24) + 1), rm), box(nt24[rm]));
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_S_WU, 0xffffffffull, rm), box(u32[rm]));
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_D_L, (1ull << 53) + 1, rm), t53[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_D_LU, ~0ull, rm), u64[rm]);
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_S_LU, (1ull << 63) + (1ull << 39), rm), box(t63[rm]));
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_S_LU, (1ull << 63) + (1ull << 39) + 1, rm),
                         box(a63[rm]));
        assert_int_equal(env.fflags, NX);
        assert_int_equal(from_x(RV_OP_FCVT_S_L, 0x8000000000000001ull, rm), box(mn[rm]));
        assert_int_equal(env.fflags, NX);
    }
}

static void test_zero_converts_to_plus_zero_in_every_mode(void **state)
{
    for (unsigned rm = RNE; rm <= RMM; rm++) {
        assert_int_equal(from_x(RV_OP_FCVT_D_LU, 0, rm), 0);
        assert_int_equal(from_x(RV_OP_FCVT_S_LU, 0, rm), box(0));
        assert_int_equal(from_x(RV_OP_FCVT_D_L, 0, rm), 0);
        assert_int_equal(from_x(RV_OP_FCVT_S_W, 0, rm), box(0));
        assert_int_equal(env.fflags, 0);
    }
}

static void test_double_to_single_rounds_per_mode(void **state)
{
    /* 0.1 = 0x3fb999999999999a; its single neighbours 0x3dcccccc < 0.1 < 0x3dcccccd (nearer) */
    static const uint32_t tenth[5] = {0x3dcccccd, 0x3dcccccc, 0x3dcccccc, 0x3dcccccd, 0x3dcccccd};
    /* 1 + 2^-24: a tie */
    static const uint32_t tie[5] = {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800001};

    for (unsigned rm = RNE; rm <= RMM; rm++) {
        env.fflags = 0;
        env.f[1] = 0x3fb999999999999aull;
        assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, rm));
        assert_int_equal(env.f[4], box(tenth[rm]));
        assert_int_equal(env.fflags, NX);
        env.fflags = 0;
        env.f[1] = db(1.0 + 0x1p-24);
        assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, rm));
        assert_int_equal(env.f[4], box(tie[rm]));
        assert_int_equal(env.fflags, NX);
    }
}

static void test_format_conversions_of_nans_give_the_canonical_nan(void **state)
{
    env.f[1] = SNAN_D;
    assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, RNE));
    assert_int_equal(env.f[4], box(CANON_S));
    assert_int_equal(env.fflags, NV);
    env.fflags = 0;
    env.f[1] = 0xfff8000000000123ull;
    assert_true(exec(RV_OP_FCVT_S_D, 4, 1, 0, 0, RMM));
    assert_int_equal(env.f[4], box(CANON_S));
    assert_int_equal(env.fflags, 0);
    env.f[1] = box(SNAN_S);
    assert_true(exec(RV_OP_FCVT_D_S, 4, 1, 0, 0, RNE));
    assert_int_equal(env.f[4], CANON_D);
    assert_int_equal(env.fflags, NV);
    env.fflags = 0;
    env.f[1] = box(QNAN_S);
    assert_true(exec(RV_OP_FCVT_D_S, 4, 1, 0, 0, RNE));
    assert_int_equal(env.f[4], CANON_D);
    assert_int_equal(env.fflags, 0);
}

static void test_single_to_double_is_exact_even_for_subnormals(void **state)
{
    env.f[1] = box(1); /* 2^-149: the double 2^-149, biased exponent 1023 - 149 = 0x36a */
    assert_true(exec(RV_OP_FCVT_D_S, 4, 1, 0, 0, RUP));
    assert_int_equal(env.f[4], 0x36a0000000000000ull);
    env.f[1] = box(fb(-1.5f));
    assert_true(exec(RV_OP_FCVT_D_S, 4, 1, 0, 0, RTZ));
    assert_int_equal(env.f[4], db(-1.5));
    env.f[1] = box(NINF_S);
    assert_true(exec(RV_OP_FCVT_D_S, 4, 1, 0, 0, RTZ));
    assert_int_equal(env.f[4], NINF_D);
    assert_int_equal(env.fflags, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(test_every_fp_operation_is_illegal_while_fs_is_off),
        T(test_reserved_rounding_modes_are_illegal),
        T(test_operations_without_a_rounding_mode_ignore_frm),
        T(test_the_dynamic_rounding_mode_is_frm),
        T(test_writing_an_f_register_makes_fs_dirty_and_sets_sd),
        T(test_an_operation_that_changes_no_fp_state_leaves_fs_alone),
        T(test_raising_a_flag_makes_fs_dirty_even_without_an_f_write),
        T(test_the_host_is_left_rounding_to_nearest),
        T(test_flags_accumulate_into_fflags),
        T(test_x0_is_never_written),
        T(test_exact_arithmetic_gives_exact_results_and_no_flags),
        T(test_fused_multiply_adds_apply_their_signs),
        T(test_fused_multiply_adds_give_the_sign_of_an_exact_zero_as_the_spec_says),
        T(test_fused_multiply_add_rounds_once),
        T(test_a_tie_with_an_even_lower_neighbour_rounds_per_mode),
        T(test_a_tie_with_an_odd_lower_neighbour_goes_up_in_rne_too),
        T(test_results_off_a_tie_round_to_the_nearest_in_both_nearest_modes),
        T(test_products_and_fused_results_round_per_mode_with_rmm_ties_away),
        T(test_quotients_and_square_roots_round_per_mode),
        T(test_invalid_operations_give_the_canonical_nan_and_nv),
        T(test_fused_infinity_times_zero_is_invalid_even_with_a_quiet_nan_addend),
        T(test_nan_operands_give_the_canonical_nan_and_nv_only_when_signalling),
        T(test_division_by_zero_gives_a_signed_infinity_and_dz),
        T(test_square_roots_of_zeros_and_infinity_are_exact),
        T(test_overflow_rounds_to_infinity_or_the_largest_value_per_mode),
        T(test_overflow_at_the_rounding_boundary_follows_the_mode),
        T(test_an_exact_subnormal_result_raises_nothing),
        T(test_an_inexact_subnormal_result_raises_underflow_and_inexact),
        T(test_tininess_is_detected_after_rounding),
        T(test_a_result_tiny_even_after_rounding_underflows_in_every_mode),
        T(test_an_improperly_boxed_single_reads_as_the_canonical_nan),
        T(test_moves_between_x_and_f_copy_bits),
        T(test_sign_injection_takes_the_sign_from_the_second_operand),
        T(test_min_and_max_order_minus_zero_below_plus_zero),
        T(test_min_and_max_pick_the_smaller_and_larger_number),
        T(test_min_and_max_with_one_nan_give_the_other_operand),
        T(test_min_and_max_of_two_nans_give_the_canonical_nan),
        T(test_compares_order_numbers_and_equal_zeros),
        T(test_feq_raises_nv_only_for_a_signalling_nan),
        T(test_flt_and_fle_raise_nv_for_any_nan),
        T(test_fclass_sets_one_bit_for_each_of_the_ten_classes),
        T(test_conversions_to_integers_round_per_mode),
        T(test_exact_conversions_to_integers_raise_nothing),
        T(test_fcvt_w_saturates_at_the_int32_limits),
        T(test_fcvt_wu_saturates_and_sign_extends_its_result),
        T(test_fcvt_l_saturates_at_the_int64_limits),
        T(test_fcvt_lu_saturates_at_zero_and_two_to_the_64),
        T(test_conversions_from_32_bit_integers_read_the_low_word),
        T(test_conversions_from_integers_round_per_mode),
        T(test_zero_converts_to_plus_zero_in_every_mode),
        T(test_double_to_single_rounds_per_mode),
        T(test_format_conversions_of_nans_give_the_canonical_nan),
        T(test_single_to_double_is_exact_even_for_subnormals),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
