/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chardev.h - character back ends: where a UART's bytes (or the qtest
 * protocol) come from and go to.
 *
 * Back ends: null, stdio, file, socket (unix, or tcp bound to loopback unless
 * another host is named; server or client) and ringbuf (in memory, for tests).
 * Input reaches the front end only through chardev_deliver_input(), the one
 * place the record/replay layer will watch.  Not here: the devices that use
 * them, and the protocol spoken over them.
 */
#ifndef TERN_CHARDEV_H
#define TERN_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "core/error.h"

typedef struct Chardev Chardev;

typedef enum {
    CHARDEV_EVENT_OPENED, /* a client connected (socket) */
    CHARDEV_EVENT_CLOSED, /* end of input, or the client went away */
} ChardevEvent;

typedef struct ChardevFrontend {
    /* How many bytes the front end can take now (0: stop reading). */
    size_t (*can_receive)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void (*event)(void *opaque, ChardevEvent event);
    void *opaque;
} ChardevFrontend;

typedef struct ChardevOptions {
    const char *backend; /* null, stdio, file, socket, ringbuf, serial (a device path, r/w) */
    const char *path;    /* file, unix socket */
    const char *host;    /* tcp; default 127.0.0.1 */
    const char *port;    /* tcp */
    bool server;
    bool wait;     /* server: accept the first client before returning */
    bool append;   /* file */
    uint64_t size; /* ringbuf capacity; 0 = 64 KiB */
    bool has_fd;   /* socket: fd is an already connected socket (QEMU's fd=N) */
    int fd;
} ChardevOptions;

/* Creates and registers a back end named id (unique). */
Chardev *chardev_new(const char *id, const ChardevOptions *opts, Error **errp);
/*
 * Creates one from a -serial / -qtest style spec: stdio, null, none (NULL
 * returned, no error), file:PATH, chardev:ID (the existing one), unix:PATH
 * or unix:path=PATH [,server=on|off][,wait=on|off], tcp:HOST:PORT[,server=on|off]
 * [,wait=on|off], or a plain path (no ':', or starting with '/' or '.'): a
 * device such as /dev/null opened for reading and writing.
 */
Chardev *chardev_new_from_spec(const char *id, const char *spec, Error **errp);
Chardev *chardev_find(const char *id);
const char *chardev_id(const Chardev *chr);
const char *chardev_backend(const Chardev *chr);

/* Connects a front end; a back end has at most one. */
bool chardev_set_frontend(Chardev *chr, const ChardevFrontend *fe, Error **errp);
void chardev_clear_frontend(Chardev *chr);
/* The front end can take input again after can_receive() said 0. */
void chardev_accept_input(Chardev *chr);

/* Writes all of buf (guest output).  Returns bytes written, or -1 when the peer is gone. */
ptrdiff_t chardev_write(Chardev *chr, const uint8_t *buf, size_t len);
/* Feeds input to the front end as if it came from the back end. */
void chardev_deliver_input(Chardev *chr, const uint8_t *buf, size_t len);
/* ringbuf: takes up to len bytes of what the guest wrote. */
size_t chardev_ringbuf_read(Chardev *chr, uint8_t *buf, size_t len);
/* The bound address of a tcp server ("127.0.0.1:PORT"), for port=0 tests. */
char *chardev_socket_address(Chardev *chr);

/*
 * ---- replay back ends (core/replay.h, docs/replay.md) ----
 * Under REPLAY_MODE_REPLAY, chardev_new makes every back end that would
 * touch the host (stdio, file, socket, serial) a replay back end: no fd; its
 * front end is opened when the live one would have been at creation (all but
 * a socket server with wait=off); what the front end writes is kept until
 * chardev_replay_take_output; input comes from chardev_deliver_input.
 * chardev_replay_open/_close deliver a peer's arrival and departure.
 */
bool chardev_is_replay(const Chardev *chr);
/* Appends what the front end wrote since the last call and forgets it. */
void chardev_replay_take_output(Chardev *chr, GByteArray *out);
void chardev_replay_open(Chardev *chr);
void chardev_replay_close(Chardev *chr);
/* Calls fn for every back end, in creation order. */
void chardev_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque);

/* Frees every back end (tern_cleanup). */
void chardev_cleanup_all(void);

#endif
