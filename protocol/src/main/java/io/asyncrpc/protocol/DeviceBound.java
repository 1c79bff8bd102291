package io.asyncrpc.protocol;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message from the core to a device, decoded by {@link DeviceCodec}; {@link Invalid} when it
 * could not be used.
 */
public sealed interface DeviceBound {

  /**
   * {@code srv/<SN>/tsk}: a task is waiting (v1).
   *
   * @param taskId the task
   * @param methodCode its method code, or {@code null}
   */
  record Trigger(UUID taskId, @Nullable String methodCode) implements DeviceBound {}

  /**
   * {@code srv/<SN>/rsp}: a task (the answer to a request, or in v2 a push), or (zero task id,
   * status 204) no task.
   *
   * @param taskId the task, {@link TaskIds#ZERO} for no task
   * @param statusCode the {@code status_code} property, or -1 when absent
   * @param methodCode the method code, or {@code null}
   * @param attempt the attempt, 1 when absent
   * @param deadline the deadline, or {@code null}
   * @param leaseExpires v2: when the lease ends, or {@code null}
   * @param externalId the external id, or {@code null}
   * @param payload the payload as text (empty when the message had none)
   */
  record Response(
      UUID taskId,
      int statusCode,
      @Nullable String methodCode,
      int attempt,
      @Nullable Instant deadline,
      @Nullable Instant leaseExpires,
      @Nullable String externalId,
      String payload)
      implements DeviceBound {

    /** Whether this is the explicit no-task answer rather than a task. */
    public boolean isNoTask() {
      return TaskIds.ZERO.equals(taskId) || statusCode == StatusCodes.NO_TASK;
    }
  }

  /**
   * {@code srv/<SN>/cmt}: the result is stored.
   *
   * @param taskId the task
   * @param resultId the stored result, or {@code null}
   * @param version v2 when the commit says so ({@code protocol=2}): then {@code next} is the whole
   *     truth, and a device with no next task need not poll
   * @param next v2: the next task, already locked for this device, or {@code null}
   */
  record Commit(
      UUID taskId, @Nullable UUID resultId, ProtocolVersion version, @Nullable Response next)
      implements DeviceBound {}

  /**
   * {@code srv/<SN>/err}: a typed error answer.
   *
   * @param taskId the task the refused message was about, or {@code null}
   * @param errorCode the error code, never {@code null} ({@code unknown} when missing)
   * @param message the explanation, possibly empty
   * @param refusedTopic the topic of the refused message, or {@code null}
   */
  record Error(
      @Nullable UUID taskId, String errorCode, String message, @Nullable String refusedTopic)
      implements DeviceBound {}

  /**
   * {@code srv/<SN>/eva}: the answer to one of this device's events.
   *
   * @param typeCode the event's {@code event_type_code}
   * @param deviceEventId the event's {@code dev_event_id}
   * @param success whether it is stored ({@code {"status":"success"}}); a duplicate is a success
   * @param correlation the event's correlation data as text, or {@code null}
   */
  record EventAnswer(
      long typeCode, long deviceEventId, boolean success, @Nullable String correlation)
      implements DeviceBound {}

  /**
   * {@code srv/<SN>/cnl} (v2): the task was cancelled; stop its handler if it runs, and answer.
   *
   * @param taskId the cancelled task
   */
  record Cancel(UUID taskId) implements DeviceBound {}

  /**
   * A message this device cannot use; it is logged and ignored.
   *
   * @param reason why
   */
  record Invalid(String reason) implements DeviceBound {}
}
