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
    !defined(CONFIG_ASYNCRPC_JOURNAL_CAPACITY) || !defined(CONFIG_ASYNCRPC_JSON_ARENA_SIZE) || \
    !defined(CONFIG_ASYNCRPC_MAX_EVENT_PAYLOAD) || !defined(CONFIG_ASYNCRPC_EVENT_SLOTS)
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
#if defined(CONFIG_ASYNCRPC_MAX_EVENT_PAYLOAD) && !defined(ASYNCRPC_MAX_EVENT_PAYLOAD)
#define ASYNCRPC_MAX_EVENT_PAYLOAD CONFIG_ASYNCRPC_MAX_EVENT_PAYLOAD
#endif
#if defined(CONFIG_ASYNCRPC_EVENT_SLOTS) && !defined(ASYNCRPC_EVENT_SLOTS)
#define ASYNCRPC_EVENT_SLOTS CONFIG_ASYNCRPC_EVENT_SLOTS
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

/** The protocol's largest device event payload (ProtocolLimits.MAX_EVENT_PAYLOAD_BYTES): 16 KiB. */
#define ASYNCRPC_PROTOCOL_MAX_EVENT_PAYLOAD 16384

/**
 * Largest device event payload (evt JSON) the core takes; a larger one is refused by
 * asyncrpc_core_send_event (ASYNCRPC_EVENT_ERR_TOO_LARGE). At most the protocol's 16 KiB. Each
 * pending event keeps its payload in the core (for resends), so the core holds
 * ASYNCRPC_EVENT_SLOTS buffers of this size.
 */
#ifndef ASYNCRPC_MAX_EVENT_PAYLOAD
#define ASYNCRPC_MAX_EVENT_PAYLOAD ASYNCRPC_PROTOCOL_MAX_EVENT_PAYLOAD
#endif
#if ASYNCRPC_MAX_EVENT_PAYLOAD > ASYNCRPC_PROTOCOL_MAX_EVENT_PAYLOAD || ASYNCRPC_MAX_EVENT_PAYLOAD < 16
#error "ASYNCRPC_MAX_EVENT_PAYLOAD must be 16..16384 (the protocol allows at most 16 KiB)"
#endif

/** Device events waiting for their answer (or for a connection) at once; one more is refused. */
#ifndef ASYNCRPC_EVENT_SLOTS
#define ASYNCRPC_EVENT_SLOTS 4
#endif
#if ASYNCRPC_EVENT_SLOTS < 1 || ASYNCRPC_EVENT_SLOTS > 64
#error "ASYNCRPC_EVENT_SLOTS must be 1..64"
#endif

/** The protocol's largest progress report (ProtocolLimits.MAX_PROGRESS_PAYLOAD_BYTES): 4 KiB. */
#define ASYNCRPC_PROTOCOL_MAX_PROGRESS_PAYLOAD 4096

/**
 * Largest progress report (prg JSON) the core builds; a larger one is refused by
 * asyncrpc_core_report_progress (ASYNCRPC_PROGRESS_ERR_TOO_LARGE). At most the protocol's 4 KiB;
 * the core holds one buffer of this size.
 */
#ifndef ASYNCRPC_MAX_PROGRESS_PAYLOAD
#define ASYNCRPC_MAX_PROGRESS_PAYLOAD 1024
#endif
#if ASYNCRPC_MAX_PROGRESS_PAYLOAD > ASYNCRPC_PROTOCOL_MAX_PROGRESS_PAYLOAD || ASYNCRPC_MAX_PROGRESS_PAYLOAD < 64
#error "ASYNCRPC_MAX_PROGRESS_PAYLOAD must be 64..4096 (the protocol allows at most 4 KiB)"
#endif

/** Longest correlation text of an event an application may choose (the core's own is 36 chars). */
#define ASYNCRPC_MAX_EVENT_CORRELATION 64

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
