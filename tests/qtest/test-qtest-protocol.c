/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qtest-protocol.c - the qtest server against its spec
 * (../shared/spec/qtest-protocol.md), byte for byte: every command's reply,
 * every ERR case of §4 (and that the server keeps serving after each), IRQ
 * interception (§5), the clock table (§6), the log format (§7), and the
 * transports: in-process, chardevs inside tern_init(), and spawned tern
 * binaries on stdio and unix sockets.
 *
 * Most tests feed an in-process server directly ("raw"): the whole output,
 * asynchronous IRQ lines included, is compared with what the spec says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/qtest-util.h"
#include "tests/support/tmpdir.h"

#include "core/error.h"
#include "core/main-loop.h"
#include "core/object.h"
#include "core/qdev.h"
#include "core/runstate.h"
#include "core/tern.h"
#include "cpu/hart.h"
#include "qtest/qtest.h"

#define MACHINE     "-M virt -bios none -nodefaults -accel qtest"
#define RAM         "0x80000000"
#define HART0       "/machine/soc0/harts[0]"
#define PLIC_PATH   "/machine/unattached/device[2]"
#define WAIT_MS     10000
#define SOCK_PREFIX "tern-qtest-proto"

/* ---- the raw in-process harness ------------------------------------------------------------- */

typedef struct Raw {
    QTestServer *s;
    GString *out;
    char **argv;
} Raw;

static Raw *raw;        /* the current one; teardown frees it */
static QTestState *qts; /* the current client; teardown quits it */
static GPid child_pid;  /* a hand-spawned tern; teardown kills it */
static char *tmp_dir;   /* per test: sockets and logs */

static void raw_collect(void *opaque, const char *text, size_t len)
{
    g_string_append_len(((Raw *)opaque)->out, text, len);
}

static char **tern_argv(const char *args, int *argc)
{
    char *line = g_strconcat("tern -nouserconfig ", args, NULL);
    char **argv = NULL;

    assert_true(g_shell_parse_argv(line, argc, &argv, NULL));
    g_free(line);
    return argv;
}

/* tern_init with args; the argv stays alive until tern_cleanup (in raw_stop). */
static char **init_tern(const char *args)
{
    int argc;
    char **argv = tern_argv(args, &argc);
    Error *err = NULL;

    if (tern_init(argc, argv, &err) != TERN_INIT_RUN) {
        print_error("tern_init '%s': %s\n", args, err ? error_get_pretty(err) : "?");
        error_free(err);
        g_strfreev(argv);
        fail();
    }
    return argv;
}

/* A server (opened) on a machine built from args (NULL: no machine), logging to log. */
static Raw *raw_start(const char *args, const char *log)
{
    Raw *r = g_new0(Raw, 1);

    raw = r;
    r->out = g_string_new(NULL);
    if (args) {
        r->argv = init_tern(args);
    }
    r->s = qtest_server_new(raw_collect, r);
    if (log) {
        assert_true(qtest_server_set_log_path(r->s, log, NULL));
    } else {
        qtest_server_set_log(r->s, NULL, false);
    }
    qtest_server_open(r->s);
    return r;
}

static void raw_stop(void)
{
    if (!raw) {
        return;
    }
    qtest_server_free(raw->s);
    tern_cleanup();
    g_strfreev(raw->argv);
    g_string_free(raw->out, TRUE);
    g_free(raw);
    raw = NULL;
}

static char *raw_take(Raw *r)
{
    char *text = g_strndup(r->out->str, r->out->len);

    g_string_truncate(r->out, 0);
    return text;
}

/* Feeds len bytes and checks the whole output they caused. */
static void raw_expect_n(Raw *r, const char *req, size_t len, const char *expected)
{
    char *got;

    qtest_server_feed(r->s, req, len);
    got = raw_take(r);
    if (strcmp(got, expected)) {
        char *q = g_strescape(g_strndup(req, len), NULL), *g = g_strescape(got, NULL),
             *e = g_strescape(expected, NULL);
        print_error("request '%s':\n  got      '%s'\n  expected '%s'\n", q, g, e);
        fail();
    }
    g_free(got);
}

static void raw_expect(Raw *r, const char *req, const char *expected)
{
    raw_expect_n(r, req, strlen(req), expected);
}

/* Feeds req and checks that its one reply line starts with prefix. */
static void raw_expect_prefix(Raw *r, const char *req, const char *prefix)
{
    char *got;

    qtest_server_feed(r->s, req, strlen(req));
    got = raw_take(r);
    if (!g_str_has_prefix(got, prefix) || strchr(got, '\n') != got + strlen(got) - 1) {
        print_error("request '%s': got '%s', expected one line starting '%s'\n", req, got, prefix);
        fail();
    }
    g_free(got);
}

static int setup(void **state)
{
    qtest_util_install_fail_handler();
    tmp_dir = tmpdir_new("tern-qtest-XXXXXX");
    return 0;
}

static int teardown(void **state)
{
    if (child_pid > 0) {
        kill(child_pid, SIGKILL);
        waitpid(child_pid, NULL, 0);
        child_pid = 0;
    }
    if (qts) {
        QTestState *s = qts;
        qts = NULL;
        qtest_quit(s);
    }
    raw_stop();
    tern_cleanup();
    tmpdir_remove(tmp_dir);
    tmp_dir = NULL;
    return 0;
}

static char *tmp_path(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

static char *read_file(const char *path)
{
    char *text = NULL;

    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static unsigned count_substr(const char *text, const char *needle)
{
    unsigned n = 0;

    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/* ---- endianness at any time ----------------------------------------------------------------- */

static void test_endianness_is_answered_before_the_machine_exists(void **state)
{
    Raw *r = raw_start(NULL, NULL);

    raw_expect(r, "endianness\n", "OK little\n");
    raw_expect(r, "readl 0x1000\n", "ERR readl: no machine yet\n");
    raw_expect(r, "clock_step\n", "FAIL Unknown command 'clock_step'\n");
    /* The same server goes on once the machine is there. */
    r->argv = init_tern(MACHINE);
    raw_expect(r, "readl 0x1000\n", "OK 0x0000000000000297\n");
    raw_expect(r, "endianness\n", "OK little\n");
}

/* ---- memory, ports and bulk data ------------------------------------------------------------ */

static void test_sized_reads_and_writes_are_byte_exact(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "readb 0x1000\n", "OK 0x0000000000000097\n");
    raw_expect(r, "readw 0x1000\n", "OK 0x0000000000000297\n");
    raw_expect(r, "readl 0x1000\n", "OK 0x0000000000000297\n");
    raw_expect(r, "readq 0x1000\n", "OK 0x0282861300000297\n");
    /* Little-endian stores, values truncated to the access width. */
    raw_expect(r, "writeq " RAM " 0x1122334455667788\n", "OK\n");
    raw_expect(r, "readq " RAM "\n", "OK 0x1122334455667788\n");
    raw_expect(r, "readl 0x80000004\n", "OK 0x0000000011223344\n");
    raw_expect(r, "writeb " RAM " 0x1ff\n", "OK\n");
    raw_expect(r, "writew 0x80000002 0xabcdef\n", "OK\n");
    raw_expect(r, "writel 0x80000004 0x1deadbeef\n", "OK\n");
    raw_expect(r, "readq " RAM "\n", "OK 0xdeadbeefcdef77ff\n");
    /* ROM ignores writes; holes read 0; a 2-byte read of mtime is refused and reads 0. */
    raw_expect(r, "writel 0x1000 0\n", "OK\n");
    raw_expect(r, "readl 0x1000\n", "OK 0x0000000000000297\n");
    raw_expect(r, "readq 0x3000\n", "OK 0x0000000000000000\n");
    raw_expect(r, "readw 0x200bff8\n", "OK 0x0000000000000000\n");
}

static void test_numbers_follow_strtoull_base_0(void **state)
{
    static const char *const same[] = {
        "readl 4096\n", "readl 010000\n", "readl 0X1000\n", "readl -18446744073709547520\n",
        "readl 0x1000 junk more\n", "readl 0x1000 \n",
        /* past the fast path's 16 digits: still strtoull */
        "readl 0x00000000000000001000\n", "readl 0x0000000000001000\n",
        "readl 0x000000000000001000\n", "readl 00000000000000000000010000\n"};
    Raw *r = raw_start(MACHINE, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(same); i++) {
        raw_expect(r, same[i], "OK 0x0000000000000297\n");
    }
    /* Largest values, and the forms the fast path must hand back to strtoull. */
    raw_expect(r, "writeq " RAM " 18446744073709551615\n", "OK\n");
    raw_expect(r, "readq " RAM "\n", "OK 0xffffffffffffffff\n");
    raw_expect(r, "writeq " RAM " 0xFfFfFfFf00000000\n", "OK\n");
    raw_expect(r, "readq " RAM "\n", "OK 0xffffffff00000000\n");
    raw_expect(r, "writeq " RAM " 1234567890123456789\n", "OK\n");
    raw_expect(r, "readq " RAM "\n", "OK 0x112210f47de98115\n");
    raw_expect_prefix(r, "readl 0x\n", "ERR readl: invalid number '0x' for ADDR");
    raw_expect_prefix(r, "readl 0x10000000000000000\n", "ERR readl: invalid number");
    raw_expect_prefix(r, "readl 18446744073709551616\n", "ERR readl: invalid number");
    raw_expect_prefix(r, "readl 0x1g\n", "ERR readl: invalid number");
    raw_expect_prefix(r, "readl 12a\n", "ERR readl: invalid number");
    raw_expect_prefix(r, "readl 0004096\n", "ERR readl: invalid number"); /* octal */
    /* A leading '-' wraps: -1 is the last byte of the address space (a hole). */
    raw_expect(r, "readb -1\n", "OK 0x0000000000000000\n");
    raw_expect(r, "writeb " RAM " -1\n", "OK\n");
    raw_expect(r, "readb " RAM "\n", "OK 0x00000000000000ff\n");
}

static void test_bulk_commands_are_byte_exact(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "read 0x1000 8\n", "OK 0x9702000013868202\n");
    raw_expect(r, "read 0x1000 1\n", "OK 0x97\n");
    raw_expect(r, "b64read 0x1000 0\n", "OK \n");
    raw_expect(r, "b64read 0x1000 4\n", "OK lwIAAA==\n");
    raw_expect(r, "b64read 0x1000 5\n", "OK lwIAABM=\n");
    raw_expect(r, "b64read 0x1000 6\n", "OK lwIAABOG\n");
    /* write: QEMU's quirky hex (spec §3.1). */
    raw_expect(r, "write " RAM " 4 0x0102zz\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0x0102ff00\n");
    raw_expect(r, "write " RAM " 4 0xz1\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0xf1000000\n");
    raw_expect(r, "write " RAM " 4 0x123\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0x12000000\n");
    raw_expect(r, "write " RAM " 2 ab1234\n", "OK\n");
    raw_expect(r, "read " RAM " 2\n", "OK 0x1234\n");
    raw_expect(r, "write " RAM " 1 0x5678\n", "OK\n");
    raw_expect(r, "read " RAM " 2\n", "OK 0x5634\n");
    raw_expect(r, "write " RAM " 0 0x00\n", "OK\n");
    raw_expect(r, "write " RAM " 4 0x\n", "ERR invalid argument size\n");
    raw_expect(r, "write " RAM " 4 7\n", "ERR invalid argument size\n");
    /* b64write: glib's decoder; a length mismatch writes SIZE bytes, zeros past the data. */
    raw_expect(r, "b64write " RAM " 4 AQIDBA==\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0x01020304\n");
    raw_expect(r, "memset " RAM " 4 0xee\n", "OK\n");
    raw_expect(r, "b64write " RAM " 2 AQIDBA==\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0x0102eeee\n");
    raw_expect(r, "b64write " RAM " 4 AQ==\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0x01000000\n");
    raw_expect(r, "b64write " RAM " 4 AQ\n", "ERR invalid argument size\n");
    /* memset: BYTE & 0xff; SIZE 0 changes nothing. */
    raw_expect(r, "memset " RAM " 4 0xaa\n", "OK\n");
    raw_expect(r, "memset " RAM " 3 0x1ff\n", "OK\n");
    raw_expect(r, "memset " RAM " 0 0x11\n", "OK\n");
    raw_expect(r, "read " RAM " 4\n", "OK 0xffffffaa\n");
}

static void test_port_io_hits_an_empty_space(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "inb 0x0\n", "OK 0x00ff\n");
    raw_expect(r, "inw 0x0\n", "OK 0xffff\n");
    raw_expect(r, "inl 0x0\n", "OK 0xffffffff\n");
    raw_expect(r, "outb 0x10 0x1\n", "OK\n");
    raw_expect(r, "outw 0x10 0x1234\n", "OK\n");
    raw_expect(r, "outl 0xffff 0xffffffffff\n", "OK\n");
    raw_expect(r, "inb 0x10\n", "OK 0x00ff\n");
    raw_expect(r, "inb 0xffff\n", "OK 0x00ff\n");
    raw_expect(r, "inl 0xffff\n", "OK 0xffffffff\n");
}

static void test_other_commands_answer_like_qemu(void **state)
{
    static const struct {
        const char *request, *reply;
    } cases[] = {
        {" readl 0x0\n", "FAIL Unknown command ''\n"},
        {"endianness\r\n", "FAIL Unknown command 'endianness\r'\n"},
        {"rtas\n", "FAIL Unknown command 'rtas'\n"},
        {"csr get_csr 0x0 3857 0x0\n",
         "OK 0 0000000000000000\n"}, /* mvendorid: the csr extension (spec §8) */
        {"READL 0x1000\n", "FAIL Unknown command 'READL'\n"},
        {"endianness extra words\n", "OK little\n"},
        /* The command lookup: length, first and last letters alike, a letter between not. */
        {"rexdq 0x80000000\n", "FAIL Unknown command 'rexdq'\n"},
        {"rea 0x80000000\n", "FAIL Unknown command 'rea'\n"},
        {"readqq 0x80000000\n", "FAIL Unknown command 'readqq'\n"},
        {"r\n", "FAIL Unknown command 'r'\n"},
        /* More words than a command's few (they move to the server's word array). */
        {"writel 0x80000000 0x12345678 a b c d e f g h i j k\n", "OK\n"},
        {"readl 0x80000000 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", "OK 0x0000000012345678\n"},
        {"readl  0x80000000 1 2 3 4 5 6 7 8\n", "ERR readl: invalid number '' for ADDR\n"},
        /* The slots' edge: 8 words fit, the 9th moves them all. */
        {"readl 0x80000000 3 4 5 6 7 8\n", "OK 0x0000000012345678\n"},
        {"readl 0x80000000 3 4 5 6 7 8 9\n", "OK 0x0000000012345678\n"},
        {"writel 0x80000004 0x9abcdef0 4 5 6 7 8 9\n", "OK\n"},
        {"readl 0x80000004 \n", "OK 0x000000009abcdef0\n"},
        {"module_load accel- qtest\n", "OK\n"},
        {"module_load hw- riscv.sifive.plic\n", "OK\n"},
        {"module_load block- curl\n", "FAIL\n"},
        {"module_load hw-display- qxl\n", "FAIL\n"},
    };
    Raw *r = raw_start(MACHINE, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        raw_expect(r, cases[i].request, cases[i].reply);
    }
}

/* ---- ERR replies (§4): never abort, change nothing, keep serving ---------------------------- */

#define REQ(s) s, sizeof(s) - 1

static void test_malformed_requests_get_err_and_the_server_keeps_serving(void **state)
{
    static const struct {
        const char *request;
        size_t len;
        const char *reply;
    } cases[] = {
        {REQ("\n"), "ERR empty command\n"},
        {REQ("readl\n"), "ERR readl: missing argument ADDR\n"},
        {REQ("writel " RAM "\n"), "ERR writel: missing argument VALUE\n"},
        {REQ("write " RAM " 4\n"), "ERR write: missing argument DATA\n"},
        {REQ("b64write " RAM " 4\n"), "ERR b64write: missing argument B64\n"},
        {REQ("memset " RAM " 4\n"), "ERR memset: missing argument BYTE\n"},
        {REQ("read 0x1000\n"), "ERR read: missing argument SIZE\n"},
        {REQ("inb\n"), "ERR inb: missing argument ADDR\n"},
        {REQ("outb 0x10\n"), "ERR outb: missing argument VALUE\n"},
        {REQ("clock_set\n"), "ERR clock_set: missing argument NS\n"},
        {REQ("irq_intercept_in\n"), "ERR irq_intercept_in: missing argument QOM-PATH\n"},
        {REQ("set_irq_in p x 1\n"), "ERR set_irq_in: missing argument LEVEL\n"},
        {REQ("module_load accel-\n"), "ERR module_load: missing argument NAME\n"},
        {REQ("readl zz\n"), "ERR readl: invalid number 'zz' for ADDR\n"},
        {REQ("readl  0x1\n"), "ERR readl: invalid number '' for ADDR\n"},
        {REQ("readl 0x1\r\n"), "ERR readl: invalid number '0x1\r' for ADDR\n"},
        {REQ("readl 1e3\n"), "ERR readl: invalid number '1e3' for ADDR\n"},
        {REQ("readl 0x\n"), "ERR readl: invalid number '0x' for ADDR\n"},
        {REQ("readl -\n"), "ERR readl: invalid number '-' for ADDR\n"},
        {REQ("readq 0x10000000000000000\n"),
         "ERR readq: invalid number '0x10000000000000000' for ADDR\n"},
        {REQ("writel " RAM " 0xg\n"), "ERR writel: invalid number '0xg' for VALUE\n"},
        {REQ("write " RAM " zz 0x11\n"), "ERR write: invalid number 'zz' for SIZE\n"},
        {REQ("memset " RAM " 4 0x1q\n"), "ERR memset: invalid number '0x1q' for BYTE\n"},
        {REQ("clock_step 1.5\n"), "ERR clock_step: invalid number '1.5' for NS\n"},
        {REQ("clock_set 99999999999999999999\n"),
         "ERR clock_set: invalid number '99999999999999999999' for NS\n"},
        {REQ("set_irq_in " HART0 " unnamed-gpio-in 4294967296 1\n"),
         "ERR set_irq_in: invalid number '4294967296' for NUM\n"},
        {REQ("set_irq_in " HART0 " unnamed-gpio-in 0 x\n"),
         "ERR set_irq_in: invalid number 'x' for LEVEL\n"},
        {REQ("inl 0x10000\n"), "ERR inl: port address 0x10000 out of range\n"},
        {REQ("outb -1 0\n"), "ERR outb: port address 0xffffffffffffffff out of range\n"},
        {REQ("read 0x1000 0\n"), "ERR read: SIZE must be non-zero\n"},
        {REQ("read 0 0xffffffffff\n"), "ERR read: SIZE exceeds limit (268435456 bytes)\n"},
        {REQ("b64read 0 0xffffffffff\n"), "ERR b64read: SIZE exceeds limit (268435456 bytes)\n"},
        {REQ("memset " RAM " 0xffffffffff 0\n"),
         "ERR memset: SIZE exceeds limit (268435456 bytes)\n"},
        {REQ("write " RAM " 0xffffffffff 0x00\n"),
         "ERR write: SIZE exceeds limit (268435456 bytes)\n"},
        {REQ("b64write " RAM " 0xffffffffff AAAA\n"),
         "ERR b64write: SIZE exceeds limit (268435456 bytes)\n"},
        {REQ("irq_intercept_in /machine/unattached\n"),
         "ERR irq_intercept_in: '/machine/unattached' is not a device\n"},
        {REQ("irq_intercept_out /machine\n"),
         "ERR irq_intercept_out: '/machine' is not a device\n"},
        {REQ("set_irq_in /machine unnamed-gpio-in 0 1\n"),
         "ERR set_irq_in: '/machine' is not a device\n"},
        {REQ("set_irq_in harts[0] foo 0 1\n"), "ERR set_irq_in: no input line 0 in list 'foo'\n"},
        {REQ("set_irq_in harts[0] unnamed-gpio-in 79 1\n"),
         "ERR set_irq_in: no input line 79 in list 'unnamed-gpio-in'\n"},
        {REQ("set_irq_in harts[0] unnamed-gpio-in -1 1\n"),
         "ERR set_irq_in: no input line -1 in list 'unnamed-gpio-in'\n"},
        {REQ("readl 0x0\0junk\n"), "ERR NUL byte in command\n"},
        {REQ("readl 0x0 3 4 5 6 7 8 9 10\0junk\n"), "ERR NUL byte in command\n"},
        {REQ("\0\n"), "ERR NUL byte in command\n"},
        {REQ("writel " RAM "\0 0x1\n"), "ERR NUL byte in command\n"},
    };
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "writel " RAM " 0x5a5a5a5a\n", "OK\n");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        raw_expect_n(r, cases[i].request, cases[i].len, cases[i].reply);
        raw_expect(r, "endianness\n", "OK little\n");
    }
    /* Nothing changed: memory, and no intercept was installed by the failed requests. */
    raw_expect(r, "readl " RAM "\n", "OK 0x000000005a5a5a5a\n");
    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
}

static void test_crlf_line_endings_are_not_stripped(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "readl 0x1000\r\nendianness\r\n",
               "ERR readl: invalid number '0x1000\r' for ADDR\n"
               "FAIL Unknown command 'endianness\r'\n");
    raw_expect(r, "\r\n", "FAIL Unknown command '\r'\n");
}

static void test_partial_lines_wait_for_their_newline(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);
    const char *cmd = "readl 0x1000\n";

    raw_expect(r, "read", "");
    raw_expect(r, "l 0x10", "");
    raw_expect(r, "00\nendi", "OK 0x0000000000000297\n");
    raw_expect(r, "anness\n", "OK little\n");
    raw_expect(r, "endianness\nendianness\n", "OK little\nOK little\n");
    for (const char *c = cmd; *c; c++) {
        raw_expect_n(r, c, 1, c[1] ? "" : "OK 0x0000000000000297\n");
    }
    /* A partial line is never executed at EOF. */
    raw_expect(r, "endianness", "");
    qtest_server_close(r->s);
    assert_int_equal(r->out->len, 0);
}

static void test_huge_lines_get_one_err_and_are_dropped(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);
    char *junk = g_strnfill(5000, 'x');

    qtest_server_set_transfer_limit(r->s, 16); /* lines up to 2 * 16 + 4096 bytes */
    raw_expect(r, "read 0x1000 16\n", "OK 0x9702000013868202732540f183b50202\n");
    raw_expect(r, "read 0x1000 17\n", "ERR read: SIZE exceeds limit (16 bytes)\n");
    /* In pieces: nothing until the newline, then one ERR. */
    for (int i = 0; i < 5; i++) {
        raw_expect_n(r, junk, 1000, "");
    }
    raw_expect(r, "\n", "ERR line too long (limit 4128 bytes)\n");
    raw_expect(r, "endianness\n", "OK little\n");
    /* In one piece with its newline. */
    qtest_server_feed(r->s, junk, 5000);
    raw_expect(r, "\nendianness\n", "ERR line too long (limit 4128 bytes)\nOK little\n");
    /* A first piece within the limit, ended by one that takes the line past it. */
    raw_expect_n(r, junk, 4100, "");
    raw_expect_n(r, junk, 100, ""); /* 4200 bytes, still no newline: being dropped */
    raw_expect(r, "\n", "ERR line too long (limit 4128 bytes)\n");
    raw_expect_n(r, junk, 4100, "");
    qtest_server_feed(r->s, junk, 100);
    raw_expect(r, "\nendianness\n", "ERR line too long (limit 4128 bytes)\nOK little\n");
    /* Exactly at the limit is not too long: the line is read and refused for what it says. */
    raw_expect_n(r, junk, 4128, "");
    raw_expect_prefix(r, "\n", "FAIL Unknown command 'xxxxxxxx");
    raw_expect(r, "endianness\n", "OK little\n");
    g_free(junk);
}

static void test_binary_garbage_gets_one_reply_per_line(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);
    GRand *rand = g_rand_new_with_seed(0x7e57);
    GString *garbage = g_string_new(NULL);
    unsigned lines = 0, replies = 0;
    char **out;

    for (int i = 0; i < 20000; i++) {
        uint8_t b = (uint8_t)g_rand_int_range(rand, 0, 256);
        if (b == '\n' || g_rand_int_range(rand, 0, 40) == 0) {
            g_string_append_c(garbage, '\n');
            lines++;
        } else {
            g_string_append_c(garbage, (char)b);
        }
    }
    g_string_append_c(garbage, '\n');
    lines++;
    /* In uneven chunks, as a socket would deliver them. */
    for (size_t off = 0; off < garbage->len;) {
        size_t n = MIN((size_t)g_rand_int_range(rand, 1, 700), garbage->len - off);
        qtest_server_feed(r->s, garbage->str + off, n);
        off += n;
    }
    out = g_strsplit(r->out->str, "\n", -1);
    for (char **l = out; *l && **l; l++) {
        assert_true(g_str_has_prefix(*l, "OK") || g_str_has_prefix(*l, "FAIL ") ||
                    g_str_has_prefix(*l, "ERR "));
        replies++;
    }
    assert_int_equal(replies, lines);
    g_strfreev(out);
    g_string_truncate(r->out, 0);
    raw_expect(r, "endianness\n", "OK little\n");
    g_string_free(garbage, TRUE);
    g_rand_free(rand);
}

/* A random word that a command might take: a number in some base, a path, or junk. */
static void random_word(GRand *rand, GString *line)
{
    static const char *const words[] = {
        "0x80000000", "0x1000",     "0x10000000", "0xc000000", "0x2004000", "0x200bff8",
        "0x101000",   "0x10100008", "0x10100010", "0x100000",  "0",         "-1",
        "010",        "0x",         "harts[0]",   "device[2]", "/machine",  "unnamed-gpio-in",
        "sysbus-irq", "AQIDBA==",   "0x0102zz",   "1.5",       "\r",        ""};
    static const uint64_t bases[] = {0x80000000, 0xc000000,  0x10000000, 0x2000000,
                                     0x101000,   0x10100000, 0x1000};

    switch (g_rand_int_range(rand, 0, 4)) {
    case 0:
        g_string_append(line, words[g_rand_int_range(rand, 0, G_N_ELEMENTS(words))]);
        break;
    case 1:
        g_string_append_printf(line, "%" PRIu64,
                               bases[g_rand_int_range(rand, 0, G_N_ELEMENTS(bases))] +
                                   (uint64_t)g_rand_int_range(rand, 0, 0x3000));
        break;
    case 2:
        g_string_append_printf(line, "0x%x", (unsigned)g_rand_int_range(rand, 0, 0x20000));
        break;
    default:
        g_string_append_printf(line, "%d", g_rand_int_range(rand, -300, 300));
        break;
    }
}

static void test_random_commands_get_one_reply_each(void **state)
{
    static const char *const commands[] = {"outb",
                                           "outw",
                                           "outl",
                                           "inb",
                                           "inw",
                                           "inl",
                                           "writeb",
                                           "writew",
                                           "writel",
                                           "writeq",
                                           "readb",
                                           "readw",
                                           "readl",
                                           "readq",
                                           "read",
                                           "write",
                                           "b64read",
                                           "b64write",
                                           "memset",
                                           "endianness",
                                           "clock_step",
                                           "clock_set",
                                           "irq_intercept_in",
                                           "irq_intercept_out",
                                           "set_irq_in",
                                           "module_load",
                                           "bogus"};
    Raw *r = raw_start(MACHINE, NULL);
    GRand *rand = g_rand_new_with_seed(0x5eed);
    GString *line = g_string_new(NULL);

    qtest_server_set_transfer_limit(r->s, 0x10000);
    for (int i = 0; i < 5000; i++) {
        int nwords = g_rand_int_range(rand, 0, 6);
        unsigned replies = 0;
        char **out;

        g_string_assign(line, commands[g_rand_int_range(rand, 0, G_N_ELEMENTS(commands))]);
        for (int w = 0; w < nwords; w++) {
            g_string_append(line, g_rand_int_range(rand, 0, 20) ? " " : "  ");
            random_word(rand, line);
        }
        g_string_append_c(line, '\n');
        qtest_server_feed(r->s, line->str, line->len);
        /* One reply line per request; IRQ lines may come before it. */
        out = g_strsplit(r->out->str, "\n", -1);
        for (char **l = out; *l && **l; l++) {
            if (!g_str_has_prefix(*l, "IRQ ")) {
                assert_true(g_str_has_prefix(*l, "OK") || g_str_has_prefix(*l, "FAIL") ||
                            g_str_has_prefix(*l, "ERR "));
                replies++;
            }
        }
        if (replies != 1) {
            print_error("'%s' got %u replies: '%s'\n", line->str, replies, r->out->str);
            fail();
        }
        g_strfreev(out);
        g_string_truncate(r->out, 0);
    }
    raw_expect(r, "endianness\n", "OK little\n");
    g_string_free(line, TRUE);
    g_rand_free(rand);
}

/* ---- IRQ interception (§5) ------------------------------------------------------------------ */

static uint64_t hart0_mip(void)
{
    return RV_HART(object_resolve_path(HART0, NULL))->env.mip;
}

static void test_irq_intercept_example_of_the_spec(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
    raw_expect(r, "writel 0xc000028 0x1\n", "OK\n");
    raw_expect(r, "writel 0xc002000 0x400\n", "OK\n");
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 11\nOK\n");
    /* The wrapped line still reaches the hart. */
    assert_true(hart0_mip() & (1u << RV_IRQ_MEIP));
    raw_expect(r, "readl 0xc200004\n", "IRQ lower 11\nOK 0x000000000000000a\n");
    assert_false(hart0_mip() & (1u << RV_IRQ_MEIP));
}

static void test_irq_intercept_rules_and_order_of_checks(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "irq_intercept_in nosuch\n", "FAIL Unknown device\n");
    raw_expect(r, "irq_intercept_in harts[0] foo\n",
               "FAIL Interception of named in-GPIOs not yet supported\n");
    /* No such list: FAIL, and the run stays free to intercept another device. */
    raw_expect(r, "irq_intercept_out harts[0] nosuch\n", "FAIL No intercepts installed\n");
    raw_expect(r, "irq_intercept_out /machine/uart0\n", "FAIL No intercepts installed\n");
    raw_expect(r, "irq_intercept_in /machine/test\n", "FAIL No intercepts installed\n");
    raw_expect(r, "irq_intercept_in harts[0]\n", "OK\n");
    /* Same device, in or out: OK without change; another device: refused. */
    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
    raw_expect(r, "irq_intercept_out soc0/harts[0]\n", "OK\n");
    raw_expect(r, "irq_intercept_in device[2]\n", "FAIL IRQ intercept already enabled\n");
    raw_expect(r, "irq_intercept_out /machine/uart0 sysbus-irq\n",
               "FAIL IRQ intercept already enabled\n");
    raw_expect(r, "irq_intercept_in harts[0] foo\n",
               "FAIL Interception of named in-GPIOs not yet supported\n");
    raw_expect(r, "irq_intercept_in nosuch\n", "FAIL Unknown device\n");
}

static void test_irq_intercept_in_on_a_device_with_only_outputs_is_ok(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "irq_intercept_in /machine/uart0\n", "OK\n");
    raw_expect(r, "irq_intercept_in " HART0 "\n", "FAIL IRQ intercept already enabled\n");
}

static void test_partial_qom_paths_resolve_like_qemu(void **state)
{
    static const char *const plic[] = {
        "device[2]",     "unattached/device[2]", PLIC_PATH, "plic0", "/machine/plic0",
        "machine/plic0", "unattached/device[2]/"};
    static const char *const hart[] = {"harts[0]", "soc0/harts[0]", "harts[0]/", "soc0/harts[0]/"};
    static const char *const none[] = {"device[99]", "/machine/nosuch", "harts[9]", "",
                                       "/nosuch/x"};
    Raw *r = raw_start(MACHINE, NULL);
    char *req;

    for (size_t i = 0; i < G_N_ELEMENTS(plic); i++) {
        req = g_strdup_printf("set_irq_in %s unnamed-gpio-in 10 0\n", plic[i]);
        raw_expect(r, req, "OK\n");
        g_free(req);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(hart); i++) {
        req = g_strdup_printf("set_irq_in %s unnamed-gpio-in 0 0\n", hart[i]);
        raw_expect(r, req, "OK\n");
        g_free(req);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(none); i++) {
        req = g_strdup_printf("set_irq_in %s unnamed-gpio-in 0 0\n", none[i]);
        raw_expect(r, req, "FAIL Unknown device\n");
        g_free(req);
    }
}

static void test_ambiguous_partial_path_is_an_unknown_device(void **state)
{
    Raw *r = raw_start(MACHINE " -smp 2,sockets=2", NULL);

    raw_expect(r, "set_irq_in harts[0] unnamed-gpio-in 0 0\n", "FAIL Unknown device\n");
    raw_expect(r, "irq_intercept_in harts[0]\n", "FAIL Unknown device\n");
    raw_expect(r, "set_irq_in soc1/harts[0] unnamed-gpio-in 0 0\n", "OK\n");
}

static void plic_enable_source_10(Raw *r)
{
    raw_expect(r, "writel 0xc000028 0x1\n", "OK\n");
    raw_expect(r, "writel 0xc002000 0x400\n", "OK\n");
}

static void test_irq_levels_are_reported_on_change_only_until_reopened(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
    plic_enable_source_10(r);
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 11\nOK\n");
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "OK\n");
    /* A new connection clears the level cache; the interception stays. */
    qtest_server_close(r->s);
    qtest_server_open(r->s);
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 11\nOK\n");
    raw_expect(r, "irq_intercept_in device[2]\n", "FAIL IRQ intercept already enabled\n");
    /* Driving the hart's input directly goes through the interception too. */
    raw_expect(r, "set_irq_in " HART0 " unnamed-gpio-in 3 1\n", "IRQ raise 3\nOK\n");
    raw_expect(r, "set_irq_in " HART0 " unnamed-gpio-in 3 0\n", "IRQ lower 3\nOK\n");
}

static void test_irq_intercept_out_reports_and_still_delivers(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    /* The PLIC's unnamed outputs: [0, n) S-mode, [n, 2n) M-mode; one hart: line 1 is MEIP. */
    raw_expect(r, "irq_intercept_out device[2]\n", "OK\n");
    plic_enable_source_10(r);
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 1\nOK\n");
    assert_true(hart0_mip() & (1u << RV_IRQ_MEIP));
    raw_expect(r, "readl 0xc200004\n", "IRQ lower 1\nOK 0x000000000000000a\n");
    assert_false(hart0_mip() & (1u << RV_IRQ_MEIP));
    /* S context 1 of hart 0 drives output 0. */
    raw_expect(r, "writel 0xc002080 0x800\n", "OK\n");
    raw_expect(r, "writel 0xc00002c 0x2\n", "OK\n");
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 11 1\n", "IRQ raise 0\nOK\n");
    assert_true(hart0_mip() & (1u << RV_IRQ_SEIP));
}

static void test_irq_lines_beyond_256_are_reported_once_per_change(void **state)
{
    /* 130 harts: the PLIC's M-mode output of hart 129 is line 130 + 129 = 259 (context 258). */
    Raw *r = raw_start(MACHINE " -smp 130", NULL);

    raw_expect(r, "irq_intercept_out device[2]\n", "OK\n");
    raw_expect(r, "writel 0xc000028 0x1\n", "OK\n");
    raw_expect(r, "writel 0xc00a100 0x400\n", "OK\n");
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 259\nOK\n");
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "OK\n");
    raw_expect(r, "readl 0xc302004\n", "IRQ lower 259\nOK 0x000000000000000a\n");
}

static void test_irq_intercept_out_of_a_named_list(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "irq_intercept_out /machine/uart0 sysbus-irq\n", "OK\n");
    raw_expect(r, "writeb 0x10000001 0x2\n", "IRQ raise 0\nOK\n"); /* IER: THR empty */
    raw_expect(r, "readb 0x10000002\n", "IRQ lower 0\nOK 0x0000000000000002\n");
}

static void test_interception_survives_the_server_and_goes_with_the_machine(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
    plic_enable_source_10(r);
    /* Without a server the wrapped lines still deliver, silently. */
    qtest_server_free(r->s);
    r->s = NULL;
    qemu_set_irq(qdev_get_gpio_in(DEVICE(object_resolve_path(PLIC_PATH, NULL)), 10), 1);
    assert_true(hart0_mip() & (1u << RV_IRQ_MEIP));
    r->s = qtest_server_new(raw_collect, r);
    qtest_server_open(r->s);
    /* The new server's level cache starts at 0: the lower is not news, a raise is. */
    raw_expect(r, "readl 0xc200004\n", "OK 0x000000000000000a\n");
    raw_expect(r, "writel 0xc200004 0xa\n", "OK\n");
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 11\nOK\n");
    /* A new machine starts with nothing intercepted. */
    tern_cleanup();
    g_strfreev(r->argv);
    r->argv = init_tern(MACHINE);
    raw_expect(r, "irq_intercept_in device[2]\n", "OK\n");
}

/* ---- the clock (§6) ------------------------------------------------------------------------- */

static void test_clock_step_and_clock_set_follow_the_table(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);

    raw_expect(r, "clock_step\n",
               "FAIL cannot advance clock to the next deadline because there is "
               "no pending deadline\n");
    raw_expect(r, "clock_step 0\n", "FAIL could not advance time\n");
    raw_expect(r, "clock_step -5\n", "FAIL could not advance time\n");
    raw_expect(r, "clock_step 100\n", "OK 100\n");
    raw_expect(r, "clock_set 50\n", "FAIL 100\n");
    raw_expect(r, "clock_set 100\n", "OK 100\n");
    raw_expect(r, "clock_set 1000\n", "OK 1000\n");
    raw_expect(r, "readq 0x200bff8\n", "OK 0x000000000000000a\n"); /* 10 MHz: 100 ns a tick */
    /* The CLINT timer: mtimecmp 20 ticks = 2000 ns. */
    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
    raw_expect(r, "writeq 0x2004000 0x14\n", "OK\n");
    raw_expect(r, "clock_step\n", "IRQ raise 7\nOK 2000\n");
    raw_expect(r, "readq 0x200bff8\n", "OK 0x0000000000000014\n");
    raw_expect(r, "clock_step\n",
               "FAIL cannot advance clock to the next deadline because there is "
               "no pending deadline\n");
    raw_expect(r, "writeq 0x2004000 0x1e\n", "IRQ lower 7\nOK\n");
    raw_expect(r, "clock_set 2999\n", "OK 2999\n");
    raw_expect(r, "clock_step 1\n", "IRQ raise 7\nOK 3000\n");
    /* A step across a deadline fires it on the way. */
    raw_expect(r, "writeq 0x2004000 0x28\n", "IRQ lower 7\nOK\n");
    raw_expect(r, "clock_step 5000\n", "IRQ raise 7\nOK 8000\n");
    raw_expect(r, "clock_step 9223372036854775807\n", "FAIL could not advance time\n");
    raw_expect(r, "clock_set -1\n", "FAIL 8000\n");
    raw_expect(r, "clock_set 8000\n", "OK 8000\n");
}

static void test_clock_commands_are_unknown_without_the_qtest_accelerator(void **state)
{
    Raw *r = raw_start("-M virt -bios none -nodefaults -S -accel interp", NULL);

    raw_expect(r, "clock_step\n", "FAIL Unknown command 'clock_step'\n");
    raw_expect(r, "clock_step 1.5\n", "FAIL Unknown command 'clock_step'\n");
    raw_expect(r, "clock_set 5\n", "FAIL Unknown command 'clock_set'\n");
    raw_expect(r, "readl 0x1000\n", "OK 0x0000000000000297\n");
}

/*
 * Line framing holds for any byte: '\n' ends a request, so no word can hold
 * one, and every other control byte in an echoed word comes back as it was
 * sent (QEMU's replies, byte for byte) inside exactly one reply line, with
 * exactly one log line per request and per reply.
 */
static void test_control_bytes_in_echoed_words_keep_one_line_per_reply(void **state)
{
    char *log = tmp_path("qtest.log");
    Raw *r = raw_start(MACHINE, log);
    char *text, **lines;
    int requests = 0;

    for (int c = 1; c < 0x80; c++) {
        char req[64], reply[96];

        if (c == '\n' || (c >= 0x20 && c < 0x7f)) {
            continue;
        }
        snprintf(req, sizeof(req), "bad%cword 0x1\n", c);
        snprintf(reply, sizeof(reply), "FAIL Unknown command 'bad%cword'\n", c);
        raw_expect(r, req, reply);
        snprintf(req, sizeof(req), "readl 0x%c1\n", c);
        snprintf(reply, sizeof(reply), "ERR readl: invalid number '0x%c1' for ADDR\n", c);
        raw_expect(r, req, reply);
        requests += 2;
    }
    raw_expect(r, "endianness\n", "OK little\n");
    qtest_server_close(r->s);
    text = read_file(log);
    lines = g_strsplit(text, "\n", -1);
    /* OPENED, a request and a reply line each, CLOSED, and the empty rest after the last '\n'. */
    assert_int_equal(g_strv_length(lines), 1 + 2 * (requests + 1) + 1 + 1);
    for (int i = 1; i <= 2 * (requests + 1); i++) {
        assert_true(g_str_has_prefix(lines[i], i % 2 ? "[R +" : "[S +"));
    }
    g_strfreev(lines);
    g_free(text);
    g_free(log);
}

/* Path resolution is linear: 100,000 components answer at once, and serving goes on. */
static void test_a_path_of_100000_components_answers_at_once(void **state)
{
    Raw *r = raw_start(MACHINE, NULL);
    GString *path = g_string_new(NULL), *req = g_string_new(NULL);

    for (int i = 0; i < 100000; i++) {
        g_string_append(path, "/machine");
    }
    g_string_printf(req, "irq_intercept_in %s\n", path->str);
    raw_expect(r, req->str, "FAIL Unknown device\n");
    g_string_printf(req, "set_irq_in %s unnamed-gpio-in 0 1\n", path->str + 1);
    raw_expect(r, req->str, "FAIL Unknown device\n");
    /* Empty components are skipped: a real path padded with slashes is found. */
    g_string_assign(path, "");
    for (int i = 0; i < 100000; i++) {
        g_string_append_c(path, '/');
    }
    g_string_printf(req, "irq_intercept_in %smachine%ssoc0/harts[0]\n", path->str, path->str);
    raw_expect(r, req->str, "OK\n");
    raw_expect(r, "endianness\n", "OK little\n");
    g_string_free(path, TRUE);
    g_string_free(req, TRUE);
}

/* ---- the log (§7) --------------------------------------------------------------------------- */

/* Checks each line of text against the regular expressions, in order. */
static void expect_log(const char *text, const char *const *patterns, size_t n)
{
    char **lines = g_strsplit(text, "\n", -1);
    size_t count = g_strv_length(lines);

    if (count != n + 1 || *lines[n]) {
        print_error("log has %zu lines, expected %zu:\n%s\n", count - 1, n, text);
        fail();
    }
    for (size_t i = 0; i < n; i++) {
        if (!g_regex_match_simple(patterns[i], lines[i], 0, 0)) {
            char *e = g_strescape(lines[i], NULL);
            print_error("log line %zu '%s' does not match '%s'\n", i + 1, e, patterns[i]);
            fail();
        }
    }
    g_strfreev(lines);
}

#define T "\\+[0-9]+\\.[0-9]{6}\\]"

static void test_log_lines_follow_the_qemu_format(void **state)
{
    static const char *const patterns[] = {
        "^\\[I 0\\.000000\\] OPENED$",
        "^\\[R " T " endianness$",
        "^\\[S " T " OK little$",
        "^\\[R " T "$",
        "^\\[S " T " ERR empty command$",
        "^\\[R " T " readl  0x1$",
        "^\\[S " T " ERR readl: invalid number '' for ADDR$",
        "^\\[R " T " b64write 0x80000000 2 AQIDBA==$",
        "^\\[S " T " b64write: data length mismatch \\(told 2, found 4\\)$",
        "^\\[S " T " OK$",
        "^\\[R " T " irq_intercept_in /machine/soc0/harts\\[0\\]$",
        "^\\[S " T " OK$",
        "^\\[R " T " writel 0xc000028 0x1$",
        "^\\[S " T " OK$",
        "^\\[R " T " writel 0xc002000 0x400$",
        "^\\[S " T " OK$",
        "^\\[R " T " set_irq_in .* 10 1$",
        "^\\[S " T " IRQ raise 11$",
        "^\\[S " T " OK$",
        "^\\[R " T " readl\\\\0x$",
        "^\\[S " T " ERR NUL byte in command$",
        "^\\[I " T " CLOSED$",
    };
    char *log = tmp_path("qtest.log");
    Raw *r = raw_start(MACHINE, log);
    char *text;

    raw_expect(r, "endianness\n", "OK little\n");
    raw_expect(r, "\n", "ERR empty command\n");
    raw_expect(r, "readl  0x1\n", "ERR readl: invalid number '' for ADDR\n");
    raw_expect(r, "b64write " RAM " 2 AQIDBA==\n", "OK\n");
    raw_expect(r, "irq_intercept_in " HART0 "\n", "OK\n");
    plic_enable_source_10(r);
    raw_expect(r, "set_irq_in " PLIC_PATH " unnamed-gpio-in 10 1\n", "IRQ raise 11\nOK\n");
    raw_expect_n(r, REQ("readl\0x\n"), "ERR NUL byte in command\n");
    qtest_server_close(r->s);
    qtest_server_close(r->s); /* CLOSED exactly once */
    text = read_file(log);
    expect_log(text, patterns, G_N_ELEMENTS(patterns));
    g_free(text);
    g_free(log);
}

static void test_log_opened_and_closed_once_per_connection(void **state)
{
    char *log = tmp_path("qtest.log");
    Raw *r = raw_start(MACHINE, log);
    char *text;

    raw_expect(r, "endianness", "");
    qtest_server_close(r->s);
    qtest_server_close(r->s);
    qtest_server_open(r->s);
    raw_expect(r, "endianness\n", "OK little\n");
    raw_stop();
    text = read_file(log);
    assert_int_equal(count_substr(text, "] OPENED\n"), 2);
    assert_int_equal(count_substr(text, "] CLOSED\n"), 2);
    assert_int_equal(count_substr(text, "] OK little\n"), 1);
    assert_true(g_str_has_suffix(text, "] CLOSED\n"));
    g_free(text);
    g_free(log);
}

static void test_log_none_and_bad_log_path(void **state)
{
    Raw *r = raw_start(MACHINE, "none");
    Error *err = NULL;

    raw_expect(r, "endianness\n", "OK little\n");
    assert_false(qtest_server_set_log_path(r->s, "/nonexistent-dir/x.log", &err));
    assert_non_null(strstr(error_get_pretty(err), "/nonexistent-dir/x.log"));
    error_free(err);
}

/* ---- chardev transports inside tern_init() -------------------------------------------------- */

static int unix_listen(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 1), 0);
    return fd;
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static int accept_within(int listen_fd, int timeout_ms)
{
    struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};

    assert_int_equal(poll(&pfd, 1, timeout_ms), 1);
    return accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
}

/* Runs the in-process main loop until fd has delivered nlines lines (or fails). */
static char *pump_lines(int fd, unsigned nlines)
{
    GString *got = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000;

    while (count_substr(got->str, "\n") < nlines) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        char buf[4096];

        if (g_get_monotonic_time() > deadline) {
            print_error("only got '%s'\n", got->str);
            fail();
        }
        main_loop_wait(true);
        if (poll(&pfd, 1, 5) == 1) {
            ssize_t n = read(fd, buf, sizeof(buf));
            assert_true(n > 0);
            g_string_append_len(got, buf, n);
        }
    }
    return g_string_free(got, FALSE);
}

/* Runs the main loop until the log file says CLOSED. */
static char *pump_until_closed(const char *log)
{
    gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000;

    for (;;) {
        char *text = NULL;
        main_loop_wait(true);
        g_file_get_contents(log, &text, NULL, NULL);
        if (text && strstr(text, "CLOSED")) {
            return text;
        }
        g_free(text);
        assert_true(g_get_monotonic_time() < deadline);
        g_usleep(2000);
    }
}

static void talk_and_hang_up(int fd, const char *log)
{
    const char req[] = "endianness\nreadl 0x1000\n";
    char *got, *text;

    assert_int_equal(write(fd, req, sizeof(req) - 1), (ssize_t)sizeof(req) - 1);
    got = pump_lines(fd, 2);
    assert_string_equal(got, "OK little\nOK 0x0000000000000297\n");
    g_free(got);
    assert_non_null(object_dynamic_cast(object_resolve_path("/machine/qtest", NULL), TYPE_QTEST));
    close(fd);
    text = pump_until_closed(log);
    assert_int_equal(count_substr(text, "OPENED"), 1);
    assert_int_equal(count_substr(text, "CLOSED"), 1);
    g_free(text);
    /* EOF does not end the run. */
    assert_false(main_loop_wait(true));
    assert_false(runstate_request_pending());
}

/* The first client of the server at listen_fd, accepted within WAIT_MS. */
static int accept_client(int listen_fd)
{
    int fd = accept_within(listen_fd, WAIT_MS);

    assert_true(fd >= 0);
    return fd;
}

/* talk_and_hang_up, then the run started from argv (made from args) ends; frees them and log. */
static void talk_and_end(int fd, char *log, char **argv, char *args)
{
    talk_and_hang_up(fd, log);
    tern_cleanup();
    g_strfreev(argv);
    g_free(args);
    g_free(log);
}

static void run_unix_client_spec(const char *form)
{
    char *sock = tmp_path("q.sock"), *log = tmp_path("q.log");
    int listen_fd = unix_listen(sock), fd;
    char *args = g_strdup_printf(MACHINE " -qtest %s%s -qtest-log %s", form, sock, log);
    char **argv = init_tern(args);

    fd = accept_client(listen_fd);
    talk_and_end(fd, log, argv, args);
    close(listen_fd);
    g_free(sock);
}

static void test_chardev_unix_client(void **state)
{
    run_unix_client_spec("unix:");
}

static void test_chardev_unix_client_with_path_key(void **state)
{
    run_unix_client_spec("unix:path=");
}

static void test_chardev_unix_server_opens_on_connect(void **state)
{
    char *sock = tmp_path("q.sock"), *log = tmp_path("q.log");
    char *args =
        g_strdup_printf(MACHINE " -qtest unix:%s,server=on,wait=off -qtest-log %s", sock, log);
    char **argv = init_tern(args);
    char *text = read_file(log);
    int fd;

    assert_string_equal(text, ""); /* nobody connected yet */
    g_free(text);
    fd = unix_connect(sock);
    talk_and_end(fd, log, argv, args);
    g_free(sock);
}

static void test_chardev_tcp_loopback_client(void **state)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), fd;
    char *log = tmp_path("q.log"), *args;
    char **argv;

    assert_int_equal(bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(listen_fd, 1), 0);
    assert_int_equal(getsockname(listen_fd, (struct sockaddr *)&sa, &len), 0);
    args =
        g_strdup_printf(MACHINE " -qtest tcp:127.0.0.1:%u -qtest-log %s", ntohs(sa.sin_port), log);
    argv = init_tern(args);
    fd = accept_client(listen_fd);
    talk_and_end(fd, log, argv, args);
    close(listen_fd);
}

static void test_chardev_socket_fd_as_python_qemu_machine_does(void **state)
{
    int sv[2];
    char *log = tmp_path("q.log"), *args;
    char **argv;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    args = g_strdup_printf(MACHINE " -chardev socket,id=qtest,fd=%d -qtest chardev:qtest "
                                   "-qtest-log %s",
                           sv[1], log);
    argv = init_tern(args);
    talk_and_end(sv[0], log, argv, args); /* the chardev owns sv[1] now */
}

static void test_object_qtest_on_a_chardev(void **state)
{
    char *sock = tmp_path("q.sock"), *log = tmp_path("q.log");
    int listen_fd = unix_listen(sock), fd;
    char *args = g_strdup_printf(MACHINE " -chardev socket,id=c0,path=%s "
                                         "-object qtest,id=qt0,chardev=c0,log=%s",
                                 sock, log);
    char **argv = init_tern(args);

    fd = accept_client(listen_fd);
    assert_ptr_equal(object_resolve_path("/machine/qtest", NULL),
                     object_resolve_path("/objects/qt0", NULL));
    assert_false(object_property_parse(object_resolve_path("/objects/qt0", NULL), "log", "x",
                                       NULL)); /* fixed once started */
    talk_and_end(fd, log, argv, args);
    close(listen_fd);
    g_free(sock);
}

/* tern_init with args must fail, and its one-line error contain text. */
static void expect_init_fails(const char *args, const char *text)
{
    int argc;
    char **argv = tern_argv(args, &argc);
    Error *err = NULL;

    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
    if (!strstr(error_get_pretty(err), text) || strchr(error_get_pretty(err), '\n')) {
        fail_msg("'%s': error '%s' lacks '%s'", args, error_get_pretty(err), text);
    }
    error_free(err);
    tern_cleanup();
    g_strfreev(argv);
}

static void test_object_qtest_errors_name_their_cause(void **state)
{
    char *log = tmp_path("q.log"), *args;
    char **argv;
    Object *obj;
    char *value;

    expect_init_fails(MACHINE " -object qtest,id=qt0", "qtest needs chardev=ID");
    expect_init_fails(MACHINE " -object qtest,id=qt0,chardev=nosuch",
                      "no chardev with id 'nosuch'");
    expect_init_fails(MACHINE " -chardev null,id=c0 -object "
                              "qtest,id=qt0,chardev=c0,log=/nonexistent-dir/q.log",
                      "/nonexistent-dir/q.log");
    /* A chardev has one front end: the serial port took it first. */
    expect_init_fails(MACHINE " -chardev null,id=c0 -serial chardev:c0 -object qtest,id=qt0,"
                              "chardev=c0",
                      "chardev 'c0' is already in use");
    /* The properties read back as given. */
    args =
        g_strdup_printf(MACHINE " -chardev null,id=c0 -object qtest,id=qt0,chardev=c0,log=%s", log);
    argv = init_tern(args);
    obj = object_resolve_path("/objects/qt0", NULL);
    assert_non_null(obj);
    value = object_property_get_str(obj, "chardev", &error_abort);
    assert_string_equal(value, "c0");
    g_free(value);
    value = object_property_get_str(obj, "log", &error_abort);
    assert_string_equal(value, log);
    g_free(value);
    tern_cleanup();
    g_strfreev(argv);
    g_free(args);
    g_free(log);
}

static void test_only_one_qtest_server_per_run(void **state)
{
    char *sock = tmp_path("q.sock");
    int listen_fd = unix_listen(sock);
    char *args = g_strdup_printf(MACHINE " -chardev socket,id=c0,path=%s "
                                         "-object qtest,id=qt0,chardev=c0 -qtest /dev/null",
                                 sock);
    int argc;
    char **argv = tern_argv(args, &argc);
    Error *err = NULL;

    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
    assert_non_null(strstr(error_get_pretty(err), "only one qtest server"));
    error_free(err);
    tern_cleanup();
    g_strfreev(argv);
    close(listen_fd);
    g_free(args);
    g_free(sock);
}

static void test_chardev_plain_path_dev_null_is_a_silent_server(void **state)
{
    char *log = tmp_path("q.log");
    char *args = g_strdup_printf(MACHINE " -qtest /dev/null -qtest-log %s", log);
    char **argv = init_tern(args);
    char *text = pump_until_closed(log);

    assert_true(g_str_has_prefix(text, "[I 0.000000] OPENED\n[I +"));
    assert_int_equal(count_substr(text, "CLOSED"), 1);
    assert_false(main_loop_wait(true));
    g_free(text);
    tern_cleanup();
    g_strfreev(argv);
    g_free(args);
    g_free(log);
}

static void test_chardev_bad_specs_fail_tern_init(void **state)
{
    static const char *const bad[] = {"/nonexistent-dir/device", "unix:/nonexistent-dir/s.sock"};

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *args = g_strdup_printf(MACHINE " -qtest %s", bad[i]);
        int argc;
        char **argv = tern_argv(args, &argc);
        Error *err = NULL;

        assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
        assert_non_null(strstr(error_get_pretty(err), "-qtest"));
        error_free(err);
        tern_cleanup();
        g_strfreev(argv);
        g_free(args);
    }
}

/* ---- spawned tern binaries ------------------------------------------------------------------ */

static void test_spawned_tern_on_unix_and_stdio(void **state)
{
    const QTestTransport transports[] = {QTEST_TRANSPORT_UNIX, QTEST_TRANSPORT_STDIO};

    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        char *reply;

        qts = qtest_init_transport(transports[i], "-M virt -bios none -nodefaults");
        assert_true(qtest_pid(qts) > 0);
        assert_false(qtest_big_endian(qts));
        assert_int_equal(qtest_readl(qts, 0x1000), 0x297);
        reply = qtest_cmd(qts, "readl 0x1\r\n");
        assert_string_equal(reply, "ERR readl: invalid number '0x1\r' for ADDR");
        g_free(reply);
        expect_line(qts, "clock_step\n",
                    "FAIL cannot advance clock to the next deadline because "
                    "there is no pending deadline");
        assert_int_equal(qtest_clock_step(qts, 10), 10);
        qtest_quit(qts); /* SIGTERM: exit status 0 */
        qts = NULL;
    }
}

static void test_spawned_tern_sifive_test_exit_codes_follow_the_reply(void **state)
{
    const QTestTransport transports[] = {QTEST_TRANSPORT_UNIX, QTEST_TRANSPORT_STDIO};

    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        qts = qtest_init_transport(transports[i], "-M virt -bios none -nodefaults");
        /* FAIL with code 0x42: the OK arrives first, then the process ends with 0x42. */
        expect_line(qts, "writel 0x100000 0x423333\n", "OK");
        assert_int_equal(qtest_wait_exit(qts, WAIT_MS), 0x42);
        qtest_set_expected_status(qts, 0x42);
        qtest_quit(qts);
        qts = qtest_init_transport(transports[i], "-M virt -bios none -nodefaults");
        expect_line(qts, "writel 0x100000 0x5555\n", "OK");
        assert_int_equal(qtest_wait_exit(qts, WAIT_MS), 0);
        qtest_quit(qts);
        qts = NULL;
    }
}

/* Starts tern with args on pipes; stderr to a pipe too when err is not NULL. */
static void spawn_tern(const char *args, int *in, int *out, int *err)
{
    char *bin = g_build_filename(g_getenv("TERN_BUILD_ROOT"), "tern", NULL);
    char *line = g_strdup_printf("%s -nouserconfig %s", bin, args);
    char **argv = NULL;

    assert_true(g_shell_parse_argv(line, NULL, &argv, NULL));
    assert_true(g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                         &child_pid, in, out, err, NULL));
    g_strfreev(argv);
    g_free(line);
    g_free(bin);
}

static char *read_until(int fd, const char *needle, int timeout_ms)
{
    GString *got = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    while (!strstr(got->str, needle)) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        char buf[1024];
        ssize_t n = 0;
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;

        if (left <= 0 || poll(&pfd, 1, (int)left) != 1 || (n = read(fd, buf, sizeof(buf))) <= 0) {
            print_error("waiting for '%s', got '%s'\n", needle, got->str);
            fail();
        }
        g_string_append_len(got, buf, n);
    }
    return g_string_free(got, FALSE);
}

static int terminate_child(void)
{
    int status = 0;

    kill(child_pid, SIGTERM);
    assert_int_equal(waitpid(child_pid, &status, 0), child_pid);
    child_pid = 0;
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_spawned_stdio_eof_logs_closed_once_and_keeps_running(void **state)
{
    char *log = tmp_path("q.log");
    char *args = g_strdup_printf("-M virt -bios none -nodefaults -accel qtest -qtest stdio "
                                 "-qtest-log %s",
                                 log);
    int in, out, wstatus;
    char *got, *text = NULL;
    gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000;

    spawn_tern(args, &in, &out, NULL);
    assert_int_equal(write(in, "endianness\nreadl", 16), 16);
    got = read_until(out, "OK little\n", WAIT_MS);
    assert_string_equal(got, "OK little\n");
    g_free(got);
    close(in); /* EOF with a partial line pending */
    while (!text || !strstr(text, "CLOSED")) {
        g_free(text);
        assert_true(g_get_monotonic_time() < deadline);
        g_usleep(5000);
        g_file_get_contents(log, &text, NULL, NULL);
    }
    g_usleep(100000);
    assert_int_equal(waitpid(child_pid, &wstatus, WNOHANG), 0); /* still running */
    assert_int_equal(terminate_child(), 0);
    g_free(text);
    text = read_file(log);
    assert_true(g_str_has_prefix(text, "[I 0.000000] OPENED\n"));
    assert_int_equal(count_substr(text, "] CLOSED\n"), 1);
    assert_int_equal(count_substr(text, "[R "), 1);
    g_free(text);
    close(out);
    g_free(args);
    g_free(log);
}

static void test_spawned_log_defaults_to_stderr(void **state)
{
    int in, out, err;
    char *got;

    spawn_tern("-M virt -bios none -nodefaults -accel qtest -qtest stdio", &in, &out, &err);
    assert_int_equal(write(in, "endianness\n", 11), 11);
    got = read_until(out, "\n", WAIT_MS);
    assert_string_equal(got, "OK little\n");
    g_free(got);
    close(in);
    got = read_until(err, "CLOSED\n", WAIT_MS);
    assert_true(g_str_has_prefix(got, "[I 0.000000] OPENED\n[R +"));
    assert_non_null(strstr(got, "] endianness\n[S +"));
    assert_non_null(strstr(got, "] OK little\n[I +"));
    g_free(got);
    assert_int_equal(terminate_child(), 0);
    close(out);
    close(err);
}

/* ---- the client's own failures: reported, never hanging ------------------------------------- */

static char *recorded_failure;

static void record_failure(const char *message)
{
    g_free(recorded_failure);
    recorded_failure = g_strdup(message);
}

static void test_client_reports_a_server_that_cannot_start(void **state)
{
    qtest_set_fail_handler(record_failure);
    qts = qtest_init_transport(QTEST_TRANSPORT_UNIX, "-M nosuchmachine");
    qtest_util_install_fail_handler();
    assert_non_null(recorded_failure);
    assert_non_null(strstr(recorded_failure, "before connecting"));
    g_clear_pointer(&recorded_failure, g_free);
    qtest_quit(qts); /* broken: no status check */
    qts = NULL;
}

static void test_client_times_out_instead_of_hanging(void **state)
{
    char *line;

    qts = qtest_init_transport(QTEST_TRANSPORT_UNIX, "-M virt -bios none -nodefaults");
    qtest_set_timeout(qts, 1);
    qtest_set_fail_handler(record_failure);
    qtest_sendf(qts, "endianness"); /* no newline: no reply will come */
    line = qtest_receive(qts);
    qtest_util_install_fail_handler();
    assert_string_equal(line, "");
    g_free(line);
    assert_non_null(recorded_failure);
    assert_non_null(strstr(recorded_failure, "no reply to 'endianness' within 1 s"));
    g_clear_pointer(&recorded_failure, g_free);
    qtest_quit(qts);
    qts = NULL;
}

static void test_client_reports_unexpected_replies(void **state)
{
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, "-M virt -bios none -nodefaults");
    qtest_set_fail_handler(record_failure);
    qtest_clock_step_next(qts); /* FAIL: no deadline */
    qtest_util_install_fail_handler();
    assert_non_null(recorded_failure);
    assert_non_null(strstr(recorded_failure, "unexpected reply 'FAIL cannot advance clock"));
    g_clear_pointer(&recorded_failure, g_free);
    qtest_quit(qts);
    qts = NULL;
}

/* ---- the client API over each transport ----------------------------------------------------- */

static void exercise_client(QTestTransport transport)
{
    enum { BIG = 1 << 20 };
    uint8_t *data = g_malloc(BIG), *back = g_malloc(BIG);
    GRand *rand = g_rand_new_with_seed(42);

    qts = qtest_init_transport(transport, "-M virt -bios none -nodefaults");
    for (size_t i = 0; i < BIG; i++) {
        data[i] = (uint8_t)g_rand_int(rand);
    }
    qtest_memwrite(qts, 0x80000000, data, BIG);
    qtest_memread(qts, 0x80000000, back, BIG);
    assert_memory_equal(data, back, BIG);
    qtest_bufwrite(qts, 0x80100000, data + 1, BIG - 1);
    qtest_bufread(qts, 0x80100000, back, BIG - 1);
    assert_memory_equal(data + 1, back, BIG - 1);
    qtest_memset(qts, 0x80000000, 0x5a, 3);
    assert_int_equal(qtest_readl(qts, 0x80000000), 0x5a5a5a | (uint32_t)data[3] << 24);
    qtest_writeq(qts, 0x80000000, 0x0102030405060708);
    assert_int_equal(qtest_readq(qts, 0x80000000), 0x0102030405060708);
    qtest_writel(qts, 0x80000000, 0xaabbccdd);
    qtest_writew(qts, 0x80000000, 0xeeff);
    qtest_writeb(qts, 0x80000000, 0x11);
    assert_int_equal(qtest_readl(qts, 0x80000000), 0xaabbee11);
    assert_int_equal(qtest_readw(qts, 0x80000002), 0xaabb);
    assert_int_equal(qtest_readb(qts, 0x80000003), 0xaa);
    qtest_outb(qts, 0x10, 1);
    qtest_outw(qts, 0x10, 1);
    qtest_outl(qts, 0x10, 1);
    assert_int_equal(qtest_inb(qts, 0x10), 0xff);
    assert_int_equal(qtest_inw(qts, 0x10), 0xffff);
    assert_int_equal(qtest_inl(qts, 0x10), 0xffffffff);
    qtest_memread(qts, 0x80000000, back, 0); /* size 0: nothing sent */
    qtest_memwrite(qts, 0x80000000, data, 0);
    /* Clock and IRQs: the CLINT timer on the intercepted hart. */
    assert_int_equal(qtest_clock_set(qts, 1000), 1000);
    qtest_irq_intercept_in(qts, HART0);
    qtest_writeq(qts, 0x2004000, 15); /* 1500 ns */
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_int_equal(qtest_clock_step_next(qts), 1500);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_int_equal(qtest_clock_step(qts, 500), 2000);
    qtest_set_irq_in(qts, HART0, NULL, RV_IRQ_MSIP, 1);
    assert_true(qtest_get_irq(qts, RV_IRQ_MSIP));
    qtest_set_irq_in(qts, HART0, "unnamed-gpio-in", RV_IRQ_MSIP, 0);
    assert_false(qtest_get_irq(qts, RV_IRQ_MSIP));
    qtest_quit(qts);
    qts = NULL;
    g_rand_free(rand);
    g_free(data);
    g_free(back);
}

static void test_client_api_in_process(void **state)
{
    exercise_client(QTEST_TRANSPORT_INPROC);
}

static void test_client_api_over_unix_socket(void **state)
{
    exercise_client(QTEST_TRANSPORT_UNIX);
}

static void test_client_api_over_stdio(void **state)
{
    exercise_client(QTEST_TRANSPORT_STDIO);
}

static void test_client_handshake_skipped_on_request(void **state)
{
    qts = qtest_init_without_handshake(QTEST_TRANSPORT_INPROC, "-M virt -bios none -nodefaults");
    expect_line(qts, "endianness\n", "OK little");
    qtest_quit(qts);
    qts = NULL;
}

int main(void)
{
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_endianness_is_answered_before_the_machine_exists),
        TEST(test_sized_reads_and_writes_are_byte_exact),
        TEST(test_numbers_follow_strtoull_base_0),
        TEST(test_bulk_commands_are_byte_exact),
        TEST(test_port_io_hits_an_empty_space),
        TEST(test_other_commands_answer_like_qemu),
        TEST(test_malformed_requests_get_err_and_the_server_keeps_serving),
        TEST(test_crlf_line_endings_are_not_stripped),
        TEST(test_partial_lines_wait_for_their_newline),
        TEST(test_huge_lines_get_one_err_and_are_dropped),
        TEST(test_control_bytes_in_echoed_words_keep_one_line_per_reply),
        TEST(test_a_path_of_100000_components_answers_at_once),
        TEST(test_binary_garbage_gets_one_reply_per_line),
        TEST(test_random_commands_get_one_reply_each),
        TEST(test_irq_intercept_example_of_the_spec),
        TEST(test_irq_intercept_rules_and_order_of_checks),
        TEST(test_irq_intercept_in_on_a_device_with_only_outputs_is_ok),
        TEST(test_partial_qom_paths_resolve_like_qemu),
        TEST(test_ambiguous_partial_path_is_an_unknown_device),
        TEST(test_irq_levels_are_reported_on_change_only_until_reopened),
        TEST(test_irq_intercept_out_reports_and_still_delivers),
        TEST(test_irq_lines_beyond_256_are_reported_once_per_change),
        TEST(test_irq_intercept_out_of_a_named_list),
        TEST(test_interception_survives_the_server_and_goes_with_the_machine),
        TEST(test_clock_step_and_clock_set_follow_the_table),
        TEST(test_clock_commands_are_unknown_without_the_qtest_accelerator),
        TEST(test_log_lines_follow_the_qemu_format),
        TEST(test_log_opened_and_closed_once_per_connection),
        TEST(test_log_none_and_bad_log_path),
        TEST(test_chardev_unix_client),
        TEST(test_chardev_unix_client_with_path_key),
        TEST(test_chardev_unix_server_opens_on_connect),
        TEST(test_chardev_tcp_loopback_client),
        TEST(test_chardev_socket_fd_as_python_qemu_machine_does),
        TEST(test_object_qtest_on_a_chardev),
        TEST(test_object_qtest_errors_name_their_cause),
        TEST(test_only_one_qtest_server_per_run),
        TEST(test_chardev_plain_path_dev_null_is_a_silent_server),
        TEST(test_chardev_bad_specs_fail_tern_init),
        TEST(test_spawned_tern_on_unix_and_stdio),
        TEST(test_spawned_tern_sifive_test_exit_codes_follow_the_reply),
        TEST(test_spawned_stdio_eof_logs_closed_once_and_keeps_running),
        TEST(test_spawned_log_defaults_to_stderr),
        TEST(test_client_reports_a_server_that_cannot_start),
        TEST(test_client_times_out_instead_of_hanging),
        TEST(test_client_reports_unexpected_replies),
        TEST(test_client_api_in_process),
        TEST(test_client_api_over_unix_socket),
        TEST(test_client_api_over_stdio),
        TEST(test_client_handshake_skipped_on_request),
    };
#undef TEST
    return cmocka_run_group_tests(tests, NULL, NULL);
}
