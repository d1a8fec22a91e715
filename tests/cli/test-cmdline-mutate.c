/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cmdline-mutate.c - a black-box mutation run over the command line and
 * config files, the way an attacker would try Tern.
 *
 * Each seed is a command line that works.  From it, a fixed-seed generator
 * makes mutants: arguments deleted, duplicated, swapped, cut, replaced by
 * other options or values, and spliced with the strings that break parsers
 * (control characters, separators, numbers at and past every integer limit,
 * format directives, very long values).  Every mutant goes through
 * tern_init() in-process and must either build the machine or fail with one
 * error that is one safe line (mutate_is_one_safe_line(): no control
 * character, line separator or byte that is not UTF-8); tern_cleanup() must
 * free everything and give back every file descriptor (LeakSanitizer checks
 * memory under the sanitizer build).  A share of the failing mutants also
 * runs as the tern program: exit status 1, nothing on stdout, exactly one
 * safe line on stderr that starts with "tern: ", and no hang.
 *
 * The same is done to a config file read with -readconfig, byte by byte.
 * Mutants are reproducible: a failure prints the mutant as a shell line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>

#include "core/tern.h"
#include "tests/support/fds.h"
#include "tests/support/mutate.h"
#include "tests/support/tmpdir.h"

/* Mutants per seed through tern_init(); every SPAWN_EVERY-th failing one also as a program. */
#define MUTANTS_PER_SEED 400
#define SPAWN_EVERY      8
#define CONFIG_MUTANTS   600
/* A spawned tern that has not exited after this long is a hang. */
#define SPAWN_LIMIT_MS 20000

static const char *build_root;
static char *workdir; /* cwd of every run: dumpdtb=, -D and file chardevs land here */
static char *image;   /* a small raw image for -kernel and -drive */
static char *config;  /* a valid config file */

/*
 * The seeds.  None of them waits for a peer (no sockets, no stdio) or prints
 * to stdout, and neither can a mutant: the dictionaries below hold nothing
 * that would.  @IMG@ and @CFG@ are replaced by the files above.
 */
static const char *const seeds[] = {
    "-nouserconfig -M virt -accel qtest -m 256M -smp 2",
    "-nouserconfig -M virt,aclint=on -accel qtest -smp 4,sockets=1,cores=4,threads=1 -m size=64M",
    "-nouserconfig -M virt -accel qtest -drive if=none,id=d0,file=@IMG@,format=raw,snapshot=on "
    "-device virtio-blk-device,drive=d0",
    "-nouserconfig -M virt -accel qtest -drive file=@IMG@,if=virtio,format=raw,readonly=on",
    "-nouserconfig -M virt -accel qtest -object rng-builtin,id=r0 -device virtio-rng-device,rng=r0",
    "-nouserconfig -M virt -accel qtest -rtc base=2021-06-01T12:00:00,clock=vm "
    "-global virtio-mmio.force-legacy=false",
    "-nouserconfig -M virt -accel qtest -chardev ringbuf,id=c0,size=4096 -serial chardev:c0 "
    "-d guest_errors,unimp -D log.txt",
    "-nouserconfig -M virt -accel qtest -bios none -kernel @IMG@ -append console=ttyS0",
    "-nouserconfig -M virt -accel qtest -nodefaults -S -no-reboot -no-shutdown -display none",
    "-nouserconfig -readconfig @CFG@ -accel qtest",
    "-nouserconfig -machine type=virt,dumpdtb=virt.dtb -m 128M",
};

/* Options and values a mutant may borrow. */
static const char *const words[] = {
    "-M",
    "-machine",
    "-m",
    "-smp",
    "-accel",
    "-bios",
    "-kernel",
    "-initrd",
    "-append",
    "-dtb",
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
    "-nodefaults",
    "-S",
    "-no-reboot",
    "-no-shutdown",
    "-readconfig",
    "-cpu",
    "-monitor",
    "-display",
    "-trace",
    "-run-with",
    "-qtest-log",
    "virt",
    "none",
    "qtest",
    "interp",
    "@IMG@",
    "@CFG@",
    "id=d1",
    "if=virtio",
    "if=none",
    "format=raw",
    "format=qcow2",
    "virtio-blk-device",
    "virtio-rng-device",
    "rng-builtin,id=r9",
    "rng-random,id=r8",
    "drive=d0",
    "rng=r0",
    "chardev:c0",
    "null",
    "ringbuf,id=c1",
    "file,id=c2,path=out.txt",
    "base=utc",
    "base=localtime",
    "clock=host",
    "clock=rt",
    "shift=auto",
    "shift=7",
    "aclint=on",
    "dumpdtb=x.dtb",
    "guest_errors",
    "unimp",
    "rv64",
    "exit-with-parent=off",
    "virtio-mmio.force-legacy=on",
    "sifive_test",
    "ns16550a",
    "256M",
    "1G",
    "2",
    "8",
};

static char *substitute(const char *s)
{
    GString *out = g_string_new(NULL);

    while (*s) {
        if (g_str_has_prefix(s, "@IMG@")) {
            g_string_append(out, image);
            s += 5;
        } else if (g_str_has_prefix(s, "@CFG@")) {
            g_string_append(out, config);
            s += 5;
        } else {
            g_string_append_c(out, *s++);
        }
    }
    return g_string_free(out, FALSE);
}

static GPtrArray *split_seed(const char *seed)
{
    gchar **parts = g_strsplit(seed, " ", -1);
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(argv, g_strdup("tern"));
    for (int i = 0; parts[i]; i++) {
        if (*parts[i]) {
            g_ptr_array_add(argv, substitute(parts[i]));
        }
    }
    g_strfreev(parts);
    return argv;
}

/* Splices ins into s at a random point, or over a random stretch of it. */
static char *splice_in(GRand *r, const char *s, const char *ins, bool replace)
{
    size_t len = strlen(s);
    size_t at = mutate_rnd(r, (uint32_t)len + 1);
    size_t cut = replace && at < len ? mutate_rnd(r, (uint32_t)(len - at) + 1) : 0;

    return g_strdup_printf("%.*s%s%s", (int)at, s, ins, s + at + cut);
}

static void mutate_once(GRand *r, GPtrArray *argv)
{
    guint n = argv->len; /* argv[0] stays */
    guint i = n > 1 ? 1 + mutate_rnd(r, n - 1) : 1;
    char *a = i < n ? argv->pdata[i] : NULL;

    switch (mutate_rnd(r, 9)) {
    case 0: /* delete an argument */
        if (a) {
            g_ptr_array_remove_index(argv, i);
        }
        break;
    case 1: /* duplicate one */
        if (a) {
            g_ptr_array_insert(argv, (gint)i, g_strdup(a));
        }
        break;
    case 2: { /* swap two */
        guint j = n > 1 ? 1 + mutate_rnd(r, n - 1) : 1;
        if (a && j < n) {
            argv->pdata[i] = argv->pdata[j];
            argv->pdata[j] = a;
        }
        break;
    }
    case 3: /* cut one short */
        if (a) {
            a[mutate_rnd(r, (uint32_t)strlen(a) + 1)] = '\0';
        }
        break;
    case 4: /* insert a word */
        g_ptr_array_insert(argv, (gint)i, substitute(words[mutate_rnd(r, G_N_ELEMENTS(words))]));
        break;
    case 5: /* replace an argument by a word */
        if (a) {
            argv->pdata[i] = substitute(words[mutate_rnd(r, G_N_ELEMENTS(words))]);
            g_free(a);
        }
        break;
    case 6: /* splice a breaker into an argument */
    case 7:
        if (a) {
            argv->pdata[i] = splice_in(r, a, mutate_splice(r), mutate_rnd(r, 2));
            g_free(a);
        }
        break;
    case 8: /* make an argument very long */
        if (a) {
            GString *s = g_string_new(a);
            guint reps = 1000 + mutate_rnd(r, 20000);
            const char *fill = mutate_splice(r);
            for (guint k = 0; k < reps && s->len < 100000; k++) {
                g_string_append(s, *fill ? fill : "x");
            }
            argv->pdata[i] = g_string_free(s, FALSE);
            g_free(a);
        }
        break;
    }
}

/* The mutant as a shell line, for the failure message (control bytes made visible). */
static char *shell_line(GPtrArray *argv)
{
    GString *s = g_string_new(argv->pdata[0]);

    for (guint i = 1; i < argv->len && s->len < 600; i++) {
        char *arg = mutate_shown(argv->pdata[i], 200);
        g_string_append_printf(s, " $'%s'", arg);
        g_free(arg);
    }
    return g_string_free(s, FALSE);
}

/* Runs argv as the tern program in workdir; fails on anything but one line and status 1. */
static void check_program(GPtrArray *argv, const char *shown)
{
    char **args = g_new0(char *, argv->len + 1);
    char *out = NULL, *err = NULL;
    char *out_path = g_build_filename(workdir, "stdout.txt", NULL);
    char *err_path = g_build_filename(workdir, "stderr.txt", NULL);
    int fd_out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int fd_err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int fd_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int status = 0, waited = 0;
    GPid pid;
    GError *gerr = NULL;

    assert_true(fd_in >= 0 && fd_out >= 0 && fd_err >= 0);
    args[0] = g_build_filename(build_root, "tern", NULL);
    for (guint i = 1; i < argv->len; i++) {
        args[i] = argv->pdata[i];
    }
    /* Output goes to files: a long error line must not block on a pipe nobody reads yet. */
    if (!g_spawn_async_with_fds(workdir, args, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                fd_in, fd_out, fd_err, &gerr)) {
        fail_msg("cannot run tern for %s: %s", shown, gerr->message);
    }
    close(fd_in);
    close(fd_out);
    close(fd_err);
    /* Bad command lines end at once; poll for the exit so that a hang is a failure, not a stall. */
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (waited >= SPAWN_LIMIT_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            print_error("hang: %s\n", shown);
            fail();
        }
        g_usleep(2000);
        waited += 2;
    }
    assert_true(g_file_get_contents(out_path, &out, NULL, NULL));
    assert_true(g_file_get_contents(err_path, &err, NULL, NULL));
    unlink(out_path);
    unlink(err_path);
    g_free(out_path);
    g_free(err_path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 1 || (out && *out) || !err ||
        !g_str_has_prefix(err, "tern: ") || strchr(err, '\n') != err + strlen(err) - 1 ||
        !mutate_is_one_safe_line(g_strchomp(err))) {
        print_error("program: %s\n  status %d, stdout '%s', stderr '%s'\n", shown,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1, out ? out : "", err ? err : "");
        fail();
    }
    g_free(out);
    g_free(err);
    g_free(args[0]);
    g_free(args);
}

/* One mutant in-process; returns true when tern_init() refused it. */
static bool check_in_process(GPtrArray *argv, const char *shown)
{
    Error *err = NULL;
    TernInitResult res;
    unsigned fds = fds_open_count();

    g_ptr_array_add(argv, NULL);
    res = tern_init((int)argv->len - 1, (char **)argv->pdata, &err);
    g_ptr_array_remove_index(argv, argv->len - 1);
    if (res == TERN_INIT_ERROR) {
        const char *msg = err ? error_get_pretty(err) : NULL;
        if (!msg || !*msg || !mutate_is_one_safe_line(msg)) {
            print_error("in-process: %s\n  error '%s'\n", shown, msg ? msg : "(none)");
            fail();
        }
        error_free(err);
    } else {
        assert_null(err);
    }
    tern_cleanup();
    /* tern_cleanup() closes what tern_init() opened, however it ended. */
    if (fds_open_count() != fds) {
        print_error("in-process: %s\n  %u file descriptors before, %u after\n", shown, fds,
                    fds_open_count());
        fail();
    }
    return res == TERN_INIT_ERROR;
}

static void test_seed(void **state)
{
    guint index = (guint)(uintptr_t)*state;
    GRand *r = g_rand_new_with_seed(0x7e4e + index);
    unsigned refused = 0;

    /* The seed itself works: mutants start from a line that reaches the machine. */
    {
        GPtrArray *argv = split_seed(seeds[index]);
        char *shown = shell_line(argv);
        if (check_in_process(argv, shown)) {
            print_error("seed does not start: %s\n", shown);
            fail();
        }
        g_free(shown);
        g_ptr_array_free(argv, TRUE);
    }
    for (unsigned m = 0; m < MUTANTS_PER_SEED; m++) {
        GPtrArray *argv = split_seed(seeds[index]);
        unsigned rounds = 1 + mutate_rnd(r, 3);
        char *shown;

        for (unsigned k = 0; k < rounds; k++) {
            mutate_once(r, argv);
        }
        shown = shell_line(argv);
        if (check_in_process(argv, shown) && refused++ % SPAWN_EVERY == 0) {
            check_program(argv, shown);
        }
        g_free(shown);
        g_ptr_array_free(argv, TRUE);
    }
    print_message("# seed %u: %u of %u mutants refused\n", index, refused, MUTANTS_PER_SEED);
    /* A mutation run that refuses nothing or everything is not exploring. */
    assert_true(refused > 0 && refused < MUTANTS_PER_SEED);
    g_rand_free(r);
}

static const char config_text[] = "[machine]\n"
                                  "  type = \"virt\"\n"
                                  "\n"
                                  "[memory]\n"
                                  "  size = \"128M\"\n"
                                  "\n"
                                  "[smp-opts]\n"
                                  "  cpus = \"2\"\n"
                                  "\n"
                                  "[drive \"d0\"]\n"
                                  "  file = \"@IMG@\"\n"
                                  "  format = \"raw\"\n"
                                  "  if = \"virtio\"\n"
                                  "  snapshot = \"on\"\n"
                                  "\n"
                                  "[rtc]\n"
                                  "  clock = \"vm\"\n";

static void test_config_file_mutants(void **state)
{
    GRand *r = g_rand_new_with_seed(0xc0f1);
    char *text = substitute(config_text);
    size_t len = strlen(text);
    unsigned refused = 0;

    for (unsigned m = 0; m < CONFIG_MUTANTS; m++) {
        GString *t = g_string_new_len(text, (gssize)len);
        unsigned rounds = 1 + mutate_rnd(r, 4);
        GPtrArray *argv;
        char *path, *shown;

        for (unsigned k = 0; k < rounds; k++) {
            size_t at = mutate_rnd(r, (uint32_t)t->len + 1);
            size_t span = mutate_rnd(r, 40); /* drawn once: MIN() evaluates twice */
            switch (mutate_rnd(r, 4)) {
            case 0: /* flip a byte */
                if (at < t->len) {
                    t->str[at] = (char)mutate_rnd(r, 256);
                }
                break;
            case 1: /* cut a stretch */
                g_string_erase(t, (gssize)at, (gssize)MIN(t->len - at, span));
                break;
            case 2: /* splice a breaker */
                g_string_insert(t, (gssize)at, mutate_splice(r));
                break;
            case 3: /* duplicate a stretch */
                if (at < t->len) {
                    size_t n = MIN(t->len - at, span);
                    char *dup = g_strndup(t->str + at, n);
                    g_string_insert(t, (gssize)at, dup);
                    g_free(dup);
                }
                break;
            }
        }
        /* A NUL byte ends the text as the file is read, not the test's string: write t->len. */
        path = tmpdir_write(workdir, "mutant.cfg", t->str, t->len);
        argv = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(argv, g_strdup("tern"));
        g_ptr_array_add(argv, g_strdup("-nouserconfig"));
        g_ptr_array_add(argv, g_strdup("-accel"));
        g_ptr_array_add(argv, g_strdup("qtest"));
        g_ptr_array_add(argv, g_strdup("-readconfig"));
        g_ptr_array_add(argv, g_strdup(path));
        shown = g_strdup_printf("config mutant %u (seed 0xc0f1)", m);
        if (check_in_process(argv, shown) && refused++ % SPAWN_EVERY == 0) {
            check_program(argv, shown);
        }
        g_free(shown);
        g_ptr_array_free(argv, TRUE);
        g_free(path);
        g_string_free(t, TRUE);
    }
    print_message("# config: %u of %u mutants refused\n", refused, CONFIG_MUTANTS);
    assert_true(refused > 0 && refused < CONFIG_MUTANTS);
    g_free(text);
    g_rand_free(r);
}

int main(void)
{
    struct CMUnitTest tests[G_N_ELEMENTS(seeds) + 1];
    char *names[G_N_ELEMENTS(seeds)];
    uint8_t img[4096];
    int rc;

    build_root = g_getenv("TERN_BUILD_ROOT");
    if (!build_root) {
        fprintf(stderr, "test-cmdline-mutate: TERN_BUILD_ROOT must be set (meson does)\n");
        return 1;
    }
    build_root = g_canonicalize_filename(build_root, NULL);
    workdir = tmpdir_new("tern-mutate-XXXXXX");
    for (size_t i = 0; i < sizeof(img); i++) {
        img[i] = (uint8_t)(i * 7);
    }
    image = tmpdir_write(workdir, "image.raw", img, sizeof(img));
    {
        char *text = g_strdup_printf("[machine]\n  type = \"virt\"\n[drive \"d0\"]\n"
                                     "  file = \"%s\"\n  format = \"raw\"\n  if = \"virtio\"\n"
                                     "  snapshot = \"on\"\n",
                                     image);
        config = tmpdir_write(workdir, "seed.cfg", text, strlen(text));
        g_free(text);
    }
    if (chdir(workdir) < 0) {
        fprintf(stderr, "test-cmdline-mutate: cannot enter %s\n", workdir);
        return 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
        names[i] = g_strdup_printf("mutants of seed %zu: %.60s", i, seeds[i] + 14);
        tests[i] = (struct CMUnitTest){names[i], test_seed, NULL, NULL, (void *)(uintptr_t)i};
    }
    tests[G_N_ELEMENTS(seeds)] =
        (struct CMUnitTest){"mutants of a config file", test_config_file_mutants, NULL, NULL, NULL};
    rc = _cmocka_run_group_tests("cmdline-mutate", tests, G_N_ELEMENTS(tests), NULL, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
        g_free(names[i]);
    }
    if (chdir("/") == 0) {
        tmpdir_remove(workdir);
    }
    g_free(image);
    g_free(config);
    g_free((char *)build_root);
    return rc;
}
