/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostfile.h - files named by the user: opened, checked and read safely.
 *
 * Every option that takes a host file (-bios, -kernel, -initrd, -dtb,
 * -drive file=, -readconfig, rng-random filename=) goes through here, so
 * that what the option cannot use is refused before a byte is read, with
 * one line naming the option, the file and the reason:
 *
 *   tern: -dtb /dev/zero: is a character device; a regular file is needed
 *
 * The file is opened without blocking (O_NONBLOCK: a named pipe with no
 * writer does not hold up open()), then the *open descriptor* is checked
 * with fstat(): its kind against the kinds the option accepts, its size
 * against the option's limit.  Nothing is checked by name and then opened,
 * so a file swapped between the check and the read cannot slip through,
 * and reading is bounded too: at most limit + 1 bytes are ever read, so a
 * file that grows while it is read (or a device that never ends) is caught.
 *
 * A read that has to wait (a pipe, standard input) waits in
 * main_loop_wait_fd(), the start-up wait that a shutdown signal ends
 * through the main loop's wake-up pipe: SIGTERM always gets through.  Not here: what the bytes mean
 * (ELF, device trees and config syntax are checked by their readers).
 */
#ifndef TERN_HOSTFILE_H
#define TERN_HOSTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/error.h"

/* Kinds of host file, combined with | into the set an option accepts. */
typedef enum HostFileKind {
    HOSTFILE_REGULAR = 1u << 0,
    HOSTFILE_BLOCK = 1u << 1, /* a block device: -drive file= */
    HOSTFILE_CHAR = 1u << 2,  /* a character device: rng-random's /dev/urandom */
    HOSTFILE_FIFO = 1u << 3,  /* a named pipe or a pipe: -readconfig <(...) */
} HostFileKind;

/* No size limit (files accessed in place, such as drives, never read whole). */
#define HOSTFILE_NO_LIMIT UINT64_MAX
/*
 * -dtb: 2 MiB.  Linux on RISC-V maps at most 2 MiB of device tree
 * (MAX_FDT_SIZE, one PMD; 1 MiB before 6.x) and the virt board puts the tree
 * in a 2 MiB-aligned block below the top of RAM, as QEMU does: a bigger blob
 * cannot be booted.  Tern's generated tree is under 16 KiB.
 */
#define HOSTFILE_DTB_MAX_SIZE (UINT64_C(2) << 20)
/* -readconfig and the user config file: 1 MiB (a full -writeconfig is ~2 KiB). */
#define HOSTFILE_CONFIG_MAX_SIZE (UINT64_C(1) << 20)

/*
 * -bios, -kernel, -initrd: a raw image is copied whole into RAM, so it may
 * be no bigger than RAM.  An ELF file (by its magic) is loaded segment by
 * segment and may carry sections it never loads (a vmlinux with its DWARF
 * is often ten times its loaded size): it may be as big as RAM or 1 GiB,
 * whichever is more.  The segments are then checked against RAM.  The
 * file is read whole and a kernel is kept once more for fw_cfg, so host
 * memory use is twice the file: 1 GiB holds any vmlinux with its DWARF.
 */
#define HOSTFILE_ELF_MAX_SIZE (UINT64_C(1) << 30)

/* The kind of a file of this st_mode, or 0 for one no option accepts (directory, socket). */
unsigned hostfile_kind_of(mode_t mode);

/*
 * Why a file of this st_mode is refused where the kinds in allowed are
 * needed ("is a directory; a regular file is needed"), or NULL when it is
 * accepted.  Caller frees.
 */
char *hostfile_refusal(mode_t mode, unsigned allowed);

/*
 * Opens path for an option.  access is O_RDONLY or O_RDWR.  The file must
 * be of a kind in allowed and, when it is a regular file, at most max_size
 * bytes (limit_name, when given, names what the limit is: "RAM" gives "is N
 * bytes, too big for RAM (M bytes)").  Errors read "OPTION PATH: reason";
 * with option NULL they are the reason alone, for callers whose location
 * already names the file (-drive).
 *
 * A regular file or block device comes back in blocking mode; a character
 * device or pipe stays non-blocking (its reader must wait with poll(), as
 * rng-random does).  Returns the fd (O_CLOEXEC), or -1 with errp set.
 */
int hostfile_open(const char *option, const char *path, int access, unsigned allowed,
                  uint64_t max_size, const char *limit_name, Error **errp);

/*
 * Reads all of fd, at most max_size bytes (it fails when there is more),
 * from where it stands.  Waits for a pipe or terminal with
 * main_loop_wait_fd(); EINTR is retried unless a shutdown signal is
 * pending, which ends the read with an error.  *data is NUL-terminated (not counted in *len); free
 * with g_free().  option and name are used as in hostfile_open().
 */
bool hostfile_read_fd(const char *option, const char *name, int fd, uint64_t max_size,
                      const char *limit_name, char **data, size_t *len, Error **errp);

/*
 * An image for -bios, -kernel or -initrd: a regular file, at most ram_size
 * bytes ("too big for RAM"), or HOSTFILE_ELF_MAX_SIZE when it is an ELF
 * file (see above).  hostfile_open_image() checks and returns the fd;
 * hostfile_read_image() reads it all as hostfile_read_fd() does.
 */
int hostfile_open_image(const char *option, const char *path, uint64_t ram_size, Error **errp);
bool hostfile_read_image(const char *option, const char *path, uint64_t ram_size, char **data,
                         size_t *len, Error **errp);
/* hostfile_open() with O_RDONLY, then hostfile_read_fd(), then close. */
bool hostfile_read_all(const char *option, const char *path, unsigned allowed, uint64_t max_size,
                       const char *limit_name, char **data, size_t *len, Error **errp);

#endif
