/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * generic-fuzz.c - the generic-fuzz target and its presets, in QEMU's byte
 * format (../shared/spec/fuzzing.md §4-§8): an input is commands separated
 * by "FUZZ", each an opcode byte and operands read as C structs; the MMIO
 * ops pick a region among the flat ranges whose region matched the object
 * globs; devices that read guest memory get bytes generated from the
 * input's DMA patterns (through the memory core's DMA-read hook), written
 * through the fuzz I/O layer so that the trace shows each fill before the
 * command that caused it.
 *
 * Every access goes through fuzz.h's I/O layer (fuzz_read, fuzz_write,
 * fuzz_memwrite, fuzz_clock_step_next): the runner records them and resets
 * the machine after each input.  What this target keeps between commands
 * (the patterns, the DMA byte count, the ranges filled during the current
 * op) is a harness part: cleared at the start of each input and by every
 * restore.
 */
#include "fuzz/generic-fuzz.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/machine.h"
#include "core/memory.h"
#include "core/module.h"
#include "core/object.h"
#include "core/runstate.h"
#include "fuzz/sparse-mem.h"
#include "qtest/qtest.h"

#define GF_SEPARATOR     "FUZZ"
#define GF_SEPARATOR_LEN 4
#define GF_NUM_OPS       10

/* DMA limits of §6.6. */
#define GF_DMA_MAX_TOTAL UINT64_C(0x10000000) /* bytes injected per input */
#define GF_DMA_MAX_FILL  UINT64_C(0x10000)    /* bytes per fill */

/* §6.1: the command line before the configuration's arguments. */
#define GF_CMDLINE_BASE "riscv64 -display none -machine accel=qtest, -m 512M"
/* §5: what every preset's arguments start with. */
#define GF_PRESET_BASE "-M virt -bios none -nodefaults"
/* What the machine refuses when plain generic-fuzz has no objects (generic-fuzz.h). */

/*
 * virtio-blk needs a drive and Tern has no null-co driver: a 1 MiB image of
 * zeros in the temporary directory, opened snapshot=on (never written).  Its
 * name is fixed so that a reproducer's command line replays elsewhere after
 * "truncate -s 1M" of the same path.
 */
#define GF_DISK_NAME "tern-fuzz-zero-1M.raw"
#define GF_DISK_SIZE (1024 * 1024)
#define GF_DISK_ARGS                                                                               \
    "-drive if=none,id=d0,file=@DISK@,snapshot=on,format=raw -device virtio-blk-device,drive=d0"
#define GF_RTC_ARGS "-rtc clock=vm,base=2000-01-01T00:00:00"

#define GF_PRESET(name, args, objects)                                                             \
    {                                                                                              \
        name, "generic-fuzz-" name, args, objects, "generic-fuzz preset: objects '" objects "'"    \
    }

static const GenericFuzzConfig gf_configs[] = {
    GF_PRESET("virtio-blk", GF_DISK_ARGS, "virtio*"),
    GF_PRESET("virtio-rng", "-device virtio-rng-device", "virtio*"),
    GF_PRESET("uart", "-serial null", "serial*"),
    GF_PRESET("rtc", GF_RTC_ARGS, "goldfish_rtc"),
    GF_PRESET("plic", "", "riscv.sifive.plic"),
    GF_PRESET("clint", "", "riscv.aclint*"),
    GF_PRESET("sifive-test", "", "riscv.sifive.test"),
    GF_PRESET("fw-cfg", "", "fw_cfg*"),
    GF_PRESET("virt", "-serial null " GF_RTC_ARGS " " GF_DISK_ARGS " -device virtio-rng-device",
              "*"),
};

const GenericFuzzConfig *generic_fuzz_configs(size_t *n)
{
    *n = G_N_ELEMENTS(gf_configs);
    return gf_configs;
}

/* ---- state ----------------------------------------------------------------------------------- */

typedef struct GfPattern {
    uint8_t index; /* already reduced modulo len */
    uint8_t stride;
    size_t len;
    uint8_t *data;
} GfPattern;

typedef struct GfRange {
    hwaddr addr;
    hwaddr len;
} GfRange;

static struct {
    /* configuration (pre_vm_init) */
    char *args;
    char *objects;
    bool avoid_double_fetch;
    bool qtest_log;
    char *disk_path;
    /* pre_fuzz */
    bool prepared;
    bool no_regions;
    char **globs;
    Object *machine;
    SparseMem *sparse;
    GHashTable *matched; /* MemoryRegion * -> GINT_TO_POINTER(1 no, 2 yes) */
    GArray *ranges;      /* GenericFuzzRange: the fuzzable flat ranges */
    AddressSpace *ranges_as;
    unsigned ranges_generation;
    /* per input (the harness part) */
    GArray *patterns;    /* GfPattern */
    guint pattern_index; /* the cursor */
    uint64_t dma_bytes;  /* injected this input */
    GArray *dma_regions; /* GfRange: filled during the current op */
    bool pci_disabled;
} gf;

static void gf_clear_patterns(void)
{
    for (guint i = 0; gf.patterns && i < gf.patterns->len; i++) {
        g_free(g_array_index(gf.patterns, GfPattern, i).data);
    }
    if (gf.patterns) {
        g_array_set_size(gf.patterns, 0);
    }
    gf.pattern_index = 0;
}

/* §6.5: what every input starts from (and every restore leaves). */
static void gf_input_reset(void)
{
    gf_clear_patterns();
    if (gf.dma_regions) {
        g_array_set_size(gf.dma_regions, 0);
    }
    gf.dma_bytes = 0;
    gf.pci_disabled = false;
}

/* Everything of a previous start (tests start several targets in one process). */
static void gf_state_free(void)
{
    gf_clear_patterns();
    if (gf.patterns) {
        g_array_free(gf.patterns, TRUE);
    }
    if (gf.dma_regions) {
        g_array_free(gf.dma_regions, TRUE);
    }
    if (gf.ranges) {
        g_array_free(gf.ranges, TRUE);
    }
    if (gf.matched) {
        g_hash_table_destroy(gf.matched);
    }
    g_strfreev(gf.globs);
    g_free(gf.args);
    g_free(gf.objects);
    g_free(gf.disk_path);
    memset(&gf, 0, sizeof(gf));
}

/* ---- configuration --------------------------------------------------------------------------- */

/* The TERN_ name wins over QEMU's (§4). */
static const char *gf_env(const char *tern, const char *qemu)
{
    const char *v = getenv(tern);

    return v ? v : getenv(qemu);
}

static bool gf_is_ours(const FuzzTarget *t)
{
    return t && t->name &&
           (!strcmp(t->name, "generic-fuzz") || !strncmp(t->name, "generic-fuzz-", 13));
}

/* Replaces every @DISK@ in args with the image path (shell-quoted). */
static char *gf_expand_args(const char *args)
{
    GString *out = g_string_new(NULL);
    const char *p = args, *hit;

    while ((hit = strstr(p, "@DISK@"))) {
        g_string_append_len(out, p, hit - p);
        if (!gf.disk_path) {
            gf.disk_path = fuzz_fixed_image(GF_DISK_NAME, GF_DISK_SIZE, NULL, NULL);
        }
        if (gf.disk_path) {
            char *q = g_shell_quote(gf.disk_path);
            g_string_append(out, q);
            g_free(q);
        } else {
            /* The drive then fails to open, naming this file. */
            g_string_append(out, GF_DISK_NAME);
        }
        p = hit + strlen("@DISK@");
    }
    g_string_append(out, p);
    return g_string_free(out, FALSE);
}

static void gf_pre_vm_init(void)
{
    FuzzTarget *t = fuzz_current_target();
    const GenericFuzzConfig *config = t ? t->opaque : NULL;

    gf_state_free();
    gf.qtest_log = getenv("QTEST_LOG") != NULL;
    if (config) {
        /*
         * §5 has a preset set QEMU_FUZZ_* and QEMU_AVOID_DOUBLE_FETCH=1 in the
         * environment; Tern keeps them in the target instead, so the
         * environment stays the user's for any other target in the process.
         */
        char *preset = g_strdup_printf("%s %s", GF_PRESET_BASE, config->args);
        gf.args = gf_expand_args(preset);
        g_free(preset);
        gf.objects = g_strdup(config->objects);
        gf.avoid_double_fetch = true;
    } else {
        const char *args = gf_env("TERN_FUZZ_ARGS", "QEMU_FUZZ_ARGS");
        const char *objects = gf_env("TERN_FUZZ_OBJECTS", "QEMU_FUZZ_OBJECTS");
        gf.args = g_strdup(args ? args : "");
        gf.objects = g_strdup(objects);
        gf.avoid_double_fetch =
            gf_env("TERN_AVOID_DOUBLE_FETCH", "QEMU_AVOID_DOUBLE_FETCH") != NULL;
    }
}

static GString *gf_get_init_cmdline(FuzzTarget *t)
{
    GString *line = g_string_new(GF_CMDLINE_BASE);

    if (!gf.objects) {
        /* As QEMU: the usage, and the target declines (tern-fuzz exits 0). */
        generic_fuzz_usage(stderr);
        g_string_free(line, TRUE);
        return NULL;
    }
    if (gf.args && *gf.args) {
        g_string_append_printf(line, " %s", gf.args);
    }
    return line;
}

void generic_fuzz_usage(FILE *out)
{
    fprintf(out,
            "generic-fuzz: fuzzes the MMIO regions of the objects you name, on the machine you "
            "describe.\n"
            "  TERN_FUZZ_ARGS (or QEMU_FUZZ_ARGS): machine options, e.g. '-M virt -bios none "
            "-nodefaults -serial null'\n"
            "  TERN_FUZZ_OBJECTS (or QEMU_FUZZ_OBJECTS, required): space-separated globs of "
            "QOM type names or region names, e.g. 'serial* virtio*'\n"
            "  TERN_AVOID_DOUBLE_FETCH (or QEMU_AVOID_DOUBLE_FETCH): set: a DMA range read twice "
            "in one command is filled once\n"
            "Example: TERN_FUZZ_ARGS='-M virt -bios none -nodefaults -serial null' "
            "TERN_FUZZ_OBJECTS='serial*' tern-fuzz --fuzz-target=generic-fuzz -runs=0\n"
            "The generic-fuzz-* targets are predefined configurations.\n");
}

/* ---- choosing regions (§6.2, §6.4) ----------------------------------------------------------- */

static bool gf_glob_match(const char *text)
{
    char *lower = g_ascii_strdown(text, -1);
    bool hit = false;

    for (char **g = gf.globs; *g && !hit; g++) {
        hit = g_pattern_match_simple(*g, lower);
    }
    g_free(lower);
    return hit;
}

/*
 * A region is fuzzable when it is I/O (not RAM or ROM) and an object below
 * /machine that owns it, or an ancestor of that object still below
 * /machine, has a matching type name; or when its name matches.  QEMU's
 * regions are objects named "NAME[N]" (N counts equal names per owner);
 * Tern's names are unique per owner, so "NAME[0]" is matched as well as
 * the bare name (a QEMU recipe's "fwcfg.data[0]" works, and so does
 * "fwcfg.data").
 */
static bool gf_region_matches(const MemoryRegion *mr)
{
    const char *name = mr->name ? mr->name : "";
    const char *last = strrchr(name, '/');
    bool below_machine = false;
    char *indexed;
    bool hit;

    if (mr->kind != MR_IO) {
        return false;
    }
    for (Object *o = mr->owner; o; o = object_get_parent(o)) {
        if (o == gf.machine) {
            below_machine = true;
            break;
        }
    }
    if (below_machine) {
        for (Object *o = mr->owner; o != gf.machine; o = object_get_parent(o)) {
            if (gf_glob_match(object_get_typename(o))) {
                return true;
            }
        }
    }
    last = last ? last + 1 : name;
    if (gf_glob_match(last)) {
        return true;
    }
    indexed = g_strdup_printf("%s[0]", last);
    hit = gf_glob_match(indexed);
    g_free(indexed);
    return hit;
}

static bool gf_region_fuzzable(MemoryRegion *mr)
{
    gpointer v = g_hash_table_lookup(gf.matched, mr);

    if (!v) {
        v = GINT_TO_POINTER(gf_region_matches(mr) ? 2 : 1);
        g_hash_table_insert(gf.matched, mr, v);
    }
    return GPOINTER_TO_INT(v) == 2;
}

/* The fuzzable ranges of the current flat view (rebuilt when the topology changed). */
static GArray *gf_update_ranges(void)
{
    AddressSpace *as = address_space_memory();

    if (!as || !gf.prepared || !gf.globs || !gf_is_ours(fuzz_current_target())) {
        return NULL;
    }
    address_space_lookup(as, 0); /* flattens the view when it is stale */
    if (gf.ranges && gf.ranges_as == as && gf.ranges_generation == as->built_generation) {
        return gf.ranges;
    }
    g_array_set_size(gf.ranges, 0);
    for (unsigned i = 0; i < as->nr_ranges; i++) {
        const FlatRange *r = &as->ranges[i];
        if (gf_region_fuzzable(r->mr)) {
            GenericFuzzRange fr = {r->start, r->last - r->start + 1, r->mr->name};
            g_array_append_val(gf.ranges, fr);
        }
    }
    gf.ranges_as = as;
    gf.ranges_generation = as->built_generation;
    return gf.ranges;
}

GArray *generic_fuzz_ranges(void)
{
    GArray *ranges = gf_update_ranges();
    GArray *copy = g_array_new(FALSE, FALSE, sizeof(GenericFuzzRange));

    if (ranges) {
        g_array_append_vals(copy, ranges->data, ranges->len);
    }
    return copy;
}

/* §6.4: the (base mod count)-th fuzzable range, the address in it and the bytes left. */
static bool gf_mmio_address(uint8_t base, uint32_t offset, hwaddr *addr, uint64_t *remaining)
{
    GArray *ranges = gf_update_ranges();
    const GenericFuzzRange *r;
    uint64_t off;

    if (!ranges || !ranges->len) {
        return false;
    }
    r = &g_array_index(ranges, GenericFuzzRange, base % ranges->len);
    if (!r->size) { /* the whole space: every offset is inside */
        *addr = r->start + offset;
        *remaining = UINT64_MAX - offset;
        return true;
    }
    off = offset % r->size;
    *addr = r->start + off;
    *remaining = r->size - off;
    return true;
}

/* ---- DMA (§6.6) ------------------------------------------------------------------------------ */

/* byte i = data[i mod L], plus a running sum at every position (i mod L) == index. */
static void gf_pattern_fill(const GfPattern *p, uint8_t *buf, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        size_t j = i % p->len;
        buf[i] = p->data[j];
        if (j == p->index) {
            buf[i] += sum;
            sum += p->stride;
        }
    }
}

static bool gf_dma_target(const MemoryRegion *mr)
{
    /* Machine RAM (virt's only RAM region) or the sparse background. */
    return mr && (mr->kind == MR_RAM || sparse_mem_is(mr));
}

static void gf_dma_fill(AddressSpace *as, hwaddr addr, hwaddr len, bool double_fetch)
{
    const FlatRange *first;
    const GfPattern *p;
    uint8_t *buf;
    hwaddr done = 0;
    GfRange filled;

    if (!gf.patterns || !gf.patterns->len || !len || len > GF_DMA_MAX_TOTAL - gf.dma_bytes) {
        return;
    }
    first = address_space_lookup(as, addr);
    if (!first || !gf_dma_target(first->mr)) {
        return;
    }
    if (gf.avoid_double_fetch || gf.qtest_log) {
        for (guint i = 0; i < gf.dma_regions->len; i++) {
            GfRange r = g_array_index(gf.dma_regions, GfRange, i);
            /* Overlap of [addr, addr+len) and [r.addr, r.addr+r.len), without overflow. */
            if (addr <= r.addr + (r.len - 1) && r.addr <= addr + (len - 1)) {
                if (gf.avoid_double_fetch && addr < r.addr) {
                    gf_dma_fill(as, addr, r.addr - addr, true);
                }
                if (gf.avoid_double_fetch && addr + (len - 1) > r.addr + (r.len - 1)) {
                    hwaddr tail = r.addr + r.len;
                    gf_dma_fill(as, tail, addr + len - tail, true);
                }
                return;
            }
        }
    }
    len = MIN(len, GF_DMA_MAX_FILL);
    filled = (GfRange){addr, len};
    g_array_append_val(gf.dma_regions, filled);

    p = &g_array_index(gf.patterns, GfPattern, gf.pattern_index);
    buf = g_malloc(len);
    gf_pattern_fill(p, buf, len);
    while (done < len) {
        hwaddr cur = addr + done;
        const FlatRange *r = address_space_lookup(as, cur);
        hwaddr piece = len - done;

        if (r && r->last - cur < piece - 1) {
            piece = r->last - cur + 1;
        }
        if (r && gf_dma_target(r->mr)) {
            if (gf.qtest_log) {
                qtest_log_flush();
                fprintf(stderr, "[DMA] %s", double_fetch ? "[DOUBLE-FETCH] " : "");
                fflush(stderr);
            }
            fuzz_memwrite(cur, buf + done, piece);
            gf.dma_bytes += piece;
        }
        /* Other regions' pieces are skipped whole: their bytes stay the device's. */
        done += piece;
    }
    g_free(buf);
    gf.pattern_index = (gf.pattern_index + 1) % gf.patterns->len;
}

static void gf_dma_read_hook(AddressSpace *as, hwaddr addr, hwaddr len, void *opaque)
{
    if (as == address_space_memory()) {
        gf_dma_fill(as, addr, len, false);
    }
}

/* ---- the ops (§6.3) -------------------------------------------------------------------------- */

typedef void GfOp(const uint8_t *data, size_t len);

/*
 * The operands as QEMU reads them: little-endian C structs with natural
 * alignment, so the pad bytes are part of the layout (and ignored).
 */
typedef struct GfInArgs {
    uint8_t size, base;
    uint16_t offset;
} GfInArgs;
typedef struct GfOutArgs {
    uint8_t size, base;
    uint16_t offset;
    uint32_t value;
} GfOutArgs;
typedef struct GfReadArgs {
    uint8_t size, base; /* two pad bytes */
    uint32_t offset;
} GfReadArgs;
typedef struct GfWriteArgs {
    uint8_t size, base; /* two pad bytes */
    uint32_t offset;
    uint64_t value;
} GfWriteArgs;
typedef struct GfPciReadArgs {
    uint8_t size, base, offset;
} GfPciReadArgs;
typedef struct GfPciWriteArgs {
    uint8_t size, base, offset; /* one pad byte */
    uint32_t value;
} GfPciWriteArgs;
G_STATIC_ASSERT(sizeof(GfInArgs) == 4 && offsetof(GfInArgs, offset) == 2);
G_STATIC_ASSERT(sizeof(GfOutArgs) == 8 && offsetof(GfOutArgs, value) == 4);
G_STATIC_ASSERT(sizeof(GfReadArgs) == 8 && offsetof(GfReadArgs, offset) == 4);
G_STATIC_ASSERT(sizeof(GfWriteArgs) == 16 && offsetof(GfWriteArgs, offset) == 4 &&
                offsetof(GfWriteArgs, value) == 8);
G_STATIC_ASSERT(sizeof(GfPciReadArgs) == 3);
G_STATIC_ASSERT(sizeof(GfPciWriteArgs) == 8 && offsetof(GfPciWriteArgs, value) == 4);

static const unsigned gf_mmio_sizes[4] = {1, 2, 4, 8};

/*
 * Port I/O: Tern's virt has no port space (the memory API offers none), so
 * IN and OUT never find a range and do nothing once parsed, exactly as on
 * QEMU's RISC-V virt (§6.4).
 */
static void gf_op_in(const uint8_t *data, size_t len)
{
    if (len < sizeof(GfInArgs)) {
        return;
    }
}

static void gf_op_out(const uint8_t *data, size_t len)
{
    if (len < sizeof(GfOutArgs)) {
        return;
    }
}

/*
 * The address and width of a READ or WRITE (§6.3, §6.4): false when no
 * region is chosen, or the width does not fit in what is left of it (a
 * byte access always does).
 */
static bool gf_mmio_access(uint8_t size, uint8_t base, uint32_t offset_le, hwaddr *addr,
                           unsigned *width)
{
    uint64_t remaining;

    if (!gf_mmio_address(base, GUINT32_FROM_LE(offset_le), addr, &remaining)) {
        return false;
    }
    *width = gf_mmio_sizes[size % 4];
    return *width == 1 || remaining >= *width;
}

static void gf_op_read(const uint8_t *data, size_t len)
{
    GfReadArgs a;
    hwaddr addr;
    unsigned width;

    if (len < sizeof(a)) {
        return;
    }
    memcpy(&a, data, sizeof(a));
    if (gf_mmio_access(a.size, a.base, a.offset, &addr, &width)) {
        fuzz_read(width, addr);
    }
}

static void gf_op_write(const uint8_t *data, size_t len)
{
    GfWriteArgs a;
    hwaddr addr;
    unsigned width;

    if (len < sizeof(a)) {
        return;
    }
    memcpy(&a, data, sizeof(a));
    if (gf_mmio_access(a.size, a.base, a.offset, &addr, &width)) {
        fuzz_write(width, addr, GUINT64_FROM_LE(a.value)); /* masked to width there */
    }
}

/*
 * PCI config ops (§7): parsed so that corpora keep their meaning, but Tern's
 * virt has no PCI host, so the list of matched PCI devices is always empty
 * and they do nothing.
 */
static void gf_op_pci_read(const uint8_t *data, size_t len)
{
    if (len < sizeof(GfPciReadArgs) || gf.pci_disabled) {
        return;
    }
}

static void gf_op_pci_write(const uint8_t *data, size_t len)
{
    if (len < sizeof(GfPciWriteArgs) || gf.pci_disabled) {
        return;
    }
}

static void gf_op_disable_pci(const uint8_t *data, size_t len)
{
    gf.pci_disabled = true;
}

static void gf_op_add_dma_pattern(const uint8_t *data, size_t len)
{
    GfPattern p;

    if (len < 3) {
        return;
    }
    p.len = len - 2;
    p.index = (uint8_t)(data[0] % p.len);
    p.stride = data[1];
    p.data = g_memdup2(data + 2, p.len);
    g_array_append_val(gf.patterns, p);
}

static void gf_op_clear_dma_patterns(const uint8_t *data, size_t len)
{
    gf_clear_patterns();
}

static void gf_op_clock_step(const uint8_t *data, size_t len)
{
    fuzz_clock_step_next();
}

static GfOp *const gf_ops[GF_NUM_OPS] = {
    gf_op_in,
    gf_op_out,
    gf_op_read,
    gf_op_write,
    gf_op_pci_read,
    gf_op_pci_write,
    gf_op_disable_pci,
    gf_op_add_dma_pattern,
    gf_op_clear_dma_patterns,
    gf_op_clock_step,
};

/* ---- the harness part ------------------------------------------------------------------------ */

static void gf_part_save(void *opaque)
{
    gf_input_reset();
}

static void gf_part_restore(void *opaque)
{
    gf_input_reset();
}

static bool gf_part_check(void *opaque, Error **errp)
{
    if (gf.patterns->len || gf.pattern_index || gf.dma_bytes || gf.dma_regions->len ||
        gf.pci_disabled) {
        error_setg(errp,
                   "%u DMA pattern(s), cursor %u, %" PRIu64
                   " DMA bytes, %u filled range(s), PCI %s after the restore",
                   gf.patterns->len, gf.pattern_index, gf.dma_bytes, gf.dma_regions->len,
                   gf.pci_disabled ? "disabled" : "enabled");
        return false;
    }
    return true;
}

/* ---- the target ------------------------------------------------------------------------------ */

static void gf_print_regions(void)
{
    GArray *ranges = gf_update_ranges();
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    AddressSpace *as = address_space_memory();

    printf("This process will fuzz these MemoryRegions:\n");
    for (unsigned i = 0; as && i < as->nr_ranges; i++) {
        MemoryRegion *mr = as->ranges[i].mr;
        if (!gf_region_fuzzable(mr) || !g_hash_table_add(seen, mr)) {
            continue; /* a region split in several ranges is listed once */
        }
        printf("  * %s (size 0x%" PRIx64 ")\n", mr->name, memory_region_size(mr));
    }
    if (!ranges || !ranges->len) {
        printf("No fuzzable MemoryRegions matched '%s'\n", gf.objects ? gf.objects : "");
    }
    fflush(stdout);
    g_hash_table_destroy(seen);
}

static void gf_pre_fuzz(QTestState *s)
{
    Error *err = NULL;

    gf.patterns = g_array_new(FALSE, FALSE, sizeof(GfPattern));
    gf.dma_regions = g_array_new(FALSE, FALSE, sizeof(GfRange));
    gf.ranges = g_array_new(FALSE, FALSE, sizeof(GenericFuzzRange));
    gf.matched = g_hash_table_new(g_direct_hash, g_direct_equal);
    gf.machine = machine_current() ? OBJECT(machine_current()) : NULL;
    gf.prepared = true;
    if (!gf.objects || !gf.machine) {
        gf.no_regions = true;
        fuzz_fail("%s", gf.machine ? "TERN_FUZZ_OBJECTS is not set" : "no machine");
        return;
    }
    gf.sparse = sparse_mem_create(&err);
    if (!gf.sparse) {
        fuzz_fail("%s", error_get_pretty(err));
        error_free(err);
        return;
    }
    gf.globs = g_strsplit(gf.objects, " ", -1);
    for (char **g = gf.globs; *g; g++) {
        char *lower = g_ascii_strdown(*g, -1);
        g_free(*g);
        *g = lower;
        printf("Matching objects by name %s\n", *g);
    }
    gf_print_regions();
    gf.no_regions = !gf.ranges->len;
    if (gf.no_regions) {
        fuzz_fail("no fuzzable region matches the objects '%s'", gf.objects);
        return;
    }
    fuzz_add_harness_part(&(FuzzHarnessPart){.name = "generic-fuzz DMA patterns",
                                             .save = gf_part_save,
                                             .restore = gf_part_restore,
                                             .check = gf_part_check});
    dma_set_read_hook(gf_dma_read_hook, NULL);
}

/*
 * A guest shutdown or reset request (sifive-test FAIL, PASS, RESET) ends the
 * input, not the process: nothing after it would replay the same on a
 * "-qtest stdio" server, whose main loop acts on the request, while here it
 * stays pending until the restore (direct accesses) or is acted on at once
 * (serialized).  Ending the input there makes all three agree.
 */
static bool gf_runstate_request_seen(const RunStateSaved *before)
{
    RunStateSaved now;

    runstate_save(&now);
    return (now.shutdown_pending && !before->shutdown_pending) ||
           (now.reset_pending && !before->reset_pending) || now.state != before->state ||
           now.last_shutdown_cause != before->last_shutdown_cause ||
           now.last_reset_cause != before->last_reset_cause;
}

static void gf_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    const uint8_t *cmd = data;
    size_t left = size;
    RunStateSaved before;

    if (!gf.prepared || gf.no_regions) {
        return;
    }
    gf_input_reset();
    runstate_save(&before);
    while (cmd && left) {
        const uint8_t *next = memmem(cmd, left, GF_SEPARATOR, GF_SEPARATOR_LEN);
        size_t len = next ? (size_t)(next - cmd) : left;
        bool stop = false;

        g_array_set_size(gf.dma_regions, 0);
        if (len) {
            gf_ops[cmd[0] % GF_NUM_OPS](cmd + 1, len - 1);
            fuzz_flush_events();
            stop = gf_runstate_request_seen(&before);
        }
        if (stop || !next) {
            break;
        }
        left -= len + GF_SEPARATOR_LEN;
        cmd = next + GF_SEPARATOR_LEN;
    }
    g_array_set_size(gf.dma_regions, 0);
}

/* §8: data1, then CLEAR_DMA_PATTERNS and DISABLE_PCI commands, then what fits of data2. */
static size_t gf_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
                           size_t max_out, unsigned seed)
{
    static const uint8_t middle[] = {'F', 'U', 'Z', 'Z', 8,   'F', 'U',
                                     'Z', 'Z', 6,   'F', 'U', 'Z', 'Z'};
    size_t n, rest;

    G_STATIC_ASSERT(sizeof(middle) == 3 * GF_SEPARATOR_LEN + 2);
    if (max_out <= s1 + sizeof(middle) || s1 > max_out) {
        return 0;
    }
    if (s1) { /* memcpy's pointers must be valid even for 0 bytes: libFuzzer may pass NULL */
        memcpy(out, d1, s1);
    }
    memcpy(out + s1, middle, sizeof(middle));
    n = s1 + sizeof(middle);
    rest = MIN(s2, max_out - n);
    if (rest) {
        memcpy(out + n, d2, rest);
    }
    return n + rest;
}

static void gf_register_targets(void)
{
    fuzz_add_target(&(FuzzTarget){
        .name = "generic-fuzz",
        .description = "Fuzz the MMIO regions of the objects in TERN_FUZZ_OBJECTS on the machine "
                       "in TERN_FUZZ_ARGS (QEMU_ names accepted)",
        .get_init_cmdline = gf_get_init_cmdline,
        .pre_vm_init = gf_pre_vm_init,
        .pre_fuzz = gf_pre_fuzz,
        .fuzz = gf_fuzz,
        .crossover = gf_crossover,
    });
    for (size_t i = 0; i < G_N_ELEMENTS(gf_configs); i++) {
        const GenericFuzzConfig *c = &gf_configs[i];
        fuzz_add_target(&(FuzzTarget){
            .name = c->target,
            .description = c->description,
            .get_init_cmdline = gf_get_init_cmdline,
            .pre_vm_init = gf_pre_vm_init,
            .pre_fuzz = gf_pre_fuzz,
            .fuzz = gf_fuzz,
            .crossover = gf_crossover,
            .opaque = (void *)c,
        });
    }
}

fuzz_target_init(gf_register_targets);
