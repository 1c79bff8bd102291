/* The device's protocol behaviour: triggers, polls, results until commit, de-duplication, journal. */
#include "asyncrpc/demo_handlers.h"
#include "fake_port.h"
#include "test.h"

#define TASK "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091"
#define TASK2 "11111111-2222-4333-8444-555555555555"
#define ZERO "00000000-0000-0000-0000-000000000000"

static int runs;

static int counting(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  runs++;
  asyncrpc_writer_printf(result, "{\"run\":%d}", runs);
  return 200;
}

static const asyncrpc_handler_t COUNTING[] = {{"count", counting, NULL}};
static const asyncrpc_property_t COUNT[] = {{"method_code", "count"}};

static void start(void) {
  runs = 0;
  fake_start(COUNTING, 1);
  fake_clear_sent();
}

static void journal_restart(void) {
  asyncrpc_port_t port = fake_port(true);
  asyncrpc_config_t config = {.device_id = "SN-0001", .handlers = COUNTING, .handler_count = 1};
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
}

TEST(trigger_without_ack_when_acks_are_off) {
  runs = 0;
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {.device_id = "SN-0001", .handlers = COUNTING, .handler_count = 1, .no_ack = true};
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
  asyncrpc_core_on_connected(&core);
  fake_clear_sent();
  fake_deliver("srv/SN-0001/tsk", TASK, COUNT, 1, NULL);
  CHECK_INT(0, fake_count("dev/SN-0001/ack"));
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
}

TEST(trigger_of_a_finished_task_is_ignored) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  fake_clear_sent();
  fake_deliver("srv/SN-0001/tsk", TASK, COUNT, 1, NULL);
  CHECK_INT(0, fake.sent_count);
}

TEST(trigger_with_zero_uuid_is_ignored) {
  start();
  fake_deliver("srv/SN-0001/tsk", ZERO, COUNT, 1, NULL);
  CHECK_INT(0, fake.sent_count);
  CHECK_INT(1, core.stats.ignored);
}

TEST(result_is_resent_until_commit) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(2, fake_count("dev/SN-0001/res"));
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(3, fake_count("dev/SN-0001/res"));
  CHECK_INT(1, runs);
  fake_deliver("srv/SN-0001/cmt", TASK, NULL, 0, "{}");
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(3, fake_count("dev/SN-0001/res"));
}

TEST(task_locked_error_keeps_the_result_resending) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  asyncrpc_property_t locked[] = {{"error_code", "task-locked"}, {"status_code", "409"}};
  fake_deliver("srv/SN-0001/err", TASK, locked, 2, "{\"code\":\"task-locked\",\"topic\":\"dev/SN-0001/res\"}");
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(2, fake_count("dev/SN-0001/res"));
}

TEST(error_about_a_request_does_not_drop_the_result) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  asyncrpc_property_t finished[] = {{"error_code", "task-finished"}};
  fake_deliver("srv/SN-0001/err", TASK, finished, 1, "{\"code\":\"task-finished\",\"topic\":\"dev/SN-0001/req\"}");
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(2, fake_count("dev/SN-0001/res"));
}

TEST(error_code_is_read_from_the_payload_when_no_property) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  fake_deliver("srv/SN-0001/err", TASK, NULL, 0, "{\"code\":\"task-finished\"}");
  CHECK(strstr(fake.last_event, "task-finished") != NULL);
  fake.now += 5000;
  asyncrpc_core_tick(&core);
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
}

TEST(redelivered_task_is_not_run_again_and_its_result_is_resent) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "count"}, {"ext_id", "order-7"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 2, "{}");
  fake_deliver("srv/SN-0001/cmt", TASK, NULL, 0, NULL);
  fake_clear_sent();
  asyncrpc_property_t again[] = {{"method_code", "count"}, {"attempt", "2"}};
  fake_deliver("srv/SN-0001/rsp", TASK, again, 2, "{}");
  CHECK_INT(1, runs);
  CHECK_INT(1, core.stats.duplicates);
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK(res != NULL);
  CHECK_STR("order-7", fake_property(res, "ext_id"));
  CHECK(res->payload_len == strlen("{\"run\":1}") && memcmp(res->payload, "{\"run\":1}", res->payload_len) == 0);
}

TEST(journal_survives_a_restart_so_a_redelivered_task_is_not_run_twice) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  journal_restart();
  asyncrpc_core_on_connected(&core);
  /* the uncommitted result is resent on connect */
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  CHECK_INT(1, runs);
  CHECK_INT(2, fake_count("dev/SN-0001/res"));
}

TEST(committed_entries_are_not_resent_after_restart) {
  start();
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  fake_deliver("srv/SN-0001/cmt", TASK, NULL, 0, NULL);
  journal_restart();
  asyncrpc_core_on_connected(&core);
  CHECK_INT(0, fake_count("dev/SN-0001/res"));
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
}

TEST(journal_forgets_the_oldest_committed_entry_first) {
  start();
  char id[37];
  for (int i = 0; i < ASYNCRPC_JOURNAL_CAPACITY + 3; i++) {
    snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", i + 1);
    fake_deliver("srv/SN-0001/rsp", id, COUNT, 1, "{}");
    fake_deliver("srv/SN-0001/cmt", id, NULL, 0, NULL);
  }
  CHECK_INT(ASYNCRPC_JOURNAL_CAPACITY + 3, runs);
  /* the newest is remembered, the first is forgotten and would run again */
  fake_deliver("srv/SN-0001/rsp", id, COUNT, 1, "{}");
  CHECK_INT(ASYNCRPC_JOURNAL_CAPACITY + 3, runs);
  fake_deliver("srv/SN-0001/rsp", "00000000-0000-4000-8000-000000000001", COUNT, 1, "{}");
  CHECK_INT(ASYNCRPC_JOURNAL_CAPACITY + 4, runs);
}

TEST(failing_journal_writes_still_send_the_result) {
  start();
  fake.fail_journal_writes = true;
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
  CHECK(core.stats.journal_failures >= 1);
}

TEST(poll_timer_requests_the_head_of_the_fifo_only_while_connected) {
  start();
  fake.now += 29999;
  asyncrpc_core_tick(&core);
  CHECK_INT(0, fake_count("dev/SN-0001/req"));
  fake.now += 1;
  asyncrpc_core_tick(&core);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  asyncrpc_core_on_disconnected(&core);
  fake.now += 60000;
  asyncrpc_core_tick(&core);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
  /* offline nothing is due, so the port's loop blocks instead of spinning on an overdue poll */
  CHECK_INT(30000, asyncrpc_core_next_timeout_ms(&core));
  asyncrpc_core_on_connected(&core); /* polls at once */
  CHECK_INT(2, fake_count("dev/SN-0001/req"));
  CHECK_INT(30000, asyncrpc_core_next_timeout_ms(&core));
}

TEST(results_finished_offline_are_sent_on_connect) {
  start();
  asyncrpc_core_on_disconnected(&core);
  fake_deliver("srv/SN-0001/rsp", TASK, COUNT, 1, "{}");
  CHECK_INT(0, fake_count("dev/SN-0001/res"));
  asyncrpc_core_on_connected(&core);
  CHECK_INT(1, fake_count("dev/SN-0001/res"));
}

TEST(response_with_an_error_status_is_not_run) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "count"}, {"status_code", "410"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 2, "{}");
  CHECK_INT(0, runs);
  CHECK_INT(0, fake.sent_count);
}

TEST(commit_of_an_unknown_task_only_polls) {
  start();
  fake_deliver("srv/SN-0001/cmt", TASK2, NULL, 0, "not json");
  CHECK_INT(0, core.stats.commits);
  CHECK_INT(1, fake_count("dev/SN-0001/req"));
}

TEST(task_fields_reach_the_handler_and_attempt_defaults_to_one) {
  start();
  asyncrpc_property_t props[] = {{"method_code", "count"}, {"attempt", "x"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 2, NULL);
  CHECK_INT(1, runs);
  CHECK(strstr(fake.last_event, "done " TASK " status=200") != NULL);
}

TEST(demo_sum_adds_the_values) {
  size_t count;
  const asyncrpc_handler_t *demo = asyncrpc_demo_handlers(NULL, &count);
  fake_start(demo, count);
  asyncrpc_property_t sum[] = {{"method_code", "sum"}};
  fake_deliver("srv/SN-0001/rsp", TASK, sum, 1, "{\"values\":[1,2,3,4]}");
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK_STR("200", fake_property(res, "status_code"));
  CHECK(res->payload_len == 10 && memcmp(res->payload, "{\"sum\":10}", 10) == 0);
  fake_deliver("srv/SN-0001/rsp", TASK2, sum, 1, "{\"values\":[1,2.5]}");
  res = fake_last("dev/SN-0001/res");
  CHECK(memcmp(res->payload, "{\"sum\":3.5}", res->payload_len) == 0);
}

TEST(demo_sum_refuses_what_is_not_numbers) {
  size_t count;
  const asyncrpc_handler_t *demo = asyncrpc_demo_handlers(NULL, &count);
  fake_start(demo, count);
  asyncrpc_property_t sum[] = {{"method_code", "sum"}};
  fake_deliver("srv/SN-0001/rsp", TASK, sum, 1, "{\"values\":[1,\"2\"]}");
  CHECK_STR("400", fake_property(fake_last("dev/SN-0001/res"), "status_code"));
  fake_deliver("srv/SN-0001/rsp", TASK2, sum, 1, "[]");
  CHECK_STR("400", fake_property(fake_last("dev/SN-0001/res"), "status_code"));
}

static uint32_t slept;
static void record_sleep(uint32_t ms) { slept = ms; }

TEST(demo_echo_fail_and_sleep) {
  size_t count;
  const asyncrpc_handler_t *demo = asyncrpc_demo_handlers(record_sleep, &count);
  fake_start(demo, count);
  asyncrpc_property_t echo[] = {{"method_code", "echo"}};
  fake_deliver("srv/SN-0001/rsp", TASK, echo, 1, "{\"say\":\"hello\"}");
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK(res->payload_len == 15 && memcmp(res->payload, "{\"say\":\"hello\"}", 15) == 0);

  asyncrpc_property_t fail[] = {{"method_code", "fail"}};
  fake_deliver("srv/SN-0001/rsp", TASK2, fail, 1, "{\"reason\":\"stuck\"}");
  CHECK_STR("500", fake_property(fake_last("dev/SN-0001/res"), "status_code"));

  asyncrpc_property_t sleep[] = {{"method_code", "sleep"}};
  fake_deliver("srv/SN-0001/rsp", "22222222-2222-4333-8444-555555555555", sleep, 1, "{\"ms\":25}");
  CHECK_INT(25, slept);
  CHECK_STR("200", fake_property(fake_last("dev/SN-0001/res"), "status_code"));
  fake_deliver("srv/SN-0001/rsp", "33333333-2222-4333-8444-555555555555", sleep, 1, "{\"ms\":-1}");
  CHECK_STR("400", fake_property(fake_last("dev/SN-0001/res"), "status_code"));
}
