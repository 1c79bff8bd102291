/*
 * Hands events from libmosquitto's network thread to the thread that runs the core, which is
 * single-threaded by design (the ESP-IDF port does the same with a FreeRTOS ring buffer).
 */
#ifndef ASYNCRPC_HOST_INBOX_H
#define ASYNCRPC_HOST_INBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "asyncrpc/port.h"

typedef enum { INBOX_CONNECTED, INBOX_DISCONNECTED, INBOX_MESSAGE } inbox_kind_t;

typedef struct inbox_item {
  struct inbox_item *next;
  inbox_kind_t kind;
  asyncrpc_message_t message; /* for INBOX_MESSAGE; all pointers into this item's one allocation */
} inbox_item_t;

/** Bounded: beyond this many waiting items new messages are dropped (QoS 1 re-delivery and polls recover). */
#define INBOX_CAPACITY 256

void inbox_push_event(inbox_kind_t kind);

/** Copies the message (topic, correlation data, properties, payload) into the queue. */
void inbox_push_message(const char *topic, const void *correlation, size_t correlation_len,
                        const asyncrpc_property_t *properties, size_t property_count, const void *payload,
                        size_t payload_len);

/** Waits up to timeout_ms for an item; NULL on timeout. free() the item when done. */
inbox_item_t *inbox_take(uint32_t timeout_ms);

/** Wakes inbox_take (used on shutdown). */
void inbox_wake(void);

#endif
