/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cpu-fuzz.c - the cpu fuzz target (fuzz/cpu-fuzz.c) through the
 * runner (fuzz_start/fuzz_run): hand-assembled inputs whose effects follow
 * from the ISA (a value stored and loaded, registers kept across traps the
 * handler skips, where each privilege and paging choice starts), the
 * run's bounds (the step budget, WFI, a guest shutdown request), the reset
 * proofs (same input twice, B after A, the entry state of every input, the
 * reset check over the corpus) and random inputs.  The input format is
 * docs/fuzzing.md's "cpu".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

#include "fuzz/cpu-fuzz.h"
#include "fuzz/fuzz.h"

/* A 32-bit instruction, little-endian; a 16-bit one. */
#define W(x) (uint8_t)(x), (uint8_t)((x) >> 8), (uint8_t)((x) >> 16), (uint8_t)((x) >> 24)
#define H(x) (uint8_t)(x), (uint8_t)((x) >> 8)
/* Encodings checked with llvm-mc -triple=riscv64 -show-encoding. */
#define LI_T1_0X123   W(0x12300313u) /* addi t1, zero, 0x123 */
#define SLLI_T1_12    W(0x00c31313u) /* slli t1, t1, 12 */
#define ADDI_T1_0X456 W(0x45630313u) /* addi t1, t1, 0x456 */
#define SD_T1_GP      W(0x0061b023u) /* sd t1, 0(gp) */
#define LD_T2_GP      W(0x0001b383u) /* ld t2, 0(gp) */
#define ADD_T3_T1_T2  W(0x00730e33u) /* add t3, t1, t2 */
#define LI_S2_7       W(0x00700913u) /* addi s2, zero, 7 */
#define LI_S2_1       W(0x00100913u) /* addi s2, zero, 1 */
#define WFI           W(0x10500073u)
#define JR_ZERO       W(0x00000067u) /* jalr zero, 0(zero): a fetch fault at 0 ends the run */
#define ECALL         W(0x00000073u)
#define ILLEGAL       W(0xffffffffu)
#define J_SELF        W(0x0000006fu) /* j . */
#define C_EBREAK      H(0x9002u)

/* Registers by number. */
#define T0 5
#define T1 6
#define T2 7
#define T3 28
#define S2 18
#define S3 19
#define GP 3

#define RANDOM_INPUTS   2000
#define RANDOM_MAX_SIZE 256

static bool started;

static void start(void)
{
    FuzzTarget *t;

    fuzz_register_targets();
    t = fuzz_find_target("cpu");
    assert_non_null(t);
    assert_true(fuzz_start(t, &error_abort));
    started = true;
    cpu_fuzz_stats_clear();
}

static void run(const uint8_t *data, size_t size)
{
    Error *err = NULL;
    FuzzRunResult r = fuzz_run(data, size, &err);

    if (r != FUZZ_RUN_OK) {
        fail_msg("fuzz_run: %d: %s", r, err ? error_get_pretty(err) : "(no error)");
    }
}

static int stop(void **state)
{
    (void)state;
    if (started) {
        fuzz_stop();
        started = false;
    }
    fuzz_set_check_reset(false);
    fuzz_set_digest(false);
    cpu_fuzz_stats_clear();
    return 0;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static GBytes *seed_file(const char *name)
{
    const char *root = g_getenv("TERN_SOURCE_ROOT");
    g_autofree char *path = NULL;
    char *data;
    gsize len;

    assert_non_null(root);
    path = g_build_filename(root, "corpora", "cpu", name, NULL);
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fail_msg("cannot read %s", path);
    }
    return g_bytes_new_take(data, len);
}

static void run_seed(const char *name)
{
    GBytes *b = seed_file(name);
    gsize len;
    const uint8_t *d = g_bytes_get_data(b, &len);

    run(d, len);
    g_bytes_unref(b);
}

/* ---- what an input does ------------------------------------------------------------------- */

/* M, Bare: 0x123456 stored to the data window (gp) and loaded back; WFI ends the run. */
static void test_store_and_load_reach_the_data_window(void **state)
{
    static const uint8_t in[] = {CPU_FUZZ_PRIV_M | CPU_FUZZ_BARE,
                                 0,
                                 LI_T1_0X123,
                                 SLLI_T1_12,
                                 ADDI_T1_0X456,
                                 SD_T1_GP,
                                 LD_T2_GP,
                                 ADD_T3_T1_T2,
                                 WFI};
    const CpuFuzzStats *st;

    (void)state;
    start();
    run(in, sizeof(in));
    st = cpu_fuzz_stats();
    assert_int_equal(st->start.x[GP], CPU_FUZZ_DATA);
    assert_int_equal(le64(st->data), 0x123456);
    assert_int_equal(st->final.x[T2], 0x123456);
    assert_int_equal(st->final.x[T3], 0x2468ac);
    assert_int_equal(st->last_end, CPU_FUZZ_END_WFI);
    assert_int_equal(st->last_insns, 7);
}

/*
 * Each privilege and paging choice starts where docs/fuzzing.md says: the
 * privilege, satp's mode, the code at 0x80001000 (user pages at 0xc0001000
 * under paging); the jump to 0 then faults on the fetch (an access fault at
 * the devices' address 0, a page fault for U on a supervisor page), which
 * ends the run in the M handler.
 */
static void test_every_privilege_and_paging_starts_where_documented(void **state)
{
    static const struct {
        uint8_t priv_bits;
        unsigned priv;
    } privs[] = {{CPU_FUZZ_PRIV_U, RV_PRIV_U},
                 {CPU_FUZZ_PRIV_S, RV_PRIV_S},
                 {CPU_FUZZ_PRIV_M, RV_PRIV_M},
                 {0x03, RV_PRIV_M}};
    static const struct {
        uint8_t bits;
        unsigned satp_mode;
    } pagings[] = {{CPU_FUZZ_BARE, 0}, {CPU_FUZZ_SV39, 8}, {CPU_FUZZ_SV48, 9}, {3 << 2, 9}};

    (void)state;
    start();
    for (size_t i = 0; i < G_N_ELEMENTS(privs); i++) {
        for (size_t j = 0; j < G_N_ELEMENTS(pagings); j++) {
            uint8_t in[] = {(uint8_t)(privs[i].priv_bits | pagings[j].bits), 0, JR_ZERO};
            const CpuFuzzStats *st = cpu_fuzz_stats();
            bool user_pages = privs[i].priv == RV_PRIV_U && pagings[j].satp_mode;

            run(in, sizeof(in));
            assert_int_equal(st->start.priv, privs[i].priv);
            assert_int_equal(st->start.satp >> 60, pagings[j].satp_mode);
            assert_int_equal(st->start.pc, user_pages ? CPU_FUZZ_VA_U_RAM + 0x1000 : CPU_FUZZ_CODE);
            assert_int_equal(st->last_end, CPU_FUZZ_END_WFI);
            assert_int_equal(st->final.priv, RV_PRIV_M);
            assert_int_equal(st->final.mcause,
                             user_pages ? RV_EXC_INSN_PAGE_FAULT : RV_EXC_INSN_ACCESS);
            assert_int_equal(st->final.mepc, 0);
        }
    }
}

/*
 * U, Bare: ecall, c.ebreak and an illegal word each trap to M and are
 * stepped over (4, 2 and 4 bytes), then addi runs; t0-t3, which the
 * handler uses, hold the values the register seeds gave them.
 */
static void test_handler_steps_over_traps_and_keeps_registers(void **state)
{
    static const uint8_t in[] = {
        CPU_FUZZ_PRIV_U, 4,       T0,    W(0x11111111u), W(0x01), T1,
        W(0x22222222u),  W(0x02), T2,    W(0x33333333u), W(0x03), T3,
        W(0x44444444u),  W(0x04), ECALL, C_EBREAK,       ILLEGAL, LI_S2_7,
        JR_ZERO,
    };
    const CpuFuzzStats *st;

    (void)state;
    start();
    run(in, sizeof(in));
    st = cpu_fuzz_stats();
    assert_int_equal(st->final.x[S2], 7);
    assert_int_equal(st->final.x[T0], UINT64_C(0x0000000111111111));
    assert_int_equal(st->final.x[T1], UINT64_C(0x0000000222222222));
    assert_int_equal(st->final.x[T2], UINT64_C(0x0000000333333333));
    assert_int_equal(st->final.x[T3], UINT64_C(0x0000000444444444));
    /* three skipped traps and the fetch fault at 0 */
    assert_int_equal(st->final.traps - st->start.traps, 4);
    assert_int_equal(st->last_end, CPU_FUZZ_END_WFI);
}

/* An endless loop ends at the step budget. */
static void test_endless_loop_ends_at_the_step_budget(void **state)
{
    static const uint8_t in[] = {CPU_FUZZ_PRIV_S | CPU_FUZZ_SV39, 0, J_SELF};
    const CpuFuzzStats *st;

    (void)state;
    start();
    run(in, sizeof(in));
    st = cpu_fuzz_stats();
    assert_int_equal(st->last_end, CPU_FUZZ_END_BUDGET);
    assert_int_equal(st->last_insns, CPU_FUZZ_STEPS);
    assert_int_equal(st->final.pc, CPU_FUZZ_CODE);
}

/* A PASS written to sifive-test ends the input (a guest shutdown request). */
static void test_shutdown_request_ends_the_input(void **state)
{
    (void)state;
    start();
    run_seed("sifive-test-pass-m");
    assert_int_equal(cpu_fuzz_stats()->last_end, CPU_FUZZ_END_REQUEST);
    /* The next input runs on a machine that was not shut down. */
    run_seed("mixed-s-sv39");
    assert_int_equal(cpu_fuzz_stats()->last_end, CPU_FUZZ_END_WFI);
}

/* MMIO reaches the devices: fw_cfg's signature ("QEMU") and virtio-mmio's magic ("virt"). */
static void test_devices_answer_mmio(void **state)
{
    static const char *const seeds[] = {"devices-m", "devices-s-sv48", "devices-u-sv39"};

    (void)state;
    start();
    for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
        const CpuFuzzStats *st = cpu_fuzz_stats();

        run_seed(seeds[i]);
        /* lbu t1, t2, t3 from fw_cfg's data after selecting key 0 */
        assert_int_equal(st->final.x[T1], 'Q');
        assert_int_equal(st->final.x[T2], 'E');
        assert_int_equal(st->final.x[T3], 'M');
        /* lw t4, 0(a1): the first virtio-mmio slot's magic */
        assert_int_equal(st->final.x[29], 0x74726976);
    }
}

/*
 * M with interrupts on: the CLINT's timer interrupt and then a software
 * interrupt by msip are taken; the handler turns mie off each time, so the
 * closing WFI waits for good and ends the run.
 */
static void test_interrupts_are_taken_and_handled(void **state)
{
    const CpuFuzzStats *st;

    (void)state;
    start();
    run_seed("wfi-timer-m");
    st = cpu_fuzz_stats();
    assert_int_equal(st->final.mcause, RV_CAUSE_INTERRUPT | 3);
    assert_int_equal(st->final.mie, 0);
    assert_int_equal(st->last_end, CPU_FUZZ_END_WFI);
}

/*
 * M: mtimecmp 1000 ticks ahead (100 us, more than the step budget's
 * virtual time), MTIE and MIE on, WFI: the target advances the clock to the
 * timer's deadline, the interrupt wakes the hart, the handler returns after
 * the WFI and the code goes on to set s2.
 */
static void test_wfi_waits_for_the_next_timer(void **state)
{
    static const uint8_t in[] = {
        CPU_FUZZ_PRIV_M,
        0,
        W(0x0000c337u), /* lui t1, 0xc */
        W(0xff83031bu), /* addiw t1, t1, -8: 0xbff8, mtime */
        W(0x00660333u), /* add t1, a2, t1 */
        W(0x00033383u), /* ld t2, 0(t1) */
        W(0x3e838393u), /* addi t2, t2, 1000 */
        W(0x00004e37u), /* lui t3, 0x4: mtimecmp */
        W(0x01c60e33u), /* add t3, a2, t3 */
        W(0x007e3023u), /* sd t2, 0(t3) */
        W(0x08000e93u), /* addi t4, zero, 0x80: MTIE */
        W(0x304ea073u), /* csrs mie, t4 */
        W(0x30046073u), /* csrsi mstatus, 8: MIE */
        WFI,
        LI_S2_1,
        JR_ZERO,
    };
    const CpuFuzzStats *st;

    (void)state;
    start();
    run(in, sizeof(in));
    st = cpu_fuzz_stats();
    assert_int_equal(st->final.x[S2], 1);
    assert_int_equal(st->last_end, CPU_FUZZ_END_WFI);
    assert_true(st->last_insns < CPU_FUZZ_STEPS);
}

/*
 * The fence-i seeds: an addi copied over an illegal word runs after fence.i
 * (s2 = 42), and an addi stored over the next illegal word without fence.i
 * runs too (s3 = 1; the hart keeps its decoded code in step with its own
 * stores), from M and from S under Sv39.
 */
static void test_code_written_by_the_guest_runs(void **state)
{
    static const char *const seeds[] = {"fence-i-m", "fence-i-s-sv39"};

    (void)state;
    start();
    for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
        const CpuFuzzStats *st = cpu_fuzz_stats();

        run_seed(seeds[i]);
        assert_int_equal(st->final.x[S2], 42);
        assert_int_equal(st->final.x[S3], 1);
        assert_int_equal(st->final.traps - st->start.traps, 1); /* the fetch fault at 0 */
        assert_int_equal(st->last_end, CPU_FUZZ_END_WFI);
    }
}

/* ---- the reset proofs --------------------------------------------------------------------- */

/* The same input twice: the same hart state and the same machine digest. */
static void test_same_input_twice_gives_the_same_state(void **state)
{
    static const char *const seeds[] = {"mixed-u-sv48", "fp-m", "mmu-s-sv39", "wfi-timer-m"};

    (void)state;
    start();
    fuzz_set_digest(true);
    for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
        CPURVState first;
        g_autofree char *digest = NULL;

        run_seed(seeds[i]);
        memcpy(&first, &cpu_fuzz_stats()->final, CPU_FUZZ_ARCH_SIZE);
        digest = g_strdup(fuzz_last_digest());
        run_seed(seeds[i]);
        assert_memory_equal(&first, &cpu_fuzz_stats()->final, CPU_FUZZ_ARCH_SIZE);
        assert_string_equal(digest, fuzz_last_digest());
    }
}

/*
 * The snapshot puts the hart back: an input that changes pc, privilege,
 * registers, satp and CSRs is followed by one that finds the hart exactly
 * as the first found it, and B after A ends as B alone.
 */
static void test_reset_restores_the_hart_between_inputs(void **state)
{
    CPURVState entry, b_alone;
    g_autofree char *b_digest = NULL;

    (void)state;
    start();
    fuzz_set_digest(true);
    run_seed("mixed-m-bare");
    memcpy(&b_alone, &cpu_fuzz_stats()->final, CPU_FUZZ_ARCH_SIZE);
    memcpy(&entry, &cpu_fuzz_stats()->entry, CPU_FUZZ_ARCH_SIZE);
    b_digest = g_strdup(fuzz_last_digest());
    assert_int_equal(entry.priv, RV_PRIV_M);
    assert_int_equal(entry.satp, 0);

    run_seed("ecall-xret-m");
    assert_memory_equal(&entry, &cpu_fuzz_stats()->entry, CPU_FUZZ_ARCH_SIZE);
    assert_int_not_equal(cpu_fuzz_stats()->final.pc, entry.pc);

    run_seed("mixed-m-bare");
    assert_memory_equal(&entry, &cpu_fuzz_stats()->entry, CPU_FUZZ_ARCH_SIZE);
    assert_memory_equal(&b_alone, &cpu_fuzz_stats()->final, CPU_FUZZ_ARCH_SIZE);
    assert_string_equal(b_digest, fuzz_last_digest());
}

/* Every seed runs clean with the whole machine compared with the snapshot after each restore. */
static void test_corpus_runs_clean_under_the_reset_check(void **state)
{
    const char *root = g_getenv("TERN_SOURCE_ROOT");
    g_autofree char *dir = NULL;
    const char *name;
    unsigned files = 0;
    GDir *d;

    (void)state;
    assert_non_null(root);
    dir = g_build_filename(root, "corpora", "cpu", NULL);
    d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    start();
    fuzz_set_check_reset(true);
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".dict")) {
            continue;
        }
        run_seed(name);
        assert_int_not_equal(cpu_fuzz_stats()->last_end, CPU_FUZZ_END_STALLED);
        files++;
    }
    g_dir_close(d);
    assert_true(files >= 20);
    assert_int_equal(cpu_fuzz_stats()->inputs, files);
    /* one seed writes sifive-test; every other ends by its budget or in WFI */
    assert_int_equal(cpu_fuzz_stats()->ends[CPU_FUZZ_END_REQUEST], 1);
}

/* Random inputs (fixed seed) never fail a run, and the reset check holds after each. */
static void test_random_inputs_run_clean(void **state)
{
    GRand *rng = g_rand_new_with_seed(11);
    uint8_t buf[RANDOM_MAX_SIZE];

    (void)state;
    start();
    fuzz_set_check_reset(true);
    for (unsigned i = 0; i < RANDOM_INPUTS; i++) {
        size_t len = (size_t)g_rand_int_range(rng, 0, RANDOM_MAX_SIZE + 1);

        for (size_t j = 0; j < len; j++) {
            buf[j] = (uint8_t)g_rand_int_range(rng, 0, 256);
        }
        run(buf, len);
    }
    g_rand_free(rng);
    assert_int_equal(cpu_fuzz_stats()->inputs, RANDOM_INPUTS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_store_and_load_reach_the_data_window, stop),
        cmocka_unit_test_teardown(test_every_privilege_and_paging_starts_where_documented, stop),
        cmocka_unit_test_teardown(test_handler_steps_over_traps_and_keeps_registers, stop),
        cmocka_unit_test_teardown(test_endless_loop_ends_at_the_step_budget, stop),
        cmocka_unit_test_teardown(test_shutdown_request_ends_the_input, stop),
        cmocka_unit_test_teardown(test_devices_answer_mmio, stop),
        cmocka_unit_test_teardown(test_interrupts_are_taken_and_handled, stop),
        cmocka_unit_test_teardown(test_wfi_waits_for_the_next_timer, stop),
        cmocka_unit_test_teardown(test_code_written_by_the_guest_runs, stop),
        cmocka_unit_test_teardown(test_same_input_twice_gives_the_same_state, stop),
        cmocka_unit_test_teardown(test_reset_restores_the_hart_between_inputs, stop),
        cmocka_unit_test_teardown(test_corpus_runs_clean_under_the_reset_check, stop),
        cmocka_unit_test_teardown(test_random_inputs_run_clean, stop),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
