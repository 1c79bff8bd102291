#include "fake_port.h"

#include <stdio.h>
#include <string.h>

#include "test.h"

fake_port_t fake;
asyncrpc_core_t core;

static int publish(void *ctx, const asyncrpc_message_t *message) {
  fake_port_t *f = ctx;
  CHECK(f->sent_count < FAKE_MAX_SENT);
  fake_sent_t *s = &f->sent[f->sent_count++];
  memset(s, 0, sizeof(*s));
  CHECK(strlen(message->topic) < sizeof(s->topic));
  strcpy(s->topic, message->topic);
  CHECK(message->correlation_len <= sizeof(s->correlation));
  if (message->correlation_len > 0) {
    memcpy(s->correlation, message->correlation_data, message->correlation_len);
  }
  s->correlation_len = message->correlation_len;
  CHECK(message->property_count <= FAKE_MAX_PROPS);
  for (size_t i = 0; i < message->property_count; i++) {
    snprintf(s->keys[i], sizeof(s->keys[i]), "%s", message->properties[i].key);
    snprintf(s->values[i], sizeof(s->values[i]), "%s", message->properties[i].value);
  }
  s->property_count = message->property_count;
  CHECK(message->payload_len <= FAKE_MAX_PAYLOAD);
  CHECK(message->payload_len == 0 || message->payload != NULL);
  if (message->payload_len > 0) {
    memcpy(s->payload, message->payload, message->payload_len);
  }
  s->payload_len = message->payload_len;
  return f->fail_publishes ? -1 : 0;
}

static int subscribe(void *ctx, const char *filter) {
  fake_port_t *f = ctx;
  CHECK(f->subscription_count < 4);
  snprintf(f->subscriptions[f->subscription_count++], ASYNCRPC_MAX_TOPIC, "%s", filter);
  return 0;
}

static uint64_t now_ms(void *ctx) { return ((fake_port_t *)ctx)->now; }

static int journal_read(void *ctx, size_t slot, asyncrpc_journal_entry_t *entry) {
  fake_port_t *f = ctx;
  CHECK(slot < ASYNCRPC_JOURNAL_CAPACITY);
  if (!f->journal_used[slot]) {
    return -1;
  }
  *entry = f->journal[slot];
  return 0;
}

static int journal_write(void *ctx, size_t slot, const asyncrpc_journal_entry_t *entry) {
  fake_port_t *f = ctx;
  CHECK(slot < ASYNCRPC_JOURNAL_CAPACITY);
  f->journal_writes++;
  if (f->fail_journal_writes) {
    return -1;
  }
  f->journal[slot] = *entry;
  f->journal_used[slot] = true;
  return 0;
}

static void log_line(void *ctx, asyncrpc_log_level_t level, const char *line) {
  fake_port_t *f = ctx;
  f->log_lines++;
  if (level == ASYNCRPC_LOG_EVENT) {
    snprintf(f->last_event, sizeof(f->last_event), "%s", line);
  }
  if (getenv("ASYNCRPC_TEST_LOG") != NULL) {
    fprintf(stderr, "[%d] %s\n", (int)level, line);
  }
}

asyncrpc_port_t fake_port(bool keep_journal) {
  if (keep_journal) {
    fake.sent_count = 0;
    fake.subscription_count = 0;
    fake.log_lines = 0;
  } else {
    memset(&fake, 0, sizeof(fake));
  }
  fake.now = 1000;
  asyncrpc_port_t port = {&fake, publish, subscribe, now_ms, journal_read, journal_write, log_line};
  return port;
}

void fake_start_protocol(const asyncrpc_handler_t *handlers, size_t count, uint8_t protocol_version) {
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {
      .device_id = "SN-0001", .handlers = handlers, .handler_count = count, .protocol_version = protocol_version};
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
  asyncrpc_core_on_connected(&core);
}

void fake_start(const asyncrpc_handler_t *handlers, size_t count) { fake_start_protocol(handlers, count, 0); }

void fake_clear_sent(void) { fake.sent_count = 0; }

const char *fake_property(const fake_sent_t *sent, const char *key) {
  for (size_t i = 0; i < sent->property_count; i++) {
    if (strcmp(sent->keys[i], key) == 0) {
      return sent->values[i];
    }
  }
  return NULL;
}

size_t fake_count(const char *topic) {
  size_t n = 0;
  for (size_t i = 0; i < fake.sent_count; i++) {
    n += strcmp(fake.sent[i].topic, topic) == 0;
  }
  return n;
}

const fake_sent_t *fake_last(const char *topic) {
  for (size_t i = fake.sent_count; i > 0; i--) {
    if (strcmp(fake.sent[i - 1].topic, topic) == 0) {
      return &fake.sent[i - 1];
    }
  }
  return NULL;
}

void fake_deliver(const char *topic, const char *correlation, const asyncrpc_property_t *properties,
                  size_t property_count, const char *payload) {
  asyncrpc_message_t message = {
      .topic = topic,
      .correlation_data = (const uint8_t *)correlation,
      .correlation_len = correlation == NULL ? 0 : strlen(correlation),
      .properties = properties,
      .property_count = property_count,
      .payload = (const uint8_t *)payload,
      .payload_len = payload == NULL ? 0 : strlen(payload),
  };
  asyncrpc_core_on_message(&core, &message);
}
