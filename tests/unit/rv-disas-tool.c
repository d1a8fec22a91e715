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
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cpu/decode.h"

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
        printf("%" PRIx64 "\t%u\t%s\t%s\n", pc, insn.len, rv_op_name((RVOp)insn.op), text);
    }
    return 0;
}
