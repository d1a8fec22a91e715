/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.h - record and replay at the host-input seams (docs/replay.md).
 *
 * Recording (tern -record FILE): every event is written to FILE as one line
 * with write(2) as it happens, so a recording is complete up to the last
 * event when the process is killed; chardev output is coalesced into lines,
 * a partial line written before the next event or when the main-loop
 * iteration ends.  The seams call the replay_record_* functions; they do
 * nothing when no recording is open.
 *
 * Replay (tern-replay): the harness sets REPLAY_MODE_REPLAY before
 * tern_init(); chardevs that would touch the host are then replay back ends
 * (chardev.h: chardev_replay_*), and entropy and host-clock reads take the
 * values queued with replay_queue_*.
 *
 * The line encoding (replay_escape/replay_unescape) is shared by the
 * recorder and the trace parser (harness/trace.c).
 */
#ifndef TERN_REPLAY_H
#define TERN_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "core/error.h"

#define REPLAY_TRACE_VERSION 1

typedef enum {
    REPLAY_MODE_OFF,
    REPLAY_MODE_RECORD,
    REPLAY_MODE_REPLAY,
} ReplayMode;

ReplayMode replay_mode(void);
/* REPLAY_MODE_REPLAY before tern_init; OFF again at tern_cleanup. */
void replay_set_mode(ReplayMode mode);

/*
 * ---- instruction counts (guest runs) ----
 * The interpreter registers how many instructions all harts have executed
 * since start-up (cpu/accel-interp.c); NULL (qtest) counts nothing.  The
 * recorder writes it as `icount N` before an input that arrives at a later
 * count.  While replaying, the harness sets the count at which the next
 * input is due and the accelerator never runs past it, so the input reaches
 * the guest at the instruction it did when recorded.
 */
void replay_set_icount_source(uint64_t (*read)(void));
/* Instructions executed so far (0 without a source). */
uint64_t replay_icount(void);
/* The count the accelerator must stop at (UINT64_MAX: none). Not reset by replay_set_mode. */
void replay_set_icount_limit(uint64_t limit);
uint64_t replay_icount_limit(void);

/* ---- recording ------------------------------------------------------------------------ */

/*
 * Opens path (truncated), writes the header and the args line: argv[1..]
 * without the -record option and its value.  Mode becomes RECORD.
 */
bool replay_record_open(const char *path, int argc, char **argv, Error **errp);
bool replay_recording(void);
/*
 * Chardev traffic: in is split at '\n', one line each (a trailing piece gets
 * \c), after icount/time lines when they moved.  out is coalesced: one line
 * per '\n'-ended line of a chardev's output, however many writes made it; a
 * partial line waits (see above) and is written with \c.
 */
void replay_record_chardev_in(const char *id, const uint8_t *buf, size_t len);
void replay_record_chardev_out(const char *id, const uint8_t *buf, size_t len);
void replay_record_chardev_open(const char *id);
void replay_record_chardev_close(const char *id);
void replay_record_entropy(const char *id, const uint8_t *buf, size_t len);
void replay_record_hostclock(int64_t ns);
/* checkpoint HEX (the caller computed snapshot_digest). */
void replay_record_checkpoint(const char *digest);
/* error TEXT (start-up failed) and exit N; close after exit. */
void replay_record_error(const char *message);
/* signal N: the main loop acts on a shutdown signal (core/runstate.c). */
void replay_record_signal(int signo);
void replay_record_exit(int status);
void replay_record_close(void);
/* The main loop's end of an iteration: writes a pending partial output line (see replay.c). */
void replay_record_iteration_end(void);

/* ---- replay ---------------------------------------------------------------------------- */

/* Values the seams take in order while replaying; cleared by replay_set_mode(OFF). */
void replay_queue_entropy(const uint8_t *buf, size_t len);
void replay_queue_hostclock(int64_t ns);
/*
 * The seams, replay side: false when the trace has no value left (the replay
 * diverged; replay_starved() then names what ran out).
 */
bool replay_take_entropy(const char *id, uint8_t *buf, size_t len);
bool replay_take_hostclock(int64_t *ns);
const char *replay_starved(void);
/*
 * For tern-replay --update: fn sees every value a seam takes ("entropy" with
 * the object's id and its bytes, "hostclock" with ns), and with lenient_reads a read beyond the
 * trace takes a stand-in (zero bytes; the last host-clock value, else 0)
 * instead of starving.  NULL: off.  replay_set_mode(OFF) does not reset it.
 */
typedef void ReplayTakeFn(const char *what, const char *id, const uint8_t *buf, size_t len,
                          int64_t ns, void *opaque);
void replay_set_take_hook(ReplayTakeFn *fn, void *opaque, bool lenient_reads);

/* ---- the line encoding -------------------------------------------------------------------- */

/*
 * Appends the escaped form of one piece (no '\n' inside; ends_line false
 * appends "\c"): "\\", "\r", "\t", "\xHH" for bytes outside 0x20..0x7e.
 */
void replay_escape(GString *out, const uint8_t *buf, size_t len, bool ends_line);
/*
 * Decodes TEXT back into bytes, appending '\n' unless it ends with "\c".
 * False with *why set (a static string) on a bad escape.
 */
bool replay_unescape(const char *text, GByteArray *out, const char **why);

#endif
