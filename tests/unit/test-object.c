/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-object.c - the object model: types and classes, interfaces,
 * instances and their life cycle, string properties, the object tree and
 * paths, links, and user-creatable objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "core/cutils.h"
#include "core/module.h"
#include "core/object.h"

/* ---- test types ----------------------------------------------------------------- */

/*
 * tb-animal (abstract) <- tb-dog (user-creatable) <- tb-puppy
 *                      <- tb-cat
 * Life-cycle events go to a trace so tests can check their order.
 */
#define TYPE_ANIMAL "tb-animal"
#define TYPE_DOG    "tb-dog"
#define TYPE_PUPPY  "tb-puppy"
#define TYPE_CAT    "tb-cat"

static GString *trace;
static GString *finalized_names; /* names of animals as they are finalized */

static void trace_add(const char *event)
{
    g_string_append(trace, event);
    g_string_append_c(trace, ' ');
}

typedef struct AnimalClass {
    ObjectClass parent_class;
    const char *sound;
    int legs;
} AnimalClass;

typedef struct Animal {
    Object parent_obj;
    char *name;
    bool tame;
    uint64_t age;
    uint32_t weight;
    char *secret;
    unsigned completed;
} Animal;

#define ANIMAL(obj)           OBJECT_CHECK(Animal, (obj), TYPE_ANIMAL)
#define ANIMAL_CLASS(klass)   OBJECT_CLASS_CHECK(AnimalClass, (klass), TYPE_ANIMAL)
#define ANIMAL_GET_CLASS(obj) OBJECT_GET_CLASS(AnimalClass, (obj), TYPE_ANIMAL)

static int dog_class_init_count;

static char *animal_get_name(Object *obj, Error **errp)
{
    return g_strdup(ANIMAL(obj)->name);
}

static void animal_set_name(Object *obj, const char *value, Error **errp)
{
    g_free(ANIMAL(obj)->name);
    ANIMAL(obj)->name = g_strdup(value);
}

static bool animal_get_tame(Object *obj, Error **errp)
{
    return ANIMAL(obj)->tame;
}

static void animal_set_tame(Object *obj, bool value, Error **errp)
{
    ANIMAL(obj)->tame = value;
}

static char *animal_get_age(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%" PRIu64, ANIMAL(obj)->age);
}

static bool animal_set_age(Object *obj, ObjectProperty *prop, const char *value, Error **errp)
{
    uint64_t v;

    if (qemu_strtou64(value, NULL, 0, &v)) {
        error_setg(errp, "Parameter 'age' expects a number, not '%s'", value);
        return false;
    }
    ANIMAL(obj)->age = v;
    return true;
}

static bool animal_set_secret(Object *obj, ObjectProperty *prop, const char *value, Error **errp)
{
    g_free(ANIMAL(obj)->secret);
    ANIMAL(obj)->secret = g_strdup(value);
    return true;
}

static void animal_class_init(ObjectClass *klass, const void *data)
{
    AnimalClass *ac = ANIMAL_CLASS(klass);

    ac->sound = "...";
    ac->legs = 4;
    object_class_property_add_str(klass, "name", animal_get_name, animal_set_name);
    object_class_property_add_bool(klass, "tame", animal_get_tame, animal_set_tame);
    object_class_property_add(klass, "age", "uint64", animal_get_age, animal_set_age, NULL, NULL);
    object_class_property_set_description(klass, "age", "in years");
}

static void animal_instance_init(Object *obj)
{
    trace_add("init:animal");
    object_property_add_uint32_ptr(obj, "weight", &ANIMAL(obj)->weight);
    object_property_add(obj, "secret", "str", NULL, animal_set_secret, NULL, NULL);
}

static void animal_instance_post_init(Object *obj)
{
    trace_add("post:animal");
}

static void animal_instance_finalize(Object *obj)
{
    trace_add("fin:animal");
    if (ANIMAL(obj)->name) {
        g_string_append_printf(finalized_names, "%s ", ANIMAL(obj)->name);
    }
    g_free(ANIMAL(obj)->name);
    g_free(ANIMAL(obj)->secret);
}

static bool dog_complete(Object *obj, Error **errp)
{
    Animal *a = ANIMAL(obj);

    if (a->name && !strcmp(a->name, "bad")) {
        error_setg(errp, "a dog cannot be called 'bad'");
        return false;
    }
    a->completed++;
    trace_add("complete:dog");
    return true;
}

static bool puppy_complete(Object *obj, Error **errp)
{
    ANIMAL(obj)->completed++;
    trace_add("complete:puppy");
    return true;
}

static void dog_class_init(ObjectClass *klass, const void *data)
{
    dog_class_init_count++;
    ANIMAL_CLASS(klass)->sound = "woof";
    USER_CREATABLE_CLASS(klass)->complete = dog_complete;
}

static void dog_instance_init(Object *obj)
{
    trace_add("init:dog");
}

static void dog_instance_post_init(Object *obj)
{
    trace_add("post:dog");
}

static void dog_instance_finalize(Object *obj)
{
    trace_add("fin:dog");
}

static void puppy_class_init(ObjectClass *klass, const void *data)
{
    USER_CREATABLE_CLASS(klass)->complete = puppy_complete;
}

static void cat_class_init(ObjectClass *klass, const void *data)
{
    ANIMAL_CLASS(klass)->sound = "meow";
}

static const InterfaceInfo dog_interfaces[] = {{TYPE_USER_CREATABLE}, {NULL}};

/* For the class construction order test only: nothing else builds these classes. */
static void order_parent_base_init(ObjectClass *klass, const void *data)
{
    g_string_append_printf(trace, "base_init:%s ", object_class_get_name(klass));
}

static void order_class_init(ObjectClass *klass, const void *data)
{
    g_string_append_printf(trace, "class_init:%s ", object_class_get_name(klass));
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_ANIMAL,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(Animal),
        .instance_init = animal_instance_init,
        .instance_post_init = animal_instance_post_init,
        .instance_finalize = animal_instance_finalize,
        .class_size = sizeof(AnimalClass),
        .class_init = animal_class_init,
    },
    {
        .name = TYPE_DOG,
        .parent = TYPE_ANIMAL,
        .instance_init = dog_instance_init,
        .instance_post_init = dog_instance_post_init,
        .instance_finalize = dog_instance_finalize,
        .class_init = dog_class_init,
        .interfaces = dog_interfaces,
    },
    {
        .name = TYPE_PUPPY,
        .parent = TYPE_DOG,
        .class_init = puppy_class_init,
    },
    {
        .name = TYPE_CAT,
        .parent = TYPE_ANIMAL,
        .class_init = cat_class_init,
    },
    {
        .name = "tb-order-parent",
        .parent = TYPE_OBJECT,
        .class_base_init = order_parent_base_init,
        .class_init = order_class_init,
    },
    {
        .name = "tb-order-child",
        .parent = "tb-order-parent",
        .class_init = order_class_init,
    },
};

static void test_types_register(void)
{
    type_register_static_array(test_types, (int)G_N_ELEMENTS(test_types));
}

type_init(test_types_register)

    static int group_setup(void **state)
{
    module_call_init(MODULE_INIT_QOM);
    trace = g_string_new(NULL);
    finalized_names = g_string_new(NULL);
    return 0;
}

static int group_teardown(void **state)
{
    g_string_free(trace, TRUE);
    g_string_free(finalized_names, TRUE);
    return 0;
}

static int setup(void **state)
{
    g_string_truncate(trace, 0);
    g_string_truncate(finalized_names, 0);
    return 0;
}

static int teardown(void **state)
{
    object_root_cleanup();
    return 0;
}

/* A new dog under parent as name; the tree holds the only reference. */
static Object *add_dog(Object *parent, const char *name)
{
    Object *dog = object_new(TYPE_DOG);

    object_property_add_child(parent, name, dog);
    object_unref(dog);
    return dog;
}

/* ---- types and classes ------------------------------------------------------------- */

static void test_class_by_name_finds_registered_type(void **state)
{
    ObjectClass *oc = object_class_by_name(TYPE_DOG);

    assert_non_null(oc);
    assert_string_equal(object_class_get_name(oc), TYPE_DOG);
    assert_string_equal(object_class_get_name(object_class_get_parent(oc)), TYPE_ANIMAL);
}

static void test_class_by_name_unknown_is_null(void **state)
{
    assert_null(object_class_by_name("no-such-type"));
}

static void test_base_types_are_registered(void **state)
{
    assert_non_null(object_class_by_name(TYPE_OBJECT));
    assert_non_null(object_class_by_name(TYPE_INTERFACE));
    assert_non_null(object_class_by_name(TYPE_USER_CREATABLE));
    assert_non_null(object_class_by_name(TYPE_CONTAINER));
    assert_null(object_class_get_parent(object_class_by_name(TYPE_OBJECT)));
}

static void test_class_init_runs_once(void **state)
{
    Object *a, *b;

    object_class_by_name(TYPE_DOG);
    object_class_by_name(TYPE_DOG);
    a = object_new(TYPE_DOG);
    b = object_new(TYPE_PUPPY);
    assert_int_equal(dog_class_init_count, 1);
    object_unref(a);
    object_unref(b);
}

static void test_class_fields_are_inherited_and_overridable(void **state)
{
    AnimalClass *dog = ANIMAL_CLASS(object_class_by_name(TYPE_DOG));
    AnimalClass *puppy = ANIMAL_CLASS(object_class_by_name(TYPE_PUPPY));
    AnimalClass *cat = ANIMAL_CLASS(object_class_by_name(TYPE_CAT));

    assert_string_equal(dog->sound, "woof");
    assert_string_equal(puppy->sound, "woof");
    assert_string_equal(cat->sound, "meow");
    assert_int_equal(puppy->legs, 4);
}

static void test_class_base_init_runs_on_subclasses_before_class_init(void **state)
{
    object_class_by_name("tb-order-child");
    assert_string_equal(trace->str, "class_init:tb-order-parent base_init:tb-order-child "
                                    "class_init:tb-order-child ");
}

static void test_dynamic_cast_accepts_ancestors_and_refuses_others(void **state)
{
    ObjectClass *puppy = object_class_by_name(TYPE_PUPPY);

    assert_ptr_equal(object_class_dynamic_cast(puppy, TYPE_PUPPY), puppy);
    assert_ptr_equal(object_class_dynamic_cast(puppy, TYPE_DOG), puppy);
    assert_ptr_equal(object_class_dynamic_cast(puppy, TYPE_OBJECT), puppy);
    assert_null(object_class_dynamic_cast(puppy, TYPE_CAT));
    assert_null(object_class_dynamic_cast(puppy, "no-such-type"));
    assert_null(object_class_dynamic_cast(object_class_by_name(TYPE_DOG), TYPE_PUPPY));
}

static void test_dynamic_cast_sees_interfaces(void **state)
{
    assert_non_null(object_class_dynamic_cast(object_class_by_name(TYPE_DOG), TYPE_USER_CREATABLE));
    assert_non_null(
        object_class_dynamic_cast(object_class_by_name(TYPE_PUPPY), TYPE_USER_CREATABLE));
    assert_non_null(object_class_dynamic_cast(object_class_by_name(TYPE_DOG), TYPE_INTERFACE));
    assert_null(object_class_dynamic_cast(object_class_by_name(TYPE_CAT), TYPE_USER_CREATABLE));
}

static void test_object_dynamic_cast_checks_instances(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    assert_ptr_equal(object_dynamic_cast(dog, TYPE_ANIMAL), dog);
    assert_ptr_equal(object_dynamic_cast(dog, TYPE_USER_CREATABLE), dog);
    assert_null(object_dynamic_cast(dog, TYPE_CAT));
    assert_null(object_dynamic_cast(NULL, TYPE_DOG));
    object_unref(dog);
}

static void test_interface_class_is_per_class_and_inherited(void **state)
{
    UserCreatableClass *dog = USER_CREATABLE_CLASS(object_class_by_name(TYPE_DOG));
    UserCreatableClass *puppy = USER_CREATABLE_CLASS(object_class_by_name(TYPE_PUPPY));

    assert_ptr_not_equal(dog, puppy);
    assert_ptr_equal(dog->complete, dog_complete);
    assert_ptr_equal(puppy->complete, puppy_complete);
    assert_string_equal(object_class_get_name(OBJECT_CLASS(dog)), TYPE_USER_CREATABLE);
    assert_null(object_class_get_interface(object_class_by_name(TYPE_CAT), TYPE_USER_CREATABLE));
}

static void test_class_list_is_sorted_by_name_without_abstract(void **state)
{
    GSList *list = object_class_get_list_sorted(TYPE_ANIMAL, false);

    assert_int_equal(g_slist_length(list), 3);
    assert_string_equal(object_class_get_name(g_slist_nth_data(list, 0)), TYPE_CAT);
    assert_string_equal(object_class_get_name(g_slist_nth_data(list, 1)), TYPE_DOG);
    assert_string_equal(object_class_get_name(g_slist_nth_data(list, 2)), TYPE_PUPPY);
    g_slist_free(list);
}

static void test_class_list_includes_abstract_when_asked(void **state)
{
    GSList *list = object_class_get_list_sorted(TYPE_ANIMAL, true);

    assert_int_equal(g_slist_length(list), 4);
    assert_string_equal(object_class_get_name(list->data), TYPE_ANIMAL);
    g_slist_free(list);
}

static void test_class_list_by_interface(void **state)
{
    GSList *list = object_class_get_list_sorted(TYPE_USER_CREATABLE, false);
    int dog = g_slist_index(list, object_class_by_name(TYPE_DOG));
    int puppy = g_slist_index(list, object_class_by_name(TYPE_PUPPY));

    /* Other user-creatable types may be linked in; these two are, in name order. */
    assert_true(dog >= 0 && puppy > dog);
    assert_int_equal(g_slist_index(list, object_class_by_name(TYPE_CAT)), -1);
    assert_int_equal(g_slist_index(list, object_class_by_name(TYPE_USER_CREATABLE)), -1);
    g_slist_free(list);
}

static void test_class_is_abstract(void **state)
{
    assert_true(object_class_is_abstract(object_class_by_name(TYPE_ANIMAL)));
    assert_false(object_class_is_abstract(object_class_by_name(TYPE_DOG)));
}

/* ---- instances ---------------------------------------------------------------------- */

static void test_instance_init_parent_first_then_post_init(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    assert_string_equal(trace->str, "init:animal init:dog post:animal post:dog ");
    object_unref(dog);
}

static void test_last_unref_finalizes_most_derived_first(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    object_ref(dog);
    object_unref(dog);
    assert_null(strstr(trace->str, "fin:"));
    g_string_truncate(trace, 0);
    object_unref(dog);
    assert_string_equal(trace->str, "fin:dog fin:animal ");
}

static void test_instance_size_is_inherited_from_the_parent_type(void **state)
{
    Object *puppy = object_new(TYPE_PUPPY);

    assert_int_equal(object_get_instance_size(puppy), sizeof(Animal));
    object_unref(puppy);
}

static void test_new_instance_has_type_and_class(void **state)
{
    Object *puppy = object_new(TYPE_PUPPY);

    assert_string_equal(object_get_typename(puppy), TYPE_PUPPY);
    assert_ptr_equal(object_get_class(puppy), object_class_by_name(TYPE_PUPPY));
    assert_string_equal(ANIMAL_GET_CLASS(puppy)->sound, "woof");
    assert_int_equal(puppy->ref, 1);
    object_unref(puppy);
}

static void test_new_checked_refuses_unknown_type(void **state)
{
    Error *err = NULL;

    assert_null(object_new_checked("no-such-type", &err));
    assert_non_null(strstr(error_get_message(err), "no-such-type"));
    error_free_or_abort(&err);
}

static void test_new_checked_refuses_abstract_type(void **state)
{
    Error *err = NULL;

    assert_null(object_new_checked(TYPE_ANIMAL, &err));
    assert_non_null(strstr(error_get_message(err), "abstract"));
    error_free_or_abort(&err);
}

static void test_initialize_embedded_object_is_finalized_not_freed(void **state)
{
    struct {
        Animal dog;
        int guard;
    } holder;

    holder.guard = 42;
    object_initialize(&holder.dog, sizeof(holder.dog), TYPE_DOG);
    assert_string_equal(object_get_typename(OBJECT(&holder.dog)), TYPE_DOG);
    g_string_truncate(trace, 0);
    object_unref(&holder.dog);
    assert_string_equal(trace->str, "fin:dog fin:animal ");
    assert_int_equal(holder.guard, 42);
}

/* ---- properties ----------------------------------------------------------------------- */

static void test_str_property_round_trip(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    char *s;

    assert_true(object_property_set_str(dog, "name", "rex", &error_abort));
    s = object_property_get_str(dog, "name", &error_abort);
    assert_string_equal(s, "rex");
    assert_string_equal(ANIMAL(dog)->name, "rex");
    g_free(s);
    object_unref(dog);
}

static void test_unset_str_property_reads_empty(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    char *s = object_property_print(dog, "name", &error_abort);

    assert_string_equal(s, "");
    g_free(s);
    object_unref(dog);
}

static void test_bool_property_accepts_on_off_words(void **state)
{
    static const char *const yes[] = {"on", "yes", "true"};
    static const char *const no[] = {"off", "no", "false"};
    Object *dog = object_new(TYPE_DOG);

    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        assert_true(object_property_parse(dog, "tame", yes[i], &error_abort));
        assert_true(ANIMAL(dog)->tame);
        assert_true(object_property_parse(dog, "tame", no[i], &error_abort));
        assert_false(ANIMAL(dog)->tame);
    }
    object_unref(dog);
}

static void test_bool_property_prints_on_and_off(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    char *s;

    object_property_set_bool(dog, "tame", true, &error_abort);
    s = object_property_print(dog, "tame", &error_abort);
    assert_string_equal(s, "on");
    g_free(s);
    assert_true(object_property_get_bool(dog, "tame", &error_abort));
    object_unref(dog);
}

static void test_bool_property_refuses_other_words(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    ANIMAL(dog)->tame = true;
    assert_false(object_property_parse(dog, "tame", "maybe", &err));
    assert_non_null(strstr(error_get_message(err), "'tame'"));
    assert_non_null(strstr(error_get_message(err), "'on' or 'off'"));
    assert_true(ANIMAL(dog)->tame);
    error_free_or_abort(&err);
    object_unref(dog);
}

static void test_int_and_uint_go_through_strings(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    assert_true(object_property_set_uint(dog, "age", 12, &error_abort));
    assert_int_equal(ANIMAL(dog)->age, 12);
    assert_int_equal(object_property_get_uint(dog, "age", &error_abort), 12);
    assert_true(object_property_set_int(dog, "age", 7, &error_abort));
    assert_int_equal(object_property_get_int(dog, "age", &error_abort), 7);
    object_unref(dog);
}

static void test_uint32_ptr_property_reads_field(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    ANIMAL(dog)->weight = 31;
    assert_int_equal(object_property_get_uint(dog, "weight", &error_abort), 31);
    assert_string_equal(object_property_type(object_property_find(dog, "weight")), "uint32");
    object_unref(dog);
}

/* The typed setters and getters name the property and what was wrong with it. */
static void test_typed_accessors_name_what_is_wrong(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    assert_false(object_property_set_uint(dog, "weight", 3, &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.weight' is read-only");
    error_free_or_abort(&err);
    assert_false(object_property_set_bool(dog, "nosuch", true, &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.nosuch' not found");
    error_free_or_abort(&err);
    assert_int_equal(object_property_get_uint(dog, "nosuch", &err), 0);
    assert_string_equal(error_get_message(err), "Property 'tb-dog.nosuch' not found");
    error_free_or_abort(&err);
    /* Write-only: nothing to read. */
    assert_false(object_property_get_bool(dog, "secret", &err));
    assert_non_null(strstr(error_get_message(err), "'tb-dog.secret'"));
    error_free_or_abort(&err);
    /* A string that is not of the kind asked for. */
    assert_true(object_property_set_str(dog, "name", "rex", &error_abort));
    assert_int_equal(object_property_get_uint(dog, "name", &err), 0);
    assert_string_equal(error_get_message(err),
                        "Property 'tb-dog.name' is not an unsigned integer ('rex')");
    error_free_or_abort(&err);
    assert_int_equal(object_property_get_int(dog, "name", &err), 0);
    assert_string_equal(error_get_message(err), "Property 'tb-dog.name' is not an integer ('rex')");
    error_free_or_abort(&err);
    assert_false(object_property_get_bool(dog, "name", &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.name' is not a boolean ('rex')");
    error_free_or_abort(&err);
    object_unref(dog);
}

static char *nick;

static char *nick_get(Object *obj, Error **errp)
{
    return g_strdup(nick ? nick : "");
}

static void nick_set(Object *obj, const char *value, Error **errp)
{
    g_free(nick);
    nick = g_strdup(value);
}

/* Per-object properties: strings through accessors, small integers by pointer. */
static void test_object_str_and_small_uint_ptr_properties(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    uint8_t u8 = 200;
    uint16_t u16 = 60000;
    Error *err = NULL;
    char *s;

    object_property_add_str(dog, "nick", nick_get, nick_set);
    object_property_add_str(dog, "tag", NULL, nick_set); /* write-only */
    object_property_add_uint8_ptr(dog, "u8", &u8);
    object_property_add_uint16_ptr(dog, "u16", &u16);
    assert_true(object_property_set_str(dog, "nick", "spot", &error_abort));
    s = object_property_get_str(dog, "nick", &error_abort);
    assert_string_equal(s, "spot");
    g_free(s);
    assert_string_equal(object_property_type(object_property_find(dog, "nick")), "string");
    assert_true(object_property_set_str(dog, "tag", "t1", &error_abort));
    assert_string_equal(nick, "t1");
    assert_null(object_property_print(dog, "tag", &err));
    error_free_or_abort(&err);
    assert_int_equal(object_property_get_uint(dog, "u8", &error_abort), 200);
    assert_int_equal(object_property_get_uint(dog, "u16", &error_abort), 60000);
    u8 = 7;
    u16 = 65535;
    assert_int_equal(object_property_get_uint(dog, "u8", &error_abort), 7);
    assert_int_equal(object_property_get_uint(dog, "u16", &error_abort), 65535);
    assert_string_equal(object_property_type(object_property_find(dog, "u8")), "uint8");
    assert_string_equal(object_property_type(object_property_find(dog, "u16")), "uint16");
    assert_false(object_property_parse(dog, "u8", "1", &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.u8' is read-only");
    error_free_or_abort(&err);
    object_unref(dog);
    g_clear_pointer(&nick, g_free);
}

static void test_parse_on_read_only_property_is_an_error(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    assert_false(object_property_parse(dog, "weight", "3", &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.weight' is read-only");
    error_free_or_abort(&err);
    object_unref(dog);
}

static void test_print_of_write_only_property_is_an_error(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    assert_true(object_property_parse(dog, "secret", "x", &error_abort));
    assert_null(object_property_print(dog, "secret", &err));
    assert_non_null(strstr(error_get_message(err), "'tb-dog.secret'"));
    error_free_or_abort(&err);
    object_unref(dog);
}

static void test_unknown_property_error_names_type_and_property(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    assert_false(object_property_parse(dog, "nosuch", "1", &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.nosuch' not found");
    error_free_or_abort(&err);
    assert_null(object_property_print(dog, "nosuch", &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.nosuch' not found");
    error_free_or_abort(&err);
    object_unref(dog);
}

static void test_duplicate_property_name_is_an_error(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    /* Clashes with a class property as well as with an object one. */
    assert_null(object_property_try_add(dog, "name", "str", NULL, NULL, NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "'tb-dog.name'"));
    error_free_or_abort(&err);
    assert_null(object_property_try_add(dog, "weight", "str", NULL, NULL, NULL, NULL, &err));
    assert_non_null(err);
    error_free_or_abort(&err);
    object_unref(dog);
}

static void collect_names(Object *obj, ObjectProperty *prop, void *opaque)
{
    g_string_append_printf(opaque, "%s ", object_property_name(prop));
}

static void test_properties_come_class_first_in_insertion_order(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    GString *names = g_string_new(NULL);

    object_property_add_bool(dog, "zzz", animal_get_tame, NULL);
    object_property_add_bool(dog, "aaa", animal_get_tame, NULL);
    object_property_foreach(dog, collect_names, names);
    assert_string_equal(names->str, "name tame age weight secret zzz aaa ");
    g_string_free(names, TRUE);
    object_unref(dog);
}

static void test_property_description_is_kept(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    assert_string_equal(object_property_description(object_property_find(dog, "age")), "in years");
    assert_null(object_property_description(object_property_find(dog, "name")));
    object_unref(dog);
}

static int released;

static void count_release(Object *obj, ObjectProperty *prop)
{
    released++;
}

static void test_property_del_releases_it(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    released = 0;
    object_property_add(dog, "extra", "str", NULL, NULL, count_release, NULL);
    assert_true(object_property_del(dog, "extra"));
    assert_int_equal(released, 1);
    assert_null(object_property_find(dog, "extra"));
    assert_false(object_property_del(dog, "extra"));
    object_unref(dog);
}

static void test_object_properties_are_released_at_finalize(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    released = 0;
    object_property_add(dog, "extra", "str", NULL, NULL, count_release, NULL);
    object_unref(dog);
    assert_int_equal(released, 1);
}

/* ---- the tree ------------------------------------------------------------------------- */

static void test_root_is_a_container_made_on_first_use(void **state)
{
    Object *root = object_get_root();

    assert_string_equal(object_get_typename(root), TYPE_CONTAINER);
    assert_ptr_equal(object_get_root(), root);
    assert_null(object_get_parent(root));
    char *path = object_get_canonical_path(root);
    assert_string_equal(path, "/");
    g_free(path);
}

static void test_child_holds_a_reference_until_unparented(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    object_property_add_child(object_get_root(), "rex", dog);
    assert_int_equal(dog->ref, 2);
    assert_ptr_equal(object_get_parent(dog), object_get_root());
    object_unref(dog);
    assert_null(strstr(trace->str, "fin:"));
    object_unparent(dog);
    assert_non_null(strstr(trace->str, "fin:dog"));
}

static void test_child_property_type_names_the_child_type(void **state)
{
    add_dog(object_get_root(), "rex");

    assert_string_equal(object_property_type(object_property_find(object_get_root(), "rex")),
                        "child<tb-dog>");
}

static void test_unparent_detaches_but_keeps_other_references(void **state)
{
    Object *dog = object_new(TYPE_DOG);

    object_property_add_child(object_get_root(), "rex", dog);
    object_unparent(dog);
    assert_null(object_get_parent(dog));
    assert_null(object_resolve_path("/rex", NULL));
    assert_int_equal(dog->ref, 1);
    object_unref(dog);
}

static void test_canonical_path_of_nested_child(void **state)
{
    Object *dog = add_dog(container_get(object_get_root(), "/machine/peripheral"), "t0");
    char *path = object_get_canonical_path(dog);

    assert_string_equal(path, "/machine/peripheral/t0");
    assert_string_equal(object_get_canonical_path_component(dog), "t0");
    g_free(path);
}

static void test_object_outside_tree_has_no_path(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Object *pup = object_new(TYPE_PUPPY);

    object_property_add_child(dog, "pup", pup);
    object_unref(pup);
    assert_null(object_get_canonical_path(dog));
    assert_null(object_get_canonical_path(pup));
    assert_null(object_get_canonical_path_component(dog));
    object_unref(dog);
}

static void test_duplicate_child_name_is_an_error(void **state)
{
    Object *dog = object_new(TYPE_DOG);
    Error *err = NULL;

    add_dog(object_get_root(), "rex");
    assert_null(object_property_try_add_child(object_get_root(), "rex", dog, &err));
    assert_non_null(err);
    assert_null(object_get_parent(dog));
    assert_int_equal(dog->ref, 1);
    error_free_or_abort(&err);
    object_unref(dog);
}

static void test_resolve_absolute_path(void **state)
{
    Object *peripheral = container_get(object_get_root(), "/machine/peripheral");
    Object *dog = add_dog(peripheral, "t0");

    assert_ptr_equal(object_resolve_path("/machine/peripheral/t0", NULL), dog);
    assert_ptr_equal(object_resolve_path("/machine/peripheral", NULL), peripheral);
    assert_ptr_equal(object_resolve_path("/", NULL), object_get_root());
    assert_null(object_resolve_path("/machine/peripheral/t1", NULL));
    assert_null(object_resolve_path("/machine/t0", NULL));
}

static void test_resolve_partial_path_finds_unique_match(void **state)
{
    Object *dog = add_dog(container_get(object_get_root(), "/machine/peripheral"), "t0");
    bool ambiguous = true;

    assert_ptr_equal(object_resolve_path("t0", &ambiguous), dog);
    assert_false(ambiguous);
    assert_ptr_equal(object_resolve_path("peripheral/t0", NULL), dog);
    assert_null(object_resolve_path("nothing", &ambiguous));
    assert_false(ambiguous);
}

static void test_resolve_partial_path_reports_ambiguity(void **state)
{
    add_dog(container_get(object_get_root(), "/machine/peripheral"), "t0");
    add_dog(container_get(object_get_root(), "/machine/peripheral-anon"), "t0");
    bool ambiguous = false;

    assert_null(object_resolve_path("t0", &ambiguous));
    assert_true(ambiguous);
    assert_non_null(object_resolve_path("peripheral-anon/t0", &ambiguous));
    assert_false(ambiguous);
}

static void test_resolve_path_type_counts_only_matching_objects(void **state)
{
    Object *cat = object_new(TYPE_CAT);
    Object *dog = add_dog(container_get(object_get_root(), "/a"), "pet");
    bool ambiguous = true;

    object_property_add_child(container_get(object_get_root(), "/b"), "pet", cat);
    object_unref(cat);
    assert_ptr_equal(object_resolve_path_type("pet", TYPE_DOG, &ambiguous), dog);
    assert_false(ambiguous);
    assert_ptr_equal(object_resolve_path_type("pet", TYPE_CAT, NULL), cat);
    assert_null(object_resolve_path_type("/a/pet", TYPE_CAT, NULL));
    assert_null(object_resolve_path_type("pet", TYPE_ANIMAL, &ambiguous));
    assert_true(ambiguous);
}

static void test_resolve_path_at_is_relative_to_parent(void **state)
{
    Object *machine = container_get(object_get_root(), "/machine");
    Object *dog = add_dog(container_get(machine, "peripheral"), "t0");

    assert_ptr_equal(object_resolve_path_at(machine, "peripheral/t0"), dog);
    assert_ptr_equal(object_resolve_path_at(machine, "/machine/peripheral/t0"), dog);
    assert_null(object_resolve_path_at(machine, "t0"));
}

static void test_container_get_creates_missing_containers_once(void **state)
{
    Object *p = container_get(object_get_root(), "/machine/peripheral");
    Object *machine = object_resolve_path("/machine", NULL);

    assert_non_null(machine);
    assert_string_equal(object_get_typename(machine), TYPE_CONTAINER);
    assert_ptr_equal(container_get(object_get_root(), "/machine/peripheral"), p);
    assert_ptr_equal(container_get(machine, "peripheral"), p);
}

static void test_root_cleanup_frees_the_whole_tree(void **state)
{
    add_dog(container_get(object_get_root(), "/machine/peripheral"), "a");
    add_dog(container_get(object_get_root(), "/objects"), "b");
    object_root_cleanup();
    assert_string_equal(trace->str, "init:animal init:dog post:animal post:dog init:animal "
                                    "init:dog post:animal post:dog fin:dog fin:animal fin:dog "
                                    "fin:animal ");
    assert_null(object_resolve_path("/machine", NULL));
}

static void test_children_are_torn_down_last_first(void **state)
{
    Object *parent = container_get(object_get_root(), "/p");

    object_property_set_str(add_dog(parent, "first"), "name", "first", &error_abort);
    object_property_set_str(add_dog(parent, "second"), "name", "second", &error_abort);
    object_unparent(parent);
    assert_string_equal(finalized_names->str, "second first ");
}

static int collect_child(Object *child, void *opaque)
{
    g_string_append_printf(opaque, "%s ", object_get_canonical_path_component(child));
    return 0;
}

static void test_child_foreach_in_insertion_order(void **state)
{
    Object *p = container_get(object_get_root(), "/p");
    GString *names = g_string_new(NULL);

    add_dog(p, "zeta");
    add_dog(p, "alpha");
    add_dog(p, "mid");
    object_property_add_bool(p, "not-a-child", animal_get_tame, NULL);
    object_child_foreach(p, collect_child, names);
    assert_string_equal(names->str, "zeta alpha mid ");
    g_string_free(names, TRUE);
}

static void test_child_foreach_recursive_visits_parent_before_children(void **state)
{
    Object *p = container_get(object_get_root(), "/p");
    GString *names = g_string_new(NULL);

    container_get(p, "a/a1");
    container_get(p, "b");
    container_get(p, "a/a2");
    object_child_foreach_recursive(p, collect_child, names);
    assert_string_equal(names->str, "a a1 a2 b ");
    g_string_free(names, TRUE);
}

static int stop_at_b(Object *child, void *opaque)
{
    collect_child(child, opaque);
    return strcmp(object_get_canonical_path_component(child), "b") ? 0 : 7;
}

static void test_child_foreach_stops_at_nonzero_return(void **state)
{
    Object *p = container_get(object_get_root(), "/p");
    GString *names = g_string_new(NULL);

    container_get(p, "a");
    container_get(p, "b");
    container_get(p, "c");
    assert_int_equal(object_child_foreach(p, stop_at_b, names), 7);
    assert_string_equal(names->str, "a b ");
    g_string_free(names, TRUE);
}

static int unparent_child(Object *child, void *opaque)
{
    object_unparent(child);
    return 0;
}

static void test_child_foreach_may_unparent_the_child(void **state)
{
    Object *p = container_get(object_get_root(), "/p");

    add_dog(p, "a");
    add_dog(p, "b");
    object_child_foreach(p, unparent_child, NULL);
    assert_null(object_resolve_path_component(p, "a"));
    assert_null(object_resolve_path_component(p, "b"));
    assert_non_null(strstr(trace->str, "fin:dog fin:animal fin:dog fin:animal"));
}

static void test_child_property_prints_its_path(void **state)
{
    add_dog(container_get(object_get_root(), "/machine"), "t0");
    char *s = object_property_print(object_resolve_path("/machine", NULL), "t0", &error_abort);

    assert_string_equal(s, "/machine/t0");
    g_free(s);
}

/* ---- links ---------------------------------------------------------------------------- */

typedef struct Kennel {
    Object *resident;
    Object *strong;
} Kennel;

static bool refuse_puppies(Object *obj, const char *name, Object *val, Error **errp)
{
    if (object_dynamic_cast(val, TYPE_PUPPY)) {
        error_setg(errp, "no puppies in '%s'", name);
        return false;
    }
    return true;
}

/* The link fields outlive each test: the tree is torn down in teardown. */
static Kennel kennel_fields;

static Object *new_kennel(Kennel **kp)
{
    Object *obj = container_get(object_get_root(), "/kennel");
    Kennel *k = &kennel_fields;

    memset(k, 0, sizeof(*k));
    *kp = k;
    object_property_add_link(obj, "resident", TYPE_DOG, &k->resident, refuse_puppies, 0);
    object_property_add_link(obj, "strong", TYPE_ANIMAL, &k->strong, NULL, OBJ_PROP_LINK_STRONG);
    return obj;
}

static void test_link_set_by_path_and_read_back(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);
    Object *dog = add_dog(object_get_root(), "rex");
    char *s;

    assert_true(object_property_parse(kennel, "resident", "/rex", &error_abort));
    assert_ptr_equal(k->resident, dog);
    assert_ptr_equal(object_property_get_link(kennel, "resident", &error_abort), dog);
    s = object_property_print(kennel, "resident", &error_abort);
    assert_string_equal(s, "/rex");
    g_free(s);
    assert_string_equal(object_property_type(object_property_find(kennel, "resident")),
                        "link<tb-dog>");
}

static void test_link_refuses_wrong_type_and_unknown_path(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);
    Object *cat = object_new(TYPE_CAT);
    Error *err = NULL;

    object_property_add_child(object_get_root(), "tom", cat);
    object_unref(cat);
    assert_false(object_property_parse(kennel, "resident", "/tom", &err));
    assert_non_null(strstr(error_get_message(err), "resident"));
    error_free_or_abort(&err);
    assert_false(object_property_set_link(kennel, "resident", cat, &err));
    assert_non_null(err);
    error_free_or_abort(&err);
    assert_false(object_property_parse(kennel, "resident", "/nowhere", &err));
    assert_non_null(err);
    error_free_or_abort(&err);
    assert_null(k->resident);
}

/* A partial path that fits two objects names neither; a property that is no link says so. */
static void test_link_refuses_an_ambiguous_path_and_a_non_link(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);
    Object *a = object_new(TYPE_CAT), *b = object_new(TYPE_CAT);
    Error *err = NULL;

    object_property_add_child(object_get_root(), "a", a);
    object_property_add_child(object_get_root(), "b", b);
    object_unref(a);
    object_unref(b);
    add_dog(a, "rex");
    add_dog(b, "rex");
    assert_false(object_property_parse(kennel, "resident", "rex", &err));
    assert_non_null(strstr(error_get_message(err), ".resident': path 'rex' is ambiguous"));
    error_free_or_abort(&err);
    assert_null(k->resident);
    /* The full path is not. */
    assert_true(object_property_parse(kennel, "resident", "/b/rex", &error_abort));
    assert_ptr_equal(k->resident, object_resolve_path("/b/rex", NULL));
    /* Not a link: by object, either way. */
    assert_false(object_property_set_link(a, "legs", kennel, &err));
    assert_non_null(err);
    error_free_or_abort(&err);
    assert_false(object_property_set_link(object_resolve_path("/a/rex", NULL), "name", b, &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.name' is not a link");
    error_free_or_abort(&err);
    assert_null(object_property_get_link(object_resolve_path("/a/rex", NULL), "name", &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.name' is not a link");
    error_free_or_abort(&err);
}

static void test_link_check_can_refuse(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);
    Object *puppy = object_new(TYPE_PUPPY);
    Error *err = NULL;

    assert_false(object_property_set_link(kennel, "resident", puppy, &err));
    assert_string_equal(error_get_message(err), "no puppies in 'resident'");
    assert_null(k->resident);
    error_free_or_abort(&err);
    object_unref(puppy);
}

static void test_strong_link_holds_a_reference(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);
    Object *dog = object_new(TYPE_DOG);

    assert_true(object_property_set_link(kennel, "strong", dog, &error_abort));
    assert_int_equal(dog->ref, 2);
    object_unref(dog);
    assert_null(strstr(trace->str, "fin:"));
    assert_true(object_property_set_link(kennel, "strong", NULL, &error_abort));
    assert_non_null(strstr(trace->str, "fin:dog"));
}

static void test_strong_link_is_dropped_with_its_owner(void **state)
{
    Kennel *k;
    Object *dog = object_new(TYPE_DOG);

    object_property_set_link(new_kennel(&k), "strong", dog, &error_abort);
    object_unref(dog);
    object_unparent(object_resolve_path("/kennel", NULL));
    assert_non_null(strstr(trace->str, "fin:dog"));
}

static void test_link_cleared_with_empty_string(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);

    add_dog(object_get_root(), "rex");
    object_property_parse(kennel, "resident", "rex", &error_abort);
    assert_non_null(k->resident);
    assert_true(object_property_parse(kennel, "resident", "", &error_abort));
    assert_null(k->resident);
}

static void test_resolve_path_follows_links(void **state)
{
    Kennel *k;
    Object *kennel = new_kennel(&k);
    Object *dog = add_dog(container_get(object_get_root(), "/house"), "rex");

    object_property_set_link(kennel, "resident", dog, &error_abort);
    assert_ptr_equal(object_resolve_path("/kennel/resident", NULL), dog);
    assert_ptr_equal(object_resolve_path_component(kennel, "resident"), dog);
}

/* ---- user-creatable objects -------------------------------------------------------------- */

static void test_user_creatable_new_adds_under_objects(void **state)
{
    Object *obj = user_creatable_new(TYPE_DOG, "d0", NULL, NULL, 0, &error_abort);
    char *path;

    assert_non_null(obj);
    path = object_get_canonical_path(obj);
    assert_string_equal(path, "/objects/d0");
    assert_int_equal(obj->ref, 1);
    g_free(path);
}

static void test_user_creatable_sets_properties_then_completes(void **state)
{
    static const char *const keys[] = {"name", "tame"};
    static const char *const values[] = {"rex", "on"};
    Object *obj = user_creatable_new(TYPE_DOG, "d0", keys, values, 2, &error_abort);

    assert_string_equal(ANIMAL(obj)->name, "rex");
    assert_true(ANIMAL(obj)->tame);
    assert_int_equal(ANIMAL(obj)->completed, 1);
}

static void test_user_creatable_uses_the_class_own_complete(void **state)
{
    Object *obj = user_creatable_new(TYPE_PUPPY, "p0", NULL, NULL, 0, &error_abort);

    assert_non_null(strstr(trace->str, "complete:puppy"));
    assert_null(strstr(trace->str, "complete:dog"));
    assert_int_equal(ANIMAL(obj)->completed, 1);
}

static void test_user_creatable_refused_by_complete_leaves_nothing(void **state)
{
    static const char *const keys[] = {"name"};
    static const char *const values[] = {"bad"};
    Error *err = NULL;

    assert_null(user_creatable_new(TYPE_DOG, "d0", keys, values, 1, &err));
    assert_string_equal(error_get_message(err), "a dog cannot be called 'bad'");
    error_free_or_abort(&err);
    assert_non_null(strstr(trace->str, "fin:dog"));
    assert_null(object_resolve_path("/objects", NULL));
}

static void test_user_creatable_bad_property_leaves_nothing(void **state)
{
    static const char *const keys[] = {"name", "nosuch"};
    static const char *const values[] = {"rex", "1"};
    Error *err = NULL;

    assert_null(user_creatable_new(TYPE_DOG, "d0", keys, values, 2, &err));
    assert_string_equal(error_get_message(err), "Property 'tb-dog.nosuch' not found");
    error_free_or_abort(&err);
    assert_non_null(strstr(trace->str, "fin:dog"));
    assert_null(strstr(trace->str, "complete:"));
    assert_null(object_resolve_path("/objects", NULL));
}

static void test_user_creatable_duplicate_id_is_an_error(void **state)
{
    Object *first = user_creatable_new(TYPE_DOG, "d0", NULL, NULL, 0, &error_abort);
    Error *err = NULL;

    assert_null(user_creatable_new(TYPE_PUPPY, "d0", NULL, NULL, 0, &err));
    assert_non_null(strstr(error_get_message(err), "'d0'"));
    error_free_or_abort(&err);
    assert_ptr_equal(object_resolve_path("/objects/d0", NULL), first);
}

static void test_user_creatable_refuses_other_types(void **state)
{
    Error *err = NULL;

    assert_null(user_creatable_new(TYPE_CAT, "c0", NULL, NULL, 0, &err));
    assert_non_null(strstr(error_get_message(err), TYPE_CAT));
    error_free_or_abort(&err);
    assert_null(user_creatable_new("no-such-type", "c0", NULL, NULL, 0, &err));
    assert_non_null(err);
    error_free_or_abort(&err);
    assert_null(object_resolve_path("/objects", NULL));
}

static void test_user_creatable_needs_a_well_formed_id(void **state)
{
    Error *err = NULL;

    assert_null(user_creatable_new(TYPE_DOG, NULL, NULL, NULL, 0, &err));
    assert_non_null(err);
    error_free_or_abort(&err);
    assert_null(user_creatable_new(TYPE_DOG, "0bad", NULL, NULL, 0, &err));
    assert_non_null(err);
    error_free_or_abort(&err);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(test_class_by_name_finds_registered_type),
        TEST(test_class_by_name_unknown_is_null),
        TEST(test_base_types_are_registered),
        TEST(test_class_init_runs_once),
        TEST(test_class_fields_are_inherited_and_overridable),
        TEST(test_class_base_init_runs_on_subclasses_before_class_init),
        TEST(test_dynamic_cast_accepts_ancestors_and_refuses_others),
        TEST(test_dynamic_cast_sees_interfaces),
        TEST(test_object_dynamic_cast_checks_instances),
        TEST(test_interface_class_is_per_class_and_inherited),
        TEST(test_class_list_is_sorted_by_name_without_abstract),
        TEST(test_class_list_includes_abstract_when_asked),
        TEST(test_class_list_by_interface),
        TEST(test_class_is_abstract),
        TEST(test_instance_init_parent_first_then_post_init),
        TEST(test_last_unref_finalizes_most_derived_first),
        TEST(test_new_instance_has_type_and_class),
        TEST(test_instance_size_is_inherited_from_the_parent_type),
        TEST(test_new_checked_refuses_unknown_type),
        TEST(test_new_checked_refuses_abstract_type),
        TEST(test_initialize_embedded_object_is_finalized_not_freed),
        TEST(test_str_property_round_trip),
        TEST(test_unset_str_property_reads_empty),
        TEST(test_bool_property_accepts_on_off_words),
        TEST(test_bool_property_prints_on_and_off),
        TEST(test_bool_property_refuses_other_words),
        TEST(test_int_and_uint_go_through_strings),
        TEST(test_uint32_ptr_property_reads_field),
        TEST(test_typed_accessors_name_what_is_wrong),
        TEST(test_object_str_and_small_uint_ptr_properties),
        TEST(test_parse_on_read_only_property_is_an_error),
        TEST(test_print_of_write_only_property_is_an_error),
        TEST(test_unknown_property_error_names_type_and_property),
        TEST(test_duplicate_property_name_is_an_error),
        TEST(test_properties_come_class_first_in_insertion_order),
        TEST(test_property_description_is_kept),
        TEST(test_property_del_releases_it),
        TEST(test_object_properties_are_released_at_finalize),
        TEST(test_root_is_a_container_made_on_first_use),
        TEST(test_child_holds_a_reference_until_unparented),
        TEST(test_child_property_type_names_the_child_type),
        TEST(test_unparent_detaches_but_keeps_other_references),
        TEST(test_canonical_path_of_nested_child),
        TEST(test_object_outside_tree_has_no_path),
        TEST(test_duplicate_child_name_is_an_error),
        TEST(test_resolve_absolute_path),
        TEST(test_resolve_partial_path_finds_unique_match),
        TEST(test_resolve_partial_path_reports_ambiguity),
        TEST(test_resolve_path_type_counts_only_matching_objects),
        TEST(test_resolve_path_at_is_relative_to_parent),
        TEST(test_container_get_creates_missing_containers_once),
        TEST(test_root_cleanup_frees_the_whole_tree),
        TEST(test_children_are_torn_down_last_first),
        TEST(test_child_foreach_in_insertion_order),
        TEST(test_child_foreach_recursive_visits_parent_before_children),
        TEST(test_child_foreach_stops_at_nonzero_return),
        TEST(test_child_foreach_may_unparent_the_child),
        TEST(test_child_property_prints_its_path),
        TEST(test_link_set_by_path_and_read_back),
        TEST(test_link_refuses_wrong_type_and_unknown_path),
        TEST(test_link_refuses_an_ambiguous_path_and_a_non_link),
        TEST(test_link_check_can_refuse),
        TEST(test_strong_link_holds_a_reference),
        TEST(test_strong_link_is_dropped_with_its_owner),
        TEST(test_link_cleared_with_empty_string),
        TEST(test_resolve_path_follows_links),
        TEST(test_user_creatable_new_adds_under_objects),
        TEST(test_user_creatable_sets_properties_then_completes),
        TEST(test_user_creatable_uses_the_class_own_complete),
        TEST(test_user_creatable_refused_by_complete_leaves_nothing),
        TEST(test_user_creatable_bad_property_leaves_nothing),
        TEST(test_user_creatable_duplicate_id_is_an_error),
        TEST(test_user_creatable_refuses_other_types),
        TEST(test_user_creatable_needs_a_well_formed_id),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
