/*
 * The device side of protocols v1 and v2 (docs/protocol.md), platform-free. v1 is the default;
 * v2 (push) is opted in per device with asyncrpc_config_t.protocol_version. Device events
 * (dev/<SN>/evt, answered on srv/<SN>/eva) work the same in both: asyncrpc_core_send_event; so do
 * progress reports of the running task (dev/<SN>/prg): asyncrpc_core_report_progress. In v2 a
 * cancel of a task (srv/<SN>/cnl) is answered on dev/<SN>/cna, asking the application first
 * (asyncrpc_core_set_cancel_hook).
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

/* ---- device events (docs/protocol.md, "Device events") ------------------------------------- */

/** What became of a device event (as the Java agent's EventOutcome.Status). */
typedef enum {
  ASYNCRPC_EVENT_STORED,             /* answered {"status":"success"}: the core has it (a resend is stored once) */
  ASYNCRPC_EVENT_REFUSED,            /* answered {"status":"error","code":…}: not stored; error_code says why */
  ASYNCRPC_EVENT_NO_ANSWER_EXPECTED, /* type 0 or id 0: sent, and the core stores it without answering */
  ASYNCRPC_EVENT_UNANSWERED          /* no answer after the last send: the core may or may not have it */
} asyncrpc_event_outcome_t;

/** One event's end, reported once per accepted event. Valid only during the callback. */
typedef struct {
  uint64_t type_code;
  uint64_t dev_event_id;
  uint64_t dev_timestamp;            /* epoch seconds, as sent */
  const char *correlation;           /* the correlation text sent with it */
  asyncrpc_event_outcome_t outcome;
  const char *error_code;            /* REFUSED: the core's code ("invalid-event", "payload-too-large"; "unknown"
                                        when the answer names none); NULL otherwise */
  uint32_t sends;                    /* how often it was published, resends included */
} asyncrpc_event_report_t;

/** Called on the core's thread from tick, on_message or send_event; may send another event. */
typedef void (*asyncrpc_event_fn)(const asyncrpc_event_report_t *report, void *user);

/** A device event to publish on dev/<SN>/evt. */
typedef struct {
  uint64_t type_code;     /* event_type_code, 0..INT64_MAX; type 0 is not answered */
  uint64_t dev_event_id;  /* dev_event_id, 0..INT64_MAX; id 0 is not answered */
  uint64_t dev_timestamp; /* dev_timestamp, epoch seconds up to 9999-12-31T23:59:58Z */
  const char *payload;    /* one JSON document (by convention numbered tags: 101 id, 102 time, 200 type,
                             300 parameters), or NULL for an empty payload */
  size_t payload_len;     /* bytes of payload; 0 with a payload means strlen(payload) */
  const char *correlation; /* NULL (or ""): the core makes one (a UUID's text); else up to
                              ASYNCRPC_MAX_EVENT_CORRELATION chars, not in use by a pending event */
} asyncrpc_event_t;

/* asyncrpc_core_send_event's results: 0, or one of these (nothing is sent, no callback follows). */
#define ASYNCRPC_EVENT_OK 0
#define ASYNCRPC_EVENT_ERR_TOO_LARGE (-1) /* payload over ASYNCRPC_MAX_EVENT_PAYLOAD (at most 16 KiB) */
#define ASYNCRPC_EVENT_ERR_FULL (-2)      /* ASYNCRPC_EVENT_SLOTS events are pending already; retry later */
#define ASYNCRPC_EVENT_ERR_NOT_JSON (-3)  /* payload is not exactly one JSON document */
#define ASYNCRPC_EVENT_ERR_INVALID (-4)   /* type/id over INT64_MAX, timestamp past 9999, bad correlation */

/** Slot of one pending event: sent and not answered yet, or waiting for a connection. */
typedef struct {
  uint8_t used;
  uint32_t sends;
  uint32_t sequence;       /* order of acceptance: sent in this order, oldest matched first */
  uint64_t type_code;
  uint64_t dev_event_id;
  uint64_t dev_timestamp;
  uint64_t next_send_ms;   /* when to send again, or to give up after the last send */
  uint16_t correlation_len;
  uint16_t payload_len;
  char correlation[ASYNCRPC_MAX_EVENT_CORRELATION + 1];
  char payload[ASYNCRPC_MAX_EVENT_PAYLOAD];
} asyncrpc_event_slot_t;

/**
 * v2: the core cancelled task_id (srv/<SN>/cnl). finished is true when the device already made
 * the task's result (it is in the journal): nothing is left to stop, the answer is "finished".
 * Otherwise return true when the application stopped work of that task (work a handler started
 * and left running, a motor, a transfer): the answer is "stopped"; false: "unknown". Handlers run
 * synchronously on the core's thread, so a cnl is read only between handlers: a handler itself is
 * never interrupted. Called on the core's thread; it may send events.
 */
typedef bool (*asyncrpc_cancel_fn)(const asyncrpc_task_id_t *task_id, bool finished, void *user);

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
  /* Device events: sends of an unanswered event, the first included, result_retry_ms apart (0 = 5). */
  uint8_t event_attempts;
  asyncrpc_event_fn on_event;            /* each accepted event's outcome, or NULL */
  void *event_user;
  /* Mixed into the correlation the core makes for events (e.g. a hardware random number); 0 is fine. */
  uint64_t event_seed;
  /* v2: asked on every cancel (srv/<SN>/cnl), or NULL (a task not finished is then "unknown"). */
  asyncrpc_cancel_fn on_cancel;
  void *cancel_user;
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
  uint32_t events_sent;     /* evt publishes, resends included */
  uint32_t events_resent;
  uint32_t events_stored;   /* answered success */
  uint32_t events_refused;  /* answered error */
  uint32_t events_unanswered; /* given up after the last send */
  uint32_t event_answers_unmatched; /* eva for no pending event (typically the answer to a resend) */
  uint32_t event_answers_malformed; /* eva without readable type, id or status: ignored */
  uint32_t progress_sent;   /* prg publishes handed to the MQTT client */
  uint32_t cancels;         /* v2: cnl answered on cna (a v1 device counts one as ignored) */
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
  asyncrpc_event_slot_t events[ASYNCRPC_EVENT_SLOTS];
  uint32_t next_event_sequence;
  uint64_t event_random;                   /* state of the generator of event correlations */
  const asyncrpc_task_t *running;          /* the task a handler runs now, or NULL */
  char progress_buf[ASYNCRPC_MAX_PROGRESS_PAYLOAD];
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

/**
 * Publishes a device event on dev/<SN>/evt (QoS 1): user properties event_type_code, dev_event_id
 * and dev_timestamp (epoch seconds), in that order; correlation data the core matches the answer
 * (srv/<SN>/eva) by; the payload as given. The core copies the event into one of
 * ASYNCRPC_EVENT_SLOTS slots and sends it now when connected, else once connected. Unanswered, it
 * is sent again every result_retry_ms (the core stores it once, so resending is safe), up to
 * event_attempts sends; then it is reported UNANSWERED. An event of type 0 or id 0 is not
 * answered by the core: it is reported NO_ANSWER_EXPECTED once sent. Each accepted event ends with
 * exactly one call of config.on_event (which may come before this function returns).
 *
 * Returns ASYNCRPC_EVENT_OK, or a negative ASYNCRPC_EVENT_ERR_* (nothing sent, no callback): a
 * full table is not cleared to make room, so the application decides what to drop. Call it after
 * asyncrpc_core_init, on the core's thread (a handler or the on_event callback may call it too).
 * Pending events live in RAM only: after a reboot they are gone (sending one again is safe).
 */
int asyncrpc_core_send_event(asyncrpc_core_t *core, const asyncrpc_event_t *event);

/** asyncrpc_core_send_event with a NUL-terminated payload (or NULL) and a correlation of the core's. */
int asyncrpc_core_publish_event(asyncrpc_core_t *core, uint64_t type_code, uint64_t dev_event_id,
                                uint64_t dev_timestamp_epoch_s, const char *payload_json);

/** Events pending (unsent or unanswered) now. */
size_t asyncrpc_core_events_pending(const asyncrpc_core_t *core);

/** The protocol's text for an ASYNCRPC_EVENT_ERR_* ("payload-too-large", "event-table-full", …). */
const char *asyncrpc_event_error_code(int error);

/** "stored", "refused", "no-answer-expected" or "unanswered". */
const char *asyncrpc_event_outcome_name(asyncrpc_event_outcome_t outcome);

/* asyncrpc_core_report_progress's results: 0, or one of these (nothing is sent). */
#define ASYNCRPC_PROGRESS_OK 0
#define ASYNCRPC_PROGRESS_ERR_INVALID (-1)     /* percent over 100, or details not one JSON object */
#define ASYNCRPC_PROGRESS_ERR_TOO_LARGE (-2)   /* the report is over ASYNCRPC_MAX_PROGRESS_PAYLOAD */
#define ASYNCRPC_PROGRESS_ERR_NOT_RUNNING (-3) /* task is not the one a handler runs now */
#define ASYNCRPC_PROGRESS_ERR_OFFLINE (-4)     /* not connected, or the MQTT client did not take it */

/**
 * Reports progress of the running task on dev/<SN>/prg (QoS 1), from its handler: correlation
 * data the task id's text (as its res), payload {"percent": …, "message": …, "details": …} with
 * the members given (percent < 0, message NULL and details_json NULL are left out). The core
 * stores the latest report with the task and extends its lease (never past the deadline), so a
 * long job that reports does not time out. Not answered; a report the core refuses is answered on
 * err and counted in stats.errors. Sent once, never resent: a later report says more.
 *
 * Returns ASYNCRPC_PROGRESS_OK, or a negative ASYNCRPC_PROGRESS_ERR_*. The core takes at most 20
 * requests, events and reports a second from a device: report on progress that matters.
 */
int asyncrpc_core_report_progress(asyncrpc_core_t *core, const asyncrpc_task_t *task, int percent,
                                  const char *message, const char *details_json);

/** The protocol's text for an ASYNCRPC_PROGRESS_ERR_* ("invalid-progress", "not-running", …). */
const char *asyncrpc_progress_error_code(int error);

/**
 * Sets (or with NULL clears) the cancel hook, as config.on_cancel; call after asyncrpc_core_init.
 * v2 only: a v1 device ignores srv/<SN>/cnl (the core never sends it one).
 */
void asyncrpc_core_set_cancel_hook(asyncrpc_core_t *core, asyncrpc_cancel_fn hook, void *user);

/** Drives the poll timer, result and event resends; call every ~100 ms. */
void asyncrpc_core_tick(asyncrpc_core_t *core);

/** Milliseconds until the next timer is due (capped at the poll interval). */
uint32_t asyncrpc_core_next_timeout_ms(const asyncrpc_core_t *core);

/** True if the device id matches [A-Za-z0-9_-]{1,64}. */
bool asyncrpc_device_id_valid(const char *device_id);

#endif
