/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-config.c - -readconfig / -writeconfig files: sections, ids, quoting
 * and escapes, every error with its FILE:LINE location, the exact bytes
 * written, write-read-write round trips and atomic file replacement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/config.h"
#include "core/error.h"
#include "core/opts.h"
#include "tests/support/opts-test.h"
#include "tests/support/log-capture.h"
#include "tests/support/tmpdir.h"

static const OptDesc memory_desc[] = {
    {"size", OPT_SIZE, "RAM size"},
    {NULL},
};

static const OptDesc drive_desc[] = {
    {"file", OPT_STRING, "image"},
    {"readonly", OPT_BOOL, "read-only"},
    {NULL},
};

static const OptDesc run_desc[] = {
    {"serial", OPT_STRING, "may repeat", true},
    {"nographic", OPT_BOOL, "no display"},
    {"append", OPT_STRING, "anything"},
    {NULL},
};

static OptsList machine_opts = {.name = "machine", .implied_opt_name = "type", .merge_lists = true};
static OptsList memory_opts = {
    .name = "memory", .implied_opt_name = "size", .merge_lists = true, .desc = memory_desc};
static OptsList drive_opts = {.name = "drive", .desc = drive_desc};
static OptsList device_opts = {.name = "device", .implied_opt_name = "driver"};
static OptsList run_opts = {.name = "run", .merge_lists = true, .desc = run_desc};

static void register_test_lists(void)
{
    opts_register(&machine_opts);
    opts_register(&memory_opts);
    opts_register(&drive_opts);
    opts_register(&device_opts);
    opts_register(&run_opts);
}

static int teardown(void **state)
{
    opts_reset_all();
    return 0;
}

static void read_ok(const char *text)
{
    assert_true(config_read_string("test.cfg", text, &error_abort));
}

/* Reads text, expects failure, and checks "LOCATION: message" exactly. */
static void read_fails(const char *text, const char *pretty)
{
    Error *err = NULL;

    assert_false(config_read_string("test.cfg", text, &err));
    assert_non_null(err);
    assert_string_equal(error_get_pretty(err), pretty);
    error_free(err);
}

/* config_write() into a string. */
static char *written(void)
{
    StreamCapture capture;

    config_write(stream_capture_begin(&capture));
    return stream_capture_end(&capture);
}

/* ---- reading ------------------------------------------------------------------ */

static void test_read_sets_keys_of_merged_group(void **state)
{
    read_ok("[memory]\n  size = \"256M\"\n");
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "256M");
}

static void test_read_section_with_id_creates_named_entry(void **state)
{
    read_ok("[drive \"d0\"]\n  file = \"disk.img\"\n");
    assert_string_equal(opt_get(opts_find(&drive_opts, "d0"), "file"), "disk.img");
}

static void test_read_sections_without_id_of_non_merged_group_are_new_entries(void **state)
{
    read_ok("[drive]\n  file = \"a\"\n[drive]\n  file = \"b\"\n");
    assert_int_equal(opts_test_entries(&drive_opts), 2);
}

static void test_read_sections_of_merged_group_merge(void **state)
{
    read_ok("[machine]\n  type = \"virt\"\n  dumpdtb = \"x\"\n\n[machine]\n  type = \"none\"\n");
    assert_int_equal(opts_test_entries(&machine_opts), 1);
    assert_string_equal(opt_get(opts_find(&machine_opts, NULL), "type"), "none");
    assert_string_equal(opt_get(opts_find(&machine_opts, NULL), "dumpdtb"), "x");
}

static void test_read_merges_into_what_was_already_there(void **state)
{
    opts_parse(&memory_opts, "64M", true, &error_abort);
    read_ok("[memory]\n  size = \"128M\"\n");
    assert_int_equal(opts_test_entries(&memory_opts), 1);
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "128M");
}

static void test_read_skips_comments_and_blank_lines(void **state)
{
    read_ok("# first\n\n   \n  # indented comment\n[memory]\n\n# between\n  size = \"1G\"\n");
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "1G");
}

static void test_read_allows_free_spacing_around_equals(void **state)
{
    read_ok("[memory]\nsize=\"1G\"\n\t size\t =  \"2G\"  \n");
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "2G");
}

static void test_read_accepts_crlf_line_ends(void **state)
{
    read_ok("[drive \"d0\"]\r\n  file = \"x\"\r\n");
    assert_string_equal(opt_get(opts_find(&drive_opts, "d0"), "file"), "x");
}

static void test_read_accepts_missing_final_newline(void **state)
{
    read_ok("[memory]\n  size = \"1G\"");
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "1G");
}

static void test_read_empty_text_changes_nothing(void **state)
{
    read_ok("");
    assert_int_equal(opts_test_entries(&memory_opts), 0);
}

static void test_read_keeps_empty_value(void **state)
{
    read_ok("[run]\n  append = \"\"\n");
    assert_string_equal(opt_get(opts_find(&run_opts, NULL), "append"), "");
}

static void test_read_unescapes_quote_backslash_and_newline(void **state)
{
    read_ok("[run]\n  append = \"say \\\"hi\\\" C:\\\\dir\\nnext\"\n");
    assert_string_equal(opt_get(opts_find(&run_opts, NULL), "append"), "say \"hi\" C:\\dir\nnext");
}

static void test_read_keeps_other_backslashes_as_written(void **state)
{
    read_ok("[run]\n  append = \"a\\tb\\\"\"\n");
    assert_string_equal(opt_get(opts_find(&run_opts, NULL), "append"), "a\\tb\"");
}

static void test_read_value_may_contain_commas_and_equals(void **state)
{
    read_ok("[device]\n  driver = \"d\"\n  label = \"a,b=c\"\n");
    assert_string_equal(opt_get(opts_find(&device_opts, NULL), "label"), "a,b=c");
}

static void test_read_repeated_multi_key_keeps_every_value(void **state)
{
    Opts *run;
    char *s;

    read_ok("[run]\n  serial = \"stdio\"\n  serial = \"null\"\n");
    run = opts_find(&run_opts, NULL);
    s = opts_to_string(run);
    assert_string_equal(s, "serial=stdio,serial=null");
    assert_string_equal(opt_get(run, "serial"), "null");
    g_free(s);
}

static void test_read_id_key_names_the_entry(void **state)
{
    read_ok("[drive]\n  id = \"d1\"\n  file = \"x\"\n");
    assert_non_null(opts_find(&drive_opts, "d1"));
}

/* ---- errors, each at its FILE:LINE ---------------------------------------------- */

static void test_unknown_group_is_refused_at_its_section_line(void **state)
{
    read_fails("# a group Tern does not know\n\n[nosuch]\n  key = \"value\"\n",
               "test.cfg:3: There is no option group 'nosuch'");
}

static void test_key_before_any_section_is_refused(void **state)
{
    read_fails("# key before any section\n  size = \"256M\"\n",
               "test.cfg:2: 'size' is outside any [group] section");
}

static void test_unquoted_value_is_refused(void **state)
{
    read_fails("[memory]\n\n  size = 256M\n",
               "test.cfg:3: the value of 'size' must be in double quotes");
}

static void test_unknown_key_is_refused_at_its_line(void **state)
{
    read_fails("# unknown key\n[memory]\n  nosuch = \"1\"\n",
               "test.cfg:3: Invalid parameter 'nosuch'");
}

static void test_bad_value_is_refused_by_the_group_rules(void **state)
{
    read_fails("[drive]\n  readonly = \"perhaps\"\n",
               "test.cfg:2: Parameter 'readonly' expects 'on' or 'off'");
}

static void test_malformed_section_headers_are_refused(void **state)
{
    static const char *const headers[] = {
        "[memory",      "[]",         "[ memory]",     "[memory] x",
        "[drive \"d0]", "[drive d0]", "[drive\"d0\"]", "[drive \"d0\" x]",
        "[a[b]",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(headers); i++) {
        char *text = g_strdup_printf("# malformed\n%s\n  size = \"1\"\n", headers[i]);
        read_fails(text, "test.cfg:2: invalid section header (expected [group] or [group \"id\"])");
        g_free(text);
    }
}

static void test_missing_closing_quote_is_refused(void **state)
{
    read_fails("[memory]\n  size = \"1G\n", "test.cfg:2: the value of 'size' has no closing quote");
    read_fails("[memory]\n  size = \"1G\\\"\n",
               "test.cfg:2: the value of 'size' has no closing quote");
}

static void test_text_after_value_is_refused(void **state)
{
    read_fails("[memory]\n  size = \"1G\" # comment\n",
               "test.cfg:2: unexpected text after the value of 'size'");
}

static void test_line_that_is_not_an_assignment_is_refused(void **state)
{
    static const char *const lines[] = {"size", "size \"1G\"", "= \"1G\"", "\"size\" = \"1G\""};

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        char *text = g_strdup_printf("[memory]\n%s\n", lines[i]);
        read_fails(text, "test.cfg:2: syntax error (expected key = \"value\", [group] or "
                         "# comment)");
        g_free(text);
    }
}

static void test_duplicate_section_id_is_refused(void **state)
{
    read_fails("[drive \"d0\"]\n  file = \"a\"\n[drive \"d0\"]\n",
               "test.cfg:3: Duplicate ID 'd0' for drive");
}

static void test_malformed_section_id_is_refused(void **state)
{
    read_fails("[drive \"0d\"]\n", "test.cfg:1: Parameter 'id' expects an identifier");
}

static void test_id_on_merged_group_is_refused(void **state)
{
    read_fails("[machine \"m0\"]\n", "test.cfg:1: Invalid parameter 'id'");
}

static void test_reading_stops_at_first_error(void **state)
{
    read_fails("[memory]\n  size = \"1G\"\n  nosuch = \"1\"\n[drive \"d0\"]\n",
               "test.cfg:3: Invalid parameter 'nosuch'");
    assert_null(opts_find(&drive_opts, "d0"));
}

static void test_location_is_restored_after_reading(void **state)
{
    char *argv[] = {"tern", "-readconfig", "x.cfg", NULL};
    Location loc;
    char *where;
    Error *err = NULL;

    loc_push_none(&loc);
    loc_set_cmdline(argv, 1, 2);
    assert_false(config_read_string("x.cfg", "[nosuch]\n", &err));
    where = loc_to_string();
    loc_pop(&loc);
    assert_string_equal(where, "-readconfig x.cfg");
    assert_string_equal(error_get_location(err), "x.cfg:1");
    g_free(where);
    error_free(err);
}

/* ---- files ----------------------------------------------------------------------- */

static char *temp_file(const char *text)
{
    return tmpfile_new("tern-config-XXXXXX", text, -1);
}

static void test_read_file_reads_groups(void **state)
{
    char *path = temp_file("[memory]\n  size = \"64M\"\n");

    assert_true(config_read_file("-readconfig", path, &error_abort));
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "64M");
    tmpfile_remove(path);
}

static void test_read_file_error_location_is_path_and_line(void **state)
{
    char *path = temp_file("[memory]\n  size = 64M\n");
    char *expected = g_strdup_printf("%s:2", path);
    Error *err = NULL;

    assert_false(config_read_file("-readconfig", path, &err));
    assert_string_equal(error_get_location(err), expected);
    error_free(err);
    g_free(expected);
    tmpfile_remove(path);
}

static void test_missing_file_names_path_and_reason(void **state)
{
    Error *err = NULL;

    assert_false(config_read_file("-readconfig", "/nonexistent/dir/tern.cfg", &err));
    assert_string_equal(error_get_pretty(err), "-readconfig /nonexistent/dir/tern.cfg: cannot "
                                               "open: No such file or directory");
    error_free(err);
}

static void test_directory_is_refused_with_reason(void **state)
{
    char *dir = tmpdir_new("tern-config-XXXXXX");
    char *expected;
    Error *err = NULL;

    assert_false(config_read_file("-readconfig", dir, &err));
    assert_non_null(err);
    expected =
        g_strdup_printf("-readconfig %s: is a directory; a regular file or a pipe is needed", dir);
    assert_string_equal(error_get_pretty(err), expected);
    g_free(expected);
    error_free(err);
    tmpdir_remove(dir);
}

static void test_nul_byte_in_file_is_refused(void **state)
{
    static const char text[] = "[memory]\n  size = \"1G\0\"\n";
    char *path = tmpfile_new("tern-config-XXXXXX", text, sizeof(text) - 1);
    char *expected;
    Error *err = NULL;

    assert_false(config_read_file("-readconfig", path, &err));
    expected = g_strdup_printf("%s:2: NUL byte in config file", path);
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
    g_free(expected);
    tmpfile_remove(path);
}

static void test_read_file_dash_reads_stdin(void **state)
{
    char *path = temp_file("[memory]\n  size = \"32M\"\n");
    int saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);

    dup2(fd, STDIN_FILENO);
    close(fd);
    assert_true(config_read_file("-readconfig", "-", &error_abort));
    dup2(saved, STDIN_FILENO);
    close(saved);
    clearerr(stdin);
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "32M");
    tmpfile_remove(path);
}

static void test_endless_stdin_stops_at_the_config_size_limit(void **state)
{
    int saved = dup(STDIN_FILENO);
    int fd = open("/dev/zero", O_RDONLY);
    Error *err = NULL;

    dup2(fd, STDIN_FILENO);
    close(fd);
    assert_false(config_read_file("-readconfig", "-", &err));
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_string_equal(error_get_pretty(err),
                        "-readconfig -: holds more than the limit of 1048576 bytes");
    error_free(err);
}

static void test_a_pipe_is_a_config_file(void **state)
{
    static const char text[] = "[memory]\n  size = \"48M\"\n";
    char *fifo = g_build_filename(g_get_tmp_dir(), "tern-config-fifo-XXXXXX", NULL);
    int fd = g_mkstemp(fifo);
    pid_t writer;
    int status;

    /* A name nobody else has, then a FIFO in its place, fed by a child (as <(...) would). */
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(unlink(fifo), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) {
        int w = open(fifo, O_WRONLY);
        _exit(w >= 0 && write(w, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1 ? 0 : 1);
    }
    assert_true(config_read_file("-readconfig", fifo, &error_abort));
    assert_int_equal(waitpid(writer, &status, 0), writer);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_string_equal(opt_get(opts_find(&memory_opts, NULL), "size"), "48M");
    unlink(fifo);
    g_free(fifo);
}

/* ---- writing --------------------------------------------------------------------- */

static void test_write_with_nothing_set_is_only_the_header(void **state)
{
    char *text = written();

    assert_string_equal(text, "# tern config file\n\n");
    free(text);
}

static void test_write_format_is_qemus(void **state)
{
    char *text;

    opts_parse(&machine_opts, "none", true, &error_abort);
    opts_parse(&memory_opts, "64M", true, &error_abort);
    opts_parse(&drive_opts, "file=a.img,readonly,id=d0", false, &error_abort);
    opts_parse(&device_opts, "test-device,level=5", true, &error_abort);
    text = written();
    assert_string_equal(text, "# tern config file\n"
                              "\n"
                              "[machine]\n"
                              "  type = \"none\"\n"
                              "\n"
                              "[memory]\n"
                              "  size = \"64M\"\n"
                              "\n"
                              "[drive \"d0\"]\n"
                              "  file = \"a.img\"\n"
                              "  readonly = \"on\"\n"
                              "\n"
                              "[device]\n"
                              "  driver = \"test-device\"\n"
                              "  level = \"5\"\n"
                              "\n");
    free(text);
}

static void test_write_follows_registration_then_creation_order(void **state)
{
    char *text;

    opts_parse(&device_opts, "b", true, &error_abort);
    opts_parse(&drive_opts, "id=z", false, &error_abort);
    opts_parse(&drive_opts, "id=a", false, &error_abort);
    opts_parse(&machine_opts, "virt", true, &error_abort);
    text = written();
    assert_string_equal(text, "# tern config file\n\n"
                              "[machine]\n  type = \"virt\"\n\n"
                              "[drive \"z\"]\n\n"
                              "[drive \"a\"]\n\n"
                              "[device]\n  driver = \"b\"\n\n");
    free(text);
}

static void test_write_escapes_quote_backslash_and_newline(void **state)
{
    Opts *run = opts_create(&run_opts, NULL, false, &error_abort);
    char *text;

    opt_set(run, "append", "a \"b\" c:\\d\ne,f", &error_abort);
    text = written();
    assert_non_null(strstr(text, "  append = \"a \\\"b\\\" c:\\\\d\\ne,f\"\n"));
    free(text);
}

static void test_write_read_write_gives_identical_bytes(void **state)
{
    char *first, *second;

    opts_parse(&machine_opts, "virt,append=console=ttyS0", true, &error_abort);
    opts_parse(&memory_opts, "1.5G", true, &error_abort);
    opts_parse(&drive_opts, "file=with,,comma,id=d0,noreadonly", false, &error_abort);
    opts_parse(&drive_opts, "file=anon", false, &error_abort);
    opts_parse(&device_opts, "dev,id=t0,label=q\"uote", true, &error_abort);
    opts_parse(&run_opts, "serial=stdio,serial=null,nographic", false, &error_abort);
    opt_set(opts_find(&run_opts, NULL), "append", "back\\slash\nnewline", &error_abort);
    first = written();
    opts_reset_all();
    read_ok(first);
    second = written();
    assert_string_equal(second, first);
    free(first);
    free(second);
}

static void test_write_file_replaces_target_and_leaves_no_temp_file(void **state)
{
    char *dir = tmpdir_new("tern-config-XXXXXX");
    char *path = g_build_filename(dir, "out.cfg", NULL);
    char *text = NULL, *expected;
    GDir *d;

    assert_true(g_file_set_contents(path, "old contents that are longer than the new\n", -1, NULL));
    opts_parse(&memory_opts, "64M", true, &error_abort);
    assert_true(config_write_file(path, &error_abort));
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    expected = written();
    assert_string_equal(text, expected);
    d = g_dir_open(dir, 0, NULL);
    assert_string_equal(g_dir_read_name(d), "out.cfg");
    assert_null(g_dir_read_name(d));
    g_dir_close(d);
    free(expected);
    g_free(text);
    g_free(path);
    tmpdir_remove(dir);
}

static void test_write_file_uses_ordinary_permissions(void **state)
{
    char *dir = tmpdir_new("tern-config-XXXXXX");
    char *path = g_build_filename(dir, "out.cfg", NULL);
    mode_t mask = umask(022);
    struct stat st;

    assert_true(config_write_file(path, &error_abort));
    umask(mask);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    g_free(path);
    tmpdir_remove(dir);
}

static void test_write_file_failure_names_file_and_writes_nothing(void **state)
{
    char *dir = g_dir_make_tmp("tern-config-XXXXXX", NULL);
    char *path = g_build_filename(dir, "no", "such", "out.cfg", NULL);
    char *expected =
        g_strdup_printf("cannot write config file '%s': No such file or directory", path);
    Error *err = NULL;

    assert_false(config_write_file(path, &err));
    assert_string_equal(error_get_message(err), expected);
    error_free(err);
    assert_true(g_rmdir(dir) == 0); /* still empty */
    g_free(expected);
    g_free(path);
    g_free(dir);
}

static void test_write_file_onto_directory_fails_and_keeps_it(void **state)
{
    char *dir = g_dir_make_tmp("tern-config-XXXXXX", NULL);
    char *target = g_build_filename(dir, "sub", NULL);
    GDir *d;
    Error *err = NULL;

    assert_int_equal(g_mkdir(target, 0755), 0);
    assert_false(config_write_file(target, &err));
    assert_non_null(strstr(error_get_message(err), target));
    error_free(err);
    assert_true(g_file_test(target, G_FILE_TEST_IS_DIR));
    d = g_dir_open(dir, 0, NULL);
    assert_string_equal(g_dir_read_name(d), "sub");
    assert_null(g_dir_read_name(d));
    g_dir_close(d);
    g_rmdir(target);
    g_rmdir(dir);
    g_free(target);
    g_free(dir);
}

static void test_write_file_dash_writes_stdout(void **state)
{
    char *out, *expected;

    opts_parse(&memory_opts, "64M", true, &error_abort);
    capture_stdout_begin();
    assert_true(config_write_file("-", &error_abort));
    out = capture_stdout_end();
    expected = written();
    assert_string_equal(out, expected);
    g_free(out);
    free(expected);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_read_sets_keys_of_merged_group),
        T(test_read_section_with_id_creates_named_entry),
        T(test_read_sections_without_id_of_non_merged_group_are_new_entries),
        T(test_read_sections_of_merged_group_merge),
        T(test_read_merges_into_what_was_already_there),
        T(test_read_skips_comments_and_blank_lines),
        T(test_read_allows_free_spacing_around_equals),
        T(test_read_accepts_crlf_line_ends),
        T(test_read_accepts_missing_final_newline),
        T(test_read_empty_text_changes_nothing),
        T(test_read_keeps_empty_value),
        T(test_read_unescapes_quote_backslash_and_newline),
        T(test_read_keeps_other_backslashes_as_written),
        T(test_read_value_may_contain_commas_and_equals),
        T(test_read_repeated_multi_key_keeps_every_value),
        T(test_read_id_key_names_the_entry),
        T(test_unknown_group_is_refused_at_its_section_line),
        T(test_key_before_any_section_is_refused),
        T(test_unquoted_value_is_refused),
        T(test_unknown_key_is_refused_at_its_line),
        T(test_bad_value_is_refused_by_the_group_rules),
        T(test_malformed_section_headers_are_refused),
        T(test_missing_closing_quote_is_refused),
        T(test_text_after_value_is_refused),
        T(test_line_that_is_not_an_assignment_is_refused),
        T(test_duplicate_section_id_is_refused),
        T(test_malformed_section_id_is_refused),
        T(test_id_on_merged_group_is_refused),
        T(test_reading_stops_at_first_error),
        T(test_location_is_restored_after_reading),
        T(test_read_file_reads_groups),
        T(test_read_file_error_location_is_path_and_line),
        T(test_missing_file_names_path_and_reason),
        T(test_directory_is_refused_with_reason),
        T(test_nul_byte_in_file_is_refused),
        T(test_read_file_dash_reads_stdin),
        T(test_endless_stdin_stops_at_the_config_size_limit),
        T(test_a_pipe_is_a_config_file),
        T(test_write_with_nothing_set_is_only_the_header),
        T(test_write_format_is_qemus),
        T(test_write_follows_registration_then_creation_order),
        T(test_write_escapes_quote_backslash_and_newline),
        T(test_write_read_write_gives_identical_bytes),
        T(test_write_file_replaces_target_and_leaves_no_temp_file),
        T(test_write_file_uses_ordinary_permissions),
        T(test_write_file_failure_names_file_and_writes_nothing),
        T(test_write_file_onto_directory_fails_and_keeps_it),
        T(test_write_file_dash_writes_stdout),
    };

    /*
     * Registered directly, not with opts_init(): the core linked into this
     * test registers its own groups of the same names through
     * module_call_init(MODULE_INIT_OPTS), which nothing here calls.
     */
    register_test_lists();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
