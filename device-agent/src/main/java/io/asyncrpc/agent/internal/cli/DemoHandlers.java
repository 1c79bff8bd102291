package io.asyncrpc.agent.internal.cli;

import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskHandler;
import io.asyncrpc.agent.TaskResult;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The CLI's built-in handlers, enough to try the whole task lifecycle without writing code. */
final class DemoHandlers {

  /** Longest sleep a {@code sleep} task may ask for, so a typo cannot park the agent for days. */
  static final long MAX_SLEEP_MS = 10 * 60 * 1000;

  private DemoHandlers() {}

  /** Method code to handler: {@code echo}, {@code sleep}, {@code fail} and {@code sum}. */
  static Map<String, TaskHandler> all() {
    Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    handlers.put("echo", DemoHandlers::echo);
    handlers.put("sleep", DemoHandlers::sleep);
    handlers.put("fail", DemoHandlers::fail);
    handlers.put("sum", DemoHandlers::sum);
    return handlers;
  }

  /** The result is the payload. */
  static TaskResult echo(Task task) {
    return TaskResult.ok(task.payload());
  }

  /** Sleeps {@code {"ms": N}} milliseconds, then succeeds with {@code {"slept_ms": N}}. */
  static TaskResult sleep(Task task) throws InterruptedException {
    JsonNode ms = task.payloadJson().path("ms");
    if (!ms.canConvertToLong() || ms.asLong() < 0 || ms.asLong() > MAX_SLEEP_MS) {
      return TaskResult.error(400, "payload must be {\"ms\": 0.." + MAX_SLEEP_MS + "}");
    }
    Thread.sleep(ms.asLong());
    return TaskResult.ok("{\"slept_ms\":" + ms.asLong() + "}");
  }

  /** Fails with status 500 and the payload as the error document. */
  static TaskResult fail(Task task) {
    return TaskResult.failed(500, task.payload());
  }

  /** Adds {@code {"values": [...]}} and answers {@code {"sum": ...}}. */
  static TaskResult sum(Task task) {
    JsonNode values = task.payloadJson().path("values");
    if (!values.isArray()) {
      return TaskResult.error(400, "payload must be {\"values\": [numbers]}");
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode value : values) {
      if (!value.isNumber()) {
        return TaskResult.error(400, "not a number: " + value);
      }
      sum = sum.add(value.decimalValue());
    }
    return TaskResult.ok("{\"sum\":" + sum.stripTrailingZeros().toPlainString() + "}");
  }
}
