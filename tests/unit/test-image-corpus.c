/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-image-corpus.c - malformed device trees and ELF images, made here
 * from a valid one, through the real -dtb, -kernel and -bios paths of
 * tern_init().  Each variant must load, or fail with one line naming the
 * option and the file ("-dtb FILE: ..."); the named families must fail with
 * their own reason.  The sanitizer build runs this suite: a variant that
 * makes libfdt or the loader read out of bounds fails there.  The corpus
 * is deterministic (a fixed GRand seed), so a failure names a variant that
 * the next run makes again.
 *
 * Not here: how files are opened and read (the host-file layer's tests),
 * and the valid paths in detail (test-virt.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <string.h>
#include <glib.h>
#include <libfdt.h>

#include "core/bswap.h"
#include "core/machine.h"
#include "core/memory.h"
#include "core/tern.h"
#include "hw/fdt.h"
#include "hw/loader.h"
#include "hw/virt.h"
#include "tests/support/hwtest.h"
#include "tests/support/tern-argv.h"
#include "tests/support/tmpdir.h"

#define CORPUS_SEED 0x436f7270 /* "Corp" */
#define RAM_BASE    0x80000000ull
#define RAM_SIZE    (128ull << 20) /* the virt board's default */

/* What a variant must do: load, fail with a text, or either (ANY). */
static const char LOADS[] = "(loads)";
#define ANY NULL

typedef struct Corpus {
    char *dir;
    char *image;           /* the variant, rewritten for each run */
    char *kernel, *initrd; /* raw images, so that -dtb runs fill /chosen */
    unsigned loaded, refused;
} Corpus;

static Corpus corpus;

static int corpus_setup(void **state)
{
    corpus.dir = tmpdir_new("tern-corpus-XXXXXX");
    corpus.image = g_build_filename(corpus.dir, "image", NULL);
    corpus.kernel = tmpdir_write(corpus.dir, "kernel", "KERNEL!!", 8);
    corpus.initrd = tmpdir_write(corpus.dir, "initrd", "INITRD", 6);
    return 0;
}

static int corpus_teardown(void **state)
{
    print_message("# corpus: %u variants loaded, %u refused\n", corpus.loaded, corpus.refused);
    g_free(corpus.image);
    g_free(corpus.kernel);
    g_free(corpus.initrd);
    tmpdir_remove(corpus.dir);
    return 0;
}

/* The tree the guest got is whole, and the board's /chosen is in it. */
static void assert_guest_tree_is_whole(void)
{
    VirtMachineState *s = VIRT_MACHINE(machine_current());
    uint8_t *fdt = g_malloc(s->fdt_size);
    const char *bootargs;

    address_space_read(address_space_memory(), s->fdt_addr, fdt, s->fdt_size);
    assert_int_equal(fdt_check_full(fdt, s->fdt_size), 0);
    bootargs = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", NULL);
    assert_non_null(bootargs);
    assert_string_equal(bootargs, "console=ttyS0");
    g_free(fdt);
}

/*
 * Runs the variant data through option (-dtb, -kernel or -bios) and checks
 * the outcome against expect; what names the variant in a failure.
 */
static void run_variant(const char *option, const void *data, size_t len, const char *expect,
                        const char *what)
{
    Error *err = NULL;
    TernInitResult r;
    bool dtb = !strcmp(option, "-dtb");

    if (!g_file_set_contents(corpus.image, data, (gssize)len, NULL)) {
        fail_msg("cannot write %s", corpus.image);
    }
    if (dtb) {
        r = tern_init(
            TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", corpus.kernel,
                      "-initrd", corpus.initrd, "-append", "console=ttyS0", "-dtb", corpus.image),
            TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", corpus.kernel,
                      "-initrd", corpus.initrd, "-append", "console=ttyS0", "-dtb", corpus.image),
            &err);
    } else if (!strcmp(option, "-kernel")) {
        r = tern_init(
            TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", corpus.image),
            TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", "-kernel", corpus.image),
            &err);
    } else {
        r = tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", corpus.image),
                      TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", corpus.image), &err);
    }
    if (r == TERN_INIT_RUN) {
        if (expect && expect != LOADS) {
            fail_msg("%s %s: loaded, expected '%s'", option, what, expect);
        }
        if (dtb) {
            assert_guest_tree_is_whole();
        }
        corpus.loaded++;
    } else {
        char *prefix = g_strdup_printf("%s %s: ", option, corpus.image);
        const char *msg;

        if (r != TERN_INIT_ERROR) {
            fail_msg("%s %s: tern_init gave %d", option, what, r);
        }
        msg = error_get_pretty(err);
        if (!g_str_has_prefix(msg, prefix) || strchr(msg, '\n')) {
            fail_msg("%s %s: '%s' is not one line starting '%s'", option, what, msg, prefix);
        }
        if (expect == LOADS || (expect && !strstr(msg, expect))) {
            fail_msg("%s %s: '%s', expected '%s'", option, what, msg, expect);
        }
        g_free(prefix);
        error_free(err);
        corpus.refused++;
    }
    tern_cleanup();
}

/* Random byte changes (1 to 4, in the first span bytes) to copies of base, count of them. */
static void run_random_flips(const char *option, const uint8_t *base, size_t len, size_t span,
                             unsigned count, guint32 seed)
{
    GRand *rand = g_rand_new_with_seed(seed);
    uint8_t *v = g_malloc(len);

    for (unsigned n = 0; n < count; n++) {
        unsigned flips = g_rand_int_range(rand, 1, 5);
        char *what = g_strdup_printf("flip variant %u (seed 0x%x)", n, seed);

        memcpy(v, base, len);
        for (unsigned f = 0; f < flips; f++) {
            v[g_rand_int_range(rand, 0, (gint32)span)] ^= g_rand_int_range(rand, 1, 256);
        }
        run_variant(option, v, len, ANY, what);
        g_free(what);
    }
    g_free(v);
    g_rand_free(rand);
}

/* Both outcomes were seen: a family where everything loads (or nothing does) tests too little. */
static void assert_both_outcomes_since(unsigned loaded, unsigned refused)
{
    assert_true(corpus.loaded > loaded);
    assert_true(corpus.refused > refused);
}

/* ---- device trees --------------------------------------------------------------------- */

enum {
    HDR_MAGIC = 0,
    HDR_TOTALSIZE = 4,
    HDR_OFF_STRUCT = 8,
    HDR_OFF_STRINGS = 12,
    HDR_OFF_RSVMAP = 16,
    HDR_VERSION = 20,
    HDR_LAST_COMP = 24,
    HDR_BOOT_CPUID = 28,
    HDR_SIZE_STRINGS = 32,
    HDR_SIZE_STRUCT = 36,
};

/* The virt board's own tree, from -machine dumpdtb in-process. */
static uint8_t *virt_dtb(size_t *len)
{
    char *path = g_build_filename(corpus.dir, "virt.dtb", NULL);
    char *opt = g_strdup_printf("virt,dumpdtb=%s", path);
    gchar *data = NULL;
    gsize n = 0;

    assert_int_equal(tern_init(TERN_ARGC("-M", opt, "-accel", "qtest", "-bios", "none"),
                               TERN_ARGV("-M", opt, "-accel", "qtest", "-bios", "none"),
                               &error_abort),
                     TERN_INIT_DONE);
    tern_cleanup();
    assert_true(g_file_get_contents(path, &data, &n, NULL));
    assert_int_equal(fdt_check_full(data, n), 0);
    g_free(opt);
    g_free(path);
    *len = n;
    return (uint8_t *)data;
}

/*
 * A hand-made blob: header, reservation map (rsv entries, then the
 * terminator), structure block (words as given, big-endian), strings.  The
 * layout is the usual one; tests move blocks by editing the header.
 */
typedef struct HandTree {
    uint8_t *data;
    size_t len;
} HandTree;

static HandTree hand_tree(const uint64_t *rsv, int nrsv, const uint32_t *words, int nwords,
                          const char *strings, size_t strings_len)
{
    size_t off_rsv = 40, off_struct = off_rsv + 16 * (nrsv + 1);
    size_t off_strings = off_struct + 4 * nwords;
    HandTree t = {.len = off_strings + strings_len};

    t.data = g_malloc0(t.len);
    store_be32(t.data + HDR_MAGIC, FDT_MAGIC);
    store_be32(t.data + HDR_TOTALSIZE, t.len);
    store_be32(t.data + HDR_OFF_STRUCT, off_struct);
    store_be32(t.data + HDR_OFF_STRINGS, off_strings);
    store_be32(t.data + HDR_OFF_RSVMAP, off_rsv);
    store_be32(t.data + HDR_VERSION, 17);
    store_be32(t.data + HDR_LAST_COMP, 16);
    store_be32(t.data + HDR_SIZE_STRINGS, strings_len);
    store_be32(t.data + HDR_SIZE_STRUCT, 4 * nwords);
    for (int i = 0; i < nrsv; i++) {
        store_be32(t.data + off_rsv + 16 * i, rsv[2 * i] >> 32);
        store_be32(t.data + off_rsv + 16 * i + 4, rsv[2 * i]);
        store_be32(t.data + off_rsv + 16 * i + 8, rsv[2 * i + 1] >> 32);
        store_be32(t.data + off_rsv + 16 * i + 12, rsv[2 * i + 1]);
    }
    for (int i = 0; i < nwords; i++) {
        store_be32(t.data + off_struct + 4 * i, words[i]);
    }
    memcpy(t.data + off_strings, strings, strings_len);
    return t;
}

/* Name words: "" is one zero word; "ab" is 'a' 'b' 0 0. */
#define NAME_EMPTY 0
#define NAME_AB    0x61620000
/* A root with one property "p" (nameoff 0, 4 bytes) and a child "ab". */
#define SMALL_TREE_WORDS                                                                           \
    FDT_BEGIN_NODE, NAME_EMPTY, FDT_PROP, 4, 0, 0x12345678, FDT_BEGIN_NODE, NAME_AB, FDT_END_NODE, \
        FDT_END_NODE, FDT_END

static HandTree small_tree(void)
{
    static const uint64_t rsv[] = {0x80000000, 0x1000};
    static const uint32_t words[] = {SMALL_TREE_WORDS};

    return hand_tree(rsv, 1, words, G_N_ELEMENTS(words), "p", 2);
}

static void run_dtb_copy(const uint8_t *base, size_t len, void (*edit)(uint8_t *, size_t, void *),
                         void *opaque, const char *expect, const char *what)
{
    uint8_t *v = g_memdup2(base, len);

    edit(v, len, opaque);
    run_variant("-dtb", v, len, expect, what);
    g_free(v);
}

static void test_the_valid_trees_load(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);
    HandTree small = small_tree();
    uint8_t *padded = g_malloc0(len + 100);

    run_variant("-dtb", virt, len, LOADS, "the virt tree");
    run_variant("-dtb", small.data, small.len, LOADS, "the small tree");
    /* Bytes after totalsize are ignored, as QEMU does. */
    memcpy(padded, virt, len);
    run_variant("-dtb", padded, len + 100, LOADS, "the virt tree with trailing bytes");
    /* A version-16 header (no size_dt_struct) is converted. */
    store_be32(small.data + HDR_VERSION, 16);
    run_variant("-dtb", small.data, small.len, LOADS, "the small tree as version 16");
    g_free(padded);
    g_free(small.data);
    g_free(virt);
}

static void set_field(uint8_t *v, size_t len, void *opaque)
{
    const uint32_t *fv = opaque; /* {field offset, value} */

    store_be32(v + fv[0], fv[1]);
}

static void header_fields_at_their_limits(const uint8_t *base, size_t len, const char *which)
{
    uint32_t total = load_be32(base + HDR_TOTALSIZE);

    for (uint32_t field = 0; field < 40; field += 4) {
        uint32_t orig = load_be32(base + field);
        uint32_t values[] = {0,          1,          total - 1,  total,    total + 1,
                             0x7fffffff, 0x80000000, 0xffffffff, orig + 1, orig + 2,
                             orig - 4,   orig + 8,   16,         17,       40};

        for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
            uint32_t fv[2] = {field, values[i]};
            const char *expect = ANY;
            char *what;

            if (values[i] == orig) {
                continue;
            }
            if (field == HDR_MAGIC) {
                expect = "not a flattened device tree";
            } else if (field == HDR_TOTALSIZE) {
                expect = "damaged device tree (";
            } else if (field == HDR_BOOT_CPUID) {
                expect = LOADS; /* nothing in Tern reads it */
            }
            what = g_strdup_printf("%s, header word %u = 0x%x", which, field, values[i]);
            run_dtb_copy(base, len, set_field, fv, expect, what);
            g_free(what);
        }
    }
}

static void test_every_header_field_at_its_limits_loads_or_is_refused(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);
    HandTree small = small_tree();
    unsigned loaded = corpus.loaded, refused = corpus.refused;

    header_fields_at_their_limits(virt, len, "virt");
    header_fields_at_their_limits(small.data, small.len, "small");
    assert_both_outcomes_since(loaded, refused);
    g_free(small.data);
    g_free(virt);
}

static void test_a_truncated_tree_is_refused_as_truncated(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);

    for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : cut > len - 16 ? 1 : 13) {
        char *what = g_strdup_printf("cut to %zu of %zu bytes", cut, len);

        run_variant("-dtb", virt, cut,
                    cut < 4 ? "not a flattened device tree" : "(FDT_ERR_TRUNCATED)", what);
        g_free(what);
    }
    g_free(virt);
}

static void test_blocks_outside_the_blob_or_on_each_other_are_refused(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);
    uint32_t off_struct = load_be32(virt + HDR_OFF_STRUCT);
    uint32_t off_strings = load_be32(virt + HDR_OFF_STRINGS);
    uint32_t off_rsv = load_be32(virt + HDR_OFF_RSVMAP);
    uint32_t moves[][2] = {
        {HDR_OFF_STRUCT, len},         {HDR_OFF_STRUCT, len - 4},
        {HDR_OFF_STRUCT, off_strings}, {HDR_OFF_STRUCT, off_rsv},
        {HDR_OFF_STRUCT, 0},           {HDR_OFF_STRINGS, len},
        {HDR_OFF_STRINGS, len + 1},    {HDR_OFF_STRINGS, off_struct},
        {HDR_OFF_STRINGS, off_rsv},    {HDR_OFF_STRINGS, 0},
        {HDR_OFF_RSVMAP, len},         {HDR_OFF_RSVMAP, len - 8},
        {HDR_OFF_RSVMAP, off_struct},  {HDR_OFF_RSVMAP, off_strings & ~7u},
        {HDR_OFF_RSVMAP, 0},           {HDR_OFF_RSVMAP, 8},
        {HDR_SIZE_STRUCT, len},        {HDR_SIZE_STRUCT, len - off_struct + 4},
        {HDR_SIZE_STRINGS, len},       {HDR_SIZE_STRINGS, len - off_strings + 1},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(moves); i++) {
        char *what = g_strdup_printf("header word %u = 0x%x", moves[i][0], moves[i][1]);

        run_dtb_copy(virt, len, set_field, moves[i], "damaged device tree (", what);
        g_free(what);
    }
    g_free(virt);
}

/* The offsets of the first max tags of a valid blob's structure block, and their tags. */
static int tag_offsets(const uint8_t *blob, int *offsets, uint32_t *tags, int max)
{
    int n = 0, offset = 0, next = 0;
    uint32_t tag;

    do {
        offset = next;
        tag = fdt_next_tag(blob, offset, &next);
        offsets[n] = offset;
        tags[n++] = tag;
    } while (tag != FDT_END && n < max);
    return n;
}

static void set_struct_word(uint8_t *v, size_t len, void *opaque)
{
    const uint32_t *ov = opaque; /* {offset in the structure block, value} */

    store_be32(v + load_be32(v + HDR_OFF_STRUCT) + ov[0], ov[1]);
}

static void test_bad_tokens_names_and_property_lengths_are_refused(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);
    uint32_t off_struct = load_be32(virt + HDR_OFF_STRUCT);
    uint32_t strings_size = load_be32(virt + HDR_SIZE_STRINGS);
    int offsets[4096];
    uint32_t tags[4096];
    int ntags = tag_offsets(virt, offsets, tags, 4096);
    unsigned loaded = corpus.loaded, refused = corpus.refused;

    for (int i = 0; i < ntags; i += i < 40 ? 1 : 7) {
        static const uint32_t bad_tokens[] = {0, 5, 6, 7, 8, 0x10, 0xffffffff};
        static const uint32_t other_tokens[] = {FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP,
                                                FDT_END};
        char *what;

        for (size_t k = 0; k < G_N_ELEMENTS(bad_tokens); k++) {
            uint32_t ov[2] = {offsets[i], bad_tokens[k]};

            what = g_strdup_printf("tag %d = 0x%x", i, bad_tokens[k]);
            run_dtb_copy(virt, len, set_struct_word, ov, "damaged device tree (", what);
            g_free(what);
        }
        for (size_t k = 0; k < G_N_ELEMENTS(other_tokens); k++) {
            uint32_t ov[2] = {offsets[i], other_tokens[k]};

            if (other_tokens[k] == tags[i]) {
                continue;
            }
            what = g_strdup_printf("tag %d (%u) = %u", i, tags[i], other_tokens[k]);
            run_dtb_copy(virt, len, set_struct_word, ov, ANY, what);
            g_free(what);
        }
        if (tags[i] == FDT_BEGIN_NODE && i > 0) {
            /* The name's bytes up to the next tag, terminator and padding included: 'x'. */
            uint8_t *v = g_memdup2(virt, len);

            memset(v + off_struct + offsets[i] + 4, 'x', offsets[i + 1] - offsets[i] - 4);
            what = g_strdup_printf("tag %d's name unterminated", i);
            run_variant("-dtb", v, len, ANY, what);
            g_free(what);
            g_free(v);
        }
        if (tags[i] == FDT_PROP) {
            uint32_t plen = load_be32(virt + off_struct + offsets[i] + 4);
            uint32_t lens[] = {0xffffffff, 0x7fffffff, 0x80000000, len, plen + 1, plen + 4};
            uint32_t nameoffs[] = {0xffffffff, 0x80000000, strings_size, strings_size + 1};

            for (size_t k = 0; k < G_N_ELEMENTS(lens); k++) {
                uint32_t ov[2] = {offsets[i] + 4, lens[k]};

                what = g_strdup_printf("tag %d's length = 0x%x", i, lens[k]);
                run_dtb_copy(virt, len, set_struct_word, ov, k < 4 ? "damaged device tree (" : ANY,
                             what);
                g_free(what);
            }
            for (size_t k = 0; k < G_N_ELEMENTS(nameoffs); k++) {
                uint32_t ov[2] = {offsets[i] + 8, nameoffs[k]};

                what = g_strdup_printf("tag %d's name offset = 0x%x", i, nameoffs[k]);
                run_dtb_copy(virt, len, set_struct_word, ov, "damaged device tree (", what);
                g_free(what);
            }
        }
    }
    assert_both_outcomes_since(loaded, refused);
    g_free(virt);
}

static void test_an_unterminated_strings_block_is_refused(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);
    uint32_t off = load_be32(virt + HDR_OFF_STRINGS), size = load_be32(virt + HDR_SIZE_STRINGS);
    uint8_t *v = g_memdup2(virt, len);

    /* The last string's terminator: a property is named by it, and now runs off the block. */
    v[off + size - 1] = 'x';
    run_variant("-dtb", v, len, "damaged device tree (", "last string unterminated");
    memcpy(v, virt, len);
    for (uint32_t i = 0; i < size; i++) {
        v[off + i] = v[off + i] ? v[off + i] : 'x';
    }
    run_variant("-dtb", v, len, "damaged device tree (", "no string terminated");
    g_free(v);
    g_free(virt);
}

/*
 * Trees with a wrong root or layout.  Some are libfdt's to refuse (two roots,
 * a named root: fdt_check_full in Debian's libfdt 1.6.1 does, older ones do
 * not, and dt_open_blob checks them too); the rest only Tern refuses.
 */
static void test_trees_with_a_wrong_root_or_layout_are_refused(void **state)
{
    static const uint32_t two_roots[] = {FDT_BEGIN_NODE, NAME_EMPTY,   FDT_END_NODE, FDT_BEGIN_NODE,
                                         NAME_EMPTY,     FDT_END_NODE, FDT_END};
    static const uint32_t named_root[] = {FDT_BEGIN_NODE, NAME_AB, FDT_END_NODE, FDT_END};
    static const uint32_t nop_first[] = {FDT_NOP, FDT_BEGIN_NODE, NAME_EMPTY, FDT_END_NODE,
                                         FDT_END};
    static const uint32_t prop_after_root[] = {
        FDT_BEGIN_NODE, NAME_EMPTY, FDT_END_NODE, FDT_PROP, 4, 0, 0x12345678, FDT_END};
    static const uint32_t nops_inside[] = {FDT_BEGIN_NODE, NAME_EMPTY,   FDT_NOP,
                                           FDT_NOP,        FDT_END_NODE, FDT_END};
    static const uint32_t small[] = {SMALL_TREE_WORDS};
    static const uint64_t open_rsv[] = {0x80000000, 0x1000};
    HandTree t;

    t = hand_tree(NULL, 0, two_roots, G_N_ELEMENTS(two_roots), "", 0);
    run_variant("-dtb", t.data, t.len, "damaged device tree (", "two roots");
    g_free(t.data);
    t = hand_tree(NULL, 0, named_root, G_N_ELEMENTS(named_root), "", 0);
    run_variant("-dtb", t.data, t.len, "damaged device tree (", "named root");
    g_free(t.data);
    t = hand_tree(NULL, 0, nop_first, G_N_ELEMENTS(nop_first), "", 0);
    run_variant("-dtb", t.data, t.len,
                "damaged device tree (the structure block does not start with the root node)",
                "NOP first");
    g_free(t.data);
    t = hand_tree(NULL, 0, prop_after_root, G_N_ELEMENTS(prop_after_root), "p", 2);
    run_variant("-dtb", t.data, t.len, "damaged device tree (", "property after the root");
    g_free(t.data);
    /* NOPs inside the root are the format's own padding. */
    t = hand_tree(NULL, 0, nops_inside, G_N_ELEMENTS(nops_inside), "", 0);
    run_variant("-dtb", t.data, t.len, LOADS, "NOPs inside");
    g_free(t.data);

    /* The strings block laid over the structure block: "p" is then named by its bytes. */
    t = hand_tree(NULL, 0, small, G_N_ELEMENTS(small), "p", 2);
    store_be32(t.data + HDR_OFF_STRINGS, load_be32(t.data + HDR_OFF_STRUCT));
    store_be32(t.data + HDR_SIZE_STRINGS, load_be32(t.data + HDR_SIZE_STRUCT));
    run_variant("-dtb", t.data, t.len, "damaged device tree (its blocks overlap)",
                "strings over structure");
    g_free(t.data);

    t = small_tree();
    store_be32(t.data + HDR_VERSION, 3);
    run_variant("-dtb", t.data, t.len, "damaged device tree (FDT_ERR_BADVERSION)", "version 3");
    store_be32(t.data + HDR_VERSION, 17);
    store_be32(t.data + HDR_LAST_COMP, 18);
    run_variant("-dtb", t.data, t.len, "damaged device tree (FDT_ERR_BADVERSION)",
                "last compatible version 18");
    store_be32(t.data + HDR_LAST_COMP, 16);
    store_be32(t.data + HDR_OFF_RSVMAP, 44);
    run_variant("-dtb", t.data, t.len, "damaged device tree (a block is not aligned)",
                "reservation map at 44");
    store_be32(t.data + HDR_OFF_RSVMAP, 40);
    store_be32(t.data + HDR_OFF_STRUCT, load_be32(t.data + HDR_OFF_STRUCT) + 2);
    run_variant("-dtb", t.data, t.len, "damaged device tree (a block is not aligned)",
                "structure block at an odd offset");
    g_free(t.data);

    /*
     * A reservation map whose last entry is not the terminator: moved to the
     * blob's last 16 bytes (strings padded so that they are 8-aligned).
     */
    t = hand_tree(open_rsv, 1, small, G_N_ELEMENTS(small),
                  "p\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 28);
    assert_int_equal(t.len % 8, 0);
    store_be32(t.data + HDR_OFF_RSVMAP, t.len - 16);
    memcpy(t.data + t.len - 16, t.data + 40, 16);
    run_variant("-dtb", t.data, t.len, "damaged device tree (FDT_ERR_",
                "unterminated reservations");
    g_free(t.data);
}

/*
 * The blob's own limit (the -dtb file limit), on dt_open_blob directly:
 * through -dtb the host-file layer refuses a bigger file first, but a blob
 * may say it is bigger than the bytes it comes in.
 */
static void test_a_tree_above_the_size_limit_is_refused(void **state)
{
    static const uint32_t small[] = {SMALL_TREE_WORDS};
    size_t pad = DT_BLOB_MAX_SIZE + 1;
    char *strings = g_malloc0(pad);
    HandTree t;
    DtContext dt;
    Error *err = NULL;

    strings[0] = 'p';
    t = hand_tree(NULL, 0, small, G_N_ELEMENTS(small), strings, pad);
    dt_init(&dt);
    assert_false(dt_open_blob(&dt, t.data, t.len, &err));
    assert_string_equal(error_get_pretty(err),
                        "damaged device tree (totalsize above the 2 MiB limit)");
    error_free(err);
    /* Strings one byte shorter, totalsize at the limit: the same blob is taken. */
    store_be32(t.data + HDR_TOTALSIZE, DT_BLOB_MAX_SIZE);
    store_be32(t.data + HDR_SIZE_STRINGS, DT_BLOB_MAX_SIZE - load_be32(t.data + HDR_OFF_STRINGS));
    assert_true(dt_open_blob(&dt, t.data, t.len, &error_abort));
    assert_non_null(fdt_getprop(dt.fdt, 0, "p", NULL));
    dt_free(&dt);
    g_free(t.data);
    g_free(strings);
}

static void test_randomly_changed_trees_load_or_give_one_line(void **state)
{
    size_t len;
    uint8_t *virt = virt_dtb(&len);
    HandTree small = small_tree();
    unsigned loaded = corpus.loaded, refused = corpus.refused;
    uint32_t off_strings = load_be32(virt + HDR_OFF_STRINGS);

    run_random_flips("-dtb", virt, len, len, 150, CORPUS_SEED);
    /* Header and structure block only: where the flips change what libfdt walks. */
    run_random_flips("-dtb", virt, len, off_strings, 150, CORPUS_SEED + 1);
    run_random_flips("-dtb", small.data, small.len, small.len, 150, CORPUS_SEED + 2);
    assert_both_outcomes_since(loaded, refused);
    g_free(small.data);
    g_free(virt);
}

/* ---- ELF images ----------------------------------------------------------------------- */

/*
 * A valid image: three PT_LOAD segments (text; data with bss; a small one
 * last in the file) and a PT_NOTE between them, payload after the table.
 */
#define ELF_NPH      4
#define ELF_PHEND    (sizeof(Elf64_Ehdr) + ELF_NPH * sizeof(Elf64_Phdr))
#define ELF_TEXT     0x80200000ull
#define ELF_DATA     0x80201000ull
#define ELF_TAIL     0x80300000ull
#define ELF_TEXT_LEN 64
#define ELF_DATA_LEN 32
#define ELF_TAIL_LEN 16
#define ELF_LEN      (ELF_PHEND + ELF_TEXT_LEN + ELF_DATA_LEN + ELF_TAIL_LEN)

typedef union ElfImage {
    uint8_t bytes[ELF_LEN];
    struct {
        Elf64_Ehdr eh;
        Elf64_Phdr ph[ELF_NPH];
    };
} ElfImage;

static uint8_t elf_payload_byte(uint64_t i)
{
    return (uint8_t)(i * 7 + 1);
}

static void elf_segment(Elf64_Phdr *ph, uint32_t type, uint64_t offset, uint64_t addr,
                        uint64_t filesz, uint64_t memsz)
{
    *ph = (Elf64_Phdr){.p_type = type,
                       .p_flags = PF_R | PF_W | PF_X,
                       .p_offset = offset,
                       .p_vaddr = addr,
                       .p_paddr = addr,
                       .p_filesz = filesz,
                       .p_memsz = memsz,
                       .p_align = 8};
}

static ElfImage valid_elf(void)
{
    ElfImage e;

    memset(&e, 0, sizeof(e));
    memcpy(e.eh.e_ident, ELFMAG, SELFMAG);
    e.eh.e_ident[EI_CLASS] = ELFCLASS64;
    e.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    e.eh.e_ident[EI_VERSION] = EV_CURRENT;
    e.eh.e_type = ET_EXEC;
    e.eh.e_machine = EM_RISCV;
    e.eh.e_version = EV_CURRENT;
    e.eh.e_entry = ELF_TEXT;
    e.eh.e_phoff = sizeof(Elf64_Ehdr);
    e.eh.e_ehsize = sizeof(Elf64_Ehdr);
    e.eh.e_phentsize = sizeof(Elf64_Phdr);
    e.eh.e_phnum = ELF_NPH;
    e.eh.e_shentsize = sizeof(Elf64_Shdr);
    elf_segment(&e.ph[0], PT_LOAD, ELF_PHEND, ELF_TEXT, ELF_TEXT_LEN, ELF_TEXT_LEN);
    elf_segment(&e.ph[1], PT_LOAD, ELF_PHEND + ELF_TEXT_LEN, ELF_DATA, ELF_DATA_LEN, 0x100);
    elf_segment(&e.ph[2], PT_NOTE, ELF_PHEND, 0, ELF_TEXT_LEN, 0);
    elf_segment(&e.ph[3], PT_LOAD, ELF_PHEND + ELF_TEXT_LEN + ELF_DATA_LEN, ELF_TAIL, ELF_TAIL_LEN,
                ELF_TAIL_LEN);
    for (size_t i = ELF_PHEND; i < ELF_LEN; i++) {
        e.bytes[i] = elf_payload_byte(i);
    }
    return e;
}

static void run_elf(const ElfImage *e, const char *expect, const char *what)
{
    run_variant("-kernel", e->bytes, ELF_LEN, expect, what);
}

static void test_the_valid_elf_loads_as_kernel_and_as_firmware(void **state)
{
    ElfImage e = valid_elf();

    run_elf(&e, LOADS, "the valid image");
    /* Check the bytes once, loaded for good. */
    assert_int_equal(tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", corpus.image),
                               TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", corpus.image),
                               &error_abort),
                     TERN_INIT_RUN);
    assert_int_equal(hwtest_read(ELF_TEXT, 1), elf_payload_byte(ELF_PHEND));
    assert_int_equal(hwtest_read(ELF_DATA + ELF_DATA_LEN - 1, 1),
                     elf_payload_byte(ELF_PHEND + ELF_TEXT_LEN + ELF_DATA_LEN - 1));
    assert_int_equal(hwtest_read(ELF_DATA + 0xf8, 8), 0); /* bss */
    assert_int_equal(hwtest_read(ELF_TAIL, 1),
                     elf_payload_byte(ELF_PHEND + ELF_TEXT_LEN + ELF_DATA_LEN));
    tern_cleanup();
    /* A static-PIE (ET_DYN) loads unrelocated, as QEMU loads it. */
    e.eh.e_type = ET_DYN;
    run_elf(&e, LOADS, "ET_DYN");
    /* OSABI and ABI version say nothing about where bytes go. */
    e.eh.e_ident[EI_OSABI] = ELFOSABI_GNU;
    e.eh.e_ident[EI_ABIVERSION] = 7;
    run_elf(&e, LOADS, "OSABI GNU, ABI version 7");
}

/* The entry point is not checked: the board starts at the lowest loaded address (as QEMU). */
static void test_an_entry_point_outside_every_segment_is_accepted_as_qemu(void **state)
{
    ElfImage e = valid_elf();

    for (uint64_t entry = 0; entry < 3; entry++) {
        e.eh.e_entry = entry == 0 ? 0 : entry == 1 ? UINT64_MAX : RAM_BASE + RAM_SIZE;
        run_elf(&e, LOADS, "entry outside");
    }
}

/* e_ident: class, data encoding, version; the 32-bit and big-endian files named as such. */
static void test_elf_identification_bytes_are_checked_by_name(void **state)
{
    static const struct {
        int index;
        uint8_t value;
        const char *expect;
    } cases[] = {
        {EI_CLASS, ELFCLASS32, "32-bit ELF (ELFCLASS32)"},
        {EI_CLASS, ELFCLASSNONE, "bad ELF class 0"},
        {EI_CLASS, 3, "bad ELF class 3"},
        {EI_CLASS, 0xff, "bad ELF class 255"},
        {EI_DATA, ELFDATA2MSB, "big-endian ELF (ELFDATA2MSB)"},
        {EI_DATA, ELFDATANONE, "bad ELF data encoding 0"},
        {EI_DATA, 3, "bad ELF data encoding 3"},
        {EI_VERSION, 0, "ELF version 0, not 1"},
        {EI_VERSION, 2, "ELF version 2, not 1"},
        {EI_OSABI, 0xff, LOADS},
        {EI_PAD, 0xff, LOADS},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        ElfImage e = valid_elf();
        char *what = g_strdup_printf("e_ident[%d] = %u", cases[i].index, cases[i].value);

        e.bytes[cases[i].index] = cases[i].value;
        run_elf(&e, cases[i].expect, what);
        run_variant("-bios", e.bytes, ELF_LEN, cases[i].expect, what);
        g_free(what);
    }
    /* A 32-bit header is shorter than a 64-bit one: named all the same. */
    {
        ElfImage e = valid_elf();

        e.bytes[EI_CLASS] = ELFCLASS32;
        run_variant("-kernel", e.bytes, 52, "32-bit ELF (ELFCLASS32)", "a 52-byte 32-bit header");
    }
}

typedef struct ElfField {
    const char *name;
    size_t offset, size;
    uint64_t ok; /* the one value besides the valid one that loads; ~0: every value loads */
    const char *expect;
} ElfField;

static void elf_set(ElfImage *e, size_t offset, size_t size, uint64_t v)
{
    memcpy(e->bytes + offset, &v, size); /* little-endian host, as the image */
}

static void test_every_elf_header_field_at_its_limits_is_refused_by_name(void **state)
{
#define FIELD(f) #f, offsetof(Elf64_Ehdr, f), sizeof(((Elf64_Ehdr *)0)->f)
    static const ElfField fields[] = {
        {FIELD(e_type), ET_DYN, "is not an executable (ET_EXEC or ET_DYN)"},
        {FIELD(e_machine), EM_RISCV, "not RISC-V"},
        {FIELD(e_version), EV_CURRENT, "ELF version"},
        {FIELD(e_entry), ~0ull, LOADS},
        {FIELD(e_shoff), ~0ull, LOADS},
        {FIELD(e_flags), ~0ull, LOADS},
        {FIELD(e_ehsize), sizeof(Elf64_Ehdr), "ELF header size"},
        {FIELD(e_phentsize), sizeof(Elf64_Phdr), "ELF program header size"},
        {FIELD(e_shentsize), ~0ull, LOADS},
        {FIELD(e_shnum), ~0ull, LOADS},
        {FIELD(e_shstrndx), ~0ull, LOADS},
    };
#undef FIELD
    static const uint64_t values[] = {0,          1,          2,           3,
                                      4,          0x7f,       0xff,        0x100,
                                      0x7fff,     0x8000,     0xfffe,      0xffff,
                                      0x7fffffff, 0x80000000, 0xffffffff,  0x8000000000000000ull,
                                      UINT64_MAX, ELF_LEN,    ELF_LEN - 1, ELF_LEN + 1};

    for (size_t f = 0; f < G_N_ELEMENTS(fields); f++) {
        for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
            ElfImage e = valid_elf();
            uint64_t mask = fields[f].size == 8 ? UINT64_MAX : (1ull << (8 * fields[f].size)) - 1;
            uint64_t v = values[i] & mask, orig = 0;
            const char *expect = fields[f].expect;
            char *what;

            memcpy(&orig, e.bytes + fields[f].offset, fields[f].size);
            if (v == orig || fields[f].ok == ~0ull || v == fields[f].ok) {
                expect = LOADS;
            }
            elf_set(&e, fields[f].offset, fields[f].size, v);
            what = g_strdup_printf("%s = 0x%" PRIx64, fields[f].name, v);
            run_elf(&e, expect, what);
            g_free(what);
        }
    }
}

static void test_a_bad_program_header_table_is_refused_by_name(void **state)
{
    static const struct {
        uint64_t phoff;
        uint16_t phnum;
        const char *expect;
    } cases[] = {
        {sizeof(Elf64_Ehdr), 0, "ELF has no program headers"},
        {sizeof(Elf64_Ehdr), PN_XNUM, "extended program header numbering (PN_XNUM)"},
        {sizeof(Elf64_Ehdr), 0xfffe, "ELF program header table lies outside the file"},
        {sizeof(Elf64_Ehdr), 7, "ELF program header table lies outside the file"},
        {ELF_LEN, 1, "ELF program header table lies outside the file"},
        {ELF_LEN - sizeof(Elf64_Phdr) + 1, 1, "ELF program header table lies outside the file"},
        {UINT64_MAX, 1, "ELF program header table lies outside the file"},
        {UINT64_MAX - sizeof(Elf64_Phdr) + 2, 1, "ELF program header table lies outside the file"},
        {0x8000000000000000ull, 4, "ELF program header table lies outside the file"},
        /* Fewer headers: the last PT_LOADs are not seen, what is left loads. */
        {sizeof(Elf64_Ehdr), 1, LOADS},
        /* The table read from other bytes of the file: whatever they say, no crash. */
        {0, 1, ANY},
        {ELF_PHEND, 1, ANY},
        {ELF_LEN - sizeof(Elf64_Phdr), 1, ANY},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        ElfImage e = valid_elf();
        char *what =
            g_strdup_printf("e_phoff 0x%" PRIx64 ", e_phnum %u", cases[i].phoff, cases[i].phnum);

        e.eh.e_phoff = cases[i].phoff;
        e.eh.e_phnum = cases[i].phnum;
        run_elf(&e, cases[i].expect, what);
        g_free(what);
    }
}

static void test_a_truncated_elf_is_refused_by_what_it_lacks(void **state)
{
    ElfImage e = valid_elf();

    for (size_t cut = 4; cut < ELF_LEN; cut++) {
        char *what = g_strdup_printf("cut to %zu of %zu bytes", cut, (size_t)ELF_LEN);
        const char *expect = cut < sizeof(Elf64_Ehdr) ? "truncated ELF header"
                             : cut < ELF_PHEND ? "ELF program header table lies outside the file"
                                               : "lies outside the file";

        run_variant("-kernel", e.bytes, cut, expect, what);
        g_free(what);
    }
}

/* Each PT_LOAD segment (0, 1 and 3) with one field at a limit. */
static void test_bad_segments_are_refused_by_name(void **state)
{
    static const int loads[] = {0, 1, 3};
    unsigned loaded = corpus.loaded, refused = corpus.refused;

    for (size_t k = 0; k < G_N_ELEMENTS(loads); k++) {
        int i = loads[k];
        const Elf64_Phdr valid = valid_elf().ph[i];
        /* expect: a format with the segment number, or a fixed text, or LOADS. */
        struct {
            const char *what;
            Elf64_Phdr ph;
            const char *expect;
        } cases[] = {
            {"offset at the file's end", valid, "ELF segment %d lies outside the file"},
            {"offset past the file", valid, "ELF segment %d lies outside the file"},
            {"offset wrapping", valid, "ELF segment %d lies outside the file"},
            {"file size past the file", valid, "ELF segment %d lies outside the file"},
            {"file size above memory size", valid, "ELF segment %d holds 0x"},
            {"file size, no memory", valid, "ELF segment %d holds 0x"},
            {"file size at most", valid, "ELF segment %d holds 0x"},
            {"memory size wrapping", valid, "wraps around the address space"},
            {"memory size 1 TiB", valid, "is outside RAM"},
            {"address 0", valid, "is outside RAM"},
            {"address below RAM", valid, "is outside RAM"},
            {"address at RAM's end", valid, "is outside RAM"},
            {"address wrapping", valid, "wraps around the address space"},
            {"ending one past RAM", valid, "is outside RAM"},
            {"ending at RAM's end", valid, LOADS},
            {"empty", valid, LOADS},
        };

        cases[0].ph.p_offset = ELF_LEN;
        cases[1].ph.p_offset = ELF_LEN - valid.p_filesz + 1;
        cases[2].ph.p_offset = UINT64_MAX - 1;
        cases[3].ph.p_filesz = ELF_LEN;
        cases[3].ph.p_memsz = 0x10000;
        cases[4].ph.p_filesz = valid.p_memsz + 1;
        cases[5].ph.p_memsz = 0;
        cases[6].ph.p_filesz = UINT64_MAX;
        cases[7].ph.p_memsz = UINT64_MAX - valid.p_paddr + 1;
        cases[8].ph.p_memsz = 1ull << 40;
        cases[9].ph.p_paddr = 0;
        cases[10].ph.p_paddr = RAM_BASE - 8;
        cases[11].ph.p_paddr = RAM_BASE + RAM_SIZE;
        cases[12].ph.p_paddr = UINT64_MAX - 4;
        cases[13].ph.p_paddr = RAM_BASE + RAM_SIZE - valid.p_memsz + 1;
        cases[14].ph.p_paddr = RAM_BASE + RAM_SIZE - valid.p_memsz;
        cases[15].ph.p_filesz = cases[15].ph.p_memsz = 0;
        for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
            ElfImage e = valid_elf();
            char *expect = cases[c].expect == LOADS ? NULL : g_strdup_printf(cases[c].expect, i);
            char *what = g_strdup_printf("segment %d: %s", i, cases[c].what);

            e.ph[i] = cases[c].ph;
            run_elf(&e, expect ? expect : LOADS, what);
            g_free(what);
            g_free(expect);
        }
    }
    /* No PT_LOAD left. */
    {
        ElfImage e = valid_elf();

        e.ph[0].p_type = e.ph[1].p_type = e.ph[3].p_type = PT_NULL;
        run_elf(&e, "ELF has no loadable segment", "no PT_LOAD");
    }
    assert_both_outcomes_since(loaded, refused);
}

static void test_segments_overlapping_each_other_are_refused(void **state)
{
    static const struct {
        int moved, onto;
        int64_t delta;
        const char *expect;
    } cases[] = {
        {1, 0, 8, "ELF segment 1 overlaps segment 0"},
        {1, 0, 0, "ELF segment 1 overlaps segment 0"},
        {1, 0, -8, "ELF segment 1 overlaps segment 0"},
        {0, 1, 0x80, "ELF segment 1 overlaps segment 0"}, /* into 1's bss */
        {3, 0, 0, "ELF segment 3 overlaps segment 0"},
        {3, 1, 0xf0, "ELF segment 3 overlaps segment 1"},
        {0, 3, 0, "ELF segment 3 overlaps segment 0"},
        /* Touching is not overlapping. */
        {3, 0, ELF_TEXT_LEN, LOADS},
        {3, 1, 0x100, LOADS},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        ElfImage e = valid_elf();
        char *what = g_strdup_printf("segment %d at segment %d %+" PRId64, cases[i].moved,
                                     cases[i].onto, cases[i].delta);

        e.ph[cases[i].moved].p_paddr = e.ph[cases[i].onto].p_paddr + cases[i].delta;
        run_elf(&e, cases[i].expect, what);
        g_free(what);
    }
}

static void test_randomly_changed_elfs_load_or_give_one_line(void **state)
{
    ElfImage e = valid_elf();
    unsigned loaded = corpus.loaded, refused = corpus.refused;

    run_random_flips("-kernel", e.bytes, ELF_LEN, ELF_PHEND, 250, CORPUS_SEED + 3);
    run_random_flips("-kernel", e.bytes, ELF_LEN, ELF_LEN, 100, CORPUS_SEED + 4);
    run_random_flips("-bios", e.bytes, ELF_LEN, ELF_PHEND, 150, CORPUS_SEED + 5);
    assert_both_outcomes_since(loaded, refused);
}

/* ---- all or nothing ------------------------------------------------------------------- */

/*
 * An image refused for its last segment wrote nothing, not even the
 * segments before it: the loader on a bench with RAM full of a pattern.
 */
/* A board claim that refuses the third range it is asked about. */
static bool refuse_third_claim(void *opaque, hwaddr addr, uint64_t len, Error **errp)
{
    unsigned *claims = opaque;

    if (++*claims == 3) {
        error_setg(errp, "claim 3 refused");
        return false;
    }
    return true;
}

static void test_a_refused_elf_leaves_ram_untouched(void **state)
{
    HwTest *t = hwtest_new();
    MemoryRegion ram;
    uint8_t *host;
    const size_t ram_size = 4 << 20;
    unsigned checked = 0;

    assert_true(memory_region_init_ram(&ram, NULL, "ram", ram_size, &error_abort));
    memory_region_add_subregion(&t->root, RAM_BASE, &ram);
    host = memory_region_get_ram_ptr(&ram);
    for (int c = 0; c < 6; c++) {
        ElfImage e = valid_elf();
        LoadedImage img;
        Error *err = NULL;

        switch (c) {
        case 0:
            e.ph[3].p_paddr = RAM_BASE + ram_size; /* outside RAM */
            break;
        case 1:
            e.ph[3].p_paddr = ELF_TEXT + 4; /* overlaps segment 0 */
            break;
        case 2:
            e.ph[3].p_offset = ELF_LEN; /* outside the file */
            break;
        case 3:
            e.ph[3].p_filesz = ELF_TAIL_LEN + 1; /* more file than memory */
            break;
        case 4:
            e.ph[3].p_paddr = UINT64_MAX - 4; /* wraps */
            break;
        case 5:
            e.ph[3].p_memsz = 1ull << 40; /* beyond RAM */
            break;
        }
        memset(host, 0xa5, ram_size);
        assert_false(loader_load_buffer(address_space_memory(), "image", e.bytes, ELF_LEN, RAM_BASE,
                                        RAM_BASE, RAM_BASE + ram_size, NULL, &img, &err));
        assert_true(g_str_has_prefix(error_get_pretty(err), "image: ELF segment 3 "));
        error_free(err);
        for (size_t i = 0; i < ram_size; i++) {
            if (host[i] != 0xa5) {
                fail_msg("variant %d wrote RAM at 0x%zx", c, i);
            }
        }
        checked++;
    }
    /* A valid image the board refuses a place to (its claim says no) writes nothing either. */
    {
        ElfImage e = valid_elf();
        LoadedImage img;
        Error *err = NULL;
        unsigned claims = 0;
        const LoaderClaim claim = {refuse_third_claim, &claims};

        memset(host, 0xa5, ram_size);
        assert_false(loader_load_buffer(address_space_memory(), "image", e.bytes, ELF_LEN, RAM_BASE,
                                        RAM_BASE, RAM_BASE + ram_size, &claim, &img, &err));
        assert_string_equal(error_get_pretty(err), "claim 3 refused");
        assert_int_equal(claims, 3);
        error_free(err);
        for (size_t i = 0; i < ram_size; i++) {
            if (host[i] != 0xa5) {
                fail_msg("a refused claim wrote RAM at 0x%zx", i);
            }
        }
    }
    /* And the same image made valid does write there: the check above can fail. */
    {
        ElfImage e = valid_elf();
        LoadedImage img;

        assert_true(loader_load_buffer(address_space_memory(), "image", e.bytes, ELF_LEN, RAM_BASE,
                                       RAM_BASE, RAM_BASE + ram_size, NULL, &img, &error_abort));
        assert_int_equal(host[ELF_TEXT - RAM_BASE], elf_payload_byte(ELF_PHEND));
    }
    assert_int_equal(checked, 6);
    memory_region_del_subregion(&t->root, &ram);
    memory_region_finalize(&ram);
    hwtest_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_valid_trees_load),
        cmocka_unit_test(test_every_header_field_at_its_limits_loads_or_is_refused),
        cmocka_unit_test(test_a_truncated_tree_is_refused_as_truncated),
        cmocka_unit_test(test_blocks_outside_the_blob_or_on_each_other_are_refused),
        cmocka_unit_test(test_bad_tokens_names_and_property_lengths_are_refused),
        cmocka_unit_test(test_an_unterminated_strings_block_is_refused),
        cmocka_unit_test(test_trees_with_a_wrong_root_or_layout_are_refused),
        cmocka_unit_test(test_a_tree_above_the_size_limit_is_refused),
        cmocka_unit_test(test_randomly_changed_trees_load_or_give_one_line),
        cmocka_unit_test(test_the_valid_elf_loads_as_kernel_and_as_firmware),
        cmocka_unit_test(test_an_entry_point_outside_every_segment_is_accepted_as_qemu),
        cmocka_unit_test(test_elf_identification_bytes_are_checked_by_name),
        cmocka_unit_test(test_every_elf_header_field_at_its_limits_is_refused_by_name),
        cmocka_unit_test(test_a_bad_program_header_table_is_refused_by_name),
        cmocka_unit_test(test_a_truncated_elf_is_refused_by_what_it_lacks),
        cmocka_unit_test(test_bad_segments_are_refused_by_name),
        cmocka_unit_test(test_segments_overlapping_each_other_are_refused),
        cmocka_unit_test(test_randomly_changed_elfs_load_or_give_one_line),
        cmocka_unit_test(test_a_refused_elf_leaves_ram_untouched),
    };

    return cmocka_run_group_tests(tests, corpus_setup, corpus_teardown);
}
