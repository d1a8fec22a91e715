/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts.h - option groups: what the user asked for, before anything is built.
 *
 * An OptsList is a group ("machine", "drive", "device" ...) registered once
 * per process from an opts_init() function.  It holds Opts entries; an entry
 * has an optional id and an ordered list of key=value strings.  Values are
 * kept as the user wrote them (after ",," unescaping) so that -writeconfig
 * writes back exactly what was parsed; typed getters parse on demand.
 *
 * Syntax (QEMU's): "value,key=value,flag,noflag,key=a,,b"
 *  - the first element without '=' is the implied key's value when the list
 *    has implied_opt_name and the caller permits it;
 *  - any other element without '=' is a boolean: "flag" means flag=on and,
 *    when the list describes a boolean key "flag", "noflag" means flag=off;
 *  - ",," is a literal comma; "id=" names the entry (must be well formed);
 *  - "help" or "?" as an element asks for help (opts_has_help_option()).
 * A list with a desc table refuses keys not in it and checks values by type;
 * a list without one (machine, device, object) takes any key and leaves the
 * checking to whoever consumes it.
 *
 * Parsing is atomic: on error nothing changes.  Nothing here exits.
 */
#ifndef TERN_OPTS_H
#define TERN_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

typedef enum { OPT_STRING, OPT_BOOL, OPT_NUMBER, OPT_SIZE } OptType;

typedef struct OptDesc {
    const char *name;
    OptType type;
    const char *help;
    bool multi; /* may repeat: every value kept (-serial); otherwise a new value replaces */
} OptDesc;

typedef struct Opts Opts;

typedef struct OptsList {
    const char *name;             /* group name, as in config file sections */
    const char *implied_opt_name; /* key of a leading bare value, or NULL */
    bool merge_lists;             /* one entry; repeated options merge into it */
    const OptDesc *desc;          /* NULL-name terminated, or NULL: any key */
    /* private to opts.c */
    struct OptsListState *state;
} OptsList;

/* Registers a group (from opts_init functions; names are unique). */
void opts_register(OptsList *list);
/* A registered group by name, or NULL. */
OptsList *opts_find_list(const char *name);
/* Calls fn for every registered group in registration order. */
void opts_list_foreach(void (*fn)(OptsList *list, void *opaque), void *opaque);

/*
 * Parses params into list.  Merged lists return their single entry with the
 * new keys merged in (replacing earlier values of non-multi keys); other lists
 * get a new entry, refused when its id is already taken ("Duplicate ID").
 */
Opts *opts_parse(OptsList *list, const char *params, bool permit_abbrev, Error **errp);
/* The entry with this id (NULL: the id-less entry, e.g. of a merged list). */
Opts *opts_find(OptsList *list, const char *id);
/* A new, empty entry.  fail_if_exists: an existing id is an error, else it is returned. */
Opts *opts_create(OptsList *list, const char *id, bool fail_if_exists, Error **errp);
/* Removes the entry from its list and frees it. */
void opts_del(Opts *opts);
const char *opts_id(const Opts *opts);
OptsList *opts_list(const Opts *opts);
/* "key=value,..." (with "id=" first when set, commas escaped), parseable by opts_parse. */
char *opts_to_string(const Opts *opts);
/* Calls fn for every entry in creation order; stops at the first non-zero return. */
int opts_foreach(OptsList *list, int (*fn)(void *opaque, Opts *opts, Error **errp), void *opaque,
                 Error **errp);
/* Removes every entry of every group (tern_cleanup). */
void opts_reset_all(void);

/* Sets key (type-checked against the desc); replaces unless the key is multi. */
bool opt_set(Opts *opts, const char *key, const char *value, Error **errp);
bool opt_has(const Opts *opts, const char *key);
/* The last value of key, or NULL. */
const char *opt_get(const Opts *opts, const char *key);
bool opt_get_bool(const Opts *opts, const char *key, bool defval);
uint64_t opt_get_number(const Opts *opts, const char *key, uint64_t defval);
uint64_t opt_get_size(const Opts *opts, const char *key, uint64_t defval);
/* Removes every value of key; true if there was one. */
bool opt_unset(Opts *opts, const char *key);
/* Calls fn for every key=value in order (multi keys once per value); stops at non-zero. */
int opt_foreach(const Opts *opts,
                int (*fn)(void *opaque, const char *name, const char *value, Error **errp),
                void *opaque, Error **errp);

/* True when params holds a "help" or "?" element. */
bool opts_has_help_option(const char *params);

#endif
