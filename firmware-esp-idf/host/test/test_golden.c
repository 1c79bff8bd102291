/* The golden messages of protocol v1 as test vectors: what the core receives and what it must send. */
#include "golden.h"
#include "test.h"

static int relay_ok(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  CHECK_STR("relay.switch", task->method_code);
  CHECK_INT(1, task->attempt);
  CHECK_STR("order-42", task->ext_id);
  CHECK_STR("2026-11-25T12:00:00Z", task->deadline);
  CHECK_INT(2, cJSON_GetObjectItemCaseSensitive(task->json, "relay")->valueint);
  const char *body = "{\"relay\":2,\"state\":\"on\",\"took_ms\":12}";
  asyncrpc_writer_append(result, body, strlen(body));
  return 200;
}

static int relay_fails(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  const char *body = "{\"error\":\"relay did not switch\"}";
  asyncrpc_writer_append(result, body, strlen(body));
  return 500;
}

static int relay_on(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  const char *body = "{\"relay\":2,\"state\":\"on\"}";
  asyncrpc_writer_append(result, body, strlen(body));
  return 200;
}

static const asyncrpc_handler_t OK[] = {{"relay.switch", relay_ok, NULL}};
static const asyncrpc_handler_t FAILS[] = {{"relay.switch", relay_fails, NULL}};
static const asyncrpc_handler_t ON[] = {{"relay.switch", relay_on, NULL}};

static golden_t in, out;

/** Verifies that a connect subscribes srv/SN/+ and polls with the zero UUID exactly like 04. */
TEST(golden_poll_on_connect_is_request_head_of_fifo) {
  fake_start(OK, 1);
  CHECK_INT(1, fake.subscription_count);
  CHECK_STR("srv/SN-0001/+", fake.subscriptions[0]);
  CHECK_INT(1, fake.sent_count);
  golden_load("04-request-head-of-fifo.json", &out);
  golden_check(&fake.sent[0], &out);
}

TEST(golden_trigger_is_answered_with_ack_and_request_by_id) {
  fake_start(OK, 1);
  fake_clear_sent();
  golden_load("01-trigger.json", &in);
  golden_deliver(&in);
  CHECK_INT(2, fake.sent_count);
  golden_load("02-ack.json", &out);
  golden_check(&fake.sent[0], &out);
  golden_load("03-request-by-id.json", &out);
  golden_check(&fake.sent[1], &out);
}

TEST(golden_response_runs_the_handler_and_sends_result_ok) {
  fake_start(OK, 1);
  fake_clear_sent();
  golden_load("05-response.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, fake.sent_count);
  golden_load("07-result-ok.json", &out);
  golden_check(&fake.sent[0], &out);
  CHECK_INT(1, core.stats.tasks_run);
}

TEST(golden_failing_handler_sends_result_failed) {
  fake_start(FAILS, 1);
  fake_clear_sent();
  golden_load("05-response.json", &in);
  golden_remove_property(&in, "ext_id");
  golden_deliver(&in);
  golden_load("08-result-failed.json", &out);
  golden_check(fake_last("dev/SN-0001/res"), &out);
}

TEST(golden_no_task_response_runs_nothing_and_sends_nothing) {
  fake_start(OK, 1);
  fake_clear_sent();
  golden_load("06-response-no-task.json", &in);
  golden_deliver(&in);
  CHECK_INT(0, fake.sent_count);
  CHECK_INT(0, core.stats.tasks_run);
}

/** 09 and 10 show the id forms a device may use; the device accepts them from the core too. */
TEST(golden_correlation_fallback_property_is_accepted) {
  fake_start(ON, 1);
  fake_clear_sent();
  golden_load("09-result-correlation-fallback.json", &in);
  golden_t rsp;
  golden_load("05-response.json", &rsp);
  rsp.correlation_len = 0;
  golden_remove_property(&rsp, "ext_id");
  golden_remove_property(&rsp, "status_code");
  /* the correlationData user property, exactly as 09 carries it */
  for (size_t i = 0; i < in.property_count; i++) {
    if (strcmp(in.keys[i], "correlationData") == 0) {
      size_t j = rsp.property_count++;
      strcpy(rsp.keys[j], in.keys[i]);
      strcpy(rsp.values[j], in.values[i]);
      rsp.properties[j].key = rsp.keys[j];
      rsp.properties[j].value = rsp.values[j];
    }
  }
  golden_deliver(&rsp);
  golden_load("07-result-ok.json", &out);
  const fake_sent_t *result = fake_last("dev/SN-0001/res");
  CHECK(result != NULL);
  CHECK_INT(36, result->correlation_len);
  CHECK(memcmp(out.correlation, result->correlation, 36) == 0);
}

TEST(golden_raw_correlation_bytes_are_accepted) {
  fake_start(ON, 1);
  fake_clear_sent();
  golden_load("10-result-raw-correlation.json", &in);
  CHECK_INT(16, in.correlation_len);
  golden_t rsp;
  golden_load("05-response.json", &rsp);
  memcpy(rsp.correlation, in.correlation, 16);
  rsp.correlation_len = 16;
  golden_deliver(&rsp);
  golden_load("07-result-ok.json", &out);
  const fake_sent_t *result = fake_last("dev/SN-0001/res");
  CHECK(result != NULL);
  CHECK(memcmp(out.correlation, result->correlation, 36) == 0);
}

TEST(golden_commit_stops_resending_and_polls) {
  fake_start(OK, 1);
  golden_load("05-response.json", &in);
  golden_deliver(&in);
  fake_clear_sent();
  golden_load("11-commit.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, core.stats.commits);
  golden_load("04-request-head-of-fifo.json", &out);
  golden_check(fake_last("dev/SN-0001/req"), &out);
  CHECK(strstr(fake.last_event, "result_id=9a0c1d2e-3f40-4152-8a6b-7c8d9e0f1a2b") != NULL);
  fake_clear_sent();
  fake.now += 60000;
  asyncrpc_core_tick(&core);
  CHECK_INT(0, fake_count("dev/SN-0001/res"));
}

TEST(golden_error_unknown_task_drops_the_result) {
  fake_start(OK, 1);
  golden_load("05-response.json", &in);
  golden_deliver(&in);
  fake_clear_sent();
  golden_load("12-error-unknown-task.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, core.stats.errors);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  fake_clear_sent();
  fake.now += 60000;
  asyncrpc_core_tick(&core);
  CHECK_INT(0, fake_count("dev/SN-0001/res"));
}
