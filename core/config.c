/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.c - -readconfig and -writeconfig: option groups as INI files in
 * QEMU's format (see config.h).
 *
 * The reader puts every key through opt_set(), so a config file obeys the
 * same rules as the command line; every error is raised with the location
 * "FILE:LINE" current.  The writer is the exact inverse: reading what it
 * wrote and writing again gives the same bytes.
 *
 * Not here: what the values mean, which is checked by whoever consumes the
 * groups (vl.c validates them after each file).
 */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/hostfile.h"
#include "core/opts.h"

/* ---- reading -------------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static char *skip_blanks(char *p)
{
    while (is_blank(*p)) {
        p++;
    }
    return p;
}

/*
 * "[group]" or "[group "id"]", leading and trailing blanks already removed.
 * Returns the entry later keys go to, or NULL with errp set.
 */
static Opts *parse_section(char *line, Error **errp)
{
    char *p = line + 1, *group, *id = NULL;
    size_t len = strcspn(p, " \t[]\"");
    OptsList *list;

    group = p;
    p += len;
    if (len && is_blank(*p)) {
        p = skip_blanks(p);
        if (*p == '"') {
            id = ++p;
            p += strcspn(p, "\"");
            if (*p == '"') {
                *p++ = '\0';
                p = skip_blanks(p);
            }
        }
    }
    if (!len || *p != ']' || p[1]) {
        error_setg(errp, "invalid section header (expected [group] or [group \"id\"])");
        return NULL;
    }
    group[len] = '\0';
    list = opts_find_list(group);
    if (!list) {
        error_setg(errp, "There is no option group '%s'", group);
        return NULL;
    }
    /* Without an id: the merged group's entry, or a new entry of any other group. */
    return opts_create(list, id, id != NULL, errp);
}

/*
 * The quoted value at p (just after the opening quote), unescaped: \" \\ and
 * \n are escapes; any other backslash is kept as it is, as QEMU would read
 * it.  Returns NULL when the closing quote is missing; *rest gets what
 * follows it.
 */
static char *parse_quoted(char *p, char **rest)
{
    GString *value = g_string_new(NULL);

    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == 'n')) {
            p++;
            g_string_append_c(value, *p == 'n' ? '\n' : *p);
        } else {
            g_string_append_c(value, *p);
        }
    }
    if (*p != '"') {
        g_string_free(value, TRUE);
        return NULL;
    }
    *rest = p + 1;
    return g_string_free(value, FALSE);
}

/* "key = "value"" into the current entry. */
static bool parse_assignment(char *line, Opts *current, Error **errp)
{
    size_t len = strcspn(line, " \t=\"[");
    char *p = skip_blanks(line + len), *key, *value, *rest;
    bool ok;

    if (!len || *p != '=') {
        error_setg(errp, "syntax error (expected key = \"value\", [group] or # comment)");
        return false;
    }
    key = g_strndup(line, len);
    if (!current) {
        error_setg(errp, "'%s' is outside any [group] section", key);
        g_free(key);
        return false;
    }
    p = skip_blanks(p + 1);
    if (*p != '"') {
        error_setg(errp, "the value of '%s' must be in double quotes", key);
        g_free(key);
        return false;
    }
    value = parse_quoted(p + 1, &rest);
    if (!value) {
        error_setg(errp, "the value of '%s' has no closing quote", key);
        ok = false;
    } else if (*skip_blanks(rest)) {
        error_setg(errp, "unexpected text after the value of '%s'", key);
        ok = false;
    } else {
        ok = opt_set(current, key, value, errp);
    }
    g_free(key);
    g_free(value);
    return ok;
}

/* Reads len bytes of text; name and the line number are the location of any error. */
static bool parse_config(const char *name, const char *text, size_t len, Error **errp)
{
    const char *end = text + len;
    Opts *current = NULL;
    Location loc;
    bool ok = true;
    int lineno = 0;

    loc_push_none(&loc);
    for (const char *p = text; ok && p < end; lineno++) {
        const char *nl = memchr(p, '\n', end - p);
        size_t n = (nl ? nl : end) - p;
        char *copy = g_strndup(p, n);
        char *line = skip_blanks(copy);
        size_t trim = strlen(line);

        loc_set_file(name, lineno + 1);
        if (memchr(p, '\0', n)) {
            error_setg(errp, "NUL byte in config file");
            ok = false;
        }
        while (trim && is_blank(line[trim - 1])) {
            line[--trim] = '\0';
        }
        if (!ok || !*line || *line == '#') {
            /* blank line or comment */
        } else if (*line == '[') {
            current = parse_section(line, errp);
            ok = current != NULL;
        } else {
            ok = parse_assignment(line, current, errp);
        }
        g_free(copy);
        p += n + 1;
    }
    loc_pop(&loc);
    return ok;
}

bool config_read_string(const char *name, const char *text, Error **errp)
{
    return parse_config(name, text, strlen(text), errp);
}

bool config_read_file(const char *option, const char *path, Error **errp)
{
    bool use_stdin = !strcmp(path, "-");
    char *text = NULL;
    size_t len = 0;
    bool ok;

    /* Bounded either way: standard input obeys the same limit as a file. */
    if (use_stdin) {
        ok = hostfile_read_fd(option, path, STDIN_FILENO, HOSTFILE_CONFIG_MAX_SIZE, NULL, &text,
                              &len, errp);
    } else {
        ok = hostfile_read_all(option, path, HOSTFILE_REGULAR | HOSTFILE_FIFO,
                               HOSTFILE_CONFIG_MAX_SIZE, NULL, &text, &len, errp);
    }
    ok = ok && parse_config(use_stdin ? "stdin" : path, text, len, errp);
    g_free(text);
    return ok;
}

/* ---- writing ---------------------------------------------------------------- */

static void write_quoted(FILE *out, const char *value)
{
    fputc('"', out);
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\') {
            fputc('\\', out);
            fputc(*p, out);
        } else if (*p == '\n') {
            fputs("\\n", out);
        } else {
            fputc(*p, out);
        }
    }
    fputc('"', out);
}

static int write_opt(void *opaque, const char *name, const char *value, Error **errp)
{
    FILE *out = opaque;

    fprintf(out, "  %s = ", name);
    write_quoted(out, value);
    fputc('\n', out);
    return 0;
}

static int write_entry(void *opaque, Opts *opts, Error **errp)
{
    FILE *out = opaque;
    const char *id = opts_id(opts);

    if (id) {
        fprintf(out, "[%s \"%s\"]\n", opts_list(opts)->name, id);
    } else {
        fprintf(out, "[%s]\n", opts_list(opts)->name);
    }
    opt_foreach(opts, write_opt, out, NULL);
    fputc('\n', out);
    return 0;
}

static void write_group(OptsList *list, void *opaque)
{
    opts_foreach(list, write_entry, opaque, NULL);
}

void config_write(FILE *out)
{
    fputs("# tern config file\n\n", out);
    opts_list_foreach(write_group, out);
}

/*
 * Into a temporary file next to path, then renamed over it: a full disk or
 * a crash leaves either the old file or the new one, never half of one.
 */
static bool write_atomically(const char *path, Error **errp)
{
    char *dir = g_path_get_dirname(path);
    char *base = g_path_get_basename(path);
    char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0666);
    int err = fd < 0 ? errno : 0;
    FILE *f = NULL;

    if (!err) {
        f = fdopen(fd, "w");
        if (!f) {
            err = errno;
            close(fd);
        }
    }
    if (f) {
        errno = 0;
        config_write(f);
        if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
            err = errno ? errno : EIO;
        }
        if (fclose(f) != 0 && !err) {
            err = errno;
        }
    }
    if (!err && rename(tmp, path) != 0) {
        err = errno;
    }
    if (err) {
        error_setg_errno(errp, err, "cannot write config file '%s'", path);
        if (fd >= 0) {
            g_unlink(tmp);
        }
    }
    g_free(tmp);
    g_free(base);
    g_free(dir);
    return !err;
}

bool config_write_file(const char *path, Error **errp)
{
    if (strcmp(path, "-")) {
        return write_atomically(path, errp);
    }
    config_write(stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        error_setg_errno(errp, errno, "cannot write the config to stdout");
        return false;
    }
    return true;
}
