/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sparse-mem.h - generic-fuzz's background memory (shared/spec/fuzzing.md
 * §6.2): one I/O region over the whole guest-physical space, behind every
 * other region (priority -10000), so that a device's DMA to an address where
 * nothing is mapped reads back what the fuzzer put there instead of failing.
 *
 * Storage is 4 KiB blocks, allocated on the first write of a non-zero value
 * while the total stays within 10 MiB; a block never written reads as
 * zeros and zero writes to it are dropped.  Accesses are 1 to 8 bytes
 * (unaligned ones too: see sparse-mem.c).  The blocks are harness state, not device state: the
 * object registers a fuzz harness part whose restore frees every block (the snapshot is taken with
 * none) and whose check fails while one exists. QOM type and region name "sparse-mem"; the object
 * is /machine/sparse-mem.
 */
#ifndef TERN_FUZZ_SPARSE_MEM_H
#define TERN_FUZZ_SPARSE_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/memory.h"

#define TYPE_SPARSE_MEM           "sparse-mem"
#define SPARSE_MEM_PRIORITY       (-10000)
#define SPARSE_MEM_BLOCK_SIZE     4096u
#define SPARSE_MEM_MAX_ALLOCATION (10u * 1024 * 1024)

typedef struct SparseMem SparseMem;

/*
 * Creates the background on the current machine's system memory and
 * registers its harness part.  Fails (nothing created) without a machine,
 * or when the accelerator is not qtest: a guest that runs could fill it.
 */
SparseMem *sparse_mem_create(Error **errp);
MemoryRegion *sparse_mem_region(SparseMem *sm);
/* Whether mr is a sparse-mem background. */
bool sparse_mem_is(const MemoryRegion *mr);
/* Blocks and bytes allocated now. */
size_t sparse_mem_blocks(const SparseMem *sm);
size_t sparse_mem_bytes(const SparseMem *sm);
/* Frees every block (what the harness part's restore does). */
void sparse_mem_clear(SparseMem *sm);

#endif
