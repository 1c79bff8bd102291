#include "asyncrpc/demo_handlers.h"

#include <math.h>
#include <string.h>

typedef struct {
  asyncrpc_sleep_fn sleep_fn;
} sleeper_t;

static sleeper_t sleeper;

static asyncrpc_handler_t table[] = {
    {"echo", asyncrpc_demo_echo, NULL},
    {"sleep", asyncrpc_demo_sleep, &sleeper},
    {"fail", asyncrpc_demo_fail, NULL},
    {"sum", asyncrpc_demo_sum, NULL},
};

const asyncrpc_handler_t *asyncrpc_demo_handlers(asyncrpc_sleep_fn sleep_fn, size_t *count) {
  sleeper.sleep_fn = sleep_fn;
  *count = sizeof(table) / sizeof(table[0]);
  return table;
}

static int error(asyncrpc_writer_t *result, int status, const char *message) {
  asyncrpc_writer_append(result, "{\"error\":", 9);
  asyncrpc_writer_json_string(result, message);
  asyncrpc_writer_append(result, "}", 1);
  return status;
}

int asyncrpc_demo_echo(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  asyncrpc_writer_append(result, task->payload, task->payload_len);
  return 200;
}

int asyncrpc_demo_fail(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  asyncrpc_writer_append(result, task->payload, task->payload_len);
  return 500;
}

int asyncrpc_demo_sum(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  const cJSON *values = cJSON_GetObjectItemCaseSensitive(task->json, "values");
  if (!cJSON_IsArray(values)) {
    return error(result, 400, "payload must be {\"values\": [numbers]}");
  }
  double sum = 0;
  const cJSON *value;
  cJSON_ArrayForEach(value, values) {
    if (!cJSON_IsNumber(value)) {
      return error(result, 400, "not a number in values");
    }
    sum += value->valuedouble;
  }
  if (!isfinite(sum)) {
    return error(result, 400, "sum is not finite");
  }
  /* %.15g: integers print without a fraction ({"sum":10}), 0.1+0.2 prints 0.3, like the agent. */
  asyncrpc_writer_printf(result, "{\"sum\":%.15g}", sum);
  return 200;
}

int asyncrpc_demo_sleep(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  const sleeper_t *s = user;
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(task->json, "ms");
  if (!cJSON_IsNumber(ms) || ms->valuedouble < 0 || ms->valuedouble > (double)ASYNCRPC_DEMO_MAX_SLEEP_MS ||
      ms->valuedouble != floor(ms->valuedouble)) {
    return error(result, 400, "payload must be {\"ms\": 0..600000}");
  }
  uint32_t millis = (uint32_t)ms->valuedouble;
  if (s != NULL && s->sleep_fn != NULL) {
    s->sleep_fn(millis);
  }
  asyncrpc_writer_printf(result, "{\"slept_ms\":%lu}", (unsigned long)millis);
  return 200;
}
