#include "asyncrpc/core.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncrpc/json_arena.h"

#define DEFAULT_POLL_INTERVAL_MS 30000u
#define DEFAULT_RESULT_RETRY_MS 5000u
#define DEFAULT_EVENT_ATTEMPTS 5u
/* Java's DeviceEvent.plausible: a dev_timestamp before 9999-12-31T23:59:59Z. */
#define MAX_EVENT_TIMESTAMP 253402300798ull
#define EVENT_CODE 48
#define LOG_LINE 256
#define PREVIEW 120

typedef enum { KIND_NONE, KIND_TRIGGER, KIND_RESPONSE, KIND_COMMIT, KIND_ERROR, KIND_EVENT_ANSWER, KIND_CANCEL } kind_t;

/* ---- small helpers ------------------------------------------------------------------------ */

static void logf_(asyncrpc_core_t *core, asyncrpc_log_level_t level, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void logf_(asyncrpc_core_t *core, asyncrpc_log_level_t level, const char *format, ...) {
  if (core->port.log == NULL) {
    return;
  }
  char line[LOG_LINE];
  va_list args;
  va_start(args, format);
  vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  core->port.log(core->port.ctx, level, line);
}

static uint64_t now_ms(asyncrpc_core_t *core) { return core->port.now_ms(core->port.ctx); }

static bool is_v2(const asyncrpc_core_t *core) { return core->config.protocol_version == ASYNCRPC_PROTOCOL_V2; }

static const char *property(const asyncrpc_message_t *message, const char *key) {
  if (message->properties == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < message->property_count; i++) {
    const asyncrpc_property_t *p = &message->properties[i];
    if (p->key != NULL && p->value != NULL && strcmp(p->key, key) == 0) {
      return p->value;
    }
  }
  return NULL;
}

/** Parses decimal text; fallback when absent or not a plain non-negative number. */
static long number_text(const char *text, long fallback) {
  if (text == NULL || *text == '\0' || strlen(text) > 9) {
    return fallback;
  }
  long value = 0;
  for (const char *p = text; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') {
      return fallback;
    }
    value = value * 10 + (*p - '0');
  }
  return value;
}

/** Parses a decimal property; fallback when absent or not a plain non-negative number. */
static long number_property(const asyncrpc_message_t *message, const char *key, long fallback) {
  return number_text(property(message, key), fallback);
}

/**
 * True if a protocol user property declares v2. Read as the Java codec reads it
 * (ProtocolVersion.declaredBy: Integer.parseInt of the stripped text): surrounding white space, an
 * optional '+' and leading zeros are allowed; anything else, or absent, is v1.
 */
static bool declares_v2(const char *text) {
  if (text == NULL) {
    return false;
  }
  const char *end = text + strlen(text);
  while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r' || *text == '\f' || *text == '\v') {
    text++;
  }
  while (end > text && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r' ||
                        end[-1] == '\f' || end[-1] == '\v')) {
    end--;
  }
  if (text < end && *text == '+') {
    text++;
  }
  while (end - text > 1 && *text == '0') {
    text++;
  }
  return end - text == 1 && *text == '2';
}

bool asyncrpc_device_id_valid(const char *device_id) {
  if (device_id == NULL) {
    return false;
  }
  size_t len = strlen(device_id);
  if (len == 0 || len > ASYNCRPC_MAX_DEVICE_ID) {
    return false;
  }
  for (size_t i = 0; i < len; i++) {
    char c = device_id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

/** srv/<SN>/<kind> of this device → kind; anything else → KIND_NONE. */
static kind_t topic_kind(const asyncrpc_core_t *core, const char *topic) {
  if (topic == NULL || strncmp(topic, "srv/", 4) != 0) {
    return KIND_NONE;
  }
  size_t id_len = strlen(core->device_id);
  const char *rest = topic + 4;
  if (strncmp(rest, core->device_id, id_len) != 0 || rest[id_len] != '/') {
    return KIND_NONE;
  }
  const char *kind = rest + id_len + 1;
  if (strcmp(kind, "tsk") == 0) {
    return KIND_TRIGGER;
  }
  if (strcmp(kind, "rsp") == 0) {
    return KIND_RESPONSE;
  }
  if (strcmp(kind, "cmt") == 0) {
    return KIND_COMMIT;
  }
  if (strcmp(kind, "err") == 0) {
    return KIND_ERROR;
  }
  if (strcmp(kind, "eva") == 0) {
    return KIND_EVENT_ANSWER;
  }
  if (strcmp(kind, "cnl") == 0) {
    return KIND_CANCEL;
  }
  return KIND_NONE;
}

/** The task id of a message: correlation data, else the correlationData user property. */
static bool message_task_id(const asyncrpc_message_t *message, asyncrpc_task_id_t *id) {
  if (message->correlation_data != NULL && message->correlation_len > 0) {
    return asyncrpc_task_id_from_correlation(message->correlation_data, message->correlation_len, id);
  }
  const char *fallback = property(message, "correlationData");
  return fallback != NULL && asyncrpc_task_id_parse_text(fallback, strlen(fallback), id);
}

/* ---- outbound ------------------------------------------------------------------------------ */

/** Publishes on dev/<SN>/<kind>; returns the port's result (0: handed to the MQTT client). */
static int publish_raw(asyncrpc_core_t *core, const char *kind, const char *correlation, size_t correlation_len,
                       const asyncrpc_property_t *properties, size_t property_count, const char *payload,
                       size_t payload_len) {
  char topic[ASYNCRPC_MAX_TOPIC];
  snprintf(topic, sizeof(topic), "dev/%s/%s", core->device_id, kind);
  asyncrpc_message_t message = {
      .topic = topic,
      .correlation_data = (const uint8_t *)correlation,
      .correlation_len = correlation_len,
      .properties = properties,
      .property_count = property_count,
      .payload = payload_len == 0 ? NULL : (const uint8_t *)payload,
      .payload_len = payload_len,
  };
  int rc = core->port.publish(core->port.ctx, &message);
  if (rc != 0) {
    logf_(core, ASYNCRPC_LOG_WARN, "publish to %s failed", topic);
  }
  return rc;
}

static void publish(asyncrpc_core_t *core, const char *kind, const asyncrpc_task_id_t *id,
                    const asyncrpc_property_t *properties, size_t property_count, const char *payload,
                    size_t payload_len) {
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
  asyncrpc_task_id_format(id, id_text);
  /* The 36-char text, as the seed's devices send it (docs/protocol.md, "Correlation data"). */
  (void)publish_raw(core, kind, id_text, ASYNCRPC_TASK_ID_TEXT_LEN, properties, property_count, payload,
                    payload_len);
}

/* v2: how a device declares the version, after its other properties on every req and res. */
static const asyncrpc_property_t DECLARE_V2 = {"protocol", "2"};

/** dev/<SN>/req for id (the zero UUID: the head of the FIFO); v2 declares protocol=2. */
static void request(asyncrpc_core_t *core, const asyncrpc_task_id_t *id) {
  if (is_v2(core)) {
    publish(core, "req", id, &DECLARE_V2, 1, NULL, 0);
  } else {
    publish(core, "req", id, NULL, 0, NULL, 0);
  }
}

static void poll(asyncrpc_core_t *core) {
  if (!core->connected) {
    return;
  }
  core->last_poll_ms = now_ms(core);
  core->stats.polls++;
  request(core, &ASYNCRPC_TASK_ID_ZERO);
}

/* ---- journal ------------------------------------------------------------------------------- */

static int find_slot(const asyncrpc_core_t *core, const asyncrpc_task_id_t *id) {
  for (size_t i = 0; i < ASYNCRPC_JOURNAL_CAPACITY; i++) {
    if (core->journal[i].used && asyncrpc_task_id_equal(&core->journal[i].task_id, id)) {
      return (int)i;
    }
  }
  return -1;
}

static bool entry_valid(const asyncrpc_journal_entry_t *entry) {
  return entry->result_len <= ASYNCRPC_MAX_RESULT && entry->status_code >= 100 && entry->status_code <= 599 &&
         memchr(entry->ext_id, '\0', sizeof(entry->ext_id)) != NULL;
}

/** Loads slot into scratch (cached); false if the storage lost it. */
static bool load_entry(asyncrpc_core_t *core, int slot) {
  if (core->scratch_slot == slot) {
    return true;
  }
  core->scratch_slot = -1;
  if (core->port.journal_read(core->port.ctx, (size_t)slot, &core->scratch) != 0 || !entry_valid(&core->scratch) ||
      !asyncrpc_task_id_equal(&core->scratch.task_id, &core->journal[slot].task_id)) {
    return false;
  }
  core->scratch_slot = slot;
  return true;
}

static void store_entry(asyncrpc_core_t *core, int slot) {
  core->scratch_slot = slot;
  if (core->port.journal_write(core->port.ctx, (size_t)slot, &core->scratch) != 0) {
    core->stats.journal_failures++;
    logf_(core, ASYNCRPC_LOG_ERROR, "journal write of slot %d failed", slot);
  }
}

/** A slot for a new entry: a free one, else the oldest committed, else the oldest of all. */
static int claim_slot(asyncrpc_core_t *core) {
  int oldest_committed = -1;
  int oldest = -1;
  for (size_t i = 0; i < ASYNCRPC_JOURNAL_CAPACITY; i++) {
    const asyncrpc_journal_slot_t *s = &core->journal[i];
    if (!s->used) {
      return (int)i;
    }
    if (s->committed && (oldest_committed < 0 || s->sequence < core->journal[oldest_committed].sequence)) {
      oldest_committed = (int)i;
    }
    if (oldest < 0 || s->sequence < core->journal[oldest].sequence) {
      oldest = (int)i;
    }
  }
  if (oldest_committed >= 0) {
    return oldest_committed;
  }
  logf_(core, ASYNCRPC_LOG_WARN, "journal full of uncommitted results; forgetting the oldest");
  return oldest;
}

static void set_committed(asyncrpc_core_t *core, int slot, uint8_t committed) {
  core->journal[slot].committed = committed;
  if (load_entry(core, slot)) {
    core->scratch.committed = committed;
    store_entry(core, slot);
  }
}

/** Sends the stored result of slot (if connected) and schedules the next resend. */
static void send_result(asyncrpc_core_t *core, int slot) {
  asyncrpc_journal_slot_t *s = &core->journal[slot];
  s->next_retry_ms = now_ms(core) + core->config.result_retry_ms;
  if (!core->connected) {
    return;
  }
  if (!load_entry(core, slot)) {
    logf_(core, ASYNCRPC_LOG_ERROR, "journal lost slot %d; forgetting it", slot);
    s->used = 0;
    return;
  }
  char status[8];
  snprintf(status, sizeof(status), "%u", (unsigned)core->scratch.status_code);
  asyncrpc_property_t properties[3] = {{"status_code", status}, {"ext_id", core->scratch.ext_id}};
  size_t count = core->scratch.ext_id[0] != '\0' ? 2 : 1;
  if (is_v2(core)) {
    properties[count++] = DECLARE_V2;
  }
  core->stats.results_sent++;
  publish(core, "res", &s->task_id, properties, count, core->scratch.result, core->scratch.result_len);
}

/* ---- task execution ------------------------------------------------------------------------ */

/** A task as it arrived: from a rsp's properties and payload, or (v2) from a commit's next. */
typedef struct {
  const char *method_code; /* or NULL */
  const char *ext_id;      /* or NULL */
  const char *deadline;    /* or NULL */
  const char *lease_expires;
  long attempt;
  const uint8_t *payload;  /* NULL with payload_len > ASYNCRPC_MAX_PAYLOAD: too large to take */
  size_t payload_len;
} incoming_t;

/** Parses exactly one JSON value spanning text[0..len) (whitespace around it allowed). */
static cJSON *parse_exact(const char *text, size_t len) {
  const char *end = NULL;
  cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (json == NULL) {
    return NULL;
  }
  for (const char *p = end; p < text + len; p++) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
      return NULL; /* trailing data: arena memory, released with the scope */
    }
  }
  return json;
}

static int fail(asyncrpc_writer_t *result, int status, const char *message) {
  result->len = 0;
  result->overflow = false;
  asyncrpc_writer_append(result, "{\"error\":", 9);
  asyncrpc_writer_json_string(result, message);
  asyncrpc_writer_append(result, "}", 1);
  return status;
}

static const asyncrpc_handler_t *find_handler(const asyncrpc_core_t *core, const char *method_code) {
  for (size_t i = 0; i < core->config.handler_count; i++) {
    const asyncrpc_handler_t *h = &core->config.handlers[i];
    if (h->method_code != NULL && h->handler != NULL && strcmp(h->method_code, method_code) == 0) {
      return h;
    }
  }
  return NULL;
}

/**
 * Runs the task and leaves its result in result; returns the status. Every failure becomes a
 * result (400, 413, 500, 501), so the task always ends instead of waiting for its lease.
 */
static int execute(asyncrpc_core_t *core, asyncrpc_task_t *task, const incoming_t *incoming,
                   asyncrpc_writer_t *result) {
  if (incoming->payload_len > ASYNCRPC_MAX_PAYLOAD) {
    return fail(result, 413, "payload too large for this device");
  }
  if (incoming->payload == NULL && incoming->payload_len > 0) {
    return fail(result, 400, "payload missing");
  }
  if (incoming->payload_len == 0) {
    memcpy(core->payload_text, "null", 5);
    task->payload_len = 4;
  } else {
    if (incoming->payload != (const uint8_t *)core->payload_text) { /* a next is printed there already */
      memcpy(core->payload_text, incoming->payload, incoming->payload_len);
    }
    core->payload_text[incoming->payload_len] = '\0';
    task->payload_len = incoming->payload_len;
  }
  task->payload = core->payload_text;

  int status;
  asyncrpc_json_arena_begin();
  cJSON *json = parse_exact(task->payload, task->payload_len);
  if (json == NULL) {
    status = asyncrpc_json_arena_exhausted() ? fail(result, 413, "payload too complex for this device")
                                             : fail(result, 400, "payload is not JSON");
  } else {
    task->json = json;
    const asyncrpc_handler_t *handler = find_handler(core, task->method_code);
    if (handler == NULL) {
      char message_text[32 + ASYNCRPC_MAX_METHOD_CODE];
      snprintf(message_text, sizeof(message_text), "unknown method_code %.64s", task->method_code);
      status = fail(result, 501, message_text);
    } else {
      core->running = task;
      status = handler->handler(task, result, handler->user);
      core->running = NULL;
      if (result->overflow) {
        status = fail(result, 500, "result too large for this device");
      } else if (status < 200 || status > 599 || (status >= 300 && status < 400)) {
        status = fail(result, 500, "handler returned an invalid status code");
      } else if (result->len == 0) {
        asyncrpc_writer_append(result, "null", 4);
      } else if (parse_exact(result->buf, result->len) == NULL &&
                 !asyncrpc_json_arena_exhausted()) {
        status = fail(result, 500, "handler wrote a result that is not JSON");
      }
    }
  }
  asyncrpc_json_arena_end();
  return status;
}

static void run_task(asyncrpc_core_t *core, const asyncrpc_task_id_t *id, const incoming_t *incoming) {
  const char *ext_id = incoming->ext_id;
  asyncrpc_task_t task = {
      .id = *id,
      .method_code = incoming->method_code == NULL ? "" : incoming->method_code,
      .attempt = incoming->attempt < 1 ? 1u : (uint32_t)incoming->attempt,
      .deadline = incoming->deadline,
      .ext_id = ext_id,
      .lease_expires = incoming->lease_expires,
  };
  asyncrpc_task_id_format(id, task.id_text);
  core->stats.tasks_run++;
  logf_(core, ASYNCRPC_LOG_EVENT, "received %s method=%.64s attempt=%" PRIu32 " payload=%.*s", task.id_text,
        task.method_code, task.attempt,
        (int)(incoming->payload_len < PREVIEW ? incoming->payload_len : PREVIEW),
        incoming->payload == NULL ? "" : (const char *)incoming->payload);

  asyncrpc_writer_t result = {.buf = core->result_buf, .cap = sizeof(core->result_buf)};
  int status = execute(core, &task, incoming, &result);

  int slot = claim_slot(core);
  asyncrpc_journal_entry_t *entry = &core->scratch;
  memset(entry, 0, offsetof(asyncrpc_journal_entry_t, result));
  entry->task_id = *id;
  entry->sequence = core->next_sequence++;
  entry->status_code = (uint16_t)status;
  if (ext_id != NULL && strlen(ext_id) <= ASYNCRPC_MAX_EXT_ID) {
    memcpy(entry->ext_id, ext_id, strlen(ext_id) + 1);
  } else if (ext_id != NULL) {
    logf_(core, ASYNCRPC_LOG_WARN, "ext_id of task %s too long to echo", task.id_text);
  }
  entry->result_len = (uint16_t)result.len;
  memcpy(entry->result, result.buf, result.len);
  core->journal[slot] = (asyncrpc_journal_slot_t){
      .task_id = *id, .sequence = entry->sequence, .used = 1, .committed = 0};
  /* Written before the result is sent: after a reboot the task is known and not run again. */
  store_entry(core, slot);
  logf_(core, ASYNCRPC_LOG_EVENT, "done %s status=%d result=%.*s", task.id_text, status,
        (int)(result.len < PREVIEW ? result.len : PREVIEW), result.buf);
  send_result(core, slot);
}

/* ---- inbound ------------------------------------------------------------------------------- */

static void on_trigger(asyncrpc_core_t *core, const asyncrpc_task_id_t *id, const asyncrpc_message_t *message) {
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
  asyncrpc_task_id_format(id, id_text);
  if (asyncrpc_task_id_is_zero(id) || find_slot(core, id) >= 0) {
    core->stats.ignored++;
    logf_(core, ASYNCRPC_LOG_DEBUG, "ignoring trigger of known task %s", id_text);
    return;
  }
  const char *method_code = property(message, "method_code");
  logf_(core, ASYNCRPC_LOG_INFO, "trigger %s (%.64s)", id_text, method_code == NULL ? "?" : method_code);
  if (!core->config.no_ack) {
    publish(core, "ack", id, NULL, 0, NULL, 0);
  }
  request(core, id);
}

/** A task handed to this device (rsp, v2 push, v2 next): run it once; a finished one is answered again. */
static void take_task(asyncrpc_core_t *core, const asyncrpc_task_id_t *id, const char *id_text,
                      const incoming_t *incoming) {
  int slot = find_slot(core, id);
  if (slot >= 0) {
    /* Re-delivery of a task this device finished: never run it twice, answer the same way. */
    core->stats.duplicates++;
    core->stats.results_resent++;
    logf_(core, ASYNCRPC_LOG_EVENT, "resent %s", id_text);
    set_committed(core, slot, 0);
    send_result(core, slot);
    return;
  }
  run_task(core, id, incoming);
}

static void on_response(asyncrpc_core_t *core, const asyncrpc_task_id_t *id, const asyncrpc_message_t *message) {
  long status = number_property(message, "status_code", -1);
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
  asyncrpc_task_id_format(id, id_text);
  if (asyncrpc_task_id_is_zero(id)) {
    logf_(core, ASYNCRPC_LOG_DEBUG, "no task (status %ld)", status);
    return;
  }
  if (property(message, "status_code") != NULL && status != 200) {
    logf_(core, ASYNCRPC_LOG_INFO, "core answered %s for task %s", property(message, "status_code"), id_text);
    return;
  }
  incoming_t incoming = {
      .method_code = property(message, "method_code"),
      .ext_id = property(message, "ext_id"),
      .deadline = property(message, "deadline"),
      .lease_expires = property(message, "lease_expires"),
      .attempt = number_property(message, "attempt", 1),
      .payload = message->payload,
      .payload_len = message->payload_len,
  };
  take_task(core, id, id_text, &incoming);
}

/** Reads one string member of a JSON payload into out (empty if absent). */
static void payload_member(const asyncrpc_message_t *message, const char *name, char *out, size_t cap) {
  out[0] = '\0';
  if (message->payload_len == 0 || message->payload_len > ASYNCRPC_MAX_PAYLOAD) {
    return;
  }
  asyncrpc_json_arena_begin();
  cJSON *json = cJSON_ParseWithLength((const char *)message->payload, message->payload_len);
  const cJSON *member = cJSON_GetObjectItemCaseSensitive(json, name);
  if (cJSON_IsString(member) && member->valuestring != NULL) {
    snprintf(out, cap, "%s", member->valuestring);
  }
  asyncrpc_json_arena_end();
}

typedef enum { NEXT_NONE, NEXT_TASK, NEXT_MALFORMED } next_kind_t;

/** Copies the string member name of object into out; NULL when it is absent, not a string or too long. */
static const char *next_string(const cJSON *object, const char *name, char *out, size_t cap) {
  const cJSON *member = cJSON_GetObjectItemCaseSensitive(object, name);
  out[0] = '\0';
  if (!cJSON_IsString(member) || member->valuestring == NULL) {
    return NULL;
  }
  size_t len = strlen(member->valuestring);
  if (len >= cap) {
    return NULL;
  }
  memcpy(out, member->valuestring, len + 1);
  return out;
}

/** Like next_string, but a longer text is cut to cap - 1 bytes (the buffers keep one byte more than
 * a valid value, so a cut value is still too long: an unknown method code, an ext_id not echoed). */
static const char *next_string_cut(const cJSON *object, const char *name, char *out, size_t cap) {
  const cJSON *member = cJSON_GetObjectItemCaseSensitive(object, name);
  out[0] = '\0';
  if (!cJSON_IsString(member) || member->valuestring == NULL) {
    return NULL;
  }
  size_t len = 0;
  while (len < cap - 1 && member->valuestring[len] != '\0') {
    len++;
  }
  memcpy(out, member->valuestring, len);
  out[len] = '\0';
  return out;
}

/** attempt of a next task: a number (or digits in a string), else 1, as the Java codec's asInt(1). */
static long next_attempt(const cJSON *next) {
  const cJSON *attempt = cJSON_GetObjectItemCaseSensitive(next, "attempt");
  if (cJSON_IsNumber(attempt)) {
    return attempt->valuedouble >= 1.0 && attempt->valuedouble < 1e9 ? (long)attempt->valuedouble : 1;
  }
  if (cJSON_IsString(attempt)) {
    return number_text(attempt->valuestring, 1);
  }
  return 1;
}

/**
 * v2: reads the next task of a commit body into id and incoming (its strings in core->next, its
 * payload re-serialised into core->payload_text). No body or no next (or a null one): nothing
 * waits. A body that is not a JSON object, or a next without a usable task_id, is malformed.
 */
static next_kind_t read_next(asyncrpc_core_t *core, const asyncrpc_message_t *message, asyncrpc_task_id_t *id,
                             incoming_t *incoming) {
  if (message->payload_len == 0) {
    return NEXT_NONE;
  }
  if (message->payload == NULL || message->payload_len > ASYNCRPC_MAX_PAYLOAD) {
    return NEXT_MALFORMED; /* a body too large to read (the ESP-IDF port passes only its length) */
  }
  next_kind_t kind = NEXT_MALFORMED;
  asyncrpc_json_arena_begin();
  const cJSON *body = cJSON_ParseWithLength((const char *)message->payload, message->payload_len);
  const cJSON *next = cJSON_IsObject(body) ? cJSON_GetObjectItemCaseSensitive(body, "next") : NULL;
  const cJSON *task_id = cJSON_IsObject(next) ? cJSON_GetObjectItemCaseSensitive(next, "task_id") : NULL;
  if (!cJSON_IsObject(body)) {
    kind = NEXT_MALFORMED;
  } else if (next == NULL || cJSON_IsNull(next)) {
    kind = NEXT_NONE;
  } else if (cJSON_IsObject(next) && cJSON_IsString(task_id) && task_id->valuestring != NULL &&
             asyncrpc_task_id_parse_text(task_id->valuestring, strlen(task_id->valuestring), id) &&
             !asyncrpc_task_id_is_zero(id)) {
    asyncrpc_next_fields_t *fields = &core->next;
    *incoming = (incoming_t){
        .method_code = next_string_cut(next, "method_code", fields->method_code, sizeof(fields->method_code)),
        .ext_id = next_string_cut(next, "ext_id", fields->ext_id, sizeof(fields->ext_id)),
        .deadline = next_string(next, "deadline", fields->deadline, sizeof(fields->deadline)),
        .lease_expires = next_string(next, "lease_expires", fields->lease_expires, sizeof(fields->lease_expires)),
        .attempt = next_attempt(next),
    };
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(next, "payload");
    if (payload == NULL) {
      incoming->payload_len = 0; /* run with a null payload, as an empty rsp */
    } else if (cJSON_PrintPreallocated((cJSON *)payload, core->payload_text, (int)sizeof(core->payload_text), 0)) {
      incoming->payload = (const uint8_t *)core->payload_text;
      incoming->payload_len = strlen(core->payload_text);
    } else {
      incoming->payload_len = ASYNCRPC_MAX_PAYLOAD + 1; /* answered 413, as a rsp too large */
    }
    kind = NEXT_TASK;
  }
  asyncrpc_json_arena_end();
  return kind;
}

/**
 * v2 commit (protocol=2): its next task runs as if it had arrived as a rsp, without a poll; no next
 * means nothing waits (the core pushes), so no poll either. An unreadable next is ignored and the
 * device polls, so a waiting task is not left to its lease by a commit it could not read.
 */
static void on_commit_v2(asyncrpc_core_t *core, const char *id_text, const asyncrpc_message_t *message) {
  asyncrpc_task_id_t next_id;
  incoming_t incoming = {0};
  switch (read_next(core, message, &next_id, &incoming)) {
    case NEXT_TASK: {
      char next_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
      asyncrpc_task_id_format(&next_id, next_text);
      core->stats.next_tasks++;
      logf_(core, ASYNCRPC_LOG_DEBUG, "next task %s came with the commit of %s", next_text, id_text);
      take_task(core, &next_id, next_text, &incoming);
      break;
    }
    case NEXT_NONE:
      logf_(core, ASYNCRPC_LOG_DEBUG, "nothing waits after %s; the core pushes the next task", id_text);
      break;
    case NEXT_MALFORMED:
      core->stats.malformed_next++;
      logf_(core, ASYNCRPC_LOG_WARN, "ignoring the unreadable next task in the commit of %s; polling", id_text);
      poll(core);
      break;
  }
}

static void on_commit(asyncrpc_core_t *core, const asyncrpc_task_id_t *id, const asyncrpc_message_t *message) {
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
  asyncrpc_task_id_format(id, id_text);
  int slot = find_slot(core, id);
  if (slot >= 0 && !core->journal[slot].committed) {
    char result_id[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
    const char *from_property = property(message, "result_id");
    if (from_property != NULL) {
      snprintf(result_id, sizeof(result_id), "%s", from_property);
    } else {
      payload_member(message, "result_id", result_id, sizeof(result_id));
    }
    set_committed(core, slot, 1);
    core->stats.commits++;
    logf_(core, ASYNCRPC_LOG_EVENT, "committed %s result_id=%s", id_text, result_id);
  } else {
    logf_(core, ASYNCRPC_LOG_DEBUG, "commit of task %s that is not pending", id_text);
  }
  if (is_v2(core) && declares_v2(property(message, "protocol"))) {
    on_commit_v2(core, id_text, message);
  } else {
    poll(core); /* v1: drain the FIFO */
  }
}

static void on_error(asyncrpc_core_t *core, bool has_id, const asyncrpc_task_id_t *id,
                     const asyncrpc_message_t *message) {
  core->stats.errors++;
  char code[48];
  char refused[ASYNCRPC_MAX_TOPIC + 8];
  const char *from_property = property(message, "error_code");
  if (from_property != NULL) {
    snprintf(code, sizeof(code), "%s", from_property);
  } else {
    payload_member(message, "code", code, sizeof(code));
  }
  if (code[0] == '\0') {
    snprintf(code, sizeof(code), "unknown");
  }
  payload_member(message, "topic", refused, sizeof(refused));
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1] = "-";
  if (has_id) {
    asyncrpc_task_id_format(id, id_text);
  }
  logf_(core, ASYNCRPC_LOG_EVENT, "error %s %s", id_text, code);
  if (!has_id) {
    return;
  }
  size_t refused_len = strlen(refused);
  bool about_result = refused_len == 0 || (refused_len >= 4 && strcmp(refused + refused_len - 4, "/res") == 0);
  bool retryable = strcmp(code, "task-locked") == 0;
  int slot = find_slot(core, id);
  if (about_result && !retryable && slot >= 0 && !core->journal[slot].committed) {
    /* The core will never take this result (finished, unknown, expired…): stop resending. */
    logf_(core, ASYNCRPC_LOG_WARN, "dropping the result of task %s: %s", id_text, code);
    set_committed(core, slot, 1);
    poll(core);
  }
}

/* ---- device events (dev/<SN>/evt, answered on srv/<SN>/eva) ------------------------------- */

static uint32_t event_attempts(const asyncrpc_core_t *core) { return core->config.event_attempts; }

static bool answered_type(uint64_t type_code, uint64_t dev_event_id) { return type_code != 0 && dev_event_id != 0; }

/** splitmix64: spreads the generator's state (not cryptographic; the correlation only has to differ). */
static uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

static bool event_correlation_in_use(const asyncrpc_core_t *core, const char *text, size_t len) {
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS; i++) {
    const asyncrpc_event_slot_t *e = &core->events[i];
    if (e->used && e->correlation_len == len && memcmp(e->correlation, text, len) == 0) {
      return true;
    }
  }
  return false;
}

/** A correlation of the core's own: the text of a version-4-shaped UUID, unlike any pending one. */
static void make_event_correlation(asyncrpc_core_t *core, const asyncrpc_event_t *event, char out[37]) {
  do {
    uint64_t state = core->event_random ^ now_ms(core) ^ mix64(event->dev_timestamp) ^
                     mix64(event->type_code << 1) ^ mix64(event->dev_event_id ^ core->next_event_sequence);
    uint64_t high = mix64(state);
    uint64_t low = mix64(high ^ 0x5851f42d4c957f2dull);
    core->event_random = low;
    asyncrpc_task_id_t id;
    for (int i = 0; i < 8; i++) {
      id.bytes[i] = (uint8_t)(high >> (56 - 8 * i));
      id.bytes[8 + i] = (uint8_t)(low >> (56 - 8 * i));
    }
    id.bytes[6] = (uint8_t)((id.bytes[6] & 0x0f) | 0x40); /* version 4 */
    id.bytes[8] = (uint8_t)((id.bytes[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    asyncrpc_task_id_format(&id, out);
  } while (event_correlation_in_use(core, out, ASYNCRPC_TASK_ID_TEXT_LEN));
}

/** Ends a pending event: frees its slot, then tells the application (which may send another). */
static void finish_event(asyncrpc_core_t *core, int slot, asyncrpc_event_outcome_t outcome, const char *error_code) {
  asyncrpc_event_slot_t *e = &core->events[slot];
  char correlation[ASYNCRPC_MAX_EVENT_CORRELATION + 1];
  memcpy(correlation, e->correlation, (size_t)e->correlation_len + 1);
  asyncrpc_event_report_t report = {
      .type_code = e->type_code,
      .dev_event_id = e->dev_event_id,
      .dev_timestamp = e->dev_timestamp,
      .correlation = correlation,
      .outcome = outcome,
      .error_code = outcome == ASYNCRPC_EVENT_REFUSED ? error_code : NULL,
      .sends = e->sends,
  };
  e->used = 0;
  const char *sends = report.sends == 1 ? "send" : "sends";
  switch (outcome) {
    case ASYNCRPC_EVENT_STORED:
      core->stats.events_stored++;
      logf_(core, ASYNCRPC_LOG_EVENT, "event %" PRIu64 "/%" PRIu64 " stored (%" PRIu32 " %s)", report.type_code,
            report.dev_event_id, report.sends, sends);
      break;
    case ASYNCRPC_EVENT_REFUSED:
      core->stats.events_refused++;
      logf_(core, ASYNCRPC_LOG_EVENT, "event %" PRIu64 "/%" PRIu64 " refused %s (%" PRIu32 " %s)", report.type_code,
            report.dev_event_id, error_code, report.sends, sends);
      break;
    case ASYNCRPC_EVENT_NO_ANSWER_EXPECTED:
      logf_(core, ASYNCRPC_LOG_EVENT, "event %" PRIu64 "/%" PRIu64 " sent, not answered by the core (type or id 0)",
            report.type_code, report.dev_event_id);
      break;
    case ASYNCRPC_EVENT_UNANSWERED:
      core->stats.events_unanswered++;
      logf_(core, ASYNCRPC_LOG_EVENT, "event %" PRIu64 "/%" PRIu64 " unanswered (%" PRIu32 " %s)", report.type_code,
            report.dev_event_id, report.sends, sends);
      break;
  }
  if (core->config.on_event != NULL) {
    core->config.on_event(&report, core->config.event_user);
  }
}

/**
 * Publishes a pending event (when connected) and schedules its resend. An event the core does not
 * answer (type 0 or id 0) is done once the MQTT client took it; if it did not, it is tried again.
 */
static void send_event(asyncrpc_core_t *core, int slot) {
  asyncrpc_event_slot_t *e = &core->events[slot];
  e->next_send_ms = now_ms(core) + core->config.result_retry_ms;
  if (!core->connected) {
    return;
  }
  char type[24];
  char id[24];
  char timestamp[24];
  snprintf(type, sizeof(type), "%" PRIu64, e->type_code);
  snprintf(id, sizeof(id), "%" PRIu64, e->dev_event_id);
  snprintf(timestamp, sizeof(timestamp), "%" PRIu64, e->dev_timestamp);
  /* In the order of golden message 18 and DeviceCodec.event; no protocol=2, in v2 neither. */
  const asyncrpc_property_t properties[3] = {
      {"event_type_code", type}, {"dev_event_id", id}, {"dev_timestamp", timestamp}};
  e->sends++;
  core->stats.events_sent++;
  if (e->sends == 1) {
    logf_(core, ASYNCRPC_LOG_EVENT, "event %s/%s sent correlation=%s", type, id, e->correlation);
  } else {
    core->stats.events_resent++;
    logf_(core, ASYNCRPC_LOG_EVENT, "event %s/%s resent (%" PRIu32 " sends)", type, id, e->sends);
  }
  int rc = publish_raw(core, "evt", e->correlation, e->correlation_len, properties, 3, e->payload, e->payload_len);
  if (rc == 0 && !answered_type(e->type_code, e->dev_event_id)) {
    finish_event(core, slot, ASYNCRPC_EVENT_NO_ANSWER_EXPECTED, NULL);
  }
}

/** Sends the events accepted while offline, oldest first (sent ones wait for their resend time). */
static void send_unsent_events(asyncrpc_core_t *core) {
  uint32_t sequences[ASYNCRPC_EVENT_SLOTS];
  uint8_t slots[ASYNCRPC_EVENT_SLOTS];
  size_t count = 0;
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS; i++) {
    const asyncrpc_event_slot_t *e = &core->events[i];
    if (e->used && e->sends == 0) {
      size_t at = count++;
      while (at > 0 && sequences[at - 1] > e->sequence) { /* insertion sort: a handful of slots */
        sequences[at] = sequences[at - 1];
        slots[at] = slots[at - 1];
        at--;
      }
      sequences[at] = e->sequence;
      slots[at] = (uint8_t)i;
    }
  }
  for (size_t k = 0; k < count && core->connected; k++) {
    const asyncrpc_event_slot_t *e = &core->events[slots[k]];
    if (e->used && e->sends == 0 && e->sequence == sequences[k]) { /* a callback may have changed the table */
      send_event(core, (int)slots[k]);
    }
  }
}

/** Resends due events, and gives up on those whose last send went unanswered. */
static void tick_events(asyncrpc_core_t *core, uint64_t now) {
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS && core->connected; i++) {
    asyncrpc_event_slot_t *e = &core->events[i];
    if (!e->used || (e->sends > 0 && e->next_send_ms > now)) {
      continue;
    }
    if (e->sends >= event_attempts(core)) {
      logf_(core, ASYNCRPC_LOG_WARN, "no answer to event %" PRIu64 "/%" PRIu64 " after %" PRIu32 " sends, giving up",
            e->type_code, e->dev_event_id, e->sends);
      finish_event(core, (int)i, ASYNCRPC_EVENT_UNANSWERED, NULL);
    } else {
      send_event(core, (int)i);
    }
  }
}

static bool java_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/**
 * event_type_code / dev_event_id of an answer, read as the Java codec reads them (DeviceEvent.parse:
 * at most 19 chars, stripped, Long.parseLong, not negative); false when absent or malformed.
 */
static bool event_number(const char *text, uint64_t *out) {
  if (text == NULL) {
    return false;
  }
  size_t len = strlen(text);
  if (len == 0 || len > 19) {
    return false;
  }
  const char *p = text;
  const char *end = text + len;
  while (p < end && java_space(*p)) {
    p++;
  }
  while (end > p && java_space(end[-1])) {
    end--;
  }
  bool negative = false;
  if (p < end && (*p == '+' || *p == '-')) {
    negative = *p == '-';
    p++;
  }
  if (p == end) {
    return false;
  }
  uint64_t value = 0;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9') {
      return false;
    }
    value = value * 10u + (uint64_t)(*p - '0'); /* at most 19 digits: below 2^64 */
  }
  if (value > (uint64_t)INT64_MAX || (negative && value != 0)) {
    return false;
  }
  *out = value;
  return true;
}

/**
 * The pending event an answer is for: the one with its correlation data (and then its type and id
 * too); without correlation data, the oldest sent one of that type and id. -1 for none.
 */
static int match_event(const asyncrpc_core_t *core, const asyncrpc_message_t *message, uint64_t type_code,
                       uint64_t dev_event_id) {
  bool by_correlation = message->correlation_data != NULL && message->correlation_len > 0;
  int best = -1;
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS; i++) {
    const asyncrpc_event_slot_t *e = &core->events[i];
    if (!e->used || e->sends == 0) {
      continue;
    }
    if (by_correlation) {
      if (e->correlation_len == message->correlation_len &&
          memcmp(e->correlation, message->correlation_data, e->correlation_len) == 0) {
        return e->type_code == type_code && e->dev_event_id == dev_event_id ? (int)i : -1;
      }
    } else if (e->type_code == type_code && e->dev_event_id == dev_event_id &&
               (best < 0 || e->sequence < core->events[best].sequence)) {
      best = (int)i;
    }
  }
  return best;
}

/** srv/<SN>/eva: {"status":"success"} or {"status":"error","code":"…"} for a pending event. */
static void on_event_answer(asyncrpc_core_t *core, const asyncrpc_message_t *message) {
  uint64_t type_code = 0;
  uint64_t dev_event_id = 0;
  bool readable = event_number(property(message, "event_type_code"), &type_code) &&
                  event_number(property(message, "dev_event_id"), &dev_event_id);
  bool success = false;
  char code[EVENT_CODE] = "";
  if (readable) {
    readable = false;
    if (message->payload != NULL && message->payload_len > 0 && message->payload_len <= ASYNCRPC_MAX_PAYLOAD) {
      asyncrpc_json_arena_begin();
      const cJSON *body = parse_exact((const char *)message->payload, message->payload_len);
      const cJSON *status = cJSON_IsObject(body) ? cJSON_GetObjectItemCaseSensitive(body, "status") : NULL;
      if (cJSON_IsString(status) && status->valuestring != NULL) {
        readable = true;
        success = strcmp(status->valuestring, "success") == 0;
        const cJSON *member = cJSON_GetObjectItemCaseSensitive(body, "code");
        if (cJSON_IsString(member) && member->valuestring != NULL) {
          snprintf(code, sizeof(code), "%s", member->valuestring);
        }
      }
      asyncrpc_json_arena_end();
    }
  }
  if (!readable) {
    core->stats.event_answers_malformed++;
    logf_(core, ASYNCRPC_LOG_WARN, "ignoring malformed event answer on %s", message->topic);
    return;
  }
  int slot = match_event(core, message, type_code, dev_event_id);
  if (slot < 0) {
    core->stats.event_answers_unmatched++;
    logf_(core, ASYNCRPC_LOG_DEBUG, "answer to event %" PRIu64 "/%" PRIu64 " that is not waiting", type_code,
          dev_event_id);
    return;
  }
  if (code[0] == '\0') {
    snprintf(code, sizeof(code), "unknown");
  }
  finish_event(core, slot, success ? ASYNCRPC_EVENT_STORED : ASYNCRPC_EVENT_REFUSED, code);
}

int asyncrpc_core_send_event(asyncrpc_core_t *core, const asyncrpc_event_t *event) {
  if (core == NULL || core->port.now_ms == NULL /* not initialised */ || event == NULL ||
      event->type_code > (uint64_t)INT64_MAX ||
      event->dev_event_id > (uint64_t)INT64_MAX || event->dev_timestamp > MAX_EVENT_TIMESTAMP ||
      (event->payload == NULL && event->payload_len > 0)) {
    return ASYNCRPC_EVENT_ERR_INVALID;
  }
  size_t correlation_len = event->correlation == NULL ? 0 : strlen(event->correlation);
  if (correlation_len > ASYNCRPC_MAX_EVENT_CORRELATION ||
      (correlation_len > 0 && event_correlation_in_use(core, event->correlation, correlation_len))) {
    return ASYNCRPC_EVENT_ERR_INVALID;
  }
  size_t payload_len = event->payload == NULL  ? 0
                       : event->payload_len > 0 ? event->payload_len
                                                : strlen(event->payload);
  if (payload_len > ASYNCRPC_MAX_EVENT_PAYLOAD) {
    return ASYNCRPC_EVENT_ERR_TOO_LARGE;
  }
  int slot = -1;
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS && slot < 0; i++) {
    if (!core->events[i].used) {
      slot = (int)i;
    }
  }
  if (slot < 0) {
    logf_(core, ASYNCRPC_LOG_WARN, "event %" PRIu64 "/%" PRIu64 " refused: %d events are waiting already",
          event->type_code, event->dev_event_id, ASYNCRPC_EVENT_SLOTS);
    return ASYNCRPC_EVENT_ERR_FULL;
  }
  if (payload_len > 0) {
    /* One JSON document, as the core stores it. A payload too complex for the arena to tell is sent
     * as it is: the core answers invalid-event if it is not JSON. Nested inside a handler's scope. */
    asyncrpc_json_arena_mark_t mark = asyncrpc_json_arena_enter();
    bool json = parse_exact(event->payload, payload_len) != NULL || asyncrpc_json_arena_exhausted();
    asyncrpc_json_arena_leave(mark);
    if (!json) {
      return ASYNCRPC_EVENT_ERR_NOT_JSON;
    }
  }
  asyncrpc_event_slot_t *e = &core->events[slot];
  e->type_code = event->type_code;
  e->dev_event_id = event->dev_event_id;
  e->dev_timestamp = event->dev_timestamp;
  e->sends = 0;
  e->next_send_ms = 0;
  e->sequence = core->next_event_sequence++;
  if (correlation_len > 0) {
    memcpy(e->correlation, event->correlation, correlation_len + 1);
  } else {
    make_event_correlation(core, event, e->correlation);
    correlation_len = ASYNCRPC_TASK_ID_TEXT_LEN;
  }
  e->correlation_len = (uint16_t)correlation_len;
  e->payload_len = (uint16_t)payload_len;
  if (payload_len > 0) {
    memcpy(e->payload, event->payload, payload_len);
  }
  e->used = 1;
  if (core->connected) {
    send_event(core, slot);
  } else {
    logf_(core, ASYNCRPC_LOG_INFO, "event %" PRIu64 "/%" PRIu64 " waits for the connection", e->type_code,
          e->dev_event_id);
  }
  return ASYNCRPC_EVENT_OK;
}

int asyncrpc_core_publish_event(asyncrpc_core_t *core, uint64_t type_code, uint64_t dev_event_id,
                                uint64_t dev_timestamp_epoch_s, const char *payload_json) {
  asyncrpc_event_t event = {.type_code = type_code,
                            .dev_event_id = dev_event_id,
                            .dev_timestamp = dev_timestamp_epoch_s,
                            .payload = payload_json};
  return asyncrpc_core_send_event(core, &event);
}

size_t asyncrpc_core_events_pending(const asyncrpc_core_t *core) {
  size_t count = 0;
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS; i++) {
    count += core->events[i].used ? 1u : 0u;
  }
  return count;
}

const char *asyncrpc_event_error_code(int error) {
  switch (error) {
    case ASYNCRPC_EVENT_OK: return "ok";
    case ASYNCRPC_EVENT_ERR_TOO_LARGE: return "payload-too-large";
    case ASYNCRPC_EVENT_ERR_FULL: return "event-table-full";
    case ASYNCRPC_EVENT_ERR_NOT_JSON: return "payload-not-json";
    case ASYNCRPC_EVENT_ERR_INVALID: return "invalid-event";
    default: return "unknown";
  }
}

const char *asyncrpc_event_outcome_name(asyncrpc_event_outcome_t outcome) {
  switch (outcome) {
    case ASYNCRPC_EVENT_STORED: return "stored";
    case ASYNCRPC_EVENT_REFUSED: return "refused";
    case ASYNCRPC_EVENT_NO_ANSWER_EXPECTED: return "no-answer-expected";
    case ASYNCRPC_EVENT_UNANSWERED: return "unanswered";
  }
  return "unknown";
}

/* ---- public API ---------------------------------------------------------------------------- */

/* ---- progress (docs/protocol.md, "Progress") ---------------------------------------------- */

int asyncrpc_core_report_progress(asyncrpc_core_t *core, const asyncrpc_task_t *task, int percent,
                                  const char *message, const char *details_json) {
  if (task == NULL || core->running != task) {
    return ASYNCRPC_PROGRESS_ERR_NOT_RUNNING;
  }
  if (percent > 100) {
    return ASYNCRPC_PROGRESS_ERR_INVALID;
  }
  if (details_json != NULL) {
    /* Nested in the handler's arena scope: the task's parsed payload stays valid. */
    asyncrpc_json_arena_mark_t mark = asyncrpc_json_arena_enter();
    cJSON *details = parse_exact(details_json, strlen(details_json));
    bool object = details != NULL && cJSON_IsObject(details);
    asyncrpc_json_arena_leave(mark);
    if (!object) {
      return ASYNCRPC_PROGRESS_ERR_INVALID;
    }
  }
  asyncrpc_writer_t out = {.buf = core->progress_buf, .cap = sizeof(core->progress_buf)};
  const char *separator = "";
  asyncrpc_writer_append(&out, "{", 1);
  if (percent >= 0) {
    asyncrpc_writer_printf(&out, "\"percent\":%d", percent);
    separator = ",";
  }
  if (message != NULL) {
    asyncrpc_writer_printf(&out, "%s\"message\":", separator);
    asyncrpc_writer_json_string(&out, message);
    separator = ",";
  }
  if (details_json != NULL) {
    asyncrpc_writer_printf(&out, "%s\"details\":", separator);
    asyncrpc_writer_append(&out, details_json, strlen(details_json));
  }
  asyncrpc_writer_append(&out, "}", 1);
  if (out.overflow) {
    return ASYNCRPC_PROGRESS_ERR_TOO_LARGE;
  }
  if (!core->connected) {
    return ASYNCRPC_PROGRESS_ERR_OFFLINE;
  }
  if (publish_raw(core, "prg", task->id_text, ASYNCRPC_TASK_ID_TEXT_LEN, NULL, 0, out.buf, out.len) != 0) {
    return ASYNCRPC_PROGRESS_ERR_OFFLINE;
  }
  core->stats.progress_sent++;
  logf_(core, ASYNCRPC_LOG_DEBUG, "progress %s %.*s", task->id_text, (int)(out.len < PREVIEW ? out.len : PREVIEW),
        out.buf);
  return ASYNCRPC_PROGRESS_OK;
}

const char *asyncrpc_progress_error_code(int error) {
  switch (error) {
    case ASYNCRPC_PROGRESS_OK:
      return "ok";
    case ASYNCRPC_PROGRESS_ERR_INVALID:
      return "invalid-progress";
    case ASYNCRPC_PROGRESS_ERR_TOO_LARGE:
      return "payload-too-large";
    case ASYNCRPC_PROGRESS_ERR_NOT_RUNNING:
      return "not-running";
    case ASYNCRPC_PROGRESS_ERR_OFFLINE:
      return "offline";
    default:
      return "unknown";
  }
}

/* ---- cancel (v2, docs/protocol.md "Cancel (v2)") ----------------------------------------------- */

/**
 * srv/<SN>/cnl: answers dev/<SN>/cna with cancel_outcome (golden 24, 25). A task in the journal
 * had finished; any other is stopped if the application's hook says it stopped its work, else
 * unknown. Handlers run on this thread, so none runs now: there is no handler to interrupt.
 */
static void on_cancel(asyncrpc_core_t *core, const asyncrpc_task_id_t *id) {
  if (!is_v2(core)) {
    core->stats.ignored++;
    logf_(core, ASYNCRPC_LOG_DEBUG, "v1 device ignoring a cancel");
    return;
  }
  bool finished = find_slot(core, id) >= 0;
  bool stopped = false;
  if (core->config.on_cancel != NULL) {
    stopped = core->config.on_cancel(id, finished, core->config.cancel_user) && !finished;
  }
  const char *outcome = finished ? "finished" : stopped ? "stopped" : "unknown";
  const asyncrpc_property_t properties[2] = {{"cancel_outcome", outcome}, DECLARE_V2};
  char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
  asyncrpc_task_id_format(id, id_text);
  logf_(core, ASYNCRPC_LOG_EVENT, "cancelled %s outcome=%s", id_text, outcome);
  core->stats.cancels++;
  publish(core, "cna", id, properties, 2, NULL, 0);
}

void asyncrpc_core_set_cancel_hook(asyncrpc_core_t *core, asyncrpc_cancel_fn hook, void *user) {
  core->config.on_cancel = hook;
  core->config.cancel_user = user;
}

int asyncrpc_core_init(asyncrpc_core_t *core, const asyncrpc_config_t *config, const asyncrpc_port_t *port) {
  if (config == NULL || port == NULL || port->publish == NULL || port->subscribe == NULL || port->now_ms == NULL ||
      port->journal_read == NULL || port->journal_write == NULL || !asyncrpc_device_id_valid(config->device_id) ||
      config->protocol_version > ASYNCRPC_PROTOCOL_V2) {
    return -1;
  }
  memset(core, 0, sizeof(*core));
  core->port = *port;
  core->config = *config;
  if (core->config.poll_interval_ms == 0) {
    core->config.poll_interval_ms = DEFAULT_POLL_INTERVAL_MS;
  }
  if (core->config.result_retry_ms == 0) {
    core->config.result_retry_ms = DEFAULT_RESULT_RETRY_MS;
  }
  if (core->config.protocol_version == 0) {
    core->config.protocol_version = ASYNCRPC_PROTOCOL_V1;
  }
  if (core->config.event_attempts == 0) {
    core->config.event_attempts = DEFAULT_EVENT_ATTEMPTS;
  }
  snprintf(core->device_id, sizeof(core->device_id), "%s", config->device_id);
  core->config.device_id = core->device_id;
  snprintf(core->topic_filter, sizeof(core->topic_filter), "srv/%s/+", core->device_id);
  core->scratch_slot = -1;
  asyncrpc_json_arena_install();
  uint64_t seed = config->event_seed ^ port->now_ms(port->ctx);
  for (const char *c = core->device_id; *c != '\0'; c++) {
    seed = mix64(seed ^ (uint8_t)*c);
  }
  core->event_random = mix64(seed);

  size_t loaded = 0;
  for (size_t i = 0; i < ASYNCRPC_JOURNAL_CAPACITY; i++) {
    if (port->journal_read(port->ctx, i, &core->scratch) != 0 || !entry_valid(&core->scratch)) {
      continue;
    }
    core->journal[i] = (asyncrpc_journal_slot_t){.task_id = core->scratch.task_id,
                                                 .sequence = core->scratch.sequence,
                                                 .used = 1,
                                                 .committed = core->scratch.committed ? 1 : 0};
    if (core->scratch.sequence >= core->next_sequence) {
      core->next_sequence = core->scratch.sequence + 1;
    }
    loaded++;
  }
  logf_(core, ASYNCRPC_LOG_INFO, "device %s (protocol v%u): %zu journal entries loaded", core->device_id,
        (unsigned)core->config.protocol_version, loaded);
  return 0;
}

void asyncrpc_core_on_connected(asyncrpc_core_t *core) {
  core->connected = true;
  if (core->port.subscribe(core->port.ctx, core->topic_filter) != 0) {
    logf_(core, ASYNCRPC_LOG_ERROR, "subscribe to %s failed", core->topic_filter);
  }
  logf_(core, ASYNCRPC_LOG_EVENT, "connected");
  /* Results the core has not committed (a lost cmt, or left over from before a reboot). */
  for (size_t i = 0; i < ASYNCRPC_JOURNAL_CAPACITY; i++) {
    if (core->journal[i].used && !core->journal[i].committed) {
      send_result(core, (int)i);
    }
  }
  send_unsent_events(core);
  poll(core);
}

void asyncrpc_core_on_disconnected(asyncrpc_core_t *core) {
  if (core->connected) {
    logf_(core, ASYNCRPC_LOG_EVENT, "disconnected");
  }
  core->connected = false;
}

void asyncrpc_core_on_message(asyncrpc_core_t *core, const asyncrpc_message_t *message) {
  core->stats.messages++;
  kind_t kind = message == NULL ? KIND_NONE : topic_kind(core, message->topic);
  if (kind == KIND_NONE) {
    core->stats.ignored++;
    logf_(core, ASYNCRPC_LOG_DEBUG, "ignoring message on %.100s",
          message == NULL || message->topic == NULL ? "(none)" : message->topic);
    return;
  }
  if (kind == KIND_EVENT_ANSWER) { /* its correlation data is the event's, not a task id */
    on_event_answer(core, message);
    return;
  }
  asyncrpc_task_id_t id;
  bool has_id = message_task_id(message, &id);
  if (!has_id && kind != KIND_ERROR) {
    core->stats.malformed++;
    logf_(core, ASYNCRPC_LOG_WARN, "ignoring message on %s: malformed or missing correlation data",
          message->topic);
    return;
  }
  switch (kind) {
    case KIND_TRIGGER:
      on_trigger(core, &id, message);
      break;
    case KIND_RESPONSE:
      on_response(core, &id, message);
      break;
    case KIND_COMMIT:
      on_commit(core, &id, message);
      break;
    case KIND_ERROR:
      on_error(core, has_id, &id, message);
      break;
    case KIND_CANCEL:
      on_cancel(core, &id);
      break;
    case KIND_EVENT_ANSWER:
    case KIND_NONE:
      break;
  }
}

void asyncrpc_core_tick(asyncrpc_core_t *core) {
  if (!core->connected) {
    return;
  }
  uint64_t now = now_ms(core);
  for (size_t i = 0; i < ASYNCRPC_JOURNAL_CAPACITY; i++) {
    asyncrpc_journal_slot_t *s = &core->journal[i];
    if (s->used && !s->committed && s->next_retry_ms <= now) {
      char id_text[ASYNCRPC_TASK_ID_TEXT_LEN + 1];
      asyncrpc_task_id_format(&s->task_id, id_text);
      core->stats.results_resent++;
      logf_(core, ASYNCRPC_LOG_EVENT, "resent %s", id_text);
      send_result(core, (int)i);
    }
  }
  tick_events(core, now);
  if (now - core->last_poll_ms >= core->config.poll_interval_ms) {
    poll(core);
  }
}

uint32_t asyncrpc_core_next_timeout_ms(const asyncrpc_core_t *core) {
  if (!core->connected) {
    /* Nothing is due offline: tick() does nothing and on_connected() polls and resends. Returning 0
     * for an overdue poll made both ports' loops spin without blocking while the broker was away
     * (found running the ESP-IDF port on ESP-IDF's linux target). */
    return core->config.poll_interval_ms;
  }
  uint64_t now = core->port.now_ms(core->port.ctx);
  uint64_t next = core->last_poll_ms + core->config.poll_interval_ms;
  for (size_t i = 0; i < ASYNCRPC_JOURNAL_CAPACITY; i++) {
    const asyncrpc_journal_slot_t *s = &core->journal[i];
    if (s->used && !s->committed && s->next_retry_ms < next) {
      next = s->next_retry_ms;
    }
  }
  for (size_t i = 0; i < ASYNCRPC_EVENT_SLOTS; i++) {
    const asyncrpc_event_slot_t *e = &core->events[i];
    if (e->used && e->next_send_ms < next) {
      next = e->next_send_ms; /* an unsent one (0) is due now */
    }
  }
  return next <= now ? 0u : (uint32_t)(next - now);
}
