/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-sysbus.c - interrupt wiring and the device tree: sysbus_connect_irq
 * records the controller input an output reaches, controllers answer their
 * phandle and specifier through "fdt-interrupt-controller", and
 * sysbus_fdt_add_interrupts writes a node's interrupts from the record.
 * The same for the unnamed GPIO outputs of controllers whose lines go to
 * harts (sysbus_connect_gpio_out, sysbus_fdt_append_gpio_out_interrupt),
 * and controllers declared by the writer of their node
 * (dt_set_interrupt_controller).  Phandles by owner (dt_phandle) too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <libfdt.h>

#include "core/module.h"
#include "core/qdev.h"
#include "hw/fdt.h"
#include "hw/plic.h"
#include "hw/sysbus.h"

/* ---- a device with three interrupt outputs, and a two-cell controller -------------------- */

#define TYPE_TEST_SOURCE "test-irq-source"
#define TYPE_TEST_INTC   "test-intc"
#define TEST_INTC_LEVEL  4 /* second cell: level-high, as many bindings spell it */

typedef struct TestSource {
    SysBusDevice parent_obj;
    qemu_irq irq[3];
    qemu_irq out[2]; /* the unnamed GPIO outputs */
} TestSource;

static void test_source_init(Object *obj)
{
    TestSource *s = (TestSource *)obj;

    for (int i = 0; i < 3; i++) {
        sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq[i]);
    }
    qdev_init_gpio_out(DEVICE(obj), s->out, 2);
}

static void test_intc_set_irq(void *opaque, int n, int level)
{
}

static void test_intc_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), test_intc_set_irq, 8);
    qdev_init_gpio_in_named(DEVICE(obj), test_intc_set_irq, "other", 1);
}

static uint32_t test_intc_phandle(DeviceState *dev, DtContext *dt)
{
    return dt_phandle(dt, dev);
}

static uint32_t test_intc_cells(DeviceState *dev)
{
    return 2;
}

static void test_intc_specifier(DeviceState *dev, int n, uint32_t *cells)
{
    cells[0] = n;
    cells[1] = TEST_INTC_LEVEL;
}

static void test_intc_class_init(ObjectClass *klass, const void *data)
{
    FdtInterruptControllerClass *fic = FDT_INTERRUPT_CONTROLLER_CLASS(klass);

    fic->phandle = test_intc_phandle;
    fic->interrupt_cells = test_intc_cells;
    fic->interrupt_specifier = test_intc_specifier;
}

static const InterfaceInfo test_intc_interfaces[] = {{TYPE_FDT_INTERRUPT_CONTROLLER}, {NULL}};

static const TypeInfo test_types[] = {
    {
        .name = TYPE_TEST_SOURCE,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(TestSource),
        .instance_init = test_source_init,
    },
    {
        .name = TYPE_TEST_INTC,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(DeviceState),
        .instance_init = test_intc_init,
        .class_init = test_intc_class_init,
        .interfaces = test_intc_interfaces,
    },
};

/* ---- fixture -------------------------------------------------------------------------------- */

static SysBusDevice *src;
static DeviceState *intc, *plic, *plain;
static DtContext dt;

static DeviceState *add(const char *type, const char *name)
{
    DeviceState *dev = qdev_new(type);

    object_property_add_child(object_get_root(), name, OBJECT(dev));
    object_unref(OBJECT(dev));
    assert_true(qdev_realize(dev, NULL));
    return dev;
}

static int setup(void **state)
{
    src = SYS_BUS_DEVICE(add(TYPE_TEST_SOURCE, "src"));
    intc = add(TYPE_TEST_INTC, "intc");
    plic = add(TYPE_PLIC, "plic");
    plain = add(TYPE_TEST_SOURCE, "plain");
    dt_init(&dt);
    g_free(dt_add_node(&dt, "/", "dev", (uint64_t)-1));
    return 0;
}

static int teardown(void **state)
{
    dt_free(&dt);
    object_root_cleanup();
    return 0;
}

static const fdt32_t *prop(const char *name, int *len)
{
    return fdt_getprop(dt.fdt, fdt_path_offset(dt.fdt, "/dev"), name, len);
}

static void assert_cells(const char *name, const uint32_t *want, int n)
{
    int len = -1;
    const fdt32_t *p = prop(name, &len);

    if (!p) {
        fail_msg("no %s", name);
    }
    assert_int_equal(len, 4 * n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(fdt32_to_cpu(p[i]), want[i]);
    }
}

/* ---- the record ------------------------------------------------------------------------------ */

static void test_connecting_an_irq_records_the_controller_and_line(void **state)
{
    int line = -1;

    sysbus_connect_irq(src, 1, qdev_get_gpio_in(intc, 5));
    assert_ptr_equal(sysbus_get_irq_controller(src, 1, &line), intc);
    assert_int_equal(line, 5);
    assert_null(sysbus_get_irq_controller(src, 0, &line));
    assert_int_equal(line, -1);
    assert_null(sysbus_get_irq_controller(src, 3, &line));
    assert_null(sysbus_get_irq_controller(src, -1, NULL));
}

static void test_reconnecting_replaces_and_disconnecting_clears_the_record(void **state)
{
    int line = -1;

    sysbus_connect_irq(src, 0, qdev_get_gpio_in(intc, 5));
    sysbus_connect_irq(src, 0, qdev_get_gpio_in(plic, 12));
    assert_ptr_equal(sysbus_get_irq_controller(src, 0, &line), plic);
    assert_int_equal(line, 12);
    sysbus_connect_irq(src, 0, NULL);
    assert_null(sysbus_get_irq_controller(src, 0, &line));
}

static void test_a_line_that_is_not_a_device_input_records_nothing(void **state)
{
    qemu_irq loose = qemu_allocate_irq(test_intc_set_irq, NULL, 3);

    sysbus_connect_irq(src, 0, loose);
    assert_null(sysbus_get_irq_controller(src, 0, NULL));
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_null(prop("interrupts", NULL));
    assert_null(prop("interrupt-parent", NULL));
    qemu_free_irq(loose);
}

static void test_a_named_controller_input_is_not_recorded(void **state)
{
    sysbus_connect_irq(src, 0, qdev_get_gpio_in_named(intc, "other", 0));
    assert_null(sysbus_get_irq_controller(src, 0, NULL));
}

/* ---- the device tree ------------------------------------------------------------------------- */

static void test_one_controller_gives_interrupt_parent_and_interrupts(void **state)
{
    sysbus_connect_irq(src, 0, qdev_get_gpio_in(plic, 10));
    sysbus_connect_irq(src, 1, qdev_get_gpio_in(plic, 3));
    dt_set_phandle(&dt, plic, 9);
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_cells("interrupt-parent", (uint32_t[]){9}, 1);
    assert_cells("interrupts", (uint32_t[]){10, 3}, 2);
    assert_null(prop("interrupts-extended", NULL));
}

static void test_the_controller_specifier_gives_the_cells(void **state)
{
    sysbus_connect_irq(src, 0, qdev_get_gpio_in(intc, 6));
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_cells("interrupts", (uint32_t[]){6, TEST_INTC_LEVEL}, 2);
    assert_cells("interrupt-parent", (uint32_t[]){dt_lookup_phandle(&dt, intc)}, 1);
}

static void test_two_controllers_give_interrupts_extended(void **state)
{
    sysbus_connect_irq(src, 0, qdev_get_gpio_in(plic, 10));
    sysbus_connect_irq(src, 1, qdev_get_gpio_in(intc, 2));
    dt_set_phandle(&dt, plic, 3);
    dt_set_phandle(&dt, intc, 7);
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_cells("interrupts-extended", (uint32_t[]){3, 10, 7, 2, TEST_INTC_LEVEL}, 5);
    assert_null(prop("interrupts", NULL));
    assert_null(prop("interrupt-parent", NULL));
}

static void test_the_list_ends_at_the_first_output_not_wired_to_a_controller(void **state)
{
    sysbus_connect_irq(src, 0, qdev_get_gpio_in(plic, 1));
    sysbus_connect_irq(src, 2, qdev_get_gpio_in(plic, 2)); /* after a gap: not listed */
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_cells("interrupts", (uint32_t[]){1}, 1);
}

static void test_a_target_that_is_no_controller_writes_nothing(void **state)
{
    /* A device input, but its device is no interrupt controller. */
    qdev_init_gpio_in(plain, test_intc_set_irq, 1);
    sysbus_connect_irq(src, 0, qdev_get_gpio_in(plain, 0));
    assert_ptr_equal(sysbus_get_irq_controller(src, 0, NULL), plain);
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_null(prop("interrupts", NULL));
}

static void test_an_unwired_device_writes_nothing(void **state)
{
    sysbus_fdt_add_interrupts(src, &dt, "/dev");
    assert_null(prop("interrupts", NULL));
    assert_null(prop("interrupts-extended", NULL));
}

static void test_the_plic_answers_its_phandle_and_one_cell(void **state)
{
    uint32_t phandle = 0, cells[DT_MAX_INTERRUPT_CELLS];
    int n = 0;

    assert_true(dt_interrupt_controller_specifier(plic, 42, &dt, &phandle, cells, &n));
    assert_int_equal(n, 1);
    assert_int_equal(cells[0], 42);
    assert_int_equal(phandle, dt_lookup_phandle(&dt, plic));
    assert_int_not_equal(phandle, 0);
    assert_false(dt_interrupt_controller_specifier(plain, 0, &dt, &phandle, cells, &n));
    assert_false(dt_interrupt_controller_specifier(NULL, 0, &dt, &phandle, cells, &n));
}

/* ---- unnamed GPIO outputs and declared controllers ---------------------------------------- */

static void test_connecting_a_gpio_output_records_the_controller_and_line(void **state)
{
    int line = -1;

    sysbus_connect_gpio_out(src, 1, qdev_get_gpio_in(intc, 5));
    assert_ptr_equal(sysbus_get_gpio_out_controller(src, 1, &line), intc);
    assert_int_equal(line, 5);
    assert_null(sysbus_get_gpio_out_controller(src, 0, &line));
    assert_int_equal(line, -1);
    assert_null(sysbus_get_gpio_out_controller(src, 2, NULL));
    assert_null(sysbus_get_gpio_out_controller(src, -1, NULL));
    /* The sysbus-irq list keeps its own record. */
    assert_null(sysbus_get_irq_controller(src, 1, NULL));
}

static void test_disconnecting_a_gpio_output_clears_its_record(void **state)
{
    sysbus_connect_gpio_out(src, 0, qdev_get_gpio_in(plic, 4));
    sysbus_connect_gpio_out(src, 0, NULL);
    assert_null(sysbus_get_gpio_out_controller(src, 0, NULL));
}

static void test_a_declared_interrupt_controller_answers_one_cell_its_line(void **state)
{
    uint32_t phandle = 0, cells[DT_MAX_INTERRUPT_CELLS];
    int n = 0;

    assert_false(dt_interrupt_controller_specifier(plain, 7, &dt, &phandle, cells, &n));
    dt_set_interrupt_controller(&dt, plain, 12);
    assert_true(dt_interrupt_controller_specifier(plain, 7, &dt, &phandle, cells, &n));
    assert_int_equal(phandle, 12);
    assert_int_equal(n, 1);
    assert_int_equal(cells[0], 7);
    assert_int_equal(dt_lookup_phandle(&dt, plain), 12);
}

static void test_gpio_outputs_append_phandle_and_specifier_in_the_order_asked(void **state)
{
    GArray *cells = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    const uint32_t want[] = {7, 2, TEST_INTC_LEVEL, 12, 3};

    qdev_init_gpio_in(plain, test_intc_set_irq, 4);
    dt_set_interrupt_controller(&dt, plain, 12);
    dt_set_phandle(&dt, intc, 7);
    sysbus_connect_gpio_out(src, 0, qdev_get_gpio_in(plain, 3));
    sysbus_connect_gpio_out(src, 1, qdev_get_gpio_in(intc, 2));
    assert_true(sysbus_fdt_append_gpio_out_interrupt(src, 1, &dt, cells));
    assert_true(sysbus_fdt_append_gpio_out_interrupt(src, 0, &dt, cells));
    assert_int_equal(cells->len, 5);
    assert_memory_equal(cells->data, want, sizeof(want));
    g_array_free(cells, TRUE);
}

static void test_a_gpio_output_reaching_no_controller_appends_nothing(void **state)
{
    GArray *cells = g_array_new(FALSE, FALSE, sizeof(uint32_t));

    qdev_init_gpio_in(plain, test_intc_set_irq, 1);
    sysbus_connect_gpio_out(src, 0, qdev_get_gpio_in(plain, 0)); /* not declared in dt */
    assert_false(sysbus_fdt_append_gpio_out_interrupt(src, 0, &dt, cells));
    assert_false(sysbus_fdt_append_gpio_out_interrupt(src, 1, &dt, cells)); /* never wired */
    assert_int_equal(cells->len, 0);
    g_array_free(cells, TRUE);
}

/* ---- phandles by owner ----------------------------------------------------------------------- */

static void test_a_phandle_is_allocated_once_per_owner(void **state)
{
    int a = 0, b = 0;
    uint32_t first = dt_alloc_phandle(&dt);

    assert_int_equal(dt_lookup_phandle(&dt, &a), 0);
    assert_int_equal(dt_phandle(&dt, &a), first + 1);
    assert_int_equal(dt_phandle(&dt, &b), first + 2);
    assert_int_equal(dt_phandle(&dt, &a), first + 1);
    assert_int_equal(dt_lookup_phandle(&dt, &a), first + 1);
}

static void test_a_given_phandle_is_the_one_answered(void **state)
{
    int a = 0;

    dt_set_phandle(&dt, &a, 77);
    assert_int_equal(dt_phandle(&dt, &a), 77);
    assert_int_equal(dt_lookup_phandle(&dt, &a), 77);
    assert_int_equal(dt_alloc_phandle(&dt), 1); /* giving one allocates nothing */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_connecting_an_irq_records_the_controller_and_line),
        T(test_reconnecting_replaces_and_disconnecting_clears_the_record),
        T(test_a_line_that_is_not_a_device_input_records_nothing),
        T(test_a_named_controller_input_is_not_recorded),
        T(test_one_controller_gives_interrupt_parent_and_interrupts),
        T(test_the_controller_specifier_gives_the_cells),
        T(test_two_controllers_give_interrupts_extended),
        T(test_the_list_ends_at_the_first_output_not_wired_to_a_controller),
        T(test_a_target_that_is_no_controller_writes_nothing),
        T(test_an_unwired_device_writes_nothing),
        T(test_the_plic_answers_its_phandle_and_one_cell),
        T(test_a_phandle_is_allocated_once_per_owner),
        T(test_a_given_phandle_is_the_one_answered),
        T(test_connecting_a_gpio_output_records_the_controller_and_line),
        T(test_disconnecting_a_gpio_output_clears_its_record),
        T(test_a_declared_interrupt_controller_answers_one_cell_its_line),
        T(test_gpio_outputs_append_phandle_and_specifier_in_the_order_asked),
        T(test_a_gpio_output_reaching_no_controller_appends_nothing),
    };

    module_call_init(MODULE_INIT_QOM);
    type_register_static_array(test_types, G_N_ELEMENTS(test_types));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
