package io.asyncrpc.agent.internal.cli;

import io.asyncrpc.agent.ProgressReporter;
import io.asyncrpc.agent.ReportingTaskHandler;
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

  /** Longest a {@code progress} task may take in all. */
  static final long MAX_PROGRESS_MS = MAX_SLEEP_MS;

  /**
   * Method code to handler: {@code echo}, {@code sleep}, {@code fail}, {@code sum} and {@code
   * progress}.
   */
  static Map<String, TaskHandler> all() {
    Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    handlers.put("echo", DemoHandlers::echo);
    handlers.put("sleep", DemoHandlers::sleep);
    handlers.put("fail", DemoHandlers::fail);
    handlers.put("sum", DemoHandlers::sum);
    handlers.put("progress", (ReportingTaskHandler) DemoHandlers::progress);
    return handlers;
  }

  /**
   * Works {@code {"steps": N, "step_ms": M}} (default 5 steps of 1000 ms), reporting the percent
   * done after each step, then succeeds with {@code {"steps": N}}.
   */
  static TaskResult progress(Task task, ProgressReporter progress) throws InterruptedException {
    JsonNode payload = task.payloadJson();
    long steps = payload.path("steps").asLong(5);
    long stepMs = payload.path("step_ms").asLong(1000);
    if (steps < 1 || steps > 100 || stepMs < 0 || steps * stepMs > MAX_PROGRESS_MS) {
      return TaskResult.error(
          400,
          "payload must be {\"steps\": 1..100, \"step_ms\": 0..} taking at most "
              + MAX_PROGRESS_MS
              + " ms");
    }
    progress.report(0, "starting " + steps + " steps");
    for (long step = 1; step <= steps; step++) {
      // The agent interrupts the sleep on a cancel; the check also stops steps of 0 ms.
      if (progress.isCancelled()) {
        throw new InterruptedException("cancelled at step " + step);
      }
      Thread.sleep(stepMs);
      progress.report((int) (step * 100 / steps), "step " + step + " of " + steps);
    }
    return TaskResult.ok("{\"steps\":" + steps + "}");
  }

  /** The result is the payload. */
  static TaskResult echo(Task task) {
    return TaskResult.ok(task.payload());
  }

  /**
   * Sleeps {@code {"ms": N}} milliseconds, then succeeds with {@code {"slept_ms": N}}; a cancel
   * interrupts the sleep, which stops it.
   */
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
