/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vl.c - start-up: the command line in two passes, then the machine in phases.
 *
 * The order follows QEMU's start-up so that each step has one place
 * (docs/ARCHITECTURE.md, "Start-up, in phases"):
 *
 *   1. constructors registered init functions        (module.h)
 *   2. option groups and object types registered      (module_call_init)
 *   3. first pass: -nouserconfig, -h, -version; then the default config file
 *      and the -readconfig files
 *   4. second pass: every option into its group, validated where it stands,
 *      so that an error names the option; help options print and stop
 *   5. machine object created            -> PHASE_MACHINE_CREATED
 *   6. accelerator configured            -> PHASE_ACCEL_CREATED
 *   7. late backends (qtest server ...)  -> PHASE_LATE_BACKENDS_CREATED
 *   8. board init, -device list          -> PHASE_MACHINE_INITIALIZED
 *   9. images, reset                     -> PHASE_MACHINE_READY
 *
 * Everything the user asked for lives in option groups (opts.h) between
 * steps 4 and 5: that is what -writeconfig writes and -readconfig reads back.
 * Nothing here exits; failures return through Error **errp to main().
 */
#include "core/tern.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <signal.h>
#include <glib.h>

#include "core/accel.h"
#include "core/block.h"
#include "core/chardev.h"
#include "core/config.h"
#include "core/cutils.h"
#include "core/fdset.h"
#include "core/hostfile.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/main-loop.h"
#include "core/module.h"
#include "core/object.h"
#include "core/opts.h"
#include "core/phase.h"
#include "core/qdev.h"
#include "core/replay.h"
#include "core/runstate.h"
#include "core/snapshot.h"
#include "core/timer.h"
#include "core/trace.h"
#include "core/vl.h"

/* ---- the option table ---------------------------------------------------- */

typedef enum {
    OPT_MACHINE,
    OPT_M,
    OPT_MEMORY,
    OPT_SMP,
    OPT_ACCEL,
    OPT_CPU,
    OPT_BIOS,
    OPT_KERNEL,
    OPT_INITRD,
    OPT_APPEND,
    OPT_DTB,
    OPT_DRIVE,
    OPT_DEVICE,
    OPT_CHARDEV,
    OPT_SERIAL,
    OPT_RTC,
    OPT_ICOUNT,
    OPT_QTEST,
    OPT_QTEST_LOG,
    OPT_DISPLAY,
    OPT_NOGRAPHIC,
    OPT_NODEFAULTS,
    OPT_START_PAUSED,
    OPT_NO_REBOOT,
    OPT_NO_SHUTDOWN,
    OPT_READCONFIG,
    OPT_WRITECONFIG,
    OPT_NOUSERCONFIG,
    OPT_OBJECT,
    OPT_GLOBAL,
    OPT_LOGFILE,
    OPT_LOG,
    OPT_VERSION,
    OPT_HELP,
    OPT_QMP,
    OPT_MON,
    OPT_MONITOR,
    OPT_AUDIO,
    OPT_RUN_WITH,
    OPT_TRACE,
    OPT_RECORD,
    OPT_VGA,
    OPT_NAME,
    OPT_NO_USER_CONFIG,
    OPT_MSG,
    OPT_PIDFILE,
    OPT_DAEMONIZE,
    OPT_PARALLEL,
    OPT_ADD_FD,
} OptionIndex;

typedef struct CmdOption {
    const char *name;
    bool has_arg;
    OptionIndex index;
    const char *args;
    const char *help;
} CmdOption;

static const CmdOption cmd_options[] = {
    {"machine", true, OPT_MACHINE, "[type=]name[,prop=value...]", "select the machine (-M help)"},
    {"M", true, OPT_M, "name[,prop=value...]", "same as -machine"},
    {"m", true, OPT_MEMORY, "[size=]N[KMGT]", "RAM size (no suffix: MiB; default 128M on virt)"},
    {"smp", true, OPT_SMP, "[cpus=]n[,sockets=s][,cores=c][,threads=t][,maxcpus=m]",
     "number of harts and their topology"},
    {"accel", true, OPT_ACCEL, "interp|qtest", "accelerator (-accel help)"},
    {"cpu", true, OPT_CPU, "model", "hart model (-cpu help)"},
    {"bios", true, OPT_BIOS, "default|none|FILE", "firmware image"},
    {"kernel", true, OPT_KERNEL, "FILE", "kernel image (ELF or raw)"},
    {"initrd", true, OPT_INITRD, "FILE", "initial ram disk (needs -kernel)"},
    {"append", true, OPT_APPEND, "CMDLINE", "kernel command line (needs -kernel)"},
    {"dtb", true, OPT_DTB, "FILE", "use FILE as the device tree"},
    {"drive", true, OPT_DRIVE, "file=FILE,format=raw,if=none|virtio,id=ID[,readonly=on][,...]",
     "a block backend"},
    {"device", true, OPT_DEVICE, "driver[,prop=value...]", "add a device (-device help)"},
    {"chardev", true, OPT_CHARDEV, "backend,id=ID[,...]", "a character backend"},
    {"serial", true, OPT_SERIAL, "stdio|null|none|file:PATH|chardev:ID|mon:stdio",
     "where the next serial port goes"},
    {"rtc", true, OPT_RTC, "[base=utc|localtime|DATE][,clock=vm|host|rt][,driftfix=none|slew]",
     "real-time clock source"},
    {"icount", true, OPT_ICOUNT, "[shift=]N|auto[,align=on|off][,sleep=on|off]",
     "virtual time per instruction: 2^N ns"},
    {"qtest", true, OPT_QTEST, "stdio|unix:PATH[,server=on]|tcp:HOST:PORT",
     "serve the qtest protocol"},
    {"qtest-log", true, OPT_QTEST_LOG, "FILE|none", "log qtest traffic"},
    {"display", true, OPT_DISPLAY, "none", "display back end (Tern has none)"},
    {"nographic", false, OPT_NOGRAPHIC, NULL, "no display; serial on stdio"},
    {"nodefaults", false, OPT_NODEFAULTS, NULL, "create no default devices"},
    {"S", false, OPT_START_PAUSED, NULL, "do not start the harts at start-up"},
    {"no-reboot", false, OPT_NO_REBOOT, NULL, "exit instead of rebooting"},
    {"no-shutdown", false, OPT_NO_SHUTDOWN, NULL, "stop instead of exiting on shutdown"},
    {"readconfig", true, OPT_READCONFIG, "FILE", "read options from an INI file"},
    {"writeconfig", true, OPT_WRITECONFIG, "FILE", "write the options to FILE ('-': stdout)"},
    {"nouserconfig", false, OPT_NOUSERCONFIG, NULL, "do not read the default config file"},
    {"object", true, OPT_OBJECT, "type,id=ID[,prop=value...]", "create an object (-object help)"},
    {"global", true, OPT_GLOBAL, "driver.prop=value", "default property value for a device type"},
    {"D", true, OPT_LOGFILE, "FILE", "write the -d log to FILE"},
    {"d", true, OPT_LOG, "item[,...]", "enable log items (-d help)"},
    {"qmp", true, OPT_QMP, "unix:PATH[,server=on]|tcp:HOST:PORT|stdio", "QMP monitor"},
    {"mon", true, OPT_MON, "chardev=ID[,mode=control]", "QMP monitor on a -chardev"},
    {"monitor", true, OPT_MONITOR, "none", "human monitor (Tern has none; use -qmp)"},
    {"audio", true, OPT_AUDIO, "none", "audio back end (Tern has none)"},
    {"run-with", true, OPT_RUN_WITH, "exit-with-parent=on|off", "exit when the parent does"},
    {"trace", true, OPT_TRACE, "[[enable=]PATTERN][,events=FILE][,file=FILE]",
     "enable trace events (-trace help; docs/trace.md)"},
    {"record", true, OPT_RECORD, "FILE", "record the run as a trace (docs/replay.md)"},
    {"vga", true, OPT_VGA, "none|std|cirrus|vmware|virtio",
     "accepted as QEMU does on a machine without VGA: nothing is created"},
    {"name", true, OPT_NAME, "[guest=]NAME[,process=PNAME][,debug-threads=on|off]",
     "the guest's name (QMP query-name; -msg guest-name=on)"},
    {"no-user-config", false, OPT_NO_USER_CONFIG, NULL, "same as -nouserconfig (QEMU's name)"},
    {"msg", true, OPT_MSG, "[timestamp=on|off][,guest-name=on|off]",
     "prefix error and warning lines with the host time and/or the guest name"},
    {"pidfile", true, OPT_PIDFILE, "FILE", "write the process id to FILE; removed at exit"},
    {"daemonize", false, OPT_DAEMONIZE, NULL, "detach once start-up is done (the parent exits 0)"},
    {"parallel", true, OPT_PARALLEL, "none|null", "parallel port (Tern's machines have none)"},
    {"add-fd", true, OPT_ADD_FD, "fd=N,set=M[,opaque=TEXT]",
     "put an inherited fd in set M (path /dev/fdset/M)"},
    {"version", false, OPT_VERSION, NULL, "print the version and exit"},
    {"h", false, OPT_HELP, NULL, "print this help and exit"},
    {"help", false, OPT_HELP, NULL, NULL},
};

/*
 * Finds the option at argv[*optind] and its argument; advances *optind.
 * "-opt" and "--opt" are the same option.
 */
static const CmdOption *lookup_option(int argc, char **argv, int *optind, const char **optarg,
                                      Error **errp)
{
    const char *word = argv[*optind];
    const char *name = word + 1;

    loc_set_cmdline(argv, *optind, 1);
    if (word[0] != '-' || word[1] == '\0') {
        error_setg(errp, "arguments must be options (a disk image needs -drive file=...)");
        return NULL;
    }
    if (name[0] == '-' && name[1] != '\0') {
        name++;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cmd_options); i++) {
        const CmdOption *opt = &cmd_options[i];
        if (strcmp(opt->name, name)) {
            continue;
        }
        (*optind)++;
        *optarg = NULL;
        if (opt->has_arg) {
            if (*optind >= argc) {
                error_setg(errp, "requires an argument");
                return NULL;
            }
            *optarg = argv[*optind];
            loc_set_cmdline(argv, *optind - 1, 2);
            (*optind)++;
        }
        return opt;
    }
    error_setg(errp, "invalid option");
    return NULL;
}

static void print_usage(void)
{
    printf("usage: tern [options]\n\n"
           "Tern %s, a RISC-V (RV64GC) full-system emulator core built to be tested.\n\n",
           TERN_VERSION);
    for (size_t i = 0; i < G_N_ELEMENTS(cmd_options); i++) {
        const CmdOption *opt = &cmd_options[i];
        char *head;

        if (!opt->help) {
            continue;
        }
        head =
            g_strdup_printf("-%s%s%s", opt->name, opt->args ? " " : "", opt->args ? opt->args : "");
        if (strlen(head) > 30) {
            printf("%s\n%-31s %s\n", head, "", opt->help);
        } else {
            printf("%-31s %s\n", head, opt->help);
        }
        g_free(head);
    }
    printf("\nErrors are one line on stderr, 'tern: OPTION: what was wrong', and exit status 1.\n");
}

/* ---- option groups --------------------------------------------------------- */

static const OptDesc memory_desc[] = {
    /* A string here: memory_size() parses it, with MiB as the unit when there is no suffix. */
    {"size", OPT_STRING, "RAM size; a number without suffix is in MiB"},
    {NULL},
};

static const OptDesc smp_desc[] = {
    {"cpus", OPT_NUMBER, "number of harts started"},
    {"sockets", OPT_NUMBER, "number of sockets"},
    {"cores", OPT_NUMBER, "harts per socket"},
    {"threads", OPT_NUMBER, "threads per core"},
    {"maxcpus", OPT_NUMBER, "maximum number of harts"},
    {NULL},
};

static const OptDesc accel_desc[] = {
    {"accel", OPT_STRING, "accelerator name"},
    {NULL},
};

static const OptDesc drive_desc[] = {
    {"file", OPT_STRING, "image file"},
    {"format", OPT_STRING, "image format (raw)"},
    {"if", OPT_STRING, "interface: none or virtio"},
    {"index", OPT_NUMBER, "index on the interface"},
    {"media", OPT_STRING, "disk"},
    {"readonly", OPT_BOOL, "open read-only"},
    {"snapshot", OPT_BOOL, "keep writes in memory, never write the file"},
    {"cache", OPT_STRING, "host cache mode (accepted, no effect)"},
    {"serial", OPT_STRING, "disk serial number"},
    {NULL},
};

static const OptDesc chardev_desc[] = {
    {"backend", OPT_STRING, "null, stdio, file, socket or ringbuf"},
    {"path", OPT_STRING, "file or unix socket path"},
    {"host", OPT_STRING, "tcp host"},
    {"port", OPT_STRING, "tcp port"},
    {"server", OPT_BOOL, "listen instead of connecting"},
    {"wait", OPT_BOOL, "wait for a client before start-up"},
    {"append", OPT_BOOL, "append to the file"},
    {"size", OPT_SIZE, "ringbuf size"},
    {"mux", OPT_BOOL, "multiplex (accepted for QEMU compatibility)"},
    {"signal", OPT_BOOL, "stdio: deliver ^C as a signal"},
    {"logfile", OPT_STRING, "also log output to this file"},
    {"fd", OPT_NUMBER, "socket: an already connected file descriptor"},
    {NULL},
};

static const OptDesc rtc_desc[] = {
    {"base", OPT_STRING, "utc, localtime or YYYY-MM-DD[THH:MM:SS]"},
    {"clock", OPT_STRING, "vm (default: deterministic), host or rt"},
    {"driftfix", OPT_STRING, "none or slew"},
    {NULL},
};

static const OptDesc icount_desc[] = {
    {"shift", OPT_STRING, "2^shift ns per instruction (0..10) or auto"},
    {"align", OPT_BOOL, "align virtual time to host time"},
    {"sleep", OPT_BOOL, "sleep while idle"},
    {"rr", OPT_STRING, "off, record or replay"},
    {"rrfile", OPT_STRING, "record/replay file"},
    {"rrsnapshot", OPT_STRING, "record/replay snapshot name"},
    {NULL},
};

static const OptDesc global_desc[] = {
    {"driver", OPT_STRING, "device type"},
    {"property", OPT_STRING, "property name"},
    {"value", OPT_STRING, "value"},
    {NULL},
};

/* Tern's own group: what QEMU keeps in loose variables, so it round-trips too. */
static const OptDesc run_desc[] = {
    {"cpu", OPT_STRING, "-cpu"},
    {"serial", OPT_STRING, "-serial (may repeat)", true},
    {"display", OPT_STRING, "-display"},
    {"nographic", OPT_BOOL, "-nographic"},
    {"nodefaults", OPT_BOOL, "-nodefaults"},
    {"start-paused", OPT_BOOL, "-S"},
    {"no-reboot", OPT_BOOL, "-no-reboot"},
    {"no-shutdown", OPT_BOOL, "-no-shutdown"},
    {"qtest", OPT_STRING, "-qtest"},
    {"qtest-log", OPT_STRING, "-qtest-log"},
    {"log", OPT_STRING, "-d"},
    {"logfile", OPT_STRING, "-D"},
    {"qmp", OPT_STRING, "-qmp (may repeat)", true},
    {"mon", OPT_STRING, "-mon (may repeat)", true},
    {"exit-with-parent", OPT_BOOL, "-run-with exit-with-parent="},
    {"vga", OPT_STRING, "-vga (the last one counts)"},
    {"monitor", OPT_STRING, "-monitor (may repeat)", true},
    {"parallel", OPT_STRING, "-parallel (may repeat)", true},
    {"pidfile", OPT_STRING, "-pidfile"},
    {"daemonize", OPT_BOOL, "-daemonize"},
    {NULL},
};

/* -name [guest=]NAME[,process=PNAME][,debug-threads=on|off], as QEMU's group. */
static const OptDesc name_desc[] = {
    {"guest", OPT_STRING, "the guest's name"},
    {"process", OPT_STRING, "the process name (Linux: the thread name ps shows)"},
    {"debug-threads", OPT_BOOL, "name threads (Tern runs one thread: no effect)"},
    {NULL},
};

/* -add-fd fd=N,set=M[,opaque=TEXT]: numbers as text, so the errors are QEMU's (core/fdset.c). */
static const OptDesc add_fd_desc[] = {
    {"fd", OPT_STRING, "an inherited file descriptor"},
    {"set", OPT_STRING, "the fd set's id"},
    {"opaque", OPT_STRING, "free text, shown by query-fdsets"},
    {NULL},
};

/* -msg timestamp=on|off,guest-name=on|off */
static const OptDesc msg_desc[] = {
    {"timestamp", OPT_BOOL, "prefix reports with the host's UTC time"},
    {"guest-name", OPT_BOOL, "prefix reports with the -name guest name"},
    {NULL},
};

static OptsList machine_opts = {.name = "machine", .implied_opt_name = "type", .merge_lists = true};
static OptsList memory_opts = {
    .name = "memory", .implied_opt_name = "size", .merge_lists = true, .desc = memory_desc};
static OptsList smp_opts = {
    .name = "smp-opts", .implied_opt_name = "cpus", .merge_lists = true, .desc = smp_desc};
static OptsList accel_opts = {.name = "accel", .implied_opt_name = "accel", .desc = accel_desc};
static OptsList drive_opts = {.name = "drive", .desc = drive_desc};
static OptsList device_opts = {.name = "device", .implied_opt_name = "driver"};
static OptsList chardev_opts = {
    .name = "chardev", .implied_opt_name = "backend", .desc = chardev_desc};
static OptsList rtc_opts = {.name = "rtc", .merge_lists = true, .desc = rtc_desc};
static OptsList icount_opts = {
    .name = "icount", .implied_opt_name = "shift", .merge_lists = true, .desc = icount_desc};
static OptsList object_opts = {.name = "object", .implied_opt_name = "qom-type"};
static OptsList global_opts = {.name = "global", .desc = global_desc};
static OptsList run_opts = {.name = "run", .merge_lists = true, .desc = run_desc};
static OptsList name_opts = {
    .name = "name", .implied_opt_name = "guest", .merge_lists = true, .desc = name_desc};
static OptsList msg_opts = {.name = "msg", .merge_lists = true, .desc = msg_desc};
static OptsList add_fd_opts = {.name = "add-fd", .desc = add_fd_desc};

static void vl_register_opts(void)
{
    opts_register(&machine_opts);
    opts_register(&memory_opts);
    opts_register(&smp_opts);
    opts_register(&accel_opts);
    opts_register(&drive_opts);
    opts_register(&device_opts);
    opts_register(&chardev_opts);
    opts_register(&rtc_opts);
    opts_register(&icount_opts);
    opts_register(&object_opts);
    opts_register(&global_opts);
    opts_register(&run_opts);
    opts_register(&name_opts);
    opts_register(&msg_opts);
    opts_register(&add_fd_opts);
}

opts_init(vl_register_opts)

    static Opts *run_group(void)
{
    Opts *opts = opts_find(&run_opts, NULL);

    return opts ? opts : opts_create(&run_opts, NULL, false, NULL);
}

/* ---- validators: each names what was wrong; the location names the option -- */

static bool one_of(const char *value, const char *const *choices)
{
    for (; *choices; choices++) {
        if (!strcmp(value, *choices)) {
            return true;
        }
    }
    return false;
}

/* -m: a number without suffix is in MiB, as in QEMU. */
static bool memory_size(Opts *opts, uint64_t *size, Error **errp)
{
    const char *str = opt_get(opts, "size");
    uint64_t sz;

    if (!str || !*str) {
        error_setg(errp, "missing memory size");
        return false;
    }
    if (qemu_strtosz_MiB(str, NULL, &sz) < 0) {
        error_setg(errp, "invalid memory size '%s'", str);
        return false;
    }
    if (sz < (1 << 20)) {
        error_setg(errp, "memory size '%s' is below the minimum of 1 MiB", str);
        return false;
    }
    if (sz > VL_MAX_RAM_SIZE) {
        error_setg(errp, "memory size '%s' is above the maximum of %" PRIu64 " GiB", str,
                   (uint64_t)VL_MAX_RAM_SIZE >> 30);
        return false;
    }
    *size = sz;
    return true;
}

static bool validate_memory(Opts *opts, Error **errp)
{
    uint64_t size;

    return memory_size(opts, &size, errp);
}

static bool smp_config(Opts *opts, SmpConfig *smp, Error **errp)
{
    static const char *const keys[] = {"cpus", "sockets", "cores", "threads", "maxcpus"};
    uint64_t v[5];
    bool given[5];

    for (int i = 0; i < 5; i++) {
        given[i] = opts && opt_has(opts, keys[i]);
        v[i] = given[i] ? opt_get_number(opts, keys[i], 0) : 0;
        if (given[i] && (v[i] == 0 || v[i] > VL_MAX_HARTS)) {
            error_setg(errp, "%s=%" PRIu64 " must be between 1 and %d", keys[i], v[i],
                       VL_MAX_HARTS);
            return false;
        }
    }
    /* Missing topology values are derived: sockets and threads default to 1. */
    uint64_t sockets = given[1] ? v[1] : 1, threads = given[3] ? v[3] : 1;
    uint64_t maxcpus = given[4] ? v[4] : 0, cpus = given[0] ? v[0] : 0, cores;
    if (given[2]) {
        cores = v[2];
    } else {
        uint64_t total = maxcpus ? maxcpus : (cpus ? cpus : sockets * threads);
        cores = total / (sockets * threads);
        if (!cores) {
            cores = 1;
        }
    }
    uint64_t topo = sockets * cores * threads;
    if (!maxcpus && cpus > topo) {
        error_setg(errp,
                   "topology sockets (%" PRIu64 ") * cores (%" PRIu64 ") * threads (%" PRIu64
                   ") holds %" PRIu64 " harts, fewer than cpus (%" PRIu64 ")",
                   sockets, cores, threads, topo, cpus);
        return false;
    }
    if (!maxcpus) {
        maxcpus = topo;
    }
    if (!cpus) {
        cpus = maxcpus;
    }
    if (topo != maxcpus) {
        error_setg(errp,
                   "topology sockets (%" PRIu64 ") * cores (%" PRIu64 ") * threads (%" PRIu64
                   ") != maxcpus (%" PRIu64 ")",
                   sockets, cores, threads, maxcpus);
        return false;
    }
    if (cpus > maxcpus) {
        error_setg(errp, "cpus (%" PRIu64 ") exceeds maxcpus (%" PRIu64 ")", cpus, maxcpus);
        return false;
    }
    if (maxcpus > VL_MAX_HARTS) {
        error_setg(errp, "%" PRIu64 " harts are more than the maximum of %d", maxcpus,
                   VL_MAX_HARTS);
        return false;
    }
    smp->cpus = cpus;
    smp->sockets = sockets;
    smp->cores = cores;
    smp->threads = threads;
    smp->max_cpus = maxcpus;
    return true;
}

static bool validate_smp(Opts *opts, Error **errp)
{
    SmpConfig smp;

    return smp_config(opts, &smp, errp);
}

/*
 * QEMU's accelerator names that Tern knows but cannot offer: listed with
 * others (-accel kvm -accel tcg) they are skipped, as QEMU skips what the
 * host lacks; alone they are an error.  "tcg" is QEMU's interpreter: interp.
 */
static const char *const foreign_accels[] = {"kvm", "hvf", "whpx", "xen", "nvmm", "hax", NULL};

static const char *accel_alias(const char *name)
{
    return strcmp(name, "tcg") ? name : "interp";
}

/* A name Tern can run, or one of QEMU's that it knows (skipped when another follows). */
static bool accel_name_known(const char *name)
{
    return accel_find(accel_alias(name)) || one_of(name, foreign_accels);
}

static bool accel_name_invalid(const char *name, Error **errp)
{
    error_setg(errp, "invalid accelerator '%s' (-accel help lists them)", name);
    return false;
}

/*
 * -accel NAME: only an empty name is refused here.  A name no accelerator
 * has is refused once the list is known (configure_accel()): as on QEMU,
 * "-accel tcg -accel nosuch" never reaches it and "-accel nosuch -accel
 * tcg" falls back past it.
 */
static bool validate_accel(Opts *opts, Error **errp)
{
    const char *name = opt_get(opts, "accel");

    if (!name || !*name) {
        error_setg(errp, "no accelerator named (-accel help lists them)");
        return false;
    }
    return true;
}

static bool validate_machine(Opts *opts, Error **errp)
{
    const char *type = opt_get(opts, "type");
    const char *accel = opt_get(opts, "accel");

    if (type && !machine_find_class(type)) {
        error_setg(errp, "unknown machine type '%s' (-M help lists them)", type);
        return false;
    }
    /*
     * accel=A[:B...]: QEMU's older spelling of -accel, tried in order.  A
     * name no accelerator has is skipped with QEMU's line when one Tern
     * runs is in the list (configure_accel()), and refused when none is.
     */
    if (accel) {
        gchar **names = g_strsplit(accel, ":", -1);
        bool ok = names[0] != NULL, runnable = false;

        if (!ok) {
            error_setg(errp, "accel= names no accelerator");
        }
        for (gchar **n = names; ok && *n; n++) {
            if (!**n) {
                error_setg(errp, "no accelerator named (-accel help lists them)");
                ok = false;
            }
            runnable |= accel_find(accel_alias(*n)) != NULL;
        }
        for (gchar **n = names; ok && !runnable && *n; n++) {
            if (!accel_name_known(*n)) {
                ok = accel_name_invalid(*n, errp);
            }
        }
        g_strfreev(names);
        return ok;
    }
    return true;
}

static bool validate_drive(Opts *opts, Error **errp)
{
    static const char *const interfaces[] = {"none", "virtio", NULL};
    const char *format = opt_get(opts, "format");
    const char *iface = opt_get(opts, "if");
    const char *media = opt_get(opts, "media");

    if (format && strcmp(format, "raw")) {
        error_setg(errp, "format '%s' is not supported (Tern reads raw images)", format);
        return false;
    }
    if (iface && !one_of(iface, interfaces)) {
        error_setg(errp, "if=%s is not supported on this machine (none or virtio)", iface);
        return false;
    }
    if (media && strcmp(media, "disk")) {
        error_setg(errp, "media=%s is not supported (disk)", media);
        return false;
    }
    if (!opt_has(opts, "file")) {
        error_setg(errp, "a drive needs file=");
        return false;
    }
    if (!*opt_get(opts, "file")) {
        error_setg(errp, "file= is empty");
        return false;
    }
    return true;
}

static bool validate_chardev(Opts *opts, Error **errp)
{
    static const char *const backends[] = {"null", "stdio", "file", "socket", "ringbuf", NULL};
    const char *backend = opt_get(opts, "backend");

    if (!backend || !*backend) {
        error_setg(errp, "chardev needs a backend (null, stdio, file, socket or ringbuf)");
        return false;
    }
    if (!one_of(backend, backends)) {
        error_setg(errp, "unknown chardev backend '%s' (null, stdio, file, socket or ringbuf)",
                   backend);
        return false;
    }
    if (!opts_id(opts)) {
        error_setg(errp, "chardev needs id=");
        return false;
    }
    if (!strcmp(backend, "file") && !opt_has(opts, "path")) {
        error_setg(errp, "chardev backend 'file' needs path=");
        return false;
    }
    if (!strcmp(backend, "socket")) {
        bool has_path = opt_has(opts, "path"), has_port = opt_has(opts, "port");
        bool has_fd = opt_has(opts, "fd");
        if (has_path + has_port + has_fd > 1) {
            error_setg(errp, "None or one of 'path', 'fd' or 'host' option required.");
            return false;
        }
        if (has_path + has_port + has_fd != 1) {
            error_setg(errp, "chardev backend 'socket' needs either path= or host=/port=");
            return false;
        }
        if (has_port) {
            uint64_t port;
            if (qemu_strtou64(opt_get(opts, "port"), NULL, 10, &port) < 0 || port > 65535) {
                error_setg(errp, "port '%s' is not a number from 0 to 65535",
                           opt_get(opts, "port"));
                return false;
            }
        }
    }
    return true;
}

/* -rtc base= accepts utc, localtime or an ISO date "YYYY-MM-DD[THH:MM:SS]". */
static bool rtc_base_valid(const char *base)
{
    unsigned y, mo, d, h = 0, mi = 0, s = 0;
    int n = 0, m = 0;
    GDateTime *dt;

    if (!strcmp(base, "utc") || !strcmp(base, "localtime")) {
        return true;
    }
    if (sscanf(base, "%4u-%2u-%2u%n", &y, &mo, &d, &n) != 3 || n != 10) {
        return false;
    }
    if (base[n] &&
        (sscanf(base + n, "T%2u:%2u:%2u%n", &h, &mi, &s, &m) != 3 || m != 9 || base[n + m])) {
        return false;
    }
    dt = g_date_time_new_utc(y, mo, d, h, mi, s);
    if (!dt) {
        return false;
    }
    g_date_time_unref(dt);
    return y >= 1970;
}

static bool validate_rtc(Opts *opts, Error **errp)
{
    static const char *const clocks[] = {"vm", "host", "rt", NULL};
    static const char *const drifts[] = {"none", "slew", NULL};
    const char *base = opt_get(opts, "base");
    const char *clock = opt_get(opts, "clock");
    const char *drift = opt_get(opts, "driftfix");

    if (base) {
        unsigned year;

        if (!rtc_base_valid(base)) {
            error_setg(errp, "invalid date format '%s' (utc, localtime or YYYY-MM-DDTHH:MM:SS)",
                       base);
            return false;
        }
        /* The RTC counts nanoseconds since 1970 in 64 bits: that ends in April 2262. */
        if (sscanf(base, "%4u", &year) == 1 && year > 2261) {
            error_setg(errp, "date '%s' is after 2261, the last year the RTC can hold", base);
            return false;
        }
    }
    if (clock && !one_of(clock, clocks)) {
        error_setg(errp, "invalid clock '%s' (vm, host or rt)", clock);
        return false;
    }
    if (drift && !one_of(drift, drifts)) {
        error_setg(errp, "invalid driftfix '%s' (none or slew)", drift);
        return false;
    }
    return true;
}

static bool validate_icount(Opts *opts, Error **errp)
{
    static const char *const modes[] = {"off", "record", "replay", NULL};
    const char *shift = opt_get(opts, "shift");
    const char *rr = opt_get(opts, "rr");
    uint64_t n;

    if (shift && strcmp(shift, "auto")) {
        if (qemu_strtou64(shift, NULL, 10, &n) < 0 || n > VL_MAX_ICOUNT_SHIFT) {
            error_setg(errp, "shift '%s' must be a number from 0 to %d, or auto", shift,
                       VL_MAX_ICOUNT_SHIFT);
            return false;
        }
    }
    if (rr && !one_of(rr, modes)) {
        error_setg(errp, "rr=%s must be off, record or replay", rr);
        return false;
    }
    if (rr && strcmp(rr, "off") && !opt_has(opts, "rrfile")) {
        error_setg(errp, "rr=%s needs rrfile=", rr);
        return false;
    }
    if (opt_get_bool(opts, "align", false) && (!shift || !strcmp(shift, "auto"))) {
        error_setg(errp, "align=on needs a fixed shift=N");
        return false;
    }
    return true;
}

static bool validate_serial(const char *spec, Error **errp)
{
    static const char *const plain[] = {"stdio", "null", "none", "mon:stdio", NULL};

    if (one_of(spec, plain)) {
        return true;
    }
    if (g_str_has_prefix(spec, "file:") && spec[5]) {
        return true;
    }
    if (g_str_has_prefix(spec, "chardev:") && spec[8]) {
        return true;
    }
    error_setg(errp, "invalid serial backend '%s' (stdio, null, none, file:PATH, chardev:ID)",
               spec);
    return false;
}

/* "server", "server=on|off", "wait=on|off", "nowait": the options a socket spec may carry. */
static bool socket_flags_valid(gchar **flags)
{
    static const char *const known[] = {"server",   "server=on", "server=off", "wait=on",
                                        "wait=off", "nowait",    NULL};

    for (gchar **f = flags; *f; f++) {
        if (!one_of(*f, known)) {
            return false;
        }
    }
    return true;
}

/*
 * -qtest and -qmp take QEMU's legacy chardev specs: stdio, null, none,
 * unix:PATH or unix:path=PATH (with socket flags), tcp:HOST:PORT,
 * chardev:ID, file:PATH, or a plain path (a file or device such as
 * /dev/null).  Other "word:" prefixes are back ends Tern does not have.
 */
static bool validate_socket_spec(const char *spec, Error **errp)
{
    if (!strcmp(spec, "stdio") || !strcmp(spec, "none") || !strcmp(spec, "null")) {
        return true;
    }
    if (g_str_has_prefix(spec, "unix:")) {
        gchar **parts = g_strsplit(spec + 5, ",", -1);
        const char *path = parts[0] ? parts[0] : "";
        bool ok;

        if (g_str_has_prefix(path, "path=")) {
            path += 5;
        }
        ok = *path && socket_flags_valid(parts + (parts[0] ? 1 : 0));
        g_strfreev(parts);
        if (!ok) {
            error_setg(errp, "invalid unix socket spec '%s' (unix:PATH[,server=on][,wait=off])",
                       spec);
        }
        return ok;
    }
    if (g_str_has_prefix(spec, "tcp:")) {
        gchar **parts = g_strsplit(spec + 4, ",", -1);
        const char *colon = parts[0] ? strrchr(parts[0], ':') : NULL;
        uint64_t port;
        bool ok;

        if (!colon) {
            error_setg(errp, "invalid tcp spec '%s' (tcp:HOST:PORT)", spec);
            g_strfreev(parts);
            return false;
        }
        ok = qemu_strtou64(colon + 1, NULL, 10, &port) == 0 && port <= 65535;
        if (!ok) {
            error_setg(errp, "invalid tcp port in '%s' (0 to 65535)", spec);
        } else if (!socket_flags_valid(parts + 1)) {
            error_setg(errp, "invalid tcp spec '%s' (tcp:HOST:PORT[,server=on][,wait=off])", spec);
            ok = false;
        }
        g_strfreev(parts);
        return ok;
    }
    if ((g_str_has_prefix(spec, "chardev:") || g_str_has_prefix(spec, "file:")) &&
        strchr(spec, ':')[1]) {
        return true;
    }
    if (*spec && (!strchr(spec, ':') || spec[0] == '/' || spec[0] == '.')) {
        return true; /* a path */
    }
    error_setg(errp, "invalid transport '%s' (stdio, unix:PATH, tcp:HOST:PORT, chardev:ID, a path)",
               spec);
    return false;
}

static bool validate_qtest(const char *spec, Error **errp)
{
    return validate_socket_spec(spec, errp);
}

/* -mon chardev=ID[,mode=control][,pretty=on|off] */
static bool validate_mon(const char *spec, Error **errp)
{
    gchar **parts = g_strsplit(spec, ",", -1);
    bool has_chardev = false, ok = true;

    for (gchar **p = parts; ok && *p; p++) {
        if (g_str_has_prefix(*p, "chardev=") && (*p)[8]) {
            has_chardev = true;
        } else if (!strcmp(*p, "mode=control") || g_str_has_prefix(*p, "pretty=")) {
            continue;
        } else if (!strcmp(*p, "mode=readline")) {
            error_setg(errp, "mode=readline: Tern has only the QMP monitor (mode=control)");
            ok = false;
        } else {
            /* QEMU's words for a mode it does not have and a key it does not know. */
            size_t key = strcspn(*p, "=");

            if (key == 4 && !strncmp(*p, "mode=", 5)) {
                error_setg(errp, "Parameter 'mode' does not accept value '%s'", *p + 5);
            } else if (key == 7 && !strncmp(*p, "chardev", 7)) {
                error_setg(errp, "invalid parameter '%s' (chardev=ID[,mode=control])", *p);
            } else {
                error_setg(errp, "Invalid parameter '%.*s'", (int)key, *p);
            }
            ok = false;
        }
    }
    g_strfreev(parts);
    if (ok && !has_chardev) {
        error_setg(errp, "-mon needs chardev=ID");
        ok = false;
    }
    return ok;
}

static bool validate_display(const char *spec, Error **errp)
{
    char *type = g_strndup(spec, strcspn(spec, ","));
    bool ok = !strcmp(type, "none");

    if (!ok) {
        error_setg(errp, "display '%s' is not available (Tern has only 'none')", type);
    }
    g_free(type);
    return ok;
}

static bool validate_run_opt(void *opaque, const char *name, const char *value, Error **errp)
{
    uint32_t mask;

    if (!strcmp(name, "serial")) {
        return validate_serial(value, errp);
    }
    if (!strcmp(name, "qtest")) {
        return validate_qtest(value, errp);
    }
    if (!strcmp(name, "qmp")) {
        return validate_socket_spec(value, errp);
    }
    if (!strcmp(name, "mon")) {
        return validate_mon(value, errp);
    }
    if (!strcmp(name, "display")) {
        return validate_display(value, errp);
    }
    if (!strcmp(name, "log")) {
        return log_parse_items(value, &mask, errp);
    }
    if (!strcmp(name, "qtest-log") || !strcmp(name, "logfile")) {
        if (!*value) {
            error_setg(errp, "empty file name");
            return false;
        }
    }
    return true;
}

static int validate_run_opt_cb(void *opaque, const char *name, const char *value, Error **errp)
{
    return validate_run_opt(opaque, name, value, errp) ? 0 : -1;
}

static bool validate_global(Opts *opts, Error **errp)
{
    if (!opt_has(opts, "driver") || !opt_has(opts, "property")) {
        error_setg(errp, "a global needs driver= and property= (or driver.property=value)");
        return false;
    }
    if (!opt_has(opts, "value")) {
        error_setg(errp, "a global needs value=");
        return false;
    }
    return true;
}

static bool validate_device_type(const char *driver, Error **errp)
{
    ObjectClass *oc;

    if (!driver || !*driver) {
        error_setg(errp, "a device needs driver= (-device help lists them)");
        return false;
    }
    oc = object_class_by_name(driver);
    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE) || object_class_is_abstract(oc)) {
        error_setg(errp, "'%s' is not a valid device model name (-device help lists them)", driver);
        return false;
    }
    if (!DEVICE_CLASS(oc)->user_creatable) {
        error_setg(errp, "device '%s' cannot be added with -device", driver);
        return false;
    }
    return true;
}

static bool validate_device(Opts *opts, Error **errp)
{
    return validate_device_type(opt_get(opts, "driver"), errp);
}

static bool validate_object(Opts *opts, Error **errp)
{
    const char *type = opt_get(opts, "qom-type");
    ObjectClass *oc;

    if (!type || !*type) {
        error_setg(errp, "an object needs qom-type= (-object help lists them)");
        return false;
    }
    oc = object_class_by_name(type);
    if (!oc || !object_class_dynamic_cast(oc, TYPE_USER_CREATABLE) ||
        object_class_is_abstract(oc)) {
        error_setg(errp, "invalid object type: %s", type);
        return false;
    }
    if (!opts_id(opts)) {
        error_setg(errp, "an object needs id=");
        return false;
    }
    return true;
}

typedef struct GroupValidator {
    OptsList *list;
    bool (*validate)(Opts *opts, Error **errp);
} GroupValidator;

static bool validate_run(Opts *opts, Error **errp)
{
    return opt_foreach(opts, validate_run_opt_cb, NULL, errp) == 0;
}

static const GroupValidator group_validators[] = {
    {&machine_opts, validate_machine}, {&memory_opts, validate_memory},
    {&smp_opts, validate_smp},         {&accel_opts, validate_accel},
    {&drive_opts, validate_drive},     {&device_opts, validate_device},
    {&chardev_opts, validate_chardev}, {&rtc_opts, validate_rtc},
    {&icount_opts, validate_icount},   {&object_opts, validate_object},
    {&global_opts, validate_global},   {&run_opts, validate_run},
};

static int validate_one(void *opaque, Opts *opts, Error **errp)
{
    const GroupValidator *v = opaque;

    if (!v->validate(opts, errp)) {
        error_prepend(errp, "[%s%s%s%s]: ", v->list->name, opts_id(opts) ? " \"" : "",
                      opts_id(opts) ? opts_id(opts) : "", opts_id(opts) ? "\"" : "");
        return -1;
    }
    return 0;
}

/* Validates every group; used after config files, where options come in sections. */
static bool validate_all_groups(Error **errp)
{
    for (size_t i = 0; i < G_N_ELEMENTS(group_validators); i++) {
        if (opts_foreach(group_validators[i].list, validate_one, (void *)&group_validators[i],
                         errp)) {
            return false;
        }
    }
    return true;
}

/* ---- help options ------------------------------------------------------------ */

static void print_property(Object *obj, ObjectProperty *prop, void *opaque)
{
    GPtrArray *lines = opaque;
    const char *type = object_property_type(prop);
    const char *desc = object_property_description(prop);

    if (g_str_has_prefix(type, "child<")) {
        return;
    }
    g_ptr_array_add(lines, g_strdup_printf("  %s=<%s>%s%s", object_property_name(prop), type,
                                           desc ? " - " : "", desc ? desc : ""));
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the properties of an instance of typename, sorted by name. */
static bool print_object_properties(const char *typename, const char *caption, Error **errp)
{
    Object *obj = object_new_checked(typename, errp);
    GPtrArray *lines;

    if (!obj) {
        return false;
    }
    lines = g_ptr_array_new_with_free_func(g_free);
    object_property_foreach(obj, print_property, lines);
    g_ptr_array_sort(lines, compare_strings);
    printf("%s %s:\n", typename, caption);
    for (guint i = 0; i < lines->len; i++) {
        printf("%s\n", (char *)lines->pdata[i]);
    }
    if (!lines->len) {
        printf("  (no properties)\n");
    }
    g_ptr_array_free(lines, TRUE);
    object_unref(obj);
    return true;
}

static void print_type_list(const char *parent, bool need_user_creatable, const char *caption)
{
    GSList *list = object_class_get_list_sorted(parent, false);

    printf("%s\n", caption);
    for (GSList *l = list; l; l = l->next) {
        ObjectClass *oc = l->data;
        if (need_user_creatable && !DEVICE_CLASS(oc)->user_creatable) {
            continue;
        }
        if (need_user_creatable && DEVICE_CLASS(oc)->desc) {
            printf("name \"%s\", desc \"%s\"\n", object_class_get_name(oc), DEVICE_CLASS(oc)->desc);
        } else if (!need_user_creatable) {
            printf("  %s\n", object_class_get_name(oc)); /* -object help: QEMU's layout */
        } else {
            printf("name \"%s\"\n", object_class_get_name(oc));
        }
    }
    g_slist_free(list);
}

/* -device help, -device NAME,help; returns true when help was printed. */
static bool device_help(const char *arg, bool *printed, Error **errp)
{
    char *driver;
    bool ok = true;

    *printed = false;
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        print_type_list(TYPE_DEVICE, true, "Devices (use -device NAME,help for properties):");
        *printed = true;
        return true;
    }
    if (!opts_has_help_option(arg)) {
        return true;
    }
    driver = g_strndup(arg, strcspn(arg, ","));
    if (g_str_has_prefix(driver, "driver=")) {
        memmove(driver, driver + 7, strlen(driver + 7) + 1);
    }
    ok = validate_device_type(driver, errp) && print_object_properties(driver, "options", errp);
    *printed = ok;
    g_free(driver);
    return ok;
}

static bool object_help(const char *arg, bool *printed, Error **errp)
{
    char *type;
    bool ok;

    *printed = false;
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        print_type_list(TYPE_USER_CREATABLE, false, "List of user creatable objects:");
        *printed = true;
        return true;
    }
    if (!opts_has_help_option(arg)) {
        return true;
    }
    type = g_strndup(arg, strcspn(arg, ","));
    ok = true;
    {
        ObjectClass *oc = object_class_by_name(type);
        if (!oc || !object_class_dynamic_cast(oc, TYPE_USER_CREATABLE) ||
            object_class_is_abstract(oc)) {
            error_setg(errp, "invalid object type: %s", type);
            ok = false;
        }
    }
    ok = ok && print_object_properties(type, "options", errp);
    *printed = ok;
    g_free(type);
    return ok;
}

static bool machine_help(const char *arg, bool *printed, Error **errp)
{
    char *name;
    MachineClass *mc;
    bool ok;

    *printed = false;
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        machine_print_help();
        *printed = true;
        return true;
    }
    if (!opts_has_help_option(arg)) {
        return true;
    }
    name = g_strndup(arg, strcspn(arg, ","));
    if (g_str_has_prefix(name, "type=")) {
        memmove(name, name + 5, strlen(name + 5) + 1);
    }
    mc = machine_find_class(name);
    if (!mc) {
        error_setg(errp, "unknown machine type '%s' (-M help lists them)", name);
        g_free(name);
        return false;
    }
    ok = print_object_properties(object_class_get_name(OBJECT_CLASS(mc)), "options", errp);
    *printed = ok;
    g_free(name);
    return ok;
}

static void cpu_print_help(void)
{
    MachineClass *mc = machine_default_class();

    printf("Available CPUs:\n");
    if (mc && mc->valid_cpu_types) {
        for (const char *const *t = mc->valid_cpu_types; *t; t++) {
            printf("  %s\n", *t);
        }
    }
}

/* ---- the two passes ------------------------------------------------------------- */

typedef struct StartupState {
    bool nouserconfig;
    bool help_done;
    const char *writeconfig;
    GPtrArray *readconfig; /* const char *, in order */
} StartupState;

static bool is_help(const char *arg)
{
    return !strcmp(arg, "help") || !strcmp(arg, "?");
}

/* First pass: only what decides how to read the rest. */
static bool first_pass(int argc, char **argv, StartupState *st, Error **errp)
{
    int optind = 1;

    while (optind < argc) {
        const char *optarg;
        const CmdOption *opt = lookup_option(argc, argv, &optind, &optarg, errp);

        if (!opt) {
            return false;
        }
        switch (opt->index) {
        case OPT_NOUSERCONFIG:
        case OPT_NO_USER_CONFIG:
            st->nouserconfig = true;
            break;
        case OPT_HELP:
            print_usage();
            st->help_done = true;
            return true;
        case OPT_VERSION:
            printf("Tern emulator version %s\n"
                   "QEMU-compatible command line, qtest protocol and virt machine\n",
                   TERN_VERSION);
            st->help_done = true;
            return true;
        case OPT_READCONFIG:
            g_ptr_array_add(st->readconfig, (gpointer)optarg);
            break;
        case OPT_WRITECONFIG:
            st->writeconfig = optarg;
            break;
        default:
            break;
        }
    }
    return true;
}

/* The user's config file: $TERN_CONFIG, else $XDG_CONFIG_HOME/tern/tern.conf. */
static char *user_config_path(void)
{
    const char *env = g_getenv("TERN_CONFIG");

    if (env && *env) {
        return g_strdup(env);
    }
    return g_build_filename(g_get_user_config_dir(), "tern", "tern.conf", NULL);
}

static bool read_config_files(StartupState *st, Error **errp)
{
    if (!st->nouserconfig) {
        char *path = user_config_path();
        bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
        bool ok = !exists || config_read_file("user config file", path, errp);

        g_free(path);
        if (!ok) {
            return false;
        }
    }
    for (guint i = 0; i < st->readconfig->len; i++) {
        const char *path = st->readconfig->pdata[i];
        Location loc;
        bool ok;

        if (!config_read_file("-readconfig", path, errp)) {
            return false;
        }
        loc_push_none(&loc);
        loc_set_file(path, 0);
        ok = validate_all_groups(errp);
        loc_pop(&loc);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Parses params into list and validates the result; nothing is added on error. */
static Opts *parse_group(OptsList *list, const char *params, bool permit_abbrev,
                         bool (*validate)(Opts *, Error **), Error **errp)
{
    Opts *opts;

    if (list->merge_lists) {
        /* Merged groups accumulate: validate a copy first so a bad value changes nothing. */
        Opts *existing = opts_find(list, NULL);
        char *before = existing ? opts_to_string(existing) : NULL;

        opts = opts_parse(list, params, permit_abbrev, errp);
        if (opts && validate && !validate(opts, errp)) {
            opts_del(opts);
            if (before) {
                Opts *restored = opts_parse(list, before, false, NULL);
                (void)restored;
            }
            opts = NULL;
        }
        g_free(before);
        return opts;
    }
    opts = opts_parse(list, params, permit_abbrev, errp);
    if (opts && validate && !validate(opts, errp)) {
        opts_del(opts);
        return NULL;
    }
    return opts;
}

static bool set_run_opt(const char *key, const char *value, Error **errp)
{
    Opts *run = run_group();
    Error *local = NULL;

    if (!validate_run_opt(NULL, key, value, &local)) {
        error_propagate(errp, local);
        return false;
    }
    return opt_set(run, key, value, errp);
}

/* -global driver.property=value, or driver=...,property=...,value=... */
static bool parse_global(const char *arg, Error **errp)
{
    const char *eq = strchr(arg, '=');
    const char *dot = strchr(arg, '.');

    /* The dot form's value is taken whole, with ",," meaning one comma as elsewhere. */
    if (dot && eq && dot < eq && !memchr(arg, ',', eq - arg) && !g_str_has_prefix(arg, "driver=")) {
        Opts *opts = opts_create(&global_opts, NULL, false, errp);
        char *driver = g_strndup(arg, dot - arg);
        char *property = g_strndup(dot + 1, eq - dot - 1);
        gchar **pieces = g_strsplit(eq + 1, ",,", -1);
        char *value = g_strjoinv(",", pieces);
        bool ok = opts != NULL;

        if (ok && (!*driver || !*property)) {
            error_setg(errp, "invalid format (driver.property=value)");
            ok = false;
        }
        ok = ok && opt_set(opts, "driver", driver, errp) &&
             opt_set(opts, "property", property, errp) && opt_set(opts, "value", value, errp);
        g_strfreev(pieces);
        g_free(value);
        g_free(driver);
        g_free(property);
        if (!ok && opts) {
            opts_del(opts);
        }
        return ok;
    }
    if (!eq) {
        error_setg(errp, "invalid format (driver.property=value)");
        return false;
    }
    return parse_group(&global_opts, arg, false, validate_global, errp) != NULL;
}

static bool set_machine_key(const char *key, const char *value, Error **errp)
{
    Opts *opts = opts_find(&machine_opts, NULL);

    if (!opts) {
        opts = opts_create(&machine_opts, NULL, false, errp);
        if (!opts) {
            return false;
        }
    }
    return opt_set(opts, key, value, errp);
}

/* -vga: the names QEMU 7.2 knows for this target; none of them makes a device on Tern. */
static const char *const vga_names[][2] = {
    {"none", "no graphic card"}, {"std", "standard VGA"},  {"cirrus", "Cirrus VGA (default)"},
    {"vmware", "VMWare SVGA"},   {"virtio", "Virtio VGA"},
};

static void vga_print_help(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(vga_names); i++) {
        printf("%-20s %s\n", vga_names[i][0], vga_names[i][1]);
    }
}

/*
 * As QEMU (no location: it decides after reading every option): a name it
 * knows but cannot build on this target is "not available", any other
 * unknown.
 */
static bool check_vga(const char *vga, Error **errp)
{
    static const char *const unavailable[][2] = {
        {"qxl", "QXL VGA"}, {"tcx", "TCX framebuffer"}, {"cg3", "CG3 framebuffer"}};

    for (size_t i = 0; i < G_N_ELEMENTS(vga_names); i++) {
        if (!strcmp(vga, vga_names[i][0])) {
            return true;
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(unavailable); i++) {
        if (!strcmp(vga, unavailable[i][0])) {
            error_setg(errp, "%s not available", unavailable[i][1]);
            return false;
        }
    }
    error_setg(errp, "unknown vga type: %s", vga);
    return false;
}

/* Trace lines carry the virtual clock, so that two runs give the same trace (docs/trace.md). */
static int64_t trace_clock_ns(void)
{
    return clock_get_ns(CLOCK_VIRTUAL);
}

/* -msg and -name as read so far decide what precedes "tern: " on reports. */
static void update_report_prefix(void)
{
    Opts *msg = opts_find(&msg_opts, NULL);
    Opts *name = opts_find(&name_opts, NULL);
    const char *guest = name ? opt_get(name, "guest") : NULL;
    bool with_name = msg && opt_get_bool(msg, "guest-name", false) && guest;

    error_set_report_prefix(msg && opt_get_bool(msg, "timestamp", false), with_name ? guest : NULL);
    trace_set_timestamp(msg && opt_get_bool(msg, "timestamp", false) ? trace_clock_ns : NULL);
}

static bool second_pass(int argc, char **argv, StartupState *st, Error **errp)
{
    int optind = 1;

    while (optind < argc) {
        const char *optarg;
        const CmdOption *opt = lookup_option(argc, argv, &optind, &optarg, errp);
        bool printed = false;
        bool ok = true;

        if (!opt) {
            return false;
        }
        switch (opt->index) {
        case OPT_MACHINE:
        case OPT_M:
            ok = machine_help(optarg, &printed, errp);
            if (ok && !printed) {
                ok = parse_group(&machine_opts, optarg, true, validate_machine, errp) != NULL;
            }
            break;
        case OPT_MEMORY:
            ok = parse_group(&memory_opts, optarg, true, validate_memory, errp) != NULL;
            break;
        case OPT_SMP:
            ok = parse_group(&smp_opts, optarg, true, validate_smp, errp) != NULL;
            break;
        case OPT_ACCEL:
            if (is_help(optarg)) {
                accel_print_help();
                printed = true;
            } else {
                ok = parse_group(&accel_opts, optarg, true, validate_accel, errp) != NULL;
            }
            break;
        case OPT_CPU:
            if (is_help(optarg)) {
                cpu_print_help();
                printed = true;
            } else if (!*optarg) {
                error_setg(errp, "empty CPU model");
                ok = false;
            } else {
                ok = set_run_opt("cpu", optarg, errp);
            }
            break;
        case OPT_BIOS:
        case OPT_KERNEL:
        case OPT_INITRD:
        case OPT_APPEND:
        case OPT_DTB: {
            static const char *const keys[] = {[OPT_BIOS] = "firmware",
                                               [OPT_KERNEL] = "kernel",
                                               [OPT_INITRD] = "initrd",
                                               [OPT_APPEND] = "append",
                                               [OPT_DTB] = "dtb"};
            if (!*optarg && opt->index != OPT_APPEND) {
                error_setg(errp, "empty file name");
                ok = false;
            } else {
                ok = set_machine_key(keys[opt->index], optarg, errp);
            }
            break;
        }
        case OPT_DRIVE:
            ok = parse_group(&drive_opts, optarg, false, validate_drive, errp) != NULL;
            break;
        case OPT_DEVICE:
            ok = device_help(optarg, &printed, errp);
            if (ok && !printed) {
                ok = parse_group(&device_opts, optarg, true, validate_device, errp) != NULL;
            }
            break;
        case OPT_CHARDEV:
            ok = parse_group(&chardev_opts, optarg, true, validate_chardev, errp) != NULL;
            break;
        case OPT_SERIAL:
            ok = set_run_opt("serial", optarg, errp);
            break;
        case OPT_RTC:
            ok = parse_group(&rtc_opts, optarg, false, validate_rtc, errp) != NULL;
            break;
        case OPT_ICOUNT:
            ok = parse_group(&icount_opts, optarg, true, validate_icount, errp) != NULL;
            break;
        case OPT_QTEST:
            ok = set_run_opt("qtest", optarg, errp);
            break;
        case OPT_QTEST_LOG:
            ok = set_run_opt("qtest-log", optarg, errp);
            break;
        case OPT_DISPLAY:
            if (is_help(optarg)) {
                printf("Available display backend types:\nnone\n");
                printed = true;
            } else {
                ok = set_run_opt("display", optarg, errp);
            }
            break;
        case OPT_NOGRAPHIC:
            ok = set_run_opt("nographic", "on", errp);
            break;
        case OPT_NODEFAULTS:
            ok = set_run_opt("nodefaults", "on", errp);
            break;
        case OPT_START_PAUSED:
            ok = set_run_opt("start-paused", "on", errp);
            break;
        case OPT_NO_REBOOT:
            ok = set_run_opt("no-reboot", "on", errp);
            break;
        case OPT_NO_SHUTDOWN:
            ok = set_run_opt("no-shutdown", "on", errp);
            break;
        case OPT_OBJECT:
            ok = object_help(optarg, &printed, errp);
            if (ok && !printed) {
                ok = parse_group(&object_opts, optarg, true, validate_object, errp) != NULL;
            }
            break;
        case OPT_GLOBAL:
            ok = parse_global(optarg, errp);
            break;
        case OPT_LOGFILE:
            ok = set_run_opt("logfile", optarg, errp);
            break;
        case OPT_QMP:
            ok = set_run_opt("qmp", optarg, errp);
            break;
        case OPT_MON:
            ok = set_run_opt("mon", optarg, errp);
            break;
        case OPT_MONITOR:
            /* null and none: QEMU makes a monitor nobody can reach, or none (add_monitor_null). */
            if (strcmp(optarg, "none") && strcmp(optarg, "null")) {
                error_setg(errp, "Tern has no human monitor; use -qmp or -mon mode=control");
                ok = false;
            } else {
                ok = set_run_opt("monitor", optarg, errp);
            }
            break;
        case OPT_AUDIO:
            if (strcmp(optarg, "none") && strcmp(optarg, "driver=none")) {
                error_setg(errp, "Tern has no audio back end (only 'none')");
                ok = false;
            }
            break;
        case OPT_RUN_WITH: {
            const char *v = g_str_has_prefix(optarg, "exit-with-parent=") ? optarg + 17 : NULL;
            bool b;
            if (!v || !qemu_parse_bool(v, &b)) {
                error_setg(errp, "expected exit-with-parent=on|off");
                ok = false;
            } else {
                ok = set_run_opt("exit-with-parent", b ? "on" : "off", errp);
            }
            break;
        }
        case OPT_TRACE:
            ok = trace_opt_parse(optarg, &printed, errp);
            break;
        case OPT_LOG:
            if (is_help(optarg)) {
                log_print_help();
                printed = true;
            } else {
                ok = set_run_opt("log", optarg, errp);
            }
            break;
        case OPT_VGA:
            if (is_help(optarg)) {
                vga_print_help();
                printed = true;
            } else {
                ok = set_run_opt("vga", optarg, errp);
            }
            break;
        case OPT_NAME:
            ok = parse_group(&name_opts, optarg, true, NULL, errp) != NULL;
            update_report_prefix();
            break;
        case OPT_MSG:
            ok = parse_group(&msg_opts, optarg, false, NULL, errp) != NULL;
            update_report_prefix();
            break;
        case OPT_PIDFILE:
            ok = set_run_opt("pidfile", optarg, errp);
            break;
        case OPT_DAEMONIZE:
            ok = set_run_opt("daemonize", "on", errp);
            break;
        case OPT_ADD_FD:
            ok = parse_group(&add_fd_opts, optarg, false, NULL, errp) != NULL;
            break;
        case OPT_PARALLEL:
            if (strcmp(optarg, "none") && strcmp(optarg, "null")) {
                error_setg(errp, "Tern's machines have no parallel port (only none or null)");
                ok = false;
            } else {
                ok = set_run_opt("parallel", optarg, errp);
            }
            break;
        case OPT_READCONFIG:
        case OPT_WRITECONFIG:
        case OPT_NOUSERCONFIG:
        case OPT_NO_USER_CONFIG:
        case OPT_VERSION:
        case OPT_HELP:
            break; /* first pass */
        case OPT_RECORD:
            break; /* open_recording(), before anything else */
        }
        if (!ok) {
            return false;
        }
        if (printed) {
            st->help_done = true;
            return true;
        }
    }
    return true;
}

static char *opts_as_typed(Opts *opts);

static int refuse_stdio_chardev(void *opaque, Opts *opts, Error **errp)
{
    if (!strcmp(opt_get(opts, "backend"), "stdio")) {
        /* As libraries write it: the back end, its id, the rest. */
        char *s = opts_as_typed(opts);
        char *id = g_strdup_printf("id=%s", opts_id(opts));
        gchar **parts = g_strsplit(s, ",", -1);
        GString *typed = g_string_new("stdio");

        g_string_append_printf(typed, ",%s", id);
        for (gchar **p = parts; *p; p++) {
            if (strcmp(*p, id) && strcmp(*p, "stdio") && strcmp(*p, "backend=stdio")) {
                g_string_append_printf(typed, ",%s", *p);
            }
        }
        error_setg(errp, "-chardev %s: cannot use stdio with -daemonize", typed->str);
        g_string_free(typed, TRUE);
        g_strfreev(parts);
        g_free(id);
        g_free(s);
        return -1;
    }
    return 0;
}

static int refuse_stdio_run_opt(void *opaque, const char *name, const char *value, Error **errp)
{
    const char *option = opaque;

    if (strcmp(name, option)) {
        return 0;
    }
    if (!strcmp(value, "stdio") || !strcmp(value, "mon:stdio")) {
        /* QEMU names the option for -serial and -qmp, not for -qtest. */
        if (!strcmp(name, "qtest")) {
            error_setg(errp, "cannot use stdio with -daemonize");
        } else {
            error_setg(errp, "-%s %s: cannot use stdio with -daemonize", name, value);
        }
        return -1;
    }
    return 0;
}

/*
 * -daemonize closes stdin, stdout and stderr once start-up is done: nothing
 * may use stdio.  -nographic means stdio for every default port QEMU would
 * make (serial, monitor, parallel), so it is refused unless each of them is
 * redirected or -nodefaults drops them, as QEMU 7.2 does on this target.
 */
static bool check_daemonize(Opts *run, Error **errp)
{
    static const char *const stdio_users[] = {"qmp", "serial", "qtest"};
    bool defaults = !opt_get_bool(run, "nodefaults", false);
    bool default_port =
        defaults && (!opt_has(run, "serial") || !opt_has(run, "parallel") ||
                     !(opt_has(run, "monitor") || opt_has(run, "qmp") || opt_has(run, "mon")));

    if (opt_get_bool(run, "nographic", false) && default_port) {
        error_setg(errp, "-nographic cannot be used with -daemonize");
        return false;
    }
    if (opts_foreach(&chardev_opts, refuse_stdio_chardev, NULL, errp)) {
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(stdio_users); i++) {
        if (opt_foreach(run, refuse_stdio_run_opt, (void *)stdio_users[i], errp)) {
            return false;
        }
    }
    return true;
}

/* Combinations that make no sense, checked once everything is in its group. */
static bool check_combinations(Error **errp)
{
    Opts *machine = opts_find(&machine_opts, NULL);
    Opts *run = opts_find(&run_opts, NULL);
    bool has_kernel = machine && opt_has(machine, "kernel");

    if (machine && opt_has(machine, "initrd") && !has_kernel) {
        error_setg(errp, "-initrd needs -kernel");
        return false;
    }
    if (machine && opt_has(machine, "append") && !has_kernel) {
        error_setg(errp, "-append needs -kernel");
        return false;
    }
    if (run && opt_get_bool(run, "nographic", false) && opt_has(run, "display") &&
        !g_str_has_prefix(opt_get(run, "display"), "none")) {
        error_setg(errp, "-nographic cannot be combined with -display %s", opt_get(run, "display"));
        return false;
    }
    if (run && opt_has(run, "qtest-log") && !opt_has(run, "qtest")) {
        error_setg(errp, "-qtest-log needs -qtest");
        return false;
    }
    /* QEMU's words: one way of naming the accelerator, not both. */
    if (machine && opt_has(machine, "accel") && opts_find(&accel_opts, NULL)) {
        error_setg(errp, "The -accel and \"-machine accel=\" options are incompatible");
        return false;
    }
    if (run && opt_has(run, "vga") && !check_vga(opt_get(run, "vga"), errp)) {
        return false;
    }
    return !(run && opt_get_bool(run, "daemonize", false)) || check_daemonize(run, errp);
}

/* Every -serial chardev:ID and -device chardev=ID names an existing -chardev. */
static int check_serial_chardev(void *opaque, const char *name, const char *value, Error **errp)
{
    if ((!strcmp(name, "serial") || !strcmp(name, "qtest") || !strcmp(name, "qmp")) &&
        g_str_has_prefix(value, "chardev:") && !opts_find(&chardev_opts, value + 8)) {
        error_setg(errp, "-%s %s: no chardev with id '%s'", name, value, value + 8);
        return -1;
    }
    if (!strcmp(name, "mon")) {
        const char *id = strstr(value, "chardev=") + 8;
        char *chardev = g_strndup(id, strcspn(id, ","));
        bool found = opts_find(&chardev_opts, chardev) != NULL;

        if (!found) {
            error_setg(errp, "-mon %s: no chardev with id '%s'", value, chardev);
        }
        g_free(chardev);
        return found ? 0 : -1;
    }
    return 0;
}

static bool check_references(Error **errp)
{
    Opts *run = opts_find(&run_opts, NULL);

    return !run || opt_foreach(run, check_serial_chardev, NULL, errp) == 0;
}

/* ---- the machine, in phases --------------------------------------------------------- */

/*
 * The option as the user would write it, for error messages: the implied
 * key's value first and bare ("virtio-blk-device,drive=d0", not
 * "driver=virtio-blk-device,drive=d0").  Caller frees.
 */
static char *opts_as_typed(Opts *opts)
{
    OptsList *list = opts_list(opts);
    char *s = opts_to_string(opts);
    char *prefix = list->implied_opt_name ? g_strdup_printf("%s=", list->implied_opt_name) : NULL;

    if (prefix && g_str_has_prefix(s, prefix)) {
        memmove(s, s + strlen(prefix), strlen(s + strlen(prefix)) + 1);
    } else if (prefix && opts_id(opts)) {
        /* "id=c,backend=socket,fd=3" is typed "socket,id=c,fd=3" (ids have no commas). */
        size_t id_len = strlen("id=") + strlen(opts_id(opts));

        if (s[id_len] == ',' && g_str_has_prefix(s + id_len + 1, prefix)) {
            const char *implied = s + id_len + 1 + strlen(prefix);
            size_t implied_len = strcspn(implied, ",");
            char *typed = g_strdup_printf("%.*s,%.*s%s", (int)implied_len, implied, (int)id_len, s,
                                          implied + implied_len);

            g_free(s);
            s = typed;
        }
    }
    g_free(prefix);
    return s;
}

static int create_object(void *opaque, Opts *opts, Error **errp);
static int create_device(void *opaque, Opts *opts, Error **errp);

typedef struct PropList {
    GPtrArray *keys, *values;
    const char *skip;
} PropList;

static int collect_prop(void *opaque, const char *name, const char *value, Error **errp)
{
    PropList *pl = opaque;

    if (strcmp(name, pl->skip) && strcmp(name, "id")) {
        g_ptr_array_add(pl->keys, (gpointer)name);
        g_ptr_array_add(pl->values, (gpointer)value);
    }
    return 0;
}

static int create_object(void *opaque, Opts *opts, Error **errp)
{
    PropList pl = {g_ptr_array_new(), g_ptr_array_new(), "qom-type"};
    Object *obj;

    opt_foreach(opts, collect_prop, &pl, NULL);
    obj = user_creatable_new(opt_get(opts, "qom-type"), opts_id(opts),
                             (const char *const *)pl.keys->pdata,
                             (const char *const *)pl.values->pdata, pl.keys->len, errp);
    g_ptr_array_free(pl.keys, TRUE);
    g_ptr_array_free(pl.values, TRUE);
    if (!obj) {
        char *s = opts_as_typed(opts);
        error_prepend(errp, "-object %s: ", s);
        g_free(s);
        return -1;
    }
    return 0;
}

static unsigned anon_device_count;

static int set_device_prop(void *opaque, const char *name, const char *value, Error **errp)
{
    if (!strcmp(name, "driver") || !strcmp(name, "id")) {
        return 0;
    }
    return object_property_parse(opaque, name, value, errp) ? 0 : -1;
}

static int create_device(void *opaque, Opts *opts, Error **errp)
{
    MachineState *ms = opaque;
    const char *driver = opt_get(opts, "driver");
    const char *id = opts_id(opts);
    DeviceState *dev = qdev_try_new(driver, errp);
    bool ok = dev != NULL;

    if (ok && id) {
        dev->id = g_strdup(id);
    }
    ok = ok && opt_foreach(opts, set_device_prop, dev, errp) == 0;
    if (ok) {
        Object *parent = container_get(OBJECT(ms), id ? "/peripheral" : "/peripheral-anon");
        char *name = id ? g_strdup(id) : g_strdup_printf("device[%u]", anon_device_count++);

        if (object_resolve_path_component(parent, name)) {
            error_setg(errp, "Duplicate ID '%s' for device", name);
            ok = false;
        } else {
            object_property_add_child(parent, name, OBJECT(dev));
        }
        g_free(name);
    }
    ok = ok && qdev_realize(dev, errp);
    if (dev) {
        if (!ok && object_get_parent(OBJECT(dev))) {
            object_unparent(OBJECT(dev));
        }
        object_unref(OBJECT(dev));
    }
    if (!ok) {
        char *s = opts_as_typed(opts);
        error_prepend(errp, "-device %s: ", s);
        g_free(s);
        return -1;
    }
    return 0;
}

typedef struct SetMachineProp {
    MachineState *ms;
} SetMachineProp;

static int set_machine_prop(void *opaque, const char *name, const char *value, Error **errp)
{
    static const char *const cmdline_names[][2] = {
        {"firmware", "-bios"}, {"kernel", "-kernel"}, {"initrd", "-initrd"},
        {"append", "-append"}, {"dtb", "-dtb"},
    };
    Object *obj = opaque;

    if (!strcmp(name, "type") || !strcmp(name, "accel")) {
        return 0; /* accel= is read by configure_accel() */
    }
    if (!object_property_parse(obj, name, value, errp)) {
        const char *option = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS(cmdline_names); i++) {
            if (!strcmp(cmdline_names[i][0], name)) {
                option = cmdline_names[i][1];
            }
        }
        if (option) {
            error_prepend(errp, "%s %s: ", option, value);
        } else {
            error_prepend(errp, "-machine %s=%s: ", name, value);
        }
        return -1;
    }
    return 0;
}

/*
 * Image options' files are checked before the machine is built, so that one
 * the board could never load (a directory, a pipe, a device, too big) is
 * refused before any back end starts; the board opens and checks them again
 * when it reads them.  fd: what hostfile_open*() gave; true if it was open.
 */
static bool checked_and_closed(int fd)
{
    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

static bool create_machine(Error **errp)
{
    Opts *mopts = opts_find(&machine_opts, NULL);
    Opts *run = opts_find(&run_opts, NULL);
    const char *type = mopts ? opt_get(mopts, "type") : NULL;
    MachineClass *mc = type ? machine_find_class(type) : machine_default_class();
    Opts *mem = opts_find(&memory_opts, NULL);
    const char *cpu = run ? opt_get(run, "cpu") : NULL;
    MachineState *ms;

    if (!mc) {
        error_setg(errp, "no machine type given and no default machine");
        return false;
    }
    ms = MACHINE(object_new(object_class_get_name(OBJECT_CLASS(mc))));
    object_property_add_child(object_get_root(), "machine", OBJECT(ms));
    object_unref(OBJECT(ms));
    machine_set_current(ms);

    if (mopts && opt_foreach(mopts, set_machine_prop, ms, errp)) {
        return false;
    }
    ms->ram_size = mc->default_ram_size;
    if (mem && !memory_size(mem, &ms->ram_size, errp)) {
        error_prepend(errp, "-m: ");
        return false;
    }
    if (!smp_config(opts_find(&smp_opts, NULL), &ms->smp, errp)) {
        error_prepend(errp, "-smp: ");
        return false;
    }
    if ((int)ms->smp.max_cpus > mc->max_cpus) {
        error_setg(errp, "-smp: machine '%s' supports at most %d hart%s, not %u", mc->name,
                   mc->max_cpus, mc->max_cpus == 1 ? "" : "s", ms->smp.max_cpus);
        return false;
    }
    if (cpu) {
        bool valid = mc->valid_cpu_types == NULL;
        for (const char *const *t = mc->valid_cpu_types; t && *t; t++) {
            valid |= !strcmp(*t, cpu);
        }
        if (!valid) {
            error_setg(errp, "-cpu %s: machine '%s' has no CPU model '%s' (-cpu help)", cpu,
                       mc->name, cpu);
            return false;
        }
    }
    ms->cpu_type = g_strdup(cpu ? cpu : mc->default_cpu_type);
    ms->no_defaults = run && opt_get_bool(run, "nodefaults", false);
    if ((ms->kernel || ms->initrd || ms->dtb) && !mc->can_load_kernel) {
        error_setg(errp, "machine '%s' cannot load -kernel, -initrd or -dtb images", mc->name);
        return false;
    }
    if (ms->firmware && strcmp(ms->firmware, "none") && strcmp(ms->firmware, "default") &&
        !checked_and_closed(hostfile_open_image("-bios", ms->firmware, ms->ram_size, errp))) {
        return false;
    }
    if ((ms->kernel &&
         !checked_and_closed(hostfile_open_image("-kernel", ms->kernel, ms->ram_size, errp))) ||
        (ms->initrd &&
         !checked_and_closed(hostfile_open_image("-initrd", ms->initrd, ms->ram_size, errp))) ||
        (ms->dtb && !checked_and_closed(hostfile_open("-dtb", ms->dtb, O_RDONLY, HOSTFILE_REGULAR,
                                                      HOSTFILE_DTB_MAX_SIZE, NULL, errp)))) {
        return false;
    }
    /* QEMU's words: no machine Tern has takes a display adapter. */
    if (run && opt_has(run, "vga") && strcmp(opt_get(run, "vga"), "none")) {
        warn_report("A -vga option was passed but this machine type does not use that option; "
                    "No VGA device has been created");
    }
    phase_advance(PHASE_MACHINE_CREATED);
    return true;
}

/* ---- early back ends: chardevs, then the serial ports that use them ---------- */

#define MAX_SERIAL_PORTS 4

static Chardev *serial_chardevs[MAX_SERIAL_PORTS];
static int serial_count;

Chardev *serial_hd(int index)
{
    return index >= 0 && index < serial_count ? serial_chardevs[index] : NULL;
}

/* ---- what start-up decided, for boards and back ends (only vl.c reads its groups) ---- */

bool vl_nographic(void)
{
    Opts *run = opts_find(&run_opts, NULL);

    return run && opt_get_bool(run, "nographic", false);
}

const char *vl_pidfile(void)
{
    Opts *run = opts_find(&run_opts, NULL);

    return run ? opt_get(run, "pidfile") : NULL;
}

bool vl_daemonize(void)
{
    Opts *run = opts_find(&run_opts, NULL);

    return run && opt_get_bool(run, "daemonize", false);
}

static VlBeforeMachineHook *before_machine_hook;

void vl_set_before_machine_hook(VlBeforeMachineHook *hook)
{
    before_machine_hook = hook;
}

const char *vl_guest_name(void)
{
    Opts *name = opts_find(&name_opts, NULL);

    return name ? opt_get(name, "guest") : NULL;
}

const char *vl_qtest_log(void)
{
    Opts *run = opts_find(&run_opts, NULL);

    return run ? opt_get(run, "qtest-log") : NULL;
}

bool vl_rtc_base_ns(int64_t *ns)
{
    Opts *rtc = opts_find(&rtc_opts, NULL);
    const char *base = rtc ? opt_get(rtc, "base") : NULL;
    GDateTime *date;
    char *iso;

    if (!base) {
        return false;
    }
    if (!strcmp(base, "utc") || !strcmp(base, "localtime")) {
        /* Asked for explicitly: the host's time at start-up (a recorded host-clock read). */
        *ns = clock_get_ns(CLOCK_HOST);
        return true;
    }
    /* validate_rtc accepted it: YYYY-MM-DD[THH:MM:SS], UTC. */
    iso = strchr(base, 'T') ? g_strdup_printf("%sZ", base) : g_strdup_printf("%sT00:00:00Z", base);
    date = g_date_time_new_from_iso8601(iso, NULL);
    g_free(iso);
    if (!date) {
        return false;
    }
    *ns = g_date_time_to_unix(date) * NANOSECONDS_PER_SECOND; /* validate_rtc: year <= 2261 */
    g_date_time_unref(date);
    return true;
}

bool vl_icount_shift(unsigned *shift)
{
    Opts *icount = opts_find(&icount_opts, NULL);
    const char *text = icount ? opt_get(icount, "shift") : NULL;
    uint64_t n;

    if (!text || !strcmp(text, "auto") || qemu_strtou64(text, NULL, 10, &n) < 0) {
        return false;
    }
    *shift = (unsigned)n;
    return true;
}

bool vl_rtc_clock_host(void)
{
    Opts *rtc = opts_find(&rtc_opts, NULL);
    const char *clock = rtc ? opt_get(rtc, "clock") : NULL;

    return clock && !strcmp(clock, "host");
}

static int create_chardev(void *opaque, Opts *opts, Error **errp)
{
    ChardevOptions o = {
        .backend = opt_get(opts, "backend"),
        .path = opt_get(opts, "path"),
        .host = opt_get(opts, "host"),
        .port = opt_get(opts, "port"),
        .server = opt_get_bool(opts, "server", false),
        .append = opt_get_bool(opts, "append", false),
        .size = opt_get_size(opts, "size", 0),
        .has_fd = opt_has(opts, "fd"),
        .fd = (int)opt_get_number(opts, "fd", 0),
    };

    o.wait = o.server && opt_get_bool(opts, "wait", true);
    if (!chardev_new(opts_id(opts), &o, errp)) {
        char *s = opts_as_typed(opts);
        error_prepend(errp, "-chardev %s: ", s);
        g_free(s);
        return -1;
    }
    return 0;
}

static int create_serial(void *opaque, const char *name, const char *value, Error **errp)
{
    char *id;
    Chardev *chr;

    if (strcmp(name, "serial")) {
        return 0;
    }
    if (serial_count == MAX_SERIAL_PORTS) {
        error_setg(errp, "-serial %s: at most %d serial ports", value, MAX_SERIAL_PORTS);
        return -1;
    }
    id = g_strdup_printf("serial%d", serial_count);
    chr = chardev_new_from_spec(id, value, errp);
    g_free(id);
    if (!chr && strcmp(value, "none")) {
        error_prepend(errp, "-serial %s: ", value);
        return -1;
    }
    serial_chardevs[serial_count++] = chr;
    return 0;
}

static int add_fd(void *opaque, Opts *opts, Error **errp)
{
    if (!fdset_add_option(opt_get(opts, "fd"), opt_get(opts, "set"), opt_get(opts, "opaque"),
                          errp)) {
        char *s = opts_to_string(opts);

        error_prepend(errp, "-add-fd %s: ", s);
        g_free(s);
        return -1;
    }
    return 0;
}

static bool create_early_backends(Error **errp)
{
    Opts *run = opts_find(&run_opts, NULL);
    MachineClass *mc = MACHINE_GET_CLASS(machine_current());

    if (opts_foreach(&add_fd_opts, add_fd, NULL, errp) ||
        opts_foreach(&chardev_opts, create_chardev, NULL, errp)) {
        return false;
    }
    if (!blk_create_all(errp)) {
        return false;
    }
    if (run && opt_has(run, "serial")) {
        return opt_foreach(run, create_serial, NULL, errp) == 0;
    }
    /* Default serial port: stdio under -nographic, else discarded (Tern has no display). */
    if (!mc->no_serial && !(run && opt_get_bool(run, "nodefaults", false))) {
        bool nographic = run && opt_get_bool(run, "nographic", false);
        return create_serial(NULL, "serial", nographic ? "stdio" : "null", errp) == 0;
    }
    return true;
}

static int collect_accel(void *opaque, Opts *opts, Error **errp)
{
    g_ptr_array_add(opaque, g_strdup(opt_get(opts, "accel")));
    return 0;
}

/*
 * The accelerator: the -accel options in order, else -machine accel=A:B,
 * else interp (-qtest alone does not imply the qtest accelerator, as on
 * QEMU, so the oracle's "-qtest stdio -S" runs the same on both).
 * Names Tern cannot offer are skipped when another follows, with QEMU's
 * lines for accelerators its build lacks.
 */
static bool configure_accel(Error **errp)
{
    Opts *mopts = opts_find(&machine_opts, NULL);
    const char *machine_accel = mopts ? opt_get(mopts, "accel") : NULL;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    Opts *run = opts_find(&run_opts, NULL);
    const char *name = NULL;
    const AccelOps *ops;
    guint chosen = 0;
    bool ok, machine_list, fell_back = false;

    opts_foreach(&accel_opts, collect_accel, names, NULL);
    machine_list = !names->len && machine_accel;
    if (machine_list) {
        gchar **parts = g_strsplit(machine_accel, ":", -1);
        for (gchar **p = parts; *p; p++) {
            g_ptr_array_add(names, g_strdup(*p));
        }
        g_strfreev(parts);
    }
    if (!names->len) {
        g_ptr_array_add(names, g_strdup("interp"));
    }
    for (guint i = 0; i < names->len && !name; i++) {
        if (accel_find(accel_alias(names->pdata[i]))) {
            name = accel_alias(names->pdata[i]);
            chosen = i;
        }
    }
    if (!name) {
        const char *first = names->pdata[0];

        /* -accel options only: accel= lists with no runnable name were refused when parsed. */
        for (guint i = 0; i < names->len; i++) {
            if (!accel_name_known(names->pdata[i])) {
                first = names->pdata[i];
                break;
            }
        }
        if (!accel_name_known(first)) {
            accel_name_invalid(first, errp);
            error_prepend(errp, "-accel %s: ", first);
        } else {
            error_setg(errp, "-accel %s: accelerator '%s' is not available in Tern (interp, qtest)",
                       first, first);
        }
        g_ptr_array_free(names, TRUE);
        return false;
    }
    /*
     * QEMU's lines for the names skipped: every one of accel= (QEMU checks
     * them all first), the -accel options tried before the one used.
     */
    for (guint i = 0; i < (machine_list ? names->len : chosen); i++) {
        const char *skipped = names->pdata[i];

        if (!accel_find(accel_alias(skipped))) {
            if (machine_list) {
                error_report("invalid accelerator %s", skipped);
            } else {
                error_report("-accel %s: invalid accelerator %s", skipped, skipped);
            }
            fell_back = true;
        }
    }
    fell_back = fell_back && !(run && opt_has(run, "qtest"));
    ok = accel_configure(name, errp);
    if (ok && fell_back) {
        error_report("falling back to %s", (char *)names->pdata[chosen]);
    }
    g_ptr_array_free(names, TRUE);
    if (!ok) {
        error_prepend(errp, "-accel %s: ", name);
        return false;
    }
    ops = accel_current();
    main_loop_set_hooks(
        &(MainLoopHooks){.cpu_run = ops->cpu_run, .warp_virtual = ops->warp_virtual});
    phase_advance(PHASE_ACCEL_CREATED);
    return true;
}

static const LateBackend *late_backends[VL_MAX_LATE_BACKENDS];
static int late_backend_count;

void vl_register_late_backend(const LateBackend *backend)
{
    if (late_backend_count < VL_MAX_LATE_BACKENDS) {
        late_backends[late_backend_count++] = backend;
    }
}

typedef struct LateBackendCall {
    const LateBackend *backend;
    unsigned calls;
} LateBackendCall;

static int call_late_backend(void *opaque, const char *name, const char *value, Error **errp)
{
    LateBackendCall *call = opaque;

    if (strcmp(name, call->backend->option)) {
        return 0;
    }
    call->calls++;
    if (!call->backend->init(value, errp)) {
        error_prepend(errp, "-%s %s: ", name, value);
        return -1;
    }
    return 0;
}

static bool create_late_backends(Error **errp)
{
    Opts *run = opts_find(&run_opts, NULL);
    const char *qtest = run ? opt_get(run, "qtest") : NULL;
    bool served = false;

    /* -object after the chardevs, so that objects can name them (qtest, monitor-qmp). */
    if (opts_foreach(&object_opts, create_object, NULL, errp)) {
        return false;
    }
    for (int i = 0; i < late_backend_count; i++) {
        LateBackendCall call = {late_backends[i], 0};

        if (run && opt_foreach(run, call_late_backend, &call, errp)) {
            return false;
        }
        served |= call.calls && !strcmp(late_backends[i]->option, "qtest");
    }
    if (qtest && !served) {
        error_setg(errp, "-qtest %s: this build has no qtest server", qtest);
        return false;
    }
    phase_advance(PHASE_LATE_BACKENDS_CREATED);
    return true;
}

static int create_virtio_drive(BlockBackend *blk, void *opaque)
{
    Error **errp = opaque;
    const char *type = MACHINE_GET_CLASS(machine_current())->virtio_drive_type;
    DeviceState *dev;
    bool ok;

    if (strcmp(blk_interface(blk), "virtio")) {
        return 0;
    }
    /* The board names the device type: core/ knows no device of hw/. */
    if (!type) {
        error_setg(errp, "-drive if=virtio (%s): machine '%s' has no virtio bus", blk_name(blk),
                   MACHINE_GET_CLASS(machine_current())->name);
        return -1;
    }
    dev = qdev_try_new(type, errp);
    if (!dev) {
        return -1;
    }
    {
        char *name = g_strdup_printf("device[%u]", anon_device_count++);
        object_property_add_child(container_get(OBJECT(machine_current()), "/peripheral-anon"),
                                  name, OBJECT(dev));
        g_free(name);
    }
    ok =
        object_property_parse(OBJECT(dev), "drive", blk_name(blk), errp) && qdev_realize(dev, errp);
    object_unref(OBJECT(dev));
    if (!ok) {
        error_prepend(errp, "-drive if=virtio (%s): ", blk_name(blk));
    }
    return ok ? 0 : -1;
}

static bool init_board(Error **errp)
{
    MachineState *ms = machine_current();
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    if (mc->init && !mc->init(ms, errp)) {
        return false;
    }
    if (opts_foreach(&device_opts, create_device, ms, errp)) {
        return false;
    }
    /*
     * -drive if=virtio: a virtio-blk-device on the next free virtio-mmio slot,
     * after the user's -device list (QEMU 7.2 makes virtio-blk-pci, which Tern
     * does not have).
     */
    if (blk_foreach(create_virtio_drive, errp)) {
        return false;
    }
    if (!qdev_prop_check_globals(errp)) {
        error_prepend(errp, "-global: ");
        return false;
    }
    phase_advance(PHASE_MACHINE_INITIALIZED);
    return true;
}

static void machine_system_reset(ShutdownCause cause, void *opaque)
{
    MachineState *ms = machine_current();

    if (!ms) {
        return;
    }
    if (MACHINE_GET_CLASS(ms)->reset) {
        MACHINE_GET_CLASS(ms)->reset(ms, cause);
    } else {
        qdev_reset_tree(OBJECT(ms));
    }
}

static bool finish_machine(Error **errp)
{
    MachineState *ms = machine_current();
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Opts *run = opts_find(&run_opts, NULL);

    if (mc->done && !mc->done(ms, errp)) {
        return false;
    }
    phase_advance(PHASE_MACHINE_READY);
    if (ms->exit_after_init) {
        return true;
    }
    /* -run-with exit-with-parent=on: libqtest's way of never leaving a server behind. */
    if (run && opt_get_bool(run, "exit-with-parent", false)) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
    }
    /* -name process=PNAME: the name ps and top show (Linux keeps 15 bytes). */
    {
        Opts *name = opts_find(&name_opts, NULL);
        const char *process = name ? opt_get(name, "process") : NULL;

        if (process) {
            prctl(PR_SET_NAME, process);
        }
    }
    runstate_set_reset_handler(machine_system_reset, NULL);
    runstate_set_options(run && opt_get_bool(run, "no-reboot", false),
                         run && opt_get_bool(run, "no-shutdown", false));
    machine_system_reset(SHUTDOWN_CAUSE_NONE, NULL);
    if (!(run && opt_get_bool(run, "start-paused", false))) {
        vm_start();
    }
    return true;
}

static bool apply_logging(Error **errp)
{
    Opts *run = opts_find(&run_opts, NULL);
    const char *items = run ? opt_get(run, "log") : NULL;
    const char *file = run ? opt_get(run, "logfile") : NULL;
    uint32_t mask = 0;

    if (items && !log_parse_items(items, &mask, errp)) {
        error_prepend(errp, "-d %s: ", items);
        return false;
    }
    if (file && !log_set_file(file, errp)) {
        error_prepend(errp, "-D %s: ", file);
        return false;
    }
    log_set_mask(mask);
    trace_set_log_output(log_write);
    if (items) {
        log_enable_trace_items(items);
    }
    return true;
}

static bool write_config(const char *path, Error **errp)
{
    if (!config_write_file(path, errp)) {
        error_prepend(errp, "-writeconfig %s: ", path);
        return false;
    }
    return true;
}

/* The -writeconfig target must be writable before anything runs; nothing is written yet. */
static bool check_writeconfig_target(const char *path, Error **errp)
{
    char *dir;
    bool ok;

    if (!strcmp(path, "-")) {
        return true;
    }
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        error_setg(errp, "-writeconfig %s: is a directory", path);
        return false;
    }
    /* The file is written beside and renamed over: never over a device node (/dev/null as root). */
    {
        struct stat st;
        const char *kind = NULL;

        if (stat(path, &st) == 0) {
            kind = S_ISCHR(st.st_mode)    ? "character device"
                   : S_ISBLK(st.st_mode)  ? "block device"
                   : S_ISSOCK(st.st_mode) ? "socket"
                                          : NULL;
        }
        if (kind) {
            error_setg(errp, "-writeconfig %s: is a %s; a regular file, a pipe or - is needed",
                       path, kind);
            return false;
        }
    }
    dir = g_path_get_dirname(path);
    ok = access(dir, W_OK) == 0;
    if (!ok) {
        error_setg_errno(errp, errno, "-writeconfig %s: cannot write to '%s'", path, dir);
    }
    g_free(dir);
    return ok;
}

/* ---- shutdown signals ---------------------------------------------------------- */

/*
 * The sender's name as QEMU gives it: /proc/PID/cmdline up to its first NUL
 * (argv[0]), or NULL when it cannot be read.
 */
static char *pid_name(int pid)
{
    char *path = g_strdup_printf("/proc/%d/cmdline", pid);
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, NULL)) {
        contents = NULL;
    }
    g_free(path);
    return contents;
}

/*
 * After a shutdown asked for by a signal, QEMU's one line: "terminating on
 * signal N from pid P (ARGV0)", or "terminating on signal N" when the sender
 * is unknown (^C at the terminal).  As QEMU, nothing under -qtest: a test
 * harness ends its servers with SIGTERM all the time.
 */
static void report_shutdown_signal(void)
{
    Opts *run = opts_find(&run_opts, NULL);
    int signo, pid;
    char *name;

    if (!runstate_last_signal(&signo, &pid) || (run && opt_has(run, "qtest"))) {
        return;
    }
    if (!pid) {
        error_report("terminating on signal %d", signo);
        return;
    }
    name = pid_name(pid);
    error_report("terminating on signal %d from pid %d (%s)", signo, pid,
                 name ? name : "<unknown process>");
    g_free(name);
}

static TernInitResult init_phases(int argc, char **argv, Error **errp);
static void cleanup_machine(void);

/* The recording's end: the machine's digest when there is one, the exit status, the file closed. */
static void finish_recording(bool checkpoint, int status)
{
    if (!replay_recording()) {
        return;
    }
    if (checkpoint && machine_current()) {
        Error *err = NULL;
        char *digest = snapshot_digest(&err);

        if (digest) {
            replay_record_checkpoint(digest);
        } else {
            warn_report("-record: no checkpoint: %s", error_get_pretty(err));
            error_free(err);
        }
        g_free(digest);
    }
    replay_record_exit(status);
    replay_record_close();
}

/*
 * -record FILE, opened before the options are read so that every chardev's
 * traffic and every start-up error is in it.  The option is found by
 * walking the words as the parser does (an unknown word is skipped alone),
 * so a "-record" that is another option's value is not taken.  A replay
 * (REPLAY_MODE_REPLAY, set by the harness) records nothing.
 */
static bool open_recording(int argc, char **argv, Error **errp)
{
    const char *path = NULL;
    int optind = 1;

    while (optind < argc) {
        const char *optarg;
        const CmdOption *opt = lookup_option(argc, argv, &optind, &optarg, NULL);

        if (!opt) {
            optind++;
        } else if (opt->index == OPT_RECORD && !path) {
            path = optarg;
        }
    }
    loc_set_none();
    if (!path || replay_mode() == REPLAY_MODE_REPLAY) {
        return true;
    }
    return replay_record_open(path, argc, argv, errp);
}

/*
 * A shutdown signal during start-up (a server waiting for its first client,
 * an output FIFO waiting for its reader, anything a signal interrupts) is a
 * shutdown request like one in the main loop: whatever the interrupted step
 * reported is dropped, the request is acted on (observers see the SHUTDOWN)
 * and reported, and start-up ends with nothing to run (exit status 0).
 */
TernInitResult tern_init(int argc, char **argv, Error **errp)
{
    Error *local = NULL;
    TernInitResult result = init_phases(argc, argv, &local);
    int status = 0;

    if (result == TERN_INIT_ERROR && runstate_shutdown_signal_pending(NULL, NULL)) {
        error_free(local);
        runstate_process_requests(&status);
        report_shutdown_signal();
        finish_recording(false, 0);
        return TERN_INIT_DONE;
    }
    if (result == TERN_INIT_ERROR && replay_recording()) {
        replay_record_error(error_get_pretty(local));
        finish_recording(false, 1);
    } else if (result == TERN_INIT_DONE) {
        finish_recording(false, 0); /* -help, -version, dumpdtb: nothing runs */
    }
    error_propagate(errp, local);
    return result;
}

static TernInitResult init_phases(int argc, char **argv, Error **errp)
{
    StartupState st = {.readconfig = g_ptr_array_new()};
    Location loc;
    bool ok;

    /*
     * A previous run that forgot tern_cleanup() must not leak into this one;
     * a shutdown signal that came before start-up is this process's, and
     * stays (runstate_reset() keeps it).  The replay mode and its queues
     * stay too: the harness set them for this run.
     */
    cleanup_machine();
    module_call_init(MODULE_INIT_OPTS);
    module_call_init(MODULE_INIT_QOM);
    module_call_init(MODULE_INIT_TRACE);

    loc_push_none(&loc);
    ok = open_recording(argc, argv, errp) && first_pass(argc, argv, &st, errp);
    if (ok && !st.help_done) {
        loc_set_none();
        ok = read_config_files(&st, errp);
    }
    if (ok && !st.help_done) {
        ok = second_pass(argc, argv, &st, errp);
    }
    loc_set_none();
    loc_pop(&loc);
    if (ok && !st.help_done) {
        ok = check_combinations(errp) && check_references(errp) &&
             (!st.writeconfig || check_writeconfig_target(st.writeconfig, errp)) &&
             apply_logging(errp) && (!before_machine_hook || before_machine_hook(errp)) &&
             create_machine(errp) && create_early_backends(errp) && configure_accel(errp) &&
             create_late_backends(errp) && init_board(errp) && finish_machine(errp) &&
             (!st.writeconfig || write_config(st.writeconfig, errp));
    }
    g_ptr_array_free(st.readconfig, TRUE);
    /* -machine dumpdtb=FILE: the machine did its job at creation (as QEMU, exit 0). */
    if (ok && machine_current() && machine_current()->exit_after_init) {
        st.help_done = true;
    }
    if (!ok) {
        return TERN_INIT_ERROR;
    }
    return st.help_done ? TERN_INIT_DONE : TERN_INIT_RUN;
}

int tern_main_loop(void)
{
    int status = main_loop_run();

    finish_recording(true, status);
    report_shutdown_signal();
    return status;
}

/* Everything but the replay mode: tern_init starts with it. */
static void cleanup_machine(void)
{
    snapshot_cleanup(); /* first: it holds references to the devices */
    for (int i = 0; i < late_backend_count; i++) {
        if (late_backends[i]->cleanup) {
            late_backends[i]->cleanup();
        }
    }
    object_root_cleanup();
    blk_cleanup_all(); /* after the devices that use the drives */
    machine_set_current(NULL);
    chardev_cleanup_all();
    fdset_cleanup();
    memset(serial_chardevs, 0, sizeof(serial_chardevs));
    serial_count = 0;
    accel_reset();
    main_loop_cleanup();
    runstate_reset();
    clock_reset();
    qdev_prop_reset_globals();
    opts_reset_all();
    error_set_report_prefix(false, NULL);
    log_reset();
    trace_reset();
    phase_reset();
    anon_device_count = 0;
}

void tern_cleanup(void)
{
    cleanup_machine();
    replay_set_mode(REPLAY_MODE_OFF); /* closes a recording still open, drops the queues */
}
