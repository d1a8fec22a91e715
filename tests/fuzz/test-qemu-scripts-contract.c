/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qemu-scripts-contract.c - the shapes QEMU's oss-fuzz scripts rely on
 * (../shared/spec/fuzzing.md §9; the scripts are not in the tree), checked
 * on a log recorded the documented way:
 *   QTEST_LOG=1 FUZZ_SERIALIZE_QTEST=1 tern-fuzz --fuzz-target=T input 2>log
 * "Starting riscv64 with Arguments: ..." on stdout, "[R +t]" request lines
 * and no "[S +t]" lines, "[DMA]" on the fill's own request line; the
 * reorder rule (restated here from the spec) turns the log into a trace
 * that tern-system-riscv64 with those arguments answers as the fuzzer's
 * run did, also with the minimizer's "-monitor none -serial none"; a clean
 * replay logs CLOSED at EOF; and the minimizer's crash token (the first
 * three words of the second-to-last output line) is Tern's crash line.
 *
 * With --fuzz-target= this program is a tern-fuzz of its own test target
 * (tests/fuzz/repro-targets.c), which can hang on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tests/fuzz/repro-targets.h"

static char *self; /* this program, as a tern-fuzz of the test target */

/* ---- helpers ------------------------------------------------------------------------------------
 */

/* Runs argv with extra environment (NAME=VALUE, NULL-ended); stdout and stderr in full. */
static int run(char **argv, const char *const *env, char **out, char **err)
{
    char **envp = g_get_environ();
    int status;

    for (const char *const *e = env; e && *e; e++) {
        char **kv = g_strsplit(*e, "=", 2);
        envp = g_environ_setenv(envp, kv[0], kv[1], TRUE);
        g_strfreev(kv);
    }
    assert_true(g_spawn_sync(NULL, argv, envp, 0, NULL, NULL, out, err, &status, NULL));
    g_strfreev(envp);
    return status;
}

static char *build_path(const char *name)
{
    assert_non_null(getenv("TERN_BUILD_ROOT"));
    return g_build_filename(getenv("TERN_BUILD_ROOT"), name, NULL);
}

static char *source_path(const char *name)
{
    assert_non_null(getenv("TERN_SOURCE_ROOT"));
    return g_build_filename(getenv("TERN_SOURCE_ROOT"), name, NULL);
}

/* The arguments after "Starting riscv64 with Arguments: " on stdout. */
static char *started_args(const char *out)
{
    static const char prefix[] = "Starting riscv64 with Arguments: ";
    const char *p = strstr(out, prefix);
    const char *nl;

    assert_non_null(p);
    assert_true(p == out || p[-1] == '\n');
    p += strlen(prefix);
    nl = strchr(p, '\n');
    assert_non_null(nl);
    return g_strndup(p, (gsize)(nl - p));
}

/*
 * The reorder rule as the spec states it: keep the request lines ("[R +")
 * and the reply lines ("[S +") that do not say CLOSED; then walk the lines
 * once from the top, and wherever the next line carries "[DMA]", exchange
 * the two, so a command sinks below the fills it caused; finally keep of
 * each line what follows its last ']', without surrounding blanks.
 */
static GPtrArray *reorder(const char *log)
{
    char **lines = g_strsplit(log, "\n", -1);
    GPtrArray *kept = g_ptr_array_new_with_free_func(g_free);

    for (char **l = lines; *l; l++) {
        if (strstr(*l, "[R +") || (strstr(*l, "[S +") && !strstr(*l, "CLOSED"))) {
            g_ptr_array_add(kept, g_strdup(*l));
        }
    }
    for (guint i = 0; i + 1 < kept->len; i++) {
        if (strstr(kept->pdata[i + 1], "[DMA]")) {
            gpointer t = kept->pdata[i];
            kept->pdata[i] = kept->pdata[i + 1];
            kept->pdata[i + 1] = t;
        }
    }
    for (guint i = 0; i < kept->len; i++) {
        char *line = kept->pdata[i];
        char *text = g_strdup(strrchr(line, ']') + 1);
        kept->pdata[i] = g_strdup(g_strstrip(text));
        g_free(text);
        g_free(line);
    }
    g_strfreev(lines);
    return kept;
}

/*
 * Replays trace on "BINARY ARGS -qtest stdio EXTRA" (through sh: ARGS is
 * shell-quoted as the Starting line prints it): the first nreplies reply
 * lines, then stdin closed and stderr read up to CLOSED; the server keeps
 * running at EOF (as QEMU does), so it is killed after.
 */
static char **replay(const char *args, const char *extra, const char *trace, guint nreplies,
                     char **err_text)
{
    char *bin = build_path("tern-system-riscv64");
    char *cmd = g_strdup_printf("exec %s %s -qtest stdio %s", bin, args, extra);
    GString *out = g_string_new(NULL), *err = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    int in_fd, out_fd, err_fd;
    guint have = 0;
    GPid pid;
    char **replies;

    assert_true(g_spawn_async_with_pipes(NULL, (char *[]){"sh", "-c", cmd, NULL}, NULL,
                                         G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &pid, &in_fd, &out_fd, &err_fd, NULL));
    assert_int_equal(write(in_fd, trace, strlen(trace)), (ssize_t)strlen(trace));
    close(in_fd); /* EOF: the server logs CLOSED */
    while (g_get_monotonic_time() < deadline && (have < nreplies || !strstr(err->str, "CLOSED"))) {
        struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
        char buf[4096];
        if (poll(p, 2, 1000) <= 0) {
            continue;
        }
        for (int i = 0; i < 2; i++) {
            ssize_t n;
            if (!(p[i].revents & (POLLIN | POLLHUP))) {
                continue;
            }
            n = read(p[i].fd, buf, sizeof(buf));
            if (n > 0) {
                g_string_append_len(i ? err : out, buf, n);
            }
        }
        have = 0;
        for (const char *c = out->str; (c = strchr(c, '\n')); c++) {
            have++;
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    g_spawn_close_pid(pid);
    close(out_fd);
    close(err_fd);
    replies = g_strsplit(out->str, "\n", -1);
    *err_text = g_string_free(err, FALSE);
    g_string_free(out, TRUE);
    g_free(cmd);
    g_free(bin);
    return replies;
}

/* ---- the recorded log, reordered, replayed ----------------------------------------------------
 */

typedef struct Recording {
    char *args;     /* from the Starting line */
    char *log;      /* stderr */
    GPtrArray *req; /* the runner's own trace: requests */
    GPtrArray *rep; /* ... and their replies */
} Recording;

/* The runner's trace of the same input in this process: what the log must reorder to. */
static void runner_trace(const char *target, const char *data, gsize len, Recording *rec)
{
    FuzzTarget *t;
    Error *err = NULL;
    GString *tr;
    char **lines;

    fuzz_register_targets();
    t = fuzz_find_target(target);
    assert_non_null(t);
    if (!fuzz_start(t, &err)) {
        fail_msg("%s", error_get_pretty(err));
    }
    fuzz_trace_set_recording(true);
    assert_int_equal(fuzz_run((const uint8_t *)data, len, &err), FUZZ_RUN_OK);
    tr = fuzz_trace_transcript();
    fuzz_stop();
    lines = g_strsplit(tr->str, "\n", -1);
    rec->req = g_ptr_array_new_with_free_func(g_free);
    rec->rep = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; lines[i] && lines[i][0] && lines[i + 1]; i += 2) {
        g_ptr_array_add(rec->req, g_strdup(lines[i]));
        g_ptr_array_add(rec->rep, g_strdup(lines[i + 1]));
    }
    g_strfreev(lines);
    g_string_free(tr, TRUE);
}

static void record(const char *target, const char *input, Recording *rec)
{
    static const char *const env[] = {"QTEST_LOG=1", "FUZZ_SERIALIZE_QTEST=1", NULL};
    char *fuzz = build_path("tern-fuzz");
    char *opt = g_strdup_printf("--fuzz-target=%s", target);
    char *out, *data;
    gsize len;
    int status;

    memset(rec, 0, sizeof(*rec));
    status = run((char *[]){fuzz, opt, (char *)input, NULL}, env, &out, &rec->log);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    rec->args = started_args(out);
    assert_true(g_file_get_contents(input, &data, &len, NULL));
    runner_trace(target, data, len, rec);
    g_free(data);
    g_free(out);
    g_free(opt);
    g_free(fuzz);
}

static void recording_free(Recording *rec)
{
    g_free(rec->args);
    g_free(rec->log);
    g_ptr_array_unref(rec->req);
    g_ptr_array_unref(rec->rep);
}

static void test_log_shapes_and_replay(void **state)
{
    char *input = source_path("corpora/generic-fuzz-virtio-blk/flush");
    GRegex *dma =
        g_regex_new("^\\[DMA\\] (\\[DOUBLE-FETCH\\] )?\\[R \\+[0-9.]+\\] write 0x[0-9a-f]+ "
                    "0x[0-9a-f]+ 0x[0-9a-f]+$",
                    0, 0, NULL);
    unsigned requests = 0, fills = 0;
    Recording rec;
    GPtrArray *trace;
    GString *text = g_string_new(NULL);
    char **lines, **replies, *err;
    guint first;

    record("generic-fuzz-virtio-blk", input, &rec);
    /* The Starting line keeps the accel form generic-fuzz uses, trailing comma and all. */
    assert_non_null(strstr(rec.args, "-machine 'accel=qtest,'"));
    lines = g_strsplit(rec.log, "\n", -1);
    for (char **l = lines; *l; l++) {
        /* In-process, the server logs requests only, as QEMU's fuzzer does (§6.7). */
        assert_null(strstr(*l, "[S +"));
        requests += strstr(*l, "[R +") != NULL;
        if (strstr(*l, "[DMA]")) {
            fills++;
            if (!g_regex_match(dma, *l, 0, NULL)) {
                fail_msg("a DMA fill's log line has another shape: %s", *l);
            }
        }
    }
    assert_true(fills >= 2); /* a flush request: descriptors and the avail ring at least */
    assert_true(requests > fills);

    /* Reordered, the log is the runner's own trace (after the handshake's endianness). */
    trace = reorder(rec.log);
    assert_string_equal(trace->pdata[0], "endianness");
    first = 1;
    assert_int_equal(trace->len - first, rec.req->len);
    for (guint i = 0; i < rec.req->len; i++) {
        assert_string_equal(trace->pdata[first + i], rec.req->pdata[i]);
    }
    for (guint i = 0; i < trace->len; i++) {
        g_string_append_printf(text, "%s\n", (char *)trace->pdata[i]);
    }

    /* Replayed on the server binary with the Starting line's arguments: the same replies. */
    replies = replay(rec.args, "", text->str, trace->len, &err);
    assert_string_equal(replies[0], "OK little");
    for (guint i = 0; i < rec.rep->len; i++) {
        assert_non_null(replies[first + i]);
        assert_string_equal(replies[first + i], rec.rep->pdata[i]);
    }
    /* A clean run logs CLOSED at EOF (the minimizer's "no crash"). */
    assert_non_null(strstr(err, "CLOSED"));
    g_strfreev(replies);
    g_free(err);

    /* The minimizer's own line: "-monitor none -serial none" appended, same replies. */
    replies = replay(rec.args, "-monitor none -serial none", text->str, trace->len, &err);
    for (guint i = 0; i < rec.rep->len; i++) {
        assert_non_null(replies[first + i]);
        assert_string_equal(replies[first + i], rec.rep->pdata[i]);
    }
    assert_non_null(strstr(err, "CLOSED"));
    g_strfreev(replies);
    g_free(err);

    g_string_free(text, TRUE);
    g_ptr_array_unref(trace);
    g_strfreev(lines);
    g_regex_unref(dma);
    recording_free(&rec);
    g_free(input);
}

/* A trace whose DMA fill the swap must move: the test target's fw_cfg transfer. */
static void test_reorder_moves_the_fill(void **state)
{
    static const uint8_t in[] = {5, 0};
    static const char *const env[] = {"QTEST_LOG=1", "FUZZ_SERIALIZE_QTEST=1", NULL};
    char *dir = g_dir_make_tmp("tern-contract-XXXXXX", NULL);
    char *path = g_build_filename(dir, "dma", NULL);
    char *out, *log, *args, *err, **replies;
    GPtrArray *trace;
    GString *text = g_string_new(NULL);
    int status;

    assert_true(g_file_set_contents(path, (const char *)in, sizeof(in), NULL));
    status = run((char *[]){(char *)self, "--fuzz-target=test-repro", path, NULL}, env, &out, &log);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    args = started_args(out);
    assert_string_equal(args, REPRO_ARGS);
    /* Logged in execution order: the fill is nested inside the command that read it... */
    assert_non_null(strstr(log, "] writel 0x10100014 0x100080\n[DMA] [R +"));
    trace = reorder(log);
    /* ...and the rule puts it first, so a plain server has the descriptor in time. */
    assert_int_equal(trace->len, 5);
    assert_string_equal(trace->pdata[1], "writel 0x10100010 0x0");
    assert_string_equal(trace->pdata[2],
                        "write 0x80001000 0x10 0x0000000a000000040000000080002000");
    assert_string_equal(trace->pdata[3], "writel 0x10100014 0x100080");
    assert_string_equal(trace->pdata[4], "readl 0x80002000");
    for (guint i = 0; i < trace->len; i++) {
        g_string_append_printf(text, "%s\n", (char *)trace->pdata[i]);
    }
    replies = replay(args, "-monitor none -serial none", text->str, trace->len, &err);
    /* fw_cfg copied its signature "QEMU" where the filled descriptor pointed. */
    assert_string_equal(replies[4], "OK 0x00000000554d4551");
    g_strfreev(replies);
    g_free(err);
    g_string_free(text, TRUE);
    g_ptr_array_unref(trace);
    g_free(args);
    g_free(out);
    g_free(log);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

/* ---- the crash token --------------------------------------------------------------------------
 */

/* The minimizer's token: the first three words of the second-to-last output line. */
static char *crash_token(const char *output)
{
    char *copy = g_strdup(output);
    char **lines = g_strsplit(g_strchomp(copy), "\n", -1);
    guint n = g_strv_length(lines);
    char **words;
    char *token;

    assert_true(n >= 2);
    words = g_strsplit_set(g_strstrip(lines[n - 2]), " \t", -1);
    assert_true(g_strv_length(words) >= 3);
    token = g_strdup_printf("%s %s %s", words[0], words[1], words[2]);
    g_strfreev(words);
    g_strfreev(lines);
    g_free(copy);
    return token;
}

static void test_crash_token(void **state)
{
    static const uint8_t hang[] = {0, 0x41, 4, 0};
    static const uint8_t clean[] = {0, 0x41, 1, 0};
    static const char *const env[] = {"QTEST_LOG=1", "FUZZ_SERIALIZE_QTEST=1",
                                      "TERN_FUZZ_WORK_BUDGET=2000", NULL};
    char *dir = g_dir_make_tmp("tern-contract-XXXXXX", NULL);
    char *hang_path = g_build_filename(dir, "hang", NULL);
    char *clean_path = g_build_filename(dir, "clean", NULL);
    char *out, *err, *both, *token, *again;
    int status;

    assert_true(g_file_set_contents(hang_path, (const char *)hang, sizeof(hang), NULL));
    assert_true(g_file_set_contents(clean_path, (const char *)clean, sizeof(clean), NULL));
    /* 2>&1, as the minimizer reads it: stdout first here, the crash report ends stderr. */
    status =
        run((char *[]){(char *)self, "--fuzz-target=test-repro", hang_path, NULL}, env, &out, &err);
    assert_true(WIFSIGNALED(status));
    both = g_strconcat(out, err, NULL);
    token = crash_token(both);
    assert_true(g_str_has_prefix(token, "tern: ERROR:"));
    assert_true(g_str_has_suffix(token, " hang:"));
    g_free(out);
    g_free(err);
    g_free(both);
    /* The same crash again contains the token; a clean run does not. */
    status =
        run((char *[]){(char *)self, "--fuzz-target=test-repro", hang_path, NULL}, env, &out, &err);
    assert_true(WIFSIGNALED(status));
    assert_non_null(strstr(err, token));
    again = crash_token(err);
    assert_string_equal(again, token);
    g_free(again);
    g_free(out);
    g_free(err);
    status = run((char *[]){(char *)self, "--fuzz-target=test-repro", clean_path, NULL}, env, &out,
                 &err);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_null(strstr(err, token));
    g_free(out);
    g_free(err);
    g_free(token);
    g_unlink(hang_path);
    g_unlink(clean_path);
    g_rmdir(dir);
    g_free(hang_path);
    g_free(clean_path);
    g_free(dir);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_shapes_and_replay),
        cmocka_unit_test(test_reorder_moves_the_fill),
        cmocka_unit_test(test_crash_token),
    };
    int status = repro_targets_fuzz_main(argc, argv);

    if (status >= 0) {
        return status; /* run as a tern-fuzz of the test target */
    }
    self = g_file_read_link("/proc/self/exe", NULL);
    if (!self) {
        self = argv[0];
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
