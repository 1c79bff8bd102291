package io.asyncrpc.agent.internal;

import java.time.Instant;
import java.util.UUID;

/** A message from the core to this device, decoded; {@link Invalid} when it could not be used. */
sealed interface DeviceBound {

  /**
   * {@code srv/<SN>/tsk}: a task is waiting.
   *
   * @param taskId the task
   * @param methodCode its method code, or {@code null}
   */
  record Trigger(UUID taskId, String methodCode) implements DeviceBound {}

  /**
   * {@code srv/<SN>/rsp}: a task, or (zero task id, status 204) no task.
   *
   * @param taskId the task, {@link io.asyncrpc.protocol.TaskIds#ZERO} for no task
   * @param statusCode the {@code status_code} property, or -1 when absent
   * @param methodCode the method code, or {@code null}
   * @param attempt the attempt, 1 when absent
   * @param deadline the deadline, or {@code null}
   * @param externalId the external id, or {@code null}
   * @param payload the payload as text (empty when the message had none)
   */
  record Response(
      UUID taskId,
      int statusCode,
      String methodCode,
      int attempt,
      Instant deadline,
      String externalId,
      String payload)
      implements DeviceBound {}

  /**
   * {@code srv/<SN>/cmt}: the result is stored.
   *
   * @param taskId the task
   * @param resultId the stored result, or {@code null}
   */
  record Commit(UUID taskId, UUID resultId) implements DeviceBound {}

  /**
   * {@code srv/<SN>/err}: a typed error answer.
   *
   * @param taskId the task the refused message was about, or {@code null}
   * @param errorCode the error code, never {@code null} ({@code unknown} when missing)
   * @param message the explanation, possibly empty
   * @param refusedTopic the topic of the refused message, or {@code null}
   */
  record Error(UUID taskId, String errorCode, String message, String refusedTopic)
      implements DeviceBound {}

  /**
   * A message this agent cannot use; it is logged and ignored.
   *
   * @param reason why
   */
  record Invalid(String reason) implements DeviceBound {}
}
