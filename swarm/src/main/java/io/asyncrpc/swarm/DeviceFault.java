package io.asyncrpc.swarm;

/**
 * A misbehaviour a simulated device shows for the next task it receives, for fault-injection runs.
 * Armed with {@link Swarm#injectFault}; each fault applies once.
 */
public enum DeviceFault {
  /**
   * The device crashes after the {@code rsp}, before its {@code res}: it drops its connection and
   * everything it remembered, then comes back and polls. The task waits for its lease to pass.
   */
  CRASH_AFTER_RESPONSE,
  /** The device sends its {@code res} twice, back to back. */
  DUPLICATE_RESULT,
  /** The device works until a second past the task's {@code deadline}, then sends its result. */
  LATE_RESULT
}
