/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qdev.h - devices: objects with static properties, realize/unrealize, reset
 * and GPIO (IRQ) lines.
 *
 * A device type derives from TYPE_DEVICE and fills DeviceClass in its
 * class_init: realize (the part that can fail: map regions, connect lines),
 * unrealize, reset, and a table of static properties (DEFINE_PROP_*) that
 * become class properties writing straight into the instance struct.  Static
 * properties can be set only before realize.  -global defaults (the "global"
 * option group, and qdev_prop_register_global()) apply when an instance is
 * created, before anything else sets its properties.
 *
 * GPIO lines: a device declares inputs (qdev_init_gpio_in[_named]: handlers
 * it owns) and outputs (qdev_init_gpio_out[_named]: pointers to its own
 * qemu_irq fields); a board connects an output to another device's input.
 * Unnamed lines have the name NULL.  The qtest server finds lists by name.
 */
#ifndef TERN_QDEV_H
#define TERN_QDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/irq.h"
#include "core/object.h"
#include "core/vmstate.h"

#define TYPE_DEVICE "device"
/* QEMU's abstract bus type: what a device's "parent_bus" link names. */
#define TYPE_BUS "bus"

typedef struct DeviceState DeviceState;
typedef struct Property Property;

typedef struct NamedGPIOList {
    char *name;   /* NULL: the unnamed list */
    qemu_irq *in; /* inputs, owned */
    int num_in;
    qemu_irq **out; /* outputs: pointers to the device's own qemu_irq fields */
    int num_out;
    struct NamedGPIOList *next;
} NamedGPIOList;

struct DeviceState {
    Object parent_obj;
    char *id; /* -device id=, or NULL */
    bool realized;
    bool hotplugged;    /* created once the machine was ready (QEMU's meaning) */
    Object *parent_bus; /* the bus it is plugged into (not a reference), or NULL */
    NamedGPIOList *gpios;
    /* private: the first -global that failed to apply; creation and realize report it */
    Error *global_error;
};

typedef struct DeviceClass {
    ObjectClass parent_class;
    const char *desc;
    bool user_creatable;  /* may be created with -device */
    bool hotpluggable;    /* true unless a subclass says otherwise (sysbus devices) */
    const char *bus_type; /* the kind of bus -device/device_add plug it into, or NULL */
    const Property *props;
    const VMStateDescription *vmsd; /* the state a snapshot saves; NULL: stateless */
    void (*realize)(DeviceState *dev, Error **errp);
    void (*unrealize)(DeviceState *dev);
    void (*reset)(DeviceState *dev);
} DeviceClass;

#define DEVICE(obj)           OBJECT_CHECK(DeviceState, (obj), TYPE_DEVICE)
#define DEVICE_CLASS(klass)   OBJECT_CLASS_CHECK(DeviceClass, (klass), TYPE_DEVICE)
#define DEVICE_GET_CLASS(obj) OBJECT_GET_CLASS(DeviceClass, (obj), TYPE_DEVICE)

/* ---- static properties ------------------------------------------------------------ */

/* How a static property is stored and parsed; the PropertyInfo objects are in qdev.c. */
typedef struct PropertyInfo {
    const char *type; /* "uint32", "bool", "str", "size", ... as shown in help */
    const char *description;
    /* value -> field; false with *errp on a bad value */
    bool (*parse)(void *field, const Property *prop, const char *value, Error **errp);
    char *(*print)(const void *field, const Property *prop);
    void (*set_default)(void *field, const Property *prop);
    /*
     * Typed access (numbers and flags; NULL for strings and back ends): a
     * value of any kind, refused with parse's messages when out of range.
     */
    bool (*set_value)(void *field, const Property *prop, const ObjectValue *value, Error **errp);
    void (*get_value)(const void *field, const Property *prop, ObjectValue *value);
    void (*release)(void *field, const Property *prop);
} PropertyInfo;

struct Property {
    const char *name;
    const PropertyInfo *info;
    size_t offset;
    uint64_t defval_u; /* integer and bool defaults */
    int64_t defval_i;  /* signed defaults */
    bool set_default;
    uint64_t min, max; /* range for unsigned values; max 0 means the type's maximum */
};

extern const PropertyInfo qdev_prop_bool, qdev_prop_uint8, qdev_prop_uint16, qdev_prop_uint32,
    qdev_prop_uint64, qdev_prop_int32, qdev_prop_int64, qdev_prop_size, qdev_prop_string,
    qdev_prop_chr;

#define DEFINE_PROP_UNSIGNED_(_name, _state, _field, _def, _info, _ctype)                          \
    {                                                                                              \
        .name = (_name), .info = &(_info), .offset = offsetof(_state, _field), .defval_u = (_def), \
        .set_default = true                                                                        \
    }
#define DEFINE_PROP_BOOL(n, s, f, d)   DEFINE_PROP_UNSIGNED_(n, s, f, d, qdev_prop_bool, bool)
#define DEFINE_PROP_UINT8(n, s, f, d)  DEFINE_PROP_UNSIGNED_(n, s, f, d, qdev_prop_uint8, uint8_t)
#define DEFINE_PROP_UINT16(n, s, f, d) DEFINE_PROP_UNSIGNED_(n, s, f, d, qdev_prop_uint16, uint16_t)
#define DEFINE_PROP_UINT32(n, s, f, d) DEFINE_PROP_UNSIGNED_(n, s, f, d, qdev_prop_uint32, uint32_t)
#define DEFINE_PROP_UINT64(n, s, f, d) DEFINE_PROP_UNSIGNED_(n, s, f, d, qdev_prop_uint64, uint64_t)
#define DEFINE_PROP_SIZE(n, s, f, d)   DEFINE_PROP_UNSIGNED_(n, s, f, d, qdev_prop_size, uint64_t)
#define DEFINE_PROP_INT32(_name, _state, _field, _def)                                             \
    {                                                                                              \
        .name = (_name), .info = &qdev_prop_int32, .offset = offsetof(_state, _field),             \
        .defval_i = (_def), .set_default = true                                                    \
    }
#define DEFINE_PROP_INT64(_name, _state, _field, _def)                                             \
    {                                                                                              \
        .name = (_name), .info = &qdev_prop_int64, .offset = offsetof(_state, _field),             \
        .defval_i = (_def), .set_default = true                                                    \
    }
/* A char * field, NULL by default; freed with the device. */
#define DEFINE_PROP_STRING(_name, _state, _field)                                                  \
    {                                                                                              \
        .name = (_name), .info = &qdev_prop_string, .offset = offsetof(_state, _field)             \
    }
/* A struct Chardev * field, set by chardev id ("chardev=ID"). */
#define DEFINE_PROP_CHR(_name, _state, _field)                                                     \
    {                                                                                              \
        .name = (_name), .info = &qdev_prop_chr, .offset = offsetof(_state, _field)                \
    }
#define DEFINE_PROP_END_OF_LIST()                                                                  \
    {                                                                                              \
        .name = NULL                                                                               \
    }

void device_class_set_props(DeviceClass *dc, const Property *props);

/* ---- life cycle ---------------------------------------------------------------------- */

/* A new, unrealized device.  qdev_new aborts on an unknown type (a code bug). */
DeviceState *qdev_new(const char *type);
/* Same; an unknown, abstract or non-device type is an error. */
DeviceState *qdev_try_new(const char *type, Error **errp);
/* Realizes dev (once); on failure dev stays unrealized and *errp says why. */
bool qdev_realize(DeviceState *dev, Error **errp);
/* Adds dev as child name of parent, realizes it, and drops the caller's reference. */
bool qdev_realize_and_unref(DeviceState *dev, Object *parent, const char *name, Error **errp);
void qdev_unrealize(DeviceState *dev);
/* Records the bus dev sits on (NULL: none), which its "parent_bus" property names. */
void qdev_set_parent_bus(DeviceState *dev, Object *bus);
/* The device plugged into bus, or NULL (buses hold one device in Tern: virtio-bus). */
DeviceState *qdev_bus_device(Object *bus);
/* Runs dev's reset handler. */
void device_cold_reset(DeviceState *dev);
/* Resets every realized device under root, depth-first, parent before children. */
void qdev_reset_tree(Object *root);

/* ---- -global ---------------------------------------------------------------------------- */

typedef struct GlobalProperty {
    const char *driver;
    const char *property;
    const char *value;
} GlobalProperty;

/* Registers a default from code (machine compat); kept until qdev_prop_reset_globals. */
void qdev_prop_register_global(const GlobalProperty *prop);
/*
 * Checks every global (registered, and the "global" option group): its driver
 * must be a device type and have the property.  The error names the global.
 */
bool qdev_prop_check_globals(Error **errp);
/* Forgets registered globals (tern_cleanup). */
void qdev_prop_reset_globals(void);

/* ---- GPIO lines ---------------------------------------------------------------------- */

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n);
void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler, const char *name, int n);
/* pins points at n qemu_irq fields of dev; they start unconnected (NULL). */
void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n);
void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins, const char *name, int n);
qemu_irq qdev_get_gpio_in(DeviceState *dev, int n);
qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n);
void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq pin);
void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n, qemu_irq pin);
/*
 * The device whose GPIO input irq is, with the input's list name (NULL:
 * unnamed) and number; NULL (and *n = -1) when irq is NULL or was not made
 * by qdev_init_gpio_in[_named].  Wiring code uses it to tell where an output
 * leads (the device tree's interrupts).
 */
DeviceState *qdev_gpio_in_owner(qemu_irq irq, const char **name, int *n);
/* The list called name (NULL: unnamed), or NULL. */
NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev, const char *name);

#endif
