/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-opts.c - option groups: QEMU's key=value syntax, ids, desc checks,
 * merged and repeated keys, atomic parsing, round trips through
 * opts_to_string(), and the entry and value accessors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

#include "core/error.h"
#include "core/opts.h"
#include "tests/support/opts-test.h"

static const OptDesc drive_desc[] = {
    {"file", OPT_STRING, "image file"},
    {"readonly", OPT_BOOL, "open read-only"},
    {"index", OPT_NUMBER, "index"},
    {"size", OPT_SIZE, "a size"},
    {NULL},
};

static const OptDesc memory_desc[] = {
    {"size", OPT_SIZE, "RAM size"},
    {NULL},
};

static const OptDesc run_desc[] = {
    {"serial", OPT_STRING, "may repeat", true},
    {"nographic", OPT_BOOL, "no display"},
    {"cpu", OPT_STRING, "model"},
    {NULL},
};

static OptsList drive_opts = {.name = "drive", .desc = drive_desc};
static OptsList machine_opts = {.name = "machine", .implied_opt_name = "type", .merge_lists = true};
static OptsList memory_opts = {
    .name = "memory", .implied_opt_name = "size", .merge_lists = true, .desc = memory_desc};
static OptsList run_opts = {.name = "run", .merge_lists = true, .desc = run_desc};
static OptsList device_opts = {.name = "device", .implied_opt_name = "driver"};

static void register_test_lists(void)
{
    opts_register(&drive_opts);
    opts_register(&machine_opts);
    opts_register(&memory_opts);
    opts_register(&run_opts);
    opts_register(&device_opts);
}

static int teardown(void **state)
{
    opts_reset_all();
    return 0;
}

/* Parses and expects success. */
static Opts *parse(OptsList *list, const char *params, bool permit_abbrev)
{
    Opts *opts = opts_parse(list, params, permit_abbrev, &error_abort);

    assert_non_null(opts);
    return opts;
}

/* Parses, expects failure, and checks the message. */
static void parse_fails(OptsList *list, const char *params, bool permit_abbrev, const char *message)
{
    Error *err = NULL;

    assert_null(opts_parse(list, params, permit_abbrev, &err));
    assert_non_null(err);
    assert_string_equal(error_get_message(err), message);
    error_free(err);
}

/* ---- syntax ------------------------------------------------------------------- */

static void test_parse_reads_key_value_pairs(void **state)
{
    Opts *opts = parse(&drive_opts, "file=disk.img,index=2", false);

    assert_string_equal(opt_get(opts, "file"), "disk.img");
    assert_string_equal(opt_get(opts, "index"), "2");
    assert_int_equal(opts_test_values(opts), 2);
}

static void test_value_may_contain_equals_sign(void **state)
{
    Opts *opts = parse(&machine_opts, "append=console=ttyS0 root=/dev/vda", false);

    assert_string_equal(opt_get(opts, "append"), "console=ttyS0 root=/dev/vda");
}

static void test_implied_key_takes_first_bare_value(void **state)
{
    Opts *opts = parse(&machine_opts, "virt,dumpdtb=x", true);

    assert_string_equal(opt_get(opts, "type"), "virt");
    assert_string_equal(opt_get(opts, "dumpdtb"), "x");
}

static void test_implied_key_needs_permit_abbrev(void **state)
{
    Opts *opts = parse(&machine_opts, "virt", false);

    assert_null(opt_get(opts, "type"));
    assert_string_equal(opt_get(opts, "virt"), "on");
}

static void test_implied_key_only_for_first_element(void **state)
{
    Opts *opts = parse(&device_opts, "test-device,verbose", true);

    assert_string_equal(opt_get(opts, "driver"), "test-device");
    assert_string_equal(opt_get(opts, "verbose"), "on");
}

static void test_first_element_with_equals_is_not_implied(void **state)
{
    Opts *opts = parse(&device_opts, "bus=b0,test-device", true);

    assert_null(opt_get(opts, "driver"));
    assert_string_equal(opt_get(opts, "bus"), "b0");
    assert_string_equal(opt_get(opts, "test-device"), "on");
}

static void test_list_without_implied_key_reads_bare_first_element_as_flag(void **state)
{
    parse_fails(&drive_opts, "disk.img", true, "Invalid parameter 'disk.img'");
}

static void test_double_comma_is_a_literal_comma(void **state)
{
    Opts *opts = parse(&drive_opts, "file=a,,b,,,,c,index=1", false);

    assert_string_equal(opt_get(opts, "file"), "a,b,,c");
    assert_string_equal(opt_get(opts, "index"), "1");
}

static void test_double_comma_in_implied_value(void **state)
{
    Opts *opts = parse(&device_opts, "x,,y", true);

    assert_string_equal(opt_get(opts, "driver"), "x,y");
}

static void test_bare_flag_means_on(void **state)
{
    Opts *opts = parse(&drive_opts, "file=x,readonly", false);

    assert_string_equal(opt_get(opts, "readonly"), "on");
    assert_true(opt_get_bool(opts, "readonly", false));
}

static void test_no_prefix_means_off_for_described_bool(void **state)
{
    Opts *opts = parse(&drive_opts, "file=x,noreadonly", false);

    assert_string_equal(opt_get(opts, "readonly"), "off");
    assert_false(opt_has(opts, "noreadonly"));
}

static void test_no_prefix_is_a_plain_flag_without_bool_desc(void **state)
{
    Opts *opts = parse(&device_opts, "d,noisy", true);

    assert_string_equal(opt_get(opts, "noisy"), "on");
    assert_false(opt_has(opts, "isy"));
}

static void test_no_prefix_on_non_bool_key_is_refused(void **state)
{
    parse_fails(&drive_opts, "nofile", false, "Invalid parameter 'nofile'");
}

static void test_empty_params_give_no_keys(void **state)
{
    Opts *opts = parse(&drive_opts, "", false);

    assert_int_equal(opts_test_values(opts), 0);
    assert_null(opts_id(opts));
    assert_int_equal(opts_test_entries(&drive_opts), 1);
}

static void test_empty_params_with_implied_key_give_no_keys(void **state)
{
    Opts *opts = parse(&memory_opts, "", true);

    assert_int_equal(opts_test_values(opts), 0);
}

static void test_trailing_comma_is_ignored(void **state)
{
    Opts *opts = parse(&drive_opts, "file=x,", false);

    assert_string_equal(opt_get(opts, "file"), "x");
    assert_int_equal(opts_test_values(opts), 1);
}

static void test_empty_key_is_refused(void **state)
{
    parse_fails(&device_opts, "d,=5", true, "Empty parameter name");
}

static void test_empty_value_is_kept(void **state)
{
    Opts *opts = parse(&drive_opts, "file=", false);

    assert_true(opt_has(opts, "file"));
    assert_string_equal(opt_get(opts, "file"), "");
}

/* ---- ids ------------------------------------------------------------------------ */

static void test_id_names_the_entry_and_is_not_a_key(void **state)
{
    Opts *opts = parse(&drive_opts, "file=x,id=d0", false);

    assert_string_equal(opts_id(opts), "d0");
    assert_null(opt_get(opts, "id"));
    assert_int_equal(opts_test_values(opts), 1);
    assert_ptr_equal(opts_find(&drive_opts, "d0"), opts);
}

static void test_malformed_id_is_refused(void **state)
{
    parse_fails(&drive_opts, "file=x,id=1bad", false, "Parameter 'id' expects an identifier");
    parse_fails(&drive_opts, "file=x,id=", false, "Parameter 'id' expects an identifier");
    assert_int_equal(opts_test_entries(&drive_opts), 0);
}

static void test_duplicate_id_is_refused(void **state)
{
    parse(&drive_opts, "file=x,id=d0", false);
    parse_fails(&drive_opts, "file=y,id=d0", false, "Duplicate ID 'd0' for drive");
    assert_int_equal(opts_test_entries(&drive_opts), 1);
    assert_string_equal(opt_get(opts_find(&drive_opts, "d0"), "file"), "x");
}

static void test_merged_list_refuses_id(void **state)
{
    parse_fails(&machine_opts, "virt,id=m0", true, "Invalid parameter 'id'");
    assert_int_equal(opts_test_entries(&machine_opts), 0);
}

/* ---- desc checks ----------------------------------------------------------------- */

static void test_unknown_key_is_refused_by_name(void **state)
{
    parse_fails(&memory_opts, "256M,slots=2", true, "Invalid parameter 'slots'");
}

static void test_list_without_desc_takes_any_key(void **state)
{
    Opts *opts = parse(&device_opts, "d,anything=1,other=two", true);

    assert_string_equal(opt_get(opts, "anything"), "1");
    assert_string_equal(opt_get(opts, "other"), "two");
}

static void test_key_that_config_files_cannot_hold_is_refused(void **state)
{
    parse_fails(&device_opts, "d,a b=1", true, "Invalid parameter 'a b'");
    parse_fails(&device_opts, "d,q\"=1", true, "Invalid parameter 'q\"'");
    parse_fails(&device_opts, "d,[x]", true, "Invalid parameter '[x]'");
    parse_fails(&device_opts, "d,#c=1", true, "Invalid parameter '#c'");
    parse_fails(&device_opts, "d,tab\t=1", true, "Invalid parameter 'tab\t'");
    assert_int_equal(opts_test_entries(&device_opts), 0);
}

static void test_number_value_is_checked(void **state)
{
    parse_fails(&drive_opts, "index=two", false, "Parameter 'index' expects a number");
    parse_fails(&drive_opts, "index=-1", false, "Parameter 'index' expects a number");
}

static void test_number_value_accepts_hex(void **state)
{
    Opts *opts = parse(&drive_opts, "index=0x10", false);

    assert_int_equal(opt_get_number(opts, "index", 0), 16);
    assert_string_equal(opt_get(opts, "index"), "0x10");
}

static void test_number_out_of_range_is_refused(void **state)
{
    Error *err = NULL;

    assert_null(opts_parse(&drive_opts, "index=18446744073709551616", false, &err));
    assert_non_null(strstr(error_get_message(err), "Parameter 'index' expects a number"));
    error_free(err);
}

static void test_bool_value_is_checked(void **state)
{
    parse_fails(&drive_opts, "readonly=maybe", false, "Parameter 'readonly' expects 'on' or 'off'");
}

static void test_bool_value_accepts_yes_and_no_words(void **state)
{
    Opts *opts = parse(&drive_opts, "readonly=yes", false);

    assert_true(opt_get_bool(opts, "readonly", false));
    assert_string_equal(opt_get(opts, "readonly"), "yes");
}

static void test_size_value_is_checked(void **state)
{
    Error *err = NULL;

    assert_null(opts_parse(&memory_opts, "size=12Q", false, &err));
    assert_true(g_str_has_prefix(error_get_message(err), "Parameter 'size' expects a size"));
    error_free(err);
}

static void test_size_value_is_kept_as_written(void **state)
{
    Opts *opts = parse(&memory_opts, "1.5G", true);

    assert_string_equal(opt_get(opts, "size"), "1.5G");
    assert_true(opt_get_size(opts, "size", 0) == UINT64_C(3) << 29);
}

static void test_error_carries_current_location(void **state)
{
    char *argv[] = {"tern", "-m", "256M,slots=2", NULL};
    Location loc;
    Error *err = NULL;

    loc_push_none(&loc);
    loc_set_cmdline(argv, 1, 2);
    assert_null(opts_parse(&memory_opts, argv[2], true, &err));
    loc_pop(&loc);
    assert_string_equal(error_get_pretty(err), "-m 256M,slots=2: Invalid parameter 'slots'");
    error_free(err);
}

/* ---- atomicity ------------------------------------------------------------------- */

static void test_failed_parse_leaves_merged_entry_unchanged(void **state)
{
    Opts *opts = parse(&run_opts, "cpu=rv64,serial=null", false);
    char *before = opts_to_string(opts);
    char *after;

    parse_fails(&run_opts, "cpu=other,serial=stdio,nographic=bad", false,
                "Parameter 'nographic' expects 'on' or 'off'");
    assert_ptr_equal(opts_find(&run_opts, NULL), opts);
    after = opts_to_string(opts);
    assert_string_equal(after, before);
    g_free(before);
    g_free(after);
}

static void test_failed_parse_adds_no_entry(void **state)
{
    parse(&drive_opts, "file=a", false);
    parse_fails(&drive_opts, "file=b,nosuch=1", false, "Invalid parameter 'nosuch'");
    assert_int_equal(opts_test_entries(&drive_opts), 1);
}

static void test_failed_first_parse_of_merged_list_creates_no_entry(void **state)
{
    parse_fails(&memory_opts, "size=-5", false,
                "Parameter 'size' expects a size (a number with an optional suffix B, K, M, G, "
                "T, P or E)");
    assert_null(opts_find(&memory_opts, NULL));
}

/* ---- merging and repeats --------------------------------------------------------- */

static void test_merged_list_keeps_one_entry(void **state)
{
    Opts *first = parse(&machine_opts, "virt", true);
    Opts *second = parse(&machine_opts, "none,dumpdtb=x", true);

    assert_ptr_equal(first, second);
    assert_int_equal(opts_test_entries(&machine_opts), 1);
    assert_string_equal(opt_get(second, "type"), "none");
    assert_string_equal(opt_get(second, "dumpdtb"), "x");
}

static void test_replaced_value_keeps_its_position(void **state)
{
    Opts *opts = parse(&machine_opts, "virt,a=1", true);
    char *s;

    parse(&machine_opts, "b=2,type=none", false);
    s = opts_to_string(opts);
    assert_string_equal(s, "type=none,a=1,b=2");
    g_free(s);
}

static void test_repeated_key_in_one_params_replaces(void **state)
{
    Opts *opts = parse(&drive_opts, "file=a,file=b", false);

    assert_string_equal(opt_get(opts, "file"), "b");
    assert_int_equal(opts_test_values(opts), 1);
}

static void test_multi_key_appends_and_get_returns_last(void **state)
{
    Opts *opts = parse(&run_opts, "serial=stdio", false);

    parse(&run_opts, "serial=null,serial=file:x", false);
    assert_int_equal(opts_test_values(opts), 3);
    assert_string_equal(opt_get(opts, "serial"), "file:x");
}

static void test_non_merged_list_gets_new_entry_per_parse(void **state)
{
    Opts *a = parse(&drive_opts, "file=a", false);
    Opts *b = parse(&drive_opts, "file=b", false);

    assert_ptr_not_equal(a, b);
    assert_int_equal(opts_test_entries(&drive_opts), 2);
}

/* ---- opts_to_string ------------------------------------------------------------------ */

static void test_to_string_puts_id_first_and_escapes_commas(void **state)
{
    Opts *opts = parse(&drive_opts, "file=a,,b,readonly,id=d0", false);
    char *s = opts_to_string(opts);

    assert_string_equal(s, "id=d0,file=a,,b,readonly=on");
    g_free(s);
}

static void test_to_string_writes_implied_key_by_name(void **state)
{
    char *s = opts_to_string(parse(&device_opts, "test-device,level=5", true));

    assert_string_equal(s, "driver=test-device,level=5");
    g_free(s);
}

static void test_to_string_of_empty_entry_is_empty(void **state)
{
    char *s = opts_to_string(parse(&drive_opts, "", false));

    assert_string_equal(s, "");
    g_free(s);
}

static int append_pair(void *opaque, const char *name, const char *value, Error **errp)
{
    g_string_append_printf(opaque, "[%s=%s]", name, value);
    return 0;
}

static char *dump(const Opts *opts)
{
    GString *s = g_string_new(opts_id(opts) ? opts_id(opts) : "-");

    opt_foreach(opts, append_pair, s, NULL);
    return g_string_free(s, FALSE);
}

static void test_to_string_parses_back_to_same_entry(void **state)
{
    Opts *a = parse(&device_opts, "dev,id=t0,label=with,,comma,,,,two,x=a=b,flag,x=c", true);
    char *s = opts_to_string(a);
    char *before = dump(a);
    char *after;
    Opts *b;

    opts_del(a);
    b = parse(&device_opts, s, false);
    after = dump(b);
    assert_string_equal(after, before);
    g_free(s);
    g_free(before);
    g_free(after);
}

static void test_to_string_round_trips_multi_values(void **state)
{
    Opts *a = parse(&run_opts, "serial=a,serial=b,,c,nographic", false);
    char *s = opts_to_string(a);
    char *before = dump(a);
    char *after;

    opts_del(a);
    after = dump(parse(&run_opts, s, false));
    assert_string_equal(after, before);
    g_free(s);
    g_free(before);
    g_free(after);
}

/* ---- entries --------------------------------------------------------------------------- */

static void test_find_without_id_finds_id_less_entry(void **state)
{
    parse(&drive_opts, "file=a,id=d0", false);
    Opts *anon = parse(&drive_opts, "file=b", false);

    assert_ptr_equal(opts_find(&drive_opts, NULL), anon);
    assert_null(opts_find(&drive_opts, "nosuch"));
}

static void test_create_returns_existing_unless_fail_if_exists(void **state)
{
    Opts *a = opts_create(&drive_opts, "d0", false, &error_abort);

    assert_ptr_equal(opts_create(&drive_opts, "d0", false, &error_abort), a);
    assert_int_equal(opts_test_entries(&drive_opts), 1);
}

static void test_create_refuses_existing_id_with_fail_if_exists(void **state)
{
    Error *err = NULL;

    opts_create(&drive_opts, "d0", true, &error_abort);
    assert_null(opts_create(&drive_opts, "d0", true, &err));
    assert_string_equal(error_get_message(err), "Duplicate ID 'd0' for drive");
    error_free(err);
}

static void test_create_without_id_makes_new_entry_in_non_merged_list(void **state)
{
    Opts *a = opts_create(&drive_opts, NULL, false, &error_abort);
    Opts *b = opts_create(&drive_opts, NULL, false, &error_abort);

    assert_ptr_not_equal(a, b);
    assert_int_equal(opts_test_entries(&drive_opts), 2);
}

static void test_create_in_merged_list_returns_the_one_entry(void **state)
{
    Opts *a = parse(&machine_opts, "virt", true);

    assert_ptr_equal(opts_create(&machine_opts, NULL, false, &error_abort), a);
    assert_ptr_equal(opts_create(&machine_opts, NULL, true, &error_abort), a);
}

static void test_create_refuses_malformed_id(void **state)
{
    Error *err = NULL;

    assert_null(opts_create(&drive_opts, "0x", false, &err));
    assert_string_equal(error_get_message(err), "Parameter 'id' expects an identifier");
    error_free(err);
}

static void test_del_removes_entry_and_frees_its_id(void **state)
{
    Opts *a = parse(&drive_opts, "file=a,id=d0", false);

    opts_del(a);
    assert_null(opts_find(&drive_opts, "d0"));
    assert_int_equal(opts_test_entries(&drive_opts), 0);
    parse(&drive_opts, "file=b,id=d0", false);
}

static void test_entry_knows_its_list(void **state)
{
    assert_ptr_equal(opts_list(parse(&drive_opts, "", false)), &drive_opts);
}

static int collect_id(void *opaque, Opts *opts, Error **errp)
{
    g_string_append_printf(opaque, "%s;", opts_id(opts));
    return 0;
}

static void test_foreach_visits_entries_in_creation_order(void **state)
{
    static const char *const ids[] = {"zeta", "alpha", "mid", "beta"};
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        opts_create(&drive_opts, ids[i], true, &error_abort);
    }
    opts_foreach(&drive_opts, collect_id, s, NULL);
    assert_string_equal(s->str, "zeta;alpha;mid;beta;");
    g_string_free(s, TRUE);
}

static int stop_at_second(void *opaque, Opts *opts, Error **errp)
{
    return ++*(int *)opaque == 2 ? 7 : 0;
}

static void test_foreach_stops_at_first_non_zero_return(void **state)
{
    int calls = 0;

    parse(&drive_opts, "", false);
    parse(&drive_opts, "", false);
    parse(&drive_opts, "", false);
    assert_int_equal(opts_foreach(&drive_opts, stop_at_second, &calls, NULL), 7);
    assert_int_equal(calls, 2);
}

static void test_reset_all_empties_every_group(void **state)
{
    parse(&drive_opts, "file=a,id=d0", false);
    parse(&machine_opts, "virt", true);
    parse(&run_opts, "serial=null", false);
    opts_reset_all();
    assert_int_equal(opts_test_entries(&drive_opts), 0);
    assert_int_equal(opts_test_entries(&machine_opts), 0);
    assert_int_equal(opts_test_entries(&run_opts), 0);
    /* The id is free again. */
    parse(&drive_opts, "file=a,id=d0", false);
}

/* ---- groups ----------------------------------------------------------------------------- */

static void test_find_list_by_name(void **state)
{
    assert_ptr_equal(opts_find_list("drive"), &drive_opts);
    assert_null(opts_find_list("nosuch"));
}

static void test_register_same_list_twice_is_harmless(void **state)
{
    register_test_lists();
    assert_ptr_equal(opts_find_list("memory"), &memory_opts);
}

static void collect_list(OptsList *list, void *opaque)
{
    g_string_append_printf(opaque, "%s;", list->name);
}

static void test_lists_come_in_registration_order(void **state)
{
    GString *s = g_string_new(NULL);

    opts_list_foreach(collect_list, s);
    assert_string_equal(s->str, "drive;machine;memory;run;device;");
    g_string_free(s, TRUE);
}

/* ---- values ------------------------------------------------------------------------------ */

static void test_opt_set_checks_key_and_type(void **state)
{
    Opts *opts = opts_create(&drive_opts, NULL, false, &error_abort);
    Error *err = NULL;

    assert_false(opt_set(opts, "nosuch", "1", &err));
    assert_string_equal(error_get_message(err), "Invalid parameter 'nosuch'");
    error_free_or_abort(&err);
    assert_false(opt_set(opts, "readonly", "perhaps", &err));
    assert_string_equal(error_get_message(err), "Parameter 'readonly' expects 'on' or 'off'");
    error_free(err);
    assert_int_equal(opts_test_values(opts), 0);
}

static void test_opt_set_replaces_value(void **state)
{
    Opts *opts = opts_create(&drive_opts, NULL, false, &error_abort);

    assert_true(opt_set(opts, "file", "a", &error_abort));
    assert_true(opt_set(opts, "file", "b", &error_abort));
    assert_string_equal(opt_get(opts, "file"), "b");
    assert_int_equal(opts_test_values(opts), 1);
}

static void test_opt_set_appends_multi_value(void **state)
{
    Opts *opts = opts_create(&run_opts, NULL, false, &error_abort);

    assert_true(opt_set(opts, "serial", "a", &error_abort));
    assert_true(opt_set(opts, "serial", "b", &error_abort));
    assert_int_equal(opts_test_values(opts), 2);
    assert_string_equal(opt_get(opts, "serial"), "b");
}

static void test_opt_set_id_names_the_entry(void **state)
{
    Opts *a = opts_create(&drive_opts, NULL, false, &error_abort);
    Opts *b = opts_create(&drive_opts, NULL, false, &error_abort);
    Error *err = NULL;

    assert_true(opt_set(a, "id", "d0", &error_abort));
    assert_string_equal(opts_id(a), "d0");
    assert_false(opt_set(b, "id", "d0", &err));
    assert_string_equal(error_get_message(err), "Duplicate ID 'd0' for drive");
    error_free(err);
    assert_null(opts_id(b));
}

static void test_opt_unset_removes_every_value(void **state)
{
    Opts *opts = parse(&run_opts, "serial=a,cpu=x,serial=b", false);

    assert_true(opt_unset(opts, "serial"));
    assert_false(opt_has(opts, "serial"));
    assert_string_equal(opt_get(opts, "cpu"), "x");
    assert_false(opt_unset(opts, "serial"));
}

static void test_typed_getters_return_default_when_absent(void **state)
{
    Opts *opts = parse(&drive_opts, "", false);

    assert_null(opt_get(opts, "file"));
    assert_false(opt_has(opts, "file"));
    assert_true(opt_get_bool(opts, "readonly", true));
    assert_int_equal(opt_get_number(opts, "index", 9), 9);
    assert_int_equal(opt_get_size(opts, "size", 4096), 4096);
}

static void test_typed_getters_parse_values(void **state)
{
    Opts *opts = parse(&drive_opts, "readonly=off,index=010,size=2048k", false);

    assert_false(opt_get_bool(opts, "readonly", true));
    assert_int_equal(opt_get_number(opts, "index", 0), 8);
    assert_int_equal(opt_get_size(opts, "size", 0), 2048 << 10);
}

static void test_typed_getters_on_untyped_list_fall_back_to_default(void **state)
{
    Opts *opts = parse(&device_opts, "d,level=high,flag=maybe", true);

    assert_int_equal(opt_get_number(opts, "level", 3), 3);
    assert_true(opt_get_bool(opts, "flag", true));
}

static void test_opt_foreach_visits_values_in_insertion_order(void **state)
{
    Opts *opts = parse(&device_opts, "d,z=1,a=2,m=3", true);
    GString *s = g_string_new(NULL);

    opt_foreach(opts, append_pair, s, NULL);
    assert_string_equal(s->str, "[driver=d][z=1][a=2][m=3]");
    g_string_free(s, TRUE);
}

static int stop_at_a(void *opaque, const char *name, const char *value, Error **errp)
{
    (*(int *)opaque)++;
    return !strcmp(name, "a") ? -1 : 0;
}

static void test_opt_foreach_stops_at_first_non_zero_return(void **state)
{
    Opts *opts = parse(&device_opts, "d,z=1,a=2,m=3", true);
    int calls = 0;

    assert_int_equal(opt_foreach(opts, stop_at_a, &calls, NULL), -1);
    assert_int_equal(calls, 3);
}

/* ---- help ---------------------------------------------------------------------------------- */

static void test_help_option_is_found_as_an_element(void **state)
{
    assert_true(opts_has_help_option("help"));
    assert_true(opts_has_help_option("?"));
    assert_true(opts_has_help_option("test-device,help"));
    assert_true(opts_has_help_option("a=1,?,b=2"));
}

static void test_help_option_is_not_found_inside_values(void **state)
{
    assert_false(opts_has_help_option(""));
    assert_false(opts_has_help_option("helper"));
    assert_false(opts_has_help_option("x=help"));
    assert_false(opts_has_help_option("a,,help"));
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_parse_reads_key_value_pairs),
        T(test_value_may_contain_equals_sign),
        T(test_implied_key_takes_first_bare_value),
        T(test_implied_key_needs_permit_abbrev),
        T(test_implied_key_only_for_first_element),
        T(test_first_element_with_equals_is_not_implied),
        T(test_list_without_implied_key_reads_bare_first_element_as_flag),
        T(test_double_comma_is_a_literal_comma),
        T(test_double_comma_in_implied_value),
        T(test_bare_flag_means_on),
        T(test_no_prefix_means_off_for_described_bool),
        T(test_no_prefix_is_a_plain_flag_without_bool_desc),
        T(test_no_prefix_on_non_bool_key_is_refused),
        T(test_empty_params_give_no_keys),
        T(test_empty_params_with_implied_key_give_no_keys),
        T(test_trailing_comma_is_ignored),
        T(test_empty_key_is_refused),
        T(test_empty_value_is_kept),
        T(test_id_names_the_entry_and_is_not_a_key),
        T(test_malformed_id_is_refused),
        T(test_duplicate_id_is_refused),
        T(test_merged_list_refuses_id),
        T(test_unknown_key_is_refused_by_name),
        T(test_list_without_desc_takes_any_key),
        T(test_key_that_config_files_cannot_hold_is_refused),
        T(test_number_value_is_checked),
        T(test_number_value_accepts_hex),
        T(test_number_out_of_range_is_refused),
        T(test_bool_value_is_checked),
        T(test_bool_value_accepts_yes_and_no_words),
        T(test_size_value_is_checked),
        T(test_size_value_is_kept_as_written),
        T(test_error_carries_current_location),
        T(test_failed_parse_leaves_merged_entry_unchanged),
        T(test_failed_parse_adds_no_entry),
        T(test_failed_first_parse_of_merged_list_creates_no_entry),
        T(test_merged_list_keeps_one_entry),
        T(test_replaced_value_keeps_its_position),
        T(test_repeated_key_in_one_params_replaces),
        T(test_multi_key_appends_and_get_returns_last),
        T(test_non_merged_list_gets_new_entry_per_parse),
        T(test_to_string_puts_id_first_and_escapes_commas),
        T(test_to_string_writes_implied_key_by_name),
        T(test_to_string_of_empty_entry_is_empty),
        T(test_to_string_parses_back_to_same_entry),
        T(test_to_string_round_trips_multi_values),
        T(test_find_without_id_finds_id_less_entry),
        T(test_create_returns_existing_unless_fail_if_exists),
        T(test_create_refuses_existing_id_with_fail_if_exists),
        T(test_create_without_id_makes_new_entry_in_non_merged_list),
        T(test_create_in_merged_list_returns_the_one_entry),
        T(test_create_refuses_malformed_id),
        T(test_del_removes_entry_and_frees_its_id),
        T(test_entry_knows_its_list),
        T(test_foreach_visits_entries_in_creation_order),
        T(test_foreach_stops_at_first_non_zero_return),
        T(test_reset_all_empties_every_group),
        T(test_find_list_by_name),
        T(test_register_same_list_twice_is_harmless),
        T(test_lists_come_in_registration_order),
        T(test_opt_set_checks_key_and_type),
        T(test_opt_set_replaces_value),
        T(test_opt_set_appends_multi_value),
        T(test_opt_set_id_names_the_entry),
        T(test_opt_unset_removes_every_value),
        T(test_typed_getters_return_default_when_absent),
        T(test_typed_getters_parse_values),
        T(test_typed_getters_on_untyped_list_fall_back_to_default),
        T(test_opt_foreach_visits_values_in_insertion_order),
        T(test_opt_foreach_stops_at_first_non_zero_return),
        T(test_help_option_is_found_as_an_element),
        T(test_help_option_is_not_found_inside_values),
    };

    /*
     * Registered directly, not with opts_init(): the core linked into this
     * test registers its own groups of the same names through
     * module_call_init(MODULE_INIT_OPTS), which nothing here calls.
     */
    register_test_lists();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
