package io.asyncrpc.task.model;

/** Where a task is in its lifecycle; the names are stored as text in {@code tasks.status}. */
public enum TaskStatus {
  /** Committed and waiting in the device's FIFO. */
  QUEUED,
  /** The device acknowledged the trigger and will request the task. */
  PENDING,
  /** Handed to one device request, with a lease. */
  LOCKED,
  /** The device reported success (status code 2xx). */
  DONE,
  /** The device reported failure (status code 4xx or 5xx). */
  FAILED,
  /** The deadline passed before the task was handed out. */
  EXPIRED,
  /** The lease passed without a result too many times. */
  TIMED_OUT,
  /** The caller cancelled it before it finished. */
  CANCELLED,
  /**
   * An online-only task whose device was offline: when it was created, when it disconnected while
   * the task waited, or when the device's lease passed or its push came back while it was away.
   */
  UNREACHABLE;

  /** Whether the task can no longer change. */
  public boolean isTerminal() {
    return switch (this) {
      case DONE, FAILED, EXPIRED, TIMED_OUT, CANCELLED, UNREACHABLE -> true;
      case QUEUED, PENDING, LOCKED -> false;
    };
  }

  /** Whether the task may still be handed to its device. */
  public boolean isWaiting() {
    return this == QUEUED || this == PENDING;
  }
}
