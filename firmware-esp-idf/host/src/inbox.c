#include "inbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static inbox_item_t *head;
static inbox_item_t *tail;
static size_t length;
static bool woken;

static void enqueue(inbox_item_t *item) {
  pthread_mutex_lock(&lock);
  if (length >= INBOX_CAPACITY && item->kind == INBOX_MESSAGE) {
    pthread_mutex_unlock(&lock);
    fprintf(stderr, "inbox full, dropping a message on %s\n", item->message.topic);
    free(item);
    return;
  }
  item->next = NULL;
  if (tail == NULL) {
    head = item;
  } else {
    tail->next = item;
  }
  tail = item;
  length++;
  pthread_cond_signal(&ready);
  pthread_mutex_unlock(&lock);
}

void inbox_push_event(inbox_kind_t kind) {
  inbox_item_t *item = calloc(1, sizeof(*item));
  if (item == NULL) {
    return;
  }
  item->kind = kind;
  enqueue(item);
}

void inbox_push_message(const char *topic, const void *correlation, size_t correlation_len,
                        const asyncrpc_property_t *properties, size_t property_count, const void *payload,
                        size_t payload_len) {
  size_t topic_len = strlen(topic) + 1;
  size_t strings = 0;
  for (size_t i = 0; i < property_count; i++) {
    strings += strlen(properties[i].key) + 1 + strlen(properties[i].value) + 1;
  }
  size_t size = sizeof(inbox_item_t) + property_count * sizeof(asyncrpc_property_t) + topic_len + correlation_len +
                strings + payload_len + 1;
  inbox_item_t *item = calloc(1, size);
  if (item == NULL) {
    return;
  }
  asyncrpc_property_t *props = (asyncrpc_property_t *)(item + 1);
  char *cursor = (char *)(props + property_count);
  item->kind = INBOX_MESSAGE;
  memcpy(cursor, topic, topic_len);
  item->message.topic = cursor;
  cursor += topic_len;
  if (correlation_len > 0) {
    memcpy(cursor, correlation, correlation_len);
    item->message.correlation_data = (const uint8_t *)cursor;
    item->message.correlation_len = correlation_len;
    cursor += correlation_len;
  }
  for (size_t i = 0; i < property_count; i++) {
    size_t k = strlen(properties[i].key) + 1;
    size_t v = strlen(properties[i].value) + 1;
    memcpy(cursor, properties[i].key, k);
    props[i].key = cursor;
    cursor += k;
    memcpy(cursor, properties[i].value, v);
    props[i].value = cursor;
    cursor += v;
  }
  item->message.properties = props;
  item->message.property_count = property_count;
  if (payload_len > 0) {
    memcpy(cursor, payload, payload_len);
  }
  item->message.payload = (const uint8_t *)cursor;
  item->message.payload_len = payload_len;
  enqueue(item);
}

inbox_item_t *inbox_take(uint32_t timeout_ms) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += timeout_ms / 1000;
  until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&lock);
  while (head == NULL && !woken) {
    if (pthread_cond_timedwait(&ready, &lock, &until) != 0) {
      break;
    }
  }
  woken = false;
  inbox_item_t *item = head;
  if (item != NULL) {
    head = item->next;
    if (head == NULL) {
      tail = NULL;
    }
    length--;
  }
  pthread_mutex_unlock(&lock);
  return item;
}

void inbox_wake(void) {
  pthread_mutex_lock(&lock);
  woken = true;
  pthread_cond_signal(&ready);
  pthread_mutex_unlock(&lock);
}
