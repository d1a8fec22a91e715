/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay-main.c - main() of tern-replay, the headless replayer: arguments,
 * the list of traces, and the regression runner (docs/replay.md,
 * "tern-replay").
 *
 * Every trace runs in a child process of its own (the core holds one
 * machine per process, and a crash must cost one trace, not the run), with
 * the trace's directory as its working directory.  Up to --jobs children run
 * at once; results are printed in the order of the list so that a run's
 * output does not depend on scheduling.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "core/tern.h"
#include "harness/replay-tools.h"
#include "harness/trace.h"

#define DEFAULT_TIMEOUT_S 120

typedef struct Options {
    bool update;
    bool tap;
    bool quiet;
    int jobs;
    int shard_k, shard_n; /* 1-based K of N; 0 0: all */
    int timeout_s;
    uint64_t
        budget; /* --budget: instructions a guest may run after its last position (0: default) */
    char *args; /* --args: a script's command line */
} Options;

typedef struct Job {
    char *path;
    pid_t pid;
    int fd;          /* the child's report */
    GString *report; /* first byte: P(ass), F(ailed), B(ad trace) */
    bool done;
    int status;
} Job;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tern-replay [options] FILE|DIR...\n"
            "       tern-replay --minimize TRACE [--out FILE] [--args WORDS]\n"
            "       tern-replay --to-test TRACE [--out FILE] [--args WORDS]\n"
            "Replays traces (docs/replay.md) and checks every reply, event, console byte,\n"
            "checkpoint and exit status.  A DIR is searched for *.trace and *.qtest files.\n"
            "  --update        rewrite the expected parts of each trace from this build\n"
            "  --jobs N        replay N traces at a time (default 1)\n"
            "  --shard K/N     replay only share K of N (stable: by the file's name)\n"
            "  --args WORDS    the command line of plain qtest scripts\n"
            "                  (default: -M virt -nodefaults -accel qtest)\n"
            "  --timeout S     a trace that runs longer fails (default %d)\n"
            "  --budget N      instructions a guest may run after a trace's last position\n"
            "                  (a hand-written or cut-short trace; default %" PRIu64 ")\n"
            "  --tap           TAP output, one test per trace\n"
            "  --quiet         print failures and the summary only\n"
            "  --minimize      shrink a failing trace while its failure stays the same\n"
            "  --to-test       write a cmocka test that replays the trace\n",
            DEFAULT_TIMEOUT_S, TRACE_RUN_BUDGET);
}

static bool parse_int_arg(const char *opt, const char *text, int min, int max, int *out)
{
    gint64 v;

    if (!text || !g_ascii_string_to_signed(text, 10, min, max, &v, NULL)) {
        fprintf(stderr, "tern-replay: %s: '%s' is not a number from %d to %d\n", opt,
                text ? text : "", min, max);
        return false;
    }
    *out = (int)v;
    return true;
}

static bool parse_shard(const char *text, Options *o)
{
    char **kn = text ? g_strsplit(text, "/", 3) : NULL;
    bool ok = kn && g_strv_length(kn) == 2;
    gint64 k = 0, n = 0;

    ok = ok && g_ascii_string_to_signed(kn[0], 10, 1, 100000, &k, NULL) &&
         g_ascii_string_to_signed(kn[1], 10, 1, 100000, &n, NULL) && k <= n;
    g_strfreev(kn);
    if (!ok) {
        fprintf(stderr, "tern-replay: --shard: '%s' is not K/N with 1 <= K <= N\n",
                text ? text : "");
        return false;
    }
    o->shard_k = (int)k;
    o->shard_n = (int)n;
    return true;
}

/* ---- the list of traces ---------------------------------------------------------------------- */

static bool is_trace_name(const char *name)
{
    return g_str_has_suffix(name, ".trace") || g_str_has_suffix(name, ".qtest");
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_dir(const char *dir, GPtrArray *files)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_ptr_array_add(names, g_strdup(name));
    }
    if (d) {
        g_dir_close(d);
    }
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
            add_dir(path, files);
            g_free(path);
        } else if (is_trace_name(g_ptr_array_index(names, i))) {
            g_ptr_array_add(files, path);
        } else {
            g_free(path);
        }
    }
    g_ptr_array_free(names, TRUE);
}

/* A stable share: the file name's checksum, independent of the other files. */
static bool in_shard(const char *path, const Options *o)
{
    char *base = g_path_get_basename(path);
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, base, -1);
    guint64 h = g_ascii_strtoull(sum + 48, NULL, 16);
    bool in = (int)(h % (guint64)o->shard_n) == o->shard_k - 1;

    g_free(sum);
    g_free(base);
    return in;
}

/* ---- one trace, in a child ------------------------------------------------------------------ */

static char result_code(TraceOutcome o)
{
    return o == TRACE_PASS ? 'P' : o == TRACE_DIVERGED ? 'F' : 'B';
}

/* Runs in the child: replays path and writes the report to fd. */
static int replay_child(const char *path, const Options *o, int fd)
{
    Error *err = NULL;
    GString *rep = g_string_new(NULL);
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    Trace *t, *updated = NULL;
    TraceResult res;
    TraceReplayOptions ro = {.update = o->update, .run_budget = o->budget};
    int rc = 0;

    alarm((unsigned)o->timeout_s);
    t = trace_load(path, o->args, &err);
    if (!t) {
        g_string_printf(rep, "B%s\n", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (chdir(dir) < 0) {
        g_string_printf(rep, "B%s: cannot enter its directory: %s\n", path, g_strerror(errno));
        trace_free(t);
        goto out;
    }
    trace_replay(t, &ro, &res, o->update ? &updated : NULL);
    g_string_append_c(rep, result_code(res.outcome));
    if (res.outcome != TRACE_PASS) {
        g_string_append_printf(rep, "%s\n", res.message);
        if (res.command) {
            g_string_append_printf(rep, "  after:    %s\n", res.command);
        }
        if (res.expected || res.got) {
            g_string_append_printf(rep, "  expected: %s\n  got:      %s\n",
                                   res.expected ? res.expected : "(nothing)",
                                   res.got ? res.got : "(nothing)");
        }
    }
    /* Only a replay that ran to its end rewrites the file: a cut-short one would lose inputs. */
    if (updated && res.outcome == TRACE_PASS) {
        if (!trace_save(updated, base, &err)) {
            g_string_truncate(rep, 0);
            g_string_printf(rep, "B%s\n", error_get_pretty(err));
            error_free(err);
        }
    }
    trace_free(updated);
    trace_result_clear(&res);
    trace_free(t);
out:
    if (write(fd, rep->str, rep->len) < 0) {
        rc = 2;
    }
    g_string_free(rep, TRUE);
    g_free(dir);
    g_free(base);
    return rc;
}

static void job_start(Job *j, const Options *o)
{
    int p[2];

    if (pipe(p) < 0) {
        j->report = g_string_new("B");
        g_string_append_printf(j->report, "%s: pipe: %s\n", j->path, g_strerror(errno));
        j->done = true;
        return;
    }
    fflush(NULL);
    j->pid = fork();
    if (j->pid == 0) {
        close(p[0]);
        /* exit, not _exit: a sanitizer's leak check runs at exit and fails the child. */
        exit(replay_child(j->path, o, p[1]));
    }
    close(p[1]);
    if (j->pid < 0) {
        close(p[0]);
        j->report = g_string_new("B");
        g_string_append_printf(j->report, "%s: fork: %s\n", j->path, g_strerror(errno));
        j->done = true;
        return;
    }
    j->fd = p[0];
    j->report = g_string_new(NULL);
}

/* The child closed its pipe: reap it and turn a crash into a report. */
static void job_finish(Job *j, const Options *o)
{
    int status = 0;

    close(j->fd);
    j->fd = -1;
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    j->done = true;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        g_string_printf(j->report, "F%s: %s (signal %d)\n", j->path,
                        sig == SIGALRM ? "timed out" : "crashed", sig);
        if (sig == SIGALRM) {
            g_string_append_printf(j->report, "  the replay ran longer than %d s\n", o->timeout_s);
        }
    } else if (!j->report->len) {
        g_string_printf(j->report, "F%s: the replay ended with status %d and no report\n", j->path,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if (WIFEXITED(status) && WEXITSTATUS(status)) {
        /* Replayed, then failed on the way out: a leak report, or the report not written. */
        char *text = g_strdup(j->report->str + 1);
        bool passed = j->report->str[0] == 'P';
        g_string_printf(j->report,
                        "F%s: the replay process ended with status %d (a sanitizer's report on "
                        "its stderr?)\n%s",
                        j->path, WEXITSTATUS(status), passed ? "" : text);
        g_free(text);
    }
}

static void progress(const Options *o, guint done, guint total, int passed, int failed)
{
    if (o->tap || !isatty(STDERR_FILENO)) {
        return;
    }
    fprintf(stderr, "\r[%u/%u] %d passed, %d failed", done, total, passed, failed);
    fflush(stderr);
}

/*
 * The job table, also from file scope: a forked child still holds it when it
 * exits, and LeakSanitizer (which checks every replay child) must find it
 * reachable however deep the replay ran on the stack.
 */
static Job *volatile all_jobs; /* volatile: the store is kept though nothing here reads it */

static int run_all(GPtrArray *files, const Options *o)
{
    guint n = files->len, next = 0, printed = 0, running = 0;
    Job *jobs = all_jobs = g_new0(Job, n);
    int passed = 0, failed = 0;

    for (guint i = 0; i < n; i++) {
        jobs[i].path = g_ptr_array_index(files, i);
        jobs[i].fd = -1;
    }
    if (o->tap) {
        printf("1..%u\n", n);
    }
    while (printed < n) {
        struct pollfd *pfds = g_new0(struct pollfd, n);
        guint *who = g_new0(guint, n);
        int count = 0;

        while (running < (guint)o->jobs && next < n) {
            job_start(&jobs[next], o);
            running += jobs[next].done ? 0 : 1;
            next++;
        }
        for (guint i = 0; i < next; i++) {
            if (!jobs[i].done && jobs[i].fd >= 0) {
                pfds[count] = (struct pollfd){.fd = jobs[i].fd, .events = POLLIN};
                who[count++] = i;
            }
        }
        if (count && poll(pfds, (nfds_t)count, -1) > 0) {
            for (int k = 0; k < count; k++) {
                Job *j = &jobs[who[k]];
                char buf[4096];
                ssize_t got;
                if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR))) {
                    continue;
                }
                got = read(j->fd, buf, sizeof(buf));
                if (got > 0) {
                    g_string_append_len(j->report, buf, got);
                } else if (got == 0 || errno != EINTR) {
                    job_finish(j, o);
                    running--;
                }
            }
        }
        g_free(pfds);
        g_free(who);
        /* Print finished jobs in list order. */
        while (printed < n && jobs[printed].done) {
            Job *j = &jobs[printed];
            bool ok = j->report->len && j->report->str[0] == 'P';
            const char *text = j->report->len ? j->report->str + 1 : "";
            printed++;
            ok ? passed++ : failed++;
            if (o->tap) {
                printf("%s %u - %s\n", ok ? "ok" : "not ok", printed, j->path);
                if (!ok) {
                    char **lines = g_strsplit(text, "\n", -1);
                    for (char **l = lines; *l; l++) {
                        if (**l) {
                            printf("# %s\n", *l);
                        }
                    }
                    g_strfreev(lines);
                }
            } else if (!ok) {
                if (isatty(STDERR_FILENO)) {
                    fprintf(stderr, "\r\033[K");
                }
                printf("FAIL %s", text);
            } else if (!o->quiet) {
                if (isatty(STDERR_FILENO)) {
                    fprintf(stderr, "\r\033[K");
                }
                printf("%s %s\n", o->update ? "updated" : "ok", j->path);
            }
            fflush(stdout);
            progress(o, printed, n, passed, failed);
        }
    }
    if (isatty(STDERR_FILENO) && !o->tap) {
        fprintf(stderr, "\r\033[K");
    }
    printf("%stern-replay: %d passed, %d failed\n", o->tap ? "# " : "", passed, failed);
    for (guint i = 0; i < n; i++) {
        g_string_free(jobs[i].report, TRUE);
    }
    g_free(jobs);
    all_jobs = NULL;
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    Options o = {.jobs = 1, .timeout_s = DEFAULT_TIMEOUT_S};
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    const char *minimize = NULL, *to_test = NULL, *out = NULL;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
            printf("tern-replay %s\n", TERN_VERSION);
            goto done;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            goto done;
        } else if (!strcmp(a, "--update")) {
            o.update = true;
        } else if (!strcmp(a, "--tap")) {
            o.tap = true;
        } else if (!strcmp(a, "--quiet")) {
            o.quiet = true;
        } else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
            if (!parse_int_arg(a, v, 1, 256, &o.jobs)) {
                rc = 2;
                goto done;
            }
            i++;
        } else if (!strcmp(a, "--timeout")) {
            if (!parse_int_arg(a, v, 1, 86400, &o.timeout_s)) {
                rc = 2;
                goto done;
            }
            i++;
        } else if (!strcmp(a, "--budget")) {
            guint64 n;

            if (!v || !g_ascii_string_to_unsigned(v, 10, 1, G_MAXUINT64, &n, NULL)) {
                fprintf(stderr, "tern-replay: --budget: '%s' is not a positive number\n",
                        v ? v : "");
                rc = 2;
                goto done;
            }
            o.budget = n;
            i++;
        } else if (!strcmp(a, "--shard")) {
            if (!parse_shard(v, &o)) {
                rc = 2;
                goto done;
            }
            i++;
        } else if (!strcmp(a, "--args") || !strcmp(a, "--minimize") || !strcmp(a, "--to-test") ||
                   !strcmp(a, "--out")) {
            if (!v) {
                fprintf(stderr, "tern-replay: %s needs a value\n", a);
                rc = 2;
                goto done;
            }
            if (!strcmp(a, "--args")) {
                g_free(o.args);
                o.args = g_strdup(v);
            } else if (!strcmp(a, "--minimize")) {
                minimize = v;
            } else if (!strcmp(a, "--to-test")) {
                to_test = v;
            } else {
                out = v;
            }
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "tern-replay: unknown option '%s' (--help lists them)\n", a);
            rc = 2;
            goto done;
        } else if (g_file_test(a, G_FILE_TEST_IS_DIR)) {
            add_dir(a, files);
        } else {
            g_ptr_array_add(files, g_strdup(a));
        }
    }
    if (minimize) {
        rc = replay_minimize(minimize, o.args, out);
        goto done;
    }
    if (to_test) {
        rc = replay_to_test(to_test, o.args, out);
        goto done;
    }
    if (o.shard_n) {
        for (guint i = files->len; i-- > 0;) {
            if (!in_shard(g_ptr_array_index(files, i), &o)) {
                g_ptr_array_remove_index(files, i);
            }
        }
    }
    if (!files->len && argc > 1 && !o.shard_n) {
        fprintf(stderr, "tern-replay: no traces (*.trace, *.qtest) in what was given\n");
        rc = 2;
        goto done;
    }
    if (argc == 1) {
        usage(stderr);
        rc = 2;
        goto done;
    }
    rc = run_all(files, &o);
done:
    g_ptr_array_free(files, TRUE);
    g_free(o.args);
    return rc;
}
