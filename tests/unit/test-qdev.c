/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qdev.c - devices: static properties and their parsers, -global
 * defaults, realize/unrealize/reset, GPIO lines, and the irq lines under
 * them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "core/chardev.h"
#include "core/irq.h"
#include "core/module.h"
#include "core/opts.h"
#include "core/qdev.h"

/* ---- test devices ---------------------------------------------------------------- */

/*
 * tq-widget has a property of every kind; tq-gadget derives from it.  Both
 * log realize, unrealize, reset and finalize to a trace, named by id.
 */
#define TYPE_WIDGET   "tq-widget"
#define TYPE_GADGET   "tq-gadget"
#define TYPE_ABSTRACT "tq-abstract-device"
#define TYPE_PLAIN    "tq-plain-object"

typedef struct Widget {
    DeviceState parent_obj;
    bool flag;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    uint64_t size;
    uint32_t ranged;
    char *label;
    Chardev *chr;
    uint8_t extra; /* tq-gadget only */
    unsigned realize_count, reset_count;
    qemu_irq out[2];
    qemu_irq alarm;
} Widget;

#define WIDGET(obj) OBJECT_CHECK(Widget, (obj), TYPE_WIDGET)

static GString *trace;

static void trace_event(DeviceState *dev, const char *event)
{
    g_string_append_printf(trace, "%s:%s ", event, dev->id ? dev->id : "?");
}

static void widget_realize(DeviceState *dev, Error **errp)
{
    Widget *w = WIDGET(dev);

    if (w->label && !strcmp(w->label, "fail")) {
        error_setg(errp, "widget refuses to realize");
        return;
    }
    w->realize_count++;
    trace_event(dev, "realize");
}

static void widget_unrealize(DeviceState *dev)
{
    trace_event(dev, "unrealize");
}

static void widget_reset(DeviceState *dev)
{
    WIDGET(dev)->reset_count++;
    trace_event(dev, "reset");
}

/* Input lines record (line, level) as "irq:LINE=LEVEL". */
static void widget_irq_in(void *opaque, int n, int level)
{
    g_string_append_printf(trace, "irq:%d=%d ", n, level);
}

static void widget_alarm_in(void *opaque, int n, int level)
{
    g_string_append_printf(trace, "alarm:%d=%d ", n, level);
}

static const Property widget_props[] = {
    DEFINE_PROP_BOOL("flag", Widget, flag, true),
    DEFINE_PROP_UINT8("u8", Widget, u8, 8),
    DEFINE_PROP_UINT16("u16", Widget, u16, 16),
    DEFINE_PROP_UINT32("u32", Widget, u32, 32),
    DEFINE_PROP_UINT64("u64", Widget, u64, 64),
    DEFINE_PROP_INT32("i32", Widget, i32, -32),
    DEFINE_PROP_INT64("i64", Widget, i64, -64),
    DEFINE_PROP_SIZE("size", Widget, size, 4096),
    {.name = "ranged",
     .info = &qdev_prop_uint32,
     .offset = offsetof(Widget, ranged),
     .defval_u = 10,
     .set_default = true,
     .min = 5,
     .max = 20},
    DEFINE_PROP_STRING("label", Widget, label),
    DEFINE_PROP_CHR("chardev", Widget, chr),
    DEFINE_PROP_END_OF_LIST(),
};

static void widget_instance_init(Object *obj)
{
    Widget *w = WIDGET(obj);

    qdev_init_gpio_in(DEVICE(obj), widget_irq_in, 2);
    qdev_init_gpio_in_named(DEVICE(obj), widget_alarm_in, "alarm", 1);
    qdev_init_gpio_out(DEVICE(obj), w->out, 2);
    qdev_init_gpio_out_named(DEVICE(obj), &w->alarm, "alarm", 1);
}

static void widget_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "a widget";
    dc->user_creatable = true;
    dc->realize = widget_realize;
    dc->unrealize = widget_unrealize;
    dc->reset = widget_reset;
    device_class_set_props(dc, widget_props);
}

static const Property gadget_props[] = {
    DEFINE_PROP_UINT8("extra", Widget, extra, 1),
    DEFINE_PROP_END_OF_LIST(),
};

static void gadget_instance_finalize(Object *obj)
{
    trace_event(DEVICE(obj), "finalize");
}

static void gadget_class_init(ObjectClass *klass, const void *data)
{
    device_class_set_props(DEVICE_CLASS(klass), gadget_props);
}

/*
 * tq-counted: one uint32 property whose string form counts its parses, so a
 * test can see that the typed setters reach the field with no string.
 */
#define TYPE_COUNTED "tq-counted"
typedef struct Counted {
    DeviceState parent_obj;
    uint32_t value;
} Counted;

static int counted_string_parses;

static bool counted_parse(void *field, const Property *prop, const char *value, Error **errp)
{
    counted_string_parses++;
    return qdev_prop_uint32.parse(field, prop, value, errp);
}

static PropertyInfo counted_info;

static const Property counted_props[] = {
    {.name = "value", .info = &counted_info, .offset = offsetof(Counted, value)},
    DEFINE_PROP_END_OF_LIST(),
};

static void counted_class_init(ObjectClass *klass, const void *data)
{
    counted_info = qdev_prop_uint32;
    counted_info.parse = counted_parse;
    device_class_set_props(DEVICE_CLASS(klass), counted_props);
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_COUNTED,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(Counted),
        .class_init = counted_class_init,
    },
    {
        .name = TYPE_WIDGET,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(Widget),
        .instance_init = widget_instance_init,
        .class_init = widget_class_init,
    },
    {
        .name = TYPE_GADGET,
        .parent = TYPE_WIDGET,
        .instance_finalize = gadget_instance_finalize,
        .class_init = gadget_class_init,
    },
    {
        .name = TYPE_ABSTRACT,
        .parent = TYPE_DEVICE,
        .abstract = true,
    },
    {
        .name = TYPE_PLAIN,
        .parent = TYPE_OBJECT,
    },
};

static void test_types_register(void)
{
    type_register_static_array(test_types, (int)G_N_ELEMENTS(test_types));
}

type_init(test_types_register)

    /* The "global" group is vl.c's; a program without vl.c gets this stand-in. */
    static const OptDesc global_desc[] = {
        {"driver", OPT_STRING, "device type"},
        {"property", OPT_STRING, "property name"},
        {"value", OPT_STRING, "value"},
        {NULL},
};
static OptsList fallback_global_opts = {.name = "global", .desc = global_desc};

static int group_setup(void **state)
{
    module_call_init(MODULE_INIT_OPTS);
    module_call_init(MODULE_INIT_QOM);
    if (!opts_find_list("global")) {
        opts_register(&fallback_global_opts);
    }
    trace = g_string_new(NULL);
    return 0;
}

static int group_teardown(void **state)
{
    g_string_free(trace, TRUE);
    return 0;
}

static int setup(void **state)
{
    g_string_truncate(trace, 0);
    return 0;
}

static int teardown(void **state)
{
    object_root_cleanup();
    qdev_prop_reset_globals();
    opts_reset_all();
    chardev_cleanup_all();
    return 0;
}

static Widget *new_widget(const char *type, const char *id)
{
    DeviceState *dev = qdev_new(type);

    dev->id = g_strdup(id);
    return WIDGET(dev);
}

static void add_option_global(const char *driver, const char *property, const char *value)
{
    Opts *opts = opts_create(opts_find_list("global"), NULL, false, &error_abort);

    opt_set(opts, "driver", driver, &error_abort);
    opt_set(opts, "property", property, &error_abort);
    opt_set(opts, "value", value, &error_abort);
}

static void register_global(const char *driver, const char *property, const char *value)
{
    GlobalProperty g = {driver, property, value};

    qdev_prop_register_global(&g);
}

/* The error message of parsing value into w's property name (freed by the next call). */
static const char *parse_error(Widget *w, const char *name, const char *value)
{
    static char *message;
    Error *err = NULL;

    assert_false(object_property_parse(OBJECT(w), name, value, &err));
    assert_non_null(err);
    g_free(message);
    message = g_strdup(error_get_message(err));
    error_free(err);
    return message;
}

/* ---- static properties --------------------------------------------------------------- */

static void test_defaults_are_set_at_init(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_true(w->flag);
    assert_int_equal(w->u8, 8);
    assert_int_equal(w->u16, 16);
    assert_int_equal(w->u32, 32);
    assert_int_equal(w->u64, 64);
    assert_int_equal(w->i32, -32);
    assert_int_equal(w->i64, -64);
    assert_int_equal(w->size, 4096);
    assert_int_equal(w->ranged, 10);
    assert_null(w->label);
    assert_null(w->chr);
    object_unref(w);
}

static void test_subtype_gets_parent_and_own_defaults(void **state)
{
    Widget *g = new_widget(TYPE_GADGET, "g");

    assert_int_equal(g->u32, 32);
    assert_int_equal(g->extra, 1);
    object_unref(g);
}

static void test_property_types_as_help_shows_them(void **state)
{
    static const char *const expect[][2] = {
        {"flag", "bool"},  {"u8", "uint8"},    {"u16", "uint16"}, {"u32", "uint32"},
        {"u64", "uint64"}, {"i32", "int32"},   {"i64", "int64"},  {"size", "size"},
        {"label", "str"},  {"chardev", "str"}, /* QEMU spells a chardev property "str" */
    };
    Widget *w = new_widget(TYPE_WIDGET, "w");

    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        ObjectProperty *prop = object_property_find(OBJECT(w), expect[i][0]);
        assert_non_null(prop);
        assert_string_equal(object_property_type(prop), expect[i][1]);
    }
    object_unref(w);
}

static void test_default_is_recorded_for_help(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");
    ObjectProperty *size = object_property_find(OBJECT(w), "size");
    ObjectProperty *flag = object_property_find(OBJECT(w), "flag");

    assert_true(size->defval_set);
    assert_string_equal(size->defval, "4096");
    assert_string_equal(flag->defval, "on");
    assert_false(object_property_find(OBJECT(w), "label")->defval_set);
    object_unref(w);
}

static void test_unsigned_accepts_decimal_hex_and_octal(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_true(object_property_parse(OBJECT(w), "u32", "123", &error_abort));
    assert_int_equal(w->u32, 123);
    assert_true(object_property_parse(OBJECT(w), "u32", "0x10", &error_abort));
    assert_int_equal(w->u32, 16);
    assert_true(object_property_parse(OBJECT(w), "u32", "010", &error_abort));
    assert_int_equal(w->u32, 8);
    assert_true(object_property_parse(OBJECT(w), "u64", "0xffffffffffffffff", &error_abort));
    assert_true(w->u64 == UINT64_MAX);
    object_unref(w);
}

static void test_unsigned_range_is_the_field_width(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_true(object_property_parse(OBJECT(w), "u8", "255", &error_abort));
    assert_non_null(strstr(parse_error(w, "u8", "256"), "'u8'"));
    assert_true(object_property_parse(OBJECT(w), "u16", "65535", &error_abort));
    parse_error(w, "u16", "65536");
    assert_true(object_property_parse(OBJECT(w), "u32", "4294967295", &error_abort));
    parse_error(w, "u32", "4294967296");
    parse_error(w, "u64", "18446744073709551616");
    assert_int_equal(w->u8, 255);
    assert_int_equal(w->u32, 4294967295u);
    object_unref(w);
}

static void test_unsigned_honours_min_and_max(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_true(object_property_parse(OBJECT(w), "ranged", "5", &error_abort));
    assert_true(object_property_parse(OBJECT(w), "ranged", "20", &error_abort));
    assert_non_null(strstr(parse_error(w, "ranged", "4"), "from 5 to 20"));
    parse_error(w, "ranged", "21");
    assert_int_equal(w->ranged, 20);
    object_unref(w);
}

static void test_unsigned_refuses_words_and_negatives(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_string_equal(parse_error(w, "u32", "abc"),
                        "Parameter 'u32' expects a number, not 'abc'");
    parse_error(w, "u32", "-1");
    parse_error(w, "u32", "12x");
    parse_error(w, "u32", "");
    assert_int_equal(w->u32, 32);
    object_unref(w);
}

static void test_signed_accepts_negative_within_width(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_true(object_property_parse(OBJECT(w), "i32", "-2147483648", &error_abort));
    assert_int_equal(w->i32, INT32_MIN);
    parse_error(w, "i32", "2147483648");
    assert_true(object_property_parse(OBJECT(w), "i64", "-9223372036854775808", &error_abort));
    assert_true(w->i64 == INT64_MIN);
    parse_error(w, "i64", "x");
    object_unref(w);
}

static void test_size_accepts_suffixes(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_true(object_property_parse(OBJECT(w), "size", "64K", &error_abort));
    assert_int_equal(w->size, 64 << 10);
    assert_true(object_property_parse(OBJECT(w), "size", "1.5M", &error_abort));
    assert_int_equal(w->size, 3 << 19);
    assert_true(object_property_parse(OBJECT(w), "size", "512", &error_abort));
    assert_int_equal(w->size, 512);
    object_unref(w);
}

static void test_size_refuses_garbage(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_non_null(strstr(parse_error(w, "size", "lots"), "'size'"));
    parse_error(w, "size", "-1K");
    assert_int_equal(w->size, 4096);
    object_unref(w);
}

static void test_bool_accepts_every_spelling(void **state)
{
    static const char *const yes[] = {"on", "yes", "true"};
    static const char *const no[] = {"off", "no", "false"};
    Widget *w = new_widget(TYPE_WIDGET, "w");

    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        assert_true(object_property_parse(OBJECT(w), "flag", no[i], &error_abort));
        assert_false(w->flag);
        assert_true(object_property_parse(OBJECT(w), "flag", yes[i], &error_abort));
        assert_true(w->flag);
    }
    assert_string_equal(parse_error(w, "flag", "maybe"),
                        "Parameter 'flag' expects 'on' or 'off', not 'maybe'");
    object_unref(w);
}

static void test_values_print_back(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");
    char *s;

    object_property_parse(OBJECT(w), "size", "1K", &error_abort);
    s = object_property_print(OBJECT(w), "size", &error_abort);
    assert_string_equal(s, "1024");
    g_free(s);
    s = object_property_print(OBJECT(w), "i32", &error_abort);
    assert_string_equal(s, "-32");
    g_free(s);
    s = object_property_print(OBJECT(w), "flag", &error_abort);
    assert_string_equal(s, "on");
    g_free(s);
    object_unref(w);
}

static void test_string_is_replaced_and_freed_with_device(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");
    char *s;

    object_property_parse(OBJECT(w), "label", "first", &error_abort);
    object_property_parse(OBJECT(w), "label", "second", &error_abort);
    assert_string_equal(w->label, "second");
    s = object_property_print(OBJECT(w), "label", &error_abort);
    assert_string_equal(s, "second");
    g_free(s);
    /* LeakSanitizer checks that finalize freed it. */
    object_unref(w);
}

static void test_chr_property_names_a_chardev(void **state)
{
    ChardevOptions opts = {.backend = "null"};
    Chardev *chr = chardev_new("c0", &opts, &error_abort);
    Widget *w = new_widget(TYPE_WIDGET, "w");
    char *s;

    assert_true(object_property_parse(OBJECT(w), "chardev", "c0", &error_abort));
    assert_ptr_equal(w->chr, chr);
    s = object_property_print(OBJECT(w), "chardev", &error_abort);
    assert_string_equal(s, "c0");
    g_free(s);
    object_unref(w);
}

static void test_chr_property_refuses_unknown_chardev(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_string_equal(parse_error(w, "chardev", "nope"),
                        "Parameter 'chardev': chardev 'nope' not found");
    assert_null(w->chr);
    object_unref(w);
}

static void test_static_properties_are_fixed_after_realize(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");

    assert_true(qdev_realize(DEVICE(w), &error_abort));
    assert_string_equal(parse_error(w, "u32", "5"),
                        "Property 'u32' of device 'w0' cannot be set once it is realized");
    assert_int_equal(w->u32, 32);
    object_unref(w);
}

static void test_unknown_property_names_device_type(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_string_equal(parse_error(w, "nosuch", "1"), "Property 'tq-widget.nosuch' not found");
    object_unref(w);
}

/* ---- life cycle ----------------------------------------------------------------------- */

static void test_realize_runs_class_realize_and_marks_realized(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");

    assert_false(w->parent_obj.realized);
    assert_true(qdev_realize(DEVICE(w), &error_abort));
    assert_true(w->parent_obj.realized);
    assert_int_equal(w->realize_count, 1);
    object_unref(w);
}

static void test_failed_realize_leaves_device_unrealized(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    object_property_parse(OBJECT(w), "label", "fail", &error_abort);
    assert_false(qdev_realize(DEVICE(w), &err));
    assert_string_equal(error_get_message(err), "widget refuses to realize");
    assert_false(w->parent_obj.realized);
    error_free(err);
    g_string_truncate(trace, 0);
    object_unref(w);
    assert_null(strstr(trace->str, "unrealize"));
}

static void test_realize_twice_is_a_no_op(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");

    assert_true(qdev_realize(DEVICE(w), &error_abort));
    assert_true(qdev_realize(DEVICE(w), &error_abort));
    assert_int_equal(w->realize_count, 1);
    object_unref(w);
}

static void test_unrealize_clears_realized(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");

    qdev_realize(DEVICE(w), &error_abort);
    qdev_unrealize(DEVICE(w));
    assert_false(w->parent_obj.realized);
    assert_string_equal(trace->str, "realize:w0 unrealize:w0 ");
    qdev_unrealize(DEVICE(w));
    assert_string_equal(trace->str, "realize:w0 unrealize:w0 ");
    object_unref(w);
}

static void test_finalize_unrealizes_before_subtype_finalize(void **state)
{
    Widget *g = new_widget(TYPE_GADGET, "g0");

    qdev_realize(DEVICE(g), &error_abort);
    object_unref(g);
    assert_string_equal(trace->str, "realize:g0 unrealize:g0 finalize:g0 ");
}

static void test_try_new_refuses_unknown_type(void **state)
{
    Error *err = NULL;

    assert_null(qdev_try_new("no-such-device", &err));
    assert_non_null(strstr(error_get_message(err), "no-such-device"));
    error_free(err);
}

static void test_try_new_refuses_abstract_type(void **state)
{
    Error *err = NULL;

    assert_null(qdev_try_new(TYPE_ABSTRACT, &err));
    assert_non_null(strstr(error_get_message(err), "abstract"));
    error_free(err);
}

static void test_try_new_refuses_non_device_type(void **state)
{
    Error *err = NULL;

    assert_null(qdev_try_new(TYPE_PLAIN, &err));
    assert_non_null(strstr(error_get_message(err), "not a device"));
    error_free(err);
}

static void test_realize_and_unref_leaves_device_to_the_tree(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Object *parent = container_get(object_get_root(), "/machine");

    assert_true(qdev_realize_and_unref(DEVICE(w), parent, "w0", &error_abort));
    assert_ptr_equal(object_resolve_path("/machine/w0", NULL), OBJECT(w));
    assert_true(w->parent_obj.realized);
    assert_int_equal(OBJECT(w)->ref, 1);
}

static void test_realize_and_unref_failure_leaves_nothing(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Object *parent = container_get(object_get_root(), "/machine");
    Error *err = NULL;

    object_property_parse(OBJECT(w), "label", "fail", &error_abort);
    assert_false(qdev_realize_and_unref(DEVICE(w), parent, "w0", &err));
    assert_non_null(err);
    error_free(err);
    assert_null(object_resolve_path("/machine/w0", NULL));
}

static void test_device_id_is_freed_with_device(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "some-id");

    assert_string_equal(w->parent_obj.id, "some-id");
    object_unref(w); /* LeakSanitizer checks the id */
}

/* A realized widget called id under parent (the tree owns it). */
static Widget *add_widget(Object *parent, const char *id, bool realize)
{
    Widget *w = new_widget(TYPE_WIDGET, id);

    object_property_add_child(parent, id, OBJECT(w));
    object_unref(w);
    if (realize) {
        qdev_realize(DEVICE(w), &error_abort);
    }
    return w;
}

static void test_reset_tree_goes_depth_first_parent_before_children(void **state)
{
    Object *machine = container_get(object_get_root(), "/machine");
    Widget *a = add_widget(machine, "a", true);

    add_widget(OBJECT(a), "a1", true);
    add_widget(machine, "b", true);
    add_widget(OBJECT(a), "a2", true);
    g_string_truncate(trace, 0);
    qdev_reset_tree(machine);
    assert_string_equal(trace->str, "reset:a reset:a1 reset:a2 reset:b ");
}

static void test_reset_tree_skips_unrealized_devices(void **state)
{
    Object *machine = container_get(object_get_root(), "/machine");

    add_widget(machine, "a", true);
    add_widget(machine, "b", false);
    g_string_truncate(trace, 0);
    qdev_reset_tree(machine);
    assert_string_equal(trace->str, "reset:a ");
}

static void test_reset_tree_includes_a_device_root(void **state)
{
    Widget *a = add_widget(container_get(object_get_root(), "/machine"), "a", true);

    add_widget(OBJECT(a), "a1", true);
    g_string_truncate(trace, 0);
    qdev_reset_tree(OBJECT(a));
    assert_string_equal(trace->str, "reset:a reset:a1 ");
}

static void test_cold_reset_runs_reset_handler(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");

    device_cold_reset(DEVICE(w));
    assert_int_equal(w->reset_count, 1);
    object_unref(w);
}

/* ---- -global ------------------------------------------------------------------------------ */

static void test_registered_global_sets_default(void **state)
{
    Widget *w;

    register_global(TYPE_WIDGET, "u32", "7");
    w = new_widget(TYPE_WIDGET, "w");
    assert_int_equal(w->u32, 7);
    object_unref(w);
}

static void test_option_global_sets_default(void **state)
{
    Widget *w;

    add_option_global(TYPE_WIDGET, "label", "from-global");
    w = new_widget(TYPE_WIDGET, "w");
    assert_string_equal(w->label, "from-global");
    object_unref(w);
}

static void test_global_for_ancestor_applies_and_most_specific_wins(void **state)
{
    Widget *g;

    add_option_global(TYPE_GADGET, "u32", "2");
    add_option_global(TYPE_WIDGET, "u32", "1");
    add_option_global(TYPE_WIDGET, "u16", "3");
    g = new_widget(TYPE_GADGET, "g");
    assert_int_equal(g->u32, 2);
    assert_int_equal(g->u16, 3);
    object_unref(g);
}

static void test_option_global_overrides_registered_one(void **state)
{
    Widget *w;

    add_option_global(TYPE_WIDGET, "u32", "2");
    register_global(TYPE_WIDGET, "u32", "1");
    w = new_widget(TYPE_WIDGET, "w");
    assert_int_equal(w->u32, 2);
    object_unref(w);
}

static void test_properties_set_after_creation_override_globals(void **state)
{
    Widget *w;

    add_option_global(TYPE_WIDGET, "u32", "2");
    w = new_widget(TYPE_WIDGET, "w");
    object_property_parse(OBJECT(w), "u32", "9", &error_abort);
    assert_int_equal(w->u32, 9);
    object_unref(w);
}

static void test_bad_global_value_fails_try_new(void **state)
{
    Error *err = NULL;

    add_option_global(TYPE_WIDGET, "u32", "lots");
    assert_null(qdev_try_new(TYPE_WIDGET, &err));
    assert_string_equal(error_get_message(err), "global tq-widget.u32=lots: Parameter 'u32' "
                                                "expects a number, not 'lots'");
    error_free(err);
}

static void test_bad_global_value_fails_realize(void **state)
{
    Widget *w;
    Error *err = NULL;

    add_option_global(TYPE_WIDGET, "nosuch", "1");
    w = new_widget(TYPE_WIDGET, "w");
    assert_false(qdev_realize(DEVICE(w), &err));
    assert_non_null(strstr(error_get_message(err), "global tq-widget.nosuch=1: "));
    assert_false(w->parent_obj.realized);
    error_free(err);
    object_unref(w);
}

static void check_globals_fails_with(const char *message)
{
    Error *err = NULL;

    assert_false(qdev_prop_check_globals(&err));
    assert_string_equal(error_get_message(err), message);
    error_free(err);
}

static void test_check_globals_refuses_unknown_driver(void **state)
{
    add_option_global("no-such-device", "prop", "1");
    check_globals_fails_with("global no-such-device.prop=1: driver 'no-such-device' not found");
}

static void test_check_globals_refuses_non_device_driver(void **state)
{
    register_global(TYPE_PLAIN, "prop", "1");
    check_globals_fails_with("global tq-plain-object.prop=1: 'tq-plain-object' is not a device "
                             "type");
}

static void test_check_globals_refuses_unknown_property(void **state)
{
    add_option_global(TYPE_WIDGET, "nosuch", "1");
    check_globals_fails_with("global tq-widget.nosuch=1: device 'tq-widget' has no property "
                             "'nosuch'");
}

static void test_check_globals_refuses_bad_value(void **state)
{
    add_option_global(TYPE_GADGET, "flag", "maybe");
    check_globals_fails_with("global tq-gadget.flag=maybe: Parameter 'flag' expects 'on' or "
                             "'off', not 'maybe'");
}

static void test_check_globals_accepts_good_ones(void **state)
{
    register_global(TYPE_WIDGET, "label", "x");
    add_option_global(TYPE_GADGET, "extra", "5");
    add_option_global(TYPE_GADGET, "u32", "5");
    assert_true(qdev_prop_check_globals(&error_abort));
}

static void test_reset_globals_forgets_registered_ones(void **state)
{
    Widget *w;

    register_global(TYPE_WIDGET, "u32", "7");
    qdev_prop_reset_globals();
    w = new_widget(TYPE_WIDGET, "w");
    assert_int_equal(w->u32, 32);
    object_unref(w);
}

/* ---- GPIO lines ---------------------------------------------------------------------------- */

static void test_gpio_inputs_call_the_device_handler(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    qemu_set_irq(qdev_get_gpio_in(DEVICE(w), 1), 1);
    qemu_set_irq(qdev_get_gpio_in_named(DEVICE(w), "alarm", 0), 1);
    assert_string_equal(trace->str, "irq:1=1 alarm:0=1 ");
    object_unref(w);
}

static void test_gpio_outputs_start_unconnected(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    assert_null(w->out[0]);
    assert_null(w->out[1]);
    assert_null(w->alarm);
    qemu_irq_raise(w->out[0]); /* an unconnected output is legal */
    object_unref(w);
}

static void test_gpio_output_connects_to_another_input(void **state)
{
    Widget *src = new_widget(TYPE_WIDGET, "src");
    Widget *dst = new_widget(TYPE_WIDGET, "dst");

    qdev_connect_gpio_out(DEVICE(src), 1, qdev_get_gpio_in(DEVICE(dst), 0));
    qdev_connect_gpio_out_named(DEVICE(src), "alarm", 0,
                                qdev_get_gpio_in_named(DEVICE(dst), "alarm", 0));
    qemu_irq_pulse(src->out[1]);
    qemu_irq_raise(src->alarm);
    assert_string_equal(trace->str, "irq:0=1 irq:0=0 alarm:0=1 ");
    object_unref(src);
    object_unref(dst);
}

static void test_gpio_lists_are_kept_by_name_in_order(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");
    NamedGPIOList *unnamed = qdev_get_named_gpio_list(DEVICE(w), NULL);
    NamedGPIOList *alarm = qdev_get_named_gpio_list(DEVICE(w), "alarm");

    assert_ptr_equal(DEVICE(w)->gpios, unnamed);
    assert_ptr_equal(unnamed->next, alarm);
    assert_null(unnamed->name);
    assert_string_equal(alarm->name, "alarm");
    assert_int_equal(unnamed->num_in, 2);
    assert_int_equal(unnamed->num_out, 2);
    assert_int_equal(alarm->num_in, 1);
    assert_int_equal(alarm->num_out, 1);
    assert_null(qdev_get_named_gpio_list(DEVICE(w), "nosuch"));
    object_unref(w);
}

static void test_more_gpio_inputs_continue_the_numbering(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");

    qdev_init_gpio_in(DEVICE(w), widget_irq_in, 2);
    assert_int_equal(qdev_get_named_gpio_list(DEVICE(w), NULL)->num_in, 4);
    qemu_set_irq(qdev_get_gpio_in(DEVICE(w), 3), 1);
    assert_string_equal(trace->str, "irq:3=1 ");
    object_unref(w);
}

static void test_gpio_input_knows_its_device_list_and_line(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");
    const char *name = "unset";
    int n = -7;

    assert_ptr_equal(qdev_gpio_in_owner(qdev_get_gpio_in(DEVICE(w), 1), &name, &n), DEVICE(w));
    assert_null(name);
    assert_int_equal(n, 1);
    assert_ptr_equal(qdev_gpio_in_owner(qdev_get_gpio_in_named(DEVICE(w), "alarm", 0), &name, &n),
                     DEVICE(w));
    assert_string_equal(name, "alarm");
    assert_int_equal(n, 0);
    object_unref(w);
}

static void test_gpio_owner_survives_an_intercepted_handler(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w");
    qemu_irq in = qdev_get_gpio_in(DEVICE(w), 0);
    int n = -1;

    qemu_irq_set_handler(in, widget_irq_in, NULL, NULL, NULL);
    assert_ptr_equal(qdev_gpio_in_owner(in, NULL, &n), DEVICE(w));
    assert_int_equal(n, 0);
    object_unref(w);
}

static void test_irq_without_a_device_has_no_owner(void **state)
{
    qemu_irq irq = qemu_allocate_irq(widget_irq_in, NULL, 3);
    const char *name = "unset";
    int n = 0;

    assert_null(qdev_gpio_in_owner(irq, &name, &n));
    assert_null(name);
    assert_int_equal(n, -1);
    assert_null(qdev_gpio_in_owner(NULL, NULL, &n));
    assert_int_equal(n, -1);
    qemu_irq_set_owner(irq, &n, "mine");
    assert_ptr_equal(qemu_irq_get_owner(irq, &name), &n);
    assert_string_equal(name, "mine");
    qemu_free_irq(irq);
}

/* ---- irq lines ---------------------------------------------------------------------------- */

typedef struct IrqLog {
    void *opaque;
    int n, level, calls;
} IrqLog;

static IrqLog irq_log;

static void log_irq(void *opaque, int n, int level)
{
    irq_log.opaque = opaque;
    irq_log.n = n;
    irq_log.level = level;
    irq_log.calls++;
}

static void test_irq_calls_handler_with_opaque_line_and_level(void **state)
{
    int token;
    qemu_irq irq = qemu_allocate_irq(log_irq, &token, 5);

    memset(&irq_log, 0, sizeof(irq_log));
    qemu_set_irq(irq, 1);
    assert_ptr_equal(irq_log.opaque, &token);
    assert_int_equal(irq_log.n, 5);
    assert_int_equal(irq_log.level, 1);
    assert_int_equal(qemu_irq_get_line(irq), 5);
    qemu_free_irq(irq);
}

static void test_irq_remembers_the_last_level_and_restores_it_silently(void **state)
{
    qemu_irq irq = qemu_allocate_irq(log_irq, NULL, 0);

    memset(&irq_log, 0, sizeof(irq_log));
    assert_int_equal(qemu_irq_get_level(irq), 0);
    qemu_set_irq(irq, 1);
    assert_int_equal(qemu_irq_get_level(irq), 1);
    qemu_irq_restore_level(irq, 0);
    assert_int_equal(qemu_irq_get_level(irq), 0);
    assert_int_equal(irq_log.calls, 1); /* the restore called no handler */
    assert_int_equal(qemu_irq_get_level(NULL), 0);
    qemu_irq_restore_level(NULL, 1);
    qemu_free_irq(irq);
}

static void test_set_irq_on_null_does_nothing(void **state)
{
    memset(&irq_log, 0, sizeof(irq_log));
    qemu_set_irq(NULL, 1);
    qemu_irq_pulse(NULL);
    assert_int_equal(irq_log.calls, 0);
}

static void test_irq_pulse_raises_then_lowers(void **state)
{
    qemu_irq irq = qemu_allocate_irq(widget_irq_in, NULL, 0);

    qemu_irq_pulse(irq);
    qemu_irq_lower(irq);
    assert_string_equal(trace->str, "irq:0=1 irq:0=0 irq:0=0 ");
    qemu_free_irq(irq);
}

static void test_allocate_irqs_numbers_lines_from_zero(void **state)
{
    qemu_irq *irqs = qemu_allocate_irqs(widget_irq_in, NULL, 3);

    for (int i = 0; i < 3; i++) {
        assert_int_equal(qemu_irq_get_line(irqs[i]), i);
    }
    qemu_set_irq(irqs[2], 4);
    assert_string_equal(trace->str, "irq:2=4 ");
    qemu_free_irqs(irqs, 3);
}

static void test_irq_set_handler_returns_the_old_one(void **state)
{
    int first, second;
    qemu_irq irq = qemu_allocate_irq(widget_irq_in, &first, 1);
    qemu_irq_handler old = NULL;
    void *old_opaque = NULL;

    qemu_irq_set_handler(irq, log_irq, &second, &old, &old_opaque);
    assert_ptr_equal(old, widget_irq_in);
    assert_ptr_equal(old_opaque, &first);
    memset(&irq_log, 0, sizeof(irq_log));
    qemu_irq_raise(irq);
    assert_ptr_equal(irq_log.opaque, &second);
    assert_int_equal(irq_log.n, 1);
    assert_string_equal(trace->str, "");
    qemu_free_irq(irq);
}

/* ---- typed access to static properties --------------------------------------------------- */

/* The message of a failed typed call (errp is read after the call, whatever the argument order). */
static const char *typed_error(bool ok, Error **errp)
{
    static char *message;

    assert_false(ok);
    assert_non_null(*errp);
    g_free(message);
    message = g_strdup(error_get_message(*errp));
    error_free(*errp);
    *errp = NULL;
    return message;
}

static void test_typed_setters_reach_the_field_without_a_string(void **state)
{
    DeviceState *dev = qdev_new(TYPE_COUNTED);

    counted_string_parses = 0;
    assert_true(object_property_set_uint(OBJECT(dev), "value", 77, &error_abort));
    assert_true(object_property_set_int(OBJECT(dev), "value", 78, &error_abort));
    assert_int_equal(((Counted *)dev)->value, 78);
    assert_int_equal(object_property_get_uint(OBJECT(dev), "value", &error_abort), 78);
    assert_int_equal(counted_string_parses, 0);
    /* The string form is still there, and is the one that parses. */
    assert_true(object_property_parse(OBJECT(dev), "value", "79", &error_abort));
    assert_int_equal(counted_string_parses, 1);
    assert_int_equal(((Counted *)dev)->value, 79);
    object_unref(dev);
}

static void test_typed_unsigned_is_range_checked_as_its_string_form(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    assert_string_equal(typed_error(object_property_set_uint(OBJECT(w), "u8", 300, &err), &err),
                        "Parameter 'u8' expects a value from 0 to 255, not '300'");
    assert_string_equal(typed_error(object_property_set_int(OBJECT(w), "u32", -1, &err), &err),
                        "Parameter 'u32' expects a value from 0 to 4294967295, not '-1'");
    assert_string_equal(typed_error(object_property_set_uint(OBJECT(w), "ranged", 21, &err), &err),
                        "Parameter 'ranged' expects a value from 5 to 20, not '21'");
    assert_string_equal(typed_error(object_property_set_bool(OBJECT(w), "u16", true, &err), &err),
                        "Parameter 'u16' expects a number, not 'on'");
    assert_int_equal(w->u8, 8);
    assert_int_equal(w->u32, 32);
    assert_int_equal(w->ranged, 10);
    assert_int_equal(w->u16, 16);
    assert_true(object_property_set_uint(OBJECT(w), "u64", UINT64_MAX, &error_abort));
    assert_true(w->u64 == UINT64_MAX);
    object_unref(w);
}

static void test_typed_signed_is_range_checked_as_its_string_form(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    assert_true(object_property_set_int(OBJECT(w), "i32", INT32_MIN, &error_abort));
    assert_int_equal(w->i32, INT32_MIN);
    assert_string_equal(
        typed_error(object_property_set_int(OBJECT(w), "i32", (int64_t)INT32_MAX + 1, &err), &err),
        "Parameter 'i32' expects a value from -2147483648 to 2147483647, not '2147483648'");
    assert_string_equal(
        typed_error(object_property_set_uint(OBJECT(w), "i64", UINT64_MAX, &err), &err),
        "Parameter 'i64' expects a value from -9223372036854775808 to 9223372036854775807, not "
        "'18446744073709551615'");
    assert_int_equal(w->i32, INT32_MIN);
    assert_int_equal(w->i64, -64);
    object_unref(w);
}

static void test_typed_bool_takes_only_a_flag(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    assert_true(object_property_set_bool(OBJECT(w), "flag", false, &error_abort));
    assert_false(w->flag);
    assert_false(object_property_get_bool(OBJECT(w), "flag", &error_abort));
    assert_string_equal(typed_error(object_property_set_uint(OBJECT(w), "flag", 1, &err), &err),
                        "Parameter 'flag' expects 'on' or 'off', not '1'");
    assert_false(w->flag);
    object_unref(w);
}

static void test_typed_size_honours_min_max_and_refuses_negatives(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    assert_true(object_property_set_uint(OBJECT(w), "size", 1 << 20, &error_abort));
    assert_int_equal(w->size, 1 << 20);
    assert_string_equal(typed_error(object_property_set_int(OBJECT(w), "size", -4096, &err), &err),
                        "Parameter 'size' expects a size (such as 4096, 64K or 1M), not '-4096'");
    assert_int_equal(w->size, 1 << 20);
    object_unref(w);
}

static void test_typed_getters_refuse_values_of_another_kind(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    w->i32 = -5;
    assert_int_equal(object_property_get_uint(OBJECT(w), "i32", &err), 0);
    assert_string_equal(typed_error(false, &err), "Property 'tq-widget.i32' is not an unsigned "
                                                  "integer ('-5')");
    w->u64 = UINT64_MAX;
    assert_int_equal(object_property_get_int(OBJECT(w), "u64", &err), 0);
    assert_string_equal(typed_error(false, &err),
                        "Property 'tq-widget.u64' is not an integer ('18446744073709551615')");
    assert_false(object_property_get_bool(OBJECT(w), "u32", &err));
    assert_string_equal(typed_error(false, &err),
                        "Property 'tq-widget.u32' is not a boolean ('32')");
    /* Across kinds where the value fits: a non-negative int reads as unsigned and back. */
    w->i64 = 42;
    assert_int_equal(object_property_get_uint(OBJECT(w), "i64", &error_abort), 42);
    assert_int_equal(object_property_get_int(OBJECT(w), "u32", &error_abort), 32);
    object_unref(w);
}

static void test_typed_setters_are_refused_after_realize(void **state)
{
    Widget *w = new_widget(TYPE_WIDGET, "w0");
    Error *err = NULL;

    assert_true(qdev_realize(DEVICE(w), &error_abort));
    assert_string_equal(typed_error(object_property_set_uint(OBJECT(w), "u32", 5, &err), &err),
                        "Property 'u32' of device 'w0' cannot be set once it is realized");
    assert_int_equal(w->u32, 32);
    object_unref(w);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(test_defaults_are_set_at_init),
        TEST(test_subtype_gets_parent_and_own_defaults),
        TEST(test_property_types_as_help_shows_them),
        TEST(test_default_is_recorded_for_help),
        TEST(test_unsigned_accepts_decimal_hex_and_octal),
        TEST(test_unsigned_range_is_the_field_width),
        TEST(test_unsigned_honours_min_and_max),
        TEST(test_unsigned_refuses_words_and_negatives),
        TEST(test_signed_accepts_negative_within_width),
        TEST(test_size_accepts_suffixes),
        TEST(test_size_refuses_garbage),
        TEST(test_bool_accepts_every_spelling),
        TEST(test_values_print_back),
        TEST(test_string_is_replaced_and_freed_with_device),
        TEST(test_chr_property_names_a_chardev),
        TEST(test_chr_property_refuses_unknown_chardev),
        TEST(test_static_properties_are_fixed_after_realize),
        TEST(test_unknown_property_names_device_type),
        TEST(test_realize_runs_class_realize_and_marks_realized),
        TEST(test_failed_realize_leaves_device_unrealized),
        TEST(test_realize_twice_is_a_no_op),
        TEST(test_unrealize_clears_realized),
        TEST(test_finalize_unrealizes_before_subtype_finalize),
        TEST(test_try_new_refuses_unknown_type),
        TEST(test_try_new_refuses_abstract_type),
        TEST(test_try_new_refuses_non_device_type),
        TEST(test_realize_and_unref_leaves_device_to_the_tree),
        TEST(test_realize_and_unref_failure_leaves_nothing),
        TEST(test_device_id_is_freed_with_device),
        TEST(test_reset_tree_goes_depth_first_parent_before_children),
        TEST(test_reset_tree_skips_unrealized_devices),
        TEST(test_reset_tree_includes_a_device_root),
        TEST(test_cold_reset_runs_reset_handler),
        TEST(test_registered_global_sets_default),
        TEST(test_option_global_sets_default),
        TEST(test_global_for_ancestor_applies_and_most_specific_wins),
        TEST(test_option_global_overrides_registered_one),
        TEST(test_properties_set_after_creation_override_globals),
        TEST(test_bad_global_value_fails_try_new),
        TEST(test_bad_global_value_fails_realize),
        TEST(test_check_globals_refuses_unknown_driver),
        TEST(test_check_globals_refuses_non_device_driver),
        TEST(test_check_globals_refuses_unknown_property),
        TEST(test_check_globals_refuses_bad_value),
        TEST(test_check_globals_accepts_good_ones),
        TEST(test_reset_globals_forgets_registered_ones),
        TEST(test_gpio_inputs_call_the_device_handler),
        TEST(test_gpio_outputs_start_unconnected),
        TEST(test_gpio_output_connects_to_another_input),
        TEST(test_gpio_lists_are_kept_by_name_in_order),
        TEST(test_more_gpio_inputs_continue_the_numbering),
        TEST(test_gpio_input_knows_its_device_list_and_line),
        TEST(test_gpio_owner_survives_an_intercepted_handler),
        TEST(test_irq_without_a_device_has_no_owner),
        TEST(test_irq_calls_handler_with_opaque_line_and_level),
        TEST(test_set_irq_on_null_does_nothing),
        TEST(test_irq_remembers_the_last_level_and_restores_it_silently),
        TEST(test_irq_pulse_raises_then_lowers),
        TEST(test_allocate_irqs_numbers_lines_from_zero),
        TEST(test_irq_set_handler_returns_the_old_one),
        TEST(test_typed_setters_reach_the_field_without_a_string),
        TEST(test_typed_unsigned_is_range_checked_as_its_string_form),
        TEST(test_typed_signed_is_range_checked_as_its_string_form),
        TEST(test_typed_bool_takes_only_a_flag),
        TEST(test_typed_size_honours_min_max_and_refuses_negatives),
        TEST(test_typed_getters_refuse_values_of_another_kind),
        TEST(test_typed_setters_are_refused_after_realize),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
