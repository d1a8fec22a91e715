/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -smp 4: every hart appends its id PER_HART times to one shared buffer,
 * claiming each slot with amoadd, so the buffer records how the harts were
 * interleaved.  Hart 0 waits for all of them and prints the order as runs
 * ("run <hart> <length>"), the count per hart and an FNV-1a hash of the
 * buffer.  The test runs it several times and compares the outputs. */
#include "isa.h"

#define NHARTS   4
#define PER_HART 150000

static volatile uint8_t order[NHARTS * PER_HART];
static volatile uint64_t next_slot;
static volatile uint64_t finished;

int hart_main(uint64_t hartid);

int hart_main(uint64_t hartid)
{
    if (hartid >= NHARTS)
        return 0;
    for (uint64_t i = 0; i < PER_HART; i++) {
        uint64_t slot = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED);
        order[slot] = (uint8_t)hartid;
    }
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
    if (hartid != 0)
        return 0;
    while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) != NHARTS)
        ;

    uint64_t count[NHARTS] = {0}, hash = 0xcbf29ce484222325u, runs = 0;
    for (uint64_t i = 0; i < NHARTS * PER_HART; i++) {
        uint8_t h = order[i];
        /* Every slot was claimed by exactly one amoadd: it holds a hart id. */
        ASSERT_TRUE(1, h < NHARTS);
        count[h]++;
        hash = (hash ^ h) * 0x100000001b3u;
        uint64_t len = 1;
        if (i == 0 || order[i - 1] != h) {
            while (i + len < NHARTS * PER_HART && order[i + len] == h)
                len++;
            uart_puts("run ");
            uart_putdec(h);
            uart_puts(" ");
            uart_putdec(len);
            uart_putc('\n');
            runs++;
        }
    }
    for (int h = 0; h < NHARTS; h++) {
        ASSERT_EQ(2, count[h], PER_HART); /* no claim lost, none doubled */
        uart_puts("hart ");
        uart_putdec((uint64_t)h);
        uart_puts(" appended ");
        uart_putdec(count[h]);
        uart_putc('\n');
    }
    uart_puts("runs ");
    uart_putdec(runs);
    uart_puts(" hash ");
    uart_puthex(hash);
    uart_putc('\n');
    return 0;
}
