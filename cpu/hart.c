/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hart.c - the hart device and the hart array (see hart.h).  No instruction
 * execution here: that is the interpreter's.
 */
#include "cpu/hart.h"

#include <string.h>
#include <glib.h>

#include "core/module.h"
#include "core/vmstate.h"
#include "cpu/mem.h"

/* mip from its two writers (see hart.h). */
void rv_env_update_mip(CPURVState *env)
{
    env->mip = (env->lines[0] & RV_MIP_DEVICE_OWNED) | (env->mip_sw & RV_MIP_WRITABLE);
}

static void rv_hart_set_irq(void *opaque, int n, int level)
{
    CPURVState *env = &RV_HART(opaque)->env;
    uint64_t bit = UINT64_C(1) << (n % 64);

    if (level) {
        env->lines[n / 64] |= bit;
    } else {
        env->lines[n / 64] &= ~bit;
    }
    /* A line on a bit software also writes (not SEIP, which is ORed) sets or clears that bit. */
    if (n < 64 && (bit & RV_MIP_WRITABLE & ~RV_MIP_DEVICE_OWNED)) {
        env->mip_sw = level ? env->mip_sw | bit : env->mip_sw & ~bit;
    }
    rv_env_update_mip(env);
    /* A device raised or lowered a line from inside the hart's MMIO access: re-check interrupts. */
    env->exit_block = true;
}

uint64_t rv_env_read_mip(const CPURVState *env)
{
    return env->mip;
}

uint64_t rv_env_read_mip_rmw(const CPURVState *env)
{
    uint64_t seip = RV_MIP_BIT(RV_IRQ_SEIP);

    return (env->mip & ~seip) | (env->mip_sw & seip);
}

void rv_env_write_mip(CPURVState *env, uint64_t value, uint64_t mask)
{
    mask &= RV_MIP_WRITABLE;
    env->mip_sw = (env->mip_sw & ~mask) | (value & mask);
    rv_env_update_mip(env);
}

uint64_t rv_hart_read_mip(const RVHart *hart)
{
    return rv_env_read_mip(&hart->env);
}

uint64_t rv_hart_read_mip_rmw(const RVHart *hart)
{
    return rv_env_read_mip_rmw(&hart->env);
}

void rv_hart_write_mip(RVHart *hart, uint64_t value, uint64_t mask)
{
    rv_env_write_mip(&hart->env, value, mask);
}

/* ---- the list of harts ------------------------------------------------------------------ */

static GPtrArray *rv_harts;

static gint rv_hart_compare(gconstpointer a, gconstpointer b)
{
    const RVHart *x = *(RVHart *const *)a, *y = *(RVHart *const *)b;

    return x->hartid < y->hartid ? -1 : x->hartid > y->hartid;
}

RVHart *const *rv_hart_list(unsigned *n)
{
    *n = rv_harts ? rv_harts->len : 0;
    return rv_harts ? (RVHart *const *)rv_harts->pdata : NULL;
}

void rv_hart_set_rdtime(RVHart *hart, uint64_t (*read)(void *opaque), void *opaque)
{
    hart->env.rdtime = read;
    hart->env.rdtime_opaque = opaque;
}

static void rv_hart_realize(DeviceState *dev, Error **errp)
{
    if (!rv_harts) {
        rv_harts = g_ptr_array_new();
    }
    g_ptr_array_add(rv_harts, dev);
    /* g_ptr_array_sort is stable since GLib 2.76 only: insertion keeps creation order for ties. */
    for (guint i = rv_harts->len - 1; i > 0; i--) {
        if (rv_hart_compare(&rv_harts->pdata[i - 1], &rv_harts->pdata[i]) <= 0) {
            break;
        }
        gpointer t = rv_harts->pdata[i - 1];
        rv_harts->pdata[i - 1] = rv_harts->pdata[i];
        rv_harts->pdata[i] = t;
    }
}

static void rv_hart_finalize(Object *obj)
{
    if (rv_harts && g_ptr_array_remove(rv_harts, obj) && !rv_harts->len) {
        g_ptr_array_free(rv_harts, TRUE);
        rv_harts = NULL;
        rv_code_cleanup();
    }
}

qemu_irq rv_hart_irq_in(RVHart *hart, int irq)
{
    return qdev_get_gpio_in(DEVICE(hart), irq);
}

static void rv_hart_instance_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), rv_hart_set_irq, RV_NUM_IRQ_LINES);
}

/*
 * A reset puts the hart in M-mode at its reset vector with every register
 * and CSR at its reset value and clears software's mip bits; line levels
 * are the devices'.  The TLB and decoded code go (memory is reloaded).
 */
static void rv_hart_reset(DeviceState *dev)
{
    RVHart *hart = RV_HART(dev);
    CPURVState *env = &hart->env;

    memset(env, 0, offsetof(CPURVState, lines));
    env->as = address_space_memory();
    env->mhartid = hart->hartid;
    env->pc = hart->resetvec;
    env->priv = RV_PRIV_M;
    rv_csr_reset(env);
    env->mip_sw = 0;
    env->res_valid = false;
    env->insns = env->traps = 0;
    env->minstret_off = env->mcycle_off = 0;
    rv_env_update_mip(env);
    rv_tlb_flush(env);
    rv_code_flush_all(); /* the loaders write memory again */
}

static void rv_hart_post_load(void *opaque)
{
    RVHart *hart = opaque;

    rv_env_update_mip(&hart->env);
    rv_tlb_flush(&hart->env);
    hart->env.exit_block = true;
}

/* The architectural part of CPURVState is everything before its first non-saved field. */
static const VMStateField rv_hart_fields[] = {
    {.name = "env",
     .offset = offsetof(RVHart, env),
     .size = offsetof(CPURVState, as),
     .kind = VMS_BYTES},
    VMSTATE_UNSAVED(env.as, RVHart),
    VMSTATE_UNSAVED(env.rdtime, RVHart),
    VMSTATE_UNSAVED(env.rdtime_opaque, RVHart),
    VMSTATE_UNSAVED(env.exit_block, RVHart),
    VMSTATE_UNSAVED(env.tlb, RVHart),
    VMSTATE_UNSAVED(env.tlb_epoch, RVHart),
    VMSTATE_UNSAVED(env.slice_t0, RVHart),
    VMSTATE_UNSAVED(env.slice_n0, RVHart),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription rv_hart_vmstate = {
    .name = "riscv-cpu",
    .fields = rv_hart_fields,
    .post_load = rv_hart_post_load,
};

static const Property rv_hart_props[] = {
    DEFINE_PROP_UINT32("hartid", RVHart, hartid, 0),
    DEFINE_PROP_UINT64("resetvec", RVHart, resetvec, 0x1000),
    DEFINE_PROP_END_OF_LIST(),
};

static void rv_hart_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "RISC-V hart";
    dc->reset = rv_hart_reset;
    dc->realize = rv_hart_realize;
    dc->vmsd = &rv_hart_vmstate;
    device_class_set_props(dc, rv_hart_props);
}

/* ---- the hart array ----------------------------------------------------------------- */

static void rv_hart_array_realize(DeviceState *dev, Error **errp)
{
    RVHartArray *s = RV_HART_ARRAY(dev);
    const char *type = s->cpu_type ? s->cpu_type : TYPE_RISCV_CPU_RV64;

    if (!s->num_harts) {
        error_setg(errp, "%s: num-harts must be at least 1", TYPE_RISCV_HART_ARRAY);
        return;
    }
    s->harts = g_new0(RVHart *, s->num_harts);
    for (uint32_t i = 0; i < s->num_harts; i++) {
        DeviceState *hart = qdev_try_new(type, errp);
        char *name;

        if (!hart) {
            return;
        }
        name = g_strdup_printf("harts[%u]", i);
        object_property_add_child(OBJECT(dev), name, OBJECT(hart));
        g_free(name);
        s->harts[i] = RV_HART(hart);
        s->harts[i]->hartid = s->hartid_base + i;
        s->harts[i]->resetvec = s->resetvec;
        object_unref(OBJECT(hart));
        if (!qdev_realize(hart, errp)) {
            return;
        }
    }
}

static void rv_hart_array_finalize(Object *obj)
{
    g_free(RV_HART_ARRAY(obj)->harts);
}

static const Property rv_hart_array_props[] = {
    DEFINE_PROP_UINT32("num-harts", RVHartArray, num_harts, 1),
    DEFINE_PROP_UINT32("hartid-base", RVHartArray, hartid_base, 0),
    DEFINE_PROP_STRING("cpu-type", RVHartArray, cpu_type),
    DEFINE_PROP_UINT64("resetvec", RVHartArray, resetvec, 0x1000),
    DEFINE_PROP_END_OF_LIST(),
};

static void rv_hart_array_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "RISC-V hart array";
    dc->realize = rv_hart_array_realize;
    dc->hotpluggable = false; /* a sysbus device on QEMU */
    device_class_set_props(dc, rv_hart_array_props);
}

static const TypeInfo rv_types[] = {
    {
        .name = TYPE_RISCV_CPU,
        .parent = TYPE_DEVICE,
        .abstract = true,
        .instance_size = sizeof(RVHart),
        .instance_init = rv_hart_instance_init,
        .instance_finalize = rv_hart_finalize,
        .class_init = rv_hart_class_init,
    },
    {
        .name = TYPE_RISCV_CPU_RV64,
        .parent = TYPE_RISCV_CPU,
    },
    {
        .name = TYPE_RISCV_HART_ARRAY,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(RVHartArray),
        .instance_finalize = rv_hart_array_finalize,
        .class_init = rv_hart_array_class_init,
    },
};

static void rv_register_types(void)
{
    type_register_static_array(rv_types, G_N_ELEMENTS(rv_types));
}

type_init(rv_register_types)
