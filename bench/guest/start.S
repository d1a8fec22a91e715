/* SPDX-License-Identifier: GPL-2.0-or-later */
/* start.S - the benchmark guest's entry: a stack, cleared .bss, workload_main. */
    .section .text.start
    .globl _start
_start:
    la sp, __stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call workload_main
3:  j 3b
