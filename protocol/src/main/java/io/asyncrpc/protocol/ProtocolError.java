package io.asyncrpc.protocol;

/**
 * Typed error codes the core sends on {@code srv/<SN>/err} (user property {@code error_code}) when
 * it cannot use a device's message. A message answered with an error changed nothing.
 */
public enum ProtocolError {
  /** Correlation data is missing, or is neither 16 bytes nor a canonical UUID text. */
  MALFORMED_CORRELATION_DATA("malformed-correlation-data", 400),
  /** The {@code status_code} of a result is missing or not 2xx, 4xx or 5xx. */
  INVALID_STATUS_CODE("invalid-status-code", 400),
  /** The result payload is not a JSON document. */
  INVALID_RESULT("invalid-result", 400),
  /** The payload is larger than the documented limit. */
  PAYLOAD_TOO_LARGE("payload-too-large", 413),
  /** No task with this id exists for this device; another device's task looks the same. */
  UNKNOWN_TASK("unknown-task", 404),
  /** The task is handed to a device request already and its lease has not passed. */
  TASK_LOCKED("task-locked", 409),
  /**
   * The task ended (done, failed, expired, timed out, cancelled or unreachable) and cannot change.
   */
  TASK_FINISHED("task-finished", 409),
  /** The task was never handed out, so there is nothing to take a result for. */
  TASK_NOT_STARTED("task-not-started", 409),
  /** The task's deadline has passed. */
  TASK_EXPIRED("task-expired", 410),
  /** The device is not in the registry. */
  UNKNOWN_DEVICE("unknown-device", 403),
  /**
   * An event whose {@code event_type_code}, {@code dev_event_id} or {@code dev_timestamp} is
   * missing or malformed, or whose payload is not one JSON document; on {@code eva} as its code
   * when type and id could be read, else on {@code err}.
   */
  INVALID_EVENT("invalid-event", 400),
  /**
   * A progress report ({@code prg}) that is not one JSON object, or whose {@code percent} is not an
   * integer from 0 to 100, {@code message} not a string or {@code details} not an object.
   */
  INVALID_PROGRESS("invalid-progress", 400),
  /** A cancel answer ({@code cna}) without a known {@code cancel_outcome}. */
  INVALID_CANCEL_ANSWER("invalid-cancel-answer", 400);

  private final String code;
  private final int status;

  ProtocolError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** The stable code in {@code error_code}, for example {@code unknown-task}. */
  public String code() {
    return code;
  }

  /** The HTTP-like status sent beside it in {@code status_code}. */
  public int status() {
    return status;
  }
}
