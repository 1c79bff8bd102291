#include "asyncrpc/task_id.h"

#include <string.h>

const asyncrpc_task_id_t ASYNCRPC_TASK_ID_ZERO = {{0}};

static int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool asyncrpc_task_id_parse_text(const char *text, size_t len, asyncrpc_task_id_t *out) {
  if (text == NULL || len != ASYNCRPC_TASK_ID_TEXT_LEN) {
    return false;
  }
  asyncrpc_task_id_t id;
  size_t byte = 0;
  for (size_t i = 0; i < len;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') {
        return false;
      }
      i++;
      continue;
    }
    int high = hex_value(text[i]);
    int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    id.bytes[byte++] = (uint8_t)((high << 4) | low);
    i += 2;
  }
  *out = id;
  return true;
}

bool asyncrpc_task_id_from_correlation(const uint8_t *data, size_t len, asyncrpc_task_id_t *out) {
  if (data == NULL) {
    return false;
  }
  if (len == sizeof(out->bytes)) {
    memcpy(out->bytes, data, sizeof(out->bytes));
    return true;
  }
  return asyncrpc_task_id_parse_text((const char *)data, len, out);
}

void asyncrpc_task_id_format(const asyncrpc_task_id_t *id, char out[ASYNCRPC_TASK_ID_TEXT_LEN + 1]) {
  static const char digits[] = "0123456789abcdef";
  size_t pos = 0;
  for (size_t i = 0; i < sizeof(id->bytes); i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out[pos++] = '-';
    }
    out[pos++] = digits[id->bytes[i] >> 4];
    out[pos++] = digits[id->bytes[i] & 0x0f];
  }
  out[pos] = '\0';
}

bool asyncrpc_task_id_equal(const asyncrpc_task_id_t *a, const asyncrpc_task_id_t *b) {
  return memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

bool asyncrpc_task_id_is_zero(const asyncrpc_task_id_t *id) {
  return asyncrpc_task_id_equal(id, &ASYNCRPC_TASK_ID_ZERO);
}
