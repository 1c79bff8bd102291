/*
 * What the portable core needs from its platform. The ESP-IDF port implements it with esp-mqtt
 * and NVS, the host port with libmosquitto and a file, the tests with a recording fake.
 * Every function is called on the core's own thread (the one that calls asyncrpc_core_*).
 */
#ifndef ASYNCRPC_PORT_H
#define ASYNCRPC_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "asyncrpc/config.h"
#include "asyncrpc/task_id.h"

/** An MQTT 5 user property; both strings NUL-terminated. */
typedef struct {
  const char *key;
  const char *value;
} asyncrpc_property_t;

/** One MQTT 5 message as the protocol sees it, in either direction. QoS is always 1. */
typedef struct {
  const char *topic;
  const uint8_t *correlation_data; /* NULL when absent */
  size_t correlation_len;
  const asyncrpc_property_t *properties;
  size_t property_count;
  const uint8_t *payload; /* may be NULL when payload_len is 0 */
  size_t payload_len;
} asyncrpc_message_t;

/** A finished task as the journal keeps it: enough to answer a re-delivery without re-running. */
typedef struct {
  asyncrpc_task_id_t task_id;
  uint32_t sequence;      /* order of finishing; the oldest committed entry is evicted first */
  uint16_t status_code;
  uint8_t committed;      /* 1 once the core's cmt (or a final err) arrived */
  uint8_t reserved;
  char ext_id[ASYNCRPC_MAX_EXT_ID + 1];
  uint16_t result_len;
  char result[ASYNCRPC_MAX_RESULT]; /* result JSON, not NUL-terminated */
} asyncrpc_journal_entry_t;

typedef enum {
  ASYNCRPC_LOG_ERROR,
  ASYNCRPC_LOG_WARN,
  ASYNCRPC_LOG_INFO,
  ASYNCRPC_LOG_DEBUG,
  /** One line per protocol event (connected, received, done, committed…), like the Java CLI's stdout. */
  ASYNCRPC_LOG_EVENT
} asyncrpc_log_level_t;

typedef struct {
  void *ctx;
  /** Publishes at QoS 1; returns 0 when handed to the MQTT client. */
  int (*publish)(void *ctx, const asyncrpc_message_t *message);
  /** Subscribes at QoS 1; returns 0 when handed to the MQTT client. */
  int (*subscribe)(void *ctx, const char *topic_filter);
  /** Monotonic milliseconds. */
  uint64_t (*now_ms)(void *ctx);
  /** Reads journal slot {@code slot} (< ASYNCRPC_JOURNAL_CAPACITY); returns 0 if it holds an entry. */
  int (*journal_read)(void *ctx, size_t slot, asyncrpc_journal_entry_t *entry);
  /** Durably writes journal slot {@code slot}; returns 0 on success. Only the first
   * offsetof(result) + result_len bytes of the entry matter. */
  int (*journal_write)(void *ctx, size_t slot, const asyncrpc_journal_entry_t *entry);
  void (*log)(void *ctx, asyncrpc_log_level_t level, const char *line);
} asyncrpc_port_t;

#endif
