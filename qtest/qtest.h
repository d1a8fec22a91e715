/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest.h - the qtest protocol server: QEMU's line protocol that lets a test
 * (or a fuzzer) read and write guest memory and ports, move the virtual
 * clock and watch interrupt lines, with no guest code running.
 *
 * One engine, two transports.  The engine takes bytes (qtest_server_feed)
 * and emits reply text through a send callback; it never blocks and never
 * aborts on what it is fed: malformed requests get one "ERR ..." line
 * (../shared/spec/qtest-protocol.md §4).  The transports:
 *  - a chardev (-qtest SPEC, -object qtest,chardev=ID): the server lives in a
 *    "qtest" object in the tree (/machine/qtest) and dies with it;
 *  - in-process (tests, fuzzers): qtest_server_new() with a callback that
 *    collects the replies; no sockets, no threads, replies arrive before
 *    qtest_server_feed() returns.
 *
 * Not here: the client side (libqtest.h), the qtest accelerator
 * (accel-qtest.c), the csr command (it comes with the hart interpreter).
 */
#ifndef TERN_QTEST_H
#define TERN_QTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/chardev.h"
#include "core/error.h"

#define TYPE_QTEST "qtest"

/* Default largest SIZE of read, write, b64read, b64write and memset. */
#define QTEST_DEFAULT_TRANSFER_LIMIT (UINT64_C(256) << 20)
/* IRQ levels remembered per line number (libqtest's table size). */
#define QTEST_IRQ_LEVELS 256

typedef struct QTestServer QTestServer;

/* Receives reply text: one or more whole lines, each ending in '\n'. */
typedef void QTestSendFunc(void *opaque, const char *text, size_t len);

/*
 * A server that sends its replies through send.  The newest server is the
 * one intercepted IRQ lines report to (there is one per run in practice).
 * The connection starts closed: call qtest_server_open().
 */
QTestServer *qtest_server_new(QTestSendFunc *send, void *opaque);
/* Logs CLOSED if open, forgets buffered input and frees the server. */
void qtest_server_free(QTestServer *s);

/*
 * The -qtest-log file: NULL for none.  With own, the server closes it when
 * freed.  The log lines of one qtest_server_feed() are written together
 * (one write() where log has a descriptor), always before the replies they
 * describe are sent.
 */
void qtest_server_set_log(QTestServer *s, FILE *log, bool own);
/*
 * Writes out the newest server's log lines still held: call it before
 * writing anything else to the log's file while a command runs (a fuzzer's
 * "[DMA] " tag), so the log keeps its order.
 */
void qtest_log_flush(void);
/*
 * On: the log has no "[S +t]" reply lines, as QEMU's in-process fuzzer log
 * (its reorder script would keep reply lines and move DMA fills only past them).
 */
void qtest_server_set_log_requests_only(QTestServer *s, bool on);
/* From a -qtest-log argument: NULL means stderr, "none" no log, else a file (truncated). */
bool qtest_server_set_log_path(QTestServer *s, const char *path, Error **errp);
/* The largest SIZE accepted by the bulk commands (and with it the longest line). */
void qtest_server_set_transfer_limit(QTestServer *s, uint64_t bytes);

/* A client connected: logs "[I 0.000000] OPENED", clears the IRQ level cache. */
void qtest_server_open(QTestServer *s);
/* End of input: logs CLOSED once; a partial line is dropped. */
void qtest_server_close(QTestServer *s);
bool qtest_server_is_open(const QTestServer *s);

/*
 * Input bytes.  Every complete line is executed in order and answered before
 * this returns; deferred work (bottom halves, timers already due) runs after
 * each command.  A trailing partial line waits for more input.  Fed from
 * inside a command (a fuzzer's DMA fill, made while a device reads guest
 * memory), the nested lines run at once with buffers of their own and
 * leave deferred work to the command under way.
 */
void qtest_server_feed(QTestServer *s, const void *buf, size_t len);
/*
 * What the server runs after each command: bottom halves and virtual timers
 * already due, in rounds while any ran (bounded).  A fuzzer accessing memory
 * directly calls it to behave as the server would.  Returns whether any ran.
 */
bool qtest_run_deferred(void);

/*
 * The session as a fuzzer puts it back after every input (docs/fuzzing.md):
 * _save remembers the IRQ level cache and the interrupt intercept in place;
 * _restore drops buffered input, removes an intercept installed since (its
 * lines go back as they were) and sets the cache back; _check says what
 * differs from the save.  The machine itself is the snapshot core's.
 */
void qtest_server_session_save(QTestServer *s);
void qtest_server_session_restore(QTestServer *s);
bool qtest_server_session_check(QTestServer *s, Error **errp);

/*
 * Starts the chardev transport: the "qtest" object on chr, at /machine/qtest.
 * log as for qtest_server_set_log_path().  At most one per run.
 */
bool qtest_server_start_chardev(Chardev *chr, const char *log, Error **errp);
/* The running chardev server (or NULL): for tests. */
QTestServer *qtest_server_chardev_current(void);

#endif
