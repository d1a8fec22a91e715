/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ISA test programs' runtime interface, for C and assembly: machine
 * addresses, CSR bits, the trap recorder's variables, and the TEST_* macros
 * that assembly tests are written with. A failing check ends the program
 * through sifive_test with the case number as exit status and prints
 * "FAIL: case N" on the UART. Case numbers are 1..254. */
#ifndef ISA_H
#define ISA_H

#define UART_BASE      0x10000000
#define SIFIVE_TEST    0x100000
#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8
#define PLIC_BASE      0xc000000
/* Nothing is mapped here on virt (between the CLINT and the PCIe PIO window). */
#define UNMAPPED_ADDR 0x2010000

#define MSTATUS_SIE        (1 << 1)
#define MSTATUS_MIE        (1 << 3)
#define MSTATUS_SPIE       (1 << 5)
#define MSTATUS_MPIE       (1 << 7)
#define MSTATUS_SPP        (1 << 8)
#define MSTATUS_MPP        (3 << 11)
#define MSTATUS_MPP_S      (1 << 11)
#define MSTATUS_FS         (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_MPRV       (1 << 17)
#define MSTATUS_SUM        (1 << 18)
#define MSTATUS_MXR        (1 << 19)

#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)
#define MIP_SEIP (1 << 9)
#define MIP_MEIP (1 << 11)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* An ecall with a7 = ECALL_TO_M returns to the instruction after it in M-mode. */
#define ECALL_TO_M 0x4d4d4d4d
#define FRAME_SIZE 256

#ifdef __ASSEMBLER__

#define TESTNUM gp

/* Fails the current case unless a == b (registers; clobbers nothing). */
#define FAIL_IF_NE(a, b)                                                                           \
    beq a, b, 1f;                                                                                  \
    j fail_test;                                                                                   \
    1:

/* Case n: runs the code, then reg must hold expected (t6 is the scratch). */
#define TEST_CASE(n, reg, expected, ...)                                                           \
    li TESTNUM, n;                                                                                 \
    __VA_ARGS__;                                                                                   \
    li t6, expected;                                                                               \
    FAIL_IF_NE(reg, t6)

/* Case n: the code must trap exactly once with mcause = cause (t5, t6 scratch).
 * The handler skips the trapping instruction. */
#define TEST_TRAP(n, cause, ...)                                                                   \
    li TESTNUM, n;                                                                                 \
    la t5, trap_expect;                                                                            \
    li t6, 1;                                                                                      \
    sd t6, 0(t5);                                                                                  \
    __VA_ARGS__;                                                                                   \
    la t5, trap_expect;                                                                            \
    ld t6, 0(t5);                                                                                  \
    FAIL_IF_NE(t6, zero);                                                                          \
    la t5, trap_cause;                                                                             \
    ld t6, 0(t5);                                                                                  \
    li t5, cause;                                                                                  \
    FAIL_IF_NE(t6, t5)

/* reg must equal the last trap's mtval (t5, t6 scratch). */
#define CHECK_TVAL(reg)                                                                            \
    la t5, trap_tval;                                                                              \
    ld t6, 0(t5);                                                                                  \
    FAIL_IF_NE(reg, t6)

/* Case n: the one instruction given must be an illegal instruction with
 * mtval = its 32-bit encoding. */
#define TEST_ILLEGAL(n, ...)                                                                       \
    TEST_TRAP(n, CAUSE_ILLEGAL, 7 : __VA_ARGS__);                                                  \
    la a1, 7b;                                                                                     \
    lwu a1, 0(a1);                                                                                 \
    CHECK_TVAL(a1)

#define TEST_BEGIN                                                                                 \
    .text;                                                                                         \
    .globl main;                                                                                   \
    main:

#define TEST_PASS tail test_pass

#else /* C */

#include <stdint.h>

struct trap_frame {
    uint64_t x[32];
};

extern volatile uint64_t trap_count, trap_cause, trap_tval, trap_epc, trap_mpp, trap_expect,
    trap_resume, irq_count, trap_mstatus;
/* Called for every interrupt; must clear its source. */
extern void (*volatile irq_hook)(uint64_t cause);
/* Called first for every trap; returns nonzero when it handled the trap. */
extern int (*volatile trap_hook)(struct trap_frame *f, uint64_t cause);

void uart_putc(char c);
void uart_puts(const char *s);
void uart_puthex(uint64_t v);
void uart_putdec(uint64_t v);
_Noreturn void test_pass(void);
_Noreturn void test_fail(uint64_t n);
/* Continues the caller in privilege mode `mode` (PRV_S or PRV_U). */
void goto_priv(int mode);
/* Back to M-mode (an ecall the trap handler recognises). */
void goto_m(void);

#define STR_(x) #x
#define STR(x)  STR_(x)
#define csr_read(csr)                                                                              \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("csrr %0, " STR(csr) : "=r"(v_));                                         \
        v_;                                                                                        \
    })
#define csr_write(csr, v) __asm__ volatile("csrw " STR(csr) ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v)   __asm__ volatile("csrs " STR(csr) ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " STR(csr) ", %0" ::"r"((uint64_t)(v)) : "memory")

#define MMIO32(a)   (*(volatile uint32_t *)(uintptr_t)(a))
#define MMIO64(a)   (*(volatile uint64_t *)(uintptr_t)(a))

/* Sets the case number reported by an unexpected trap. */
#define SET_TEST(n) __asm__ volatile("mv gp, %0" ::"r"((uint64_t)(n)))

/* Calls target; returns (in M-mode) whether or not the call traps (runtime.c). */
void try_call(uint64_t target);

void check_eq_fail(uint64_t n, uint64_t got, uint64_t want);
#define ASSERT_EQ(n, got, want)                                                                    \
    do {                                                                                           \
        uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);                                      \
        if (g_ != w_)                                                                              \
            check_eq_fail((n), g_, w_);                                                            \
    } while (0)
#define ASSERT_TRUE(n, cond) ASSERT_EQ(n, !!(cond), 1)

#endif
#endif
