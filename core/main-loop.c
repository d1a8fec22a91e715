/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main-loop.c - bottom halves, fd handlers and the loop that runs them with
 * the harts, the timers and the run-state requests (order: main-loop.h).
 *
 * Single-threaded.  The only thing that may happen asynchronously is a
 * signal handler calling main_loop_notify(), which writes one byte to a
 * self-pipe the loop always polls.  The pipe is made once per process and
 * never closed, so init/cleanup cycles do not leak descriptors.
 *
 * Time: the loop blocks only on host clocks.  Virtual time is never derived
 * from how long poll() slept; it moves only by the warp (interp, harts idle,
 * VM running) or by the accelerator itself.
 *
 * Not here: what a request does and which exit status follows (runstate.c,
 * a leaf this file calls, never the other way), timer lists (timer.c).
 */
#include "core/main-loop.h"
#include "core/coverage.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "core/replay.h"
#include "core/runstate.h"
#include "core/timer.h"

/* ---- bottom halves ---------------------------------------------------- */

/*
 * Scheduled bottom halves form one FIFO (an intrusive list, so scheduling
 * allocates nothing).  Each carries the sequence number it was scheduled
 * with: bh_poll() runs only those scheduled before it started, so a bottom
 * half that reschedules itself runs once per iteration, not forever.
 */
struct BH {
    BHFunc *cb;
    void *opaque;
    bool scheduled;
    uint64_t scheduled_seq;
    BH *prev, *next;
};

static BH *bh_head, *bh_tail;
static uint64_t bh_next_seq;

BH *bh_new(BHFunc *cb, void *opaque)
{
    BH *bh = g_new0(BH, 1);

    bh->cb = cb;
    bh->opaque = opaque;
    return bh;
}

void bh_schedule(BH *bh)
{
    if (bh->scheduled) {
        return;
    }
    bh->scheduled = true;
    bh->scheduled_seq = bh_next_seq++;
    bh->next = NULL;
    bh->prev = bh_tail;
    if (bh_tail) {
        bh_tail->next = bh;
    } else {
        bh_head = bh;
    }
    bh_tail = bh;
}

void bh_cancel(BH *bh)
{
    if (!bh || !bh->scheduled) {
        return;
    }
    if (bh->prev) {
        bh->prev->next = bh->next;
    } else {
        bh_head = bh->next;
    }
    if (bh->next) {
        bh->next->prev = bh->prev;
    } else {
        bh_tail = bh->prev;
    }
    bh->prev = bh->next = NULL;
    bh->scheduled = false;
}

static uint64_t bh_delete_count;

void bh_delete(BH *bh)
{
    if (bh) {
        bh_delete_count++;
        bh_cancel(bh);
        g_free(bh);
    }
}

bool bh_poll(void)
{
    uint64_t limit = bh_next_seq;
    bool ran = false;

    /* A callback may cancel or delete any bottom half, itself included. */
    while (bh_head && bh_head->scheduled_seq < limit) {
        BH *bh = bh_head;

        if (!clock_budget_charge()) {
            break; /* spent (a fuzzer's budget): it stays scheduled */
        }

        bh_cancel(bh);
        bh->cb(bh->opaque);
        ran = true;
    }
    return ran;
}

/* ---- fd handlers ------------------------------------------------------ */

typedef struct IOWatch {
    int fd;
    IOHandler *read;
    IOHandler *write;
    void *opaque;
    uint64_t id; /* new for each watch added; a replacement keeps it */
} IOWatch;

/* In the order they were added, so poll order (and dispatch order) is stable. */
static GArray *watches;
static uint64_t next_watch_id;

static int watch_index(int fd)
{
    for (guint i = 0; watches && i < watches->len; i++) {
        if (g_array_index(watches, IOWatch, i).fd == fd) {
            return i;
        }
    }
    return -1;
}

void set_fd_handler(int fd, IOHandler *read, IOHandler *write, void *opaque)
{
    int i;

    if (fd < 0) {
        return;
    }
    i = watch_index(fd);
    if (!read && !write) {
        if (i >= 0) {
            g_array_remove_index(watches, i);
        }
        return;
    }
    if (i >= 0) {
        IOWatch *w = &g_array_index(watches, IOWatch, i);

        w->read = read;
        w->write = write;
        w->opaque = opaque;
        return;
    }
    if (!watches) {
        watches = g_array_new(FALSE, FALSE, sizeof(IOWatch));
    }
    g_array_append_val(watches, ((IOWatch){fd, read, write, opaque, next_watch_id++}));
}

/*
 * The watch on fd if it is still the one that was polled (id), else NULL.
 * Handlers may add, replace or remove watches, so every dispatch step looks
 * its watch up again instead of keeping a pointer into the array.
 */
static IOWatch *watch_lookup(int fd, uint64_t id)
{
    int i = watch_index(fd);
    IOWatch *w;

    if (i < 0) {
        return NULL;
    }
    w = &g_array_index(watches, IOWatch, i);
    return w->id == id ? w : NULL;
}

/* ---- wake-up pipe ----------------------------------------------------- */

static volatile sig_atomic_t notify_read_fd = -1, notify_write_fd = -1;

static void notify_pipe_init(void)
{
    int fds[2];

    if (notify_read_fd >= 0) {
        return;
    }
    if (!g_unix_open_pipe(fds, FD_CLOEXEC, NULL)) {
        return; /* out of descriptors: no wake-ups, the loop still works */
    }
    g_unix_set_fd_nonblocking(fds[0], TRUE, NULL);
    g_unix_set_fd_nonblocking(fds[1], TRUE, NULL);
    notify_write_fd = fds[1];
    notify_read_fd = fds[0];
}

static void notify_pipe_drain(void)
{
    char buf[64];

    if (notify_read_fd < 0) {
        return;
    }
    while (read(notify_read_fd, buf, sizeof(buf)) > 0) {
        continue;
    }
}

void main_loop_notify(void)
{
    int saved_errno = errno;
    char byte = 0;
    ssize_t n;

    if (notify_write_fd >= 0) {
        /* A full pipe is fine: it is readable already. */
        n = write(notify_write_fd, &byte, 1);
        (void)n;
    }
    errno = saved_errno;
}

/* ---- the loop --------------------------------------------------------- */

static MainLoopHooks hooks;
static int exit_status;

void main_loop_set_hooks(const MainLoopHooks *new_hooks)
{
    hooks = new_hooks ? *new_hooks : (MainLoopHooks){0};
}

/* ms until the deadline on a host clock, rounded up; -1 when none. */
static int host_clock_timeout_ms(ClockType type)
{
    int64_t deadline = clock_deadline_ns(type);
    /* The host clock's timers wait on the host's time, never a recorded read (core/replay.c). */
    int64_t now = type == CLOCK_HOST ? clock_host_now_ns() : clock_get_ns(type);

    if (deadline < 0) {
        return -1;
    }
    /* Both are in [0, INT64_MAX]: the difference cannot overflow; the ms conversion saturates. */
    return clock_ns_to_timeout_ms(deadline - now);
}

static int min_timeout(int a, int b)
{
    if (a < 0) {
        return b;
    }
    if (b < 0) {
        return a;
    }
    return a < b ? a : b;
}

/* Runs the handlers of the watches that poll() found ready. */
static void dispatch_fds(const struct pollfd *pfds, const uint64_t *ids, int count)
{
    for (int i = 0; i < count; i++) {
        short revents = pfds[i].revents;
        IOWatch *w;

        if (!revents || !(w = watch_lookup(pfds[i].fd, ids[i]))) {
            continue;
        }
        if (revents & POLLNVAL) {
            /* Closed without removing its watch: drop it rather than spin. */
            set_fd_handler(pfds[i].fd, NULL, NULL, NULL);
            continue;
        }
        if ((revents & (POLLIN | POLLHUP | POLLERR)) && w->read) {
            w->read(w->opaque);
        }
        w = watch_lookup(pfds[i].fd, ids[i]);
        if (w && (revents & (POLLOUT | POLLHUP | POLLERR)) && w->write) {
            w->write(w->opaque);
        }
    }
}

#define POLL_STACK_SLOTS 32

/* Polls the wake-up pipe and every watch for up to timeout ms, then dispatches. */
static void poll_and_dispatch(int timeout)
{
    struct pollfd stack_pfds[POLL_STACK_SLOTS];
    uint64_t stack_ids[POLL_STACK_SLOTS];
    struct pollfd *pfds = stack_pfds;
    uint64_t *ids = stack_ids;
    int count = 0, watch_count = watches ? (int)watches->len : 0;
    int n;

    testcase(watch_count + 1 == POLL_STACK_SLOTS); /* the last count that fits the stack */
    if (watch_count + 1 > POLL_STACK_SLOTS) {
        pfds = g_new(struct pollfd, watch_count + 1);
        ids = g_new(uint64_t, watch_count + 1);
    }
    if (notify_read_fd >= 0) {
        pfds[count++] = (struct pollfd){.fd = notify_read_fd, .events = POLLIN};
    }
    for (int i = 0; i < watch_count; i++) {
        const IOWatch *w = &g_array_index(watches, IOWatch, i);

        pfds[count] = (struct pollfd){
            .fd = w->fd,
            .events = (w->read ? POLLIN : 0) | (w->write ? POLLOUT : 0),
        };
        ids[count++] = w->id;
    }
    n = poll(pfds, count, timeout);
    if (n > 0) {
        int first = 0;

        if (notify_read_fd >= 0) {
            if (pfds[0].revents) {
                notify_pipe_drain();
            }
            first = 1;
        }
        dispatch_fds(pfds + first, ids + first, count - first);
    }
    /* n < 0: EINTR (a signal; its request is seen next iteration) or worse: retry then. */
    if (pfds != stack_pfds) {
        g_free(pfds);
        g_free(ids);
    }
}

bool main_loop_wait(bool nonblocking)
{
    bool running, busy = false, warped = false;
    int64_t deadline;
    int timeout;

    notify_pipe_init();
    bh_poll();
    if (runstate_process_requests(&exit_status)) {
        return true;
    }

    running = runstate_is_running();
    if (running && hooks.cpu_run) {
        busy = hooks.cpu_run(hooks.opaque);
    }
    deadline = clock_deadline_ns(CLOCK_VIRTUAL);
    if (running && !busy && hooks.warp_virtual && deadline >= 0) {
        int64_t now = clock_get_ns(CLOCK_VIRTUAL);

        clock_advance_virtual_to(deadline > now ? deadline : now);
        warped = true;
    }

    /*
     * Block only when nothing is due: no harts to run, no warp just done
     * (its timers may have queued work), no bottom half or request waiting,
     * and no virtual timer expired.  Then wait for fds or the next host
     * deadline; virtual deadlines are not host time and are never waited on.
     */
    deadline = clock_deadline_ns(CLOCK_VIRTUAL);
    if (nonblocking || busy || warped || bh_head || runstate_request_pending() ||
        (running && deadline >= 0 && deadline <= clock_get_ns(CLOCK_VIRTUAL))) {
        timeout = 0;
    } else {
        timeout = min_timeout(host_clock_timeout_ms(CLOCK_RT), host_clock_timeout_ms(CLOCK_HOST));
    }
    poll_and_dispatch(timeout);
    replay_record_iteration_end();

    /* The virtual clock is stopped with the VM: its timers wait too. */
    if (runstate_is_running()) {
        clock_run_timers(CLOCK_VIRTUAL);
    }
    clock_run_timers(CLOCK_RT);
    clock_run_timers(CLOCK_HOST);
    return false;
}

bool main_loop_idle(void)
{
    int64_t deadline = clock_deadline_ns(CLOCK_VIRTUAL);

    return !bh_head && !runstate_request_pending() &&
           !(runstate_is_running() && deadline >= 0 && deadline <= clock_get_ns(CLOCK_VIRTUAL));
}

int main_loop_exit_status(void)
{
    return exit_status;
}

int main_loop_run(void)
{
    exit_status = 0;
    while (!main_loop_wait(false)) {
        continue;
    }
    return exit_status;
}

void main_loop_shutdown_from_signal(int signo, int pid)
{
    runstate_request_shutdown_from_signal(signo, pid);
    main_loop_notify();
}

/* ---- waits outside the loop ------------------------------------------------ */

#define FIFO_READER_POLL_MS 20

/*
 * The pipe is made before the signal flag is checked: a signal before that
 * point is seen by the check, one after it writes to the pipe and ends the
 * poll.  Stale bytes in the pipe only cost one more round.
 */
static int wait_fd_or_signal(int fd, short events, int timeout_ms)
{
    struct pollfd pfds[2];
    int n;

    notify_pipe_init();
    for (;;) {
        int count = 0;

        if (runstate_shutdown_signal_pending(NULL, NULL)) {
            errno = EINTR;
            return -1;
        }
        if (fd >= 0) {
            pfds[count++] = (struct pollfd){.fd = fd, .events = events};
        }
        pfds[count++] = (struct pollfd){.fd = notify_read_fd, .events = POLLIN};
        n = poll(pfds, count, timeout_ms);
        if (n < 0 && errno != EINTR) {
            return -1;
        }
        if (n > 0 && pfds[count - 1].revents) {
            notify_pipe_drain();
        }
        if (runstate_shutdown_signal_pending(NULL, NULL)) {
            errno = EINTR;
            return -1;
        }
        if (fd >= 0 && n > 0 && pfds[0].revents) {
            return 1;
        }
        if (n == 0) {
            return 0; /* timed out */
        }
    }
}

bool main_loop_wait_fd(int fd, short events)
{
    return wait_fd_or_signal(fd, events, -1) > 0;
}

int main_loop_open_output(const char *path, int flags, int mode)
{
    int fd = open(path, flags | O_NONBLOCK, mode);

    /* ENXIO: O_WRONLY|O_NONBLOCK on a FIFO that has no reader (or a socket file: refused). */
    while (fd < 0 && errno == ENXIO) {
        struct stat st;

        if (stat(path, &st) < 0 || !S_ISFIFO(st.st_mode)) {
            errno = ENXIO;
            return -1;
        }
        if (wait_fd_or_signal(-1, 0, FIFO_READER_POLL_MS) < 0) {
            return -1;
        }
        fd = open(path, flags | O_NONBLOCK, mode);
    }
    if (fd >= 0 && !(flags & O_NONBLOCK) && !g_unix_set_fd_nonblocking(fd, FALSE, NULL)) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

void main_loop_cleanup(void)
{
    /* Bottom halves belong to their creators: unschedule, never free. */
    while (bh_head) {
        bh_cancel(bh_head);
    }
    bh_next_seq = 0;
    if (watches) {
        g_array_free(watches, TRUE);
        watches = NULL;
    }
    next_watch_id = 0;
    hooks = (MainLoopHooks){0};
    exit_status = 0;
    notify_pipe_drain();
}

/* ---- snapshots ------------------------------------------------------------------- */

size_t bh_save_scheduled(BH **out, size_t max)
{
    size_t n = 0;

    for (BH *bh = bh_head; bh; bh = bh->next, n++) {
        if (n < max) {
            out[n] = bh;
        }
    }
    return n;
}

void bh_restore_scheduled(BH *const *saved, size_t n)
{
    while (bh_head) {
        bh_cancel(bh_head);
    }
    for (size_t i = 0; i < n; i++) {
        bh_schedule(saved[i]);
    }
}

uint64_t bh_deletes(void)
{
    return bh_delete_count;
}
