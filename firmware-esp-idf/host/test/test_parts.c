/* The core's small parts: task ids, device ids, the bounded writer, the JSON arena. */
#include "asyncrpc/json_arena.h"
#include "fake_port.h"
#include "test.h"

TEST(task_id_text_round_trips_in_lower_case) {
  asyncrpc_task_id_t id;
  CHECK(asyncrpc_task_id_parse_text("3F2B6C1E-8D4A-4F7E-9B1C-2A5D6E7F8091", 36, &id));
  char text[37];
  asyncrpc_task_id_format(&id, text);
  CHECK_STR("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091", text);
  asyncrpc_task_id_t raw;
  CHECK(asyncrpc_task_id_from_correlation(id.bytes, 16, &raw));
  CHECK(asyncrpc_task_id_equal(&id, &raw));
  CHECK(!asyncrpc_task_id_from_correlation(NULL, 16, &raw));
  CHECK(!asyncrpc_task_id_parse_text("3f2b6c1e8d4a4f7e9b1c2a5d6e7f80910000", 36, &raw));
  CHECK(asyncrpc_task_id_parse_text("00000000-0000-0000-0000-000000000000", 36, &raw));
  CHECK(asyncrpc_task_id_is_zero(&raw));
}

TEST(device_ids_follow_the_protocol_grammar) {
  CHECK(asyncrpc_device_id_valid("SN-0001"));
  CHECK(asyncrpc_device_id_valid("a_b-C9"));
  CHECK(!asyncrpc_device_id_valid(""));
  CHECK(!asyncrpc_device_id_valid("a.b"));
  CHECK(!asyncrpc_device_id_valid("a/b"));
  CHECK(!asyncrpc_device_id_valid("a+"));
  CHECK(!asyncrpc_device_id_valid("#"));
  CHECK(!asyncrpc_device_id_valid(NULL));
  char long_id[66];
  memset(long_id, 'a', 65);
  long_id[65] = '\0';
  CHECK(!asyncrpc_device_id_valid(long_id));
  long_id[64] = '\0';
  CHECK(asyncrpc_device_id_valid(long_id));
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {.device_id = "bad.id"};
  CHECK(asyncrpc_core_init(&core, &config, &port) == -1);
}

TEST(writer_stops_at_its_capacity) {
  char buf[8];
  asyncrpc_writer_t w = {.buf = buf, .cap = sizeof(buf)};
  asyncrpc_writer_append(&w, "12345", 5);
  CHECK(!w.overflow);
  asyncrpc_writer_printf(&w, "%d", 6789);
  CHECK(w.overflow);
  CHECK_INT(8, w.len);
  asyncrpc_writer_t s = {.buf = buf, .cap = sizeof(buf)};
  asyncrpc_writer_json_string(&s, "a\"\n");
  CHECK_INT(7, s.len);
  CHECK(memcmp(buf, "\"a\\\"\\n\"", 7) == 0);
}

TEST(writer_printf_longer_than_its_line_buffer) {
  static char buf[1024];
  asyncrpc_writer_t w = {.buf = buf, .cap = sizeof(buf)};
  asyncrpc_writer_printf(&w, "%0300d", 7);
  CHECK(!w.overflow);
  CHECK_INT(300, w.len);
}

TEST(json_arena_serves_a_scope_and_falls_back_to_malloc_outside) {
  asyncrpc_json_arena_install();
  cJSON *outside = cJSON_Parse("[1,2,3]");
  CHECK(outside != NULL);
  asyncrpc_json_arena_begin();
  cJSON *inside = cJSON_Parse("{\"a\":[1,2,3],\"b\":\"text\"}");
  CHECK(inside != NULL);
  CHECK(!asyncrpc_json_arena_exhausted());
  cJSON_Delete(inside); /* a no-op for arena memory */
  asyncrpc_json_arena_end();
  CHECK(asyncrpc_json_arena_high_water() > 0);
  CHECK_INT(3, cJSON_GetArraySize(outside));
  cJSON_Delete(outside);
}
