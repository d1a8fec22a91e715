/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virt.h - the RISC-V virt board: its memory map, IRQ numbers and state.
 */
#ifndef TERN_VIRT_H
#define TERN_VIRT_H

#include <glib.h>

#include "core/machine.h"
#include "core/memory.h"
#include "core/qdev.h"
#include "cpu/hart.h"
#include "hw/fw_cfg.h"

#define TYPE_VIRT_MACHINE  "virt" TYPE_MACHINE_SUFFIX
#define VIRT_MAX_SOCKETS   4
#define VIRT_MAX_HARTS     512
#define VIRT_NUM_VIRTIO    8
#define VIRT_MAX_ALIASES   64
#define VIRT_TIMEBASE_FREQ 10000000

/*
 * PLIC sources (spec §3): the board connects each device's IRQ with these,
 * and the device tree follows that wiring (no device keeps a copy).
 */
#define VIRT_VIRTIO_IRQ 1 /* slot i uses 1 + i */
#define VIRT_UART0_IRQ  10
#define VIRT_RTC_IRQ    11

enum {
    VIRT_DEBUG,
    VIRT_MROM,
    VIRT_TEST,
    VIRT_RTC,
    VIRT_CLINT,
    VIRT_PLIC,
    VIRT_UART0,
    VIRT_VIRTIO,
    VIRT_FW_CFG,
    VIRT_DRAM,
};

typedef struct VirtMemMapEntry {
    hwaddr base;
    hwaddr size;
} VirtMemMapEntry;

extern const VirtMemMapEntry virt_memmap[];

typedef struct VirtRomBlob {
    hwaddr addr;
    uint8_t *data;
    size_t len;
    char *name; /* what put it there, for messages: "-kernel FILE", "the device tree" */
} VirtRomBlob;

typedef struct VirtMachineState {
    MachineState parent_obj;
    /* options */
    bool aclint;
    char *aia;
    /* memory */
    MemoryRegion system, ram, mrom;
    bool memory_ready;
    /* devices */
    RVHartArray *soc[VIRT_MAX_SOCKETS];
    DeviceState *plic[VIRT_MAX_SOCKETS];
    DeviceState *test, *uart, *rtc;
    FWCfgState *fw_cfg;
    Object *aliases[VIRT_MAX_ALIASES]; /* /machine/unattached/device[N] */
    /* boot */
    GArray *blobs; /* VirtRomBlob: images written again at every reset */
    hwaddr start_addr, kernel_entry, fdt_addr, initrd_start, initrd_end;
    size_t fdt_size;
} VirtMachineState;

#define VIRT_MACHINE(obj) OBJECT_CHECK(VirtMachineState, (obj), TYPE_VIRT_MACHINE)

typedef struct DtContext DtContext;
/*
 * Writes the board's device tree into dt (fresh from dt_init): /cpus,
 * /memory, /soc with every device's own node, reboot, poweroff, /chosen.
 * done() calls it once; tests call it again after rewiring a device.
 */
void virt_build_fdt(VirtMachineState *s, DtContext *dt);

#endif
