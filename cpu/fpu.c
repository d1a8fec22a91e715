/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fpu.c - PLACEHOLDER until F/D land: every FP operation is illegal. */
#include "cpu/cpu.h"
#include "cpu/decode.h"

bool rv_fpu_exec(CPURVState *env, const RVInsn *insn)
{
    (void)env;
    (void)insn;
    return false;
}
