/* Hostile and broken input: the core never crashes, and a task it cannot run still gets a result. */
#include <stdint.h>

#include "fake_port.h"
#include "test.h"

#define TASK "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091"

static int ok(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  asyncrpc_writer_append(result, "{}", 2);
  return 200;
}

static int overflowing(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  asyncrpc_writer_append(result, "[", 1);
  for (int i = 0; i < ASYNCRPC_MAX_RESULT; i++) {
    asyncrpc_writer_append(result, "1,", 2);
  }
  return 200;
}

static int not_json(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  asyncrpc_writer_append(result, "{oops", 5);
  return 200;
}

static int bad_status(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  asyncrpc_writer_append(result, "{}", 2);
  return 302;
}

static const asyncrpc_handler_t HANDLERS[] = {
    {"ok", ok, NULL}, {"big", overflowing, NULL}, {"bad", not_json, NULL}, {"redirect", bad_status, NULL}};
static const asyncrpc_property_t OK[] = {{"method_code", "ok"}};

static void start(void) {
  fake_start(HANDLERS, sizeof(HANDLERS) / sizeof(HANDLERS[0]));
  fake_clear_sent();
}

static const char *result_status(void) {
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK(res != NULL);
  return fake_property(res, "status_code");
}

static bool result_contains(const char *text) {
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  return res != NULL && strstr(res->payload, text) != NULL;
}

TEST(unknown_method_code_is_answered_501) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "no.such"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 1, "{}");
  CHECK_STR("501", result_status());
  CHECK(result_contains("unknown method_code no.such"));
}

TEST(missing_method_code_is_answered_501) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, NULL, 0, "{}");
  CHECK_STR("501", result_status());
}

TEST(truncated_json_is_answered_400) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, OK, 1, "{\"values\":[1,2");
  CHECK_STR("400", result_status());
  CHECK(result_contains("payload is not JSON"));
}

TEST(trailing_garbage_after_json_is_answered_400) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, OK, 1, "{} {}");
  CHECK_STR("400", result_status());
}

TEST(payload_over_the_limit_is_answered_413) {
  start();
  static char huge[ASYNCRPC_MAX_PAYLOAD + 64];
  huge[0] = '"';
  memset(huge + 1, 'x', sizeof(huge) - 3);
  huge[sizeof(huge) - 2] = '"';
  huge[sizeof(huge) - 1] = '\0';
  fake_deliver("srv/SN-0001/rsp", TASK, OK, 1, huge);
  CHECK_STR("413", result_status());
}

TEST(payload_with_too_many_values_for_the_arena_is_answered_413) {
  start();
  static char many[ASYNCRPC_MAX_PAYLOAD + 1];
  size_t len = 0;
  many[len++] = '[';
  while (len < ASYNCRPC_MAX_PAYLOAD - 4) {
    many[len++] = '0';
    many[len++] = ',';
  }
  many[len++] = '0';
  many[len++] = ']';
  many[len] = '\0';
  fake_deliver("srv/SN-0001/rsp", TASK, OK, 1, many);
  CHECK_STR("413", result_status());
  CHECK(result_contains("too complex"));
}

TEST(deeply_nested_json_is_answered_without_crashing) {
  start();
  static char deep[ASYNCRPC_MAX_PAYLOAD + 1];
  memset(deep, '[', ASYNCRPC_MAX_PAYLOAD);
  deep[ASYNCRPC_MAX_PAYLOAD] = '\0';
  fake_deliver("srv/SN-0001/rsp", TASK, OK, 1, deep);
  const char *status = result_status();
  CHECK(strcmp(status, "400") == 0 || strcmp(status, "413") == 0);
}

TEST(result_over_the_limit_is_answered_500) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "big"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 1, "{}");
  CHECK_STR("500", result_status());
  CHECK(result_contains("result too large"));
}

TEST(handler_result_that_is_not_json_is_answered_500) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "bad"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 1, "{}");
  CHECK_STR("500", result_status());
}

TEST(handler_status_outside_2xx_4xx_5xx_is_answered_500) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "redirect"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 1, "{}");
  CHECK_STR("500", result_status());
}

TEST(wrong_correlation_data_is_ignored_and_counted) {
  start();
  const char *bad[] = {"3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f809",   /* 35 chars */
                       "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f80911", /* 37 chars */
                       "3f2b6c1e+8d4a-4f7e-9b1c-2a5d6e7f8091",  /* wrong separator */
                       "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f809g",  /* not hex */
                       "12345678901234567",                     /* 17 bytes */
                       "short"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    fake_deliver("srv/SN-0001/rsp", bad[i], OK, 1, "{}");
    fake_deliver("srv/SN-0001/tsk", bad[i], OK, 1, NULL);
    fake_deliver("srv/SN-0001/cmt", bad[i], NULL, 0, NULL);
  }
  asyncrpc_property_t fallback[] = {{"method_code", "ok"}, {"correlationData", "nope"}};
  fake_deliver("srv/SN-0001/rsp", NULL, fallback, 2, "{}");
  fake_deliver("srv/SN-0001/rsp", NULL, OK, 1, "{}");
  CHECK_INT(3 * 6 + 2, core.stats.malformed);
  CHECK_INT(0, fake.sent_count);
  CHECK_INT(0, core.stats.tasks_run);
}

TEST(err_without_correlation_data_is_logged_only) {
  start();
  fake_deliver("srv/SN-0001/err", NULL, NULL, 0, "{\"code\":\"malformed-correlation-data\"}");
  CHECK_INT(1, core.stats.errors);
  CHECK(strstr(fake.last_event, "error - malformed-correlation-data") != NULL);
  fake_deliver("srv/SN-0001/err", NULL, NULL, 0, "\x01\x02 not json");
  CHECK_INT(2, core.stats.errors);
  CHECK_INT(0, fake.sent_count);
}

TEST(messages_on_other_topics_are_ignored) {
  start();
  const char *topics[] = {"srv/SN-0002/rsp", "srv/SN-0001/evt", "srv/SN-0001", "srv/SN-00011/rsp",
                          "dev/SN-0001/rsp", "srv/SN-0001/rsp/x", "", "srv/"};
  for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
    fake_deliver(topics[i], TASK, OK, 1, "{}");
  }
  asyncrpc_core_on_message(&core, &(asyncrpc_message_t){0});
  asyncrpc_core_on_message(&core, NULL);
  CHECK_INT(10, core.stats.ignored);
  CHECK_INT(0, fake.sent_count);
}

TEST(properties_with_null_or_huge_values_are_safe) {
  start();
  static char long_value[70000];
  memset(long_value, 'e', sizeof(long_value) - 1);
  asyncrpc_property_t props[] = {
      {NULL, "x"}, {"method_code", NULL}, {"ext_id", long_value}, {"attempt", long_value}, {"method_code", "ok"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 5, "{}");
  CHECK_STR("200", result_status());
  CHECK(fake_property(fake_last("dev/SN-0001/res"), "ext_id") == NULL);
}

TEST(payload_with_nul_bytes_is_handled) {
  start();
  asyncrpc_message_t message = {.topic = "srv/SN-0001/rsp",
                                .correlation_data = (const uint8_t *)TASK,
                                .correlation_len = 36,
                                .properties = OK,
                                .property_count = 1,
                                .payload = (const uint8_t *)"{\"a\":1}\0\0garbage",
                                .payload_len = 16};
  asyncrpc_core_on_message(&core, &message);
  CHECK_STR("400", result_status());
}

/** Deterministic fuzzing: random topics, ids, properties and payloads; ASan/UBSan watch the core. */
TEST(random_messages_never_crash_the_core) {
  start();
  uint32_t state = 12345;
  static uint8_t payload[2048];
  static const char *topics[] = {"srv/SN-0001/rsp", "srv/SN-0001/tsk", "srv/SN-0001/cmt", "srv/SN-0001/err",
                                 "srv/SN-0001/zzz"};
  static const char *keys[] = {"method_code", "status_code", "attempt", "ext_id", "error_code", "correlationData",
                               "result_id"};
  static const char *values[] = {"ok", "200", "204", "-1", "999999999999", "", TASK, "task-locked", "\xff\xfe"};
  static const char *fragments[] = {"{", "}", "[", "]", "\"a\"", ":", ",", "1", "-2.5e308", "null", "true",
                                    "\"\\u0000\"", "\"\\ud800\"", " ", "\"topic\"", "\"dev/SN-0001/res\""};
  for (int round = 0; round < 20000; round++) {
    state = state * 1103515245u + 12345u;
    const char *topic = topics[(state >> 16) % 5];
    asyncrpc_property_t props[4];
    size_t prop_count = (state >> 8) % 5;
    for (size_t i = 0; i < prop_count; i++) {
      state = state * 1103515245u + 12345u;
      props[i].key = keys[(state >> 16) % 7];
      props[i].value = values[(state >> 4) % 9];
    }
    size_t len = 0;
    size_t pieces = (state >> 20) % 40;
    for (size_t i = 0; i < pieces; i++) {
      state = state * 1103515245u + 12345u;
      const char *f = fragments[(state >> 16) % 16];
      size_t flen = strlen(f);
      if (len + flen > sizeof(payload)) {
        break;
      }
      memcpy(payload + len, f, flen);
      len += flen;
    }
    char id[37];
    snprintf(id, sizeof(id), "%08x-0000-4000-8000-%012x", (unsigned)(state % 64), 7u);
    asyncrpc_message_t message = {.topic = topic,
                                  .correlation_data = (const uint8_t *)id,
                                  .correlation_len = (state & 3) == 0 ? 16 : 36,
                                  .properties = props,
                                  .property_count = prop_count,
                                  .payload = payload,
                                  .payload_len = len};
    asyncrpc_core_on_message(&core, &message);
    if (round % 50 == 0) {
      fake.now += 7000;
      asyncrpc_core_tick(&core);
    }
    if (fake.sent_count > FAKE_MAX_SENT - 64) {
      fake_clear_sent();
    }
  }
  CHECK_INT(20000, core.stats.messages);
}

/** The ESP-IDF port reports a message too large for its buffer with its length and no bytes. */
TEST(oversized_message_without_bytes_is_answered_413) {
  start();
  asyncrpc_message_t message = {.topic = "srv/SN-0001/rsp",
                                .correlation_data = (const uint8_t *)TASK,
                                .correlation_len = 36,
                                .properties = OK,
                                .property_count = 1,
                                .payload = NULL,
                                .payload_len = ASYNCRPC_MAX_PAYLOAD + 1};
  asyncrpc_core_on_message(&core, &message);
  CHECK_STR("413", result_status());
}
