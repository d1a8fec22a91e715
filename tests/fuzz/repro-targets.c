/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * repro-targets.c - the test targets of repro-targets.h: device accesses a
 * replayed trace can check, and the crashes a reproducer must survive (a
 * wild write the sanitizers catch, a hang the work budget catches), with a
 * DMA fill made from inside a device's command as generic-fuzz makes them.
 *
 * Helper code, not a test: its assertions live in tests/fuzz/test-reproduce.c,
 * test-qemu-scripts-contract.c and test-fuzz-diff.c, which link it.
 */
#include "tests/fuzz/repro-targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/memory.h"
#include "core/timer.h"
#include "fuzz/fuzz-cli.h"
#include "qtest/qtest.h"

bool repro_crash_armed;
/* Read at run time, so that the compiler cannot see the write is wild. */
static volatile uintptr_t wild_address = 8;
static Timer *storm;

static GString *repro_cmdline(FuzzTarget *t)
{
    return g_string_new("riscv64 " REPRO_ARGS);
}

static void storm_cb(void *opaque)
{
    timer_mod_ns(storm, clock_get_ns(CLOCK_VIRTUAL) + 1);
}

/* fw_cfg reads its descriptor: the fill lands in the trace before the command that asked. */
static void repro_dma_hook(AddressSpace *as, hwaddr addr, hwaddr len, void *opaque)
{
    /* Big-endian: select key 0 (the signature) and read 4 bytes of it to REPRO_DMA_DEST. */
    static const uint8_t desc[16] = {0, 0, 0, 0x0a, 0, 0, 0, 4, 0, 0, 0, 0, 0x80, 0, 0x20, 0};

    if (addr != REPRO_DESC || len != sizeof(desc)) {
        return;
    }
    if (getenv("QTEST_LOG")) {
        qtest_log_flush();
        fprintf(stderr, "[DMA] ");
    }
    fuzz_memwrite(addr, desc, sizeof(desc));
}

static void repro_pre_fuzz(QTestState *s)
{
    storm = timer_new_ns(CLOCK_VIRTUAL, storm_cb, NULL);
    dma_set_read_hook(repro_dma_hook, NULL);
}

static void repro_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    for (size_t i = 0; i + 1 < size; i += 2) {
        uint8_t v = data[i + 1];
        switch (data[i] % 7) {
        case 0:
            fuzz_write(1, REPRO_UART + 7, v);
            break;
        case 1:
            fuzz_read(1, REPRO_UART + 7);
            break;
        case 2:
            fuzz_memwrite(REPRO_RAM + 0x100 + v, &v, 1);
            break;
        case 3:
            if (repro_crash_armed) {
                *(volatile int *)wild_address = v; /* the NULL page: a crash every build sees */
            }
            break;
        case 4:
            timer_mod_ns(storm, clock_get_ns(CLOCK_VIRTUAL) + 1);
            fuzz_clock_step(INT64_C(1000000000));
            break;
        case 5:
            /* The DMA register is big-endian; the low word starts the transfer. */
            fuzz_write(4, REPRO_FWCFG + 0x10, 0);
            fuzz_write(4, REPRO_FWCFG + 0x14, GUINT32_SWAP_LE_BE((uint32_t)REPRO_DESC));
            fuzz_read(4, REPRO_DMA_DEST);
            break;
        default:
            fuzz_clock_step_next();
            break;
        }
    }
}

void repro_targets_register(void)
{
    static bool done;

    fuzz_register_targets();
    if (done) {
        return;
    }
    done = true;
    fuzz_add_target(&(FuzzTarget){.name = "test-repro",
                                  .description = "the reproducer tests' crashing target",
                                  .get_init_cmdline = repro_cmdline,
                                  .pre_fuzz = repro_pre_fuzz,
                                  .fuzz = repro_fuzz});
}

void repro_targets_cleanup(void)
{
    if (storm) {
        timer_free(storm);
        storm = NULL;
    }
}

int repro_targets_fuzz_main(int argc, char **argv)
{
    bool selected = false;
    FuzzTarget *t;
    int status;

    for (int i = 1; i < argc; i++) {
        selected |= g_str_has_prefix(argv[i], "--fuzz-target=");
    }
    if (!selected) {
        return -1;
    }
    repro_targets_register();
    t = fuzz_cli_start(argc, argv, &status);
    if (!t) {
        return status;
    }
    for (int i = 1; i < argc; i++) {
        char *data;
        gsize len;
        if (argv[i][0] == '-') {
            continue;
        }
        if (!g_file_get_contents(argv[i], &data, &len, NULL)) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            fuzz_stop();
            return 1;
        }
        fuzz_run_or_crash((const uint8_t *)data, len);
        g_free(data);
    }
    fuzz_stop();
    repro_targets_cleanup();
    return 0;
}
