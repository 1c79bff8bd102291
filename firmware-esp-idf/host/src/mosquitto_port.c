#include "mosquitto_port.h"

#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inbox.h"

/* Messages with more user properties than this keep the first ones; the protocol uses at most 4. */
#define MAX_PROPERTIES 16

static int publish(void *ctx, const asyncrpc_message_t *message) {
  host_port_t *host = ctx;
  mosquitto_property *properties = NULL;
  int rc = MOSQ_ERR_SUCCESS;
  if (message->correlation_len > 0) {
    rc = mosquitto_property_add_binary(&properties, MQTT_PROP_CORRELATION_DATA, message->correlation_data,
                                       (uint16_t)message->correlation_len);
  }
  for (size_t i = 0; rc == MOSQ_ERR_SUCCESS && i < message->property_count; i++) {
    rc = mosquitto_property_add_string_pair(&properties, MQTT_PROP_USER_PROPERTY, message->properties[i].key,
                                            message->properties[i].value);
  }
  if (rc == MOSQ_ERR_SUCCESS) {
    rc = mosquitto_publish_v5(host->mosq, NULL, message->topic, (int)message->payload_len, message->payload, 1,
                              false, properties);
  }
  mosquitto_property_free_all(&properties);
  return rc == MOSQ_ERR_SUCCESS ? 0 : -1;
}

static int subscribe(void *ctx, const char *filter) {
  host_port_t *host = ctx;
  return mosquitto_subscribe_v5(host->mosq, NULL, filter, 1, 0, NULL) == MOSQ_ERR_SUCCESS ? 0 : -1;
}

static uint64_t now_ms(void *ctx) {
  (void)ctx;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static int journal_read(void *ctx, size_t slot, asyncrpc_journal_entry_t *entry) {
  return file_journal_read(&((host_port_t *)ctx)->journal, slot, entry);
}

static int journal_write(void *ctx, size_t slot, const asyncrpc_journal_entry_t *entry) {
  return file_journal_write(&((host_port_t *)ctx)->journal, slot, entry);
}

/* Events to stdout, one line each, as the Java agent's CLI prints them; the log to stderr. */
static void log_line(void *ctx, asyncrpc_log_level_t level, const char *line) {
  host_port_t *host = ctx;
  static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
  if (level == ASYNCRPC_LOG_EVENT) {
    printf("%s\n", line);
    fflush(stdout);
  } else if (level != ASYNCRPC_LOG_DEBUG || host->debug) {
    fprintf(stderr, "%s asyncrpc: %s\n", names[level], line);
  }
}

asyncrpc_port_t host_port(host_port_t *host) {
  asyncrpc_port_t port = {host, publish, subscribe, now_ms, journal_read, journal_write, log_line};
  return port;
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc, int flags, const mosquitto_property *props) {
  (void)mosq;
  (void)obj;
  (void)flags;
  (void)props;
  if (rc == 0) {
    inbox_push_event(INBOX_CONNECTED);
  } else {
    fprintf(stderr, "WARN asyncrpc: connection refused: %s\n", mosquitto_reason_string(rc));
  }
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc, const mosquitto_property *props) {
  (void)mosq;
  (void)obj;
  (void)props;
  fprintf(stderr, "INFO asyncrpc: disconnected (%d)\n", rc);
  inbox_push_event(INBOX_DISCONNECTED);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *message,
                       const mosquitto_property *props) {
  (void)mosq;
  (void)obj;
  void *correlation = NULL;
  uint16_t correlation_len = 0;
  mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &correlation, &correlation_len, false);

  asyncrpc_property_t properties[MAX_PROPERTIES];
  char *names[MAX_PROPERTIES];
  char *values[MAX_PROPERTIES];
  size_t count = 0;
  const mosquitto_property *cursor = props;
  bool skip_first = false;
  char *name;
  char *value;
  while (count < MAX_PROPERTIES &&
         (cursor = mosquitto_property_read_string_pair(cursor, MQTT_PROP_USER_PROPERTY, &name, &value, skip_first)) !=
             NULL) {
    names[count] = name;
    values[count] = value;
    properties[count].key = name;
    properties[count].value = value;
    count++;
    skip_first = true;
  }
  inbox_push_message(message->topic, correlation, correlation_len, properties, count, message->payload,
                     message->payloadlen < 0 ? 0 : (size_t)message->payloadlen);
  for (size_t i = 0; i < count; i++) {
    free(names[i]);
    free(values[i]);
  }
  free(correlation);
}

void host_port_install_callbacks(struct mosquitto *mosq) {
  mosquitto_connect_v5_callback_set(mosq, on_connect);
  mosquitto_disconnect_v5_callback_set(mosq, on_disconnect);
  mosquitto_message_v5_callback_set(mosq, on_message);
}
