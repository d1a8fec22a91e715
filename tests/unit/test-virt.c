/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-virt.c - the virt board through tern_init(): memory map, object
 * paths and QEMU's aliases, interrupt wiring from devices through the PLIC
 * and CLINT to the harts, the reset vector and fw_dynamic info, images
 * (raw and ELF kernels, initrd), ROM blobs restored on reset, and the device
 * tree as dtc decompiles it from -machine dumpdtb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>

#include "core/machine.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/runstate.h"
#include "core/tern.h"
#include "cpu/hart.h"
#include "hw/fdt.h"
#include "hw/sysbus.h"
#include "hw/virt.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/tern-argv.h"
#include "tests/support/tmpdir.h"

#define INIT(...) tern_init(TERN_ARGC(__VA_ARGS__), TERN_ARGV(__VA_ARGS__), &error_abort)

static int teardown(void **state)
{
    tern_cleanup();
    return 0;
}

static RVHart *hart(unsigned socket, unsigned i)
{
    char *path = g_strdup_printf("/machine/soc%u/harts[%u]", socket, i);
    Object *obj = object_resolve_path_type(path, TYPE_RISCV_CPU, NULL);

    g_free(path);
    assert_non_null(obj);
    return RV_HART(obj);
}

/* ---- map and paths ------------------------------------------------------------------- */

static void test_ram_and_mrom_are_where_qemu_puts_them(void **state)
{
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-m", "64M"),
                     TERN_INIT_RUN);
    hwtest_write(0x80000000, 8, 0x1122334455667788ull);
    assert_int_equal(hwtest_read(0x80000000, 8), 0x1122334455667788ull);
    hwtest_write(0x80000000 + (64 << 20) - 8, 8, 7);
    assert_int_equal(hwtest_read(0x80000000 + (64 << 20) - 8, 8), 7);
    /* Past the end of RAM and in the holes: reads 0. */
    assert_int_equal(hwtest_read(0x80000000 + (64 << 20), 4), 0);
    assert_int_equal(hwtest_read(0x0, 4), 0);
    /* The reset vector's first instruction: auipc t0, 0. */
    assert_int_equal(hwtest_read(0x1000, 4), 0x00000297);
}

static void test_devices_have_readable_paths_and_qemu_aliases(void **state)
{
    static const struct {
        const char *alias, *canonical;
    } aliases[] = {
        {"/machine/unattached/device[0]", "/machine/mswi0"},
        {"/machine/unattached/device[1]", "/machine/mtimer0"},
        {"/machine/unattached/device[2]", "/machine/plic0"},
        {"/machine/unattached/device[3]", "/machine/test"},
        {"/machine/unattached/device[14]", "/machine/uart0"},
        {"/machine/unattached/device[15]", "/machine/rtc"},
    };

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    assert_non_null(object_resolve_path("/machine/soc0", NULL));
    assert_string_equal(object_get_typename(object_resolve_path("/machine/soc0", NULL)),
                        "riscv.hart_array");
    assert_string_equal(object_get_typename(OBJECT(hart(0, 0))), "rv64-riscv-cpu");
    for (size_t i = 0; i < G_N_ELEMENTS(aliases); i++) {
        Object *a = object_resolve_path(aliases[i].alias, NULL);
        Object *c = object_resolve_path(aliases[i].canonical, NULL);
        assert_non_null(c);
        assert_ptr_equal(a, c);
    }
    assert_string_equal(object_get_typename(object_resolve_path("/machine/plic0", NULL)),
                        "riscv.sifive.plic");
    assert_string_equal(object_get_typename(object_resolve_path("/machine/uart0", NULL)),
                        "serial-mm");
}

static void test_fw_cfg_reports_signature_and_harts(void **state)
{
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-smp", "3"),
                     TERN_INIT_RUN);
    assert_non_null(object_resolve_path("/machine/fw_cfg", NULL));
    hwtest_write(0x10100008, 2, 0x0000); /* select the signature (big-endian selector) */
    assert_int_equal(hwtest_read(0x10100000, 4), 0x554d4551);
    hwtest_write(0x10100008, 2, 0x0500); /* NB_CPUS */
    assert_int_equal(hwtest_read(0x10100000, 2), 3);
}

static void test_smp_creates_harts_across_sockets(void **state)
{
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-smp", "4,sockets=2"),
                     TERN_INIT_RUN);
    assert_int_equal(hart(0, 0)->hartid, 0);
    assert_int_equal(hart(0, 1)->hartid, 1);
    assert_int_equal(hart(1, 0)->hartid, 2);
    assert_int_equal(hart(1, 1)->hartid, 3);
    assert_non_null(object_resolve_path("/machine/plic1", NULL));
    /* Every hart starts at the MROM reset vector in M-mode. */
    assert_int_equal(hart(1, 1)->env.pc, 0x1000);
    assert_int_equal(hart(1, 1)->env.priv, RV_PRIV_M);
}

/* ---- interrupt wiring ----------------------------------------------------------------- */

static void test_clint_msip_reaches_the_hart(void **state)
{
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-smp", "2"),
                     TERN_INIT_RUN);
    hwtest_write(0x2000004, 4, 1); /* msip[1] */
    assert_int_equal(hart(0, 1)->env.mip & (1u << RV_IRQ_MSIP), 1u << RV_IRQ_MSIP);
    assert_int_equal(hart(0, 0)->env.mip & (1u << RV_IRQ_MSIP), 0);
    hwtest_write(0x2000004, 4, 0);
    assert_int_equal(hart(0, 1)->env.mip & (1u << RV_IRQ_MSIP), 0);
}

static void test_aclint_on_adds_supervisor_software_interrupts(void **state)
{
    assert_int_equal(INIT("-M", "virt,aclint=on", "-accel", "qtest", "-bios", "none"),
                     TERN_INIT_RUN);
    /* QEMU's numbering shifts by one: the SSWI is device[2], the PLIC device[3]. */
    assert_ptr_equal(object_resolve_path("/machine/unattached/device[2]", NULL),
                     object_resolve_path("/machine/sswi0", NULL));
    assert_ptr_equal(object_resolve_path("/machine/unattached/device[3]", NULL),
                     object_resolve_path("/machine/plic0", NULL));
    hwtest_write(0x2F00000, 4, 1);
    assert_true(hart(0, 0)->env.mip & (1u << RV_IRQ_SSIP));
}

static void test_clint_timer_reaches_the_hart(void **state)
{
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    hwtest_write(0x2004000, 8, 0); /* mtimecmp[0] = 0 <= mtime: pending at once */
    assert_true(hart(0, 0)->env.mip & (1u << RV_IRQ_MTIP));
    hwtest_write(0x2004000, 8, UINT64_MAX);
    assert_false(hart(0, 0)->env.mip & (1u << RV_IRQ_MTIP));
}

static void test_uart_interrupt_reaches_meip_through_the_plic(void **state)
{
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-serial", "null"),
                     TERN_INIT_RUN);
    /* PLIC: source 10 priority 1, enabled for context 0 (hart 0 M-mode), threshold 0. */
    hwtest_write(0xc000000 + 4 * 10, 4, 1);
    hwtest_write(0xc002000, 4, 1u << 10);
    hwtest_write(0xc200000, 4, 0);
    /* UART: THR-empty interrupt enabled raises its line. */
    hwtest_write(0x10000001, 1, 0x02);
    assert_true(hart(0, 0)->env.mip & (1u << RV_IRQ_MEIP));
    assert_false(hart(0, 0)->env.mip & (1u << RV_IRQ_SEIP));
    /* Claim gives source 10. */
    assert_int_equal(hwtest_read(0xc200004, 4), 10);
}

/* ---- boot: reset vector, images, device tree ----------------------------------------- */

static void test_reset_vector_and_fw_dynamic_info(void **state)
{
    /* auipc t0, 0; addi a2, t0, 40; csrr a0, mhartid; ld a1, 32(t0); ld t0, 24(t0); jr t0 */
    static const uint32_t code[] = {0x00000297, 0x02828613, 0xf1402573,
                                    0x0202b583, 0x0182b283, 0x00028067};
    VirtMachineState *s;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    for (unsigned i = 0; i < G_N_ELEMENTS(code); i++) {
        assert_int_equal(hwtest_read(0x1000 + 4 * i, 4), code[i]);
    }
    assert_int_equal(hwtest_read(0x1018, 8), 0x80000000);
    /* 128 MiB of RAM: the tree sits at 0x87e00000, as on QEMU 7.2. */
    assert_int_equal(hwtest_read(0x1020, 8), 0x87e00000);
    assert_int_equal(s->fdt_addr, 0x87e00000);
    assert_int_equal(hwtest_read(0x87e00000, 4), 0xedfe0dd0);
    assert_int_equal(hwtest_read(0x1028, 8), 0x4942534f); /* magic */
    assert_int_equal(hwtest_read(0x1030, 8), 2);          /* version */
    assert_int_equal(hwtest_read(0x1038, 8), 0);          /* next_addr: no kernel */
    assert_int_equal(hwtest_read(0x1040, 8), 1);          /* next_mode: S */
    /* The MROM ignores guest writes. */
    hwtest_write(0x1000, 4, 0);
    assert_int_equal(hwtest_read(0x1000, 4), 0x00000297);
}

static char *write_temp(const void *data, size_t len)
{
    return tmpfile_new("tern-img-XXXXXX", data, (ssize_t)len);
}

static void test_raw_kernel_and_initrd_are_placed_as_qemu(void **state)
{
    char *kernel = write_temp("KERNEL!!", 8);
    char *initrd = write_temp("INITRD", 6);
    VirtMachineState *s;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", kernel,
                          "-initrd", initrd, "-append", "console=ttyS0"),
                     TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    /* -bios none: the kernel at the start of RAM; the initrd 64 MiB (RAM/2) above it. */
    assert_int_equal(s->kernel_entry, 0x80000000);
    assert_int_equal(hwtest_read(0x80000000, 8), 0x21214c454e52454bull); /* "KERNEL!!" */
    assert_int_equal(s->initrd_start, 0x84000000);
    assert_int_equal(hwtest_read(0x84000000, 4), 0x54494e49); /* "INIT" */
    assert_int_equal(hwtest_read(0x1038, 8), 0x80000000);     /* fw_dynamic next_addr */
    tmpfile_remove(kernel);
    tmpfile_remove(initrd);
}

static void test_fw_cfg_publishes_kernel_initrd_and_command_line(void **state)
{
    char *kernel = write_temp("KERNEL!!", 8);
    char *initrd = write_temp("INITRD", 6);
    char sel[8];

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", kernel,
                          "-initrd", initrd, "-append", "quiet"),
                     TERN_INIT_RUN);
    /* Selector writes are big-endian: key 0x0008 is written as 0x0800. */
    hwtest_write(0x10100008, 2, 0x0800); /* KERNEL_SIZE */
    assert_int_equal(hwtest_read(0x10100000, 4), 8);
    hwtest_write(0x10100008, 2, 0x1100); /* KERNEL_DATA */
    assert_int_equal(hwtest_read(0x10100000, 8),
                     0x21214c454e52454bull); /* "KERNEL!!" in stream order */
    hwtest_write(0x10100008, 2, 0x0b00);     /* INITRD_SIZE */
    assert_int_equal(hwtest_read(0x10100000, 4), 6);
    hwtest_write(0x10100008, 2, 0x1400); /* CMDLINE_SIZE: with its NUL */
    assert_int_equal(hwtest_read(0x10100000, 4), 6);
    hwtest_write(0x10100008, 2, 0x1500); /* CMDLINE_DATA */
    for (int i = 0; i < 6; i++) {
        sel[i] = (char)hwtest_read(0x10100000, 1);
    }
    assert_string_equal(sel, "quiet");
    tmpfile_remove(kernel);
    tmpfile_remove(initrd);
}

/* A minimal RISC-V ELF: one PT_LOAD of payload at paddr, memsz larger (bss). */
/* A 64-bit little-endian executable's header: phnum program headers right after it. */
static void elf_header(Elf64_Ehdr *eh, uint16_t machine, uint64_t entry, unsigned phnum)
{
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = machine;
    eh->e_version = EV_CURRENT;
    eh->e_entry = entry;
    eh->e_phoff = sizeof(*eh);
    eh->e_ehsize = sizeof(*eh);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = (uint16_t)phnum;
}

static char *make_elf(uint16_t machine, uint64_t paddr, const char *payload, uint64_t memsz)
{
    size_t plen = strlen(payload);
    size_t len = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + plen;
    uint8_t *buf = g_malloc0(len);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
    char *path;

    elf_header(eh, machine, paddr, 1);
    ph->p_type = PT_LOAD;
    ph->p_offset = sizeof(*eh) + sizeof(*ph);
    ph->p_vaddr = ph->p_paddr = paddr;
    ph->p_filesz = plen;
    ph->p_memsz = memsz;
    memcpy(buf + ph->p_offset, payload, plen);
    path = write_temp(buf, len);
    g_free(buf);
    return path;
}

static void test_elf_kernel_loads_at_its_own_address_and_clears_bss(void **state)
{
    char *kernel = make_elf(243, 0x80400000, "ELFDATA!", 0x1000);

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", kernel),
                     TERN_INIT_RUN);
    assert_int_equal(VIRT_MACHINE(machine_current())->kernel_entry, 0x80400000);
    assert_int_equal(hwtest_read(0x80400000, 8), 0x2141544144464c45ull); /* "ELFDATA!" */
    assert_int_equal(hwtest_read(0x80400ff8, 8), 0);
    tmpfile_remove(kernel);
}

static void expect_init_error(int argc, char **argv, const char *text)
{
    Error *err = NULL;

    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
    if (!strstr(error_get_pretty(err), text)) {
        print_error("error '%s' lacks '%s'\n", error_get_pretty(err), text);
        fail();
    }
    error_free(err);
    tern_cleanup();
}

#define EXPECT_KERNEL_REFUSED(kernel, text)                                                        \
    expect_init_error(TERN_ARGC("-accel", "qtest", "-bios", "none", "-kernel", (kernel)),          \
                      TERN_ARGV("-accel", "qtest", "-bios", "none", "-kernel", (kernel)), (text))

/* A kernel ELF whose file is bigger than RAM (sections it does not load, as DWARF) still loads. */
static void test_an_elf_kernel_bigger_than_ram_on_disk_loads(void **state)
{
    char *kernel = make_elf(243, 0x80400000, "ELFDATA!", 0x1000);
    char *raw = write_temp("RAW", 3);

    /* 160 MiB on disk, as sparse zeros after the segment: more than the 128 MiB of RAM. */
    assert_int_equal(truncate(kernel, 160 << 20), 0);
    assert_int_equal(truncate(raw, 160 << 20), 0);
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", kernel),
                     TERN_INIT_RUN);
    assert_int_equal(VIRT_MACHINE(machine_current())->kernel_entry, 0x80400000);
    tern_cleanup();
    /* A raw image is copied whole: it must fit. */
    expect_init_error(TERN_ARGC("-accel", "qtest", "-bios", "none", "-kernel", raw),
                      TERN_ARGV("-accel", "qtest", "-bios", "none", "-kernel", raw),
                      "is 167772160 bytes, too big for RAM (134217728 bytes)");
    tmpfile_remove(kernel);
    tmpfile_remove(raw);
}

/* A RISC-V ELF with one 16-byte PT_LOAD segment at each of addrs. */
static char *make_elf_segments(const uint64_t *addrs, unsigned n)
{
    size_t len = sizeof(Elf64_Ehdr) + n * (sizeof(Elf64_Phdr) + 16);
    uint8_t *buf = g_malloc0(len);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
    char *path;

    elf_header(eh, 243, addrs[0], n);
    for (unsigned i = 0; i < n; i++) {
        Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh) + i * sizeof(Elf64_Phdr));
        ph->p_type = PT_LOAD;
        ph->p_offset = sizeof(*eh) + n * sizeof(Elf64_Phdr) + i * 16;
        ph->p_vaddr = ph->p_paddr = addrs[i];
        ph->p_filesz = ph->p_memsz = 16;
        memset(buf + ph->p_offset, 'S', 16);
    }
    path = write_temp(buf, len);
    g_free(buf);
    return path;
}

/* Images may not overlap (QEMU's ROM check): one would overwrite the other at every reset. */
static void test_overlapping_images_are_refused(void **state)
{
    char *firmware = write_temp("FIRMWARE", 8);
    char *kernel = make_elf(243, 0x80000000, "KERNEL!!", 0x1000);
    char *initrd = tmpfile_new("tern-virt-XXXXXX", NULL, 0);
    char *msg;
    FILE *f = fopen(initrd, "wb");

    /* 8 MiB: from RAM/2 above a kernel at the start of 16 MiB, it reaches the tree at the top. */
    assert_non_null(f);
    for (int i = 0; i < 8 << 10; i++) {
        char block[1024];
        memset(block, 'I', sizeof(block));
        assert_int_equal(fwrite(block, 1, sizeof(block), f), sizeof(block));
    }
    fclose(f);

    msg = g_strdup_printf("-kernel %s: 0x80000000-0x80000fff overlaps -bios %s at "
                          "0x80000000-0x80000007",
                          kernel, firmware);
    expect_init_error(TERN_ARGC("-accel", "qtest", "-bios", firmware, "-kernel", kernel),
                      TERN_ARGV("-accel", "qtest", "-bios", firmware, "-kernel", kernel), msg);
    g_free(msg);
    msg = g_strdup_printf("-initrd %s: 0x80800000-0x80ffffff overlaps the device tree at "
                          "0x80e00000-",
                          initrd);
    expect_init_error(TERN_ARGC("-accel", "qtest", "-m", "16M", "-bios", "none", "-kernel",
                                firmware, "-initrd", initrd),
                      TERN_ARGV("-accel", "qtest", "-m", "16M", "-bios", "none", "-kernel",
                                firmware, "-initrd", initrd),
                      msg);
    g_free(msg);
    /* A gap between a kernel's segments is free: the initrd goes there (64 MiB above), as QEMU. */
    {
        static const uint64_t gap[] = {0x80000000, 0x86000000};
        char *gapped = make_elf_segments(gap, 2);
        VirtMachineState *s;

        assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", gapped,
                              "-initrd", firmware),
                         TERN_INIT_RUN);
        s = VIRT_MACHINE(machine_current());
        assert_int_equal(s->initrd_start, 0x84000000);
        /* Blobs are the segments, not the span: reset rewrites nothing in the gap. */
        for (guint i = 0; i < s->blobs->len; i++) {
            const VirtRomBlob *b = &g_array_index(s->blobs, VirtRomBlob, i);
            if (g_str_has_prefix(b->name, "-kernel")) {
                assert_int_equal(b->len, 16);
            }
        }
        tern_cleanup();
        tmpfile_remove(gapped);
    }
    /* Side by side is fine: the same firmware and a kernel placed after it by the board. */
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", firmware, "-kernel", firmware),
                     TERN_INIT_RUN);
    tern_cleanup();
    tmpfile_remove(firmware);
    tmpfile_remove(kernel);
    tmpfile_remove(initrd);
}

/*
 * Where the board puts a raw image (the kernel after the firmware, the
 * initrd RAM/2 above the kernel) it must fit whole, and miss what is there:
 * a file that fits in RAM may still not fit from where it goes.
 */
static void test_raw_images_must_fit_where_the_board_puts_them(void **state)
{
    static const uint64_t segs[] = {0x80000000, 0x84000000};
    char *firmware = write_temp("FIRMWARE", 8);
    char *small = write_temp("KERNEL!!", 8);
    char *big = write_temp("BIG", 3);
    char *gapped = make_elf_segments(segs, 2);
    char *elf = make_elf(243, 0x80400000, "ELFDATA!", 0x1000);
    char *initrd = write_temp("INITRD", 6);
    char *msg;

    /* 16 MiB fits in -m 16M, but not from 0x80200000, after the firmware's 2 MiB alignment. */
    assert_int_equal(truncate(big, 16 << 20), 0);
    msg = g_strdup_printf("-kernel %s: 16777216 bytes at 0x80200000 do not fit in RAM (ends at "
                          "0x81000000)",
                          big);
    expect_init_error(TERN_ARGC("-accel", "qtest", "-m", "16M", "-bios", firmware, "-kernel", big),
                      TERN_ARGV("-accel", "qtest", "-m", "16M", "-bios", firmware, "-kernel", big),
                      msg);
    g_free(msg);
    /* 9 MiB from RAM/2 (8 MiB) above the kernel is 1 MiB too many. */
    assert_int_equal(truncate(big, 9 << 20), 0);
    msg = g_strdup_printf("-initrd %s: 9437184 bytes at 0x80800000 do not fit in RAM (ends at "
                          "0x81000000)",
                          big);
    expect_init_error(TERN_ARGC("-accel", "qtest", "-m", "16M", "-bios", "none", "-kernel", small,
                                "-initrd", big),
                      TERN_ARGV("-accel", "qtest", "-m", "16M", "-bios", "none", "-kernel", small,
                                "-initrd", big),
                      msg);
    g_free(msg);
    /* A raw initrd on a kernel segment (64 MiB above the kernel's start, where the board puts it).
     */
    msg = g_strdup_printf("-initrd %s: 0x84000000-0x84000005 overlaps -kernel %s at "
                          "0x84000000-0x8400000f",
                          initrd, gapped);
    expect_init_error(
        TERN_ARGC("-accel", "qtest", "-bios", "none", "-kernel", gapped, "-initrd", initrd),
        TERN_ARGV("-accel", "qtest", "-bios", "none", "-kernel", gapped, "-initrd", initrd), msg);
    g_free(msg);
    /* An ELF initrd is refused even where it fits: the kernel takes the initrd's bytes as they are.
     */
    msg = g_strdup_printf("-initrd %s: an initrd must be a raw image", elf);
    expect_init_error(
        TERN_ARGC("-accel", "qtest", "-bios", "none", "-kernel", small, "-initrd", elf),
        TERN_ARGV("-accel", "qtest", "-bios", "none", "-kernel", small, "-initrd", elf), msg);
    g_free(msg);
    /* At the limit: 6 MiB from 0x80800000 ends where the tree starts (0x80e00000), and loads. */
    assert_int_equal(truncate(big, 6 << 20), 0);
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-m", "16M", "-bios", "none", "-kernel",
                          small, "-initrd", big),
                     TERN_INIT_RUN);
    assert_int_equal(VIRT_MACHINE(machine_current())->initrd_start, 0x80800000);
    assert_int_equal(VIRT_MACHINE(machine_current())->initrd_end, 0x80e00000);
    assert_int_equal(VIRT_MACHINE(machine_current())->fdt_addr, 0x80e00000);
    assert_int_equal(hwtest_read(0x80800000, 4), 0x474942); /* "BIG\0" */
    tern_cleanup();
    for (char **p = (char *[]){firmware, small, big, gapped, elf, initrd, NULL}; *p; p++) {
        tmpfile_remove(*p);
    }
}

/*
 * A kernel whose first segment is free and whose second lands on the
 * firmware: refused, naming the second; the first one's claim is dropped
 * with it (LeakSanitizer sees its name otherwise), and a good run follows.
 */
static void test_a_kernel_refused_at_its_second_segment_keeps_nothing(void **state)
{
    static const uint64_t segs[] = {0x80400000, 0x80000000};
    char *firmware = write_temp("FIRMWARE", 8);
    char *kernel = make_elf_segments(segs, 2);
    char *msg = g_strdup_printf("-kernel %s: 0x80000000-0x8000000f overlaps -bios %s at "
                                "0x80000000-0x80000007",
                                kernel, firmware);

    expect_init_error(TERN_ARGC("-accel", "qtest", "-bios", firmware, "-kernel", kernel),
                      TERN_ARGV("-accel", "qtest", "-bios", firmware, "-kernel", kernel), msg);
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", kernel),
                     TERN_INIT_RUN);
    {
        GArray *blobs = VIRT_MACHINE(machine_current())->blobs;
        unsigned kernel_blobs = 0;

        for (guint i = 0; i < blobs->len; i++) {
            const VirtRomBlob *b = &g_array_index(blobs, VirtRomBlob, i);
            kernel_blobs += g_str_has_prefix(b->name, "-kernel");
            assert_false(g_str_has_prefix(b->name, "-bios"));
        }
        assert_int_equal(kernel_blobs, 2); /* one per segment */
    }
    g_free(msg);
    tmpfile_remove(firmware);
    tmpfile_remove(kernel);
}

/* An image that cannot be read is refused by the host-file layer, named by its option. */
static void test_an_unreadable_image_names_its_option(void **state)
{
    expect_init_error(TERN_ARGC("-accel", "qtest", "-bios", "/nonexistent/fw.bin"),
                      TERN_ARGV("-accel", "qtest", "-bios", "/nonexistent/fw.bin"),
                      "-bios /nonexistent/fw.bin: cannot open: No such file or directory");
    expect_init_error(TERN_ARGC("-accel", "qtest", "-bios", "none", "-kernel", "/nonexistent/k"),
                      TERN_ARGV("-accel", "qtest", "-bios", "none", "-kernel", "/nonexistent/k"),
                      "-kernel /nonexistent/k: cannot open: No such file or directory");
}

/* -machine aia: reads back as set, none by default; other values are refused by name. */
static void test_aia_property_reads_back_and_refuses_unknown_values(void **state)
{
    Error *err = NULL;
    char *v;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    v = object_property_get_str(OBJECT(machine_current()), "aia", &error_abort);
    assert_string_equal(v, "none");
    g_free(v);
    assert_false(object_property_parse(OBJECT(machine_current()), "aia", "msi", &err));
    assert_string_equal(error_get_message(err),
                        "aia must be none, aplic or aplic-imsic, not 'msi'");
    error_free(err);
    tern_cleanup();
    expect_init_error(TERN_ARGC("-M", "virt,aia=aplic", "-accel", "qtest", "-bios", "none"),
                      TERN_ARGV("-M", "virt,aia=aplic", "-accel", "qtest", "-bios", "none"),
                      "-machine aia=aplic: only aia=none (the PLIC) is available");
}

/* -rtc clock=host reaches the board's RTC; without it the RTC keeps its default clock. */
static void test_rtc_clock_host_reaches_the_rtc(void **state)
{
    char *clock;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-rtc", "clock=host"),
                     TERN_INIT_RUN);
    clock =
        object_property_get_str(object_resolve_path("/machine/rtc", NULL), "clock", &error_abort);
    assert_string_equal(clock, "host");
    g_free(clock);
    tern_cleanup();
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    clock =
        object_property_get_str(object_resolve_path("/machine/rtc", NULL), "clock", &error_abort);
    assert_string_not_equal(clock, "host");
    g_free(clock);
}

/* A -dtb tree bigger than RAM cannot be placed: one line naming both sizes' owner (-m). */
static void test_a_tree_bigger_than_ram_is_refused(void **state)
{
    DtContext dt;
    uint8_t *pad = g_malloc0(1536 * 1024);
    size_t len;
    char *path;

    dt_init(&dt);
    dt_setprop(&dt, "/", "pad", pad, 1536 * 1024);
    len = dt_finish(&dt);
    path = write_temp(dt.fdt, len);
    expect_init_error(TERN_ARGC("-accel", "qtest", "-m", "1M", "-bios", "none", "-dtb", path),
                      TERN_ARGV("-accel", "qtest", "-m", "1M", "-bios", "none", "-dtb", path),
                      "-m: 1048576 bytes of RAM cannot hold the ");
    /* With room for it, the same tree loads. */
    assert_int_equal(
        INIT("-M", "virt", "-accel", "qtest", "-m", "8M", "-bios", "none", "-dtb", path),
        TERN_INIT_RUN);
    assert_true(VIRT_MACHINE(machine_current())->fdt_size > len);
    dt_free(&dt);
    g_free(pad);
    tmpfile_remove(path);
}

static void test_bad_elf_images_are_refused_with_a_reason(void **state)
{
    char *x86 = make_elf(62, 0x80400000, "x", 1);
    char *outside = make_elf(243, 0x10000000, "x", 1);
    char *huge = make_elf(243, 0x80000000, "x", 1ull << 40);
    char *truncated = write_temp("\x7f"
                                 "ELF\x02\x01\x01",
                                 7);

    EXPECT_KERNEL_REFUSED(x86, "not RISC-V");
    EXPECT_KERNEL_REFUSED(outside, "outside RAM");
    EXPECT_KERNEL_REFUSED(huge, "outside RAM");
    EXPECT_KERNEL_REFUSED(truncated, "truncated ELF header");
    /* Nothing was loaded anywhere: RAM of a fresh run is clean. */
    for (char **p = (char *[]){x86, outside, huge, truncated, NULL}; *p; p++) {
        tmpfile_remove(*p);
    }
}

static void test_opensbi_is_the_default_firmware(void **state)
{
    const char *fw = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";
    char *data = NULL;
    gsize len = 0;

    /* CI installs Debian's opensbi; without it this test must fail, not skip. */
    if (!g_file_get_contents(fw, &data, &len, NULL)) {
        print_error("%s is missing: apt-get install opensbi (ci/deps.sh does)\n", fw);
        fail();
    }
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest"), TERN_INIT_RUN);
    assert_int_equal(hwtest_read(0x80000000, 4), ((uint32_t *)data)[0]);
    assert_int_equal(hwtest_read(0x80000000 + (len & ~3ul) - 4, 4),
                     ((uint32_t *)data)[len / 4 - 1]);
    g_free(data);
}

static void test_system_reset_restores_images(void **state)
{
    int status;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    /* The guest scribbles over its device tree, then resets through sifive_test. */
    hwtest_write(0x87e00000, 4, 0);
    hwtest_write(0x100000, 4, 0x7777);
    assert_true(runstate_process_requests(&status) == false);
    assert_int_equal(hwtest_read(0x87e00000, 4), 0xedfe0dd0);
}

static void test_sifive_test_fail_code_becomes_exit_status(void **state)
{
    int status = -1;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    hwtest_write(0x100000, 1, 0x3333); /* 1-byte writes are ignored */
    assert_false(runstate_process_requests(&status));
    hwtest_write(0x100000, 4, (42u << 16) | 0x3333);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 42);
}

/*
 * Decompiles the dumped tree with dtc (device-tree-compiler).  Debian 12's
 * dtc 1.6 prints string lists as "a\0b".
 */
static char *dump_dts(int argc, char **argv_tail)
{
    char *dir = g_dir_make_tmp("tern-dtb-XXXXXX", NULL);
    char *dtb = g_build_filename(dir, "virt.dtb", NULL);
    char *opt = g_strdup_printf("virt,dumpdtb=%s", dtb);
    GPtrArray *argv = g_ptr_array_new();
    char *out = NULL, *err = NULL;
    int status = -1;
    Error *error = NULL;

    g_ptr_array_add(argv, "tern");
    g_ptr_array_add(argv, "-nouserconfig");
    g_ptr_array_add(argv, "-M");
    g_ptr_array_add(argv, opt);
    for (int i = 0; i < argc; i++) {
        g_ptr_array_add(argv, argv_tail[i]);
    }
    g_ptr_array_add(argv, NULL);
    assert_int_equal(tern_init(argv->len - 1, (char **)argv->pdata, &error), TERN_INIT_DONE);
    tern_cleanup();
    if (!g_spawn_sync(NULL, (char *[]){"dtc", "-I", "dtb", "-O", "dts", dtb, NULL}, NULL,
                      G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL)) {
        print_error("dtc is missing: apt-get install device-tree-compiler (ci/deps.sh does)\n");
        fail();
    }
    assert_int_equal(status, 0);
    unlink(dtb);
    g_rmdir(dir);
    g_free(err);
    g_free(dtb);
    g_free(dir);
    g_free(opt);
    g_ptr_array_free(argv, TRUE);
    return out;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) {
        print_error("device tree lacks: %s\n", needle);
        fail();
    }
}

static void test_dumpdtb_holds_every_node_of_the_spec(void **state)
{
    char *dts = dump_dts(2, (char *[]){"-bios", "none"});

    assert_contains(dts, "compatible = \"riscv-virtio\";");
    assert_contains(dts, "model = \"riscv-virtio,qemu\";");
    assert_contains(dts, "memory@80000000 {");
    assert_contains(dts, "reg = <0x00 0x80000000 0x00 0x8000000>;");
    assert_contains(dts, "timebase-frequency = <0x989680>;");
    assert_contains(dts, "cpu@0 {");
    assert_contains(dts, "riscv,isa = \"rv64imafdc_zicsr_zifencei\";");
    assert_contains(dts, "compatible = \"riscv,cpu-intc\";");
    assert_contains(dts, "cpu-map {");
    assert_contains(dts, "clint@2000000 {");
    assert_contains(dts, "compatible = \"sifive,clint0\\0riscv,clint0\";");
    assert_contains(dts, "plic@c000000 {");
    assert_contains(dts, "riscv,ndev = <0x60>;");
    assert_contains(dts, "compatible = \"sifive,plic-1.0.0\\0riscv,plic0\";");
    assert_contains(dts, "test@100000 {");
    assert_contains(dts, "compatible = \"sifive,test1\\0sifive,test0\\0syscon\";");
    assert_contains(dts, "serial@10000000 {");
    assert_contains(dts, "compatible = \"ns16550a\";");
    assert_contains(dts, "rtc@101000 {");
    assert_contains(dts, "compatible = \"google,goldfish-rtc\";");
    assert_contains(dts, "reboot {");
    assert_contains(dts, "value = <0x7777>;");
    assert_contains(dts, "poweroff {");
    assert_contains(dts, "value = <0x5555>;");
    assert_contains(dts, "stdout-path = \"/soc/serial@10000000\";");
    assert_contains(dts, "rng-seed = ");
    assert_contains(dts, "fw-cfg@10100000 {");
    assert_contains(dts, "compatible = \"qemu,fw-cfg-mmio\";");
    g_free(dts);
}

/* fdtget (device-tree-compiler) reads one property as an unsigned number. */
static char *fdtget_u(const char *dtb, const char *node, const char *prop)
{
    char *out = NULL;
    int status = -1;

    if (!g_spawn_sync(
            NULL, (char *[]){"fdtget", "-t", "u", (char *)dtb, (char *)node, (char *)prop, NULL},
            NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, NULL)) {
        print_error("fdtget is missing: apt-get install device-tree-compiler\n");
        fail();
    }
    assert_int_equal(status, 0);
    return g_strstrip(out);
}

static void test_dumpdtb_numbers_match_qemu(void **state)
{
    char *dir = g_dir_make_tmp("tern-dtbn-XXXXXX", NULL);
    char *dtb = g_build_filename(dir, "virt.dtb", NULL);
    char *opt = g_strdup_printf("virt,dumpdtb=%s", dtb);
    char *argv[] = {"tern", "-nouserconfig", "-M", opt, "-bios", "none", NULL};
    static const char *const expect[][3] = {
        {"/soc/serial@10000000", "clock-frequency", "3686400"},
        {"/soc/serial@10000000", "interrupts", "10"},
        {"/soc/rtc@101000", "interrupts", "11"},
        {"/cpus", "timebase-frequency", "10000000"},
        {"/soc/plic@c000000", "riscv,ndev", "96"},
        {"/soc/plic@c000000", "phandle", "3"},
        {"/soc/test@100000", "phandle", "4"},
        {"/cpus/cpu@0", "phandle", "1"},
        {"/cpus/cpu@0/interrupt-controller", "phandle", "2"},
    };

    assert_int_equal(tern_init(6, argv, &error_abort), TERN_INIT_DONE);
    tern_cleanup();
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        char *v = fdtget_u(dtb, expect[i][0], expect[i][1]);
        if (strcmp(v, expect[i][2])) {
            print_error("%s %s = %s, expected %s\n", expect[i][0], expect[i][1], v, expect[i][2]);
            fail();
        }
        g_free(v);
    }
    unlink(dtb);
    g_rmdir(dir);
    g_free(opt);
    g_free(dtb);
    g_free(dir);
}

static void test_dumpdtb_is_the_same_on_every_run(void **state)
{
    char *a = dump_dts(4, (char *[]){"-bios", "none", "-smp", "2"});
    char *b = dump_dts(4, (char *[]){"-bios", "none", "-smp", "2"});

    assert_string_equal(a, b);
    assert_contains(a, "cpu@1 {");
    g_free(a);
    g_free(b);
}

/* Two sockets: two PLICs with their own phandles (dtc refuses duplicates), virtio on socket 1's. */
static void test_two_sockets_give_a_valid_tree(void **state)
{
    char *dts = dump_dts(4, (char *[]){"-bios", "none", "-smp", "4,sockets=2"});
    const char *plic1 = strstr(dts, "plic@c600000 {");
    const char *ph0 = strstr(strstr(dts, "plic@c000000 {"), "phandle = <");
    const char *ph1 = plic1 ? strstr(plic1, "phandle = <") : NULL;

    assert_non_null(plic1);
    assert_non_null(ph0);
    assert_non_null(ph1);
    assert_int_not_equal(strtoul(ph0 + 11, NULL, 0), strtoul(ph1 + 11, NULL, 0));
    assert_contains(dts, "cpu@3 {");
    g_free(dts);
}

static void test_aclint_on_writes_separate_nodes(void **state)
{
    char *dts = dump_dts(4, (char *[]){"-M", "virt,aclint=on", "-bios", "none"});

    assert_contains(dts, "mswi@2000000 {");
    assert_contains(dts, "mtimer@2004000 {");
    assert_contains(dts, "sswi@2f00000 {");
    assert_null(strstr(dts, "clint@2000000"));
    g_free(dts);
}

static void test_append_and_initrd_reach_chosen(void **state)
{
    char *kernel = write_temp("K", 1);
    char *initrd = write_temp("INITRD", 6);
    char *dts = dump_dts(8, (char *[]){"-bios", "none", "-kernel", kernel, "-initrd", initrd,
                                       "-append", "console=ttyS0 quiet"});

    assert_contains(dts, "bootargs = \"console=ttyS0 quiet\";");
    assert_contains(dts, "linux,initrd-start = <0x84000000>;");
    assert_contains(dts, "linux,initrd-end = <0x84000006>;");
    g_free(dts);
    tmpfile_remove(kernel);
    tmpfile_remove(initrd);
}

/* An initrd that ends above 4 GiB does not fit a cell: /chosen gives it in two (64 bits). */
static void test_an_initrd_above_4_gib_is_given_in_64_bits(void **state)
{
    static const uint8_t start[] = {0, 0, 0, 1, 0x04, 0, 0, 0}; /* 0x104000000 */
    static const uint8_t end[] = {0, 0, 0, 1, 0x04, 0, 0, 6};
    char *kernel = make_elf(243, 0xfc000000, "HIGH", 0x1000);
    char *initrd = write_temp("INITRD", 6);
    VirtMachineState *s;
    uint8_t *fdt;

    /* The kernel's lowest address plus 128 MiB (RAM/2 capped) is 0x104000000. */
    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-m", "4G", "-bios", "none", "-kernel",
                          kernel, "-initrd", initrd),
                     TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    assert_int_equal(s->initrd_start, 0x104000000ull);
    assert_int_equal(hwtest_read(0x104000000ull, 4), 0x54494e49); /* "INIT" */
    fdt = g_malloc(s->fdt_size);
    address_space_read(address_space_memory(), s->fdt_addr, fdt, s->fdt_size);
    assert_int_equal(fdt_check_full(fdt, s->fdt_size), 0);
    fdt_test_assert_bytes(fdt, "/chosen", "linux,initrd-start", start, sizeof(start));
    fdt_test_assert_bytes(fdt, "/chosen", "linux,initrd-end", end, sizeof(end));
    g_free(fdt);
    tmpfile_remove(kernel);
    tmpfile_remove(initrd);
}

static void test_dtb_option_replaces_the_generated_tree(void **state)
{
    /* A tree made by dtc from source, then given back with -dtb. */
    char *dir = tmpdir_new("tern-dtbin-XXXXXX");
    char *dts = g_build_filename(dir, "in.dts", NULL);
    char *dtb = g_build_filename(dir, "in.dtb", NULL);
    int status = -1;
    VirtMachineState *s;

    assert_true(g_file_set_contents(dts, "/dts-v1/;\n/ { model = \"mine\"; };\n", -1, NULL));
    assert_true(g_spawn_sync(NULL,
                             (char *[]){"dtc", "-I", "dts", "-O", "dtb", "-o", dtb, dts, NULL},
                             NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
    assert_int_equal(status, 0);
    assert_int_equal(INIT("-accel", "qtest", "-bios", "none", "-dtb", dtb), TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    assert_int_equal(hwtest_read(s->fdt_addr, 4), 0xedfe0dd0);
    g_free(dts);
    g_free(dtb);
    tmpdir_remove(dir);
}

/* ---- one wiring path: the board's connect call decides the tree ------------------------ */

/* The board's tree built again from its devices as they are wired now. */
static void rebuild_fdt(DtContext *dt)
{
    dt_init(dt);
    virt_build_fdt(VIRT_MACHINE(machine_current()), dt);
    dt_finish(dt);
}

static void test_rebuilding_the_tree_gives_the_bytes_the_guest_got(void **state)
{
    VirtMachineState *s;
    uint8_t *placed;
    DtContext dt;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-smp", "4,sockets=2"),
                     TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    placed = g_malloc(s->fdt_size);
    address_space_read(address_space_memory(), s->fdt_addr, placed, s->fdt_size);
    rebuild_fdt(&dt);
    assert_int_equal(fdt_totalsize(dt.fdt), s->fdt_size);
    assert_memory_equal(dt.fdt, placed, s->fdt_size);
    dt_free(&dt);
    g_free(placed);
}

static void test_rewiring_the_uart_changes_its_interrupts_in_the_tree(void **state)
{
    VirtMachineState *s;
    DtContext dt;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-serial", "null"),
                     TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    sysbus_connect_irq(SYS_BUS_DEVICE(s->uart), 0, qdev_get_gpio_in(s->plic[0], 12));
    rebuild_fdt(&dt);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/serial@10000000", "interrupts", 0), 12);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/serial@10000000", "interrupt-parent", 0),
                     fdt_test_cell(dt.fdt, "/soc/plic@c000000", "phandle", 0));
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/rtc@101000", "interrupts", 0), 11);
    dt_free(&dt);
    /* And the interrupt does arrive as source 12. */
    hwtest_write(0xc000000 + 4 * 12, 4, 1);
    hwtest_write(0xc002000, 4, 1u << 12);
    hwtest_write(0xc200000, 4, 0);
    hwtest_write(0x10000001, 1, 0x02);
    assert_true(hart(0, 0)->env.mip & (1u << RV_IRQ_MEIP));
    assert_int_equal(hwtest_read(0xc200004, 4), 12);
}

static void test_rewiring_to_another_plic_changes_the_interrupt_parent(void **state)
{
    VirtMachineState *s;
    DtContext dt;
    uint32_t plic0, plic1;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-smp", "4,sockets=2"),
                     TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    rebuild_fdt(&dt);
    plic0 = fdt_test_cell(dt.fdt, "/soc/plic@c000000", "phandle", 0);
    plic1 = fdt_test_cell(dt.fdt, "/soc/plic@c600000", "phandle", 0);
    assert_int_not_equal(plic0, plic1);
    /* As QEMU: the UART on socket 0's PLIC, the virtio transports on socket 1's. */
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/serial@10000000", "interrupt-parent", 0), plic0);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/virtio_mmio@10001000", "interrupt-parent", 0),
                     plic1);
    dt_free(&dt);

    sysbus_connect_irq(SYS_BUS_DEVICE(s->uart), 0, qdev_get_gpio_in(s->plic[1], 10));
    rebuild_fdt(&dt);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/serial@10000000", "interrupt-parent", 0), plic1);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/serial@10000000", "interrupts", 0), 10);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/plic@c000000", "phandle", 0), plic0);
    dt_free(&dt);
}

static void test_disconnecting_the_rtc_drops_its_interrupts_from_the_tree(void **state)
{
    VirtMachineState *s;
    DtContext dt;
    int off;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none"), TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    sysbus_connect_irq(SYS_BUS_DEVICE(s->rtc), 0, NULL);
    rebuild_fdt(&dt);
    off = fdt_path_offset(dt.fdt, "/soc/rtc@101000");
    assert_true(off >= 0);
    assert_null(fdt_getprop(dt.fdt, off, "interrupts", NULL));
    assert_null(fdt_getprop(dt.fdt, off, "interrupt-parent", NULL));
    dt_free(&dt);
}

/* interrupts-extended of path in dt is want (n cells). */
static void assert_interrupts_extended(DtContext *dt, const char *path, const uint32_t *want, int n)
{
    int len = 0;
    const fdt32_t *p =
        fdt_getprop(dt->fdt, fdt_path_offset(dt->fdt, path), "interrupts-extended", &len);

    assert_non_null(p);
    assert_int_equal(len, 4 * n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(fdt32_to_cpu(p[i]), want[i]);
    }
}

static void test_rewiring_a_plic_context_or_an_aclint_line_changes_interrupts_extended(void **state)
{
    VirtMachineState *s;
    SysBusDevice *mswi;
    DtContext dt;
    const uint8_t one[4] = {1, 0, 0, 0};
    uint32_t intc0, intc1;

    assert_int_equal(INIT("-M", "virt", "-accel", "qtest", "-bios", "none", "-smp", "2"),
                     TERN_INIT_RUN);
    s = VIRT_MACHINE(machine_current());
    mswi = SYS_BUS_DEVICE(object_resolve_path("/machine/mswi0", NULL));
    rebuild_fdt(&dt);
    intc0 = fdt_test_cell(dt.fdt, "/cpus/cpu@0/interrupt-controller", "phandle", 0);
    intc1 = fdt_test_cell(dt.fdt, "/cpus/cpu@1/interrupt-controller", "phandle", 0);
    assert_interrupts_extended(&dt, "/soc/plic@c000000",
                               (uint32_t[]){intc0, 11, intc0, 9, intc1, 11, intc1, 9}, 8);
    assert_interrupts_extended(&dt, "/soc/clint@2000000",
                               (uint32_t[]){intc0, 3, intc0, 7, intc1, 3, intc1, 7}, 8);
    dt_free(&dt);

    /* Hart 0's S context to hart 1's SEIP; the MSWI's line for hart 1 to its SSIP. */
    sysbus_connect_gpio_out(SYS_BUS_DEVICE(s->plic[0]), 0, rv_hart_irq_in(hart(0, 1), RV_IRQ_SEIP));
    sysbus_connect_gpio_out(mswi, 1, rv_hart_irq_in(hart(0, 1), RV_IRQ_SSIP));
    rebuild_fdt(&dt);
    assert_interrupts_extended(&dt, "/soc/plic@c000000",
                               (uint32_t[]){intc0, 11, intc1, 9, intc1, 11, intc1, 9}, 8);
    assert_interrupts_extended(&dt, "/soc/clint@2000000",
                               (uint32_t[]){intc0, 3, intc0, 7, intc1, 1, intc1, 7}, 8);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/serial@10000000", "interrupts", 0), 10);
    dt_free(&dt);

    /* And the line does arrive there: msip[1] = 1 raises hart 1's SSIP, not its MSIP. */
    address_space_write(address_space_memory(), 0x2000004, one, 4);
    assert_true(hart(0, 1)->env.mip & (1u << RV_IRQ_SSIP));
    assert_false(hart(0, 1)->env.mip & (1u << RV_IRQ_MSIP));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_ram_and_mrom_are_where_qemu_puts_them, teardown),
        cmocka_unit_test_teardown(test_devices_have_readable_paths_and_qemu_aliases, teardown),
        cmocka_unit_test_teardown(test_fw_cfg_reports_signature_and_harts, teardown),
        cmocka_unit_test_teardown(test_smp_creates_harts_across_sockets, teardown),
        cmocka_unit_test_teardown(test_clint_msip_reaches_the_hart, teardown),
        cmocka_unit_test_teardown(test_aclint_on_adds_supervisor_software_interrupts, teardown),
        cmocka_unit_test_teardown(test_clint_timer_reaches_the_hart, teardown),
        cmocka_unit_test_teardown(test_uart_interrupt_reaches_meip_through_the_plic, teardown),
        cmocka_unit_test_teardown(test_reset_vector_and_fw_dynamic_info, teardown),
        cmocka_unit_test_teardown(test_raw_kernel_and_initrd_are_placed_as_qemu, teardown),
        cmocka_unit_test_teardown(test_fw_cfg_publishes_kernel_initrd_and_command_line, teardown),
        cmocka_unit_test_teardown(test_elf_kernel_loads_at_its_own_address_and_clears_bss,
                                  teardown),
        cmocka_unit_test_teardown(test_bad_elf_images_are_refused_with_a_reason, teardown),
        cmocka_unit_test_teardown(test_overlapping_images_are_refused, teardown),
        cmocka_unit_test_teardown(test_raw_images_must_fit_where_the_board_puts_them, teardown),
        cmocka_unit_test_teardown(test_a_kernel_refused_at_its_second_segment_keeps_nothing,
                                  teardown),
        cmocka_unit_test_teardown(test_an_unreadable_image_names_its_option, teardown),
        cmocka_unit_test_teardown(test_a_tree_bigger_than_ram_is_refused, teardown),
        cmocka_unit_test_teardown(test_aia_property_reads_back_and_refuses_unknown_values,
                                  teardown),
        cmocka_unit_test_teardown(test_rtc_clock_host_reaches_the_rtc, teardown),
        cmocka_unit_test_teardown(test_an_elf_kernel_bigger_than_ram_on_disk_loads, teardown),
        cmocka_unit_test_teardown(test_opensbi_is_the_default_firmware, teardown),
        cmocka_unit_test_teardown(test_system_reset_restores_images, teardown),
        cmocka_unit_test_teardown(test_sifive_test_fail_code_becomes_exit_status, teardown),
        cmocka_unit_test_teardown(test_dumpdtb_holds_every_node_of_the_spec, teardown),
        cmocka_unit_test_teardown(test_dumpdtb_numbers_match_qemu, teardown),
        cmocka_unit_test_teardown(test_dumpdtb_is_the_same_on_every_run, teardown),
        cmocka_unit_test_teardown(test_aclint_on_writes_separate_nodes, teardown),
        cmocka_unit_test_teardown(test_two_sockets_give_a_valid_tree, teardown),
        cmocka_unit_test_teardown(test_append_and_initrd_reach_chosen, teardown),
        cmocka_unit_test_teardown(test_an_initrd_above_4_gib_is_given_in_64_bits, teardown),
        cmocka_unit_test_teardown(test_dtb_option_replaces_the_generated_tree, teardown),
        cmocka_unit_test_teardown(test_rebuilding_the_tree_gives_the_bytes_the_guest_got, teardown),
        cmocka_unit_test_teardown(test_rewiring_the_uart_changes_its_interrupts_in_the_tree,
                                  teardown),
        cmocka_unit_test_teardown(test_rewiring_to_another_plic_changes_the_interrupt_parent,
                                  teardown),
        cmocka_unit_test_teardown(test_disconnecting_the_rtc_drops_its_interrupts_from_the_tree,
                                  teardown),
        cmocka_unit_test_teardown(
            test_rewiring_a_plic_context_or_an_aclint_line_changes_interrupts_extended, teardown),
    };

    g_setenv("TERN_CONFIG", "/nonexistent/tern.conf", TRUE);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
