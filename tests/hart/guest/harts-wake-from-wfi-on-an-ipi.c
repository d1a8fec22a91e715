/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -smp 4: harts 1..3 enable the machine software interrupt (mie.MSIE, with
 * mstatus.MIE off so no trap is taken) and wait in WFI; hart 0 sends each an
 * IPI through the CLINT's msip, one at a time, and waits for its report.  A
 * woken hart checks the IPI was really sent (a hart that leaves WFI on its
 * own keeps waiting, as WFI may return early; one that sees MSIP before
 * hart 0 sent it is a failure), clears its msip and reports "hart N woke by
 * IPI after K WFI return(s)".  Hart 0 then prints the order the reports came in. */
#include "isa.h"

#define NHARTS 4

static volatile uint64_t ready, woke_count, sent[NHARTS], wfi_returns[NHARTS];
static volatile uint64_t woke_order[NHARTS];
static volatile uint32_t print_lock;

static void lock(void)
{
    while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
        ;
}

static void unlock(void)
{
    __atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

int hart_main(uint64_t hartid);

int hart_main(uint64_t hartid)
{
    if (hartid >= NHARTS)
        return 0;
    if (hartid != 0) {
        csr_write(mie, MIP_MSIP);
        __atomic_fetch_add(&ready, 1, __ATOMIC_RELEASE);
        for (;;) {
            __asm__ volatile("wfi");
            wfi_returns[hartid]++;
            if (csr_read(mip) & MIP_MSIP)
                break;
        }
        if (!sent[hartid]) {
            lock();
            uart_puts("hart ");
            uart_putdec(hartid);
            uart_puts(" saw MSIP before the IPI was sent\n");
            unlock();
            test_fail(hartid);
        }
        MMIO32(CLINT_MSIP + 4 * hartid) = 0;
        lock();
        uart_puts("hart ");
        uart_putdec(hartid);
        uart_puts(" woke by IPI after ");
        uart_putdec(wfi_returns[hartid]);
        uart_puts(" WFI return(s)\n");
        unlock();
        uint64_t slot = __atomic_fetch_add(&woke_count, 1, __ATOMIC_ACQ_REL);
        woke_order[slot] = hartid;
        for (;;)
            __asm__ volatile("wfi");
    }

    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) != NHARTS - 1)
        ;
    /* Let the harts reach WFI: a fixed number of instructions on this hart. */
    for (volatile int i = 0; i < 1000; i++)
        ;
    for (uint64_t h = 1; h < NHARTS; h++) {
        sent[h] = 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        MMIO32(CLINT_MSIP + 4 * h) = 1;
        while (__atomic_load_n(&woke_count, __ATOMIC_ACQUIRE) != h)
            ;
    }
    lock();
    uart_puts("hart 0: woken in order");
    for (int i = 0; i < NHARTS - 1; i++) {
        uart_putc(' ');
        uart_putdec(woke_order[i]);
    }
    uart_putc('\n');
    unlock();
    return 0;
}
