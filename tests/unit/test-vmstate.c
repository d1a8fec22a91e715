/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-vmstate.c - device state as field tables: every field kind saved and
 * loaded at its size (integers of each width, bool, fixed arrays, nested
 * members, timers armed and disarmed), vmstate_size, loads that fail
 * changing nothing, post_load called once, unsaved scratch members, the
 * plain reload, table validation, and the lookups the snapshot check uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

#include "core/error.h"
#include "core/timer.h"
#include "core/vmstate.h"
#include "tests/support/vmstate-test.h"

typedef struct Inner {
    uint16_t a;
    uint8_t b[3];
} Inner;

/* A device-like struct with one member of every kind a table can list. */
typedef struct Sample {
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    bool flag;
    uint32_t words[5];
    Inner inner;
    Timer *armed;
    Timer *idle;
    Timer *none; /* a timer pointer never created */
    uint8_t scratch[16];
    uint32_t derived; /* recomputed by post_load */
    uint32_t not_listed;
    int post_loads;
} Sample;

static void sample_post_load(void *opaque)
{
    Sample *s = opaque;

    s->derived = s->u32 * 2;
    s->post_loads++;
}

static const VMStateField sample_fields[] = {
    VMSTATE_UINT8(u8, Sample),
    VMSTATE_UINT16(u16, Sample),
    VMSTATE_UINT32(u32, Sample),
    VMSTATE_UINT64(u64, Sample),
    VMSTATE_INT32(i32, Sample),
    VMSTATE_INT64(i64, Sample),
    VMSTATE_BOOL(flag, Sample),
    VMSTATE_ARRAY(words, Sample),
    VMSTATE_UINT16(inner.a, Sample),
    VMSTATE_ARRAY(inner.b, Sample),
    VMSTATE_TIMER_PTR(armed, Sample),
    VMSTATE_TIMER_PTR(idle, Sample),
    VMSTATE_TIMER_PTR(none, Sample),
    VMSTATE_UNSAVED(scratch, Sample),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription sample_vmsd = {
    .name = "sample",
    .fields = sample_fields,
    .post_load = sample_post_load,
};

#define SAMPLE_SAVED_SIZE                                                                          \
    (1 + 2 + 4 + 8 + 4 + 8 + sizeof(bool) + 5 * 4 + 2 + 3 + 3 * 8) /* scratch: 0 bytes */

static int fired;

static void count_fire(void *opaque)
{
    (void)opaque;
    fired++;
}

static int setup(void **state)
{
    Sample *s = g_new0(Sample, 1);

    clock_reset();
    fired = 0;
    s->armed = timer_new_ns(CLOCK_VIRTUAL, count_fire, s);
    s->idle = timer_new_ns(CLOCK_VIRTUAL, count_fire, s);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    Sample *s = *state;

    timer_free(s->armed);
    timer_free(s->idle);
    g_free(s);
    clock_reset();
    return 0;
}

static void fill(Sample *s, uint64_t seed)
{
    s->u8 = (uint8_t)(0xa0 + seed);
    s->u16 = (uint16_t)(0xb1b2 + seed);
    s->u32 = (uint32_t)(0xc1c2c3c4u + seed);
    s->u64 = 0xd1d2d3d4d5d6d7d8ull + seed;
    s->i32 = -1234567 - (int32_t)seed;
    s->i64 = -123456789012345ll - (int64_t)seed;
    s->flag = seed & 1;
    for (int i = 0; i < 5; i++) {
        s->words[i] = (uint32_t)(i * 0x01010101u + seed);
    }
    s->inner.a = (uint16_t)(0x5a5a + seed);
    s->inner.b[0] = (uint8_t)seed;
    s->inner.b[1] = (uint8_t)(seed + 1);
    s->inner.b[2] = (uint8_t)(seed + 2);
}

/* The support library's save and load (the load must succeed; it frees saved), on sample_vmsd. */
static GByteArray *save(const Sample *s)
{
    return vmstate_test_save(&sample_vmsd, s);
}

static void load(Sample *s, GByteArray *saved)
{
    vmstate_test_load(&sample_vmsd, s, saved);
}

/* ---- size and layout ----------------------------------------------------------------- */

static void test_size_is_the_sum_of_saved_field_sizes(void **state)
{
    (void)state;
    assert_int_equal(vmstate_size(&sample_vmsd), SAMPLE_SAVED_SIZE);
}

static void test_save_appends_exactly_size_bytes(void **state)
{
    Sample *s = *state;
    GByteArray *out = g_byte_array_new();

    g_byte_array_append(out, (const guint8 *)"xy", 2);
    vmstate_save(&sample_vmsd, s, out);
    assert_int_equal(out->len, 2 + vmstate_size(&sample_vmsd));
    assert_memory_equal(out->data, "xy", 2);
    g_byte_array_unref(out);
}

static void test_fields_are_saved_in_table_order_at_their_sizes(void **state)
{
    Sample *s = *state;
    GByteArray *out;
    size_t pos = 0;

    fill(s, 3);
    out = save(s);
    assert_memory_equal(out->data + pos, &s->u8, 1);
    pos += 1;
    assert_memory_equal(out->data + pos, &s->u16, 2);
    pos += 2;
    assert_memory_equal(out->data + pos, &s->u32, 4);
    pos += 4;
    assert_memory_equal(out->data + pos, &s->u64, 8);
    pos += 8;
    assert_memory_equal(out->data + pos, &s->i32, 4);
    pos += 4;
    assert_memory_equal(out->data + pos, &s->i64, 8);
    pos += 8;
    assert_memory_equal(out->data + pos, &s->flag, sizeof(bool));
    pos += sizeof(bool);
    assert_memory_equal(out->data + pos, s->words, sizeof(s->words));
    pos += sizeof(s->words);
    assert_memory_equal(out->data + pos, &s->inner.a, 2);
    pos += 2;
    assert_memory_equal(out->data + pos, s->inner.b, 3);
    g_byte_array_unref(out);
}

static void test_an_empty_table_saves_nothing_and_loads_nothing(void **state)
{
    static const VMStateField none[] = {VMSTATE_END_OF_LIST()};
    static const VMStateDescription empty = {.name = "empty", .fields = none};
    Sample *s = *state;
    GByteArray *out = g_byte_array_new();

    assert_int_equal(vmstate_size(&empty), 0);
    vmstate_save(&empty, s, out);
    assert_int_equal(out->len, 0);
    assert_true(vmstate_load(&empty, s, NULL, 0, NULL));
    g_byte_array_unref(out);
}

/* ---- round trips, kind by kind -------------------------------------------------------- */

static void test_round_trip_restores_every_integer_width(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    fill(s, 7);
    out = save(s);
    fill(s, 99);
    load(s, out);
    assert_int_equal(s->u8, (uint8_t)(0xa0 + 7));
    assert_int_equal(s->u16, (uint16_t)(0xb1b2 + 7));
    assert_int_equal(s->u32, 0xc1c2c3c4u + 7);
    assert_true(s->u64 == 0xd1d2d3d4d5d6d7d8ull + 7);
    assert_int_equal(s->i32, -1234567 - 7);
    assert_true(s->i64 == -123456789012345ll - 7);
}

static void test_round_trip_restores_bool(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    s->flag = true;
    out = save(s);
    s->flag = false;
    load(s, out);
    assert_true(s->flag);
}

static void test_round_trip_restores_whole_fixed_arrays(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    fill(s, 1);
    out = save(s);
    memset(s->words, 0xee, sizeof(s->words));
    memset(s->inner.b, 0xee, sizeof(s->inner.b));
    load(s, out);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s->words[i], (uint32_t)(i * 0x01010101u + 1));
    }
    assert_int_equal(s->inner.b[0], 1);
    assert_int_equal(s->inner.b[2], 3);
}

static void test_round_trip_restores_members_of_nested_structs(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    s->inner.a = 0x1234;
    out = save(s);
    s->inner.a = 0;
    load(s, out);
    assert_int_equal(s->inner.a, 0x1234);
}

static void test_members_not_in_the_table_are_left_alone(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    s->not_listed = 1;
    out = save(s);
    s->not_listed = 2;
    load(s, out);
    assert_int_equal(s->not_listed, 2);
}

static void test_unsaved_members_take_no_bytes_and_are_not_loaded(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    memset(s->scratch, 0x11, sizeof(s->scratch));
    out = save(s);
    memset(s->scratch, 0x22, sizeof(s->scratch));
    load(s, out);
    for (size_t i = 0; i < sizeof(s->scratch); i++) {
        assert_int_equal(s->scratch[i], 0x22);
    }
}

/* ---- timers -------------------------------------------------------------------------------- */

static int64_t saved_deadline(const GByteArray *out, size_t timer_index)
{
    int64_t v;
    size_t pos = SAMPLE_SAVED_SIZE - 3 * 8 + timer_index * 8;

    memcpy(&v, out->data + pos, sizeof(v));
    return v;
}

static void test_an_armed_timer_is_saved_as_its_deadline(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    timer_mod_ns(s->armed, 5000);
    out = save(s);
    assert_int_equal(saved_deadline(out, 0), 5000);
    g_byte_array_unref(out);
}

static void test_a_disarmed_or_missing_timer_is_saved_as_minus_one(void **state)
{
    Sample *s = *state;
    GByteArray *out = save(s);

    assert_int_equal(saved_deadline(out, 1), -1);
    assert_int_equal(saved_deadline(out, 2), -1);
    g_byte_array_unref(out);
}

static void test_load_rearms_a_timer_saved_armed(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    timer_mod_ns(s->armed, 5000);
    out = save(s);
    timer_del(s->armed);
    load(s, out);
    assert_true(timer_pending(s->armed));
    assert_int_equal(timer_expire_time_ns(s->armed), 5000);
}

static void test_load_moves_a_timer_armed_elsewhere_back_to_its_saved_deadline(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    timer_mod_ns(s->armed, 5000);
    out = save(s);
    timer_mod_ns(s->armed, 9000);
    load(s, out);
    assert_int_equal(timer_expire_time_ns(s->armed), 5000);
}

static void test_load_disarms_a_timer_saved_disarmed(void **state)
{
    Sample *s = *state;
    GByteArray *out = save(s);

    timer_mod_ns(s->idle, 100);
    load(s, out);
    assert_false(timer_pending(s->idle));
}

static void test_a_rearmed_timer_fires_at_its_saved_deadline(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    timer_mod_ns(s->armed, 5000);
    out = save(s);
    timer_del(s->armed);
    load(s, out);
    clock_step_virtual(4999);
    assert_int_equal(fired, 0);
    clock_step_virtual(1);
    assert_int_equal(fired, 1);
}

static void test_a_saved_deadline_for_a_missing_timer_is_ignored(void **state)
{
    Sample *s = *state;
    GByteArray *out = save(s);
    int64_t deadline = 77;

    memcpy(out->data + SAMPLE_SAVED_SIZE - 8, &deadline, sizeof(deadline));
    load(s, out);
    assert_null(s->none);
}

/* ---- post_load and failures --------------------------------------------------------------- */

static void test_post_load_runs_exactly_once_after_the_fields_are_loaded(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    s->u32 = 21;
    out = save(s);
    s->u32 = 0;
    s->derived = 0;
    load(s, out);
    assert_int_equal(s->post_loads, 1);
    assert_int_equal(s->derived, 42);
}

static void test_a_table_without_post_load_loads(void **state)
{
    static const VMStateField fields[] = {VMSTATE_UINT8(u8, Sample), VMSTATE_END_OF_LIST()};
    static const VMStateDescription plain = {.name = "plain", .fields = fields};
    Sample *s = *state;
    uint8_t byte = 0x42;

    assert_true(vmstate_load(&plain, s, &byte, 1, NULL));
    assert_int_equal(s->u8, 0x42);
    assert_int_equal(s->post_loads, 0);
}

static void test_a_load_of_the_wrong_length_fails_naming_the_table_and_sizes(void **state)
{
    Sample *s = *state;
    GByteArray *out = save(s);
    Error *err = NULL;
    char *expected;

    assert_false(vmstate_load(&sample_vmsd, s, out->data, out->len - 1, &err));
    assert_non_null(err);
    expected = g_strdup_printf("state of 'sample' is %u bytes, expected %u",
                               (unsigned)SAMPLE_SAVED_SIZE - 1, (unsigned)SAMPLE_SAVED_SIZE);
    assert_string_equal(error_get_pretty(err), expected);
    g_free(expected);
    error_free(err);
    g_byte_array_unref(out);
}

static void test_a_failed_load_changes_nothing(void **state)
{
    Sample *s = *state;
    Sample before;
    GByteArray *out;

    fill(s, 5);
    out = save(s);
    fill(s, 6);
    timer_mod_ns(s->armed, 123);
    g_byte_array_append(out, (const guint8 *)"!", 1); /* one byte too many */
    memcpy(&before, s, sizeof(before));
    assert_false(vmstate_load(&sample_vmsd, s, out->data, out->len, NULL));
    assert_memory_equal(&before, s, sizeof(before));
    assert_int_equal(timer_expire_time_ns(s->armed), 123);
    assert_int_equal(s->post_loads, 0);
    g_byte_array_unref(out);
}

static void test_a_failed_load_without_errp_just_returns_false(void **state)
{
    Sample *s = *state;
    uint8_t junk[3] = {0};

    assert_false(vmstate_load(&sample_vmsd, s, junk, sizeof(junk), NULL));
}

/* ---- the plain reload --------------------------------------------------------------------- */

static void test_plain_load_restores_fields_without_timers_or_post_load(void **state)
{
    Sample *s = *state;
    GByteArray *out;

    fill(s, 8);
    timer_mod_ns(s->armed, 5000);
    out = save(s);
    fill(s, 9);
    timer_mod_ns(s->armed, 9000);
    assert_true(vmstate_load_plain(&sample_vmsd, s, out->data, out->len, NULL));
    assert_int_equal(s->u16, (uint16_t)(0xb1b2 + 8));
    assert_int_equal(timer_expire_time_ns(s->armed), 9000);
    assert_int_equal(s->post_loads, 0);
    g_byte_array_unref(out);
}

static void test_plain_load_of_the_wrong_length_fails_changing_nothing(void **state)
{
    Sample *s = *state;
    Sample before;
    uint8_t junk[SAMPLE_SAVED_SIZE + 1];
    Error *err = NULL;

    memset(junk, 0xff, sizeof(junk));
    memcpy(&before, s, sizeof(before));
    assert_false(vmstate_load_plain(&sample_vmsd, s, junk, sizeof(junk), &err));
    assert_non_null(strstr(error_get_pretty(err), "'sample'"));
    assert_memory_equal(&before, s, sizeof(before));
    error_free(err);
}

/* ---- validation ----------------------------------------------------------------------------- */

static void assert_invalid(const VMStateDescription *vmsd, size_t size, const char *expected)
{
    Error *err = NULL;

    assert_false(vmstate_validate(vmsd, size, &err));
    assert_non_null(err);
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
}

/* A table called name listing fields is refused, as assert_invalid, for a Sample. */
static void assert_table_invalid(const char *name, const VMStateField *fields, const char *expected)
{
    const VMStateDescription vmsd = {.name = name, .fields = fields};

    assert_invalid(&vmsd, sizeof(Sample), expected);
}

static void test_a_well_formed_table_validates(void **state)
{
    (void)state;
    assert_true(vmstate_validate(&sample_vmsd, sizeof(Sample), &error_abort));
}

static void test_validation_refuses_a_table_without_a_name_or_fields(void **state)
{
    static const VMStateDescription anonymous = {.fields = sample_fields};
    static const VMStateDescription no_fields = {.name = "hollow"};

    (void)state;
    assert_invalid(&anonymous, sizeof(Sample), "state table (unnamed) has no name");
    assert_invalid(&no_fields, sizeof(Sample), "state table 'hollow' has no field list");
}

static void test_validation_refuses_a_field_outside_the_instance(void **state)
{
    (void)state;
    assert_invalid(&sample_vmsd, offsetof(Sample, u64) + 4,
                   "state table 'sample': field 'u64' (offset 8, 8 bytes) lies outside the "
                   "12-byte instance");
}

static void test_validation_refuses_overlapping_fields(void **state)
{
    static const VMStateField fields[] = {
        VMSTATE_ARRAY(words, Sample),
        {.name = "word2", .offset = offsetof(Sample, words) + 8, .size = 4, .kind = VMS_BYTES},
        VMSTATE_END_OF_LIST(),
    };

    (void)state;
    assert_table_invalid("overlap", fields,
                         "state table 'overlap': fields 'words' and 'word2' overlap");
}

static void test_validation_refuses_a_field_listed_twice(void **state)
{
    static const VMStateField fields[] = {
        VMSTATE_UINT8(u8, Sample),
        VMSTATE_UINT8(u8, Sample),
        VMSTATE_END_OF_LIST(),
    };

    (void)state;
    assert_table_invalid("twice", fields, "state table 'twice': field 'u8' is listed twice");
}

static void test_validation_refuses_an_empty_field(void **state)
{
    static const VMStateField fields[] = {
        {.name = "nothing", .offset = 0, .size = 0, .kind = VMS_BYTES},
        VMSTATE_END_OF_LIST(),
    };

    (void)state;
    assert_table_invalid("zero", fields, "state table 'zero': field 'nothing' is empty");
}

static void test_validation_refuses_a_timer_not_saved_as_eight_bytes(void **state)
{
    static const VMStateField fields[] = {
        {.name = "armed", .offset = offsetof(Sample, armed), .size = 4, .kind = VMS_TIMER},
        VMSTATE_END_OF_LIST(),
    };

    (void)state;
    assert_table_invalid("short-timer", fields,
                         "state table 'short-timer': timer 'armed' is saved as 4 bytes, not 8");
}

static void test_validation_refuses_an_unknown_kind(void **state)
{
    static const VMStateField fields[] = {
        {.name = "odd", .offset = 0, .size = 1, .kind = (VMStateKind)42},
        VMSTATE_END_OF_LIST(),
    };

    (void)state;
    assert_table_invalid("odd-kind", fields,
                         "state table 'odd-kind': field 'odd' has an unknown kind 42");
}

/* ---- lookups for the snapshot check --------------------------------------------------------- */

static void test_field_at_names_the_field_covering_an_offset(void **state)
{
    (void)state;
    assert_string_equal(vmstate_field_at(&sample_vmsd, offsetof(Sample, u64) + 7)->name, "u64");
    assert_string_equal(vmstate_field_at(&sample_vmsd, offsetof(Sample, words) + 13)->name,
                        "words");
    assert_string_equal(vmstate_field_at(&sample_vmsd, offsetof(Sample, armed))->name, "armed");
    assert_string_equal(vmstate_field_at(&sample_vmsd, offsetof(Sample, scratch) + 15)->name,
                        "scratch");
    assert_null(vmstate_field_at(&sample_vmsd, offsetof(Sample, not_listed)));
}

static void test_first_difference_names_the_first_field_that_differs(void **state)
{
    Sample *s = *state;
    GByteArray *a, *b;

    fill(s, 2);
    a = save(s);
    b = save(s);
    assert_null(vmstate_first_difference(&sample_vmsd, a->data, b->data));
    g_byte_array_unref(b);
    s->inner.b[1] ^= 1;
    s->words[4] ^= 1;
    b = save(s);
    assert_string_equal(vmstate_first_difference(&sample_vmsd, a->data, b->data)->name, "words");
    g_byte_array_unref(b);
    timer_mod_ns(s->idle, 1);
    fill(s, 2);
    b = save(s);
    assert_string_equal(vmstate_first_difference(&sample_vmsd, a->data, b->data)->name, "idle");
    g_byte_array_unref(b);
    g_byte_array_unref(a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_size_is_the_sum_of_saved_field_sizes),
        T(test_save_appends_exactly_size_bytes),
        T(test_fields_are_saved_in_table_order_at_their_sizes),
        T(test_an_empty_table_saves_nothing_and_loads_nothing),
        T(test_round_trip_restores_every_integer_width),
        T(test_round_trip_restores_bool),
        T(test_round_trip_restores_whole_fixed_arrays),
        T(test_round_trip_restores_members_of_nested_structs),
        T(test_members_not_in_the_table_are_left_alone),
        T(test_unsaved_members_take_no_bytes_and_are_not_loaded),
        T(test_an_armed_timer_is_saved_as_its_deadline),
        T(test_a_disarmed_or_missing_timer_is_saved_as_minus_one),
        T(test_load_rearms_a_timer_saved_armed),
        T(test_load_moves_a_timer_armed_elsewhere_back_to_its_saved_deadline),
        T(test_load_disarms_a_timer_saved_disarmed),
        T(test_a_rearmed_timer_fires_at_its_saved_deadline),
        T(test_a_saved_deadline_for_a_missing_timer_is_ignored),
        T(test_post_load_runs_exactly_once_after_the_fields_are_loaded),
        T(test_a_table_without_post_load_loads),
        T(test_a_load_of_the_wrong_length_fails_naming_the_table_and_sizes),
        T(test_a_failed_load_changes_nothing),
        T(test_a_failed_load_without_errp_just_returns_false),
        T(test_plain_load_restores_fields_without_timers_or_post_load),
        T(test_plain_load_of_the_wrong_length_fails_changing_nothing),
        T(test_a_well_formed_table_validates),
        T(test_validation_refuses_a_table_without_a_name_or_fields),
        T(test_validation_refuses_a_field_outside_the_instance),
        T(test_validation_refuses_overlapping_fields),
        T(test_validation_refuses_a_field_listed_twice),
        T(test_validation_refuses_an_empty_field),
        T(test_validation_refuses_a_timer_not_saved_as_eight_bytes),
        T(test_validation_refuses_an_unknown_kind),
        T(test_field_at_names_the_field_covering_an_offset),
        T(test_first_difference_names_the_first_field_that_differs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
