/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-reproduce.c - tern-fuzz --reproduce: one crash file run in a forked
 * child with its trace streamed out line by line, the child's end and
 * stderr turned into a kind and a deduplicating signature, and the
 * reproducer (fuzz_format_reproducer, the runner's one writer of it)
 * printed and optionally saved per signature.
 */
#include "fuzz/fuzz-reproduce.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cutils.h"

#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_LSAN 1
#endif
#endif
#ifdef FUZZ_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* ---- classifying a crash --------------------------------------------------------------------- */

/* Files whose frames say nothing about the crash site: the tools and the harness around it. */
static const char *const framework_files[] = {
    "sanitizer",        "compiler-rt",
    "libc.so",          "libc-",
    "/libc/",           "glibc",
    "libFuzzer",        "Fuzzer",
    "fuzz/fuzz.c",      "fuzz/fuzz-reproduce.c",
    "fuzz/fuzz-main.c", "fuzz/fuzz-diff.c",
    "fuzz/engine-",     "libcmocka",
    "cmocka.c",
};

static bool framework_frame(const char *func, const char *file)
{
    for (size_t i = 0; i < G_N_ELEMENTS(framework_files); i++) {
        if (strstr(file, framework_files[i])) {
            return true;
        }
    }
    /* libc's and the sanitizers' own entry points */
    return g_str_has_prefix(func, "__") || !strcmp(func, "_start") || !strcmp(func, "abort") ||
           !strcmp(func, "raise");
}

/*
 * "/b/build/../hw/uart.c:12:5" -> "hw/uart.c:12": the path below the source
 * tree (after the last "../", as a build directory's compiler names it), else
 * the file with its directory; no column.
 */
static char *short_location(const char *loc)
{
    char **parts = g_strsplit(loc, ":", -1);
    guint n = g_strv_length(parts);
    const char *path = parts[0];
    const char *up = g_strrstr(path, "../");
    const char *slash = strrchr(path, '/');
    char *out;

    if (up) {
        path = up + 3;
    } else if (slash && slash > path) {
        const char *prev = slash - 1;
        while (prev > path && *prev != '/') {
            prev--;
        }
        path = *prev == '/' ? prev + 1 : prev;
    }
    out = n >= 2 ? g_strdup_printf("%s:%s", path, parts[1]) : g_strdup(path);
    g_strfreev(parts);
    return out;
}

/* Numbers (hex and decimal) replaced by N: one signature for one crash site. */
static char *normalize_numbers(const char *text)
{
    GRegex *re = g_regex_new("0x[0-9a-fA-F]+|[0-9]+", 0, 0, NULL);
    char *out = g_regex_replace_literal(re, text, -1, 0, "N", 0, NULL);

    g_regex_unref(re);
    return out;
}

/* The first stack after line index from: its top three frames outside the framework. */
static char *stack_signature(char **lines, guint from)
{
    GRegex *frame = g_regex_new("^\\s*#[0-9]+ 0x[0-9a-fA-F]+ in (\\S+) (\\S+)", 0, 0, NULL);
    GString *sig = g_string_new(NULL);
    bool in_stack = false;
    unsigned kept = 0;

    for (guint i = from; lines[i] && kept < 3; i++) {
        GMatchInfo *m;
        if (!g_regex_match(frame, lines[i], 0, &m)) {
            g_match_info_free(m);
            if (in_stack) {
                break; /* the first stack ended */
            }
            continue;
        }
        in_stack = true;
        char *func = g_match_info_fetch(m, 1);
        char *file = g_match_info_fetch(m, 2);
        if (!framework_frame(func, file)) {
            char *loc = short_location(file);
            g_string_append_printf(sig, "%s%s %s", kept ? " < " : "", func, loc);
            g_free(loc);
            kept++;
        }
        g_free(func);
        g_free(file);
        g_match_info_free(m);
    }
    g_regex_unref(frame);
    return g_string_free(sig, !sig->len);
}

void fuzz_crash_clear(FuzzCrash *c)
{
    g_free(c->kind);
    g_free(c->signature);
    g_free(c->message);
    memset(c, 0, sizeof(*c));
}

void fuzz_crash_classify(FuzzCrash *c, int wait_status, const char *err)
{
    char **lines = g_strsplit(err ? err : "", "\n", -1);
    GRegex *san = g_regex_new("ERROR: (\\w*Sanitizer): ([\\w-]+)", 0, 0, NULL);
    GRegex *ubsan = g_regex_new("^(\\S+:[0-9]+):[0-9]+: runtime error: (.*)$", 0, 0, NULL);
    GRegex *tern = g_regex_new("^tern: ERROR:([^:]*):[0-9]+:([^:]*): (.*)$", 0, 0, NULL);

    memset(c, 0, sizeof(*c));
    for (guint i = 0; lines[i] && !c->kind; i++) {
        GMatchInfo *m;
        if (g_regex_match(san, lines[i], 0, &m)) {
            char *tool = g_match_info_fetch(m, 1), *what = g_match_info_fetch(m, 2);
            c->kind = g_strdup_printf("%s: %s", tool, what);
            c->message = g_strdup(g_strstrip(lines[i]));
            c->signature = stack_signature(lines, i + 1);
            g_free(tool);
            g_free(what);
        } else {
            g_match_info_free(m);
            if (g_regex_match(ubsan, lines[i], 0, &m)) {
                char *loc = g_match_info_fetch(m, 1), *what = g_match_info_fetch(m, 2);
                char *norm = normalize_numbers(what);
                c->kind = g_strdup("UndefinedBehaviorSanitizer: runtime error");
                c->message = g_strdup(lines[i]);
                c->signature = stack_signature(lines, i + 1);
                if (!c->signature) {
                    char *l = short_location(loc);
                    c->signature = g_strdup_printf("%s: %s", l, norm);
                    g_free(l);
                }
                g_free(loc);
                g_free(what);
                g_free(norm);
            } else {
                g_match_info_free(m);
                if (g_regex_match(tern, lines[i], 0, &m)) {
                    char *file = g_match_info_fetch(m, 1), *func = g_match_info_fetch(m, 2);
                    char *what = g_match_info_fetch(m, 3);
                    char *norm = normalize_numbers(what);
                    char *where = short_location(file);
                    c->kind = g_strdup(g_str_has_prefix(what, "hang:") ? "hang" : "failed check");
                    c->message = g_strdup(lines[i]);
                    /* file and function, not the line: an edit elsewhere keeps the signature */
                    c->signature = g_strdup_printf("%s:%s: %s", where, func, norm);
                    g_free(where);
                    g_free(file);
                    g_free(func);
                    g_free(what);
                    g_free(norm);
                }
            }
        }
        g_match_info_free(m);
    }
    if (!c->kind && WIFSIGNALED(wait_status)) {
        c->kind = g_strdup_printf("signal %d (%s)", WTERMSIG(wait_status),
                                  g_strsignal(WTERMSIG(wait_status)));
    } else if (!c->kind && WIFEXITED(wait_status) && WEXITSTATUS(wait_status)) {
        c->kind = g_strdup_printf("exit status %d", WEXITSTATUS(wait_status));
    }
    c->crashed = c->kind != NULL;
    if (c->crashed && !c->message) {
        c->message = g_strdup(c->kind);
    }
    if (c->crashed && !c->signature) {
        /* No frames (a build without a symbolizer, a plain signal): the kind is all we know. */
        c->signature = g_strdup(c->kind);
    }
    g_regex_unref(san);
    g_regex_unref(ubsan);
    g_regex_unref(tern);
    g_strfreev(lines);
}

char *fuzz_crash_hash(const FuzzCrash *c)
{
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, c->signature, -1);

    sum[12] = '\0';
    return sum;
}

/* ---- the child ------------------------------------------------------------------------------- */

/*
 * One trace line to the parent: "Q request" then "R reply"; qtest lines
 * hold no newline.  Written whole (the parent may read slowly); a broken
 * pipe is the parent's problem.
 */
static void child_sink(const char *request, const char *reply, void *opaque)
{
    int fd = *(int *)opaque;
    char *text = reply ? g_strdup_printf("Q %s\nR %s\n", request, reply)
                       : g_strdup_printf("Q %s\n", request);

    write_full(fd, text, strlen(text));
    g_free(text);
}

static void G_GNUC_NORETURN child_main(FuzzTarget *t, const uint8_t *data, size_t size, int fd)
{
    Error *err = NULL;
    char *line;
    int status = 0;

    if (!fuzz_start(t, &err)) {
        line = g_strdup_printf("E %s\n", error_get_pretty(err));
        write_full(fd, line, strlen(line));
        fflush(NULL);
        _exit(2);
    }
    line = g_strdup_printf("A %s\n", fuzz_target_args() ? fuzz_target_args() : "");
    write_full(fd, line, strlen(line));
    g_free(line);
    /* Serialized, so that a QTEST_LOG shows every access; recorded from the first line on. */
    fuzz_set_serialize(true);
    fuzz_trace_set_recording(true);
    fuzz_trace_set_sink(child_sink, &fd);
    fuzz_run_or_crash(data, size); /* a hang or failed check aborts in there */
    fuzz_stop();
#ifdef FUZZ_LSAN
    /* libFuzzer reports leaks as crashes: so does the reproduction. */
    if (__lsan_do_recoverable_leak_check()) {
        status = 1;
    }
#endif
    fflush(NULL);
    _exit(status);
}

/* ---- the parent ------------------------------------------------------------------------------ */

static void parse_trace_lines(FuzzReproduction *r, GString *pending, Error **child_err)
{
    char *nl;

    while ((nl = memchr(pending->str, '\n', pending->len))) {
        size_t len = (size_t)(nl - pending->str);
        char *line = g_strndup(pending->str, len);
        const char *text = len >= 2 ? line + 2 : "";
        switch (line[0]) {
        case 'A':
            g_free(r->args);
            r->args = g_strdup(text);
            break;
        case 'Q':
            g_string_append_printf(r->trace, "%s\n", text);
            g_string_append_printf(r->replies, "%s\n", text);
            break;
        case 'R':
            g_string_append_printf(r->replies, "%s\n", text);
            break;
        case 'E':
            error_setg(child_err, "%s", text);
            break;
        }
        g_free(line);
        g_string_erase(pending, 0, (gssize)len + 1);
    }
}

/* Reads the trace and stderr pipes to their ends, or until the deadline; false on timeout. */
static bool collect(FuzzReproduction *r, int trace_fd, int err_fd, unsigned timeout_s,
                    Error **child_err)
{
    struct pollfd fds[2] = {{.fd = trace_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
    GString *pending = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    char buf[65536];
    bool ok = true;

    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int n;
        if (left <= 0) {
            ok = false;
            break;
        }
        n = poll(fds, 2, (int)MIN(left, INT32_MAX));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            ok = false;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            ssize_t got = read(fds[i].fd, buf, sizeof(buf));
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                continue;
            }
            if (i == 0) {
                g_string_append_len(pending, buf, got);
                parse_trace_lines(r, pending, child_err);
            } else {
                g_string_append_len(r->err, buf, got);
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        if (fds[i].fd >= 0) {
            close(fds[i].fd);
        }
    }
    /* A line cut by the crash mid-write is dropped: the rest of the trace stands. */
    g_string_free(pending, TRUE);
    return ok;
}

void fuzz_reproduction_clear(FuzzReproduction *r)
{
    fuzz_crash_clear(&r->crash);
    g_free(r->args);
    if (r->trace) {
        g_string_free(r->trace, TRUE);
        g_string_free(r->replies, TRUE);
        g_string_free(r->err, TRUE);
    }
    g_free(r->dir);
    memset(r, 0, sizeof(*r));
}

/* The report: kind, signature, replay command line, reproducer, and the child's stderr. */
static void write_report(FILE *out, FuzzTarget *t, const char *input_name, FuzzReproduction *r)
{
    char *hash = fuzz_crash_hash(&r->crash);
    char *why = g_strdup_printf("%s: %s", r->crash.kind, r->crash.message);

    fprintf(out, "tern-fuzz: %s: %s reproduced a crash: %s\n", t->name, input_name, r->crash.kind);
    fprintf(out, "signature: %s\n", r->crash.signature);
    fprintf(out, "signature hash: %s\n", hash);
    fprintf(out, "replay on: ");
    fuzz_format_reproducer(out, FUZZ_REPRO_CMDLINE, t->name, why, r->args, r->trace->str);
    fuzz_format_reproducer(out, FUZZ_REPRO_ALL, t->name, why, r->args, r->trace->str);
    fprintf(out, "==== the crashed run's stderr ====\n%s", r->err->str);
    if (r->err->len && r->err->str[r->err->len - 1] != '\n') {
        fputc('\n', out);
    }
    fprintf(out, "==== end of stderr ====\n");
    g_free(why);
    g_free(hash);
}

static bool save_file(const char *dir, const char *name, const void *data, gssize len, int mode,
                      Error **errp)
{
    char *path = g_build_filename(dir, name, NULL);
    GError *gerr = NULL;
    bool ok = g_file_set_contents(path, data, len, &gerr);

    if (!ok) {
        error_setg(errp, "%s", gerr->message);
        g_error_free(gerr);
    } else if (mode && chmod(path, mode) < 0) {
        error_setg_errno(errp, errno, "%s", path);
        ok = false;
    }
    g_free(path);
    return ok;
}

/* One part of the reproducer as a string (the runner's formatter writes to a FILE). */
static char *format_part(unsigned part, FuzzTarget *t, const char *why, FuzzReproduction *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f) {
        return g_strdup("");
    }
    if (part == FUZZ_REPRO_BASH) {
        fprintf(f, "#!/bin/bash\n# %s\n", why);
    }
    fuzz_format_reproducer(f, part, t->name, why, r->args, r->trace->str);
    fclose(f);
    return text;
}

static bool save_crash(const char *out_dir, FuzzTarget *t, const uint8_t *data, size_t size,
                       const char *input_name, FuzzReproduction *r, Error **errp)
{
    char *hash = fuzz_crash_hash(&r->crash);
    char *name = g_strdup_printf("%s-%s", t->name, hash);
    char *why = g_strdup_printf("%s: %s", r->crash.kind, r->crash.message);
    char *input_path, *report = NULL, *parts[3];
    size_t report_len = 0;
    FILE *f;
    bool ok = true;

    r->dir = g_build_filename(out_dir, name, NULL);
    g_free(name);
    g_free(hash);
    if (g_mkdir_with_parents(r->dir, 0755) < 0) {
        error_setg_errno(errp, errno, "cannot make %s", r->dir);
        g_free(why);
        return false;
    }
    input_path = g_build_filename(r->dir, "input", NULL);
    r->duplicate = g_file_test(input_path, G_FILE_TEST_EXISTS);
    g_free(input_path);
    if (r->duplicate) {
        /* Same signature, same bug: keep the first reproducer, note this input beside it. */
        char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1, data, size);
        char *dup = g_strdup_printf("input-%.12s", sum);
        char *list = g_build_filename(r->dir, "duplicates.txt", NULL);
        ok = save_file(r->dir, dup, data, (gssize)size, 0, errp);
        f = ok ? fopen(list, "a") : NULL;
        if (f) {
            fprintf(f, "%s\t%s\n", dup, input_name);
            fclose(f);
        } else if (ok) {
            error_setg_errno(errp, errno, "%s", list);
            ok = false;
        }
        g_free(list);
        g_free(dup);
        g_free(sum);
        g_free(why);
        return ok;
    }
    parts[0] = format_part(FUZZ_REPRO_CMDLINE, t, why, r);
    parts[1] = format_part(FUZZ_REPRO_BASH, t, why, r);
    parts[2] = format_part(FUZZ_REPRO_CTEST, t, why, r);
    f = open_memstream(&report, &report_len);
    if (f) {
        write_report(f, t, input_name, r);
        fclose(f);
    }
    ok = save_file(r->dir, "input", data, (gssize)size, 0, errp) &&
         save_file(r->dir, "trace", r->trace->str, (gssize)r->trace->len, 0, errp) &&
         save_file(r->dir, "cmdline", parts[0], -1, 0, errp) &&
         save_file(r->dir, "repro.sh", parts[1], -1, 0755, errp) &&
         save_file(r->dir, "repro-test.c", parts[2], -1, 0, errp) &&
         save_file(r->dir, "report.txt", report ? report : "", -1, 0, errp);
    for (int i = 0; i < 3; i++) {
        free(parts[i]);
    }
    free(report);
    g_free(why);
    return ok;
}

int fuzz_reproduce(FuzzTarget *t, const uint8_t *data, size_t size, const char *input_name,
                   const char *out_dir, unsigned timeout_s, FILE *out, FuzzReproduction *r,
                   Error **errp)
{
    int trace_pipe[2], err_pipe[2], status = 0;
    Error *child_err = NULL;
    bool finished;
    pid_t pid;

    memset(r, 0, sizeof(*r));
    r->trace = g_string_new(NULL);
    r->replies = g_string_new(NULL);
    r->err = g_string_new(NULL);
    r->args = g_strdup("");
    if (fuzz_current_target()) {
        error_setg(errp, "--reproduce: fuzz target '%s' is running in this process",
                   fuzz_current_target()->name);
        return 2;
    }
    if (pipe(trace_pipe) < 0) {
        error_setg_errno(errp, errno, "pipe");
        return 2;
    }
    if (pipe(err_pipe) < 0) {
        error_setg_errno(errp, errno, "pipe");
        close(trace_pipe[0]);
        close(trace_pipe[1]);
        return 2;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        error_setg_errno(errp, errno, "fork");
        close(trace_pipe[0]);
        close(trace_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        return 2;
    }
    if (pid == 0) {
        close(trace_pipe[0]);
        close(err_pipe[0]);
        dup2(err_pipe[1], 2);
        close(err_pipe[1]);
        signal(SIGABRT, SIG_DFL);
        child_main(t, data, size, trace_pipe[1]);
    }
    close(trace_pipe[1]);
    close(err_pipe[1]);
    finished = collect(r, trace_pipe[0], err_pipe[0], timeout_s, &child_err);
    if (!finished) {
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (child_err) {
        error_propagate(errp, child_err);
        return 2;
    }
    if (!finished) {
        r->crash.crashed = true;
        r->crash.kind = g_strdup("timeout");
        r->crash.message =
            g_strdup_printf("still running after %u s of wall time (killed)", timeout_s);
        r->crash.signature = g_strdup("timeout");
    } else {
        fuzz_crash_classify(&r->crash, status, r->err->str);
    }
    if (!r->crash.crashed) {
        if (out) {
            fprintf(out, "tern-fuzz: %s: %s ran clean (no crash, hang or failed check)\n", t->name,
                    input_name);
        }
        return 1;
    }
    if (out_dir && !save_crash(out_dir, t, data, size, input_name, r, errp)) {
        return 2;
    }
    if (out) {
        write_report(out, t, input_name, r);
        if (r->dir) {
            fprintf(out, "tern-fuzz: %s %s\n", r->duplicate ? "a duplicate, noted in" : "saved in",
                    r->dir);
        }
    }
    return 0;
}

/* The value of --NAME VALUE or --NAME=VALUE, or NULL. */
static const char *option_value(int argc, char **argv, const char *name, bool *given)
{
    size_t n = strlen(name);

    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], name, n) && argv[i][n] == '=') {
            *given = true;
            return argv[i] + n + 1;
        }
        if (!strcmp(argv[i], name)) {
            *given = true;
            return i + 1 < argc ? argv[i + 1] : NULL;
        }
    }
    return NULL;
}

bool fuzz_reproduce_command(FuzzTarget *t, int argc, char **argv, int *status)
{
    bool given = false, out_given = false;
    const char *path = option_value(argc, argv, "--reproduce", &given);
    const char *out_dir = option_value(argc, argv, "--out", &out_given);
    FuzzReproduction r;
    GError *gerr = NULL;
    Error *err = NULL;
    char *data;
    gsize len;

    if (!given) {
        return false;
    }
    if (!path || (out_given && !out_dir)) {
        fprintf(stderr, "tern-fuzz: usage: --fuzz-target=T --reproduce CRASH-FILE [--out DIR]\n");
        *status = 2;
        return true;
    }
    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        fprintf(stderr, "tern-fuzz: %s\n", gerr->message);
        g_error_free(gerr);
        *status = 2;
        return true;
    }
    *status = fuzz_reproduce(t, (const uint8_t *)data, len, path, out_dir, 600, stdout, &r, &err);
    if (err) {
        fprintf(stderr, "tern-fuzz: %s\n", error_get_pretty(err));
        error_free(err);
    }
    fuzz_reproduction_clear(&r);
    g_free(data);
    return true;
}
