/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rv-disas-tool.c - runs cpu/decode.c over encodings read from stdin, for
 * decode-objdump.py (the cross-check against binutils).
 *
 * Input: one "PC WORD" pair of hex numbers a line (WORD is 16 bits for a
 * compressed encoding).  Output, a line each: "PC<TAB>LEN<TAB>OP<TAB>TEXT",
 * with PC in hex, LEN the decoded length, OP rv_op_name() and TEXT rv_disas().
 * With the argument --ops it prints every operation's name instead, a line
 * each, RV_OP_ILLEGAL's first.  Exit status 1 on a malformed line.
 *
 * It also asserts, for every word, what decode.h promises whatever the
 * encoding: the length follows the low two bits, raw is the encoding (16
 * bits for a compressed one), the operation is in the list, an illegal
 * encoding has every field 0, and the text is a non-empty string that fits
 * its buffer.  A broken promise ends it with status 2 and the word.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"

static void assert_promise(bool kept, const char *promise, uint32_t word)
{
    if (!kept) {
        fprintf(stderr, "rv-disas-tool: 0x%08" PRIx32 ": %s\n", word, promise);
        exit(2);
    }
}

static void assert_decode_promises(uint32_t word, const RVInsn *insn, const char *text, size_t size)
{
    bool wide = (word & 3) == 3;

    assert_promise(insn->len == (wide ? 4 : 2), "len follows the low two bits", word);
    assert_promise(insn->raw == (wide ? word : (word & 0xffff)), "raw is the encoding", word);
    assert_promise(insn->op < RV_OP__COUNT, "op is an operation", word);
    assert_promise(insn->op != RV_OP_ILLEGAL ||
                       (!insn->rd && !insn->rs1 && !insn->rs2 && !insn->rs3 && !insn->imm),
                   "an illegal encoding has every field 0", word);
    assert_promise(memchr(text, 0, size) != NULL && text[0] != 0,
                   "the text is a non-empty string within its buffer", word);
}

int main(int argc, char **argv)
{
    char line[256], text[128];
    uint64_t pc;
    uint32_t word;
    RVInsn insn;

    if (argc > 1 && strcmp(argv[1], "--ops") == 0) {
        for (int op = 0; op < RV_OP__COUNT; op++) {
            printf("%s\n", rv_op_name((RVOp)op));
        }
        return 0;
    }

    while (fgets(line, sizeof(line), stdin)) {
        if (sscanf(line, "%" SCNx64 " %" SCNx32, &pc, &word) != 2) {
            fprintf(stderr, "rv-disas-tool: malformed line: %s", line);
            return 1;
        }
        rv_decode(word, &insn);
        rv_disas(&insn, pc, text, sizeof(text));
        assert_decode_promises(word, &insn, text, sizeof(text));
        printf("%" PRIx64 "\t%u\t%s\t%s\n", pc, insn.len, rv_op_name((RVOp)insn.op), text);
    }
    return 0;
}
