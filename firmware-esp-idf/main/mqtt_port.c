#include "mqtt_port.h"

#include <stdlib.h>
#include <string.h>

#include "asyncrpc/core.h"
#include "asyncrpc/demo_handlers.h"
#include "esp_log.h"
#include "esp_random.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/ringbuf.h"
#include "freertos/task.h"
#include "mqtt_client.h"
#include "nvs_journal.h"

static const char *TAG = "asyncrpc";

#define MAX_PROPERTIES 8
/* A record holds an inbound message or an outbound device event (RECORD_EVENT). */
#define RECORD_ROOM \
  ((ASYNCRPC_MAX_PAYLOAD > ASYNCRPC_MAX_EVENT_PAYLOAD ? ASYNCRPC_MAX_PAYLOAD : ASYNCRPC_MAX_EVENT_PAYLOAD) + 1024)
#define TICK_MS 100u

typedef enum { RECORD_CONNECTED, RECORD_DISCONNECTED, RECORD_MESSAGE, RECORD_EVENT } record_kind_t;

/* One inbound event in the ring buffer: this header, then topic, correlation data,
 * key\0value\0 pairs and the payload. */
typedef struct {
  uint8_t kind;
  uint8_t property_count;
  uint8_t truncated; /* payload larger than the core takes: only its length is passed on */
  uint8_t reserved;
  uint16_t topic_len;
  uint16_t correlation_len;
  uint32_t properties_len;
  uint32_t payload_len;
} record_t;

/* RECORD_EVENT: the header (payload_len only), this, then the payload. */
typedef struct {
  uint64_t type_code;
  uint64_t dev_event_id;
  uint64_t dev_timestamp;
} event_record_t;

static esp_mqtt_client_handle_t client;
static RingbufHandle_t inbox;
static asyncrpc_core_t core;
static uint8_t assembly[sizeof(record_t) + RECORD_ROOM]; /* used by the MQTT task only */
static size_t assembly_len;
/* Events queued for the protocol task or pending in the core; at most ASYNCRPC_EVENT_SLOTS, so the
 * core never refuses one for a full table and the caller learns it at once. */
static uint32_t events_in_flight;
static portMUX_TYPE events_lock = portMUX_INITIALIZER_UNLOCKED;
static asyncrpc_event_fn event_callback;
static void *event_callback_user;

/* ---- port ---------------------------------------------------------------------------------- */

static int port_publish(void *ctx, const asyncrpc_message_t *message) {
  (void)ctx;
  esp_mqtt5_publish_property_config_t properties = {
      .correlation_data = (const char *)message->correlation_data,
      .correlation_data_len = (uint16_t)message->correlation_len,
  };
  esp_mqtt5_user_property_item_t items[MAX_PROPERTIES];
  size_t count = message->property_count < MAX_PROPERTIES ? message->property_count : MAX_PROPERTIES;
  for (size_t i = 0; i < count; i++) {
    items[i].key = message->properties[i].key;
    items[i].value = message->properties[i].value;
  }
  if (count > 0 && esp_mqtt5_client_set_user_property(&properties.user_property, items, (uint8_t)count) != ESP_OK) {
    return -1;
  }
  /* One-shot: applies to the next publish only; only this task publishes, so they pair up. */
  esp_mqtt5_client_set_publish_property(client, &properties);
  int id = esp_mqtt_client_publish(client, message->topic, (const char *)message->payload, (int)message->payload_len,
                                   1, 0);
  if (properties.user_property != NULL) {
    esp_mqtt5_client_delete_user_property(properties.user_property);
  }
  return id < 0 ? -1 : 0;
}

static int port_subscribe(void *ctx, const char *filter) {
  (void)ctx;
  return esp_mqtt_client_subscribe_single(client, filter, 1) < 0 ? -1 : 0;
}

static uint64_t port_now_ms(void *ctx) {
  (void)ctx;
  return (uint64_t)(esp_timer_get_time() / 1000);
}

static int port_journal_read(void *ctx, size_t slot, asyncrpc_journal_entry_t *entry) {
  (void)ctx;
  return nvs_journal_read(slot, entry);
}

static int port_journal_write(void *ctx, size_t slot, const asyncrpc_journal_entry_t *entry) {
  (void)ctx;
  return nvs_journal_write(slot, entry);
}

static void port_log(void *ctx, asyncrpc_log_level_t level, const char *line) {
  (void)ctx;
  switch (level) {
    case ASYNCRPC_LOG_ERROR: ESP_LOGE(TAG, "%s", line); break;
    case ASYNCRPC_LOG_WARN: ESP_LOGW(TAG, "%s", line); break;
    case ASYNCRPC_LOG_DEBUG: ESP_LOGD(TAG, "%s", line); break;
    default: ESP_LOGI(TAG, "%s", line); break;
  }
}

static void sleep_ms(uint32_t ms) { vTaskDelay(pdMS_TO_TICKS(ms)); }

/* ---- device events ------------------------------------------------------------------------------ */

void mqtt_port_on_event(asyncrpc_event_fn callback, void *user) {
  event_callback = callback;
  event_callback_user = user;
}

static bool take_event_place(void) {
  taskENTER_CRITICAL(&events_lock);
  bool free_place = events_in_flight < ASYNCRPC_EVENT_SLOTS;
  if (free_place) {
    events_in_flight++;
  }
  taskEXIT_CRITICAL(&events_lock);
  return free_place;
}

static void release_event_place(void) {
  taskENTER_CRITICAL(&events_lock);
  if (events_in_flight > 0) {
    events_in_flight--;
  }
  taskEXIT_CRITICAL(&events_lock);
}

/** The core's outcome of an event (protocol task): frees its place, then tells the application. */
static void on_event_outcome(const asyncrpc_event_report_t *report, void *user) {
  (void)user;
  release_event_place();
  if (event_callback != NULL) {
    event_callback(report, event_callback_user);
  }
}

esp_err_t mqtt_port_publish_event(uint64_t type_code, uint64_t dev_event_id, uint64_t dev_timestamp,
                                  const char *payload_json) {
  size_t payload_len = payload_json == NULL ? 0 : strlen(payload_json);
  if (inbox == NULL) {
    return ESP_ERR_INVALID_STATE;
  }
  if (payload_len > ASYNCRPC_MAX_EVENT_PAYLOAD) {
    return ESP_ERR_INVALID_SIZE;
  }
  if (type_code > (uint64_t)INT64_MAX || dev_event_id > (uint64_t)INT64_MAX || dev_timestamp > 253402300798ull) {
    return ESP_ERR_INVALID_ARG;
  }
  if (!take_event_place()) {
    return ESP_ERR_NO_MEM;
  }
  void *item = NULL;
  size_t size = sizeof(record_t) + sizeof(event_record_t) + payload_len;
  if (xRingbufferSendAcquire(inbox, &item, size, pdMS_TO_TICKS(1000)) != pdTRUE) {
    release_event_place();
    return ESP_ERR_TIMEOUT;
  }
  record_t record = {.kind = RECORD_EVENT, .payload_len = (uint32_t)payload_len};
  event_record_t event = {.type_code = type_code, .dev_event_id = dev_event_id, .dev_timestamp = dev_timestamp};
  memcpy(item, &record, sizeof(record));
  memcpy((uint8_t *)item + sizeof(record), &event, sizeof(event));
  if (payload_len > 0) {
    memcpy((uint8_t *)item + sizeof(record) + sizeof(event), payload_json, payload_len);
  }
  xRingbufferSendComplete(inbox, item);
  return ESP_OK;
}

/** A queued event reaches the core (protocol task); a refusal there is reported like an outcome. */
static void deliver_event(const uint8_t *item, const record_t *record) {
  event_record_t fields;
  memcpy(&fields, item + sizeof(*record), sizeof(fields));
  asyncrpc_event_t event = {
      .type_code = fields.type_code,
      .dev_event_id = fields.dev_event_id,
      .dev_timestamp = fields.dev_timestamp,
      .payload = record->payload_len == 0 ? NULL : (const char *)item + sizeof(*record) + sizeof(fields),
      .payload_len = record->payload_len,
  };
  int rc = asyncrpc_core_send_event(&core, &event);
  if (rc == ASYNCRPC_EVENT_OK) {
    return;
  }
  ESP_LOGW(TAG, "event %llu/%llu refused: %s", (unsigned long long)event.type_code,
           (unsigned long long)event.dev_event_id, asyncrpc_event_error_code(rc));
  asyncrpc_event_report_t report = {.type_code = event.type_code,
                                    .dev_event_id = event.dev_event_id,
                                    .dev_timestamp = event.dev_timestamp,
                                    .correlation = "",
                                    .outcome = ASYNCRPC_EVENT_REFUSED,
                                    .error_code = asyncrpc_event_error_code(rc),
                                    .sends = 0};
  on_event_outcome(&report, NULL);
}

/* ---- MQTT task: copy events into the ring buffer ------------------------------------------ */

static void push_event(record_kind_t kind) {
  record_t record = {.kind = (uint8_t)kind};
  if (xRingbufferSend(inbox, &record, sizeof(record), pdMS_TO_TICKS(1000)) != pdTRUE) {
    ESP_LOGW(TAG, "inbox full, event %d dropped", kind);
  }
}

static void append(const void *data, size_t len) {
  if (assembly_len + len <= sizeof(assembly)) {
    memcpy(assembly + assembly_len, data, len);
  }
  assembly_len += len; /* an overflow is detected when the record is finished */
}

/** First chunk of a message: header, topic, correlation data and user properties. */
static void begin_message(esp_mqtt_event_handle_t event) {
  record_t record = {.kind = RECORD_MESSAGE};
  assembly_len = sizeof(record);
  record.topic_len = (uint16_t)event->topic_len;
  append(event->topic, (size_t)event->topic_len);
  esp_mqtt5_event_property_t *property = event->property;
  if (property != NULL && property->correlation_data != NULL) {
    record.correlation_len = property->correlation_data_len;
    append(property->correlation_data, property->correlation_data_len);
  }
  if (property != NULL && property->user_property != NULL) {
    uint8_t count = esp_mqtt5_client_get_user_property_count(property->user_property);
    if (count > MAX_PROPERTIES) {
      count = MAX_PROPERTIES;
    }
    esp_mqtt5_user_property_item_t items[MAX_PROPERTIES];
    /* esp-mqtt copies each key and value on the heap; they are freed right here. */
    if (count > 0 && esp_mqtt5_client_get_user_property(property->user_property, items, &count) == ESP_OK) {
      size_t start = assembly_len;
      for (uint8_t i = 0; i < count; i++) {
        append(items[i].key, strlen(items[i].key) + 1);
        append(items[i].value, strlen(items[i].value) + 1);
        free((char *)items[i].key);
        free((char *)items[i].value);
      }
      record.property_count = count;
      record.properties_len = (uint32_t)(assembly_len - start);
    }
  }
  record.payload_len = (uint32_t)event->total_data_len;
  record.truncated = event->total_data_len > ASYNCRPC_MAX_PAYLOAD;
  memcpy(assembly, &record, sizeof(record));
}

static void on_data(esp_mqtt_event_handle_t event) {
  if (event->current_data_offset == 0) {
    begin_message(event);
  }
  record_t record;
  memcpy(&record, assembly, sizeof(record));
  if (!record.truncated) {
    append(event->data, (size_t)event->data_len);
  }
  if (event->current_data_offset + event->data_len < event->total_data_len) {
    return; /* more chunks follow */
  }
  if (assembly_len > sizeof(assembly)) {
    ESP_LOGW(TAG, "message with oversized headers dropped");
    return;
  }
  if (xRingbufferSend(inbox, assembly, assembly_len, pdMS_TO_TICKS(1000)) != pdTRUE) {
    ESP_LOGW(TAG, "inbox full, message dropped (QoS 1 re-delivery and polls recover it)");
  }
}

static void on_mqtt_event(void *arg, esp_event_base_t base, int32_t id, void *data) {
  (void)arg;
  (void)base;
  esp_mqtt_event_handle_t event = data;
  switch ((esp_mqtt_event_id_t)id) {
    case MQTT_EVENT_CONNECTED: push_event(RECORD_CONNECTED); break;
    case MQTT_EVENT_DISCONNECTED: push_event(RECORD_DISCONNECTED); break;
    case MQTT_EVENT_DATA: on_data(event); break;
    case MQTT_EVENT_ERROR:
      if (event->error_handle != NULL && event->error_handle->error_type == MQTT_ERROR_TYPE_TCP_TRANSPORT) {
        ESP_LOGW(TAG, "transport error 0x%x, tls 0x%x", (int)event->error_handle->esp_tls_last_esp_err,
                 event->error_handle->esp_tls_stack_err);
      }
      break;
    default: break;
  }
}

/* ---- protocol task: the core ---------------------------------------------------------------- */

static void deliver(const uint8_t *item) {
  record_t record;
  memcpy(&record, item, sizeof(record));
  if (record.kind == RECORD_CONNECTED) {
    asyncrpc_core_on_connected(&core);
    return;
  }
  if (record.kind == RECORD_DISCONNECTED) {
    asyncrpc_core_on_disconnected(&core);
    return;
  }
  if (record.kind == RECORD_EVENT) {
    deliver_event(item, &record);
    return;
  }
  static char topic[ASYNCRPC_MAX_TOPIC + 16];
  const uint8_t *cursor = item + sizeof(record);
  size_t topic_len = record.topic_len < sizeof(topic) - 1 ? record.topic_len : sizeof(topic) - 1;
  memcpy(topic, cursor, topic_len);
  topic[topic_len] = '\0';
  cursor += record.topic_len;
  const uint8_t *correlation = record.correlation_len > 0 ? cursor : NULL;
  cursor += record.correlation_len;
  asyncrpc_property_t properties[MAX_PROPERTIES];
  const char *text = (const char *)cursor;
  for (uint8_t i = 0; i < record.property_count; i++) {
    properties[i].key = text;
    text += strlen(text) + 1;
    properties[i].value = text;
    text += strlen(text) + 1;
  }
  cursor += record.properties_len;
  asyncrpc_message_t message = {
      .topic = topic,
      .correlation_data = correlation,
      .correlation_len = record.correlation_len,
      .properties = properties,
      .property_count = record.property_count,
      .payload = record.truncated ? NULL : cursor,
      .payload_len = record.payload_len,
  };
  asyncrpc_core_on_message(&core, &message);
}

static void protocol_task(void *arg) {
  (void)arg;
  for (;;) {
    uint32_t wait = asyncrpc_core_next_timeout_ms(&core);
    size_t size = 0;
    uint8_t *item = xRingbufferReceive(inbox, &size, pdMS_TO_TICKS(wait > TICK_MS ? TICK_MS : wait));
    if (item != NULL) {
      deliver(item);
      vRingbufferReturnItem(inbox, item);
    }
    asyncrpc_core_tick(&core);
  }
}

esp_err_t mqtt_port_start(const device_identity_t *identity, const broker_t *broker) {
  ESP_ERROR_CHECK(nvs_journal_open());
  inbox = xRingbufferCreate(2 * (sizeof(record_t) + RECORD_ROOM) + 256, RINGBUF_TYPE_NOSPLIT);
  if (inbox == NULL) {
    return ESP_ERR_NO_MEM;
  }

  size_t handler_count;
  const asyncrpc_handler_t *handlers = asyncrpc_demo_handlers(sleep_ms, &handler_count);
  asyncrpc_config_t config = {
      .device_id = identity->device_id,
      .handlers = handlers,
      .handler_count = handler_count,
      .poll_interval_ms = CONFIG_ASYNCRPC_POLL_INTERVAL_MS,
      .result_retry_ms = CONFIG_ASYNCRPC_RESULT_RETRY_MS,
#if CONFIG_ASYNCRPC_ACK_TRIGGERS
      .no_ack = false,
#else
      .no_ack = true,
#endif
      .protocol_version = CONFIG_ASYNCRPC_PROTOCOL_VERSION,
      .on_event = on_event_outcome,
      .event_seed = ((uint64_t)esp_random() << 32) | esp_random(), /* hardware RNG: correlations differ per boot */
  };
  asyncrpc_port_t port = {NULL, port_publish, port_subscribe, port_now_ms, port_journal_read, port_journal_write,
                          port_log};
  if (asyncrpc_core_init(&core, &config, &port) != 0) {
    return ESP_ERR_INVALID_ARG;
  }

  esp_mqtt_client_config_t mqtt = {
      .broker.address.uri = broker->uri,
      .broker.verification.certificate = identity->ca_pem,
      .credentials.client_id = identity->device_id,
      .credentials.authentication.certificate = identity->cert_pem,
      .credentials.authentication.key = identity->key_pem,
      .session.protocol_ver = MQTT_PROTOCOL_V_5,
      .session.keepalive = 30,
      .network.reconnect_timeout_ms = 5000,
      /* Whole task payloads in one DATA event; larger ones arrive in chunks and are reassembled. */
      .buffer.size = ASYNCRPC_MAX_PAYLOAD + 512,
      .buffer.out_size = ASYNCRPC_MAX_RESULT + 512,
  };
#if CONFIG_ASYNCRPC_ALLOW_PLAIN_MQTT
  if (!broker->tls) {
    mqtt.credentials.username = CONFIG_ASYNCRPC_DEV_USERNAME;
    mqtt.credentials.authentication.password = CONFIG_ASYNCRPC_DEV_PASSWORD;
  }
#endif
  client = esp_mqtt_client_init(&mqtt);
  if (client == NULL) {
    return ESP_FAIL;
  }
  /* Clean start, session expiry 0 (as the Java agent): polls after connect find waiting tasks.
   * Maximum Packet Size: left at 0, esp-mqtt announces its input buffer (MAX_PAYLOAD + 512) and the
   * broker then drops larger messages unseen, so an oversized task could never be answered 413
   * (found running this port on ESP-IDF's linux target). Announce the MQTT maximum instead: larger
   * messages arrive in chunks and on_data() passes only their length to the core. */
  esp_mqtt5_connection_property_config_t connect = {.session_expiry_interval = 0,
                                                    .maximum_packet_size = 268435455u};
  ESP_ERROR_CHECK(esp_mqtt5_client_set_connect_property(client, &connect));
  ESP_ERROR_CHECK(esp_mqtt_client_register_event(client, MQTT_EVENT_ANY, on_mqtt_event, NULL));
  if (xTaskCreate(protocol_task, "asyncrpc", CONFIG_ASYNCRPC_CORE_TASK_STACK, NULL, 5, NULL) != pdPASS) {
    return ESP_ERR_NO_MEM;
  }
  return esp_mqtt_client_start(client);
}
