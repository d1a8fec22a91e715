/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader.c - ELF and raw images into guest memory (see loader.h).
 *
 * The ELF reader trusts nothing in the file: every offset, size and address
 * is checked for overflow and against the file and the window before a byte
 * is copied, and nothing is copied unless every segment checks out.
 */
#include "hw/loader.h"

#include <elf.h>
#include <string.h>
#include <glib.h>


#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* True when [addr, addr+len) lies inside [start, end) without overflow. */
static bool range_inside(uint64_t addr, uint64_t len, uint64_t start, uint64_t end)
{
    return addr >= start && addr <= end && len <= end - addr;
}

/* A PT_LOAD segment that passed its own checks, waiting for the overlap check and the copy. */
typedef struct ElfSegment {
    unsigned index; /* in the program header table, for messages */
    uint64_t addr, memsz, offset, filesz;
} ElfSegment;

static int elf_segment_compare(const void *a, const void *b)
{
    const ElfSegment *x = a, *y = b;

    if (x->addr != y->addr) {
        return x->addr < y->addr ? -1 : 1;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The ELF header: the identification bytes first (so that a 32-bit or
 * big-endian file is named as such even when shorter than a 64-bit header),
 * then the fields Tern relies on.  OSABI and ABI version are not looked at:
 * they say nothing about where bytes go (bare-metal toolchains leave 0,
 * Linux ones 3), and QEMU ignores them too.
 */
static bool elf_check_header(const char *name, const uint8_t *data, size_t len, Elf64_Ehdr *eh,
                             Error **errp)
{
    if (len < EI_NIDENT) {
        error_setg(errp, "%s: truncated ELF header", name);
        return false;
    }
    if (data[EI_CLASS] == ELFCLASS32) {
        error_setg(errp, "%s: 32-bit ELF (ELFCLASS32): only 64-bit RISC-V images can be loaded",
                   name);
        return false;
    }
    if (data[EI_CLASS] != ELFCLASS64) {
        error_setg(errp, "%s: bad ELF class %u", name, data[EI_CLASS]);
        return false;
    }
    if (data[EI_DATA] == ELFDATA2MSB) {
        error_setg(errp, "%s: big-endian ELF (ELFDATA2MSB): RISC-V images are little-endian", name);
        return false;
    }
    if (data[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "%s: bad ELF data encoding %u", name, data[EI_DATA]);
        return false;
    }
    if (data[EI_VERSION] != EV_CURRENT) {
        error_setg(errp, "%s: ELF version %u, not 1 (EV_CURRENT)", name, data[EI_VERSION]);
        return false;
    }
    if (len < sizeof(*eh)) {
        error_setg(errp, "%s: truncated ELF header", name);
        return false;
    }
    memcpy(eh, data, sizeof(*eh));
    if (eh->e_version != EV_CURRENT) {
        error_setg(errp, "%s: ELF version %u, not 1 (EV_CURRENT)", name, eh->e_version);
        return false;
    }
    if (eh->e_machine != EM_RISCV) {
        error_setg(errp, "%s: ELF for machine %u, not RISC-V", name, eh->e_machine);
        return false;
    }
    /* ET_DYN: static-PIE firmware and kernels are loaded where they say, unrelocated (as QEMU). */
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
        error_setg(errp, "%s: ELF type %u is not an executable (ET_EXEC or ET_DYN)", name,
                   eh->e_type);
        return false;
    }
    if (eh->e_ehsize != sizeof(*eh)) {
        error_setg(errp, "%s: ELF header size %u, not %zu", name, eh->e_ehsize, sizeof(*eh));
        return false;
    }
    if (eh->e_phentsize != sizeof(Elf64_Phdr)) {
        error_setg(errp, "%s: ELF program header size %u, not %zu", name, eh->e_phentsize,
                   sizeof(Elf64_Phdr));
        return false;
    }
    if (eh->e_phnum == 0) {
        error_setg(errp, "%s: ELF has no program headers", name);
        return false;
    }
    /* The real count would be in section 0's sh_info: no kernel needs 65535 headers. */
    if (eh->e_phnum == PN_XNUM) {
        error_setg(errp, "%s: ELF uses extended program header numbering (PN_XNUM)", name);
        return false;
    }
    if (!range_inside(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), 0, len)) {
        error_setg(errp, "%s: ELF program header table lies outside the file", name);
        return false;
    }
    return true;
}

/* One PT_LOAD program header against the file and the window. */
static bool elf_check_segment(const char *name, unsigned i, const Elf64_Phdr *ph, size_t len,
                              hwaddr win_start, hwaddr win_end, Error **errp)
{
    if (ph->p_filesz > ph->p_memsz) {
        error_setg(errp,
                   "%s: ELF segment %u holds 0x%" PRIx64 " bytes of file in 0x%" PRIx64
                   " bytes of memory",
                   name, i, (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
        return false;
    }
    if (!range_inside(ph->p_offset, ph->p_filesz, 0, len)) {
        error_setg(errp, "%s: ELF segment %u lies outside the file", name, i);
        return false;
    }
    if (ph->p_memsz > UINT64_MAX - ph->p_paddr) {
        error_setg(errp,
                   "%s: ELF segment %u at 0x%" PRIx64 " (+0x%" PRIx64
                   ") wraps around the address space",
                   name, i, (uint64_t)ph->p_paddr, (uint64_t)ph->p_memsz);
        return false;
    }
    if (!range_inside(ph->p_paddr, ph->p_memsz, win_start, win_end)) {
        error_setg(errp,
                   "%s: ELF segment %u at 0x%" PRIx64 " (+0x%" PRIx64 ") is outside RAM 0x%" PRIx64
                   "-0x%" PRIx64,
                   name, i, (uint64_t)ph->p_paddr, (uint64_t)ph->p_memsz, win_start, win_end);
        return false;
    }
    return true;
}

/*
 * All or nothing: every header and segment is checked, and the segments
 * against each other, before the first byte is written to guest memory.
 * e_entry is not checked: the virt board starts at the lowest loaded
 * address (as QEMU's riscv boards do), and QEMU accepts an entry point
 * outside every segment too.
 */
static bool load_elf(AddressSpace *as, const char *name, const uint8_t *data, size_t len,
                     hwaddr win_start, hwaddr win_end, const LoaderClaim *claim, LoadedImage *out,
                     Error **errp)
{
    Elf64_Ehdr eh;
    ElfSegment *segs;
    unsigned loads = 0;
    bool ok = false;

    if (!elf_check_header(name, data, len, &eh, errp)) {
        return false;
    }
    segs = g_new(ElfSegment, eh.e_phnum);
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, data + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || (ph.p_memsz == 0 && ph.p_filesz == 0)) {
            continue; /* an empty PT_LOAD puts nothing anywhere */
        }
        if (!elf_check_segment(name, i, &ph, len, win_start, win_end, errp)) {
            goto out;
        }
        segs[loads++] = (ElfSegment){i, ph.p_paddr, ph.p_memsz, ph.p_offset, ph.p_filesz};
    }
    if (!loads) {
        error_setg(errp, "%s: ELF has no loadable segment", name);
        goto out;
    }
    /* Sorted by address, a segment that overlaps any other overlaps its successor. */
    qsort(segs, loads, sizeof(*segs), elf_segment_compare);
    for (unsigned k = 1; k < loads; k++) {
        if (segs[k].addr - segs[k - 1].addr < segs[k - 1].memsz) {
            error_setg(errp, "%s: ELF segment %u overlaps segment %u", name,
                       MAX(segs[k].index, segs[k - 1].index),
                       MIN(segs[k].index, segs[k - 1].index));
            goto out;
        }
    }
    for (unsigned k = 0; claim && k < loads; k++) {
        if (segs[k].memsz && !claim->fn(claim->opaque, segs[k].addr, segs[k].memsz, errp)) {
            goto out;
        }
    }

    for (unsigned k = 0; k < loads; k++) {
        const ElfSegment *seg = &segs[k];

        address_space_write_rom(as, seg->addr, data + seg->offset, seg->filesz);
        if (seg->memsz > seg->filesz) {
            uint8_t *zeros = g_malloc0(MIN(seg->memsz - seg->filesz, 1u << 20));
            uint64_t done = seg->filesz;

            while (done < seg->memsz) {
                uint64_t n = MIN(seg->memsz - done, 1u << 20);
                address_space_write_rom(as, seg->addr + done, zeros, n);
                done += n;
            }
            g_free(zeros);
        }
    }
    out->entry = eh.e_entry;
    out->low = segs[0].addr;
    out->high = segs[loads - 1].addr + segs[loads - 1].memsz;
    out->is_elf = true;
    ok = true;
out:
    g_free(segs);
    return ok;
}

bool loader_load_buffer(AddressSpace *as, const char *name, const uint8_t *data, size_t len,
                        hwaddr raw_addr, hwaddr win_start, hwaddr win_end, const LoaderClaim *claim,
                        LoadedImage *out, Error **errp)
{
    memset(out, 0, sizeof(*out));
    if (len >= 4 && !memcmp(data, ELFMAG, SELFMAG)) {
        return load_elf(as, name, data, len, win_start, win_end, claim, out, errp);
    }
    if (!range_inside(raw_addr, len, win_start, win_end)) {
        error_setg(errp, "%s: %zu bytes at 0x%" PRIx64 " do not fit in RAM (ends at 0x%" PRIx64 ")",
                   name, len, raw_addr, win_end);
        return false;
    }
    if (claim && len && !claim->fn(claim->opaque, raw_addr, len, errp)) {
        return false;
    }
    address_space_write_rom(as, raw_addr, data, len);
    out->entry = out->low = raw_addr;
    out->high = raw_addr + len;
    return true;
}
