/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - -readconfig and -writeconfig: option groups as INI files, in
 * QEMU's format.
 *
 *   # comment                      blank lines and '#' lines are skipped
 *   [group]                        a merged group, or the id-less entry
 *   [group "id"]                   the entry with this id
 *     key = "value"                leading spaces are free; the value is quoted
 *
 * Inside quotes, \" and \\ (and \n) are escapes; Tern writes them only for
 * values that need them, so plain files are byte-for-byte QEMU's.  Every
 * error carries the location "FILE:LINE".  Values are checked by the groups'
 * own rules (opts.h); what they mean is checked by whoever reads the group.
 */
#ifndef TERN_CONFIG_H
#define TERN_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

/*
 * Reads path ("-" is stdin) into the registered option groups.  option names
 * the file in errors about the file itself ("-readconfig PATH: is a
 * directory; ..."); it may be a regular file or a pipe (-readconfig <(...)),
 * at most HOSTFILE_CONFIG_MAX_SIZE bytes (core/hostfile.h), stdin too.
 */
bool config_read_file(const char *option, const char *path, Error **errp);
/* Same, from text already in memory; name is used in locations. */
bool config_read_string(const char *name, const char *text, Error **errp);
/* Writes every non-empty group, in registration order, to path ("-": stdout). */
bool config_write_file(const char *path, Error **errp);
void config_write(FILE *out);

#endif
