/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qdev.c - devices: the abstract "device" type, static property tables and
 * their parsers, -global defaults, realize/unrealize/reset, and GPIO lines.
 *
 * A static property is a class property whose accessors read and write a
 * field of the instance at Property.offset through its PropertyInfo.  Values
 * reach a new device in this order: the table's defaults (instance_init),
 * then -global defaults (instance_post_init), then whatever the creator
 * sets, and only before realize.
 *
 * Not here: which devices exist (hw/), and how -device options are read
 * (vl.c).  A bad value is an Error that names the property; misuse by code
 * (an unknown type in qdev_new, a GPIO line out of range) aborts.
 */
#include "core/qdev.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chardev.h"
#include "core/cutils.h"
#include "core/module.h"
#include "core/opts.h"
#include "core/phase.h"

/* ---- property parsers ------------------------------------------------------------- */

/*
 * The bounds of an unsigned property: the field's width, narrowed by
 * Property.min/max when max is set.  text is the value as the user wrote it.
 */
static bool check_unsigned(const Property *prop, uint64_t v, bool in_type, uint64_t type_max,
                           const char *text, Error **errp)
{
    uint64_t lo = prop->max ? prop->min : 0;
    uint64_t hi = prop->max ? prop->max : type_max;

    if (!in_type || v < lo || v > hi) {
        error_setg(errp, "Parameter '%s' expects a value from %" PRIu64 " to %" PRIu64 ", not '%s'",
                   prop->name, lo, hi, text);
        return false;
    }
    return true;
}

static bool check_signed(const Property *prop, int64_t v, bool in_type, int64_t lo, int64_t hi,
                         const char *text, Error **errp)
{
    if (!in_type || v < lo || v > hi) {
        error_setg(errp, "Parameter '%s' expects a value from %" PRId64 " to %" PRId64 ", not '%s'",
                   prop->name, lo, hi, text);
        return false;
    }
    return true;
}

static bool parse_unsigned(const Property *prop, const char *value, uint64_t type_max,
                           uint64_t *result, Error **errp)
{
    uint64_t v = 0;
    int ret = qemu_strtou64(value, NULL, 0, &v);

    if (ret == -EINVAL) {
        error_setg(errp, "Parameter '%s' expects a number, not '%s'", prop->name, value);
        return false;
    }
    if (!check_unsigned(prop, v, ret == 0, type_max, value, errp)) {
        return false;
    }
    *result = v;
    return true;
}

static bool parse_signed(const Property *prop, const char *value, int64_t lo, int64_t hi,
                         int64_t *result, Error **errp)
{
    int64_t v = 0;
    int ret = qemu_strtoi64(value, NULL, 0, &v);

    if (ret == -EINVAL) {
        error_setg(errp, "Parameter '%s' expects a number, not '%s'", prop->name, value);
        return false;
    }
    if (!check_signed(prop, v, ret == 0, lo, hi, value, errp)) {
        return false;
    }
    *result = v;
    return true;
}

/*
 * A typed value for a number property, as text for messages (caller frees);
 * NULL with the error when it is a flag, which no number property takes.
 */
static char *number_text(const Property *prop, const ObjectValue *value, Error **errp)
{
    char *text = object_value_print(value);

    if (value->kind == OBJECT_VALUE_BOOL) {
        error_setg(errp, "Parameter '%s' expects a number, not '%s'", prop->name, text);
        g_free(text);
        return NULL;
    }
    return text;
}

/* A negative value fits no unsigned property. */
static bool value_unsigned(const Property *prop, const ObjectValue *value, uint64_t type_max,
                           uint64_t *result, Error **errp)
{
    char *text = number_text(prop, value, errp);
    bool fits = value->kind != OBJECT_VALUE_INT || value->i >= 0;
    bool ok;

    *result = value->kind == OBJECT_VALUE_INT ? (uint64_t)value->i : value->u;
    ok = text && check_unsigned(prop, *result, fits, type_max, text, errp);
    g_free(text);
    return ok;
}

/* An unsigned value above INT64_MAX fits no signed property. */
static bool value_signed(const Property *prop, const ObjectValue *value, int64_t lo, int64_t hi,
                         int64_t *result, Error **errp)
{
    char *text = number_text(prop, value, errp);
    bool fits = value->kind != OBJECT_VALUE_UINT || value->u <= INT64_MAX;
    bool ok;

    *result = value->kind == OBJECT_VALUE_UINT ? (int64_t)value->u : value->i;
    ok = text && check_signed(prop, *result, fits, lo, hi, text, errp);
    g_free(text);
    return ok;
}

static bool bool_parse(void *field, const Property *prop, const char *value, Error **errp)
{
    bool v;

    if (!qemu_parse_bool(value, &v)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off', not '%s'", prop->name, value);
        return false;
    }
    *(bool *)field = v;
    return true;
}

static char *bool_print(const void *field, const Property *prop)
{
    return g_strdup(*(const bool *)field ? "on" : "off");
}

static void bool_set_default(void *field, const Property *prop)
{
    *(bool *)field = prop->defval_u != 0;
}

static bool bool_set_value(void *field, const Property *prop, const ObjectValue *value,
                           Error **errp)
{
    char *text;

    if (value->kind == OBJECT_VALUE_BOOL) {
        *(bool *)field = value->b;
        return true;
    }
    text = object_value_print(value);
    error_setg(errp, "Parameter '%s' expects 'on' or 'off', not '%s'", prop->name, text);
    g_free(text);
    return false;
}

static void bool_get_value(const void *field, const Property *prop, ObjectValue *value)
{
    *value = (ObjectValue){.kind = OBJECT_VALUE_BOOL, .b = *(const bool *)field};
}

#define UNSIGNED_PROPERTY_INFO(bits)                                                               \
    /* Stores v when ok: parse and set_value differ only in where v comes from. */                 \
    static bool uint##bits##_store(void *field, bool ok, uint64_t v)                               \
    {                                                                                              \
        if (ok) {                                                                                  \
            *(uint##bits##_t *)field = (uint##bits##_t)v;                                          \
        }                                                                                          \
        return ok;                                                                                 \
    }                                                                                              \
    static bool uint##bits##_parse(void *field, const Property *prop, const char *value,           \
                                   Error **errp)                                                   \
    {                                                                                              \
        uint64_t v = 0;                                                                            \
        bool ok = parse_unsigned(prop, value, UINT##bits##_MAX, &v, errp);                         \
        return uint##bits##_store(field, ok, v);                                                   \
    }                                                                                              \
    static char *uint##bits##_print(const void *field, const Property *prop)                       \
    {                                                                                              \
        uint64_t v = *(const uint##bits##_t *)field;                                               \
        return g_strdup_printf("%" PRIu64, v);                                                     \
    }                                                                                              \
    static void uint##bits##_set_default(void *field, const Property *prop)                        \
    {                                                                                              \
        *(uint##bits##_t *)field = (uint##bits##_t)prop->defval_u;                                 \
    }                                                                                              \
    static bool uint##bits##_set_value(void *field, const Property *prop,                          \
                                       const ObjectValue *value, Error **errp)                     \
    {                                                                                              \
        uint64_t v = 0;                                                                            \
        bool ok = value_unsigned(prop, value, UINT##bits##_MAX, &v, errp);                         \
        return uint##bits##_store(field, ok, v);                                                   \
    }                                                                                              \
    static void uint##bits##_get_value(const void *field, const Property *prop,                    \
                                       ObjectValue *value)                                         \
    {                                                                                              \
        *value = (ObjectValue){.kind = OBJECT_VALUE_UINT, .u = *(const uint##bits##_t *)field};    \
    }                                                                                              \
    const PropertyInfo qdev_prop_uint##bits = {                                                    \
        .type = "uint" #bits,                                                                      \
        .parse = uint##bits##_parse,                                                               \
        .print = uint##bits##_print,                                                               \
        .set_default = uint##bits##_set_default,                                                   \
        .set_value = uint##bits##_set_value,                                                       \
        .get_value = uint##bits##_get_value,                                                       \
    };

UNSIGNED_PROPERTY_INFO(8)
UNSIGNED_PROPERTY_INFO(16)
UNSIGNED_PROPERTY_INFO(32)
UNSIGNED_PROPERTY_INFO(64)

#define SIGNED_PROPERTY_INFO(bits)                                                                 \
    /* Stores v when ok: parse and set_value differ only in where v comes from. */                 \
    static bool int##bits##_store(void *field, bool ok, int64_t v)                                 \
    {                                                                                              \
        if (ok) {                                                                                  \
            *(int##bits##_t *)field = (int##bits##_t)v;                                            \
        }                                                                                          \
        return ok;                                                                                 \
    }                                                                                              \
    static bool int##bits##_parse(void *field, const Property *prop, const char *value,            \
                                  Error **errp)                                                    \
    {                                                                                              \
        int64_t v = 0;                                                                             \
        bool ok = parse_signed(prop, value, INT##bits##_MIN, INT##bits##_MAX, &v, errp);           \
        return int##bits##_store(field, ok, v);                                                    \
    }                                                                                              \
    static char *int##bits##_print(const void *field, const Property *prop)                        \
    {                                                                                              \
        int64_t v = *(const int##bits##_t *)field;                                                 \
        return g_strdup_printf("%" PRId64, v);                                                     \
    }                                                                                              \
    static void int##bits##_set_default(void *field, const Property *prop)                         \
    {                                                                                              \
        *(int##bits##_t *)field = (int##bits##_t)prop->defval_i;                                   \
    }                                                                                              \
    static bool int##bits##_set_value(void *field, const Property *prop, const ObjectValue *value, \
                                      Error **errp)                                                \
    {                                                                                              \
        int64_t v = 0;                                                                             \
        bool ok = value_signed(prop, value, INT##bits##_MIN, INT##bits##_MAX, &v, errp);           \
        return int##bits##_store(field, ok, v);                                                    \
    }                                                                                              \
    static void int##bits##_get_value(const void *field, const Property *prop, ObjectValue *value) \
    {                                                                                              \
        *value = (ObjectValue){.kind = OBJECT_VALUE_INT, .i = *(const int##bits##_t *)field};      \
    }                                                                                              \
    const PropertyInfo qdev_prop_int##bits = {                                                     \
        .type = "int" #bits,                                                                       \
        .parse = int##bits##_parse,                                                                \
        .print = int##bits##_print,                                                                \
        .set_default = int##bits##_set_default,                                                    \
        .set_value = int##bits##_set_value,                                                        \
        .get_value = int##bits##_get_value,                                                        \
    };

SIGNED_PROPERTY_INFO(32)
SIGNED_PROPERTY_INFO(64)

const PropertyInfo qdev_prop_bool = {
    .type = "bool",
    .description = "on/off",
    .parse = bool_parse,
    .print = bool_print,
    .set_default = bool_set_default,
    .set_value = bool_set_value,
    .get_value = bool_get_value,
};

static bool size_parse(void *field, const Property *prop, const char *value, Error **errp)
{
    uint64_t v;
    int ret = qemu_strtosz(value, NULL, &v);

    if (ret == -EINVAL) {
        error_setg(errp, "Parameter '%s' expects a size (such as 4096, 64K or 1M), not '%s'",
                   prop->name, value);
        return false;
    }
    if (ret || (prop->max && (v < prop->min || v > prop->max))) {
        error_setg(errp, "Parameter '%s': size '%s' is out of range", prop->name, value);
        return false;
    }
    *(uint64_t *)field = v;
    return true;
}

static bool size_set_value(void *field, const Property *prop, const ObjectValue *value,
                           Error **errp)
{
    char *text = number_text(prop, value, errp);
    uint64_t v = value->kind == OBJECT_VALUE_INT ? (uint64_t)value->i : value->u;
    bool ok = text != NULL;

    if (ok && value->kind == OBJECT_VALUE_INT && value->i < 0) {
        error_setg(errp, "Parameter '%s' expects a size (such as 4096, 64K or 1M), not '%s'",
                   prop->name, text);
        ok = false;
    } else if (ok && prop->max && (v < prop->min || v > prop->max)) {
        error_setg(errp, "Parameter '%s': size '%s' is out of range", prop->name, text);
        ok = false;
    } else if (ok) {
        *(uint64_t *)field = v;
    }
    g_free(text);
    return ok;
}

const PropertyInfo qdev_prop_size = {
    .type = "size",
    .description = "bytes, with an optional K, M, G, T, P or E suffix",
    .parse = size_parse,
    .print = uint64_print,
    .set_default = uint64_set_default,
    .set_value = size_set_value,
    .get_value = uint64_get_value,
};

static bool string_parse(void *field, const Property *prop, const char *value, Error **errp)
{
    char **p = field;

    g_free(*p);
    *p = g_strdup(value);
    return true;
}

static char *string_print(const void *field, const Property *prop)
{
    const char *s = *(char *const *)field;

    return g_strdup(s ? s : "");
}

static void string_release(void *field, const Property *prop)
{
    char **p = field;

    g_free(*p);
    *p = NULL;
}

const PropertyInfo qdev_prop_string = {
    .type = "str",
    .parse = string_parse,
    .print = string_print,
    .release = string_release,
};

/* The value is a chardev id; an empty one disconnects. */
static bool chr_parse(void *field, const Property *prop, const char *value, Error **errp)
{
    Chardev *chr = NULL;

    if (*value) {
        chr = chardev_find(value);
        if (!chr) {
            error_setg(errp, "Parameter '%s': chardev '%s' not found", prop->name, value);
            return false;
        }
    }
    *(Chardev **)field = chr;
    return true;
}

static char *chr_print(const void *field, const Property *prop)
{
    const Chardev *chr = *(Chardev *const *)field;

    return g_strdup(chr ? chardev_id(chr) : "");
}

const PropertyInfo qdev_prop_chr = {
    .type = "str", /* QEMU's spelling */
    .description = "ID of a chardev",
    .parse = chr_parse,
    .print = chr_print,
};

/* ---- static properties as class properties -------------------------------------- */

static void *prop_field(Object *obj, const Property *prop)
{
    return (char *)obj + prop->offset;
}

/* How a device is named in messages: its id, else its type. */
static const char *device_name(DeviceState *dev)
{
    return dev->id ? dev->id : object_get_typename(OBJECT(dev));
}

static char *static_prop_get(Object *obj, ObjectProperty *op, Error **errp)
{
    const Property *prop = op->opaque2;

    return prop->info->print(prop_field(obj, prop), prop);
}

/* A static property is configuration: it may change only until the device is realized. */
static bool static_prop_settable(Object *obj, const Property *prop, Error **errp)
{
    DeviceState *dev = DEVICE(obj);

    if (dev->realized) {
        error_setg(errp, "Property '%s' of device '%s' cannot be set once it is realized",
                   prop->name, device_name(dev));
        return false;
    }
    return true;
}

static bool static_prop_set(Object *obj, ObjectProperty *op, const char *value, Error **errp)
{
    const Property *prop = op->opaque2;

    return static_prop_settable(obj, prop, errp) &&
           prop->info->parse(prop_field(obj, prop), prop, value, errp);
}

static bool static_prop_set_value(Object *obj, ObjectProperty *op, const ObjectValue *value,
                                  Error **errp)
{
    const Property *prop = op->opaque2;

    return static_prop_settable(obj, prop, errp) &&
           prop->info->set_value(prop_field(obj, prop), prop, value, errp);
}

static bool static_prop_get_value(Object *obj, ObjectProperty *op, ObjectValue *value, Error **errp)
{
    const Property *prop = op->opaque2;

    prop->info->get_value(prop_field(obj, prop), prop, value);
    return true;
}

static void static_prop_release(Object *obj, ObjectProperty *op)
{
    const Property *prop = op->opaque2;

    prop->info->release(prop_field(obj, prop), prop);
}

void device_class_set_props(DeviceClass *dc, const Property *props)
{
    dc->props = props;
    for (const Property *prop = props; prop && prop->name; prop++) {
        const PropertyInfo *info = prop->info;
        ObjectProperty *op = object_class_property_add(
            OBJECT_CLASS(dc), prop->name, info->type, static_prop_get, static_prop_set,
            info->release ? static_prop_release : NULL, NULL);

        op->opaque2 = prop;
        if (info->set_value) {
            op->set_value = static_prop_set_value;
        }
        if (info->get_value) {
            op->get_value = static_prop_get_value;
        }
        if (info->description) {
            object_property_set_description(op, info->description);
        }
        if (prop->set_default && info->set_default) {
            /* The default as help shows it: set into a scratch field, then printed. */
            uint64_t scratch = 0;
            info->set_default(&scratch, prop);
            op->defval = info->print(&scratch, prop);
            op->defval_set = true;
        }
    }
}

static void apply_default(Object *obj, ObjectProperty *op, void *opaque)
{
    const Property *prop = op->opaque2;

    if (op->set == static_prop_set && prop->set_default && prop->info->set_default) {
        prop->info->set_default(prop_field(obj, prop), prop);
    }
}

/* ---- -global ---------------------------------------------------------------------------- */

static GPtrArray *registered_globals; /* GlobalProperty *, owned copies, registration order */

void qdev_prop_register_global(const GlobalProperty *prop)
{
    GlobalProperty *g = g_new0(GlobalProperty, 1);

    g->driver = g_strdup(prop->driver);
    g->property = g_strdup(prop->property);
    g->value = g_strdup(prop->value);
    if (!registered_globals) {
        registered_globals = g_ptr_array_new();
    }
    g_ptr_array_add(registered_globals, g);
}

void qdev_prop_reset_globals(void)
{
    if (!registered_globals) {
        return;
    }
    for (guint i = 0; i < registered_globals->len; i++) {
        GlobalProperty *g = registered_globals->pdata[i];
        g_free((char *)g->driver);
        g_free((char *)g->property);
        g_free((char *)g->value);
        g_free(g);
    }
    g_ptr_array_free(registered_globals, TRUE);
    registered_globals = NULL;
}

/*
 * Calls fn for every global: the registered ones, then the "global" option
 * group (so the command line overrides machine defaults).  Stops at the
 * first false.
 */
typedef bool (*GlobalFn)(const GlobalProperty *g, void *opaque, Error **errp);

typedef struct GlobalWalk {
    GlobalFn fn;
    void *opaque;
} GlobalWalk;

static int global_from_opts(void *opaque, Opts *opts, Error **errp)
{
    GlobalWalk *w = opaque;
    GlobalProperty g = {opt_get(opts, "driver"), opt_get(opts, "property"), opt_get(opts, "value")};

    if (!g.driver || !g.property || !g.value) {
        return 0; /* refused when the option was parsed */
    }
    return w->fn(&g, w->opaque, errp) ? 0 : -1;
}

static bool globals_foreach(GlobalFn fn, void *opaque, Error **errp)
{
    GlobalWalk w = {fn, opaque};
    OptsList *list;

    for (guint i = 0; registered_globals && i < registered_globals->len; i++) {
        if (!fn(registered_globals->pdata[i], opaque, errp)) {
            return false;
        }
    }
    list = opts_find_list("global");
    return !list || opts_foreach(list, global_from_opts, &w, errp) == 0;
}

typedef struct GlobalApply {
    DeviceState *dev;
    const char *typename;
} GlobalApply;

static bool apply_global(const GlobalProperty *g, void *opaque, Error **errp)
{
    GlobalApply *a = opaque;
    Error *err = NULL;

    if (strcmp(g->driver, a->typename)) {
        return true;
    }
    if (!object_property_parse(OBJECT(a->dev), g->property, g->value, &err)) {
        error_prepend(&err, "global %s.%s=%s: ", g->driver, g->property, g->value);
        if (a->dev->global_error) {
            error_free(err);
        } else {
            a->dev->global_error = err;
        }
    }
    return true;
}

/* Globals for the device's type and every ancestor, ancestors first: the most specific wins. */
static void device_apply_globals(DeviceState *dev)
{
    GPtrArray *chain = g_ptr_array_new();

    for (ObjectClass *k = object_get_class(OBJECT(dev)); k; k = object_class_get_parent(k)) {
        g_ptr_array_add(chain, (gpointer)object_class_get_name(k));
    }
    for (guint i = chain->len; i-- > 0;) {
        GlobalApply a = {dev, chain->pdata[i]};
        globals_foreach(apply_global, &a, NULL);
    }
    g_ptr_array_free(chain, TRUE);
}

/* Whether a new instance of klass has the property (one added at instance_init, say). */
static bool instance_has_property(ObjectClass *klass, const char *name)
{
    Object *obj;
    bool found;

    if (object_class_is_abstract(klass)) {
        return false;
    }
    obj = object_new(object_class_get_name(klass));
    found = object_property_find(obj, name) != NULL;
    object_unref(obj);
    return found;
}

static bool check_global(const GlobalProperty *g, void *opaque, Error **errp)
{
    ObjectClass *klass = object_class_by_name(g->driver);
    ObjectProperty *op;

    if (!klass) {
        error_setg(errp, "global %s.%s=%s: driver '%s' not found", g->driver, g->property, g->value,
                   g->driver);
        return false;
    }
    if (!object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        error_setg(errp, "global %s.%s=%s: '%s' is not a device type", g->driver, g->property,
                   g->value, g->driver);
        return false;
    }
    op = object_class_property_find(klass, g->property);
    if (!op && !instance_has_property(klass, g->property)) {
        error_setg(errp, "global %s.%s=%s: device '%s' has no property '%s'", g->driver,
                   g->property, g->value, g->driver, g->property);
        return false;
    }
    if (op && op->set == static_prop_set) {
        /* A static property's value can be checked without a device: parse into scratch. */
        const Property *prop = op->opaque2;
        uint64_t scratch[2] = {0, 0};
        Error *err = NULL;

        if (!prop->info->parse(scratch, prop, g->value, &err)) {
            error_propagate_prepend(errp, err, "global %s.%s=%s: ", g->driver, g->property,
                                    g->value);
            return false;
        }
        if (prop->info->release) {
            prop->info->release(scratch, prop);
        }
    }
    return true;
}

bool qdev_prop_check_globals(Error **errp)
{
    return globals_foreach(check_global, NULL, errp);
}

/* ---- life cycle ---------------------------------------------------------------------- */

DeviceState *qdev_try_new(const char *type, Error **errp)
{
    ObjectClass *klass = object_class_by_name(type);
    DeviceState *dev;

    if (!klass) {
        error_setg(errp, "unknown device type '%s'", type ? type : "(null)");
        return NULL;
    }
    if (!object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        error_setg(errp, "'%s' is not a device type", type);
        return NULL;
    }
    if (object_class_is_abstract(klass)) {
        error_setg(errp, "device type '%s' is abstract", type);
        return NULL;
    }
    dev = DEVICE(object_new(type));
    if (dev->global_error) {
        error_propagate(errp, error_copy(dev->global_error));
        object_unref(dev);
        return NULL;
    }
    return dev;
}

DeviceState *qdev_new(const char *type)
{
    ObjectClass *klass = object_class_by_name(type);

    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE) ||
        object_class_is_abstract(klass)) {
        tern_bug("device model", "qdev_new: '%s' is not a device type that can be created", type);
    }
    /* A -global that failed is kept in the device and reported by qdev_realize. */
    return DEVICE(object_new(type));
}

bool qdev_realize(DeviceState *dev, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    Error *err = NULL;

    if (dev->realized) {
        return true;
    }
    if (dev->global_error) {
        error_propagate(errp, error_copy(dev->global_error));
        return false;
    }
    if (dc->realize) {
        dc->realize(dev, &err);
        if (err) {
            error_propagate(errp, err);
            return false;
        }
    }
    dev->realized = true;
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, Object *parent, const char *name, Error **errp)
{
    bool ok = object_property_try_add_child(parent, name, OBJECT(dev), errp) != NULL;

    if (ok && !qdev_realize(dev, errp)) {
        object_unparent(OBJECT(dev));
        ok = false;
    }
    object_unref(dev);
    return ok;
}

void qdev_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dev->realized) {
        return;
    }
    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
}

void qdev_set_parent_bus(DeviceState *dev, Object *bus)
{
    dev->parent_bus = bus;
}

typedef struct BusSearch {
    Object *bus;
    DeviceState *dev;
} BusSearch;

static int find_bus_device(Object *obj, void *opaque)
{
    BusSearch *search = opaque;
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (dev && dev->parent_bus == search->bus) {
        search->dev = dev;
        return 1;
    }
    return 0;
}

DeviceState *qdev_bus_device(Object *bus)
{
    BusSearch search = {bus, NULL};

    object_child_foreach_recursive(object_get_root(), find_bus_device, &search);
    return search.dev;
}

void device_cold_reset(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->reset) {
        dc->reset(dev);
    }
}

static int reset_if_realized(Object *obj, void *opaque)
{
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (dev && dev->realized) {
        device_cold_reset(dev);
    }
    return 0;
}

/* root itself first (when it is a device), then the tree below it in child order. */
void qdev_reset_tree(Object *root)
{
    reset_if_realized(root, NULL);
    object_child_foreach_recursive(root, reset_if_realized, NULL);
}

/* ---- GPIO lines ---------------------------------------------------------------------- */

NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev, const char *name)
{
    for (NamedGPIOList *gl = dev->gpios; gl; gl = gl->next) {
        if (!g_strcmp0(gl->name, name)) {
            return gl;
        }
    }
    return NULL;
}

/* The list called name, made (at the end, so lists stay in declaration order) if new. */
static NamedGPIOList *gpio_list_get(DeviceState *dev, const char *name)
{
    NamedGPIOList **tail = &dev->gpios;
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, name);

    if (gl) {
        return gl;
    }
    while (*tail) {
        tail = &(*tail)->next;
    }
    gl = g_new0(NamedGPIOList, 1);
    gl->name = g_strdup(name);
    *tail = gl;
    return gl;
}

void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler, const char *name, int n)
{
    NamedGPIOList *gl = gpio_list_get(dev, name);

    if (n < 0) {
        tern_bug("device model", "%s: %d GPIO inputs", device_name(dev), n);
    }
    /* Declaring more lines under a name extends the list; numbering continues. */
    gl->in = g_renew(qemu_irq, gl->in, gl->num_in + n);
    for (int i = 0; i < n; i++) {
        gl->in[gl->num_in + i] = qemu_allocate_irq(handler, dev, gl->num_in + i);
        qemu_irq_set_owner(gl->in[gl->num_in + i], dev, gl->name);
    }
    gl->num_in += n;
}

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n)
{
    qdev_init_gpio_in_named(dev, handler, NULL, n);
}

void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins, const char *name, int n)
{
    NamedGPIOList *gl = gpio_list_get(dev, name);

    if (n < 0) {
        tern_bug("device model", "%s: %d GPIO outputs", device_name(dev), n);
    }
    gl->out = g_renew(qemu_irq *, gl->out, gl->num_out + n);
    for (int i = 0; i < n; i++) {
        pins[i] = NULL;
        gl->out[gl->num_out + i] = &pins[i];
    }
    gl->num_out += n;
}

void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n)
{
    qdev_init_gpio_out_named(dev, pins, NULL, n);
}

qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, name);

    if (!gl || n < 0 || n >= gl->num_in) {
        tern_bug("device model", "%s has no GPIO input %s[%d]", device_name(dev), name ? name : "",
                 n);
    }
    return gl->in[n];
}

qemu_irq qdev_get_gpio_in(DeviceState *dev, int n)
{
    return qdev_get_gpio_in_named(dev, NULL, n);
}

void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n, qemu_irq pin)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, name);

    if (!gl || n < 0 || n >= gl->num_out) {
        tern_bug("device model", "%s has no GPIO output %s[%d]", device_name(dev), name ? name : "",
                 n);
    }
    *gl->out[n] = pin;
}

void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq pin)
{
    qdev_connect_gpio_out_named(dev, NULL, n, pin);
}

DeviceState *qdev_gpio_in_owner(qemu_irq irq, const char **name, int *n)
{
    DeviceState *owner = qemu_irq_get_owner(irq, name);

    if (n) {
        *n = owner ? qemu_irq_get_line(irq) : -1;
    }
    return owner;
}

static void gpio_lists_free(DeviceState *dev)
{
    while (dev->gpios) {
        NamedGPIOList *gl = dev->gpios;

        dev->gpios = gl->next;
        qemu_free_irqs(gl->in, gl->num_in);
        g_free(gl->out);
        g_free(gl->name);
        g_free(gl);
    }
}

/* ---- the device type --------------------------------------------------------------------- */

static void device_instance_init(Object *obj)
{
    object_property_foreach(obj, apply_default, NULL);
    DEVICE(obj)->hotplugged = phase_check(PHASE_MACHINE_READY);
}

static void device_instance_post_init(Object *obj)
{
    device_apply_globals(DEVICE(obj));
}

/* Unrealize runs while the device is whole, before any subtype's instance_finalize. */
static void device_before_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void device_instance_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    gpio_lists_free(dev);
    g_free(dev->id);
    dev->id = NULL;
    if (dev->global_error) {
        error_free(dev->global_error);
        dev->global_error = NULL;
    }
}

/* ---- QEMU's base properties of devices and buses ------------------------------------------ */

static char *bool_text(bool b)
{
    return g_strdup(b ? "on" : "off");
}

static char *device_get_realized(Object *obj, ObjectProperty *prop, Error **errp)
{
    return bool_text(DEVICE(obj)->realized);
}

static char *device_get_hotpluggable(Object *obj, ObjectProperty *prop, Error **errp)
{
    return bool_text(DEVICE_GET_CLASS(obj)->hotpluggable);
}

static char *device_get_hotplugged(Object *obj, ObjectProperty *prop, Error **errp)
{
    return bool_text(DEVICE(obj)->hotplugged);
}

/* The bus's canonical path, or "" (harts, a device inside another). */
static char *device_get_parent_bus(Object *obj, ObjectProperty *prop, Error **errp)
{
    Object *bus = DEVICE(obj)->parent_bus;
    char *path = bus ? object_get_canonical_path(bus) : NULL;

    return path ? path : g_strdup("");
}

static void add_base_property(ObjectClass *klass, const char *name, const char *type,
                              ObjectPropertyGet *get)
{
    object_class_property_add(klass, name, type, get, NULL, NULL, NULL)->base = true;
}

static void device_class_init(ObjectClass *klass, const void *data)
{
    klass->before_finalize = device_before_finalize;
    DEVICE_CLASS(klass)->hotpluggable = true;
    add_base_property(klass, "realized", "bool", device_get_realized);
    add_base_property(klass, "hotpluggable", "bool", device_get_hotpluggable);
    add_base_property(klass, "hotplugged", "bool", device_get_hotplugged);
    add_base_property(klass, "parent_bus", "link<" TYPE_BUS ">", device_get_parent_bus);
}

static char *bus_get_realized(Object *obj, ObjectProperty *prop, Error **errp)
{
    return bool_text(true); /* a bus exists once its device is realized */
}

static char *bus_get_hotplug_handler(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup(""); /* no bus of Tern's takes hotplugged devices */
}

static void bus_class_init(ObjectClass *klass, const void *data)
{
    add_base_property(klass, "hotplug-handler", "link<hotplug-handler>", bus_get_hotplug_handler);
    add_base_property(klass, "realized", "bool", bus_get_realized);
}

static const TypeInfo bus_type_info = {
    .name = TYPE_BUS,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .class_init = bus_class_init,
};

static const TypeInfo device_type_info = {
    .name = TYPE_DEVICE,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .instance_size = sizeof(DeviceState),
    .instance_init = device_instance_init,
    .instance_post_init = device_instance_post_init,
    .instance_finalize = device_instance_finalize,
    .class_size = sizeof(DeviceClass),
    .class_init = device_class_init,
};

static void qdev_register_types(void)
{
    type_register_static(&device_type_info);
    type_register_static(&bus_type_info);
}

type_init(qdev_register_types)
