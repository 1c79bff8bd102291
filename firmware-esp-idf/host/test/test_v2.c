/*
 * Protocol v2 (push), opted in with asyncrpc_config_t.protocol_version: the golden messages 13-17
 * as the Java GoldenCodecTests use them, the state machine (push, commit with and without next,
 * v1 commits), v1 left exactly as it was, and malformed or mutated commits.
 */
#include <stdint.h>

#include "golden.h"
#include "test.h"

#define TASK "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091"
#define NEXT "5b7e0c2a-1d3f-4a5b-8c6d-7e8f9a0b1c2d"
#define RESULT "9a0c1d2e-3f40-4152-8a6b-7c8d9e0f1a2b"
#define ZERO "00000000-0000-0000-0000-000000000000"
#define OTHER "11111111-2222-4333-8444-555555555555"

/* What the handler saw, per run. */
typedef struct {
  char id[37];
  char method_code[80];
  uint32_t attempt;
  char deadline[64];
  char lease_expires[64];
  char ext_id[160];
  bool has_deadline, has_lease, has_ext_id;
  char payload[ASYNCRPC_MAX_PAYLOAD + 1];
} seen_t;

static seen_t seen[8];
static int runs;

static void copy(char *out, size_t cap, const char *text, bool *present) {
  *present = text != NULL;
  snprintf(out, cap, "%s", text == NULL ? "" : text);
}

static int recording(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  if (runs < 8) {
    seen_t *s = &seen[runs];
    memset(s, 0, sizeof(*s));
    snprintf(s->id, sizeof(s->id), "%s", task->id_text);
    snprintf(s->method_code, sizeof(s->method_code), "%s", task->method_code);
    s->attempt = task->attempt;
    copy(s->deadline, sizeof(s->deadline), task->deadline, &s->has_deadline);
    copy(s->lease_expires, sizeof(s->lease_expires), task->lease_expires, &s->has_lease);
    copy(s->ext_id, sizeof(s->ext_id), task->ext_id, &s->has_ext_id);
    CHECK(task->payload_len == strlen(task->payload));
    snprintf(s->payload, sizeof(s->payload), "%s", task->payload);
    CHECK(task->json != NULL);
  }
  runs++;
  const char *body = "{\"relay\":2,\"state\":\"on\",\"took_ms\":12}";
  asyncrpc_writer_append(result, body, strlen(body));
  return 200;
}

static const asyncrpc_handler_t RELAY[] = {{"relay.switch", recording, NULL}};
static const asyncrpc_property_t V2_COMMIT[] = {{"result_id", RESULT}, {"protocol", "2"}};

static golden_t in, out;

static void start(uint8_t version) {
  runs = 0;
  memset(seen, 0, sizeof(seen));
  fake_start_protocol(RELAY, 1, version);
  fake_clear_sent();
}

static bool json_equal(const char *expected, const char *actual, size_t actual_len) {
  cJSON *e = cJSON_Parse(expected);
  cJSON *a = cJSON_ParseWithLength(actual, actual_len);
  bool same = e != NULL && a != NULL && cJSON_Compare(e, a, 1);
  cJSON_Delete(e);
  cJSON_Delete(a);
  return same;
}

static bool sent_correlation(const fake_sent_t *sent, const char *id) {
  return sent != NULL && sent->correlation_len == 36 && memcmp(sent->correlation, id, 36) == 0;
}

static bool nothing_sends_protocol(void) {
  for (size_t i = 0; i < fake.sent_count; i++) {
    if (fake_property(&fake.sent[i], "protocol") != NULL) {
      return false;
    }
  }
  return true;
}

/** Pushes TASK (14) and clears what its result sent. */
static void push_task(void) {
  golden_load("14-push-v2.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
  fake_clear_sent();
}

/** A v2 commit of TASK whose body's next member is next_json (NULL: no next member). */
static void deliver_v2_commit(const char *next_json) {
  static char body[ASYNCRPC_MAX_PAYLOAD + 256];
  if (next_json == NULL) {
    snprintf(body, sizeof(body), "{\"task_id\":\"" TASK "\",\"result_id\":\"" RESULT "\",\"status\":\"DONE\"}");
  } else {
    snprintf(body, sizeof(body), "{\"task_id\":\"" TASK "\",\"result_id\":\"" RESULT "\",\"status\":\"DONE\",\"next\":%s}",
             next_json);
  }
  fake_deliver("srv/SN-0001/cmt", TASK, V2_COMMIT, 2, body);
}

/* ---- golden messages 13-17 ---------------------------------------------------------------- */

TEST(golden_v2_poll_on_connect_is_request_v2) {
  fake_start_protocol(RELAY, 1, ASYNCRPC_PROTOCOL_V2);
  CHECK_INT(1, fake.sent_count);
  golden_load("13-request-v2.json", &out);
  golden_check(&fake.sent[0], &out);
}

/** As the Java test: a v2 ack is 02 unchanged; the request by id declares the version after it. */
TEST(golden_v2_trigger_ack_is_unchanged_and_request_declares_v2) {
  start(ASYNCRPC_PROTOCOL_V2);
  golden_load("01-trigger.json", &in);
  golden_deliver(&in);
  CHECK_INT(2, fake.sent_count);
  golden_load("02-ack.json", &out);
  golden_check(&fake.sent[0], &out);
  golden_load("03-request-by-id.json", &out);
  golden_append_property(&out, "protocol", "2");
  golden_check(&fake.sent[1], &out);
}

TEST(golden_v2_push_runs_the_task_and_sends_result_v2) {
  start(ASYNCRPC_PROTOCOL_V2);
  golden_load("14-push-v2.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, runs);
  CHECK_STR(TASK, seen[0].id);
  CHECK_STR("relay.switch", seen[0].method_code);
  CHECK_INT(1, seen[0].attempt);
  CHECK_STR("2026-11-25T12:00:00Z", seen[0].deadline);
  CHECK_STR("2026-11-25T11:00:30Z", seen[0].lease_expires);
  CHECK_STR("order-42", seen[0].ext_id);
  CHECK(json_equal("{\"relay\":2,\"state\":\"on\"}", seen[0].payload, strlen(seen[0].payload)));
  CHECK_INT(1, fake.sent_count);
  golden_load("15-result-v2.json", &out);
  golden_check(&fake.sent[0], &out);
}

TEST(golden_v2_commit_with_next_runs_the_next_without_a_poll) {
  start(ASYNCRPC_PROTOCOL_V2);
  push_task();
  golden_load("16-commit-v2-next.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, core.stats.commits);
  CHECK_INT(1, core.stats.next_tasks);
  CHECK_INT(2, runs);
  CHECK_STR(NEXT, seen[1].id);
  CHECK_STR("relay.switch", seen[1].method_code);
  CHECK_INT(1, seen[1].attempt);
  CHECK_STR("2026-11-25T12:00:00Z", seen[1].deadline);
  CHECK_STR("2026-11-25T11:00:31Z", seen[1].lease_expires);
  CHECK(!seen[1].has_ext_id);
  CHECK(json_equal("{\"relay\":3,\"state\":\"off\"}", seen[1].payload, strlen(seen[1].payload)));
  /* the result of the next, and no poll */
  CHECK_INT(1, fake.sent_count);
  CHECK_INT(0, fake_count("dev/SN-0001/req"));
  golden_load("15-result-v2.json", &out);
  memcpy(out.correlation, NEXT, 36);
  golden_remove_property(&out, "ext_id");
  golden_check(&fake.sent[0], &out);
  /* TASK stays committed; the next's result is resent until its own commit */
  fake_clear_sent();
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
  CHECK(sent_correlation(fake_last("dev/SN-0001/res"), NEXT));
}

TEST(golden_v2_commit_without_next_sends_no_poll) {
  start(ASYNCRPC_PROTOCOL_V2);
  push_task();
  golden_load("17-commit-v2-idle.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, core.stats.commits);
  CHECK_INT(0, fake.sent_count);
  CHECK_INT(1, runs);
  CHECK(strstr(fake.last_event, "committed " TASK " result_id=" RESULT) != NULL);
  /* nothing is resent, and the poll timer still runs (30 s after the poll on connect) */
  fake.now += 29000;
  asyncrpc_core_tick(&core);
  CHECK_INT(0, fake.sent_count);
  fake.now += 1000;
  asyncrpc_core_tick(&core);
  CHECK_INT(1, fake.sent_count);
  golden_load("13-request-v2.json", &out);
  golden_check(&fake.sent[0], &out);
}

TEST(golden_v1_commit_to_a_v2_device_still_polls) {
  start(ASYNCRPC_PROTOCOL_V2);
  push_task();
  golden_load("11-commit.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, core.stats.commits);
  CHECK_INT(1, fake.sent_count);
  golden_load("13-request-v2.json", &out);
  golden_check(&fake.sent[0], &out);
  /* a v1 commit never carries a next: one that does anyway is not run */
  fake_clear_sent();
  golden_load("16-commit-v2-next.json", &in);
  golden_remove_property(&in, "protocol");
  golden_deliver(&in);
  CHECK_INT(1, runs);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
}

/** A v1 device is the seed's device, whatever the core sends: 07 for a push, a poll (04) after any commit. */
TEST(golden_v1_device_answers_v2_messages_as_v1) {
  start(0);
  golden_load("14-push-v2.json", &in);
  golden_deliver(&in);
  golden_load("07-result-ok.json", &out);
  golden_check(fake_last("dev/SN-0001/res"), &out);
  fake_clear_sent();
  golden_load("16-commit-v2-next.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, runs);
  CHECK_INT(1, fake.sent_count);
  golden_load("04-request-head-of-fifo.json", &out);
  golden_check(&fake.sent[0], &out);
  fake_clear_sent();
  golden_load("17-commit-v2-idle.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  CHECK(nothing_sends_protocol());
}

/* ---- state machine -------------------------------------------------------------------------- */

TEST(v1_config_never_sends_protocol) {
  asyncrpc_property_t relay[] = {{"method_code", "relay.switch"}};
  for (int round = 0; round < 2; round++) {
    start(round == 0 ? 0 : ASYNCRPC_PROTOCOL_V1);
    CHECK_INT(ASYNCRPC_PROTOCOL_V1, core.config.protocol_version);
    asyncrpc_core_on_connected(&core);                                  /* poll */
    fake_deliver("srv/SN-0001/tsk", OTHER, relay, 1, NULL);             /* ack + req by id */
    fake_deliver("srv/SN-0001/rsp", OTHER, relay, 1, "{}");             /* res */
    fake.now += 5000;
    asyncrpc_core_tick(&core);                                          /* res again */
    fake_deliver("srv/SN-0001/cmt", OTHER, V2_COMMIT, 2, "{}");         /* poll */
    fake_deliver("srv/SN-0001/rsp", TASK, relay, 1, "{}");              /* res */
    asyncrpc_property_t finished[] = {{"error_code", "task-finished"}};
    fake_deliver("srv/SN-0001/err", TASK, finished, 1, "{\"topic\":\"dev/SN-0001/res\"}"); /* poll */
    fake.now += 60000;
    asyncrpc_core_tick(&core);                                          /* poll */
    CHECK(fake_count("dev/SN-0001/req") >= 4);
    CHECK(fake_count("dev/SN-0001/res") >= 3);
    CHECK_INT(1, fake_count("dev/SN-0001/ack"));
    CHECK(nothing_sends_protocol());
  }
}

TEST(v2_declares_protocol_on_every_request_and_result_and_never_on_ack) {
  start(ASYNCRPC_PROTOCOL_V2);
  asyncrpc_property_t relay[] = {{"method_code", "relay.switch"}};
  asyncrpc_core_on_connected(&core);
  fake_deliver("srv/SN-0001/tsk", OTHER, relay, 1, NULL);
  fake_deliver("srv/SN-0001/rsp", OTHER, relay, 1, "{}");
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  asyncrpc_property_t finished[] = {{"error_code", "task-finished"}};
  fake_deliver("srv/SN-0001/err", OTHER, finished, 1, "{\"topic\":\"dev/SN-0001/res\"}");
  fake.now += 60000;
  asyncrpc_core_tick(&core);
  CHECK(fake_count("dev/SN-0001/req") >= 3);
  CHECK_INT(2, fake_count("dev/SN-0001/res"));
  for (size_t i = 0; i < fake.sent_count; i++) {
    const fake_sent_t *s = &fake.sent[i];
    if (strcmp(s->topic, "dev/SN-0001/ack") == 0) {
      CHECK_INT(0, s->property_count);
    } else {
      /* the last property, after the others */
      CHECK(s->property_count >= 1);
      CHECK_STR("protocol", s->keys[s->property_count - 1]);
      CHECK_STR("2", s->values[s->property_count - 1]);
      CHECK(fake_property(s, "protocol") == s->values[s->property_count - 1]);
    }
  }
}

TEST(v2_push_of_a_finished_task_resends_its_stored_result) {
  start(ASYNCRPC_PROTOCOL_V2);
  push_task();
  golden_load("17-commit-v2-idle.json", &in);
  golden_deliver(&in);
  golden_load("14-push-v2.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, runs);
  CHECK_INT(1, core.stats.duplicates);
  golden_load("15-result-v2.json", &out);
  golden_check(fake_last("dev/SN-0001/res"), &out);
}

TEST(v2_next_that_this_device_finished_is_answered_from_the_journal) {
  start(ASYNCRPC_PROTOCOL_V2);
  asyncrpc_property_t relay[] = {{"method_code", "relay.switch"}, {"ext_id", "order-9"}};
  fake_deliver("srv/SN-0001/rsp", NEXT, relay, 2, "{\"relay\":3}");
  fake_clear_sent();
  push_task();
  golden_load("16-commit-v2-next.json", &in);
  golden_deliver(&in);
  CHECK_INT(2, runs);
  CHECK_INT(1, core.stats.duplicates);
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK(sent_correlation(res, NEXT));
  CHECK_STR("order-9", fake_property(res, "ext_id"));
  CHECK_INT(0, fake_count("dev/SN-0001/req"));
}

TEST(v2_commit_of_an_unknown_task_still_runs_its_next) {
  start(ASYNCRPC_PROTOCOL_V2);
  golden_load("16-commit-v2-next.json", &in);
  golden_deliver(&in);
  CHECK_INT(0, core.stats.commits);
  CHECK_INT(1, runs);
  CHECK_STR(NEXT, seen[0].id);
  CHECK_INT(0, fake_count("dev/SN-0001/req"));
}

TEST(v2_commit_with_a_null_next_or_no_body_sends_no_poll) {
  start(ASYNCRPC_PROTOCOL_V2);
  push_task();
  deliver_v2_commit("null");
  CHECK_INT(0, fake.sent_count);
  fake_deliver("srv/SN-0001/cmt", TASK, V2_COMMIT, 2, NULL);
  CHECK_INT(0, fake.sent_count);
  CHECK_INT(0, core.stats.malformed_next);
  CHECK_INT(1, runs);
}

/** As the Java codec: the first value of a repeated user property counts, protocol included. */
TEST(v2_first_of_repeated_user_properties_counts) {
  start(ASYNCRPC_PROTOCOL_V2);
  asyncrpc_property_t push[] = {{"method_code", "relay.switch"}, {"method_code", "other"}, {"attempt", "2"},
                                {"attempt", "7"},                {"lease_expires", "A"}, {"lease_expires", "B"}};
  fake_deliver("srv/SN-0001/rsp", TASK, push, 6, "{}");
  CHECK_INT(1, runs);
  CHECK_INT(2, seen[0].attempt);
  CHECK_STR("A", seen[0].lease_expires);
  fake_clear_sent();
  asyncrpc_property_t v1_first[] = {{"protocol", "1"}, {"protocol", "2"}};
  fake_deliver("srv/SN-0001/cmt", TASK, v1_first, 2, "{}");
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  fake_clear_sent();
  asyncrpc_property_t v2_first[] = {{"protocol", "2"}, {"protocol", "1"}};
  fake_deliver("srv/SN-0001/cmt", TASK, v2_first, 2, "{}");
  CHECK_INT(0, fake.sent_count);
}

/** The protocol property is read as Java's Integer.parseInt of the stripped text. */
TEST(v2_commit_protocol_property_is_read_as_the_java_codec_reads_it) {
  const char *v2[] = {"2", " 2", "2\t", "+2", "02", "0000000000000000000002"};
  const char *v1[] = {"", "1", "3", "22", "-2", "2.0", "two", "2 2", "+", "0", "\xff"};
  start(ASYNCRPC_PROTOCOL_V2);
  for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++) {
    fake_clear_sent();
    asyncrpc_property_t props[] = {{"protocol", v2[i]}};
    fake_deliver("srv/SN-0001/cmt", TASK, props, 1, "{}");
    CHECK_INT(0, fake.sent_count);
  }
  for (size_t i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
    fake_clear_sent();
    asyncrpc_property_t props[] = {{"protocol", v1[i]}};
    fake_deliver("srv/SN-0001/cmt", TASK, props, 1, "{}");
    CHECK_INT(1, fake_count("dev/SN-0001/req"));
  }
  fake_clear_sent();
  asyncrpc_property_t none[] = {{"protocol", NULL}, {NULL, "2"}};
  fake_deliver("srv/SN-0001/cmt", TASK, none, 2, "{}");
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
}

TEST(v2_triggers_are_handled_as_in_v1) {
  start(ASYNCRPC_PROTOCOL_V2);
  asyncrpc_property_t relay[] = {{"method_code", "relay.switch"}};
  fake_deliver("srv/SN-0001/rsp", TASK, relay, 1, "{}");
  fake_clear_sent();
  fake_deliver("srv/SN-0001/tsk", TASK, relay, 1, NULL); /* a known task: ignored */
  fake_deliver("srv/SN-0001/tsk", ZERO, relay, 1, NULL);
  CHECK_INT(0, fake.sent_count);
  fake_deliver("srv/SN-0001/tsk", OTHER, relay, 1, NULL);
  CHECK_INT(1, fake_count("dev/SN-0001/ack"));
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  CHECK(sent_correlation(fake_last("dev/SN-0001/req"), OTHER));
}

TEST(protocol_version_outside_1_and_2_is_refused) {
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {.device_id = "SN-0001", .handlers = RELAY, .handler_count = 1, .protocol_version = 3};
  CHECK(asyncrpc_core_init(&core, &config, &port) == -1);
  config.protocol_version = 255;
  CHECK(asyncrpc_core_init(&core, &config, &port) == -1);
  config.protocol_version = ASYNCRPC_PROTOCOL_V2;
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
  CHECK_INT(ASYNCRPC_PROTOCOL_V2, core.config.protocol_version);
}

/* ---- malformed next ------------------------------------------------------------------------- */

/** A next the device cannot read is ignored: the commit stands, nothing runs, the device polls. */
TEST(v2_malformed_next_is_ignored_and_the_device_polls) {
  const char *bad[] = {
      "\"" NEXT "\"", "[]", "5", "true", "{}", "{\"task_id\":5}", "{\"task_id\":null}", "{\"task_id\":\"nope\"}",
      "{\"task_id\":\"" ZERO "\"}", "{\"task_id\":\"5b7e0c2a-1d3f-4a5b-8c6d-7e8f9a0b1c2\"}",
      "{\"task_id\":\"5b7e0c2a-1d3f-4a5b-8c6d-7e8f9a0b1c2dd\"}", "{\"task_id\":[\"" NEXT "\"]}",
      "{\"taskId\":\"" NEXT "\",\"method_code\":\"relay.switch\"}"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    start(ASYNCRPC_PROTOCOL_V2);
    push_task();
    deliver_v2_commit(bad[i]);
    CHECK_INT(1, core.stats.commits);
    CHECK_INT(1, core.stats.malformed_next);
    CHECK_INT(1, runs);
    CHECK_INT(1, fake.sent_count);
    golden_load("13-request-v2.json", &out);
    golden_check(&fake.sent[0], &out);
  }
}

TEST(v2_commit_body_that_is_not_a_json_object_is_ignored_and_the_device_polls) {
  const char *bodies[] = {"not json", "[1,2]", "\"text\"", "{\"next\":{\"task_id\":\"5b7e", "{\"next\":", "}{"};
  for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    start(ASYNCRPC_PROTOCOL_V2);
    push_task();
    fake_deliver("srv/SN-0001/cmt", TASK, V2_COMMIT, 2, bodies[i]);
    CHECK_INT(1, core.stats.commits);
    CHECK_INT(1, core.stats.malformed_next);
    CHECK_INT(1, runs);
    CHECK_INT(1, fake_count("dev/SN-0001/req"));
  }
  /* a body the port could not take (the ESP-IDF port passes only the length of a large one) */
  start(ASYNCRPC_PROTOCOL_V2);
  asyncrpc_message_t message = {.topic = "srv/SN-0001/cmt",
                                .correlation_data = (const uint8_t *)TASK,
                                .correlation_len = 36,
                                .properties = V2_COMMIT,
                                .property_count = 2,
                                .payload = NULL,
                                .payload_len = ASYNCRPC_MAX_PAYLOAD + 100};
  asyncrpc_core_on_message(&core, &message);
  CHECK_INT(1, core.stats.malformed_next);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  CHECK_INT(0, runs);
}

/** A next with a usable task id always ends with a result, whatever its other fields hold. */
TEST(v2_next_with_odd_fields_still_ends_with_a_result) {
  static char long_method[128], long_ext[256], long_method_case[256], long_ext_case[512], next[1024];
  memset(long_method, 'm', 70);
  memset(long_ext, 'e', ASYNCRPC_MAX_EXT_ID + 1);
  snprintf(long_ext_case, sizeof(long_ext_case), "\"method_code\":\"relay.switch\",\"ext_id\":\"%s\"", long_ext);
  snprintf(long_method_case, sizeof(long_method_case), "\"method_code\":\"%s\"", long_method);
  struct {
    const char *fields;
    const char *status;
  } cases[] = {
      {"\"method_code\":5", "501"},
      {"\"method_code\":\"relay.switch\",\"attempt\":\"3\",\"deadline\":7,\"lease_expires\":[]", "200"},
      {"\"method_code\":\"relay.switch\",\"attempt\":-4,\"payload\":\"x\"", "200"},
      {"\"method_code\":\"relay.switch\",\"attempt\":2.5,\"payload\":null", "200"},
      {"\"method_code\":\"relay.switch\",\"attempt\":1e300,\"payload\":[1,{\"a\":[]}]", "200"},
      {"\"method_code\":\"relay.switch\",\"ext_id\":\"x\",\"ext_id\":\"y\"", "200"},
      {"\"method_code\":\"relay.switch\",\"deadline\":\"0123456789012345678901234567890123456789-too-long\"", "200"},
      {long_ext_case, "200"},
      {long_method_case, "501"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    start(ASYNCRPC_PROTOCOL_V2);
    push_task();
    snprintf(next, sizeof(next), "{\"task_id\":\"" NEXT "\",%s}", cases[i].fields);
    deliver_v2_commit(next);
    CHECK_INT(0, core.stats.malformed_next);
    const fake_sent_t *res = fake_last("dev/SN-0001/res");
    CHECK(sent_correlation(res, NEXT));
    CHECK_STR(cases[i].status, fake_property(res, "status_code"));
    CHECK_STR("protocol", res->keys[res->property_count - 1]);
    CHECK_INT(0, fake_count("dev/SN-0001/req"));
    if (strcmp(cases[i].status, "200") == 0) {
      CHECK_INT(2, runs);
    }
    switch (i) {
      case 1:
        CHECK_INT(3, seen[1].attempt);
        CHECK(!seen[1].has_deadline && !seen[1].has_lease);
        CHECK_STR("null", seen[1].payload); /* no payload member: run as an empty rsp */
        break;
      case 2:
        CHECK_INT(1, seen[1].attempt);
        CHECK_STR("\"x\"", seen[1].payload);
        break;
      case 3:
        CHECK_INT(2, seen[1].attempt);
        CHECK_STR("null", seen[1].payload);
        break;
      case 4:
        CHECK_INT(1, seen[1].attempt);
        CHECK(json_equal("[1,{\"a\":[]}]", seen[1].payload, strlen(seen[1].payload)));
        break;
      case 5:
        CHECK_STR("x", fake_property(res, "ext_id")); /* the first member of a name, as cJSON reads it */
        break;
      case 6:
        CHECK(!seen[1].has_deadline);
        break;
      case 7:
        CHECK(fake_property(res, "ext_id") == NULL); /* too long to echo, as in v1 */
        break;
      default:
        break;
    }
  }
}

/** A next whose payload does not fit the device once re-serialised is answered 413, as a rsp. */
TEST(v2_next_payload_too_large_for_the_device_is_answered_413) {
  start(ASYNCRPC_PROTOCOL_V2);
  push_task();
  /* raw control bytes print as \u00XX: six times longer, so a body under the limit overflows it */
  static char next[ASYNCRPC_MAX_PAYLOAD];
  size_t controls = ASYNCRPC_MAX_PAYLOAD / 5;
  int len = snprintf(next, sizeof(next), "{\"task_id\":\"" NEXT "\",\"method_code\":\"relay.switch\",\"payload\":\"");
  memset(next + len, '\x01', controls);
  memcpy(next + len + controls, "\"}", 3);
  deliver_v2_commit(next);
  CHECK_INT(1, runs);
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK(sent_correlation(res, NEXT));
  CHECK_STR("413", fake_property(res, "status_code"));
  CHECK_INT(0, fake_count("dev/SN-0001/req"));
}

/** Deterministic mutations of golden 16 (bytes flipped, cut, doubled) and random commit bodies. */
TEST(v2_mutated_and_random_commits_never_crash_the_core) {
  start(ASYNCRPC_PROTOCOL_V2);
  golden_t golden;
  golden_load("16-commit-v2-next.json", &golden);
  size_t base_len = strlen(golden.payload);
  static char body[8192];
  static const char *fragments[] = {"{", "}", "[", "]", "\"next\"", "\"task_id\"", "\"" NEXT "\"", "\"payload\"",
                                    "\"method_code\"", "\"relay.switch\"", "\"attempt\"", ":", ",", "1", "-1e999",
                                    "null", "\"\\ud800\"", "\"\\u0000\"", " "};
  static const char *protocols[] = {"2", "1", " 2", NULL};
  uint32_t state = 4242;
  for (int round = 0; round < 20000; round++) {
    state = state * 1103515245u + 12345u;
    size_t len;
    if (round % 2 == 0) {
      /* a mutation of the golden body */
      memcpy(body, golden.payload, base_len);
      len = base_len;
      int edits = 1 + (int)((state >> 24) % 4);
      for (int e = 0; e < edits; e++) {
        state = state * 1103515245u + 12345u;
        size_t at = (state >> 8) % len;
        switch ((state >> 4) % 4) {
          case 0: body[at] = (char)(state >> 16); break;                 /* flip a byte */
          case 1: len = at; break;                                       /* cut */
          case 2: memmove(body + at, body + at + 1, len - at - 1); len--; break; /* delete */
          default:                                                       /* insert */
            if (len < sizeof(body) - 1) {
              memmove(body + at + 1, body + at, len - at);
              body[at] = "{}[]\",:0"[(state >> 12) % 8];
              len++;
            }
            break;
        }
        if (len == 0) {
          break;
        }
      }
    } else {
      len = 0;
      size_t pieces = (state >> 20) % 48;
      for (size_t i = 0; i < pieces; i++) {
        state = state * 1103515245u + 12345u;
        const char *f = fragments[(state >> 16) % (sizeof(fragments) / sizeof(fragments[0]))];
        size_t flen = strlen(f);
        if (len + flen > sizeof(body)) {
          break;
        }
        memcpy(body + len, f, flen);
        len += flen;
      }
    }
    const char *protocol = protocols[(state >> 2) % 4];
    asyncrpc_property_t props[] = {{"result_id", RESULT}, {"protocol", protocol}};
    asyncrpc_message_t message = {.topic = "srv/SN-0001/cmt",
                                  .correlation_data = (const uint8_t *)TASK,
                                  .correlation_len = 36,
                                  .properties = props,
                                  .property_count = protocol == NULL ? 1 : 2,
                                  .payload = (const uint8_t *)body,
                                  .payload_len = len};
    uint32_t tasks_before = core.stats.tasks_run + core.stats.duplicates;
    uint32_t results_before = core.stats.results_sent;
    asyncrpc_core_on_message(&core, &message);
    /* every next taken ends with a result */
    CHECK_INT(core.stats.tasks_run + core.stats.duplicates - tasks_before, core.stats.results_sent - results_before);
    if (round % 64 == 0) {
      fake.now += 7000;
      asyncrpc_core_tick(&core);
    }
    if (fake.sent_count > FAKE_MAX_SENT - 64) {
      fake_clear_sent();
    }
  }
  CHECK_INT(20000, core.stats.messages);
  CHECK(core.stats.next_tasks > 0);
  CHECK(core.stats.malformed_next > 0);
}
