/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qmp.c - the QMP monitor as QEMU's clients see it.
 *
 * Most tests spawn $TERN_BUILD_ROOT/tern-system-riscv64 and talk to it over
 * a unix socket, in each of the ways a monitor can be asked for: -chardev
 * socket,server=on plus -mon, the way libqtest does it (the test listens and
 * Tern connects), -qmp unix:..., and -object monitor-qmp.  The rest run the
 * monitor in-process on a ringbuf chardev, where input can be cut at every
 * byte and thrown at it by the thousand (under ASan in CI).
 *
 * Every message read must be one JSON object followed by "\r\n"; a test
 * never waits more than TIMEOUT_MS for anything, and never leaves a process
 * behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "core/chardev.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/runstate.h"
#include "core/tern.h"
#include "qtest/qmp.h"
#include "tests/support/unix-sock.h"

#define TIMEOUT_MS 20000
#define BASE_ARGS  "-M virt -accel qtest -bios none -display none -audio none -nodefaults"

/* ---- a QMP client ------------------------------------------------------------------ */

typedef struct Client {
    int fd;
    GString *in;    /* received, not yet parsed */
    GQueue events;  /* json_t *: events read while waiting for a reply */
    bool bad_crlf;  /* a '\n' came without its '\r' */
    char last_byte; /* to check "\r\n" across reads */
} Client;

static void client_init(Client *c, int fd)
{
    if (fd >= 0) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); /* never block: poll first */
    }
    c->fd = fd;
    c->in = g_string_new(NULL);
    g_queue_init(&c->events);
    c->bad_crlf = false;
    c->last_byte = 0;
}

static void client_close(Client *c)
{
    json_t *ev;

    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    while ((ev = g_queue_pop_head(&c->events))) {
        json_decref(ev);
    }
    if (c->in) {
        g_string_free(c->in, TRUE);
        c->in = NULL;
    }
}

/* Reads what is there (waiting up to timeout_ms for something); false on EOF or timeout. */
static bool client_fill(Client *c, int timeout_ms)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    char buf[65536];
    ssize_t n;

    if (poll(&p, 1, timeout_ms) <= 0) {
        return false;
    }
    n = read(c->fd, buf, sizeof(buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return true;
    }
    if (n <= 0) {
        return false;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n' && c->last_byte != '\r') {
            c->bad_crlf = true;
        }
        c->last_byte = buf[i];
    }
    g_string_append_len(c->in, buf, n);
    return true;
}

/* One message: a JSON object and its "\r\n".  NULL on EOF or timeout. */
static json_t *client_read_any(Client *c, int timeout_ms)
{
    for (;;) {
        json_error_t err;
        json_t *msg = NULL;
        size_t skip = 0;

        while (skip < c->in->len &&
               (c->in->str[skip] == ' ' || c->in->str[skip] == '\r' || c->in->str[skip] == '\n')) {
            skip++;
        }
        if (skip < c->in->len) {
            msg = json_loadb(c->in->str + skip, c->in->len - skip, JSON_DISABLE_EOF_CHECK, &err);
            if (msg && skip + err.position + 2 <= c->in->len) {
                assert_memory_equal(c->in->str + skip + err.position, "\r\n", 2);
                g_string_erase(c->in, 0, skip + err.position + 2);
                assert_true(json_is_object(msg));
                assert_false(c->bad_crlf);
                return msg;
            }
            json_decref(msg);
            if (!msg && json_error_code(&err) != json_error_premature_end_of_input) {
                fail_msg("unparsable output: %s: %.200s", err.text, c->in->str + skip);
            }
        }
        if (!client_fill(c, timeout_ms)) {
            return NULL;
        }
    }
}

/* The next reply (events on the way are queued). */
static json_t *client_reply(Client *c)
{
    for (;;) {
        json_t *msg = client_read_any(c, TIMEOUT_MS);

        if (!msg) {
            fail_msg("no reply from the monitor");
        }
        if (!json_object_get(msg, "event")) {
            return msg;
        }
        g_queue_push_tail(&c->events, msg);
    }
}

static void client_send_len(Client *c, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        struct pollfd pfd = {.fd = c->fd, .events = POLLOUT};
        ssize_t n;

        if (poll(&pfd, 1, TIMEOUT_MS) <= 0) {
            fail_msg("the monitor does not take input");
        }
        n = write(c->fd, p, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            fail_msg("write to the monitor: %s", n < 0 ? strerror(errno) : "nothing written");
        }
        p += n;
        len -= n;
    }
}

static void client_send(Client *c, const char *text)
{
    client_send_len(c, text, strlen(text));
}

/*
 * Sends a lot, reading what comes back between pieces: Tern stops reading
 * while its replies wait for us, so a client that only writes would block.
 */
static void client_send_draining(Client *c, const void *data, size_t len)
{
    const char *p = data;

    for (size_t done = 0; done < len; done += 4096) {
        client_send_len(c, p + done, MIN(4096, len - done));
        while (client_fill(c, 0)) {
            continue;
        }
    }
}

/* One write: after quit, Tern may be gone before a second one. */
static json_t *client_cmd(Client *c, const char *request)
{
    char *line = g_strconcat(request, "\n", NULL);

    client_send(c, line);
    g_free(line);
    return client_reply(c);
}

/* The next event called name (NULL: any), queued or still to come. */
static json_t *client_event(Client *c, const char *name, int timeout_ms)
{
    for (GList *l = c->events.head; l; l = l->next) {
        const char *ev = json_string_value(json_object_get(l->data, "event"));

        if (!name || !strcmp(ev, name)) {
            json_t *msg = l->data;
            g_queue_delete_link(&c->events, l);
            return msg;
        }
    }
    for (;;) {
        json_t *msg = client_read_any(c, timeout_ms);
        const char *ev;

        if (!msg) {
            return NULL;
        }
        ev = json_string_value(json_object_get(msg, "event"));
        if (ev && (!name || !strcmp(ev, name))) {
            return msg;
        }
        fail_msg("expected event %s, got %s", name ? name : "(any)", json_dumps(msg, JSON_COMPACT));
    }
}

static void assert_return_empty(json_t *rsp)
{
    json_t *ret = json_object_get(rsp, "return");

    if (!json_is_object(ret) || json_object_size(ret) != 0) {
        fail_msg("expected {\"return\": {}}, got %s", json_dumps(rsp, JSON_COMPACT));
    }
    json_decref(rsp);
}

/* rsp is an error of err_class whose desc contains desc_part (NULL: any); frees rsp. */
static void assert_error(json_t *rsp, const char *err_class, const char *desc_part)
{
    json_t *error = json_object_get(rsp, "error");
    const char *cls = json_string_value(json_object_get(error, "class"));
    const char *desc = json_string_value(json_object_get(error, "desc"));

    if (!cls || !desc || strcmp(cls, err_class) || (desc_part && !strstr(desc, desc_part))) {
        fail_msg("expected %s error with \"%s\", got %s", err_class, desc_part ? desc_part : "",
                 json_dumps(rsp, JSON_COMPACT));
    }
    assert_int_equal(json_object_size(error), 2);
    json_decref(rsp);
}

static void negotiate(Client *c)
{
    json_t *greeting = client_read_any(c, TIMEOUT_MS);

    assert_non_null(greeting);
    assert_non_null(json_object_get(greeting, "QMP"));
    json_decref(greeting);
    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
}

/* ---- spawning tern-system-riscv64 ------------------------------------------------- */

typedef struct Run {
    GPid pid;
    char *dir;     /* temporary directory for sockets */
    char *sock;    /* dir/qmp.sock */
    Client client; /* connected to the monitor */
    int listen_fd; /* for the client-socket tests */
} Run;

static Run run; /* one at a time; the teardown ends whatever a failed test left */

static const char *binary(void)
{
    static char *path;

    if (!path) {
        const char *root = getenv("TERN_BUILD_ROOT");
        path = g_build_filename(root ? root : ".", "tern-system-riscv64", NULL);
    }
    return path;
}

static GPid spawn(const char *args)
{
    char *cmdline = g_strdup_printf("'%s' %s", binary(), args);
    char **argv = NULL;
    GError *gerr = NULL;
    GPid pid = 0;

    if (!g_shell_parse_argv(cmdline, NULL, &argv, &gerr) ||
        !g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, &pid, &gerr)) {
        fail_msg("cannot start %s: %s", cmdline, gerr->message);
    }
    g_strfreev(argv);
    g_free(cmdline);
    return pid;
}

/* The exit status, or -1 if it did not end in time (it is then killed). */
static int wait_exit(GPid pid, int timeout_ms)
{
    for (int waited = 0;; waited += 10) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);

        if (r == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (waited >= timeout_ms) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        g_usleep(10000);
    }
}

static bool process_alive(GPid pid)
{
    int status;

    return waitpid(pid, &status, WNOHANG) == 0;
}

/* Connects to a listening Tern, retrying while it starts. */
static int connect_retry(const char *path)
{
    return usock_connect_retry(path, TIMEOUT_MS, run.pid);
}

static int listen_on(const char *path)
{
    return usock_listen(path);
}

static int accept_timeout(int lfd)
{
    return usock_accept(lfd, TIMEOUT_MS, 0);
}

static void run_prepare(void)
{
    run.dir = g_dir_make_tmp("tern-qmp-XXXXXX", NULL);
    assert_non_null(run.dir);
    run.sock = g_build_filename(run.dir, "qmp.sock", NULL);
    run.listen_fd = -1;
    client_init(&run.client, -1);
}

/* Tern with a server socket (args must contain @SOCK@), connected to. */
static Client *start_server(const char *args_fmt, const char *extra)
{
    char **parts;
    char *args, *all;

    run_prepare();
    parts = g_strsplit(args_fmt, "@SOCK@", -1);
    args = g_strjoinv(run.sock, parts);
    g_strfreev(parts);
    all = g_strdup_printf("%s %s %s", BASE_ARGS, args, extra ? extra : "");
    run.pid = spawn(all);
    g_free(all);
    g_free(args);
    run.client.fd = connect_retry(run.sock);
    return &run.client;
}

/* The usual: -chardev socket,server=on,wait=off -mon chardev=char0,mode=control. */
static Client *start(const char *extra)
{
    return start_server("-chardev socket,path=@SOCK@,id=char0,server=on,wait=off "
                        "-mon chardev=char0,mode=control",
                        extra);
}

static Client *start_negotiated(const char *extra)
{
    Client *c = start(extra);

    negotiate(c);
    return c;
}

/* quit: the SHUTDOWN event, then {"return": {}} (QEMU 7.2's order), end of output, exit status 0.
 */
static void quit_and_check(Client *c)
{
    json_t *ev, *data;

    client_send(c, "{\"execute\": \"quit\"}\n");
    ev = client_read_any(c, TIMEOUT_MS);
    assert_non_null(ev);
    assert_string_equal(json_string_value(json_object_get(ev, "event")), "SHUTDOWN");
    assert_return_empty(client_read_any(c, TIMEOUT_MS));
    data = json_object_get(ev, "data");
    assert_true(json_is_false(json_object_get(data, "guest")));
    assert_string_equal(json_string_value(json_object_get(data, "reason")), "host-qmp-quit");
    assert_true(json_is_integer(json_object_get(json_object_get(ev, "timestamp"), "seconds")));
    assert_true(json_is_integer(json_object_get(json_object_get(ev, "timestamp"), "microseconds")));
    json_decref(ev);
    assert_null(client_read_any(c, TIMEOUT_MS)); /* EOF: the process is gone */
    assert_int_equal(wait_exit(run.pid, TIMEOUT_MS), 0);
    run.pid = 0;
}

static int run_teardown(void **state)
{
    if (run.pid) {
        kill(run.pid, SIGKILL);
        waitpid(run.pid, NULL, 0);
        run.pid = 0;
    }
    client_close(&run.client);
    if (run.listen_fd >= 0) {
        close(run.listen_fd);
        run.listen_fd = -1;
    }
    if (run.sock) {
        g_unlink(run.sock);
    }
    if (run.dir) {
        g_rmdir(run.dir);
    }
    g_free(run.sock);
    g_free(run.dir);
    run.sock = run.dir = NULL;
    return 0;
}

/* ---- spawned: the protocol ------------------------------------------------------- */

static void test_greeting_has_qemu_shape(void **state)
{
    Client *c = start(NULL);
    json_t *greeting = client_read_any(c, TIMEOUT_MS);
    json_t *qmp = json_object_get(greeting, "QMP");
    json_t *version = json_object_get(qmp, "version");
    json_t *qemu = json_object_get(version, "qemu");
    json_t *caps = json_object_get(qmp, "capabilities");

    assert_non_null(greeting);
    assert_int_equal(json_object_size(greeting), 1);
    assert_int_equal(json_object_size(qmp), 2);
    assert_true(json_is_integer(json_object_get(qemu, "major")));
    assert_true(json_is_integer(json_object_get(qemu, "minor")));
    assert_true(json_is_integer(json_object_get(qemu, "micro")));
    assert_true(g_str_has_prefix(json_string_value(json_object_get(version, "package")), "Tern "));
    assert_int_equal(json_array_size(caps), 1);
    assert_string_equal(json_string_value(json_array_get(caps, 0)), "oob");
    json_decref(greeting);
    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    quit_and_check(c);
}

static void test_commands_need_capabilities_first(void **state)
{
    Client *c = start(NULL);

    json_decref(client_read_any(c, TIMEOUT_MS));
    assert_error(client_cmd(c, "{\"execute\": \"query-status\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    assert_error(client_cmd(c, "{\"execute\": \"nosuch\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    /* Other errors keep their own text. */
    assert_error(client_cmd(c, "{\"arguments\": {}}"), "GenericError",
                 "QMP input lacks member 'execute'");
    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    quit_and_check(c);
}

static void test_capabilities_twice_is_refused(void **state)
{
    Client *c = start_negotiated(NULL);

    assert_error(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"), "CommandNotFound",
                 "Capabilities negotiation is already complete, command ignored");
    quit_and_check(c);
}

static void test_capabilities_enable_checks_its_values(void **state)
{
    Client *c = start(NULL);

    json_decref(client_read_any(c, TIMEOUT_MS));
    assert_error(client_cmd(c, "{\"execute\": \"qmp_capabilities\", "
                               "\"arguments\": {\"enable\": [\"nosuch\"]}}"),
                 "GenericError", "does not accept value 'nosuch'");
    assert_error(client_cmd(c, "{\"execute\": \"qmp_capabilities\", "
                               "\"arguments\": {\"enable\": \"oob\"}}"),
                 "GenericError", "Invalid parameter type for 'enable', expected: array");
    assert_error(client_cmd(c, "{\"execute\": \"qmp_capabilities\", "
                               "\"arguments\": {\"enable\": [1]}}"),
                 "GenericError", "expected: string");
    /* Still negotiating after those. */
    assert_error(client_cmd(c, "{\"execute\": \"query-status\"}"), "CommandNotFound", NULL);
    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\", "
                                      "\"arguments\": {\"enable\": [\"oob\"]}}"));
    /* With oob on, exec-oob is understood, and no command here allows it. */
    assert_error(client_cmd(c, "{\"exec-oob\": \"query-status\", \"id\": 1}"), "GenericError",
                 "The command query-status does not support OOB");
    assert_error(client_cmd(c, "{\"exec-oob\": \"nosuch\", \"id\": 2}"), "CommandNotFound",
                 "The command nosuch has not been found");
    assert_error(client_cmd(c, "{\"exec-oob\": \"stop\", \"execute\": \"stop\"}"), "GenericError",
                 "clashes with");
    quit_and_check(c);
}

static void test_exec_oob_is_unexpected_without_the_capability(void **state)
{
    Client *c = start_negotiated(NULL);

    assert_error(client_cmd(c, "{\"exec-oob\": \"query-status\"}"), "GenericError",
                 "QMP input member 'exec-oob' is unexpected");
    quit_and_check(c);
}

static void test_id_is_echoed(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp, *id = json_pack("{s:[i,f,n]}", "a", 1, 2.5);

    rsp = client_cmd(c, "{\"execute\": \"query-status\", \"id\": \"abc\"}");
    assert_string_equal(json_string_value(json_object_get(rsp, "id")), "abc");
    json_decref(rsp);
    rsp = client_cmd(c, "{\"id\": 42, \"execute\": \"stop\"}");
    assert_int_equal(json_integer_value(json_object_get(rsp, "id")), 42);
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": \"nosuch\", \"id\": {\"a\": [1, 2.5, null]}}");
    assert_true(json_equal(json_object_get(rsp, "id"), id));
    json_decref(id);
    assert_non_null(json_object_get(rsp, "error"));
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": 1, \"id\": \"bad\"}");
    assert_string_equal(json_string_value(json_object_get(rsp, "id")), "bad");
    assert_error(rsp, "GenericError", "QMP input member 'execute' must be a string");
    /* No id, no "id" member. */
    rsp = client_cmd(c, "{\"execute\": \"query-status\"}");
    assert_null(json_object_get(rsp, "id"));
    json_decref(rsp);
    quit_and_check(c);
}

static void assert_status(Client *c, bool running, const char *status)
{
    json_t *rsp = client_cmd(c, "{\"execute\": \"query-status\"}");
    json_t *ret = json_object_get(rsp, "return");

    assert_int_equal(json_object_size(ret), 3);
    assert_int_equal(json_is_true(json_object_get(ret, "running")), running);
    assert_true(json_is_false(json_object_get(ret, "singlestep")));
    assert_string_equal(json_string_value(json_object_get(ret, "status")), status);
    json_decref(rsp);
}

static void test_query_status_running_then_prelaunch_with_S(void **state)
{
    Client *c = start_negotiated(NULL);

    assert_status(c, true, "running");
    quit_and_check(c);
    run_teardown(NULL);
    c = start_negotiated("-S");
    assert_status(c, false, "prelaunch");
    quit_and_check(c);
}

static void test_stop_and_cont_emit_events(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *ev;

    /* As QEMU: STOP comes before the reply, RESUME too. */
    client_send(c, "{\"execute\": \"stop\"}\n");
    ev = client_read_any(c, TIMEOUT_MS);
    assert_string_equal(json_string_value(json_object_get(ev, "event")), "STOP");
    assert_null(json_object_get(ev, "data"));
    json_decref(ev);
    assert_return_empty(client_reply(c));
    assert_status(c, false, "paused");
    /* Stopping a stopped machine: no event. */
    assert_return_empty(client_cmd(c, "{\"execute\": \"stop\"}"));
    assert_status(c, false, "paused");
    assert_null(client_event(c, NULL, 200));

    client_send(c, "{\"execute\": \"cont\"}\n");
    ev = client_read_any(c, TIMEOUT_MS);
    assert_string_equal(json_string_value(json_object_get(ev, "event")), "RESUME");
    json_decref(ev);
    assert_return_empty(client_reply(c));
    assert_status(c, true, "running");
    /* Continuing a running machine: nothing either. */
    assert_return_empty(client_cmd(c, "{\"execute\": \"cont\"}"));
    assert_null(client_event(c, NULL, 200));
    quit_and_check(c);
}

static void test_cont_starts_a_prelaunch_machine(void **state)
{
    Client *c = start_negotiated("-S");
    json_t *ev;

    assert_return_empty(client_cmd(c, "{\"execute\": \"stop\"}"));
    assert_status(c, false, "prelaunch");
    assert_return_empty(client_cmd(c, "{\"execute\": \"cont\"}"));
    ev = client_event(c, "RESUME", TIMEOUT_MS);
    assert_non_null(ev);
    json_decref(ev);
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_system_reset_sends_the_reset_event_then_replies_as_qemu(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *ev, *data;

    client_send(c, "{\"execute\": \"system_reset\"}\n");
    ev = client_read_any(c, TIMEOUT_MS);
    assert_non_null(ev);
    assert_string_equal(json_string_value(json_object_get(ev, "event")), "RESET");
    assert_return_empty(client_read_any(c, TIMEOUT_MS));
    data = json_object_get(ev, "data");
    assert_true(json_is_false(json_object_get(data, "guest")));
    assert_string_equal(json_string_value(json_object_get(data, "reason")),
                        "host-qmp-system-reset");
    json_decref(ev);
    assert_status(c, true, "running");
    /* Reset while paused: paused becomes prelaunch, as QEMU. */
    assert_return_empty(client_cmd(c, "{\"execute\": \"stop\"}"));
    json_decref(client_event(c, "STOP", TIMEOUT_MS));
    assert_return_empty(client_cmd(c, "{\"execute\": \"system_reset\"}"));
    json_decref(client_event(c, "RESET", TIMEOUT_MS));
    assert_status(c, false, "prelaunch");
    quit_and_check(c);
}

static void test_query_version_matches_the_greeting(void **state)
{
    Client *c = start(NULL);
    json_t *greeting = client_read_any(c, TIMEOUT_MS);
    json_t *rsp;

    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    rsp = client_cmd(c, "{\"execute\": \"query-version\"}");
    assert_true(json_equal(json_object_get(rsp, "return"),
                           json_object_get(json_object_get(greeting, "QMP"), "version")));
    json_decref(rsp);
    json_decref(greeting);
    quit_and_check(c);
}

static json_t *find_named(json_t *list, const char *name)
{
    size_t i;
    json_t *item;

    for (i = 0; i < json_array_size(list); i++) {
        item = json_array_get(list, i);
        if (!strcmp(json_string_value(json_object_get(item, "name")), name)) {
            return item;
        }
    }
    return NULL;
}

static void test_qom_list_shows_names_and_types(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp = client_cmd(c, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/\"}}");
    json_t *ret = json_object_get(rsp, "return"), *machine;
    size_t i;
    json_t *item;

    assert_true(json_is_array(ret));
    machine = find_named(ret, "machine");
    assert_non_null(machine);
    assert_string_equal(json_string_value(json_object_get(machine, "type")), "child<virt-machine>");
    for (i = 0; i < json_array_size(ret); i++) {
        item = json_array_get(ret, i);
        assert_int_equal(json_object_size(item), 2);
        assert_true(json_is_string(json_object_get(item, "type")));
    }
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine\"}}");
    assert_non_null(find_named(json_object_get(rsp, "return"), "aclint"));
    json_decref(rsp);
    assert_error(client_cmd(c, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/nope\"}}"),
                 "DeviceNotFound", "Device '/nope' not found");
    quit_and_check(c);
}

static json_t *qom_get(Client *c, const char *path, const char *property)
{
    char *req = g_strdup_printf("{\"execute\": \"qom-get\", \"arguments\": "
                                "{\"path\": \"%s\", \"property\": \"%s\"}}",
                                path, property);
    json_t *rsp = client_cmd(c, req);
    json_t *ret = json_incref(json_object_get(rsp, "return"));

    g_free(req);
    if (!ret) {
        fail_msg("qom-get %s %s: %s", path, property, json_dumps(rsp, JSON_COMPACT));
    }
    json_decref(rsp);
    return ret;
}

static void test_qom_get_gives_typed_values(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *v;

    v = qom_get(c, "/machine", "aclint");
    assert_true(json_is_false(v));
    json_decref(v);
    v = qom_get(c, "/machine/virtio-mmio[0]", "force-legacy");
    assert_true(json_is_true(v));
    json_decref(v);
    v = qom_get(c, "/machine/plic0", "num-sources");
    assert_true(json_is_integer(v));
    assert_int_equal(json_integer_value(v), 96);
    json_decref(v);
    v = qom_get(c, "/machine", "aia");
    assert_string_equal(json_string_value(v), "none");
    json_decref(v);
    v = qom_get(c, "/", "machine"); /* a child: its path */
    assert_string_equal(json_string_value(v), "/machine");
    json_decref(v);
    v = qom_get(c, "/machine/unattached", "device[0]"); /* a link: its target's path */
    assert_true(g_str_has_prefix(json_string_value(v), "/machine/"));
    json_decref(v);
    v = qom_get(c, "plic0", "num-priorities"); /* a partial path */
    assert_true(json_is_integer(v));
    json_decref(v);
    assert_error(client_cmd(c, "{\"execute\": \"qom-get\", \"arguments\": "
                               "{\"path\": \"/machine\", \"property\": \"nope\"}}"),
                 "GenericError", "not found");
    assert_error(client_cmd(c, "{\"execute\": \"qom-get\", \"arguments\": "
                               "{\"path\": \"/nope\", \"property\": \"x\"}}"),
                 "DeviceNotFound", "Device '/nope' not found");
    quit_and_check(c);
}

static void test_query_machines_lists_virt_as_default(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp = client_cmd(c, "{\"execute\": \"query-machines\"}");
    json_t *ret = json_object_get(rsp, "return");
    json_t *virt = find_named(ret, "virt"), *item;
    size_t i, defaults = 0;

    assert_non_null(virt);
    assert_true(json_is_true(json_object_get(virt, "is-default")));
    assert_true(json_integer_value(json_object_get(virt, "cpu-max")) >= 1);
    assert_string_equal(json_string_value(json_object_get(virt, "default-cpu-type")),
                        "rv64-riscv-cpu"); /* the QOM type, as QEMU */
    for (i = 0; i < json_array_size(ret); i++) {
        item = json_array_get(ret, i);
        assert_true(json_is_string(json_object_get(item, "name")));
        assert_true(json_is_integer(json_object_get(item, "cpu-max")));
        assert_true(json_is_false(json_object_get(item, "hotpluggable-cpus")));
        assert_true(json_is_boolean(json_object_get(item, "deprecated")));
        assert_true(json_is_boolean(json_object_get(item, "numa-mem-supported")));
        assert_null(json_object_get(item, "acpi")); /* QEMU 8.0's, not 7.2's */
        defaults += json_object_get(item, "is-default") != NULL;
    }
    assert_int_equal(defaults, 1);
    json_decref(rsp);
    quit_and_check(c);
}

static void test_query_commands_and_qom_list_types(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp = client_cmd(c, "{\"execute\": \"query-commands\"}");
    json_t *ret = json_object_get(rsp, "return"), *item;
    static const char *const expected[] = {
        "qmp_capabilities", "quit",     "stop",    "cont",          "system_reset",
        "query-status",     "qom-list", "qom-get", "query-machines"};

    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        assert_non_null(find_named(ret, expected[i]));
    }
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": \"qom-list-types\", "
                        "\"arguments\": {\"implements\": \"machine\"}}");
    ret = json_object_get(rsp, "return");
    item = find_named(ret, "virt-machine");
    assert_non_null(item);
    assert_string_equal(json_string_value(json_object_get(item, "parent")), "machine");
    assert_null(json_object_get(item, "abstract"));
    assert_null(find_named(ret, "machine")); /* abstract ones only when asked */
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": \"qom-list-types\", "
                        "\"arguments\": {\"implements\": \"machine\", \"abstract\": true}}");
    item = find_named(json_object_get(rsp, "return"), "machine");
    assert_non_null(item);
    assert_true(json_is_true(json_object_get(item, "abstract")));
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": \"qom-list-types\", "
                        "\"arguments\": {\"implements\": \"nosuch-type\"}}");
    assert_int_equal(json_array_size(json_object_get(rsp, "return")), 0);
    json_decref(rsp);
    quit_and_check(c);
}

static void test_errors_have_qemu_classes_and_texts(void **state)
{
    Client *c = start_negotiated(NULL);

    assert_error(client_cmd(c, "{\"execute\": \"nosuch\"}"), "CommandNotFound",
                 "The command nosuch has not been found");
    assert_error(client_cmd(c, "{\"execute\": \"qom-list\"}"), "GenericError",
                 "Parameter 'path' is missing");
    assert_error(client_cmd(c, "{\"execute\": \"qom-list\", \"arguments\": {\"path\": 1}}"),
                 "GenericError", "Invalid parameter type for 'path', expected: string");
    assert_error(client_cmd(c, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\"}}"),
                 "GenericError", "Parameter 'property' is missing");
    assert_error(client_cmd(c, "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}"),
                 "GenericError", "Parameter 'x' is unexpected");
    assert_error(client_cmd(c, "{\"execute\": \"query-machines\", "
                               "\"arguments\": {\"compat-props\": true}}"),
                 "GenericError", "Parameter 'compat-props' is unexpected"); /* QEMU 9.1's */
    assert_error(client_cmd(c, "{\"execute\": \"stop\", \"arguments\": []}"), "GenericError",
                 "QMP input member 'arguments' must be an object");
    assert_error(client_cmd(c, "{\"execute\": \"stop\", \"extra\": 1}"), "GenericError",
                 "QMP input member 'extra' is unexpected");
    assert_error(client_cmd(c, "{\"id\": 1}"), "GenericError", "QMP input lacks member 'execute'");
    assert_error(client_cmd(c, "{}"), "GenericError", "QMP input lacks member 'execute'");
    /* Nothing above changed the machine. */
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_malformed_json_gets_an_error_and_serving_goes_on(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp;

    assert_error(client_cmd(c, "{\"execute\": }"), "GenericError", "JSON parse error");
    assert_error(client_cmd(c, "{\"execute\" \"stop\"}"), "GenericError", "JSON parse error");
    assert_error(client_cmd(c, "{\"execute\": \"stop\",}"), "GenericError", "JSON parse error");
    assert_error(client_cmd(c, "[1, 2"
                               "]]"),
                 "GenericError", "QMP input must be a JSON object");
    json_decref(client_reply(c)); /* the stray ']' */
    assert_error(client_cmd(c, "{\"a\": 1, \"a\": 2}"), "GenericError", "JSON parse error");
    assert_error(client_cmd(c, "{\"execute\": \"\\u0000\"}"), "GenericError", "JSON parse error");
    assert_error(client_cmd(c, "nonsense"), "GenericError", "JSON parse error");
    assert_error(client_cmd(c, "@"), "GenericError", "JSON parse error, stray '@'");
    rsp = client_cmd(c, "{\"execute\": \"query-status\", \"id\": \"after\"}");
    assert_string_equal(json_string_value(json_object_get(rsp, "id")), "after");
    json_decref(rsp);
    quit_and_check(c);
}

static void test_non_objects_are_refused(void **state)
{
    Client *c = start_negotiated(NULL);
    const char *inputs[] = {
        "[]", "[{\"execute\": \"stop\"}]", "42", "-1.5e3", "true", "null", "\"string\""};

    for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
        json_t *rsp = client_cmd(c, inputs[i]);

        assert_null(json_object_get(rsp, "id"));
        assert_error(rsp, "GenericError", "QMP input must be a JSON object");
    }
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_input_split_byte_by_byte(void **state)
{
    Client *c = start_negotiated(NULL);
    const char *req = "{ \"execute\" : \"query-status\", \"id\": \"sp\\\"lit\\u00e9\" }";
    json_t *rsp;

    for (const char *p = req; *p; p++) {
        client_send_len(c, p, 1);
        if ((p - req) % 7 == 0) {
            assert_null(client_read_any(c, 5)); /* nothing until the object is complete */
        }
    }
    rsp = client_reply(c);
    assert_string_equal(json_string_value(json_object_get(rsp, "id")), "sp\"lit\xc3\xa9");
    assert_non_null(json_object_get(rsp, "return"));
    json_decref(rsp);
    quit_and_check(c);
}

static void test_several_requests_in_one_write(void **state)
{
    Client *c = start_negotiated(NULL);

    client_send(c, "{\"execute\":\"query-status\",\"id\":1}{\"execute\":\"query-version\",\"id\":2}"
                   "  \r\n\t{\"execute\":\"nosuch\",\"id\":3}[]{\"execute\":\"stop\",\"id\":4}");
    for (int id = 1; id <= 5; id++) {
        json_t *rsp = client_reply(c);

        if (id == 4) {
            assert_error(rsp, "GenericError", "QMP input must be a JSON object");
            continue;
        }
        assert_int_equal(json_integer_value(json_object_get(rsp, "id")), id < 4 ? id : 4);
        json_decref(rsp);
    }
    json_decref(client_event(c, "STOP", TIMEOUT_MS));
    quit_and_check(c);
}

static void test_garbage_never_kills_the_monitor(void **state)
{
    Client *c = start_negotiated(NULL);
    GRand *rand = g_rand_new_with_seed(1234);
    size_t len = 256 * 1024;
    uint8_t *junk = g_malloc(len);
    json_t *rsp;
    int errors = 0;

    for (size_t i = 0; i < len; i++) {
        junk[i] = (uint8_t)g_rand_int(rand);
    }
    client_send_draining(c, junk, len);
    /* A control character, then a request: the parser is back in a known state. */
    client_send(c, "\x01\n{\"execute\": \"query-status\", \"id\": \"alive\"}\n");
    for (;;) {
        rsp = client_read_any(c, TIMEOUT_MS);
        assert_non_null(rsp);
        if (json_object_get(rsp, "id") &&
            !g_strcmp0(json_string_value(json_object_get(rsp, "id")), "alive")) {
            break;
        }
        if (!json_object_get(rsp, "event")) {
            assert_non_null(json_object_get(rsp, "error"));
            errors++;
        }
        json_decref(rsp);
    }
    assert_non_null(json_object_get(rsp, "return"));
    json_decref(rsp);
    assert_true(errors > 0);
    assert_true(errors < (int)len / 16); /* one error per stretch of garbage, not per byte */
    g_free(junk);
    g_rand_free(rand);
    assert_true(process_alive(run.pid));
    quit_and_check(c);
}

static void test_oversized_input_is_refused_once(void **state)
{
    Client *c = start_negotiated(NULL);
    size_t len = 3 * QMP_MAX_INPUT;
    char *big = g_malloc(len);
    json_t *rsp;

    memset(big, 'x', len);
    client_send(c, "{\"execute\": \"query-status\", \"arguments\": {\"s\": \"");
    client_send_len(c, big, len);
    client_send(c, "\"}, \"id\": 1}{\"execute\": \"query-status\", \"id\": 2}");
    assert_error(client_reply(c), "GenericError", "JSON token size limit exceeded");
    rsp = client_reply(c);
    assert_int_equal(json_integer_value(json_object_get(rsp, "id")), 2);
    json_decref(rsp);
    g_free(big);
    quit_and_check(c);
}

static void test_deep_nesting_is_refused(void **state)
{
    Client *c = start_negotiated(NULL);
    size_t depth = 4 * QMP_MAX_NESTING;
    char *open = g_malloc(depth), *close_ = g_malloc(depth);
    json_t *rsp;

    memset(open, '[', depth);
    memset(close_, ']', depth);
    client_send_len(c, open, depth);
    client_send_len(c, close_, depth);
    client_send(c, "{\"execute\": \"query-status\", \"id\": 7}");
    assert_error(client_reply(c), "GenericError", "JSON nesting depth limit exceeded");
    rsp = client_reply(c);
    assert_int_equal(json_integer_value(json_object_get(rsp, "id")), 7);
    json_decref(rsp);
    /* At the limit, it is only "not an object". */
    client_send_len(c, open, QMP_MAX_NESTING);
    client_send_len(c, close_, QMP_MAX_NESTING);
    assert_error(client_reply(c), "GenericError", "QMP input must be a JSON object");
    g_free(open);
    g_free(close_);
    quit_and_check(c);
}

/* A qom-get on path, as a request text (path is plain ASCII without quotes or backslashes). */
static char *qom_get_request(const char *path, int id)
{
    return g_strdup_printf(
        "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"%s\", \"property\": \"type\"}, "
        "\"id\": %d}",
        path, id);
}

/*
 * Path resolution is linear: 100,000 components, absolute and relative,
 * answer at once (under the sanitizers too) and the monitor goes on.  The
 * test asserts only that the answers come, within the client's timeout.
 */
static void test_a_path_of_100000_components_answers_at_once(void **state)
{
    Client *c = start_negotiated(NULL);
    GString *absolute = g_string_new(NULL), *relative = g_string_new("machine");
    char *req;
    json_t *rsp;

    for (int i = 0; i < 100000; i++) {
        g_string_append(absolute, "/machine");
        g_string_append(relative, "/soc0");
    }
    assert_true(absolute->len < QMP_MAX_INPUT && relative->len < QMP_MAX_INPUT);
    req = qom_get_request(absolute->str, 1);
    assert_error(client_cmd(c, req), "DeviceNotFound", "not found");
    g_free(req);
    req = qom_get_request(relative->str, 2);
    assert_error(client_cmd(c, req), "DeviceNotFound", "not found");
    g_free(req);
    /* Empty components are skipped: 100,000 slashes around a real path find it. */
    g_string_assign(absolute, "");
    for (int i = 0; i < 50000; i++) {
        g_string_append_c(absolute, '/');
    }
    g_string_append(absolute, "machine");
    for (int i = 0; i < 50000; i++) {
        g_string_append_c(absolute, '/');
    }
    g_string_append(absolute, "unattached");
    req = g_strdup_printf("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"%s\"}}",
                          absolute->str);
    rsp = client_cmd(c, req);
    assert_true(json_is_array(json_object_get(rsp, "return")));
    json_decref(rsp);
    g_free(req);
    assert_status(c, true, "running");
    g_string_free(absolute, TRUE);
    g_string_free(relative, TRUE);
    quit_and_check(c);
}

/*
 * Replies are JSON: a control character the client put in a string (as a
 * \u escape) comes back escaped, and every reply stays one "\r\n"-ended
 * line (client_read_any checks the framing).
 */
static void test_control_characters_in_arguments_come_back_escaped(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp;
    const char *desc;

    client_send(c, "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                   "\"/a\\nb\\r\\u0001\\u001b[2J\", \"property\": \"x\"}, \"id\": 5}");
    while (!strstr(c->in->str, "\r\n")) {
        assert_true(client_fill(c, TIMEOUT_MS));
    }
    /* On the wire: no control byte but the line's own "\r\n" at its end. */
    for (const char *p = c->in->str; *p; p++) {
        if ((unsigned char)*p < 0x20 && strcmp(p, "\r\n") && strcmp(p, "\n")) {
            fail_msg("control byte 0x%02x in a reply: %s", *p, c->in->str);
        }
    }
    if (!strstr(c->in->str, "/a\\nb\\r\\u0001\\u001")) {
        fail_msg("reply: %s", c->in->str);
    }
    rsp = client_reply(c);
    desc = json_string_value(json_object_get(json_object_get(rsp, "error"), "desc"));
    assert_string_equal(desc, "Device '/a\nb\r\x01\x1b[2J' not found");
    json_decref(rsp);
    rsp = client_cmd(c, "{\"execute\": \"no\\nsuch\"}");
    assert_error(rsp, "CommandNotFound", "The command no\nsuch has not been found");
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_control_character_resets_the_parser(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp;

    /* An unfinished request, abandoned by a control character (as QMP's spec advises). */
    client_send(c, "{\"execute\": \"stop\", \"arguments\": {\"a\": [[[{");
    client_send(c, "\x1b");
    assert_error(client_reply(c), "GenericError", "JSON parse error");
    rsp = client_cmd(c, "{\"execute\": \"query-status\", \"id\": 1}");
    assert_int_equal(json_integer_value(json_object_get(rsp, "id")), 1);
    json_decref(rsp);
    /* Also inside a string, where a raw newline is not allowed. */
    client_send(c, "{\"execute\": \"stop\", \"id\": \"unterminated\n");
    assert_error(client_reply(c), "GenericError", "JSON parse error");
    /* And 0xff. */
    client_send(c, "{\"execute\": \xff");
    assert_error(client_reply(c), "GenericError", "JSON parse error");
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_single_quoted_strings_are_accepted(void **state)
{
    Client *c = start_negotiated(NULL);
    json_t *rsp = client_cmd(c, "{'execute': 'query-status', 'id': 'it\\'s \"q\"'}");

    assert_string_equal(json_string_value(json_object_get(rsp, "id")), "it's \"q\"");
    assert_non_null(json_object_get(rsp, "return"));
    json_decref(rsp);
    quit_and_check(c);
}

static void test_pretty_output_is_still_one_object_per_message(void **state)
{
    Client *c = start_server("-chardev socket,path=@SOCK@,id=char0,server=on,wait=off "
                             "-mon chardev=char0,mode=control,pretty=on",
                             NULL);
    json_t *rsp;

    negotiate(c);
    rsp = client_cmd(c, "{\"execute\": \"query-status\", \"id\": 1}");
    assert_true(json_is_true(json_object_get(json_object_get(rsp, "return"), "running")));
    json_decref(rsp);
    assert_false(c->bad_crlf);
    quit_and_check(c);
}

/* ---- spawned: the ways of asking for a monitor ----------------------------------- */

static void test_libqtest_style_tern_connects_to_the_test(void **state)
{
    char *args;
    int fd;

    run_prepare();
    run.listen_fd = listen_on(run.sock);
    args = g_strdup_printf("-chardev socket,path=%s,id=char0 -mon chardev=char0,mode=control "
                           "-display none -audio none -run-with exit-with-parent=on "
                           "-M virt -bios none -accel qtest",
                           run.sock);
    run.pid = spawn(args);
    g_free(args);
    fd = accept_timeout(run.listen_fd);
    client_init(&run.client, fd);
    negotiate(&run.client);
    assert_status(&run.client, true, "running");
    quit_and_check(&run.client);
}

/* Reads one '\n'-terminated line from fd within TIMEOUT_MS (qtest replies). */
static char *read_line_timeout(int fd)
{
    GString *line = g_string_new(NULL);
    char ch;

    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, TIMEOUT_MS) <= 0 || read(fd, &ch, 1) != 1) {
            fail_msg("no qtest reply (got '%s')", line->str);
        }
        if (ch == '\n') {
            return g_string_free(line, FALSE);
        }
        g_string_append_c(line, ch);
    }
}

/*
 * libqtest's launch, word for word (qtest-protocol.md §10): the test listens
 * on a qtest socket and a QMP socket, Tern connects to both, answers
 * "endianness" first, then the QMP greeting and negotiation.
 */
static void test_libqtest_full_command_line_serves_qtest_and_qmp(void **state)
{
    char *qsock, *args, *reply;
    int qlisten, qfd;

    run_prepare();
    qsock = g_build_filename(run.dir, "qtest.sock", NULL);
    qlisten = listen_on(qsock);
    run.listen_fd = listen_on(run.sock);
    args = g_strdup_printf("-qtest unix:%s -qtest-log /dev/null -chardev socket,path=%s,id=char0 "
                           "-mon chardev=char0,mode=control -display none -audio none "
                           "-run-with exit-with-parent=on -M virt -bios none -nodefaults "
                           "-accel qtest",
                           qsock, run.sock);
    run.pid = spawn(args);
    g_free(args);
    qfd = accept_timeout(qlisten);
    assert_int_equal(write(qfd, "endianness\n", 11), 11);
    reply = read_line_timeout(qfd);
    assert_string_equal(reply, "OK little");
    g_free(reply);
    client_init(&run.client, accept_timeout(run.listen_fd));
    negotiate(&run.client);
    assert_int_equal(write(qfd, "readl 0x1000\n", 13), 13);
    reply = read_line_timeout(qfd);
    assert_string_equal(reply, "OK 0x0000000000000297");
    g_free(reply);
    assert_status(&run.client, true, "running");
    quit_and_check(&run.client);
    close(qfd);
    close(qlisten);
    unlink(qsock);
    g_free(qsock);
}

static void test_qmp_option_with_a_server_socket(void **state)
{
    Client *c = start_server("-qmp unix:@SOCK@,server=on,wait=off", NULL);

    negotiate(c);
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_qmp_option_with_a_client_socket(void **state)
{
    char *args;

    run_prepare();
    run.listen_fd = listen_on(run.sock);
    args = g_strdup_printf(BASE_ARGS " -qmp unix:path=%s", run.sock);
    run.pid = spawn(args);
    g_free(args);
    client_init(&run.client, accept_timeout(run.listen_fd));
    negotiate(&run.client);
    quit_and_check(&run.client);
}

static void test_object_monitor_qmp(void **state)
{
    Client *c = start_server("-chardev socket,path=@SOCK@,id=char0,server=on,wait=off "
                             "-object monitor-qmp,id=qmp0,chardev=char0",
                             NULL);
    json_t *v;

    negotiate(c);
    v = qom_get(c, "/objects/qmp0", "chardev");
    assert_string_equal(json_string_value(v), "char0");
    json_decref(v);
    v = qom_get(c, "/objects/qmp0", "pretty");
    assert_true(json_is_false(v));
    json_decref(v);
    quit_and_check(c);
}

static void test_events_reach_every_negotiated_monitor(void **state)
{
    Client *c = start_server("-chardev socket,path=@SOCK@,id=char0,server=on,wait=off "
                             "-mon chardev=char0,mode=control "
                             "-chardev socket,path=@SOCK@2,id=char1,server=on,wait=off "
                             "-mon chardev=char1,mode=control "
                             "-chardev socket,path=@SOCK@3,id=char2,server=on,wait=off "
                             "-object monitor-qmp,id=m2,chardev=char2",
                             NULL);
    char *path2 = g_strconcat(run.sock, "2", NULL), *path3 = g_strconcat(run.sock, "3", NULL);
    Client other, waiting;
    json_t *ev;

    client_init(&other, connect_retry(path2));
    client_init(&waiting, connect_retry(path3));
    negotiate(c);
    negotiate(&other);
    json_decref(client_read_any(&waiting, TIMEOUT_MS)); /* greeting only: still negotiating */

    assert_return_empty(client_cmd(c, "{\"execute\": \"stop\"}"));
    ev = client_event(&other, "STOP", TIMEOUT_MS);
    assert_non_null(ev);
    json_decref(ev);
    assert_status(&other, false, "paused");
    assert_null(client_event(&waiting, NULL, 200));

    /* The other monitor's quit ends the run; everyone sees SHUTDOWN. */
    assert_return_empty(client_cmd(&other, "{\"execute\": \"quit\"}"));
    ev = client_event(c, "SHUTDOWN", TIMEOUT_MS);
    assert_non_null(ev);
    json_decref(ev);
    assert_int_equal(wait_exit(run.pid, TIMEOUT_MS), 0);
    run.pid = 0;
    client_close(&other);
    client_close(&waiting);
    g_unlink(path2);
    g_unlink(path3);
    g_free(path2);
    g_free(path3);
}

/*
 * Drops the connection and makes a new one, up to its greeting.  Tern's
 * socket takes one client at a time and refuses a newcomer until it has
 * seen the old one go, so this retries.
 */
static void reconnect(Client *c)
{
    client_close(c);
    for (int tries = 0; tries < 200; tries++) {
        json_t *greeting;

        client_init(c, connect_retry(run.sock));
        greeting = client_read_any(c, TIMEOUT_MS);
        if (greeting) {
            assert_non_null(json_object_get(greeting, "QMP"));
            json_decref(greeting);
            return;
        }
        client_close(c);
        g_usleep(10000);
    }
    fail_msg("no greeting after reconnecting");
}

static void test_reconnect_starts_a_new_session(void **state)
{
    Client *c = start_negotiated(NULL);

    /* A half-sent request is forgotten with the connection. */
    client_send(c, "{\"execute\": \"sto");
    reconnect(c);
    assert_error(client_cmd(c, "{\"execute\": \"query-status\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation");
    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_client_vanishing_mid_reply_is_harmless(void **state)
{
    Client *c = start_negotiated(NULL);
    GString *many = g_string_new(NULL);

    /* Many requests, then gone before reading a single reply. */
    for (int i = 0; i < 500; i++) {
        g_string_append(many,
                        "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine\"}}");
    }
    client_send(c, many->str);
    g_string_free(many, TRUE);
    reconnect(c);
    assert_return_empty(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    assert_status(c, true, "running");
    quit_and_check(c);
}

static void test_sigterm_still_exits_0(void **state)
{
    Client *c = start_negotiated(NULL);

    kill(run.pid, SIGTERM);
    assert_int_equal(wait_exit(run.pid, TIMEOUT_MS), 0);
    run.pid = 0;
    client_close(c);
}

/* ---- in-process: a ringbuf monitor ------------------------------------------------ */

static Chardev *inproc_chr;

static void inproc_start(const char *extra)
{
    char *cmdline = g_strdup_printf("tern " BASE_ARGS " -chardev ringbuf,id=m0,size=4M "
                                    "-mon chardev=m0,mode=control %s",
                                    extra ? extra : "");
    char **argv = NULL;
    int argc = 0;
    Error *err = NULL;

    assert_true(g_shell_parse_argv(cmdline, &argc, &argv, NULL));
    if (tern_init(argc, argv, &err) != TERN_INIT_RUN) {
        fail_msg("tern_init: %s", err ? error_get_pretty(err) : "?");
    }
    g_strfreev(argv);
    g_free(cmdline);
    inproc_chr = chardev_find("m0");
    assert_non_null(inproc_chr);
}

static int inproc_teardown(void **state)
{
    qmp_cleanup_all();
    tern_cleanup();
    inproc_chr = NULL;
    return 0;
}

/* Everything the monitor on chr wrote since the last call. */
static char *output_of(Chardev *chr)
{
    GString *s = g_string_new(NULL);
    uint8_t buf[4096];
    size_t n;

    while ((n = chardev_ringbuf_read(chr, buf, sizeof(buf))) > 0) {
        g_string_append_len(s, (const char *)buf, n);
    }
    return g_string_free(s, FALSE);
}

static char *inproc_output(void)
{
    return output_of(inproc_chr);
}

static void inproc_send(const char *text)
{
    chardev_deliver_input(inproc_chr, (const uint8_t *)text, strlen(text));
}

/* Messages, one per line, keys sorted, timestamps dropped ("\r\n" checked). */
static char *lines_of(Chardev *chr)
{
    char *out = output_of(chr);
    gchar **lines = g_strsplit(out, "\r\n", -1);
    GString *s = g_string_new(NULL);

    assert_true(g_str_has_suffix(out, "\r\n") || !*out);
    for (gchar **l = lines; *l && **l; l++) {
        json_t *msg = json_loads(*l, 0, NULL);

        assert_non_null(msg);
        json_object_del(msg, "timestamp");
        char *text = json_dumps(msg, JSON_COMPACT | JSON_SORT_KEYS);
        g_string_append_printf(s, "%s\n", text);
        free(text);
        json_decref(msg);
    }
    g_strfreev(lines);
    g_free(out);
    return g_string_free(s, FALSE);
}

static char *inproc_lines(void)
{
    return lines_of(inproc_chr);
}

static void test_inprocess_greeting_and_commands(void **state)
{
    char *out;

    inproc_start(NULL);
    out = inproc_lines();
    assert_true(g_str_has_prefix(out, "{\"QMP\":"));
    g_free(out);
    inproc_send("{\"execute\": \"qmp_capabilities\"}{\"execute\": \"query-status\", \"id\": 1}");
    out = inproc_lines();
    assert_string_equal(out, "{\"return\":{}}\n"
                             "{\"id\":1,\"return\":{\"running\":true,\"singlestep\":false,"
                             "\"status\":\"running\"}}\n");
    g_free(out);
}

/* What the guest does (sifive_test, a signal) reaches QMP clients as events. */
static void test_inprocess_guest_shutdown_and_reset_are_events(void **state)
{
    uint64_t v;
    int status = -1;
    char *out;

    inproc_start(NULL);
    g_free(inproc_lines());
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    g_free(inproc_lines());
    /* sifive_test RESET, then FAIL with code 3, as a guest would write them. */
    v = 0x7777;
    address_space_write(address_space_memory(), 0x100000, &v, 4);
    assert_false(runstate_process_requests(&status));
    out = inproc_lines();
    assert_non_null(strstr(out, "\"event\":\"RESET\""));
    assert_non_null(strstr(out, "\"guest\":true,\"reason\":\"guest-reset\""));
    g_free(out);
    v = (3 << 16) | 0x3333;
    address_space_write(address_space_memory(), 0x100000, &v, 4);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 3);
    out = inproc_lines();
    assert_non_null(strstr(out, "\"event\":\"SHUTDOWN\""));
    assert_non_null(strstr(out, "\"guest\":true,\"reason\":\"guest-shutdown\""));
    g_free(out);
    /* A signal is a host shutdown. */
    runstate_request_shutdown_from_signal(15, 0);
    assert_true(runstate_process_requests(&status));
    out = inproc_lines();
    assert_non_null(strstr(out, "\"guest\":false,\"reason\":\"host-signal\""));
    g_free(out);
}

static const char split_script[] =
    "{\"execute\": \"qmp_capabilities\"} {'execute': 'query-status', 'id': 'a\\'b'}\n"
    "[1, {\"x\": \"}]\\\"\"}] 17 \"str\" {\"execute\": \"stop\", \"id\": {\"n\": [true]}}"
    "{\"execute\": \"nosuch\"} @ {\"execute\":\"cont\"} {\"execute\": \"qom-get\", \"arguments\":"
    " {\"path\": \"/machine\", \"property\": \"aclint\"}} {bad} true ";

/* The script on a new monitor, in two pieces cut at cut; what came back. */
static char *run_split_script(size_t cut)
{
    size_t len = strlen(split_script);
    char *id = g_strdup_printf("split%zu", cut);
    ChardevOptions opts = {.backend = "ringbuf", .size = 1 << 20};
    Chardev *chr = chardev_new(id, &opts, NULL);
    QmpMonitor *mon;
    char *got;

    assert_non_null(chr);
    mon = qmp_monitor_new(chr, false, NULL);
    assert_non_null(mon);
    g_free(output_of(chr)); /* the greeting */
    chardev_deliver_input(chr, (const uint8_t *)split_script, cut);
    chardev_deliver_input(chr, (const uint8_t *)split_script + cut, len - cut);
    got = lines_of(chr);
    qmp_monitor_free(mon);
    g_free(id);
    return got;
}

static void test_inprocess_every_split_gives_the_same_replies(void **state)
{
    size_t len = strlen(split_script);
    char *expected;

    inproc_start(NULL);
    expected = run_split_script(len);
    assert_non_null(strstr(expected, "\"event\":\"STOP\""));
    assert_non_null(strstr(expected, "{\"id\":\"a'b\",\"return\":{\"running\":true"));
    for (size_t cut = 0; cut < len; cut++) {
        char *got = run_split_script(cut);

        if (strcmp(got, expected)) {
            fail_msg("cut at %zu:\n%s\nexpected:\n%s", cut, got, expected);
        }
        g_free(got);
    }
    g_free(expected);
}

static void test_inprocess_random_input_never_crashes(void **state)
{
    /* Bits of QMP and of trouble, laid out by hand (clang-format splits at "\n"). */
    /* clang-format off */
    static const char *const pieces[] = {
        "{", "}", "[", "]", "\"", "'", "\\", ":", ",", " ", "\n", "\x01", "\xff", "\xc3\xa9",
        "\\u00e9", "\\'", "1", "-", "e", "true", "null", "\"id\"", "\"execute\"",
        "\"arguments\"", "\"qmp_capabilities\"", "\"query-status\"", "\"qom-list\"", "\"path\"",
        "\"/\"", "\"qom-get\"", "\"property\"", "\"stop\"", "\"cont\"", "\"exec-oob\"",
        "\"enable\"", "\"oob\"", "\"system_reset\"", "\\u0000", "\x00"
    };
    /* clang-format on */
    GRand *rand = g_rand_new_with_seed(42);

    inproc_start(NULL);
    for (int round = 0; round < 3000; round++) {
        GString *in = g_string_new(NULL);
        int n = g_rand_int_range(rand, 1, 40);

        for (int i = 0; i < n; i++) {
            const char *p = pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))];
            g_string_append_len(in, p, *p ? (gssize)strlen(p) : 1);
        }
        chardev_deliver_input(inproc_chr, (const uint8_t *)in->str, in->len);
        g_string_free(in, TRUE);
        g_free(inproc_output());
        if (round % 100 == 0) {
            main_loop_wait(true); /* act on reset requests */
        }
    }
    /* Whatever state that left, a control character and a request get an answer. */
    inproc_send("\x01\n{\"execute\": \"qmp_capabilities\"}{\"execute\": \"query-version\", "
                "\"id\": \"end\"}");
    {
        char *out = inproc_lines();
        assert_non_null(strstr(out, "\"id\":\"end\",\"return\":{\"package\""));
        g_free(out);
    }
    g_rand_free(rand);
}

static uint64_t big_value = UINT64_MAX;
static int64_t negative_value = -5;

static char *failing_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    error_setg(errp, "this property fails on purpose");
    return NULL;
}

static void test_inprocess_qom_get_edge_values(void **state)
{
    Object *root;
    char *out;

    inproc_start(NULL);
    root = object_get_root();
    object_property_add_uint64_ptr(root, "big", &big_value);
    object_property_add(root, "writeonly", "int64", NULL, NULL, NULL, NULL);
    object_property_add(root, "broken", "int", failing_get, NULL, NULL, NULL);
    g_free(inproc_output());
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                "\"big\"}, \"id\": [1]}");
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                "\"writeonly\"}}");
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                "\"broken\"}}");
    out = inproc_output();
    /* Above INT64_MAX, still an exact JSON number. */
    assert_non_null(strstr(out, "{\"return\": 18446744073709551615, \"id\": [1]}\r\n"));
    assert_non_null(strstr(out, "cannot be read"));
    assert_non_null(strstr(out, "this property fails on purpose"));
    g_free(out);
}

static char *negative_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%" PRId64, negative_value);
}

static void test_inprocess_qom_get_negative_and_odd_types(void **state)
{
    Object *root;
    char *out;

    inproc_start(NULL);
    root = object_get_root();
    object_property_add(root, "neg", "int64", negative_get, NULL, NULL, NULL);
    object_property_add(root, "odd", "uint32", negative_get, NULL, NULL, NULL);
    object_property_add(root, "flag", "bool", negative_get, NULL, NULL, NULL);
    g_free(inproc_output());
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                "\"neg\"}}");
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                "\"odd\"}}");
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                "\"flag\"}}");
    out = inproc_lines();
    /* A value that does not fit its type comes back as the string it is. */
    assert_string_equal(out, "{\"return\":{}}\n{\"return\":-5}\n{\"return\":\"-5\"}\n"
                             "{\"return\":\"-5\"}\n");
    g_free(out);
}

static void test_inprocess_quit_ends_the_main_loop_with_status_0(void **state)
{
    char *out;

    inproc_start(NULL);
    g_free(inproc_output());
    inproc_send("{\"execute\": \"qmp_capabilities\"}{\"execute\": \"quit\"}");
    out = inproc_lines();
    assert_string_equal(out, "{\"return\":{}}\n"
                             "{\"data\":{\"guest\":false,\"reason\":\"host-qmp-quit\"},"
                             "\"event\":\"SHUTDOWN\"}\n{\"return\":{}}\n");
    g_free(out);
    assert_int_equal(tern_main_loop(), 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void test_inprocess_leftover_monitors_are_never_used(void **state)
{
    char *out;

    /* A run whose monitors tern_cleanup() does not free (no qmp_cleanup_all). */
    inproc_start(NULL);
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    tern_cleanup();
    inproc_start(NULL);
    g_free(inproc_output());
    inproc_send("{\"execute\": \"qmp_capabilities\"}{\"execute\": \"stop\"}");
    out = inproc_lines();
    /* One STOP: the leftover monitor neither writes nor crashes (ASan). */
    assert_string_equal(out, "{\"return\":{}}\n{\"event\":\"STOP\"}\n{\"return\":{}}\n");
    g_free(out);
}

/* A partial path that fits two objects: qom-list says ambiguous, qom-get not found (as QEMU). */
static void test_inprocess_ambiguous_paths(void **state)
{
    char *out;

    inproc_start("-smp 2,sockets=2");
    g_free(inproc_lines());
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    g_free(inproc_lines());
    inproc_send("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"harts[0]\"}}");
    out = inproc_lines();
    assert_string_equal(out, "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Path "
                             "'harts[0]' is ambiguous\"}}\n");
    g_free(out);
    inproc_send("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"harts[0]\", "
                "\"property\": \"type\"}}");
    out = inproc_lines();
    assert_string_equal(out, "{\"error\":{\"class\":\"DeviceNotFound\",\"desc\":\"Device "
                             "'harts[0]' not found\"}}\n");
    g_free(out);
}

/* After a guest shutdown with -no-shutdown, cont needs a reset first (QEMU's words). */
static void test_inprocess_cont_after_guest_shutdown_needs_a_reset(void **state)
{
    uint32_t v = 0x5555; /* sifive_test PASS */
    int status = -1;
    char *out;

    inproc_start("-no-shutdown");
    g_free(inproc_lines());
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    g_free(inproc_lines());
    address_space_write(address_space_memory(), 0x100000, &v, 4);
    assert_false(runstate_process_requests(&status)); /* stopped, not exited */
    g_free(inproc_lines());
    inproc_send("{\"execute\": \"cont\"}");
    out = inproc_lines();
    assert_string_equal(out, "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Resetting "
                             "the Virtual Machine is required\"}}\n");
    g_free(out);
    inproc_send("{\"execute\": \"query-status\"}");
    out = inproc_lines();
    assert_non_null(strstr(out, "\"status\":\"shutdown\""));
    g_free(out);
}

static void test_inprocess_monitor_options(void **state)
{
    static const struct {
        const char *args, *error;
    } bad[] = {
        {"-chardev null,id=c -mon chardev=c,pretty=maybe", "expects 'on' or 'off'"},
        {"-chardev null,id=c -object monitor-qmp,id=q", "monitor-qmp needs chardev=ID"},
        {"-chardev null,id=c -object monitor-qmp,id=q,chardev=nope", "no chardev with id 'nope'"},
        {"-chardev null,id=c -mon chardev=c -mon chardev=c", "already in use"},
        {"-qmp unix:/nonexistent/dir/sock", "Failed to connect to '/nonexistent/dir/sock': "},
        {"-mon mode=control", "-mon needs chardev=ID"},
        {"-mon chardev=nope", "no chardev with id 'nope'"},
    };
    Object *obj;
    Error *err = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *cmdline = g_strdup_printf("tern " BASE_ARGS " %s", bad[i].args);
        char **argv = NULL;
        int argc = 0;

        assert_true(g_shell_parse_argv(cmdline, &argc, &argv, NULL));
        assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
        if (!strstr(error_get_pretty(err), bad[i].error)) {
            fail_msg("%s: got '%s'", bad[i].args, error_get_pretty(err));
        }
        error_free(err);
        err = NULL;
        g_strfreev(argv);
        g_free(cmdline);
        tern_cleanup();
    }

    /* -qmp none: no monitor; -qmp chardev:ID: on an existing chardev. */
    inproc_start("-qmp none -chardev ringbuf,id=m1 -qmp chardev:m1 "
                 "-chardev ringbuf,id=m2 -object monitor-qmp,id=q2,chardev=m2,pretty=on");
    assert_non_null(chardev_find("m1"));
    {
        uint8_t buf[256];
        size_t n = chardev_ringbuf_read(chardev_find("m1"), buf, sizeof(buf) - 1);

        buf[n] = 0;
        assert_true(g_str_has_prefix((char *)buf, "{\"QMP\": "));
        n = chardev_ringbuf_read(chardev_find("m2"), buf, sizeof(buf) - 1);
        buf[n] = 0;
        assert_true(g_str_has_prefix((char *)buf, "{\r\n    \"QMP\": {\r\n"));
    }
    /* A running monitor-qmp keeps its properties. */
    obj = object_resolve_path("/objects/q2", NULL);
    assert_non_null(obj);
    assert_false(object_property_set_str(obj, "chardev", "m1", &err));
    error_free(err);
    err = NULL;
    assert_false(object_property_set_bool(obj, "pretty", false, &err));
    error_free(err);
}

static void test_inprocess_event_text_api(void **state)
{
    char *out;

    inproc_start(NULL);
    g_free(inproc_output());
    qmp_event_emit("POWERDOWN", NULL); /* not negotiated yet: not sent */
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    qmp_event_emit("POWERDOWN", NULL);
    qmp_event_emit("WITH_DATA", "{\"x\": 1}");
    qmp_event_emit("BAD_DATA", "not json");
    qmp_event_emit("LIST_DATA", "[1]");
    out = inproc_lines();
    assert_string_equal(out, "{\"return\":{}}\n{\"event\":\"POWERDOWN\"}\n"
                             "{\"data\":{\"x\":1},\"event\":\"WITH_DATA\"}\n"
                             "{\"event\":\"BAD_DATA\"}\n{\"event\":\"LIST_DATA\"}\n");
    g_free(out);
}

/* ---- spawned: trace events (docs/trace.md) ---------------------------------------- */
#ifndef TERN_TRACE_DISABLED

/* rsp's return equals the JSON text expected; frees rsp. */
static void assert_return_equals(json_t *rsp, const char *expected)
{
    json_t *want = json_loads(expected, 0, NULL);

    assert_non_null(want);
    if (!json_equal(json_object_get(rsp, "return"), want)) {
        fail_msg("expected {\"return\": %s}, got %s", expected, json_dumps(rsp, JSON_COMPACT));
    }
    json_decref(want);
    json_decref(rsp);
}

static void test_trace_event_get_state_lists_matches_sorted_in_qemus_shape(void **state)
{
    Client *c = start_negotiated(NULL);

    assert_return_equals(
        client_cmd(c, "{\"execute\": \"trace-event-get-state\", \"arguments\": "
                      "{\"name\": \"serial_*\"}}"),
        "[{\"name\": \"serial_read\", \"vcpu\": false, \"state\": \"disabled\"},"
        " {\"name\": \"serial_update_parameters\", \"vcpu\": false, \"state\": \"disabled\"},"
        " {\"name\": \"serial_write\", \"vcpu\": false, \"state\": \"disabled\"}]");
    /* A glob that matches nothing, and any glob with a vCPU (Tern has no per-vCPU events). */
    assert_return_equals(client_cmd(c, "{\"execute\": \"trace-event-get-state\", "
                                       "\"arguments\": {\"name\": \"nosuch*\"}}"),
                         "[]");
    assert_return_equals(client_cmd(c, "{\"execute\": \"trace-event-get-state\", "
                                       "\"arguments\": {\"name\": \"serial_*\", \"vcpu\": 0}}"),
                         "[]");
    quit_and_check(c);
}

static void test_trace_event_commands_give_qemus_errors(void **state)
{
    Client *c = start_negotiated(NULL);

    assert_error(client_cmd(c, "{\"execute\": \"trace-event-get-state\", "
                               "\"arguments\": {\"name\": \"nosuch\"}}"),
                 "GenericError", "unknown event \"nosuch\"");
    assert_error(client_cmd(c, "{\"execute\": \"trace-event-set-state\", "
                               "\"arguments\": {\"name\": \"nosuch\", \"enable\": true}}"),
                 "GenericError", "unknown event \"nosuch\"");
    assert_error(client_cmd(c, "{\"execute\": \"trace-event-set-state\", \"arguments\": "
                               "{\"name\": \"serial_write\", \"enable\": true, \"vcpu\": 0}}"),
                 "GenericError", "event \"serial_write\" is not vCPU-specific");
    assert_error(client_cmd(c, "{\"execute\": \"trace-event-get-state\", "
                               "\"arguments\": {\"name\": \"serial_*\", \"vcpu\": 9}}"),
                 "GenericError", "invalid vCPU index 9");
    assert_error(client_cmd(c, "{\"execute\": \"trace-event-set-state\", "
                               "\"arguments\": {\"name\": \"serial_write\"}}"),
                 "GenericError", "Parameter 'enable' is missing");
    /* QEMU 7.2 has no trace-event-list: the list is trace-event-get-state with a glob. */
    assert_error(client_cmd(c, "{\"execute\": \"trace-event-list\"}"), "CommandNotFound",
                 "The command trace-event-list has not been found");
    quit_and_check(c);
}

static void test_trace_event_set_state_enables_lines_at_run_time(void **state)
{
    char *log = g_build_filename(g_get_tmp_dir(), "tern-qmp-trace-XXXXXX", NULL);
    int fd = g_mkstemp(log);
    char *extra = g_strdup_printf("-D %s", log);
    Client *c;
    char *text = NULL;

    assert_true(fd >= 0);
    close(fd);
    c = start_negotiated(extra);
    assert_return_empty(client_cmd(c, "{\"execute\": \"trace-event-set-state\", \"arguments\": "
                                      "{\"name\": \"serial_update_*\", \"enable\": true}}"));
    assert_return_equals(
        client_cmd(c, "{\"execute\": \"trace-event-get-state\", \"arguments\": "
                      "{\"name\": \"serial_update_parameters\"}}"),
        "[{\"name\": \"serial_update_parameters\", \"vcpu\": false, \"state\": \"enabled\"}]");
    assert_return_empty(client_cmd(c, "{\"execute\": \"system_reset\"}"));
    json_decref(client_event(c, "RESET", TIMEOUT_MS));
    assert_return_empty(client_cmd(c, "{\"execute\": \"trace-event-set-state\", \"arguments\": "
                                      "{\"name\": \"serial_update_parameters\", "
                                      "\"enable\": false, \"ignore-unavailable\": true}}"));
    assert_return_empty(client_cmd(c, "{\"execute\": \"system_reset\"}"));
    json_decref(client_event(c, "RESET", TIMEOUT_MS));
    quit_and_check(c);
    /* One system_reset while the event was on: the UART is reset once, one line; nothing else. */
    assert_true(g_file_get_contents(log, &text, NULL, NULL));
    assert_string_equal(text, "serial_update_parameters divider 12 lcr 0x00 char time 210424 ns\n");
    g_free(text);
    g_unlink(log);
    g_free(extra);
    g_free(log);
}
#endif

/* ---- in-process: the QOM and QMP surface of issue 12, as QEMU 7.2 answers ----------- */

/* The reply to request (events on the way are dropped); the monitor is negotiated. */
static json_t *inproc_reply(const char *request)
{
    char *out, **lines;
    json_t *reply = NULL;

    g_free(inproc_output());
    inproc_send(request);
    out = inproc_output();
    lines = g_strsplit(out, "\r\n", -1);
    for (char **l = lines; *l && **l; l++) {
        json_t *msg = json_loads(*l, 0, NULL);

        assert_non_null(msg);
        if (json_object_get(msg, "event")) {
            json_decref(msg);
            continue;
        }
        assert_null(reply); /* one reply per request */
        reply = msg;
    }
    g_strfreev(lines);
    g_free(out);
    if (!reply) {
        fail_msg("no reply to %s", request);
    }
    return reply;
}

/* The reply to request, compact with sorted keys, compared with expected. */
static void assert_reply(const char *request, const char *expected)
{
    json_t *reply = inproc_reply(request);
    char *text = json_dumps(reply, JSON_COMPACT | JSON_SORT_KEYS);

    if (strcmp(text, expected)) {
        fail_msg("%s:\n  got      %s\n  expected %s", request, text, expected);
    }
    free(text);
    json_decref(reply);
}

static void inproc_start_negotiated(const char *extra)
{
    inproc_start(extra);
    g_free(inproc_output());
    inproc_send("{\"execute\": \"qmp_capabilities\"}");
    g_free(inproc_output());
}

static char *qom_get_req(const char *path, const char *property)
{
    return g_strdup_printf("{\"execute\": \"qom-get\", \"arguments\": "
                           "{\"path\": \"%s\", \"property\": \"%s\"}}",
                           path, property);
}

static void assert_qom_get(const char *path, const char *property, const char *expected)
{
    char *req = qom_get_req(path, property);
    char *want = g_strdup_printf("{\"return\":%s}", expected);

    assert_reply(req, want);
    g_free(want);
    g_free(req);
}

static void assert_hmp(const char *command_line, const char *expected_text)
{
    json_t *req = json_pack("{s:s,s:{s:s}}", "execute", "human-monitor-command", "arguments",
                            "command-line", command_line);
    char *text = json_dumps(req, JSON_COMPACT);
    json_t *reply = inproc_reply(text);
    const char *ret = json_string_value(json_object_get(reply, "return"));

    if (!ret || strcmp(ret, expected_text)) {
        fail_msg("HMP '%s': got %s, expected '%s'", command_line, json_dumps(reply, JSON_COMPACT),
                 expected_text);
    }
    json_decref(reply);
    free(text);
    json_decref(req);
}

/* The member named name of qom-list path: its type, or NULL. */
static char *qom_list_type(const char *path, const char *name)
{
    char *req =
        g_strdup_printf("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"%s\"}}", path);
    json_t *reply = inproc_reply(req);
    json_t *item = find_named(json_object_get(reply, "return"), name);
    char *type = item ? g_strdup(json_string_value(json_object_get(item, "type"))) : NULL;

    json_decref(reply);
    g_free(req);
    return type;
}

static void assert_qom_list_has(const char *path, const char *name, const char *type)
{
    char *got = qom_list_type(path, name);

    if (!got || strcmp(got, type)) {
        fail_msg("qom-list %s: %s is %s, expected %s", path, name, got ? got : "missing", type);
    }
    g_free(got);
}

static void test_inprocess_every_object_has_a_type_property_spelled_string(void **state)
{
    static const struct {
        const char *path, *type;
    } objects[] = {
        {"/", "container"},
        {"/machine", "virt-machine"},
        {"/machine/peripheral", "container"},
        {"/machine/peripheral-anon", "container"},
        {"/machine/unattached", "container"},
        {"/machine/unattached/sysbus", "System"},
        {"/machine/soc0", "riscv.hart_array"},
        {"/machine/soc0/harts[0]", "rv64-riscv-cpu"},
        {"/objects/riscv_virt_board.ram", "memory-backend-ram"},
    };

    inproc_start_negotiated(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(objects); i++) {
        char *want = g_strdup_printf("\"%s\"", objects[i].type);

        assert_qom_list_has(objects[i].path, "type", "string");
        assert_qom_get(objects[i].path, "type", want);
        g_free(want);
    }
}

static void
test_inprocess_devices_have_realized_hotpluggable_hotplugged_and_parent_bus(void **state)
{
    static const char *const devices[] = {"/machine/soc0", "/machine/soc0/harts[0]",
                                          "/machine/unattached/device[0]"};

    inproc_start_negotiated(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        assert_qom_list_has(devices[i], "realized", "bool");
        assert_qom_list_has(devices[i], "hotpluggable", "bool");
        assert_qom_list_has(devices[i], "hotplugged", "bool");
        assert_qom_list_has(devices[i], "parent_bus", "link<bus>");
        assert_qom_get(devices[i], "realized", "true");
        assert_qom_get(devices[i], "hotplugged", "false");
    }
    /* QEMU 7.2's values: sysbus devices do not hotplug, harts do; harts have no bus. */
    assert_qom_get("/machine/soc0", "hotpluggable", "false");
    assert_qom_get("/machine/soc0/harts[0]", "hotpluggable", "true");
    assert_qom_get("/machine/soc0", "parent_bus", "\"/machine/unattached/sysbus\"");
    assert_qom_get("/machine/unattached/device[0]", "parent_bus", "\"/machine/unattached/sysbus\"");
    assert_qom_get("/machine/soc0/harts[0]", "parent_bus", "\"\"");
    /* Not a device: none of them. */
    assert_null(qom_list_type("/machine", "realized"));
    assert_null(qom_list_type("/machine/peripheral", "parent_bus"));
}

static void test_inprocess_machine_has_memory_smp_boot_and_memory_backend(void **state)
{
    inproc_start_negotiated("-m 256M -smp 2");
    assert_qom_list_has("/machine", "memory", "MemorySizeConfiguration");
    assert_qom_list_has("/machine", "smp", "SMPConfiguration");
    assert_qom_list_has("/machine", "boot", "BootConfiguration");
    assert_qom_list_has("/machine", "memory-backend", "link<memory-backend>");
    assert_qom_list_has("/machine", "kernel", "string");
    assert_qom_list_has("/machine", "aia", "string");
    assert_qom_get("/machine", "memory", "{\"size\":268435456}");
    assert_qom_get("/machine", "smp",
                   "{\"clusters\":1,\"cores\":2,\"cpus\":2,\"dies\":1,\"maxcpus\":2,"
                   "\"sockets\":1,\"threads\":1}");
    assert_qom_get("/machine", "boot", "{\"order\":\"\"}");
    assert_qom_get("/machine", "memory-backend", "\"/objects/riscv_virt_board.ram\"");
    assert_qom_get("/machine/soc0", "cpu-type", "\"rv64-riscv-cpu\"");
    assert_qom_list_has("/machine/soc0", "cpu-type", "str"); /* a qdev property: QEMU's "str" */
    assert_qom_get("/machine/soc0", "num-harts", "2");
}

static void test_inprocess_peripheral_containers_are_always_there_and_empty(void **state)
{
    inproc_start_negotiated(NULL);
    assert_qom_list_has("/machine", "peripheral", "child<container>");
    assert_qom_list_has("/machine", "peripheral-anon", "child<container>");
    assert_reply("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/peripheral\"}}",
                 "{\"return\":[{\"name\":\"type\",\"type\":\"string\"}]}");
    assert_reply("{\"execute\": \"qom-list\", \"arguments\": "
                 "{\"path\": \"/machine/peripheral-anon\"}}",
                 "{\"return\":[{\"name\":\"type\",\"type\":\"string\"}]}");
}

/*
 * QEMU 7.2's /machine/unattached/device[N] for the devices Tern has: aliases
 * (link<>, where QEMU has child<>) to the devices, so QEMU's paths resolve.
 */
static void test_inprocess_unattached_devices_are_at_qemu_paths_as_links(void **state)
{
    static const struct {
        const char *name, *type;
    } devices[] = {
        {"device[0]", "link<riscv.aclint.swi>"},
        {"device[1]", "link<riscv.aclint.mtimer>"},
        {"device[2]", "link<riscv.sifive.plic>"},
        {"device[3]", "link<riscv.sifive.test>"},
        {"device[4]", "link<virtio-mmio>"},
        {"device[11]", "link<virtio-mmio>"},
        {"device[14]", "link<serial-mm>"},
        {"device[15]", "link<goldfish_rtc>"},
        {"sysbus", "child<System>"},
    };

    inproc_start_negotiated(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        assert_qom_list_has("/machine/unattached", devices[i].name, devices[i].type);
    }
    assert_null(qom_list_type("/machine/unattached", "device[12]")); /* gpex-pcihost */
    assert_null(qom_list_type("/machine/unattached", "device[13]")); /* platform-bus-device */
    assert_qom_get("/machine/unattached/device[3]", "type", "\"riscv.sifive.test\"");
    assert_qom_get("/machine/unattached/device[11]", "realized", "true");
    assert_qom_get("/machine/unattached/device[15]", "type", "\"goldfish_rtc\"");
}

static void test_inprocess_query_cpus_fast_lists_every_hart(void **state)
{
    char *want;

    inproc_start_negotiated("-smp 2");
    want = g_strdup_printf("{\"return\":[{\"cpu-index\":0,\"props\":{\"core-id\":0},"
                           "\"qom-path\":\"/machine/soc0/harts[0]\",\"target\":\"riscv64\","
                           "\"thread-id\":%d},{\"cpu-index\":1,\"props\":{\"core-id\":1},"
                           "\"qom-path\":\"/machine/soc0/harts[1]\",\"target\":\"riscv64\","
                           "\"thread-id\":%d}]}",
                           (int)getpid(), (int)getpid());
    assert_reply("{\"execute\": \"query-cpus-fast\"}", want);
    g_free(want);
}

static void test_inprocess_query_name_is_empty_without_name(void **state)
{
    inproc_start_negotiated(NULL);
    assert_reply("{\"execute\": \"query-name\"}", "{\"return\":{}}");
}

static void test_inprocess_query_name_gives_the_guest_name(void **state)
{
    inproc_start_negotiated("-name guest=my-vm,process=p");
    assert_reply("{\"execute\": \"query-name\"}", "{\"return\":{\"name\":\"my-vm\"}}");
}

static void test_inprocess_query_version_names_qemu_7_2_22_and_tern(void **state)
{
    inproc_start_negotiated(NULL);
    assert_reply("{\"execute\": \"query-version\"}",
                 "{\"return\":{\"package\":\"Tern " TERN_VERSION "\",\"qemu\":{\"major\":7,"
                 "\"micro\":22,\"minor\":2}}}");
}

static void test_inprocess_query_machines_has_qemu_7_2_keys_only(void **state)
{
    inproc_start_negotiated(NULL);
    assert_reply("{\"execute\": \"query-machines\"}",
                 "{\"return\":[{\"cpu-max\":1,\"default-cpu-type\":\"rv64-riscv-cpu\","
                 "\"default-ram-id\":\"ram\",\"deprecated\":false,\"hotpluggable-cpus\":false,"
                 "\"name\":\"none\",\"numa-mem-supported\":false},{\"cpu-max\":512,"
                 "\"default-cpu-type\":\"rv64-riscv-cpu\",\"default-ram-id\":"
                 "\"riscv_virt_board.ram\",\"deprecated\":false,\"hotpluggable-cpus\":false,"
                 "\"is-default\":true,\"name\":\"virt\",\"numa-mem-supported\":true}]}");
}

static void test_inprocess_hmp_info_status_follows_the_run_state(void **state)
{
    inproc_start_negotiated("-S");
    assert_hmp("info status", "VM status: paused (prelaunch)\r\n");
    assert_hmp("cont", "");
    assert_hmp("info status", "VM status: running\r\n");
    assert_hmp("stop", "");
    assert_hmp("info status", "VM status: paused\r\n");
    assert_hmp("c", "");
    assert_hmp("  info \t status  ", "VM status: running\r\n");
    assert_hmp("system_reset", "");
    assert_hmp("", "");
}

static void test_inprocess_hmp_info_version_is_qemu_then_tern(void **state)
{
    inproc_start_negotiated(NULL);
    assert_hmp("info version", "7.2.22Tern " TERN_VERSION "\r\n");
}

static void test_inprocess_hmp_info_alone_lists_the_info_commands(void **state)
{
    inproc_start_negotiated(NULL);
    assert_hmp("info", "info mtree  -- show memory tree\r\n"
                       "info qtree  -- show device tree\r\n"
                       "info status  -- show the current VM status (running|paused)\r\n"
                       "info version  -- show the version of QEMU\r\n");
}

static void test_inprocess_hmp_info_qtree_shows_buses_devices_and_properties(void **state)
{
    json_t *req = json_pack("{s:s,s:{s:s}}", "execute", "human-monitor-command", "arguments",
                            "command-line", "info qtree");
    char *text = json_dumps(req, JSON_COMPACT);
    json_t *reply;
    const char *tree;

    inproc_start_negotiated("-device virtio-rng-device,id=rng0");
    reply = inproc_reply(text);
    tree = json_string_value(json_object_get(reply, "return"));
    assert_non_null(tree);
    assert_true(g_str_has_prefix(tree, "bus: main-system-bus\r\n  type System\r\n"
                                       "  dev: fw_cfg_mem, id \"\"\r\n"
                                       "    data_width = 8 (0x8)\r\n"
                                       "    dma_enabled = true\r\n"));
    /* The newest device first; a device's own buses under it; strings quoted. */
    assert_non_null(strstr(tree, "  dev: virtio-mmio, id \"\"\r\n"
                                 "    force-legacy = true\r\n"
                                 "    bus-index = 7 (0x7)\r\n"
                                 "    bus: virtio-mmio-bus.7\r\n"
                                 "      type virtio-mmio-bus\r\n"
                                 "      dev: virtio-rng-device, id \"rng0\"\r\n"));
    assert_non_null(strstr(tree, "  dev: riscv.hart_array, id \"\"\r\n"
                                 "    num-harts = 1 (0x1)\r\n"
                                 "    hartid-base = 0 (0x0)\r\n"
                                 "    cpu-type = \"rv64-riscv-cpu\"\r\n"
                                 "    resetvec = 4096 (0x1000)\r\n"));
    assert_true(g_str_has_suffix(tree, "    resetvec = 4096 (0x1000)\r\n"));
    json_decref(reply);
    free(text);
    json_decref(req);
}

static void test_inprocess_hmp_info_mtree_is_the_memory_address_space(void **state)
{
    inproc_start_negotiated(NULL);
    assert_hmp("info mtree",
               "address-space: cpu-memory-0\r\n"
               "address-space: memory\r\n"
               "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\r\n"
               "    0000000000001000-000000000000ffff (prio 0, rom): riscv_virt_board.mrom\r\n"
               "    0000000000100000-0000000000100fff (prio 0, i/o): riscv.sifive.test\r\n"
               "    0000000000101000-0000000000101023 (prio 0, i/o): goldfish_rtc\r\n"
               "    0000000002000000-0000000002003fff (prio 0, i/o): riscv.aclint.swi\r\n"
               "    0000000002004000-000000000200bfff (prio 0, i/o): riscv.aclint.mtimer\r\n"
               "    000000000c000000-000000000c5fffff (prio 0, i/o): riscv.sifive.plic\r\n"
               "    0000000010000000-0000000010000007 (prio 0, i/o): serial\r\n"
               "    0000000010001000-00000000100011ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010002000-00000000100021ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010003000-00000000100031ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010004000-00000000100041ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010005000-00000000100051ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010006000-00000000100061ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010007000-00000000100071ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010008000-00000000100081ff (prio 0, i/o): virtio-mmio\r\n"
               "    0000000010100000-0000000010100007 (prio 0, i/o): fwcfg.data\r\n"
               "    0000000010100008-0000000010100009 (prio 0, i/o): fwcfg.ctl\r\n"
               "    0000000010100010-0000000010100017 (prio 0, i/o): fwcfg.dma\r\n"
               "    0000000080000000-0000000087ffffff (prio 0, ram): riscv_virt_board.ram\r\n"
               "\r\n");
}

static void test_inprocess_hmp_unknown_commands_get_qemu_lines(void **state)
{
    inproc_start_negotiated(NULL);
    assert_hmp("nosuch arg", "unknown command: 'nosuch'\r\n");
    assert_hmp("info nosuch", "unknown command: 'info nosuch'\r\n");
}

static void test_inprocess_hmp_bad_cpu_index_is_refused(void **state)
{
    static const char *const bad[] = {"-1", "2", "99"};

    inproc_start_negotiated("-smp 2");
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *req = g_strdup_printf("{\"execute\": \"human-monitor-command\", \"arguments\": "
                                    "{\"command-line\": \"info status\", \"cpu-index\": %s}}",
                                    bad[i]);

        assert_reply(req, "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter "
                          "'cpu-index' expects a CPU number\"}}");
        g_free(req);
    }
    assert_reply("{\"execute\": \"human-monitor-command\", \"arguments\": "
                 "{\"command-line\": \"info status\", \"cpu-index\": 1}}",
                 "{\"return\":\"VM status: running\\r\\n\"}");
    assert_reply("{\"execute\": \"human-monitor-command\", \"arguments\": "
                 "{\"command-line\": \"info status\", \"cpu-index\": \"1\"}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Invalid parameter type for "
                 "'cpu-index', expected: integer\"}}");
}

/* HMP's cont prints QEMU's error as text; the QMP command itself succeeds. */
static void test_inprocess_hmp_cont_after_guest_shutdown_prints_the_error(void **state)
{
    uint32_t v = 0x5555; /* sifive_test PASS */
    int status = -1;

    inproc_start_negotiated("-no-shutdown");
    address_space_write(address_space_memory(), 0x100000, &v, 4);
    assert_false(runstate_process_requests(&status));
    assert_hmp("info status", "VM status: paused (shutdown)\r\n");
    assert_hmp("cont", "Error: Resetting the Virtual Machine is required\r\n");
}

static const char *const device_add_errors[][2] = {
    {"{}", "Parameter 'driver' is missing"},
    {"{\"driver\": \"nosuch\"}", "'nosuch' is not a valid device model name"},
    {"{\"driver\": 42}", "'42' is not a valid device model name"},
    {"{\"driver\": \"container\"}", "'container' is not a valid device model name"},
    {"{\"driver\": \"virtio-device\"}", "Parameter 'driver' expects a non-abstract device type"},
    {"{\"driver\": \"riscv.sifive.test\"}", "Parameter 'driver' expects a pluggable device type"},
    {"{\"driver\": \"virtio-rng-device\", \"bus\": \"nosuch\"}", "Bus 'nosuch' not found"},
    {"{\"driver\": \"virtio-rng-device\", \"bus\": 7}", "Bus '7' not found"},
    {"{\"driver\": \"virtio-rng-device\", \"bus\": \"virtio-mmio-bus.7\"}",
     "Bus 'virtio-mmio-bus.7' is full"},
    {"{\"driver\": \"virtio-rng-device\", \"bus\": \"virtio-mmio-bus.0\", \"x\": 1}",
     "Bus 'virtio-mmio-bus.0' does not support hotplugging"},
    {"{\"driver\": \"virtio-rng-device\"}", "Bus 'virtio-mmio-bus.6' does not support hotplugging"},
    {"{\"driver\": \"virtio-rng-device\", \"id\": \"1bad\"}",
     "Parameter 'id' expects an identifier"},
};

/* QEMU 7.2's checks in its order, with -device virtio-rng-device on the last bus. */
static void test_inprocess_device_add_errors_are_qemu_7_2s(void **state)
{
    inproc_start_negotiated("-device virtio-rng-device,id=rng0");
    for (size_t i = 0; i < G_N_ELEMENTS(device_add_errors); i++) {
        char *req = g_strdup_printf("{\"execute\": \"device_add\", \"arguments\": %s}",
                                    device_add_errors[i][0]);
        char *want = g_strdup_printf("{\"error\":{\"class\":\"GenericError\",\"desc\":\"%s\"}}",
                                     device_add_errors[i][1]);

        assert_reply(req, want);
        g_free(want);
        g_free(req);
    }
    /* Nothing was added. */
    assert_reply("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/peripheral\"}}",
                 "{\"return\":[{\"name\":\"type\",\"type\":\"string\"},"
                 "{\"name\":\"rng0\",\"type\":\"child<virtio-rng-device>\"}]}");
}

/* A device that needs a bus on a board without one (QEMU 7.2, -M none). */
static void test_inprocess_device_add_without_a_bus_of_its_type(void **state)
{
    inproc_start_negotiated("-M none");
    assert_reply(
        "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtio-rng-device\"}}",
        "{\"error\":{\"class\":\"GenericError\",\"desc\":\"No 'virtio-bus' bus found for "
        "device 'virtio-rng-device'\"}}");
    assert_reply("{\"execute\": \"query-cpus-fast\"}", "{\"return\":[]}");
}

static void test_inprocess_device_del_errors_are_qemu_7_2s(void **state)
{
    static const char *const errors[][3] = {
        {"nosuch", "DeviceNotFound", "Device 'nosuch' not found"},
        {"/machine/nosuch", "DeviceNotFound", "Device '/machine/nosuch' not found"},
        {"/machine", "GenericError", "/machine is not a hotpluggable device"},
        {"/machine/unattached/sysbus", "GenericError",
         "/machine/unattached/sysbus is not a hotpluggable device"},
        {"rng0", "GenericError", "Bus 'virtio-mmio-bus.7' does not support hotplugging"},
        {"/machine/peripheral/rng0", "GenericError",
         "Bus 'virtio-mmio-bus.7' does not support hotplugging"},
        {"/machine/soc0", "GenericError", "Bus 'main-system-bus' does not support hotplugging"},
        /* QEMU 7.2 fails an assertion here; Tern refuses (a deliberate difference). */
        {"/machine/soc0/harts[0]", "GenericError",
         "Device '/machine/soc0/harts[0]' does not support hotplugging"},
    };

    inproc_start_negotiated("-device virtio-rng-device,id=rng0");
    for (size_t i = 0; i < G_N_ELEMENTS(errors); i++) {
        char *req = g_strdup_printf(
            "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"%s\"}}", errors[i][0]);
        char *want = g_strdup_printf("{\"error\":{\"class\":\"%s\",\"desc\":\"%s\"}}", errors[i][1],
                                     errors[i][2]);

        assert_reply(req, want);
        g_free(want);
        g_free(req);
    }
}

/* Every command query-commands lists has a command entry whose argument type is there too. */
static void test_inprocess_query_qmp_schema_describes_every_command(void **state)
{
    json_t *commands, *schema, *ret;
    GHashTable *entries = g_hash_table_new(g_str_hash, g_str_equal);

    inproc_start_negotiated(NULL);
    commands = inproc_reply("{\"execute\": \"query-commands\"}");
    schema = inproc_reply("{\"execute\": \"query-qmp-schema\"}");
    ret = json_object_get(schema, "return");
    assert_true(json_array_size(ret) > 0);
    for (size_t i = 0; i < json_array_size(ret); i++) {
        json_t *e = json_array_get(ret, i);

        g_hash_table_insert(entries, (gpointer)json_string_value(json_object_get(e, "name")), e);
    }
    for (size_t i = 0; i < json_array_size(json_object_get(commands, "return")); i++) {
        const char *name = json_string_value(
            json_object_get(json_array_get(json_object_get(commands, "return"), i), "name"));
        json_t *e = g_hash_table_lookup(entries, name);
        json_t *args;

        if (!e) {
            fail_msg("query-qmp-schema has no entry for %s", name);
        }
        assert_string_equal(json_string_value(json_object_get(e, "meta-type")), "command");
        args = g_hash_table_lookup(entries, json_string_value(json_object_get(e, "arg-type")));
        assert_non_null(args);
        assert_string_equal(json_string_value(json_object_get(args, "meta-type")), "object");
        assert_non_null(
            g_hash_table_lookup(entries, json_string_value(json_object_get(e, "ret-type"))));
    }
    /* Described from the command table: query-name's entry and its empty arguments. */
    assert_non_null(g_hash_table_lookup(entries, "query-name"));
    /* The events clients wait for; type names masked as numbers, as QEMU masks them. */
    for (const char *const *ev =
             (const char *const[]){"SHUTDOWN", "POWERDOWN", "RESET", "STOP", "RESUME", NULL};
         *ev; ev++) {
        json_t *e = g_hash_table_lookup(entries, *ev);

        assert_non_null(e);
        assert_string_equal(json_string_value(json_object_get(e, "meta-type")), "event");
    }
    assert_non_null(g_hash_table_lookup(entries, "str"));
    assert_null(g_hash_table_lookup(entries, "@empty"));
    g_hash_table_destroy(entries);
    json_decref(schema);
    json_decref(commands);
}

static void test_inprocess_powerdown_request_is_the_powerdown_event(void **state)
{
    int status = -1;
    char *out;

    inproc_start_negotiated(NULL);
    system_powerdown_request();
    assert_false(runstate_process_requests(&status));
    out = inproc_lines();
    assert_string_equal(out, "{\"event\":\"POWERDOWN\"}\n");
    g_free(out);
}

static char *bad_struct_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup("{not json");
}

/* A structure getter that writes no JSON: QEMU's class, one clear description. */
static void test_inprocess_a_structure_that_does_not_read_back_is_an_error(void **state)
{
    inproc_start_negotiated(NULL);
    object_property_add(object_get_root(), "badsmp", "SMPConfiguration", bad_struct_get, NULL, NULL,
                        NULL);
    assert_reply("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/\", \"property\": "
                 "\"badsmp\"}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Property of type "
                 "'SMPConfiguration' did not read back\"}}");
}

/*
 * A guest shutdown under -no-shutdown, as QEMU's tests drive it: the guest's
 * sifive_test write (qtest writel) is SHUTDOWN then STOP, and the machine
 * stays, in state shutdown.
 */
static void test_guest_shutdown_under_no_shutdown_is_shutdown_then_stop(void **state)
{
    char *qsock, *args, *reply;
    int qlisten, qfd;
    json_t *ev, *rsp;

    run_prepare();
    qsock = g_build_filename(run.dir, "qtest.sock", NULL);
    qlisten = listen_on(qsock);
    args = g_strdup_printf(BASE_ARGS " -no-shutdown -qtest unix:%s -qtest-log /dev/null "
                                     "-qmp unix:%s,server=on,wait=off",
                           qsock, run.sock);
    run.pid = spawn(args);
    g_free(args);
    qfd = accept_timeout(qlisten);
    run.client.fd = connect_retry(run.sock);
    negotiate(&run.client);
    assert_int_equal(write(qfd, "writel 0x100000 0x5555\n", 23), 23);
    reply = read_line_timeout(qfd);
    assert_string_equal(reply, "OK");
    g_free(reply);
    ev = client_event(&run.client, "SHUTDOWN", TIMEOUT_MS);
    assert_non_null(ev);
    assert_true(json_is_true(json_object_get(json_object_get(ev, "data"), "guest")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "data"), "reason")),
                        "guest-shutdown");
    json_decref(ev);
    ev = client_event(&run.client, NULL, TIMEOUT_MS);
    assert_non_null(ev);
    assert_string_equal(json_string_value(json_object_get(ev, "event")), "STOP");
    assert_null(json_object_get(ev, "data"));
    json_decref(ev);
    rsp = client_cmd(&run.client, "{\"execute\": \"query-status\"}");
    assert_true(json_is_false(json_object_get(json_object_get(rsp, "return"), "running")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(rsp, "return"), "status")), "shutdown");
    json_decref(rsp);
    assert_true(process_alive(run.pid));
    quit_and_check(&run.client);
    close(qfd);
    close(qlisten);
    unlink(qsock);
    g_free(qsock);
}

/* Each -qmp gets a chardev of its own, named as QEMU names them: compat_monitor0, 1, ... */
static void test_inprocess_every_qmp_option_gets_its_own_compat_monitor_chardev(void **state)
{
    inproc_start("-qmp null -qmp null -qmp null");
    assert_non_null(chardev_find("compat_monitor0"));
    assert_non_null(chardev_find("compat_monitor1"));
    assert_non_null(chardev_find("compat_monitor2"));
    assert_null(chardev_find("compat_monitor3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_greeting_has_qemu_shape, run_teardown),
#ifndef TERN_TRACE_DISABLED /* -Dtrace=false: no events (tests/meson.build warns) */
        cmocka_unit_test_teardown(test_trace_event_get_state_lists_matches_sorted_in_qemus_shape,
                                  run_teardown),
        cmocka_unit_test_teardown(test_trace_event_commands_give_qemus_errors, run_teardown),
        cmocka_unit_test_teardown(test_trace_event_set_state_enables_lines_at_run_time,
                                  run_teardown),
#endif
        cmocka_unit_test_teardown(test_commands_need_capabilities_first, run_teardown),
        cmocka_unit_test_teardown(test_capabilities_twice_is_refused, run_teardown),
        cmocka_unit_test_teardown(test_capabilities_enable_checks_its_values, run_teardown),
        cmocka_unit_test_teardown(test_exec_oob_is_unexpected_without_the_capability, run_teardown),
        cmocka_unit_test_teardown(test_id_is_echoed, run_teardown),
        cmocka_unit_test_teardown(test_query_status_running_then_prelaunch_with_S, run_teardown),
        cmocka_unit_test_teardown(test_stop_and_cont_emit_events, run_teardown),
        cmocka_unit_test_teardown(test_cont_starts_a_prelaunch_machine, run_teardown),
        cmocka_unit_test_teardown(test_system_reset_sends_the_reset_event_then_replies_as_qemu,
                                  run_teardown),
        cmocka_unit_test_teardown(test_query_version_matches_the_greeting, run_teardown),
        cmocka_unit_test_teardown(test_qom_list_shows_names_and_types, run_teardown),
        cmocka_unit_test_teardown(test_qom_get_gives_typed_values, run_teardown),
        cmocka_unit_test_teardown(test_query_machines_lists_virt_as_default, run_teardown),
        cmocka_unit_test_teardown(test_query_commands_and_qom_list_types, run_teardown),
        cmocka_unit_test_teardown(test_errors_have_qemu_classes_and_texts, run_teardown),
        cmocka_unit_test_teardown(test_malformed_json_gets_an_error_and_serving_goes_on,
                                  run_teardown),
        cmocka_unit_test_teardown(test_non_objects_are_refused, run_teardown),
        cmocka_unit_test_teardown(test_input_split_byte_by_byte, run_teardown),
        cmocka_unit_test_teardown(test_several_requests_in_one_write, run_teardown),
        cmocka_unit_test_teardown(test_garbage_never_kills_the_monitor, run_teardown),
        cmocka_unit_test_teardown(test_oversized_input_is_refused_once, run_teardown),
        cmocka_unit_test_teardown(test_deep_nesting_is_refused, run_teardown),
        cmocka_unit_test_teardown(test_a_path_of_100000_components_answers_at_once, run_teardown),
        cmocka_unit_test_teardown(test_control_characters_in_arguments_come_back_escaped,
                                  run_teardown),
        cmocka_unit_test_teardown(test_control_character_resets_the_parser, run_teardown),
        cmocka_unit_test_teardown(test_single_quoted_strings_are_accepted, run_teardown),
        cmocka_unit_test_teardown(test_pretty_output_is_still_one_object_per_message, run_teardown),
        cmocka_unit_test_teardown(test_libqtest_style_tern_connects_to_the_test, run_teardown),
        cmocka_unit_test_teardown(test_libqtest_full_command_line_serves_qtest_and_qmp,
                                  run_teardown),
        cmocka_unit_test_teardown(test_qmp_option_with_a_server_socket, run_teardown),
        cmocka_unit_test_teardown(test_qmp_option_with_a_client_socket, run_teardown),
        cmocka_unit_test_teardown(test_object_monitor_qmp, run_teardown),
        cmocka_unit_test_teardown(test_events_reach_every_negotiated_monitor, run_teardown),
        cmocka_unit_test_teardown(test_reconnect_starts_a_new_session, run_teardown),
        cmocka_unit_test_teardown(test_client_vanishing_mid_reply_is_harmless, run_teardown),
        cmocka_unit_test_teardown(test_sigterm_still_exits_0, run_teardown),
        cmocka_unit_test_teardown(test_inprocess_greeting_and_commands, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_guest_shutdown_and_reset_are_events,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_every_split_gives_the_same_replies,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_random_input_never_crashes, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_qom_get_edge_values, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_qom_get_negative_and_odd_types, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_quit_ends_the_main_loop_with_status_0,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_leftover_monitors_are_never_used, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_monitor_options, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_ambiguous_paths, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_cont_after_guest_shutdown_needs_a_reset,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_event_text_api, inproc_teardown),
        cmocka_unit_test_teardown(
            test_inprocess_every_qmp_option_gets_its_own_compat_monitor_chardev, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_every_object_has_a_type_property_spelled_string,
                                  inproc_teardown),
        cmocka_unit_test_teardown(
            test_inprocess_devices_have_realized_hotpluggable_hotplugged_and_parent_bus,
            inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_machine_has_memory_smp_boot_and_memory_backend,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_peripheral_containers_are_always_there_and_empty,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_unattached_devices_are_at_qemu_paths_as_links,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_query_cpus_fast_lists_every_hart, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_query_name_is_empty_without_name, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_query_name_gives_the_guest_name, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_query_version_names_qemu_7_2_22_and_tern,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_query_machines_has_qemu_7_2_keys_only,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_info_status_follows_the_run_state,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_info_version_is_qemu_then_tern,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_info_alone_lists_the_info_commands,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_info_qtree_shows_buses_devices_and_properties,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_info_mtree_is_the_memory_address_space,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_unknown_commands_get_qemu_lines,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_bad_cpu_index_is_refused, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_hmp_cont_after_guest_shutdown_prints_the_error,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_device_add_errors_are_qemu_7_2s, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_device_add_without_a_bus_of_its_type,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_device_del_errors_are_qemu_7_2s, inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_query_qmp_schema_describes_every_command,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_powerdown_request_is_the_powerdown_event,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_inprocess_a_structure_that_does_not_read_back_is_an_error,
                                  inproc_teardown),
        cmocka_unit_test_teardown(test_guest_shutdown_under_no_shutdown_is_shutdown_then_stop,
                                  run_teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
