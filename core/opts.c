/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts.c - option groups in QEMU's "key=value,..." syntax (see opts.h).
 *
 * Groups are registered once per process and never freed; their entries are
 * what one start-up asked for and go away with opts_reset_all().  Everything
 * is kept in arrays in insertion order, never in a hash table, so that
 * -writeconfig and opts_to_string() come out the same on every run.
 *
 * Not here: what a value means.  A group's desc says only which keys exist
 * and whether a value is a string, number, size or boolean; whoever consumes
 * the group (vl.c, a device) decides whether it makes sense.
 */
#include "core/opts.h"
#include "core/coverage.h"

#include <errno.h>
#include <string.h>
#include <glib.h>

#include "core/cutils.h"

typedef struct Opt {
    char *name;
    char *value;
} Opt;

struct Opts {
    OptsList *list;
    char *id;
    GPtrArray *opts; /* Opt *, in insertion order */
};

struct OptsListState {
    GPtrArray *entries; /* Opts *, in creation order */
};

/* OptsList *, in registration order. */
static GPtrArray *registry;

static Opt *opt_new(const char *name, const char *value)
{
    Opt *opt = g_new(Opt, 1);

    opt->name = g_strdup(name);
    opt->value = g_strdup(value);
    return opt;
}

static void opt_free(gpointer p)
{
    Opt *opt = p;

    g_free(opt->name);
    g_free(opt->value);
    g_free(opt);
}

static void opts_free(gpointer p)
{
    Opts *opts = p;

    g_ptr_array_free(opts->opts, TRUE);
    g_free(opts->id);
    g_free(opts);
}

/* A list used before (or without) registration still gets somewhere to keep entries. */
static struct OptsListState *list_state(OptsList *list)
{
    if (!list->state) {
        list->state = g_new0(struct OptsListState, 1);
        list->state->entries = g_ptr_array_new_with_free_func(opts_free);
    }
    return list->state;
}

/* ---- groups ---------------------------------------------------------------- */

void opts_register(OptsList *list)
{
    if (!registry) {
        registry = g_ptr_array_new();
    }
    for (guint i = 0; i < registry->len; i++) {
        if (registry->pdata[i] == list) {
            return;
        }
    }
    /* Two groups of one name would make config sections ambiguous: a bug. */
    g_assert(opts_find_list(list->name) == NULL);
    list_state(list);
    g_ptr_array_add(registry, list);
}

OptsList *opts_find_list(const char *name)
{
    for (guint i = 0; registry && name && i < registry->len; i++) {
        OptsList *list = registry->pdata[i];
        if (!strcmp(list->name, name)) {
            return list;
        }
    }
    return NULL;
}

void opts_list_foreach(void (*fn)(OptsList *list, void *opaque), void *opaque)
{
    for (guint i = 0; registry && i < registry->len; i++) {
        fn(registry->pdata[i], opaque);
    }
}

void opts_reset_all(void)
{
    for (guint i = 0; registry && i < registry->len; i++) {
        OptsList *list = registry->pdata[i];
        g_ptr_array_set_size(list_state(list)->entries, 0);
    }
}

/* ---- checks ------------------------------------------------------------------ */

static const OptDesc *find_desc(const OptsList *list, const char *name)
{
    for (const OptDesc *d = list->desc; d && d->name; d++) {
        if (!strcmp(d->name, name)) {
            return d;
        }
    }
    return NULL;
}

/*
 * A list without desc takes any key that -writeconfig can write and
 * -readconfig read back: no blanks or control characters, none of = " [ ]
 * and no leading '#'.  Property names never need them.
 */
static bool key_writable(const char *name)
{
    if (name[0] == '#') {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p <= ' ' || *p == 0x7f || strchr("=\"[]", *p)) {
            return false;
        }
    }
    return true;
}

/* Is name=value acceptable in list? */
static bool check_opt(const OptsList *list, const char *name, const char *value, Error **errp)
{
    const OptDesc *desc;
    uint64_t n;
    bool b;
    int ret;

    if (!*name) {
        error_setg(errp, "Empty parameter name");
        return false;
    }
    if (!list->desc) {
        if (!key_writable(name)) {
            error_setg(errp, "Invalid parameter '%s'", name);
            return false;
        }
        return true;
    }
    desc = find_desc(list, name);
    if (!desc) {
        error_setg(errp, "Invalid parameter '%s'", name);
        return false;
    }
    switch (desc->type) {
    case OPT_STRING:
        return true;
    case OPT_BOOL:
        if (!qemu_parse_bool(value, &b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
            return false;
        }
        return true;
    case OPT_NUMBER:
        ret = qemu_strtou64(value, NULL, 0, &n);
        if (ret == -ERANGE) {
            error_setg(errp, "Parameter '%s' expects a number below 2^64", name);
        } else if (ret < 0) {
            error_setg(errp, "Parameter '%s' expects a number", name);
        }
        return ret == 0;
    case OPT_SIZE:
        ret = qemu_strtosz(value, NULL, &n);
        if (ret == -ERANGE) {
            error_setg(errp, "Parameter '%s' expects a size below 2^64 bytes", name);
        } else if (ret < 0) {
            error_setg(errp,
                       "Parameter '%s' expects a size (a number with an optional suffix B, K, "
                       "M, G, T, P or E)",
                       name);
        }
        return ret == 0;
    }
    return false;
}

/* May an entry of list be called id? (Its uniqueness is checked by the caller.) */
static bool check_id(const OptsList *list, const char *id, Error **errp)
{
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return false;
    }
    if (list->merge_lists) {
        /* A merged group has one entry, and it has no name. */
        error_setg(errp, "Invalid parameter 'id'");
        return false;
    }
    return true;
}

static void error_duplicate_id(const OptsList *list, const char *id, Error **errp)
{
    error_setg(errp, "Duplicate ID '%s' for %s", id, list->name);
}

static bool is_multi(const OptsList *list, const char *name)
{
    const OptDesc *desc = find_desc(list, name);

    return desc && desc->multi;
}

/* Stores a checked value: a multi key gets one more value, any other is replaced in place. */
static void store_opt(Opts *opts, const char *name, const char *value, bool multi)
{
    if (!multi) {
        for (guint i = 0; i < opts->opts->len; i++) {
            Opt *opt = opts->opts->pdata[i];
            if (!strcmp(opt->name, name)) {
                g_free(opt->value);
                opt->value = g_strdup(value);
                return;
            }
        }
    }
    g_ptr_array_add(opts->opts, opt_new(name, value));
}

/* ---- entries ------------------------------------------------------------------- */

static Opts *opts_new(OptsList *list, const char *id)
{
    Opts *opts = g_new0(Opts, 1);

    opts->list = list;
    opts->id = g_strdup(id);
    opts->opts = g_ptr_array_new_with_free_func(opt_free);
    g_ptr_array_add(list_state(list)->entries, opts);
    return opts;
}

Opts *opts_find(OptsList *list, const char *id)
{
    GPtrArray *entries = list_state(list)->entries;

    for (guint i = 0; i < entries->len; i++) {
        Opts *opts = entries->pdata[i];
        if (id ? opts->id && !strcmp(opts->id, id) : !opts->id) {
            return opts;
        }
    }
    return NULL;
}

Opts *opts_create(OptsList *list, const char *id, bool fail_if_exists, Error **errp)
{
    Opts *existing = NULL;

    if (id) {
        if (!check_id(list, id, errp)) {
            return NULL;
        }
        existing = opts_find(list, id);
        if (existing && fail_if_exists) {
            error_duplicate_id(list, id, errp);
            return NULL;
        }
    } else if (list->merge_lists) {
        existing = opts_find(list, NULL);
    }
    return existing ? existing : opts_new(list, id);
}

void opts_del(Opts *opts)
{
    if (opts) {
        g_ptr_array_remove(list_state(opts->list)->entries, opts);
    }
}

const char *opts_id(const Opts *opts)
{
    return opts->id;
}

OptsList *opts_list(const Opts *opts)
{
    return opts->list;
}

int opts_foreach(OptsList *list, int (*fn)(void *opaque, Opts *opts, Error **errp), void *opaque,
                 Error **errp)
{
    GPtrArray *entries = list_state(list)->entries;

    for (guint i = 0; i < entries->len; i++) {
        int ret = fn(opaque, entries->pdata[i], errp);
        if (ret) {
            return ret;
        }
    }
    return 0;
}

/* ---- the key=value syntax ---------------------------------------------------------- */

/*
 * Returns the element at *p with ",," turned into ",", and moves *p past it
 * and its separating comma.  A single comma at the very end ends the last
 * element and starts no new one ("a,b," is "a" and "b").
 */
static char *next_element(const char **p)
{
    GString *element = g_string_new(NULL);
    const char *s = *p;

    while (*s) {
        if (s[0] == ',' && s[1] == ',') {
            g_string_append_c(element, ',');
            s += 2;
        } else if (s[0] == ',') {
            testcase(s[1] == '\0'); /* "a,b," ends with an empty nothing, not an element */
            s++;
            break;
        } else {
            g_string_append_c(element, *s++);
        }
    }
    *p = s;
    return g_string_free(element, FALSE);
}

static void append_escaped(GString *out, const char *text)
{
    for (const char *s = text; *s; s++) {
        if (*s == ',') {
            g_string_append_c(out, ',');
        }
        g_string_append_c(out, *s);
    }
}

bool opts_has_help_option(const char *params)
{
    const char *p = params ? params : "";
    bool found = false;

    while (*p && !found) {
        char *element = next_element(&p);
        found = !strcmp(element, "help") || !strcmp(element, "?");
        g_free(element);
    }
    return found;
}

/*
 * Splits one element into name and value (both newly allocated): "k=v", the
 * implied key's value, "flag" (flag=on) or "noflag" (flag=off, when the desc
 * has a boolean "flag").
 */
static void split_element(const OptsList *list, const char *element, bool implied, char **name,
                          char **value)
{
    const char *eq = strchr(element, '=');
    const OptDesc *desc;

    if (eq) {
        *name = g_strndup(element, eq - element);
        *value = g_strdup(eq + 1);
    } else if (implied) {
        *name = g_strdup(list->implied_opt_name);
        *value = g_strdup(element);
    } else if (!find_desc(list, element) && g_str_has_prefix(element, "no") &&
               (desc = find_desc(list, element + 2)) && desc->type == OPT_BOOL) {
        *name = g_strdup(element + 2);
        *value = g_strdup("off");
    } else {
        *name = g_strdup(element);
        *value = g_strdup("on");
    }
}

Opts *opts_parse(OptsList *list, const char *params, bool permit_abbrev, Error **errp)
{
    /* Everything is checked into these first, so that an error changes nothing. */
    GPtrArray *parsed = g_ptr_array_new_with_free_func(opt_free);
    const char *p = params ? params : "";
    char *id = NULL;
    Opts *opts = NULL;
    bool first = true, ok = true;

    while (ok && *p) {
        char *element = next_element(&p);
        bool implied = first && permit_abbrev && list->implied_opt_name;
        char *name, *value;

        split_element(list, element, implied, &name, &value);
        first = false;
        if (!strcmp(name, "id")) {
            ok = check_id(list, value, errp);
            if (ok) {
                g_free(id);
                id = g_strdup(value);
            }
        } else {
            ok = check_opt(list, name, value, errp);
            if (ok) {
                g_ptr_array_add(parsed, opt_new(name, value));
            }
        }
        g_free(name);
        g_free(value);
        g_free(element);
    }
    if (ok && id && opts_find(list, id)) {
        error_duplicate_id(list, id, errp);
        ok = false;
    }
    if (ok) {
        opts = list->merge_lists ? opts_find(list, NULL) : NULL;
        if (!opts) {
            opts = opts_new(list, id);
        }
        for (guint i = 0; i < parsed->len; i++) {
            Opt *opt = parsed->pdata[i];
            store_opt(opts, opt->name, opt->value, is_multi(list, opt->name));
        }
    }
    g_free(id);
    g_ptr_array_free(parsed, TRUE);
    return opts;
}

char *opts_to_string(const Opts *opts)
{
    GString *out = g_string_new(NULL);

    if (opts->id) {
        g_string_append(out, "id=");
        append_escaped(out, opts->id);
    }
    for (guint i = 0; i < opts->opts->len; i++) {
        Opt *opt = opts->opts->pdata[i];
        if (out->len) {
            g_string_append_c(out, ',');
        }
        append_escaped(out, opt->name);
        g_string_append_c(out, '=');
        append_escaped(out, opt->value);
    }
    return g_string_free(out, FALSE);
}

/* ---- values -------------------------------------------------------------------------- */

/* opt_set(opts, "id", ...) names the entry, under the same rules as "id=" in params. */
static bool set_id(Opts *opts, const char *id, Error **errp)
{
    Opts *other;

    if (!check_id(opts->list, id, errp)) {
        return false;
    }
    other = opts_find(opts->list, id);
    if (other && other != opts) {
        error_duplicate_id(opts->list, id, errp);
        return false;
    }
    g_free(opts->id);
    opts->id = g_strdup(id);
    return true;
}

bool opt_set(Opts *opts, const char *key, const char *value, Error **errp)
{
    if (!strcmp(key, "id")) {
        return set_id(opts, value, errp);
    }
    if (!check_opt(opts->list, key, value, errp)) {
        return false;
    }
    store_opt(opts, key, value, is_multi(opts->list, key));
    return true;
}

const char *opt_get(const Opts *opts, const char *key)
{
    for (guint i = opts->opts->len; i > 0; i--) {
        Opt *opt = opts->opts->pdata[i - 1];
        if (!strcmp(opt->name, key)) {
            return opt->value;
        }
    }
    return NULL;
}

bool opt_has(const Opts *opts, const char *key)
{
    return opt_get(opts, key) != NULL;
}

bool opt_get_bool(const Opts *opts, const char *key, bool defval)
{
    const char *value = opt_get(opts, key);
    bool b;

    return value && qemu_parse_bool(value, &b) ? b : defval;
}

uint64_t opt_get_number(const Opts *opts, const char *key, uint64_t defval)
{
    const char *value = opt_get(opts, key);
    uint64_t n;

    return value && qemu_strtou64(value, NULL, 0, &n) == 0 ? n : defval;
}

uint64_t opt_get_size(const Opts *opts, const char *key, uint64_t defval)
{
    const char *value = opt_get(opts, key);
    uint64_t n;

    return value && qemu_strtosz(value, NULL, &n) == 0 ? n : defval;
}

bool opt_unset(Opts *opts, const char *key)
{
    bool found = false;

    for (guint i = opts->opts->len; i > 0; i--) {
        Opt *opt = opts->opts->pdata[i - 1];
        if (!strcmp(opt->name, key)) {
            g_ptr_array_remove_index(opts->opts, i - 1);
            found = true;
        }
    }
    return found;
}

int opt_foreach(const Opts *opts,
                int (*fn)(void *opaque, const char *name, const char *value, Error **errp),
                void *opaque, Error **errp)
{
    for (guint i = 0; i < opts->opts->len; i++) {
        Opt *opt = opts->opts->pdata[i];
        int ret = fn(opaque, opt->name, opt->value, errp);
        if (ret) {
            return ret;
        }
    }
    return 0;
}
