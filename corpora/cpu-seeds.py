#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# cpu-seeds.py - writes the seed inputs of the cpu fuzz target (corpora/cpu/)
# from hand-written instructions, encoded here (no toolchain needed).  The
# input format is docs/fuzzing.md's "cpu": a mode byte (privilege, paging,
# delegation, FP, SUM/MXR, interrupts), a byte giving the number of register
# seeds (9 bytes each), then the code, copied to 0x80001000 and run from its
# first byte.  Registers the target sets before the code runs: gp = s0 = the
# data window, sp its top, s1 = the 4 KiB-page region (0x140000000), a0 UART,
# a1 virtio slot 0, a2 CLINT, a3 PLIC, a4 RTC, a5 fw_cfg, a6 sifive-test,
# a7 the Sv39 root; RAM and device addresses as the start mode sees them.
# A jump to address 0 ends a run (the fetch fault's handler waits in WFI).
#
# Usage: corpora/cpu-seeds.py [CORPORA-DIR]   (default: beside this script)
import os
import struct
import sys

U, S, M = 0, 1, 2
BARE, SV39, SV48 = 0 << 2, 1 << 2, 2 << 2
DELEGATE, FP_OFF, SUM_MXR, INTERRUPTS = 0x10, 0x20, 0x40, 0x80

REG = {n: i for i, n in enumerate(
    "zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 "
    "s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6".split())}
CSR = {"sstatus": 0x100, "sie": 0x104, "stvec": 0x105, "sscratch": 0x140, "sepc": 0x141,
       "scause": 0x142, "stval": 0x143, "sip": 0x144, "satp": 0x180, "mstatus": 0x300,
       "misa": 0x301, "medeleg": 0x302, "mideleg": 0x303, "mie": 0x304, "mtvec": 0x305,
       "menvcfg": 0x30a, "mscratch": 0x340, "mepc": 0x341, "mcause": 0x342, "mtval": 0x343,
       "mip": 0x344, "pmpcfg0": 0x3a0, "pmpaddr0": 0x3b0, "pmpaddr1": 0x3b1, "mcycle": 0xb00,
       "minstret": 0xb02, "cycle": 0xc00, "time": 0xc01, "instret": 0xc02, "mhartid": 0xf14,
       "fflags": 0x001, "frm": 0x002, "fcsr": 0x003, "mcountinhibit": 0x320,
       "mhpmcounter3": 0xb03}


def r(x):
    return REG[x] if isinstance(x, str) else x


class Prog:
    """A few RV64GC encodings (unprivileged spec ch. 2, 16, 34; privileged ch. 3) and labels."""

    def __init__(self):
        self.out = bytearray()
        self.labels = {}
        self.fixups = []

    # ---- formats
    def w(self, word):
        self.out += struct.pack("<I", word & 0xffffffff)
        return self

    def h(self, half):
        self.out += struct.pack("<H", half & 0xffff)
        return self

    def i(self, op, f3, rd, rs1, imm):
        return self.w((imm & 0xfff) << 20 | r(rs1) << 15 | f3 << 12 | r(rd) << 7 | op)

    def s(self, op, f3, rs2, rs1, imm):
        return self.w(((imm >> 5) & 0x7f) << 25 | r(rs2) << 20 | r(rs1) << 15 | f3 << 12 |
                      (imm & 0x1f) << 7 | op)

    def rr(self, op, f3, f7, rd, rs1, rs2):
        return self.w(f7 << 25 | r(rs2) << 20 | r(rs1) << 15 | f3 << 12 | r(rd) << 7 | op)

    def label(self, name):
        self.labels[name] = len(self.out)
        return self

    def _branch(self, f3, rs1, rs2, target):
        self.fixups.append(("b", len(self.out), f3, r(rs1), r(rs2), target))
        return self.w(0)

    def resolve(self):
        for kind, at, f3, rs1, rs2, target in self.fixups:
            off = self.labels[target] - at
            if kind == "la":  # auipc rd, 0 then addi rd, rd, off
                assert -2048 <= off < 2048
                self.out[at + 4:at + 8] = struct.pack(
                    "<I", (off & 0xfff) << 20 | rs1 << 15 | rs1 << 7 | 0x13)
                continue
            if kind == "b":
                word = (((off >> 12) & 1) << 31 | ((off >> 5) & 0x3f) << 25 | rs2 << 20 |
                        rs1 << 15 | f3 << 12 | ((off >> 1) & 0xf) << 8 | ((off >> 11) & 1) << 7 |
                        0x63)
            else:
                word = (((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 |
                        ((off >> 11) & 1) << 20 | ((off >> 12) & 0xff) << 12 | rs1 << 7 | 0x6f)
            self.out[at:at + 4] = struct.pack("<I", word)
        return bytes(self.out)

    # ---- integer
    def addi(self, rd, rs1, imm): return self.i(0x13, 0, rd, rs1, imm)
    def andi(self, rd, rs1, imm): return self.i(0x13, 7, rd, rs1, imm)
    def slli(self, rd, rs1, sh): return self.i(0x13, 1, rd, rs1, sh)
    def addiw(self, rd, rs1, imm): return self.i(0x1b, 0, rd, rs1, imm)
    def add(self, rd, a, b): return self.rr(0x33, 0, 0, rd, a, b)
    def sub(self, rd, a, b): return self.rr(0x33, 0, 0x20, rd, a, b)
    def xor(self, rd, a, b): return self.rr(0x33, 4, 0, rd, a, b)
    def mul(self, rd, a, b): return self.rr(0x33, 0, 1, rd, a, b)
    def div(self, rd, a, b): return self.rr(0x33, 4, 1, rd, a, b)
    def remu(self, rd, a, b): return self.rr(0x33, 7, 1, rd, a, b)
    def mulhu(self, rd, a, b): return self.rr(0x33, 3, 1, rd, a, b)
    def lui(self, rd, imm20): return self.w((imm20 & 0xfffff) << 12 | r(rd) << 7 | 0x37)
    def auipc(self, rd, imm20): return self.w((imm20 & 0xfffff) << 12 | r(rd) << 7 | 0x17)

    def li(self, rd, value):
        """A 32-bit signed value: lui + addiw (or addi alone)."""
        if -2048 <= value < 2048:
            return self.addi(rd, "zero", value)
        lo = ((value & 0xfff) ^ 0x800) - 0x800
        hi = ((value - lo) >> 12) & 0xfffff
        self.lui(rd, hi)
        return self.addiw(rd, rd, lo) if lo else self

    def lb(self, rd, rs1, imm=0): return self.i(0x03, 0, rd, rs1, imm)
    def lh(self, rd, rs1, imm=0): return self.i(0x03, 1, rd, rs1, imm)
    def lw(self, rd, rs1, imm=0): return self.i(0x03, 2, rd, rs1, imm)
    def ld(self, rd, rs1, imm=0): return self.i(0x03, 3, rd, rs1, imm)
    def lbu(self, rd, rs1, imm=0): return self.i(0x03, 4, rd, rs1, imm)
    def sb(self, rs2, rs1, imm=0): return self.s(0x23, 0, rs2, rs1, imm)
    def sh(self, rs2, rs1, imm=0): return self.s(0x23, 1, rs2, rs1, imm)
    def sw(self, rs2, rs1, imm=0): return self.s(0x23, 2, rs2, rs1, imm)
    def sd(self, rs2, rs1, imm=0): return self.s(0x23, 3, rs2, rs1, imm)
    def beq(self, a, b, t): return self._branch(0, a, b, t)
    def bne(self, a, b, t): return self._branch(1, a, b, t)
    def blt(self, a, b, t): return self._branch(4, a, b, t)
    def bltu(self, a, b, t): return self._branch(6, a, b, t)

    def jal(self, rd, target):
        self.fixups.append(("j", len(self.out), 0, r(rd), 0, target))
        return self.w(0)

    def la(self, rd, target):
        """auipc + addi: the address of a label."""
        self.fixups.append(("la", len(self.out), 0, r(rd), 0, target))
        return self.auipc(rd, 0).w(0)

    def jalr(self, rd, rs1, imm=0): return self.i(0x67, 0, rd, rs1, imm)
    def end(self): return self.jalr("zero", "zero", 0)  # fetch fault at 0: the run ends

    # ---- Zba/Zbb
    def sh1add(self, rd, a, b): return self.rr(0x33, 2, 0x10, rd, a, b)
    def clz(self, rd, a): return self.i(0x13, 1, rd, a, 0x600)
    def cpop(self, rd, a): return self.i(0x13, 1, rd, a, 0x602)
    def rev8(self, rd, a): return self.i(0x13, 5, rd, a, 0x6b8)

    # ---- system
    def csrrw(self, rd, csr, rs1): return self.i(0x73, 1, rd, rs1, CSR[csr])
    def csrrs(self, rd, csr, rs1): return self.i(0x73, 2, rd, rs1, CSR[csr])
    def csrrc(self, rd, csr, rs1): return self.i(0x73, 3, rd, rs1, CSR[csr])
    def csrrwi(self, rd, csr, uimm): return self.i(0x73, 5, rd, uimm, CSR[csr])
    def csrrsi(self, rd, csr, uimm): return self.i(0x73, 6, rd, uimm, CSR[csr])
    def csrr(self, rd, csr): return self.csrrs(rd, csr, "zero")
    def csrw(self, csr, rs1): return self.csrrw("zero", csr, rs1)
    def ecall(self): return self.w(0x00000073)
    def ebreak(self): return self.w(0x00100073)
    def mret(self): return self.w(0x30200073)
    def sret(self): return self.w(0x10200073)
    def wfi(self): return self.w(0x10500073)
    def fence(self): return self.w(0x0ff0000f)
    def fence_i(self): return self.w(0x0000100f)
    def sfence_vma(self, a="zero", b="zero"): return self.rr(0x73, 0, 0x09, "zero", a, b)
    def illegal(self): return self.w(0xffffffff)

    # ---- A
    def amo(self, f5, f3, rd, rs2, rs1, aq=0, rl=0):
        return self.rr(0x2f, f3, f5 << 2 | aq << 1 | rl, rd, rs1, rs2)

    def lr_d(self, rd, rs1): return self.amo(0x02, 3, rd, 0, rs1, aq=1)
    def sc_d(self, rd, rs2, rs1): return self.amo(0x03, 3, rd, rs2, rs1, rl=1)
    def amoadd_d(self, rd, rs2, rs1): return self.amo(0x00, 3, rd, rs2, rs1)
    def amoswap_w(self, rd, rs2, rs1): return self.amo(0x01, 2, rd, rs2, rs1)
    def amomaxu_d(self, rd, rs2, rs1): return self.amo(0x1c, 3, rd, rs2, rs1)
    def amoor_w(self, rd, rs2, rs1): return self.amo(0x08, 2, rd, rs2, rs1)

    # ---- F/D (rm 7: dynamic)
    def fp(self, f7, rd, rs1, rs2, rm=7): return self.rr(0x53, rm, f7, rd, rs1, rs2)
    def fadd_d(self, rd, a, b): return self.fp(0x01, rd, a, b)
    def fmul_d(self, rd, a, b): return self.fp(0x09, rd, a, b)
    def fdiv_d(self, rd, a, b): return self.fp(0x0d, rd, a, b)
    def fsqrt_d(self, rd, a): return self.fp(0x2d, rd, a, 0)
    def fdiv_s(self, rd, a, b): return self.fp(0x0c, rd, a, b)
    def fcvt_d_l(self, rd, a): return self.fp(0x69, rd, a, 2)
    def fcvt_l_d(self, rd, a, rm=1): return self.fp(0x61, rd, a, 2, rm)
    def fcvt_s_d(self, rd, a): return self.fp(0x20, rd, a, 1)
    def fmv_x_d(self, rd, a): return self.fp(0x71, rd, a, 0, 0)
    def fmv_d_x(self, rd, a): return self.fp(0x79, rd, a, 0, 0)
    def fclass_d(self, rd, a): return self.fp(0x71, rd, a, 0, 1)
    def fmin_d(self, rd, a, b): return self.fp(0x15, rd, a, b, 0)
    def feq_d(self, rd, a, b): return self.fp(0x51, rd, a, b, 2)

    def fmadd_d(self, rd, a, b, c):
        return self.w(r(c) << 27 | 1 << 25 | r(b) << 20 | r(a) << 15 | 7 << 12 | r(rd) << 7 | 0x43)

    def fld(self, rd, rs1, imm=0): return self.i(0x07, 3, rd, rs1, imm)
    def fsd(self, rs2, rs1, imm=0): return self.s(0x27, 3, rs2, rs1, imm)

    # ---- C (quadrant 1 and 2 forms used below)
    def c_li(self, rd, imm):
        return self.h(0x4001 | ((imm >> 5) & 1) << 12 | r(rd) << 7 | (imm & 0x1f) << 2)

    def c_addi(self, rd, imm):
        return self.h(0x0001 | ((imm >> 5) & 1) << 12 | r(rd) << 7 | (imm & 0x1f) << 2)

    def c_mv(self, rd, rs2): return self.h(0x8002 | r(rd) << 7 | r(rs2) << 2)
    def c_add(self, rd, rs2): return self.h(0x9002 | r(rd) << 7 | r(rs2) << 2)
    def c_nop(self): return self.h(0x0001)
    def c_ebreak(self): return self.h(0x9002)

    def c_sdsp(self, rs2, off):  # off: multiple of 8, < 512
        return self.h(0xe002 | ((off >> 3) & 7) << 10 | ((off >> 6) & 7) << 7 | r(rs2) << 2)

    def c_ldsp(self, rd, off):
        return self.h(0x6002 | ((off >> 5) & 1) << 12 | r(rd) << 7 | ((off >> 3) & 3) << 5 |
                      ((off >> 6) & 7) << 2)


def seed(mode, prog, regs=()):
    """The mode byte, the register seeds, the code."""
    out = bytes([mode, len(regs)])
    for reg, value in regs:
        out += bytes([r(reg)]) + struct.pack("<Q", value & 0xffffffffffffffff)
    return out + prog.resolve()


# ---- programs ---------------------------------------------------------------------------------

def mixed():
    """Every kind at once, in a form each privilege and paging mode runs: memory, ALU, AMO, FP,
    a counter, ecall, and a byte to the UART."""
    p = Prog()
    p.li("t1", 0x12345678).sd("t1", "gp", 0).ld("t2", "gp", 0).add("t3", "t1", "t2")
    p.sd("t3", "gp", 8).mul("t4", "t1", "t1").sd("t4", "gp", 16)
    p.addi("t5", "gp", 24).li("t6", 5).amoadd_d("t4", "t6", "t5").amoadd_d("t4", "t6", "t5")
    p.fcvt_d_l(1, "t1").fadd_d(2, 1, 1).fsd(2, "gp", 32)
    p.csrr("s2", "cycle").ecall().li("t1", 0x41).sb("t1", "a0", 0).lbu("t2", "a0", 5)
    return p.end()


def m_csrs():
    """M-mode CSRs: scratch, status bits, misa, delegation, interrupts, PMP, counters, illegal
    numbers, a read-only write."""
    p = Prog()
    # mscratch is the handler's save area: put back before anything traps
    p.li("t1", 0x5a5).csrrw("t2", "mscratch", "t1").csrrw("t3", "mscratch", "t2").sd("t3", "gp", 0)
    p.csrr("t1", "misa").csrr("t2", "mhartid").csrr("t3", "mstatus").csrr("t4", "mip")
    p.li("t1", -1).csrrw("t2", "medeleg", "t1").csrrw("t2", "mideleg", "t1")
    p.csrrw("t2", "mie", "t1").csrw("mie", "zero").csrrs("t2", "mtvec", "zero")
    p.li("t1", 0x1 << 17).csrrs("zero", "mstatus", "t1").ld("t2", "gp", 0)
    p.csrrc("zero", "mstatus", "t1")
    p.csrrwi("zero", "mcountinhibit", 5).csrr("t2", "minstret").csrr("t3", "mcycle")
    p.csrr("t2", "mhpmcounter3").csrr("t1", "pmpaddr1").csrr("t1", "pmpcfg0")
    p.w(0x7c0022f3)           # csrr t0, 0x7c0 (custom, none here): illegal
    p.csrrwi("zero", "mhartid", 1)  # read-only: illegal
    p.csrr("t1", "menvcfg").csrr("t1", "time")
    return p.end()


def s_csrs():
    """S-mode CSRs (and M ones it may not touch)."""
    p = Prog()
    p.li("t1", 0x777).csrrw("t2", "sscratch", "t1").csrrw("t3", "sscratch", "t2").sd("t3", "gp", 0)
    p.csrr("t1", "sstatus").csrr("t2", "sie").csrr("t3", "sip").csrr("t4", "satp")
    p.csrrsi("zero", "sie", 2).csrr("t1", "stvec").csrr("t1", "cycle").csrr("t1", "instret")
    p.csrr("t1", "mstatus")   # illegal from S
    p.csrw("mscratch", "t1")  # illegal from S
    p.csrr("t1", "scause").csrr("t1", "stval").csrr("t1", "sepc")
    return p.end()


def u_csrs():
    """U-mode: counters and the FP CSRs are allowed, the rest traps."""
    p = Prog()
    p.csrr("t1", "cycle").csrr("t2", "instret").csrr("t3", "time")
    p.csrrwi("t4", "frm", 3).csrr("t5", "fcsr").csrrwi("zero", "fflags", 0x1f)
    p.csrr("t1", "sstatus").csrr("t1", "mstatus").csrw("satp", "zero")
    p.sret().mret().wfi().sfence_vma()
    return p.end()


def amo():
    """LR/SC pairs (one that succeeds, one broken by a store), AMOs of both widths, a misaligned
    AMO, an AMO on MMIO."""
    p = Prog()
    p.li("t1", 100).sd("t1", "gp", 0)
    p.lr_d("t2", "gp").addi("t2", "t2", 1).sc_d("t3", "t2", "gp").sd("t3", "gp", 8)
    p.lr_d("t2", "gp").sd("zero", "gp", 16).sc_d("t3", "t2", "gp")
    p.sc_d("t4", "t2", "gp")  # no reservation
    p.li("t1", 7).addi("t5", "gp", 24).amoswap_w("t2", "t1", "t5").amoor_w("t2", "t1", "t5")
    p.amomaxu_d("t2", "t1", "t5")
    p.addi("t5", "gp", 3).amoadd_d("t2", "t1", "t5")  # misaligned: store/AMO fault
    p.amoswap_w("t2", "t1", "a0")                    # on the UART
    return p.end()


def fp():
    """D and F: conversions, arithmetic, fused multiply-add, square root of -1, division by zero,
    rounding modes, NaN-boxing, classes, flags."""
    p = Prog()
    p.li("t1", 10).fcvt_d_l(1, "t1").li("t1", 3).fcvt_d_l(2, "t1").fdiv_d(3, 1, 2)
    p.fmadd_d(4, 3, 2, 1).fsd(4, "gp", 0).fcvt_l_d("t2", 3).sd("t2", "gp", 8)
    p.li("t1", -1).fcvt_d_l(5, "t1").fsqrt_d(6, 5).fclass_d("t3", 6)
    p.fmv_d_x(7, "zero").fdiv_d(8, 1, 7).fmin_d(9, 7, 5).feq_d("t4", 6, 6)
    p.fcvt_s_d(10, 3).fdiv_s(11, 10, 1)  # a D value read as S: not NaN-boxed
    p.csrrwi("zero", "frm", 2).fdiv_d(12, 1, 2).csrrwi("zero", "frm", 5).fdiv_d(12, 1, 2)
    p.fmv_x_d("t5", 12).csrr("t6", "fflags").sd("t6", "gp", 16).fld(13, "gp", 0)
    return p.end()


def mmu(user, mprv=False):
    """Loads and stores over the 4 KiB-page region (s1): read-only, execute-only, not dirty,
    not accessed, reserved W, user, invalid, global, user RX, a pointer at level 0, a reserved
    bit; the user megapage; the misaligned megapage; RAM in the upper half; sfence.vma."""
    p = Prog()
    if mprv:  # M: loads and stores translated as S (MPRV, MPP = S)
        p.li("t1", (1 << 17) | (1 << 11)).csrrs("zero", "mstatus", "t1")
    for page in range(12):
        p.li("t1", page * 0x1000).add("t2", "s1", "t1").ld("t3", "t2", 0).sd("t1", "t2", 8)
    p.li("t1", 1).slli("t1", "t1", 21).add("t2", "s1", "t1").sd("t1", "t2", 0).ld("t3", "t2", 0)
    p.add("t2", "t2", "t1").ld("t3", "t2", 0)
    if not user:
        p.sfence_vma().li("t1", -1).slli("t1", "t1", 38).ld("t3", "t1", 0)
        p.li("t2", 0x1000).add("t2", "s1", "t2").jalr("ra", "t2", 0)  # execute the read-only page
    return p.end()


def ecall_xret():
    """M: mret to S at a label; S: ecall (the M handler skips it), sret to U; U: ecall, ebreak,
    c.ebreak, then a jump to 0 ends the run."""
    p = Prog()
    p.la("t1", "s").csrw("mepc", "t1")
    p.li("t2", 3 << 11).csrrc("zero", "mstatus", "t2")
    p.li("t2", 1 << 11).csrrs("zero", "mstatus", "t2").mret()  # MPP := S
    p.label("s").ecall().la("t1", "u").csrw("sepc", "t1")
    p.li("t2", 1 << 8).csrrc("zero", "sstatus", "t2").sret()  # SPP := U
    p.label("u").ecall().ebreak().c_ebreak().c_nop()
    return p.end()


def wfi_timer():
    """M with interrupts: the CLINT's mtimecmp 50 ticks ahead, a loop until the timer interrupt
    (its handler clears mie), a software interrupt by msip, then wfi ends the run."""
    p = Prog()
    p.li("t1", 0xbff8).add("t1", "a2", "t1").ld("t2", "t1", 0).addi("t2", "t2", 50)
    p.li("t3", 0x4000).add("t3", "a2", "t3").sd("t2", "t3", 0)
    p.li("t4", 2000).label("loop").addi("t4", "t4", -1).bne("t4", "zero", "loop")
    p.li("t5", 8).csrrs("zero", "mie", "t5").li("t5", 1).sw("t5", "a2", 0).sw("zero", "a2", 0)
    p.csrr("t6", "mip").wfi()
    return p.end()


def fence_i():
    """Self-modifying code: an addi written over a later instruction, fence.i, then run; and a
    store into the instruction just ahead without fence.i."""
    p = Prog()
    p.auipc("t1", 0).lw("t2", "t1", 6 * 4).sw("t2", "t1", 7 * 4).fence_i()
    p.fence().jal("zero", "patched")
    p.label("src").addi("s2", "zero", 0x2a)  # copied over the next word
    p.label("patched").illegal()
    p.auipc("t1", 0).li("t2", 0x00100993).sw("t2", "t1", 16)  # addi s3, zero, 1 over the illegal
    p.illegal()
    return p.end()


def devices():
    """One access to each device: UART, virtio slot 7 (the devices fill the last slots), CLINT,
    PLIC, RTC, fw_cfg (the signature), and the end."""
    p = Prog()
    p.li("t1", 0x48).sb("t1", "a0", 0).li("t1", 1).sb("t1", "a0", 1).lbu("t2", "a0", 5)
    p.li("t1", 0x7000).add("t1", "a1", "t1").lw("t2", "t1", 0).lw("t3", "t1", 8)
    p.lw("t4", "t1", 0x70).li("t5", 0xbff8).add("t5", "a2", "t5").ld("t6", "t5", 0)
    p.li("t1", 1).sw("t1", "a3", 40).li("t2", 0x2000).add("t2", "a3", "t2").li("t3", 0x400)
    p.sw("t3", "t2", 0).li("t2", 0x200004).add("t2", "a3", "t2").lw("t3", "t2", 0)
    p.lw("t1", "a4", 0).lw("t2", "a4", 4)
    p.sh("zero", "a5", 8).lbu("t1", "a5", 0).lbu("t2", "a5", 0).lbu("t3", "a5", 0)
    p.lw("t4", "a1", 0)  # an empty virtio slot
    p.ld("s2", "zero", 0x40)  # below the devices
    return p.end()


def sifive_test():
    """A PASS written to sifive-test: the guest's shutdown request ends the input."""
    p = Prog()
    p.li("t1", 0x5555).sw("t1", "a6", 0).li("t2", 1)
    return p.end()


def compressed():
    """Compressed forms mixed with 32-bit ones, misaligned loads and stores, Zba/Zbb, divide by
    zero, an illegal word and zeros (c.unimp) the handler steps over in 2-byte units."""
    p = Prog()
    p.c_li("t1", 5).c_addi("t1", -3).c_mv("t2", "t1").c_add("t2", "t1").c_sdsp("t2", 8)
    p.c_ldsp("t3", 8).addi("t4", "gp", 3).sd("t2", "t4", 0).ld("t5", "t4", 0).lw("t5", "t4", 2)
    p.sh1add("s2", "t1", "t2").clz("s3", "t1").cpop("s4", "t2").rev8("s5", "t2")
    p.div("s6", "t1", "zero").remu("s7", "t1", "zero").mulhu("s8", "t1", "t1")
    p.illegal().h(0).h(0).c_nop()
    return p.end()


def delegated():
    """U with exceptions delegated to S: ecall, illegal, a page fault and a load from a device,
    each handled by the S handler."""
    p = Prog()
    p.ecall().illegal().ld("t1", "zero", 0).li("t1", 0x41).sb("t1", "a0", 0)
    p.csrr("t2", "cycle")
    return p.end()


def seeds():
    out = {}
    names = {M: "m", S: "s", U: "u"}
    pagings = {BARE: "bare", SV39: "sv39", SV48: "sv48"}
    for priv, pn in names.items():
        for paging, gn in pagings.items():
            out["mixed-%s-%s" % (pn, gn)] = seed(priv | paging, mixed())
    out["csr-m"] = seed(M, m_csrs())
    out["csr-s-sv39"] = seed(S | SV39, s_csrs())
    out["csr-u-bare"] = seed(U, u_csrs())
    out["amo-s-sv48"] = seed(S | SV48, amo())
    out["amo-u-sv39"] = seed(U | SV39, amo())
    out["fp-m"] = seed(M, fp())
    out["fp-u-sv39"] = seed(U | SV39, fp())
    out["fp-off-s"] = seed(S | FP_OFF, fp())
    out["mmu-s-sv39"] = seed(S | SV39, mmu(False))
    out["mmu-s-sv48-sum-mxr"] = seed(S | SV48 | SUM_MXR, mmu(False))
    out["mmu-u-sv39"] = seed(U | SV39, mmu(True))
    out["mmu-m-mprv"] = seed(M | SV39, mmu(False, mprv=True))
    out["ecall-xret-m"] = seed(M, ecall_xret())
    out["ecall-xret-m-sv39"] = seed(M | SV39, ecall_xret())  # U cannot fetch the S page: ends
    out["wfi-timer-m"] = seed(M | INTERRUPTS, wfi_timer())
    out["fence-i-s-sv39"] = seed(S | SV39, fence_i())
    out["fence-i-m"] = seed(M, fence_i())
    out["devices-m"] = seed(M, devices())
    out["devices-s-sv48"] = seed(S | SV48, devices())
    out["devices-u-sv39"] = seed(U | SV39, devices())
    out["sifive-test-pass-m"] = seed(M, sifive_test())
    out["compressed-u-bare"] = seed(U, compressed())
    out["delegated-u-sv39"] = seed(U | SV39 | DELEGATE | INTERRUPTS, delegated())
    # Register seeds: a0 pointed at the data window, t6 at a loop count.
    p = Prog().sd("t6", "a0", 0).addi("t6", "t6", -1).c_nop()
    out["regs-m"] = seed(M, p.end(), regs=[("a0", 0x80100040), ("t6", 0x11223344)])
    return out


def dictionary():
    """libFuzzer dictionary entries: whole instructions a mutation rarely makes by chance."""
    words = {}

    def add(name, prog):
        words[name] = bytes(prog.resolve())

    for op in ("ecall", "ebreak", "mret", "sret", "wfi", "fence", "fence_i", "sfence_vma"):
        add(op, getattr(Prog(), op)())
    for name in ("mstatus", "satp", "mie", "mip", "medeleg", "mideleg", "mtvec", "stvec",
                 "sstatus", "sie", "pmpcfg0", "pmpaddr0", "misa", "fcsr", "cycle", "time"):
        add("csrrw_t0_" + name, Prog().csrrw("t1", name, "t0"))
        add("csrrs_t0_" + name, Prog().csrrs("t1", name, "t0"))
    add("lr_d", Prog().lr_d("t1", "gp"))
    add("sc_d", Prog().sc_d("t2", "t1", "gp"))
    add("amoadd_d", Prog().amoadd_d("t2", "t1", "gp"))
    add("ld_a0", Prog().ld("t1", "a0", 0))
    add("sw_a2", Prog().sw("t1", "a2", 0))
    add("sd_s1", Prog().sd("t1", "s1", 0))
    add("jr_zero", Prog().end())
    lines = []
    for name, data in words.items():
        lines.append('%s="%s"' % (name, "".join("\\x%02x" % b for b in data)))
    return "# cpu fuzz target: instructions (corpora/cpu-seeds.py writes this file)\n" + \
        "\n".join(lines) + "\n"


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    d = os.path.join(root, "cpu")
    os.makedirs(d, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    with open(os.path.join(d, "cpu.dict"), "w") as f:
        f.write(dictionary())


if __name__ == "__main__":
    main()
