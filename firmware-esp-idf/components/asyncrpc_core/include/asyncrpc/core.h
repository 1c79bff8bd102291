/*
 * The device side of protocols v1 and v2 (docs/protocol.md), platform-free. v1 is the default;
 * v2 (push) is opted in per device with asyncrpc_config_t.protocol_version.
 *
 * The platform feeds events in (connected, disconnected, message, tick) from one thread; the core
 * answers through the port. Handlers run synchronously on that thread, one task at a time, so a
 * message that arrives meanwhile waits in the platform's inbound queue.
 *
 * Memory: the core lives in the caller's asyncrpc_core_t (static on the device); JSON is parsed
 * in a fixed arena (json_arena.h); nothing on the protocol path calls malloc.
 */
#ifndef ASYNCRPC_CORE_H
#define ASYNCRPC_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asyncrpc/config.h"
#include "asyncrpc/port.h"
#include "asyncrpc/task_id.h"
#include "cJSON.h"

/** Bounded output for a handler's result document. */
typedef struct {
  char *buf;
  size_t cap;
  size_t len;
  bool overflow;
} asyncrpc_writer_t;

/** Appends len bytes; sets overflow (and keeps what fitted) when the buffer is full. */
void asyncrpc_writer_append(asyncrpc_writer_t *writer, const char *text, size_t len);
/** Appends printf-formatted text. */
void asyncrpc_writer_printf(asyncrpc_writer_t *writer, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Appends text as a JSON string literal, quotes included. */
void asyncrpc_writer_json_string(asyncrpc_writer_t *writer, const char *text);

/** A task as a handler sees it. Valid only during the handler call. */
typedef struct {
  asyncrpc_task_id_t id;
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
  const char *method_code;
  uint32_t attempt;
  const char *deadline;      /* ISO-8601 text, or NULL */
  const char *ext_id;        /* or NULL */
  const char *payload;       /* the JSON text, NUL-terminated ("null" when the rsp was empty) */
  size_t payload_len;
  const cJSON *json;         /* the parsed payload (arena memory) */
  const char *lease_expires; /* v2: ISO-8601 end of the task's lease, or NULL (v1, or not sent) */
} asyncrpc_task_t;

/**
 * Runs a task: writes one JSON document to result and returns the status code (200..299 success,
 * 400..599 failure). An empty result is sent as JSON null.
 */
typedef int (*asyncrpc_handler_fn)(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user);

/** One row of the handler table: method code → function. */
typedef struct {
  const char *method_code;
  asyncrpc_handler_fn handler;
  void *user;
} asyncrpc_handler_t;

typedef struct {
  const char *device_id;                 /* [A-Za-z0-9_-]{1,64} */
  const asyncrpc_handler_t *handlers;
  size_t handler_count;
  uint32_t poll_interval_ms;             /* 0 = 30000 */
  uint32_t result_retry_ms;              /* 0 = 5000 */
  bool no_ack;                           /* true: do not ack triggers */
  /* The device protocol: 0 or ASYNCRPC_PROTOCOL_V1 (the default, the seed's messages byte for
   * byte), or ASYNCRPC_PROTOCOL_V2 (push: req and res declare protocol=2, a v2 cmt may carry the
   * next task). Anything else makes asyncrpc_core_init fail. */
  uint8_t protocol_version;
} asyncrpc_config_t;

#define ASYNCRPC_PROTOCOL_V1 1u
#define ASYNCRPC_PROTOCOL_V2 2u

/** Counters for diagnostics and tests. */
typedef struct {
  uint32_t messages;        /* every message handed to the core */
  uint32_t ignored;         /* wrong topic, unknown kind, stale trigger */
  uint32_t malformed;       /* unusable correlation data */
  uint32_t tasks_run;
  uint32_t duplicates;      /* re-deliveries of finished tasks, answered from the journal */
  uint32_t results_sent;
  uint32_t results_resent;
  uint32_t commits;
  uint32_t errors;          /* err messages received */
  uint32_t polls;
  uint32_t journal_failures;
  uint32_t next_tasks;      /* v2: tasks that came in the next of a commit */
  uint32_t malformed_next;  /* v2: commits whose next could not be read (the device polls instead) */
} asyncrpc_stats_t;

/** Index of one journal slot in RAM; the entry itself stays in the port's storage. */
typedef struct {
  asyncrpc_task_id_t task_id;
  uint32_t sequence;
  uint8_t used;
  uint8_t committed;
  uint64_t next_retry_ms;
} asyncrpc_journal_slot_t;

/** v2: the text fields of a commit's next task, copied out of the parsed commit (arena memory). */
typedef struct {
  char method_code[ASYNCRPC_MAX_METHOD_CODE + 2]; /* one more: a longer code stays longer, so unknown */
  char ext_id[ASYNCRPC_MAX_EXT_ID + 2];           /* one more: a longer one is not echoed, as in v1 */
  char deadline[ASYNCRPC_MAX_DEADLINE + 1];
  char lease_expires[ASYNCRPC_MAX_DEADLINE + 1];
} asyncrpc_next_fields_t;

typedef struct {
  asyncrpc_port_t port;
  asyncrpc_config_t config;
  char device_id[ASYNCRPC_MAX_DEVICE_ID + 1];
  char topic_filter[ASYNCRPC_MAX_TOPIC];
  bool connected;
  uint64_t last_poll_ms;
  uint32_t next_sequence;
  asyncrpc_journal_slot_t journal[ASYNCRPC_JOURNAL_CAPACITY];
  asyncrpc_journal_entry_t scratch;        /* the one full entry in RAM at a time */
  int32_t scratch_slot;                    /* the slot scratch holds, or -1 */
  char payload_text[ASYNCRPC_MAX_PAYLOAD + 1];
  char result_buf[ASYNCRPC_MAX_RESULT];
  asyncrpc_next_fields_t next;             /* v2 */
  asyncrpc_stats_t stats;
} asyncrpc_core_t;

/**
 * Returns 0, or -1 if the device id is not [A-Za-z0-9_-]{1,64} or protocol_version is not 0, 1
 * or 2. Loads the journal.
 */
int asyncrpc_core_init(asyncrpc_core_t *core, const asyncrpc_config_t *config, const asyncrpc_port_t *port);

/** The MQTT session is up: subscribes srv/<SN>/+, resends uncommitted results, polls. */
void asyncrpc_core_on_connected(asyncrpc_core_t *core);

void asyncrpc_core_on_disconnected(asyncrpc_core_t *core);

/** Handles one message from the broker. Any input is safe. */
void asyncrpc_core_on_message(asyncrpc_core_t *core, const asyncrpc_message_t *message);

/** Drives the poll timer and result resends; call every ~100 ms. */
void asyncrpc_core_tick(asyncrpc_core_t *core);

/** Milliseconds until the next timer is due (capped at the poll interval). */
uint32_t asyncrpc_core_next_timeout_ms(const asyncrpc_core_t *core);

/** True if the device id matches [A-Za-z0-9_-]{1,64}. */
bool asyncrpc_device_id_valid(const char *device_id);

#endif
