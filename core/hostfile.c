/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostfile.c - files named by the user: opened, checked and read safely
 * (see hostfile.h for the contract and docs/design.md, "Host files", for the
 * limits).
 *
 * The order is the point: open without blocking, fstat() the descriptor,
 * refuse by kind and size, and only then read, from that same descriptor,
 * never more than the limit + 1.  A check by name followed by an open would
 * leave a window in which the file could be replaced by a pipe or a device.
 */
#include "core/hostfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>

#include "core/coverage.h"
#include "core/main-loop.h"
#include "core/fdset.h"
#include "core/runstate.h"

/* Reads are done in pieces of at most this much (read() caps a call near 2 GiB anyway). */
#define HOSTFILE_READ_CHUNK ((size_t)1 << 30)
/* First buffer for a stream of unknown length (a pipe, standard input). */
#define HOSTFILE_STREAM_START ((size_t)64 << 10)

/* ---- messages ------------------------------------------------------------------------------ */

/* "OPTION PATH: reason", or the reason alone when option is NULL. */
static void G_GNUC_PRINTF(4, 5)
    hostfile_error(Error **errp, const char *option, const char *path, const char *fmt, ...)
{
    va_list ap;
    char *reason;

    va_start(ap, fmt);
    reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (option) {
        error_setg(errp, "%s %s: %s", option, path, reason);
    } else {
        error_setg(errp, "%s", reason);
    }
    g_free(reason);
}

unsigned hostfile_kind_of(mode_t mode)
{
    if (S_ISREG(mode)) {
        return HOSTFILE_REGULAR;
    }
    if (S_ISBLK(mode)) {
        return HOSTFILE_BLOCK;
    }
    if (S_ISCHR(mode)) {
        return HOSTFILE_CHAR;
    }
    if (S_ISFIFO(mode)) {
        return HOSTFILE_FIFO;
    }
    return 0;
}

static const char *hostfile_what_it_is(mode_t mode)
{
    if (S_ISDIR(mode)) {
        return "is a directory";
    }
    if (S_ISFIFO(mode)) {
        return "is a named pipe (FIFO)";
    }
    if (S_ISCHR(mode)) {
        return "is a character device";
    }
    if (S_ISBLK(mode)) {
        return "is a block device";
    }
    if (S_ISSOCK(mode)) {
        return "is a socket";
    }
    return "is not a regular file";
}

/* "a regular file or a block device is needed" */
static char *hostfile_what_is_needed(unsigned allowed)
{
    static const struct {
        unsigned kind;
        const char *name;
    } names[] = {
        {HOSTFILE_REGULAR, "a regular file"},
        {HOSTFILE_BLOCK, "a block device"},
        {HOSTFILE_CHAR, "a character device"},
        {HOSTFILE_FIFO, "a pipe"},
    };
    GPtrArray *wanted = g_ptr_array_new();
    GString *text = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (allowed & names[i].kind) {
            g_ptr_array_add(wanted, (gpointer)names[i].name);
        }
    }
    for (guint i = 0; i < wanted->len; i++) {
        if (i) {
            g_string_append(text, i + 1 == wanted->len ? " or " : ", ");
        }
        g_string_append(text, wanted->pdata[i]);
    }
    g_string_append(text, wanted->len ? " is needed" : "nothing is accepted");
    g_ptr_array_free(wanted, TRUE);
    return g_string_free(text, FALSE);
}

char *hostfile_refusal(mode_t mode, unsigned allowed)
{
    char *needed, *text;

    if (hostfile_kind_of(mode) & allowed) {
        return NULL;
    }
    needed = hostfile_what_is_needed(allowed);
    text = g_strdup_printf("%s; %s", hostfile_what_it_is(mode), needed);
    g_free(needed);
    return text;
}

static void hostfile_too_big(Error **errp, const char *option, const char *path, uint64_t size,
                             uint64_t max_size, const char *limit_name)
{
    if (limit_name) {
        hostfile_error(errp, option, path,
                       "is %" PRIu64 " bytes, too big for %s (%" PRIu64 " bytes)", size, limit_name,
                       max_size);
    } else {
        hostfile_error(errp, option, path,
                       "is %" PRIu64 " bytes, above the limit of %" PRIu64 " bytes", size,
                       max_size);
    }
}

/* ---- opening ------------------------------------------------------------------------------- */

/* The shutdown signal that has arrived and not yet been acted on, or 0. */
static int pending_shutdown_signal(void)
{
    int signo = 0;

    return runstate_shutdown_signal_pending(&signo, NULL) ? signo : 0;
}

/* open() failed with err: say why, in the words a kind check would use where it can. */
static void hostfile_open_failed(Error **errp, const char *option, const char *path, int err,
                                 unsigned allowed)
{
    struct stat st;
    char *refusal = NULL;
    int sig = pending_shutdown_signal();

    if (err == EINTR && sig) {
        hostfile_error(errp, option, path, "interrupted by signal %d (%s) while opening", sig,
                       g_strsignal(sig));
        return;
    }
    /*
     * EISDIR (a directory opened for writing) and ENXIO (a socket, or a
     * device with no driver): stat() only to word the message; nothing is
     * opened after it, so there is no race to worry about.
     */
    if ((err == EISDIR || err == ENXIO) && stat(path, &st) == 0) {
        refusal = hostfile_refusal(st.st_mode, allowed);
    }
    if (refusal) {
        hostfile_error(errp, option, path, "%s", refusal);
    } else {
        hostfile_error(errp, option, path, "cannot open: %s", g_strerror(err));
    }
    g_free(refusal);
}

int hostfile_open(const char *option, const char *path, int access, unsigned allowed,
                  uint64_t max_size, const char *limit_name, Error **errp)
{
    struct stat st;
    char *refusal;
    int fd;

    if (!*path) {
        hostfile_error(errp, option, path, "empty file name");
        return -1;
    }
    /* O_NONBLOCK: open() of a named pipe with no writer returns at once instead of waiting. */
    do {
        fd = fdset_is_path(path) ? fdset_open(path, access)
                                 : open(path, access | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR && !pending_shutdown_signal());
    if (fd < 0) {
        hostfile_open_failed(errp, option, path, errno, allowed);
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        hostfile_error(errp, option, path, "cannot open: %s", g_strerror(errno));
        goto err;
    }
    refusal = hostfile_refusal(st.st_mode, allowed);
    if (refusal) {
        hostfile_error(errp, option, path, "%s", refusal);
        g_free(refusal);
        goto err;
    }
    testcase(S_ISREG(st.st_mode) && (uint64_t)st.st_size == max_size);
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_size) {
        hostfile_too_big(errp, option, path, (uint64_t)st.st_size, max_size, limit_name);
        goto err;
    }
    if ((S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) &&
        !g_unix_set_fd_nonblocking(fd, FALSE, NULL)) {
        hostfile_error(errp, option, path, "cannot open: %s", g_strerror(errno));
        goto err;
    }
    return fd;

err:
    close(fd);
    return -1;
}

/* ---- reading ------------------------------------------------------------------------------- */

static void hostfile_interrupted(Error **errp, const char *option, const char *name, int sig)
{
    hostfile_error(errp, option, name, "interrupted by signal %d (%s) while reading", sig,
                   g_strsignal(sig));
}

bool hostfile_read_fd(const char *option, const char *name, int fd, uint64_t max_size,
                      const char *limit_name, char **data, size_t *len, Error **errp)
{
    struct stat st;
    bool stream, known_size;
    size_t limit, cap, got = 0;
    char *buf;

    *data = NULL;
    *len = 0;
    if (fstat(fd, &st) < 0) {
        hostfile_error(errp, option, name, "cannot read: %s", g_strerror(errno));
        return false;
    }
    /* Regular files and block devices never make a reader wait; anything else may. */
    stream = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
    known_size = S_ISREG(st.st_mode) && st.st_size > 0;
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_size) {
        hostfile_too_big(errp, option, name, (uint64_t)st.st_size, max_size, limit_name);
        return false;
    }
    if (max_size >= SIZE_MAX / 2) {
        max_size = SIZE_MAX / 2 - 1; /* HOSTFILE_NO_LIMIT: what memory allows */
    }
    limit = (size_t)max_size + 1; /* one more than allowed: how a longer file shows itself */
    if (known_size) {
        /* Room for the file and one byte more, so its end is seen without a reallocation. */
        cap = (size_t)MIN((uint64_t)st.st_size + 1, (uint64_t)limit) + 1;
    } else {
        cap = MIN(HOSTFILE_STREAM_START, limit) + 1;
    }
    buf = g_malloc(cap);
    while (got < limit) {
        ssize_t n;
        int sig;

        if (got == cap - 1) {
            cap = MIN((cap - 1) * 2, limit) + 1;
            buf = g_realloc(buf, cap);
        }
        /* The main loop's start-up wait: it ends on data, hang-up or a shutdown signal. */
        if (stream && !main_loop_wait_fd(fd, POLLIN)) {
            int err = errno;

            sig = pending_shutdown_signal();
            if (sig) {
                hostfile_interrupted(errp, option, name, sig);
            } else {
                hostfile_error(errp, option, name, "cannot read: %s", g_strerror(err));
            }
            goto err;
        }
        n = read(fd, buf + got, MIN(cap - 1 - got, HOSTFILE_READ_CHUNK));
        if (n > 0) {
            got += (size_t)n;
            continue;
        }
        if (n == 0) {
            break;
        }
        if (errno == EINTR) {
            sig = pending_shutdown_signal();
            if (sig) {
                hostfile_interrupted(errp, option, name, sig);
                goto err;
            }
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            stream = true; /* a non-blocking descriptor with nothing yet: wait for it */
            continue;
        }
        hostfile_error(errp, option, name, "cannot read: %s", g_strerror(errno));
        goto err;
    }
    testcase(got == max_size);
    if (got > max_size) {
        /* A stream, a file whose size lied (/proc), or one that grew after the fstat() above. */
        if (limit_name) {
            hostfile_error(errp, option, name, "holds more than the %" PRIu64 " bytes of %s",
                           max_size, limit_name);
        } else {
            hostfile_error(errp, option, name, "holds more than the limit of %" PRIu64 " bytes",
                           max_size);
        }
        goto err;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return true;

err:
    g_free(buf);
    return false;
}

bool hostfile_read_all(const char *option, const char *path, unsigned allowed, uint64_t max_size,
                       const char *limit_name, char **data, size_t *len, Error **errp)
{
    int fd = hostfile_open(option, path, O_RDONLY, allowed, max_size, limit_name, errp);
    bool ok;

    *data = NULL;
    *len = 0;
    if (fd < 0) {
        return false;
    }
    ok = hostfile_read_fd(option, path, fd, max_size, limit_name, data, len, errp);
    close(fd);
    return ok;
}

/* ---- images ---------------------------------------------------------------------------------- */

/* The size limit of the image open on fd: RAM, or more for an ELF file (see hostfile.h). */
static uint64_t hostfile_image_limit(int fd, uint64_t ram_size)
{
    unsigned char magic[4];

    if (pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) && !memcmp(magic,
                                                                                "\x7f"
                                                                                "ELF",
                                                                                sizeof(magic))) {
        return MAX(ram_size, HOSTFILE_ELF_MAX_SIZE);
    }
    return ram_size;
}

/*
 * Opens an image and gives its limit (*limit, with *limit_name "RAM" or
 * NULL); the file's size was checked against it once, on the descriptor.
 */
static int hostfile_open_image_limit(const char *option, const char *path, uint64_t ram_size,
                                     uint64_t *limit, const char **limit_name, Error **errp)
{
    int fd = hostfile_open(option, path, O_RDONLY, HOSTFILE_REGULAR, HOSTFILE_NO_LIMIT, NULL, errp);
    struct stat st;

    if (fd < 0) {
        return -1;
    }
    *limit = hostfile_image_limit(fd, ram_size);
    *limit_name = *limit == ram_size ? "RAM" : NULL;
    if (fstat(fd, &st) < 0) {
        hostfile_error(errp, option, path, "cannot read: %s", g_strerror(errno));
    } else if ((uint64_t)st.st_size > *limit) {
        hostfile_too_big(errp, option, path, (uint64_t)st.st_size, *limit, *limit_name);
    } else {
        return fd;
    }
    close(fd);
    return -1;
}

int hostfile_open_image(const char *option, const char *path, uint64_t ram_size, Error **errp)
{
    uint64_t limit;
    const char *limit_name;

    return hostfile_open_image_limit(option, path, ram_size, &limit, &limit_name, errp);
}

bool hostfile_read_image(const char *option, const char *path, uint64_t ram_size, char **data,
                         size_t *len, Error **errp)
{
    uint64_t limit;
    const char *limit_name;
    int fd = hostfile_open_image_limit(option, path, ram_size, &limit, &limit_name, errp);
    bool ok;

    *data = NULL;
    *len = 0;
    if (fd < 0) {
        return false;
    }
    /* hostfile_read_fd() checks the size once more, just before reading: it may have grown. */
    ok = hostfile_read_fd(option, path, fd, limit, limit_name, data, len, errp);
    close(fd);
    return ok;
}
