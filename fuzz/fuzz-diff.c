/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-diff.c - the differential mode: inputs run on Tern with the trace
 * recorded (no clock commands), the same requests sent to QEMU over
 * -qtest stdio one at a time, replies compared, and deliberate differences
 * filtered by region rules.  docs/fuzzing.md describes the rule file.
 */
#include "fuzz/fuzz-diff.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/memory.h"
#include "fuzz/fuzz-cli.h"

/* ---- rules ----------------------------------------------------------------------------------- */

static void rule_free(gpointer p)
{
    FuzzDiffRule *r = p;

    g_free(r->commands);
    g_free(r->region);
    g_free(r->reason);
    g_free(r);
}

/* "LO-HI", each a number in C syntax. */
static bool parse_range(const char *text, uint64_t *lo, uint64_t *hi)
{
    char *end;

    *lo = g_ascii_strtoull(text, &end, 0);
    if (end == text || *end != '-') {
        return false;
    }
    text = end + 1;
    *hi = g_ascii_strtoull(text, &end, 0);
    return end != text && !*end && *lo <= *hi;
}

static bool parse_where(FuzzDiffRule *r, const char *where)
{
    if (g_str_has_prefix(where, "addr=")) {
        return parse_range(where + 5, &r->lo, &r->hi);
    }
    if (g_str_has_prefix(where, "region=")) {
        const char *at = strchr(where, '@');
        r->lo = 0;
        r->hi = UINT64_MAX;
        r->region = at ? g_strndup(where + 7, (gsize)(at - where - 7)) : g_strdup(where + 7);
        return *r->region && (!at || parse_range(at + 1, &r->lo, &r->hi));
    }
    return false;
}

GPtrArray *fuzz_diff_rules_parse(const char *text, const char *name, Error **errp)
{
    GPtrArray *rules = g_ptr_array_new_with_free_func(rule_free);
    char **lines = g_strsplit(text, "\n", -1);

    for (guint i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        char **w;
        FuzzDiffRule *r;
        if (!*line || *line == '#') {
            continue;
        }
        w = g_strsplit_set(line, " \t", 4);
        r = g_new0(FuzzDiffRule, 1);
        r->line = i + 1;
        if (g_strv_length(w) < 4 || !*w[0] || !parse_where(r, w[1]) ||
            (strcmp(w[2], "reply") && strcmp(w[2], "end")) || !*g_strstrip(w[3])) {
            error_setg(errp,
                       "%s:%u: a rule is COMMANDS region=GLOB[@LO-HI]|addr=LO-HI reply|end "
                       "REASON (words separated by one space or tab)",
                       name, i + 1);
            rule_free(r);
            g_strfreev(w);
            g_strfreev(lines);
            g_ptr_array_unref(rules);
            return NULL;
        }
        r->commands = g_strdup(w[0]);
        r->action = strcmp(w[2], "end") ? FUZZ_DIFF_REPLY : FUZZ_DIFF_END;
        r->reason = g_strdup(w[3]);
        g_ptr_array_add(rules, r);
        g_strfreev(w);
    }
    g_strfreev(lines);
    return rules;
}

GPtrArray *fuzz_diff_rules_load(const char *path, Error **errp)
{
    GError *gerr = NULL;
    GPtrArray *rules;
    char *text;

    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        error_setg(errp, "%s", gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    rules = fuzz_diff_rules_parse(text, path, errp);
    g_free(text);
    return rules;
}

const FuzzDiffRule *fuzz_diff_rules_match(GPtrArray *rules, const char *request, const char *region,
                                          uint64_t offset)
{
    char **w = g_strsplit(request, " ", 3);
    const FuzzDiffRule *found = NULL;
    uint64_t addr = w[0] && w[1] ? g_ascii_strtoull(w[1], NULL, 0) : 0;

    for (guint i = 0; w[0] && w[1] && rules && i < rules->len && !found; i++) {
        const FuzzDiffRule *r = rules->pdata[i];
        uint64_t at = r->region ? offset : addr;
        if (!g_pattern_match_simple(r->commands, w[0])) {
            continue;
        }
        if (r->region && !g_pattern_match_simple(r->region, region ? region : "(none)")) {
            continue;
        }
        if (at >= r->lo && at <= r->hi) {
            found = r;
        }
    }
    g_strfreev(w);
    return found;
}

/* ---- QEMU's side ----------------------------------------------------------------------------- */

/* "-machine accel=qtest,x=y" -> "x=y"; NULL when nothing is left. */
static char *drop_accel(const char *value)
{
    char **items = g_strsplit(value, ",", -1);
    GString *kept = g_string_new(NULL);

    for (char **i = items; *i; i++) {
        if (**i && !g_str_has_prefix(*i, "accel=")) {
            g_string_append_printf(kept, "%s%s", kept->len ? "," : "", *i);
        }
    }
    g_strfreev(items);
    return g_string_free(kept, !kept->len);
}

GPtrArray *fuzz_diff_qemu_argv(const char *qemu, const char *target_args, Error **errp)
{
    /* The oracle's line (tests/diff/run-diff.py): no hart runs, no clock moves. */
    static const char *const common[] = {"-M",          "virt",     "-bios", "none",
                                         "-nodefaults", "-display", "none"};
    static const char *const server[] = {"-S", "-qtest", "stdio", "-qtest-log", "none"};
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    GError *gerr = NULL;
    char **args = NULL;
    int argc = 0;
    bool rtc = false;

    if (target_args && *target_args && !g_shell_parse_argv(target_args, &argc, &args, &gerr)) {
        error_setg(errp, "the target's arguments cannot be split: %s", gerr->message);
        g_error_free(gerr);
        g_ptr_array_unref(argv);
        return NULL;
    }
    g_ptr_array_add(argv, g_strdup(qemu));
    for (size_t i = 0; i < G_N_ELEMENTS(common); i++) {
        g_ptr_array_add(argv, g_strdup(common[i]));
    }
    for (int i = 0; i < argc; i++) {
        const char *a = args[i];
        if ((!strcmp(a, "-accel") || !strcmp(a, "--accel")) && i + 1 < argc) {
            i++; /* Debian's QEMU has no qtest accelerator; -qtest alone drives it */
            continue;
        }
        if ((!strcmp(a, "-machine") || !strcmp(a, "-M")) && i + 1 < argc) {
            char *v = drop_accel(args[++i]);
            if (v) {
                g_ptr_array_add(argv, g_strdup(a));
                g_ptr_array_add(argv, v);
            }
            continue;
        }
        rtc |= !strcmp(a, "-rtc");
        g_ptr_array_add(argv, g_strdup(a));
    }
    if (!rtc) {
        /* The RTC reads the virtual clock from a fixed base, as the fuzz targets' does. */
        g_ptr_array_add(argv, g_strdup("-rtc"));
        g_ptr_array_add(argv, g_strdup("base=2000-01-01T00:00:00,clock=vm"));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(server); i++) {
        g_ptr_array_add(argv, g_strdup(server[i]));
    }
    g_ptr_array_add(argv, NULL);
    g_strfreev(args);
    return argv;
}

typedef struct Oracle {
    GPid pid;
    int in, out, err;
    GString *buf;    /* read but not yet returned */
    GString *errors; /* its stderr: why it ended, when it ends early */
    gint64 deadline;
} Oracle;

static bool oracle_start(Oracle *o, GPtrArray *argv, unsigned timeout_s, Error **errp)
{
    GError *gerr = NULL;

    memset(o, 0, sizeof(*o));
    o->err = -1;
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                  &o->pid, &o->in, &o->out, &o->err, &gerr)) {
        error_setg(errp, "cannot run %s: %s", (char *)argv->pdata[0], gerr->message);
        g_error_free(gerr);
        return false;
    }
    o->buf = g_string_new(NULL);
    o->errors = g_string_new(NULL);
    o->deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    return true;
}

/* QEMU ended: what it said on stderr (it has exited, so the pipe ends soon). */
static void oracle_drain_errors(Oracle *o)
{
    char chunk[4096];
    ssize_t n;

    while (o->err >= 0 && o->errors->len < 65536 &&
           ((n = read(o->err, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))) {
        if (n > 0) {
            g_string_append_len(o->errors, chunk, n);
        }
    }
}

/* One reply line (IRQ lines skipped: Tern's trace has none); NULL when QEMU ended or timed out. */
static char *oracle_ask(Oracle *o, const char *request, bool *timed_out)
{
    char *line = g_strdup_printf("%s\n", request);
    size_t len = strlen(line), done = 0;

    *timed_out = false;
    while (done < len) {
        ssize_t n = write(o->in, line + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            g_free(line);
            oracle_drain_errors(o);
            return NULL; /* QEMU is gone (EPIPE: SIGPIPE is ignored meanwhile) */
        }
        done += (size_t)n;
    }
    g_free(line);
    for (;;) {
        char *nl = memchr(o->buf->str, '\n', o->buf->len);
        char chunk[4096];
        struct pollfd p[2] = {{.fd = o->out, .events = POLLIN}, {.fd = o->err, .events = POLLIN}};
        gint64 left;
        ssize_t n;
        if (nl) {
            char *reply = g_strndup(o->buf->str, (gsize)(nl - o->buf->str));
            g_string_erase(o->buf, 0, nl - o->buf->str + 1);
            if (g_str_has_prefix(reply, "IRQ ")) {
                g_free(reply);
                continue;
            }
            return reply;
        }
        left = (o->deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0) {
            *timed_out = true;
            return NULL;
        }
        if (poll(p, o->err >= 0 ? 2 : 1, (int)MIN(left, INT32_MAX)) <= 0) {
            continue;
        }
        if (o->err >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
            /* QEMU's complaints: read as they come, so its pipe never fills */
            n = read(o->err, chunk, sizeof(chunk));
            if (n > 0) {
                g_string_append_len(o->errors, chunk, n);
            } else if (n == 0) {
                close(o->err);
                o->err = -1;
            }
        }
        if (!(p[0].revents & (POLLIN | POLLHUP))) {
            continue;
        }
        n = read(o->out, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            oracle_drain_errors(o);
            return NULL;
        }
        g_string_append_len(o->buf, chunk, n);
    }
}

/* Stops QEMU (it keeps running at EOF, as Tern does); returns how it ended. */
static int oracle_stop(Oracle *o)
{
    int status = 0;

    close(o->in);
    close(o->out);
    if (o->err >= 0) {
        close(o->err);
    }
    kill(o->pid, SIGKILL);
    while (waitpid(o->pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_spawn_close_pid(o->pid);
    g_string_free(o->buf, TRUE);
    g_string_free(o->errors, TRUE);
    return status;
}

/* ---- one input ------------------------------------------------------------------------------- */

typedef struct Exchange {
    char *request;
    char *reply; /* Tern's */
} Exchange;

static void exchange_free(gpointer p)
{
    Exchange *e = p;

    g_free(e->request);
    g_free(e->reply);
    g_free(e);
}

static void diff_sink(const char *request, const char *reply, void *opaque)
{
    Exchange *e = g_new0(Exchange, 1);

    e->request = g_strdup(request);
    e->reply = g_strdup(reply ? reply : "");
    g_ptr_array_add(opaque, e);
}

/* Tern's memory region at a request's address, and the offset in it. */
static const char *region_at(const char *request, uint64_t *offset)
{
    char **w = g_strsplit(request, " ", 3);
    const FlatRange *fr = NULL;

    *offset = 0;
    if (w[0] && w[1]) {
        uint64_t addr = g_ascii_strtoull(w[1], NULL, 0);
        fr = address_space_lookup(address_space_memory(), addr);
        if (fr) {
            *offset = fr->offset + (addr - fr->start);
        }
    }
    g_strfreev(w);
    return fr ? memory_region_name(fr->mr) : NULL;
}

static void print_trace(FILE *out, GPtrArray *ex)
{
    fprintf(out, "# the trace (requests, each with Tern's reply after '# => '):\n");
    for (guint i = 0; i < ex->len; i++) {
        Exchange *e = ex->pdata[i];
        fprintf(out, "%s\n# => %s\n", e->request, e->reply);
    }
}

/* Compares one input's exchanges with QEMU; 1 on an undocumented difference, 2 on an error. */
static int diff_exchanges(const char *input, GPtrArray *ex, GPtrArray *qargv, GPtrArray *rules,
                          unsigned timeout_s, FILE *out, FuzzDiffStats *st, Error **errp)
{
    Oracle o;
    int result = 0, status;

    if (!oracle_start(&o, qargv, timeout_s, errp)) {
        return 2;
    }
    for (guint i = 0; i < ex->len; i++) {
        Exchange *e = ex->pdata[i];
        bool timed_out;
        char *q = oracle_ask(&o, e->request, &timed_out);
        uint64_t offset;
        const char *region = region_at(e->request, &offset);
        const FuzzDiffRule *rule;

        if (q && !strcmp(q, e->reply)) {
            st->requests++;
            g_free(q);
            continue;
        }
        rule = fuzz_diff_rules_match(rules, e->request, region, offset);
        if (!q && rule && rule->action == FUZZ_DIFF_END && !timed_out) {
            fprintf(out, "# %s: QEMU ended at trace line %u '%s' (rule line %u: %s)\n", input,
                    i + 1, e->request, rule->line, rule->reason);
            st->ended++;
            break;
        }
        if (q && rule) {
            fprintf(out,
                    "# %s: trace line %u '%s': tern '%s', qemu '%s' (documented: rule line %u)\n",
                    input, i + 1, e->request, e->reply, q, rule->line);
            st->requests++;
            st->documented++;
            g_free(q);
            continue;
        }
        fprintf(out, "tern-fuzz: --diff: %s: trace line %u differs\n", input, i + 1);
        fprintf(out, "  request: %s\n  region:  %s+0x%" G_GINT64_MODIFIER "x\n", e->request,
                region ? region : "(none)", offset);
        fprintf(out, "  tern:    %s\n  qemu:    %s%s%s\n", e->reply,
                q           ? q
                : timed_out ? "(no reply: timed out)"
                            : "(no reply: QEMU ended)",
                !q && o.errors->len ? " " : "", !q ? g_strchomp(o.errors->str) : "");
        print_trace(out, ex);
        st->differing++;
        result = 1;
        g_free(q);
        break;
    }
    status = oracle_stop(&o);
    (void)status;
    return result;
}

int fuzz_diff_run(const char *qemu, GPtrArray *rules, char **inputs, unsigned timeout_s, FILE *out,
                  FuzzDiffStats *st, Error **errp)
{
    GPtrArray *files = fuzz_cli_input_files(inputs);
    GPtrArray *qargv = fuzz_diff_qemu_argv(qemu, fuzz_target_args(), errp);
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    int result = 0;

    memset(st, 0, sizeof(*st));
    if (!qargv) {
        g_ptr_array_unref(files);
        signal(SIGPIPE, old_pipe);
        return 2;
    }
    fuzz_set_clock_enabled(false);
    fuzz_trace_set_recording(true);
    for (guint i = 0; i < files->len && result < 2; i++) {
        const char *path = files->pdata[i];
        GPtrArray *ex = g_ptr_array_new_with_free_func(exchange_free);
        GError *gerr = NULL;
        Error *err = NULL;
        char *data;
        gsize len;
        int r;

        if (!g_file_get_contents(path, &data, &len, &gerr)) {
            error_setg(errp, "%s", gerr->message);
            g_error_free(gerr);
            g_ptr_array_unref(ex);
            result = 2;
            break;
        }
        fuzz_trace_set_sink(diff_sink, ex);
        if (fuzz_run((const uint8_t *)data, len, &err) != FUZZ_RUN_OK) {
            /* Compared all the same: the requests made before it are a trace too. */
            fprintf(out, "# %s: on Tern: %s\n", path, error_get_pretty(err));
            error_free(err);
        }
        fuzz_trace_set_sink(NULL, NULL);
        st->inputs++;
        r = diff_exchanges(path, ex, qargv, rules, timeout_s, out, st, errp);
        result = MAX(result, r);
        g_ptr_array_unref(ex);
        g_free(data);
    }
    fuzz_trace_set_recording(false);
    fuzz_set_clock_enabled(true);
    signal(SIGPIPE, old_pipe);
    g_ptr_array_unref(qargv);
    g_ptr_array_unref(files);
    return result;
}

/* The rule file: --diff-rules FILE, $TERN_FUZZ_DIFF_RULES, else the source tree's beside the build.
 */
static char *rules_path(int argc, char **argv)
{
    static const char *const guesses[] = {"fuzz/diff-rules.txt", "../fuzz/diff-rules.txt"};
    char *dir = g_path_get_dirname(argv[0]);

    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--diff-rules")) {
            g_free(dir);
            return g_strdup(argv[i + 1]);
        }
    }
    if (getenv("TERN_FUZZ_DIFF_RULES")) {
        g_free(dir);
        return g_strdup(getenv("TERN_FUZZ_DIFF_RULES"));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(guesses); i++) {
        char *p = g_build_filename(dir, guesses[i], NULL);
        if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
            g_free(dir);
            return p;
        }
        g_free(p);
    }
    g_free(dir);
    return NULL;
}

bool fuzz_diff_command(FuzzTarget *t, int argc, char **argv, int *status)
{
    const char *qemu = NULL;
    GPtrArray *inputs = g_ptr_array_new();
    GPtrArray *rules = NULL;
    Error *err = NULL;
    FuzzDiffStats st;
    char *rpath;
    bool given = false;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--diff") || !strcmp(argv[i], "--diff-rules")) {
            given |= !strcmp(argv[i], "--diff");
            if (i + 1 < argc && !strcmp(argv[i], "--diff")) {
                qemu = argv[i + 1];
            }
            i++;
        } else if (argv[i][0] != '-') {
            g_ptr_array_add(inputs, argv[i]);
        }
    }
    if (!given) {
        g_ptr_array_free(inputs, TRUE);
        return false;
    }
    g_ptr_array_add(inputs, NULL);
    *status = 2;
    rpath = rules_path(argc, argv);
    if (!qemu || inputs->len < 2) {
        fprintf(stderr, "tern-fuzz: usage: --fuzz-target=T --diff QEMU-BINARY [--diff-rules FILE] "
                        "INPUT...\n");
    } else if (!rpath) {
        fprintf(stderr, "tern-fuzz: --diff: no rule file (give --diff-rules FILE, or set "
                        "TERN_FUZZ_DIFF_RULES to the source tree's fuzz/diff-rules.txt)\n");
    } else if (!(rules = fuzz_diff_rules_load(rpath, &err)) || !fuzz_start(t, &err)) {
        fprintf(stderr, "tern-fuzz: %s\n", error_get_pretty(err));
        error_free(err);
    } else {
        *status = fuzz_diff_run(qemu, rules, (char **)inputs->pdata, 60, stdout, &st, &err);
        if (err) {
            fprintf(stderr, "tern-fuzz: --diff: %s\n", error_get_pretty(err));
            error_free(err);
        }
        printf("tern-fuzz: --diff: %s: %u inputs, %u replies compared, %u documented differences, "
               "%u inputs ended by QEMU as documented, %u with an undocumented difference\n",
               t->name, st.inputs, st.requests, st.documented, st.ended, st.differing);
        fuzz_stop();
    }
    if (rules) {
        g_ptr_array_unref(rules);
    }
    g_free(rpath);
    g_ptr_array_free(inputs, TRUE);
    return true;
}
