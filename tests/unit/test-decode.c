/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-decode.c - cpu/decode.c: encodings to operations and fields (a table
 * made with the GNU assembler, decode-table.inc, covering every operation and
 * every compressed form), the reserved compressed encodings, HINTs, the
 * fields a 32-bit encoding must have exactly, operation names, disassembly,
 * and that no 16-bit word and no 32-bit word makes the decoder misbehave.
 * decode-objdump.py compares the same code with binutils' objdump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cpu/decode.h"

typedef struct {
    uint32_t word;
    const char *text;
    RVOp op;
    int32_t imm;
    uint8_t rd, rs1, rs2, rs3, rm, aqrl;
} DecodeRow;

static const DecodeRow table[] = {
#include "decode-table.inc"
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

static RVInsn decode(uint32_t raw)
{
    RVInsn insn;

    memset(&insn, 0x5a, sizeof(insn)); /* every field must be written */
    rv_decode(raw, &insn);
    return insn;
}

static void test_every_table_encoding_decodes_to_its_operation_and_fields(void **state)
{
    for (size_t i = 0; i < TABLE_SIZE; i++) {
        const DecodeRow *r = &table[i];
        RVInsn d = decode(r->word);
        int compressed = (r->word & 3) != 3;

        if (d.op != r->op || d.rd != r->rd || d.rs1 != r->rs1 || d.rs2 != r->rs2 ||
            d.rs3 != r->rs3 || d.rm != r->rm || d.aqrl != r->aqrl || d.imm != r->imm) {
            print_error("%s (0x%08x): got %s rd=%u rs1=%u rs2=%u rs3=%u rm=%u aqrl=%u imm=%d\n",
                        r->text, r->word, rv_op_name((RVOp)d.op), d.rd, d.rs1, d.rs2, d.rs3, d.rm,
                        d.aqrl, d.imm);
            fail();
        }
        assert_int_equal(d.len, compressed ? 2 : 4);
        assert_int_equal(d.raw, r->word);
    }
}

static void test_the_table_covers_every_operation(void **state)
{
    int seen[RV_OP__COUNT] = {0};

    for (size_t i = 0; i < TABLE_SIZE; i++) {
        seen[table[i].op] = 1;
    }
    for (int op = 1; op < RV_OP__COUNT; op++) {
        if (!seen[op]) {
            print_error("no table row for %s\n", rv_op_name((RVOp)op));
        }
        assert_true(seen[op]);
    }
}

static void test_the_table_covers_every_compressed_form(void **state)
{
    /* quadrant << 3 | funct3, and for quadrant 1 funct3 4 and quadrant 2 funct3 4 the sub-forms */
    static const char *const forms[] = {
        "c.addi4spn", "c.fld",   "c.lw",    "c.ld",       "c.fsd",  "c.sw",   "c.sd",   "c.nop",
        "c.addi",     "c.addiw", "c.li",    "c.addi16sp", "c.lui",  "c.srli", "c.srai", "c.andi",
        "c.sub",      "c.xor",   "c.or",    "c.and",      "c.subw", "c.addw", "c.j",    "c.beqz",
        "c.bnez",     "c.slli",  "c.fldsp", "c.lwsp",     "c.ldsp", "c.jr",   "c.mv",   "c.ebreak",
        "c.jalr",     "c.add",   "c.fsdsp", "c.swsp",     "c.sdsp",
    };

    for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
        size_t n = strlen(forms[f]);
        int found = 0;
        for (size_t i = 0; i < TABLE_SIZE && !found; i++) {
            found = strncmp(table[i].text, forms[f], n) == 0 &&
                    (table[i].text[n] == ' ' || table[i].text[n] == 0) && (table[i].word & 3) != 3;
        }
        if (!found) {
            print_error("no compressed row for %s\n", forms[f]);
        }
        assert_true(found);
    }
}

static void assert_illegal(uint32_t raw)
{
    RVInsn d = decode(raw);

    if (d.op != RV_OP_ILLEGAL) {
        print_error("0x%08x decodes as %s\n", raw, rv_op_name((RVOp)d.op));
    }
    assert_int_equal(d.op, RV_OP_ILLEGAL);
    /* nothing but the length and the encoding */
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.rs1, 0);
    assert_int_equal(d.rs2, 0);
    assert_int_equal(d.rs3, 0);
    assert_int_equal(d.rm, 0);
    assert_int_equal(d.aqrl, 0);
    assert_int_equal(d.imm, 0);
    if ((raw & 3) != 3) {
        assert_int_equal(d.len, 2);
        assert_int_equal(d.raw, raw & 0xffff);
    } else {
        assert_int_equal(d.len, 4);
        assert_int_equal(d.raw, raw);
    }
}

static void test_the_all_zero_halfword_is_illegal(void **state)
{
    assert_illegal(0x0000);
    assert_illegal(0xffff0000); /* only the low 16 bits of a compressed encoding count */
}

static void test_c_addi4spn_with_a_zero_immediate_is_reserved(void **state)
{
    for (unsigned rd = 0; rd < 8; rd++) {
        assert_illegal(rd << 2);
    }
}

static void test_c_addiw_with_rd_zero_is_reserved(void **state)
{
    assert_illegal(0x2001); /* c.addiw zero,0 */
    assert_illegal(0x2005); /* c.addiw zero,1 */
    assert_illegal(0x307d); /* c.addiw zero,-1 */
}

static void test_c_lui_and_c_addi16sp_with_a_zero_immediate_are_reserved(void **state)
{
    for (unsigned rd = 0; rd < 32; rd++) {
        assert_illegal(0x6001 | rd << 7);
    }
}

static void test_c_lwsp_and_c_ldsp_with_rd_zero_are_reserved(void **state)
{
    assert_illegal(0x4002); /* c.lwsp zero,0(sp) */
    assert_illegal(0x507e); /* c.lwsp zero,252(sp) */
    assert_illegal(0x6002); /* c.ldsp zero,0(sp) */
    assert_illegal(0x707e); /* c.ldsp zero,504(sp) */
}

static void test_c_jr_with_rs1_zero_is_reserved(void **state)
{
    assert_illegal(0x8002);
}

static void test_reserved_compressed_opcodes_and_functs_are_illegal(void **state)
{
    /* quadrant 0, funct3 100 (reserved in RV64GC) */
    for (uint32_t w = 0x8000; w < 0xa000; w += 4) {
        assert_illegal(w);
    }
    /* quadrant 1, funct3 100, bit 12 set, funct2 10 and 11: after c.subw and c.addw */
    assert_illegal(0x9c41);
    assert_illegal(0x9c61);
    assert_illegal(0x9fdd);
    assert_illegal(0x9ffd);
}

static void test_compressed_shift_amounts_use_all_six_bits_on_rv64(void **state)
{
    RVInsn d;

    d = decode(0x9101); /* c.srli a0,32 */
    assert_int_equal(d.op, RV_OP_SRLI);
    assert_int_equal(d.rd, 10);
    assert_int_equal(d.rs1, 10);
    assert_int_equal(d.imm, 32);
    d = decode(0x957d); /* c.srai a0,63 */
    assert_int_equal(d.op, RV_OP_SRAI);
    assert_int_equal(d.imm, 63);
    d = decode(0x1502); /* c.slli a0,32 */
    assert_int_equal(d.op, RV_OP_SLLI);
    assert_int_equal(d.imm, 32);
}

static void test_compressed_hints_decode_as_their_operation(void **state)
{
    RVInsn d;

    d = decode(0x8001); /* c.srli s0,0: a HINT on RV64 */
    assert_int_equal(d.op, RV_OP_SRLI);
    assert_int_equal(d.rd, 8);
    assert_int_equal(d.imm, 0);
    d = decode(0x8401); /* c.srai s0,0 */
    assert_int_equal(d.op, RV_OP_SRAI);
    assert_int_equal(d.imm, 0);
    d = decode(0x0502); /* c.slli a0,0 */
    assert_int_equal(d.op, RV_OP_SLLI);
    assert_int_equal(d.rd, 10);
    assert_int_equal(d.imm, 0);
    d = decode(0x0006); /* c.slli zero,1 */
    assert_int_equal(d.op, RV_OP_SLLI);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.imm, 1);
    d = decode(0x0011); /* c.nop 4 */
    assert_int_equal(d.op, RV_OP_ADDI);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.rs1, 0);
    assert_int_equal(d.imm, 4);
    d = decode(0x0501); /* c.addi a0,0 */
    assert_int_equal(d.op, RV_OP_ADDI);
    assert_int_equal(d.rd, 10);
    assert_int_equal(d.imm, 0);
    d = decode(0x4005); /* c.li zero,1 */
    assert_int_equal(d.op, RV_OP_ADDI);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.imm, 1);
    d = decode(0x7005); /* c.lui zero,0xfffe1 */
    assert_int_equal(d.op, RV_OP_LUI);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.imm, (int32_t)0xfffe1000);
    d = decode(0x802e); /* c.mv zero,a1 */
    assert_int_equal(d.op, RV_OP_ADD);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.rs1, 0);
    assert_int_equal(d.rs2, 11);
    d = decode(0x902e); /* c.add zero,a1 */
    assert_int_equal(d.op, RV_OP_ADD);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.rs2, 11);
}

static void test_every_halfword_decodes_with_its_length_and_raw_bits(void **state)
{
    for (uint32_t w = 0; w < 0x10000; w++) {
        RVInsn d = decode(w | 0xabcd0000u);

        assert_true(d.op < RV_OP__COUNT);
        assert_true(d.rd < 32 && d.rs1 < 32 && d.rs2 < 32 && d.rs3 < 32);
        if ((w & 3) != 3) {
            assert_int_equal(d.len, 2);
            assert_int_equal(d.raw, w);
        } else { /* low bits 11: a 32-bit encoding, whatever the upper half */
            assert_int_equal(d.len, 4);
            assert_int_equal(d.raw, w | 0xabcd0000u);
        }
    }
}

static void test_millions_of_random_words_decode_with_sane_fields(void **state)
{
    uint64_t x = 0x243f6a8885a308d3ull; /* fixed seed: xorshift64 */
    char buf[96];

    for (int i = 0; i < 4000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint32_t w = (uint32_t)x;
        RVInsn d = decode(w);

        assert_true(d.op < RV_OP__COUNT);
        assert_true(d.rd < 32 && d.rs1 < 32 && d.rs2 < 32 && d.rs3 < 32);
        assert_true(d.rm < 16 && d.aqrl < 4);
        assert_int_equal(d.len, (w & 3) == 3 ? 4 : 2);
        assert_int_equal(d.raw, (w & 3) == 3 ? w : (w & 0xffff));
        if ((i & 15) == 0) {
            rv_disas(&d, x, buf, sizeof(buf));
            assert_true(strlen(buf) > 0);
        }
    }
}

static void test_longer_than_32_bit_encodings_are_illegal(void **state)
{
    assert_illegal(0x0000001f); /* 48-bit */
    assert_illegal(0x0000003f); /* 64-bit */
    assert_illegal(0x0000007f); /* 80-bit and longer */
    assert_illegal(0xffffffff);
}

static void test_32_bit_fields_must_match_exactly(void **state)
{
    assert_illegal(0x0200151b);                   /* slliw with shamt[5] set */
    assert_illegal(0x4200551b);                   /* sraiw with shamt[5] set */
    assert_illegal(0x0200551b);                   /* srliw with shamt[5] set */
    assert_illegal(0x80051513);                   /* slli with funct6 100000 */
    assert_illegal(0x40051513);                   /* slli with funct6 010000 */
    assert_illegal(0x00b50533 | 0x02000000 << 1); /* add with funct7 0000010 */
    assert_illegal(0x00002063);                   /* branch funct3 010 */
    assert_illegal(0x00003063);                   /* branch funct3 011 */
    assert_illegal(0x00007003);                   /* load funct3 111 */
    assert_illegal(0x00004023);                   /* store funct3 100 */
    assert_illegal(0x00001067);                   /* jalr funct3 001 */
    assert_illegal(0x0000200f);                   /* misc-mem funct3 010 */
    assert_illegal(0x00004073);                   /* system funct3 100 */
    assert_illegal(0x00000173);                   /* ecall with rd set */
    assert_illegal(0x00008073);                   /* ecall with rs1 set */
    assert_illegal(0x30200173);                   /* mret with rd set */
    assert_illegal(0x12000173);                   /* sfence.vma with rd set */
    assert_illegal(0x00200073);                   /* uret: not in RV64GC */
    assert_illegal(0x7b200073);                   /* dret: not in RV64GC */
    assert_illegal(0x0805c533);                   /* zext.h's RV32 encoding (OP, not OP-32) */
    assert_illegal(0x0815c53b);                   /* zext.h with rs2 = 1 (packw) */
    assert_illegal(0x6035951b);                   /* clzw-space funct12 0x603 */
    assert_illegal(0x60359513);                   /* clz-space funct12 0x603 */
    assert_illegal(0x6b905513); /* rev8's RV64 encoding with a different low bit */
    assert_illegal(0x69805513); /* rev8's RV32 encoding */
}

static void test_fp_selectors_and_formats_must_be_valid(void **state)
{
    assert_illegal(0x58157553);              /* fsqrt.s with rs2 = 1 */
    assert_illegal(0x5a157553);              /* fsqrt.d with rs2 = 1 */
    assert_illegal(0xc0457553);              /* fcvt.w.s with rs2 = 4 */
    assert_illegal(0xd0457553);              /* fcvt.s.w with rs2 = 4 */
    assert_illegal(0x40057553);              /* fcvt.s.s (rs2 = 0 under fmt S) */
    assert_illegal(0x42157553);              /* fcvt.d.d */
    assert_illegal(0x04b50553);              /* fadd.h (fmt 10) */
    assert_illegal(0x06b50553);              /* fadd.q (fmt 11) */
    assert_illegal(0x04c5f543);              /* fmadd with fmt 10 */
    assert_illegal(0x20b53553);              /* fsgnj.s with funct3 011 */
    assert_illegal(0x28b52553);              /* fmin.s with funct3 010 */
    assert_illegal(0xa0b53553);              /* feq.s-space funct3 011 */
    assert_illegal(0xe0051553 | 0x00100000); /* fclass.s with rs2 = 1 */
    assert_illegal(0xe0052553);              /* fmv.x.w-space funct3 010 */
    assert_illegal(0xf0051553);              /* fmv.w.x with funct3 001 */
    assert_illegal(0x00051507);              /* load-fp funct3 001 (not flw/fld) */
    assert_illegal(0x00052027 | 0x4000);     /* store-fp funct3 110 */
}

static void test_amos_must_have_a_valid_width_and_funct5(void **state)
{
    assert_illegal(0x00c5852f); /* amoadd with funct3 000 */
    assert_illegal(0x00c5c52f); /* amoadd with funct3 100 */
    assert_illegal(0x1015a52f); /* lr.w with rs2 = 1 */
    assert_illegal(0x1015b52f); /* lr.d with rs2 = 1 */
    assert_illegal(0x28c5a52f); /* funct5 00101 */
    assert_illegal(0xfcc5a52f); /* funct5 11111 */
}

static void test_rounding_modes_are_kept_and_not_judged(void **state)
{
    RVInsn d = decode(0x02b5d553); /* fadd.d fa0,fa1,fa1 with rm 101 (reserved) */

    assert_int_equal(d.op, RV_OP_FADD_D);
    assert_int_equal(d.rm, 5);
    d = decode(0x02b5e553); /* rm 110 */
    assert_int_equal(d.op, RV_OP_FADD_D);
    assert_int_equal(d.rm, 6);
    d = decode(0x4205d553); /* fcvt.d.s with rm 101 */
    assert_int_equal(d.op, RV_OP_FCVT_D_S);
    assert_int_equal(d.rm, 5);
}

static void test_fences_ignore_their_reserved_fields(void **state)
{
    RVInsn d = decode(0x1ff5050f); /* fm 0001, rs1 a0, rd a0 */

    assert_int_equal(d.op, RV_OP_FENCE);
    assert_int_equal(d.imm, 0xff);
    assert_int_equal(d.rm, 1);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.rs1, 0);
    d = decode(0x0000000f); /* no predecessor or successor */
    assert_int_equal(d.op, RV_OP_FENCE);
    assert_int_equal(d.imm, 0);
    d = decode(0xfff5150f); /* fence.i with every ignored field set */
    assert_int_equal(d.op, RV_OP_FENCE_I);
    assert_int_equal(d.rd, 0);
    assert_int_equal(d.rs1, 0);
    assert_int_equal(d.imm, 0);
}

static void test_csr_numbers_are_positive(void **state)
{
    RVInsn d = decode(0xfff5a573); /* csrrs a0,0xfff,a1 */

    assert_int_equal(d.op, RV_OP_CSRRS);
    assert_int_equal(d.imm, 4095);
    assert_int_equal(d.rd, 10);
    assert_int_equal(d.rs1, 11);
    d = decode(0x800fd573); /* csrrwi a0,0x800,31 */
    assert_int_equal(d.op, RV_OP_CSRRWI);
    assert_int_equal(d.imm, 0x800);
    assert_int_equal(d.rs1, 31);
}

static void test_operation_names_are_the_list_in_lower_case_with_dots(void **state)
{
    static const char *const upper[] = {
#define RV_OP_UPPER(name) #name,
        RV_OPS(RV_OP_UPPER)
#undef RV_OP_UPPER
    };
    char want[32];

    for (int op = 0; op < RV_OP__COUNT; op++) {
        size_t i;
        for (i = 0; upper[op][i] && i < sizeof(want) - 1; i++) {
            want[i] = upper[op][i] == '_' ? '.' : (char)tolower((unsigned char)upper[op][i]);
        }
        want[i] = 0;
        assert_string_equal(rv_op_name((RVOp)op), want);
    }
    assert_string_equal(rv_op_name(RV_OP_FCVT_W_S), "fcvt.w.s");
    assert_string_equal(rv_op_name(RV_OP_SH1ADD_UW), "sh1add.uw");
    assert_string_equal(rv_op_name(RV_OP__COUNT), "?");
}

static void assert_disas(uint32_t raw, uint64_t pc, const char *want)
{
    RVInsn d;
    char buf[96];

    rv_decode(raw, &d);
    assert_string_equal(rv_disas(&d, pc, buf, sizeof(buf)), want);
}

static void test_disassembly_reads_like_objdump(void **state)
{
    assert_disas(0x00150513, 0, "addi\ta0,a0,1");
    assert_disas(0x00813503, 0, "ld\ta0,8(sp)");
    assert_disas(0xfeb13c23, 0, "sd\ta1,-8(sp)");
    assert_disas(0xfeb50ae3, 0x8000000c, "beq\ta0,a1,80000000");
    assert_disas(0xff1ff0ef, 0x10, "jal\tra,0");
    assert_disas(0x80000537, 0, "lui\ta0,0x80000");
    assert_disas(0x30059573, 0, "csrrw\ta0,mstatus,a1");
    assert_disas(0x7c05a573, 0, "csrrs\ta0,0x7c0,a1");
    assert_disas(0x3b002573, 0, "csrrs\ta0,pmpaddr0,zero");
    assert_disas(0xc1f02573, 0, "csrrs\ta0,hpmcounter31,zero");
    assert_disas(0xc002d573, 0, "csrrwi\ta0,cycle,5");
    assert_disas(0x00c59553, 0, "fadd.s\tfa0,fa1,fa2,rtz");
    assert_disas(0x00c5f553, 0, "fadd.s\tfa0,fa1,fa2");
    assert_disas(0x02b5ed53, 0, "fadd.d\tfs10,fa1,fa1,unknown");
    assert_disas(0x6ac5f543, 0, "fmadd.d\tfa0,fa1,fa2,fa3");
    assert_disas(0x1605b52f, 0, "lr.d.aqrl\ta0,(a1)");
    assert_disas(0x02c5b52f, 0, "amoadd.d.rl\ta0,a2,(a1)");
    assert_disas(0x0310000f, 0, "fence\trw,w");
    assert_disas(0x8330000f, 0, "fence.tso");
    assert_disas(0x12b50073, 0, "sfence.vma\ta0,a1");
    assert_disas(0x03f51513, 0, "slli\ta0,a0,0x3f");
    assert_disas(0x6b85d513, 0, "rev8\ta0,a1");
    assert_disas(0x0505, 0, "addi\ta0,a0,1");     /* c.addi */
    assert_disas(0xa001, 0x100, "jal\tzero,100"); /* c.j . */
    assert_disas(0x8082, 0, "jalr\tzero,0(ra)");  /* c.jr ra */
    assert_disas(0x0000, 0, ".2byte\t0x0");
    assert_disas(0xffffffff, 0, ".4byte\t0xffffffff");
}

static void test_disassembly_never_writes_past_the_buffer(void **state)
{
    RVInsn d;
    char buf[16];

    rv_decode(0x12b50073, &d); /* sfence.vma a0,a1: longer than 8 bytes */
    memset(buf, 'x', sizeof(buf));
    rv_disas(&d, 0, buf, 8);
    assert_string_equal(buf, "sfence.");
    assert_int_equal(buf[8], 'x');
    rv_disas(&d, 0, buf, 0);
    assert_int_equal(buf[0], 's');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_encoding_decodes_to_its_operation_and_fields),
        cmocka_unit_test(test_the_table_covers_every_operation),
        cmocka_unit_test(test_the_table_covers_every_compressed_form),
        cmocka_unit_test(test_the_all_zero_halfword_is_illegal),
        cmocka_unit_test(test_c_addi4spn_with_a_zero_immediate_is_reserved),
        cmocka_unit_test(test_c_addiw_with_rd_zero_is_reserved),
        cmocka_unit_test(test_c_lui_and_c_addi16sp_with_a_zero_immediate_are_reserved),
        cmocka_unit_test(test_c_lwsp_and_c_ldsp_with_rd_zero_are_reserved),
        cmocka_unit_test(test_c_jr_with_rs1_zero_is_reserved),
        cmocka_unit_test(test_reserved_compressed_opcodes_and_functs_are_illegal),
        cmocka_unit_test(test_compressed_shift_amounts_use_all_six_bits_on_rv64),
        cmocka_unit_test(test_compressed_hints_decode_as_their_operation),
        cmocka_unit_test(test_every_halfword_decodes_with_its_length_and_raw_bits),
        cmocka_unit_test(test_millions_of_random_words_decode_with_sane_fields),
        cmocka_unit_test(test_longer_than_32_bit_encodings_are_illegal),
        cmocka_unit_test(test_32_bit_fields_must_match_exactly),
        cmocka_unit_test(test_fp_selectors_and_formats_must_be_valid),
        cmocka_unit_test(test_amos_must_have_a_valid_width_and_funct5),
        cmocka_unit_test(test_rounding_modes_are_kept_and_not_judged),
        cmocka_unit_test(test_fences_ignore_their_reserved_fields),
        cmocka_unit_test(test_csr_numbers_are_positive),
        cmocka_unit_test(test_operation_names_are_the_list_in_lower_case_with_dots),
        cmocka_unit_test(test_disassembly_reads_like_objdump),
        cmocka_unit_test(test_disassembly_never_writes_past_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
