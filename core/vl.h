/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vl.h - limits and hooks of start-up (vl.c) that other modules need.
 */
#ifndef TERN_VL_H
#define TERN_VL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define VL_MAX_HARTS         512
#define VL_MAX_RAM_SIZE      (UINT64_C(1) << 40) /* 1 TiB: RAM is allocated lazily */
#define VL_MAX_ICOUNT_SHIFT  10
#define VL_MAX_LATE_BACKENDS 8

/*
 * A late backend (qtest server, monitor) is created at
 * PHASE_LATE_BACKENDS_CREATED when its option was given; the module that
 * implements it registers itself from a type_init function, so core/ needs
 * no knowledge of qtest/.
 */
typedef struct LateBackend {
    const char *option; /* key in the "run" option group: "qtest" */
    bool (*init)(const char *arg, Error **errp);
    /* Frees what init made (tern_cleanup, before the chardevs go); may be NULL. */
    void (*cleanup)(void);
} LateBackend;

void vl_register_late_backend(const LateBackend *backend);

/* The chardev of the index-th serial port (-serial, or the default), or NULL. */
struct Chardev;
struct Chardev *serial_hd(int index);

/*
 * What start-up decided from the options; only vl.c reads its option
 * groups ("run", "rtc"), everyone else asks here.
 */
/* -nographic was given. */
bool vl_nographic(void);
/* -qtest-log FILE (or "none"), or NULL. */
const char *vl_qtest_log(void);
/* -pidfile FILE (NULL: none) and -daemonize: main() acts on them through the hook below. */
const char *vl_pidfile(void);
bool vl_daemonize(void);
/*
 * The program's step between reading the options and creating the machine
 * (QEMU's point for -daemonize and -pidfile): tern_init() calls it once the
 * options are read and checked; false with *errp set fails start-up.  NULL
 * (the default): none.  It stays set across tern_cleanup().
 */
typedef bool VlBeforeMachineHook(Error **errp);
void vl_set_before_machine_hook(VlBeforeMachineHook *hook);
/* -name [guest=]NAME (NULL: none), for QMP's query-name. */
const char *vl_guest_name(void);
/*
 * -rtc base=: false when not given; else *ns is the guest clock's start in
 * nanoseconds since 1970 (base=utc|localtime: the host's time now).
 */
bool vl_rtc_base_ns(int64_t *ns);
/* -icount shift=N: true with *shift = N; false when not given or shift=auto. */
bool vl_icount_shift(unsigned *shift);
/* -rtc clock=host: the RTC follows the host's clock instead of the virtual one. */
bool vl_rtc_clock_host(void);

#endif
