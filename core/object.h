/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * object.h - Tern's object model: types by name, classes, instances with
 * named, typed properties, and the object tree ("/machine/...").
 *
 * A type is a TypeInfo registered from a type_init() function: a name, a
 * parent (every type but "object" has one), sizes, class_init and instance
 * init/finalize.  Interfaces ("user-creatable") are abstract types a class
 * lists in TypeInfo.interfaces; object_class_dynamic_cast() sees them.
 * Classes are built lazily, once per process, parent first.
 *
 * Properties are named, typed as QEMU spells it ("bool", "int", "uint32",
 * "size", "string" for object string properties and "str" for a device's
 * static ones, "link<TYPE>", "child<TYPE>") and set or read as strings by name, which is
 * what options, config files, qom-get/qom-set and -global need.  Class
 * properties exist on every instance; object properties are added per
 * instance.  Property lists come out in insertion order (class properties
 * parent first), never in hash order.
 *
 * Objects are reference counted.  A child property holds a reference and
 * makes the object part of the tree; object_unparent() removes it.  Paths:
 * absolute ("/machine/peripheral/t0") or partial ("t0", "peripheral/t0"): a
 * partial path must match exactly one object in the tree, else it is
 * ambiguous.
 *
 * Programming errors (unknown type in object_new, a failed OBJECT_CHECK)
 * abort; everything a user can cause returns an Error.
 */
#ifndef TERN_OBJECT_H
#define TERN_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "core/error.h"

#define TYPE_OBJECT         "object"
#define TYPE_INTERFACE      "interface"
#define TYPE_USER_CREATABLE "user-creatable"
#define TYPE_CONTAINER      "container"

typedef struct TypeImpl *Type;
typedef struct Object Object;
typedef struct ObjectClass ObjectClass;
typedef struct ObjectProperty ObjectProperty;

struct ObjectClass {
    Type type;
    /* private: interfaces implemented, properties (see object.c) */
    GSList *interfaces;
    GPtrArray *properties;
    /*
     * Called first when the last reference goes, while the object is still
     * whole (children, links and properties intact), before any
     * instance_finalize.  Inherited like any class field; TYPE_DEVICE
     * unrealizes a realized device here.
     */
    void (*before_finalize)(Object *obj);
    /*
     * The type names (their pointers: the literals of the *_CAST macros) that
     * the checked casts last found this class to be, so that a cast in a hot
     * path (a device raising an IRQ) costs no lookup by name.
     */
    const char *cast_cache[4];
    unsigned cast_cache_next;
};

struct Object {
    ObjectClass *class;
    Object *parent;        /* in the tree, or NULL */
    GPtrArray *properties; /* per-instance ObjectProperty *, insertion order */
    unsigned ref;
    void (*free)(void *);
};

typedef struct InterfaceInfo {
    const char *type;
} InterfaceInfo;

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size; /* 0: the parent's */
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj); /* after every instance_init, parent first */
    void (*instance_finalize)(Object *obj);
    bool abstract;
    size_t class_size; /* 0: the parent's */
    void (*class_init)(ObjectClass *klass, const void *data);
    /*
     * Runs on the class of every subtype (not on this type's own), ancestors
     * first, before the subtype's class_init: e.g. to reset fields that were
     * copied from the parent class.
     */
    void (*class_base_init)(ObjectClass *klass, const void *data);
    const void *class_data;
    const InterfaceInfo *interfaces; /* terminated by {NULL} */
} TypeInfo;

/* ---- types and classes ----------------------------------------------------- */

/* Registers a type (info must outlive the process).  Duplicate names abort. */
Type type_register_static(const TypeInfo *info);
void type_register_static_array(const TypeInfo *infos, int nr);

ObjectClass *object_class_by_name(const char *typename);
/* klass if it is typename or derives from (or implements) it, else NULL. */
ObjectClass *object_class_dynamic_cast(ObjectClass *klass, const char *typename);
/* Same, but aborts on mismatch (what the *_CLASS() macros use). */
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass, const char *typename,
                                              const char *file, int line, const char *func);
/*
 * The interface class struct (e.g. UserCreatableClass) of interface typename
 * as klass implements it, or NULL.  Each implementing class has its own copy,
 * initialised from its parent class's copy, so class_init can fill it in:
 * USER_CREATABLE_CLASS(klass)->complete = my_complete.
 */
ObjectClass *object_class_get_interface(ObjectClass *klass, const char *typename);
/* Same, but aborts when klass does not implement it. */
ObjectClass *object_class_get_interface_assert(ObjectClass *klass, const char *typename,
                                               const char *file, int line, const char *func);
const char *object_class_get_name(ObjectClass *klass);
ObjectClass *object_class_get_parent(ObjectClass *klass);
bool object_class_is_abstract(ObjectClass *klass);
/* Every class that is (or implements) implements_type, sorted by name; g_slist_free it. */
GSList *object_class_get_list_sorted(const char *implements_type, bool include_abstract);
GSList *object_class_get_list(const char *implements_type, bool include_abstract);

/* ---- instances ----------------------------------------------------------------- */

/* A new instance (refcount 1).  Aborts on an unknown or abstract type. */
Object *object_new(const char *typename);
/* Same, but an unknown or abstract type is an error. */
Object *object_new_checked(const char *typename, Error **errp);
/* In-place init of a struct embedded in another (no separate allocation). */
void object_initialize(void *data, size_t size, const char *typename);
Object *object_ref(void *obj);
void object_unref(void *obj);
const char *object_get_typename(const Object *obj);
/* Bytes of obj's instance struct (its type's instance_size); snapshots compare it. */
size_t object_get_instance_size(const Object *obj);
ObjectClass *object_get_class(const Object *obj);
Object *object_dynamic_cast(Object *obj, const char *typename);
Object *object_dynamic_cast_assert(Object *obj, const char *typename, const char *file, int line,
                                   const char *func);

#define OBJECT(obj)     ((Object *)(obj))
#define OBJECT_CLASS(c) ((ObjectClass *)(c))
#define OBJECT_CHECK(type, obj, name)                                                              \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name), __FILE__, __LINE__, __func__))
#define OBJECT_CLASS_CHECK(class_type, klass, name)                                                \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(klass), (name), __FILE__,         \
                                                    __LINE__, __func__))
#define OBJECT_GET_CLASS(class_type, obj, name)                                                    \
    OBJECT_CLASS_CHECK(class_type, object_get_class(OBJECT(obj)), name)

/* ---- properties ---------------------------------------------------------------- */

/*
 * Property accessors work on strings.  get returns a newly allocated string
 * (NULL with *errp set on failure); set parses value and returns false with
 * *errp set when it is not acceptable, leaving the object unchanged.
 */
typedef char *(ObjectPropertyGet)(Object *obj, ObjectProperty *prop, Error **errp);

/*
 * A number or a flag, for typed access.  A property that stores one may
 * also offer set_value/get_value: then object_property_set_uint() and the
 * other typed setters and getters reach the field with no string between
 * (the board never prints a number to set it).  set_value takes a value of
 * any kind and refuses, with the same messages as its string form, what the
 * field cannot hold.  Without them the typed calls go through the strings.
 */
typedef enum { OBJECT_VALUE_UINT, OBJECT_VALUE_INT, OBJECT_VALUE_BOOL } ObjectValueKind;
typedef struct ObjectValue {
    ObjectValueKind kind;
    union {
        uint64_t u;
        int64_t i;
        bool b;
    };
} ObjectValue;
/* The value as its property's string form would spell it ("42", "-1", "on"); caller frees. */
char *object_value_print(const ObjectValue *value);
typedef bool(ObjectPropertySetValue)(Object *obj, ObjectProperty *prop, const ObjectValue *value,
                                     Error **errp);
typedef bool(ObjectPropertyGetValue)(Object *obj, ObjectProperty *prop, ObjectValue *value,
                                     Error **errp);

typedef bool(ObjectPropertySet)(Object *obj, ObjectProperty *prop, const char *value, Error **errp);
typedef void(ObjectPropertyRelease)(Object *obj, ObjectProperty *prop);

struct ObjectProperty {
    char *name;
    char *type;
    char *description;
    ObjectPropertyGet *get; /* NULL: write-only */
    ObjectPropertySet *set; /* NULL: read-only */
    ObjectPropertyRelease *release;
    ObjectPropertySetValue *set_value; /* optional typed access (see ObjectValue) */
    ObjectPropertyGetValue *get_value;
    void *opaque;
    const void *opaque2; /* e.g. a static property table entry */
    bool defval_set;
    char *defval; /* default, as a string, for help output */
    /*
     * One of QEMU's base properties ("type" on every object; "realized",
     * "parent_bus"... on devices; the machine's "memory", "smp"): qom-list
     * and qom-get see it, object_property_foreach (option help, defaults)
     * does not, as QEMU's help leaves them out.
     */
    bool base;
};

/* Adds a property with custom accessors; a duplicate name is an error. */
ObjectProperty *object_property_try_add(Object *obj, const char *name, const char *type,
                                        ObjectPropertyGet *get, ObjectPropertySet *set,
                                        ObjectPropertyRelease *release, void *opaque, Error **errp);
/* Same, aborting on a duplicate (code, not users, picks names). */
ObjectProperty *object_property_add(Object *obj, const char *name, const char *type,
                                    ObjectPropertyGet *get, ObjectPropertySet *set,
                                    ObjectPropertyRelease *release, void *opaque);
ObjectProperty *object_class_property_add(ObjectClass *klass, const char *name, const char *type,
                                          ObjectPropertyGet *get, ObjectPropertySet *set,
                                          ObjectPropertyRelease *release, void *opaque);
void object_property_set_description(ObjectProperty *prop, const char *description);
void object_class_property_set_description(ObjectClass *klass, const char *name,
                                           const char *description);
bool object_property_del(Object *obj, const char *name);

/* Typed accessor helpers: the property converts to and from strings. */
ObjectProperty *object_property_add_str(Object *obj, const char *name,
                                        char *(*get)(Object *, Error **),
                                        void (*set)(Object *, const char *, Error **));
ObjectProperty *object_class_property_add_str(ObjectClass *klass, const char *name,
                                              char *(*get)(Object *, Error **),
                                              void (*set)(Object *, const char *, Error **));
ObjectProperty *object_property_add_bool(Object *obj, const char *name,
                                         bool (*get)(Object *, Error **),
                                         void (*set)(Object *, bool, Error **));
ObjectProperty *object_class_property_add_bool(ObjectClass *klass, const char *name,
                                               bool (*get)(Object *, Error **),
                                               void (*set)(Object *, bool, Error **));
/* Pointers to plain fields: read-only views ("uint8", "uint16", "uint32", "uint64"). */
ObjectProperty *object_property_add_uint8_ptr(Object *obj, const char *name, const uint8_t *v);
ObjectProperty *object_property_add_uint16_ptr(Object *obj, const char *name, const uint16_t *v);
ObjectProperty *object_property_add_uint32_ptr(Object *obj, const char *name, const uint32_t *v);
ObjectProperty *object_property_add_uint64_ptr(Object *obj, const char *name, const uint64_t *v);

/*
 * A child: the tree holds a reference to child until it is unparented.  The
 * child must have no parent yet; a duplicate name is an error (try) or abort.
 */
ObjectProperty *object_property_try_add_child(Object *obj, const char *name, Object *child,
                                              Error **errp);
ObjectProperty *object_property_add_child(Object *obj, const char *name, Object *child);

/*
 * A link: a settable reference to another object of type (or a subtype),
 * given as a path.  *targetp is the field that holds it; the link holds a
 * reference.  check (may be NULL) can refuse a target; flags below.
 */
typedef enum {
    OBJ_PROP_LINK_STRONG = 1, /* hold a reference on the target */
} ObjectPropertyLinkFlags;
ObjectProperty *
object_property_add_link(Object *obj, const char *name, const char *type, Object **targetp,
                         bool (*check)(Object *obj, const char *name, Object *val, Error **errp),
                         ObjectPropertyLinkFlags flags);

ObjectProperty *object_property_find(Object *obj, const char *name);
/* A class property of klass or one of its parents, or NULL. */
ObjectProperty *object_class_property_find(ObjectClass *klass, const char *name);
/* Same, with "Property 'TYPE.NAME' not found" as the error. */
ObjectProperty *object_property_find_err(Object *obj, const char *name, Error **errp);
/* Calls fn for every property: class ones (parent classes first), then the object's. */
void object_property_foreach(Object *obj,
                             void (*fn)(Object *obj, ObjectProperty *prop, void *opaque),
                             void *opaque);
/* Same, base properties included (what qom-list shows). */
void object_property_foreach_all(Object *obj,
                                 void (*fn)(Object *obj, ObjectProperty *prop, void *opaque),
                                 void *opaque);
const char *object_property_name(const ObjectProperty *prop);
const char *object_property_type(const ObjectProperty *prop);
const char *object_property_description(const ObjectProperty *prop);

/* Sets a property from a string; the error names the property and says what was wrong. */
bool object_property_parse(Object *obj, const char *name, const char *value, Error **errp);
/* The property's value as a string (caller frees), or NULL with *errp set. */
char *object_property_print(Object *obj, const char *name, Error **errp);
bool object_property_set_str(Object *obj, const char *name, const char *value, Error **errp);
char *object_property_get_str(Object *obj, const char *name, Error **errp);
bool object_property_set_bool(Object *obj, const char *name, bool value, Error **errp);
bool object_property_get_bool(Object *obj, const char *name, Error **errp);
bool object_property_set_int(Object *obj, const char *name, int64_t value, Error **errp);
int64_t object_property_get_int(Object *obj, const char *name, Error **errp);
bool object_property_set_uint(Object *obj, const char *name, uint64_t value, Error **errp);
uint64_t object_property_get_uint(Object *obj, const char *name, Error **errp);
/* Links: set by object (stored as its canonical path), get the target. */
bool object_property_set_link(Object *obj, const char *name, Object *value, Error **errp);
Object *object_property_get_link(Object *obj, const char *name, Error **errp);

/* ---- the tree -------------------------------------------------------------------- */

/* The root "/" container (created on first use). */
Object *object_get_root(void);
/* Frees the whole tree under the root (tern_cleanup); the next get_root makes a new one. */
void object_root_cleanup(void);
Object *object_get_parent(Object *obj);
/* The child property's name, or NULL when obj is not in the tree. */
const char *object_get_canonical_path_component(const Object *obj);
/* "/machine/peripheral/t0" (caller frees), or NULL when obj is not in the tree. */
char *object_get_canonical_path(const Object *obj);
/* Removes obj from its parent (dropping the tree's reference). */
void object_unparent(Object *obj);
/* The child (or link target) called name directly under parent, or NULL. */
Object *object_resolve_path_component(Object *parent, const char *name);
/*
 * Resolves an absolute or partial path; *ambiguous (may be NULL) is set when
 * a partial path matches more than one object.  NULL when not found.
 */
Object *object_resolve_path(const char *path, bool *ambiguous);
/* Same, but the result must be (or derive from) typename. */
Object *object_resolve_path_type(const char *path, const char *typename, bool *ambiguous);
Object *object_resolve_path_at(Object *parent, const char *path);
/* Calls fn for each child in insertion order; stops at the first non-zero return. */
int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque), void *opaque);
/* Depth-first, parent before children. */
int object_child_foreach_recursive(Object *obj, int (*fn)(Object *child, void *opaque),
                                   void *opaque);

/* The container at path below root ("/peripheral"), created with its parents as needed. */
Object *container_get(Object *root, const char *path);

/* ---- user-creatable objects (-object) ------------------------------------------ */

typedef struct UserCreatableClass {
    ObjectClass parent_class;
    /* Called after the properties are set; may refuse them. */
    bool (*complete)(Object *obj, Error **errp);
} UserCreatableClass;

/* Aborts when klass does not implement TYPE_USER_CREATABLE (a code bug). */
#define USER_CREATABLE_CLASS(klass)                                                                \
    ((UserCreatableClass *)object_class_get_interface_assert(                                      \
        OBJECT_CLASS(klass), TYPE_USER_CREATABLE, __FILE__, __LINE__, __func__))
#define USER_CREATABLE_GET_CLASS(obj) USER_CREATABLE_CLASS(object_get_class(OBJECT(obj)))

/*
 * Creates an object of type with properties keys[i]=values[i], calls its
 * complete(), and adds it as /objects/ID.  Nothing remains on failure.
 */
Object *user_creatable_new(const char *type, const char *id, const char *const *keys,
                           const char *const *values, size_t n, Error **errp);

#endif
