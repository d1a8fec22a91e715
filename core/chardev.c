/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chardev.c - the character back ends of chardev.h.
 *
 * Each back end owns at most two fds (in, out) and a listening socket for
 * servers.  Reading is driven by the main loop's fd handlers; when the front
 * end cannot take more, the read handler is removed until the front end
 * calls chardev_accept_input(), so the loop never spins on a readable fd.
 *
 * Record and replay (docs/replay.md): the back ends that touch the host
 * (stdio, file, socket, serial) report what they deliver, what their front
 * end writes and a peer's arrival and departure to core/replay.c.  Under
 * REPLAY_MODE_REPLAY those kinds are made without any fd (open_replay): the
 * replay harness gives their input and takes their output.  A replay back
 * end keeps its kind's name, so front ends that greet differently on a
 * socket behave as they did live.
 */
#include "core/chardev.h"
#include "core/coverage.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>

#include "core/cutils.h"
#include "core/error.h"
#include "core/main-loop.h"
#include "core/replay.h"

#define RINGBUF_DEFAULT_SIZE (64 * 1024)
#define READ_CHUNK           (64 * 1024)

typedef enum {
    BACKEND_NULL,
    BACKEND_STDIO,
    BACKEND_FILE,
    BACKEND_SOCKET,
    BACKEND_RINGBUF,
    BACKEND_SERIAL, /* a device path opened read-write (QEMU's legacy "/dev/..." specs) */
} Kind;

struct Chardev {
    char *id;
    Kind kind;
    int in_fd;     /* -1: no input */
    int out_fd;    /* -1: output discarded (null) or not connected */
    int listen_fd; /* socket servers */
    bool owns_in, owns_out;
    bool reading;      /* read handler installed */
    bool connected;    /* socket: a peer is there */
    char *unlink_path; /* unix server socket file to remove */
    ChardevFrontend fe;
    bool has_fe;
    GByteArray *ring; /* ringbuf */
    size_t ring_size;
    GByteArray *unsent;     /* socket: output the peer could not take yet, sent when writable */
    bool output_dropped;    /* socket: a shutdown came while the peer was not reading */
    bool replay;            /* a replay back end: no fd at all */
    GByteArray *replay_out; /* replay: what the front end wrote, not yet taken */
};

static GPtrArray *chardevs; /* registration order */

static const char *const kind_names[] = {"null", "stdio", "file", "socket", "ringbuf", "serial"};

Chardev *chardev_find(const char *id)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = chardevs->pdata[i];
        if (!strcmp(chr->id, id)) {
            return chr;
        }
    }
    return NULL;
}

const char *chardev_id(const Chardev *chr)
{
    return chr->id;
}

const char *chardev_backend(const Chardev *chr)
{
    return kind_names[chr->kind];
}

static void chardev_update_read_handler(Chardev *chr);

/* The live back ends whose traffic is host input and output (the replayed kinds). */
static bool chardev_recorded(const Chardev *chr)
{
    return !chr->replay && chr->kind != BACKEND_NULL && chr->kind != BACKEND_RINGBUF &&
           replay_recording();
}

static void chardev_event(Chardev *chr, ChardevEvent event)
{
    if (chr->has_fe && chr->fe.event) {
        chr->fe.event(chr->fe.opaque, event);
    }
}

static void chardev_disconnect(Chardev *chr)
{
    if (chr->in_fd >= 0) {
        set_fd_handler(chr->in_fd, NULL, NULL, NULL);
    }
    chr->reading = false;
    if (chr->unsent) {
        g_byte_array_set_size(chr->unsent, 0); /* the peer is gone: as a failed write */
    }
    if (chr->kind == BACKEND_SOCKET) {
        if (chr->in_fd >= 0) {
            close(chr->in_fd);
        }
        chr->in_fd = chr->out_fd = -1;
        chr->connected = false;
    } else if (chr->in_fd >= 0) {
        /* stdio or file input at end: stop reading, keep output. */
        if (chr->owns_in) {
            close(chr->in_fd);
        }
        chr->in_fd = -1;
    }
    if (chardev_recorded(chr)) {
        replay_record_chardev_close(chr->id);
    }
    chardev_event(chr, CHARDEV_EVENT_CLOSED);
    chardev_update_read_handler(chr);
}

void chardev_deliver_input(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (chr->has_fe && chr->fe.receive && len) {
        /* Recorded before the front end acts on it: a crash it causes still has its input. */
        if (chardev_recorded(chr)) {
            replay_record_chardev_in(chr->id, buf, len);
        }
        chr->fe.receive(chr->fe.opaque, buf, len);
    }
}

static size_t chardev_can_receive(Chardev *chr)
{
    if (!chr->has_fe || !chr->fe.receive) {
        return 0;
    }
    return chr->fe.can_receive ? chr->fe.can_receive(chr->fe.opaque) : READ_CHUNK;
}

static void chardev_read_ready(void *opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[READ_CHUNK];
    size_t want = chardev_can_receive(chr);
    ssize_t n;

    if (!want) {
        chardev_update_read_handler(chr);
        return;
    }
    n = read(chr->in_fd, buf, MIN(want, sizeof(buf)));
    testcase(n < 0 && errno == EAGAIN); /* woken for input another reader took */
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return;
    }
    if (n <= 0) {
        chardev_disconnect(chr);
        return;
    }
    chardev_deliver_input(chr, buf, n);
}

static bool chardev_has_unsent(const Chardev *chr)
{
    return chr->unsent && chr->unsent->len;
}

static void chardev_write_ready(void *opaque);

static void chardev_update_read_handler(Chardev *chr)
{
    bool want = chr->in_fd >= 0 && chardev_can_receive(chr) > 0;

    if (want != chr->reading) {
        set_fd_handler(chr->in_fd, want ? chardev_read_ready : NULL,
                       chardev_has_unsent(chr) ? chardev_write_ready : NULL, chr);
        chr->reading = want;
    }
}

/* Sends what it can without blocking; false when the peer is gone. */
static bool chardev_send_unsent(Chardev *chr)
{
    while (chardev_has_unsent(chr)) {
        ssize_t n =
            send(chr->out_fd, chr->unsent->data, chr->unsent->len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        }
        if (n <= 0) {
            return false;
        }
        g_byte_array_remove_range(chr->unsent, 0, n);
    }
    return true;
}

/* The socket peer can take more: send the queue, then stop watching for writability. */
static void chardev_write_ready(void *opaque)
{
    Chardev *chr = opaque;

    if (!chardev_send_unsent(chr)) {
        chardev_disconnect(chr);
        return;
    }
    if (!chardev_has_unsent(chr)) {
        set_fd_handler(chr->out_fd, chr->reading ? chardev_read_ready : NULL, NULL, chr);
    }
}

/*
 * Output to a socket never blocks the main loop: what the peer cannot take
 * now waits in chr->unsent, in order, and goes out when the socket is
 * writable.  QEMU's harnesses read a console only until the text they wait
 * for and then talk QMP; a blocking write would stop the monitor with them.
 * The guest sees no difference (no back pressure), so runs stay
 * deterministic.  Past UNSENT_LIMIT the write waits for the peer, as
 * before, so a peer that never reads cannot grow the queue without bound;
 * a shutdown signal ends that wait (the peer's output is then dropped).
 */
#define UNSENT_LIMIT (16 * 1024 * 1024)

static ptrdiff_t chardev_socket_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    bool was_empty = !chardev_has_unsent(chr);

    if (!chr->unsent) {
        chr->unsent = g_byte_array_new();
    }
    g_byte_array_append(chr->unsent, buf, len);
    /* Behind a queue, the write handler sends when the peer can take more: no call per byte. */
    if (was_empty && !chardev_send_unsent(chr)) {
        chardev_disconnect(chr);
        return -1;
    }
    while (chr->unsent->len > UNSENT_LIMIT) {
        testcase(true); /* a peer that reads nothing while megabytes pile up */
        bool writable = main_loop_wait_fd(chr->out_fd, POLLOUT);

        if (!writable && errno == EINTR) {
            /*
             * A shutdown signal is pending: the loop must see it, so the
             * wait ends here and this peer's output, queued or to come,
             * is dropped (no flush at exit either).
             */
            warn_report("chardev '%s': shutting down with the peer not reading; %u bytes of "
                        "output dropped",
                        chr->id, chr->unsent->len);
            g_byte_array_set_size(chr->unsent, 0);
            chr->output_dropped = true;
            set_fd_handler(chr->out_fd, chr->reading ? chardev_read_ready : NULL, NULL, chr);
            return len;
        }
        if (!writable || !chardev_send_unsent(chr)) {
            chardev_disconnect(chr);
            return -1;
        }
    }
    if (was_empty && chardev_has_unsent(chr)) {
        set_fd_handler(chr->out_fd, chr->reading ? chardev_read_ready : NULL, chardev_write_ready,
                       chr);
    } else if (!was_empty && !chardev_has_unsent(chr)) {
        set_fd_handler(chr->out_fd, chr->reading ? chardev_read_ready : NULL, NULL, chr);
    }
    return len;
}

void chardev_accept_input(Chardev *chr)
{
    chardev_update_read_handler(chr);
}

static void chardev_attach_peer(Chardev *chr, int fd)
{
    chr->in_fd = chr->out_fd = fd;
    chr->connected = true;
    if (chardev_recorded(chr)) {
        replay_record_chardev_open(chr->id);
    }
    chardev_event(chr, CHARDEV_EVENT_OPENED);
    chardev_update_read_handler(chr);
}

static void chardev_accept_ready(void *opaque)
{
    Chardev *chr = opaque;
    int fd = accept(chr->listen_fd, NULL, NULL);

    if (fd < 0) {
        return;
    }
    if (chr->connected) {
        close(fd); /* one peer at a time, as QEMU */
        return;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    chardev_attach_peer(chr, fd);
}

bool chardev_set_frontend(Chardev *chr, const ChardevFrontend *fe, Error **errp)
{
    if (chr->has_fe) {
        error_setg(errp, "chardev '%s' is already in use", chr->id);
        return false;
    }
    chr->fe = *fe;
    chr->has_fe = true;
    if (chr->connected) {
        chardev_event(chr, CHARDEV_EVENT_OPENED);
    }
    chardev_update_read_handler(chr);
    return true;
}

void chardev_clear_frontend(Chardev *chr)
{
    chr->has_fe = false;
    memset(&chr->fe, 0, sizeof(chr->fe));
    chardev_update_read_handler(chr);
}

ptrdiff_t chardev_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    size_t done = 0;

    if (chr->replay) {
        g_byte_array_append(chr->replay_out, buf, len);
        return len;
    }
    /* Recorded before the peer can see it (and answer, or kill the process). */
    if (chardev_recorded(chr)) {
        replay_record_chardev_out(chr->id, buf, len);
    }
    if (chr->kind == BACKEND_RINGBUF) {
        g_byte_array_append(chr->ring, buf, len);
        if (chr->ring->len > chr->ring_size) {
            g_byte_array_remove_range(chr->ring, 0, chr->ring->len - chr->ring_size);
        }
        return len;
    }
    if (chr->kind == BACKEND_NULL) {
        return len;
    }
    if (chr->out_fd < 0) {
        return chr->kind == BACKEND_SOCKET ? (ptrdiff_t)len : -1; /* no peer yet: dropped */
    }
    if (chr->kind == BACKEND_SOCKET) {
        return chr->output_dropped ? (ptrdiff_t)len : chardev_socket_write(chr, buf, len);
    }
    while (done < len) {
        ssize_t n = write(chr->out_fd, buf + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        testcase(n >= 0 && (size_t)n < len - done); /* a short write */
        if (n < 0 && errno == EAGAIN) {
            /* A slow peer: wait for it rather than lose data. */
            fd_set set;
            FD_ZERO(&set);
            FD_SET(chr->out_fd, &set);
            select(chr->out_fd + 1, NULL, &set, NULL, NULL);
            continue;
        }
        if (n <= 0) {
            if (chr->kind == BACKEND_SOCKET) {
                chardev_disconnect(chr);
            }
            return -1;
        }
        done += n;
    }
    return done;
}

size_t chardev_ringbuf_read(Chardev *chr, uint8_t *buf, size_t len)
{
    size_t n;

    if (chr->kind != BACKEND_RINGBUF) {
        return 0;
    }
    n = MIN(len, chr->ring->len);
    if (n == 0) {
        return 0; /* an empty GByteArray's data may be NULL */
    }
    memcpy(buf, chr->ring->data, n);
    g_byte_array_remove_range(chr->ring, 0, n);
    return n;
}

char *chardev_socket_address(Chardev *chr)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (chr->kind != BACKEND_SOCKET || chr->listen_fd < 0 ||
        getsockname(chr->listen_fd, (struct sockaddr *)&ss, &sl) < 0 || ss.ss_family == AF_UNIX ||
        getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port, sizeof(port),
                    NI_NUMERICHOST | NI_NUMERICSERV)) {
        return NULL;
    }
    return g_strdup_printf("%s:%s", host, port);
}

static bool open_unix(Chardev *chr, const ChardevOptions *o, Error **errp)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(o->path) >= sizeof(sa.sun_path)) {
        error_setg(errp, "unix socket path '%s' is too long", o->path);
        return false;
    }
    strcpy(sa.sun_path, o->path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot create a unix socket");
        return false;
    }
    if (o->server) {
        unlink(o->path);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
            error_setg_errno(errp, errno, "Failed to bind socket to %s", o->path);
            close(fd);
            return false;
        }
        chr->listen_fd = fd;
        chr->unlink_path = g_strdup(o->path);
        return true;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", o->path);
        close(fd);
        return false;
    }
    chr->in_fd = chr->out_fd = fd;
    chr->connected = true;
    return true;
}

static bool open_tcp(Chardev *chr, const ChardevOptions *o, Error **errp)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    const char *host = o->host && *o->host ? o->host : "127.0.0.1";
    uint64_t port;
    int fd = -1, rc;

    if (!o->port || qemu_strtou64(o->port, NULL, 10, &port) < 0 || port > 65535) {
        error_setg(errp, "tcp port '%s' is not a number from 0 to 65535", o->port ? o->port : "");
        return false;
    }
    hints.ai_flags = o->server ? AI_PASSIVE : 0;
    rc = getaddrinfo(host, o->port, &hints, &res);
    if (rc) {
        error_setg(errp, "cannot resolve '%s': %s", host, gai_strerror(rc));
        return false;
    }
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot create a tcp socket");
        freeaddrinfo(res);
        return false;
    }
    if (o->server) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 1) < 0) {
            error_setg_errno(errp, errno, "cannot listen on %s:%s", host, o->port);
            close(fd);
            freeaddrinfo(res);
            return false;
        }
        chr->listen_fd = fd;
    } else {
        if (connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
            error_setg_errno(errp, errno, "Failed to connect to '%s:%s'", host, o->port);
            close(fd);
            freeaddrinfo(res);
            return false;
        }
        chr->in_fd = chr->out_fd = fd;
        chr->connected = true;
    }
    freeaddrinfo(res);
    return true;
}

/* fd=N: a stream socket the caller made, connected (or listening, with server=on). */
static bool open_fd(Chardev *chr, const ChardevOptions *o, Error **errp)
{
    int type = 0;
    socklen_t len = sizeof(type);

    if (o->fd < 0 || getsockopt(o->fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg(errp, "File descriptor '%d' is not a socket", o->fd); /* QEMU's words */
        return false;
    }
    if (type != SOCK_STREAM) {
        error_setg(errp, "fd=%d is not a stream socket", o->fd);
        return false;
    }
    fcntl(o->fd, F_SETFD, FD_CLOEXEC);
    if (o->server) {
        chr->listen_fd = o->fd;
    } else {
        chr->in_fd = chr->out_fd = o->fd;
        chr->connected = true;
    }
    return true;
}

/*
 * A replay back end for stdio, file, socket and serial: the option checks
 * that do not depend on the host (so a recorded start-up error replays),
 * then no fd.  Connected at creation where the live back end would have
 * been: a socket client, or a server that waited for its first client.
 */
static bool open_replay(Chardev *chr, const ChardevOptions *o, Kind kind, Error **errp)
{
    chr->kind = kind;
    chr->replay = true;
    chr->replay_out = g_byte_array_new();
    switch (kind) {
    case BACKEND_FILE:
        if (!o->path || !*o->path) {
            error_setg(errp, "chardev backend 'file' needs path=");
            return false;
        }
        return true;
    case BACKEND_SERIAL:
        if (!o->path) {
            error_setg_errno(errp, EINVAL, "cannot open ''");
            return false;
        }
        return true;
    case BACKEND_SOCKET: {
        uint64_t port;

        if ((o->path != NULL) + (o->port != NULL) + o->has_fd != 1) {
            error_setg(errp, "chardev backend 'socket' needs either path= or host=/port=");
            return false;
        }
        if (o->path && strlen(o->path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
            error_setg(errp, "unix socket path '%s' is too long", o->path);
            return false;
        }
        if (o->port && (qemu_strtou64(o->port, NULL, 10, &port) < 0 || port > 65535)) {
            error_setg(errp, "tcp port '%s' is not a number from 0 to 65535", o->port);
            return false;
        }
        chr->connected = !o->server || o->wait;
        return true;
    }
    default:
        return true;
    }
}

static bool open_backend(Chardev *chr, const ChardevOptions *o, Error **errp)
{
    const char *b = o->backend ? o->backend : "";

    if (replay_mode() == REPLAY_MODE_REPLAY) {
        static const Kind replayed[] = {BACKEND_STDIO, BACKEND_FILE, BACKEND_SOCKET,
                                        BACKEND_SERIAL};

        for (size_t i = 0; i < G_N_ELEMENTS(replayed); i++) {
            if (!strcmp(b, kind_names[replayed[i]])) {
                return open_replay(chr, o, replayed[i], errp);
            }
        }
    }

    if (!strcmp(b, "null")) {
        chr->kind = BACKEND_NULL;
        return true;
    }
    if (!strcmp(b, "stdio")) {
        chr->kind = BACKEND_STDIO;
        chr->in_fd = STDIN_FILENO;
        chr->out_fd = STDOUT_FILENO;
        return true;
    }
    if (!strcmp(b, "ringbuf")) {
        chr->kind = BACKEND_RINGBUF;
        chr->ring = g_byte_array_new();
        chr->ring_size = o->size ? o->size : RINGBUF_DEFAULT_SIZE;
        return true;
    }
    if (!strcmp(b, "file")) {
        int fd;
        if (!o->path || !*o->path) {
            error_setg(errp, "chardev backend 'file' needs path=");
            return false;
        }
        /* A FIFO waits for its reader, as QEMU; a shutdown signal ends the wait. */
        fd = main_loop_open_output(
            o->path, O_WRONLY | O_CREAT | O_CLOEXEC | (o->append ? O_APPEND : O_TRUNC), 0666);
        if (fd < 0) {
            error_setg_errno(errp, errno, "cannot open '%s'", o->path);
            return false;
        }
        chr->kind = BACKEND_FILE;
        chr->out_fd = fd;
        chr->owns_out = true;
        return true;
    }
    if (!strcmp(b, "serial")) {
        /* Opened without waiting (as QEMU: a tty does not wait for its carrier). */
        int fd = o->path ? main_loop_open_output(o->path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0) : -1;
        if (fd < 0) {
            error_setg_errno(errp, o->path ? errno : EINVAL, "cannot open '%s'",
                             o->path ? o->path : "");
            return false;
        }
        chr->kind = BACKEND_SERIAL;
        chr->in_fd = fd;
        chr->out_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0); /* input may close at EOF; output stays */
        chr->owns_in = chr->owns_out = true;
        return true;
    }
    if (!strcmp(b, "socket")) {
        bool ok;
        chr->kind = BACKEND_SOCKET;
        chr->owns_in = chr->owns_out = true;
        if ((o->path != NULL) + (o->port != NULL) + o->has_fd != 1) {
            error_setg(errp, "chardev backend 'socket' needs either path= or host=/port=");
            return false;
        }
        ok = o->has_fd ? open_fd(chr, o, errp)
             : o->path ? open_unix(chr, o, errp)
                       : open_tcp(chr, o, errp);
        if (ok && chr->listen_fd >= 0) {
            if (o->wait) {
                int fd = -1;

                /*
                 * The first client, before the main loop runs.  A shutdown
                 * signal ends the wait (EINTR, the signal still pending):
                 * tern_init() then ends start-up as that shutdown.
                 */
                while (fd < 0) {
                    if (!main_loop_wait_fd(chr->listen_fd, POLLIN)) {
                        error_setg_errno(errp, errno, "accept failed");
                        return false;
                    }
                    fd = accept(chr->listen_fd, NULL, NULL);
                    if (fd < 0 && errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
                        error_setg_errno(errp, errno, "accept failed");
                        return false;
                    }
                }
                fcntl(fd, F_SETFD, FD_CLOEXEC);
                chr->in_fd = chr->out_fd = fd;
                chr->connected = true;
            }
            set_fd_handler(chr->listen_fd, chardev_accept_ready, NULL, chr);
        }
        return ok;
    }
    error_setg(errp, "unknown chardev backend '%s' (null, stdio, file, socket or ringbuf)", b);
    return false;
}

/* Host time given to a socket peer at exit to take what is queued for it. */
#define CLOSE_FLUSH_MS 1000

static void chardev_free(Chardev *chr)
{
    if (chardev_has_unsent(chr)) {
        /*
         * Last words (a reply to quit, a SHUTDOWN event) for a peer that is
         * reading, within CLOSE_FLUSH_MS in all: a slow reader must not hold
         * the exit.  Only the exit waits on host time; the guest never sees it.
         */
        struct pollfd pfd = {.fd = chr->out_fd, .events = POLLOUT};
        gint64 deadline = g_get_monotonic_time() + CLOSE_FLUSH_MS * 1000;
        bool peer_gone = false;

        for (;;) {
            gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;

            if (!chardev_send_unsent(chr)) {
                peer_gone = true;
                break;
            }
            if (!chardev_has_unsent(chr) || left_ms <= 0 || poll(&pfd, 1, (int)left_ms) <= 0) {
                break;
            }
        }
        if (!peer_gone && chardev_has_unsent(chr)) {
            warn_report("chardev '%s': %u bytes of output dropped at exit: the peer did not take "
                        "them within %d ms",
                        chr->id, chr->unsent->len, CLOSE_FLUSH_MS);
        }
    }
    if (chr->reading || chardev_has_unsent(chr)) {
        set_fd_handler(chr->in_fd, NULL, NULL, NULL);
    }
    if (chr->listen_fd >= 0) {
        set_fd_handler(chr->listen_fd, NULL, NULL, NULL);
        close(chr->listen_fd);
    }
    if (chr->kind == BACKEND_SOCKET && chr->in_fd >= 0) {
        close(chr->in_fd);
    } else {
        if (chr->owns_in && chr->in_fd >= 0) {
            close(chr->in_fd);
        }
        if (chr->owns_out && chr->out_fd >= 0) {
            close(chr->out_fd);
        }
    }
    if (chr->unlink_path) {
        unlink(chr->unlink_path);
        g_free(chr->unlink_path);
    }
    if (chr->ring) {
        g_byte_array_free(chr->ring, TRUE);
    }
    if (chr->replay_out) {
        g_byte_array_free(chr->replay_out, TRUE);
    }
    if (chr->unsent) {
        g_byte_array_free(chr->unsent, TRUE);
    }
    g_free(chr->id);
    g_free(chr);
}

Chardev *chardev_new(const char *id, const ChardevOptions *opts, Error **errp)
{
    Chardev *chr;

    if (chardev_find(id)) {
        error_setg(errp, "duplicate chardev id '%s'", id);
        return NULL;
    }
    chr = g_new0(Chardev, 1);
    chr->id = g_strdup(id);
    chr->in_fd = chr->out_fd = chr->listen_fd = -1;
    if (!open_backend(chr, opts, errp)) {
        chardev_free(chr);
        return NULL;
    }
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return chr;
}

static bool parse_onoff(const char *s, bool *value)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *value = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *value = false;
        return true;
    }
    return false;
}

/* Parses ",server=on,wait=off"-style suffixes of a socket spec. */
static bool parse_socket_flags(char **flags, ChardevOptions *o, Error **errp)
{
    o->server = false;
    o->wait = true;
    for (; *flags; flags++) {
        const char *f = *flags;
        bool *target = NULL, value = true;
        const char *eq = strchr(f, '=');
        char *key = eq ? g_strndup(f, eq - f) : g_strdup(f);

        if (!strcmp(key, "server")) {
            target = &o->server;
        } else if (!strcmp(key, "wait")) {
            target = &o->wait;
        } else if (!strcmp(key, "nowait")) {
            target = &o->wait;
            value = false;
        }
        g_free(key);
        if (!target || (eq && !parse_onoff(eq + 1, &value))) {
            error_setg(errp, "invalid socket option '%s'", f);
            return false;
        }
        *target = value;
    }
    if (!o->server) {
        o->wait = false;
    }
    return true;
}

Chardev *chardev_new_from_spec(const char *id, const char *spec, Error **errp)
{
    ChardevOptions o = {0};
    gchar **parts = NULL;
    Chardev *chr = NULL;
    char *port = NULL;

    if (!strcmp(spec, "none")) {
        return NULL;
    }
    if (g_str_has_prefix(spec, "chardev:")) {
        chr = chardev_find(spec + 8);
        if (!chr) {
            error_setg(errp, "no chardev with id '%s'", spec + 8);
        }
        return chr;
    }
    if (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio") || !strcmp(spec, "null")) {
        o.backend = strcmp(spec, "null") ? "stdio" : "null";
    } else if (g_str_has_prefix(spec, "file:")) {
        o.backend = "file";
        o.path = spec + 5;
    } else if (g_str_has_prefix(spec, "unix:") || g_str_has_prefix(spec, "tcp:")) {
        parts = g_strsplit(spec + (spec[0] == 'u' ? 5 : 4), ",", -1);
        o.backend = "socket";
        if (!parts[0] || !*parts[0]) {
            error_setg(errp, "invalid socket spec '%s' (no address)", spec);
            goto out;
        }
        if (!parse_socket_flags(parts + 1, &o, errp)) {
            goto out;
        }
        if (spec[0] == 'u') {
            o.path = g_str_has_prefix(parts[0], "path=") ? parts[0] + 5 : parts[0];
        } else {
            char *colon = strrchr(parts[0], ':');
            if (!colon) {
                error_setg(errp, "invalid tcp address '%s' (HOST:PORT)", parts[0]);
                goto out;
            }
            o.host = port = g_strndup(parts[0], colon - parts[0]);
            o.port = colon + 1;
        }
    } else if (*spec && (!strchr(spec, ':') || spec[0] == '/' || spec[0] == '.')) {
        o.backend = "serial"; /* a plain path: a device such as /dev/null, read and written */
        o.path = spec;
    } else {
        error_setg(errp, "invalid chardev spec '%s'", spec);
        return NULL;
    }
    chr = chardev_new(id, &o, errp);
out:
    g_strfreev(parts);
    g_free(port);
    return chr;
}

/* ---- replay back ends ---- */

bool chardev_is_replay(const Chardev *chr)
{
    return chr->replay;
}

void chardev_replay_take_output(Chardev *chr, GByteArray *out)
{
    if (chr->replay && chr->replay_out->len) {
        g_byte_array_append(out, chr->replay_out->data, chr->replay_out->len);
        g_byte_array_set_size(chr->replay_out, 0);
    }
}

void chardev_replay_open(Chardev *chr)
{
    chr->connected = true;
    chardev_event(chr, CHARDEV_EVENT_OPENED);
}

void chardev_replay_close(Chardev *chr)
{
    chr->connected = false;
    chardev_event(chr, CHARDEV_EVENT_CLOSED);
}

void chardev_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        fn(chardevs->pdata[i], opaque);
    }
}

void chardev_cleanup_all(void)
{
    if (!chardevs) {
        return;
    }
    for (guint i = 0; i < chardevs->len; i++) {
        chardev_free(chardevs->pdata[i]);
    }
    g_ptr_array_free(chardevs, TRUE);
    chardevs = NULL;
}
