/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio.c - the device side of split virtqueues and the abstract
 * "virtio-device" type (status, features, ISR, config space, reset).
 *
 * Split ring layout in guest memory (all little-endian):
 *
 *   descriptor table, num entries of 16 bytes:
 *     +0 u64 addr | +8 u32 len | +12 u16 flags (NEXT 1, WRITE 2, INDIRECT 4) | +14 u16 next
 *   available ring:
 *     +0 u16 flags | +2 u16 idx | +4 u16 ring[num] | u16 used_event (EVENT_IDX)
 *   used ring:
 *     +0 u16 flags | +2 u16 idx | +4 {u32 id, u32 len} ring[num] | u16 avail_event (EVENT_IDX)
 *
 * Every field is read once into a local copy before it is checked and used,
 * so a guest (or the fuzzer's DMA hook) changing memory meanwhile cannot
 * get past a check.  Requests complete synchronously, inside the driver's
 * notify: a run depends only on its inputs.
 */
#include "hw/virtio.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>

#include "core/bswap.h"
#include "core/coverage.h"
#include "core/log.h"
#include "core/module.h"
#include "core/trace.h"

/* "dev N" is the virtio device id (2: block, 4: entropy). */
TRACE_EVENT(virtio_set_status, "dev %u status 0x%02x", (unsigned dev, unsigned status),
            (dev, status))
TRACE_EVENT(virtio_queue_notify, "dev %u queue %u", (unsigned dev, unsigned queue), (dev, queue))
TRACE_EVENT(virtqueue_pop,
            "dev %u queue %u head %u out %u (%" PRIu64 " bytes) in %u (%" PRIu64 " bytes)",
            (unsigned dev, unsigned queue, unsigned head, unsigned out_num, uint64_t out_len,
             unsigned in_num, uint64_t in_len),
            (dev, queue, head, out_num, out_len, in_num, in_len))
TRACE_EVENT(virtqueue_push, "dev %u queue %u head %u len %u used idx %u",
            (unsigned dev, unsigned queue, unsigned head, unsigned len, unsigned used_idx),
            (dev, queue, head, len, used_idx))
TRACE_EVENT(virtio_notify, "dev %u queue %u isr 0x%02x",
            (unsigned dev, unsigned queue, unsigned isr), (dev, queue, isr))

/* ---- guest memory ------------------------------------------------------------------- */

/*
 * True when every byte of [addr, addr+len) is guest RAM (or ROM, for what
 * the device only reads).  Buffers and rings must be memory: a device never
 * DMAs into another device's registers.
 */
static bool virtio_range_is_ram(hwaddr addr, uint64_t len, bool device_writes)
{
    AddressSpace *as = address_space_memory();
    hwaddr cur = addr, last;

    if (!as) {
        return false;
    }
    if (!len) {
        return true;
    }
    if (len - 1 > UINT64_MAX - addr) {
        return false; /* wraps around */
    }
    last = addr + (len - 1);
    for (;;) {
        const FlatRange *r = address_space_lookup(as, cur);

        if (!r || !(r->mr->kind == MR_RAM || (!device_writes && r->mr->kind == MR_ROM))) {
            return false;
        }
        if (r->last >= last) {
            return true;
        }
        cur = r->last + 1;
    }
}

static bool virtio_dma_read(VirtIODevice *vdev, hwaddr addr, void *buf, uint64_t len,
                            const char *what)
{
    if (dma_memory_read(address_space_memory(), addr, buf, len) != MEMTX_OK) {
        virtio_error(vdev, "cannot read %s at 0x%" HWADDR_PRIx, what, addr);
        return false;
    }
    return true;
}

static bool virtio_dma_write(VirtIODevice *vdev, hwaddr addr, const void *buf, uint64_t len,
                             const char *what)
{
    if (dma_memory_write(address_space_memory(), addr, buf, len) != MEMTX_OK) {
        virtio_error(vdev, "cannot write %s at 0x%" HWADDR_PRIx, what, addr);
        return false;
    }
    return true;
}

/* ---- features, status, interrupts ------------------------------------------------------ */

bool virtio_has_feature(uint64_t features, unsigned bit)
{
    return bit < 64 && (features >> bit) & 1;
}

bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return virtio_has_feature(vdev->guest_features, bit);
}

/* Tells the transport (if any) about an interrupt; the ISR already says what happened. */
static void virtio_notify_vector(VirtIODevice *vdev, unsigned vector)
{
    VirtioBusState *bus = vdev->transport;

    VirtioBusClass *klass = bus ? VIRTIO_BUS_GET_CLASS(bus) : NULL;

    /* notify is the one hook every transport must have (hw/virtio.h). */
    if (bus && ALWAYS(klass->notify)) {
        klass->notify(bus, vector);
    }
}

void virtio_update_irq(VirtIODevice *vdev)
{
    virtio_notify_vector(vdev, VIRTIO_VECTOR_NONE);
}

void virtio_isr_ack(VirtIODevice *vdev, uint8_t mask)
{
    vdev->isr &= (uint8_t)~mask;
    virtio_update_irq(vdev);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    /* QEMU sets both ISR bits for a configuration change. */
    vdev->generation++;
    vdev->isr |= VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG;
    virtio_notify_vector(vdev, VIRTIO_VECTOR_CONFIG);
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    tern_log_mask(LOG_GUEST_ERROR, "%s: %s; the device needs a reset\n",
                  object_get_typename(OBJECT(vdev)), msg);
    g_free(msg);
    vdev->broken = true;
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    trace_virtio_set_status(vdev->device_id, status);
    if (vdc->set_status) {
        vdc->set_status(vdev, status);
    }
    vdev->status = status;
}

bool virtio_set_features(VirtIODevice *vdev, uint64_t features)
{
    /* Not logged: a driver setting DRIVER_OK rewrites FEATURES_OK, which lands here. */
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        return false;
    }
    vdev->guest_features = features & vdev->host_features;
    return true;
}

static void virtio_queue_reset_one(VirtQueue *vq)
{
    uint32_t num_default = vq->num_default;

    memset(vq, 0, sizeof(*vq));
    vq->num_default = num_default;
    vq->num = num_default;
    vq->align = VIRTIO_LEGACY_ALIGN;
}

void virtio_reset(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (vdc->reset) {
        vdc->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->broken = false;
    vdev->queue_sel = 0;
    vdev->guest_features = 0;
    for (unsigned i = 0; i < VIRTIO_DEVICE_MAX_QUEUES; i++) {
        virtio_queue_reset_one(&vdev->vq[i]);
    }
    virtio_update_irq(vdev);
}

void virtio_device_post_load(void *opaque)
{
    virtio_update_irq(VIRTIO_DEVICE(opaque));
}

/* ---- config space ------------------------------------------------------------------- */

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (size > 4 || addr > vdev->config_len || size > vdev->config_len - addr) {
        return size >= 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, vdev->config);
    }
    return (uint32_t)load_le_sized(vdev->config + addr, size);
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, unsigned size, uint32_t value)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (size > 4 || addr > vdev->config_len || size > vdev->config_len - addr) {
        return;
    }
    /* The bytes around the write are the device's current ones. */
    if (vdc->get_config) {
        vdc->get_config(vdev, vdev->config);
    }
    store_le_sized(vdev->config + addr, value, size);
    if (vdc->set_config) {
        vdc->set_config(vdev, vdev->config);
    }
}

/* ---- queue set-up (transport side) ------------------------------------------------------ */

void virtio_add_queue(VirtIODevice *vdev, uint32_t num_default, VirtioQueueHandler handler)
{
    VirtQueue *vq;

    g_assert(vdev->nvqs < VIRTIO_DEVICE_MAX_QUEUES);
    g_assert(num_default > 0 && num_default <= VIRTQUEUE_MAX_SIZE);
    vq = &vdev->vq[vdev->nvqs];
    vq->num_default = num_default;
    virtio_queue_reset_one(vq);
    vdev->handlers[vdev->nvqs++] = handler;
}

static VirtQueue *virtio_queue(VirtIODevice *vdev, unsigned queue)
{
    return queue < vdev->nvqs ? &vdev->vq[queue] : NULL;
}

uint32_t virtio_queue_get_num(const VirtIODevice *vdev, unsigned queue)
{
    return queue < vdev->nvqs ? vdev->vq[queue].num : 0;
}

/* Legacy: avail and used follow the descriptor table; used is aligned. */
static void virtio_queue_update_rings(VirtQueue *vq)
{
    uint64_t avail_end;

    if (!vq->num || !vq->desc || !vq->align) {
        return;
    }
    vq->avail = vq->desc + (uint64_t)VRING_DESC_SIZE * vq->num;
    avail_end = vq->avail + 2 * (3 + (uint64_t)vq->num); /* flags, idx, ring, used_event */
    vq->used = (avail_end + vq->align - 1) & ~((uint64_t)vq->align - 1);
}

bool virtio_queue_set_num(VirtIODevice *vdev, unsigned queue, uint32_t num)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    /* A queue cannot be created or removed, nor exceed the maximum. */
    if (!vq || !num || num > VIRTQUEUE_MAX_SIZE) {
        tern_log_mask(LOG_GUEST_ERROR, "%s: queue %u: size %" PRIu32 " refused\n",
                      object_get_typename(OBJECT(vdev)), queue, num);
        return false;
    }
    vq->num = num;
    if (!vdev->modern_transport) {
        virtio_queue_update_rings(vq);
    }
    return true;
}

void virtio_queue_set_rings(VirtIODevice *vdev, unsigned queue, uint64_t desc, uint64_t avail,
                            uint64_t used)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (!vq) {
        return;
    }
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
}

void virtio_queue_set_addr(VirtIODevice *vdev, unsigned queue, uint64_t addr)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (!vq) {
        return;
    }
    vq->desc = addr;
    virtio_queue_update_rings(vq);
}

uint64_t virtio_queue_get_addr(const VirtIODevice *vdev, unsigned queue)
{
    return queue < vdev->nvqs ? vdev->vq[queue].desc : 0;
}

bool virtio_queue_set_align(VirtIODevice *vdev, unsigned queue, uint32_t align)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (!vq) {
        return false;
    }
    /* QEMU takes any value (0 divides by zero there); a power of two is what works. */
    if (!align || (align & (align - 1))) {
        tern_log_mask(LOG_GUEST_ERROR, "%s: queue %u: alignment %" PRIu32 " ignored\n",
                      object_get_typename(OBJECT(vdev)), queue, align);
        return false;
    }
    vq->align = align;
    virtio_queue_update_rings(vq);
    return true;
}

bool virtio_queue_ready(const VirtIODevice *vdev, unsigned queue)
{
    return queue < vdev->nvqs && vdev->vq[queue].desc && (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned queue)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (!vq || !vq->desc || vdev->broken || !vdev->handlers[queue]) {
        return;
    }
    trace_virtio_queue_notify(vdev->device_id, queue);
    vdev->handlers[queue](vdev, queue);
}

/* ---- popping and pushing ---------------------------------------------------------------- */

static uint64_t virtio_avail_size(const VirtIODevice *vdev, const VirtQueue *vq)
{
    uint64_t event = virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX) ? 2 : 0;

    return 4 + 2 * (uint64_t)vq->num + event;
}

static uint64_t virtio_used_size(const VirtIODevice *vdev, const VirtQueue *vq)
{
    uint64_t event = virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX) ? 2 : 0;

    return 4 + VRING_USED_ELEM_SIZE * (uint64_t)vq->num + event;
}

/* The three rings lie in RAM (checked at every pop: the driver may move them). */
static bool virtio_check_rings(VirtIODevice *vdev, unsigned queue, const VirtQueue *vq)
{
    if (!virtio_range_is_ram(vq->desc, (uint64_t)VRING_DESC_SIZE * vq->num, false)) {
        virtio_error(vdev, "queue %u: descriptor table at 0x%" PRIx64 " is not in RAM", queue,
                     vq->desc);
        return false;
    }
    if (!virtio_range_is_ram(vq->avail, virtio_avail_size(vdev, vq), false)) {
        virtio_error(vdev, "queue %u: available ring at 0x%" PRIx64 " is not in RAM", queue,
                     vq->avail);
        return false;
    }
    if (!virtio_range_is_ram(vq->used, virtio_used_size(vdev, vq), true)) {
        virtio_error(vdev, "queue %u: used ring at 0x%" PRIx64 " is not in RAM", queue, vq->used);
        return false;
    }
    return true;
}

typedef struct VringDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VringDesc;

static bool virtio_read_desc(VirtIODevice *vdev, hwaddr table, unsigned i, VringDesc *desc)
{
    uint8_t raw[VRING_DESC_SIZE];

    if (!virtio_dma_read(vdev, table + (hwaddr)i * VRING_DESC_SIZE, raw, sizeof(raw),
                         "a descriptor")) {
        return false;
    }
    desc->addr = load_le64(raw);
    desc->len = load_le32(raw + 8);
    desc->flags = load_le16(raw + 12);
    desc->next = load_le16(raw + 14);
    return true;
}

/* Adds one buffer to elem after checking it; false (device broken) if it is bad. */
static bool virtio_add_segment(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem,
                               const VringDesc *desc)
{
    bool device_writes = desc->flags & VRING_DESC_F_WRITE;

    if (!desc->len) {
        virtio_error(vdev, "queue %u: zero-sized buffer", queue);
        return false;
    }
    if (!device_writes && elem->in_num) {
        virtio_error(vdev, "queue %u: device-readable buffer after a device-writable one", queue);
        return false;
    }
    if (elem->out_num + elem->in_num >= VIRTQUEUE_MAX_SIZE) {
        virtio_error(vdev, "queue %u: more than %u buffers in one chain", queue,
                     VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (!virtio_range_is_ram(desc->addr, desc->len, device_writes)) {
        virtio_error(vdev, "queue %u: buffer at 0x%" PRIx64 " (%" PRIu32 " bytes) is not in RAM",
                     queue, desc->addr, desc->len);
        return false;
    }
    elem->seg[elem->out_num + elem->in_num] = (VirtioSeg){desc->addr, desc->len};
    if (device_writes) {
        elem->in_num++;
        elem->in_len += desc->len;
    } else {
        elem->out_num++;
        elem->out_len += desc->len;
    }
    return true;
}

/*
 * Gathers the chain starting at head.  A descriptor with INDIRECT switches to
 * its table, which ends the chain (its NEXT flag is ignored, as QEMU does);
 * a table may not contain another.  A table of n entries can be walked at
 * most n steps: more means a loop (in the main table: a chain longer than
 * the queue).
 */
static bool virtio_gather(VirtIODevice *vdev, unsigned queue, const VirtQueue *vq,
                          VirtQueueElement *elem)
{
    hwaddr table = vq->desc;
    unsigned max = vq->num, i = elem->head, steps = 0;
    bool indirect = false;
    VringDesc desc;

    if (!virtio_read_desc(vdev, table, i, &desc)) {
        return false;
    }
    for (;;) {
        if (++steps > max) {
            virtio_error(vdev, "queue %u: descriptor chain loops or is longer than %s of %u", queue,
                         indirect ? "its indirect table" : "the queue", max);
            return false;
        }
        if (desc.flags & VRING_DESC_F_INDIRECT) {
            if (indirect) {
                virtio_error(vdev, "queue %u: indirect table inside an indirect table", queue);
                return false;
            }
            if (!desc.len || desc.len % VRING_DESC_SIZE) {
                virtio_error(vdev, "queue %u: indirect table of %" PRIu32 " bytes", queue,
                             desc.len);
                return false;
            }
            if (!virtio_range_is_ram(desc.addr, desc.len, false)) {
                virtio_error(vdev, "queue %u: indirect table at 0x%" PRIx64 " is not in RAM", queue,
                             desc.addr);
                return false;
            }
            indirect = true;
            table = desc.addr;
            max = desc.len / VRING_DESC_SIZE;
            i = 0;
            steps = 0;
            if (!virtio_read_desc(vdev, table, i, &desc)) {
                return false;
            }
            continue;
        }
        if (!virtio_add_segment(vdev, queue, elem, &desc)) {
            return false;
        }
        if (!(desc.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        if (desc.next >= max) {
            virtio_error(vdev, "queue %u: next descriptor %u is beyond the %s of %u", queue,
                         desc.next, indirect ? "indirect table" : "queue", max);
            return false;
        }
        i = desc.next;
        if (!virtio_read_desc(vdev, table, i, &desc)) {
            return false;
        }
    }
}

/* The available index, checked against ours; -1 when the device broke. */
static int virtio_pending(VirtIODevice *vdev, unsigned queue, VirtQueue *vq)
{
    uint8_t raw[2];
    uint16_t avail_idx, pending;

    if (!virtio_dma_read(vdev, vq->avail + 2, raw, 2, "the available index")) {
        return -1;
    }
    avail_idx = load_le16(raw);
    pending = (uint16_t)(avail_idx - vq->last_avail_idx);
    if (pending > vq->num) {
        virtio_error(vdev, "queue %u: available index moved from %u to %u", queue,
                     vq->last_avail_idx, avail_idx);
        return -1;
    }
    return pending;
}

VirtQueueElement *virtio_queue_pop(VirtIODevice *vdev, unsigned queue)
{
    VirtQueue *vq = virtio_queue(vdev, queue);
    VirtQueueElement *elem;
    uint8_t raw[2];
    uint16_t head;
    int pending;

    if (!vq || !vq->desc || !vq->num || vdev->broken || !virtio_check_rings(vdev, queue, vq)) {
        return NULL;
    }
    pending = virtio_pending(vdev, queue, vq);
    if (pending <= 0) {
        return NULL;
    }
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "queue %u: more buffers in use than the queue holds", queue);
        return NULL;
    }
    if (!virtio_dma_read(vdev, vq->avail + 4 + 2 * (hwaddr)(vq->last_avail_idx % vq->num), raw, 2,
                         "the available ring")) {
        return NULL;
    }
    head = load_le16(raw);
    if (head >= vq->num) {
        virtio_error(vdev, "queue %u: available descriptor %u is beyond the queue of %u", queue,
                     head, vq->num);
        return NULL;
    }
    elem = g_new(VirtQueueElement, 1);
    elem->head = head;
    elem->out_num = elem->in_num = 0;
    elem->out_len = elem->in_len = 0;
    if (!virtio_gather(vdev, queue, vq, elem)) {
        g_free(elem);
        return NULL;
    }
    vq->last_avail_idx++;
    vq->inuse++;
    trace_virtqueue_pop(vdev->device_id, queue, head, elem->out_num, elem->out_len, elem->in_num,
                        elem->in_len);
    if (virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        /* avail_event: notify us when the driver makes the next one available. */
        store_le16(raw, vq->last_avail_idx);
        virtio_dma_write(vdev, vq->used + 4 + VRING_USED_ELEM_SIZE * (hwaddr)vq->num, raw, 2,
                         "avail_event");
    }
    return elem;
}

void virtio_element_free(VirtQueueElement *elem)
{
    g_free(elem);
}

void virtio_queue_unpop(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (vq && vq->inuse) {
        vq->last_avail_idx--;
        vq->inuse--;
    }
    g_free(elem);
}

void virtio_queue_detach(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (vq && vq->inuse) {
        vq->inuse--;
    }
    g_free(elem);
}

void virtio_queue_push(VirtIODevice *vdev, unsigned queue, VirtQueueElement *elem, uint32_t len)
{
    VirtQueue *vq = virtio_queue(vdev, queue);
    uint8_t raw[VRING_USED_ELEM_SIZE];
    uint16_t old, new, head;

    if (!vq || !vq->inuse) {
        g_free(elem);
        return;
    }
    vq->inuse--;
    if (vdev->broken || !vq->num || !vq->used) {
        g_free(elem); /* reset or broken meanwhile: nothing goes back */
        return;
    }
    head = elem->head;
    store_le32(raw, head);
    store_le32(raw + 4, len);
    g_free(elem);
    if (!virtio_dma_write(vdev,
                          vq->used + 4 + VRING_USED_ELEM_SIZE * (hwaddr)(vq->used_idx % vq->num),
                          raw, sizeof(raw), "the used ring")) {
        return;
    }
    old = vq->used_idx;
    new = (uint16_t)(old + 1);
    store_le16(raw, new);
    if (!virtio_dma_write(vdev, vq->used + 2, raw, 2, "the used index")) {
        return;
    }
    vq->used_idx = new;
    trace_virtqueue_push(vdev->device_id, queue, head, len, new);
    /* The last interrupt's index fell out of the window: signal at the next chance. */
    if ((int16_t)(new - vq->signalled_used) < (uint16_t)(new - old)) {
        vq->signalled_used_valid = false;
    }
}

/*
 * Copies len bytes at offset of the element's device-readable part into to
 * (read) or from from into its device-writable part (!read), segment by
 * segment.  False when the range is beyond that part or a DMA fails.
 */
static bool virtio_element_copy(VirtIODevice *vdev, const VirtQueueElement *elem, bool read,
                                uint64_t offset, uint8_t *to, const uint8_t *from, uint64_t len)
{
    unsigned first = read ? 0 : elem->out_num;
    unsigned end = read ? elem->out_num : elem->out_num + elem->in_num;
    uint64_t total = read ? elem->out_len : elem->in_len;

    if (len > total || offset > total - len) {
        return false;
    }
    for (unsigned i = first; i < end && len; i++) {
        const VirtioSeg *s = &elem->seg[i];
        uint64_t chunk;

        if (offset >= s->len) {
            offset -= s->len;
            continue;
        }
        chunk = MIN(len, s->len - offset);
        if (read ? !virtio_dma_read(vdev, s->addr + offset, to, chunk, "a buffer")
                 : !virtio_dma_write(vdev, s->addr + offset, from, chunk, "a buffer")) {
            return false;
        }
        if (read) {
            to += chunk;
        } else {
            from += chunk;
        }
        len -= chunk;
        offset = 0;
    }
    return true;
}

bool virtio_element_read(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t offset,
                         void *buf, uint64_t len)
{
    return virtio_element_copy(vdev, elem, true, offset, buf, NULL, len);
}

bool virtio_element_write(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t offset,
                          const void *buf, uint64_t len)
{
    return virtio_element_copy(vdev, elem, false, offset, NULL, buf, len);
}

/* Nothing available (a ring that cannot be read counts as not empty; pop will say why). */
static bool virtio_queue_empty(const VirtQueue *vq)
{
    uint8_t raw[2];

    if (dma_memory_read(address_space_memory(), vq->avail + 2, raw, 2) != MEMTX_OK) {
        return false;
    }
    return load_le16(raw) == vq->last_avail_idx;
}

/* vring_need_event: has new_idx passed event since old? (wrapping u16 arithmetic) */
static bool virtio_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static bool virtio_should_notify(VirtIODevice *vdev, unsigned queue, VirtQueue *vq)
{
    uint8_t raw[2];
    uint16_t old, new;
    bool valid;

    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) && !vq->inuse &&
        virtio_queue_empty(vq)) {
        return true;
    }
    if (vdev->broken) {
        return false;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        if (!virtio_dma_read(vdev, vq->avail, raw, 2, "the available flags")) {
            return false;
        }
        return !(load_le16(raw) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    old = vq->signalled_used;
    new = vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    if (!virtio_dma_read(vdev, vq->avail + 4 + 2 * (hwaddr)vq->num, raw, 2, "used_event")) {
        return false;
    }
    return !valid || virtio_need_event(load_le16(raw), new, old);
}

void virtio_notify(VirtIODevice *vdev, unsigned queue)
{
    VirtQueue *vq = virtio_queue(vdev, queue);

    if (!vq || !vq->desc || vdev->broken || !virtio_should_notify(vdev, queue, vq)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    trace_virtio_notify(vdev->device_id, queue, vdev->isr);
    virtio_notify_vector(vdev, queue);
}

/* ---- plugging into a transport --------------------------------------------------------- */

typedef struct VirtioBusSearch {
    VirtioBusState *free; /* the last available free bus seen */
} VirtioBusSearch;

static bool virtio_bus_available(VirtioBusState *bus)
{
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(bus);

    return !k->available || k->available(bus);
}

static int virtio_bus_find_free(Object *obj, void *opaque)
{
    VirtioBusState *bus = (VirtioBusState *)object_dynamic_cast(obj, TYPE_VIRTIO_BUS);
    VirtioBusSearch *search = opaque;

    if (bus && !bus->vdev && virtio_bus_available(bus)) {
        search->free = bus;
    }
    return 0;
}

bool virtio_bus_plug(VirtIODevice *vdev, const char *name, Error **errp)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint64_t features = VIRTIO_COMMON_FEATURES;
    VirtioBusState *bus;
    VirtioBusClass *k;

    g_assert(!vdev->transport);
    if (name) {
        bus = (VirtioBusState *)object_resolve_path_type(name, TYPE_VIRTIO_BUS, NULL);
        if (!bus || !virtio_bus_available(bus)) {
            error_setg(errp, "Bus '%s' not found", name);
            return false;
        }
        if (bus->vdev) {
            error_setg(errp, "Bus '%s' is full", name);
            return false;
        }
    } else {
        VirtioBusSearch search = {NULL};

        /* Tree order is creation order: the last free one is QEMU's pick. */
        object_child_foreach_recursive(object_get_root(), virtio_bus_find_free, &search);
        bus = search.free;
        if (!bus) {
            error_setg(errp, "No '%s' bus found for device '%s'", TYPE_VIRTIO_BUS,
                       object_get_typename(OBJECT(vdev)));
            return false;
        }
    }
    k = VIRTIO_BUS_GET_CLASS(bus);
    if (k->plug && !k->plug(bus, vdev, errp)) {
        return false;
    }
    if (k->get_features) {
        features |= k->get_features(bus);
    }
    vdev->modern_transport = virtio_has_feature(features, VIRTIO_F_VERSION_1);
    vdev->host_features = vdc->get_features ? vdc->get_features(vdev, features) : features;
    bus->vdev = vdev;
    vdev->transport = bus;
    qdev_set_parent_bus(DEVICE(vdev), OBJECT(bus));
    virtio_reset(vdev);
    return true;
}

void virtio_bus_unplug(VirtIODevice *vdev)
{
    VirtioBusState *bus = vdev->transport;
    VirtioBusClass *k;

    if (!bus) {
        return;
    }
    k = VIRTIO_BUS_GET_CLASS(bus);
    if (k->unplug) {
        k->unplug(bus, vdev);
    }
    virtio_bus_release(bus);
}

void virtio_bus_release(VirtioBusState *bus)
{
    if (bus->vdev) {
        bus->vdev->transport = NULL;
        qdev_set_parent_bus(DEVICE(bus->vdev), NULL);
        bus->vdev = NULL;
    }
}

static void virtio_bus_instance_finalize(Object *obj)
{
    virtio_bus_release(VIRTIO_BUS(obj)); /* never leave a device pointing at a freed bus */
}

/* ---- the device type ------------------------------------------------------------------- */

static void virtio_device_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);
    Error *err = NULL;

    if (vdc->realize) {
        vdc->realize(vdev, &err);
        if (err) {
            error_propagate(errp, err);
            return;
        }
    }
    if (!virtio_bus_plug(vdev, vdev->bus, errp)) {
        if (vdc->unrealize) {
            vdc->unrealize(vdev);
        }
        vdev->nvqs = 0;
    }
}

static void virtio_device_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);

    virtio_bus_unplug(vdev);
    if (vdc->unrealize) {
        vdc->unrealize(vdev);
    }
    vdev->nvqs = 0;
}

static void virtio_device_reset(DeviceState *dev)
{
    virtio_reset(VIRTIO_DEVICE(dev));
}

static const Property virtio_device_props[] = {
    DEFINE_PROP_STRING("bus", VirtIODevice, bus),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_device_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    dc->realize = virtio_device_realize;
    dc->unrealize = virtio_device_unrealize;
    dc->reset = virtio_device_reset;
    dc->bus_type = TYPE_VIRTIO_BUS;
    device_class_set_props(dc, virtio_device_props);
    object_class_property_set_description(klass, "bus",
                                          "virtio bus to plug into, as virtio-mmio-bus.N or a "
                                          "path (default: the highest free slot)");
    vdc->legacy_features = VIRTIO_LEGACY_FEATURES;
}

static const TypeInfo virtio_types[] = {
    {
        .name = TYPE_VIRTIO_DEVICE,
        .parent = TYPE_DEVICE,
        .abstract = true,
        .instance_size = sizeof(VirtIODevice),
        .class_size = sizeof(VirtioDeviceClass),
        .class_init = virtio_device_class_init,
    },
    {
        .name = TYPE_VIRTIO_BUS,
        .parent = TYPE_BUS,
        .abstract = true,
        .instance_size = sizeof(VirtioBusState),
        .instance_finalize = virtio_bus_instance_finalize,
        .class_size = sizeof(VirtioBusClass),
    },
};

static void virtio_register_types(void)
{
    type_register_static_array(virtio_types, G_N_ELEMENTS(virtio_types));
}

type_init(virtio_register_types)
