/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decode.c - RISC-V RV64GC + Zba/Zbb/Zbs instruction decoder and
 * disassembler (the contract is in decode.h).
 *
 * rv_decode() checks every fixed field of a 32-bit encoding (funct3, funct7,
 * fmt, the rs2 selectors of FP conversions, AMO width) and expands each
 * compressed encoding to its 32-bit operation.  Reserved encodings are
 * RV_OP_ILLEGAL; HINT encodings decode as the operation they are written as
 * (c.nop with an immediate is addi zero,zero,imm).  Two deliberate choices
 * where the spec leaves room: FENCE decodes as FENCE whatever its fm, rd and
 * rs1 (the spec has implementations ignore them), and FENCE.I likewise
 * ignores its imm, rs1 and rd.
 *
 * rv_disas() prints what "objdump -d -M no-aliases" prints for the 32-bit
 * form of an instruction, with one separator (a tab) between mnemonic and
 * operands: ABI register names, decimal immediates for I/S offsets, hex for
 * shift amounts and U-type values, branch and jump targets as absolute hex
 * addresses without "0x" (objdump's "<symbol>" suffix is left out), CSRs by
 * name when objdump 2.40 knows the name (privileged spec 1.12) and in hex
 * otherwise, and FP rounding modes unless dynamic (",unknown" for 5 and 6).
 * fcvt.d.s, fcvt.d.w and fcvt.d.wu show their rm field only when it is not 0
 * (",dyn" for 7), since objdump 2.40 knows those only with rm = 0.
 * Illegal encodings print as ".4byte 0x..." or ".2byte 0x...".
 */
#include "cpu/decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Bits hi..lo of x, right-aligned. */
#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1u))

/* The low 'bits' bits of v as a signed number. */
static inline int32_t sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);

    v &= (m << 1) - 1u;
    return (int32_t)((v ^ m) - m);
}

static inline void set_op(RVInsn *d, RVOp op, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
    d->op = op;
    d->rd = rd;
    d->rs1 = rs1;
    d->rs2 = rs2;
    d->imm = imm;
}

static void decode_op_imm(uint32_t r, RVInsn *d)
{
    unsigned rd = BITS(r, 11, 7), rs1 = BITS(r, 19, 15), f3 = BITS(r, 14, 12);
    unsigned f6 = r >> 26, f12 = r >> 20, shamt = BITS(r, 25, 20);
    int32_t imm = sext(r >> 20, 12);
    RVOp op = RV_OP_ILLEGAL;

    switch (f3) {
    case 0:
        op = RV_OP_ADDI;
        break;
    case 2:
        op = RV_OP_SLTI;
        break;
    case 3:
        op = RV_OP_SLTIU;
        break;
    case 4:
        op = RV_OP_XORI;
        break;
    case 6:
        op = RV_OP_ORI;
        break;
    case 7:
        op = RV_OP_ANDI;
        break;
    case 1:
        imm = (int32_t)shamt;
        switch (f6) {
        case 0x00:
            op = RV_OP_SLLI;
            break;
        case 0x0a:
            op = RV_OP_BSETI;
            break;
        case 0x12:
            op = RV_OP_BCLRI;
            break;
        case 0x1a:
            op = RV_OP_BINVI;
            break;
        case 0x18:
            imm = 0;
            switch (f12) {
            case 0x600:
                op = RV_OP_CLZ;
                break;
            case 0x601:
                op = RV_OP_CTZ;
                break;
            case 0x602:
                op = RV_OP_CPOP;
                break;
            case 0x604:
                op = RV_OP_SEXT_B;
                break;
            case 0x605:
                op = RV_OP_SEXT_H;
                break;
            }
            break;
        }
        break;
    case 5:
        imm = (int32_t)shamt;
        switch (f6) {
        case 0x00:
            op = RV_OP_SRLI;
            break;
        case 0x10:
            op = RV_OP_SRAI;
            break;
        case 0x18:
            op = RV_OP_RORI;
            break;
        case 0x12:
            op = RV_OP_BEXTI;
            break;
        default:
            imm = 0;
            if (f12 == 0x287) {
                op = RV_OP_ORC_B;
            } else if (f12 == 0x6b8) {
                op = RV_OP_REV8;
            }
            break;
        }
        break;
    }
    if (op != RV_OP_ILLEGAL) {
        set_op(d, op, rd, rs1, 0, imm);
    }
}

static void decode_op_imm32(uint32_t r, RVInsn *d)
{
    unsigned rd = BITS(r, 11, 7), rs1 = BITS(r, 19, 15), f3 = BITS(r, 14, 12);
    unsigned f7 = r >> 25, f12 = r >> 20;
    int32_t imm = (int32_t)BITS(r, 24, 20);
    RVOp op = RV_OP_ILLEGAL;

    switch (f3) {
    case 0:
        op = RV_OP_ADDIW;
        imm = sext(r >> 20, 12);
        break;
    case 1:
        if (f7 == 0x00) {
            op = RV_OP_SLLIW;
        } else if ((r >> 26) == 0x02) {
            op = RV_OP_SLLI_UW;
            imm = (int32_t)BITS(r, 25, 20);
        } else if (f12 == 0x600 || f12 == 0x601 || f12 == 0x602) {
            op = f12 == 0x600 ? RV_OP_CLZW : f12 == 0x601 ? RV_OP_CTZW : RV_OP_CPOPW;
            imm = 0;
        }
        break;
    case 5:
        op = f7 == 0x00   ? RV_OP_SRLIW
             : f7 == 0x20 ? RV_OP_SRAIW
             : f7 == 0x30 ? RV_OP_RORIW
                          : RV_OP_ILLEGAL;
        break;
    }
    if (op != RV_OP_ILLEGAL) {
        set_op(d, op, rd, rs1, 0, imm);
    }
}

/* OP: indexed by funct3 for each funct7 that has operations. */
static RVOp op_reg(unsigned f7, unsigned f3)
{
    static const RVOp base[8] = {RV_OP_ADD, RV_OP_SLL, RV_OP_SLT, RV_OP_SLTU,
                                 RV_OP_XOR, RV_OP_SRL, RV_OP_OR,  RV_OP_AND};
    static const RVOp mul[8] = {RV_OP_MUL, RV_OP_MULH, RV_OP_MULHSU, RV_OP_MULHU,
                                RV_OP_DIV, RV_OP_DIVU, RV_OP_REM,    RV_OP_REMU};
    static const RVOp alt[8] = {RV_OP_SUB,  RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                RV_OP_XNOR, RV_OP_SRA,     RV_OP_ORN,     RV_OP_ANDN};
    static const RVOp sh[8] = {RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_SH1ADD, RV_OP_ILLEGAL,
                               RV_OP_SH2ADD,  RV_OP_ILLEGAL, RV_OP_SH3ADD, RV_OP_ILLEGAL};
    static const RVOp minmax[8] = {RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                   RV_OP_MIN,     RV_OP_MINU,    RV_OP_MAX,     RV_OP_MAXU};

    switch (f7) {
    case 0x00:
        return base[f3];
    case 0x01:
        return mul[f3];
    case 0x20:
        return alt[f3];
    case 0x10:
        return sh[f3];
    case 0x05:
        return minmax[f3];
    case 0x30:
        return f3 == 1 ? RV_OP_ROL : f3 == 5 ? RV_OP_ROR : RV_OP_ILLEGAL;
    case 0x24:
        return f3 == 1 ? RV_OP_BCLR : f3 == 5 ? RV_OP_BEXT : RV_OP_ILLEGAL;
    case 0x34:
        return f3 == 1 ? RV_OP_BINV : RV_OP_ILLEGAL;
    case 0x14:
        return f3 == 1 ? RV_OP_BSET : RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

/* OP-32 (the W forms, add.uw, sh*add.uw, zext.h); zext.h is decoded by the caller. */
static RVOp op_reg32(unsigned f7, unsigned f3)
{
    static const RVOp mul[8] = {RV_OP_MULW, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                RV_OP_DIVW, RV_OP_DIVUW,   RV_OP_REMW,    RV_OP_REMUW};
    static const RVOp sh[8] = {RV_OP_ILLEGAL,   RV_OP_ILLEGAL, RV_OP_SH1ADD_UW, RV_OP_ILLEGAL,
                               RV_OP_SH2ADD_UW, RV_OP_ILLEGAL, RV_OP_SH3ADD_UW, RV_OP_ILLEGAL};

    switch (f7) {
    case 0x00:
        return f3 == 0 ? RV_OP_ADDW : f3 == 1 ? RV_OP_SLLW : f3 == 5 ? RV_OP_SRLW : RV_OP_ILLEGAL;
    case 0x20:
        return f3 == 0 ? RV_OP_SUBW : f3 == 5 ? RV_OP_SRAW : RV_OP_ILLEGAL;
    case 0x01:
        return mul[f3];
    case 0x04:
        return f3 == 0 ? RV_OP_ADD_UW : RV_OP_ILLEGAL;
    case 0x10:
        return sh[f3];
    case 0x30:
        return f3 == 1 ? RV_OP_ROLW : f3 == 5 ? RV_OP_RORW : RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

static void decode_amo(uint32_t r, RVInsn *d)
{
    static const RVOp w[32] = {
        [0x00] = RV_OP_AMOADD_W,  [0x01] = RV_OP_AMOSWAP_W, [0x02] = RV_OP_LR_W,
        [0x03] = RV_OP_SC_W,      [0x04] = RV_OP_AMOXOR_W,  [0x08] = RV_OP_AMOOR_W,
        [0x0c] = RV_OP_AMOAND_W,  [0x10] = RV_OP_AMOMIN_W,  [0x14] = RV_OP_AMOMAX_W,
        [0x18] = RV_OP_AMOMINU_W, [0x1c] = RV_OP_AMOMAXU_W,
    };
    static const RVOp dw[32] = {
        [0x00] = RV_OP_AMOADD_D,  [0x01] = RV_OP_AMOSWAP_D, [0x02] = RV_OP_LR_D,
        [0x03] = RV_OP_SC_D,      [0x04] = RV_OP_AMOXOR_D,  [0x08] = RV_OP_AMOOR_D,
        [0x0c] = RV_OP_AMOAND_D,  [0x10] = RV_OP_AMOMIN_D,  [0x14] = RV_OP_AMOMAX_D,
        [0x18] = RV_OP_AMOMINU_D, [0x1c] = RV_OP_AMOMAXU_D,
    };
    unsigned f3 = BITS(r, 14, 12), f5 = r >> 27, rs2 = BITS(r, 24, 20);
    RVOp op;

    if (f3 == 2) {
        op = w[f5];
    } else if (f3 == 3) {
        op = dw[f5];
    } else {
        return;
    }
    /* RV_OP_ILLEGAL is 0, so the gaps of the tables are illegal. */
    if (op == RV_OP_ILLEGAL || (f5 == 0x02 && rs2 != 0)) {
        return;
    }
    set_op(d, op, BITS(r, 11, 7), BITS(r, 19, 15), rs2, 0);
    d->aqrl = BITS(r, 26, 25);
}

/* OP-FP: fmt is funct7's low bit (0 single, 1 double; 2 and 3 are not in RV64GC). */
static void decode_op_fp(uint32_t r, RVInsn *d)
{
    unsigned f7 = r >> 25, f3 = BITS(r, 14, 12), rs2 = BITS(r, 24, 20);
    unsigned rd = BITS(r, 11, 7), rs1 = BITS(r, 19, 15);
    int dbl = f7 & 1;
    RVOp op = RV_OP_ILLEGAL;
    int has_rm = 0, uses_rs2 = 0;

    if ((f7 & 2) != 0) {
        return; /* fmt H or Q */
    }
    switch (f7 >> 2) {
    case 0x00: /* fadd */
    case 0x01: /* fsub */
    case 0x02: /* fmul */
    case 0x03: /* fdiv */ {
        static const RVOp s[4] = {RV_OP_FADD_S, RV_OP_FSUB_S, RV_OP_FMUL_S, RV_OP_FDIV_S};
        static const RVOp dd[4] = {RV_OP_FADD_D, RV_OP_FSUB_D, RV_OP_FMUL_D, RV_OP_FDIV_D};
        op = dbl ? dd[f7 >> 2] : s[f7 >> 2];
        has_rm = uses_rs2 = 1;
        break;
    }
    case 0x0b: /* fsqrt */
        if (rs2 == 0) {
            op = dbl ? RV_OP_FSQRT_D : RV_OP_FSQRT_S;
            has_rm = 1;
        }
        break;
    case 0x04: /* fsgnj */
        if (f3 <= 2) {
            static const RVOp s[3] = {RV_OP_FSGNJ_S, RV_OP_FSGNJN_S, RV_OP_FSGNJX_S};
            static const RVOp dd[3] = {RV_OP_FSGNJ_D, RV_OP_FSGNJN_D, RV_OP_FSGNJX_D};
            op = dbl ? dd[f3] : s[f3];
            uses_rs2 = 1;
        }
        break;
    case 0x05: /* fmin, fmax */
        if (f3 <= 1) {
            op =
                f3 == 0 ? (dbl ? RV_OP_FMIN_D : RV_OP_FMIN_S) : (dbl ? RV_OP_FMAX_D : RV_OP_FMAX_S);
            uses_rs2 = 1;
        }
        break;
    case 0x08: /* fcvt between formats: fmt is the result, rs2 the source */
        if (!dbl && rs2 == 1) {
            op = RV_OP_FCVT_S_D;
        } else if (dbl && rs2 == 0) {
            op = RV_OP_FCVT_D_S;
        }
        has_rm = 1;
        break;
    case 0x14: /* fle, flt, feq */
        if (f3 <= 2) {
            static const RVOp s[3] = {RV_OP_FLE_S, RV_OP_FLT_S, RV_OP_FEQ_S};
            static const RVOp dd[3] = {RV_OP_FLE_D, RV_OP_FLT_D, RV_OP_FEQ_D};
            op = dbl ? dd[f3] : s[f3];
            uses_rs2 = 1;
        }
        break;
    case 0x18: /* fcvt to integer, rs2 = the integer type */
        if (rs2 <= 3) {
            static const RVOp s[4] = {RV_OP_FCVT_W_S, RV_OP_FCVT_WU_S, RV_OP_FCVT_L_S,
                                      RV_OP_FCVT_LU_S};
            static const RVOp dd[4] = {RV_OP_FCVT_W_D, RV_OP_FCVT_WU_D, RV_OP_FCVT_L_D,
                                       RV_OP_FCVT_LU_D};
            op = dbl ? dd[rs2] : s[rs2];
            has_rm = 1;
        }
        break;
    case 0x1a: /* fcvt from integer */
        if (rs2 <= 3) {
            static const RVOp s[4] = {RV_OP_FCVT_S_W, RV_OP_FCVT_S_WU, RV_OP_FCVT_S_L,
                                      RV_OP_FCVT_S_LU};
            static const RVOp dd[4] = {RV_OP_FCVT_D_W, RV_OP_FCVT_D_WU, RV_OP_FCVT_D_L,
                                       RV_OP_FCVT_D_LU};
            op = dbl ? dd[rs2] : s[rs2];
            has_rm = 1;
        }
        break;
    case 0x1c: /* fmv.x.*, fclass */
        if (rs2 == 0 && f3 == 0) {
            op = dbl ? RV_OP_FMV_X_D : RV_OP_FMV_X_W;
        } else if (rs2 == 0 && f3 == 1) {
            op = dbl ? RV_OP_FCLASS_D : RV_OP_FCLASS_S;
        }
        break;
    case 0x1e: /* fmv.*.x */
        if (rs2 == 0 && f3 == 0) {
            op = dbl ? RV_OP_FMV_D_X : RV_OP_FMV_W_X;
        }
        break;
    }
    if (op != RV_OP_ILLEGAL) {
        set_op(d, op, rd, rs1, uses_rs2 ? rs2 : 0, 0);
        d->rm = has_rm ? f3 : 0;
    }
}

static void decode_system(uint32_t r, RVInsn *d)
{
    unsigned f3 = BITS(r, 14, 12), rd = BITS(r, 11, 7), rs1 = BITS(r, 19, 15);
    static const RVOp csr[8] = {RV_OP_ILLEGAL, RV_OP_CSRRW,  RV_OP_CSRRS,  RV_OP_CSRRC,
                                RV_OP_ILLEGAL, RV_OP_CSRRWI, RV_OP_CSRRSI, RV_OP_CSRRCI};

    if (f3 != 0) {
        if (csr[f3] != RV_OP_ILLEGAL) {
            set_op(d, csr[f3], rd, rs1, 0, (int32_t)(r >> 20));
        }
        return;
    }
    switch (r) {
    case 0x00000073:
        d->op = RV_OP_ECALL;
        return;
    case 0x00100073:
        d->op = RV_OP_EBREAK;
        return;
    case 0x10200073:
        d->op = RV_OP_SRET;
        return;
    case 0x30200073:
        d->op = RV_OP_MRET;
        return;
    case 0x10500073:
        d->op = RV_OP_WFI;
        return;
    }
    if ((r >> 25) == 0x09 && rd == 0) {
        set_op(d, RV_OP_SFENCE_VMA, 0, rs1, BITS(r, 24, 20), 0);
    }
}

static void decode32(uint32_t r, RVInsn *d)
{
    unsigned rd = BITS(r, 11, 7), rs1 = BITS(r, 19, 15), rs2 = BITS(r, 24, 20);
    unsigned f3 = BITS(r, 14, 12), f7 = r >> 25;
    int32_t imm_i = sext(r >> 20, 12);
    int32_t imm_s = sext((r >> 25) << 5 | BITS(r, 11, 7), 12);
    static const RVOp branch[8] = {RV_OP_BEQ, RV_OP_BNE, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                   RV_OP_BLT, RV_OP_BGE, RV_OP_BLTU,    RV_OP_BGEU};
    static const RVOp load[8] = {RV_OP_LB,  RV_OP_LH,  RV_OP_LW,  RV_OP_LD,
                                 RV_OP_LBU, RV_OP_LHU, RV_OP_LWU, RV_OP_ILLEGAL};
    static const RVOp store[8] = {RV_OP_SB, RV_OP_SH, RV_OP_SW, RV_OP_SD};
    static const RVOp fma_s[4] = {RV_OP_FMADD_S, RV_OP_FMSUB_S, RV_OP_FNMSUB_S, RV_OP_FNMADD_S};
    static const RVOp fma_d[4] = {RV_OP_FMADD_D, RV_OP_FMSUB_D, RV_OP_FNMSUB_D, RV_OP_FNMADD_D};
    RVOp op;

    switch (BITS(r, 6, 2)) {
    case 0x0d: /* LUI */
        set_op(d, RV_OP_LUI, rd, 0, 0, (int32_t)(r & 0xfffff000u));
        break;
    case 0x05: /* AUIPC */
        set_op(d, RV_OP_AUIPC, rd, 0, 0, (int32_t)(r & 0xfffff000u));
        break;
    case 0x1b: /* JAL */
        set_op(d, RV_OP_JAL, rd, 0, 0,
               sext(BITS(r, 31, 31) << 20 | BITS(r, 19, 12) << 12 | BITS(r, 20, 20) << 11 |
                        BITS(r, 30, 21) << 1,
                    21));
        break;
    case 0x19: /* JALR */
        if (f3 == 0) {
            set_op(d, RV_OP_JALR, rd, rs1, 0, imm_i);
        }
        break;
    case 0x18: /* BRANCH */
        if (branch[f3] != RV_OP_ILLEGAL) {
            set_op(d, branch[f3], 0, rs1, rs2,
                   sext(BITS(r, 31, 31) << 12 | BITS(r, 7, 7) << 11 | BITS(r, 30, 25) << 5 |
                            BITS(r, 11, 8) << 1,
                        13));
        }
        break;
    case 0x00: /* LOAD */
        if (load[f3] != RV_OP_ILLEGAL) {
            set_op(d, load[f3], rd, rs1, 0, imm_i);
        }
        break;
    case 0x08: /* STORE */
        if (store[f3] != RV_OP_ILLEGAL) {
            set_op(d, store[f3], 0, rs1, rs2, imm_s);
        }
        break;
    case 0x04:
        decode_op_imm(r, d);
        break;
    case 0x06:
        decode_op_imm32(r, d);
        break;
    case 0x0c: /* OP */
        op = op_reg(f7, f3);
        if (op != RV_OP_ILLEGAL) {
            set_op(d, op, rd, rs1, rs2, 0);
        }
        break;
    case 0x0e: /* OP-32 */
        if (f7 == 0x04 && f3 == 4 && rs2 == 0) {
            set_op(d, RV_OP_ZEXT_H, rd, rs1, 0, 0);
            break;
        }
        op = op_reg32(f7, f3);
        if (op != RV_OP_ILLEGAL) {
            set_op(d, op, rd, rs1, rs2, 0);
        }
        break;
    case 0x03: /* MISC-MEM */
        if (f3 == 0) {
            set_op(d, RV_OP_FENCE, 0, 0, 0, (int32_t)BITS(r, 27, 20));
            d->rm = r >> 28;
        } else if (f3 == 1) {
            d->op = RV_OP_FENCE_I;
        }
        break;
    case 0x1c:
        decode_system(r, d);
        break;
    case 0x0b:
        decode_amo(r, d);
        break;
    case 0x01: /* LOAD-FP */
        if (f3 == 2 || f3 == 3) {
            set_op(d, f3 == 2 ? RV_OP_FLW : RV_OP_FLD, rd, rs1, 0, imm_i);
        }
        break;
    case 0x09: /* STORE-FP */
        if (f3 == 2 || f3 == 3) {
            set_op(d, f3 == 2 ? RV_OP_FSW : RV_OP_FSD, 0, rs1, rs2, imm_s);
        }
        break;
    case 0x10: /* MADD */
    case 0x11: /* MSUB */
    case 0x12: /* NMSUB */
    case 0x13: /* NMADD */
        if (BITS(r, 26, 25) <= 1) {
            unsigned k = BITS(r, 3, 2);
            set_op(d, BITS(r, 25, 25) ? fma_d[k] : fma_s[k], rd, rs1, rs2, 0);
            d->rs3 = r >> 27;
            d->rm = f3;
        }
        break;
    case 0x14:
        decode_op_fp(r, d);
        break;
    }
}

/* Compressed register fields name x8..x15. */
#define CREG(x) (8u + (x))

static void decode16(uint32_t c, RVInsn *d)
{
    unsigned f3 = BITS(c, 15, 13);
    unsigned rd = BITS(c, 11, 7), rs2 = BITS(c, 6, 2);
    unsigned rdp = CREG(BITS(c, 4, 2)), rs1p = CREG(BITS(c, 9, 7));
    /* CI immediate: imm[5] = bit 12, imm[4:0] = bits 6:2 */
    uint32_t ci = BITS(c, 12, 12) << 5 | BITS(c, 6, 2);
    /* CL/CS offsets: doubleword (c.ld, c.fld, c.sd, c.fsd) and word (c.lw, c.sw) */
    uint32_t off_d = BITS(c, 12, 10) << 3 | BITS(c, 6, 5) << 6;
    uint32_t off_w = BITS(c, 12, 10) << 3 | BITS(c, 6, 6) << 2 | BITS(c, 5, 5) << 6;
    /* stack-pointer-relative loads (CI) and stores (CSS) */
    uint32_t lsp_d = BITS(c, 12, 12) << 5 | BITS(c, 6, 5) << 3 | BITS(c, 4, 2) << 6;
    uint32_t lsp_w = BITS(c, 12, 12) << 5 | BITS(c, 6, 4) << 2 | BITS(c, 3, 2) << 6;
    uint32_t ssp_d = BITS(c, 12, 10) << 3 | BITS(c, 9, 7) << 6;
    uint32_t ssp_w = BITS(c, 12, 9) << 2 | BITS(c, 8, 7) << 6;
    uint32_t u;

    switch (BITS(c, 1, 0) << 3 | f3) {
    /* quadrant 0 */
    case 000: /* c.addi4spn; nzuimm = 0 (and the all-zero word) reserved */
        u = BITS(c, 12, 11) << 4 | BITS(c, 10, 7) << 6 | BITS(c, 6, 6) << 2 | BITS(c, 5, 5) << 3;
        if (u != 0) {
            set_op(d, RV_OP_ADDI, rdp, 2, 0, (int32_t)u);
        }
        break;
    case 001:
        set_op(d, RV_OP_FLD, rdp, rs1p, 0, (int32_t)off_d);
        break;
    case 002:
        set_op(d, RV_OP_LW, rdp, rs1p, 0, (int32_t)off_w);
        break;
    case 003:
        set_op(d, RV_OP_LD, rdp, rs1p, 0, (int32_t)off_d);
        break;
    case 005:
        set_op(d, RV_OP_FSD, 0, rs1p, rdp, (int32_t)off_d);
        break;
    case 006:
        set_op(d, RV_OP_SW, 0, rs1p, rdp, (int32_t)off_w);
        break;
    case 007:
        set_op(d, RV_OP_SD, 0, rs1p, rdp, (int32_t)off_d);
        break;
    /* quadrant 1 */
    case 010: /* c.addi, c.nop (HINTs with rd = 0 or imm = 0) */
        set_op(d, RV_OP_ADDI, rd, rd, 0, sext(ci, 6));
        break;
    case 011: /* c.addiw; rd = 0 reserved */
        if (rd != 0) {
            set_op(d, RV_OP_ADDIW, rd, rd, 0, sext(ci, 6));
        }
        break;
    case 012: /* c.li (rd = 0: HINT) */
        set_op(d, RV_OP_ADDI, rd, 0, 0, sext(ci, 6));
        break;
    case 013:
        if (ci == 0) {
            break; /* c.addi16sp and c.lui with a zero immediate: reserved */
        }
        if (rd == 2) {
            u = BITS(c, 12, 12) << 9 | BITS(c, 6, 6) << 4 | BITS(c, 5, 5) << 6 |
                BITS(c, 4, 3) << 7 | BITS(c, 2, 2) << 5;
            set_op(d, RV_OP_ADDI, 2, 2, 0, sext(u, 10));
        } else { /* c.lui (rd = 0: HINT) */
            set_op(d, RV_OP_LUI, rd, 0, 0, sext(ci << 12, 18));
        }
        break;
    case 014:
        switch (BITS(c, 11, 10)) {
        case 0: /* c.srli; shamt = 0 is a HINT on RV64 */
            set_op(d, RV_OP_SRLI, rs1p, rs1p, 0, (int32_t)ci);
            break;
        case 1:
            set_op(d, RV_OP_SRAI, rs1p, rs1p, 0, (int32_t)ci);
            break;
        case 2:
            set_op(d, RV_OP_ANDI, rs1p, rs1p, 0, sext(ci, 6));
            break;
        case 3: {
            static const RVOp ops[8] = {RV_OP_SUB,  RV_OP_XOR,  RV_OP_OR,      RV_OP_AND,
                                        RV_OP_SUBW, RV_OP_ADDW, RV_OP_ILLEGAL, RV_OP_ILLEGAL};
            RVOp op = ops[BITS(c, 12, 12) << 2 | BITS(c, 6, 5)];
            if (op != RV_OP_ILLEGAL) {
                set_op(d, op, rs1p, rs1p, rdp, 0);
            }
            break;
        }
        }
        break;
    case 015: /* c.j */
        u = BITS(c, 12, 12) << 11 | BITS(c, 11, 11) << 4 | BITS(c, 10, 9) << 8 |
            BITS(c, 8, 8) << 10 | BITS(c, 7, 7) << 6 | BITS(c, 6, 6) << 7 | BITS(c, 5, 3) << 1 |
            BITS(c, 2, 2) << 5;
        set_op(d, RV_OP_JAL, 0, 0, 0, sext(u, 12));
        break;
    case 016: /* c.beqz */
    case 017: /* c.bnez */
        u = BITS(c, 12, 12) << 8 | BITS(c, 11, 10) << 3 | BITS(c, 6, 5) << 6 | BITS(c, 4, 3) << 1 |
            BITS(c, 2, 2) << 5;
        set_op(d, f3 == 6 ? RV_OP_BEQ : RV_OP_BNE, 0, rs1p, 0, sext(u, 9));
        break;
    /* quadrant 2 */
    case 020: /* c.slli (rd = 0 or shamt = 0: HINT) */
        set_op(d, RV_OP_SLLI, rd, rd, 0, (int32_t)ci);
        break;
    case 021:
        set_op(d, RV_OP_FLD, rd, 2, 0, (int32_t)lsp_d);
        break;
    case 022: /* c.lwsp; rd = 0 reserved */
        if (rd != 0) {
            set_op(d, RV_OP_LW, rd, 2, 0, (int32_t)lsp_w);
        }
        break;
    case 023: /* c.ldsp; rd = 0 reserved */
        if (rd != 0) {
            set_op(d, RV_OP_LD, rd, 2, 0, (int32_t)lsp_d);
        }
        break;
    case 024:
        if (BITS(c, 12, 12) == 0) {
            if (rs2 != 0) { /* c.mv (rd = 0: HINT) */
                set_op(d, RV_OP_ADD, rd, 0, rs2, 0);
            } else if (rd != 0) { /* c.jr; rs1 = 0 reserved */
                set_op(d, RV_OP_JALR, 0, rd, 0, 0);
            }
        } else if (rs2 != 0) { /* c.add (rd = 0: HINT) */
            set_op(d, RV_OP_ADD, rd, rd, rs2, 0);
        } else if (rd != 0) { /* c.jalr */
            set_op(d, RV_OP_JALR, 1, rd, 0, 0);
        } else {
            d->op = RV_OP_EBREAK;
        }
        break;
    case 025:
        set_op(d, RV_OP_FSD, 0, 2, rs2, (int32_t)ssp_d);
        break;
    case 026:
        set_op(d, RV_OP_SW, 0, 2, rs2, (int32_t)ssp_w);
        break;
    case 027:
        set_op(d, RV_OP_SD, 0, 2, rs2, (int32_t)ssp_d);
        break;
    }
}

void rv_decode(uint32_t raw, RVInsn *insn)
{
    memset(insn, 0, sizeof(*insn));
    if ((raw & 3) != 3) {
        insn->len = 2;
        insn->raw = raw & 0xffff;
        decode16(insn->raw, insn);
        return;
    }
    insn->len = 4;
    insn->raw = raw;
    /* bits 4:2 = 111: a 48-bit or longer encoding, none of which RV64GC has */
    if ((raw & 0x1c) != 0x1c) {
        decode32(raw, insn);
    }
}

static const char *const op_names[RV_OP__COUNT] = {
    [RV_OP_ILLEGAL] = "illegal",
    [RV_OP_LUI] = "lui",
    [RV_OP_AUIPC] = "auipc",
    [RV_OP_JAL] = "jal",
    [RV_OP_JALR] = "jalr",
    [RV_OP_BEQ] = "beq",
    [RV_OP_BNE] = "bne",
    [RV_OP_BLT] = "blt",
    [RV_OP_BGE] = "bge",
    [RV_OP_BLTU] = "bltu",
    [RV_OP_BGEU] = "bgeu",
    [RV_OP_LB] = "lb",
    [RV_OP_LH] = "lh",
    [RV_OP_LW] = "lw",
    [RV_OP_LD] = "ld",
    [RV_OP_LBU] = "lbu",
    [RV_OP_LHU] = "lhu",
    [RV_OP_LWU] = "lwu",
    [RV_OP_SB] = "sb",
    [RV_OP_SH] = "sh",
    [RV_OP_SW] = "sw",
    [RV_OP_SD] = "sd",
    [RV_OP_ADDI] = "addi",
    [RV_OP_SLTI] = "slti",
    [RV_OP_SLTIU] = "sltiu",
    [RV_OP_XORI] = "xori",
    [RV_OP_ORI] = "ori",
    [RV_OP_ANDI] = "andi",
    [RV_OP_SLLI] = "slli",
    [RV_OP_SRLI] = "srli",
    [RV_OP_SRAI] = "srai",
    [RV_OP_ADD] = "add",
    [RV_OP_SUB] = "sub",
    [RV_OP_SLL] = "sll",
    [RV_OP_SLT] = "slt",
    [RV_OP_SLTU] = "sltu",
    [RV_OP_XOR] = "xor",
    [RV_OP_SRL] = "srl",
    [RV_OP_SRA] = "sra",
    [RV_OP_OR] = "or",
    [RV_OP_AND] = "and",
    [RV_OP_ADDIW] = "addiw",
    [RV_OP_SLLIW] = "slliw",
    [RV_OP_SRLIW] = "srliw",
    [RV_OP_SRAIW] = "sraiw",
    [RV_OP_ADDW] = "addw",
    [RV_OP_SUBW] = "subw",
    [RV_OP_SLLW] = "sllw",
    [RV_OP_SRLW] = "srlw",
    [RV_OP_SRAW] = "sraw",
    [RV_OP_FENCE] = "fence",
    [RV_OP_FENCE_I] = "fence.i",
    [RV_OP_ECALL] = "ecall",
    [RV_OP_EBREAK] = "ebreak",
    [RV_OP_CSRRW] = "csrrw",
    [RV_OP_CSRRS] = "csrrs",
    [RV_OP_CSRRC] = "csrrc",
    [RV_OP_CSRRWI] = "csrrwi",
    [RV_OP_CSRRSI] = "csrrsi",
    [RV_OP_CSRRCI] = "csrrci",
    [RV_OP_MRET] = "mret",
    [RV_OP_SRET] = "sret",
    [RV_OP_WFI] = "wfi",
    [RV_OP_SFENCE_VMA] = "sfence.vma",
    [RV_OP_MUL] = "mul",
    [RV_OP_MULH] = "mulh",
    [RV_OP_MULHSU] = "mulhsu",
    [RV_OP_MULHU] = "mulhu",
    [RV_OP_DIV] = "div",
    [RV_OP_DIVU] = "divu",
    [RV_OP_REM] = "rem",
    [RV_OP_REMU] = "remu",
    [RV_OP_MULW] = "mulw",
    [RV_OP_DIVW] = "divw",
    [RV_OP_DIVUW] = "divuw",
    [RV_OP_REMW] = "remw",
    [RV_OP_REMUW] = "remuw",
    [RV_OP_LR_W] = "lr.w",
    [RV_OP_SC_W] = "sc.w",
    [RV_OP_AMOSWAP_W] = "amoswap.w",
    [RV_OP_AMOADD_W] = "amoadd.w",
    [RV_OP_AMOXOR_W] = "amoxor.w",
    [RV_OP_AMOAND_W] = "amoand.w",
    [RV_OP_AMOOR_W] = "amoor.w",
    [RV_OP_AMOMIN_W] = "amomin.w",
    [RV_OP_AMOMAX_W] = "amomax.w",
    [RV_OP_AMOMINU_W] = "amominu.w",
    [RV_OP_AMOMAXU_W] = "amomaxu.w",
    [RV_OP_LR_D] = "lr.d",
    [RV_OP_SC_D] = "sc.d",
    [RV_OP_AMOSWAP_D] = "amoswap.d",
    [RV_OP_AMOADD_D] = "amoadd.d",
    [RV_OP_AMOXOR_D] = "amoxor.d",
    [RV_OP_AMOAND_D] = "amoand.d",
    [RV_OP_AMOOR_D] = "amoor.d",
    [RV_OP_AMOMIN_D] = "amomin.d",
    [RV_OP_AMOMAX_D] = "amomax.d",
    [RV_OP_AMOMINU_D] = "amominu.d",
    [RV_OP_AMOMAXU_D] = "amomaxu.d",
    [RV_OP_FLW] = "flw",
    [RV_OP_FSW] = "fsw",
    [RV_OP_FMADD_S] = "fmadd.s",
    [RV_OP_FMSUB_S] = "fmsub.s",
    [RV_OP_FNMSUB_S] = "fnmsub.s",
    [RV_OP_FNMADD_S] = "fnmadd.s",
    [RV_OP_FADD_S] = "fadd.s",
    [RV_OP_FSUB_S] = "fsub.s",
    [RV_OP_FMUL_S] = "fmul.s",
    [RV_OP_FDIV_S] = "fdiv.s",
    [RV_OP_FSQRT_S] = "fsqrt.s",
    [RV_OP_FSGNJ_S] = "fsgnj.s",
    [RV_OP_FSGNJN_S] = "fsgnjn.s",
    [RV_OP_FSGNJX_S] = "fsgnjx.s",
    [RV_OP_FMIN_S] = "fmin.s",
    [RV_OP_FMAX_S] = "fmax.s",
    [RV_OP_FCVT_W_S] = "fcvt.w.s",
    [RV_OP_FCVT_WU_S] = "fcvt.wu.s",
    [RV_OP_FMV_X_W] = "fmv.x.w",
    [RV_OP_FEQ_S] = "feq.s",
    [RV_OP_FLT_S] = "flt.s",
    [RV_OP_FLE_S] = "fle.s",
    [RV_OP_FCLASS_S] = "fclass.s",
    [RV_OP_FCVT_S_W] = "fcvt.s.w",
    [RV_OP_FCVT_S_WU] = "fcvt.s.wu",
    [RV_OP_FMV_W_X] = "fmv.w.x",
    [RV_OP_FCVT_L_S] = "fcvt.l.s",
    [RV_OP_FCVT_LU_S] = "fcvt.lu.s",
    [RV_OP_FCVT_S_L] = "fcvt.s.l",
    [RV_OP_FCVT_S_LU] = "fcvt.s.lu",
    [RV_OP_FLD] = "fld",
    [RV_OP_FSD] = "fsd",
    [RV_OP_FMADD_D] = "fmadd.d",
    [RV_OP_FMSUB_D] = "fmsub.d",
    [RV_OP_FNMSUB_D] = "fnmsub.d",
    [RV_OP_FNMADD_D] = "fnmadd.d",
    [RV_OP_FADD_D] = "fadd.d",
    [RV_OP_FSUB_D] = "fsub.d",
    [RV_OP_FMUL_D] = "fmul.d",
    [RV_OP_FDIV_D] = "fdiv.d",
    [RV_OP_FSQRT_D] = "fsqrt.d",
    [RV_OP_FSGNJ_D] = "fsgnj.d",
    [RV_OP_FSGNJN_D] = "fsgnjn.d",
    [RV_OP_FSGNJX_D] = "fsgnjx.d",
    [RV_OP_FMIN_D] = "fmin.d",
    [RV_OP_FMAX_D] = "fmax.d",
    [RV_OP_FCVT_S_D] = "fcvt.s.d",
    [RV_OP_FCVT_D_S] = "fcvt.d.s",
    [RV_OP_FEQ_D] = "feq.d",
    [RV_OP_FLT_D] = "flt.d",
    [RV_OP_FLE_D] = "fle.d",
    [RV_OP_FCLASS_D] = "fclass.d",
    [RV_OP_FCVT_W_D] = "fcvt.w.d",
    [RV_OP_FCVT_WU_D] = "fcvt.wu.d",
    [RV_OP_FCVT_D_W] = "fcvt.d.w",
    [RV_OP_FCVT_D_WU] = "fcvt.d.wu",
    [RV_OP_FCVT_L_D] = "fcvt.l.d",
    [RV_OP_FCVT_LU_D] = "fcvt.lu.d",
    [RV_OP_FMV_X_D] = "fmv.x.d",
    [RV_OP_FCVT_D_L] = "fcvt.d.l",
    [RV_OP_FCVT_D_LU] = "fcvt.d.lu",
    [RV_OP_FMV_D_X] = "fmv.d.x",
    [RV_OP_ADD_UW] = "add.uw",
    [RV_OP_SH1ADD] = "sh1add",
    [RV_OP_SH2ADD] = "sh2add",
    [RV_OP_SH3ADD] = "sh3add",
    [RV_OP_SH1ADD_UW] = "sh1add.uw",
    [RV_OP_SH2ADD_UW] = "sh2add.uw",
    [RV_OP_SH3ADD_UW] = "sh3add.uw",
    [RV_OP_SLLI_UW] = "slli.uw",
    [RV_OP_ANDN] = "andn",
    [RV_OP_ORN] = "orn",
    [RV_OP_XNOR] = "xnor",
    [RV_OP_CLZ] = "clz",
    [RV_OP_CLZW] = "clzw",
    [RV_OP_CTZ] = "ctz",
    [RV_OP_CTZW] = "ctzw",
    [RV_OP_CPOP] = "cpop",
    [RV_OP_CPOPW] = "cpopw",
    [RV_OP_MAX] = "max",
    [RV_OP_MAXU] = "maxu",
    [RV_OP_MIN] = "min",
    [RV_OP_MINU] = "minu",
    [RV_OP_SEXT_B] = "sext.b",
    [RV_OP_SEXT_H] = "sext.h",
    [RV_OP_ZEXT_H] = "zext.h",
    [RV_OP_ROL] = "rol",
    [RV_OP_ROLW] = "rolw",
    [RV_OP_ROR] = "ror",
    [RV_OP_RORI] = "rori",
    [RV_OP_RORIW] = "roriw",
    [RV_OP_RORW] = "rorw",
    [RV_OP_ORC_B] = "orc.b",
    [RV_OP_REV8] = "rev8",
    [RV_OP_BCLR] = "bclr",
    [RV_OP_BCLRI] = "bclri",
    [RV_OP_BEXT] = "bext",
    [RV_OP_BEXTI] = "bexti",
    [RV_OP_BINV] = "binv",
    [RV_OP_BINVI] = "binvi",
    [RV_OP_BSET] = "bset",
    [RV_OP_BSETI] = "bseti",
};

const char *rv_op_name(RVOp op)
{
    return (unsigned)op < RV_OP__COUNT ? op_names[op] : "?";
}

static const char *const xreg[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const freg[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",  "ft5",  "ft6", "ft7", "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",  "fa6",  "fa7", "fs2", "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* The CSRs objdump 2.40 names (priv. spec 1.12 and its extensions), by number. */
static const struct {
    uint16_t num;
    const char *name;
} csr_names[] = {
    {0x001, "fflags"},     {0x002, "frm"},        {0x003, "fcsr"},          {0x008, "vstart"},
    {0x009, "vxsat"},      {0x00a, "vxrm"},       {0x00f, "vcsr"},          {0x015, "seed"},
    {0x100, "sstatus"},    {0x104, "sie"},        {0x105, "stvec"},         {0x106, "scounteren"},
    {0x10a, "senvcfg"},    {0x10c, "sstateen0"},  {0x10d, "sstateen1"},     {0x10e, "sstateen2"},
    {0x10f, "sstateen3"},  {0x114, "sieh"},       {0x140, "sscratch"},      {0x141, "sepc"},
    {0x142, "scause"},     {0x143, "stval"},      {0x144, "sip"},           {0x14d, "stimecmp"},
    {0x150, "siselect"},   {0x151, "sireg"},      {0x154, "siph"},          {0x15c, "stopei"},
    {0x15d, "stimecmph"},  {0x180, "satp"},       {0x200, "vsstatus"},      {0x204, "vsie"},
    {0x205, "vstvec"},     {0x214, "vsieh"},      {0x240, "vsscratch"},     {0x241, "vsepc"},
    {0x242, "vscause"},    {0x243, "vstval"},     {0x244, "vsip"},          {0x24d, "vstimecmp"},
    {0x250, "vsiselect"},  {0x251, "vsireg"},     {0x254, "vsiph"},         {0x25c, "vstopei"},
    {0x25d, "vstimecmph"}, {0x280, "vsatp"},      {0x300, "mstatus"},       {0x301, "misa"},
    {0x302, "medeleg"},    {0x303, "mideleg"},    {0x304, "mie"},           {0x305, "mtvec"},
    {0x306, "mcounteren"}, {0x308, "mvien"},      {0x309, "mvip"},          {0x30a, "menvcfg"},
    {0x30c, "mstateen0"},  {0x30d, "mstateen1"},  {0x30e, "mstateen2"},     {0x30f, "mstateen3"},
    {0x310, "mstatush"},   {0x313, "midelegh"},   {0x314, "mieh"},          {0x318, "mvienh"},
    {0x319, "mviph"},      {0x31a, "menvcfgh"},   {0x31c, "mstateen0h"},    {0x31d, "mstateen1h"},
    {0x31e, "mstateen2h"}, {0x31f, "mstateen3h"}, {0x320, "mcountinhibit"}, {0x340, "mscratch"},
    {0x341, "mepc"},       {0x342, "mcause"},     {0x343, "mtval"},         {0x344, "mip"},
    {0x34a, "mtinst"},     {0x34b, "mtval2"},     {0x350, "miselect"},      {0x351, "mireg"},
    {0x354, "miph"},       {0x35c, "mtopei"},     {0x5a8, "scontext"},      {0x600, "hstatus"},
    {0x602, "hedeleg"},    {0x603, "hideleg"},    {0x604, "hie"},           {0x605, "htimedelta"},
    {0x606, "hcounteren"}, {0x607, "hgeie"},      {0x608, "hvien"},         {0x609, "hvictl"},
    {0x60a, "henvcfg"},    {0x60c, "hstateen0"},  {0x60d, "hstateen1"},     {0x60e, "hstateen2"},
    {0x60f, "hstateen3"},  {0x613, "hidelegh"},   {0x615, "htimedeltah"},   {0x618, "hvienh"},
    {0x61a, "henvcfgh"},   {0x61c, "hstateen0h"}, {0x61d, "hstateen1h"},    {0x61e, "hstateen2h"},
    {0x61f, "hstateen3h"}, {0x643, "htval"},      {0x644, "hip"},           {0x645, "hvip"},
    {0x646, "hviprio1"},   {0x647, "hviprio2"},   {0x64a, "htinst"},        {0x655, "hviph"},
    {0x656, "hviprio1h"},  {0x657, "hviprio2h"},  {0x680, "hgatp"},         {0x6a8, "hcontext"},
    {0x747, "mseccfg"},    {0x757, "mseccfgh"},   {0x7a0, "tselect"},       {0x7a1, "tdata1"},
    {0x7a2, "tdata2"},     {0x7a3, "tdata3"},     {0x7a4, "tinfo"},         {0x7a5, "tcontrol"},
    {0x7a8, "mcontext"},   {0x7aa, "mscontext"},  {0x7b0, "dcsr"},          {0x7b1, "dpc"},
    {0x7b2, "dscratch0"},  {0x7b3, "dscratch1"},  {0xb00, "mcycle"},        {0xb02, "minstret"},
    {0xb80, "mcycleh"},    {0xb82, "minstreth"},  {0xc00, "cycle"},         {0xc01, "time"},
    {0xc02, "instret"},    {0xc20, "vl"},         {0xc21, "vtype"},         {0xc22, "vlenb"},
    {0xc80, "cycleh"},     {0xc81, "timeh"},      {0xc82, "instreth"},      {0xda0, "scountovf"},
    {0xdb0, "stopi"},      {0xe12, "hgeip"},      {0xeb0, "vstopi"},        {0xf11, "mvendorid"},
    {0xf12, "marchid"},    {0xf13, "mimpid"},     {0xf14, "mhartid"},       {0xf15, "mconfigptr"},
    {0xfb0, "mtopi"},
};

/* Numbered CSR families: first number, count, name prefix, suffix, index of the first. */
static const struct {
    uint16_t first, count;
    const char *prefix, *suffix;
    unsigned base;
} csr_families[] = {
    {0x323, 29, "mhpmevent", "", 3},   {0x723, 29, "mhpmevent", "h", 3},
    {0x3a0, 16, "pmpcfg", "", 0},      {0x3b0, 64, "pmpaddr", "", 0},
    {0xb03, 29, "mhpmcounter", "", 3}, {0xb83, 29, "mhpmcounter", "h", 3},
    {0xc03, 29, "hpmcounter", "", 3},  {0xc83, 29, "hpmcounter", "h", 3},
};

/* The CSR's name, or its number in hex, in buf. */
static const char *csr_name(unsigned num, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++) {
        if (csr_names[i].num == num) {
            return csr_names[i].name;
        }
    }
    for (size_t i = 0; i < sizeof(csr_families) / sizeof(csr_families[0]); i++) {
        if (num >= csr_families[i].first && num < csr_families[i].first + csr_families[i].count) {
            snprintf(buf, size, "%s%u%s", csr_families[i].prefix,
                     num - csr_families[i].first + csr_families[i].base, csr_families[i].suffix);
            return buf;
        }
    }
    snprintf(buf, size, "0x%x", num);
    return buf;
}

/* ",rtz" and so on after an FP operation's operands; nothing for the dynamic mode. */
static const char *rm_suffix(unsigned rm)
{
    static const char *const names[8] = {",rne", ",rtz",     ",rdn",     ",rup",
                                         ",rmm", ",unknown", ",unknown", ""};
    return names[rm & 7];
}

/* A FENCE predecessor or successor set as objdump writes it. */
static void fence_set(unsigned set, char *buf)
{
    char *p = buf;

    if (set & 8) {
        *p++ = 'i';
    }
    if (set & 4) {
        *p++ = 'o';
    }
    if (set & 2) {
        *p++ = 'r';
    }
    if (set & 1) {
        *p++ = 'w';
    }
    *p = 0;
    if (p == buf) {
        strcpy(buf, "unknown");
    }
}

char *rv_disas(const RVInsn *insn, uint64_t pc, char *buf, size_t size)
{
    const char *rd = xreg[insn->rd & 31], *rs1 = xreg[insn->rs1 & 31], *rs2 = xreg[insn->rs2 & 31];
    const char *fd = freg[insn->rd & 31], *fs1 = freg[insn->rs1 & 31];
    const char *fs2 = freg[insn->rs2 & 31], *fs3 = freg[insn->rs3 & 31];
    const char *name = rv_op_name((RVOp)insn->op);
    const char *rm = rm_suffix(insn->rm);
    uint64_t target = pc + (uint64_t)(int64_t)insn->imm;
    int32_t imm = insn->imm;
    char tmp[24], tmp2[16];

    if (size == 0) {
        return buf;
    }
    switch ((RVOp)insn->op) {
    case RV_OP__COUNT:
    case RV_OP_ILLEGAL:
        snprintf(buf, size, insn->len == 2 ? ".2byte\t0x%" PRIx32 : ".4byte\t0x%" PRIx32,
                 insn->raw);
        break;
    case RV_OP_LUI:
    case RV_OP_AUIPC:
        snprintf(buf, size, "%s\t%s,0x%" PRIx32, name, rd, ((uint32_t)imm >> 12) & 0xfffff);
        break;
    case RV_OP_JAL:
        snprintf(buf, size, "%s\t%s,%" PRIx64, name, rd, target);
        break;
    case RV_OP_BEQ:
    case RV_OP_BNE:
    case RV_OP_BLT:
    case RV_OP_BGE:
    case RV_OP_BLTU:
    case RV_OP_BGEU:
        snprintf(buf, size, "%s\t%s,%s,%" PRIx64, name, rs1, rs2, target);
        break;
    case RV_OP_JALR:
    case RV_OP_LB:
    case RV_OP_LH:
    case RV_OP_LW:
    case RV_OP_LD:
    case RV_OP_LBU:
    case RV_OP_LHU:
    case RV_OP_LWU:
        snprintf(buf, size, "%s\t%s,%" PRId32 "(%s)", name, rd, imm, rs1);
        break;
    case RV_OP_FLW:
    case RV_OP_FLD:
        snprintf(buf, size, "%s\t%s,%" PRId32 "(%s)", name, fd, imm, rs1);
        break;
    case RV_OP_SB:
    case RV_OP_SH:
    case RV_OP_SW:
    case RV_OP_SD:
        snprintf(buf, size, "%s\t%s,%" PRId32 "(%s)", name, rs2, imm, rs1);
        break;
    case RV_OP_FSW:
    case RV_OP_FSD:
        snprintf(buf, size, "%s\t%s,%" PRId32 "(%s)", name, fs2, imm, rs1);
        break;
    case RV_OP_ADDI:
    case RV_OP_SLTI:
    case RV_OP_SLTIU:
    case RV_OP_XORI:
    case RV_OP_ORI:
    case RV_OP_ANDI:
    case RV_OP_ADDIW:
        snprintf(buf, size, "%s\t%s,%s,%" PRId32, name, rd, rs1, imm);
        break;
    case RV_OP_SLLI:
    case RV_OP_SRLI:
    case RV_OP_SRAI:
    case RV_OP_SLLIW:
    case RV_OP_SRLIW:
    case RV_OP_SRAIW:
    case RV_OP_SLLI_UW:
    case RV_OP_RORI:
    case RV_OP_RORIW:
    case RV_OP_BCLRI:
    case RV_OP_BEXTI:
    case RV_OP_BINVI:
    case RV_OP_BSETI:
        snprintf(buf, size, "%s\t%s,%s,0x%" PRIx32, name, rd, rs1, (uint32_t)imm);
        break;
    case RV_OP_CLZ:
    case RV_OP_CLZW:
    case RV_OP_CTZ:
    case RV_OP_CTZW:
    case RV_OP_CPOP:
    case RV_OP_CPOPW:
    case RV_OP_SEXT_B:
    case RV_OP_SEXT_H:
    case RV_OP_ZEXT_H:
    case RV_OP_ORC_B:
    case RV_OP_REV8:
        snprintf(buf, size, "%s\t%s,%s", name, rd, rs1);
        break;
    case RV_OP_FENCE:
        if (insn->rm == 8 && imm == 0x33) {
            snprintf(buf, size, "fence.tso");
        } else {
            fence_set((unsigned)imm >> 4 & 15, tmp);
            fence_set((unsigned)imm & 15, tmp2);
            snprintf(buf, size, "%s\t%s,%s", name, tmp, tmp2);
        }
        break;
    case RV_OP_FENCE_I:
    case RV_OP_ECALL:
    case RV_OP_EBREAK:
    case RV_OP_MRET:
    case RV_OP_SRET:
    case RV_OP_WFI:
        snprintf(buf, size, "%s", name);
        break;
    case RV_OP_SFENCE_VMA:
        snprintf(buf, size, "%s\t%s,%s", name, rs1, rs2);
        break;
    case RV_OP_CSRRW:
    case RV_OP_CSRRS:
    case RV_OP_CSRRC:
        snprintf(buf, size, "%s\t%s,%s,%s", name, rd,
                 csr_name((unsigned)imm & 0xfff, tmp, sizeof(tmp)), rs1);
        break;
    case RV_OP_CSRRWI:
    case RV_OP_CSRRSI:
    case RV_OP_CSRRCI:
        snprintf(buf, size, "%s\t%s,%s,%u", name, rd,
                 csr_name((unsigned)imm & 0xfff, tmp, sizeof(tmp)), insn->rs1);
        break;
    case RV_OP_LR_W:
    case RV_OP_LR_D:
    case RV_OP_SC_W:
    case RV_OP_SC_D:
    case RV_OP_AMOSWAP_W:
    case RV_OP_AMOADD_W:
    case RV_OP_AMOXOR_W:
    case RV_OP_AMOAND_W:
    case RV_OP_AMOOR_W:
    case RV_OP_AMOMIN_W:
    case RV_OP_AMOMAX_W:
    case RV_OP_AMOMINU_W:
    case RV_OP_AMOMAXU_W:
    case RV_OP_AMOSWAP_D:
    case RV_OP_AMOADD_D:
    case RV_OP_AMOXOR_D:
    case RV_OP_AMOAND_D:
    case RV_OP_AMOOR_D:
    case RV_OP_AMOMIN_D:
    case RV_OP_AMOMAX_D:
    case RV_OP_AMOMINU_D:
    case RV_OP_AMOMAXU_D: {
        static const char *const order[4] = {"", ".rl", ".aq", ".aqrl"};
        if (insn->op == RV_OP_LR_W || insn->op == RV_OP_LR_D) {
            snprintf(buf, size, "%s%s\t%s,(%s)", name, order[insn->aqrl & 3], rd, rs1);
        } else {
            snprintf(buf, size, "%s%s\t%s,%s,(%s)", name, order[insn->aqrl & 3], rd, rs2, rs1);
        }
        break;
    }
    case RV_OP_FMADD_S:
    case RV_OP_FMSUB_S:
    case RV_OP_FNMSUB_S:
    case RV_OP_FNMADD_S:
    case RV_OP_FMADD_D:
    case RV_OP_FMSUB_D:
    case RV_OP_FNMSUB_D:
    case RV_OP_FNMADD_D:
        snprintf(buf, size, "%s\t%s,%s,%s,%s%s", name, fd, fs1, fs2, fs3, rm);
        break;
    case RV_OP_FADD_S:
    case RV_OP_FSUB_S:
    case RV_OP_FMUL_S:
    case RV_OP_FDIV_S:
    case RV_OP_FADD_D:
    case RV_OP_FSUB_D:
    case RV_OP_FMUL_D:
    case RV_OP_FDIV_D:
        snprintf(buf, size, "%s\t%s,%s,%s%s", name, fd, fs1, fs2, rm);
        break;
    case RV_OP_FSGNJ_S:
    case RV_OP_FSGNJN_S:
    case RV_OP_FSGNJX_S:
    case RV_OP_FMIN_S:
    case RV_OP_FMAX_S:
    case RV_OP_FSGNJ_D:
    case RV_OP_FSGNJN_D:
    case RV_OP_FSGNJX_D:
    case RV_OP_FMIN_D:
    case RV_OP_FMAX_D:
        snprintf(buf, size, "%s\t%s,%s,%s", name, fd, fs1, fs2);
        break;
    case RV_OP_FEQ_S:
    case RV_OP_FLT_S:
    case RV_OP_FLE_S:
    case RV_OP_FEQ_D:
    case RV_OP_FLT_D:
    case RV_OP_FLE_D:
        snprintf(buf, size, "%s\t%s,%s,%s", name, rd, fs1, fs2);
        break;
    case RV_OP_FSQRT_S:
    case RV_OP_FSQRT_D:
    case RV_OP_FCVT_S_D:
        snprintf(buf, size, "%s\t%s,%s%s", name, fd, fs1, rm);
        break;
    case RV_OP_FCVT_D_S:
        snprintf(buf, size, "%s\t%s,%s%s", name, fd, fs1,
                 insn->rm == 0   ? ""
                 : insn->rm == 7 ? ",dyn"
                                 : rm);
        break;
    case RV_OP_FCVT_W_S:
    case RV_OP_FCVT_WU_S:
    case RV_OP_FCVT_L_S:
    case RV_OP_FCVT_LU_S:
    case RV_OP_FCVT_W_D:
    case RV_OP_FCVT_WU_D:
    case RV_OP_FCVT_L_D:
    case RV_OP_FCVT_LU_D:
        snprintf(buf, size, "%s\t%s,%s%s", name, rd, fs1, rm);
        break;
    case RV_OP_FCVT_S_W:
    case RV_OP_FCVT_S_WU:
    case RV_OP_FCVT_S_L:
    case RV_OP_FCVT_S_LU:
    case RV_OP_FCVT_D_L:
    case RV_OP_FCVT_D_LU:
        snprintf(buf, size, "%s\t%s,%s%s", name, fd, rs1, rm);
        break;
    case RV_OP_FCVT_D_W:
    case RV_OP_FCVT_D_WU:
        snprintf(buf, size, "%s\t%s,%s%s", name, fd, rs1,
                 insn->rm == 0   ? ""
                 : insn->rm == 7 ? ",dyn"
                                 : rm);
        break;
    case RV_OP_FMV_X_W:
    case RV_OP_FMV_X_D:
    case RV_OP_FCLASS_S:
    case RV_OP_FCLASS_D:
        snprintf(buf, size, "%s\t%s,%s", name, rd, fs1);
        break;
    case RV_OP_FMV_W_X:
    case RV_OP_FMV_D_X:
        snprintf(buf, size, "%s\t%s,%s", name, fd, rs1);
        break;
    default: /* the three-register integer operations */
        snprintf(buf, size, "%s\t%s,%s,%s", name, rd, rs1, rs2);
        break;
    }
    return buf;
}
