/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdset.h - file descriptor sets: -add-fd fd=N,set=M[,opaque=TEXT].
 *
 * A harness that may not let the emulator open a file itself (QEMU's
 * QEMUMachine.add_fd(), libvirt) opens it, leaves the descriptor open across
 * exec and names it with -add-fd.  As in QEMU, the descriptor must be
 * inherited (FD_CLOEXEC clear) and not stdin, stdout or stderr; Tern keeps a
 * close-on-exec duplicate in set M, and a file option given the path
 * /dev/fdset/M (-drive file=/dev/fdset/M) gets a duplicate of the set's
 * descriptor whose access mode (read-only, write-only, read-write) is the
 * one the option asks for.  QMP query-fdsets lists the sets.
 *
 * Deliberate difference: QEMU closes the inherited descriptor once it has
 * its duplicate; Tern leaves it open, because tern_init() also runs inside
 * test and fuzzing processes whose descriptors it must not close.
 * Not here: QMP add-fd/remove-fd (descriptors passed over the monitor).
 */
#ifndef TERN_FDSET_H
#define TERN_FDSET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* -add-fd's checks and errors are QEMU's; the text values are as typed (NULL: absent). */
bool fdset_add_option(const char *fd_text, const char *set_text, const char *opaque, Error **errp);

/*
 * A duplicate (close-on-exec) of a descriptor of the set that path
 * "/dev/fdset/M" names, opened with access (O_RDONLY, O_WRONLY or O_RDWR);
 * -1 with errno set (ENOENT: no such set, EACCES: no descriptor with that
 * access mode, EINVAL: not an fdset path).
 */
int fdset_open(const char *path, int access);

/* Whether path names an fd set ("/dev/fdset/..."). */
bool fdset_is_path(const char *path);

/* Calls fn for each descriptor, by set id and then in the order they were added. */
void fdset_foreach(void (*fn)(int64_t set, int fd, const char *opaque, void *arg), void *arg);

/* Closes every duplicate and forgets the sets (tern_cleanup). */
void fdset_cleanup(void);

#endif
