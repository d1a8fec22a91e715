/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-host-targets.c - the host-input fuzz targets (options, config,
 * image, qtest, qmp) through the runner (fuzz_start/fuzz_run), as the
 * engines drive them.
 *
 * For each target: its corpus runs clean; an input run twice gives the
 * same outcome (tern_init()'s result, error and machine digest; the
 * replies and the machine's digest for qtest and qmp); input B after input
 * A gives what B gives alone.  options and config: 1000 fixed-seed mutants
 * of the seeds run clean, and the heap in use and the open descriptors do
 * not grow over a second pass of the same mutants (the first pass fills
 * whatever the C library and GLib cache for good).  The sandbox's rules
 * are checked input by input, and what they stop is checked not to happen
 * (no file outside the sandbox, no wait, nothing on stdout).  qtest and qmp
 * also run with the reset check on, and qtest's clock steps obey the
 * runner's time budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "fuzz/fuzz.h"
#include "fuzz/host-targets.h"
#include "tests/support/fds.h"
#include "tests/support/mutate.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/allocator_interface.h>
#define UNDER_ASAN 1
static size_t heap_in_use(void)
{
    return __sanitizer_get_current_allocated_bytes();
}
#else
#define UNDER_ASAN 0
/* Exact with glibc's thread cache off (meson's GLIBC_TUNABLES) and no fast bins (main()). */
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}
#endif

#define MUTANTS 1000

static const char *source_root;

/* ---- helpers -------------------------------------------------------------------------- */

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void start(const char *name)
{
    FuzzTarget *t = fuzz_find_target(name);
    Error *err = NULL;

    assert_non_null(t);
    if (!fuzz_start(t, &err)) {
        fail_msg("fuzz_start(%s): %s", name, err ? error_get_pretty(err) : "?");
    }
}

static void run_ok(const void *data, size_t len)
{
    Error *err = NULL;
    FuzzRunResult r = fuzz_run(data, len, &err);

    if (r != FUZZ_RUN_OK) {
        fail_msg("fuzz_run of '%.200s': %d: %s", (const char *)data, r,
                 err ? error_get_pretty(err) : "?");
    }
}

static void run_str(const char *s)
{
    run_ok(s, strlen(s));
}

/* The corpus files of target (dictionaries left out), sorted; each a GBytes. */
static GPtrArray *corpus(const char *target)
{
    char *dir = g_build_filename(source_root, "corpora", target, NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *files = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    const char *name;

    assert_non_null(d);
    while ((name = g_dir_read_name(d))) {
        if (!g_str_has_suffix(name, ".dict")) {
            g_ptr_array_add(names, g_strdup(name));
        }
    }
    g_dir_close(d);
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename(dir, names->pdata[i], NULL);
        char *data = NULL;
        gsize len = 0;

        assert_true(g_file_get_contents(path, &data, &len, NULL));
        g_ptr_array_add(files, g_bytes_new_take(data, len));
        g_free(path);
    }
    /* A corpus that is nearly empty proves nothing. */
    assert_true(files->len >= 5);
    g_ptr_array_free(names, TRUE);
    g_free(dir);
    return files;
}

static const void *bytes_data(GBytes *b, size_t *len)
{
    gsize n;
    const void *p = g_bytes_get_data(b, &n);

    *len = n;
    return p;
}

/* ---- options, config, image: outcomes ---------------------------------------------------- */

typedef struct Outcome {
    HostFuzzOutcomeKind kind;
    char *text, *digest;
} Outcome;

static Outcome outcome_of(const void *data, size_t len)
{
    const HostFuzzOutcome *o;

    run_ok(data, len);
    o = host_fuzz_last_outcome();
    return (Outcome){o->kind, g_strdup(o->text), g_strdup(o->digest)};
}

static void outcome_free(Outcome *o)
{
    g_free(o->text);
    g_free(o->digest);
}

static void assert_same_outcome(const Outcome *a, const Outcome *b, const char *what)
{
    if (a->kind != b->kind || strcmp(a->text, b->text) || strcmp(a->digest, b->digest)) {
        fail_msg("%s: outcome %d '%s' [%s] then %d '%s' [%s]", what, a->kind, a->text, a->digest,
                 b->kind, b->text, b->digest);
    }
}

/*
 * Every corpus input twice in a row (same outcome), then each after the
 * one before it equals itself alone; returns how many of each kind.
 */
static void corpus_checks(const char *target, unsigned counts[5])
{
    GPtrArray *files = corpus(target);
    Outcome *alone = g_new0(Outcome, files->len);

    memset(counts, 0, 5 * sizeof(unsigned));
    start(target);
    host_fuzz_set_digest(true);
    for (guint i = 0; i < files->len; i++) {
        size_t len;
        const void *data = bytes_data(files->pdata[i], &len);
        Outcome again;

        alone[i] = outcome_of(data, len);
        again = outcome_of(data, len);
        assert_same_outcome(&alone[i], &again, "the same input twice");
        outcome_free(&again);
        counts[alone[i].kind]++;
        /* The sandbox lets every seed through: the seeds are what reaches the parser. */
        if (alone[i].kind == HOST_FUZZ_SANDBOX_REFUSED) {
            fail_msg("%s seed %u refused by the sandbox: %s", target, i, alone[i].text);
        }
    }
    for (guint i = 0; i < files->len; i++) {
        size_t alen, blen;
        const void *a = bytes_data(files->pdata[(i + files->len - 1) % files->len], &alen);
        const void *b = bytes_data(files->pdata[i], &blen);
        Outcome after;

        run_ok(a, alen);
        after = outcome_of(b, blen);
        assert_same_outcome(&alone[i], &after, "input B after input A");
        outcome_free(&after);
    }
    host_fuzz_set_digest(false);
    for (guint i = 0; i < files->len; i++) {
        outcome_free(&alone[i]);
    }
    g_free(alone);
    g_ptr_array_free(files, TRUE);
    fuzz_stop();
}

static void test_options_corpus(void **state)
{
    unsigned n[5];

    corpus_checks("options", n);
    print_message("# options corpus: %u built, %u refused, %u done\n", n[HOST_FUZZ_INIT_RUN],
                  n[HOST_FUZZ_INIT_ERROR], n[HOST_FUZZ_INIT_DONE]);
    /* Most seeds build a machine; the corpus also holds a help line and a bad one. */
    assert_true(n[HOST_FUZZ_INIT_RUN] >= 15);
    assert_true(n[HOST_FUZZ_INIT_ERROR] >= 1);
    assert_true(n[HOST_FUZZ_INIT_DONE] >= 2);
}

static void test_config_corpus(void **state)
{
    unsigned n[5];

    corpus_checks("config", n);
    assert_true(n[HOST_FUZZ_INIT_RUN] >= 6);
    assert_true(n[HOST_FUZZ_INIT_ERROR] >= 1);
}

static void test_image_corpus(void **state)
{
    unsigned n[5];

    corpus_checks("image", n);
    /* The valid device tree, ELFs and raw images load; the damaged ones are refused. */
    assert_true(n[HOST_FUZZ_INIT_RUN] >= 5);
    assert_true(n[HOST_FUZZ_INIT_ERROR] >= 5);
}

/* A fixture changed by one input (truncated by -D) is whole again for the next. */
static void test_options_fixture_restored(void **state)
{
    static const char kernel[] = "-M\nvirt\n-accel\nqtest\n-bios\nnone\n-kernel\nimage.raw\n";
    static const char clobber[] = "-M\nvirt\n-accel\nqtest\n-d\nguest_errors\n-D\nimage.raw\n"
                                  "-writeconfig\nseed.cfg\n";
    Outcome alone, after;

    start("options");
    host_fuzz_set_digest(true);
    alone = outcome_of(kernel, strlen(kernel));
    assert_int_equal(alone.kind, HOST_FUZZ_INIT_RUN);
    run_str(clobber);
    assert_int_equal(host_fuzz_last_outcome()->kind, HOST_FUZZ_INIT_RUN);
    after = outcome_of(kernel, strlen(kernel));
    assert_same_outcome(&alone, &after, "-kernel image.raw after -D image.raw");
    outcome_free(&alone);
    outcome_free(&after);
    host_fuzz_set_digest(false);
    fuzz_stop();
}

/* ---- the sandbox ----------------------------------------------------------------------- */

typedef struct SandboxCase {
    const char *input;
    const char *reason; /* substring of the refusal, or NULL: let through */
} SandboxCase;

static const SandboxCase options_cases[] = {
    {"-bios\nnone\n-kernel\n/etc/passwd", "'/'"},
    {"-M\nvirt\n-D\n/tmp/tern-fuzz-escape.log", "'/'"},
    {"-drive\nfile=..,format=raw,if=none", "'..'"},
    {"-readconfig\n..", "'..'"},
    {"-chardev\nsocket,id=c0,host=localhost,port=4444", "network"},
    {"-chardev\nsocket,id=c0,port=4444,server=on,wait=off", "network"},
    {"-qtest\ntcp:127.0.0.1:4444", "network"},
    {"-qmp\nTCP:localhost:1", "network"},
    {"-chardev\nsocket,id=c0,fd=0", "file descriptor"},
    {"-run-with\nexit-with-parent=on", "exit-with-parent"},
    {"-chardev\nsocket,id=c0,path=s,server=on", "waits"},
    {"-chardev\nsocket,id=c0,path=s,server=on,wait=on", "waits"},
    {"-chardev\nsocket,id=c0,path=s,server,wait", "waits"},
    {"-chardev\nsocket,id=c0,path=s,server=on,wait=off,wait=yes", "waits"},
    {"-qtest\nunix:q,server", "waits"},
    {"-qmp\nunix:q,server=on", "waits"},
    /* the same without what waits or escapes: through to tern_init() */
    {"-M\nvirt\n-accel\nqtest\n-chardev\nsocket,id=c0,path=s,server=on,wait=off", NULL},
    {"-M\nvirt\n-accel\nqtest\n-qmp\nunix:q,server,nowait", NULL},
    {"-M\nvirt\n-accel\nqtest\n-S", NULL},
    {"-chardev\nsocket,id=c0,path=nobody-listens", NULL},
    {"-readconfig\n-", NULL},
    {"-run-with\nexit-with-parent=maybe", "exit-with-parent"},
};

static const SandboxCase config_cases[] = {
    {"[drive \"d0\"]\n  file = \"/etc/passwd\"\n  if = \"none\"\n", "'/'"},
    {"[chardev \"c0\"]\n  backend = \"socket\"\n  path = \"s\"\n  server = \"on\"\n", "waits"},
    {"[chardev \"c0\"]\n  backend = \"socket\"\n  host = \"localhost\"\n  port = \"1\"\n",
     "network"},
    {"[run]\n  exit-with-parent = \"on\"\n", "exit-with-parent"},
    {"[chardev \"a\"]\n  backend = \"socket\"\n  path = \"s\"\n  server = \"on\"\n"
     "  wait = \"off\"\n[chardev \"b\"]\n  backend = \"socket\"\n  path = \"t\"\n"
     "  server = \"on\"\n",
     "waits"},
    {"[machine]\n  type = \"virt\"\n[chardev \"c0\"]\n  backend = \"socket\"\n  path = \"s\"\n"
     "  server = \"on\"\n  wait = \"off\"\n",
     NULL},
};

static void check_cases(const char *target, const SandboxCase *cases, size_t n)
{
    start(target);
    for (size_t i = 0; i < n; i++) {
        const HostFuzzOutcome *o;

        run_str(cases[i].input);
        o = host_fuzz_last_outcome();
        if (cases[i].reason) {
            if (o->kind != HOST_FUZZ_SANDBOX_REFUSED || !strstr(o->text, cases[i].reason)) {
                fail_msg("%s case %zu: expected a refusal with '%s', got %d '%s'", target, i,
                         cases[i].reason, o->kind, o->text);
            }
        } else if (o->kind == HOST_FUZZ_SANDBOX_REFUSED) {
            fail_msg("%s case %zu refused: %s", target, i, o->text);
        }
    }
    fuzz_stop();
}

static void test_options_sandbox_rules(void **state)
{
    check_cases("options", options_cases, G_N_ELEMENTS(options_cases));
}

static void test_config_sandbox_rules(void **state)
{
    check_cases("config", config_cases, G_N_ELEMENTS(config_cases));
}

/* The names in the sandbox, sorted, joined by spaces. */
static char *sandbox_listing(void)
{
    GDir *d = g_dir_open(host_fuzz_sandbox_dir(), 0, NULL);
    GPtrArray *names = g_ptr_array_new();
    const char *name;
    char *joined;

    assert_non_null(d);
    while ((name = g_dir_read_name(d))) {
        g_ptr_array_add(names, (gpointer)name);
    }
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    joined = g_strjoinv(" ", (char **)names->pdata);
    g_ptr_array_free(names, TRUE);
    g_dir_close(d);
    return joined;
}

/*
 * What the sandbox is for: output files stay inside it and are gone after
 * the input; a refused path is not written; stdout gets nothing (help);
 * nothing waits (stdin, a server with wait=off, a client with no server).
 */
static void test_options_sandbox_effects(void **state)
{
    char *outside = g_strdup_printf("%s/tern-fuzz-outside-%d.log", g_get_tmp_dir(), (int)getpid());
    char *line = g_strdup_printf("-M\nvirt\n-accel\nqtest\n-d\nguest_errors\n-D\n%s", outside);
    char *before, *after, *out_path = NULL;
    int out_fd, saved;
    char *out = NULL;
    gsize out_len = 0;

    start("options");
    before = sandbox_listing();
    run_str(line);
    assert_int_equal(host_fuzz_last_outcome()->kind, HOST_FUZZ_SANDBOX_REFUSED);
    assert_false(g_file_test(outside, G_FILE_TEST_EXISTS));
    run_str("-M\nvirt\n-accel\nqtest\n-d\nguest_errors\n-D\nlog.txt\n-chardev\n"
            "file,id=f0,path=serial.txt\n-serial\nchardev:f0\n-machine\ndumpdtb=virt.dtb\n");
    assert_int_equal(host_fuzz_last_outcome()->kind, HOST_FUZZ_INIT_DONE);
    after = sandbox_listing();
    assert_string_equal(before, after);
    /* Nothing reaches the real standard output. */
    out_fd = g_file_open_tmp("tern-fuzz-stdout-XXXXXX", &out_path, NULL);
    assert_true(out_fd >= 0);
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    assert_true(dup2(out_fd, STDOUT_FILENO) >= 0);
    run_str("-M\nhelp");
    run_str("-device\nhelp");
    run_str("-version");
    run_str("-M\nvirt\n-accel\nqtest\n-qmp\nstdio\n-writeconfig\n-");
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    close(out_fd);
    assert_true(g_file_get_contents(out_path, &out, &out_len, NULL));
    assert_int_equal(out_len, 0);
    unlink(out_path);
    /* Reading standard input ends at once: it is /dev/null during the run. */
    run_str("-readconfig\n-\n-M\nvirt\n-accel\nqtest");
    assert_true(host_fuzz_last_outcome()->kind != HOST_FUZZ_SANDBOX_REFUSED);
    fuzz_stop();
    g_free(out);
    g_free(out_path);
    g_free(before);
    g_free(after);
    g_free(line);
    g_free(outside);
}

/* The config target's input file is gone after its input: the options target cannot read it. */
static void test_config_input_not_left_behind(void **state)
{
    static const char cfg[] = "[machine]\n  type = \"virt\"\n[memory]\n  size = \"64M\"\n";
    static const char read_it[] = "-readconfig\ninput.cfg\n-accel\nqtest";
    Outcome alone, after;

    start("options");
    alone = outcome_of(read_it, strlen(read_it));
    fuzz_stop();
    assert_int_equal(alone.kind, HOST_FUZZ_INIT_ERROR);
    start("config");
    run_str(cfg);
    assert_int_equal(host_fuzz_last_outcome()->kind, HOST_FUZZ_INIT_RUN);
    fuzz_stop();
    start("options");
    after = outcome_of(read_it, strlen(read_it));
    assert_same_outcome(&alone, &after, "-readconfig input.cfg after a config input");
    outcome_free(&alone);
    outcome_free(&after);
    fuzz_stop();
}

/* ---- options and config: mutants ------------------------------------------------------- */

static const char *const option_seeds[] = {
    "-M virt -accel qtest -m 256M -smp 2",
    "-M virt,aclint=on -accel qtest -smp 4,sockets=1,cores=4,threads=1 -m size=64M",
    "-M virt -accel qtest -drive if=none,id=d0,file=image.raw,format=raw,snapshot=on "
    "-device virtio-blk-device,drive=d0",
    "-M virt -accel qtest -object rng-builtin,id=r0 -device virtio-rng-device,rng=r0",
    "-M virt -accel qtest -rtc base=2021-06-01T12:00:00,clock=vm -global "
    "virtio-mmio.force-legacy=false",
    "-M virt -accel qtest -chardev ringbuf,id=c0,size=4096 -serial chardev:c0 -d guest_errors "
    "-D log.txt",
    "-M virt -accel qtest -bios none -kernel image.raw -append console=ttyS0",
    "-M virt -accel qtest -chardev socket,id=s0,path=mon.sock,server=on,wait=off "
    "-mon chardev=s0,mode=control",
    "-readconfig seed.cfg -accel qtest",
    "-M virt -accel qtest -nodefaults -S -no-reboot -no-shutdown",
};

static const char *const words[] = {
    "-M",
    "-m",
    "-smp",
    "-accel",
    "-bios",
    "-kernel",
    "-drive",
    "-device",
    "-object",
    "-global",
    "-rtc",
    "-chardev",
    "-serial",
    "-icount",
    "-d",
    "-D",
    "-S",
    "-readconfig",
    "-writeconfig",
    "-qmp",
    "-mon",
    "-qtest",
    "virt",
    "none",
    "qtest",
    "image.raw",
    "seed.cfg",
    "help",
    "id=d1",
    "if=virtio",
    "format=raw",
    "virtio-blk-device",
    "virtio-rng-device",
    "null",
    "ringbuf,id=c1",
    "file,id=c2,path=out.txt",
    "base=localtime",
    "clock=host",
    "shift=auto",
    "dumpdtb=x.dtb",
    "guest_errors",
    "256M",
    "1G",
    "2",
    "stdio",
    "-nographic",
};

/* One mutant of a seed: arguments deleted, duplicated, swapped, cut, replaced, spliced, long. */
static GString *option_mutant(GRand *r)
{
    gchar **args =
        g_strsplit(option_seeds[g_rand_int_range(r, 0, G_N_ELEMENTS(option_seeds))], " ", -1);
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    unsigned rounds = g_rand_int_range(r, 1, 4);
    GString *line = g_string_new(NULL);

    for (gchar **p = args; *p; p++) {
        g_ptr_array_add(a, g_strdup(*p));
    }
    g_strfreev(args);
    for (unsigned k = 0; k < rounds; k++) {
        guint i = a->len ? g_rand_int_range(r, 0, (gint32)a->len) : 0;
        char *s = i < a->len ? a->pdata[i] : NULL;

        switch (g_rand_int_range(r, 0, 7)) {
        case 0:
            if (s) {
                g_ptr_array_remove_index(a, i);
            }
            break;
        case 1:
            if (s) {
                g_ptr_array_insert(a, (gint)i, g_strdup(s));
            }
            break;
        case 2:
            if (s) {
                guint j = g_rand_int_range(r, 0, (gint32)a->len);
                a->pdata[i] = a->pdata[j];
                a->pdata[j] = s;
            }
            break;
        case 3:
            if (s) {
                s[g_rand_int_range(r, 0, (gint32)strlen(s) + 1)] = '\0';
            }
            break;
        case 4:
            g_ptr_array_insert(a, (gint)i,
                               g_strdup(words[g_rand_int_range(r, 0, G_N_ELEMENTS(words))]));
            break;
        case 5:
            if (s) {
                size_t at = g_rand_int_range(r, 0, (gint32)strlen(s) + 1);
                a->pdata[i] = g_strdup_printf("%.*s%s%s", (int)at, s, mutate_splice(r), s + at);
                g_free(s);
            }
            break;
        case 6:
            if (s) {
                GString *l = g_string_new(s);
                while (l->len < 5000) {
                    g_string_append(l, mutate_splice(r));
                }
                a->pdata[i] = g_string_free(l, FALSE);
                g_free(s);
            }
            break;
        }
    }
    for (guint i = 0; i < a->len; i++) {
        g_string_append(line, a->pdata[i]);
        g_string_append_c(line, i % 5 == 4 ? '\0' : '\n'); /* both separators */
    }
    g_ptr_array_free(a, TRUE);
    return line;
}

static GString *config_mutant(GRand *r, const char *seed)
{
    GString *t = g_string_new(seed);
    unsigned rounds = g_rand_int_range(r, 1, 5);

    for (unsigned k = 0; k < rounds; k++) {
        size_t at = g_rand_int_range(r, 0, (gint32)t->len + 1);
        size_t span = g_rand_int_range(r, 0, 40);

        switch (g_rand_int_range(r, 0, 4)) {
        case 0:
            if (at < t->len) {
                t->str[at] = (char)g_rand_int_range(r, 0, 256);
            }
            break;
        case 1:
            g_string_erase(t, (gssize)at, (gssize)MIN(t->len - at, span));
            break;
        case 2:
            g_string_insert(t, (gssize)at, mutate_splice(r));
            break;
        case 3:
            if (at < t->len) {
                char *dup = g_strndup(t->str + at, MIN(t->len - at, span));
                g_string_insert(t, (gssize)at, dup);
                g_free(dup);
            }
            break;
        }
    }
    return t;
}

static const char config_seed[] = "[machine]\n  type = \"virt\"\n\n[memory]\n  size = \"128M\"\n\n"
                                  "[smp-opts]\n  cpus = \"2\"\n\n[drive \"d0\"]\n"
                                  "  file = \"image.raw\"\n  format = \"raw\"\n  if = \"virtio\"\n"
                                  "  snapshot = \"on\"\n\n[rtc]\n  clock = \"vm\"\n\n"
                                  "[chardev \"c0\"]\n  backend = \"ringbuf\"\n";

/*
 * One pass over the mutants; counts the outcomes.  With reference, it is
 * run after the first mutant and the heap and descriptors measured then.
 */
static void mutant_pass(GRand *r, const char *target, unsigned counts[5], const char *reference,
                        size_t *heap, unsigned *fds)
{
    g_rand_set_seed(r, !strcmp(target, "options") ? 0x0971 : 0xc0f1);

    memset(counts, 0, 5 * sizeof(unsigned));
    for (unsigned m = 0; m < MUTANTS; m++) {
        GString *in = !strcmp(target, "options") ? option_mutant(r) : config_mutant(r, config_seed);

        run_ok(in->str, in->len);
        counts[host_fuzz_last_outcome()->kind]++;
        g_string_free(in, TRUE);
        if (m == 0 && reference) {
            run_str(reference);
            *heap = heap_in_use();
            *fds = fds_open_count();
        }
    }
}

static void mutants_no_growth(const char *target, const char *reference)
{
    unsigned first[5], second[5];
    size_t heap0 = 0, heap1, heap2;
    unsigned fds0 = 0, fds1, fds2;
    /* One generator, reseeded per pass: it is in the heap at every measurement. */
    GRand *r = g_rand_new();

    start(target);
    mutant_pass(r, target, first, reference, &heap0, &fds0);
    run_str(reference);
    heap1 = heap_in_use();
    fds1 = fds_open_count();
    mutant_pass(r, target, second, NULL, NULL, NULL);
    run_str(reference);
    heap2 = heap_in_use();
    fds2 = fds_open_count();
    fuzz_stop();
    g_rand_free(r);
    print_message("# %s: %u mutants: %u built, %u refused by tern, %u by the sandbox, %u done;"
                  " heap %zu after the first, %zu after the last, %zu after a second pass;"
                  " fds %u, %u, %u\n",
                  target, MUTANTS, first[HOST_FUZZ_INIT_RUN], first[HOST_FUZZ_INIT_ERROR],
                  first[HOST_FUZZ_SANDBOX_REFUSED], first[HOST_FUZZ_INIT_DONE], heap0, heap1, heap2,
                  fds0, fds1, fds2);
    /* Fixed seed: the second pass is the first again. */
    assert_memory_equal(first, second, sizeof(first));
    /* A run that refuses nothing or everything is not exploring. */
    assert_true(first[HOST_FUZZ_INIT_RUN] > 0 && first[HOST_FUZZ_INIT_ERROR] > 0);
    /*
     * Descriptors: the same after the first mutant, the last, and a second
     * pass.  The heap: the second pass of the same mutants adds nothing.
     * Between the first mutant and the last it may rise once by a few
     * hundred bytes, which the second pass shows to be high-water marks
     * (what a code path allocates the first time it runs and keeps for the
     * process, -nodefaults's first run adding 32 bytes for one), not a leak.
     */
    assert_int_equal(fds0, fds1);
    assert_int_equal(fds1, fds2);
    assert_true(heap1 >= heap0 && heap1 - heap0 < 4096);
    assert_int_equal(heap1, heap2);
}

static void test_options_mutants(void **state)
{
    mutants_no_growth("options", "-M\nvirt\n-accel\nqtest\n-m\n256M\n");
}

static void test_config_mutants(void **state)
{
    mutants_no_growth("config", config_seed);
}

/* ---- qtest and qmp ---------------------------------------------------------------------- */

typedef struct Replies {
    char *text, *digest, *transcript;
} Replies;

/*
 * The replies with QMP's event timestamps blanked: they are host time by
 * design (QEMU's too), the one thing in the output a machine restore cannot
 * make repeat.
 */
static Replies replies_of(const void *data, size_t len)
{
    GRegex *stamp = g_regex_new(
        "\"timestamp\": \\{\"seconds\": [0-9]+, \"microseconds\": [0-9]+\\}", G_REGEX_RAW, 0, NULL);
    char *text;

    run_ok(data, len);
    text = g_regex_replace_literal(stamp, host_fuzz_last_replies(), -1, 0, "\"timestamp\": T", 0,
                                   NULL);
    g_regex_unref(stamp);
    assert_non_null(text);
    return (Replies){text, g_strdup(host_fuzz_last_machine_digest()),
                     g_string_free(fuzz_trace_transcript(), FALSE)};
}

static void replies_free(Replies *r)
{
    g_free(r->text);
    g_free(r->digest);
    g_free(r->transcript);
}

static void assert_same_replies(const Replies *a, const Replies *b, const char *what)
{
    if (strcmp(a->text, b->text) || strcmp(a->digest, b->digest)) {
        fail_msg("%s: replies '%.300s' [%s] then '%.300s' [%s]", what, a->text, a->digest, b->text,
                 b->digest);
    }
}

static void protocol_corpus_checks(const char *target, bool check_reset)
{
    GPtrArray *files = corpus(target);
    Replies *alone = g_new0(Replies, files->len);

    start(target);
    host_fuzz_set_keep_replies(true);
    fuzz_set_check_reset(check_reset);
    fuzz_trace_set_recording(true);
    for (guint i = 0; i < files->len; i++) {
        size_t len;
        const void *data = bytes_data(files->pdata[i], &len);
        Replies again;

        alone[i] = replies_of(data, len);
        assert_true(*alone[i].text);
        /* qtest: the trace is the input's lines and their replies (qmp has none). */
        assert_true((strcmp(target, "qmp") != 0) == (*alone[i].transcript != 0));
        assert_int_equal(strlen(alone[i].digest), 64);
        again = replies_of(data, len);
        assert_same_replies(&alone[i], &again, "the same input twice");
        replies_free(&again);
    }
    for (guint i = 0; i < files->len; i++) {
        size_t alen, blen;
        const void *a = bytes_data(files->pdata[(i + 1) % files->len], &alen);
        const void *b = bytes_data(files->pdata[i], &blen);
        Replies after;

        run_ok(a, alen);
        after = replies_of(b, blen);
        assert_same_replies(&alone[i], &after, "input B after input A");
        replies_free(&after);
    }
    fuzz_set_check_reset(false);
    fuzz_trace_set_recording(false);
    host_fuzz_set_keep_replies(false);
    for (guint i = 0; i < files->len; i++) {
        replies_free(&alone[i]);
    }
    g_free(alone);
    g_ptr_array_free(files, TRUE);
    fuzz_stop();
}

static void test_qtest_corpus(void **state)
{
    protocol_corpus_checks("qtest", false);
}

static void test_qtest_corpus_check_reset(void **state)
{
    protocol_corpus_checks("qtest", true);
}

static void test_qmp_corpus(void **state)
{
    protocol_corpus_checks("qmp", false);
}

static void test_qmp_corpus_check_reset(void **state)
{
    protocol_corpus_checks("qmp", true);
}

/* What qtest answers to one line, as a number after "OK ". */
static int64_t clock_reply(const char *line)
{
    Replies r;
    int64_t v;

    r = replies_of(line, strlen(line));
    if (!g_str_has_prefix(r.text, "OK ")) {
        fail_msg("'%s' answered '%s'", line, r.text);
    }
    v = g_ascii_strtoll(r.text + 3, NULL, 10);
    replies_free(&r);
    return v;
}

/* A huge clock_step stops at the time budget; a big one within it is whole. */
static void test_qtest_time_budget(void **state)
{
    int64_t base, t;

    start("qtest");
    host_fuzz_set_keep_replies(true);
    base = clock_reply("clock_step 1\n") - 1;
    fuzz_set_budgets(FUZZ_DEFAULT_WORK_BUDGET, 1000000);
    t = clock_reply("clock_step 1000000000000000\n");
    assert_true(t > base && t <= base + 1000000);
    t = clock_reply("clock_step 500000\n");
    assert_int_equal(t, base + 500000);
    fuzz_set_budgets(FUZZ_DEFAULT_WORK_BUDGET, FUZZ_DEFAULT_TIME_BUDGET_NS);
    t = clock_reply("clock_step 1000000000000000\n");
    assert_true(t > base && t <= base + FUZZ_DEFAULT_TIME_BUDGET_NS);
    host_fuzz_set_keep_replies(false);
    fuzz_stop();
}

/*
 * Transfers past the target's allowance (64 KiB an input) are not sent; the
 * lines around them are.  A b64write of 3 bytes told 203 MB and a write of
 * one told 256 MiB (found by libFuzzer: the server writes SIZE bytes, and
 * over device registers that used up the work budget) are among them.
 */
static void test_qtest_transfer_limit(void **state)
{
    static const char in[] = "read 0x80000000 0x10000000\nb64read 0x80000000 0x200000\n"
                             "memset 0x80000000 0x8000000 0xff\nb64write 0x00e 0xc201004 0a\n"
                             "write 0xeb 0x10000000 0x01\nread 0x80000000 0x2\n";
    static const char plic[] = "memset 0xc000000 0xc000 0x1\nmemset 0xc000000 0xc000 0x1\n"
                               "memset 0xc000000 0x4000 0x1\nb64read 0xc000000 0x4\n";
    Replies r;

    start("qtest");
    host_fuzz_set_keep_replies(true);
    r = replies_of(in, strlen(in));
    assert_string_equal(r.text, "OK 0x0000\n");
    replies_free(&r);
    /* 48 KiB, then 48 more refused, then 16 KiB: the allowance is full, the b64read skipped. */
    r = replies_of(plic, strlen(plic));
    assert_string_equal(r.text, "OK\nOK\n");
    replies_free(&r);
    fuzz_stop();
}

/* The input fails (FUZZ_RUN_FAILED) with what the check found; the next input runs again. */
static void expect_failed_check(const char *input, const char *found)
{
    Error *err = NULL;
    FuzzRunResult r = fuzz_run((const uint8_t *)input, strlen(input), &err);

    assert_int_equal(r, FUZZ_RUN_FAILED);
    assert_non_null(err);
    if (!strstr(error_get_pretty(err), found)) {
        fail_msg("failed check '%s', expected '%s'", error_get_pretty(err), found);
    }
    error_free(err);
}

/*
 * TERN_FUZZ_STRICT_REPLIES: an ERR reply quoting a control byte, and a QMP
 * error quoting a DEL raw, are failed checks; the machine and session are
 * back for the next input.
 */
static void test_strict_reply_checks(void **state)
{
    static const char qtest_ok[] = "readb 0x10000005\n";
    static const char qmp_ok[] = "{\"execute\": \"qmp_capabilities\"}\n";

    g_setenv("TERN_FUZZ_STRICT_REPLIES", "1", TRUE);
    start("qtest");
    expect_failed_check("writel 0x10000000 0x41\nreadl 0x1\x01\nreadb 0x10000005\n",
                        "qtest: check failed: a reply is not one safe line");
    run_str(qtest_ok);
    fuzz_stop();
    start("qmp");
    expect_failed_check("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"\x7fx\"}\n",
                        "qmp: check failed: an output line with a control or non-ASCII byte");
    run_str(qmp_ok);
    fuzz_stop();
    g_unsetenv("TERN_FUZZ_STRICT_REPLIES");
    /* Without it, the same inputs pass: the protocols allow both. */
    start("qtest");
    run_str("writel 0x10000000 0x41\nreadl 0x1\x01\nreadb 0x10000005\n");
    fuzz_stop();
    start("qmp");
    run_str("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"\x7fx\"}\n");
    fuzz_stop();
}

/* Each input is a new client: what one negotiates, the next must negotiate again. */
static void test_qmp_session_is_new_each_input(void **state)
{
    static const char probe[] = "{\"execute\": \"query-status\"}\n";
    static const char negotiate[] = "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"stop\"}\n"
                                    "{\"execute\": \"query-status\"}\n{\"execute\": \"quit\"}\n";
    Replies alone, after;

    start("qmp");
    host_fuzz_set_keep_replies(true);
    alone = replies_of(probe, strlen(probe));
    assert_non_null(strstr(alone.text, "Expecting capabilities negotiation"));
    after = replies_of(negotiate, strlen(negotiate));
    assert_non_null(strstr(after.text, "\"status\": \"paused\""));
    replies_free(&after);
    /* A half-sent value must not survive either. */
    run_str("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-st");
    after = replies_of(probe, strlen(probe));
    assert_same_replies(&alone, &after, "query-status after a negotiated session");
    replies_free(&alone);
    replies_free(&after);
    host_fuzz_set_keep_replies(false);
    fuzz_stop();
}

/* A failed test must not leave its target running for the next. */
static int stop_target(void **state)
{
    if (fuzz_current_target()) {
        fuzz_stop();
    }
    host_fuzz_set_digest(false);
    host_fuzz_set_keep_replies(false);
    fuzz_trace_set_recording(false);
    g_unsetenv("TERN_FUZZ_STRICT_REPLIES");
    return 0;
}

static void test_safe_line_check(void **state)
{
    assert_true(host_fuzz_is_one_safe_line("tern: -m 12\\nQ: invalid", 22));
    assert_true(host_fuzz_is_one_safe_line("caf\xc3\xa9", 5));
    assert_true(host_fuzz_is_one_safe_line("", 0));
    assert_false(host_fuzz_is_one_safe_line("a\nb", 3));
    assert_false(host_fuzz_is_one_safe_line("a\x7f", 2));
    assert_false(host_fuzz_is_one_safe_line("a\xc2\x85", 3));
    assert_false(host_fuzz_is_one_safe_line("a\xe2\x80\xa8", 4));
    assert_false(host_fuzz_is_one_safe_line("a\xff", 2));
    assert_false(host_fuzz_is_one_safe_line("a\0b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_safe_line_check, stop_target),
        cmocka_unit_test_teardown(test_options_corpus, stop_target),
        cmocka_unit_test_teardown(test_options_fixture_restored, stop_target),
        cmocka_unit_test_teardown(test_options_sandbox_rules, stop_target),
        cmocka_unit_test_teardown(test_options_sandbox_effects, stop_target),
        cmocka_unit_test_teardown(test_options_mutants, stop_target),
        cmocka_unit_test_teardown(test_config_corpus, stop_target),
        cmocka_unit_test_teardown(test_config_sandbox_rules, stop_target),
        cmocka_unit_test_teardown(test_config_mutants, stop_target),
        cmocka_unit_test_teardown(test_config_input_not_left_behind, stop_target),
        cmocka_unit_test_teardown(test_image_corpus, stop_target),
        cmocka_unit_test_teardown(test_qtest_corpus, stop_target),
        cmocka_unit_test_teardown(test_qtest_corpus_check_reset, stop_target),
        cmocka_unit_test_teardown(test_qtest_time_budget, stop_target),
        cmocka_unit_test_teardown(test_qtest_transfer_limit, stop_target),
        cmocka_unit_test_teardown(test_strict_reply_checks, stop_target),
        cmocka_unit_test_teardown(test_qmp_corpus, stop_target),
        cmocka_unit_test_teardown(test_qmp_corpus_check_reset, stop_target),
        cmocka_unit_test_teardown(test_qmp_session_is_new_each_input, stop_target),
    };

#if !UNDER_ASAN
    mallopt(M_MXFAST, 0);
#endif
    source_root = g_getenv("TERN_SOURCE_ROOT");
    if (!source_root) {
        fprintf(stderr, "test-host-targets: TERN_SOURCE_ROOT must be set (meson does)\n");
        return 1;
    }
    /* Output buffers exist before the first heap measurement. */
    printf("# host-input fuzz targets\n");
    fflush(stdout);
    fuzz_register_targets();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
