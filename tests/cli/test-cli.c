/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cli.c - every bad command line in bad-inputs.txt, through the public
 * entry points: the tern program (spawned) and tern_init() (in-process).
 *
 * For each case: exit status 1, nothing on stdout, exactly one line on stderr
 * that starts with "tern: " and contains the expected text, and nothing
 * written to the case's temporary directory.  In-process, tern_init() must
 * return TERN_INIT_ERROR with the same message, and tern_cleanup() must free
 * everything (LeakSanitizer checks under the sanitizer build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/tern.h"
#include "tests/support/mutate.h"
#include "tests/support/unix-sock.h"

typedef struct CliCase {
    char *args;     /* as written in the table */
    char *expected; /* as written in the table */
    int line;
} CliCase;

static const char *build_root, *source_root;

static char *replace_all(char *text, const char *token, const char *value)
{
    gchar **parts = g_strsplit(text, token, -1);
    char *result = g_strjoinv(value, parts);

    g_strfreev(parts);
    g_free(text);
    return result;
}

/*
 * @SRC@ and @TMP@; in ARGS also control characters, which the table cannot
 * hold as bytes: @LF@ @CR@ @TAB@ @ESC@ @DEL@ (inside quotes, they reach the
 * option value as they are).
 */
static char *substitute(const char *text, const char *tmpdir, bool controls)
{
    static const char *const control_tokens[][2] = {
        {"@LF@", "\n"}, {"@CR@", "\r"}, {"@TAB@", "\t"}, {"@ESC@", "\x1b"}, {"@DEL@", "\x7f"},
    };
    char *s = g_strdup(text);

    s = replace_all(s, "@SRC@", source_root);
    s = replace_all(s, "@TMP@", tmpdir);
    for (size_t i = 0; controls && i < G_N_ELEMENTS(control_tokens); i++) {
        s = replace_all(s, control_tokens[i][0], control_tokens[i][1]);
    }
    return s;
}

/*
 * Host files the cases name in @TMP@: what no image or config option can
 * use.  "big" is sparse (no disk space), above every size limit: RAM at any
 * -m the cases use, 2 MiB for -dtb, 1 MiB for -readconfig.
 */
#define FIXTURE_BIG_SIZE ((off_t)4 << 30)
static const char *const fixture_names[] = {"big", "dir", "fifo", "unreadable"};

static void make_fixtures(const char *tmpdir)
{
    char *big = g_build_filename(tmpdir, "big", NULL);
    char *dir = g_build_filename(tmpdir, "dir", NULL);
    char *fifo = g_build_filename(tmpdir, "fifo", NULL);
    char *unreadable = g_build_filename(tmpdir, "unreadable", NULL);
    int fd = open(big, O_WRONLY | O_CREAT | O_EXCL, 0644);

    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, FIXTURE_BIG_SIZE), 0);
    close(fd);
    assert_int_equal(g_mkdir(dir, 0755), 0);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_true(g_file_set_contents(unreadable, "x", 1, NULL));
    assert_int_equal(chmod(unreadable, 0), 0);
    g_free(big);
    g_free(dir);
    g_free(fifo);
    g_free(unreadable);
}

/* Nothing written: the directory holds the fixtures, unchanged, and nothing else. */
static bool only_fixtures(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;
    bool ok = dir != NULL;
    unsigned seen = 0;

    while (ok && (name = g_dir_read_name(dir))) {
        bool fixture = false;

        for (size_t i = 0; i < G_N_ELEMENTS(fixture_names); i++) {
            fixture |= !strcmp(name, fixture_names[i]);
        }
        ok = fixture;
        seen++;
    }
    if (dir) {
        g_dir_close(dir);
    }
    if (ok) {
        char *big = g_build_filename(path, "big", NULL);
        char *sub = g_build_filename(path, "dir", NULL);
        struct stat st;
        GDir *d = g_dir_open(sub, 0, NULL);

        ok = seen == G_N_ELEMENTS(fixture_names) && stat(big, &st) == 0 &&
             st.st_size == FIXTURE_BIG_SIZE && d && g_dir_read_name(d) == NULL;
        if (d) {
            g_dir_close(d);
        }
        g_free(big);
        g_free(sub);
    }
    return ok;
}

static void remove_fixtures(const char *tmpdir)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fixture_names); i++) {
        char *path = g_build_filename(tmpdir, fixture_names[i], NULL);

        assert_int_equal(g_remove(path), 0);
        g_free(path);
    }
}

/* Who runs the "unreadable" cases when the tests run as root: nobody. */
#define UNPRIVILEGED_ID 65534

/* In a child (forked or about to exec): become nobody, or end at once. */
static void drop_privileges(gpointer unused)
{
    if (setgroups(0, NULL) < 0 || setgid(UNPRIVILEGED_ID) < 0 || setuid(UNPRIVILEGED_ID) < 0) {
        _exit(126);
    }
}

/* A temporary file for a child's output, already unlinked: nothing is left behind. */
static int anonymous_tmp_fd(void)
{
    char *name = NULL;
    int fd = g_file_open_tmp("tern-cli-output-XXXXXX", &name, NULL);

    assert_true(fd >= 0);
    g_unlink(name);
    g_free(name);
    return fd;
}

/* Longest a bad command line may take before it counts as hung. */
#define CASE_DEADLINE_S 20

/*
 * Runs argv in cwd with stdin from /dev/null, output collected; a program
 * still running after CASE_DEADLINE_S seconds gets SIGTERM (then SIGKILL)
 * and fails the test: a bad input must never hang.
 */
static void spawn_with_deadline(const char *cwd, char **argv, bool unprivileged, char **out,
                                char **err, int *status)
{
    int out_fd = anonymous_tmp_fd();
    int err_fd = anonymous_tmp_fd();
    gint64 deadline = g_get_monotonic_time() + CASE_DEADLINE_S * G_USEC_PER_SEC;
    bool hung = false;
    GPid pid;

    assert_true(out_fd >= 0 && err_fd >= 0);
    assert_true(g_spawn_async_with_fds(
        cwd, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
        unprivileged ? drop_privileges : NULL, NULL, &pid, -1, out_fd, err_fd, NULL));
    while (waitpid(pid, status, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            hung = true;
            kill(pid, SIGTERM);
            g_usleep(2 * G_USEC_PER_SEC);
            kill(pid, SIGKILL);
            assert_int_equal(waitpid(pid, status, 0), pid);
            break;
        }
        g_usleep(10 * 1000);
    }
    for (int i = 0; i < 2; i++) {
        int fd = i ? err_fd : out_fd;
        char **text = i ? err : out;
        off_t size = lseek(fd, 0, SEEK_END);

        assert_true(size >= 0);
        *text = g_malloc0((size_t)size + 1);
        assert_int_equal(pread(fd, *text, (size_t)size, 0), (ssize_t)size);
        close(fd);
    }
    if (hung) {
        print_error("tern %s did not end within %d s (stderr: '%s')\n", argv[1], CASE_DEADLINE_S,
                    *err);
        fail();
    }
}

static void run_case(void **state)
{
    const CliCase *c = *state;
    char *tmpdir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *args = substitute(c->args, tmpdir, true);
    char *expected = substitute(c->expected, tmpdir, false);
    char *cmdline = g_strdup_printf("tern %s", args);
    char **argv = NULL, *out = NULL, *err_text = NULL;
    int argc = 0, status = -1;
    GError *gerr = NULL;
    Error *err = NULL;
    /* root reads a mode-000 file: those cases run as an unprivileged user instead. */
    bool unprivileged = strstr(c->args, "@TMP@/unreadable") && geteuid() == 0;

    print_message("# line %d: tern %s\n", c->line, c->args);
    assert_true(g_shell_parse_argv(cmdline, &argc, &argv, &gerr));
    make_fixtures(tmpdir);
    if (unprivileged) {
        print_message("# line %d runs as uid %d: root reads a mode-000 file anyway\n", c->line,
                      UNPRIVILEGED_ID);
        assert_int_equal(chmod(tmpdir, 0755), 0);
    }

    /* In-process: the library's answer.  A hang ends the whole program (SIGALRM). */
    if (unprivileged) {
        pid_t child = fork();

        assert_true(child >= 0);
        if (child == 0) {
            bool ok;

            drop_privileges(NULL);
            alarm(CASE_DEADLINE_S);
            ok = tern_init(argc, argv, &err) == TERN_INIT_ERROR && err;
            if (ok) {
                char *line = g_strdup_printf("tern: %s", error_get_pretty(err));
                ok = strstr(line, expected) && mutate_is_one_safe_line(line);
                if (!ok) {
                    fprintf(stderr, "in-process error '%s' lacks '%s'\n", line, expected);
                }
            }
            _exit(ok ? 0 : 1);
        }
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        err = NULL;
    } else {
        alarm(CASE_DEADLINE_S);
        assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
        alarm(0);
        assert_non_null(err);
        char *line = g_strdup_printf("tern: %s", error_get_pretty(err));
        if (!strstr(line, expected)) {
            print_error("in-process error '%s' lacks '%s'\n", line, expected);
            fail();
        }
        assert_true(mutate_is_one_safe_line(line));
        g_free(line);
    }
    error_free(err);
    tern_cleanup();
    assert_true(only_fixtures(tmpdir));

    /* The program: one line, status 1, nothing on stdout, within the deadline. */
    g_free(argv[0]);
    argv[0] = g_build_filename(build_root, "tern", NULL);
    spawn_with_deadline(tmpdir, argv, unprivileged, &out, &err_text, &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_string_equal(out, "");
    assert_true(g_str_has_prefix(err_text, "tern: "));
    assert_true(g_str_has_suffix(err_text, "\n"));
    assert_ptr_equal(strchr(err_text, '\n'), err_text + strlen(err_text) - 1);
    {
        char *text = g_strndup(err_text, strlen(err_text) - 1);
        assert_true(mutate_is_one_safe_line(text));
        g_free(text);
    }
    if (!strstr(err_text, expected)) {
        print_error("stderr '%s' lacks '%s'\n", err_text, expected);
        fail();
    }
    assert_true(only_fixtures(tmpdir));

    remove_fixtures(tmpdir);
    assert_int_equal(g_rmdir(tmpdir), 0);
    g_free(out);
    g_free(err_text);
    g_strfreev(argv);
    g_free(cmdline);
    g_free(args);
    g_free(expected);
    g_free(tmpdir);
}

/* ---- good runs of the programs ------------------------------------------------ */

static char *program(const char *name)
{
    return g_build_filename(build_root, name, NULL);
}

/* Runs argv to completion; returns its exit status, -1 if it did not exit normally. */
static int run_program(char **argv, char **out, char **err)
{
    int status;

    assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, out, err,
                             &status, NULL));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_version_exits_zero(void **state)
{
    char *argv[] = {program("tern"), "-version", NULL};
    char *out, *err;

    assert_int_equal(run_program(argv, &out, &err), 0);
    assert_true(g_str_has_prefix(out, "Tern emulator version "));
    assert_string_equal(err, "");
    g_free(out);
    g_free(err);
    g_free(argv[0]);
}

static void test_other_programs_link_the_core(void **state)
{
    static const char *const names[] = {"tern-replay", "tern-fuzz"};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *argv[] = {program(names[i]), "--version", NULL};
        char *out, *err;

        assert_int_equal(run_program(argv, &out, &err), 0);
        assert_true(g_str_has_prefix(out, names[i]));
        g_free(out);
        g_free(err);
        g_free(argv[0]);
    }
}

/*
 * Starts tern with args in dir (NULL: here) and stdin_fd (-1: /dev/null),
 * checks it is still running after 300 ms (the main loop or a start-up wait
 * waits instead of exiting), sends signo and returns its exit status (-1 if
 * it did not exit normally) with its stderr in *err_text (NULL: dropped).
 * A tern that is still running 10 s after the signal fails the test.
 */
/*
 * The same with any program (path: tern's, or QEMU's for a comparison);
 * during (NULL: none) runs while it does, with its pid, and returns what
 * it found wrong (NULL: nothing); that fails the test once the program is
 * ended, so a failed check never leaves it running.
 */
static int run_program_until_signal(const char *path, const char *dir, char **args, int stdin_fd,
                                    int signo, char *(*during)(GPid pid, void *opaque),
                                    void *opaque, char **err_text)
{
    GPtrArray *argv = g_ptr_array_new();
    int err_fd = anonymous_tmp_fd();
    gint64 deadline;
    GPid pid;
    int status;
    off_t size;
    char *problem = NULL;

    g_ptr_array_add(argv, g_strdup(path));
    for (char **a = args; *a; a++) {
        g_ptr_array_add(argv, *a);
    }
    g_ptr_array_add(argv, NULL);
    assert_true(g_spawn_async_with_fds(dir, (char **)argv->pdata, NULL,
                                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                           (stdin_fd < 0 ? G_SPAWN_STDIN_FROM_DEV_NULL : 0),
                                       NULL, NULL, &pid, stdin_fd, -1, err_fd, NULL));
    g_usleep(300 * 1000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    if (during) {
        problem = during(pid, opaque);
    }
    kill(pid, signo);
    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("%s ignored signal %d", path, signo);
        }
        g_usleep(10 * 1000);
    }
    if (problem) {
        fail_msg("while %s ran: %s", path, problem);
    }
    if (err_text) {
        size = lseek(err_fd, 0, SEEK_END);
        *err_text = g_malloc0((size_t)size + 1);
        assert_int_equal(pread(err_fd, *err_text, (size_t)size, 0), (ssize_t)size);
    }
    close(err_fd);
    g_free(argv->pdata[0]);
    g_ptr_array_free(argv, TRUE);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_until_signal_in(const char *dir, char **args, int stdin_fd, int signo,
                               char **err_text)
{
    char *tern = program("tern");
    int status = run_program_until_signal(tern, dir, args, stdin_fd, signo, NULL, NULL, err_text);

    g_free(tern);
    return status;
}

static int run_until_signal(char **args, int signo)
{
    return run_until_signal_in(NULL, args, -1, signo, NULL);
}

/* QEMU's line for a signal sent by this process: its pid and argv[0]. */
static char *expected_signal_line(int signo)
{
    char *cmdline = NULL, *line;

    assert_true(g_file_get_contents("/proc/self/cmdline", &cmdline, NULL, NULL));
    line = g_strdup_printf("tern: terminating on signal %d from pid %d (%s)\n", signo,
                           (int)getpid(), cmdline);
    g_free(cmdline);
    return line;
}

/* args with every "@TMP@" replaced by dir (a fresh temporary directory). */
static char **args_in(const char *const *args, const char *dir)
{
    GPtrArray *out = g_ptr_array_new();

    for (const char *const *a = args; *a; a++) {
        gchar **parts = g_strsplit(*a, "@TMP@", -1);
        g_ptr_array_add(out, g_strjoinv(dir, parts));
        g_strfreev(parts);
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* Runs args (with @TMP@ and a FIFO @TMP@/fifo), sends signo; exit 0 and exactly expected on stderr.
 */
static void expect_signal_shutdown(const char *const *args, int signo, bool message)
{
    char *dir = g_dir_make_tmp("tern-cli-sig-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char **argv = args_in(args, dir);
    char *err = NULL, *expected = message ? expected_signal_line(signo) : g_strdup("");

    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(run_until_signal_in(dir, argv, -1, signo, &err), 0);
    if (strcmp(err, expected)) {
        print_error("stderr '%s', expected '%s'\n", err, expected);
        fail();
    }
    g_free(err);
    g_free(expected);
    g_strfreev(argv);
    unlink(fifo);
    g_free(fifo);
    /* What the run left (a socket file is removed, a FIFO stays as it was). */
    {
        GDir *d = g_dir_open(dir, 0, NULL);
        const char *name;

        while ((name = g_dir_read_name(d))) {
            char *path = g_build_filename(dir, name, NULL);
            unlink(path);
            g_free(path);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
    g_free(dir);
}

static void test_sigterm_ends_the_main_loop_with_status_0(void **state)
{
    static const char *const args[] = {"-nouserconfig", "-M", "none", NULL};

    expect_signal_shutdown(args, SIGTERM, true);
}

static void test_sigint_ends_the_virt_machine_with_status_0(void **state)
{
    static const char *const args[] = {"-nouserconfig", "-M",   "virt", "-nographic",
                                       "-serial",       "null", NULL};

    expect_signal_shutdown(args, SIGINT, true);
}

static void test_sighup_ends_a_stopped_machine_with_status_0(void **state)
{
    static const char *const args[] = {"-nouserconfig", "-M",   "virt", "-S",
                                       "-display",      "none", NULL};

    expect_signal_shutdown(args, SIGHUP, true);
}

static void test_sigterm_while_a_tcp_server_waits_for_its_client_is_a_shutdown(void **state)
{
    static const char *const args[] = {"-nouserconfig",
                                       "-M",
                                       "none",
                                       "-chardev",
                                       "socket,id=c0,host=127.0.0.1,port=0,server=on,wait=on",
                                       NULL};

    expect_signal_shutdown(args, SIGTERM, true);
}

static void test_sigint_while_a_unix_qmp_server_waits_for_its_client_is_a_shutdown(void **state)
{
    static const char *const args[] = {
        "-nouserconfig", "-M", "none", "-qmp", "unix:@TMP@/qmp.sock,server=on,wait=on", NULL};

    expect_signal_shutdown(args, SIGINT, true);
}

/* As QEMU: no line under -qtest (test harnesses end their servers with SIGTERM). */
static void test_sigterm_while_the_qtest_server_waits_is_a_quiet_shutdown(void **state)
{
    static const char *const args[] = {"-nouserconfig",
                                       "-M",
                                       "virt",
                                       "-accel",
                                       "qtest",
                                       "-qtest",
                                       "unix:@TMP@/qtest.sock,server=on,wait=on",
                                       NULL};

    expect_signal_shutdown(args, SIGTERM, false);
}

static void test_sigterm_while_output_fifos_wait_for_a_reader_is_a_shutdown(void **state)
{
    static const char *const serial[] = {
        "-nouserconfig", "-M", "virt", "-display", "none", "-serial", "file:@TMP@/fifo", NULL};
    static const char *const chardev[] = {
        "-nouserconfig", "-M", "none", "-chardev", "file,id=f0,path=@TMP@/fifo", NULL};
    static const char *const log[] = {"-nouserconfig", "-M", "none",       "-d",
                                      "guest_errors",  "-D", "@TMP@/fifo", NULL};

    expect_signal_shutdown(serial, SIGTERM, true);
    expect_signal_shutdown(chardev, SIGHUP, true);
    expect_signal_shutdown(log, SIGINT, true);
}

/* A FIFO's reader ends the wait: the run goes on, and serial output reaches the reader. */
static void test_an_output_fifo_waits_for_its_reader_then_runs(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-sig-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char *log_arg = g_strdup_printf("file:%s", fifo);
    char *argv[] = {program("tern"), "-nouserconfig", "-M",    "none", "-d",
                    "guest_errors",  "-serial",       log_arg, NULL};
    GPid pid;
    int status, fd;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_true(g_spawn_async(NULL, argv, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL |
                                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, &pid, NULL));
    g_usleep(200 * 1000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    fd = open(fifo, O_RDONLY); /* the reader tern waits for */
    assert_true(fd >= 0);
    g_usleep(200 * 1000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* past start-up, in its main loop */
    kill(pid, SIGTERM);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(fd);
    unlink(fifo);
    g_rmdir(dir);
    g_free(argv[0]);
    g_free(log_arg);
    g_free(fifo);
    g_free(dir);
}

/* As QEMU, -machine dumpdtb= and -writeconfig replace a FIFO by the file: they never wait. */
static void test_dumpdtb_and_writeconfig_replace_a_fifo_without_waiting(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-sig-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char *dump = g_strdup_printf("virt,dumpdtb=%s", fifo);
    char *dtb_argv[] = {program("tern"), "-nouserconfig", "-M", dump, "-bios", "none", NULL};
    char *cfg_args[] = {"-nouserconfig", "-M", "none", "-writeconfig", fifo, NULL};
    char *out, *err;
    struct stat st;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(run_program(dtb_argv, &out, &err), 0);
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISREG(st.st_mode) && st.st_size > 0);
    g_free(out);
    g_free(err);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* The config is written at the end of start-up; then the machine runs until told. */
    assert_int_equal(run_until_signal(cfg_args, SIGTERM), 0);
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISREG(st.st_mode) && st.st_size > 0);
    unlink(fifo);
    g_rmdir(dir);
    g_free(dtb_argv[0]);
    g_free(dump);
    g_free(fifo);
    g_free(dir);
}

static void test_embedded_default_config_runs(void **state)
{
    char *cfg = g_build_filename(source_root, "docs", "examples", "virt-default.cfg", NULL);
    char *args[] = {"-nouserconfig", "-readconfig", cfg, NULL};

    assert_int_equal(run_until_signal(args, SIGTERM), 0);
    g_free(cfg);
}

/*
 * A config read from a pipe waits for its writer, as it should; SIGTERM
 * meanwhile is a shutdown request like SIGTERM in the main loop: tern ends
 * promptly with QEMU's line and status 0.
 */
#define STATUS_SIGNAL_DURING_STARTUP 0

/* Sends SIGTERM to tern waiting on stdin_fd (-1: /dev/null); QEMU's line, status 0. */
static void expect_sigterm_while_reading_config(char **args, int stdin_fd)
{
    char *err, *expected = expected_signal_line(SIGTERM);

    assert_int_equal(run_until_signal_in(NULL, args, stdin_fd, SIGTERM, &err),
                     STATUS_SIGNAL_DURING_STARTUP);
    assert_string_equal(err, expected);
    g_free(err);
    g_free(expected);
}

static void test_sigterm_while_a_config_fifo_waits_for_its_writer(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "config", NULL);
    char *args[] = {"-nouserconfig", "-readconfig", fifo, NULL};

    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_sigterm_while_reading_config(args, -1);
    g_remove(fifo);
    g_rmdir(dir);
    g_free(fifo);
    g_free(dir);
}

static void test_sigterm_while_stdin_config_waits_for_input(void **state)
{
    char *args[] = {"-nouserconfig", "-readconfig", "-", NULL};
    int p[2];

    assert_int_equal(pipe(p), 0);
    /* The write end stays open here, silent: tern waits on its stdin. */
    expect_sigterm_while_reading_config(args, p[0]);
    close(p[0]);
    close(p[1]);
}

/* ---- launch options, with QEMU 7.2 as the reference ----------------------------- */

#define QEMU_NAME "qemu-system-riscv64"
#define VGA_WARNING                                                                                \
    "warning: A -vga option was passed but this machine type does not use that option; No VGA "    \
    "device has been created"

/* QEMU's program; CI installs it, so a missing one fails the test, loudly. */
static char *qemu_program(void)
{
    char *path = g_find_program_in_path(QEMU_NAME);

    if (!path) {
        fail_msg(QEMU_NAME " is not installed: the tests comparing Tern with QEMU 7.2 need it "
                           "(Debian 12: apt-get install qemu-system-misc)");
    }
    return path;
}

/*
 * QEMU's stderr as Tern writes it: "qemu-system-riscv64: " becomes "tern: ",
 * without the lines Debian's build adds about GUI modules it lacks ("qemu:
 * module ui-ui-gtk not found ...") and the "type is NULL" it prints while
 * probing VGA types.  first_only: only the first line that is left.
 */
static char *stderr_as_terns(const char *err, bool first_only)
{
    gchar **lines = g_strsplit(err, "\n", -1);
    GString *out = g_string_new(NULL);

    for (gchar **l = lines; *l; l++) {
        if (!**l || g_str_has_prefix(*l, "qemu: module ") ||
            !strcmp(*l, QEMU_NAME ": type is NULL")) {
            continue;
        }
        char *line = replace_all(g_strdup(*l), QEMU_NAME ": ", "tern: ");
        g_string_append_printf(out, "%s\n", line);
        g_free(line);
        if (first_only) {
            break;
        }
    }
    g_strfreev(lines);
    return g_string_free(out, FALSE);
}

/* The virt board without a window, then extra (NULL-terminated; @TMP@ is dir). */
static char **launch_args(const char *const *extra, const char *dir)
{
    const char *all[24] = {"-no-user-config", "-M", "virt", "-display", "none"};
    size_t n = 5;

    for (; *extra; extra++) {
        assert_true(n < G_N_ELEMENTS(all) - 1);
        all[n++] = *extra;
    }
    all[n] = NULL;
    return args_in(all, dir);
}

/* Runs path with args in dir to its end (CASE_DEADLINE_S at most); its exit status. */
static int run_with_deadline(const char *path, const char *dir, char **args, char **out, char **err)
{
    GPtrArray *argv = g_ptr_array_new();
    int status = -1;

    g_ptr_array_add(argv, (char *)path);
    for (char **a = args; *a; a++) {
        g_ptr_array_add(argv, *a);
    }
    g_ptr_array_add(argv, NULL);
    spawn_with_deadline(dir, (char **)argv->pdata, false, out, err, &status);
    g_ptr_array_free(argv, TRUE);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Removes dir and the files a run left in it. */
static void remove_run_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        unlink(path);
        g_free(path);
    }
    if (d) {
        g_dir_close(d);
    }
    assert_int_equal(g_rmdir(dir), 0);
    g_free(dir);
}

static void test_launch_option_errors_are_qemus_first_line_with_status_1(void **state)
{
    static const char *const cases[][10] = {
        {"-vga", "qxl"},
        {"-vga", "tcx"},
        {"-vga", "nosuch"},
        {"-msg", "bogus=on"},
        {"-msg", "timestamp=maybe"},
        {"-name", "foo,bogus=1"},
        {"-name", "foo,debug-threads=maybe"},
        {"-name", "foo", "-msg", "guest-name=on", "-vga", "nosuch"},
        {"-msg", "guest-name=on", "-name", "guest=foo,debug-threads=on", "-vga", "nosuch"},
        {"-msg", "guest-name=on", "-vga", "nosuch"},
        {"-name", "foo", "-vga", "nosuch"},
        {"-pidfile", "@TMP@/no/such/dir/pid"},
        {"-pidfile", "@TMP@"},
        {"-daemonize", "-pidfile", "@TMP@/no/such/dir/pid"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-nographic"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-nographic", "-serial", "null", "-monitor",
         "none"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-serial", "stdio"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-qtest", "stdio"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-qmp", "stdio"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-chardev", "stdio,id=x"},
        {"-daemonize", "-pidfile", "@TMP@/daemon.pid", "-chardev", "stdio,id=x,signal=off"},
        {"-accel", "tcg", "-machine", "accel=tcg"},
        {"-accel", "qtest", "-machine", "accel=qtest"},
        {"-chardev", "null,id=c0", "-mon", "chardev=c0,bogus=1"},
        {"-chardev", "null,id=c0", "-mon", "chardev=c0,mode=bogus"},
        {"-nodefaults", "-device", "virtio-rng-device,id=x", "-device", "virtio-rng-device,id=x"},
    };
    char *tern = program("tern"), *qemu = qemu_program();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
        char **args = launch_args(cases[i], dir);
        char *out, *err, *qout, *qerr, *qline;
        int status = run_with_deadline(tern, dir, args, &out, &err);
        int qstatus = run_with_deadline(qemu, dir, args, &qout, &qerr);

        {
            /* A -daemonize row that ran after all: end the daemon, then fail. */
            char *pidfile = g_build_filename(dir, "daemon.pid", NULL), *pid = NULL;

            if (g_file_get_contents(pidfile, &pid, NULL, NULL)) {
                kill(atoi(pid), SIGKILL);
                fail_msg("case %zu (%s ...) left a daemon, pid %s", i, cases[i][0], pid);
            }
            g_free(pidfile);
        }
        qline = stderr_as_terns(qerr, true);
        if (status != 1 || qstatus != 1 || strcmp(err, qline) || *out || *qout) {
            print_error("case %zu (%s ...): tern %d '%s', QEMU %d '%s'\n", i, cases[i][0], status,
                        err, qstatus, qerr);
            fail();
        }
        g_free(out);
        g_free(err);
        g_free(qout);
        g_free(qerr);
        g_free(qline);
        g_strfreev(args);
        remove_run_dir(dir);
    }
    g_free(tern);
    g_free(qemu);
}

static void test_vga_help_prints_qemus_five_types_with_cirrus_the_default(void **state)
{
    static const char expected[] = "none                 no graphic card\n"
                                   "std                  standard VGA\n"
                                   "cirrus               Cirrus VGA (default)\n"
                                   "vmware               VMWare SVGA\n"
                                   "virtio               Virtio VGA\n";
    const char *const paths[] = {program("tern"), qemu_program()};
    char *args[] = {"-vga", "help", NULL};

    for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
        char *out, *err, *shown;

        assert_int_equal(run_with_deadline(paths[i], NULL, args, &out, &err), 0);
        assert_string_equal(out, expected);
        shown = stderr_as_terns(err, false);
        assert_string_equal(shown, "");
        g_free(shown);
        g_free(out);
        g_free(err);
        g_free((char *)paths[i]);
    }
}

static void test_object_help_lists_types_indented_by_two_spaces_as_qemu(void **state)
{
    char *args[] = {"-object", "help", NULL};
    char *opt_args[] = {"-object", "rng-random,help", NULL};
    char *tern = program("tern"), *qemu = qemu_program();
    char *out, *err, *qout, *qerr;

    assert_int_equal(run_with_deadline(tern, NULL, args, &out, &err), 0);
    assert_string_equal(out, "List of user creatable objects:\n"
                             "  monitor-qmp\n"
                             "  qtest\n"
                             "  rng-builtin\n"
                             "  rng-random\n");
    assert_string_equal(err, "");
    assert_int_equal(run_with_deadline(qemu, NULL, args, &qout, &qerr), 0);
    /* QEMU lists many more; the caption and the types both know are the same lines. */
    assert_true(g_str_has_prefix(qout, "List of user creatable objects:\n"));
    assert_non_null(strstr(qout, "\n  qtest\n  rng-builtin\n"));
    assert_non_null(strstr(qout, "\n  rng-random\n"));
    g_free(out);
    g_free(err);
    g_free(qout);
    g_free(qerr);

    assert_int_equal(run_with_deadline(tern, NULL, opt_args, &out, &err), 0);
    assert_int_equal(run_with_deadline(qemu, NULL, opt_args, &qout, &qerr), 0);
    assert_true(g_str_has_prefix(out, "rng-random options:\n  filename=<string>"));
    assert_true(g_str_has_prefix(qout, "rng-random options:\n  filename=<string>"));
    g_free(out);
    g_free(err);
    g_free(qout);
    g_free(qerr);
    g_free(tern);
    g_free(qemu);
}

/* Help texts whose first lines are QEMU 7.2's (QEMU knows more types and properties). */
static void test_display_device_and_machine_help_start_as_qemus(void **state)
{
    static const char *const cases[][3] = {
        {"-display", "help", "Available display backend types:\nnone\n"},
        {"-device", "driver=virtio-rng-device,help", "virtio-rng-device options:\n"},
        {"-M", "type=none,help", "none-machine options:\n"},
    };
    char *tern = program("tern"), *qemu = qemu_program();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *args[] = {(char *)cases[i][0], (char *)cases[i][1], NULL};
        char *out, *err, *qout, *qerr;

        assert_int_equal(run_with_deadline(tern, NULL, args, &out, &err), 0);
        assert_int_equal(run_with_deadline(qemu, NULL, args, &qout, &qerr), 0);
        if (!g_str_has_prefix(out, cases[i][2]) || !g_str_has_prefix(qout, cases[i][2])) {
            print_error("%s %s: tern '%s', QEMU '%s'\n", args[0], args[1], out, qout);
            fail();
        }
        assert_string_equal(err, "");
        g_free(out);
        g_free(err);
        g_free(qout);
        g_free(qerr);
    }
    g_free(tern);
    g_free(qemu);
}

/*
 * -writeconfig writes beside its target and renames over it: a device node
 * is refused first (as root, /dev/null itself would be replaced).  The test
 * names /dev/null through a symbolic link, so a regression replaces only the
 * link.
 */
static void test_writeconfig_refuses_a_character_device_and_leaves_it(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *link = g_build_filename(dir, "null", NULL);
    char *tern = program("tern");
    char *args[] = {"-nouserconfig", "-M", "none", "-writeconfig", link, NULL};
    char *out, *err, *target, *expected;

    assert_int_equal(symlink("/dev/null", link), 0);
    assert_int_equal(run_with_deadline(tern, dir, args, &out, &err), 1);
    expected = g_strdup_printf("tern: -writeconfig %s: is a character device; a regular file, a "
                               "pipe or - is needed\n",
                               link);
    assert_string_equal(err, expected);
    assert_string_equal(out, "");
    target = g_file_read_link(link, NULL);
    assert_string_equal(target, "/dev/null");
    g_free(target);
    g_free(expected);
    g_free(out);
    g_free(err);
    g_free(tern);
    g_free(link);
    remove_run_dir(dir);
}

/*
 * Options Tern accepts and runs with, as QEMU: stderr holds only the
 * warning QEMU gives (if any) and the line for SIGTERM, each after the
 * -msg prefix; status 0.  The qtest accelerator rows run Tern only (Debian's
 * QEMU build refuses accel=qtest without -qtest), and -run-with (QEMU 8.1's).
 */
static void test_accepted_launch_options_run_until_sigterm_with_qemus_lines(void **state)
{
    static const struct {
        const char *args[8];
        bool qemu;
        const char *prefix;  /* before "tern: " on every line ("": none) */
        const char *warning; /* NULL: none; lines after the first start with "tern: " */
    } runs[] = {
        {{"-vga", "none"}, true, "", NULL},
        {{"-vga", "std"}, true, "", VGA_WARNING},
        {{"-vga", "cirrus"}, true, "", VGA_WARNING},
        {{"-vga", "virtio"}, true, "", VGA_WARNING},
        {{"-monitor", "null"}, true, "", NULL},
        {{"-monitor", "none"}, true, "", NULL},
        {{"-name", "foo"}, true, "", NULL},
        {{"-name", "guest=foo,debug-threads=on"}, true, "", NULL},
        {{"-name", "foo", "-msg", "guest-name=on", "-vga", "std"}, true, "foo ", VGA_WARNING},
        {{"-msg", "timestamp=off,guest-name=off", "-name", "foo"}, true, "", NULL},
        {{"-parallel", "none"}, true, "", NULL},
        {{"-parallel", "null"}, true, "", NULL},
        {{"-parallel", "none", "-parallel", "null"}, true, "", NULL},
        {{"-nographic", "-serial", "null"}, true, "", NULL},
        {{"-nodefaults", "-pidfile", "@TMP@/pid"}, true, "", NULL},
        {{"-M", "virt,accel=qtest,"}, false, "", NULL},
        {{"-M", "virt,accel=interp:qtest"}, false, "", NULL},
        {{"-machine", "accel=qtest"}, false, "", NULL},
        {{"-run-with", "exit-with-parent=on"}, false, "", NULL},
        /* Accelerators Debian's QEMU lacks (Tern: QEMU's it cannot offer): skipped, with lines. */
        {{"-M", "virt,accel=kvm:tcg"},
         true,
         "",
         "invalid accelerator kvm\ntern: falling back to tcg"},
        {{"-accel", "kvm", "-accel", "tcg"},
         true,
         "",
         "-accel kvm: invalid accelerator kvm\ntern: falling back to tcg"},
        {{"-M", "virt,accel=tcg:xen:hvf"},
         true,
         "",
         "invalid accelerator xen\ntern: invalid accelerator hvf\ntern: falling back to tcg"},
        {{"-accel", "tcg", "-accel", "kvm"}, true, "", NULL},
        /* Names no accelerator has: the same, when one that runs is in the list. */
        {{"-M", "virt,accel=nosuch:tcg"},
         true,
         "",
         "invalid accelerator nosuch\ntern: falling back to tcg"},
        {{"-M", "virt,accel=nosuch:kvm:tcg"},
         true,
         "",
         "invalid accelerator nosuch\ntern: invalid accelerator kvm\ntern: falling back to tcg"},
        {{"-accel", "nosuch", "-accel", "tcg"},
         true,
         "",
         "-accel nosuch: invalid accelerator nosuch\ntern: falling back to tcg"},
        {{"-accel", "tcg", "-accel", "nosuch"}, true, "", NULL},
    };
    char *tern = program("tern"), *qemu = qemu_program();
    char *signal_line = expected_signal_line(SIGTERM);

    for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
        char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
        char **args = launch_args(runs[i].args, dir);
        char *expected =
            g_strdup_printf("%s%s%s%s%s%s", runs[i].warning ? runs[i].prefix : "",
                            runs[i].warning ? "tern: " : "", runs[i].warning ? runs[i].warning : "",
                            runs[i].warning ? "\n" : "", runs[i].prefix, signal_line);
        char *err = NULL;
        int status = run_program_until_signal(tern, NULL, args, -1, SIGTERM, NULL, NULL, &err);

        if (status != 0 || strcmp(err, expected)) {
            print_error("run %zu (%s ...): status %d, stderr '%s', expected '%s'\n", i,
                        runs[i].args[0], status, err, expected);
            fail();
        }
        g_free(err);
        if (runs[i].qemu) {
            char *shown;

            status = run_program_until_signal(qemu, NULL, args, -1, SIGTERM, NULL, NULL, &err);
            shown = stderr_as_terns(err, false);
            if (status != 0 || strcmp(shown, expected)) {
                print_error("QEMU, run %zu (%s ...): status %d, stderr '%s', expected '%s'\n", i,
                            runs[i].args[0], status, shown, expected);
                fail();
            }
            g_free(shown);
            g_free(err);
        }
        g_free(expected);
        g_strfreev(args);
        remove_run_dir(dir);
    }
    g_free(signal_line);
    g_free(tern);
    g_free(qemu);
}

/* NULL when got is want, else what differs (for run_program_until_signal's checks). */
static char *differs(const char *what, const char *got, const char *want)
{
    return g_strcmp0(got, want) ? g_strdup_printf("%s is '%s', not '%s'", what, got, want) : NULL;
}

/* Checks /proc/PID/comm while the program runs (opaque: the name expected). */
static char *comm_is(GPid pid, void *opaque)
{
    char *path = g_strdup_printf("/proc/%d/comm", (int)pid);
    char *text = NULL, *problem;

    g_file_get_contents(path, &text, NULL, NULL);
    problem = differs(path, text, opaque);
    g_free(text);
    g_free(path);
    return problem;
}

static void test_name_process_sets_the_name_ps_shows_as_qemu(void **state)
{
    static const char *const extra[] = {"-name", "foo,process=tern-guest", NULL};
    const char *const paths[] = {program("tern"), qemu_program()};
    char **args = launch_args(extra, "");

    for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
        assert_int_equal(run_program_until_signal(paths[i], NULL, args, -1, SIGTERM, comm_is,
                                                  "tern-guest\n", NULL),
                         0);
        g_free((char *)paths[i]);
    }
    g_strfreev(args);
}

/* -msg timestamp=on: "YYYY-MM-DDTHH:MM:SS.uuuuuuZ " (UTC, now) before the rest of the line. */
static void expect_timestamped(const char *line, const char *rest)
{
    GRegex *re =
        g_regex_new("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z) (.*)\\n$", 0, 0, NULL);
    GMatchInfo *m = NULL;
    char *stamp, *tail;
    GDateTime *t;

    if (!g_regex_match(re, line, 0, &m)) {
        print_error("'%s' does not start with a timestamp\n", line);
        fail();
    }
    stamp = g_match_info_fetch(m, 1);
    tail = g_match_info_fetch(m, 2);
    assert_string_equal(tail, rest);
    t = g_date_time_new_from_iso8601(stamp, NULL);
    assert_non_null(t);
    /* Taken during the run: within a minute of now. */
    assert_true(llabs((long long)(g_date_time_to_unix(t) - g_get_real_time() / G_USEC_PER_SEC)) <
                60);
    g_date_time_unref(t);
    g_free(stamp);
    g_free(tail);
    g_match_info_free(m);
    g_regex_unref(re);
}

static void test_msg_timestamp_on_puts_the_utc_time_before_each_report_as_qemu(void **state)
{
    static const char *const plain[] = {"-msg", "timestamp=on", "-vga", "nosuch", NULL};
    static const char *const named[] = {
        "-msg", "timestamp=on,guest-name=on", "-name", "foo", "-vga", "nosuch", NULL};
    const char *const paths[] = {program("tern"), qemu_program()};
    char **plain_args = launch_args(plain, ""), **named_args = launch_args(named, "");

    for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
        char *out, *err, *line;

        assert_int_equal(run_with_deadline(paths[i], NULL, plain_args, &out, &err), 1);
        line = stderr_as_terns(err, false);
        expect_timestamped(line, "tern: unknown vga type: nosuch");
        g_free(line);
        g_free(out);
        g_free(err);
        assert_int_equal(run_with_deadline(paths[i], NULL, named_args, &out, &err), 1);
        line = stderr_as_terns(err, false);
        expect_timestamped(line, "foo tern: unknown vga type: nosuch");
        g_free(line);
        g_free(out);
        g_free(err);
        g_free((char *)paths[i]);
    }
    g_strfreev(plain_args);
    g_strfreev(named_args);
}

typedef struct PidfileRun {
    const char *path; /* the program */
    const char *dir;
    const char *pidfile;
    unsigned mode; /* 0600 when the run creates it; an older file's stays */
} PidfileRun;

/* While the program runs: its pid in the file, its mode, and the file locked. */
static char *pidfile_holds_the_pid(GPid pid, void *opaque)
{
    const PidfileRun *r = opaque;
    static const char *const again[] = {"-nodefaults", "-pidfile", "@TMP@/pid", NULL};
    char *text = NULL, *expected = g_strdup_printf("%d\n", (int)pid);
    char **args = launch_args(again, r->dir);
    char *out, *err, *shown, *problem;
    struct stat st = {0};
    int status;

    g_file_get_contents(r->pidfile, &text, NULL, NULL);
    problem = differs("the pid file", text, expected);
    if (!problem && (stat(r->pidfile, &st) != 0 || (st.st_mode & 0777) != r->mode)) {
        problem = g_strdup_printf("the pid file's mode is %o, not %o", st.st_mode & 0777, r->mode);
    }
    status = run_with_deadline(r->path, NULL, args, &out, &err);
    shown = stderr_as_terns(err, false);
    if (!problem && status != 1) {
        problem = g_strdup_printf("a second run with the same pid file ended with %d", status);
    }
    if (!problem) {
        problem = differs("a second run's stderr", shown,
                          "tern: cannot create PID file: Cannot lock pid file: Resource "
                          "temporarily unavailable\n");
    }
    g_free(shown);
    g_free(out);
    g_free(err);
    g_strfreev(args);
    g_free(text);
    g_free(expected);
    return problem;
}

static void test_pidfile_holds_the_pid_while_running_and_is_removed_at_exit_as_qemu(void **state)
{
    static const char *const extra[] = {"-nodefaults", "-pidfile", "pid", NULL};
    const char *const paths[] = {program("tern"), qemu_program()};

    for (size_t i = 0; i < G_N_ELEMENTS(paths) * 2; i++) {
        char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
        char *pidfile = g_build_filename(dir, "pid", NULL);
        char **args = launch_args(extra, dir);
        bool stale = i % 2;
        PidfileRun r = {paths[i / 2], dir, pidfile, stale ? 0640 : 0600};

        /* A relative name, in the run's directory; the odd runs over a stale, longer file. */
        if (stale) {
            assert_true(g_file_set_contents(pidfile, "1234567890\nstale\n", -1, NULL));
            assert_int_equal(chmod(pidfile, 0640), 0);
        }
        assert_int_equal(run_program_until_signal(r.path, dir, args, -1, SIGTERM,
                                                  pidfile_holds_the_pid, &r, NULL),
                         0);
        assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
        g_strfreev(args);
        g_free(pidfile);
        remove_run_dir(dir);
    }
    g_free((char *)paths[0]);
    g_free((char *)paths[1]);
}

/*
 * A bios that writes 'A' to the virt UART's THR for ever:
 *   lui t0, 0x10000; li t1, 0x41; 1: sb t1, 0(t0); j 1b
 */
static const uint32_t uart_flood_bios[] = {0x100002b7, 0x04100313, 0x00628023, 0xffdff06f};

typedef struct StalledPeer {
    const char *socket_path;
    int fd; /* the console's peer, which never reads */
} StalledPeer;

/* Connects as the console's peer, then waits until the program sleeps with output piled up. */
static char *peer_connects_and_tern_blocks(GPid pid, void *opaque)
{
    StalledPeer *peer = opaque;
    char *stat_path = g_strdup_printf("/proc/%d/stat", (int)pid);
    gint64 deadline = g_get_monotonic_time() + 120 * G_USEC_PER_SEC;
    int asleep = 0;

    peer->fd = usock_connect_retry(peer->socket_path, 5000, pid);
    /* The guest never idles: asleep for 0.5 s means waiting for the peer past 16 MiB. */
    while (asleep < 10 && g_get_monotonic_time() < deadline) {
        char *text = NULL, *state;

        g_usleep(50 * 1000);
        g_file_get_contents(stat_path, &text, NULL, NULL);
        state = text ? strrchr(text, ')') : NULL;
        asleep = state && state[2] == 'S' ? asleep + 1 : 0;
        g_free(text);
    }
    g_free(stat_path);
    return asleep < 10 ? g_strdup("tern never waited for the console's peer") : NULL;
}

static void test_sigterm_ends_a_guest_blocked_on_a_console_peer_that_never_reads(void **state)
{
    char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *bios = g_build_filename(dir, "flood.bin", NULL);
    char *sock = g_build_filename(dir, "con.sock", NULL);
    char *chardev = g_strdup_printf("socket,id=c0,path=%s,server=on,wait=off", sock);
    char *args[] = {"-nouserconfig", "-M",         "virt", "-display", "none",
                    "-nodefaults",   "-bios",      bios,   "-chardev", chardev,
                    "-serial",       "chardev:c0", NULL};
    char *tern = program("tern"), *err = NULL, *signal_line = expected_signal_line(SIGTERM);
    StalledPeer peer = {sock, -1};
    unsigned dropped = 0;
    int end = -1;

    assert_true(
        g_file_set_contents(bios, (const char *)uart_flood_bios, sizeof(uart_flood_bios), NULL));
    assert_int_equal(run_program_until_signal(tern, dir, args, -1, SIGTERM,
                                              peer_connects_and_tern_blocks, &peer, &err),
                     0);
    close(peer.fd);
    /* One line for the output dropped, then QEMU's line for the signal. */
    assert_int_equal(sscanf(err,
                            "tern: warning: chardev 'c0': shutting down with the peer not "
                            "reading; %u bytes of output dropped\n%n",
                            &dropped, &end),
                     1);
    assert_true(dropped > 16 * 1024 * 1024);
    assert_string_equal(err + end, signal_line);
    g_free(signal_line);
    g_free(err);
    g_free(tern);
    g_free(chardev);
    g_free(sock);
    g_free(bios);
    remove_run_dir(dir);
}

/*
 * -pidfile is written before the machine is created, as QEMU: when it
 * cannot be, the qtest client socket never sees a connection, and the one
 * line is QEMU's.
 */
static void test_a_pid_file_that_cannot_be_created_fails_before_qtest_connects_as_qemu(void **state)
{
    static const char *const extra[] = {"-nodefaults",           "-qtest",
                                        "unix:@TMP@/qtest.sock", "-pidfile",
                                        "@TMP@/no/such/dir/pid", NULL};
    const char *const paths[] = {program("tern"), qemu_program()};

    for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
        char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
        char *sock = g_build_filename(dir, "qtest.sock", NULL);
        char *expected = g_strdup_printf("tern: cannot create PID file: Could not create "
                                         "'%s/no/such/dir/pid': No such file or directory\n",
                                         dir);
        char **args = launch_args(extra, dir);
        int listen_fd = usock_listen(sock);
        struct pollfd pending = {.fd = listen_fd, .events = POLLIN};
        char *out, *err, *shown;

        assert_int_equal(run_with_deadline(paths[i], dir, args, &out, &err), 1);
        shown = stderr_as_terns(err, false);
        if (strcmp(shown, expected)) {
            fail_msg("%s: stderr '%s', expected '%s'", paths[i], shown, expected);
        }
        assert_string_equal(out, "");
        /* Nobody connected (a connection closed since would still be pending). */
        assert_int_equal(poll(&pending, 1, 0), 0);
        close(listen_fd);
        g_free(shown);
        g_free(out);
        g_free(err);
        g_strfreev(args);
        g_free(expected);
        g_free(sock);
        remove_run_dir(dir);
    }
    g_free((char *)paths[0]);
    g_free((char *)paths[1]);
}

/* In the child: files may grow to 2 bytes, and a write past that fails (no SIGXFSZ). */
static void limit_file_size_to_2_bytes(gpointer unused)
{
    struct rlimit two = {2, 2};

    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &two) < 0) {
        _exit(126);
    }
}

/*
 * A pid file that takes only part of "PID\n" (a file size limit): QEMU's
 * line, with no reason after it (a short write sets no errno), status 1,
 * and the file removed.
 */
/*
 * Drops the lines a coverage build's libgcov adds at exit when it cannot
 * write its counters (the file size limit stops it too).
 */
static void drop_gcov_lines(char *text)
{
    char *out = text;

    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

        if (!g_str_has_prefix(line, "libgcov profiling error:")) {
            memmove(out, line, len);
            out += len;
        }
        line += len;
    }
    *out = '\0';
}

static void test_a_short_pid_file_write_is_qemus_one_line_and_leaves_no_file(void **state)
{
    const char *const paths[] = {program("tern"), qemu_program()};

    for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
        char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
        char *pidfile = g_build_filename(dir, "pid", NULL);
        /* Output through pipes: the limit would cut files short. */
        char *argv[] = {(char *)paths[i], "-nodefaults", "-M",    "none", "-display",
                        "none",           "-pidfile",    pidfile, NULL};
        char *out = NULL, *err = NULL, *shown;
        int status = -1;

        assert_true(g_spawn_sync(dir, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL,
                                 limit_file_size_to_2_bytes, NULL, &out, &err, &status, NULL));
        drop_gcov_lines(err);
        shown = stderr_as_terns(err, false);
        assert_string_equal(shown, "tern: cannot create PID file: Failed to write pid file\n");
        assert_string_equal(out, "");
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 1);
        assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
        g_free(shown);
        g_free(out);
        g_free(err);
        g_free(pidfile);
        remove_run_dir(dir);
    }
    g_free((char *)paths[0]);
    g_free((char *)paths[1]);
}

/* One line from fd, within 10 s ("" at end of file). */
static char *read_line_within(int fd)
{
    GString *line = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    char c;

    while (g_get_monotonic_time() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};

        if (poll(&p, 1, 100) <= 0) {
            continue;
        }
        if (read(fd, &c, 1) != 1) {
            break;
        }
        g_string_append_c(line, c);
        if (c == '\n') {
            break;
        }
    }
    return g_string_free(line, FALSE);
}

static char *proc_link(int pid, const char *what)
{
    char *path = g_strdup_printf("/proc/%d/%s", pid, what);
    char *target = g_file_read_link(path, NULL);

    g_free(path);
    return target ? target : g_strdup("(none)");
}

/* A process that is gone or a zombie (its new parent may not reap it). */
static bool process_ended(int pid)
{
    char *path = g_strdup_printf("/proc/%d/stat", pid);
    char *stat = NULL;
    bool ended = !g_file_get_contents(path, &stat, NULL, NULL) ||
                 (strrchr(stat, ')') && strrchr(stat, ')')[2] == 'Z');

    g_free(stat);
    g_free(path);
    return ended;
}

/*
 * -daemonize: the parent ends with status 0 and no output once start-up is
 * done; the daemon (pid in a relative -pidfile) is in its own session, in
 * "/", with /dev/null on stdio, and serves QMP until quit; then its pid file
 * is gone.  -nographic is allowed: serial, parallel and monitor (-qmp) are
 * each redirected, QEMU's legacy use.
 */
static void expect_daemon_until_qmp_quit(const char *path)
{
    static const char *const extra[] = {
        "-M",       "none",      "-nographic", "-serial",
        "null",     "-parallel", "none",       "-daemonize",
        "-pidfile", "pid",       "-qmp",       "unix:@TMP@/qmp.sock,server=on,wait=off",
        NULL};
    char *dir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *pidfile = g_build_filename(dir, "pid", NULL);
    char *sock = g_build_filename(dir, "qmp.sock", NULL);
    char **args = launch_args(extra, dir);
    char *out, *err, *text = NULL, *line, *link;
    gint64 deadline;
    int pid, fd;

    assert_int_equal(run_with_deadline(path, dir, args, &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    pid = atoi(text);
    assert_true(pid > 0);
    assert_int_equal(kill(pid, 0), 0);
    assert_true(getsid(pid) != getsid(0) && getsid(pid) != pid);
    link = proc_link(pid, "cwd");
    assert_string_equal(link, "/");
    g_free(link);
    for (int i = 0; i < 3; i++) {
        char *name = g_strdup_printf("fd/%d", i);

        link = proc_link(pid, name);
        assert_string_equal(link, "/dev/null");
        g_free(link);
        g_free(name);
    }
    fd = usock_connect_retry(sock, 5000, 0);
    line = read_line_within(fd);
    assert_true(g_str_has_prefix(line, "{\"QMP\": {\"version\": "));
    g_free(line);
    assert_int_equal(write(fd, "{\"execute\": \"qmp_capabilities\"}\n", 32), 32);
    line = read_line_within(fd);
    assert_string_equal(g_strchomp(line), "{\"return\": {}}");
    g_free(line);
    assert_int_equal(write(fd, "{\"execute\": \"quit\"}\n", 20), 20);
    /* The reply and the SHUTDOWN event (QEMU 7.2 sends the event first; Tern the reply). */
    for (int i = 0, replies = 0, events = 0; i < 2; i++) {
        line = g_strchomp(read_line_within(fd));
        if (!strcmp(line, "{\"return\": {}}")) {
            replies++;
        } else if (strstr(line, "\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, "
                                "\"reason\": \"host-qmp-quit\"}}")) {
            events++;
        }
        assert_true(i == 0 || (replies == 1 && events == 1));
        g_free(line);
    }
    close(fd);
    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (!process_ended(pid) && g_get_monotonic_time() < deadline) {
        g_usleep(10 * 1000);
    }
    if (!process_ended(pid)) {
        kill(pid, SIGKILL);
        fail_msg("the daemon %d of %s did not end on quit", pid, path);
    }
    assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    g_free(out);
    g_free(err);
    g_free(text);
    g_strfreev(args);
    g_free(sock);
    g_free(pidfile);
    remove_run_dir(dir);
}

static void test_daemonize_returns_0_and_the_daemon_serves_qmp_until_quit_as_qemu(void **state)
{
    char *tern = program("tern"), *qemu = qemu_program();

    expect_daemon_until_qmp_quit(tern);
    expect_daemon_until_qmp_quit(qemu);
    g_free(tern);
    g_free(qemu);
}

int main(void)
{
    char *path, *contents = NULL;
    gchar **lines;
    GArray *tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
    GPtrArray *cases = g_ptr_array_new();
    int rc;

    build_root = g_getenv("TERN_BUILD_ROOT");
    source_root = g_getenv("TERN_SOURCE_ROOT");
    if (!build_root || !source_root) {
        fprintf(stderr,
                "test-cli: TERN_BUILD_ROOT and TERN_SOURCE_ROOT must be set (meson does)\n");
        return 1;
    }
    path = g_build_filename(source_root, "tests", "cli", "bad-inputs.txt", NULL);
    if (!g_file_get_contents(path, &contents, NULL, NULL)) {
        fprintf(stderr, "test-cli: cannot read %s\n", path);
        return 1;
    }
    lines = g_strsplit(contents, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char *tab = strchr(lines[i], '\t');
        CliCase *c;
        struct CMUnitTest t = {0};

        if (lines[i][0] == '#' || !lines[i][0]) {
            continue;
        }
        if (!tab) {
            fprintf(stderr, "test-cli: %s:%d: no tab between arguments and expected text\n", path,
                    i + 1);
            return 1;
        }
        c = g_new0(CliCase, 1);
        c->args = g_strndup(lines[i], tab - lines[i]);
        c->expected = g_strdup(tab + 1);
        c->line = i + 1;
        g_ptr_array_add(cases, c);
        t.name = g_strdup_printf("bad input line %d: %s", c->line, c->args);
        t.test_func = run_case;
        t.initial_state = c;
        g_array_append_val(tests, t);
    }
    {
        const struct CMUnitTest runs[] = {
            cmocka_unit_test(test_version_exits_zero),
            cmocka_unit_test(test_other_programs_link_the_core),
            cmocka_unit_test(test_sigterm_ends_the_main_loop_with_status_0),
            cmocka_unit_test(test_sigint_ends_the_virt_machine_with_status_0),
            cmocka_unit_test(test_sighup_ends_a_stopped_machine_with_status_0),
            cmocka_unit_test(test_sigterm_while_a_tcp_server_waits_for_its_client_is_a_shutdown),
            cmocka_unit_test(
                test_sigint_while_a_unix_qmp_server_waits_for_its_client_is_a_shutdown),
            cmocka_unit_test(test_sigterm_while_the_qtest_server_waits_is_a_quiet_shutdown),
            cmocka_unit_test(test_sigterm_while_output_fifos_wait_for_a_reader_is_a_shutdown),
            cmocka_unit_test(test_an_output_fifo_waits_for_its_reader_then_runs),
            cmocka_unit_test(test_dumpdtb_and_writeconfig_replace_a_fifo_without_waiting),
            cmocka_unit_test(test_embedded_default_config_runs),
            cmocka_unit_test(test_sigterm_while_a_config_fifo_waits_for_its_writer),
            cmocka_unit_test(test_sigterm_while_stdin_config_waits_for_input),
            cmocka_unit_test(test_launch_option_errors_are_qemus_first_line_with_status_1),
            cmocka_unit_test(test_vga_help_prints_qemus_five_types_with_cirrus_the_default),
            cmocka_unit_test(test_object_help_lists_types_indented_by_two_spaces_as_qemu),
            cmocka_unit_test(test_display_device_and_machine_help_start_as_qemus),
            cmocka_unit_test(test_writeconfig_refuses_a_character_device_and_leaves_it),
            cmocka_unit_test(test_accepted_launch_options_run_until_sigterm_with_qemus_lines),
            cmocka_unit_test(test_name_process_sets_the_name_ps_shows_as_qemu),
            cmocka_unit_test(test_msg_timestamp_on_puts_the_utc_time_before_each_report_as_qemu),
            cmocka_unit_test(
                test_pidfile_holds_the_pid_while_running_and_is_removed_at_exit_as_qemu),
            cmocka_unit_test(test_daemonize_returns_0_and_the_daemon_serves_qmp_until_quit_as_qemu),
            cmocka_unit_test(test_sigterm_ends_a_guest_blocked_on_a_console_peer_that_never_reads),
            cmocka_unit_test(
                test_a_pid_file_that_cannot_be_created_fails_before_qtest_connects_as_qemu),
            cmocka_unit_test(test_a_short_pid_file_write_is_qemus_one_line_and_leaves_no_file),
        };
        for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
            g_array_append_val(tests, runs[i]);
        }
    }
    rc = _cmocka_run_group_tests("cli", (struct CMUnitTest *)tests->data, tests->len, NULL, NULL);
    for (guint i = 0; i < cases->len; i++) {
        g_free((char *)g_array_index(tests, struct CMUnitTest, i).name);
    }
    for (guint i = 0; i < cases->len; i++) {
        CliCase *c = cases->pdata[i];
        g_free(c->args);
        g_free(c->expected);
        g_free(c);
    }
    g_ptr_array_free(cases, TRUE);
    g_array_free(tests, TRUE);
    g_strfreev(lines);
    g_free(contents);
    g_free(path);
    return rc;
}
