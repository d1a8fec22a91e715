/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qmp-mutate.c - a black-box mutation run over QMP, the way an attacker
 * would try Tern's monitor.
 *
 * The seed is a list of QMP commands clients send (capabilities, status,
 * QOM reads and writes, stop/cont, reset, device and machine queries).  A
 * fixed-seed generator mutates them as JSON: command names swapped, keys
 * dropped or added, any value replaced by a value of another type, numbers
 * at every limit, very long strings, QOM paths with tens of thousands of
 * components, deep nesting.  Each mutant is still one JSON object, so the
 * monitor owes exactly one reply ("return" or "error") to each; events may
 * come between.  Every line written must be a JSON object followed by
 * "\r\n".  The monitor runs in-process on a ringbuf chardev, one machine per
 * session, under the sanitizers in CI; tern_cleanup() must free everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>

#include "core/chardev.h"
#include "core/error.h"
#include "core/tern.h"
#include "qtest/qmp.h"
#include "tests/support/mutate.h"

#define SESSIONS 240
#define MESSAGES 24
#define CMDLINE                                                                                    \
    "tern -nouserconfig -M virt -accel qtest -bios none -display none -nodefaults -no-shutdown "   \
    "-object rng-builtin,id=r0 -device virtio-rng-device,rng=r0,id=rng "                           \
    "-chardev ringbuf,id=m0,size=16M -mon chardev=m0,mode=control"

static const char *const seeds[] = {
    "{\"execute\": \"query-status\"}",
    "{\"execute\": \"query-version\", \"id\": 7}",
    "{\"execute\": \"query-commands\"}",
    "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine\"}}",
    "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/peripheral/rng\"}}",
    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", \"property\": \"type\"}}",
    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine/soc0/harts[0]\", "
    "\"property\": \"hartid\"}}",
    "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"/machine/peripheral/rng\", "
    "\"property\": \"max-bytes\", \"value\": 64}}",
    "{\"execute\": \"qom-list-types\", \"arguments\": {\"abstract\": true}}",
    "{\"execute\": \"stop\"}",
    "{\"execute\": \"cont\"}",
    "{\"execute\": \"system_reset\"}",
    "{\"execute\": \"query-machines\"}",
    "{\"execute\": \"query-cpus-fast\"}",
    "{\"execute\": \"device-list-properties\", \"arguments\": {\"typename\": "
    "\"virtio-rng-device\"}}",
    "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info status\"}}",
    "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtio-rng-device\", \"id\": "
    "\"x\"}}",
    "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"rng\"}}",
    "{\"execute\": \"query-qmp-schema\"}",
    "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}",
};

static const char *const names[] = {
    "query-status",
    "query-version",
    "qom-list",
    "qom-get",
    "qom-set",
    "qom-list-types",
    "stop",
    "cont",
    "system_reset",
    "system_powerdown",
    "device_add",
    "device_del",
    "query-machines",
    "query-cpus-fast",
    "device-list-properties",
    "human-monitor-command",
    "qmp_capabilities",
    "query-commands",
    "nosuch",
    "",
    "execute",
    "arguments",
    "path",
    "property",
    "value",
    "id",
    "driver",
    "typename",
    "command-line",
};

static const char *const strings[] = {
    "",
    "/",
    "//",
    "/machine",
    "/machine/",
    "/machine/unattached",
    "/machine/soc0/harts[0]",
    "/machine/unattached/device[0]",
    "/machine/peripheral-anon",
    "..",
    "type",
    "realized",
    "hartid",
    "max-bytes",
    "period",
    "virtio-rng-device",
    "rng-builtin",
    "info mtree",
    "info qtree",
    "\n",
    "\r\n",
    "\t",
    "\x01",
    "\x7f",
    "\xc3\xa9",
    "%s%n",
    "\\",
    "\"",
    "{",
};

/* Replies seen of each kind: a run that only ever gets errors is not exploring. */
static unsigned returns, errors;

/* A long string: a QOM path of many components, or one character many times. */
static json_t *long_string(GRand *r)
{
    GString *s = g_string_new(NULL);
    guint n = 1000 + mutate_rnd(r, 100000);
    bool path = mutate_rnd(r, 2);

    while (s->len < n) {
        g_string_append(s, path ? "/a" : "x");
    }
    return json_stringn(s->str, s->len);
}

static json_t *random_value(GRand *r, unsigned depth)
{
    switch (mutate_rnd(r, 12)) {
    case 0:
        return json_null();
    case 1:
        return json_boolean(mutate_rnd(r, 2));
    case 2: {
        static const json_int_t ints[] = {
            0, 1, -1, INT32_MAX, INT32_MIN, (json_int_t)UINT32_MAX, INT64_MAX, INT64_MIN, 4096};
        return json_integer(ints[mutate_rnd(r, G_N_ELEMENTS(ints))]);
    }
    case 3:
        return json_real(mutate_rnd(r, 2) ? 1e308 : -0.5);
    case 4:
    case 5:
    case 6:
        return json_string(strings[mutate_rnd(r, G_N_ELEMENTS(strings))]);
    case 7:
        return json_string(names[mutate_rnd(r, G_N_ELEMENTS(names))]);
    case 8:
        return long_string(r);
    case 9: { /* nesting, sometimes deep */
        json_t *v = json_integer(1);
        guint levels = mutate_rnd(r, 2) ? 1 + mutate_rnd(r, 4) : 500 + mutate_rnd(r, 2000);
        for (guint i = 0; i < levels; i++) {
            json_t *outer = mutate_rnd(r, 2) ? json_array() : json_object();
            if (json_is_array(outer)) {
                json_array_append_new(outer, v);
            } else {
                json_object_set_new(outer, "a", v);
            }
            v = outer;
        }
        return v;
    }
    case 10:
        return depth < 3 ? json_pack("{s:o}", names[mutate_rnd(r, G_N_ELEMENTS(names))],
                                     random_value(r, depth + 1))
                         : json_integer(2);
    default:
        return json_array();
    }
}

/* Replaces, drops or adds one member somewhere in the object tree. */
static void mutate_object(GRand *r, json_t *obj, unsigned depth)
{
    const char *keys[16];
    size_t n = 0;
    const char *key;
    json_t *value;

    json_object_foreach(obj, key, value)
    {
        if (n < G_N_ELEMENTS(keys)) {
            keys[n++] = key;
        }
    }
    if (n && mutate_rnd(r, 3) == 0) {
        json_t *child = json_object_get(obj, keys[mutate_rnd(r, (uint32_t)n)]);
        if (json_is_object(child) && depth < 4) {
            mutate_object(r, child, depth + 1);
            return;
        }
    }
    switch (mutate_rnd(r, 4)) {
    case 0: /* drop a member */
        if (n) {
            json_object_del(obj, keys[mutate_rnd(r, (uint32_t)n)]);
        }
        break;
    case 1: /* add one */
        json_object_set_new(obj, names[mutate_rnd(r, G_N_ELEMENTS(names))], random_value(r, depth));
        break;
    default: /* replace a value */
        if (n) {
            json_object_set_new(obj, keys[mutate_rnd(r, (uint32_t)n)], random_value(r, depth));
        }
        break;
    }
}

/* Checks out: JSON objects, one "\r\n" each; returns how many were replies. */
static unsigned count_replies(const char *out, const char *sent)
{
    gchar **lines = g_strsplit(out, "\r\n", -1);
    unsigned replies = 0;

    if (*out && !g_str_has_suffix(out, "\r\n")) {
        fail_msg("%s: output does not end in CRLF: '%.200s'", mutate_current(), out);
    }
    for (gchar **l = lines; *l && **l; l++) {
        json_error_t jerr;
        json_t *msg = json_loads(*l, 0, &jerr);

        if (!json_is_object(msg)) {
            fail_msg("%s: not a JSON object: '%.200s' (%s)", mutate_current(), *l, jerr.text);
        }
        if (json_object_get(msg, "return") || json_object_get(msg, "error")) {
            returns += json_object_get(msg, "return") != NULL;
            errors += json_object_get(msg, "error") != NULL;
            replies++;
        } else if (!json_object_get(msg, "event") && !json_object_get(msg, "QMP")) {
            fail_msg("%s: neither reply nor event: '%.200s' after '%.200s'", mutate_current(), *l,
                     sent);
        }
        json_decref(msg);
    }
    g_strfreev(lines);
    return replies;
}

static char *drain(Chardev *chr)
{
    GString *s = g_string_new(NULL);
    uint8_t buf[8192];
    size_t n;

    while ((n = chardev_ringbuf_read(chr, buf, sizeof(buf))) > 0) {
        g_string_append_len(s, (const char *)buf, n);
    }
    return g_string_free(s, FALSE);
}

static void send_and_check(Chardev *chr, const char *text, unsigned expected)
{
    char *out;

    chardev_deliver_input(chr, (const uint8_t *)text, strlen(text));
    out = drain(chr);
    if (count_replies(out, text) != expected) {
        fail_msg("%s: %u replies expected, got '%.300s'", mutate_current(), expected, out);
    }
    g_free(out);
}

static void run_session(unsigned session)
{
    GRand *r = g_rand_new_with_seed(0x3a9 + session);
    char **argv = NULL;
    int argc = 0;
    Error *err = NULL;
    Chardev *chr;
    char *greeting;

    assert_true(g_shell_parse_argv(CMDLINE, &argc, &argv, NULL));
    if (tern_init(argc, argv, &err) != TERN_INIT_RUN) {
        fail_msg("tern_init: %s", err ? error_get_pretty(err) : "?");
    }
    g_strfreev(argv);
    chr = chardev_find("m0");
    assert_non_null(chr);
    greeting = drain(chr);
    assert_int_equal(count_replies(greeting, ""), 0);
    g_free(greeting);
    mutate_set_current("session %u capabilities", session);
    /* One session in eight leaves capabilities negotiation to the mutants. */
    if (mutate_rnd(r, 8)) {
        send_and_check(chr, "{\"execute\": \"qmp_capabilities\"}", 1);
    }
    for (unsigned i = 0; i < MESSAGES; i++) {
        json_t *msg = json_loads(seeds[mutate_rnd(r, G_N_ELEMENTS(seeds))], 0, NULL);
        unsigned rounds = mutate_rnd(r, 4);
        char *text;

        assert_non_null(msg);
        for (unsigned k = 0; k < rounds; k++) {
            mutate_object(r, msg, 0);
        }
        text = json_dumps(msg, JSON_COMPACT);
        assert_non_null(text);
        mutate_set_current("session %u message %u: %.300s", session, i, text);
        send_and_check(chr, text, 1);
        free(text);
        json_decref(msg);
    }
    qmp_cleanup_all();
    tern_cleanup();
    g_rand_free(r);
}

static void test_seeds_answer_once(void **state)
{
    char **argv = NULL;
    int argc = 0;
    Error *err = NULL;
    Chardev *chr;

    assert_true(g_shell_parse_argv(CMDLINE, &argc, &argv, NULL));
    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_RUN);
    g_strfreev(argv);
    chr = chardev_find("m0");
    g_free(drain(chr));
    send_and_check(chr, "{\"execute\": \"qmp_capabilities\"}", 1);
    for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
        mutate_set_current("seed %zu: %s", i, seeds[i]);
        send_and_check(chr, seeds[i], 1);
    }
    qmp_cleanup_all();
    tern_cleanup();
}

static void test_mutated_sessions(void **state)
{
    unsigned first = (unsigned)(uintptr_t)*state;

    returns = errors = 0;
    for (unsigned i = first; i < first + SESSIONS / 4; i++) {
        run_session(i);
    }
    print_message("# sessions %u-%u: %u returns, %u errors\n", first, first + SESSIONS / 4 - 1,
                  returns, errors);
    assert_true(returns >= 100 && errors >= 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_answer_once),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)0),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)(SESSIONS / 4)),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)(SESSIONS / 2)),
        cmocka_unit_test_prestate(test_mutated_sessions, (void *)(uintptr_t)(3 * SESSIONS / 4)),
    };

    mutate_report_aborts("qmp-mutate");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
