/* The protocol's golden messages (protocol/src/main/resources/golden/NN-name.json), read at test time. */
#ifndef ASYNCRPC_GOLDEN_H
#define ASYNCRPC_GOLDEN_H

#include <stdbool.h>

#include "asyncrpc/core.h"
#include "fake_port.h"

#define GOLDEN_MAX_PROPS 8

typedef struct {
  char topic[ASYNCRPC_MAX_TOPIC];
  unsigned char correlation[64];
  size_t correlation_len; /* 0 when the message carries none */
  asyncrpc_property_t properties[GOLDEN_MAX_PROPS];
  char keys[GOLDEN_MAX_PROPS][32];
  char values[GOLDEN_MAX_PROPS][128];
  size_t property_count;
  char payload[4096]; /* compact JSON, empty for a null payload */
} golden_t;

/** Loads golden/<name>; fails the test if the file is missing or not as described in its README. */
void golden_load(const char *name, golden_t *golden);

/** Drops property key from golden (to derive a variant). */
void golden_remove_property(golden_t *golden, const char *key);

/** Appends property key=value to golden (to derive a variant). */
void golden_append_property(golden_t *golden, const char *key, const char *value);

/** Delivers the golden message to the core. */
void golden_deliver(const golden_t *golden);

/** Fails the test unless sent is the golden message: topic, correlation, properties in order, JSON payload. */
void golden_check(const fake_sent_t *sent, const golden_t *golden);

#endif
