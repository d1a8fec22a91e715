/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec-ops.h - the operations' bodies of the fetch loop (cpu/exec.c), not
 * a header: rv_cpu_exec includes it inside its body, once per instruction
 * length under computed goto (ILEN 2 and 4, labels L2_x and L4_x), so that
 * each body steps to the next slot by a constant and the chain from one
 * instruction to the next never waits on a load of the length; once in the
 * switch build (ILEN is then the slot's length).  OP(x) opens an operation,
 * NEXT() and its kin end it (exec.c defines them all).  Indented as the
 * function body it is, which clang-format cannot see from here.
 */
// clang-format off
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
    RD = pc + ILEN;
    JUMP(v);
    OP(JALR)
    v = (RS1 + UIMM) & ~UINT64_C(1);
    RD = pc + ILEN;
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
    FP_LOAD(4, UINT64_C(0xffffffff00000000)); /* NaN-boxed */
    OP(FLD)
    FP_LOAD(8, 0);
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
// clang-format on
