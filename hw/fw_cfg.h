/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg.h - QEMU's firmware configuration device, memory-mapped flavour
 * ("fw_cfg_mem", virt spec §11): numbered items (keys) and named files the
 * board publishes for firmware, read through a selector and a data register
 * or by DMA.
 *
 * The board creates it with fw_cfg_create_mem() (it becomes /machine/fw_cfg
 * when parent is the machine) and adds items with fw_cfg_add_*: the data is
 * copied, and adding a key again replaces it.  The device itself publishes
 * SIGNATURE, ID, UUID, NOGRAPHIC, BOOT_MENU and the files QEMU 7.2 has
 * under -nodefaults (bios-geometry, bootorder, etc/boot-fail-wait);
 * NB_CPUS and the kernel/initrd/cmdline items are the board's.
 */
#ifndef TERN_FW_CFG_H
#define TERN_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/sysbus.h"

#define TYPE_FW_CFG_MEM "fw_cfg_mem"

/* Well-known keys. */
#define FW_CFG_SIGNATURE      0x00
#define FW_CFG_ID             0x01
#define FW_CFG_UUID           0x02
#define FW_CFG_RAM_SIZE       0x03
#define FW_CFG_NOGRAPHIC      0x04
#define FW_CFG_NB_CPUS        0x05
#define FW_CFG_MACHINE_ID     0x06
#define FW_CFG_KERNEL_ADDR    0x07
#define FW_CFG_KERNEL_SIZE    0x08
#define FW_CFG_KERNEL_CMDLINE 0x09
#define FW_CFG_INITRD_ADDR    0x0a
#define FW_CFG_INITRD_SIZE    0x0b
#define FW_CFG_BOOT_DEVICE    0x0c
#define FW_CFG_NUMA           0x0d
#define FW_CFG_BOOT_MENU      0x0e
#define FW_CFG_MAX_CPUS       0x0f
#define FW_CFG_KERNEL_ENTRY   0x10
#define FW_CFG_KERNEL_DATA    0x11
#define FW_CFG_INITRD_DATA    0x12
#define FW_CFG_CMDLINE_ADDR   0x13
#define FW_CFG_CMDLINE_SIZE   0x14
#define FW_CFG_CMDLINE_DATA   0x15
#define FW_CFG_FILE_DIR       0x19
#define FW_CFG_FILE_FIRST     0x20
#define FW_CFG_FILE_SLOTS     0x20 /* QEMU's default x-file-slots */
#define FW_CFG_MAX_ENTRY      (FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS)
#define FW_CFG_WRITE_CHANNEL  0x4000
#define FW_CFG_ARCH_LOCAL     0x8000
#define FW_CFG_ENTRY_MASK     ((uint16_t) ~(FW_CFG_WRITE_CHANNEL | FW_CFG_ARCH_LOCAL))
#define FW_CFG_INVALID        0xffff

/* FW_CFG_ID feature bits. */
#define FW_CFG_VERSION     0x01
#define FW_CFG_VERSION_DMA 0x02

/* DMA descriptor control bits. */
#define FW_CFG_DMA_CTL_ERROR  0x01
#define FW_CFG_DMA_CTL_READ   0x02
#define FW_CFG_DMA_CTL_SKIP   0x04
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_DMA_CTL_WRITE  0x10

/* What a read of the DMA register returns: "QEMU CFG" as a big-endian number. */
#define FW_CFG_DMA_SIGNATURE UINT64_C(0x51454d5520434647)

/* A file directory entry's name field, NUL included. */
#define FW_CFG_MAX_FILE_PATH 56

/* Offsets of the three registers from the device's base (the data register). */
#define FW_CFG_DATA_OFFSET 0x00
#define FW_CFG_CTL_OFFSET  0x08
#define FW_CFG_DMA_OFFSET  0x10
#define FW_CFG_MMIO_SIZE   0x18

/* Sysbus MMIO region numbers, in QEMU's order. */
enum { FW_CFG_MMIO_CTL, FW_CFG_MMIO_DATA, FW_CFG_MMIO_DMA };

typedef struct FWCfgEntry {
    uint8_t *data; /* owned; NULL when the item is absent */
    uint32_t len;
} FWCfgEntry;

typedef struct FWCfgState {
    SysBusDevice parent_obj;
    MemoryRegion ctl_iomem, data_iomem, dma_iomem;
    MemoryRegionOps data_ops; /* the data register's, widened to data_width */

    /* properties */
    uint32_t data_width; /* bytes the data register takes in one access: 1, 2, 4 or 8 */
    bool dma_enabled;

    /* items: [0] generic keys, [1] FW_CFG_ARCH_LOCAL keys; configuration, not state */
    FWCfgEntry entries[2][FW_CFG_MAX_ENTRY];
    uint32_t file_count;

    /* guest-visible state */
    uint16_t cur_entry;  /* selected key, FW_CFG_INVALID when none */
    uint32_t cur_offset; /* read position in the selected item */
    uint64_t dma_addr;   /* descriptor address being written */
} FWCfgState;

#define FW_CFG_MEM(obj) OBJECT_CHECK(FWCfgState, (obj), TYPE_FW_CFG_MEM)

/*
 * Creates the device as child "fw_cfg" of parent (the machine), realizes it
 * and maps it at base: data at base, selector at base+8, DMA at base+0x10.
 * NULL with *errp set on failure.
 */
FWCfgState *fw_cfg_create_mem(Object *parent, hwaddr base, Error **errp);
/* The machine's fw_cfg device (the one object called "fw_cfg"), or NULL. */
FWCfgState *fw_cfg_find(void);
/* Maps the three regions of a realized device at base (what fw_cfg_create_mem does). */
void fw_cfg_map(FWCfgState *s, hwaddr base);

/*
 * Items.  Return false (and change nothing) for a key outside the table;
 * data is copied.  Integers are stored little-endian, as QEMU does.
 */
bool fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data, size_t len);
bool fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value); /* with its NUL */
bool fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);
bool fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
bool fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);

/*
 * Files.  Names longer than 55 bytes are cut, as QEMU does.  The directory
 * is kept sorted by name (strcmp) and a file's key is FW_CFG_FILE_FIRST plus
 * its index in it, so adding a file moves the keys of those after it, as on
 * QEMU: the returned key is valid until the next file is added; ask
 * fw_cfg_file_key() later.  Returns -1 for a duplicate name or when all
 * FW_CFG_FILE_SLOTS are taken.
 */
int fw_cfg_add_file(FWCfgState *s, const char *name, const void *data, size_t len);
/* Replaces a file's contents, adding it if absent; its key, or -1. */
int fw_cfg_modify_file(FWCfgState *s, const char *name, const void *data, size_t len);
/* The key of file name, or -1. */
int fw_cfg_file_key(FWCfgState *s, const char *name);

/* Kernel boot through firmware: KERNEL_SIZE/KERNEL_DATA, INITRD_*, CMDLINE_*. */
void fw_cfg_add_kernel(FWCfgState *s, const void *data, size_t len);
void fw_cfg_add_initrd(FWCfgState *s, const void *data, size_t len);
void fw_cfg_add_cmdline(FWCfgState *s, const char *cmdline);

#endif
