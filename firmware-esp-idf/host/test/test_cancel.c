/*
 * Cancel (v2, srv/<SN>/cnl, golden 23) answered on dev/<SN>/cna: finished for a task in the
 * journal (golden 25), stopped when the application's cancel hook stopped its work (golden 24),
 * unknown otherwise; a v1 device ignores a cnl and sends nothing.
 */
#include "golden.h"
#include "test.h"

#define TASK "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091"
#define CNA "dev/SN-0001/cna"

static golden_t in, out;
static int hook_calls;
static bool hook_saw_finished;
static char hook_task[ASYNCRPC_TASK_ID_TEXT_LEN + 1];

static bool stop_work(const asyncrpc_task_id_t *task_id, bool finished, void *user) {
  hook_calls++;
  hook_saw_finished = finished;
  asyncrpc_task_id_format(task_id, hook_task);
  return *(const bool *)user;
}

static int relay(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)task;
  (void)user;
  asyncrpc_writer_append(result, "{}", 2);
  return 200;
}

static const asyncrpc_handler_t RELAY[] = {{"relay.switch", relay, NULL}};
static bool stopped = true;
static bool not_stopped = false;

static void cancel(void) {
  fake_clear_sent();
  golden_load("23-cancel-v2.json", &in);
  golden_deliver(&in);
}

/** Verifies that a cancel of a task whose result is made is answered as golden 25. */
TEST(cancel_of_a_finished_task_is_golden_25) {
  fake_start_protocol(RELAY, 1, ASYNCRPC_PROTOCOL_V2);
  asyncrpc_core_set_cancel_hook(&core, stop_work, &stopped);
  golden_load("14-push-v2.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, fake_count("dev/SN-0001/res"));

  cancel();

  CHECK_INT(1, fake.sent_count);
  golden_load("25-cancel-answer-finished.json", &out);
  golden_check(&fake.sent[0], &out);
  CHECK_INT(1, hook_calls);
  CHECK(hook_saw_finished);
  CHECK_STR(TASK, hook_task);
  CHECK_INT(1, core.stats.cancels);
}

/** Verifies that the hook stopping the work makes the answer golden 24. */
TEST(cancel_the_hook_stopped_is_golden_24) {
  fake_start_protocol(RELAY, 1, ASYNCRPC_PROTOCOL_V2);
  asyncrpc_core_set_cancel_hook(&core, stop_work, &stopped);

  cancel();

  CHECK_INT(1, fake.sent_count);
  golden_load("24-cancel-answer-stopped.json", &out);
  golden_check(&fake.sent[0], &out);
  CHECK(!hook_saw_finished);
  CHECK_STR(TASK, hook_task);
}

/** Verifies that an unknown task, without a hook or with one that stopped nothing, is unknown. */
TEST(cancel_of_a_task_nothing_holds_is_unknown) {
  fake_start_protocol(RELAY, 1, ASYNCRPC_PROTOCOL_V2);

  cancel();
  CHECK_INT(1, fake_count(CNA));
  CHECK_STR("unknown", fake_property(fake_last(CNA), "cancel_outcome"));
  CHECK_STR("2", fake_property(fake_last(CNA), "protocol"));

  asyncrpc_core_set_cancel_hook(&core, stop_work, &not_stopped);
  cancel();
  CHECK_INT(1, hook_calls);
  CHECK_STR("unknown", fake_property(fake_last(CNA), "cancel_outcome"));
  CHECK_INT(2, core.stats.cancels);
}

/** Verifies that a v1 device ignores a cancel: no answer, no hook. */
TEST(cancel_is_ignored_by_a_v1_device) {
  fake_start(RELAY, 1);
  asyncrpc_core_set_cancel_hook(&core, stop_work, &stopped);
  uint32_t ignored = core.stats.ignored;

  cancel();

  CHECK_INT(0, fake.sent_count);
  CHECK_INT(0, hook_calls);
  CHECK_INT(ignored + 1, core.stats.ignored);
}
