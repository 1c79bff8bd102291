/* Task ids: UUIDs carried as MQTT 5 correlation data (36-char text or 16 raw bytes). */
#ifndef ASYNCRPC_TASK_ID_H
#define ASYNCRPC_TASK_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASYNCRPC_TASK_ID_TEXT_LEN 36

/** A task id: the 16 bytes of its UUID. */
typedef struct {
  uint8_t bytes[16];
} asyncrpc_task_id_t;

/** The zero UUID: in a req it asks for the head of the device's FIFO. */
extern const asyncrpc_task_id_t ASYNCRPC_TASK_ID_ZERO;

/** Parses the canonical 36-char text (either case); false for anything else. */
bool asyncrpc_task_id_parse_text(const char *text, size_t len, asyncrpc_task_id_t *out);

/** Reads correlation data: 16 raw bytes, or the 36-char text; false for anything else. */
bool asyncrpc_task_id_from_correlation(const uint8_t *data, size_t len, asyncrpc_task_id_t *out);

/** Writes the lower-case 36-char text and a NUL into out (37 bytes). */
void asyncrpc_task_id_format(const asyncrpc_task_id_t *id, char out[ASYNCRPC_TASK_ID_TEXT_LEN + 1]);

bool asyncrpc_task_id_equal(const asyncrpc_task_id_t *a, const asyncrpc_task_id_t *b);
bool asyncrpc_task_id_is_zero(const asyncrpc_task_id_t *id);

#endif
