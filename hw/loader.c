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

#include "core/hostfile.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* True when [addr, addr+len) lies inside [start, end) without overflow. */
static bool range_inside(uint64_t addr, uint64_t len, uint64_t start, uint64_t end)
{
    return addr >= start && addr <= end && len <= end - addr;
}

static bool load_elf(AddressSpace *as, const char *name, const uint8_t *data, size_t len,
                     hwaddr win_start, hwaddr win_end, LoadedImage *out, Error **errp)
{
    Elf64_Ehdr eh;
    uint64_t low = UINT64_MAX, high = 0;
    unsigned loads = 0;

    if (len < sizeof(eh)) {
        error_setg(errp, "%s: truncated ELF header", name);
        return false;
    }
    memcpy(&eh, data, sizeof(eh));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "%s: not a 64-bit little-endian ELF", name);
        return false;
    }
    if (eh.e_machine != EM_RISCV) {
        error_setg(errp, "%s: ELF for machine %u, not RISC-V", name, eh.e_machine);
        return false;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
        !range_inside(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), 0, len)) {
        error_setg(errp, "%s: bad ELF program header table", name);
        return false;
    }
    /* Check every segment first: all or nothing. */
    for (unsigned pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < eh.e_phnum; i++) {
            Elf64_Phdr ph;

            memcpy(&ph, data + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
            if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
                continue;
            }
            if (pass == 0) {
                if (ph.p_filesz > ph.p_memsz || !range_inside(ph.p_offset, ph.p_filesz, 0, len)) {
                    error_setg(errp, "%s: ELF segment %u lies outside the file", name, i);
                    return false;
                }
                if (!range_inside(ph.p_paddr, ph.p_memsz, win_start, win_end)) {
                    error_setg(errp,
                               "%s: ELF segment %u at 0x%" PRIx64 " (+0x%" PRIx64
                               ") is outside RAM 0x%" PRIx64 "-0x%" PRIx64,
                               name, i, (uint64_t)ph.p_paddr, (uint64_t)ph.p_memsz, win_start,
                               win_end);
                    return false;
                }
                low = MIN(low, ph.p_paddr);
                high = MAX(high, ph.p_paddr + ph.p_memsz);
                loads++;
            } else {
                address_space_write_rom(as, ph.p_paddr, data + ph.p_offset, ph.p_filesz);
                if (ph.p_memsz > ph.p_filesz) {
                    uint8_t *zeros = g_malloc0(MIN(ph.p_memsz - ph.p_filesz, 1u << 20));
                    uint64_t done = ph.p_filesz;
                    while (done < ph.p_memsz) {
                        uint64_t n = MIN(ph.p_memsz - done, 1u << 20);
                        address_space_write_rom(as, ph.p_paddr + done, zeros, n);
                        done += n;
                    }
                    g_free(zeros);
                }
            }
        }
        if (pass == 0 && !loads) {
            error_setg(errp, "%s: ELF has no loadable segment", name);
            return false;
        }
    }
    out->entry = eh.e_entry;
    out->low = low;
    out->high = high;
    out->is_elf = true;
    return true;
}

bool loader_load_buffer(AddressSpace *as, const char *name, const uint8_t *data, size_t len,
                        hwaddr raw_addr, hwaddr win_start, hwaddr win_end, LoadedImage *out,
                        Error **errp)
{
    memset(out, 0, sizeof(*out));
    if (len >= 4 && !memcmp(data, ELFMAG, SELFMAG)) {
        return load_elf(as, name, data, len, win_start, win_end, out, errp);
    }
    if (!range_inside(raw_addr, len, win_start, win_end)) {
        error_setg(errp, "%s: %zu bytes at 0x%" PRIx64 " do not fit in RAM (ends at 0x%" PRIx64 ")",
                   name, len, raw_addr, win_end);
        return false;
    }
    address_space_write_rom(as, raw_addr, data, len);
    out->entry = out->low = raw_addr;
    out->high = raw_addr + len;
    return true;
}

bool loader_load_image(AddressSpace *as, const char *path, hwaddr raw_addr, hwaddr win_start,
                       hwaddr win_end, LoadedImage *out, Error **errp)
{
    char *data = NULL;
    size_t len = 0;
    bool ok;

    /* Nothing bigger than the whole window can fit: refused before a byte is read. */
    if (!hostfile_read_all(NULL, path, HOSTFILE_REGULAR,
                           win_end > win_start ? win_end - win_start : 0, "RAM", &data, &len,
                           errp)) {
        error_prepend(errp, "%s: ", path);
        return false;
    }
    ok = loader_load_buffer(as, path, (const uint8_t *)data, len, raw_addr, win_start, win_end, out,
                            errp);
    g_free(data);
    return ok;
}
