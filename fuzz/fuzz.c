/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.c - the fuzz framework's runner: the target registry, the machine
 * built once per process and reset by snapshot after every input, the
 * per-input budgets, the I/O layer with its trace, and the reproducer a
 * crash prints.  docs/fuzzing.md has the design.
 */
#include "fuzz/fuzz.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bswap.h"
#include "core/memory.h"
#include "core/snapshot.h"
#include "core/timer.h"
#include "qtest/qtest.h"

/* ---- the registry ---------------------------------------------------------------------------- */

static GPtrArray *targets; /* registration order; the usage list shows it reversed */

bool fuzz_add_target_checked(const FuzzTarget *t, Error **errp)
{
    if (!t->name || !t->name[0] || !t->fuzz) {
        error_setg(errp, "a fuzz target needs a name and a fuzz function");
        return false;
    }
    if (fuzz_find_target(t->name)) {
        error_setg(errp, "fuzz target '%s' is registered twice", t->name);
        return false;
    }
    if (!targets) {
        targets = g_ptr_array_new();
    }
    g_ptr_array_add(targets, g_memdup2(t, sizeof(*t)));
    return true;
}

void fuzz_add_target(const FuzzTarget *t)
{
    Error *err = NULL;

    if (!fuzz_add_target_checked(t, &err)) {
        /* A build with two targets of one name is broken: nothing can run. */
        fprintf(stderr, "tern-fuzz: %s\n", error_get_pretty(err));
        abort();
    }
}

void fuzz_register_targets(void)
{
    module_call_init(MODULE_INIT_FUZZ_TARGET);
}

FuzzTarget *fuzz_find_target(const char *name)
{
    for (guint i = 0; targets && i < targets->len; i++) {
        FuzzTarget *t = targets->pdata[i];
        if (!strcmp(t->name, name)) {
            return t;
        }
    }
    return NULL;
}

GPtrArray *fuzz_targets(void)
{
    GPtrArray *list = g_ptr_array_new();

    for (guint i = targets ? targets->len : 0; i-- > 0;) {
        g_ptr_array_add(list, targets->pdata[i]);
    }
    return list;
}

/* ---- the runner ------------------------------------------------------------------------------ */

static struct {
    FuzzTarget *target;
    QTestState *qts;
    char *argv0;         /* the command line's first word ("riscv64") */
    char *args;          /* the rest, as given to the machine */
    bool snapshot_ready; /* pre_fuzz ran and the snapshot is taken */
    GArray *parts;       /* FuzzHarnessPart */
    bool check_reset;
    uint64_t work_budget;
    uint64_t transfer_budget;
    int64_t time_budget_ns;
    bool serialize;
    bool recording;
    GString *requests;   /* the trace: request lines */
    GString *transcript; /* request lines, each followed by its reply */
    char *qtest_failure; /* the first client-side failure of this input */
    bool digest;
    char *last_digest;
    ClockBudget last_budget; /* the last input's use of its budgets */
    FuzzTraceSink *sink;     /* sees every recorded line as it is recorded (--reproduce) */
    void *sink_opaque;
    bool no_clock; /* clock commands do nothing and are not recorded (--diff) */
} run;

static void fuzz_qtest_failed(const char *message)
{
    if (!run.qtest_failure) {
        run.qtest_failure = g_strdup(message);
    }
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    if (run.qtest_failure) {
        return;
    }
    va_start(ap, fmt);
    run.qtest_failure = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static bool declined;

bool fuzz_start_declined(void)
{
    return declined;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    char *end;
    guint64 n;

    if (!v || !*v) {
        return dflt;
    }
    n = g_ascii_strtoull(v, &end, 0);
    return *end || !n ? dflt : n;
}

static void session_save(void *opaque)
{
    qtest_inproc_save(run.qts);
}

static void session_restore(void *opaque)
{
    qtest_inproc_restore(run.qts);
}

static bool session_check(void *opaque, Error **errp)
{
    char *msg = qtest_inproc_check(run.qts);

    if (msg) {
        error_setg(errp, "%s", msg);
        g_free(msg);
        return false;
    }
    return true;
}

void fuzz_add_harness_part(const FuzzHarnessPart *part)
{
    if (!run.parts) {
        run.parts = g_array_new(FALSE, FALSE, sizeof(FuzzHarnessPart));
    }
    g_array_append_val(run.parts, *part);
}

void fuzz_set_check_reset(bool on)
{
    run.check_reset = on;
    snapshot_set_check(on);
}

void fuzz_set_budgets(uint64_t work, int64_t time_ns)
{
    run.work_budget = work;
    run.time_budget_ns = time_ns;
}

void fuzz_set_transfer_budget(uint64_t units)
{
    run.transfer_budget = units;
}

const ClockBudget *fuzz_last_budget(void)
{
    return &run.last_budget;
}

void fuzz_set_digest(bool on)
{
    run.digest = on;
}

const char *fuzz_last_digest(void)
{
    return run.last_digest;
}

void fuzz_set_serialize(bool on)
{
    run.serialize = on;
}

FuzzTarget *fuzz_current_target(void)
{
    return run.target;
}

QTestState *fuzz_qtest(void)
{
    return run.qts;
}

/* Splits the target's command line: argv[0] and the rest, re-quoted for the client. */
static bool fuzz_split_cmdline(FuzzTarget *t, Error **errp)
{
    GString *line = t->get_init_cmdline(t);
    GError *gerr = NULL;
    GString *rest;
    char **argv = NULL;
    int argc = 0;

    if (!line) {
        declined = true;
        error_setg(errp, "fuzz target '%s' cannot run as configured", t->name);
        return false;
    }
    rest = g_string_new(NULL);
    if (!g_shell_parse_argv(line->str, &argc, &argv, &gerr)) {
        error_setg(errp, "fuzz target '%s': its command line '%s' cannot be split: %s", t->name,
                   line->str, gerr->message);
        g_error_free(gerr);
        g_string_free(line, TRUE);
        g_string_free(rest, TRUE);
        return false;
    }
    g_string_free(line, TRUE);
    for (int i = 1; i < argc; i++) {
        char *q = g_shell_quote(argv[i]);
        /* Plain words stay plain, so the printed line reads as written. */
        bool plain = !strpbrk(argv[i], " \t\n'\"\\$`*?[]#~=|&;<>(){}!") || !strcmp(q + 1, argv[i]);
        g_string_append_printf(rest, "%s%s", i > 1 ? " " : "", plain ? argv[i] : q);
        g_free(q);
    }
    run.argv0 = g_strdup(argv[0]);
    run.args = g_string_free(rest, FALSE);
    g_strfreev(argv);
    return true;
}

/* pre_fuzz, then the snapshot and every harness part's save: once, when the target starts. */
static bool fuzz_prepare(Error **errp)
{
    FuzzTarget *t = run.target;

    if (t->pre_fuzz) {
        t->pre_fuzz(run.qts);
    }
    if (run.qtest_failure) {
        error_setg(errp, "fuzz target '%s': %s", t->name, run.qtest_failure);
        return false;
    }
    if (!run.qts) {
        run.snapshot_ready = true;
        return true;
    }
    if (!snapshot_take(errp)) {
        return false;
    }
    for (guint i = 0; run.parts && i < run.parts->len; i++) {
        FuzzHarnessPart *p = &g_array_index(run.parts, FuzzHarnessPart, i);
        if (p->save) {
            p->save(p->opaque);
        }
    }
    run.snapshot_ready = true;
    return true;
}

bool fuzz_start(FuzzTarget *t, Error **errp)
{
    if (run.target) {
        error_setg(errp, "fuzz target '%s' is already running", run.target->name);
        return false;
    }
    declined = false;
    run.target = t;
    run.check_reset = env_u64("TERN_FUZZ_CHECK_RESET", 0) != 0;
    run.work_budget = env_u64("TERN_FUZZ_WORK_BUDGET", FUZZ_DEFAULT_WORK_BUDGET);
    run.transfer_budget = env_u64("TERN_FUZZ_TRANSFER_BUDGET", FUZZ_DEFAULT_TRANSFER_BUDGET);
    run.time_budget_ns =
        (int64_t)MIN(env_u64("TERN_FUZZ_TIME_BUDGET_NS", FUZZ_DEFAULT_TIME_BUDGET_NS),
                     (uint64_t)CLOCK_END_OF_TIME);
    run.serialize = getenv("FUZZ_SERIALIZE_QTEST") != NULL;
    run.requests = g_string_new(NULL);
    run.transcript = g_string_new(NULL);
    if (t->pre_vm_init) {
        t->pre_vm_init();
    }
    if (!t->get_init_cmdline) {
        /* the target builds its machines itself */
        if (!fuzz_prepare(errp)) {
            fuzz_stop();
            return false;
        }
        return true;
    }
    if (!fuzz_split_cmdline(t, errp)) {
        fuzz_stop();
        return false;
    }
    if (getenv("QTEST_LOG")) {
        printf("Starting %s with Arguments: %s\n", run.argv0, run.args);
        fflush(stdout);
    }
    qtest_set_fail_handler(fuzz_qtest_failed);
    run.qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, run.args);
    if (!run.qts || qtest_broken(run.qts)) {
        error_setg(errp, "fuzz target '%s': the machine could not be built: %s", t->name,
                   run.qtest_failure ? run.qtest_failure : "no reason given");
        fuzz_stop();
        return false;
    }
    fuzz_add_harness_part(&(FuzzHarnessPart){.name = "qtest session",
                                             .save = session_save,
                                             .restore = session_restore,
                                             .check = session_check});
    snapshot_set_check(run.check_reset);
    if (!fuzz_prepare(errp)) {
        fuzz_stop();
        return false;
    }
    return true;
}

void fuzz_stop(void)
{
    /* The DMA read hook belongs to the running target. */
    dma_set_read_hook(NULL, NULL);
    if (run.qts) {
        qtest_quit(run.qts); /* in-process: tern_cleanup(), which drops the snapshot */
    }
    qtest_set_fail_handler(NULL);
    clock_budget_clear();
    snapshot_set_check(false);
    if (run.parts) {
        g_array_free(run.parts, TRUE);
    }
    if (run.requests) {
        g_string_free(run.requests, TRUE);
        g_string_free(run.transcript, TRUE);
    }
    g_free(run.argv0);
    g_free(run.args);
    g_free(run.qtest_failure);
    g_free(run.last_digest);
    memset(&run, 0, sizeof(run));
}

/* The machine and every harness part as they were at the snapshot. */
static bool fuzz_reset(Error **errp)
{
    for (guint i = 0; run.parts && i < run.parts->len; i++) {
        FuzzHarnessPart *p = &g_array_index(run.parts, FuzzHarnessPart, i);
        if (p->restore) {
            p->restore(p->opaque);
        }
    }
    if (!snapshot_restore(errp)) {
        return false;
    }
    for (guint i = 0; run.check_reset && run.parts && i < run.parts->len; i++) {
        FuzzHarnessPart *p = &g_array_index(run.parts, FuzzHarnessPart, i);
        Error *err = NULL;
        if (p->check && !p->check(p->opaque, &err)) {
            error_setg(errp, "reset check: harness part '%s': %s", p->name, error_get_pretty(err));
            error_free(err);
            return false;
        }
    }
    return true;
}

FuzzRunResult fuzz_run(const uint8_t *data, size_t size, Error **errp)
{
    FuzzTarget *t = run.target;
    FuzzRunResult result = FUZZ_RUN_OK;
    Error *err = NULL;

    if (!t) {
        error_setg(errp, "no fuzz target is running");
        return FUZZ_RUN_FAILED;
    }
    if (!run.snapshot_ready) {
        error_setg(errp, "fuzz target '%s' is not ready", t->name);
        return FUZZ_RUN_FAILED;
    }
    g_string_truncate(run.requests, 0);
    g_string_truncate(run.transcript, 0);
    if (run.qts) {
        clock_budget_set(
            run.work_budget, run.transfer_budget,
            clock_deadline_add(clock_get_ns(CLOCK_VIRTUAL), (uint64_t)run.time_budget_ns));
    }
    t->fuzz(run.qts, data, size);
    if (run.qtest_failure) {
        error_setg(&err, "%s", run.qtest_failure);
        g_free(run.qtest_failure);
        run.qtest_failure = NULL;
        result = FUZZ_RUN_FAILED;
    } else if (run.qts && clock_budget()->work_exhausted) {
        error_setg(&err,
                   "hang: the input used up its budget of %" PRIu64
                   " timer callbacks and bottom halves (virtual time %" PRIi64 " ns)",
                   run.work_budget, clock_get_ns(CLOCK_VIRTUAL));
        result = FUZZ_RUN_HANG;
    }
    run.last_budget = *clock_budget();
    clock_budget_clear();
    if (run.digest && run.qts) {
        g_free(run.last_digest);
        run.last_digest = snapshot_digest(NULL);
    }
    if (run.qts && !fuzz_reset(result == FUZZ_RUN_OK ? &err : NULL)) {
        result = FUZZ_RUN_FAILED;
    }
    if (err) {
        error_propagate(errp, err);
    }
    return result;
}

void fuzz_run_or_crash(const uint8_t *data, size_t size)
{
    Error *err = NULL;
    FuzzRunResult r = fuzz_run(data, size, &err);
    char *why;

    if (r == FUZZ_RUN_OK) {
        return;
    }
    why = g_strdup(error_get_pretty(err));
    error_free(err);
    /*
     * The machine is deterministic and back at the snapshot: the same input
     * takes the same path again, this time with the trace recorded.
     */
    if (!run.recording && run.qts) {
        run.recording = true;
        fuzz_run(data, size, NULL);
    }
    /* A target without a qtest machine (options, config, image) printed its own. */
    if (run.qts) {
        fuzz_write_reproducer(stderr, why);
    }
    /* QEMU's crash shape: the second-to-last line names the crash site (§9). */
    fprintf(stderr, "tern: ERROR:%s:%d:%s: %s\n", __FILE__, __LINE__, __func__, why);
    fprintf(stderr, "tern-fuzz: %s input: aborting so that the engine saves it\n",
            r == FUZZ_RUN_HANG ? "hanging" : "failing");
    fflush(stderr);
    g_free(why);
    abort();
}

/* ---- the trace ------------------------------------------------------------------------------- */

void fuzz_trace_set_recording(bool on)
{
    run.recording = on;
}

bool fuzz_trace_recording(void)
{
    return run.recording;
}

void fuzz_trace_set_sink(FuzzTraceSink *sink, void *opaque)
{
    run.sink = sink;
    run.sink_opaque = opaque;
}

void fuzz_set_clock_enabled(bool on)
{
    run.no_clock = !on;
}

const char *fuzz_target_args(void)
{
    return run.args;
}

void fuzz_trace_add(const char *request, const char *reply)
{
    if (!run.recording || !run.requests) {
        return;
    }
    if (run.sink) {
        run.sink(request, reply, run.sink_opaque);
    }
    g_string_append(run.requests, request);
    g_string_append_c(run.requests, '\n');
    g_string_append(run.transcript, request);
    g_string_append_c(run.transcript, '\n');
    if (reply) {
        g_string_append(run.transcript, reply);
        g_string_append_c(run.transcript, '\n');
    }
}

GString *fuzz_trace_requests(void)
{
    return g_string_new(run.requests ? run.requests->str : "");
}

GString *fuzz_trace_transcript(void)
{
    return g_string_new(run.transcript ? run.transcript->str : "");
}

/* ---- fixed images ---------------------------------------------------------------------------- */

char *fuzz_fixed_image(const char *name, size_t len, uint8_t (*byte)(size_t i), Error **errp)
{
    char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
    uint8_t *want = g_malloc0(len);
    char *old = NULL;
    gsize old_len = 0;
    GError *gerr = NULL;

    for (size_t i = 0; byte && i < len; i++) {
        want[i] = byte(i);
    }
    if (!g_file_get_contents(path, &old, &old_len, NULL) || old_len != len ||
        memcmp(old, want, len)) {
        if (!g_file_set_contents(path, (const char *)want, (gssize)len, &gerr)) {
            error_setg(errp, "cannot write the image %s: %s", path, gerr->message);
            g_error_free(gerr);
            g_free(path);
            path = NULL;
        }
    }
    g_free(old);
    g_free(want);
    return path;
}

/* ---- the I/O layer --------------------------------------------------------------------------- */

static const char size_suffix[9] = {[1] = 'b', [2] = 'w', [4] = 'l', [8] = 'q'};

static bool valid_size(unsigned size)
{
    return size <= 8 && size_suffix[size];
}

/* What the server and the in-process client do after a command, for a direct access. */
static void fuzz_after_direct_access(void)
{
    qtest_run_deferred();
    qtest_inproc_process_requests(run.qts);
}

void fuzz_flush_events(void)
{
    if (run.qts) {
        fuzz_after_direct_access();
    }
}

uint64_t fuzz_read(unsigned size, uint64_t addr)
{
    uint8_t buf[8] = {0};
    uint64_t v = 0;

    if (!valid_size(size) || !run.qts) {
        return 0;
    }
    if (run.serialize) {
        switch (size) {
        case 1:
            v = qtest_readb(run.qts, addr);
            break;
        case 2:
            v = qtest_readw(run.qts, addr);
            break;
        case 4:
            v = qtest_readl(run.qts, addr);
            break;
        default:
            v = qtest_readq(run.qts, addr);
            break;
        }
    } else {
        address_space_read(address_space_memory(), addr, buf, size);
        v = load_le_sized(buf, size);
        fuzz_after_direct_access();
    }
    if (run.recording) {
        char req[64], reply[32];
        snprintf(req, sizeof(req), "read%c 0x%" PRIx64, size_suffix[size], addr);
        snprintf(reply, sizeof(reply), "OK 0x%016" PRIx64, v);
        fuzz_trace_add(req, reply);
    }
    return v;
}

void fuzz_write(unsigned size, uint64_t addr, uint64_t value)
{
    uint8_t buf[8];

    if (!valid_size(size) || !run.qts) {
        return;
    }
    if (size < 8) {
        value &= (UINT64_C(1) << (8 * size)) - 1;
    }
    if (run.serialize) {
        switch (size) {
        case 1:
            qtest_writeb(run.qts, addr, (uint8_t)value);
            break;
        case 2:
            qtest_writew(run.qts, addr, (uint16_t)value);
            break;
        case 4:
            qtest_writel(run.qts, addr, (uint32_t)value);
            break;
        default:
            qtest_writeq(run.qts, addr, value);
            break;
        }
    } else {
        store_le_sized(buf, value, size);
        address_space_write(address_space_memory(), addr, buf, size);
        fuzz_after_direct_access();
    }
    if (run.recording) {
        char req[80];
        snprintf(req, sizeof(req), "write%c 0x%" PRIx64 " 0x%" PRIx64, size_suffix[size], addr,
                 value);
        fuzz_trace_add(req, "OK");
    }
}

/* "0x" and the bytes in hex, as the read and write commands spell data. */
static char *hex_bytes(const uint8_t *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *s = g_malloc(3 + 2 * len);

    s[0] = '0';
    s[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        s[2 + 2 * i] = hex[data[i] >> 4];
        s[3 + 2 * i] = hex[data[i] & 15];
    }
    s[2 + 2 * len] = '\0';
    return s;
}

void fuzz_memwrite(uint64_t addr, const void *data, size_t len)
{
    if (!len || !run.qts) {
        return;
    }
    if (run.serialize) {
        qtest_memwrite(run.qts, addr, data, len);
    } else {
        /* A DMA fill: no deferred work, the command under way continues. */
        address_space_write(address_space_memory(), addr, data, len);
    }
    if (run.recording) {
        char *hex = hex_bytes(data, len);
        char *req = g_strdup_printf("write 0x%" PRIx64 " 0x%zx %s", addr, len, hex);
        fuzz_trace_add(req, "OK");
        g_free(req);
        g_free(hex);
    }
}

void fuzz_memread(uint64_t addr, void *data, size_t len)
{
    if (!len || !run.qts) {
        return;
    }
    if (run.serialize) {
        qtest_memread(run.qts, addr, data, len);
    } else {
        address_space_read(address_space_memory(), addr, data, len);
        fuzz_after_direct_access();
    }
    if (run.recording) {
        char *hex = hex_bytes(data, len);
        char *req = g_strdup_printf("read 0x%" PRIx64 " 0x%zx", addr, len);
        char *reply = g_strdup_printf("OK %s", hex);
        fuzz_trace_add(req, reply);
        g_free(reply);
        g_free(req);
        g_free(hex);
    }
}

/* Clock commands always go through the protocol; a FAIL (no deadline) is a no-op. */
static void fuzz_clock_command(const char *request)
{
    char *reply;

    if (!run.qts || run.no_clock) {
        return;
    }
    qtest_sendf(run.qts, "%s\n", request);
    reply = qtest_receive(run.qts);
    if (reply && strncmp(reply, "OK", 2) && strncmp(reply, "FAIL", 4)) {
        fuzz_qtest_failed(reply);
    }
    fuzz_trace_add(request, reply ? reply : "");
    g_free(reply);
}

void fuzz_clock_step_next(void)
{
    fuzz_clock_command("clock_step");
}

void fuzz_clock_step(int64_t ns)
{
    char req[48];

    snprintf(req, sizeof(req), "clock_step %" PRIi64, ns);
    fuzz_clock_command(req);
}

/* ---- reproducers ----------------------------------------------------------------------------- */

/* The replay binary: tern-system-riscv64 (libqtest and QEMU's scripts parse the -ARCH suffix). */
#define FUZZ_REPLAY_BINARY "tern-system-riscv64"

void fuzz_format_reproducer(FILE *out, unsigned parts, const char *target, const char *why,
                            const char *args, const char *trace)
{
    char **lines = g_strsplit(trace, "\n", -1);

    if (parts & FUZZ_REPRO_HEADER) {
        fprintf(out, "==== tern-fuzz reproducer: target %s ====\n", target);
        fprintf(out, "# why: %s\n", why ? why : "");
        fprintf(out, "# command line: %s %s -qtest stdio\n", FUZZ_REPLAY_BINARY, args);
        fprintf(out, "# trace (DMA fills already before the commands that read them):\n");
    }
    if (parts & FUZZ_REPRO_CMDLINE) {
        fprintf(out, "%s %s -qtest stdio\n", FUZZ_REPLAY_BINARY, args);
    }
    if (parts & FUZZ_REPRO_BASH) {
        fprintf(out, "cat << EOF | %s %s -qtest stdio\n%sEOF\n", FUZZ_REPLAY_BINARY, args, trace);
    }
    if (!(parts & FUZZ_REPRO_CTEST)) {
        g_strfreev(lines);
        return;
    }
    if (parts & FUZZ_REPRO_HEADER) {
        fprintf(out, "# as a cmocka test (tests/ link libternqtest):\n");
    }
    fprintf(out, "#include <setjmp.h>\n#include <stdarg.h>\n#include <stddef.h>\n"
                 "#include <stdint.h>\n#include <cmocka.h>\n#include \"qtest/libqtest.h\"\n\n");
    fprintf(out, "static void test_fuzz(void **state)\n{\n");
    {
        char *esc = g_strescape(args, NULL);
        fprintf(out, "    QTestState *s = qtest_init(\"%s\");\n", esc);
        g_free(esc);
    }
    for (char **l = lines; *l; l++) {
        char **w = g_strsplit(*l, " ", -1);
        guint n = g_strv_length(w);
        if (n == 4 && !strcmp(w[0], "write")) {
            guint64 len = g_ascii_strtoull(w[2], NULL, 16);
            size_t digits = strlen(w[3]);
            fprintf(out, "    qtest_bufwrite(s, %s, \"", w[1]);
            for (guint64 i = 0; i < len && 2 + 2 * i + 1 < digits; i++) {
                fprintf(out, "\\x%c%c", w[3][2 + 2 * i], w[3][3 + 2 * i]);
            }
            fprintf(out, "\", %" G_GUINT64_FORMAT ");\n", len);
        } else if (n == 3 && !strncmp(w[0], "write", 5)) {
            fprintf(out, "    qtest_%s(s, %s, %s);\n", w[0], w[1], w[2]);
        } else if (n == 2 && !strncmp(w[0], "read", 4)) {
            fprintf(out, "    qtest_%s(s, %s);\n", w[0], w[1]);
        } else if (n == 1 && !strcmp(w[0], "clock_step")) {
            fprintf(out, "    qtest_clock_step_next(s);\n");
        } else if (n == 2 && !strcmp(w[0], "clock_step")) {
            fprintf(out, "    qtest_clock_step(s, %s);\n", w[1]);
        } else if (**l) {
            char *esc = g_strescape(*l, NULL);
            fprintf(out, "    g_free(qtest_cmd(s, \"%%s\\n\", \"%s\"));\n", esc);
            g_free(esc);
        }
        g_strfreev(w);
    }
    fprintf(out, "    qtest_quit(s);\n}\n\nint main(void)\n{\n"
                 "    const struct CMUnitTest tests[] = {cmocka_unit_test(test_fuzz)};\n"
                 "    return cmocka_run_group_tests(tests, NULL, NULL);\n}\n");
    if (parts & FUZZ_REPRO_HEADER) {
        fprintf(out, "==== end of reproducer ====\n");
    }
    g_strfreev(lines);
}

void fuzz_write_reproducer(FILE *out, const char *why)
{
    fuzz_format_reproducer(out, FUZZ_REPRO_ALL, run.target ? run.target->name : "(none)", why,
                           run.args ? run.args : "", run.requests ? run.requests->str : "");
}
