/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ISA test programs' runtime: UART output, pass/fail through sifive_test,
 * and the M-mode trap handler that records mcause/mtval/mepc for the tests to
 * check. An expected exception (trap_expect set) is recorded and the trapping
 * instruction skipped (or execution resumes in M-mode at trap_resume); an
 * unexpected one ends the test with its details on the UART. */
#include "isa.h"

volatile uint64_t trap_count, trap_cause, trap_tval, trap_epc, trap_mpp, trap_expect, trap_resume,
    irq_count, trap_mstatus;
void (*volatile irq_hook)(uint64_t cause);
int (*volatile trap_hook)(struct trap_frame *f, uint64_t cause);

void uart_putc(char c)
{
    while (!(*(volatile uint8_t *)(UART_BASE + 5) & 0x20))
        ;
    *(volatile uint8_t *)UART_BASE = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_puthex(uint64_t v)
{
    uart_puts("0x");
    for (int i = 60; i >= 0; i -= 4)
        uart_putc("0123456789abcdef"[(v >> i) & 15]);
}

void uart_putdec(uint64_t v)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        uart_putc(buf[--i]);
}

static _Noreturn void finish(uint32_t value)
{
    *(volatile uint32_t *)SIFIVE_TEST = value;
    for (;;)
        __asm__ volatile("wfi");
}

_Noreturn void test_pass(void)
{
    finish(0x5555);
}

_Noreturn void test_fail(uint64_t n)
{
    uint32_t code = (n >= 1 && n <= 254) ? (uint32_t)n : 255;
    uart_puts("FAIL: case ");
    uart_putdec(n);
    if (trap_count) {
        uart_puts(" (last trap: mcause ");
        uart_puthex(trap_cause);
        uart_puts(" mtval ");
        uart_puthex(trap_tval);
        uart_puts(" mepc ");
        uart_puthex(trap_epc);
        uart_puts(")");
    }
    uart_putc('\n');
    finish(code << 16 | 0x3333);
}

void check_eq_fail(uint64_t n, uint64_t got, uint64_t want)
{
    uart_puts("case ");
    uart_putdec(n);
    uart_puts(": got ");
    uart_puthex(got);
    uart_puts(" want ");
    uart_puthex(want);
    uart_putc('\n');
    test_fail(n);
}

static _Noreturn void unexpected(struct trap_frame *f, uint64_t cause, uint64_t epc, uint64_t tval)
{
    uart_puts("unexpected trap: mcause ");
    uart_puthex(cause);
    uart_puts(" mepc ");
    uart_puthex(epc);
    uart_puts(" mtval ");
    uart_puthex(tval);
    uart_putc('\n');
    test_fail(f->x[3]);
}

static void set_mpp(uint64_t mode)
{
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, mode << 11);
}

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
    uint64_t cause = csr_read(mcause), epc = csr_read(mepc), tval = csr_read(mtval);

    if (trap_hook && trap_hook(f, cause))
        return;
    if ((int64_t)cause < 0) {
        if (!irq_hook)
            unexpected(f, cause, epc, tval);
        irq_count++;
        irq_hook(cause);
        return;
    }
    if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S || cause == CAUSE_ECALL_M) &&
        f->x[17] == ECALL_TO_M) {
        set_mpp(PRV_M);
        csr_write(mepc, epc + 4);
        return;
    }
    trap_count++;
    trap_cause = cause;
    trap_tval = tval;
    trap_epc = epc;
    trap_mstatus = csr_read(mstatus);
    trap_mpp = (trap_mstatus >> 11) & 3;
    if (!trap_expect)
        unexpected(f, cause, epc, tval);
    trap_expect = 0;
    if (trap_resume) {
        csr_write(mepc, trap_resume);
        trap_resume = 0;
        set_mpp(PRV_M);
        return;
    }
    if (cause == CAUSE_FETCH_ACCESS || cause == CAUSE_FETCH_PAGE || cause == CAUSE_MISALIGNED_FETCH)
        unexpected(f, cause, epc, tval);
    uint16_t parcel = *(volatile uint16_t *)epc;
    csr_write(mepc, epc + ((parcel & 3) == 3 ? 4 : 2));
}

/*
 * Calls target; if the call (its fetch or anything it does) traps, the trap
 * handler resumes here, in M-mode, and try_call returns.  For checks that a
 * jump faults (PMP X, page permissions).
 */
__asm__(".text\n"
        ".globl try_call\n"
        "try_call:\n"
        "  la t0, 1f\n"
        "  la t1, trap_resume\n"
        "  sd t0, 0(t1)\n"
        "  mv t2, ra\n"
        "  jalr a0\n"
        "1: mv ra, t2\n"
        "  ret\n");
