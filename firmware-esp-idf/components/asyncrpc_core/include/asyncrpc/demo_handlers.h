/*
 * The demo handlers of the Java agent's CLI (device-agent/README.md), so the firmware can be
 * tried against the same tasks: echo, sum, fail, sleep.
 */
#ifndef ASYNCRPC_DEMO_HANDLERS_H
#define ASYNCRPC_DEMO_HANDLERS_H

#include <stddef.h>
#include <stdint.h>

#include "asyncrpc/core.h"

/** Longest sleep a sleep task may ask for, so a typo cannot park the device for days. */
#define ASYNCRPC_DEMO_MAX_SLEEP_MS 600000L

/** How the platform sleeps (nanosleep on the host, vTaskDelay on ESP32). */
typedef void (*asyncrpc_sleep_fn)(uint32_t ms);

/** The four handlers; sleep uses sleep_fn. The table is static; count is written to *count. */
const asyncrpc_handler_t *asyncrpc_demo_handlers(asyncrpc_sleep_fn sleep_fn, size_t *count);

int asyncrpc_demo_echo(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user);
int asyncrpc_demo_sum(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user);
int asyncrpc_demo_fail(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user);
/** user is the asyncrpc_sleep_fn, cast through a struct (function pointers are not void *). */
int asyncrpc_demo_sleep(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user);

#endif
