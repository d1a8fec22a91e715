/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-rng.c - "virtio-rng-device", the virtio entropy front end (device
 * id 4): one queue of 8, no config space (reads give all ones, as QEMU).
 *
 * Each device-writable buffer the driver makes available is filled from the
 * rng back end named by rng=ID (an -object rng-builtin or rng-random), or,
 * without rng=, from a deterministic rng-builtin the device makes itself
 * (child "default-backend", QEMU's name), so a run gives the same bytes
 * every time.  Buffers are filled only once the driver is ready
 * (DRIVER_OK), up to 64 KiB each; when a host source has nothing to give,
 * the buffer waits and the back end's ready callback resumes the queue.
 *
 * Not here: QEMU's rate limit (max-bytes/period): entropy flows at once.
 */
#include <string.h>
#include <glib.h>

#include "core/module.h"
#include "core/rng.h"
#include "core/trace.h"
#include "hw/virtio.h"

#define VIRTIO_RNG_QUEUE_SIZE 8
#define VIRTIO_RNG_MAX_CHUNK  (64u * 1024)

typedef struct VirtIORNG {
    VirtIODevice parent_obj;
    /* properties */
    Object *rng; /* link<rng-backend>, or NULL */
    /* configuration */
    RngBackend *backend; /* rng, or the default one */
    Object *default_backend;
    /* state */
    uint64_t backend_position; /* where a deterministic back end stood after our last read */
} VirtIORNG;

#define VIRTIO_RNG(obj) OBJECT_CHECK(VirtIORNG, (obj), TYPE_VIRTIO_RNG)

/* QEMU's virtio_rng_request and virtio_rng_pushed, with Tern's words. */
TRACE_EVENT(virtio_rng_request, "head %u wants %zu bytes", (unsigned head, size_t want),
            (head, want))
TRACE_EVENT(virtio_rng_pushed, "head %u got %zu bytes", (unsigned head, size_t got), (head, got))

static void virtio_rng_process(VirtIORNG *s)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtQueueElement *elem;
    uint32_t budget = virtio_queue_get_num(vdev, 0); /* a bound, as in virtio-blk */
    uint8_t *buf;
    unsigned pushed = 0;

    if (!s->backend || !virtio_queue_ready(vdev, 0)) {
        return;
    }
    buf = g_malloc(VIRTIO_RNG_MAX_CHUNK);
    while (budget-- && (elem = virtio_queue_pop(vdev, 0))) {
        size_t want = (size_t)MIN(elem->in_len, (uint64_t)VIRTIO_RNG_MAX_CHUNK);
        size_t got;

        trace_virtio_rng_request(elem->head, want);
        got = want ? rng_backend_read(s->backend, buf, want) : 0;

        if (want && !got) {
            virtio_queue_unpop(vdev, 0, elem); /* wait for the back end's ready call */
            break;
        }
        s->backend_position = rng_backend_tell(s->backend);
        if (got && !virtio_element_write(vdev, elem, 0, buf, got)) {
            virtio_queue_detach(vdev, 0, elem);
            break;
        }
        trace_virtio_rng_pushed(elem->head, got);
        virtio_queue_push(vdev, 0, elem, (uint32_t)got);
        pushed++;
    }
    g_free(buf);
    if (pushed) {
        virtio_notify(vdev, 0);
    }
}

static void virtio_rng_handle_input(VirtIODevice *vdev, unsigned queue)
{
    virtio_rng_process(VIRTIO_RNG(vdev));
}

static void virtio_rng_backend_ready(void *opaque)
{
    virtio_rng_process(opaque);
}

static void virtio_rng_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIORNG *s = VIRTIO_RNG(vdev);

    if (s->rng) {
        s->backend = RNG_BACKEND(s->rng);
    } else {
        s->default_backend = object_new(TYPE_RNG_BUILTIN);
        object_property_add_child(OBJECT(s), "default-backend", s->default_backend);
        object_unref(s->default_backend);
        s->backend = RNG_BACKEND(s->default_backend);
    }
    rng_backend_set_ready_handler(s->backend, virtio_rng_backend_ready, s);
    s->backend_position = rng_backend_tell(s->backend);
    vdev->device_id = VIRTIO_ID_RNG;
    vdev->config_len = 0;
    virtio_add_queue(vdev, VIRTIO_RNG_QUEUE_SIZE, virtio_rng_handle_input);
}

static void virtio_rng_unrealize(VirtIODevice *vdev)
{
    VirtIORNG *s = VIRTIO_RNG(vdev);

    if (s->backend && s->backend->ready_opaque == s) {
        rng_backend_set_ready_handler(s->backend, NULL, NULL);
    }
    s->backend = NULL;
    if (s->default_backend) {
        object_unparent(s->default_backend);
        s->default_backend = NULL;
    }
}

/* After a snapshot load: a deterministic back end goes back to where it stood. */
static void virtio_rng_post_load(void *opaque)
{
    VirtIORNG *s = VIRTIO_RNG(opaque);

    if (s->backend) {
        rng_backend_seek(s->backend, s->backend_position);
    }
    virtio_device_post_load(opaque);
}

static void virtio_rng_instance_init(Object *obj)
{
    VirtIORNG *s = VIRTIO_RNG(obj);
    ObjectProperty *prop =
        object_property_add_link(obj, "rng", TYPE_RNG_BACKEND, &s->rng, NULL, OBJ_PROP_LINK_STRONG);

    object_property_set_description(prop, "ID of the -object rng-* to read (default: a "
                                          "deterministic rng-builtin)");
}

static const VMStateField virtio_rng_fields[] = {
    VMSTATE_VIRTIO_DEVICE(VirtIORNG),
    VMSTATE_UINT64(backend_position, VirtIORNG),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription virtio_rng_vmstate = {
    .name = "virtio-rng",
    .fields = virtio_rng_fields,
    .post_load = virtio_rng_post_load,
};

static void virtio_rng_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    dc->desc = "virtio entropy device";
    dc->user_creatable = true;
    dc->vmsd = &virtio_rng_vmstate;
    vdc->realize = virtio_rng_realize;
    vdc->unrealize = virtio_rng_unrealize;
}

static const TypeInfo virtio_rng_info = {
    .name = TYPE_VIRTIO_RNG,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIORNG),
    .instance_init = virtio_rng_instance_init,
    .class_init = virtio_rng_class_init,
};

static void virtio_rng_register_types(void)
{
    type_register_static(&virtio_rng_info);
}

type_init(virtio_rng_register_types)
