/*
 * Progress reports of the running task (dev/<SN>/prg): golden message 21 as the Java
 * GoldenCodecTests build it, in v1 and v2 alike; members left out; the local refusals (not the
 * running task, percent over 100, details not an object, too large, offline); golden 22 (the
 * core's err) counted and changing nothing locally.
 */
#include "golden.h"
#include "test.h"

#define TASK "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091"
#define PRG "dev/SN-0001/prg"

static golden_t in, out;
static int results[16];
static int result_count;
static const asyncrpc_task_t *seen_task;

static void record(int rc) {
  CHECK(result_count < 16);
  results[result_count++] = rc;
}

/* The golden report, then the result. */
static int flashing(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  record(asyncrpc_core_report_progress(&core, task, 40, "flashing block 4 of 10", "{\"block\": 4, \"blocks\": 10}"));
  asyncrpc_writer_append(result, "{\"flashed\":10}", 14);
  return 200;
}

/* Only some members, and every local refusal. */
static int partial(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  seen_task = task;
  record(asyncrpc_core_report_progress(&core, task, 7, NULL, NULL));
  record(asyncrpc_core_report_progress(&core, task, -1, "only words", NULL));
  record(asyncrpc_core_report_progress(&core, task, 101, NULL, NULL));
  record(asyncrpc_core_report_progress(&core, task, 5, NULL, "[1,2]"));
  record(asyncrpc_core_report_progress(&core, task, 5, NULL, "{\"a\":1} trailing"));
  static char long_message[ASYNCRPC_MAX_PROGRESS_PAYLOAD + 1];
  memset(long_message, 'x', ASYNCRPC_MAX_PROGRESS_PAYLOAD);
  long_message[ASYNCRPC_MAX_PROGRESS_PAYLOAD] = '\0';
  record(asyncrpc_core_report_progress(&core, task, 5, long_message, NULL));
  /* The task's parsed payload is still readable after a details check used the arena. */
  CHECK_INT(2, cJSON_GetObjectItemCaseSensitive(task->json, "relay")->valueint);
  asyncrpc_writer_append(result, "{}", 2);
  return 200;
}

static const asyncrpc_handler_t FLASHING[] = {{"relay.switch", flashing, NULL}};
static const asyncrpc_handler_t PARTIAL[] = {{"relay.switch", partial, NULL}};

static void run(const asyncrpc_handler_t *handlers, uint8_t version, const char *response) {
  result_count = 0;
  fake_start_protocol(handlers, 1, version);
  fake_clear_sent();
  golden_load(response, &in);
  golden_deliver(&in);
}

/** Verifies that a handler's report is golden 21, sent before its result, in v1. */
TEST(progress_report_is_golden_21_before_the_result) {
  run(FLASHING, 0, "05-response.json");
  CHECK_INT(1, result_count);
  CHECK_INT(ASYNCRPC_PROGRESS_OK, results[0]);
  CHECK_INT(2, fake.sent_count);
  golden_load("21-progress.json", &out);
  golden_check(&fake.sent[0], &out);
  CHECK_STR("dev/SN-0001/res", fake.sent[1].topic);
  CHECK_INT(1, core.stats.progress_sent);
}

TEST(progress_report_is_the_same_in_v2) {
  run(FLASHING, ASYNCRPC_PROTOCOL_V2, "14-push-v2.json");
  CHECK_INT(ASYNCRPC_PROGRESS_OK, results[0]);
  golden_load("21-progress.json", &out);
  golden_check(&fake.sent[0], &out);
}

TEST(progress_leaves_out_absent_members_and_refuses_bad_reports_locally) {
  run(PARTIAL, 0, "05-response.json");
  CHECK_INT(6, result_count);
  CHECK_INT(ASYNCRPC_PROGRESS_OK, results[0]);
  CHECK_INT(ASYNCRPC_PROGRESS_OK, results[1]);
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_INVALID, results[2]);
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_INVALID, results[3]);
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_INVALID, results[4]);
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_TOO_LARGE, results[5]);
  CHECK_INT(2, fake_count(PRG));
  CHECK_STR("{\"percent\":7}", fake.sent[0].payload);
  CHECK_STR("{\"message\":\"only words\"}", fake.sent[1].payload);
  CHECK_INT(36, fake.sent[0].correlation_len);
}

TEST(progress_outside_the_handler_of_the_task_is_refused) {
  run(PARTIAL, 0, "05-response.json");
  fake_clear_sent();
  /* The handler returned: its task is no longer running. */
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_NOT_RUNNING, asyncrpc_core_report_progress(&core, seen_task, 50, NULL, NULL));
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_NOT_RUNNING, asyncrpc_core_report_progress(&core, NULL, 50, NULL, NULL));
  CHECK_INT(0, fake.sent_count);
  CHECK_STR("not-running", asyncrpc_progress_error_code(ASYNCRPC_PROGRESS_ERR_NOT_RUNNING));
}

static int offline(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  asyncrpc_core_on_disconnected(&core);
  record(asyncrpc_core_report_progress(&core, task, 50, NULL, NULL));
  asyncrpc_writer_append(result, "{}", 2);
  return 200;
}

TEST(progress_while_offline_is_dropped) {
  static const asyncrpc_handler_t OFFLINE[] = {{"relay.switch", offline, NULL}};
  run(OFFLINE, 0, "05-response.json");
  CHECK_INT(ASYNCRPC_PROGRESS_ERR_OFFLINE, results[0]);
  CHECK_INT(0, fake_count(PRG));
  CHECK_INT(0, core.stats.progress_sent);
}

/** Verifies that the core's refusal of a report (golden 22) is counted and changes nothing. */
TEST(progress_refused_by_the_core_is_counted) {
  run(FLASHING, 0, "05-response.json");
  uint32_t errors = core.stats.errors;
  size_t sent = fake.sent_count;
  golden_load("22-error-invalid-progress.json", &in);
  golden_deliver(&in);
  CHECK_INT(errors + 1, core.stats.errors);
  CHECK_INT(sent, fake.sent_count);
  /* Not about the result: it is still resent until its commit. */
  size_t results_before = fake_count("dev/SN-0001/res");
  fake.now += 6000;
  asyncrpc_core_tick(&core);
  CHECK_INT(results_before + 1, fake_count("dev/SN-0001/res"));
}
