#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asyncrpc/core.h"

void asyncrpc_writer_append(asyncrpc_writer_t *writer, const char *text, size_t len) {
  size_t room = writer->cap - writer->len;
  if (len > room) {
    writer->overflow = true;
    len = room;
  }
  if (len > 0) {
    memcpy(writer->buf + writer->len, text, len);
    writer->len += len;
  }
}

void asyncrpc_writer_printf(asyncrpc_writer_t *writer, const char *format, ...) {
  char line[128];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  if (n < 0) {
    writer->overflow = true;
    return;
  }
  if ((size_t)n >= sizeof(line)) {
    /* Longer than the line buffer: format again straight into the writer's remaining room. */
    size_t room = writer->cap - writer->len;
    if ((size_t)n >= room) {
      writer->overflow = true;
      return;
    }
    va_start(args, format);
    vsnprintf(writer->buf + writer->len, room, format, args);
    va_end(args);
    writer->len += (size_t)n;
    return;
  }
  asyncrpc_writer_append(writer, line, (size_t)n);
}

void asyncrpc_writer_json_string(asyncrpc_writer_t *writer, const char *text) {
  asyncrpc_writer_append(writer, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
    switch (*p) {
      case '"':
        asyncrpc_writer_append(writer, "\\\"", 2);
        break;
      case '\\':
        asyncrpc_writer_append(writer, "\\\\", 2);
        break;
      case '\n':
        asyncrpc_writer_append(writer, "\\n", 2);
        break;
      case '\r':
        asyncrpc_writer_append(writer, "\\r", 2);
        break;
      case '\t':
        asyncrpc_writer_append(writer, "\\t", 2);
        break;
      default:
        if (*p < 0x20) {
          char escaped[8];
          int n = snprintf(escaped, sizeof(escaped), "\\u%04x", *p);
          asyncrpc_writer_append(writer, escaped, (size_t)n);
        } else {
          asyncrpc_writer_append(writer, (const char *)p, 1);
        }
    }
  }
  asyncrpc_writer_append(writer, "\"", 1);
}
