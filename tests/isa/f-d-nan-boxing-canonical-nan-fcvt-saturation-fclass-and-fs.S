/* SPDX-License-Identifier: GPL-2.0-or-later */
/* F and D rules that the differential vector run cannot show alone:
 * canonical NaNs out of invalid operations and NaN inputs; NaN-boxing of
 * single values (writes box, an improperly boxed input reads as the
 * canonical NaN, fmv.x.w and fsw take the low bits as they are); fcvt to
 * integers saturating (NaN and +inf to the maximum, -inf to the minimum,
 * negatives to 0 for unsigned) with NV; fclass of all ten classes; fflags
 * for each exception and their accumulation; dynamic rounding from frm and
 * an invalid frm being illegal; mstatus.FS: Off makes every F/D instruction
 * and fcsr illegal, Initial becomes Dirty with SD after an FP write. */
#include "isa.h"

#define D(reg, bits) li t0, bits; fmv.d.x reg, t0
#define S(reg, bits) li t0, bits; fmv.w.x reg, t0
#define FLAGS(reg) csrrw reg, fflags, zero

#define QNAN_D 0x7ff8000000000000
#define QNAN_S 0x7fc00000
#define ONE_D 0x3ff0000000000000
#define THREE_D 0x4008000000000000
#define INF_D 0x7ff0000000000000
#define NINF_D 0xfff0000000000000
#define MAX_D 0x7fefffffffffffff
#define MIN_NORM_D 0x0010000000000000
#define SNAN_D 0x7ff0000000000001
#define QNAN_PAYLOAD_D 0x7ff8000000001234
#define NX 1
#define UF 2
#define OF 4
#define DZ 8
#define NV 16

TEST_BEGIN
    csrw fcsr, zero
    /* canonical NaNs */
    TEST_CASE(1, a0, QNAN_D, D(fa1, 0); fdiv.d fa0, fa1, fa1; fmv.x.d a0, fa0)
    TEST_CASE(2, a0, NV, FLAGS(a0))
    TEST_CASE(3, a0, 0xffffffff00000000 | QNAN_S, S(fa1, 0x7f800000); fsub.s fa0, fa1, fa1; fmv.x.d a0, fa0)
    TEST_CASE(4, a0, NV, FLAGS(a0))
    TEST_CASE(5, a0, QNAN_D, D(fa1, SNAN_D); D(fa2, ONE_D); fadd.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(6, a0, NV, FLAGS(a0))
    TEST_CASE(7, a0, QNAN_D, D(fa1, QNAN_PAYLOAD_D); D(fa2, ONE_D); fmul.d fa0, fa2, fa1; fmv.x.d a0, fa0)
    TEST_CASE(8, a0, 0, FLAGS(a0))
    TEST_CASE(9, a0, QNAN_D, D(fa1, NINF_D); D(fa2, 0); fmul.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(10, a0, QNAN_D, D(fa1, NINF_D); fsqrt.d fa0, fa1; fmv.x.d a0, fa0)
    TEST_CASE(11, a0, NV, FLAGS(a0))
    /* fmin/fmax: one NaN input gives the other operand; two give the canonical NaN */
    TEST_CASE(12, a0, ONE_D, D(fa1, QNAN_PAYLOAD_D); D(fa2, ONE_D); fmin.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(13, a0, QNAN_D, D(fa1, QNAN_PAYLOAD_D); fmax.d fa0, fa1, fa1; fmv.x.d a0, fa0)
    TEST_CASE(14, a0, 0x8000000000000000, D(fa1, 0); D(fa2, 0x8000000000000000); fmin.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(15, a0, 0, D(fa1, 0); D(fa2, 0x8000000000000000); fmax.d fa0, fa2, fa1; fmv.x.d a0, fa0)
    TEST_CASE(16, a0, NV, D(fa1, SNAN_D); D(fa2, ONE_D); fmin.d fa0, fa1, fa2; FLAGS(a0))
    /* NaN boxing */
    TEST_CASE(17, a0, 0xffffffff3f800000, S(fa1, 0x3f800000); fmv.x.d a0, fa1)
    TEST_CASE(18, a0, 0xffffffff40000000, S(fa1, 0x3f800000); fadd.s fa0, fa1, fa1; fmv.x.d a0, fa0)
    TEST_CASE(19, a0, 0xffffffff00000000 | QNAN_S, D(fa1, 0x000000003f800000); fadd.s fa0, fa1, fa1; fmv.x.d a0, fa0)
    TEST_CASE(20, a0, 0, FLAGS(a0)) /* the canonical NaN is quiet: no NV */
    TEST_CASE(21, a0, 0xffffffff00000000 | QNAN_S | 0x80000000, D(fa1, 0x000000003f800000); S(fa2, 0xbf800000); fsgnj.s fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(22, a0, 0x3f800000, D(fa1, 0x123456783f800000); fmv.x.w a0, fa1)
    TEST_CASE(23, a0, 0xffffffffbf800000, S(fa1, 0xbf800000); fmv.x.w a0, fa1)
    TEST_CASE(24, a0, 0x3f800000, D(fa1, 0x123456783f800000); la a1, scratch; fsw fa1, 0(a1); lwu a0, 0(a1))
    TEST_CASE(25, a0, 0xffffffff12345678, la a1, scratch; li t0, 0x12345678; sw t0, 0(a1); flw fa0, 0(a1); fmv.x.d a0, fa0)
    TEST_CASE(26, a0, 0xffffffff00000000 | QNAN_S, D(fa1, 0xfffffffe3f800000); fcvt.d.s fa0, fa1; fcvt.s.d fa0, fa0; fmv.x.d a0, fa0)
    /* fcvt saturation */
    csrw fflags, zero
    TEST_CASE(27, a0, 0x7fffffff, D(fa1, QNAN_D); fcvt.w.d a0, fa1, rtz)
    TEST_CASE(28, a0, NV, FLAGS(a0))
    TEST_CASE(29, a0, 0x7fffffff, D(fa1, INF_D); fcvt.w.d a0, fa1, rtz)
    TEST_CASE(30, a0, 0xffffffff80000000, D(fa1, NINF_D); fcvt.w.d a0, fa1, rtz)
    TEST_CASE(31, a0, 0x7fffffff, D(fa1, 0x41e65a0bc0000000); fcvt.w.d a0, fa1, rtz) /* 3e9 */
    TEST_CASE(32, a0, 0xffffffff80000000, D(fa1, 0xc1e65a0bc0000000); fcvt.w.d a0, fa1, rtz)
    TEST_CASE(33, a0, NV, FLAGS(a0))
    TEST_CASE(34, a0, 0, D(fa1, 0xbff0000000000000); fcvt.wu.d a0, fa1, rtz) /* -1.0 */
    TEST_CASE(35, a0, NV, FLAGS(a0))
    TEST_CASE(36, a0, 0, D(fa1, 0xbfe0000000000000); fcvt.wu.d a0, fa1, rtz) /* -0.5 */
    TEST_CASE(37, a0, NX, FLAGS(a0))
    TEST_CASE(38, a0, -1, D(fa1, QNAN_D); fcvt.wu.d a0, fa1, rtz)
    TEST_CASE(39, a0, 0xffffffffb2d05e00, D(fa1, 0x41e65a0bc0000000); fcvt.wu.d a0, fa1, rtz) /* 3e9 fits, sign-extended */
    TEST_CASE(40, a0, 0x7fffffffffffffff, D(fa1, 0x43e158e460913d00); fcvt.l.d a0, fa1, rtz) /* 1e19 */
    TEST_CASE(41, a0, 0x8000000000000000, D(fa1, 0xc3e158e460913d00); fcvt.l.d a0, fa1, rtz)
    TEST_CASE(42, a0, 0x8000000000000000, D(fa1, 0xc3e0000000000000); fcvt.l.d a0, fa1, rtz) /* -2^63 exact */
    TEST_CASE(43, a0, NV, FLAGS(a0))
    TEST_CASE(44, a0, 0, D(fa1, 0xc3e0000000000000); fcvt.l.d a0, fa1, rtz; FLAGS(a0))
    TEST_CASE(45, a0, 0, D(fa1, 0xbff0000000000000); fcvt.lu.d a0, fa1, rtz)
    TEST_CASE(46, a0, -1, D(fa1, QNAN_D); fcvt.lu.d a0, fa1, rtz)
    TEST_CASE(47, a0, -1, D(fa1, 0x43f158e460913d00); fcvt.lu.d a0, fa1, rtz) /* 2e19 */
    TEST_CASE(48, a0, 0x7fffffff, S(fa1, 0x7fc00000); fcvt.w.s a0, fa1, rtz)
    TEST_CASE(49, a0, 0xffffffff80000000, S(fa1, 0xff800000); fcvt.w.s a0, fa1, rtz)
    TEST_CASE(50, a0, -1, S(fa1, 0x7f800000); fcvt.lu.s a0, fa1, rtz)
    TEST_CASE(51, a0, 2, D(fa1, 0x4004000000000000); fcvt.l.d a0, fa1, rne) /* 2.5: ties to even */
    TEST_CASE(90, a0, 3, D(fa1, 0x4004000000000000); fcvt.l.d a0, fa1, rmm) /* ties away */
    TEST_CASE(91, a0, -3, D(fa1, 0xc004000000000000); fcvt.l.d a0, fa1, rdn)
    TEST_CASE(92, a0, -2, D(fa1, 0xc004000000000000); fcvt.l.d a0, fa1, rup)
    /* fclass */
    TEST_CASE(52, a0, 1 << 0, D(fa1, NINF_D); fclass.d a0, fa1)
    TEST_CASE(53, a0, 1 << 1, D(fa1, 0xbff0000000000000); fclass.d a0, fa1)
    TEST_CASE(54, a0, 1 << 2, D(fa1, 0x800fffffffffffff); fclass.d a0, fa1)
    TEST_CASE(55, a0, 1 << 3, D(fa1, 0x8000000000000000); fclass.d a0, fa1)
    TEST_CASE(56, a0, 1 << 4, D(fa1, 0); fclass.d a0, fa1)
    TEST_CASE(57, a0, 1 << 5, D(fa1, 1); fclass.d a0, fa1)
    TEST_CASE(58, a0, 1 << 6, D(fa1, ONE_D); fclass.d a0, fa1)
    TEST_CASE(59, a0, 1 << 7, D(fa1, INF_D); fclass.d a0, fa1)
    TEST_CASE(60, a0, 1 << 8, D(fa1, SNAN_D); fclass.d a0, fa1)
    TEST_CASE(61, a0, 1 << 9, D(fa1, QNAN_D); fclass.d a0, fa1)
    TEST_CASE(62, a0, 1 << 8, S(fa1, 0x7f800001); fclass.s a0, fa1)
    TEST_CASE(63, a0, 1 << 9, D(fa1, 0x000000003f800000); fclass.s a0, fa1) /* improperly boxed */
    TEST_CASE(64, a0, 1 << 2, S(fa1, 0x80000001); fclass.s a0, fa1)
    /* fflags per exception, and accumulation */
    csrw fflags, zero
    TEST_CASE(65, a0, NX, D(fa1, ONE_D); D(fa2, THREE_D); fdiv.d fa0, fa1, fa2; FLAGS(a0))
    TEST_CASE(66, a0, INF_D, D(fa1, ONE_D); D(fa2, 0); fdiv.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(67, a0, DZ, FLAGS(a0))
    TEST_CASE(68, a0, OF | NX, D(fa1, MAX_D); fadd.d fa0, fa1, fa1; FLAGS(a0))
    TEST_CASE(69, a0, UF | NX, D(fa1, MIN_NORM_D); D(fa2, 0x3fe0000000000001); fmul.d fa0, fa1, fa2; FLAGS(a0))
    TEST_CASE(70, a0, 0, D(fa1, MIN_NORM_D); D(fa2, 0x3fe0000000000000); fmul.d fa0, fa1, fa2; FLAGS(a0)) /* exact subnormal */
    TEST_CASE(71, a0, NX | DZ | NV, D(fa1, ONE_D); D(fa2, THREE_D); fdiv.d fa0, fa1, fa2; D(fa2, 0); fdiv.d fa0, fa1, fa2; fdiv.d fa0, fa2, fa2; FLAGS(a0))
    TEST_CASE(72, a0, (3 << 5) | NX, csrwi frm, 3; csrsi fflags, NX; csrr a0, fcsr; csrw fcsr, zero)
    /* dynamic rounding follows frm; a static rm overrides it */
    TEST_CASE(73, a0, 0x3fd5555555555555, D(fa1, ONE_D); D(fa2, THREE_D); csrwi frm, 0; fdiv.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(74, a0, 0x3fd5555555555556, csrwi frm, 3; fdiv.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST_CASE(75, a0, 0x3fd5555555555555, csrwi frm, 3; fdiv.d fa0, fa1, fa2, rtz; fmv.x.d a0, fa0)
    TEST_CASE(76, a0, 0xbfd5555555555556, csrwi frm, 2; fneg.d fa1, fa1; fdiv.d fa0, fa1, fa2; fmv.x.d a0, fa0)
    csrw fcsr, zero
    /* frm 5..7 with a dynamic rm: illegal; with a static rm: fine */
    csrwi frm, 5
    TEST_ILLEGAL(77, fadd.d fa0, fa1, fa2)
    TEST_CASE(78, a0, 0, fadd.d fa0, fa1, fa2, rne; li a0, 0)
    csrwi frm, 7
    TEST_ILLEGAL(79, fsqrt.d fa0, fa1)
    csrw fcsr, zero
    /* mstatus.FS */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    TEST_ILLEGAL(80, fadd.d fa0, fa1, fa2)
    TEST_ILLEGAL(81, fmv.x.d a0, fa1)
    TEST_ILLEGAL(82, csrr a0, fcsr)
    TEST_ILLEGAL(83, csrr a0, fflags)
    TEST_ILLEGAL(84, fld fa0, 0(t0))
    TEST_CASE(85, a0, 0, csrr a0, mstatus; srli a0, a0, 63)
    li t0, MSTATUS_FS_INITIAL
    csrs mstatus, t0
    TEST_CASE(86, a0, 1, csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
    TEST_CASE(87, a0, 3, fadd.d fa0, fa1, fa2; csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
    TEST_CASE(88, a0, 1, csrr a0, mstatus; srli a0, a0, 63)
    TEST_CASE(89, a0, 3, li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_CLEAN; csrs mstatus, t0; csrwi fflags, 1; csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
    TEST_PASS

    .data
    .balign 8
scratch:
    .dword 0
