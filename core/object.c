/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * object.c - the object model: a registry of types, classes built on first
 * use, reference-counted instances, properties read and written as strings,
 * and the tree of named children under "/".
 *
 * Not here: devices (qdev.c) and what any option means (vl.c).  Misuse by
 * code (an unknown type in object_new, a failed cast, a duplicate property
 * name chosen by code) aborts; anything a user can get wrong is an Error.
 *
 * Determinism: the type table is a hash for lookup only.  Everything that
 * can be seen - type lists, properties, children, partial path matches -
 * comes from arrays kept in registration or insertion order.
 */
#include "core/object.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cutils.h"
#include "core/module.h"

struct TypeImpl {
    const TypeInfo *info;
    struct TypeImpl *parent; /* resolved on first use */
    bool parent_resolved;
    ObjectClass *class; /* built on first use, kept for the process */
    size_t instance_size, class_size;
};

typedef struct TypeImpl TypeImpl;

static GHashTable *type_table; /* name -> TypeImpl *, lookup only */
static GPtrArray *type_order;  /* TypeImpl *, registration order */
static Object *root_object;

/* ---- types ------------------------------------------------------------------- */

static TypeImpl *type_lookup(const char *name)
{
    return type_table && name ? g_hash_table_lookup(type_table, name) : NULL;
}

Type type_register_static(const TypeInfo *info)
{
    TypeImpl *ti;

    if (!info->name) {
        tern_bug("object model", "a TypeInfo without a name");
    }
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
        type_order = g_ptr_array_new();
    }
    if (g_hash_table_contains(type_table, info->name)) {
        tern_bug("object model", "type '%s' registered twice", info->name);
    }
    ti = g_new0(TypeImpl, 1);
    ti->info = info;
    g_hash_table_insert(type_table, (gpointer)info->name, ti);
    g_ptr_array_add(type_order, ti);
    return ti;
}

void type_register_static_array(const TypeInfo *infos, int nr)
{
    for (int i = 0; i < nr; i++) {
        type_register_static(&infos[i]);
    }
}

static TypeImpl *type_parent(TypeImpl *ti)
{
    if (!ti->parent_resolved) {
        if (ti->info->parent) {
            ti->parent = type_lookup(ti->info->parent);
            if (!ti->parent) {
                tern_bug("object model", "type '%s' has unknown parent '%s'", ti->info->name,
                         ti->info->parent);
            }
        }
        ti->parent_resolved = true;
    }
    return ti->parent;
}

static bool type_is_a(TypeImpl *ti, TypeImpl *target)
{
    for (; ti; ti = type_parent(ti)) {
        if (ti == target) {
            return true;
        }
    }
    return false;
}

static void type_class_ensure(TypeImpl *ti);

/* A copy of an interface class for a class that implements it. */
static ObjectClass *interface_class_copy(TypeImpl *iface, const ObjectClass *from)
{
    ObjectClass *ic = g_malloc0(iface->class_size);

    memcpy(ic, from, iface->class_size);
    ic->type = iface;
    ic->interfaces = NULL;
    ic->properties = NULL;
    memset(ic->cast_cache, 0, sizeof(ic->cast_cache));
    return ic;
}

static bool class_has_interface(ObjectClass *klass, TypeImpl *iface)
{
    for (GSList *l = klass->interfaces; l; l = l->next) {
        if (type_is_a(((ObjectClass *)l->data)->type, iface)) {
            return true;
        }
    }
    return false;
}

static void type_class_add_interfaces(TypeImpl *ti, TypeImpl *parent)
{
    ObjectClass *klass = ti->class;
    TypeImpl *interface_type = type_lookup(TYPE_INTERFACE);

    /* Inherited ones first: the child gets its own copy, so it can override. */
    if (parent) {
        for (GSList *l = parent->class->interfaces; l; l = l->next) {
            ObjectClass *pic = l->data;
            klass->interfaces =
                g_slist_append(klass->interfaces, interface_class_copy(pic->type, pic));
        }
    }
    for (const InterfaceInfo *ii = ti->info->interfaces; ii && ii->type; ii++) {
        TypeImpl *iface = type_lookup(ii->type);

        if (!iface || !interface_type || !type_is_a(iface, interface_type)) {
            tern_bug("object model", "type '%s' lists '%s', which is not an interface type",
                     ti->info->name, ii->type);
        }
        type_class_ensure(iface);
        if (!class_has_interface(klass, iface)) {
            klass->interfaces =
                g_slist_append(klass->interfaces, interface_class_copy(iface, iface->class));
        }
    }
}

static void run_class_base_init(TypeImpl *ancestor, ObjectClass *klass, const void *data)
{
    if (!ancestor) {
        return;
    }
    run_class_base_init(type_parent(ancestor), klass, data);
    if (ancestor->info->class_base_init) {
        ancestor->info->class_base_init(klass, data);
    }
}

/*
 * Builds ti's class once: the parent's class memory is copied in (so class
 * fields are inherited), the lists that belong to one class are made fresh,
 * then the ancestors' class_base_init and ti's class_init run.
 */
static void type_class_ensure(TypeImpl *ti)
{
    TypeImpl *parent;
    ObjectClass *klass;

    if (ti->class) {
        return;
    }
    parent = type_parent(ti);
    if (parent) {
        type_class_ensure(parent);
    }
    ti->instance_size = ti->info->instance_size ? ti->info->instance_size
                        : parent                ? parent->instance_size
                                                : sizeof(Object);
    ti->class_size = ti->info->class_size ? ti->info->class_size
                     : parent             ? parent->class_size
                                          : sizeof(ObjectClass);
    if (parent &&
        (ti->instance_size < parent->instance_size || ti->class_size < parent->class_size)) {
        tern_bug("object model", "type '%s' is smaller than its parent '%s'", ti->info->name,
                 parent->info->name);
    }
    klass = g_malloc0(ti->class_size);
    if (parent) {
        memcpy(klass, parent->class, parent->class_size);
    }
    klass->type = ti;
    klass->interfaces = NULL;
    klass->properties = g_ptr_array_new();
    memset(klass->cast_cache, 0, sizeof(klass->cast_cache)); /* the parent's answers are its own */
    ti->class = klass;
    type_class_add_interfaces(ti, parent);
    run_class_base_init(parent, klass, ti->info->class_data);
    if (ti->info->class_init) {
        ti->info->class_init(klass, ti->info->class_data);
    }
}

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_lookup(typename);

    if (!ti) {
        return NULL;
    }
    type_class_ensure(ti);
    return ti->class;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass, const char *typename)
{
    TypeImpl *target = type_lookup(typename);

    if (!klass || !target) {
        return NULL;
    }
    if (type_is_a(klass->type, target) || class_has_interface(klass, target)) {
        return klass;
    }
    return NULL;
}

/*
 * The checked casts take their type name from a macro's literal, whose
 * pointer stays the same: a pointer found before is the same answer (only
 * these casts use the cache, as a name built at run time could be freed and
 * its address reused for another).
 */
static bool cast_cached(ObjectClass *klass, const char *typename)
{
    for (size_t i = 0; i < G_N_ELEMENTS(klass->cast_cache); i++) {
        if (klass->cast_cache[i] == typename) {
            return true;
        }
    }
    if (!object_class_dynamic_cast(klass, typename)) {
        return false;
    }
    klass->cast_cache[klass->cast_cache_next++ % G_N_ELEMENTS(klass->cast_cache)] = typename;
    return true;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass, const char *typename,
                                              const char *file, int line, const char *func)
{
    if (klass && !cast_cached(klass, typename)) {
        tern_bug("object model", "%s:%d: %s: class '%s' is not a '%s'", file, line, func,
                 object_class_get_name(klass), typename);
    }
    return klass;
}

ObjectClass *object_class_get_interface(ObjectClass *klass, const char *typename)
{
    TypeImpl *target = type_lookup(typename);

    if (!klass || !target) {
        return NULL;
    }
    for (GSList *l = klass->interfaces; l; l = l->next) {
        ObjectClass *ic = l->data;
        if (type_is_a(ic->type, target)) {
            return ic;
        }
    }
    return NULL;
}

ObjectClass *object_class_get_interface_assert(ObjectClass *klass, const char *typename,
                                               const char *file, int line, const char *func)
{
    ObjectClass *ic = object_class_get_interface(klass, typename);

    if (!ic) {
        tern_bug("object model", "%s:%d: %s: class '%s' does not implement '%s'", file, line, func,
                 klass ? object_class_get_name(klass) : "(null)", typename);
    }
    return ic;
}

const char *object_class_get_name(ObjectClass *klass)
{
    return klass->type->info->name;
}

ObjectClass *object_class_get_parent(ObjectClass *klass)
{
    TypeImpl *parent = type_parent(klass->type);

    if (!parent) {
        return NULL;
    }
    type_class_ensure(parent);
    return parent->class;
}

bool object_class_is_abstract(ObjectClass *klass)
{
    return klass->type->info->abstract;
}

GSList *object_class_get_list(const char *implements_type, bool include_abstract)
{
    GSList *list = NULL;
    /*
     * A class type (not an interface) is implemented by its subtypes only:
     * those are found from the type table, and no other class is built
     * (the machine lookup at every start-up would build them all).
     */
    TypeImpl *target = implements_type ? type_lookup(implements_type) : NULL;
    TypeImpl *interface = type_lookup(TYPE_INTERFACE);
    bool by_ancestry = target && interface && !type_is_a(target, interface);

    for (guint i = 0; type_order && i < type_order->len; i++) {
        TypeImpl *ti = type_order->pdata[i];

        if (by_ancestry && !type_is_a(ti, target)) {
            continue;
        }
        type_class_ensure(ti);
        if (!include_abstract && ti->info->abstract) {
            continue;
        }
        if (implements_type && !object_class_dynamic_cast(ti->class, implements_type)) {
            continue;
        }
        list = g_slist_prepend(list, ti->class);
    }
    return g_slist_reverse(list);
}

static gint compare_class_names(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a), object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list_sorted(const char *implements_type, bool include_abstract)
{
    return g_slist_sort(object_class_get_list(implements_type, include_abstract),
                        compare_class_names);
}

/* ---- instances ----------------------------------------------------------------- */

static void run_instance_init(TypeImpl *ti, Object *obj)
{
    if (!ti) {
        return;
    }
    run_instance_init(type_parent(ti), obj);
    if (ti->info->instance_init) {
        ti->info->instance_init(obj);
    }
}

static void run_instance_post_init(TypeImpl *ti, Object *obj)
{
    if (!ti) {
        return;
    }
    run_instance_post_init(type_parent(ti), obj);
    if (ti->info->instance_post_init) {
        ti->info->instance_post_init(obj);
    }
}

static TypeImpl *type_for_instance(const char *typename, Error **errp)
{
    TypeImpl *ti = type_lookup(typename);

    if (!ti) {
        error_setg(errp, "unknown type '%s'", typename ? typename : "(null)");
        return NULL;
    }
    type_class_ensure(ti);
    if (ti->info->abstract) {
        error_setg(errp, "type '%s' is abstract", typename);
        return NULL;
    }
    return ti;
}

static void object_initialize_with_type(Object *obj, TypeImpl *ti, void (*free_fn)(void *))
{
    memset(obj, 0, ti->instance_size);
    obj->class = ti->class;
    obj->properties = g_ptr_array_new();
    obj->ref = 1;
    obj->free = free_fn;
    run_instance_init(ti, obj);
    run_instance_post_init(ti, obj);
}

Object *object_new_checked(const char *typename, Error **errp)
{
    TypeImpl *ti = type_for_instance(typename, errp);
    Object *obj;

    if (!ti) {
        return NULL;
    }
    obj = g_malloc0(ti->instance_size);
    object_initialize_with_type(obj, ti, g_free);
    return obj;
}

Object *object_new(const char *typename)
{
    Error *err = NULL;
    Object *obj = object_new_checked(typename, &err);

    if (!obj) {
        tern_bug("object model", "object_new: %s%s", error_get_message(err),
                 module_init_done(MODULE_INIT_QOM) ? "" : " (types are not registered yet)");
    }
    return obj;
}

void object_initialize(void *data, size_t size, const char *typename)
{
    Error *err = NULL;
    TypeImpl *ti = type_for_instance(typename, &err);

    if (!ti) {
        tern_bug("object model", "object_initialize: %s", error_get_message(err));
    }
    if (size < ti->instance_size) {
        tern_bug("object model", "object_initialize: %zu bytes are too few for a '%s' (%zu)", size,
                 typename, ti->instance_size);
    }
    object_initialize_with_type(data, ti, NULL);
}

static void property_free(ObjectProperty *prop)
{
    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    g_free(prop->defval);
    g_free(prop);
}

/*
 * The last reference went.  Order: the class hook (the object is still
 * whole), then the object's own properties, last added first (children are
 * unparented, links dropped), then instance_finalize from the most derived
 * type up, and last the class properties' release (they own fields of the
 * instance, which instance_finalize may still read).
 */
static void object_finalize(Object *obj)
{
    ObjectClass *klass = obj->class;

    if (obj->parent) {
        tern_bug("object model", "object '%s' finalized while still in the tree",
                 object_get_typename(obj));
    }
    if (klass->before_finalize) {
        klass->before_finalize(obj);
    }
    while (obj->properties->len) {
        ObjectProperty *prop = g_ptr_array_steal_index(obj->properties, obj->properties->len - 1);
        if (prop->release) {
            prop->release(obj, prop);
        }
        property_free(prop);
    }
    for (TypeImpl *ti = klass->type; ti; ti = type_parent(ti)) {
        if (ti->info->instance_finalize) {
            ti->info->instance_finalize(obj);
        }
    }
    for (ObjectClass *k = klass; k; k = object_class_get_parent(k)) {
        for (guint i = k->properties->len; i-- > 0;) {
            ObjectProperty *prop = k->properties->pdata[i];
            if (prop->release) {
                prop->release(obj, prop);
            }
        }
    }
    g_ptr_array_free(obj->properties, TRUE);
    obj->properties = NULL;
    if (obj->free) {
        obj->free(obj);
    }
}

Object *object_ref(void *opaque)
{
    Object *obj = opaque;

    if (obj) {
        obj->ref++;
    }
    return obj;
}

void object_unref(void *opaque)
{
    Object *obj = opaque;

    if (!obj) {
        return;
    }
    if (obj->ref == 0) {
        tern_bug("object model", "unref of a '%s' that has no reference left",
                 object_get_typename(obj));
    }
    if (--obj->ref == 0) {
        object_finalize(obj);
    }
}

const char *object_get_typename(const Object *obj)
{
    return obj->class->type->info->name;
}

ObjectClass *object_get_class(const Object *obj)
{
    return obj->class;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    return obj && object_class_dynamic_cast(obj->class, typename) ? obj : NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename, const char *file, int line,
                                   const char *func)
{
    if (obj && !cast_cached(obj->class, typename)) {
        tern_bug("object model", "%s:%d: %s: object of type '%s' is not a '%s'", file, line, func,
                 object_get_typename(obj), typename);
    }
    return obj;
}

/* ---- properties ---------------------------------------------------------------- */

static ObjectProperty *property_new(const char *name, const char *type, ObjectPropertyGet *get,
                                    ObjectPropertySet *set, ObjectPropertyRelease *release,
                                    void *opaque)
{
    ObjectProperty *prop = g_new0(ObjectProperty, 1);

    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->get = get;
    prop->set = set;
    prop->release = release;
    prop->opaque = opaque;
    return prop;
}

static ObjectProperty *property_in_array(GPtrArray *props, const char *name)
{
    for (guint i = 0; props && i < props->len; i++) {
        ObjectProperty *prop = props->pdata[i];
        if (!strcmp(prop->name, name)) {
            return prop;
        }
    }
    return NULL;
}

ObjectProperty *object_class_property_find(ObjectClass *klass, const char *name)
{
    for (; klass; klass = object_class_get_parent(klass)) {
        ObjectProperty *prop = property_in_array(klass->properties, name);
        if (prop) {
            return prop;
        }
    }
    return NULL;
}

ObjectProperty *object_property_find(Object *obj, const char *name)
{
    ObjectProperty *prop;

    if (!obj || !name) {
        return NULL;
    }
    prop = object_class_property_find(obj->class, name);
    return prop ? prop : property_in_array(obj->properties, name);
}

ObjectProperty *object_property_find_err(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found", object_get_typename(obj), name);
    }
    return prop;
}

ObjectProperty *object_property_try_add(Object *obj, const char *name, const char *type,
                                        ObjectPropertyGet *get, ObjectPropertySet *set,
                                        ObjectPropertyRelease *release, void *opaque, Error **errp)
{
    ObjectProperty *prop;

    if (object_property_find(obj, name)) {
        error_setg(errp, "Property '%s.%s' already exists", object_get_typename(obj), name);
        return NULL;
    }
    prop = property_new(name, type, get, set, release, opaque);
    g_ptr_array_add(obj->properties, prop);
    return prop;
}

ObjectProperty *object_property_add(Object *obj, const char *name, const char *type,
                                    ObjectPropertyGet *get, ObjectPropertySet *set,
                                    ObjectPropertyRelease *release, void *opaque)
{
    Error *err = NULL;
    ObjectProperty *prop =
        object_property_try_add(obj, name, type, get, set, release, opaque, &err);

    if (!prop) {
        tern_bug("object model", "%s", error_get_message(err));
    }
    return prop;
}

ObjectProperty *object_class_property_add(ObjectClass *klass, const char *name, const char *type,
                                          ObjectPropertyGet *get, ObjectPropertySet *set,
                                          ObjectPropertyRelease *release, void *opaque)
{
    ObjectProperty *prop;

    if (object_class_property_find(klass, name)) {
        tern_bug("object model", "class property '%s.%s' added twice", object_class_get_name(klass),
                 name);
    }
    prop = property_new(name, type, get, set, release, opaque);
    g_ptr_array_add(klass->properties, prop);
    return prop;
}

void object_property_set_description(ObjectProperty *prop, const char *description)
{
    g_free(prop->description);
    prop->description = g_strdup(description);
}

void object_class_property_set_description(ObjectClass *klass, const char *name,
                                           const char *description)
{
    ObjectProperty *prop = object_class_property_find(klass, name);

    if (!prop) {
        tern_bug("object model", "no class property '%s.%s' to describe",
                 object_class_get_name(klass), name);
    }
    object_property_set_description(prop, description);
}

bool object_property_del(Object *obj, const char *name)
{
    for (guint i = 0; i < obj->properties->len; i++) {
        ObjectProperty *prop = obj->properties->pdata[i];
        if (!strcmp(prop->name, name)) {
            g_ptr_array_remove_index(obj->properties, i);
            if (prop->release) {
                prop->release(obj, prop);
            }
            property_free(prop);
            return true;
        }
    }
    return false;
}

static void property_foreach(Object *obj, bool with_base,
                             void (*fn)(Object *obj, ObjectProperty *prop, void *opaque),
                             void *opaque)
{
    GPtrArray *chain = g_ptr_array_new();

    for (ObjectClass *k = obj->class; k; k = object_class_get_parent(k)) {
        g_ptr_array_add(chain, k);
    }
    for (guint c = chain->len; c-- > 0;) {
        ObjectClass *k = chain->pdata[c];
        for (guint i = 0; i < k->properties->len; i++) {
            ObjectProperty *prop = k->properties->pdata[i];

            if (with_base || !prop->base) {
                fn(obj, prop, opaque);
            }
        }
    }
    g_ptr_array_free(chain, TRUE);
    for (guint i = 0; i < obj->properties->len; i++) {
        ObjectProperty *prop = obj->properties->pdata[i];

        if (with_base || !prop->base) {
            fn(obj, prop, opaque);
        }
    }
}

void object_property_foreach(Object *obj,
                             void (*fn)(Object *obj, ObjectProperty *prop, void *opaque),
                             void *opaque)
{
    property_foreach(obj, false, fn, opaque);
}

void object_property_foreach_all(Object *obj,
                                 void (*fn)(Object *obj, ObjectProperty *prop, void *opaque),
                                 void *opaque)
{
    property_foreach(obj, true, fn, opaque);
}

const char *object_property_name(const ObjectProperty *prop)
{
    return prop->name;
}

const char *object_property_type(const ObjectProperty *prop)
{
    return prop->type;
}

const char *object_property_description(const ObjectProperty *prop)
{
    return prop->description;
}

bool object_property_parse(Object *obj, const char *name, const char *value, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return false;
    }
    if (!prop->set) {
        error_setg(errp, "Property '%s.%s' is read-only", object_get_typename(obj), name);
        return false;
    }
    return prop->set(obj, prop, value ? value : "", errp);
}

char *object_property_print(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return NULL;
    }
    if (!prop->get) {
        error_setg(errp, "Property '%s.%s' cannot be read", object_get_typename(obj), name);
        return NULL;
    }
    return prop->get(obj, prop, errp);
}

bool object_property_set_str(Object *obj, const char *name, const char *value, Error **errp)
{
    return object_property_parse(obj, name, value, errp);
}

char *object_property_get_str(Object *obj, const char *name, Error **errp)
{
    return object_property_print(obj, name, errp);
}

char *object_value_print(const ObjectValue *value)
{
    switch (value->kind) {
    case OBJECT_VALUE_UINT:
        return g_strdup_printf("%" PRIu64, value->u);
    case OBJECT_VALUE_INT:
        return g_strdup_printf("%" PRId64, value->i);
    case OBJECT_VALUE_BOOL:
        break;
    }
    return g_strdup(value->b ? "on" : "off");
}

/* The typed setters: the property's set_value when it has one, else its string form. */
static bool property_set_value(Object *obj, const char *name, const ObjectValue *value,
                               Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    char *str;
    bool ok;

    if (!prop) {
        return false;
    }
    if (!prop->set) {
        error_setg(errp, "Property '%s.%s' is read-only", object_get_typename(obj), name);
        return false;
    }
    if (prop->set_value) {
        return prop->set_value(obj, prop, value, errp);
    }
    str = object_value_print(value);
    ok = prop->set(obj, prop, str, errp);
    g_free(str);
    return ok;
}

/* got as the kind wanted, when it fits: an integer of either sign converts if in range. */
static bool value_convert(ObjectValue *got, ObjectValueKind want)
{
    if (got->kind == want) {
        return true;
    }
    if (want == OBJECT_VALUE_UINT && got->kind == OBJECT_VALUE_INT && got->i >= 0) {
        *got = (ObjectValue){.kind = want, .u = (uint64_t)got->i};
        return true;
    }
    if (want == OBJECT_VALUE_INT && got->kind == OBJECT_VALUE_UINT && got->u <= INT64_MAX) {
        *got = (ObjectValue){.kind = want, .i = (int64_t)got->u};
        return true;
    }
    return false;
}

/*
 * The typed getters: the property's get_value when it has one, else its
 * string form parsed as the kind asked for.  False (with *errp) when the
 * value is not of that kind or does not fit it.
 */
static bool property_get_value(Object *obj, const char *name, ObjectValueKind want,
                               ObjectValue *value, Error **errp)
{
    static const char *const kind_names[] = {
        [OBJECT_VALUE_UINT] = "an unsigned integer",
        [OBJECT_VALUE_INT] = "an integer",
        [OBJECT_VALUE_BOOL] = "a boolean",
    };
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    ObjectValue got = {.kind = want};
    char *str;
    bool ok;

    if (!prop) {
        return false;
    }
    if (prop->get_value) {
        if (!prop->get_value(obj, prop, &got, errp)) {
            return false;
        }
        ok = value_convert(&got, want);
        str = ok ? NULL : object_value_print(&got);
    } else {
        str = object_property_print(obj, name, errp);
        if (!str) {
            return false;
        }
        ok = want == OBJECT_VALUE_BOOL   ? qemu_parse_bool(str, &got.b)
             : want == OBJECT_VALUE_UINT ? qemu_strtou64(str, NULL, 0, &got.u) == 0
                                         : qemu_strtoi64(str, NULL, 0, &got.i) == 0;
    }
    if (!ok) {
        error_setg(errp, "Property '%s.%s' is not %s ('%s')", object_get_typename(obj), name,
                   kind_names[want], str);
    }
    g_free(str);
    if (ok) {
        *value = got;
    }
    return ok;
}

bool object_property_set_bool(Object *obj, const char *name, bool value, Error **errp)
{
    return property_set_value(obj, name, &(ObjectValue){.kind = OBJECT_VALUE_BOOL, .b = value},
                              errp);
}

bool object_property_get_bool(Object *obj, const char *name, Error **errp)
{
    ObjectValue v;

    return property_get_value(obj, name, OBJECT_VALUE_BOOL, &v, errp) && v.b;
}

bool object_property_set_int(Object *obj, const char *name, int64_t value, Error **errp)
{
    return property_set_value(obj, name, &(ObjectValue){.kind = OBJECT_VALUE_INT, .i = value},
                              errp);
}

int64_t object_property_get_int(Object *obj, const char *name, Error **errp)
{
    ObjectValue v;

    return property_get_value(obj, name, OBJECT_VALUE_INT, &v, errp) ? v.i : 0;
}

bool object_property_set_uint(Object *obj, const char *name, uint64_t value, Error **errp)
{
    return property_set_value(obj, name, &(ObjectValue){.kind = OBJECT_VALUE_UINT, .u = value},
                              errp);
}

uint64_t object_property_get_uint(Object *obj, const char *name, Error **errp)
{
    ObjectValue v;

    return property_get_value(obj, name, OBJECT_VALUE_UINT, &v, errp) ? v.u : 0;
}

/* ---- typed property helpers ------------------------------------------------------ */

typedef struct StrAccessors {
    char *(*get)(Object *, Error **);
    void (*set)(Object *, const char *, Error **);
} StrAccessors;

static char *str_prop_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    StrAccessors *acc = prop->opaque;
    Error *err = NULL;
    char *value = acc->get(obj, &err);

    if (err) {
        g_free(value);
        error_propagate(errp, err);
        return NULL;
    }
    /* An unset string reads as empty: NULL means failure to the callers. */
    return value ? value : g_strdup("");
}

static bool str_prop_set(Object *obj, ObjectProperty *prop, const char *value, Error **errp)
{
    StrAccessors *acc = prop->opaque;
    Error *err = NULL;

    acc->set(obj, value, &err);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

static void free_accessors(Object *obj, ObjectProperty *prop)
{
    g_free(prop->opaque);
}

static StrAccessors *str_accessors_new(char *(*get)(Object *, Error **),
                                       void (*set)(Object *, const char *, Error **))
{
    StrAccessors *acc = g_new0(StrAccessors, 1);

    acc->get = get;
    acc->set = set;
    return acc;
}

ObjectProperty *object_property_add_str(Object *obj, const char *name,
                                        char *(*get)(Object *, Error **),
                                        void (*set)(Object *, const char *, Error **))
{
    return object_property_add(obj, name, "string", get ? str_prop_get : NULL,
                               set ? str_prop_set : NULL, free_accessors,
                               str_accessors_new(get, set));
}

/* Class properties live as long as the process: their accessors are never freed. */
ObjectProperty *object_class_property_add_str(ObjectClass *klass, const char *name,
                                              char *(*get)(Object *, Error **),
                                              void (*set)(Object *, const char *, Error **))
{
    return object_class_property_add(klass, name, "string", get ? str_prop_get : NULL,
                                     set ? str_prop_set : NULL, NULL, str_accessors_new(get, set));
}

typedef struct BoolAccessors {
    bool (*get)(Object *, Error **);
    void (*set)(Object *, bool, Error **);
} BoolAccessors;

static char *bool_prop_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    BoolAccessors *acc = prop->opaque;
    Error *err = NULL;
    bool value = acc->get(obj, &err);

    if (err) {
        error_propagate(errp, err);
        return NULL;
    }
    return g_strdup(value ? "on" : "off");
}

static bool bool_prop_set(Object *obj, ObjectProperty *prop, const char *value, Error **errp)
{
    BoolAccessors *acc = prop->opaque;
    Error *err = NULL;
    bool b;

    if (!qemu_parse_bool(value, &b)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off', not '%s'", prop->name, value);
        return false;
    }
    acc->set(obj, b, &err);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

static BoolAccessors *bool_accessors_new(bool (*get)(Object *, Error **),
                                         void (*set)(Object *, bool, Error **))
{
    BoolAccessors *acc = g_new0(BoolAccessors, 1);

    acc->get = get;
    acc->set = set;
    return acc;
}

ObjectProperty *object_property_add_bool(Object *obj, const char *name,
                                         bool (*get)(Object *, Error **),
                                         void (*set)(Object *, bool, Error **))
{
    return object_property_add(obj, name, "bool", get ? bool_prop_get : NULL,
                               set ? bool_prop_set : NULL, free_accessors,
                               bool_accessors_new(get, set));
}

ObjectProperty *object_class_property_add_bool(ObjectClass *klass, const char *name,
                                               bool (*get)(Object *, Error **),
                                               void (*set)(Object *, bool, Error **))
{
    return object_class_property_add(klass, name, "bool", get ? bool_prop_get : NULL,
                                     set ? bool_prop_set : NULL, NULL,
                                     bool_accessors_new(get, set));
}

static char *uint8_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%u", (unsigned)*(const uint8_t *)prop->opaque2);
}

static char *uint16_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%u", (unsigned)*(const uint16_t *)prop->opaque2);
}

static char *uint32_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%" PRIu32, *(const uint32_t *)prop->opaque2);
}

static char *uint64_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%" PRIu64, *(const uint64_t *)prop->opaque2);
}

static ObjectProperty *add_uint_ptr(Object *obj, const char *name, const char *type,
                                    ObjectPropertyGet *get, const void *field)
{
    ObjectProperty *prop = object_property_add(obj, name, type, get, NULL, NULL, NULL);

    prop->opaque2 = field;
    return prop;
}

ObjectProperty *object_property_add_uint8_ptr(Object *obj, const char *name, const uint8_t *v)
{
    return add_uint_ptr(obj, name, "uint8", uint8_ptr_get, v);
}

ObjectProperty *object_property_add_uint16_ptr(Object *obj, const char *name, const uint16_t *v)
{
    return add_uint_ptr(obj, name, "uint16", uint16_ptr_get, v);
}

ObjectProperty *object_property_add_uint32_ptr(Object *obj, const char *name, const uint32_t *v)
{
    return add_uint_ptr(obj, name, "uint32", uint32_ptr_get, v);
}

ObjectProperty *object_property_add_uint64_ptr(Object *obj, const char *name, const uint64_t *v)
{
    return add_uint_ptr(obj, name, "uint64", uint64_ptr_get, v);
}

/* ---- children ---------------------------------------------------------------------- */

static char *child_prop_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    char *path = object_get_canonical_path(prop->opaque);

    return path ? path : g_strdup("");
}

/* The tree lets go of the child: it is detached first, then loses the tree's reference. */
static void child_prop_release(Object *obj, ObjectProperty *prop)
{
    Object *child = prop->opaque;

    child->parent = NULL;
    object_unref(child);
}

static bool is_child_property(const ObjectProperty *prop)
{
    return prop->release == child_prop_release;
}

ObjectProperty *object_property_try_add_child(Object *obj, const char *name, Object *child,
                                              Error **errp)
{
    char *type;
    ObjectProperty *prop;

    if (child->parent) {
        tern_bug("object model", "adding '%s' as child '%s': it already has a parent",
                 object_get_typename(child), name);
    }
    for (Object *o = obj; o; o = o->parent) {
        if (o == child) {
            tern_bug("object model", "adding '%s' as child '%s' would make a cycle",
                     object_get_typename(child), name);
        }
    }
    type = g_strdup_printf("child<%s>", object_get_typename(child));
    prop = object_property_try_add(obj, name, type, child_prop_get, NULL, child_prop_release, child,
                                   errp);
    g_free(type);
    if (!prop) {
        return NULL;
    }
    object_ref(child);
    child->parent = obj;
    return prop;
}

ObjectProperty *object_property_add_child(Object *obj, const char *name, Object *child)
{
    Error *err = NULL;
    ObjectProperty *prop = object_property_try_add_child(obj, name, child, &err);

    if (!prop) {
        tern_bug("object model", "%s", error_get_message(err));
    }
    return prop;
}

/* ---- links ---------------------------------------------------------------------------- */

typedef struct LinkProperty {
    Object **targetp;
    char *target_type;
    bool (*check)(Object *obj, const char *name, Object *val, Error **errp);
    ObjectPropertyLinkFlags flags;
} LinkProperty;

static char *link_prop_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    LinkProperty *lp = prop->opaque;
    char *path = *lp->targetp ? object_get_canonical_path(*lp->targetp) : NULL;

    return path ? path : g_strdup("");
}

static bool link_assign(Object *obj, ObjectProperty *prop, Object *target, Error **errp)
{
    LinkProperty *lp = prop->opaque;
    Object *old = *lp->targetp;

    if (target && !object_dynamic_cast(target, lp->target_type)) {
        error_setg(errp, "Property '%s.%s' expects a '%s', not a '%s'", object_get_typename(obj),
                   prop->name, lp->target_type, object_get_typename(target));
        return false;
    }
    if (lp->check && !lp->check(obj, prop->name, target, errp)) {
        return false;
    }
    *lp->targetp = target;
    if (lp->flags & OBJ_PROP_LINK_STRONG) {
        object_ref(target);
        object_unref(old);
    }
    return true;
}

static bool link_prop_set(Object *obj, ObjectProperty *prop, const char *value, Error **errp)
{
    LinkProperty *lp = prop->opaque;
    Object *target = NULL;
    bool ambiguous = false;

    if (*value) {
        target = object_resolve_path_type(value, lp->target_type, &ambiguous);
        if (!target && ambiguous) {
            error_setg(errp, "Property '%s.%s': path '%s' is ambiguous", object_get_typename(obj),
                       prop->name, value);
            return false;
        }
        if (!target) {
            error_setg(errp, "Property '%s.%s': no '%s' at path '%s'", object_get_typename(obj),
                       prop->name, lp->target_type, value);
            return false;
        }
    }
    return link_assign(obj, prop, target, errp);
}

static void link_prop_release(Object *obj, ObjectProperty *prop)
{
    LinkProperty *lp = prop->opaque;

    if (lp->flags & OBJ_PROP_LINK_STRONG) {
        object_unref(*lp->targetp);
    }
    *lp->targetp = NULL;
    g_free(lp->target_type);
    g_free(lp);
}

ObjectProperty *
object_property_add_link(Object *obj, const char *name, const char *type, Object **targetp,
                         bool (*check)(Object *obj, const char *name, Object *val, Error **errp),
                         ObjectPropertyLinkFlags flags)
{
    LinkProperty *lp = g_new0(LinkProperty, 1);
    char *prop_type = g_strdup_printf("link<%s>", type);
    ObjectProperty *prop;

    lp->targetp = targetp;
    lp->target_type = g_strdup(type);
    lp->check = check;
    lp->flags = flags;
    prop = object_property_add(obj, name, prop_type, link_prop_get, link_prop_set,
                               link_prop_release, lp);
    g_free(prop_type);
    return prop;
}

static ObjectProperty *find_link(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (prop && prop->set != link_prop_set) {
        error_setg(errp, "Property '%s.%s' is not a link", object_get_typename(obj), name);
        return NULL;
    }
    return prop;
}

bool object_property_set_link(Object *obj, const char *name, Object *value, Error **errp)
{
    ObjectProperty *prop = find_link(obj, name, errp);

    return prop && link_assign(obj, prop, value, errp);
}

Object *object_property_get_link(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = find_link(obj, name, errp);

    return prop ? *((LinkProperty *)prop->opaque)->targetp : NULL;
}

/* ---- the tree ---------------------------------------------------------------------------- */

Object *object_get_root(void)
{
    if (!root_object) {
        root_object = object_new(TYPE_CONTAINER);
    }
    return root_object;
}

/*
 * The root is forgotten before it goes, so that nothing torn down with it
 * can reach the dying tree through object_get_root().
 */
void object_root_cleanup(void)
{
    Object *root = root_object;

    root_object = NULL;
    object_unref(root);
}

Object *object_get_parent(Object *obj)
{
    return obj->parent;
}

const char *object_get_canonical_path_component(const Object *obj)
{
    GPtrArray *props;

    if (!obj->parent) {
        return NULL;
    }
    props = obj->parent->properties;
    for (guint i = 0; i < props->len; i++) {
        ObjectProperty *prop = props->pdata[i];
        if (is_child_property(prop) && prop->opaque == obj) {
            return prop->name;
        }
    }
    return NULL;
}

char *object_get_canonical_path(const Object *obj)
{
    GPtrArray *parts;
    GString *path;

    if (!root_object) {
        return NULL;
    }
    if (obj == root_object) {
        return g_strdup("/");
    }
    parts = g_ptr_array_new();
    for (const Object *o = obj; o != root_object; o = o->parent) {
        if (!o->parent) {
            g_ptr_array_free(parts, TRUE);
            return NULL;
        }
        g_ptr_array_add(parts, (gpointer)object_get_canonical_path_component(o));
    }
    /* Collected leaf first; the path reads root first. */
    path = g_string_new(NULL);
    for (guint i = parts->len; i-- > 0;) {
        g_string_append_c(path, '/');
        g_string_append(path, parts->pdata[i]);
    }
    g_ptr_array_free(parts, TRUE);
    return g_string_free(path, FALSE);
}

void object_unparent(Object *obj)
{
    const char *name = object_get_canonical_path_component(obj);

    if (name) {
        /* name belongs to the property being deleted: copy it first. */
        char *copy = g_strdup(name);
        object_property_del(obj->parent, copy);
        g_free(copy);
    }
}

Object *object_resolve_path_component(Object *parent, const char *name)
{
    ObjectProperty *prop = object_property_find(parent, name);

    if (!prop) {
        return NULL;
    }
    if (is_child_property(prop)) {
        return prop->opaque;
    }
    if (prop->set == link_prop_set) {
        return *((LinkProperty *)prop->opaque)->targetp;
    }
    return NULL;
}

/*
 * Paths are cut with g_strsplit_set(), one pass over the bytes: g_strsplit()
 * calls strstr() once per component, which sanitizers turn into a strlen()
 * of the rest of the path, so a path of 100,000 components (from a QMP or
 * qtest client) took quadratic time there.  Empty components ("a//b") are
 * skipped where the parts are followed.
 */
/* Follows parts from start, skipping empty ones. */
static Object *resolve_parts(Object *start, char **parts)
{
    Object *obj = start;

    for (char **p = parts; obj && *p; p++) {
        if (**p) {
            obj = object_resolve_path_component(obj, *p);
        }
    }
    return obj;
}

typedef struct PartialMatch {
    char **parts;
    const char *typename;
    Object *found;
    bool ambiguous;
} PartialMatch;

/* Tries parts from node and from every object below it, in tree order. */
static void resolve_partial(Object *node, PartialMatch *m)
{
    Object *obj = resolve_parts(node, m->parts);

    if (obj && (!m->typename || object_dynamic_cast(obj, m->typename))) {
        if (m->found && m->found != obj) {
            m->ambiguous = true;
            return;
        }
        m->found = obj;
    }
    for (guint i = 0; i < node->properties->len && !m->ambiguous; i++) {
        ObjectProperty *prop = node->properties->pdata[i];
        if (is_child_property(prop)) {
            resolve_partial(prop->opaque, m);
        }
    }
}

Object *object_resolve_path_type(const char *path, const char *typename, bool *ambiguous)
{
    char **parts;
    Object *obj;

    if (ambiguous) {
        *ambiguous = false;
    }
    if (!path || !*path) {
        return NULL;
    }
    parts = g_strsplit_set(path, "/", -1);
    if (path[0] == '/') {
        obj = resolve_parts(object_get_root(), parts);
        if (typename && !object_dynamic_cast(obj, typename)) {
            obj = NULL;
        }
    } else {
        /*
         * Tried from every object; each try stops at the first component
         * that is missing, so the cost is the tree's size times its depth
         * plus the path's length, never their product.
         */
        PartialMatch m = {.parts = parts, .typename = typename};
        resolve_partial(object_get_root(), &m);
        if (m.ambiguous && ambiguous) {
            *ambiguous = true;
        }
        obj = m.ambiguous ? NULL : m.found;
    }
    g_strfreev(parts);
    return obj;
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    return object_resolve_path_type(path, NULL, ambiguous);
}

Object *object_resolve_path_at(Object *parent, const char *path)
{
    char **parts;
    Object *obj;

    if (!path) {
        return NULL;
    }
    parts = g_strsplit_set(path, "/", -1);
    obj = resolve_parts(path[0] == '/' ? object_get_root() : parent, parts);
    g_strfreev(parts);
    return obj;
}

/*
 * The children are collected (and held) first, so that fn may unparent the
 * child it is given without upsetting the walk.
 */
int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque), void *opaque)
{
    GPtrArray *children = g_ptr_array_new_with_free_func(object_unref);
    int ret = 0;

    for (guint i = 0; i < obj->properties->len; i++) {
        ObjectProperty *prop = obj->properties->pdata[i];
        if (is_child_property(prop)) {
            g_ptr_array_add(children, object_ref(prop->opaque));
        }
    }
    for (guint i = 0; i < children->len && !ret; i++) {
        ret = fn(children->pdata[i], opaque);
    }
    g_ptr_array_free(children, TRUE);
    return ret;
}

typedef struct RecursiveWalk {
    int (*fn)(Object *child, void *opaque);
    void *opaque;
} RecursiveWalk;

static int walk_one(Object *child, void *opaque)
{
    RecursiveWalk *w = opaque;
    int ret = w->fn(child, w->opaque);

    return ret ? ret : object_child_foreach(child, walk_one, w);
}

int object_child_foreach_recursive(Object *obj, int (*fn)(Object *child, void *opaque),
                                   void *opaque)
{
    RecursiveWalk w = {fn, opaque};

    return object_child_foreach(obj, walk_one, &w);
}

Object *container_get(Object *root, const char *path)
{
    char **parts = g_strsplit_set(path, "/", -1);
    Object *obj = root;

    for (char **p = parts; *p; p++) {
        Object *child;

        if (!**p) {
            continue;
        }
        child = object_resolve_path_component(obj, *p);
        if (!child) {
            child = object_new(TYPE_CONTAINER);
            object_property_add_child(obj, *p, child);
            object_unref(child);
        }
        obj = child;
    }
    g_strfreev(parts);
    return obj;
}

/* ---- user-creatable objects ------------------------------------------------------ */

Object *user_creatable_new(const char *type, const char *id, const char *const *keys,
                           const char *const *values, size_t n, Error **errp)
{
    ObjectClass *klass = object_class_by_name(type);
    UserCreatableClass *ucc;
    Object *objects, *obj;

    if (!klass || !object_class_dynamic_cast(klass, TYPE_USER_CREATABLE)) {
        error_setg(errp, "'%s' is not a user-creatable object type", type ? type : "(null)");
        return NULL;
    }
    if (object_class_is_abstract(klass)) {
        error_setg(errp, "object type '%s' is abstract", type);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "an object needs an id");
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "'%s' is not a valid object id", id);
        return NULL;
    }
    /* Looked up, not created: a failure must leave no "/objects" behind. */
    objects = object_resolve_path_component(object_get_root(), "objects");
    if (objects && object_resolve_path_component(objects, id)) {
        error_setg(errp, "an object with id '%s' already exists", id);
        return NULL;
    }
    obj = object_new(type);
    for (size_t i = 0; i < n; i++) {
        if (!object_property_parse(obj, keys[i], values[i], errp)) {
            goto err;
        }
    }
    ucc = USER_CREATABLE_CLASS(klass);
    if (ucc->complete && !ucc->complete(obj, errp)) {
        goto err;
    }
    object_property_add_child(container_get(object_get_root(), "/objects"), id, obj);
    object_unref(obj);
    return obj;

err:
    object_unref(obj);
    return NULL;
}

/* ---- the base types ------------------------------------------------------------------ */

static char *object_type_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup(object_get_typename(obj));
}

/* QEMU's "type" property, on every object. */
static void object_class_init(ObjectClass *klass, const void *data)
{
    ObjectProperty *prop =
        object_class_property_add(klass, "type", "string", object_type_get, NULL, NULL, NULL);

    prop->base = true;
}

static const TypeInfo object_base_types[] = {
    {
        .name = TYPE_OBJECT,
        .instance_size = sizeof(Object),
        .class_size = sizeof(ObjectClass),
        .class_init = object_class_init,
        .abstract = true,
    },
    {
        .name = TYPE_INTERFACE,
        .parent = TYPE_OBJECT,
        .abstract = true,
    },
    {
        .name = TYPE_USER_CREATABLE,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(UserCreatableClass),
        .abstract = true,
    },
    {
        .name = TYPE_CONTAINER,
        .parent = TYPE_OBJECT,
    },
};

static void object_register_types(void)
{
    type_register_static_array(object_base_types, (int)G_N_ELEMENTS(object_base_types));
}

type_init(object_register_types)

    size_t object_get_instance_size(const Object *obj)
{
    return obj->class->type->instance_size;
}
