/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fpu.c - the F and D extensions (every operation but the loads and stores)
 * on the host's IEEE 754 arithmetic (docs/hart.md, "Floating point").
 *
 * How each part is done:
 *   - NaN operands never reach the host: an operation with a NaN operand
 *     gives the canonical NaN and raises NV when one is signalling, decided
 *     from the bits.  Results that are NaN (inf-inf, 0*inf, 0/0, sqrt(-1))
 *     are replaced by the canonical NaN.
 *   - RNE, RTZ, RDN and RUP are the host's modes: fesetround, the operation
 *     in float (single) or double (double) so nothing is rounded twice, and
 *     the flags from fetestexcept.  x86 detects tininess after rounding and,
 *     with the exceptions masked, raises underflow only for an inexact tiny
 *     result: what RISC-V asks.
 *   - RMM (nearest, ties away from zero) has no host mode.  The operation is
 *     done in long double (64 significant bits or more) rounding toward zero,
 *     which gives X, the exact result truncated, and whether it was exact.
 *     Truncating X to the target gives t, the candidate toward zero; n is the
 *     next value away.  The midpoint m of t and n has at most p + 1
 *     significant bits, so it is exact in long double, and because X is a
 *     truncation, |exact| >= |m| exactly when |X| >= |m|: the result is n
 *     then, t otherwise.  The same argument decides tininess after rounding
 *     (|exact| below the midpoint of the largest subnormal-precision value
 *     under 2^emin and 2^emin).  See rmm_round().
 *   - Compares, min/max, sign injection, classify, moves and conversions to
 *     integers are done on values and bits with the flags decided here, so
 *     they depend on no compiler's choice of compare instruction.
 * Operands of host operations go through volatile variables so that no
 * compiler moves an operation across the fesetround/fetestexcept calls
 * around it; the file is built with -frounding-math -ffp-contract=off.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"

#if FLT_EVAL_METHOD != 0
#error "fpu.c needs float and double evaluated in their own precision (SSE, not x87)"
#endif
#if LDBL_MANT_DIG < 64
#error "fpu.c's RMM rounding needs a long double of 64 significant bits or more"
#endif

/* fflags bits */
#define FF_NV 16u
#define FF_DZ 8u
#define FF_OF 4u
#define FF_UF 2u
#define FF_NX 1u

/* rounding modes (the rm field and frm) */
#define RM_RNE 0
#define RM_RTZ 1
#define RM_RDN 2
#define RM_RUP 3
#define RM_RMM 4
#define RM_DYN 7

#define CANON_S UINT32_C(0x7fc00000)
#define CANON_D UINT64_C(0x7ff8000000000000)
#define BOX_S   UINT64_C(0xffffffff00000000)

/* What the host computes: the arithmetic and the conversions that round. */
typedef enum {
    K_ADD,
    K_SUB,
    K_MUL,
    K_DIV,
    K_SQRT,
    K_FMA,      /* a * b + c, rounded once */
    K_FROM_D,   /* the double a, to single */
    K_FROM_I64, /* the signed integer i */
    K_FROM_U64, /* the unsigned integer i */
} HostOp;

/* A host operation's operands: singles are held in doubles (exactly); none is a NaN. */
typedef struct {
    double a, b, c;
    uint64_t i;
} Operands;

/* ---- bits ---- */

static float s_of(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof(f));
    return f;
}

static uint32_t bits_s(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof(bits));
    return bits;
}

static double d_of(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof(d));
    return d;
}

static uint64_t bits_d(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    return bits;
}

static bool nan_s(uint32_t v)
{
    return (v & 0x7fffffffu) > 0x7f800000u;
}

static bool snan_s(uint32_t v)
{
    return nan_s(v) && !(v & 0x00400000u);
}

static bool nan_d(uint64_t v)
{
    return (v & ~(UINT64_C(1) << 63)) > UINT64_C(0x7ff0000000000000);
}

static bool snan_d(uint64_t v)
{
    return nan_d(v) && !(v & (UINT64_C(1) << 51));
}

/* A single operand: an improperly NaN-boxed register reads as the canonical NaN. */
static uint32_t get_s(const CPURVState *env, unsigned r)
{
    uint64_t v = env->f[r];

    return (v & BOX_S) == BOX_S ? (uint32_t)v : CANON_S;
}

static uint64_t sext32(uint32_t v)
{
    return (uint64_t)(int64_t)(int32_t)v;
}

/* ---- host arithmetic ---- */

static unsigned flags_of(int ex)
{
    return (ex & FE_INVALID ? FF_NV : 0) | (ex & FE_DIVBYZERO ? FF_DZ : 0) |
           (ex & FE_OVERFLOW ? FF_OF : 0) | (ex & FE_UNDERFLOW ? FF_UF : 0) |
           (ex & FE_INEXACT ? FF_NX : 0);
}

static int host_mode(unsigned rm)
{
    switch (rm) {
    case RM_RTZ:
        return FE_TOWARDZERO;
    case RM_RDN:
        return FE_DOWNWARD;
    case RM_RUP:
        return FE_UPWARD;
    default:
        return FE_TONEAREST;
    }
}

/* Each in the host's current rounding mode. */
static float calc_s(HostOp k, const Operands *o)
{
    volatile float a = (float)o->a, b = (float)o->b, c = (float)o->c;
    volatile double d = o->a;
    volatile int64_t i = (int64_t)o->i;
    volatile float r = 0;

    switch (k) {
    case K_ADD:
        r = a + b;
        break;
    case K_SUB:
        r = a - b;
        break;
    case K_MUL:
        r = a * b;
        break;
    case K_DIV:
        r = a / b;
        break;
    case K_SQRT:
        r = sqrtf(a);
        break;
    case K_FMA:
        r = fmaf(a, b, c);
        break;
    case K_FROM_D:
        r = (float)d;
        break;
    case K_FROM_I64:
        r = (float)i;
        break;
    case K_FROM_U64:
        if (i >= 0) {
            r = (float)i;
        } else {
            /* Halve keeping the dropped bit as a sticky bit: rounds as the whole would. */
            volatile int64_t h = (int64_t)((o->i >> 1) | (o->i & 1));
            volatile float t = (float)h;
            r = t * 2.0f;
        }
        break;
    }
    return r;
}

static double calc_d(HostOp k, const Operands *o)
{
    volatile double a = o->a, b = o->b, c = o->c;
    volatile int64_t i = (int64_t)o->i;
    volatile double r = 0;

    switch (k) {
    case K_ADD:
        r = a + b;
        break;
    case K_SUB:
        r = a - b;
        break;
    case K_MUL:
        r = a * b;
        break;
    case K_DIV:
        r = a / b;
        break;
    case K_SQRT:
        r = sqrt(a);
        break;
    case K_FMA:
        r = fma(a, b, c);
        break;
    case K_FROM_D:
        r = a;
        break;
    case K_FROM_I64:
        r = (double)i;
        break;
    case K_FROM_U64:
        if (i >= 0) {
            r = (double)i;
        } else {
            volatile int64_t h = (int64_t)((o->i >> 1) | (o->i & 1));
            volatile double t = (double)h;
            r = t * 2.0;
        }
        break;
    }
    return r;
}

/* The same in long double (for RMM, under round toward zero): exact but for the operation. */
static long double calc_ld(HostOp k, const Operands *o)
{
    volatile long double a = o->a, b = o->b, c = o->c;
    volatile long double r = 0;

    switch (k) {
    case K_ADD:
        r = a + b;
        break;
    case K_SUB:
        r = a - b;
        break;
    case K_MUL:
        r = a * b;
        break;
    case K_DIV:
        r = a / b;
        break;
    case K_SQRT:
        r = sqrtl(a);
        break;
    case K_FMA:
        r = fmal(a, b, c);
        break;
    case K_FROM_D:
        r = a;
        break;
    case K_FROM_I64:
        r = (long double)(int64_t)o->i; /* 64 significant bits: exact */
        break;
    case K_FROM_U64:
        r = (long double)o->i;
        break;
    }
    return r;
}

/*
 * Rounds X, the exact result truncated toward zero to long double (exact
 * when !sticky), to single or double with ties away from zero (RMM), adding
 * NX, OF and UF to *fl.  X is finite or infinite, not NaN.  Every step is
 * exact or mode-independent (the truncation to the target is checked and
 * corrected), so the host's rounding mode does not matter here.
 */
static long double rmm_round(long double X, bool sticky, bool single, unsigned *fl)
{
    const int p = single ? FLT_MANT_DIG : DBL_MANT_DIG;
    const int emax = (single ? FLT_MAX_EXP : DBL_MAX_EXP) - 1;
    const long double max = single ? FLT_MAX : DBL_MAX;
    const long double min_normal = single ? FLT_MIN : DBL_MIN;
    long double ax = fabsl(X), t, n, mid, r;

    if (isinf(X)) {
        return X;
    }
    /* t: ax truncated to the target (toward zero) */
    if (ax > max) {
        t = max;
    } else if (single) {
        float f = (float)ax;
        if (f > ax) {
            f = nextafterf(f, 0.0f);
        }
        t = f;
    } else {
        double d = (double)ax;
        if (d > ax) {
            d = nextafter(d, 0.0);
        }
        t = d;
    }
    if (t == ax && !sticky) {
        return X;
    }
    /* n: the next value away from zero, and the midpoint of the two */
    if (t == max) {
        n = INFINITY;
        mid = max + ldexpl(1.0L, emax - p);
    } else {
        n = single ? (long double)nextafterf((float)t, INFINITY)
                   : (long double)nextafter((double)t, INFINITY);
        mid = (t + n) * 0.5L;
    }
    r = ax >= mid ? n : t;
    *fl |= FF_NX;
    if (isinf(r)) {
        *fl |= FF_OF;
    }
    /* tiny after rounding: under the midpoint of 2^emin and the p-bit value below it */
    if (ax < min_normal * (1.0L - ldexpl(1.0L, -(p + 1)))) {
        *fl |= FF_UF;
    }
    return copysignl(r, X);
}

/*
 * RMM's first step: k in long double rounding toward zero (X, and whether
 * it was inexact), NV and DZ added to *fl.  false when X is a NaN.
 */
static bool calc_rmm(HostOp k, const Operands *o, unsigned *fl, long double *X, bool *inexact)
{
    int ex;

    fesetround(FE_TOWARDZERO);
    feclearexcept(FE_ALL_EXCEPT);
    *X = calc_ld(k, o);
    ex = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    *fl |= flags_of(ex & (FE_INVALID | FE_DIVBYZERO));
    *inexact = (ex & FE_INEXACT) != 0;
    return !isnan(*X);
}

/* Around one host operation in rm: the mode set and the flags cleared, then read and reset. */
static void host_begin(unsigned rm)
{
    fesetround(host_mode(rm));
    feclearexcept(FE_ALL_EXCEPT);
}

static void host_end(unsigned *fl)
{
    int ex = fetestexcept(FE_ALL_EXCEPT);

    fesetround(FE_TONEAREST);
    *fl |= flags_of(ex);
}

/* Does k on operands o (no NaN among them) in rm, giving a single; adds the flags to *fl. */
static uint32_t round_s(HostOp k, const Operands *o, unsigned rm, unsigned *fl)
{
    long double X;
    bool inexact;
    float r;

    if (rm == RM_RMM) {
        return calc_rmm(k, o, fl, &X, &inexact) ? bits_s((float)rmm_round(X, inexact, true, fl))
                                                : CANON_S;
    }
    host_begin(rm);
    r = calc_s(k, o);
    host_end(fl);
    return isnan(r) ? CANON_S : bits_s(r);
}

static uint64_t round_d(HostOp k, const Operands *o, unsigned rm, unsigned *fl)
{
    long double X;
    bool inexact;
    double r;

    if (rm == RM_RMM) {
        return calc_rmm(k, o, fl, &X, &inexact) ? bits_d((double)rmm_round(X, inexact, false, fl))
                                                : CANON_D;
    }
    host_begin(rm);
    r = calc_d(k, o);
    host_end(fl);
    return isnan(r) ? CANON_D : bits_d(r);
}

/* ---- operations decided here ---- */

/* A product of an infinity and a zero: invalid even when the addend is a quiet NaN. */
static bool inf_times_zero(double a, double b)
{
    return (isinf(a) && b == 0) || (a == 0 && isinf(b));
}

/* The integer a value (not NaN) rounds to in rm, as a double (exact). */
static double round_integral(double v, unsigned rm)
{
    switch (rm) {
    case RM_RTZ:
        return trunc(v);
    case RM_RDN:
        return floor(v);
    case RM_RUP:
        return ceil(v);
    case RM_RMM:
        return round(v);
    default: {
        double r = round(v); /* ties away: a tie goes to the even neighbour instead */
        if (fabs(r - v) == 0.5) {
            r = 2.0 * round(v * 0.5);
        }
        return r;
    }
    }
}

typedef enum { TO_W, TO_WU, TO_L, TO_LU } IntType;

/* fcvt.{w,wu,l,lu}: the spec's saturation; 32-bit results sign-extended to 64. */
static uint64_t to_int(double v, bool is_nan, IntType type, unsigned rm, unsigned *fl)
{
    static const double lo[] = {-2147483648.0, 0.0, -9223372036854775808.0, 0.0};
    /* the first integer above the range */
    static const double hi[] = {2147483648.0, 4294967296.0, 9223372036854775808.0,
                                18446744073709551616.0};
    static const uint64_t min[] = {UINT64_C(0xffffffff80000000), 0, UINT64_C(1) << 63, 0};
    static const uint64_t max[] = {0x7fffffff, UINT64_MAX, INT64_MAX, UINT64_MAX};
    double r;

    if (is_nan) {
        *fl |= FF_NV;
        return max[type];
    }
    r = round_integral(v, rm);
    if (r < lo[type]) {
        *fl |= FF_NV;
        return min[type];
    }
    if (r >= hi[type]) {
        *fl |= FF_NV;
        return max[type];
    }
    if (r != v) {
        *fl |= FF_NX;
    }
    switch (type) {
    case TO_W:
        return (uint64_t)(int64_t)r;
    case TO_WU:
        return sext32((uint32_t)(uint64_t)(int64_t)r);
    case TO_L:
        return (uint64_t)(int64_t)r;
    default:
        if (r >= 9223372036854775808.0) {
            return (uint64_t)(int64_t)(r - 9223372036854775808.0) + (UINT64_C(1) << 63);
        }
        return (uint64_t)(int64_t)r;
    }
}

/*
 * fmin/fmax (minimumNumber/maximumNumber, -0 < +0) on bits: a quiet NaN
 * gives the other operand, two NaNs the canonical NaN, a signalling NaN NV.
 */
static uint64_t min_max(uint64_t a, uint64_t b, bool single, bool want_max, unsigned *fl)
{
    bool na = single ? nan_s((uint32_t)a) : nan_d(a);
    bool nb = single ? nan_s((uint32_t)b) : nan_d(b);
    bool sa = single ? snan_s((uint32_t)a) : snan_d(a);
    bool sb = single ? snan_s((uint32_t)b) : snan_d(b);
    double va, vb;
    uint64_t sign = single ? UINT64_C(1) << 31 : UINT64_C(1) << 63;

    if (sa || sb) {
        *fl |= FF_NV;
    }
    if (na && nb) {
        return single ? CANON_S : CANON_D;
    }
    if (na) {
        return b;
    }
    if (nb) {
        return a;
    }
    va = single ? s_of((uint32_t)a) : d_of(a);
    vb = single ? s_of((uint32_t)b) : d_of(b);
    if (va == vb) {
        /* equal values differ only as zeros: -0 is the smaller */
        bool a_neg = (a & sign) != 0;
        return a_neg == want_max ? b : a;
    }
    return (va < vb) != want_max ? a : b;
}

typedef enum { CMP_EQ, CMP_LT, CMP_LE } Compare;

/* feq (NV for a signalling NaN), flt and fle (NV for any NaN). */
static uint64_t compare(uint64_t a, uint64_t b, bool single, Compare cmp, unsigned *fl)
{
    bool na = single ? nan_s((uint32_t)a) : nan_d(a);
    bool nb = single ? nan_s((uint32_t)b) : nan_d(b);
    bool sa = single ? snan_s((uint32_t)a) : snan_d(a);
    bool sb = single ? snan_s((uint32_t)b) : snan_d(b);
    double va, vb;

    if (na || nb) {
        if (cmp != CMP_EQ || sa || sb) {
            *fl |= FF_NV;
        }
        return 0;
    }
    va = single ? s_of((uint32_t)a) : d_of(a);
    vb = single ? s_of((uint32_t)b) : d_of(b);
    switch (cmp) {
    case CMP_EQ:
        return va == vb;
    case CMP_LT:
        return va < vb;
    default:
        return va <= vb;
    }
}

/* fclass: one of ten bits, from the encoding. */
static uint64_t classify(uint64_t v, bool single)
{
    unsigned frac_bits = single ? 23 : 52, exp_bits = single ? 8 : 11;
    bool neg = (v >> (frac_bits + exp_bits)) & 1;
    uint64_t exp = (v >> frac_bits) & ((UINT64_C(1) << exp_bits) - 1);
    uint64_t frac = v & ((UINT64_C(1) << frac_bits) - 1);
    uint64_t exp_max = (UINT64_C(1) << exp_bits) - 1;

    if (exp == exp_max) {
        if (frac == 0) {
            return neg ? 1u << 0 : 1u << 7;
        }
        return frac >> (frac_bits - 1) ? 1u << 9 : 1u << 8;
    }
    if (exp == 0) {
        if (frac == 0) {
            return neg ? 1u << 3 : 1u << 4;
        }
        return neg ? 1u << 2 : 1u << 5;
    }
    return neg ? 1u << 1 : 1u << 6;
}

/* fsgnj, fsgnjn, fsgnjx: the magnitude of a with a sign made from b's. */
static uint64_t sign_inject(uint64_t a, uint64_t b, bool single, int how)
{
    uint64_t sign = single ? UINT64_C(1) << 31 : UINT64_C(1) << 63;
    uint64_t s = how == 0 ? b & sign : how == 1 ? ~b & sign : (a ^ b) & sign;

    return (a & ~sign) | s;
}

/* ---- the arithmetic instructions ---- */

/* The fused multiply-adds with their negations applied to the operands (exact). */
static bool fused_neg(unsigned op, bool *neg_product, bool *neg_addend)
{
    switch (op) {
    case RV_OP_FMADD_S:
    case RV_OP_FMADD_D:
        *neg_product = false, *neg_addend = false;
        return true;
    case RV_OP_FMSUB_S:
    case RV_OP_FMSUB_D:
        *neg_product = false, *neg_addend = true;
        return true;
    case RV_OP_FNMSUB_S: /* -(a*b) + c */
    case RV_OP_FNMSUB_D:
        *neg_product = true, *neg_addend = false;
        return true;
    case RV_OP_FNMADD_S: /* -(a*b) - c */
    case RV_OP_FNMADD_D:
        *neg_product = true, *neg_addend = true;
        return true;
    default:
        return false;
    }
}

/*
 * An arithmetic operation on 1..3 register operands (bits, singles unboxed):
 * NaN operands decided here, the rest by the host.
 */
static uint64_t arith(HostOp k, bool single, uint64_t a, uint64_t b, uint64_t c, unsigned nops,
                      unsigned rm, unsigned *fl)
{
    uint64_t in[3] = {a, b, c};
    double v[3] = {0, 0, 0};
    bool any_nan = false, any_snan = false;
    Operands o = {0};

    for (unsigned i = 0; i < nops; i++) {
        any_nan |= single ? nan_s((uint32_t)in[i]) : nan_d(in[i]);
        any_snan |= single ? snan_s((uint32_t)in[i]) : snan_d(in[i]);
        if (single) {
            v[i] = nan_s((uint32_t)in[i]) ? 0 : s_of((uint32_t)in[i]);
        } else {
            v[i] = nan_d(in[i]) ? 0 : d_of(in[i]);
        }
    }
    /* (a NaN's v is 0, but then the product is not infinity times zero) */
    if (k == K_FMA && inf_times_zero(v[0], v[1]) &&
        !(single ? nan_s((uint32_t)a) || nan_s((uint32_t)b) : nan_d(a) || nan_d(b))) {
        *fl |= FF_NV;
        return single ? CANON_S : CANON_D;
    }
    if (any_nan) {
        if (any_snan) {
            *fl |= FF_NV;
        }
        return single ? CANON_S : CANON_D;
    }
    o.a = v[0];
    o.b = nops > 1 ? v[1] : 0;
    o.c = nops > 2 ? v[2] : 0;
    return single ? round_s(k, &o, rm, fl) : round_d(k, &o, rm, fl);
}

/* Whether op has a rounding-mode field (whose reserved values make it illegal). */
static bool uses_rm(unsigned op)
{
    switch (op) {
    case RV_OP_FSGNJ_S:
    case RV_OP_FSGNJN_S:
    case RV_OP_FSGNJX_S:
    case RV_OP_FMIN_S:
    case RV_OP_FMAX_S:
    case RV_OP_FMV_X_W:
    case RV_OP_FEQ_S:
    case RV_OP_FLT_S:
    case RV_OP_FLE_S:
    case RV_OP_FCLASS_S:
    case RV_OP_FMV_W_X:
    case RV_OP_FSGNJ_D:
    case RV_OP_FSGNJN_D:
    case RV_OP_FSGNJX_D:
    case RV_OP_FMIN_D:
    case RV_OP_FMAX_D:
    case RV_OP_FEQ_D:
    case RV_OP_FLT_D:
    case RV_OP_FLE_D:
    case RV_OP_FCLASS_D:
    case RV_OP_FMV_X_D:
    case RV_OP_FMV_D_X:
        return false;
    default:
        return true;
    }
}

bool rv_fpu_exec(CPURVState *env, const RVInsn *insn)
{
    unsigned op = insn->op, rm = insn->rm, fl = 0;
    uint64_t xs1 = env->x[insn->rs1];
    uint32_t s1 = get_s(env, insn->rs1), s2 = get_s(env, insn->rs2), s3 = get_s(env, insn->rs3);
    uint64_t d1 = env->f[insn->rs1], d2 = env->f[insn->rs2], d3 = env->f[insn->rs3];
    uint64_t res = 0;
    bool to_f = true; /* the result goes to f[rd] (else x[rd]) */
    bool single = false, neg_p, neg_c;
    Operands o = {0};

    if (((env->mstatus & RV_MSTATUS_FS) >> 13) == RV_FS_OFF) {
        return false;
    }
    if (rm == RM_DYN) {
        rm = env->frm;
    }
    if (uses_rm(op) && rm > RM_RMM) {
        return false;
    }

    switch (op) {
    case RV_OP_FMADD_S:
    case RV_OP_FMSUB_S:
    case RV_OP_FNMSUB_S:
    case RV_OP_FNMADD_S:
        fused_neg(op, &neg_p, &neg_c);
        res = arith(K_FMA, true, s1 ^ (neg_p ? 1u << 31 : 0), s2, s3 ^ (neg_c ? 1u << 31 : 0), 3,
                    rm, &fl);
        single = true;
        break;
    case RV_OP_FMADD_D:
    case RV_OP_FMSUB_D:
    case RV_OP_FNMSUB_D:
    case RV_OP_FNMADD_D:
        fused_neg(op, &neg_p, &neg_c);
        res = arith(K_FMA, false, d1 ^ (neg_p ? UINT64_C(1) << 63 : 0), d2,
                    d3 ^ (neg_c ? UINT64_C(1) << 63 : 0), 3, rm, &fl);
        break;
    case RV_OP_FADD_S:
        res = arith(K_ADD, true, s1, s2, 0, 2, rm, &fl), single = true;
        break;
    case RV_OP_FSUB_S:
        res = arith(K_SUB, true, s1, s2, 0, 2, rm, &fl), single = true;
        break;
    case RV_OP_FMUL_S:
        res = arith(K_MUL, true, s1, s2, 0, 2, rm, &fl), single = true;
        break;
    case RV_OP_FDIV_S:
        res = arith(K_DIV, true, s1, s2, 0, 2, rm, &fl), single = true;
        break;
    case RV_OP_FSQRT_S:
        res = arith(K_SQRT, true, s1, 0, 0, 1, rm, &fl), single = true;
        break;
    case RV_OP_FADD_D:
        res = arith(K_ADD, false, d1, d2, 0, 2, rm, &fl);
        break;
    case RV_OP_FSUB_D:
        res = arith(K_SUB, false, d1, d2, 0, 2, rm, &fl);
        break;
    case RV_OP_FMUL_D:
        res = arith(K_MUL, false, d1, d2, 0, 2, rm, &fl);
        break;
    case RV_OP_FDIV_D:
        res = arith(K_DIV, false, d1, d2, 0, 2, rm, &fl);
        break;
    case RV_OP_FSQRT_D:
        res = arith(K_SQRT, false, d1, 0, 0, 1, rm, &fl);
        break;

    case RV_OP_FSGNJ_S:
    case RV_OP_FSGNJN_S:
    case RV_OP_FSGNJX_S:
        res = sign_inject(s1, s2, true, op - RV_OP_FSGNJ_S), single = true;
        break;
    case RV_OP_FSGNJ_D:
    case RV_OP_FSGNJN_D:
    case RV_OP_FSGNJX_D:
        res = sign_inject(d1, d2, false, op - RV_OP_FSGNJ_D);
        break;
    case RV_OP_FMIN_S:
    case RV_OP_FMAX_S:
        res = min_max(s1, s2, true, op == RV_OP_FMAX_S, &fl), single = true;
        break;
    case RV_OP_FMIN_D:
    case RV_OP_FMAX_D:
        res = min_max(d1, d2, false, op == RV_OP_FMAX_D, &fl);
        break;

    case RV_OP_FEQ_S:
    case RV_OP_FLT_S:
    case RV_OP_FLE_S:
        res = compare(s1, s2, true, op - RV_OP_FEQ_S, &fl), to_f = false;
        break;
    case RV_OP_FEQ_D:
    case RV_OP_FLT_D:
    case RV_OP_FLE_D:
        res = compare(d1, d2, false, op - RV_OP_FEQ_D, &fl), to_f = false;
        break;
    case RV_OP_FCLASS_S:
        res = classify(s1, true), to_f = false;
        break;
    case RV_OP_FCLASS_D:
        res = classify(d1, false), to_f = false;
        break;

    case RV_OP_FMV_X_W:
        res = sext32((uint32_t)d1), to_f = false;
        break;
    case RV_OP_FMV_W_X:
        res = (uint32_t)xs1, single = true;
        break;
    case RV_OP_FMV_X_D:
        res = d1, to_f = false;
        break;
    case RV_OP_FMV_D_X:
        res = xs1;
        break;

    case RV_OP_FCVT_W_S:
    case RV_OP_FCVT_WU_S:
    case RV_OP_FCVT_L_S:
    case RV_OP_FCVT_LU_S: {
        IntType type = op == RV_OP_FCVT_W_S    ? TO_W
                       : op == RV_OP_FCVT_WU_S ? TO_WU
                       : op == RV_OP_FCVT_L_S  ? TO_L
                                               : TO_LU;
        res = to_int(nan_s(s1) ? 0 : s_of(s1), nan_s(s1), type, rm, &fl), to_f = false;
        break;
    }
    case RV_OP_FCVT_W_D:
    case RV_OP_FCVT_WU_D:
    case RV_OP_FCVT_L_D:
    case RV_OP_FCVT_LU_D: {
        IntType type = op == RV_OP_FCVT_W_D    ? TO_W
                       : op == RV_OP_FCVT_WU_D ? TO_WU
                       : op == RV_OP_FCVT_L_D  ? TO_L
                                               : TO_LU;
        res = to_int(nan_d(d1) ? 0 : d_of(d1), nan_d(d1), type, rm, &fl), to_f = false;
        break;
    }

    case RV_OP_FCVT_S_W:
        o.i = (uint64_t)(int64_t)(int32_t)xs1;
        res = round_s(K_FROM_I64, &o, rm, &fl), single = true;
        break;
    case RV_OP_FCVT_S_WU:
        o.i = (uint32_t)xs1;
        res = round_s(K_FROM_I64, &o, rm, &fl), single = true;
        break;
    case RV_OP_FCVT_S_L:
        o.i = xs1;
        res = round_s(K_FROM_I64, &o, rm, &fl), single = true;
        break;
    case RV_OP_FCVT_S_LU:
        o.i = xs1;
        res = round_s(K_FROM_U64, &o, rm, &fl), single = true;
        break;
    case RV_OP_FCVT_D_W:
        res = bits_d((double)(int32_t)xs1); /* exact */
        break;
    case RV_OP_FCVT_D_WU:
        res = bits_d((double)(uint32_t)xs1); /* exact */
        break;
    case RV_OP_FCVT_D_L:
        o.i = xs1;
        res = round_d(K_FROM_I64, &o, rm, &fl);
        break;
    case RV_OP_FCVT_D_LU:
        o.i = xs1;
        res = round_d(K_FROM_U64, &o, rm, &fl);
        break;
    case RV_OP_FCVT_S_D:
        if (nan_d(d1)) {
            fl |= snan_d(d1) ? FF_NV : 0;
            res = CANON_S;
        } else {
            o.a = d_of(d1);
            res = round_s(K_FROM_D, &o, rm, &fl);
        }
        single = true;
        break;
    case RV_OP_FCVT_D_S:
        if (nan_s(s1)) {
            fl |= snan_s(s1) ? FF_NV : 0;
            res = CANON_D;
        } else {
            res = bits_d((double)s_of(s1)); /* exact */
        }
        break;

    default:
        return false;
    }

    if (to_f) {
        env->f[insn->rd] = single ? BOX_S | (uint32_t)res : res;
    } else if (insn->rd != 0) {
        env->x[insn->rd] = res;
    }
    env->fflags |= fl;
    if (to_f || fl) {
        env->mstatus |= RV_MSTATUS_FS | RV_MSTATUS_SD;
    }
    return true;
}
