/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-cli.c - target selection and the usage list, shared by the engines
 * (../shared/spec/fuzzing.md §3).
 */
#include "fuzz/fuzz-cli.h"
#include "fuzz/fuzz-diff.h"
#include "fuzz/fuzz-reproduce.h"

#include <stdlib.h>
#include <string.h>

#define TARGET_OPT "--fuzz-target="

void fuzz_cli_usage(FILE *out, const char *argv0)
{
    GPtrArray *list = fuzz_targets();

    fprintf(out, "Usage: %s --fuzz-target=FUZZ_TARGET [LIBFUZZER ARGUMENTS]\n", argv0);
    fprintf(out, "\nwhere FUZZ_TARGET is one of:\n");
    for (guint i = 0; i < list->len; i++) {
        FuzzTarget *t = list->pdata[i];
        fprintf(out, " * %s  : %s\n", t->name, t->description);
    }
    fprintf(out, "\nAlternatively, add -target-FUZZ_TARGET to the executable name.\n"
                 "Set FUZZ_SERIALIZE_QTEST=1 to run every access through the qtest protocol\n"
                 "and QTEST_LOG=1 to log it (both together record a reproducible trace).\n"
                 "Other commands: --list (target names), --reproduce CRASH-FILE [--out DIR],\n"
                 "--diff QEMU-BINARY [--diff-rules FILE] INPUT... (docs/fuzzing.md).\n");
    g_ptr_array_free(list, TRUE);
}

/* The target the executable's name or the first argument asks for, or NULL. */
static const char *selected_name(int argc, char **argv, int *opt_index)
{
    const char *suffix = strstr(argv[0], "-target-");

    *opt_index = -1;
    if (suffix) {
        return suffix + strlen("-target-");
    }
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], TARGET_OPT, strlen(TARGET_OPT))) {
            *opt_index = i;
            return argv[i] + strlen(TARGET_OPT);
        }
    }
    return NULL;
}

FuzzTarget *fuzz_cli_start(int argc, char **argv, int *status)
{
    const char *argv0 = argv[0];
    const char *name;
    FuzzTarget *t;
    Error *err = NULL;
    int opt_index;

    fuzz_register_targets();
    *status = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--list")) {
            GPtrArray *list = fuzz_targets();
            for (guint j = 0; j < list->len; j++) {
                printf("%s\n", ((FuzzTarget *)list->pdata[j])->name);
            }
            g_ptr_array_free(list, TRUE);
            return NULL;
        }
    }
    name = selected_name(argc, argv, &opt_index);
    if (!name) {
        fuzz_cli_usage(stdout, argv0);
        return NULL;
    }
    t = fuzz_find_target(name);
    if (!t) {
        fprintf(stderr, "tern-fuzz: %s%s: no such fuzz target (--list shows them)\n",
                opt_index < 0 ? "-target-" : TARGET_OPT, name);
        *status = 1;
        return NULL;
    }
    /* Commands that run the target their own way, before any engine starts. */
    if (fuzz_reproduce_command(t, argc, argv, status) || fuzz_diff_command(t, argc, argv, status)) {
        return NULL;
    }
    if (!fuzz_start(t, &err)) {
        fprintf(stderr, "tern-fuzz: %s\n", error_get_pretty(err));
        error_free(err);
        /* A target that printed its usage (QEMU's generic-fuzz without objects) ends with 0. */
        *status = fuzz_start_declined() ? 0 : 1;
        return NULL;
    }
    return t;
}

/* ---- input files (the engines' file mode, --diff) ------------------------------------------- */

static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *fuzz_cli_input_files(char **paths)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

    for (char **p = paths; *p; p++) {
        GDir *dir = g_file_test(*p, G_FILE_TEST_IS_DIR) ? g_dir_open(*p, 0, NULL) : NULL;
        const char *n;
        guint first = files->len;

        if (!dir) {
            g_ptr_array_add(files, g_strdup(*p)); /* a file, or what fails to read as one */
            continue;
        }
        while ((n = g_dir_read_name(dir))) {
            char *full = g_build_filename(*p, n, NULL);
            if (g_file_test(full, G_FILE_TEST_IS_REGULAR)) {
                g_ptr_array_add(files, full);
            } else {
                g_free(full);
            }
        }
        g_dir_close(dir);
        if (files->len > first) {
            qsort(files->pdata + first, files->len - first, sizeof(gpointer), compare_paths);
        }
    }
    return files;
}

int fuzz_cli_run_files(int argc, char **argv, FuzzTarget *t)
{
    GPtrArray *named = g_ptr_array_new();
    GPtrArray *files;
    int status = 0;

    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-') { /* --fuzz-target= and engine flags are not inputs */
            g_ptr_array_add(named, argv[i]);
        }
    }
    if (!named->len) {
        g_ptr_array_free(named, TRUE);
        return -1;
    }
    g_ptr_array_add(named, NULL);
    files = fuzz_cli_input_files((char **)named->pdata);
    g_ptr_array_free(named, TRUE);
    for (guint i = 0; i < files->len; i++) {
        GError *gerr = NULL;
        char *data;
        gsize len;

        if (!g_file_get_contents(files->pdata[i], &data, &len, &gerr)) {
            fprintf(stderr, "tern-fuzz: %s\n", gerr->message);
            g_error_free(gerr);
            status = 1;
            break;
        }
        fuzz_run_or_crash((const uint8_t *)data, len);
        g_free(data);
    }
    if (!status) {
        fprintf(stderr, "tern-fuzz: %s: ran %u inputs\n", t->name, files->len);
    }
    g_ptr_array_free(files, TRUE);
    return status;
}
