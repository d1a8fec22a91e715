#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes tests/unit/decode-table.inc, the encodings test-decode.c checks.

Each row is an instruction written in assembly, its encoding as
riscv64-unknown-elf-as produces it, and the RVInsn fields decode.h says it
decodes to, worked out here from the assembly text (not from decode.c).
Compressed rows pair a "c." instruction with the 32-bit instruction it
expands to: the encoding is the compressed one, the fields the 32-bit one's.
Run again after changing this file:  python3 tests/unit/gen-decode-table.py
"""
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
X = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
     "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
     "t3", "t4", "t5", "t6"]
F = ["ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
     "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
     "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"]
RM = {"rne": 0, "rtz": 1, "rdn": 2, "rup": 3, "rmm": 4, "dyn": 7}

R_OPS = ("add sub sll slt sltu xor srl sra or and addw subw sllw srlw sraw mul mulh mulhsu mulhu "
         "div divu rem remu mulw divw divuw remw remuw add.uw sh1add sh2add sh3add sh1add.uw "
         "sh2add.uw sh3add.uw andn orn xnor max maxu min minu rol rolw ror rorw bclr bext binv "
         "bset").split()
I_OPS = "addi slti sltiu xori ori andi addiw".split()
SHIFT_OPS = "slli srli srai slliw srliw sraiw slli.uw rori roriw bclri bexti binvi bseti".split()
UNARY_OPS = "clz clzw ctz ctzw cpop cpopw sext.b sext.h zext.h orc.b rev8".split()
LOADS = "lb lh lw ld lbu lhu lwu".split()
STORES = "sb sh sw sd".split()
BRANCHES = "beq bne blt bge bltu bgeu".split()


def reg(name):
    return X.index(name)


def freg(name):
    return F.index(name)


def num(text):
    return int(text, 0)


def fields(asm):
    """The RVInsn fields of a 32-bit instruction written in assembly: (op enum, dict)."""
    mnem, _, ops = asm.partition(" ")
    o = [p.strip() for p in ops.split(",")] if ops else []
    f = {}
    base = mnem
    order = re.match(r"^(lr|sc|amo\w+)\.([wd])(\.aq|\.rl|\.aqrl)?$", mnem)
    if order:
        base = f"{order.group(1)}.{order.group(2)}"
        f["aqrl"] = {None: 0, ".aq": 2, ".rl": 1, ".aqrl": 3}[order.group(3)]
    enum = "RV_OP_" + base.upper().replace(".", "_")

    def mem(text):
        m = re.match(r"^(-?\w+)\((\w+)\)$", text)
        return num(m.group(1)), reg(m.group(2))

    def target(text):
        assert text.startswith(".")
        return num(text[1:])

    def rm(idx):
        return RM[o[idx]] if len(o) > idx else 7

    if mnem in R_OPS:
        f.update(rd=reg(o[0]), rs1=reg(o[1]), rs2=reg(o[2]))
    elif mnem in I_OPS or mnem in SHIFT_OPS:
        f.update(rd=reg(o[0]), rs1=reg(o[1]), imm=num(o[2]))
    elif mnem in UNARY_OPS:
        f.update(rd=reg(o[0]), rs1=reg(o[1]))
    elif mnem in LOADS or mnem == "jalr":
        imm, rs1 = mem(o[1])
        f.update(rd=reg(o[0]), rs1=rs1, imm=imm)
    elif mnem in ("flw", "fld"):
        imm, rs1 = mem(o[1])
        f.update(rd=freg(o[0]), rs1=rs1, imm=imm)
    elif mnem in STORES:
        imm, rs1 = mem(o[1])
        f.update(rs2=reg(o[0]), rs1=rs1, imm=imm)
    elif mnem in ("fsw", "fsd"):
        imm, rs1 = mem(o[1])
        f.update(rs2=freg(o[0]), rs1=rs1, imm=imm)
    elif mnem in BRANCHES:
        f.update(rs1=reg(o[0]), rs2=reg(o[1]), imm=target(o[2]))
    elif mnem == "jal":
        f.update(rd=reg(o[0]), imm=target(o[1]))
    elif mnem in ("lui", "auipc"):
        v = num(o[1]) << 12
        f.update(rd=reg(o[0]), imm=v - (1 << 32) if v >= 1 << 31 else v)
    elif mnem in ("csrrw", "csrrs", "csrrc"):
        f.update(rd=reg(o[0]), imm=num(o[1]), rs1=reg(o[2]))
    elif mnem in ("csrrwi", "csrrsi", "csrrci"):
        f.update(rd=reg(o[0]), imm=num(o[1]), rs1=num(o[2]))
    elif base in ("lr.w", "lr.d"):
        f.update(rd=reg(o[0]), rs1=reg(o[1].strip("()")))
    elif base.startswith("sc.") or base.startswith("amo"):
        f.update(rd=reg(o[0]), rs2=reg(o[1]), rs1=reg(o[2].strip("()")))
    elif mnem == "fence":
        bits = {"i": 8, "o": 4, "r": 2, "w": 1}
        pred = sum(bits[c] for c in o[0])
        succ = sum(bits[c] for c in o[1])
        f.update(imm=pred << 4 | succ)
    elif mnem == "fence.tso":
        enum = "RV_OP_FENCE"
        f.update(imm=0x33, rm=8)
    elif mnem in ("fence.i", "ecall", "ebreak", "mret", "sret", "wfi"):
        pass
    elif mnem == "sfence.vma":
        f.update(rs1=reg(o[0]), rs2=reg(o[1]))
    elif re.match(r"^f(madd|msub|nmsub|nmadd)\.[sd]$", mnem):
        f.update(rd=freg(o[0]), rs1=freg(o[1]), rs2=freg(o[2]), rs3=freg(o[3]), rm=rm(4))
    elif re.match(r"^f(add|sub|mul|div)\.[sd]$", mnem):
        f.update(rd=freg(o[0]), rs1=freg(o[1]), rs2=freg(o[2]), rm=rm(3))
    elif re.match(r"^f(sgnj|sgnjn|sgnjx|min|max)\.[sd]$", mnem):
        f.update(rd=freg(o[0]), rs1=freg(o[1]), rs2=freg(o[2]))
    elif re.match(r"^f(eq|lt|le)\.[sd]$", mnem):
        f.update(rd=reg(o[0]), rs1=freg(o[1]), rs2=freg(o[2]))
    elif re.match(r"^fsqrt\.[sd]$", mnem) or mnem == "fcvt.s.d":
        f.update(rd=freg(o[0]), rs1=freg(o[1]), rm=rm(2))
    elif mnem == "fcvt.d.s":
        f.update(rd=freg(o[0]), rs1=freg(o[1]), rm=0)  # the assembler writes rm = 0
    elif re.match(r"^fcvt\.(w|wu|l|lu)\.[sd]$", mnem):
        f.update(rd=reg(o[0]), rs1=freg(o[1]), rm=rm(2))
    elif mnem in ("fcvt.d.w", "fcvt.d.wu"):
        f.update(rd=freg(o[0]), rs1=reg(o[1]), rm=0)
    elif re.match(r"^fcvt\.[sd]\.(w|wu|l|lu)$", mnem):
        f.update(rd=freg(o[0]), rs1=reg(o[1]), rm=rm(2))
    elif mnem in ("fmv.x.w", "fmv.x.d", "fclass.s", "fclass.d"):
        f.update(rd=reg(o[0]), rs1=freg(o[1]))
    elif mnem in ("fmv.w.x", "fmv.d.x"):
        f.update(rd=freg(o[0]), rs1=reg(o[1]))
    else:
        raise ValueError(f"no fields for {asm}")
    return enum, f


def full():
    """32-bit instructions: every operation, with edge-case immediates and registers."""
    out = []
    for i, op in enumerate(R_OPS):
        out.append(f"{op} {X[i % 32]},{X[(i + 9) % 32]},{X[(i + 21) % 32]}")
    out += ["add t6,zero,ra", "sub zero,t6,s11"]
    for op in I_OPS:
        out += [f"{op} a0,a1,-2048", f"{op} t6,zero,2047", f"{op} s1,s2,-1"]
    for op, top in (("slli", 63), ("srli", 63), ("srai", 63), ("slli.uw", 63), ("rori", 63),
                    ("bclri", 63), ("bexti", 63), ("binvi", 63), ("bseti", 63), ("slliw", 31),
                    ("srliw", 31), ("sraiw", 31), ("roriw", 31)):
        out += [f"{op} a0,a1,{top}", f"{op} t0,t1,0", f"{op} s0,s1,1"]
    for op in UNARY_OPS:
        out.append(f"{op} a0,t6")
    for op in LOADS + ["jalr"]:
        out += [f"{op} a0,-2048(sp)", f"{op} t6,2047(a5)", f"{op} ra,0(zero)"]
    for op in STORES:
        out += [f"{op} a0,-2048(sp)", f"{op} t6,2047(a5)"]
    out += ["flw fa0,-4(a0)", "fld ft11,2040(sp)", "fsw fs0,-2048(t0)", "fsd fa7,8(s0)"]
    for op in BRANCHES:
        out += [f"{op} a0,a1,.-4096", f"{op} t6,zero,.+4094", f"{op} s0,s1,.+2"]
    out += ["jal ra,.-1048576", "jal zero,.+1048574", "jal t0,.+2"]
    for op in ("lui", "auipc"):
        out += [f"{op} a0,0x80000", f"{op} t6,0xfffff", f"{op} s0,0x7ffff", f"{op} ra,0x1",
                f"{op} zero,0x0"]
    out += ["fence iorw,iorw", "fence r,w", "fence w,r", "fence io,iorw", "fence.tso",
            "fence.i", "ecall", "ebreak", "mret", "sret", "wfi", "sfence.vma zero,zero",
            "sfence.vma a0,a1"]
    for op in ("csrrw", "csrrs", "csrrc"):
        out += [f"{op} a0,0x300,a1", f"{op} zero,0xfff,t6"]
    for op in ("csrrwi", "csrrsi", "csrrci"):
        out += [f"{op} a0,0xc00,31", f"{op} t6,0x800,0"]
    for w in "wd":
        out += [f"lr.{w} a0,(a1)", f"lr.{w}.aqrl t6,(sp)"]
        for op in "sc amoswap amoadd amoxor amoand amoor amomin amomax amominu amomaxu".split():
            out += [f"{op}.{w} a0,a1,(a2)", f"{op}.{w}.aq t0,t1,(t2)",
                    f"{op}.{w}.rl s0,s1,(s2)", f"{op}.{w}.aqrl t6,zero,(ra)"]
    for fmt in "sd":
        for op in "fmadd fmsub fnmsub fnmadd".split():
            out += [f"{op}.{fmt} fa0,fa1,fa2,fa3", f"{op}.{fmt} ft11,ft0,fs11,fs2,rtz"]
        for op in "fadd fsub fmul fdiv".split():
            out += [f"{op}.{fmt} fa0,fa1,fa2", f"{op}.{fmt} ft11,ft0,fs11,rmm",
                    f"{op}.{fmt} fs0,fs1,fs2,rne"]
        out += [f"fsqrt.{fmt} fa0,fa1", f"fsqrt.{fmt} ft0,ft11,rup"]
        for op in "fsgnj fsgnjn fsgnjx fmin fmax".split():
            out.append(f"{op}.{fmt} fa0,fa1,ft11")
        for op in "feq flt fle".split():
            out.append(f"{op}.{fmt} t6,fa1,ft11")
        out.append(f"fclass.{fmt} a0,ft11")
        for it in ("w", "wu", "l", "lu"):
            out += [f"fcvt.{it}.{fmt} a0,fa1", f"fcvt.{it}.{fmt} t6,ft0,rtz"]
            if fmt == "s" or it in ("l", "lu"):
                out += [f"fcvt.{fmt}.{it} fa0,a1", f"fcvt.{fmt}.{it} ft11,t6,rdn"]
    out += ["fcvt.d.w fa0,a1", "fcvt.d.wu ft11,t6", "fcvt.s.d fa0,fa1", "fcvt.s.d ft0,ft1,rtz",
            "fcvt.d.s fa0,fa1", "fmv.x.w a0,fa1", "fmv.w.x fa0,a1", "fmv.x.d t6,ft11",
            "fmv.d.x ft11,t6"]
    return out


# Every compressed form (edge immediates, the highest and lowest registers) and its expansion.
COMPRESSED = [
    ("c.addi4spn a0,sp,4", "addi a0,sp,4"),
    ("c.addi4spn s0,sp,1020", "addi s0,sp,1020"),
    ("c.addi4spn a5,sp,512", "addi a5,sp,512"),
    ("c.fld fa0,0(a1)", "fld fa0,0(a1)"),
    ("c.fld fs0,248(a5)", "fld fs0,248(a5)"),
    ("c.lw a0,0(a1)", "lw a0,0(a1)"),
    ("c.lw s1,124(a5)", "lw s1,124(a5)"),
    ("c.lw a5,64(s0)", "lw a5,64(s0)"),
    ("c.ld a0,8(a1)", "ld a0,8(a1)"),
    ("c.ld a5,248(s0)", "ld a5,248(s0)"),
    ("c.fsd fa5,248(s1)", "fsd fa5,248(s1)"),
    ("c.fsd fs0,0(a0)", "fsd fs0,0(a0)"),
    ("c.sw a0,4(a1)", "sw a0,4(a1)"),
    ("c.sw a5,124(s0)", "sw a5,124(s0)"),
    ("c.sd a0,8(a1)", "sd a0,8(a1)"),
    ("c.sd s0,248(a5)", "sd s0,248(a5)"),
    ("c.nop", "addi zero,zero,0"),
    ("c.addi a0,1", "addi a0,a0,1"),
    ("c.addi t6,-32", "addi t6,t6,-32"),
    ("c.addi sp,31", "addi sp,sp,31"),
    ("c.addiw a0,-1", "addiw a0,a0,-1"),
    ("c.addiw t6,31", "addiw t6,t6,31"),
    ("c.addiw ra,0", "addiw ra,ra,0"),
    ("c.li a0,-32", "addi a0,zero,-32"),
    ("c.li t6,31", "addi t6,zero,31"),
    ("c.addi16sp sp,-512", "addi sp,sp,-512"),
    ("c.addi16sp sp,496", "addi sp,sp,496"),
    ("c.addi16sp sp,16", "addi sp,sp,16"),
    ("c.lui a0,0x1", "lui a0,0x1"),
    ("c.lui t6,0x1f", "lui t6,0x1f"),
    ("c.lui ra,0xfffe0", "lui ra,0xfffe0"),
    ("c.lui s0,0xfffff", "lui s0,0xfffff"),
    ("c.srli a0,1", "srli a0,a0,1"),
    ("c.srli s0,63", "srli s0,s0,63"),
    ("c.srli a5,32", "srli a5,a5,32"),
    ("c.srai a0,1", "srai a0,a0,1"),
    ("c.srai a5,63", "srai a5,a5,63"),
    ("c.andi a0,-32", "andi a0,a0,-32"),
    ("c.andi s1,31", "andi s1,s1,31"),
    ("c.sub a0,a1", "sub a0,a0,a1"),
    ("c.xor s0,a5", "xor s0,s0,a5"),
    ("c.or a5,s0", "or a5,a5,s0"),
    ("c.and a2,a3", "and a2,a2,a3"),
    ("c.subw a0,a1", "subw a0,a0,a1"),
    ("c.addw a5,s0", "addw a5,a5,s0"),
    ("c.j .-2048", "jal zero,.-2048"),
    ("c.j .+2046", "jal zero,.+2046"),
    ("c.j .+2", "jal zero,.+2"),
    ("c.beqz a0,.-256", "beq a0,zero,.-256"),
    ("c.beqz s0,.+254", "beq s0,zero,.+254"),
    ("c.bnez a5,.-2", "bne a5,zero,.-2"),
    ("c.bnez s1,.+254", "bne s1,zero,.+254"),
    ("c.slli a0,1", "slli a0,a0,1"),
    ("c.slli t6,63", "slli t6,t6,63"),
    ("c.slli ra,32", "slli ra,ra,32"),
    ("c.fldsp fa0,0(sp)", "fld fa0,0(sp)"),
    ("c.fldsp ft11,504(sp)", "fld ft11,504(sp)"),
    ("c.lwsp a0,0(sp)", "lw a0,0(sp)"),
    ("c.lwsp t6,252(sp)", "lw t6,252(sp)"),
    ("c.ldsp ra,504(sp)", "ld ra,504(sp)"),
    ("c.ldsp a0,8(sp)", "ld a0,8(sp)"),
    ("c.jr ra", "jalr zero,0(ra)"),
    ("c.jr t6", "jalr zero,0(t6)"),
    ("c.mv a0,a1", "add a0,zero,a1"),
    ("c.mv t6,ra", "add t6,zero,ra"),
    ("c.ebreak", "ebreak"),
    ("c.jalr a0", "jalr ra,0(a0)"),
    ("c.jalr t6", "jalr ra,0(t6)"),
    ("c.add a0,a1", "add a0,a0,a1"),
    ("c.add t6,ra", "add t6,t6,ra"),
    ("c.fsdsp fa0,0(sp)", "fsd fa0,0(sp)"),
    ("c.fsdsp ft11,504(sp)", "fsd ft11,504(sp)"),
    ("c.swsp a0,0(sp)", "sw a0,0(sp)"),
    ("c.swsp t6,252(sp)", "sw t6,252(sp)"),
    ("c.sdsp ra,504(sp)", "sd ra,504(sp)"),
    ("c.sdsp zero,8(sp)", "sd zero,8(sp)"),
]


def encodings(lines):
    """The encoding of each line: assembled (rvc where the line says c.), read back from objdump."""
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = os.path.join(tmp, "t.s"), os.path.join(tmp, "t.o")
        with open(src, "w") as f:
            f.write(".option norelax\n")
            for line in lines:
                f.write((".option rvc\n" if line.startswith("c.") else ".option norvc\n") + line +
                        "\n")
        subprocess.run(["riscv64-unknown-elf-as", "-march=rv64gc_zba_zbb_zbs", src, "-o", obj],
                       check=True)
        dump = subprocess.run(["riscv64-unknown-elf-objdump", "-d", obj], check=True,
                              capture_output=True, text=True).stdout
    words = [int(m.group(1), 16) for m in re.finditer(r"^\s*[0-9a-f]+:\t([0-9a-f]+)\s", dump, re.M)]
    assert len(words) == len(lines), (len(words), len(lines))
    for line, w in zip(lines, words):
        assert (w & 3 != 3) == line.startswith("c."), (line, hex(w))
    return words


def row(word, text, asm32):
    enum, f = fields(asm32)
    vals = ", ".join(f".{k} = {v}" for k, v in sorted(f.items()))
    return f'    {{{word:#010x}, "{text}", {enum}{", " if vals else ""}{vals}}},'


def main():
    lines32 = full()
    words = encodings(lines32 + [c for c, _ in COMPRESSED])
    rows = [row(w, t, t) for w, t in zip(words, lines32)]
    rows += [row(w, c, e) for w, (c, e) in zip(words[len(lines32):], COMPRESSED)]
    with open(os.path.join(HERE, "decode-table.inc"), "w") as f:
        f.write("/* SPDX-License-Identifier: GPL-2.0-or-later */\n")
        f.write("/* Generated by gen-decode-table.py from riscv64-unknown-elf-as: do not edit. */\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
