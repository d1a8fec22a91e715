/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-main.c - main() of tern-fuzz in a build without a fuzzing engine
 * (gcc, or clang without -Dfuzzing=true): it runs the input files and
 * directories it is given through the same runner the engines use, one
 * fuzz_run_or_crash() per input, as libFuzzer does when handed files.  The
 * gcc test suite drives every target through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tern.h"
#include "fuzz/fuzz-cli.h"

/* Runs one file; false (after a one-line error) when it cannot be read. */
static bool run_file(const char *path, unsigned *count)
{
    GError *gerr = NULL;
    char *data;
    gsize len;

    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        fprintf(stderr, "tern-fuzz: %s\n", gerr->message);
        g_error_free(gerr);
        return false;
    }
    fuzz_run_or_crash((const uint8_t *)data, len);
    g_free(data);
    (*count)++;
    return true;
}

static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's files in name order (a corpus), or the file itself. */
static bool run_path(const char *path, unsigned *count)
{
    GDir *dir;
    GPtrArray *names;
    const char *n;
    bool ok = true;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        return run_file(path, count);
    }
    dir = g_dir_open(path, 0, NULL);
    if (!dir) {
        fprintf(stderr, "tern-fuzz: %s: cannot open the directory\n", path);
        return false;
    }
    names = g_ptr_array_new_with_free_func(g_free);
    while ((n = g_dir_read_name(dir))) {
        char *full = g_build_filename(path, n, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_REGULAR)) {
            g_ptr_array_add(names, full);
        } else {
            g_free(full);
        }
    }
    g_dir_close(dir);
    g_ptr_array_sort(names, compare_paths);
    for (guint i = 0; ok && i < names->len; i++) {
        ok = run_file(names->pdata[i], count);
    }
    g_ptr_array_free(names, TRUE);
    return ok;
}

int main(int argc, char **argv)
{
    FuzzTarget *t;
    unsigned count = 0, paths = 0;
    int status;

    if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-version"))) {
        printf("tern-fuzz %s\n", TERN_VERSION);
        return 0;
    }
    t = fuzz_cli_start(argc, argv, &status);
    if (!t) {
        return status;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            continue; /* --fuzz-target=, and engine flags this build has no engine for */
        }
        paths++;
        if (!run_path(argv[i], &count)) {
            fuzz_stop();
            return 1;
        }
    }
    if (!paths) {
        fprintf(stderr, "tern-fuzz: this build has no fuzzing engine (configure with "
                        "-Dfuzzing=true): give it input files or directories to run\n");
        fuzz_stop();
        return 1;
    }
    fprintf(stderr, "tern-fuzz: %s: ran %u inputs\n", t->name, count);
    fuzz_stop();
    return 0;
}
