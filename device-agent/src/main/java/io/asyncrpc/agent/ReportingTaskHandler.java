package io.asyncrpc.agent;

/**
 * A {@link TaskHandler} that reports progress while it runs: register it like any handler ({@link
 * DeviceAgentBuilder#handler(String, ReportingTaskHandler)}).
 *
 * <pre>{@code
 * builder.handler("firmware.update", (task, progress) -> {
 *   for (int block = 1; block <= 10; block++) {
 *     flash(block);
 *     progress.report(block * 10, "flashed block " + block + " of 10");
 *   }
 *   return TaskResult.ok("{\"flashed\":10}");
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ReportingTaskHandler extends TaskHandler {

  /**
   * Runs {@code task}, reporting progress through {@code progress}, and returns its result.
   *
   * @param task the task handed to this device
   * @param progress sends progress of this task to the core
   * @return the result to send, never {@code null}
   * @throws Exception when the work failed; sent as a {@code 500} result
   */
  @Override
  TaskResult handle(Task task, ProgressReporter progress) throws Exception;

  /** Runs the handler without reporting anything. */
  @Override
  default TaskResult handle(Task task) throws Exception {
    return handle(task, ProgressReporter.NONE);
  }
}
