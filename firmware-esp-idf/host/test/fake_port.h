/* A recording port for the core: what it published and subscribed, a settable clock, a journal in RAM. */
#ifndef ASYNCRPC_FAKE_PORT_H
#define ASYNCRPC_FAKE_PORT_H

#include <stdbool.h>

#include "asyncrpc/core.h"

#define FAKE_MAX_SENT 256
#define FAKE_MAX_PROPS 8
/* A sent payload: a result, or a device event's payload. */
#define FAKE_MAX_PAYLOAD (ASYNCRPC_MAX_RESULT > ASYNCRPC_MAX_EVENT_PAYLOAD ? ASYNCRPC_MAX_RESULT : ASYNCRPC_MAX_EVENT_PAYLOAD)

typedef struct {
  char topic[ASYNCRPC_MAX_TOPIC];
  unsigned char correlation[64];
  size_t correlation_len;
  size_t property_count;
  char keys[FAKE_MAX_PROPS][32];
  char values[FAKE_MAX_PROPS][ASYNCRPC_MAX_EXT_ID + 1];
  char payload[FAKE_MAX_PAYLOAD + 1];
  size_t payload_len;
} fake_sent_t;

typedef struct {
  fake_sent_t sent[FAKE_MAX_SENT];
  size_t sent_count;
  char subscriptions[4][ASYNCRPC_MAX_TOPIC];
  size_t subscription_count;
  uint64_t now;
  asyncrpc_journal_entry_t journal[ASYNCRPC_JOURNAL_CAPACITY];
  bool journal_used[ASYNCRPC_JOURNAL_CAPACITY];
  size_t journal_writes;
  bool fail_journal_writes;
  bool fail_publishes;  /* publish returns -1 (the MQTT client did not take the message); still recorded */
  size_t log_lines;
  char last_event[256];
} fake_port_t;

extern fake_port_t fake;
extern asyncrpc_core_t core;

/** Resets the fake (journal included unless keep_journal) and returns a port on it. */
asyncrpc_port_t fake_port(bool keep_journal);

/** Resets everything and starts a core for SN-0001 with the given handlers, connected. */
void fake_start(const asyncrpc_handler_t *handlers, size_t count);

/** fake_start with a protocol version (0 or ASYNCRPC_PROTOCOL_V1, or ASYNCRPC_PROTOCOL_V2). */
void fake_start_protocol(const asyncrpc_handler_t *handlers, size_t count, uint8_t protocol_version);

/** Forgets what was sent so far. */
void fake_clear_sent(void);

/** The value of property key of sent message i, or NULL. */
const char *fake_property(const fake_sent_t *sent, const char *key);

/** The number of sent messages on topic. */
size_t fake_count(const char *topic);

/** The last sent message on topic, or NULL. */
const fake_sent_t *fake_last(const char *topic);

/** Delivers a message to the core. */
void fake_deliver(const char *topic, const char *correlation, const asyncrpc_property_t *properties,
                  size_t property_count, const char *payload);

#endif
