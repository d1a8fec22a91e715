/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The F/D vector printer for the differential run (tests/diff): every F and
 * D arithmetic, fused, sqrt, min/max, sign-injection, compare, classify and
 * conversion instruction over edge values (zeros, ones, thirds, extremes,
 * subnormals, infinities, quiet and signalling NaNs, integer limits), in
 * every static rounding mode and the dynamic one (frm = rmm). For each
 * instruction and mode it prints a 64-bit FNV-1a hash of all result bits
 * (as the full 64-bit register, so NaN-boxing shows) and fflags values.
 * Exits 0; its value is the output, which must equal QEMU's byte for byte. */
#include "isa.h"

static const uint64_t dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x3ff8000000000000, 0x4008000000000000, 0x3fd5555555555555, 0x7fefffffffffffff,
    0xffefffffffffffff, 0x0010000000000000, 0x000fffffffffffff, 0x0000000000000001,
    0x8000000000000001, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0x7ff0000000000001, 0x4340000000000001, 0x43e158e460913d00, 0xc3e0000000000000,
    0x41dfffffffe00000, 0x3fe0000000000000, 0x4004000000000000, 0xc004000000000000,
    0x41efffffffffffff, 0x3cb0000000000000,
};
static const uint64_t svals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40400000, 0x3eaaaaab, 0x7f7fffff,
    0xff7fffff, 0x00800000, 0x007fffff, 0x00000001, 0x80000001, 0x7f800000, 0xff800000, 0x7fc00000,
    0x7f800001, 0x4f000000, 0xcf000000, 0x40200000, 0x3f000000, 0xc0200000, 0x33800000, 0x4b800001,
};
static const uint64_t ivals[] = {
    0,
    1,
    0xffffffffffffffff,
    0x7fffffff,
    0xffffffff80000000,
    0x80000000,
    0xffffffff,
    0x7fffffffffffffff,
    0x8000000000000000,
    0x20000000000001,
    0x1000001,
    0xfffffffffefffffe,
    12345678901234567,
    0x100000000,
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef void (*opfn)(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f);

#define IN_d    "fmv.d.x"
#define IN_s    "fmv.w.x"
#define RM_rne  ", rne"
#define RM_rtz  ", rtz"
#define RM_rdn  ", rdn"
#define RM_rup  ", rup"
#define RM_rmm  ", rmm"
#define RM_dyn  ""
#define RM_none "" /* exact conversions take no rounding mode */
#define OUTS : "=r"(*r), "=r"(*f)
#define CLOB : "ft0", "ft1", "ft2", "ft3"

#define BIN(op, p, rm)                                                                             \
    static void op##_##p##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f)      \
    {                                                                                              \
        (void)c;                                                                                   \
        __asm__ volatile(IN_##p " ft0, %2\n\t" IN_##p " ft1, %3\n\tcsrw fflags, zero\n\t" #op      \
                                                      "." #p " ft2, ft0, ft1" RM_##rm              \
                         "\n\tfmv.x.d %0, ft2\n\t"                                                 \
                         "csrr %1, fflags" OUTS                                                    \
                         : "r"(a), "r"(b)CLOB);                                                    \
    }
#define TER(op, p, rm)                                                                             \
    static void op##_##p##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f)      \
    {                                                                                              \
        __asm__ volatile(IN_##p " ft0, %2\n\t" IN_##p " ft1, %3\n\t" IN_##p                        \
                         " ft2, %4\n\tcsrw fflags, zero\n\t" #op "." #p                            \
                         " ft3, ft0, ft1, ft2" RM_##rm "\n\tfmv.x.d %0, ft3\n\t"                   \
                                                       "csrr %1, fflags" OUTS                      \
                         : "r"(a), "r"(b), "r"(c)CLOB);                                            \
    }
#define UN(op, p, rm)                                                                              \
    static void op##_##p##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f)      \
    {                                                                                              \
        (void)b, (void)c;                                                                          \
        __asm__ volatile(IN_##p " ft0, %2\n\tcsrw fflags, zero\n\t" #op "." #p " ft2, ft0" RM_##rm \
                         "\n\tfmv.x.d %0, ft2\n\tcsrr %1, fflags" OUTS                             \
                         : "r"(a)CLOB);                                                            \
    }
/* no rounding mode: min/max, sign injection (float result) and compares,
 * fclass (integer result) */
#define NR(op, p)                                                                                  \
    static void op##_##p##_none(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f)      \
    {                                                                                              \
        (void)c;                                                                                   \
        __asm__ volatile(IN_##p " ft0, %2\n\t" IN_##p " ft1, %3\n\tcsrw fflags, zero\n\t" #op      \
                                                      "." #p                                       \
                                                      " ft2, ft0, ft1\n\tfmv.x.d %0, ft2\n\t"      \
                                                      "csrr %1, fflags" OUTS                       \
                         : "r"(a), "r"(b)CLOB);                                                    \
    }
#define CMP(op, p)                                                                                 \
    static void op##_##p##_none(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f)      \
    {                                                                                              \
        (void)c;                                                                                   \
        __asm__ volatile(IN_##p " ft0, %2\n\t" IN_##p " ft1, %3\n\tcsrw fflags, zero\n\t" #op      \
                                                      "." #p                                       \
                                                      " %0, ft0, ft1\n\tcsrr %1, fflags" OUTS      \
                         : "r"(a), "r"(b)CLOB);                                                    \
    }
#define CLASS(p)                                                                                   \
    static void fclass_##p##_none(uint64_t a, uint64_t b, uint64_t c, uint64_t *r, uint64_t *f)    \
    {                                                                                              \
        (void)b, (void)c;                                                                          \
        __asm__ volatile(IN_##p " ft0, %2\n\tcsrw fflags, zero\n\tfclass." #p                      \
                                " %0, ft0\n\tcsrr %1, fflags" OUTS                                 \
                         : "r"(a)CLOB);                                                            \
    }
/* float -> integer: fcvt.<to>.<p> */
#define F2I(to, p, rm)                                                                             \
    static void fcvt_##to##_##p##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t *r,            \
                                       uint64_t *f)                                                \
    {                                                                                              \
        (void)b, (void)c;                                                                          \
        __asm__ volatile(IN_##p " ft0, %2\n\tcsrw fflags, zero\n\tfcvt." #to "." #p                \
                                " %0, ft0" RM_##rm "\n\tcsrr %1, fflags" OUTS                      \
                         : "r"(a)CLOB);                                                            \
    }
/* integer -> float: fcvt.<p>.<from> */
#define I2F(p, from, rm)                                                                           \
    static void fcvt_##p##_##from##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t *r,          \
                                         uint64_t *f)                                              \
    {                                                                                              \
        (void)b, (void)c;                                                                          \
        __asm__ volatile("csrw fflags, zero\n\tfcvt." #p "." #from " ft2, %2" RM_##rm              \
                         "\n\tfmv.x.d %0, ft2\n\tcsrr %1, fflags" OUTS                             \
                         : "r"(a)CLOB);                                                            \
    }
/* float -> float: fcvt.<to>.<p> */
#define F2F(to, p, rm)                                                                             \
    static void fcvt_##to##_##p##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t *r,            \
                                       uint64_t *f)                                                \
    {                                                                                              \
        (void)b, (void)c;                                                                          \
        __asm__ volatile(IN_##p " ft0, %2\n\tcsrw fflags, zero\n\tfcvt." #to "." #p                \
                                " ft2, ft0" RM_##rm "\n\tfmv.x.d %0, ft2\n\tcsrr %1, fflags" OUTS  \
                         : "r"(a)CLOB);                                                            \
    }

#define RMS(M, ...)                                                                                \
    M(__VA_ARGS__, rne)                                                                            \
    M(__VA_ARGS__, rtz)                                                                            \
    M(__VA_ARGS__, rdn) M(__VA_ARGS__, rup) M(__VA_ARGS__, rmm) M(__VA_ARGS__, dyn)
#define BOTH(M, op) RMS(M, op, d) RMS(M, op, s)

BOTH(BIN, fadd)
BOTH(BIN, fsub)
BOTH(BIN, fmul)
BOTH(BIN, fdiv)
BOTH(TER, fmadd)
BOTH(TER, fmsub)
BOTH(TER, fnmadd)
BOTH(TER, fnmsub)
BOTH(UN, fsqrt)
NR(fmin, d)
NR(fmin, s)
NR(fmax, d)
NR(fmax, s)
NR(fsgnj, d)
NR(fsgnj, s)
NR(fsgnjn, d)
NR(fsgnjn, s)
NR(fsgnjx, d)
NR(fsgnjx, s)
CMP(feq, d)
CMP(feq, s)
CMP(flt, d)
CMP(flt, s)
CMP(fle, d)
CMP(fle, s)
CLASS(d)
CLASS(s)
RMS(F2I, w, d)
RMS(F2I, wu, d)
RMS(F2I, l, d)
RMS(F2I, lu, d)
RMS(F2I, w, s)
RMS(F2I, wu, s)
RMS(F2I, l, s)
RMS(F2I, lu, s)
I2F(d, w, none)
I2F(d, wu, none)
RMS(I2F, d, l)
RMS(I2F, d, lu)
RMS(I2F, s, w)
RMS(I2F, s, wu)
RMS(I2F, s, l)
RMS(I2F, s, lu)
RMS(F2F, s, d)
F2F(d, s, none)

enum { VD, VS, VI };
struct op {
    const char *name, *rm;
    opfn fn;
    int arity, vals;
};

#define E(name, rm, fn, arity, vals) {name, #rm, fn, arity, vals},
#define E_BIN(op, p, rm)             E(#op "." #p, rm, op##_##p##_##rm, 2, V_##p)
#define E_TER(op, p, rm)             E(#op "." #p, rm, op##_##p##_##rm, 3, V_##p)
#define E_UN(op, p, rm)              E(#op "." #p, rm, op##_##p##_##rm, 1, V_##p)
#define E_F2I(to, p, rm)             E("fcvt." #to "." #p, rm, fcvt_##to##_##p##_##rm, 1, V_##p)
#define E_I2F(p, from, rm)           E("fcvt." #p "." #from, rm, fcvt_##p##_##from##_##rm, 1, VI)
#define E_F2F(to, p, rm)             E("fcvt." #to "." #p, rm, fcvt_##to##_##p##_##rm, 1, V_##p)
#define E_NR(op, p)                  E(#op "." #p, none, op##_##p##_none, 2, V_##p)
#define V_d                          VD
#define V_s                          VS

static const struct op ops[] = {
    BOTH(E_BIN, fadd) BOTH(E_BIN, fsub) BOTH(E_BIN, fmul) BOTH(E_BIN, fdiv) BOTH(E_TER, fmadd) BOTH(
        E_TER, fmsub) BOTH(E_TER, fnmadd) BOTH(E_TER, fnmsub) BOTH(E_UN, fsqrt) E_NR(fmin, d)
        E_NR(fmin, s) E_NR(fmax, d) E_NR(fmax, s) E_NR(fsgnj, d) E_NR(fsgnj, s) E_NR(fsgnjn, d)
            E_NR(fsgnjn, s) E_NR(fsgnjx, d) E_NR(fsgnjx, s) E_NR(feq, d) E_NR(feq, s) E_NR(flt, d)
                E_NR(flt, s) E_NR(fle, d) E_NR(fle, s) E("fclass.d", none, fclass_d_none, 1, VD)
                    E("fclass.s", none, fclass_s_none, 1, VS) RMS(E_F2I, w, d) RMS(E_F2I, wu, d)
                        RMS(E_F2I, l, d) RMS(E_F2I, lu, d) RMS(E_F2I, w, s) RMS(E_F2I, wu, s)
                            RMS(E_F2I, l, s) RMS(E_F2I, lu, s) E_I2F(d, w, none) E_I2F(d, wu, none)
                                RMS(E_I2F, d, l) RMS(E_I2F, d, lu) RMS(E_I2F, s, w)
                                    RMS(E_I2F, s, wu) RMS(E_I2F, s, l) RMS(E_I2F, s, lu)
                                        RMS(E_F2F, s, d) E_F2F(d, s, none)};

static uint64_t hash;
static void mix(uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        hash ^= (v >> (8 * i)) & 0xff;
        hash *= 0x100000001b3ULL;
    }
}

int main(void)
{
    csr_write(frm, 4); /* the dynamic mode: rmm */
    uint64_t total = 0;
    for (unsigned k = 0; k < N(ops); k++) {
        const struct op *o = &ops[k];
        const uint64_t *v = o->vals == VD ? dvals : o->vals == VS ? svals : ivals;
        unsigned n = o->vals == VD ? N(dvals) : o->vals == VS ? N(svals) : N(ivals);
        unsigned nb = o->arity >= 2 ? n : 1, nc = o->arity == 3 ? 10 : 1;
        uint64_t r, f, count = 0;
        hash = 0xcbf29ce484222325ULL;
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < nb; j++)
                for (unsigned m = 0; m < nc; m++) {
                    o->fn(v[i], v[j], v[(i + j + m) % n], &r, &f);
                    mix(r);
                    mix(f);
                    count++;
                }
        total += count;
        uart_puts(o->name);
        uart_putc(' ');
        uart_puts(o->rm);
        uart_putc(' ');
        uart_putdec(count);
        uart_putc(' ');
        uart_puthex(hash);
        uart_putc('\n');
    }
    uart_puts("total ");
    uart_putdec(total);
    uart_putc('\n');
    ASSERT_EQ(1, csr_read(frm), 4);
    return 0;
}
