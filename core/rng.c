/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rng.c - the entropy back ends: rng-builtin (deterministic) and rng-random
 * (a host file, read through rng_host_read, the record/replay hook).
 *
 * Record and replay: rng-random's reads are recorded as "entropy ID HEX"
 * (ID the -object id); at replay its file is still opened, so that the
 * same command-line errors come out, but the bytes are the trace's.
 *
 * rng-builtin is counter based: the 8 bytes at stream position 8k are the
 * SplitMix64 output for counter k and the seed.  Any position can be
 * produced directly, so a snapshot restores the stream with one number and
 * the bytes never depend on how reads were split.
 */
#include "core/rng.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "core/cutils.h"
#include "core/error.h"
#include "core/hostfile.h"
#include "core/main-loop.h"
#include "core/module.h"
#include "core/replay.h"

/* ---- the abstract back end ----------------------------------------------------------- */

size_t rng_backend_read(RngBackend *rng, uint8_t *buf, size_t len)
{
    RngBackendClass *rc = RNG_BACKEND_GET_CLASS(rng);

    return len && rc->read ? rc->read(rng, buf, len) : 0;
}

void rng_backend_set_ready_handler(RngBackend *rng, void (*ready)(void *opaque), void *opaque)
{
    rng->ready = ready;
    rng->ready_opaque = opaque;
}

uint64_t rng_backend_tell(RngBackend *rng)
{
    RngBackendClass *rc = RNG_BACKEND_GET_CLASS(rng);

    return rc->tell ? rc->tell(rng) : 0;
}

void rng_backend_seek(RngBackend *rng, uint64_t position)
{
    RngBackendClass *rc = RNG_BACKEND_GET_CLASS(rng);

    if (rc->seek) {
        rc->seek(rng, position);
    }
}

/* ---- rng-builtin ---------------------------------------------------------------------- */

typedef struct RngBuiltin {
    RngBackend parent_obj;
    uint64_t seed;
    uint64_t position; /* bytes produced */
} RngBuiltin;

#define RNG_BUILTIN(obj) OBJECT_CHECK(RngBuiltin, (obj), TYPE_RNG_BUILTIN)

/* SplitMix64 (Steele, Lea, Flood): a bijective mix of seed + (k+1) * golden gamma. */
static uint64_t rng_builtin_word(uint64_t seed, uint64_t k)
{
    uint64_t z = seed + (k + 1) * UINT64_C(0x9e3779b97f4a7c15);

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static size_t rng_builtin_read(RngBackend *rng, uint8_t *buf, size_t len)
{
    RngBuiltin *s = RNG_BUILTIN(rng);

    for (size_t i = 0; i < len; i++, s->position++) {
        uint64_t word = rng_builtin_word(s->seed, s->position / 8);
        buf[i] = (uint8_t)(word >> (8 * (s->position % 8)));
    }
    return len;
}

static uint64_t rng_builtin_tell(RngBackend *rng)
{
    return RNG_BUILTIN(rng)->position;
}

static void rng_builtin_seek(RngBackend *rng, uint64_t position)
{
    RNG_BUILTIN(rng)->position = position;
}

static char *rng_builtin_get_seed(Object *obj, ObjectProperty *prop, Error **errp)
{
    return g_strdup_printf("%" PRIu64, RNG_BUILTIN(obj)->seed);
}

static bool rng_builtin_set_seed(Object *obj, ObjectProperty *prop, const char *value, Error **errp)
{
    uint64_t seed;

    if (qemu_strtou64(value, NULL, 0, &seed)) {
        error_setg(errp, "Parameter 'seed' expects a number from 0 to %" PRIu64 ", not '%s'",
                   UINT64_MAX, value);
        return false;
    }
    RNG_BUILTIN(obj)->seed = seed;
    RNG_BUILTIN(obj)->position = 0;
    return true;
}

static void rng_builtin_instance_init(Object *obj)
{
    RNG_BUILTIN(obj)->seed = RNG_BUILTIN_DEFAULT_SEED;
}

static void rng_builtin_class_init(ObjectClass *klass, const void *data)
{
    RngBackendClass *rc = RNG_BACKEND_CLASS(klass);
    ObjectProperty *prop;

    rc->read = rng_builtin_read;
    rc->tell = rng_builtin_tell;
    rc->seek = rng_builtin_seek;
    prop = object_class_property_add(klass, "seed", "uint64", rng_builtin_get_seed,
                                     rng_builtin_set_seed, NULL, NULL);
    object_property_set_description(prop, "seed of the deterministic generator");
    prop->defval = g_strdup_printf("%" PRIu64, RNG_BUILTIN_DEFAULT_SEED);
    prop->defval_set = true;
}

/* ---- rng-random ----------------------------------------------------------------------- */

typedef struct RngRandom {
    RngBackend parent_obj;
    char *filename;
    int fd;
    bool at_end;   /* the source is exhausted: reads give nothing from now on */
    bool watching; /* an fd handler waits for input */
} RngRandom;

#define RNG_RANDOM(obj) OBJECT_CHECK(RngRandom, (obj), TYPE_RNG_RANDOM)

size_t rng_host_read(int fd, uint8_t *buf, size_t len, bool *would_block, bool *at_end)
{
    size_t done = 0;

    *would_block = false;
    *at_end = false;
    while (done < len) {
        ssize_t n = read(fd, buf + done, len - done);

        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            *would_block = true;
        } else {
            *at_end = true;
        }
        break;
    }
    return done;
}

static void rng_random_fd_ready(void *opaque)
{
    RngRandom *s = opaque;
    RngBackend *rng = RNG_BACKEND(s);

    set_fd_handler(s->fd, NULL, NULL, NULL);
    s->watching = false;
    if (rng->ready) {
        rng->ready(rng->ready_opaque);
    }
}

static size_t rng_random_read(RngBackend *rng, uint8_t *buf, size_t len)
{
    RngRandom *s = RNG_RANDOM(rng);
    bool would_block, at_end;
    size_t n;

    if (s->fd < 0 || s->at_end) {
        return 0;
    }
    if (replay_mode() == REPLAY_MODE_REPLAY) {
        /*
         * The trace's bytes, never the file's.  A trace with fewer left than
         * asked for has diverged (replay_starved() says so): the source
         * then ends, as a live one at its end would.
         */
        const char *id = object_get_canonical_path_component(OBJECT(s));

        if (replay_take_entropy(id ? id : TYPE_RNG_RANDOM, buf, len)) {
            return len;
        }
        s->at_end = true;
        return 0;
    }
    n = rng_host_read(s->fd, buf, len, &would_block, &at_end);
    if (n) {
        const char *id = object_get_canonical_path_component(OBJECT(s));
        replay_record_entropy(id ? id : TYPE_RNG_RANDOM, buf, n);
    }
    if (at_end) {
        s->at_end = true;
        warn_report("rng-random: no more entropy from '%s'", s->filename);
    } else if (!n && would_block && !s->watching) {
        s->watching = true;
        set_fd_handler(s->fd, rng_random_fd_ready, NULL, s);
    }
    return n;
}

static char *rng_random_get_filename(Object *obj, Error **errp)
{
    return g_strdup(RNG_RANDOM(obj)->filename);
}

static void rng_random_set_filename(Object *obj, const char *value, Error **errp)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (s->fd >= 0) {
        error_setg(errp, "rng-random: 'filename' cannot change once the file is open");
        return;
    }
    g_free(s->filename);
    s->filename = g_strdup(value);
}

static bool rng_random_complete(Object *obj, Error **errp)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (!s->filename || !*s->filename) {
        error_setg(errp, "rng-random needs filename=");
        return false;
    }
    /*
     * An entropy source is read as a stream, never whole, and never blocks
     * a read: a character device (/dev/urandom), a pipe another program
     * feeds (it stays non-blocking; an fd handler waits for its data), or
     * a regular file of recorded bytes.  A named pipe with no writer at the
     * guest's first request reads as its end, as a pipe whose writer has
     * gone: entropy has run out (warned once).  A directory or a block
     * device is refused.
     */
    s->fd = hostfile_open("rng-random", s->filename, O_RDONLY,
                          HOSTFILE_CHAR | HOSTFILE_FIFO | HOSTFILE_REGULAR, HOSTFILE_NO_LIMIT, NULL,
                          errp);
    if (s->fd < 0) {
        return false;
    }
    return true;
}

static void rng_random_instance_init(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    s->fd = -1;
    s->filename = g_strdup("/dev/urandom");
}

static void rng_random_instance_finalize(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (s->fd >= 0) {
        if (s->watching) {
            set_fd_handler(s->fd, NULL, NULL, NULL);
        }
        close(s->fd);
        s->fd = -1;
    }
    g_free(s->filename);
    s->filename = NULL;
}

static void rng_random_class_init(ObjectClass *klass, const void *data)
{
    ObjectProperty *prop;

    RNG_BACKEND_CLASS(klass)->read = rng_random_read;
    USER_CREATABLE_CLASS(klass)->complete = rng_random_complete;
    prop = object_class_property_add_str(klass, "filename", rng_random_get_filename,
                                         rng_random_set_filename);
    object_property_set_description(prop, "host file to read entropy from");
    prop->defval = g_strdup("/dev/urandom");
    prop->defval_set = true;
}

/* ---- types ----------------------------------------------------------------------------- */

static const InterfaceInfo rng_backend_interfaces[] = {{TYPE_USER_CREATABLE}, {NULL}};

static const TypeInfo rng_types[] = {
    {
        .name = TYPE_RNG_BACKEND,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(RngBackend),
        .class_size = sizeof(RngBackendClass),
        .interfaces = rng_backend_interfaces,
    },
    {
        .name = TYPE_RNG_BUILTIN,
        .parent = TYPE_RNG_BACKEND,
        .instance_size = sizeof(RngBuiltin),
        .instance_init = rng_builtin_instance_init,
        .class_init = rng_builtin_class_init,
    },
    {
        .name = TYPE_RNG_RANDOM,
        .parent = TYPE_RNG_BACKEND,
        .instance_size = sizeof(RngRandom),
        .instance_init = rng_random_instance_init,
        .instance_finalize = rng_random_instance_finalize,
        .class_init = rng_random_class_init,
    },
};

static void rng_register_types(void)
{
    type_register_static_array(rng_types, G_N_ELEMENTS(rng_types));
}

type_init(rng_register_types)
