/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode.c - PLACEHOLDER until the decoder lands: everything is illegal. */
#include "cpu/decode.h"

#include <stdio.h>
#include <string.h>

static const char *const rv_op_names[] = {
#define RV_OP_NAME(name) #name,
    RV_OPS(RV_OP_NAME)
#undef RV_OP_NAME
};

void rv_decode(uint32_t raw, RVInsn *insn)
{
    memset(insn, 0, sizeof(*insn));
    insn->len = (raw & 3) == 3 ? 4 : 2;
    insn->raw = insn->len == 4 ? raw : (raw & 0xffff);
    insn->op = RV_OP_ILLEGAL;
}

const char *rv_op_name(RVOp op)
{
    return op < RV_OP__COUNT ? rv_op_names[op] : "?";
}

char *rv_disas(const RVInsn *insn, uint64_t pc, char *buf, size_t size)
{
    (void)pc;
    snprintf(buf, size, "%s", rv_op_name(insn->op));
    return buf;
}
