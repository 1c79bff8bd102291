package io.asyncrpc.agent.internal;

import io.asyncrpc.agent.ProgressReporter;
import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskHandler;
import io.asyncrpc.agent.TaskResult;
import io.asyncrpc.protocol.ProtocolLimits;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs the handler of a task and turns whatever happens into a result the core accepts, so a task
 * always ends instead of timing out: unknown method code 501, handler exception 500, a result that
 * is not one JSON document or is too large 500.
 */
final class TaskExecution {

  /** Status of a task whose method code has no handler. */
  static final int NOT_IMPLEMENTED = 501;

  /** Status of a task whose handler failed. */
  static final int HANDLER_FAILED = 500;

  /** Status of a task whose payload is not JSON: the request itself is bad. */
  static final int BAD_PAYLOAD = 400;

  private static final System.Logger LOG = System.getLogger(TaskExecution.class.getName());

  private final Map<String, TaskHandler> handlers;
  private final @Nullable TaskHandler fallback;

  TaskExecution(Map<String, TaskHandler> handlers, @Nullable TaskHandler fallback) {

    this.handlers = Map.copyOf(handlers);
    this.fallback = fallback;
  }

  /** Runs {@code task}'s handler without progress reports; never throws. */
  TaskResult run(Task task) {
    return run(task, ProgressReporter.NONE);
  }

  /** Runs {@code task}'s handler, which may report through {@code progress}; never throws. */
  TaskResult run(Task task, ProgressReporter progress) {
    TaskHandler handler = handlers.getOrDefault(task.methodCode(), fallback);
    if (handler == null) {
      return TaskResult.error(NOT_IMPLEMENTED, "unknown method_code " + task.methodCode());
    }
    if (!Json.isDocument(task.payload())) {
      return TaskResult.error(BAD_PAYLOAD, "task payload is not a JSON document");
    }
    TaskResult result;
    try {
      result = handler.handle(task, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failure("handler interrupted", e);
    } catch (Throwable e) {
      // Even an Error must end as a result: a handler that dies silently would leave the agent
      // busy forever and the task waiting for its lease to pass.
      LOG.log(Level.WARNING, "handler of " + task.methodCode() + " failed on " + task.id(), e);
      return failure("handler failed", e);
    }
    if (result == null) {
      return TaskResult.error(HANDLER_FAILED, "handler returned no result");
    }
    if (!Json.isDocument(result.body())) {
      return TaskResult.error(HANDLER_FAILED, "handler result is not a JSON document");
    }
    if (result.body().getBytes(StandardCharsets.UTF_8).length > ProtocolLimits.MAX_PAYLOAD_BYTES) {
      return TaskResult.error(
          HANDLER_FAILED,
          "handler result is larger than " + ProtocolLimits.MAX_PAYLOAD_BYTES + " bytes");
    }
    return result;
  }

  private static TaskResult failure(String message, Throwable e) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("exception", e.getClass().getName());
    if (e.getMessage() != null) {
      details.put("message", e.getMessage());
    }
    return new TaskResult(HANDLER_FAILED, Json.errorDocument(message, details));
  }
}
