package io.asyncrpc.agent;

/**
 * Does a device's work for one method code.
 *
 * <p>A handler runs on its own virtual thread, one task at a time per agent, so it may block. What
 * it returns is sent as the task's result; an exception it throws becomes a {@code 500} result
 * whose document names the exception, so the task ends {@code FAILED} instead of timing out.
 */
@FunctionalInterface
public interface TaskHandler {

  /**
   * Runs {@code task} and returns its result.
   *
   * @param task the task handed to this device
   * @return the result to send, never {@code null}
   * @throws Exception when the work failed; sent as a {@code 500} result
   */
  TaskResult handle(Task task) throws Exception;
}
