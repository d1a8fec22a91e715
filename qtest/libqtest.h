/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest.h - the qtest client: what device tests (and later the fuzzers)
 * drive Tern with.  The names and semantics are libqtest's, so that a test
 * written against QEMU's reads the same here.
 *
 * Transports:
 *  - QTEST_TRANSPORT_INPROC: tern_init() in this process with -accel qtest
 *    and an in-process server (qtest.h); no fork, no socket, replies are
 *    there as soon as a request is sent.  One such state at a time.
 *  - QTEST_TRANSPORT_UNIX: a spawned tern binary connected back to a unix
 *    socket this client listens on (as libqtest: -qtest unix:SOCK
 *    -qtest-log /dev/null -accel qtest).
 *  - QTEST_TRANSPORT_STDIO: a spawned tern binary speaking on its stdin and
 *    stdout (-qtest stdio).
 * qtest_init() uses $TERN_QTEST_TRANSPORT (inproc, unix, stdio; default unix).
 * The binary is $QTEST_QEMU_BINARY, else $TERN_BUILD_ROOT/tern, else "tern".
 * $QTEST_LOG set: the server logs to stderr.
 *
 * Errors (no reply within the timeout, the server died, a reply that is not
 * "OK ...") are test failures: the failure handler is called with a message
 * (default: print it and abort()); a spawned server is killed first, so a
 * failing test never leaves one behind and never hangs.
 */
#ifndef TERN_LIBQTEST_H
#define TERN_LIBQTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct QTestState QTestState;

typedef enum {
    QTEST_TRANSPORT_DEFAULT, /* $TERN_QTEST_TRANSPORT, else unix */
    QTEST_TRANSPORT_INPROC,
    QTEST_TRANSPORT_UNIX,
    QTEST_TRANSPORT_STDIO,
} QTestTransport;

/* Seconds to wait for the server to connect and for each reply (default 60). */
#define QTEST_DEFAULT_TIMEOUT_S 60

/*
 * Called on every client-side failure with a one-line message.  It may
 * longjmp (cmocka's fail_msg); if it returns, the call that failed returns
 * 0 (or an empty result) and the state stays broken.  NULL: the default.
 */
typedef void QTestFailFunc(const char *message);
void qtest_set_fail_handler(QTestFailFunc *fn);

/* Starts a server with extra_args (shell-style words) on the chosen transport. */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
QTestState *qtest_init_transport(QTestTransport transport, const char *extra_args);
/* Same, without the endianness handshake (protocol tests that check the first reply). */
QTestState *qtest_init_without_handshake(QTestTransport transport, const char *extra_args);
/*
 * Ends the server (SIGTERM, up to 30 s, then SIGKILL; in-process:
 * tern_cleanup) and frees s.  A failure when it died from a signal or
 * exited with a status other than the expected one (default 0).
 */
void qtest_quit(QTestState *s);
void qtest_set_expected_status(QTestState *s, int status);
/*
 * Waits up to timeout_ms for the server to end by itself (a guest exit) and
 * returns its exit status; a failure if it does not.  In-process, the client
 * does what tern's main loop would after every request (act on a reset or
 * exit the guest asked for), so this returns the status of an exit already
 * requested, and requests after it still get replies.
 */
int qtest_wait_exit(QTestState *s, int timeout_ms);
QTestTransport qtest_transport(const QTestState *s);
/* The spawned server's pid (0 in-process). */
int qtest_pid(const QTestState *s);
void qtest_set_timeout(QTestState *s, int seconds);

/*
 * In-process sessions reset by a fuzzer after every input (fuzz/fuzz.c):
 * _save remembers the client's IRQ levels and the server's session
 * (qtest_server_session_save); _restore puts both back and forgets unread
 * replies, a guest exit and a failure seen since; _check names what differs (a
 * malloc'ed message, or NULL).  qtest_broken: a failure was reported.
 */
void qtest_inproc_save(QTestState *s);
void qtest_inproc_restore(QTestState *s);
char *qtest_inproc_check(QTestState *s);
bool qtest_broken(const QTestState *s);
/*
 * What the in-process client does after every request it sends: act on a
 * guest's reset or shutdown request as tern's main loop would.  A fuzzer
 * that reaches the machine directly calls it after each access, so that
 * both paths leave the same machine.
 */
void qtest_inproc_process_requests(QTestState *s);

/* ---- raw protocol (protocol tests) ------------------------------------------------- */

void qtest_sendf(QTestState *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qtest_vsendf(QTestState *s, const char *fmt, va_list ap);
/* Sends len bytes as they are (NUL bytes included). */
void qtest_send_bytes(QTestState *s, const void *data, size_t len);
/*
 * The next line without its '\n' (g_free it).  qtest_receive_line returns
 * every line, "IRQ ..." ones included; qtest_receive skips those (recording
 * the levels) and returns the reply.  On timeout or EOF: a failure.
 */
char *qtest_receive_line(QTestState *s);
char *qtest_receive(QTestState *s);
/* The next line if one arrives within timeout_ms, else NULL (no failure). */
char *qtest_try_receive_line(QTestState *s, int timeout_ms);
/* Sends a request and returns its reply (qtest_receive). */
char *qtest_cmd(QTestState *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- libqtest's API ------------------------------------------------------------------- */

bool qtest_big_endian(QTestState *s);

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value);
void qtest_outw(QTestState *s, uint16_t addr, uint16_t value);
void qtest_outl(QTestState *s, uint16_t addr, uint32_t value);
uint8_t qtest_inb(QTestState *s, uint16_t addr);
uint16_t qtest_inw(QTestState *s, uint16_t addr);
uint32_t qtest_inl(QTestState *s, uint16_t addr);

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);

/* "read"/"write" with hex data; size 0 sends nothing. */
void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *data, size_t size);
/* "b64read"/"b64write". */
void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data, size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size);

/* Virtual clock (qtest accelerator): return the new time in ns. */
int64_t qtest_clock_step_next(QTestState *s);
int64_t qtest_clock_step(QTestState *s, int64_t step);
int64_t qtest_clock_set(QTestState *s, int64_t val);

void qtest_irq_intercept_in(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out_named(QTestState *s, const char *qom_path, const char *name);
/* name NULL: the unnamed input list. */
void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name, int num, int level);
/* The last level reported for line num (after an "inb 0x0" round trip, as libqtest). */
bool qtest_get_irq(QTestState *s, int num);

#endif
