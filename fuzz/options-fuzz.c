/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options-fuzz.c - the fuzz targets of what the host hands Tern before any
 * guest runs: a command line (options), a -readconfig file (config) and an
 * image for -dtb, -kernel or -bios (image).
 *
 * None of them keeps a machine: each input goes through tern_init() to
 * machine-ready and tern_cleanup(), in this process.  Every bad input must
 * be refused with one error that is one safe line (host_fuzz_is_one_safe_line);
 * anything else - a crash, a leak (LeakSanitizer), an exit, an error that is
 * empty or spans lines - is a bug; a bad error is reported with fuzz_fail()
 * (the input fails, the engine saves it) and the command line to reproduce it.
 *
 * The sandbox (docs/fuzzing.md, "options"): a fuzzer must not write host
 * files anywhere, wait for a peer, talk to the network or read the user's
 * configuration.  So tern_init() and tern_cleanup() run in a private
 * directory made at pre_vm_init (the working directory only for that time)
 * and emptied, then given its fixtures back, after every input;
 * -nouserconfig is always passed; standard input and output are /dev/null
 * while tern_init() runs (help text goes nowhere, -readconfig - reads
 * nothing); and the arguments (config sections) that could reach outside the
 * directory are refused before tern_init() by host_fuzz_sandbox_check(),
 * whose rules are listed there.  Everything else reaches the parser.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/snapshot.h"
#include "core/tern.h"
#include "fuzz/fuzz.h"
#include "fuzz/host-targets.h"

/* The fixtures every input finds in the sandbox (the seeds name them). */
#define FIXTURE_IMAGE      "image.raw"
#define FIXTURE_CONFIG     "seed.cfg"
#define FIXTURE_IMAGE_SIZE 4096
/* Where the config and image targets put their input. */
#define CONFIG_INPUT "input.cfg"
#define IMAGE_INPUT  "input.img"

static const char fixture_config_text[] = "[machine]\n"
                                          "  type = \"virt\"\n"
                                          "\n"
                                          "[memory]\n"
                                          "  size = \"128M\"\n"
                                          "\n"
                                          "[drive \"d0\"]\n"
                                          "  file = \"image.raw\"\n"
                                          "  format = \"raw\"\n"
                                          "  if = \"virtio\"\n"
                                          "  snapshot = \"on\"\n";

static char *sandbox;
static int devnull_fd = -1;
static int home_fd = -1; /* the process's own working directory, to come back to */
static bool want_digest;

static HostFuzzOutcome outcome = {HOST_FUZZ_NONE, "", ""};
static char *outcome_text;
static char *outcome_digest;

/* ---- one safe line ------------------------------------------------------------------- */

bool host_fuzz_is_one_safe_line(const char *s, size_t len)
{
    const char *end = s + len;

    if (!g_utf8_validate(s, (gssize)len, NULL)) {
        return false; /* also refuses a NUL byte inside len */
    }
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            return false;
        }
    }
    return true;
}

/*
 * A check that failed is a bug found: the input ends as FUZZ_RUN_FAILED
 * (fuzz_fail; the engine then saves it) and stderr gets the command line
 * that reproduces it, to run in a directory holding the fixtures.
 */
static void check_failed(const char *target, const char *what, const char *text, char **argv)
{
    char *shown = g_strescape(text ? text : "(none)", NULL);

    fprintf(stderr, "tern-fuzz: %s: check failed: %s: '%s'\n", target, what, shown);
    fprintf(stderr, "tern-fuzz: reproduce with:");
    for (char **a = argv; a && *a; a++) {
        char *q = g_shell_quote(*a);
        fprintf(stderr, " %s", q);
        g_free(q);
    }
    fprintf(stderr, "\n");
    fuzz_fail("%s: check failed: %s: '%s'", target, what, shown);
    g_free(shown);
}

/* ---- the sandbox --------------------------------------------------------------------- */

static bool is_token_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '-';
}

/* The tokens of text: runs of letters, digits, '_' and '-' (keys, values, spec words). */
static GPtrArray *tokens_of(const char *text, size_t len)
{
    GPtrArray *tokens = g_ptr_array_new_with_free_func(g_free);
    size_t i = 0;

    while (i < len) {
        size_t start;

        while (i < len && !is_token_char(text[i])) {
            i++;
        }
        start = i;
        while (i < len && is_token_char(text[i])) {
            i++;
        }
        if (i > start) {
            g_ptr_array_add(tokens, g_strndup(text + start, i - start));
        }
    }
    return tokens;
}

/* needle anywhere in text, NUL bytes included. */
static bool contains(const char *text, size_t len, const char *needle)
{
    return memmem(text, len, needle, strlen(needle)) != NULL;
}

/* A boolean "off" as the option parser spells it (core/cutils.c qemu_parse_bool). */
static bool is_off_word(const char *w)
{
    return !strcmp(w, "off") || !strcmp(w, "no") || !strcmp(w, "false") || !strcmp(w, "n");
}

/*
 * The rules, for one command-line argument or one config section (text up
 * to the next '['), refused when:
 *  - it holds '/' (a path outside the sandbox; -append's kernel command line
 *    included, for simplicity) or ".." (the sandbox's parent);
 *  - a token is tcp, host or port (network sockets), fd (a descriptor of
 *    the fuzzer itself, which the chardev would take over and close);
 *  - it holds exit-with-parent (prctl(PR_SET_PDEATHSIG) on the fuzzer);
 *  - a token "wait" is not followed by an "off" word, or a token "server"
 *    has no "nowait" or "wait=off" beside it (a server waits for its first
 *    client by default).
 * Tokens are compared without case; the rules may refuse more than they
 * must, never less.
 */
const char *host_fuzz_sandbox_check(const char *text, size_t len)
{
    GPtrArray *tokens;
    const char *why = NULL;
    bool server = false, wait_off = false;

    if (memchr(text, '/', len)) {
        return "names a host path outside the sandbox ('/')";
    }
    if (contains(text, len, "..")) {
        return "names the sandbox's parent ('..')";
    }
    if (contains(text, len, "exit-with-parent")) {
        return "changes the fuzzer's process (exit-with-parent)";
    }
    tokens = tokens_of(text, len);
    for (guint i = 0; i < tokens->len && !why; i++) {
        const char *t = tokens->pdata[i];
        const char *next = i + 1 < tokens->len ? tokens->pdata[i + 1] : "";

        if (!g_ascii_strcasecmp(t, "tcp") || !g_ascii_strcasecmp(t, "host") ||
            !g_ascii_strcasecmp(t, "port")) {
            why = "asks for a network socket (tcp, host, port)";
        } else if (!g_ascii_strcasecmp(t, "fd")) {
            why = "names a file descriptor of the fuzzer (fd)";
        } else if (!g_ascii_strcasecmp(t, "wait")) {
            if (!is_off_word(next)) {
                why = "waits for a client (wait not off)";
            }
            wait_off = true;
        } else if (!g_ascii_strcasecmp(t, "nowait")) {
            wait_off = true;
        } else if (!g_ascii_strcasecmp(t, "server")) {
            server = true;
        }
    }
    if (!why && server && !wait_off) {
        why = "waits for a client (a server without wait=off)";
    }
    g_ptr_array_free(tokens, TRUE);
    return why;
}

const char *host_fuzz_sandbox_dir(void)
{
    return sandbox;
}

static void write_file(const char *name, const void *data, size_t len)
{
    char *path = g_build_filename(sandbox, name, NULL);
    GError *gerr = NULL;

    if (!g_file_set_contents(path, data, (gssize)len, &gerr)) {
        fprintf(stderr, "tern-fuzz: cannot write %s: %s\n", path, gerr->message);
        abort(); /* the harness's own directory: not something an input can cause */
    }
    g_free(path);
}

/* The config or image target's input (a plain write: cheaper than g_file_set_contents). */
static void write_input(const char *name, const void *data, size_t len)
{
    char *path = g_build_filename(sandbox, name, NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    const char *p = data;

    while (fd >= 0 && len) {
        ssize_t n = write(fd, p, len);
        if (n <= 0) {
            break;
        }
        p += n;
        len -= (size_t)n;
    }
    if (fd < 0 || len || close(fd) < 0) {
        fprintf(stderr, "tern-fuzz: cannot write %s: %s\n", path, g_strerror(errno));
        abort(); /* the harness's own directory: not something an input can cause */
    }
    g_free(path);
}

/* Removes everything in dir (which the inputs may have filled), recursively. */
static void empty_dir(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d) {
        return;
    }
    while ((name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
            empty_dir(path);
            g_rmdir(path);
        } else {
            g_unlink(path);
        }
        g_free(path);
    }
    g_dir_close(d);
}

/* What identifies a fixture as made: any write, truncation, chmod or replacement changes it. */
typedef struct FixtureStamp {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
} FixtureStamp;

static const char *const fixture_names[] = {FIXTURE_IMAGE, FIXTURE_CONFIG};
static FixtureStamp fixture_stamps[G_N_ELEMENTS(fixture_names)];

static bool stamp_of(const char *name, FixtureStamp *st)
{
    char *path = g_build_filename(sandbox, name, NULL);
    struct stat sb;
    bool ok = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);

    g_free(path);
    if (ok) {
        *st = (FixtureStamp){sb.st_dev, sb.st_ino, sb.st_size, sb.st_mtim, sb.st_ctim};
    }
    return ok;
}

static bool same_stamp(const FixtureStamp *a, const FixtureStamp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
           a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* True when the sandbox holds the fixtures as made and nothing else. */
static bool sandbox_untouched(void)
{
    GDir *d = g_dir_open(sandbox, 0, NULL);
    unsigned entries = 0;

    if (!d) {
        return false;
    }
    while (g_dir_read_name(d)) {
        entries++;
    }
    g_dir_close(d);
    if (entries != G_N_ELEMENTS(fixture_names)) {
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fixture_names); i++) {
        FixtureStamp now;

        if (!stamp_of(fixture_names[i], &now) || !same_stamp(&now, &fixture_stamps[i])) {
            return false;
        }
    }
    return true;
}

/*
 * Back to the state every input starts from: only the fixtures, as made.
 * Files are slow to make on some file systems (about 1 ms each here), so
 * the directory is rebuilt only when an input changed it.
 */
static void sandbox_reset(void)
{
    uint8_t image[FIXTURE_IMAGE_SIZE];
    char *input;

    /* The config or image target's input goes with it (no other input may read it). */
    for (int i = 0; i < 2; i++) {
        input = g_build_filename(sandbox, i ? IMAGE_INPUT : CONFIG_INPUT, NULL);
        g_unlink(input);
        g_free(input);
    }
    if (sandbox_untouched()) {
        return;
    }
    empty_dir(sandbox);
    for (size_t i = 0; i < sizeof(image); i++) {
        image[i] = (uint8_t)(i * 7);
    }
    write_file(FIXTURE_IMAGE, image, sizeof(image));
    write_file(FIXTURE_CONFIG, fixture_config_text, strlen(fixture_config_text));
    for (size_t i = 0; i < G_N_ELEMENTS(fixture_names); i++) {
        if (!stamp_of(fixture_names[i], &fixture_stamps[i])) {
            fprintf(stderr, "tern-fuzz: %s/%s vanished\n", sandbox, fixture_names[i]);
            abort();
        }
    }
}

/* The process that made the sandbox: AFL++'s forked children share it and must not remove it. */
static pid_t sandbox_owner;

static void sandbox_remove(void)
{
    if (sandbox && getpid() == sandbox_owner) {
        empty_dir(sandbox);
        g_rmdir(sandbox);
    }
}

/*
 * Only while tern_init() and tern_cleanup() run is the sandbox the working
 * directory: the engine's own relative paths (corpus directories, crash
 * files) stay the user's.
 */
static void sandbox_enter(void)
{
    if (chdir(sandbox) < 0) {
        fprintf(stderr, "tern-fuzz: cannot enter %s: %s\n", sandbox, g_strerror(errno));
        abort();
    }
}

static void sandbox_leave(void)
{
    if (fchdir(home_fd) < 0) {
        fprintf(stderr, "tern-fuzz: cannot return to the working directory: %s\n",
                g_strerror(errno));
        abort();
    }
}

/* pre_vm_init of the three targets: the directory with its fixtures, and /dev/null. */
static void sandbox_init(void)
{
    GError *gerr = NULL;

    if (!sandbox) {
        /*
         * In memory when the host has /dev/shm: creating and truncating
         * files costs about 1 ms each on a disk file system, and the config
         * and image targets write one per input.
         */
        if (!getenv("TMPDIR") && access("/dev/shm", W_OK | X_OK) == 0) {
            char *tmpl = g_strdup("/dev/shm/tern-fuzz-XXXXXX");
            sandbox = g_mkdtemp(tmpl);
            if (!sandbox) {
                g_free(tmpl);
            }
        }
        if (!sandbox) {
            sandbox = g_dir_make_tmp("tern-fuzz-XXXXXX", &gerr);
        }
        if (!sandbox) {
            fprintf(stderr, "tern-fuzz: cannot make the sandbox directory: %s\n", gerr->message);
            abort();
        }
        sandbox_owner = getpid();
        atexit(sandbox_remove);
        devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (devnull_fd < 0 || home_fd < 0) {
            fprintf(stderr, "tern-fuzz: cannot open /dev/null or the working directory: %s\n",
                    g_strerror(errno));
            abort();
        }
    }
    sandbox_reset();
}

/* ---- one run of tern_init() ------------------------------------------------------------ */

static void set_outcome(HostFuzzOutcomeKind kind, const char *text, char *digest)
{
    g_free(outcome_text);
    g_free(outcome_digest);
    outcome_text = g_strdup(text ? text : "");
    outcome_digest = digest ? digest : g_strdup("");
    outcome.kind = kind;
    outcome.text = outcome_text;
    outcome.digest = outcome_digest;
}

const HostFuzzOutcome *host_fuzz_last_outcome(void)
{
    return &outcome;
}

void host_fuzz_set_digest(bool on)
{
    want_digest = on;
}

/* Points fd at /dev/null for the run; returns the saved descriptor. */
static int redirect(int fd)
{
    int saved = fcntl(fd, F_DUPFD_CLOEXEC, 3);

    if (saved < 0 || dup2(devnull_fd, fd) < 0) {
        fprintf(stderr, "tern-fuzz: cannot redirect fd %d: %s\n", fd, g_strerror(errno));
        abort();
    }
    return saved;
}

static void unredirect(int fd, int saved)
{
    if (dup2(saved, fd) < 0) {
        abort();
    }
    close(saved);
}

/*
 * argv (NULL-terminated) through tern_init() and tern_cleanup(), in the
 * sandbox with standard input and output on /dev/null; then, back in the
 * working directory, the outcome recorded and the error checked.
 */
static void run_tern(const char *target, char **argv)
{
    Error *err = NULL;
    TernInitResult res;
    int saved_in, saved_out;
    char *digest = NULL;
    const char *msg;

    fflush(stdout);
    sandbox_enter();
    saved_in = redirect(STDIN_FILENO);
    saved_out = redirect(STDOUT_FILENO);
    res = tern_init((int)g_strv_length(argv), argv, &err);
    if (res == TERN_INIT_RUN && want_digest) {
        digest = snapshot_digest(NULL);
    }
    /* A socket's file is unlinked by name: still in the sandbox. */
    tern_cleanup();
    fflush(stdout);
    unredirect(STDOUT_FILENO, saved_out);
    unredirect(STDIN_FILENO, saved_in);
    sandbox_leave();
    sandbox_reset();
    msg = err ? error_get_pretty(err) : NULL;
    switch (res) {
    case TERN_INIT_ERROR:
        if (!msg || !*msg) {
            check_failed(target, "tern_init() failed without an error message", msg, argv);
        } else if (!host_fuzz_is_one_safe_line(msg, strlen(msg))) {
            check_failed(target, "the error is not one safe line", msg, argv);
        }
        set_outcome(HOST_FUZZ_INIT_ERROR, msg, NULL);
        break;
    case TERN_INIT_RUN:
        set_outcome(HOST_FUZZ_INIT_RUN, NULL, digest);
        digest = NULL;
        break;
    case TERN_INIT_DONE:
        set_outcome(HOST_FUZZ_INIT_DONE, NULL, NULL);
        break;
    }
    if (res != TERN_INIT_ERROR && err) {
        check_failed(target, "tern_init() succeeded with an error set", msg, argv);
    }
    error_free(err);
    g_free(digest);
}

/* ---- options ------------------------------------------------------------------------ */

/*
 * The input is the arguments after argv[0], separated by NUL or newline
 * bytes; one separator at the very end is a terminator, not an empty
 * argument.  "-nouserconfig" is put first.
 */
static void options_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    const char *p = (const char *)data, *end = p + size;

    if (size && (end[-1] == '\n' || end[-1] == '\0')) {
        end--;
    }
    g_ptr_array_add(argv, g_strdup("tern"));
    g_ptr_array_add(argv, g_strdup("-nouserconfig"));
    /* [p, end) empty: no argument; else its pieces between separators, empty ones too. */
    for (bool more = p < end; more;) {
        const char *sep = p;
        const char *why;

        while (sep < end && *sep != '\n' && *sep != '\0') {
            sep++;
        }
        why = host_fuzz_sandbox_check(p, (size_t)(sep - p));
        if (why) {
            char *msg = g_strdup_printf("argument %u: %s", argv->len - 1, why);
            set_outcome(HOST_FUZZ_SANDBOX_REFUSED, msg, NULL);
            g_free(msg);
            g_ptr_array_free(argv, TRUE);
            return;
        }
        g_ptr_array_add(argv, g_strndup(p, (size_t)(sep - p)));
        more = sep < end;
        p = sep + 1;
    }
    g_ptr_array_add(argv, NULL);
    run_tern("options", (char **)argv->pdata);
    g_ptr_array_free(argv, TRUE);
}

/* ---- config ------------------------------------------------------------------------- */

/*
 * The input is a -readconfig file, run as "tern -nouserconfig -readconfig
 * FILE -accel qtest".  The sandbox rules apply to each stretch from one '['
 * to the next (at least as fine as the file's sections).
 */
static void config_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    const char *text = (const char *)data;
    char *argv[] = {"tern", "-nouserconfig", "-readconfig", CONFIG_INPUT, "-accel", "qtest", NULL};
    size_t start = 0;

    while (start < size) {
        const char *open = memchr(text + start + 1, '[', size - start - 1);
        size_t stop = open ? (size_t)(open - text) : size;
        const char *why = host_fuzz_sandbox_check(text + start, stop - start);

        if (why) {
            char *msg = g_strdup_printf("offset %zu: %s", start, why);
            set_outcome(HOST_FUZZ_SANDBOX_REFUSED, msg, NULL);
            g_free(msg);
            return;
        }
        start = stop;
    }
    write_input(CONFIG_INPUT, data, size);
    run_tern("config", argv);
}

/* ---- image -------------------------------------------------------------------------- */

/*
 * The first byte picks the option (modulo 3: -dtb, -kernel, -bios); the
 * rest is the file, loaded by "tern -nouserconfig -M virt -accel qtest"
 * with -bios none for -dtb and -kernel.
 */
static void image_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    char *dtb[] = {"tern",  "-nouserconfig", "-M",   "virt",      "-accel", "qtest",
                   "-bios", "none",          "-dtb", IMAGE_INPUT, NULL};
    char *kernel[] = {"tern",  "-nouserconfig", "-M",      "virt",      "-accel", "qtest",
                      "-bios", "none",          "-kernel", IMAGE_INPUT, NULL};
    char *bios[] = {"tern",  "-nouserconfig", "-M",        "virt", "-accel",
                    "qtest", "-bios",         IMAGE_INPUT, NULL};
    char **argvs[] = {dtb, kernel, bios};

    if (!size) {
        set_outcome(HOST_FUZZ_SANDBOX_REFUSED, "empty input (no option byte)", NULL);
        return;
    }
    write_input(IMAGE_INPUT, data + 1, size - 1);
    run_tern("image", argvs[data[0] % 3]);
}

/* ---- registration ------------------------------------------------------------------- */

static void register_host_input_targets(void)
{
    fuzz_add_target(&(FuzzTarget){
        .name = "options",
        .description = "command lines through tern_init() and tern_cleanup() (sandboxed)",
        .pre_vm_init = sandbox_init,
        .fuzz = options_fuzz,
    });
    fuzz_add_target(&(FuzzTarget){
        .name = "config",
        .description = "-readconfig files through tern_init() and tern_cleanup() (sandboxed)",
        .pre_vm_init = sandbox_init,
        .fuzz = config_fuzz,
    });
    fuzz_add_target(&(FuzzTarget){
        .name = "image",
        .description = "a -dtb, -kernel or -bios file (first byte picks) loaded on virt",
        .pre_vm_init = sandbox_init,
        .fuzz = image_fuzz,
    });
}

fuzz_target_init(register_host_input_targets);
