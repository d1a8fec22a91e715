/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - the fuzz framework: targets registered by constructors, the
 * runner that builds the machine once and resets it by snapshot after every
 * input, per-input budgets, and the I/O layer whose every access can be
 * recorded as a qtest trace (the reproducer).  docs/fuzzing.md has the
 * design; ../shared/spec/fuzzing.md the conventions followed.
 *
 * No target knows which engine runs it: libFuzzer (engine-libfuzzer.c),
 * AFL++ (engine-afl.c) and the plain driver of a build without an engine
 * (fuzz-main.c) all call fuzz_run() once per input.
 */
#ifndef TERN_FUZZ_H
#define TERN_FUZZ_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/module.h"
#include "core/timer.h"
#include "qtest/libqtest.h"

typedef struct FuzzTarget FuzzTarget;

struct FuzzTarget {
    const char *name;
    const char *description;
    /*
     * The machine's command line, argv[0] first ("riscv64 -M virt ..."),
     * split with shell word rules; the caller frees it.  It may return
     * NULL, after printing why, when the target cannot run as configured
     * (generic-fuzz without objects): fuzz_start() fails and
     * fuzz_start_declined() says so; tern-fuzz then exits 0, as QEMU's does.
     * A NULL hook: the target builds (and tears down) machines itself for
     * each input - options, config, image - and fuzz() is called with
     * s == NULL.
     */
    GString *(*get_init_cmdline)(FuzzTarget *t);
    /*
     * The hooks have the spec's signatures; one that needs its target (its
     * opaque) asks fuzz_current_target().
     */
    /* Once, before the machine is built (may set environment variables). */
    void (*pre_vm_init)(void);
    /*
     * Once, before the snapshot is taken (in fuzz_start: Tern's machine is
     * built in this process whatever the engine, so nothing is gained by
     * waiting for the first input, and a target that cannot run says so
     * before fuzzing starts).  It reports a failure with fuzz_fail().
     */
    void (*pre_fuzz)(QTestState *s);
    /* Runs one input.  The runner puts the machine back afterwards. */
    void (*fuzz)(QTestState *s, const unsigned char *data, size_t size);
    /* libFuzzer's custom crossover, or NULL. */
    size_t (*crossover)(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
                        size_t max_out, unsigned seed);
    void *opaque;
};

/*
 * Registers a copy of t (from a fuzz_target_init() function).  A second
 * target with the same name is a programming error: the message names it
 * and the process aborts.  fuzz_add_target_checked() returns it instead.
 */
void fuzz_add_target(const FuzzTarget *t);
bool fuzz_add_target_checked(const FuzzTarget *t, Error **errp);
/* Runs the FUZZ_TARGET init functions (once per process). */
void fuzz_register_targets(void);
FuzzTarget *fuzz_find_target(const char *name);
/* Every target, most recently registered first (the usage list's order); free the array. */
GPtrArray *fuzz_targets(void);

/* ---- the runner ----------------------------------------------------------------------- */

typedef enum {
    FUZZ_RUN_OK,
    FUZZ_RUN_HANG,   /* a budget ran out: a device keeps the event loop busy */
    FUZZ_RUN_FAILED, /* an internal check failed (reset check, qtest failure) */
} FuzzRunResult;

/*
 * Selects t and, for a target with a machine, builds it in this process
 * with an in-process qtest server (pre_vm_init first), runs pre_fuzz and
 * takes the snapshot.  With $QTEST_LOG prints "Starting <argv0> with
 * Arguments: <rest>" on stdout.  One target per process at a time.
 */
bool fuzz_start(FuzzTarget *t, Error **errp);
/* The last fuzz_start() failed because the target declined (see get_init_cmdline). */
bool fuzz_start_declined(void);
/*
 * A target reports a failure it found: a configuration it cannot run
 * (from pre_fuzz: fuzz_start fails) or a check that failed in an input
 * (the input ends as FUZZ_RUN_FAILED with this message).  The first
 * message of an input is kept.
 */
void fuzz_fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Tears the machine down (tests start several targets in one process). */
void fuzz_stop(void);
FuzzTarget *fuzz_current_target(void);
/* The client the targets drive (NULL for a target without a machine). */
QTestState *fuzz_qtest(void);

/*
 * Runs one input: the target's fuzz() under the budgets; then the machine
 * is restored from the snapshot with every harness part registered below.  Returns what
 * happened; *errp says why when it is not FUZZ_RUN_OK.
 */
FuzzRunResult fuzz_run(const uint8_t *data, size_t size, Error **errp);
/*
 * The engines' entry: fuzz_run(), and on a hang or failed check the report
 * and reproducer on stderr, then abort() so the engine saves the input.
 */
void fuzz_run_or_crash(const uint8_t *data, size_t size);

/*
 * Harness state restored with the machine (sparse memory, DMA patterns):
 * save is called once after pre_fuzz, restore after every input.  check
 * (may be NULL) runs after restore in check mode and fails with the part
 * and what differs.
 */
typedef struct FuzzHarnessPart {
    const char *name;
    void (*save)(void *opaque);
    void (*restore)(void *opaque);
    bool (*check)(void *opaque, Error **errp);
    void *opaque;
} FuzzHarnessPart;
void fuzz_add_harness_part(const FuzzHarnessPart *part);

/*
 * TERN_FUZZ_CHECK_RESET=1 (or this call): after every restore the whole
 * machine is compared with the snapshot (snapshot_check) and so is every
 * harness part; a difference fails the input naming the device and field.
 */
void fuzz_set_check_reset(bool on);

/*
 * Budgets per input (core/timer.h clock_budget_*): event-loop work (timer
 * callbacks and bottom halves run), transfer volume (started 4 KiB of DMA,
 * MMIO accesses of split transfers) and virtual time.  Running out of work
 * is a hang.  A transfer beyond the transfer budget fails as a bus error
 * would (the device takes its error path); reaching the virtual-time limit
 * stops the clock there for the rest of the input (later clock commands do
 * nothing).  Neither of those is a crash: the work is bounded, only large.
 * Defaults below, or $TERN_FUZZ_WORK_BUDGET, $TERN_FUZZ_TRANSFER_BUDGET and
 * $TERN_FUZZ_TIME_BUDGET_NS.
 */
#define FUZZ_DEFAULT_WORK_BUDGET     UINT64_C(200000)
#define FUZZ_DEFAULT_TRANSFER_BUDGET UINT64_C(4096) /* 16 MiB of DMA, 4096 split MMIO accesses */
#define FUZZ_DEFAULT_TIME_BUDGET_NS  (INT64_C(10) * 1000000000)
void fuzz_set_budgets(uint64_t work, int64_t time_ns);
void fuzz_set_transfer_budget(uint64_t units);
/* What the last input used of its budgets (before they were cleared). */
const ClockBudget *fuzz_last_budget(void);

/*
 * With on, every input ends with snapshot_digest() of the machine as the
 * input left it (before the restore); fuzz_last_digest() returns it (NULL
 * before the first such input).  The reset proofs compare these.
 */
void fuzz_set_digest(bool on);
const char *fuzz_last_digest(void);

/*
 * A drive image a target's command line names: a fixed path in the
 * temporary directory (so that a reproducer's command line still works
 * later), holding len bytes where byte i is byte(i) (NULL: zeros).  Written
 * (atomically: concurrent workers see a whole file) only when absent or
 * different.  Returns the path (g_free it), or NULL with *errp.
 */
char *fuzz_fixed_image(const char *name, size_t len, uint8_t (*byte)(size_t i), Error **errp);

/* ---- the I/O layer and its trace -------------------------------------------------------- */

/*
 * Guest-physical accesses as a qtest client makes them.  Direct (default):
 * the memory core on the system address space, then pending bottom halves
 * run, as the server does after each command.  Serialized
 * ($FUZZ_SERIALIZE_QTEST set, or fuzz_set_serialize): through the
 * in-process server's text protocol, so that its log shows them.  Both give
 * the same device behaviour.
 */
void fuzz_set_serialize(bool on);
uint64_t fuzz_read(unsigned size, uint64_t addr);                /* size 1, 2, 4, 8 */
void fuzz_write(unsigned size, uint64_t addr, uint64_t value);   /* size 1, 2, 4, 8 */
void fuzz_memwrite(uint64_t addr, const void *data, size_t len); /* a DMA fill: "write" */
void fuzz_memread(uint64_t addr, void *data, size_t len);
/* clock_step to the next deadline (none: nothing) and clock_step NS. */
void fuzz_clock_step_next(void);
void fuzz_clock_step(int64_t ns);
/* Runs pending bottom halves (QEMU's flush_events). */
void fuzz_flush_events(void);

/*
 * The trace: with recording on, every access above is appended as the
 * qtest line a client would send ("writel 0x10000000 0x41"), in the order
 * the accesses completed, so DMA
 * fills made while a command ran come before it (the reorder script's
 * output).  fuzz_trace_note() adds a DMA fill explicitly (the generic-fuzz
 * DMA hook).  Replaying the request lines on "tern -accel qtest -qtest
 * stdio" reproduces the input.
 */
void fuzz_trace_set_recording(bool on);
bool fuzz_trace_recording(void);
/* Appends one request line and its reply (reply NULL: the line has none). */
void fuzz_trace_add(const char *request, const char *reply);
/* The input's trace so far: requests only, or each request followed by its reply line. */
GString *fuzz_trace_requests(void);
GString *fuzz_trace_transcript(void);

/*
 * The reproducer of the current input: the command line to replay on, a
 * bash one-liner, and a cmocka C test in the shape of QEMU's
 * output_reproducer.py.  Written to out.
 */
void fuzz_write_reproducer(FILE *out, const char *why);

/*
 * ---- for the commands built on the runner (--reproduce, --diff) ----
 * --reproduce streams the trace out of a child as it is recorded (a
 * sanitizer abort mid-input keeps every line made so far), --diff runs
 * inputs without clock commands (QEMU has no qtest accelerator to answer
 * them), and both write the reproducer's parts separately.
 */
/* Sees every line as fuzz_trace_add() records it (reply NULL: none). */
typedef void FuzzTraceSink(const char *request, const char *reply, void *opaque);
void fuzz_trace_set_sink(FuzzTraceSink *sink, void *opaque);

/*
 * Off: fuzz_clock_step() and fuzz_clock_step_next() do nothing and record
 * nothing (the virtual clock stays where the snapshot has it).  On by
 * default; fuzz_stop() puts it back on.
 */
void fuzz_set_clock_enabled(bool on);

/* The running target's machine arguments, argv[0] left out (NULL: none). */
const char *fuzz_target_args(void);

/* The parts of a reproducer, as fuzz_format_reproducer() writes them. */
enum {
    FUZZ_REPRO_HEADER = 1,  /* the "====" frame, why, and the comments between parts */
    FUZZ_REPRO_CMDLINE = 2, /* "tern-system-riscv64 ARGS -qtest stdio" alone on a line */
    FUZZ_REPRO_BASH = 4,    /* cat << EOF | ... trace ... EOF */
    FUZZ_REPRO_CTEST = 8,   /* the cmocka test */
    FUZZ_REPRO_ALL = FUZZ_REPRO_HEADER | FUZZ_REPRO_BASH | FUZZ_REPRO_CTEST,
};

/*
 * Writes the chosen parts for a trace (request lines) recorded on target
 * with args; fuzz_write_reproducer() is this with the current input's.
 */
void fuzz_format_reproducer(FILE *out, unsigned parts, const char *target, const char *why,
                            const char *args, const char *trace);

#endif
