/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fdt.c - the device-tree builder of hw/fdt.h on its own: a tree
 * that outgrows its buffer (many nodes, one big property, a -dtb blob
 * grown past its room) keeps every byte written, each property helper
 * writes the encoding the header gives, phandles by owner, and a missing
 * node or a duplicate one is fatal with one line naming it (a bug in Tern:
 * the tree is Tern's own).
 *
 * Not here: blobs from outside checked by dt_open_blob (test-image-corpus),
 * interrupt controllers (test-sysbus), the board's tree (test-virt).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <libfdt.h>

#include "hw/fdt.h"
#include "tests/support/fdt-test.h"

#define NODES 2000 /* about 150 KiB of tree: two doublings of the 64 KiB start */

/* The value node i's "data" property holds: its index in every word, so a moved byte shows. */
static void node_data(unsigned i, uint32_t *cells, int n)
{
    for (int k = 0; k < n; k++) {
        cells[k] = i * 16 + k;
    }
}

static void test_a_tree_of_many_nodes_outgrows_its_buffer_and_keeps_them(void **state)
{
    DtContext dt;
    size_t size;

    dt_init(&dt);
    assert_int_equal(dt.size, 64 * 1024);
    g_free(dt_add_node(&dt, "/", "soc", (uint64_t)-1));
    for (unsigned i = 0; i < NODES; i++) {
        char *path = dt_add_node(&dt, "/soc", "dev", 0x10000000ull + i * 0x1000);
        uint32_t cells[16];

        node_data(i, cells, 16);
        dt_setprop_cells(&dt, path, "data", cells, 16);
        g_free(path);
    }
    assert_true(dt.size >= 256 * 1024); /* doubled, twice at least */
    size = dt_finish(&dt);
    assert_true(size > 64 * 1024);
    assert_true(size <= dt.size);
    assert_int_equal(fdt_check_full(dt.fdt, size), 0);
    for (unsigned i = 0; i < NODES; i++) {
        char *path = g_strdup_printf("/soc/dev@%x", 0x10000000u + i * 0x1000);
        uint32_t cells[16];

        node_data(i, cells, 16);
        fdt_test_assert_cells(dt.fdt, path, "data", cells, 16);
        g_free(path);
    }
    dt_free(&dt);
    assert_null(dt.fdt);
    dt_free(&dt); /* twice is harmless */
}

static void test_one_property_bigger_than_the_buffer_grows_it_as_often_as_needed(void **state)
{
    enum { BIG = 300 * 1024 }; /* 64 -> 128 -> 256 -> 512 KiB */
    uint8_t *big = g_malloc(BIG);
    DtContext dt;
    size_t size;

    for (size_t i = 0; i < BIG; i++) {
        big[i] = (uint8_t)(i * 7 + 1);
    }
    dt_init(&dt);
    dt_setprop_string(&dt, "/", "model", "before");
    dt_setprop(&dt, "/", "blob", big, BIG);
    assert_int_equal(dt.size, 512 * 1024);
    size = dt_finish(&dt);
    assert_int_equal(fdt_check_full(dt.fdt, size), 0);
    fdt_test_assert_bytes(dt.fdt, "/", "blob", big, BIG);
    fdt_test_assert_string(dt.fdt, "/", "model", "before");
    dt_free(&dt);
    g_free(big);
}

/* A -dtb blob gets 64 KiB of room; more than that grows it as Tern's own tree grows. */
static void test_an_opened_blob_grows_past_its_room(void **state)
{
    DtContext src, dt;
    Error *err = NULL;
    size_t len;
    void *blob;

    dt_init(&src);
    dt_setprop_string(&src, "/", "model", "from outside");
    len = dt_finish(&src);
    blob = g_memdup2(src.fdt, len);
    dt_free(&src);

    dt_init(&dt);
    assert_true(dt_open_blob(&dt, blob, len, &err));
    assert_null(err);
    assert_int_equal(dt.size, len + 64 * 1024);
    g_free(dt_add_node(&dt, "/", "chosen", (uint64_t)-1));
    for (unsigned i = 0; i < 100; i++) {
        char *name = g_strdup_printf("pad%u", i);
        uint8_t pad[1024];

        memset(pad, (int)i, sizeof(pad));
        dt_setprop(&dt, "/chosen", name, pad, sizeof(pad));
        g_free(name);
    }
    assert_true(dt.size > len + 64 * 1024);
    len = dt_finish(&dt);
    assert_int_equal(fdt_check_full(dt.fdt, len), 0);
    fdt_test_assert_string(dt.fdt, "/", "model", "from outside");
    for (unsigned i = 0; i < 100; i++) {
        char *name = g_strdup_printf("pad%u", i);
        uint8_t pad[1024];

        memset(pad, (int)i, sizeof(pad));
        fdt_test_assert_bytes(dt.fdt, "/chosen", name, pad, sizeof(pad));
        g_free(name);
    }
    dt_free(&dt);
    g_free(blob);
}

static void test_property_helpers_write_the_documented_encoding(void **state)
{
    static const uint8_t u64[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    static const uint8_t reg[] = {0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00};
    static const uint32_t cells[] = {1, 0xfffffffe, 3};
    DtContext dt;
    char *path;
    int len = -1;

    dt_init(&dt);
    path = dt_add_node(&dt, "/", "node", 0x1000);
    assert_string_equal(path, "/node@1000");
    dt_setprop_u64(&dt, path, "u64", 0x0102030405060708ull);
    dt_setprop_reg(&dt, path, 0x180000000ull, 0x1000);
    dt_setprop_cells(&dt, path, "three", cells, 3);
    dt_setprop_cells(&dt, path, "none", NULL, 0);
    dt_setprop_cell(&dt, path, "one", 0xdeadbeef);
    dt_setprop_empty(&dt, path, "flag");
    dt_setprop_strings(&dt, path, "compatible", "vendor,dev", "dev", NULL);
    dt_setprop_strings(&dt, path, "nothing", NULL);
    dt_setprop_string(&dt, path, "status", "okay");
    dt_finish(&dt);

    fdt_test_assert_bytes(dt.fdt, path, "u64", u64, sizeof(u64));
    fdt_test_assert_bytes(dt.fdt, path, "reg", reg, sizeof(reg));
    fdt_test_assert_cells(dt.fdt, path, "three", cells, 3);
    fdt_test_assert_empty(dt.fdt, path, "none");
    fdt_test_assert_cells(dt.fdt, path, "one", (uint32_t[]){0xdeadbeef}, 1);
    fdt_test_assert_empty(dt.fdt, path, "flag");
    fdt_test_assert_bytes(dt.fdt, path, "compatible", "vendor,dev\0dev", sizeof("vendor,dev\0dev"));
    fdt_test_assert_empty(dt.fdt, path, "nothing");
    fdt_test_assert_string(dt.fdt, path, "status", "okay");
    /* Setting a property again replaces it. */
    dt_setprop_cell(&dt, path, "one", 2);
    fdt_test_assert_cells(dt.fdt, path, "one", (uint32_t[]){2}, 1);
    fdt_test_prop(dt.fdt, path, "one", &len);
    assert_int_equal(len, 4);
    g_free(path);
    /* A node under a node other than the root, and one without a unit address. */
    path = dt_add_node(&dt, "/node@1000", "child", (uint64_t)-1);
    assert_string_equal(path, "/node@1000/child");
    assert_true(fdt_path_offset(dt.fdt, path) > 0);
    g_free(path);
    dt_free(&dt);
}

static void test_phandles_by_owner(void **state)
{
    int a, b, c;
    DtContext dt;

    dt_init(&dt);
    assert_int_equal(dt_lookup_phandle(&dt, &a), 0);
    assert_int_equal(dt_phandle(&dt, &a), 1); /* allocated on the first call, from 1 */
    assert_int_equal(dt_phandle(&dt, &a), 1); /* and kept */
    assert_int_equal(dt_lookup_phandle(&dt, &a), 1);
    assert_int_equal(dt_alloc_phandle(&dt), 2); /* an anonymous one */
    assert_int_equal(dt_phandle(&dt, &b), 3);
    dt_set_phandle(&dt, &c, 0x40); /* the caller's choice */
    assert_int_equal(dt_phandle(&dt, &c), 0x40);
    assert_int_equal(dt_lookup_phandle(&dt, &c), 0x40);
    dt_set_phandle(&dt, &a, 0x41); /* replaced */
    assert_int_equal(dt_phandle(&dt, &a), 0x41);
    dt_free(&dt);
}

/*
 * Runs fn in a child and checks it dies (g_error: a bug in Tern is fatal)
 * with one line on stderr containing text.
 */
static void assert_fatal(void (*fn)(DtContext *dt), const char *text)
{
    int err[2], wstatus;
    char buf[1024] = "";
    size_t got = 0;
    ssize_t n;
    pid_t pid;

    assert_int_equal(pipe(err), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        DtContext dt;

        dup2(err[1], STDERR_FILENO);
        dt_init(&dt);
        fn(&dt);
        _exit(0);
    }
    close(err[1]);
    while (got < sizeof(buf) - 1 && (n = read(err[0], buf + got, sizeof(buf) - 1 - got)) > 0) {
        got += n;
    }
    close(err[0]);
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFSIGNALED(wstatus));
    if (!strstr(buf, text)) {
        fail_msg("stderr '%s' lacks '%s'", buf, text);
    }
}

static void set_on_a_missing_node(DtContext *dt)
{
    dt_setprop_cell(dt, "/nosuch", "x", 1);
}

static void add_under_a_missing_node(DtContext *dt)
{
    g_free(dt_add_node(dt, "/nosuch", "x", 1));
}

static void add_a_node_twice(DtContext *dt)
{
    g_free(dt_add_node(dt, "/", "twice", 0x10));
    g_free(dt_add_node(dt, "/", "twice", 0x10));
}

static void test_a_missing_or_duplicate_node_is_fatal_and_named(void **state)
{
    assert_fatal(set_on_a_missing_node, "device tree: no node '/nosuch' (FDT_ERR_NOTFOUND)");
    assert_fatal(add_under_a_missing_node, "device tree: no node '/nosuch' (FDT_ERR_NOTFOUND)");
    assert_fatal(add_a_node_twice, "device tree: cannot add '/twice@10' (FDT_ERR_EXISTS)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_tree_of_many_nodes_outgrows_its_buffer_and_keeps_them),
        cmocka_unit_test(test_one_property_bigger_than_the_buffer_grows_it_as_often_as_needed),
        cmocka_unit_test(test_an_opened_blob_grows_past_its_room),
        cmocka_unit_test(test_property_helpers_write_the_documented_encoding),
        cmocka_unit_test(test_phandles_by_owner),
        cmocka_unit_test(test_a_missing_or_duplicate_node_is_fatal_and_named),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
