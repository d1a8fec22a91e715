/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plic.c - the SiFive PLIC of the virt machine ("riscv.sifive.plic"):
 * per-source priorities and pending bits, per-context enables, thresholds
 * and claim/complete, with the register behaviour of QEMU 7.2
 * (virt-machine.md §6) and its device-tree node (§14).
 *
 * Not here: the sources' devices and the harts (the board wires them).
 *
 * A context is one hart in one privilege mode, numbered in hart-config
 * order ("MS": context 2h is hart h's M mode, 2h+1 its S mode).  A source is
 * claimable by a context when it is pending, enabled there, not claimed,
 * and its priority is above the context's threshold; the context's output
 * is high while something is claimable.  Outputs are recomputed after every
 * change, enable writes included.  (QEMU recomputes them on every change
 * except enable writes, so there an enabled pending source raises the line
 * only at the next event; see plic_write_enable.)
 */
#include "hw/plic.h"

#include <inttypes.h>
#include <string.h>

#include "core/log.h"
#include "core/module.h"
#include "core/trace.h"
#include "hw/fdt.h"

TRACE_EVENT(plic_read, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))
TRACE_EVENT(plic_write, "addr 0x%" PRIx64 " (%s) size %u value 0x%" PRIx64,
            (uint64_t addr, const char *reg, unsigned size, uint64_t value),
            (addr, reg, size, value))

/* ---- the model ------------------------------------------------------------------- */

/* The best claimable source for context c (0: none): highest priority, then lowest ID. */
static uint32_t plic_best(PlicState *s, uint32_t c)
{
    const uint32_t *enable = &s->enable[c * s->num_words];
    uint32_t best = 0, best_priority = s->threshold[c];

    for (uint32_t w = 0; w < s->num_words; w++) {
        uint32_t candidates = s->pending[w] & ~s->claimed[w] & enable[w];

        while (candidates) {
            uint32_t irq = w * 32 + __builtin_ctz(candidates);
            candidates &= candidates - 1;
            /* Strictly greater: on a tie the lower ID, seen first, stays. */
            if (irq < s->num_sources && s->priority[irq] > best_priority) {
                best = irq;
                best_priority = s->priority[irq];
            }
        }
    }
    return best;
}

/* Drives every context's line from what it can claim. */
static void plic_update(PlicState *s)
{
    if (!s->contexts) {
        return; /* not realized */
    }
    for (uint32_t c = 0; c < s->num_contexts; c++) {
        const PlicContext *ctx = &s->contexts[c];
        int level = plic_best(s, c) != 0;

        if (ctx->mode == PLIC_MODE_M) {
            qemu_set_irq(s->m_external[ctx->hart], level);
        } else if (ctx->mode == PLIC_MODE_S) {
            qemu_set_irq(s->s_external[ctx->hart], level);
        }
    }
}

static void plic_set_bit(uint32_t *map, uint32_t irq, bool on)
{
    if (on) {
        map[irq / 32] |= 1u << (irq % 32);
    } else {
        map[irq / 32] &= ~(1u << (irq % 32));
    }
}

/*
 * Input line n: any level above 0 sets its pending bit, 0 clears it.  Every
 * call counts, so a device raising a line that is already high re-pends a
 * source claimed in the meantime.
 */
static void plic_set_irq(void *opaque, int n, int level)
{
    PlicState *s = opaque;

    if (n < 0 || (uint32_t)n >= s->num_sources) {
        return;
    }
    plic_set_bit(s->pending, n, level > 0);
    plic_update(s);
}

/* Claim: the best source, now no longer pending and claimed until completed. */
static uint32_t plic_claim(PlicState *s, uint32_t c)
{
    uint32_t irq = plic_best(s, c);

    if (irq) {
        plic_set_bit(s->pending, irq, false);
        plic_set_bit(s->claimed, irq, true);
    }
    plic_update(s);
    return irq;
}

static void plic_complete(PlicState *s, uint32_t c, uint64_t irq)
{
    if (irq >= s->num_sources) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "sifive_plic: context %" PRIu32 " completes source %" PRIu64
                      ", beyond the %" PRIu32 " sources\n",
                      c, irq, s->num_sources);
        return;
    }
    plic_set_bit(s->claimed, irq, false);
    plic_update(s);
}

/*
 * WARL: with num-priorities + 1 a power of two (7: 3 bits) any value is
 * taken modulo it; otherwise values above num-priorities are ignored.
 */
static void plic_set_priority_reg(PlicState *s, uint32_t *reg, uint64_t value)
{
    uint64_t levels = (uint64_t)s->num_priorities + 1;

    if ((levels & (levels - 1)) == 0) {
        *reg = value % levels;
    } else if (value <= s->num_priorities) {
        *reg = value;
    } else {
        return;
    }
    plic_update(s);
}

/* ---- registers ------------------------------------------------------------------- */

/*
 * Where an offset lands.  Each field of the layout is decoded in one place
 * for reads and writes; anything else is PLIC_REG_NONE.
 */
typedef enum {
    PLIC_REG_NONE,
    PLIC_REG_PRIORITY,  /* index = source */
    PLIC_REG_PENDING,   /* index = word */
    PLIC_REG_ENABLE,    /* index = context, word */
    PLIC_REG_THRESHOLD, /* index = context */
    PLIC_REG_CLAIM,     /* index = context */
} PlicReg;

static PlicReg plic_decode(PlicState *s, hwaddr addr, uint32_t *index, uint32_t *word)
{
    if (addr < PLIC_PENDING_BASE) {
        /* priority[0] (offset 0) does not exist: it reads 0, as on 7.2. */
        if (addr >= PLIC_PRIORITY_BASE && addr / 4 < s->num_sources) {
            *index = addr / 4;
            return PLIC_REG_PRIORITY;
        }
    } else if (addr < PLIC_ENABLE_BASE) {
        if ((addr - PLIC_PENDING_BASE) / 4 < s->num_words) {
            *index = (addr - PLIC_PENDING_BASE) / 4;
            return PLIC_REG_PENDING;
        }
    } else if (addr < PLIC_CONTEXT_BASE) {
        uint64_t c = (addr - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        uint32_t w = (addr - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
        if (c < s->num_contexts && w < s->num_words) {
            *index = c;
            *word = w;
            return PLIC_REG_ENABLE;
        }
    } else {
        uint64_t c = (addr - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
        hwaddr reg = (addr - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
        if (c < s->num_contexts && (reg == 0 || reg == PLIC_CONTEXT_CLAIM)) {
            *index = c;
            return reg == 0 ? PLIC_REG_THRESHOLD : PLIC_REG_CLAIM;
        }
    }
    return PLIC_REG_NONE;
}

/* The register at addr for the trace: "priority[10]", "enable[1][0]" (context, word), ... */
static const char *plic_reg_name(PlicState *s, hwaddr addr, char *buf, size_t len)
{
    uint32_t index = 0, word = 0;

    switch (plic_decode(s, addr, &index, &word)) {
    case PLIC_REG_PRIORITY:
        snprintf(buf, len, "priority[%" PRIu32 "]", index);
        break;
    case PLIC_REG_PENDING:
        snprintf(buf, len, "pending[%" PRIu32 "]", index);
        break;
    case PLIC_REG_ENABLE:
        snprintf(buf, len, "enable[%" PRIu32 "][%" PRIu32 "]", index, word);
        break;
    case PLIC_REG_THRESHOLD:
        snprintf(buf, len, "threshold[%" PRIu32 "]", index);
        break;
    case PLIC_REG_CLAIM:
        snprintf(buf, len, "claim[%" PRIu32 "]", index);
        break;
    case PLIC_REG_NONE:
        snprintf(buf, len, "invalid");
        break;
    }
    return buf;
}

static uint64_t plic_read_reg(void *opaque, hwaddr addr, unsigned size)
{
    PlicState *s = opaque;
    uint32_t index = 0, word = 0;

    switch (plic_decode(s, addr, &index, &word)) {
    case PLIC_REG_PRIORITY:
        return s->priority[index];
    case PLIC_REG_PENDING:
        return s->pending[index];
    case PLIC_REG_ENABLE:
        return s->enable[index * s->num_words + word];
    case PLIC_REG_THRESHOLD:
        return s->threshold[index];
    case PLIC_REG_CLAIM:
        return plic_claim(s, index);
    case PLIC_REG_NONE:
        break;
    }
    tern_log_mask(LOG_GUEST_ERROR, "sifive_plic: invalid register read at 0x%" HWADDR_PRIx "\n",
                  addr);
    return 0;
}

static uint64_t plic_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t value = plic_read_reg(opaque, addr, size);

    if (trace_event_enabled(plic_read)) {
        char name[32];

        trace_plic_read(addr, plic_reg_name(opaque, addr, name, sizeof(name)), size, value);
    }
    return value;
}

/*
 * Enable bits are stored as written, all 32 of a word (as QEMU does).
 * Unlike QEMU, the outputs follow at once.
 */
static void plic_write_enable(PlicState *s, uint32_t c, uint32_t word, uint64_t value)
{
    s->enable[c * s->num_words + word] = value;
    plic_update(s);
}

static void plic_write_reg(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    PlicState *s = opaque;
    uint32_t index = 0, word = 0;

    switch (plic_decode(s, addr, &index, &word)) {
    case PLIC_REG_PRIORITY:
        plic_set_priority_reg(s, &s->priority[index], value);
        return;
    case PLIC_REG_PENDING:
        tern_log_mask(LOG_GUEST_ERROR,
                      "sifive_plic: pending bits at 0x%" HWADDR_PRIx " are read-only\n", addr);
        return;
    case PLIC_REG_ENABLE:
        plic_write_enable(s, index, word, value);
        return;
    case PLIC_REG_THRESHOLD:
        plic_set_priority_reg(s, &s->threshold[index], value);
        return;
    case PLIC_REG_CLAIM:
        plic_complete(s, index, value);
        return;
    case PLIC_REG_NONE:
        break;
    }
    tern_log_mask(LOG_GUEST_ERROR, "sifive_plic: invalid register write at 0x%" HWADDR_PRIx "\n",
                  addr);
}

static void plic_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    if (trace_event_enabled(plic_write)) {
        char name[32];

        trace_plic_write(addr, plic_reg_name(opaque, addr, name, sizeof(name)), size, value);
    }
    plic_write_reg(opaque, addr, value, size);
}

static const MemoryRegionOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

/* ---- the device ------------------------------------------------------------------ */

/*
 * hart-config: one entry of modes ("M", "MS", "U", "MSU"...) for every hart,
 * or a comma-separated list of exactly num-harts entries ("M,MS,MS").
 * Contexts are numbered in the order the modes are written.
 */
static bool plic_parse_hart_config(PlicState *s, Error **errp)
{
    const char *config = s->hart_config ? s->hart_config : "MS";
    gchar **entries = g_strsplit(config, ",", -1);
    guint n = g_strv_length(entries);
    bool ok = false;

    if (n != 1 && n != s->num_harts) {
        error_setg(errp, "%s: hart-config '%s' has %u entries for %" PRIu32 " harts", TYPE_PLIC,
                   config, n, s->num_harts);
        goto out;
    }
    s->num_contexts = 0;
    for (uint32_t h = 0; h < s->num_harts; h++) {
        const char *entry = entries[n == 1 ? 0 : h];
        unsigned seen = 0;

        if (!*entry) {
            error_setg(errp, "%s: hart-config '%s': no modes for hart %" PRIu32, TYPE_PLIC, config,
                       h);
            goto out;
        }
        for (const char *m = entry; *m; m++) {
            PlicMode mode;
            switch (*m) {
            case 'M':
                mode = PLIC_MODE_M;
                break;
            case 'S':
                mode = PLIC_MODE_S;
                break;
            case 'U':
                mode = PLIC_MODE_U;
                break;
            default:
                error_setg(errp, "%s: hart-config '%s': invalid mode '%c'", TYPE_PLIC, config, *m);
                goto out;
            }
            if (seen & (1u << mode)) {
                error_setg(errp, "%s: hart-config '%s': mode '%c' twice for hart %" PRIu32,
                           TYPE_PLIC, config, *m, h);
                goto out;
            }
            seen |= 1u << mode;
            if (s->num_contexts == PLIC_MAX_CONTEXTS) {
                error_setg(errp, "%s: hart-config '%s' makes more than %d contexts", TYPE_PLIC,
                           config, PLIC_MAX_CONTEXTS);
                goto out;
            }
            s->contexts[s->num_contexts].hart = h;
            s->contexts[s->num_contexts].mode = mode;
            s->num_contexts++;
        }
    }
    ok = true;
out:
    g_strfreev(entries);
    return ok;
}

static void plic_realize(DeviceState *dev, Error **errp)
{
    PlicState *s = PLIC(dev);

    if (s->num_harts < 1 || s->num_harts > PLIC_MAX_HARTS) {
        error_setg(errp, "%s: num-harts must be 1 to %d, not %" PRIu32, TYPE_PLIC, PLIC_MAX_HARTS,
                   s->num_harts);
        return;
    }
    if (s->num_sources < 1 || s->num_sources > PLIC_MAX_SOURCES) {
        error_setg(errp, "%s: num-sources must be 1 to %d, not %" PRIu32, TYPE_PLIC,
                   PLIC_MAX_SOURCES, s->num_sources);
        return;
    }
    s->contexts = g_new0(PlicContext, PLIC_MAX_CONTEXTS);
    if (!plic_parse_hart_config(s, errp)) {
        goto err;
    }
    s->num_words = (s->num_sources + 31) / 32;
    if ((uint64_t)s->num_contexts * s->num_words > PLIC_MAX_ENABLE_WORDS) {
        error_setg(errp, "%s: %" PRIu32 " contexts of %" PRIu32 " sources are too many", TYPE_PLIC,
                   s->num_contexts, s->num_sources);
        goto err;
    }
    s->contexts = g_renew(PlicContext, s->contexts, s->num_contexts);

    memory_region_init_io(&s->mmio, OBJECT(dev), &plic_ops, s, TYPE_PLIC, PLIC_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    qdev_init_gpio_in(dev, plic_set_irq, s->num_sources);
    qdev_init_gpio_out(dev, s->s_external, s->num_harts);
    qdev_init_gpio_out(dev, s->m_external, s->num_harts);
    return;

err:
    g_free(s->contexts);
    s->contexts = NULL;
    s->num_contexts = 0;
}

static void plic_reset(DeviceState *dev)
{
    PlicState *s = PLIC(dev);

    memset(s->priority, 0, sizeof(s->priority));
    memset(s->pending, 0, sizeof(s->pending));
    memset(s->claimed, 0, sizeof(s->claimed));
    memset(s->threshold, 0, sizeof(s->threshold));
    memset(s->enable, 0, sizeof(s->enable));
    if (!s->contexts) {
        return;
    }
    /* Every line, also those of harts without an S (or M) context. */
    for (uint32_t h = 0; h < s->num_harts; h++) {
        qemu_irq_lower(s->m_external[h]);
        qemu_irq_lower(s->s_external[h]);
    }
}

static void plic_post_load(void *opaque)
{
    plic_update(opaque);
}

static void plic_finalize(Object *obj)
{
    PlicState *s = PLIC(obj);

    g_free(s->contexts);
    s->contexts = NULL;
    memory_region_finalize(&s->mmio);
}

/* fdt-interrupt-controller: the phandle of this PLIC's node in dt; one cell per interrupt. */
static uint32_t plic_fdt_phandle(DeviceState *dev, DtContext *dt)
{
    return dt_phandle(dt, dev);
}

static uint32_t plic_fdt_interrupt_cells(DeviceState *dev)
{
    return 1;
}

/* The unnamed GPIO output of context c (see plic.h), or -1: a U-mode context has none. */
static int plic_context_output(PlicState *s, uint32_t c)
{
    switch (s->contexts[c].mode) {
    case PLIC_MODE_S:
        return s->contexts[c].hart;
    case PLIC_MODE_M:
        return s->num_harts + s->contexts[c].hart;
    case PLIC_MODE_U:
        break;
    }
    return -1;
}

/*
 * /soc/plic@ADDR with QEMU 7.2's properties in its order; its phandle is
 * dt_phandle's for this device, so the devices wired to it name the same.
 * interrupts-extended lists each context's output, in context order, as
 * the board wired it (on virt: <intc 11> for M, <intc 9> for S); U
 * contexts and outputs wired to no interrupt controller are left out.
 */
static void plic_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    PlicState *s = PLIC(sbd);
    hwaddr addr = sysbus_mmio_get_addr(sbd, 0);
    GArray *cells;
    uint32_t phandle;
    char *path;

    if (addr == (hwaddr)-1 || !s->contexts) {
        return;
    }
    phandle = plic_fdt_phandle(DEVICE(s), dt);
    cells = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t c = 0; c < s->num_contexts; c++) {
        int output = plic_context_output(s, c);
        if (output >= 0) {
            sysbus_fdt_append_gpio_out_interrupt(sbd, output, dt, cells);
        }
    }
    path = dt_add_node(dt, "/soc", "plic", addr);
    dt_setprop_cell(dt, path, "#interrupt-cells", plic_fdt_interrupt_cells(DEVICE(s)));
    dt_setprop_cell(dt, path, "#address-cells", 0);
    dt_setprop_strings(dt, path, "compatible", "sifive,plic-1.0.0", "riscv,plic0", NULL);
    dt_setprop_empty(dt, path, "interrupt-controller");
    dt_setprop_cells(dt, path, "interrupts-extended", (uint32_t *)cells->data, cells->len);
    dt_setprop_reg(dt, path, addr, PLIC_SIZE);
    dt_setprop_cell(dt, path, "riscv,ndev", s->num_sources);
    dt_setprop_cell(dt, path, "phandle", phandle);
    g_array_free(cells, TRUE);
    g_free(path);
}

static const VMStateField plic_fields[] = {
    VMSTATE_ARRAY(priority, PlicState), VMSTATE_ARRAY(pending, PlicState),
    VMSTATE_ARRAY(claimed, PlicState),  VMSTATE_ARRAY(threshold, PlicState),
    VMSTATE_ARRAY(enable, PlicState),   VMSTATE_END_OF_LIST(),
};

static const VMStateDescription plic_vmstate = {
    .name = "riscv_sifive_plic",
    .fields = plic_fields,
    .post_load = plic_post_load,
};

static const Property plic_props[] = {
    DEFINE_PROP_STRING("hart-config", PlicState, hart_config),
    DEFINE_PROP_UINT32("hartid-base", PlicState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", PlicState, num_harts, 1),
    DEFINE_PROP_UINT32("num-sources", PlicState, num_sources, PLIC_NUM_SOURCES),
    DEFINE_PROP_UINT32("num-priorities", PlicState, num_priorities, PLIC_NUM_PRIORITIES),
    DEFINE_PROP_END_OF_LIST(),
};

static void plic_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "SiFive platform-level interrupt controller";
    dc->realize = plic_realize;
    dc->reset = plic_reset;
    dc->vmsd = &plic_vmstate;
    device_class_set_props(dc, plic_props);
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = plic_fdt_node;
    FDT_INTERRUPT_CONTROLLER_CLASS(klass)->phandle = plic_fdt_phandle;
    FDT_INTERRUPT_CONTROLLER_CLASS(klass)->interrupt_cells = plic_fdt_interrupt_cells;
}

static const InterfaceInfo plic_interfaces[] = {{TYPE_FDT_INTERRUPT_CONTROLLER}, {NULL}};

static const TypeInfo plic_info = {
    .name = TYPE_PLIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PlicState),
    .instance_finalize = plic_finalize,
    .class_init = plic_class_init,
    .interfaces = plic_interfaces,
};

static void plic_register_types(void)
{
    type_register_static(&plic_info);
}

type_init(plic_register_types)
