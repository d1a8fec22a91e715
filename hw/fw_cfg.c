/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg.c - the memory-mapped fw_cfg device of the virt machine (spec §11)
 * at 0x10100000: items the board publishes for firmware (signature, CPU
 * count, kernel, named files), read a byte stream at a time through the
 * selector and data registers, or moved to guest RAM by DMA.
 *
 * Three regions, as QEMU's: "fwcfg.ctl" (selector, sysbus region 0),
 * "fwcfg.data" (region 1) and "fwcfg.dma" (region 2), all big-endian.  The
 * memory core swaps bytes for big-endian regions, so a data read returns
 * the next bytes of the item as a big-endian number and the guest sees them
 * in memory in stream order.
 *
 * No item is writable (QEMU's writable ones, like ramfb's, are not on this
 * machine): DMA WRITE always ends in ERROR.  Not here: the port-I/O flavour,
 * callbacks on select or read, ACPI tables.
 */
#include "hw/fw_cfg.h"

#include <string.h>

#include "core/bswap.h"
#include "core/log.h"
#include "core/module.h"
#include "core/trace.h"
#include "hw/fdt.h"

/* QEMU's fw_cfg_select and fw_cfg_read, with Tern's words. */
TRACE_EVENT(fw_cfg_select, "key 0x%04x %s", (unsigned key, const char *found), (key, found))
TRACE_EVENT(fw_cfg_read, "key 0x%04x offset %u size %u value 0x%" PRIx64,
            (unsigned key, unsigned offset, unsigned size, uint64_t value),
            (key, offset, size, value))
TRACE_EVENT(fw_cfg_dma_transfer, "descriptor 0x%" PRIx64 " control 0x%x length %u addr 0x%" PRIx64,
            (uint64_t desc, unsigned control, unsigned length, uint64_t addr),
            (desc, control, length, addr))

/*
 * The file directory (item FW_CFG_FILE_DIR), all big-endian:
 *
 *   +0   u32 count
 *   +4   entry[FW_CFG_FILE_SLOTS], 64 bytes each:
 *          +0  u32 size
 *          +4  u16 key
 *          +6  u16 reserved (0)
 *          +8  char name[56], NUL-terminated
 *
 * As on QEMU the item has room for every slot; unused entries are zero.
 */
#define FW_CFG_DIR_ENTRY_SIZE 64
#define FW_CFG_DIR_SIZE       (4 + FW_CFG_DIR_ENTRY_SIZE * FW_CFG_FILE_SLOTS)

/*
 * The DMA descriptor the guest points the DMA register at, big-endian:
 *
 *   +0   u32 control   bits 31:16 key (with SELECT), 0x10 WRITE, 0x08 SELECT,
 *                      0x04 SKIP, 0x02 READ, 0x01 ERROR
 *   +4   u32 length
 *   +8   u64 address   guest RAM to fill (READ) or take from (WRITE)
 *
 * On completion the device writes control back: 0, or ERROR.
 */
#define FW_CFG_DMA_DESC_SIZE 16

/* The item a key (possibly with the arch-local or write-channel bits) stands for, or NULL. */
static FWCfgEntry *fw_cfg_entry(FWCfgState *s, uint16_t key)
{
    unsigned index = key & FW_CFG_ENTRY_MASK;

    if (key == FW_CFG_INVALID || index >= FW_CFG_MAX_ENTRY) {
        return NULL;
    }
    return &s->entries[(key & FW_CFG_ARCH_LOCAL) ? 1 : 0][index];
}

static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_offset = 0;
    s->cur_entry = fw_cfg_entry(s, key) ? key : FW_CFG_INVALID;
    trace_fw_cfg_select(key, s->cur_entry == FW_CFG_INVALID ? "(no such item)" : "selected");
}

/* The selected item when its stream has bytes left at cur_offset, else NULL. */
static FWCfgEntry *fw_cfg_current(FWCfgState *s)
{
    FWCfgEntry *e = fw_cfg_entry(s, s->cur_entry);

    return e && e->data && s->cur_offset < e->len ? e : NULL;
}

/* ---- items ------------------------------------------------------------------------- */

bool fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data, size_t len)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    if (!e || len > UINT32_MAX) {
        return false;
    }
    g_free(e->data);
    e->data = len ? memcpy(g_malloc(len), data, len) : NULL;
    e->len = (uint32_t)len;
    return true;
}

bool fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value)
{
    return fw_cfg_add_bytes(s, key, value, strlen(value) + 1);
}

bool fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint8_t le[2];

    store_le16(le, value);
    return fw_cfg_add_bytes(s, key, le, sizeof(le));
}

bool fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint8_t le[4];

    store_le32(le, value);
    return fw_cfg_add_bytes(s, key, le, sizeof(le));
}

bool fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint8_t le[8];

    store_le64(le, value);
    return fw_cfg_add_bytes(s, key, le, sizeof(le));
}

/* ---- files ------------------------------------------------------------------------- */

static uint8_t *fw_cfg_dir(FWCfgState *s)
{
    FWCfgEntry *dir = &s->entries[0][FW_CFG_FILE_DIR];

    if (!dir->data) {
        dir->data = g_malloc0(FW_CFG_DIR_SIZE);
        dir->len = FW_CFG_DIR_SIZE;
    }
    return dir->data;
}

static uint8_t *fw_cfg_dir_entry(FWCfgState *s, uint32_t index)
{
    return fw_cfg_dir(s) + 4 + FW_CFG_DIR_ENTRY_SIZE * index;
}

static const char *fw_cfg_dir_name(FWCfgState *s, uint32_t index)
{
    return (const char *)fw_cfg_dir_entry(s, index) + 8;
}

/* The directory index of name (already cut to size), or -1. */
static int fw_cfg_file_index(FWCfgState *s, const char *name)
{
    for (uint32_t i = 0; i < s->file_count; i++) {
        if (!strcmp(fw_cfg_dir_name(s, i), name)) {
            return (int)i;
        }
    }
    return -1;
}

static void fw_cfg_cut_name(char out[FW_CFG_MAX_FILE_PATH], const char *name)
{
    size_t n = strnlen(name, FW_CFG_MAX_FILE_PATH - 1);

    memset(out, 0, FW_CFG_MAX_FILE_PATH);
    memcpy(out, name, n);
}

int fw_cfg_file_key(FWCfgState *s, const char *name)
{
    char cut[FW_CFG_MAX_FILE_PATH];
    int index;

    fw_cfg_cut_name(cut, name);
    index = fw_cfg_file_index(s, cut);
    return index < 0 ? -1 : FW_CFG_FILE_FIRST + index;
}

int fw_cfg_add_file(FWCfgState *s, const char *name, const void *data, size_t len)
{
    char cut[FW_CFG_MAX_FILE_PATH];
    uint32_t index;
    uint8_t *entry;

    fw_cfg_cut_name(cut, name);
    if (s->file_count >= FW_CFG_FILE_SLOTS || fw_cfg_file_index(s, cut) >= 0 || len > UINT32_MAX) {
        return -1;
    }
    /* Sorted by strcmp: the new file goes after every name not greater than its own. */
    for (index = s->file_count; index > 0; index--) {
        if (strcmp(cut, fw_cfg_dir_name(s, index - 1)) >= 0) {
            break;
        }
    }
    /* Those after it move up one slot, and their keys with them. */
    for (uint32_t i = s->file_count; i > index; i--) {
        memcpy(fw_cfg_dir_entry(s, i), fw_cfg_dir_entry(s, i - 1), FW_CFG_DIR_ENTRY_SIZE);
        store_be16(fw_cfg_dir_entry(s, i) + 4, FW_CFG_FILE_FIRST + i);
        s->entries[0][FW_CFG_FILE_FIRST + i] = s->entries[0][FW_CFG_FILE_FIRST + i - 1];
    }
    s->entries[0][FW_CFG_FILE_FIRST + index] = (FWCfgEntry){NULL, 0};
    fw_cfg_add_bytes(s, FW_CFG_FILE_FIRST + index, data, len);

    entry = fw_cfg_dir_entry(s, index);
    memset(entry, 0, FW_CFG_DIR_ENTRY_SIZE);
    store_be32(entry, (uint32_t)len);
    store_be16(entry + 4, FW_CFG_FILE_FIRST + index);
    memcpy(entry + 8, cut, FW_CFG_MAX_FILE_PATH);
    s->file_count++;
    store_be32(fw_cfg_dir(s), s->file_count);
    return FW_CFG_FILE_FIRST + (int)index;
}

int fw_cfg_modify_file(FWCfgState *s, const char *name, const void *data, size_t len)
{
    int key = fw_cfg_file_key(s, name);

    if (key < 0) {
        return fw_cfg_add_file(s, name, data, len);
    }
    if (len > UINT32_MAX) {
        return -1;
    }
    fw_cfg_add_bytes(s, (uint16_t)key, data, len);
    store_be32(fw_cfg_dir_entry(s, key - FW_CFG_FILE_FIRST), (uint32_t)len);
    return key;
}

/* ---- kernel boot through firmware ------------------------------------------------------- */

void fw_cfg_add_kernel(FWCfgState *s, const void *data, size_t len)
{
    /* fw_cfg sizes are 32-bit: a bigger image is not published (size 0), never cut. */
    bool added = fw_cfg_add_bytes(s, FW_CFG_KERNEL_DATA, data, len);

    fw_cfg_add_i32(s, FW_CFG_KERNEL_SIZE, added ? (uint32_t)len : 0);
}

void fw_cfg_add_initrd(FWCfgState *s, const void *data, size_t len)
{
    /* fw_cfg sizes are 32-bit: a bigger image is not published (size 0), never cut. */
    bool added = fw_cfg_add_bytes(s, FW_CFG_INITRD_DATA, data, len);

    fw_cfg_add_i32(s, FW_CFG_INITRD_SIZE, added ? (uint32_t)len : 0);
}

void fw_cfg_add_cmdline(FWCfgState *s, const char *cmdline)
{
    fw_cfg_add_i32(s, FW_CFG_CMDLINE_SIZE, (uint32_t)strlen(cmdline) + 1);
    fw_cfg_add_string(s, FW_CFG_CMDLINE_DATA, cmdline);
}

/* ---- data and selector registers -------------------------------------------------------- */

/*
 * The next size bytes of the item, first byte most significant; past the
 * end the missing bytes are zero and the position stays at the end.
 */
static uint64_t fw_cfg_data_read(void *opaque, hwaddr addr, unsigned size)
{
    FWCfgState *s = opaque;
    uint64_t value = 0;
    uint32_t offset = s->cur_offset;

    /* QEMU accepts data accesses at offset 0 only; others read 0 and leave the stream alone. */
    if (addr != 0) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "fw_cfg: %u-byte read at data offset 0x%" HWADDR_PRIx " refused; read 0\n",
                      size, addr);
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        FWCfgEntry *e = fw_cfg_current(s);

        value <<= 8;
        if (e) {
            value |= e->data[s->cur_offset++];
        }
    }
    trace_fw_cfg_read(s->cur_entry, offset, size, value);
    return value;
}

static void fw_cfg_data_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    tern_log_mask(LOG_GUEST_ERROR, "fw_cfg: %u-byte write to the data register ignored\n", size);
}

static uint64_t fw_cfg_ctl_read(void *opaque, hwaddr addr, unsigned size)
{
    tern_log_mask(LOG_GUEST_ERROR, "fw_cfg: the selector register is write-only; read 0\n");
    return 0;
}

static void fw_cfg_ctl_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    fw_cfg_select(opaque, (uint16_t)value);
}

/* The selector takes 16-bit writes only: the memory core drops 1-byte ones, as 7.2 does. */
static const MemoryRegionOps fw_cfg_ctl_ops = {
    .read = fw_cfg_ctl_read,
    .write = fw_cfg_ctl_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {.min_access_size = 2, .max_access_size = 2},
    .impl = {.min_access_size = 2, .max_access_size = 2},
};

static const MemoryRegionOps fw_cfg_data_ops_template = {
    .read = fw_cfg_data_read,
    .write = fw_cfg_data_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 1},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

/* ---- DMA ------------------------------------------------------------------------------- */

static void fw_cfg_dma_complete(FWCfgState *s, AddressSpace *as, hwaddr desc, uint32_t control)
{
    uint8_t be[4];

    store_be32(be, control);
    if (dma_memory_write(as, desc, be, sizeof(be)) != MEMTX_OK) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "fw_cfg: cannot write DMA status to descriptor at 0x%" HWADDR_PRIx "\n",
                      desc);
    }
}

/*
 * Runs the descriptor at s->dma_addr.  Every guest-memory access goes
 * through the bounds-checked DMA helpers, which transfer all or nothing, so
 * a bad address ends in ERROR with nothing written outside the range asked.
 */
static void fw_cfg_dma_transfer(FWCfgState *s)
{
    AddressSpace *as = address_space_memory();
    hwaddr desc = s->dma_addr;
    uint8_t raw[FW_CFG_DMA_DESC_SIZE];
    uint32_t control, length, result = 0;
    uint64_t addr;
    bool read = false, write = false;

    s->dma_addr = 0; /* the next transfer starts from a fresh address */
    if (!as) {
        return;
    }
    if (dma_memory_read(as, desc, raw, sizeof(raw)) != MEMTX_OK) {
        tern_log_mask(LOG_GUEST_ERROR, "fw_cfg: cannot read DMA descriptor at 0x%" HWADDR_PRIx "\n",
                      desc);
        fw_cfg_dma_complete(s, as, desc, FW_CFG_DMA_CTL_ERROR);
        return;
    }
    control = load_be32(raw);
    length = load_be32(raw + 4);
    addr = load_be64(raw + 8);
    trace_fw_cfg_dma_transfer(desc, control, length, addr);

    if (control & FW_CFG_DMA_CTL_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    /* One operation per descriptor; READ wins over WRITE over SKIP, as on QEMU. */
    if (control & FW_CFG_DMA_CTL_READ) {
        read = true;
    } else if (control & FW_CFG_DMA_CTL_WRITE) {
        write = true;
    } else if (!(control & FW_CFG_DMA_CTL_SKIP)) {
        length = 0;
    }

    while (length && !(result & FW_CFG_DMA_CTL_ERROR)) {
        FWCfgEntry *e = fw_cfg_current(s);
        uint32_t chunk;

        if (!e) {
            /* Past the end (or nothing selected): reads give zeros, writes fail. */
            chunk = length;
            if (read && dma_memory_set(as, addr, 0, chunk) != MEMTX_OK) {
                result |= FW_CFG_DMA_CTL_ERROR;
            }
            if (write) {
                result |= FW_CFG_DMA_CTL_ERROR;
            }
        } else {
            chunk = MIN(length, e->len - s->cur_offset);
            if (read && dma_memory_write(as, addr, e->data + s->cur_offset, chunk) != MEMTX_OK) {
                result |= FW_CFG_DMA_CTL_ERROR;
            }
            if (write) {
                result |= FW_CFG_DMA_CTL_ERROR;
            }
            s->cur_offset += chunk;
        }
        addr += chunk;
        length -= chunk;
    }
    if (result & FW_CFG_DMA_CTL_ERROR) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "fw_cfg: DMA %s of key 0x%x failed (descriptor at 0x%" HWADDR_PRIx ")\n",
                      write ? "write" : "read", s->cur_entry, desc);
    }
    fw_cfg_dma_complete(s, as, desc, result);
}

/* "QEMU CFG" as a big-endian number: each access gets the bytes at its offset. */
static uint64_t fw_cfg_dma_read(void *opaque, hwaddr addr, unsigned size)
{
    unsigned shift = (8 - (unsigned)addr - size) * 8;

    if (addr >= 8 || size > 8 - addr) {
        return 0;
    }
    return size == 8 ? FW_CFG_DMA_SIGNATURE
                     : (FW_CFG_DMA_SIGNATURE >> shift) & ((UINT64_C(1) << (size * 8)) - 1);
}

/* High word at +0 then low word at +4 (which starts), or one 8-byte write at +0. */
static void fw_cfg_dma_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    FWCfgState *s = opaque;

    if (size == 4 && addr == 0) {
        s->dma_addr = value << 32;
    } else if (size == 4 && addr == 4) {
        s->dma_addr |= value & 0xffffffff;
        fw_cfg_dma_transfer(s);
    } else if (size == 8 && addr == 0) {
        s->dma_addr = value;
        fw_cfg_dma_transfer(s);
    } else {
        tern_log_mask(LOG_GUEST_ERROR,
                      "fw_cfg: %u-byte write at DMA offset 0x%" HWADDR_PRIx " ignored\n", size,
                      addr);
    }
}

/* Reads of any aligned size; the write callback keeps only the three forms QEMU accepts. */
static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 8},
};

/* ---- device -------------------------------------------------------------------------------- */

static void fw_cfg_instance_init(Object *obj)
{
    FWCfgState *s = FW_CFG_MEM(obj);
    static const uint8_t uuid[16];
    const uint32_t boot_fail_wait = UINT32_MAX; /* no -boot reboot-timeout: -1 */

    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, "QEMU", 4);
    fw_cfg_add_bytes(s, FW_CFG_UUID, uuid, sizeof(uuid));
    fw_cfg_add_i16(s, FW_CFG_NOGRAPHIC, 0);
    fw_cfg_add_i16(s, FW_CFG_BOOT_MENU, 0);
    fw_cfg_dir(s);
    /* What QEMU 7.2 publishes under -nodefaults, in its order (keys come out sorted). */
    fw_cfg_add_file(s, "etc/boot-fail-wait", &boot_fail_wait, 4);
    fw_cfg_add_file(s, "bootorder", NULL, 0);
    fw_cfg_add_file(s, "bios-geometry", NULL, 0);
}

static void fw_cfg_instance_finalize(Object *obj)
{
    FWCfgState *s = FW_CFG_MEM(obj);

    for (int a = 0; a < 2; a++) {
        for (int i = 0; i < FW_CFG_MAX_ENTRY; i++) {
            g_free(s->entries[a][i].data);
            s->entries[a][i].data = NULL;
        }
    }
}

static void fw_cfg_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = FW_CFG_MEM(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    unsigned w = s->data_width;

    if (w != 1 && w != 2 && w != 4 && w != 8) {
        error_setg(errp, "fw_cfg_mem: data_width must be 1, 2, 4 or 8, not %u", w);
        return;
    }
    fw_cfg_add_i32(s, FW_CFG_ID, FW_CFG_VERSION | (s->dma_enabled ? FW_CFG_VERSION_DMA : 0));

    s->data_ops = fw_cfg_data_ops_template;
    s->data_ops.valid.max_access_size = w;
    s->data_ops.impl.max_access_size = w;
    memory_region_init_io(&s->ctl_iomem, OBJECT(dev), &fw_cfg_ctl_ops, s, "fwcfg.ctl", 2);
    sysbus_init_mmio(sbd, &s->ctl_iomem);
    memory_region_init_io(&s->data_iomem, OBJECT(dev), &s->data_ops, s, "fwcfg.data", w);
    sysbus_init_mmio(sbd, &s->data_iomem);
    if (s->dma_enabled) {
        memory_region_init_io(&s->dma_iomem, OBJECT(dev), &fw_cfg_dma_ops, s, "fwcfg.dma", 8);
        sysbus_init_mmio(sbd, &s->dma_iomem);
    }
}

static void fw_cfg_unrealize(DeviceState *dev)
{
    FWCfgState *s = FW_CFG_MEM(dev);

    memory_region_finalize(&s->ctl_iomem);
    memory_region_finalize(&s->data_iomem);
    if (s->dma_enabled) {
        memory_region_finalize(&s->dma_iomem);
    }
}

static void fw_cfg_reset(DeviceState *dev)
{
    fw_cfg_select(FW_CFG_MEM(dev), FW_CFG_SIGNATURE);
}

static const VMStateField fw_cfg_vmstate_fields[] = {
    VMSTATE_UINT16(cur_entry, FWCfgState),
    VMSTATE_UINT32(cur_offset, FWCfgState),
    VMSTATE_UINT64(dma_addr, FWCfgState),
    VMSTATE_END_OF_LIST(),
};

/* No interrupt and nothing derived: reads check cur_entry and cur_offset as they go. */
static const VMStateDescription fw_cfg_vmstate = {
    .name = TYPE_FW_CFG_MEM,
    .fields = fw_cfg_vmstate_fields,
};

/* /fw-cfg@10100000 at the root, as QEMU's virt writes it. */
static void fw_cfg_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    hwaddr base = sysbus_mmio_get_addr(sbd, FW_CFG_MMIO_DATA);
    char *path = dt_add_node(dt, "/", "fw-cfg", base);

    dt_setprop_string(dt, path, "compatible", "qemu,fw-cfg-mmio");
    dt_setprop_reg(dt, path, base, FW_CFG_MMIO_SIZE);
    dt_setprop_empty(dt, path, "dma-coherent");
    g_free(path);
}

void fw_cfg_map(FWCfgState *s, hwaddr base)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(s);

    sysbus_mmio_map(sbd, FW_CFG_MMIO_CTL, base + FW_CFG_CTL_OFFSET);
    sysbus_mmio_map(sbd, FW_CFG_MMIO_DATA, base + FW_CFG_DATA_OFFSET);
    if (s->dma_enabled) {
        sysbus_mmio_map(sbd, FW_CFG_MMIO_DMA, base + FW_CFG_DMA_OFFSET);
    }
}

FWCfgState *fw_cfg_create_mem(Object *parent, hwaddr base, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_FW_CFG_MEM);

    if (!qdev_realize_and_unref(dev, parent ? parent : object_get_root(), "fw_cfg", errp)) {
        return NULL;
    }
    fw_cfg_map(FW_CFG_MEM(dev), base);
    return FW_CFG_MEM(dev);
}

FWCfgState *fw_cfg_find(void)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path_type("fw_cfg", TYPE_FW_CFG_MEM, &ambiguous);

    return obj && !ambiguous ? FW_CFG_MEM(obj) : NULL;
}

static const Property fw_cfg_props[] = {
    DEFINE_PROP_UINT32("data_width", FWCfgState, data_width, 8),
    DEFINE_PROP_BOOL("dma_enabled", FWCfgState, dma_enabled, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void fw_cfg_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "QEMU firmware configuration (memory-mapped)";
    dc->realize = fw_cfg_realize;
    dc->unrealize = fw_cfg_unrealize;
    dc->reset = fw_cfg_reset;
    dc->vmsd = &fw_cfg_vmstate;
    device_class_set_props(dc, fw_cfg_props);
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = fw_cfg_fdt_node;
}

static const TypeInfo fw_cfg_mem_info = {
    .name = TYPE_FW_CFG_MEM,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(FWCfgState),
    .instance_init = fw_cfg_instance_init,
    .instance_finalize = fw_cfg_instance_finalize,
    .class_init = fw_cfg_class_init,
};

static void fw_cfg_register(void)
{
    type_register_static(&fw_cfg_mem_info);
}

type_init(fw_cfg_register)
