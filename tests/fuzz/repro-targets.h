/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * repro-targets.h - fuzz targets that crash on purpose, for the reproducer
 * and scripts-contract tests, and a tern-fuzz stand-in that runs them.
 */
#ifndef TERN_TESTS_REPRO_TARGETS_H
#define TERN_TESTS_REPRO_TARGETS_H

#include <stdbool.h>

#include "fuzz/fuzz.h"

#define REPRO_UART     0x10000000 /* virt's ns16550a */
#define REPRO_FWCFG    0x10100000
#define REPRO_RAM      0x80000000
#define REPRO_DESC     (REPRO_RAM + 0x1000) /* the fw_cfg DMA descriptor the hook fills */
#define REPRO_DMA_DEST (REPRO_RAM + 0x2000) /* where that transfer puts "QEMU" */
#define REPRO_ARGS     "-M virt -bios none -nodefaults -m 64M -serial null"

/*
 * Target "test-repro", two bytes an operation (op, value): 0 writeb to the
 * UART's scratch register, 1 readb of it, 2 a RAM byte write, 3 a wild
 * write to host address 8 (only when repro_crash_armed), 4 a timer storm
 * (a hang), 5 a fw_cfg DMA whose descriptor a DMA read hook fills as
 * generic-fuzz does ("[DMA] " on stderr under QTEST_LOG) followed by a read
 * of what it transferred, 6 a clock step to the next deadline.
 */
extern bool repro_crash_armed;
void repro_targets_register(void);
/* Frees what pre_fuzz made, after fuzz_stop(). */
void repro_targets_cleanup(void);

/*
 * With "--fuzz-target=" among argv: runs the input files as tern-fuzz
 * without an engine does and returns the exit status; else returns -1.
 */
int repro_targets_fuzz_main(int argc, char **argv);

#endif
