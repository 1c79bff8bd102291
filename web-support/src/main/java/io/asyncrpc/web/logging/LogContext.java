package io.asyncrpc.web.logging;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The task and device a log line is about, as MDC keys {@code task_id} and {@code device_id}: in
 * the plain console pattern and as fields of structured (ECS, Logstash) logs. Every service uses
 * these keys, so one query finds a task's lines in all of them.
 *
 * <p>Whoever opens a context clears it when the request, message or unit of work ends, so a pooled
 * thread never carries the keys over; code adds them as it learns them.
 */
public final class LogContext {

  /** MDC key of the task id. */
  public static final String TASK_ID = "task_id";

  /** MDC key of the device id. */
  public static final String DEVICE_ID = "device_id";

  private LogContext() {}

  /** Names the task the current thread works on; null changes nothing. */
  public static void task(@Nullable UUID taskId) {
    if (taskId != null) {
      MDC.put(TASK_ID, taskId.toString());
    }
  }

  /** Names the device the current thread works for; null changes nothing. */
  public static void device(@Nullable String deviceId) {
    if (deviceId != null) {
      MDC.put(DEVICE_ID, deviceId);
    }
  }

  /** Forgets both, at the end of a request, a message or a unit of work. */
  public static void clear() {
    MDC.remove(TASK_ID);
    MDC.remove(DEVICE_ID);
  }
}
