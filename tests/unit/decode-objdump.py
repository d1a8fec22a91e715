#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""cpu/decode.c against binutils (riscv64-unknown-elf-as and -objdump).

Usage: decode-objdump.py RV-DISAS-TOOL

Prints TAP.  Checks, one TAP test each:
  - a listing of every RV64GC+Zba/Zbb/Zbs instruction (operand and immediate
    edge cases, every register, every CSR number, every rounding mode),
    assembled with -march=rv64gc_zba_zbb_zbs and disassembled with
    objdump -d -M no-aliases, reads the same through rv_disas();
  - the listing reaches every operation of RV_OPS;
  - pseudo-random 32-bit words (fixed seed): decode.c and objdump agree on
    which are instructions and, for those, on the text;
  - every 16-bit compressed word (low bits not 11): they agree on which are
    instructions, and each instruction's 32-bit expansion is what objdump's
    "c.xxx" text means.
Texts are compared after normalising: one space after the mnemonic, no
spaces between operands, objdump's "<symbol>" and "# comment" dropped, and
branch/jump targets compared as numbers.

Known differences between binutils 2.40 and decode.c, allowed by
ALLOWED_OBJDUMP_ONLY and allowed_decode_only() and nowhere else: objdump
rejects FENCE with a nonzero fm (fence.tso aside), rd or rs1, and FENCE.I
with a nonzero imm, rs1 or rd, which the spec has implementations ignore;
objdump rejects fcvt.d.s, fcvt.d.w and fcvt.d.wu with an rm field other than
0; objdump knows uret (the removed N extension), dret and other instructions
outside RV64GC+B; objdump accepts c.addi16sp with a zero immediate, which
the spec reserves.  Where both decode a word, the texts must be equal.

The toolchain is required: without it every test fails.
"""
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

AS = "riscv64-unknown-elf-as"
OBJDUMP = "riscv64-unknown-elf-objdump"
MARCH = "rv64gc_zba_zbb_zbs"

X = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
     "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
     "t3", "t4", "t5", "t6"]
F = ["ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
     "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
     "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"]
RMS = ["", ",rne", ",rtz", ",rdn", ",rup", ",rmm", ",dyn"]
BRANCH_OPS = {"beq", "bne", "blt", "bge", "bltu", "bgeu", "jal"}

# objdump mnemonics of instructions outside RV64GC+Zba/Zbb/Zbs: decode.c calls them illegal.
ALLOWED_OBJDUMP_ONLY = re.compile(
    r"^(uret|dret|hfence\.\S+|hinval\.\S+|hlv\S*|hsv\S*|sinval\.vma|sfence\.w\.inval|"
    r"sfence\.inval\.ir|cbo\.\S+|prefetch\.\S+|pause|czero\.\S+|wrs\.\S+)$")


def allowed_decode_only(op, w):
    """Whether objdump 2.40 rejects this encoding of op although the spec allows it."""
    if op == "fence":  # fm other than 0 (fence.tso aside), rd or rs1 set
        return (w >> 28) != 0 or (w & 0x000FFF80) != 0
    if op == "fence.i":  # imm, rs1 or rd set
        return (w & 0xFFFFFF80) != 0x1000
    if op in ("fcvt.d.s", "fcvt.d.w", "fcvt.d.wu"):  # an rm field other than 0
        return (w >> 12) & 7 != 0
    return False


def listing():
    """The assembly source: every instruction, with edge-case operands."""
    out = []
    regs3 = [(X[i], X[(i + 7) % 32], X[(i + 13) % 32]) for i in range(32)]
    fregs4 = [(F[i], F[(i + 5) % 32], F[(i + 11) % 32], F[(i + 19) % 32]) for i in range(32)]
    imm12 = [-2048, -1, 0, 1, 2047]
    r_ops = ("add sub sll slt sltu xor srl sra or and addw subw sllw srlw sraw mul mulh mulhsu "
             "mulhu div divu rem remu mulw divw divuw remw remuw add.uw sh1add sh2add sh3add "
             "sh1add.uw sh2add.uw sh3add.uw andn orn xnor max maxu min minu rol rolw ror rorw "
             "bclr bext binv bset").split()
    for op in r_ops:
        for rd, rs1, rs2 in regs3[::5] + [("a0", "a1", "zero")]:
            out.append(f"{op} {rd},{rs1},{rs2}")
    for i, (rd, rs1, rs2) in enumerate(regs3):
        out.append(f"add {rd},{rs1},{rs2}")
    for op in "addi slti sltiu xori ori andi addiw".split():
        for imm in imm12:
            out.append(f"{op} a0,t6,{imm}")
    for op in "slli srli srai slli.uw rori bclri bexti binvi bseti".split():
        for sh in (0, 1, 31, 32, 63):
            out.append(f"{op} s1,a5,{sh}")
    for op in "slliw srliw sraiw roriw".split():
        for sh in (0, 1, 31):
            out.append(f"{op} s1,a5,{sh}")
    for op in "clz clzw ctz ctzw cpop cpopw sext.b sext.h zext.h orc.b rev8".split():
        out.append(f"{op} t0,s11")
    for op in "lb lh lw ld lbu lhu lwu jalr".split():
        for imm in imm12:
            out.append(f"{op} a3,{imm}(sp)")
    for op in "flw fld".split():
        for imm in imm12:
            out.append(f"{op} fs3,{imm}(a4)")
    for op in "sb sh sw sd".split():
        for imm in imm12:
            out.append(f"{op} t2,{imm}(s0)")
    for op in "fsw fsd".split():
        for imm in imm12:
            out.append(f"{op} ft11,{imm}(gp)")
    for op in "beq bne blt bge bltu bgeu".split():
        for off in (-4096, -2, 0, 2, 4094):
            out.append(f"{op} a0,s2,.{off:+d}")
    for off in (-1048576, -2, 0, 2, 1048574):
        out.append(f"jal ra,.{off:+d}")
        out.append(f"jal zero,.{off:+d}")
    for op in "lui auipc".split():
        for imm in (0, 1, 0x7FFFF, 0x80000, 0xFFFFF):
            out.append(f"{op} a7,{imm:#x}")
    for pred, succ in (("iorw", "iorw"), ("r", "w"), ("w", "r"), ("i", "o"), ("o", "i"),
                       ("rw", "rw"), ("io", "rw")):
        out.append(f"fence {pred},{succ}")
    out += ["fence.tso", "fence.i", "ecall", "ebreak", "mret", "sret", "wfi",
            "sfence.vma zero,zero", "sfence.vma a0,zero", "sfence.vma a0,a1"]
    for op in "csrrw csrrs csrrc".split():
        out.append(f"{op} a0,mstatus,t1")
        out.append(f"{op} zero,0xfff,zero")
    for op in "csrrwi csrrsi csrrci".split():
        for uimm in (0, 1, 31):
            out.append(f"{op} s5,satp,{uimm}")
    for csr in range(4096):
        out.append(f"csrrs a0,{csr:#x},zero")
    amo = "swap add xor and or min max minu maxu".split()
    for w in "wd":
        for order in ("", ".aq", ".rl", ".aqrl"):
            out.append(f"lr.{w}{order} a0,(a1)")
            out.append(f"sc.{w}{order} a0,a2,(a1)")
            for op in amo:
                out.append(f"amo{op}.{w}{order} t3,s4,(a5)")
    for fmt in "sd":
        for op in "fadd fsub fmul fdiv".split():
            for rm in RMS:
                out.append(f"{op}.{fmt} fa0,fs1,ft10{rm}")
        for rm in RMS:
            out.append(f"fsqrt.{fmt} fa0,fs1{rm}")
        for op in "fmadd fmsub fnmsub fnmadd".split():
            for rm in RMS:
                out.append(f"{op}.{fmt} fa0,fs1,ft10,fs11{rm}")
            for fd, f1, f2, f3 in fregs4[::3]:
                out.append(f"{op}.{fmt} {fd},{f1},{f2},{f3}")
        for op in "fsgnj fsgnjn fsgnjx fmin fmax".split():
            for fd, f1, f2, _ in fregs4[::4]:
                out.append(f"{op}.{fmt} {fd},{f1},{f2}")
        for op in "feq flt fle".split():
            out.append(f"{op}.{fmt} a0,fa1,ft2")
        out.append(f"fclass.{fmt} t4,fs2")
        for it in ("w", "wu", "l", "lu"):
            for rm in RMS:
                out.append(f"fcvt.{it}.{fmt} s6,fa3{rm}")
                if fmt == "s" or it in ("l", "lu"):
                    out.append(f"fcvt.{fmt}.{it} fa3,s6{rm}")
        for fd, f1, _, _ in fregs4:
            out.append(f"fadd.{fmt} {fd},{f1},{fd}")
    out += ["fcvt.d.w fa3,s6", "fcvt.d.wu fa3,s6", "fcvt.d.s ft0,ft1"]
    for rm in RMS:
        out.append(f"fcvt.s.d ft0,ft1{rm}")
    out += ["fmv.x.w a0,ft0", "fmv.w.x ft0,a0", "fmv.x.d t6,ft11", "fmv.d.x ft11,t6"]
    return out


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def objdump_lines(text):
    """(address, hex word, text) for every instruction line of objdump -d."""
    res = []
    for line in text.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(.*)$", line)
        if m:
            res.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return res


def normalise(text):
    text = re.sub(r"\s*#.*$", "", text)
    text = re.sub(r"\s*<[^>]*>$", "", text).strip()
    parts = text.split(None, 1)
    mnem = parts[0]
    ops = re.sub(r"\s+", "", parts[1]) if len(parts) > 1 else ""
    if mnem in BRANCH_OPS and ops:
        head, _, target = ops.rpartition(",")
        value = int(target, 16)
        ops = (head + "," if head else "") + f"{value:#x}"
    return f"{mnem} {ops}".strip()


def tool(tool_path, pairs):
    inp = "".join(f"{pc:x} {w:x}\n" for pc, w in pairs)
    out = run([tool_path], input=inp)
    res = []
    for line in out.splitlines():
        pc, length, op, text = line.split("\t", 3)
        res.append((int(pc, 16), int(length), op, text))
    if len(res) != len(pairs):
        raise RuntimeError(f"rv-disas-tool answered {len(res)} lines for {len(pairs)}")
    return res


def assemble(tmp, name, lines, binary=None):
    src = os.path.join(tmp, name + ".s")
    obj = os.path.join(tmp, name + ".o")
    with open(src, "w") as f:
        f.write(".option norvc\n.option norelax\n")
        f.write("\n".join(lines) + "\n")
    run([AS, "-march=" + MARCH, "-mpriv-spec=1.12", src, "-o", obj])
    return objdump_lines(run([OBJDUMP, "-d", "-M", "no-aliases", obj]))


def is_illegal_objdump(text):
    return text.startswith(".2byte") or text.startswith(".4byte") or text == "c.unimp"


# objdump's compressed mnemonic -> the 32-bit text it stands for; operands as objdump prints them.
def expand_compressed(text):
    mnem, _, ops = normalise(text).partition(" ")
    o = ops.split(",") if ops else []
    same_ops = {"c.fld": "fld", "c.lw": "lw", "c.ld": "ld", "c.fsd": "fsd", "c.sw": "sw",
                "c.sd": "sd", "c.fldsp": "fld", "c.lwsp": "lw", "c.ldsp": "ld", "c.fsdsp": "fsd",
                "c.swsp": "sw", "c.sdsp": "sd", "c.lui": "lui"}
    two_to_three = {"c.addi": "addi", "c.addiw": "addiw", "c.srli": "srli", "c.srai": "srai",
                    "c.andi": "andi", "c.slli": "slli", "c.sub": "sub", "c.xor": "xor",
                    "c.or": "or", "c.and": "and", "c.subw": "subw", "c.addw": "addw",
                    "c.add": "add", "c.addi16sp": "addi"}
    if mnem in same_ops:
        return f"{same_ops[mnem]} {ops}"
    if mnem in two_to_three:
        return f"{two_to_three[mnem]} {o[0]},{o[0]},{o[1]}"
    if mnem in ("c.slli64", "c.srli64", "c.srai64"):
        return f"{mnem[2:6]} {o[0]},{o[0]},0x0"
    if mnem == "c.addi4spn":
        return f"addi {o[0]},{o[1]},{o[2]}"
    if mnem == "c.nop":
        return "addi zero,zero," + (o[0] if o else "0")
    if mnem == "c.li":
        return f"addi {o[0]},zero,{o[1]}"
    if mnem == "c.mv":
        return f"add {o[0]},zero,{o[1]}"
    if mnem == "c.j":
        return f"jal zero,{o[0]}"
    if mnem in ("c.beqz", "c.bnez"):
        return f"{'beq' if mnem == 'c.beqz' else 'bne'} {o[0]},zero,{o[1]}"
    if mnem == "c.jr":
        return f"jalr zero,0({o[0]})"
    if mnem == "c.jalr":
        return f"jalr ra,0({o[0]})"
    if mnem == "c.ebreak":
        return "ebreak"
    return None


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, name, problems):
        self.n += 1
        if problems:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            for p in problems[:30]:
                print(f"# {p}")
            if len(problems) > 30:
                print(f"# ... {len(problems) - 30} more")
        else:
            print(f"ok {self.n} - {name}")
        sys.stdout.flush()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    tool_path = sys.argv[1]
    print("1..5")
    missing = [t for t in (AS, OBJDUMP) if shutil.which(t) is None]
    if missing:
        print(f"Bail out! {', '.join(missing)} not found: install the riscv64-unknown-elf "
              "toolchain (binutils-riscv64-unknown-elf)")
        return 1
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        # 1, 2: the listing
        src = listing()
        dis = assemble(tmp, "listing", src)
        mine = tool(tool_path, [(pc, w) for pc, w, _ in dis])
        problems = []
        if len(dis) != len(src):
            problems.append(f"objdump shows {len(dis)} instructions for {len(src)} source lines")
        for (pc, w, text), (_, _, _, my) in zip(dis, mine):
            if normalise(text) != normalise(my):
                problems.append(f"{pc:x}: {w:08x}: objdump '{text}', decode.c '{my}'")
        tap.check("every instruction of the listing disassembles as objdump shows it", problems)

        ops = set(run([tool_path, "--ops"]).split()[1:])
        seen = {op for _, _, op, _ in mine}
        tap.check("the listing covers every operation of RV_OPS",
                  [f"never decoded: {op}" for op in sorted(ops - seen)])

        # 3: random 32-bit words (not the 48-bit-and-longer space, which .insn rejects)
        rng = random.Random(20261202)
        majors = [0x03, 0x07, 0x0F, 0x13, 0x17, 0x1B, 0x23, 0x27, 0x2F, 0x33, 0x37, 0x3B, 0x43,
                  0x47, 0x4B, 0x4F, 0x53, 0x63, 0x67, 0x6F, 0x73]
        words = []
        for _ in range(150000):
            w = rng.getrandbits(32)
            if rng.random() < 0.8:
                w = (w & ~0x7F) | rng.choice(majors)
                if rng.random() < 0.5:  # funct7 often zero, or one of the common ones
                    w = (w & 0x01FFFFFF) | (rng.choice([0, 0x01, 0x20, 0x04, 0x05, 0x10, 0x14,
                                                        0x24, 0x30, 0x34, 0x2C, 0x2D, 0x60,
                                                        0x61, 0x68, 0x69, 0x70, 0x71, 0x78,
                                                        0x79, 0x50, 0x51, 0x20, 0x21]) << 25)
                if rng.random() < 0.3:  # rs2 field small (FP selectors, unary ops)
                    w = (w & ~(0x1F << 20)) | (rng.randrange(8) << 20)
            w |= 3
            if (w & 0x1C) == 0x1C:
                w &= ~0x10
            words.append(w)
        dis = assemble(tmp, "random", [f".insn {w:#010x}" for w in words])
        mine = tool(tool_path, [(pc, w) for pc, w, _ in dis])
        problems = []
        both = allowed = 0
        if len(dis) != len(words):
            problems.append(f"objdump shows {len(dis)} instructions for {len(words)} words")
        for (pc, w, text), (_, length, op, my) in zip(dis, mine):
            theirs_ok = not is_illegal_objdump(text)
            mine_ok = op != "illegal"
            if length != 4:
                problems.append(f"{w:08x}: length {length}")
            elif theirs_ok and mine_ok:
                both += 1
                if normalise(text) != normalise(my):
                    problems.append(f"{w:08x}: objdump '{text}', decode.c '{my}'")
            elif theirs_ok and not mine_ok:
                allowed += 1
                if not ALLOWED_OBJDUMP_ONLY.match(normalise(text).split(" ")[0]):
                    problems.append(f"{w:08x}: objdump '{text}', decode.c illegal")
            elif mine_ok and not theirs_ok:
                allowed += 1
                if not allowed_decode_only(op, w):
                    problems.append(f"{w:08x}: objdump '{text}', decode.c '{my}'")
        print(f"# {len(words)} random words: {both} instructions to both, {allowed} to one of "
              "them by a known difference")
        tap.check("pseudo-random 32-bit words decode as objdump decodes them", problems)

        # 4, 5: every compressed word
        cwords = [w for w in range(65536) if (w & 3) != 3]
        binpath = os.path.join(tmp, "compressed.bin")
        with open(binpath, "wb") as f:
            f.write(b"".join(struct.pack("<H", w) for w in cwords))
        dis = objdump_lines(run([OBJDUMP, "-b", "binary", "-m", "riscv:rv64", "-D", "-M",
                                 "no-aliases", binpath]))
        mine = tool(tool_path, [(pc, w) for pc, w, _ in dis])
        legality, expansion = [], []
        if [w for _, w, _ in dis] != cwords:
            legality.append("objdump did not show one 16-bit word a line")
        for (pc, w, text), (_, length, op, my) in zip(dis, mine):
            theirs_ok = not is_illegal_objdump(text)
            mine_ok = op != "illegal"
            if length != 2:
                legality.append(f"{w:04x}: length {length}")
            if theirs_ok != mine_ok:
                # the spec reserves c.addi16sp with a zero immediate; objdump 2.40 accepts it
                if not (text.startswith("c.addi16sp") and normalise(text).endswith(",0")):
                    legality.append(f"{w:04x}: objdump '{text}', decode.c '{my}'")
            elif mine_ok:
                want = expand_compressed(text)
                if want is None or normalise(want) != normalise(my):
                    expansion.append(f"{w:04x}: objdump '{text}' (= '{want}'), decode.c '{my}'")
        tap.check("decode.c and objdump agree on which 16-bit words are instructions", legality)
        tap.check("every compressed instruction expands to the 32-bit form objdump names",
                  expansion)
    print(f"# {tap.failed} of {tap.n} failed")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
