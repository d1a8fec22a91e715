/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decode.h - RV64GC + Zba/Zbb/Zbs encodings to decoded instructions.
 *
 * rv_decode() turns one encoding into an RVInsn: an operation, register
 * numbers and a sign-extended immediate.  Compressed encodings (low two bits
 * not 11) are expanded to the operation of their 32-bit equivalent, with
 * len = 2.  Anything reserved, unassigned or outside RV64GC+B decodes to
 * RV_OP_ILLEGAL; nothing here depends on hart state (mstatus.FS, privilege
 * and rounding-mode legality are checked when the instruction executes).
 *
 * Field use by operation class (unused fields are 0):
 *   R-type        rd, rs1, rs2
 *   I-type, loads rd, rs1, imm (shifts: imm = shamt)
 *   S, B          rs1, rs2, imm (B: byte offset)
 *   U, J          rd, imm (U: the value, already shifted; J: byte offset)
 *   CSR           rd, rs1 (the I forms: rs1 = uimm), imm = CSR number
 *   AMO, LR, SC   rd, rs1, rs2, aqrl = aq<<1 | rl
 *   FP            rd, rs1, rs2, rs3 (R4), rm (3-bit field as encoded)
 *   FENCE         imm = pred<<4 | succ, fm in rm
 *
 *  32-bit encodings (low bits 11):
 *   31      25 24  20 19  15 14  12 11   7 6      0
 *  | funct7   | rs2  | rs1  |funct3|  rd  | opcode |  R
 *  | imm[11:0]       | rs1  |funct3|  rd  | opcode |  I
 *  |imm[11:5] | rs2  | rs1  |funct3|imm4:0| opcode |  S
 *  | rs3 |f2  | rs2  | rs1  |  rm  |  rd  | opcode |  R4
 */
#ifndef TERN_DECODE_H
#define TERN_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* Every operation, once: the enum, the names and the dispatch tables come from this list. */
#define RV_OPS(X)                                                                                  \
    X(ILLEGAL)                                                                                     \
    /* RV64I */                                                                                    \
    X(LUI)                                                                                         \
    X(AUIPC)                                                                                       \
    X(JAL)                                                                                         \
    X(JALR)                                                                                        \
    X(BEQ)                                                                                         \
    X(BNE)                                                                                         \
    X(BLT) X(BGE) X(BLTU) X(BGEU) X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) X(SB) X(SH) X(SW)   \
        X(SD) X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) X(ADD)       \
            X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) X(ADDIW) X(SLLIW)       \
                X(SRLIW) X(SRAIW) X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW) X(FENCE) X(FENCE_I)      \
                    X(ECALL) X(EBREAK)                           /* Zicsr */                       \
        X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) /* privileged */                  \
        X(MRET) X(SRET) X(WFI) X(SFENCE_VMA)                     /* M */                           \
        X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) X(MULW) X(DIVW) X(DIVUW)   \
            X(REMW) X(REMUW) /* A */                                                               \
        X(LR_W) X(SC_W) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) X(AMOOR_W) X(AMOMIN_W)    \
            X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W) X(LR_D) X(SC_D) X(AMOSWAP_D) X(AMOADD_D)         \
                X(AMOXOR_D) X(AMOAND_D) X(AMOOR_D) X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D)            \
                    X(AMOMAXU_D) /* F */                                                           \
        X(FLW) X(FSW) X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S) X(FADD_S) X(FSUB_S) X(FMUL_S)  \
            X(FDIV_S) X(FSQRT_S) X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S) X(FMIN_S) X(FMAX_S)            \
                X(FCVT_W_S) X(FCVT_WU_S) X(FMV_X_W) X(FEQ_S) X(FLT_S) X(FLE_S) X(FCLASS_S)         \
                    X(FCVT_S_W) X(FCVT_S_WU) X(FMV_W_X) X(FCVT_L_S) X(FCVT_LU_S) X(FCVT_S_L)       \
                        X(FCVT_S_LU) /* D */                                                       \
        X(FLD) X(FSD) X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D) X(FADD_D) X(FSUB_D) X(FMUL_D)  \
            X(FDIV_D) X(FSQRT_D) X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D) X(FMIN_D) X(FMAX_D)            \
                X(FCVT_S_D) X(FCVT_D_S) X(FEQ_D) X(FLT_D) X(FLE_D) X(FCLASS_D) X(FCVT_W_D)         \
                    X(FCVT_WU_D) X(FCVT_D_W) X(FCVT_D_WU) X(FCVT_L_D) X(FCVT_LU_D) X(FMV_X_D)      \
                        X(FCVT_D_L) X(FCVT_D_LU) X(FMV_D_X) /* Zba */                              \
        X(ADD_UW) X(SH1ADD) X(SH2ADD) X(SH3ADD) X(SH1ADD_UW) X(SH2ADD_UW) X(SH3ADD_UW)             \
            X(SLLI_UW) /* Zbb */                                                                   \
        X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CLZW) X(CTZ) X(CTZW) X(CPOP) X(CPOPW) X(MAX) X(MAXU)       \
            X(MIN) X(MINU) X(SEXT_B) X(SEXT_H) X(ZEXT_H) X(ROL) X(ROLW) X(ROR) X(RORI) X(RORIW)    \
                X(RORW) X(ORC_B) X(REV8) /* Zbs */                                                 \
        X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV) X(BINVI) X(BSET) X(BSETI)

typedef enum {
#define RV_OP_ENUM(name) RV_OP_##name,
    RV_OPS(RV_OP_ENUM)
#undef RV_OP_ENUM
        RV_OP__COUNT
} RVOp;
_Static_assert(RV_OP__COUNT <= 256, "RVInsn.op is a byte");

/* 16 bytes, so that a page of them indexes with a shift (the decoded-code cache). */
typedef struct RVInsn {
    uint8_t op; /* RVOp */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;   /* FP rounding-mode field; FENCE fm */
    uint8_t aqrl; /* AMO aq<<1 | rl */
    uint8_t len;  /* 2 or 4; 0 in an empty slot of the decoded-code cache */
    int32_t imm;  /* every immediate of RV64GC fits (U-type: the 32-bit value, sign-extended) */
    uint32_t raw; /* the encoding (16 bits for compressed): mtval of an illegal instruction */
} RVInsn;

/*
 * Decodes raw: a compressed encoding when raw's low two bits are not 11
 * (only the low 16 bits are read), a 32-bit one otherwise.  Always fills
 * *insn (RV_OP_ILLEGAL with len and raw set when reserved).
 */
void rv_decode(uint32_t raw, RVInsn *insn);
/* The operation's name in lower case with dots ("fcvt.w.s", "c.addi" is "addi"). */
const char *rv_op_name(RVOp op);
/*
 * Writes insn as objdump would show it (ABI register names, "addi a0,a0,1",
 * branch targets as absolute addresses from pc), NUL-terminated; returns
 * buf.  For -d in_asm.
 */
char *rv_disas(const RVInsn *insn, uint64_t pc, char *buf, size_t size);

#endif
