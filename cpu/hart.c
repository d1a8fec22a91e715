/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hart.c - the hart device and the hart array (see hart.h).  No instruction
 * execution here: that is the interpreter's.
 */
#include "cpu/hart.h"

#include <string.h>
#include <glib.h>

#include "core/module.h"

/* mip from its two writers (see hart.h). */
static void rv_hart_update_mip(RVHart *hart)
{
    hart->mip = (hart->lines[0] & RV_MIP_DEVICE_OWNED) | (hart->mip_sw & RV_MIP_WRITABLE);
}

static void rv_hart_set_irq(void *opaque, int n, int level)
{
    RVHart *hart = opaque;
    uint64_t bit = UINT64_C(1) << (n % 64);

    if (level) {
        hart->lines[n / 64] |= bit;
    } else {
        hart->lines[n / 64] &= ~bit;
    }
    /* A line on a bit software also writes (not SEIP, which is ORed) sets or clears that bit. */
    if (n < 64 && (bit & RV_MIP_WRITABLE & ~RV_MIP_DEVICE_OWNED)) {
        hart->mip_sw = level ? hart->mip_sw | bit : hart->mip_sw & ~bit;
    }
    rv_hart_update_mip(hart);
}

uint64_t rv_hart_read_mip(const RVHart *hart)
{
    return hart->mip;
}

uint64_t rv_hart_read_mip_rmw(const RVHart *hart)
{
    uint64_t seip = RV_MIP_BIT(RV_IRQ_SEIP);

    return (hart->mip & ~seip) | (hart->mip_sw & seip);
}

void rv_hart_write_mip(RVHart *hart, uint64_t value, uint64_t mask)
{
    mask &= RV_MIP_WRITABLE;
    hart->mip_sw = (hart->mip_sw & ~mask) | (value & mask);
    rv_hart_update_mip(hart);
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
 * A reset puts the hart in M-mode at its reset vector and clears software's
 * mip bits; line levels are the devices'.
 */
static void rv_hart_reset(DeviceState *dev)
{
    RVHart *hart = RV_HART(dev);

    memset(hart->x, 0, sizeof(hart->x));
    hart->pc = hart->resetvec;
    hart->priv = RV_PRIV_M;
    hart->mip_sw = 0;
    rv_hart_update_mip(hart);
}

static void rv_hart_post_load(void *opaque)
{
    rv_hart_update_mip(opaque);
}

static const VMStateField rv_hart_fields[] = {
    VMSTATE_ARRAY(lines, RVHart), VMSTATE_UINT64(mip_sw, RVHart), VMSTATE_UINT64(pc, RVHart),
    VMSTATE_ARRAY(x, RVHart),     VMSTATE_UINT8(priv, RVHart),    VMSTATE_END_OF_LIST(),
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
    device_class_set_props(dc, rv_hart_array_props);
}

static const TypeInfo rv_types[] = {
    {
        .name = TYPE_RISCV_CPU,
        .parent = TYPE_DEVICE,
        .abstract = true,
        .instance_size = sizeof(RVHart),
        .instance_init = rv_hart_instance_init,
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
