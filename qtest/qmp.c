/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp.c - the QMP monitor of qmp.h: a scanner that cuts the input stream
 * into JSON values, jansson to parse them, a command table, and events.
 *
 * The scanner tracks nesting, strings and escapes, so that a request may
 * arrive split over many reads or several to a read; each complete value is
 * then parsed by jansson.  It also rewrites QEMU's 'single-quoted' strings
 * (and the \' escape) into plain JSON.  It keeps at most QMP_MAX_INPUT bytes:
 * a longer value, or one nested deeper than QMP_MAX_NESTING, gets one error
 * reply and is skipped to its end.  A control character inside a value (what
 * QMP clients send to get the parser back into a known state) or a byte that
 * never occurs in UTF-8 abandons the value.  Stray bytes between values get
 * one error, then everything up to the next '{', '[' or newline is skipped,
 * so that binary garbage cannot flood the client with errors.
 *
 * Replies and events go out one JSON object per line, ended by "\r\n", in
 * ASCII, as QEMU's.  Events are sent only to monitors past capabilities
 * negotiation.
 *
 * Monitors are kept in one list.  tern_cleanup() frees the chardevs; a
 * monitor whose chardev is gone is never written to, and is freed when the
 * next monitor is created or by qmp_cleanup_all().
 */
#include "qtest/qmp.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <jansson.h>

#include "core/cutils.h"
#include "core/fdset.h"
#include "core/machine.h"
#include "core/memory.h"
#include "core/module.h"
#include "core/object.h"
#include "core/runstate.h"
#include "core/timer.h"
#include "core/trace.h"
#include "core/qdev.h"
#include "core/vl.h"
#include "cpu/hart.h"

#define QMP_READ_CHUNK 4096

typedef enum {
    SCAN_IDLE,   /* between values */
    SCAN_VALUE,  /* in an object, an array or a top-level string */
    SCAN_SCALAR, /* in a top-level number or keyword */
    SCAN_SKIP,   /* after a stray byte: up to the next '{', '[' or newline */
} ScanMode;

struct QmpMonitor {
    Chardev *chr;
    char *chr_id; /* to tell whether chr still exists */
    bool pretty;
    bool command_mode; /* capabilities negotiated */
    bool oob;          /* capability "oob" enabled */
    /* The scanner. */
    ScanMode mode;
    size_t depth;    /* open objects and arrays */
    char quote;      /* in a string: its quote character, else 0 */
    bool escape;     /* after a backslash in a string */
    bool discarding; /* the current value was refused: skip to its end */
    GString *value;  /* the current value, as plain JSON */
    /* The client went away (possibly from inside one of our writes). */
    bool closed;
    QmpMonitor **owner_slot; /* the monitor-qmp object's pointer to us, or NULL */
};

static GPtrArray *monitors;

/* ---- output ------------------------------------------------------------------------- */

static bool monitor_chardev_alive(const QmpMonitor *mon)
{
    /* Compares the pointer only: a freed chardev is never dereferenced. */
    return mon->chr && chardev_find(mon->chr_id) == mon->chr;
}

/* A JSON string for any C string: jansson refuses invalid UTF-8, so repair it first. */
static json_t *json_text(const char *s)
{
    json_t *str = json_string(s);

    if (!str) {
        char *valid = g_utf8_make_valid(s, -1);
        str = json_string(valid);
        g_free(valid);
    }
    return str;
}

static void monitor_puts(QmpMonitor *mon, const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 2);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    g_string_append(out, "\r\n");
    if (monitor_chardev_alive(mon)) {
        chardev_write(mon->chr, (const uint8_t *)out->str, out->len);
    }
    g_string_free(out, TRUE);
}

static char *monitor_dumps(const QmpMonitor *mon, const json_t *obj)
{
    size_t flags = JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER | (mon->pretty ? JSON_INDENT(4) : 0);

    return json_dumps(obj, flags);
}

/* Sends obj and drops the reference. */
static void monitor_send(QmpMonitor *mon, json_t *obj)
{
    char *text = monitor_dumps(mon, obj);

    if (text) {
        monitor_puts(mon, text);
        free(text);
    }
    json_decref(obj);
}

static json_t *event_new(const char *name, json_t *data)
{
    /* The host clock's seam: a recording keeps the stamp and a replay gives it back. */
    gint64 now = clock_get_ns(CLOCK_HOST) / 1000;
    json_t *ev = json_object();

    json_object_set_new(ev, "timestamp",
                        json_pack("{s:I,s:I}", "seconds", (json_int_t)(now / G_USEC_PER_SEC),
                                  "microseconds", (json_int_t)(now % G_USEC_PER_SEC)));
    json_object_set_new(ev, "event", json_text(name));
    if (data) {
        json_object_set(ev, "data", data);
    }
    return ev;
}

/* Sends event name (data: an object, or NULL; the reference is dropped) to every client. */
static void emit_event(const char *name, json_t *data)
{
    for (guint i = 0; monitors && i < monitors->len; i++) {
        QmpMonitor *mon = monitors->pdata[i];

        /* A socket without a client drops the event; stdio still writes after input's EOF. */
        if (mon->command_mode && monitor_chardev_alive(mon)) {
            monitor_send(mon, event_new(name, data));
        }
    }
    json_decref(data);
}

void qmp_event_emit(const char *name, const char *data_json)
{
    json_t *data = data_json ? json_loads(data_json, 0, NULL) : NULL;

    if (data && !json_is_object(data)) {
        json_decref(data); /* not an object: the event goes without data */
        data = NULL;
    }
    emit_event(name, data);
}

/* The reason a shutdown or reset event gives, with QEMU's "guest" flag. */
static json_t *cause_data(ShutdownCause cause)
{
    return json_pack("{s:b,s:s}", "guest", shutdown_cause_is_guest(cause), "reason",
                     shutdown_cause_name(cause));
}

/*
 * Events for what QMP did not ask for itself (a guest shutdown or reset, a
 * signal); quit and system_reset send theirs before their reply.  As QEMU, a
 * guest shutdown under -no-shutdown is SHUTDOWN followed by STOP.
 */
static void qmp_runstate_observer(RunStateEvent event, ShutdownCause cause, void *opaque)
{
    if (cause == SHUTDOWN_CAUSE_HOST_QMP_QUIT || cause == SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET) {
        return;
    }
    switch (event) {
    case RUNSTATE_EVENT_SHUTDOWN:
        emit_event("SHUTDOWN", cause_data(cause));
        break;
    case RUNSTATE_EVENT_RESET:
        emit_event("RESET", cause_data(cause));
        break;
    case RUNSTATE_EVENT_POWERDOWN:
        emit_event("POWERDOWN", NULL);
        break;
    case RUNSTATE_EVENT_STOP:
        emit_event("STOP", NULL);
        break;
    }
}

/* ---- replies ------------------------------------------------------------------------ */

typedef struct QmpReply {
    json_t *ret;           /* success: the value (NULL: {}) */
    char *raw_ret;         /* or the value as JSON text (an integer above INT64_MAX) */
    const char *err_class; /* failure: "GenericError", "CommandNotFound", ... */
    char *err_desc;
} QmpReply;

static void G_GNUC_PRINTF(3, 4)
    reply_error(QmpReply *r, const char *err_class, const char *fmt, ...)
{
    va_list ap;

    if (r->err_class) {
        return; /* the first error stands */
    }
    va_start(ap, fmt);
    r->err_class = err_class;
    r->err_desc = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static void reply_error_obj(QmpReply *r, const char *err_class, Error *err)
{
    reply_error(r, err_class, "%s", error_get_message(err));
    error_free(err);
}

static void reply_clear(QmpReply *r)
{
    json_decref(r->ret);
    g_free(r->raw_ret);
    g_free(r->err_desc);
}

static void monitor_respond(QmpMonitor *mon, QmpReply *r, json_t *id)
{
    json_t *rsp = json_object();
    char *text;

    if (r->err_class) {
        json_object_set_new(
            rsp, "error",
            json_pack("{s:s,s:o}", "class", r->err_class, "desc", json_text(r->err_desc)));
    } else {
        json_object_set_new(rsp, "return",
                            r->raw_ret ? json_null()
                            : r->ret   ? r->ret
                                       : json_object());
        r->ret = NULL;
    }
    if (id) {
        json_object_set(rsp, "id", id);
    }
    text = monitor_dumps(mon, rsp);
    json_decref(rsp);
    if (!text) {
        return;
    }
    if (r->raw_ret) {
        /* "return" is the first member, so its "null" is the first one in the text. */
        char *null = strstr(text, "null");
        GString *s = g_string_new_len(text, null - text);

        g_string_append(s, r->raw_ret);
        g_string_append(s, null + 4);
        monitor_puts(mon, s->str);
        g_string_free(s, TRUE);
    } else {
        monitor_puts(mon, text);
    }
    free(text);
}

/* An error about the input itself (no request, so no "id"). */
static void G_GNUC_PRINTF(2, 3) monitor_input_error(QmpMonitor *mon, const char *fmt, ...)
{
    QmpReply r = {.err_class = "GenericError"};
    va_list ap;

    va_start(ap, fmt);
    r.err_desc = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_respond(mon, &r, NULL);
    reply_clear(&r);
}

/* ---- commands ----------------------------------------------------------------------- */

typedef enum { ARG_STR, ARG_BOOL, ARG_LIST, ARG_INT, ARG_ANY /* the command checks it */ } ArgType;

typedef struct QmpArg {
    const char *name;
    ArgType type;
    bool optional;
} QmpArg;

typedef struct QmpCommand {
    const char *name;
    void (*fn)(QmpMonitor *mon, json_t *args, QmpReply *r);
    QmpArg args[6];      /* ended by a NULL name */
    bool in_negotiation; /* allowed before qmp_capabilities */
    bool open_args;      /* takes members besides args (device_add's properties) */
} QmpCommand;

static const char *arg_str(json_t *args, const char *name)
{
    return json_string_value(json_object_get(args, name));
}

static void cmd_qmp_capabilities(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    json_t *enable = json_object_get(args, "enable");
    bool oob = false;

    for (size_t i = 0; i < json_array_size(enable); i++) {
        json_t *cap = json_array_get(enable, i);

        if (!json_is_string(cap)) {
            reply_error(r, "GenericError",
                        "Invalid parameter type for 'enable[%zu]', expected: string", i);
            return;
        }
        if (strcmp(json_string_value(cap), "oob")) {
            reply_error(r, "GenericError", "Parameter 'enable[%zu]' does not accept value '%s'", i,
                        json_string_value(cap));
            return;
        }
        oob = true;
    }
    if (mon->command_mode) {
        reply_error(r, "CommandNotFound",
                    "Capabilities negotiation is already complete, command ignored");
        return;
    }
    mon->oob = oob;
    mon->command_mode = true;
}

/* As QEMU 7.2, on every run: the SHUTDOWN event first, then quit's reply. */
static void cmd_quit(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    emit_event("SHUTDOWN", cause_data(SHUTDOWN_CAUSE_HOST_QMP_QUIT));
}

/* As QEMU: only a running machine stops (and says so); a stopped one stays as it is. */
static void cmd_stop(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
        emit_event("STOP", NULL);
    }
}

static void cmd_cont(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    RunState state = runstate_get();

    if (state == RUN_STATE_SHUTDOWN || state == RUN_STATE_INTERNAL_ERROR) {
        reply_error(r, "GenericError", "Resetting the Virtual Machine is required");
        return;
    }
    if (!runstate_is_running()) {
        vm_start();
        emit_event("RESUME", NULL);
    }
}

/* As QEMU 7.2 again: the RESET event, then the reply. */
static void cmd_system_reset(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    emit_event("RESET", cause_data(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET));
}

static void cmd_query_status(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    r->ret = json_pack("{s:b,s:b,s:s}", "running", runstate_is_running(), "singlestep", 0, "status",
                       runstate_name(runstate_get()));
}

static void add_fdset_entry(int64_t set, int fd, const char *opaque, void *arg)
{
    json_t *list = arg, *first = json_array_get(list, 0);
    json_t *info =
        opaque ? json_pack("{s:i,s:s}", "fd", fd, "opaque", opaque) : json_pack("{s:i}", "fd", fd);

    /* Sets come in ascending id order; QEMU lists them highest id first. */
    if (!first || json_integer_value(json_object_get(first, "fdset-id")) != set) {
        first = json_pack("{s:[],s:I}", "fds", "fdset-id", (json_int_t)set);
        json_array_insert_new(list, 0, first);
    }
    json_array_append_new(json_object_get(first, "fds"), info);
}

/* The -add-fd sets (core/fdset.h), as QEMU lists them. */
static void cmd_query_fdsets(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    r->ret = json_array();
    fdset_foreach(add_fdset_entry, r->ret);
}

/*
 * "qemu" is the QEMU release whose behaviour Tern follows (the
 * qemu-system-riscv64 its tests compare with), so that clients that pick
 * their behaviour by version choose QEMU 7.2's; "package" names Tern.
 */
#define QMP_QEMU_MAJOR 7
#define QMP_QEMU_MINOR 2
#define QMP_QEMU_MICRO 22

static json_t *version_info(void)
{
    return json_pack("{s:{s:i,s:i,s:i},s:s}", "qemu", "micro", QMP_QEMU_MICRO, "minor",
                     QMP_QEMU_MINOR, "major", QMP_QEMU_MAJOR, "package", "Tern " TERN_VERSION);
}

/* QEMU's: {"name": NAME} with -name, {} without. */
static void cmd_query_name(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    const char *name = vl_guest_name();

    r->ret = name ? json_pack("{s:o}", "name", json_text(name)) : json_object();
}

static void cmd_query_version(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    r->ret = version_info();
}

static void cmd_query_commands(QmpMonitor *mon, json_t *args, QmpReply *r);

static Object *resolve_device(const char *path, bool report_ambiguous, QmpReply *r)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (!obj) {
        if (ambiguous && report_ambiguous) {
            reply_error(r, "GenericError", "Path '%s' is ambiguous", path);
        } else {
            reply_error(r, "DeviceNotFound", "Device '%s' not found", path);
        }
    }
    return obj;
}

static void add_property_info(Object *obj, ObjectProperty *prop, void *opaque)
{
    json_array_append_new(opaque,
                          json_pack("{s:o,s:o}", "name", json_text(object_property_name(prop)),
                                    "type", json_text(object_property_type(prop))));
}

static void cmd_qom_list(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    Object *obj = resolve_device(arg_str(args, "path"), true, r);

    if (obj) {
        r->ret = json_array();
        object_property_foreach_all(obj, add_property_info, r->ret);
    }
}

static bool type_is_one_of(const char *type, const char *const *names)
{
    for (; *names; names++) {
        if (!strcmp(type, *names)) {
            return true;
        }
    }
    return false;
}

/* Properties are strings in Tern; qom-get gives them QEMU's JSON types. */
static void property_to_reply(const char *type, const char *text, QmpReply *r)
{
    static const char *const signed_types[] = {"int", "int8", "int16", "int32", "int64", NULL};
    static const char *const unsigned_types[] = {"uint8",  "uint16", "uint32",
                                                 "uint64", "size",   NULL};
    static const char *const struct_types[] = {"MemorySizeConfiguration", "SMPConfiguration",
                                               "BootConfiguration", NULL};
    bool b;
    int64_t i;
    uint64_t u;

    if (type_is_one_of(type, struct_types)) {
        r->ret = json_loads(text, 0, NULL); /* the getter writes the structure as JSON */
        if (!r->ret) {
            reply_error(r, "GenericError", "Property of type '%s' did not read back", type);
        }
    } else if (!strcmp(type, "bool") && qemu_parse_bool(text, &b)) {
        r->ret = json_boolean(b);
    } else if (type_is_one_of(type, signed_types) && qemu_strtoi64(text, NULL, 10, &i) == 0) {
        r->ret = json_integer(i);
    } else if (type_is_one_of(type, unsigned_types) && qemu_strtou64(text, NULL, 10, &u) == 0) {
        if (u <= INT64_MAX) {
            r->ret = json_integer((json_int_t)u);
        } else {
            r->raw_ret = g_strdup_printf("%" PRIu64, u);
        }
    } else {
        r->ret = json_text(text); /* str, link<> and child<> (paths), anything else */
    }
}

static void cmd_qom_get(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    Object *obj = resolve_device(arg_str(args, "path"), false, r);
    const char *name = arg_str(args, "property");
    ObjectProperty *prop;
    Error *err = NULL;
    char *text;

    if (!obj) {
        return;
    }
    prop = object_property_find_err(obj, name, &err);
    if (!prop) {
        reply_error_obj(r, "GenericError", err);
        return;
    }
    text = object_property_print(obj, name, &err);
    if (!text) {
        reply_error_obj(r, "GenericError", err);
        return;
    }
    property_to_reply(object_property_type(prop), text, r);
    g_free(text);
}

static void cmd_qom_list_types(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    const char *implements = arg_str(args, "implements");
    bool abstract = json_is_true(json_object_get(args, "abstract"));
    GSList *list = object_class_get_list_sorted(implements, abstract);

    r->ret = json_array();
    for (GSList *l = list; l; l = l->next) {
        ObjectClass *klass = l->data;
        ObjectClass *parent = object_class_get_parent(klass);
        json_t *info = json_pack("{s:o}", "name", json_text(object_class_get_name(klass)));

        if (object_class_is_abstract(klass)) {
            json_object_set_new(info, "abstract", json_true());
        }
        if (parent) {
            json_object_set_new(info, "parent", json_text(object_class_get_name(parent)));
        }
        json_array_append_new(r->ret, info);
    }
    g_slist_free(list);
}

/* QEMU names the QOM type ("rv64-riscv-cpu") where Tern's boards give the -cpu model. */
static json_t *cpu_type_name(const char *model)
{
    char *type = g_strconcat(model, "-riscv-cpu", NULL);
    json_t *name =
        json_text(object_class_by_name(model) || !object_class_by_name(type) ? model : type);

    g_free(type);
    return name;
}

static void cmd_query_machines(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    GSList *list = object_class_get_list_sorted(TYPE_MACHINE, false);

    r->ret = json_array();
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = MACHINE_CLASS(l->data);
        json_t *info;

        if (!mc->name) {
            continue;
        }
        /* QEMU 7.2's members, in its order ("acpi" came with 8.0). */
        info = json_pack("{s:b,s:o,s:b}", "hotpluggable-cpus", 0, "name", json_text(mc->name),
                         "numa-mem-supported", mc->numa_mem_supported);
        if (mc->default_cpu_type) {
            json_object_set_new(info, "default-cpu-type", cpu_type_name(mc->default_cpu_type));
        }
        if (mc->is_default) {
            json_object_set_new(info, "is-default", json_true());
        }
        json_object_set_new(info, "cpu-max", json_integer(mc->max_cpus ? mc->max_cpus : 1));
        json_object_set_new(info, "deprecated", json_false());
        if (mc->default_ram_id) {
            json_object_set_new(info, "default-ram-id", json_text(mc->default_ram_id));
        }
        json_array_append_new(r->ret, info);
    }
    g_slist_free(list);
}

/* ---- query-cpus-fast ---------------------------------------------------------------- */

typedef struct CpuList {
    json_t *list;
    int index;
} CpuList;

static int add_cpu_info(Object *obj, void *opaque)
{
    CpuList *cpus = opaque;
    RVHart *hart = (RVHart *)object_dynamic_cast(obj, TYPE_RISCV_CPU);
    char *path;

    if (!hart) {
        return 0;
    }
    path = object_get_canonical_path(obj);
    /* QEMU's thread-id is the vCPU's host thread: Tern runs every hart on the main thread. */
    json_array_append_new(cpus->list,
                          json_pack("{s:i,s:{s:i},s:s,s:i,s:s}", "thread-id", (int)getpid(),
                                    "props", "core-id", (int)hart->hartid, "qom-path", path,
                                    "cpu-index", cpus->index++, "target", "riscv64"));
    g_free(path);
    return 0;
}

static void cmd_query_cpus_fast(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    CpuList cpus = {json_array(), 0};

    object_child_foreach_recursive(object_get_root(), add_cpu_info, &cpus);
    r->ret = cpus.list;
}

/* ---- device_add, device_del --------------------------------------------------------- */

/* A scalar argument as QEMU's keyval input sees it: "42" for 42. */
static char *arg_as_text(json_t *v)
{
    if (json_is_string(v)) {
        return g_strdup(json_string_value(v));
    }
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* A bus's name as QEMU gives it: its QOM name, but "main-system-bus" for the system bus. */
static const char *bus_name(Object *bus)
{
    return object_dynamic_cast(bus, "System") ? "main-system-bus"
                                              : object_get_canonical_path_component(bus);
}

typedef struct BusPick {
    const char *type;
    Object *free; /* the last free bus of type in tree (creation) order */
} BusPick;

static int pick_free_bus(Object *obj, void *opaque)
{
    BusPick *pick = opaque;

    if (object_dynamic_cast(obj, pick->type) && !qdev_bus_device(obj)) {
        pick->free = obj;
    }
    return 0;
}

/*
 * QEMU's checks in QEMU's order.  Once the machine is ready no bus of Tern's
 * takes a new device (the virtio-mmio buses do not hotplug, as on QEMU), so
 * every request that passes them ends in the bus's refusal.
 */
static void cmd_device_add(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    json_t *jdriver = json_object_get(args, "driver");
    json_t *jbus = json_object_get(args, "bus");
    json_t *jid = json_object_get(args, "id");
    char *driver = NULL;
    ObjectClass *klass;
    DeviceClass *dc;
    Object *bus;

    if (json_is_string(jid) && !id_wellformed(json_string_value(jid))) {
        reply_error(r, "GenericError", "Parameter 'id' expects an identifier");
        return;
    }
    if (!jdriver) {
        reply_error(r, "GenericError", "Parameter 'driver' is missing");
        return;
    }
    driver = arg_as_text(jdriver);
    klass = object_class_by_name(driver);
    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        reply_error(r, "GenericError", "'%s' is not a valid device model name", driver);
    } else if (object_class_is_abstract(klass)) {
        reply_error(r, "GenericError", "Parameter 'driver' expects a non-abstract device type");
    } else if (!(dc = DEVICE_CLASS(klass))->user_creatable) {
        reply_error(r, "GenericError", "Parameter 'driver' expects a pluggable device type");
    } else if (jbus) {
        char *name = arg_as_text(jbus);

        bus = object_resolve_path_type(name, dc->bus_type ? dc->bus_type : TYPE_BUS, NULL);
        if (!bus) {
            reply_error(r, "GenericError", "Bus '%s' not found", name);
        } else if (qdev_bus_device(bus)) {
            reply_error(r, "GenericError", "Bus '%s' is full", name);
        } else {
            reply_error(r, "GenericError", "Bus '%s' does not support hotplugging", bus_name(bus));
        }
        g_free(name);
    } else if (dc->bus_type) {
        BusPick pick = {dc->bus_type, NULL};

        object_child_foreach_recursive(object_get_root(), pick_free_bus, &pick);
        if (!pick.free) {
            reply_error(r, "GenericError", "No '%s' bus found for device '%s'", dc->bus_type,
                        driver);
        } else {
            reply_error(r, "GenericError", "Bus '%s' does not support hotplugging",
                        bus_name(pick.free));
        }
    } else {
        reply_error(r, "GenericError", "Bus 'main-system-bus' does not support hotplugging");
    }
    g_free(driver);
}

static void cmd_device_del(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    const char *id = arg_str(args, "id");
    MachineState *ms = machine_current();
    Object *obj = NULL;
    DeviceState *dev;

    if (id[0] == '/') {
        obj = object_resolve_path(id, NULL);
    } else if (ms) {
        obj = object_resolve_path_component(container_get(OBJECT(ms), "/peripheral"), id);
    }
    if (!obj) {
        reply_error(r, "DeviceNotFound", "Device '%s' not found", id);
        return;
    }
    dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);
    if (!dev) {
        reply_error(r, "GenericError", "%s is not a hotpluggable device", id);
    } else if (dev->parent_bus) {
        reply_error(r, "GenericError", "Bus '%s' does not support hotplugging",
                    bus_name(dev->parent_bus));
    } else {
        /* QEMU 7.2 fails an assertion here (harts, a device inside another). */
        reply_error(r, "GenericError", "Device '%s' does not support hotplugging", id);
    }
}

/* ---- human-monitor-command ---------------------------------------------------------- */

/* HMP's output: lines ended by "\r\n", as QEMU's monitor writes them. */
static void G_GNUC_PRINTF(2, 3) hmp_printf(GString *out, const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    g_free(text);
}

static void hmp_info_status(GString *out)
{
    RunState state = runstate_get();

    if (runstate_is_running()) {
        hmp_printf(out, "VM status: running\n");
    } else if (state == RUN_STATE_PAUSED) {
        hmp_printf(out, "VM status: paused\n");
    } else {
        hmp_printf(out, "VM status: paused (%s)\n", runstate_name(state));
    }
}

static void hmp_info_version(GString *out)
{
    hmp_printf(out, "%d.%d.%dTern %s\n", QMP_QEMU_MAJOR, QMP_QEMU_MINOR, QMP_QEMU_MICRO,
               TERN_VERSION);
}

/* A static property as "info qtree" shows it: numbers in decimal and hex, strings quoted. */
static void qtree_print_prop(GString *out, Object *obj, const char *name, const char *type,
                             int indent)
{
    char *text = object_property_print(obj, name, NULL);
    uint64_t u;
    int64_t i;
    bool b;

    if (!text) {
        return;
    }
    if (!strcmp(type, "bool") && qemu_parse_bool(text, &b)) {
        hmp_printf(out, "%*s%s = %s\n", indent, "", name, b ? "true" : "false");
    } else if (!strcmp(type, "str")) {
        hmp_printf(out, "%*s%s = \"%s\"\n", indent, "", name, text);
    } else if (type[0] == 'u' && qemu_strtou64(text, NULL, 10, &u) == 0) {
        hmp_printf(out, "%*s%s = %" PRIu64 " (0x%" PRIx64 ")\n", indent, "", name, u, u);
    } else if (type[0] == 'i' && qemu_strtoi64(text, NULL, 10, &i) == 0) {
        hmp_printf(out, "%*s%s = %" PRId64 " (0x%" PRIx64 ")\n", indent, "", name, i, (uint64_t)i);
    } else {
        hmp_printf(out, "%*s%s = %s\n", indent, "", name, text);
    }
    g_free(text);
}

static void qtree_print_bus(GString *out, Object *bus, int indent);

typedef struct QtreeChildBuses {
    GString *out;
    int indent;
} QtreeChildBuses;

static int print_child_bus(Object *child, void *opaque)
{
    QtreeChildBuses *c = opaque;

    if (object_dynamic_cast(child, TYPE_BUS)) {
        qtree_print_bus(c->out, child, c->indent);
    }
    return 0;
}

static const Property *class_props(ObjectClass *k)
{
    return k && object_class_dynamic_cast(k, TYPE_DEVICE) ? DEVICE_CLASS(k)->props : NULL;
}

static void qtree_print_dev(GString *out, DeviceState *dev, int indent)
{
    QtreeChildBuses child_buses = {out, indent + 2};

    hmp_printf(out, "%*sdev: %s, id \"%s\"\n", indent, "", object_get_typename(OBJECT(dev)),
               dev->id ? dev->id : "");
    /* Each class's own table, the device's class first, as QEMU prints them. */
    for (ObjectClass *k = object_get_class(OBJECT(dev)); class_props(k);
         k = object_class_get_parent(k)) {
        const Property *props = class_props(k);

        if (props == class_props(object_class_get_parent(k))) {
            continue; /* inherited unchanged: printed at the parent */
        }
        for (const Property *p = props; p->name; p++) {
            qtree_print_prop(out, OBJECT(dev), p->name, p->info->type, indent + 2);
        }
    }
    object_child_foreach(OBJECT(dev), print_child_bus, &child_buses);
}

typedef struct QtreeBusDevices {
    Object *bus;
    GPtrArray *found;
} QtreeBusDevices;

static int collect_bus_devices(Object *obj, void *opaque)
{
    QtreeBusDevices *w = opaque;
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (dev && dev->parent_bus == w->bus) {
        g_ptr_array_add(w->found, dev);
    }
    return 0;
}

static void qtree_print_bus(GString *out, Object *bus, int indent)
{
    QtreeBusDevices w = {bus, g_ptr_array_new()};

    hmp_printf(out, "%*sbus: %s\n", indent, "", bus_name(bus));
    hmp_printf(out, "%*stype %s\n", indent + 2, "", object_get_typename(bus));
    object_child_foreach_recursive(object_get_root(), collect_bus_devices, &w);
    /* QEMU lists a bus's devices newest first. */
    for (guint i = w.found->len; i-- > 0;) {
        qtree_print_dev(out, w.found->pdata[i], indent + 2);
    }
    g_ptr_array_free(w.found, TRUE);
}

static int find_system_bus(Object *obj, void *opaque)
{
    if (object_dynamic_cast(obj, "System")) {
        *(Object **)opaque = obj;
        return 1;
    }
    return 0;
}

static void hmp_info_qtree(GString *out)
{
    Object *sysbus = NULL;

    object_child_foreach_recursive(object_get_root(), find_system_bus, &sysbus);
    if (sysbus) {
        qtree_print_bus(out, sysbus, 0);
    }
}

static gint compare_subregions(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = *(MemoryRegion *const *)a, *y = *(MemoryRegion *const *)b;

    if (x->addr != y->addr) {
        return x->addr < y->addr ? -1 : 1;
    }
    return y->priority - x->priority;
}

static void mtree_print_mr(GString *out, const MemoryRegion *mr, hwaddr base, int indent)
{
    static const char *const kinds[] = {[MR_CONTAINER] = "i/o",
                                        [MR_IO] = "i/o",
                                        [MR_RAM] = "ram",
                                        [MR_ROM] = "rom",
                                        [MR_ALIAS] = "i/o"};
    hwaddr start = base + mr->addr;
    /* A size of UINT64_MAX is QEMU's 2^64 (int128): the whole space, ending at UINT64_MAX. */
    hwaddr end = mr->size == UINT64_MAX ? UINT64_MAX : start + (mr->size ? mr->size - 1 : 0);
    GPtrArray *subs;

    if (!mr->enabled) {
        return;
    }
    hmp_printf(out, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): ", indent, "", start, end,
               mr->priority, kinds[mr->kind]);
    if (mr->kind == MR_ALIAS && mr->alias) {
        hmp_printf(out, "alias %s @%s %016" PRIx64 "-%016" PRIx64 "\n", mr->name, mr->alias->name,
                   mr->alias_offset, mr->alias_offset + (mr->size ? mr->size - 1 : 0));
    } else {
        hmp_printf(out, "%s\n", mr->name ? mr->name : "");
    }
    subs = g_ptr_array_new();
    for (unsigned i = 0; i < mr->nr_subregions; i++) {
        g_ptr_array_add(subs, mr->subregions[i]);
    }
    g_ptr_array_sort(subs, compare_subregions);
    for (guint i = 0; i < subs->len; i++) {
        mtree_print_mr(out, subs->pdata[i], start, indent + 2);
    }
    g_ptr_array_free(subs, TRUE);
}

static void hmp_info_mtree(GString *out)
{
    AddressSpace *as = address_space_memory();

    hmp_printf(out, "address-space: cpu-memory-0\n");
    hmp_printf(out, "address-space: memory\n");
    if (as && as->root) {
        mtree_print_mr(out, as->root, 0, 2);
    }
    hmp_printf(out, "\n");
}

static const struct {
    const char *name;
    const char *help;
    void (*fn)(GString *out);
} hmp_info_commands[] = {
    {"mtree", "show memory tree", hmp_info_mtree},
    {"qtree", "show device tree", hmp_info_qtree},
    {"status", "show the current VM status (running|paused)", hmp_info_status},
    {"version", "show the version of QEMU", hmp_info_version},
};

/* The HMP commands Tern has; anything else gets QEMU's "unknown command" line. */
static void cmd_human_monitor_command(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    json_t *cpu = json_object_get(args, "cpu-index");
    gchar **words = g_strsplit_set(arg_str(args, "command-line"), " \t\r\n", -1);
    GPtrArray *argv = g_ptr_array_new();
    GString *out = g_string_new(NULL);

    if (cpu && (!machine_current() || json_integer_value(cpu) < 0 ||
                json_integer_value(cpu) >= (json_int_t)machine_current()->smp.cpus)) {
        reply_error(r, "GenericError", "Parameter 'cpu-index' expects a CPU number");
        goto out;
    }
    for (gchar **w = words; *w; w++) {
        if (**w) {
            g_ptr_array_add(argv, *w);
        }
    }
    if (argv->len == 0) {
        /* nothing to do: "" */
    } else if (!strcmp(argv->pdata[0], "info") && argv->len == 1) {
        for (size_t i = 0; i < G_N_ELEMENTS(hmp_info_commands); i++) {
            hmp_printf(out, "info %s  -- %s\n", hmp_info_commands[i].name,
                       hmp_info_commands[i].help);
        }
    } else if (!strcmp(argv->pdata[0], "info")) {
        size_t i = 0;

        while (i < G_N_ELEMENTS(hmp_info_commands) &&
               strcmp(hmp_info_commands[i].name, argv->pdata[1])) {
            i++;
        }
        if (i < G_N_ELEMENTS(hmp_info_commands)) {
            hmp_info_commands[i].fn(out);
        } else {
            hmp_printf(out, "unknown command: 'info %s'\n", (char *)argv->pdata[1]);
        }
    } else if (!strcmp(argv->pdata[0], "stop")) {
        cmd_stop(mon, NULL, r);
    } else if (!strcmp(argv->pdata[0], "cont") || !strcmp(argv->pdata[0], "c")) {
        cmd_cont(mon, NULL, r);
        if (r->err_class) {
            /* HMP prints the error as text; the QMP command succeeds. */
            hmp_printf(out, "Error: %s\n", r->err_desc);
            g_free(r->err_desc);
            r->err_desc = NULL;
            r->err_class = NULL;
        }
    } else if (!strcmp(argv->pdata[0], "system_reset")) {
        cmd_system_reset(mon, NULL, r);
    } else {
        hmp_printf(out, "unknown command: '%s'\n", (char *)argv->pdata[0]);
    }
    if (!r->err_class) {
        r->ret = json_text(out->str);
    }
out:
    g_string_free(out, TRUE);
    g_ptr_array_free(argv, TRUE);
    g_strfreev(words);
}

/* ---- query-qmp-schema --------------------------------------------------------------- */

/*
 * The introspection data of the commands and events Tern has, in QEMU's
 * SchemaInfo shape.  Type names that start with '@' are masked as QEMU
 * masks them (numbers in order of first use; "[N]" for arrays of them);
 * builtin names stay.  Single quotes stand for double quotes.
 */
static const char qmp_schema_text[] =
    "["
    "{'name':'@empty','meta-type':'object','members':[]},"
    "{'name':'qmp_capabilities','meta-type':'command','arg-type':'@caps-args','ret-type':'@empty'},"
    "{'name':'@caps-args','meta-type':'object','members':"
    "[{'name':'enable','type':'[@cap]','default':null}]},"
    "{'name':'[@cap]','meta-type':'array','element-type':'@cap'},"
    "{'name':'@cap','meta-type':'enum','members':[{'name':'oob'}],'values':['oob']},"
    "{'name':'quit','meta-type':'command','arg-type':'@empty','ret-type':'@empty'},"
    "{'name':'stop','meta-type':'command','arg-type':'@empty','ret-type':'@empty'},"
    "{'name':'cont','meta-type':'command','arg-type':'@empty','ret-type':'@empty'},"
    "{'name':'system_reset','meta-type':'command','arg-type':'@empty','ret-type':'@empty'},"
    "{'name':'query-status','meta-type':'command','arg-type':'@empty','ret-type':'@status'},"
    "{'name':'@status','meta-type':'object','members':[{'name':'running','type':'bool'},"
    "{'name':'singlestep','type':'bool'},{'name':'status','type':'@runstate'}]},"
    "{'name':'bool','meta-type':'builtin','json-type':'boolean'},"
    "{'name':'@runstate','meta-type':'enum','members':[{'name':'debug'},{'name':'inmigrate'},"
    "{'name':'internal-error'},{'name':'io-error'},{'name':'paused'},{'name':'postmigrate'},"
    "{'name':'prelaunch'},{'name':'finish-migrate'},{'name':'restore-vm'},{'name':'running'},"
    "{'name':'save-vm'},{'name':'shutdown'},{'name':'suspended'},{'name':'watchdog'},"
    "{'name':'guest-panicked'},{'name':'colo'}],'values':['debug','inmigrate','internal-error',"
    "'io-error','paused','postmigrate','prelaunch','finish-migrate','restore-vm','running',"
    "'save-vm','shutdown','suspended','watchdog','guest-panicked','colo']},"
    "{'name':'query-fdsets','meta-type':'command','arg-type':'@empty','ret-type':'[@fdset]'},"
    "{'name':'[@fdset]','meta-type':'array','element-type':'@fdset'},"
    "{'name':'@fdset','meta-type':'object','members':[{'name':'fdset-id','type':'int'},"
    "{'name':'fds','type':'[@fdset-fd]'}]},"
    "{'name':'[@fdset-fd]','meta-type':'array','element-type':'@fdset-fd'},"
    "{'name':'@fdset-fd','meta-type':'object','members':[{'name':'fd','type':'int'},"
    "{'name':'opaque','type':'str','default':null}]},"
    "{'name':'query-name','meta-type':'command','arg-type':'@empty','ret-type':'@name-info'},"
    "{'name':'@name-info','meta-type':'object','members':"
    "[{'name':'name','type':'str','default':null}]},"
    "{'name':'query-version','meta-type':'command','arg-type':'@empty','ret-type':'@version'},"
    "{'name':'@version','meta-type':'object','members':[{'name':'qemu','type':'@version-triple'},"
    "{'name':'package','type':'str'}]},"
    "{'name':'@version-triple','meta-type':'object','members':[{'name':'major','type':'int'},"
    "{'name':'minor','type':'int'},{'name':'micro','type':'int'}]},"
    "{'name':'int','meta-type':'builtin','json-type':'int'},"
    "{'name':'str','meta-type':'builtin','json-type':'string'},"
    "{'name':'query-commands','meta-type':'command','arg-type':'@empty','ret-type':'[@command]'},"
    "{'name':'[@command]','meta-type':'array','element-type':'@command'},"
    "{'name':'@command','meta-type':'object','members':[{'name':'name','type':'str'}]},"
    "{'name':'query-machines','meta-type':'command','arg-type':'@empty',"
    "'ret-type':'[@machine]'},"
    "{'name':'[@machine]','meta-type':'array','element-type':'@machine'},"
    "{'name':'@machine','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'alias','type':'str','default':null},{'name':'is-default','type':'bool','default':"
    "null},"
    "{'name':'cpu-max','type':'int'},{'name':'hotpluggable-cpus','type':'bool'},"
    "{'name':'numa-mem-supported','type':'bool'},{'name':'deprecated','type':'bool'},"
    "{'name':'default-cpu-type','type':'str','default':null},"
    "{'name':'default-ram-id','type':'str','default':null}]},"
    "{'name':'qom-list','meta-type':'command','arg-type':'@path-args','ret-type':'[@property]'},"
    "{'name':'@path-args','meta-type':'object','members':[{'name':'path','type':'str'}]},"
    "{'name':'[@property]','meta-type':'array','element-type':'@property'},"
    "{'name':'@property','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'type','type':'str'},{'name':'description','type':'str','default':null},"
    "{'name':'default-value','type':'any','default':null}]},"
    "{'name':'any','meta-type':'builtin','json-type':'value'},"
    "{'name':'qom-get','meta-type':'command','arg-type':'@qom-get-args','ret-type':'any'},"
    "{'name':'@qom-get-args','meta-type':'object','members':[{'name':'path','type':'str'},"
    "{'name':'property','type':'str'}]},"
    "{'name':'qom-list-types','meta-type':'command','arg-type':'@types-args',"
    "'ret-type':'[@type]'},"
    "{'name':'@types-args','meta-type':'object','members':"
    "[{'name':'implements','type':'str','default':null},"
    "{'name':'abstract','type':'bool','default':null}]},"
    "{'name':'[@type]','meta-type':'array','element-type':'@type'},"
    "{'name':'@type','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'abstract','type':'bool','default':null},{'name':'parent','type':'str','default':null}"
    "]},"
    "{'name':'query-cpus-fast','meta-type':'command','arg-type':'@empty','ret-type':'[@cpu]'},"
    "{'name':'[@cpu]','meta-type':'array','element-type':'@cpu'},"
    "{'name':'@cpu','meta-type':'object','members':[{'name':'cpu-index','type':'int'},"
    "{'name':'qom-path','type':'str'},{'name':'thread-id','type':'int'},"
    "{'name':'props','type':'@cpu-props','default':null},{'name':'target','type':'@target'}],"
    "'tag':'target','variants':[{'case':'riscv64','type':'@empty'}]},"
    "{'name':'@cpu-props','meta-type':'object','members':"
    "[{'name':'node-id','type':'int','default':null},{'name':'socket-id','type':'int','default':"
    "null},"
    "{'name':'die-id','type':'int','default':null},{'name':'cluster-id','type':'int','default':"
    "null},"
    "{'name':'core-id','type':'int','default':null},{'name':'thread-id','type':'int','default':"
    "null}]},"
    "{'name':'@target','meta-type':'enum','members':[{'name':'riscv64'}],'values':['riscv64']},"
    "{'name':'human-monitor-command','meta-type':'command','arg-type':'@hmp-args',"
    "'ret-type':'str'},"
    "{'name':'@hmp-args','meta-type':'object','members':[{'name':'command-line','type':'str'},"
    "{'name':'cpu-index','type':'int','default':null}]},"
    "{'name':'device_add','meta-type':'command','arg-type':'@device-add-args',"
    "'ret-type':'@empty','features':['json-cli','json-cli-hotplug']},"
    "{'name':'@device-add-args','meta-type':'object','members':[{'name':'driver','type':'str'},"
    "{'name':'bus','type':'str','default':null},{'name':'id','type':'str','default':null}]},"
    "{'name':'device_del','meta-type':'command','arg-type':'@id-args','ret-type':'@empty'},"
    "{'name':'@id-args','meta-type':'object','members':[{'name':'id','type':'str'}]},"
    "{'name':'query-qmp-schema','meta-type':'command','arg-type':'@empty',"
    "'ret-type':'[@schema-info]'},"
    "{'name':'[@schema-info]','meta-type':'array','element-type':'@schema-info'},"
    "{'name':'@schema-info','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'meta-type','type':'@meta-type'},{'name':'features','type':'[str]','default':null}],"
    "'tag':'meta-type','variants':[]},"
    "{'name':'[str]','meta-type':'array','element-type':'str'},"
    "{'name':'@meta-type','meta-type':'enum','members':[{'name':'builtin'},{'name':'enum'},"
    "{'name':'array'},{'name':'object'},{'name':'alternate'},{'name':'command'},"
    "{'name':'event'}],'values':['builtin','enum','array','object','alternate','command','event']},"
    "{'name':'trace-event-get-state','meta-type':'command','arg-type':'@trace-get-args',"
    "'ret-type':'[@trace-event-info]'},"
    "{'name':'@trace-get-args','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'vcpu','type':'int','default':null}]},"
    "{'name':'[@trace-event-info]','meta-type':'array','element-type':'@trace-event-info'},"
    "{'name':'@trace-event-info','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'state','type':'@trace-event-state'},{'name':'vcpu','type':'bool'}]},"
    "{'name':'@trace-event-state','meta-type':'enum','members':[{'name':'unavailable'},"
    "{'name':'disabled'},{'name':'enabled'}],'values':['unavailable','disabled','enabled']},"
    "{'name':'trace-event-set-state','meta-type':'command','arg-type':'@trace-set-args',"
    "'ret-type':'@empty'},"
    "{'name':'@trace-set-args','meta-type':'object','members':[{'name':'name','type':'str'},"
    "{'name':'enable','type':'bool'},{'name':'ignore-unavailable','type':'bool','default':null},"
    "{'name':'vcpu','type':'int','default':null}]},"
    "{'name':'SHUTDOWN','meta-type':'event','arg-type':'@shutdown-data'},"
    "{'name':'@shutdown-data','meta-type':'object','members':[{'name':'guest','type':'bool'},"
    "{'name':'reason','type':'str'}]},"
    "{'name':'POWERDOWN','meta-type':'event','arg-type':'@empty'},"
    "{'name':'RESET','meta-type':'event','arg-type':'@shutdown-data'},"
    "{'name':'STOP','meta-type':'event','arg-type':'@empty'},"
    "{'name':'RESUME','meta-type':'event','arg-type':'@empty'}"
    "]";

/* "@name" -> "N", "[@name]" -> "[N]": numbers in order of first use. */
static void schema_mask(json_t *v, GHashTable *names)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *member;

        json_object_foreach(v, key, member)
        {
            schema_mask(member, names);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            schema_mask(json_array_get(v, i), names);
        }
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        bool array = s[0] == '[';
        const char *name = s + array;
        char *masked;
        gpointer n;

        if (name[0] != '@') {
            return;
        }
        masked = g_strndup(name, strlen(name) - array);
        if (!g_hash_table_lookup_extended(names, masked, NULL, &n)) {
            n = GUINT_TO_POINTER(g_hash_table_size(names));
            g_hash_table_insert(names, g_strdup(masked), n);
        }
        g_free(masked);
        masked = g_strdup_printf(array ? "[%u]" : "%u", GPOINTER_TO_UINT(n));
        json_string_set(v, masked);
        g_free(masked);
    }
}

static size_t qmp_command_count(void);
static const QmpCommand *qmp_command_at(size_t i);

/* ---- trace events (QEMU's trace/qmp.c behaviour; Tern has no per-vCPU events) ------------ */

/* QEMU's checks, in its order: the vCPU index, then an exact name that is no event. */
static bool trace_qmp_check(json_t *args, QmpReply *r)
{
    const char *name = arg_str(args, "name");
    json_t *vcpu = json_object_get(args, "vcpu");

    if (vcpu && (!machine_current() || json_integer_value(vcpu) < 0 ||
                 json_integer_value(vcpu) >= (json_int_t)machine_current()->smp.cpus)) {
        reply_error(r, "GenericError", "invalid vCPU index %u", (unsigned)json_integer_value(vcpu));
        return false;
    }
    if (!trace_event_is_pattern(name)) {
        if (!trace_event_find(name)) {
            reply_error(r, "GenericError", "unknown event \"%s\"", name);
            return false;
        }
        if (vcpu) {
            reply_error(r, "GenericError", "event \"%s\" is not vCPU-specific", name);
            return false;
        }
    }
    return true;
}

/* The matching events sorted by name (QEMU: in reverse build order); none with vcpu. */
static void cmd_trace_event_get_state(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    const char *name = arg_str(args, "name");
    TraceEvent *const *list = trace_event_list(NULL);

    if (!trace_qmp_check(args, r)) {
        return;
    }
    r->ret = json_array();
    for (size_t i = 0; list[i] && !json_object_get(args, "vcpu"); i++) {
        if (g_pattern_match_simple(name, list[i]->name)) {
            json_array_append_new(r->ret,
                                  json_pack("{s:s,s:b,s:s}", "name", list[i]->name, "vcpu", false,
                                            "state", list[i]->enabled ? "enabled" : "disabled"));
        }
    }
}

static void cmd_trace_event_set_state(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    const char *name = arg_str(args, "name");
    bool enable = json_is_true(json_object_get(args, "enable"));
    TraceEvent *const *list = trace_event_list(NULL);

    if (!trace_qmp_check(args, r)) {
        return;
    }
    for (size_t i = 0; list[i] && !json_object_get(args, "vcpu"); i++) {
        if (g_pattern_match_simple(name, list[i]->name)) {
            list[i]->enabled = enable;
        }
    }
}

/* A command the text does not describe: its arguments from the command table, "any" back. */
static void schema_add_command(json_t *schema, const QmpCommand *cmd)
{
    static const char *const type_names[] = {[ARG_STR] = "str",
                                             [ARG_BOOL] = "bool",
                                             [ARG_LIST] = "any",
                                             [ARG_INT] = "int",
                                             [ARG_ANY] = "any"};
    char *args_name = g_strdup_printf("@%s-args", cmd->name);
    json_t *members = json_array();

    for (const QmpArg *a = cmd->args; a->name; a++) {
        json_t *m = json_pack("{s:s,s:s}", "name", a->name, "type", type_names[a->type]);

        if (a->optional) {
            json_object_set_new(m, "default", json_null());
        }
        json_array_append_new(members, m);
    }
    json_array_append_new(schema, json_pack("{s:s,s:s,s:s,s:s}", "name", cmd->name, "meta-type",
                                            "command", "arg-type", args_name, "ret-type", "any"));
    json_array_append_new(schema, json_pack("{s:s,s:s,s:o}", "name", args_name, "meta-type",
                                            "object", "members", members));
    g_free(args_name);
}

static void cmd_query_qmp_schema(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    char *text = g_strdup(qmp_schema_text);
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *described = g_hash_table_new(g_str_hash, g_str_equal);
    json_t *schema;

    g_strdelimit(text, "'", '"');
    schema = json_loads(text, 0, NULL);
    g_free(text);
    g_assert(schema); /* a fixed text: a failure is a bug in the text */
    for (size_t i = 0; i < json_array_size(schema); i++) {
        g_hash_table_add(described, (gpointer)json_string_value(
                                        json_object_get(json_array_get(schema, i), "name")));
    }
    for (size_t i = 0; i < qmp_command_count(); i++) {
        if (!g_hash_table_contains(described, qmp_command_at(i)->name)) {
            schema_add_command(schema, qmp_command_at(i));
        }
    }
    g_hash_table_destroy(described);
    schema_mask(schema, names);
    g_hash_table_destroy(names);
    r->ret = schema;
}

static const QmpCommand commands[] = {
    {"qmp_capabilities", cmd_qmp_capabilities, {{"enable", ARG_LIST, true}}, true},
    {"quit", cmd_quit, {{NULL}}, false},
    {"stop", cmd_stop, {{NULL}}, false},
    {"cont", cmd_cont, {{NULL}}, false},
    {"system_reset", cmd_system_reset, {{NULL}}, false},
    {"query-status", cmd_query_status, {{NULL}}, false},
    {"query-name", cmd_query_name, {{NULL}}, false},
    {"query-fdsets", cmd_query_fdsets, {{NULL}}, false},
    {"query-version", cmd_query_version, {{NULL}}, false},
    {"query-commands", cmd_query_commands, {{NULL}}, false},
    {"query-machines", cmd_query_machines, {{NULL}}, false}, /* 7.2's: no compat-props */
    {"qom-list", cmd_qom_list, {{"path", ARG_STR, false}}, false},
    {"qom-get", cmd_qom_get, {{"path", ARG_STR, false}, {"property", ARG_STR, false}}, false},
    {"qom-list-types",
     cmd_qom_list_types,
     {{"implements", ARG_STR, true}, {"abstract", ARG_BOOL, true}},
     false},
    {"query-cpus-fast", cmd_query_cpus_fast, {{NULL}}, false},
    {"query-qmp-schema", cmd_query_qmp_schema, {{NULL}}, false},
    {"human-monitor-command",
     cmd_human_monitor_command,
     {{"command-line", ARG_STR, false}, {"cpu-index", ARG_INT, true}},
     false},
    {"device_add",
     cmd_device_add,
     {{"driver", ARG_ANY, true}, {"bus", ARG_ANY, true}, {"id", ARG_ANY, true}},
     false,
     true},
    {"device_del", cmd_device_del, {{"id", ARG_STR, false}}, false},
    {"trace-event-get-state",
     cmd_trace_event_get_state,
     {{"name", ARG_STR, false}, {"vcpu", ARG_INT, true}},
     false},
    {"trace-event-set-state",
     cmd_trace_event_set_state,
     {{"name", ARG_STR, false},
      {"enable", ARG_BOOL, false},
      {"ignore-unavailable", ARG_BOOL, true},
      {"vcpu", ARG_INT, true}},
     false},
};

static size_t qmp_command_count(void)
{
    return G_N_ELEMENTS(commands);
}

static const QmpCommand *qmp_command_at(size_t i)
{
    return &commands[i];
}

static void cmd_query_commands(QmpMonitor *mon, json_t *args, QmpReply *r)
{
    r->ret = json_array();
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        json_array_append_new(r->ret, json_pack("{s:s}", "name", commands[i].name));
    }
}

static const QmpCommand *find_command(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (!strcmp(commands[i].name, name)) {
            return &commands[i];
        }
    }
    return NULL;
}

/* QEMU's argument checks: missing and mistyped members first, then unknown ones. */
static bool check_arguments(const QmpCommand *cmd, json_t *args, QmpReply *r)
{
    static const char *const type_names[] = {[ARG_STR] = "string",
                                             [ARG_BOOL] = "boolean",
                                             [ARG_LIST] = "array",
                                             [ARG_INT] = "integer",
                                             [ARG_ANY] = "value"};
    for (const QmpArg *a = cmd->args; a->name; a++) {
        json_t *v = json_object_get(args, a->name);
        bool ok = (a->type == ARG_STR && json_is_string(v)) ||
                  (a->type == ARG_BOOL && json_is_boolean(v)) ||
                  (a->type == ARG_LIST && json_is_array(v)) ||
                  (a->type == ARG_INT && json_is_integer(v)) || a->type == ARG_ANY;

        if (!v && !a->optional) {
            reply_error(r, "GenericError", "Parameter '%s' is missing", a->name);
            return false;
        }
        if (v && !ok) {
            reply_error(r, "GenericError", "Invalid parameter type for '%s', expected: %s", a->name,
                        type_names[a->type]);
            return false;
        }
    }
    for (void *it = json_object_iter(args); it; it = json_object_iter_next(args, it)) {
        const char *key = json_object_iter_key(it);
        const QmpArg *a = cmd->args;

        while (a->name && strcmp(a->name, key)) {
            a++;
        }
        if (!a->name && !cmd->open_args) {
            reply_error(r, "GenericError", "Parameter '%s' is unexpected", key);
            return false;
        }
    }
    return true;
}

/* One request: QEMU's checks, in QEMU's order, then the command. */
static void monitor_dispatch(QmpMonitor *mon, json_t *req)
{
    QmpReply r = {0};
    const char *exec_key = NULL, *name = NULL;
    const QmpCommand *cmd;
    json_t *id = NULL, *args = NULL;

    if (!json_is_object(req)) {
        reply_error(&r, "GenericError", "QMP input must be a JSON object");
        goto out;
    }
    id = json_object_get(req, "id");
    for (void *it = json_object_iter(req); it; it = json_object_iter_next(req, it)) {
        const char *key = json_object_iter_key(it);
        json_t *value = json_object_iter_value(it);

        if (!strcmp(key, "execute") || (!strcmp(key, "exec-oob") && mon->oob)) {
            if (!json_is_string(value)) {
                reply_error(&r, "GenericError", "QMP input member '%s' must be a string", key);
                goto out;
            }
            if (exec_key) {
                reply_error(&r, "GenericError", "QMP input member '%s' clashes with '%s'", key,
                            exec_key);
                goto out;
            }
            exec_key = key;
            name = json_string_value(value);
        } else if (!strcmp(key, "arguments")) {
            if (!json_is_object(value)) {
                reply_error(&r, "GenericError", "QMP input member 'arguments' must be an object");
                goto out;
            }
            args = value;
        } else if (strcmp(key, "id")) {
            reply_error(&r, "GenericError", "QMP input member '%s' is unexpected", key);
            goto out;
        }
    }
    if (!exec_key) {
        reply_error(&r, "GenericError", "QMP input lacks member 'execute'");
        goto out;
    }
    cmd = find_command(name);
    if (!cmd || (!mon->command_mode && !cmd->in_negotiation)) {
        reply_error(&r, "CommandNotFound", "The command %s has not been found", name);
        goto out;
    }
    if (!strcmp(exec_key, "exec-oob")) {
        reply_error(&r, "GenericError", "The command %s does not support OOB", name);
        goto out;
    }
    if (check_arguments(cmd, args, &r)) {
        cmd->fn(mon, args, &r);
    }
out:
    if (!mon->command_mode && r.err_class && !strcmp(r.err_class, "CommandNotFound")) {
        g_free(r.err_desc);
        r.err_desc = g_strdup("Expecting capabilities negotiation with 'qmp_capabilities'");
    }
    monitor_respond(mon, &r, id);
    reply_clear(&r);
}

/* ---- the scanner -------------------------------------------------------------------- */

static void scan_reset(QmpMonitor *mon)
{
    mon->mode = SCAN_IDLE;
    mon->depth = 0;
    mon->quote = 0;
    mon->escape = false;
    mon->discarding = false;
    if (mon->value->allocated_len > QMP_READ_CHUNK * 16) {
        g_string_free(mon->value, TRUE); /* do not keep a huge buffer for good */
        mon->value = g_string_new(NULL);
    } else {
        g_string_truncate(mon->value, 0);
    }
}

/* How QEMU's messages show a byte: itself if printable, else \xNN. */
static void describe_byte(uint8_t c, char buf[8])
{
    if (c >= 0x20 && c < 0x7f) {
        snprintf(buf, 8, "%c", c);
    } else {
        snprintf(buf, 8, "\\x%02x", c);
    }
}

static void scan_append(QmpMonitor *mon, const char *s, size_t n)
{
    if (mon->discarding) {
        return;
    }
    if (mon->value->len + n > QMP_MAX_INPUT) {
        monitor_input_error(mon, "JSON token size limit exceeded");
        mon->discarding = true;
        g_string_truncate(mon->value, 0);
        return;
    }
    g_string_append_len(mon->value, s, n);
}

static void scan_append_byte(QmpMonitor *mon, uint8_t c)
{
    char ch = (char)c;

    scan_append(mon, &ch, 1);
}

/* A lexical error inside a value: report it (once) and start afresh. */
static void scan_abandon(QmpMonitor *mon, uint8_t c)
{
    char what[8];

    if (!mon->discarding) {
        describe_byte(c, what);
        monitor_input_error(mon, "JSON parse error, stray '%s'", what);
    }
    scan_reset(mon);
}

static void scan_value_done(QmpMonitor *mon)
{
    json_error_t jerr;
    json_t *req = NULL;
    bool refused = mon->discarding;

    if (!refused) {
        req = json_loadb(mon->value->str, mon->value->len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                         &jerr);
    }
    scan_reset(mon);
    if (refused) {
        return;
    }
    if (!req) {
        monitor_input_error(mon, "JSON parse error, %s", jerr.text);
        return;
    }
    monitor_dispatch(mon, req);
    json_decref(req);
}

static bool is_scalar_byte(uint8_t c)
{
    return g_ascii_isalnum(c) || c == '-' || c == '+' || c == '.';
}

static void scan_idle_byte(QmpMonitor *mon, uint8_t c)
{
    char what[8];

    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        return;
    case '{':
    case '[':
        mon->mode = SCAN_VALUE;
        mon->depth = 1;
        scan_append_byte(mon, c);
        return;
    case '"':
    case '\'':
        mon->mode = SCAN_VALUE;
        mon->depth = 0;
        mon->quote = (char)c;
        scan_append(mon, "\"", 1);
        return;
    default:
        if (g_ascii_isalnum(c) || c == '-') {
            mon->mode = SCAN_SCALAR;
            scan_append_byte(mon, c);
            return;
        }
        describe_byte(c, what);
        monitor_input_error(mon, "JSON parse error, stray '%s'", what);
        mon->mode = SCAN_SKIP;
        return;
    }
}

static void scan_string_byte(QmpMonitor *mon, uint8_t c)
{
    if (c < 0x20 || c == 0xfe || c == 0xff) {
        scan_abandon(mon, c);
        return;
    }
    if (mon->escape) {
        mon->escape = false;
        if (c == '\'') {
            scan_append(mon, "'", 1); /* QEMU's extra escape */
        } else {
            scan_append(mon, "\\", 1);
            scan_append_byte(mon, c);
        }
        return;
    }
    if (c == '\\') {
        mon->escape = true;
    } else if (c == (uint8_t)mon->quote) {
        mon->quote = 0;
        scan_append(mon, "\"", 1);
        if (mon->depth == 0) {
            scan_value_done(mon);
        }
    } else if (c == '"') {
        scan_append(mon, "\\\"", 2); /* in a 'single-quoted' string */
    } else {
        scan_append_byte(mon, c);
    }
}

static void scan_value_byte(QmpMonitor *mon, uint8_t c)
{
    if (mon->quote) {
        scan_string_byte(mon, c);
        return;
    }
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0xfe || c == 0xff) {
        scan_abandon(mon, c);
        return;
    }
    switch (c) {
    case '{':
    case '[':
        mon->depth++;
        if (mon->depth > QMP_MAX_NESTING && !mon->discarding) {
            monitor_input_error(mon, "JSON nesting depth limit exceeded");
            mon->discarding = true;
            g_string_truncate(mon->value, 0);
        }
        scan_append_byte(mon, c);
        return;
    case '}':
    case ']':
        scan_append_byte(mon, c);
        if (--mon->depth == 0) {
            scan_value_done(mon);
        }
        return;
    case '"':
    case '\'':
        mon->quote = (char)c;
        scan_append(mon, "\"", 1);
        return;
    default:
        scan_append_byte(mon, c);
        return;
    }
}

static void scan_byte(QmpMonitor *mon, uint8_t c)
{
    switch (mon->mode) {
    case SCAN_SKIP:
        if (c != '{' && c != '[' && c != '\n') {
            return;
        }
        mon->mode = SCAN_IDLE;
        scan_idle_byte(mon, c);
        return;
    case SCAN_IDLE:
        scan_idle_byte(mon, c);
        return;
    case SCAN_SCALAR:
        if (is_scalar_byte(c)) {
            scan_append_byte(mon, c);
            return;
        }
        scan_value_done(mon);
        if (!mon->closed) {
            scan_idle_byte(mon, c);
        }
        return;
    case SCAN_VALUE:
        scan_value_byte(mon, c);
        return;
    }
}

/* ---- the chardev front end ---------------------------------------------------------- */

static void monitor_greet(QmpMonitor *mon)
{
    monitor_send(
        mon, json_pack("{s:{s:o,s:[s]}}", "QMP", "version", version_info(), "capabilities", "oob"));
}

static size_t monitor_can_receive(void *opaque)
{
    return QMP_READ_CHUNK;
}

static void monitor_receive(void *opaque, const uint8_t *buf, size_t len)
{
    QmpMonitor *mon = opaque;

    mon->closed = false;
    for (size_t i = 0; i < len && !mon->closed; i++) {
        scan_byte(mon, buf[i]);
    }
}

static void monitor_event(void *opaque, ChardevEvent event)
{
    QmpMonitor *mon = opaque;

    switch (event) {
    case CHARDEV_EVENT_OPENED:
        /* A new client: a new session, as QEMU (negotiation again). */
        mon->closed = false;
        mon->command_mode = false;
        mon->oob = false;
        scan_reset(mon);
        monitor_greet(mon);
        break;
    case CHARDEV_EVENT_CLOSED:
        mon->closed = true;
        scan_reset(mon);
        break;
    }
}

static void monitor_destroy(QmpMonitor *mon, bool detach)
{
    if (detach && monitor_chardev_alive(mon)) {
        chardev_clear_frontend(mon->chr);
    }
    if (mon->owner_slot) {
        *mon->owner_slot = NULL;
    }
    if (monitors) {
        g_ptr_array_remove(monitors, mon);
    }
    g_string_free(mon->value, TRUE);
    g_free(mon->chr_id);
    g_free(mon);
}

/*
 * Monitors left over from a run whose chardevs tern_cleanup() freed: never
 * detached (their chardev is gone), only forgotten.
 */
static void monitors_purge(Chardev *taken)
{
    for (guint i = 0; monitors && i < monitors->len;) {
        QmpMonitor *mon = monitors->pdata[i];

        if (!monitor_chardev_alive(mon) || mon->chr == taken) {
            monitor_destroy(mon, false);
        } else {
            i++;
        }
    }
}

QmpMonitor *qmp_monitor_new(Chardev *chr, bool pretty, Error **errp)
{
    QmpMonitor *mon = g_new0(QmpMonitor, 1);
    ChardevFrontend fe = {
        .can_receive = monitor_can_receive,
        .receive = monitor_receive,
        .event = monitor_event,
        .opaque = mon,
    };

    monitors_purge(NULL);
    mon->chr = chr;
    mon->chr_id = g_strdup(chardev_id(chr));
    mon->pretty = pretty;
    mon->value = g_string_new(NULL);
    /* A socket greets from its OPENED event (now, if a client is already there). */
    if (!chardev_set_frontend(chr, &fe, errp)) {
        monitor_destroy(mon, false);
        return NULL;
    }
    /* chr had no front end, so any monitor still naming it is a leftover. */
    monitors_purge(chr);
    if (!monitors) {
        monitors = g_ptr_array_new();
    }
    g_ptr_array_add(monitors, mon);
    if (strcmp(chardev_backend(chr), "socket")) {
        monitor_greet(mon);
    }
    return mon;
}

void qmp_monitor_free(QmpMonitor *mon)
{
    if (mon) {
        monitor_destroy(mon, true);
    }
}

static QmpMonitor *monitor_on(const char *chardev_id)
{
    for (guint i = 0; monitors && i < monitors->len; i++) {
        QmpMonitor *mon = monitors->pdata[i];

        if (monitor_chardev_alive(mon) && !strcmp(mon->chr_id, chardev_id)) {
            return mon;
        }
    }
    return NULL;
}

bool qmp_monitor_reset_session(const char *chardev_id)
{
    QmpMonitor *mon = monitor_on(chardev_id);

    if (!mon) {
        return false;
    }
    mon->closed = false;
    mon->command_mode = false;
    mon->oob = false;
    scan_reset(mon);
    return true;
}

bool qmp_monitor_session_is_fresh(const char *chardev_id)
{
    QmpMonitor *mon = monitor_on(chardev_id);

    return mon && !mon->closed && !mon->command_mode && !mon->oob && mon->mode == SCAN_IDLE &&
           !mon->depth && !mon->quote && !mon->escape && !mon->discarding && !mon->value->len;
}

void qmp_cleanup_all(void)
{
    while (monitors && monitors->len) {
        monitor_destroy(monitors->pdata[monitors->len - 1], true);
    }
    if (monitors) {
        g_ptr_array_free(monitors, TRUE);
        monitors = NULL;
    }
}

/* ---- -qmp and -mon ------------------------------------------------------------------ */

/* -qmp SPEC: QEMU's legacy chardev spec, on a chardev of its own ("compat_monitorN"). */
static bool qmp_option_init(const char *arg, Error **errp)
{
    char *id = NULL;
    Chardev *chr;
    Error *err = NULL;

    if (!g_str_has_prefix(arg, "chardev:")) {
        for (unsigned n = 0; !id; n++) {
            id = g_strdup_printf("compat_monitor%u", n);
            if (chardev_find(id)) {
                g_free(id);
                id = NULL;
            }
        }
    }
    chr = chardev_new_from_spec(id, arg, &err);
    g_free(id);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return !chr || qmp_monitor_new(chr, false, errp) != NULL; /* "none": no monitor */
}

/* -mon chardev=ID[,mode=control][,pretty=on|off] */
static bool mon_option_init(const char *arg, Error **errp)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    const char *id = NULL;
    bool pretty = false, ok = true;
    Chardev *chr;

    for (gchar **p = parts; ok && *p; p++) {
        if (g_str_has_prefix(*p, "chardev=")) {
            id = *p + 8;
        } else if (g_str_has_prefix(*p, "pretty=")) {
            if (!qemu_parse_bool(*p + 7, &pretty)) {
                error_setg(errp, "Parameter 'pretty' expects 'on' or 'off', not '%s'", *p + 7);
                ok = false;
            }
        } else if (strcmp(*p, "mode=control")) {
            error_setg(errp, "invalid parameter '%s' (chardev=ID[,mode=control][,pretty=on])", *p);
            ok = false;
        }
    }
    if (ok && (!id || !*id)) {
        error_setg(errp, "-mon needs chardev=ID");
        ok = false;
    }
    if (ok) {
        chr = chardev_find(id);
        if (!chr) {
            error_setg(errp, "no chardev with id '%s'", id);
            ok = false;
        } else {
            ok = qmp_monitor_new(chr, pretty, errp) != NULL;
        }
    }
    g_strfreev(parts);
    return ok;
}

/* ---- -object monitor-qmp ------------------------------------------------------------ */

typedef struct MonitorQmpObject {
    Object parent_obj;
    char *chardev;
    bool pretty;
    QmpMonitor *mon;
} MonitorQmpObject;

#define MONITOR_QMP(obj) OBJECT_CHECK(MonitorQmpObject, (obj), TYPE_MONITOR_QMP)

static bool monitor_qmp_check_unused(MonitorQmpObject *m, Error **errp)
{
    if (m->mon) {
        error_setg(errp, "the monitor is running: its properties can no longer change");
        return false;
    }
    return true;
}

static char *monitor_qmp_get_chardev(Object *obj, Error **errp)
{
    return g_strdup(MONITOR_QMP(obj)->chardev ? MONITOR_QMP(obj)->chardev : "");
}

static void monitor_qmp_set_chardev(Object *obj, const char *value, Error **errp)
{
    MonitorQmpObject *m = MONITOR_QMP(obj);

    if (monitor_qmp_check_unused(m, errp)) {
        g_free(m->chardev);
        m->chardev = g_strdup(value);
    }
}

static bool monitor_qmp_get_pretty(Object *obj, Error **errp)
{
    return MONITOR_QMP(obj)->pretty;
}

static void monitor_qmp_set_pretty(Object *obj, bool value, Error **errp)
{
    MonitorQmpObject *m = MONITOR_QMP(obj);

    if (monitor_qmp_check_unused(m, errp)) {
        m->pretty = value;
    }
}

static bool monitor_qmp_complete(Object *obj, Error **errp)
{
    MonitorQmpObject *m = MONITOR_QMP(obj);
    Chardev *chr;

    if (!m->chardev || !*m->chardev) {
        error_setg(errp, "monitor-qmp needs chardev=ID");
        return false;
    }
    chr = chardev_find(m->chardev);
    if (!chr) {
        error_setg(errp, "no chardev with id '%s'", m->chardev);
        return false;
    }
    m->mon = qmp_monitor_new(chr, m->pretty, errp);
    if (!m->mon) {
        return false;
    }
    m->mon->owner_slot = &m->mon;
    return true;
}

static void monitor_qmp_finalize(Object *obj)
{
    MonitorQmpObject *m = MONITOR_QMP(obj);

    qmp_monitor_free(m->mon);
    g_free(m->chardev);
}

static void monitor_qmp_class_init(ObjectClass *klass, const void *data)
{
    object_class_property_add_str(klass, "chardev", monitor_qmp_get_chardev,
                                  monitor_qmp_set_chardev);
    object_class_property_set_description(klass, "chardev", "the chardev to serve QMP on");
    object_class_property_add_bool(klass, "pretty", monitor_qmp_get_pretty, monitor_qmp_set_pretty);
    object_class_property_set_description(klass, "pretty", "indent replies and events");
    USER_CREATABLE_CLASS(klass)->complete = monitor_qmp_complete;
}

static const InterfaceInfo monitor_qmp_interfaces[] = {{TYPE_USER_CREATABLE}, {NULL}};

static const TypeInfo monitor_qmp_info = {
    .name = TYPE_MONITOR_QMP,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(MonitorQmpObject),
    .instance_finalize = monitor_qmp_finalize,
    .class_init = monitor_qmp_class_init,
    .interfaces = monitor_qmp_interfaces,
};

static const LateBackend qmp_late_backend = {
    .option = "qmp", .init = qmp_option_init, .cleanup = qmp_cleanup_all};
static const LateBackend mon_late_backend = {
    .option = "mon", .init = mon_option_init, .cleanup = qmp_cleanup_all};

static void qmp_register(void)
{
    runstate_add_observer(qmp_runstate_observer, NULL);
    type_register_static(&monitor_qmp_info);
    vl_register_late_backend(&qmp_late_backend);
    vl_register_late_backend(&mon_late_backend);
}

type_init(qmp_register)
