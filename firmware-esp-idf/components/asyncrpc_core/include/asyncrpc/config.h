/*
 * Compile-time limits of the portable core. Every buffer of the core is sized from these, so
 * the RAM a device needs is fixed at build time. ESP-IDF sets them from Kconfig (CONFIG_ASYNCRPC_*),
 * the host build from CMake cache variables; the defaults below suit the host tests.
 */
#ifndef ASYNCRPC_CONFIG_H
#define ASYNCRPC_CONFIG_H

/*
 * ESP-IDF does not force-include sdkconfig.h, so without this include a file that reaches this
 * header before any IDF header (core.c does) would size the core with the host defaults below
 * while the port, which includes IDF headers first, sizes it from Kconfig: one struct, two
 * layouts. ESP-IDF's build found that (ESP_PLATFORM is defined for every IDF component).
 */
#if defined(ESP_PLATFORM)
#include "sdkconfig.h"
#if !defined(CONFIG_ASYNCRPC_MAX_PAYLOAD) || !defined(CONFIG_ASYNCRPC_MAX_RESULT) || \
    !defined(CONFIG_ASYNCRPC_JOURNAL_CAPACITY) || !defined(CONFIG_ASYNCRPC_JSON_ARENA_SIZE)
#error "asyncrpc: the CONFIG_ASYNCRPC_* limits are missing from sdkconfig.h (is the asyncrpc_core Kconfig in the build?)"
#endif
#endif

#if defined(CONFIG_ASYNCRPC_MAX_PAYLOAD) && !defined(ASYNCRPC_MAX_PAYLOAD)
#define ASYNCRPC_MAX_PAYLOAD CONFIG_ASYNCRPC_MAX_PAYLOAD
#endif
#if defined(CONFIG_ASYNCRPC_MAX_RESULT) && !defined(ASYNCRPC_MAX_RESULT)
#define ASYNCRPC_MAX_RESULT CONFIG_ASYNCRPC_MAX_RESULT
#endif
#if defined(CONFIG_ASYNCRPC_JOURNAL_CAPACITY) && !defined(ASYNCRPC_JOURNAL_CAPACITY)
#define ASYNCRPC_JOURNAL_CAPACITY CONFIG_ASYNCRPC_JOURNAL_CAPACITY
#endif
#if defined(CONFIG_ASYNCRPC_JSON_ARENA_SIZE) && !defined(ASYNCRPC_JSON_ARENA_SIZE)
#define ASYNCRPC_JSON_ARENA_SIZE CONFIG_ASYNCRPC_JSON_ARENA_SIZE
#endif

/** Largest task payload (the rsp JSON) the device takes; a larger one is answered 413. */
#ifndef ASYNCRPC_MAX_PAYLOAD
#define ASYNCRPC_MAX_PAYLOAD 16384
#endif

/** Largest result document a handler may write; more is answered 500 "result too large". */
#ifndef ASYNCRPC_MAX_RESULT
#define ASYNCRPC_MAX_RESULT 4096
#endif

/** Finished task ids remembered for de-duplication (the oldest committed ones go first). */
#ifndef ASYNCRPC_JOURNAL_CAPACITY
#define ASYNCRPC_JOURNAL_CAPACITY 32
#endif

/** Bytes of the fixed pool cJSON allocates from while the core parses one message. */
#ifndef ASYNCRPC_JSON_ARENA_SIZE
#define ASYNCRPC_JSON_ARENA_SIZE 32768
#endif

/** Longest device id: [A-Za-z0-9_-]{1,64}, as docs/protocol.md says. */
#define ASYNCRPC_MAX_DEVICE_ID 64
/** Longest method code: [A-Za-z0-9_.:-]{1,64}. */
#define ASYNCRPC_MAX_METHOD_CODE 64
/** Longest external id the device keeps to echo in its result. */
#define ASYNCRPC_MAX_EXT_ID 128
/** Longest ISO-8601 deadline text kept for the handler. */
#define ASYNCRPC_MAX_DEADLINE 40
/** Longest topic: "srv/" + device id + "/" + kind. */
#define ASYNCRPC_MAX_TOPIC (4 + ASYNCRPC_MAX_DEVICE_ID + 1 + 3 + 1)

#endif
