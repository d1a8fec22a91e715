/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * workload.c - the hart benchmark's guest: integer work of the kinds real
 * firmware and kernels do (sorting, hashing, walking memory), a fixed
 * amount of it, then the checksum and the instruction count on the UART and
 * exit through sifive_test.  Bare metal, M-mode, no libc: the same ELF runs
 * on Tern and on qemu-system-riscv64 (-bios none -kernel workload.elf).
 */
#include <stddef.h>
#include <stdint.h>

#define UART_THR    ((volatile uint8_t *)0x10000000)
#define UART_LSR    ((volatile uint8_t *)0x10000005)
#define SIFIVE_TEST ((volatile uint32_t *)0x100000)

#define ROUNDS   400
#define SORT_N   4096
#define WALK_LEN (256 * 1024)

static uint64_t sort_buf[SORT_N];
static uint32_t walk_buf[WALK_LEN / 4];

static void put_char(char c)
{
    while (!(*UART_LSR & 0x20)) {
    }
    *UART_THR = (uint8_t)c;
}

static void put_str(const char *s)
{
    while (*s) {
        put_char(*s++);
    }
}

static void put_hex(uint64_t v)
{
    for (int i = 60; i >= 0; i -= 4) {
        put_char("0123456789abcdef"[(v >> i) & 15]);
    }
}

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Heap sort: data-dependent branches and loads. */
static void sift_down(uint64_t *a, size_t start, size_t end)
{
    size_t root = start;

    while (2 * root + 1 <= end) {
        size_t child = 2 * root + 1, swap = root;
        if (a[swap] < a[child]) {
            swap = child;
        }
        if (child + 1 <= end && a[swap] < a[child + 1]) {
            swap = child + 1;
        }
        if (swap == root) {
            return;
        }
        uint64_t t = a[root];
        a[root] = a[swap];
        a[swap] = t;
        root = swap;
    }
}

static uint64_t heap_sort_round(uint64_t *seed)
{
    for (size_t i = 0; i < SORT_N; i++) {
        sort_buf[i] = xorshift(seed);
    }
    for (size_t start = SORT_N / 2; start-- > 0;) {
        sift_down(sort_buf, start, SORT_N - 1);
    }
    for (size_t end = SORT_N - 1; end > 0; end--) {
        uint64_t t = sort_buf[0];
        sort_buf[0] = sort_buf[end];
        sort_buf[end] = t;
        sift_down(sort_buf, 0, end - 1);
    }
    return sort_buf[0] ^ sort_buf[SORT_N / 2] ^ sort_buf[SORT_N - 1];
}

/* FNV-1a over bytes, then a multiply-rotate mix: ALU-bound with byte loads. */
static uint64_t hash_round(const uint8_t *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;

    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * 0x100000001b3u;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    return h ^ (h >> 29);
}

/* A pointer chase through a permutation: cache-unfriendly loads and stores. */
static uint64_t walk_round(uint64_t *seed)
{
    size_t n = WALK_LEN / 4;
    uint64_t sum = 0;
    uint32_t at = 0;

    for (size_t i = 0; i < n; i++) {
        walk_buf[i] = (uint32_t)i;
    }
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = xorshift(seed) % (i + 1);
        uint32_t t = walk_buf[i];
        walk_buf[i] = walk_buf[j];
        walk_buf[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        at = walk_buf[at];
        sum += at;
    }
    return sum;
}

static uint64_t read_instret(void)
{
    uint64_t v;
    __asm__ volatile("csrr %0, minstret" : "=r"(v));
    return v;
}

void workload_main(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15u, check = 0;

    for (int r = 0; r < ROUNDS; r++) {
        check += heap_sort_round(&seed);
        check ^= hash_round((const uint8_t *)sort_buf, sizeof(sort_buf));
        check += walk_round(&seed);
    }
    put_str("checksum ");
    put_hex(check);
    put_str("\ninstret ");
    put_hex(read_instret());
    put_str("\n");
    *SIFIVE_TEST = 0x5555;
    for (;;) {
    }
}
