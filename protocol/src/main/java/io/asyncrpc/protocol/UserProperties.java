package io.asyncrpc.protocol;

/**
 * Names of the MQTT 5 user properties of protocols v1 and v2. On the AMQP side of RabbitMQ they are
 * message headers, always with string values.
 */
public final class UserProperties {

  /** The task's method code, on {@code tsk} and {@code rsp}. */
  public static final String METHOD_CODE = "method_code";

  /** HTTP-like outcome: on {@code res} (2xx done, 4xx/5xx failed) and on a no-task {@code rsp}. */
  public static final String STATUS_CODE = "status_code";

  /** The caller's external id of the task, optional on {@code res}, echoed on {@code rsp}. */
  public static final String EXTERNAL_ID = "ext_id";

  /** The id of the stored result, on {@code cmt}. */
  public static final String RESULT_ID = "result_id";

  /** How many times the task has been handed out, including this one, on {@code rsp}. */
  public static final String ATTEMPT = "attempt";

  /** The task's deadline (ISO-8601 instant), on {@code tsk} and {@code rsp}. */
  public static final String DEADLINE = "deadline";

  /** The typed error code, on {@code err}. */
  public static final String ERROR_CODE = "error_code";

  /** Fallback for clients that cannot set MQTT 5 correlation data: the task id as text. */
  public static final String CORRELATION_DATA = "correlationData";

  /**
   * v2: the protocol version a device speaks, on its {@code req} and {@code res} ({@code 2}); on a
   * {@code cmt} of v2, {@code 2}. Absent means v1.
   */
  public static final String PROTOCOL = "protocol";

  /** v2: when the lease of a task handed out ends (ISO-8601 instant), on {@code rsp}. */
  public static final String LEASE_EXPIRES = "lease_expires";

  /** v2: the id of the next task, carried in the body of a {@code cmt}. */
  public static final String NEXT_TASK_ID = "next_task_id";

  /** The event's type, an integer, on {@code evt} and {@code eva}; 0 is stored, not answered. */
  public static final String EVENT_TYPE_CODE = "event_type_code";

  /** The device's own id of the event, an integer, on {@code evt} and {@code eva}. */
  public static final String DEV_EVENT_ID = "dev_event_id";

  /**
   * When the event happened on the device: epoch seconds or an ISO-8601 instant, on {@code evt}.
   */
  public static final String DEV_TIMESTAMP = "dev_timestamp";

  /**
   * v2: what the device did with a cancel, on {@code cna}: {@code stopped}, {@code finished} or
   * {@code unknown} ({@link CancelOutcome}).
   */
  public static final String CANCEL_OUTCOME = "cancel_outcome";

  private UserProperties() {}
}
