package io.asyncrpc.protocol;

import io.asyncrpc.protocol.WireMessage.Properties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The core side of the protocol, written once: builds the messages the core sends to a device, as
 * the golden messages show them. core-service maps them onto AMQP ({@code amq.topic}); test cores
 * publish them over MQTT.
 *
 * <p>Instants travel with millisecond precision (short, and parseable by small devices). The task
 * id travels as its 36-char text in the correlation data.
 */
public final class CoreCodec {

  private static final byte[] EMPTY = new byte[0];

  private final ProtocolJson json;

  public CoreCodec(ProtocolJson json) {
    this.json = json;
  }

  /**
   * {@code srv/<SN>/tsk} (v1): a task is waiting; it expires with the task's deadline.
   *
   * @param now the time the expiry is counted from
   */
  public WireMessage trigger(
      String device, UUID taskId, String methodCode, int priority, Instant deadline, Instant now) {
    Instant at = millis(deadline);
    Properties properties =
        new Properties()
            .add(UserProperties.METHOD_CODE, methodCode)
            .add(UserProperties.DEADLINE, at);
    byte[] body = json.write(new TriggerMessage(taskId, methodCode, priority, at));
    return new WireMessage(
        topic(device, MessageKind.TRIGGER),
        TaskIds.toCorrelationData(taskId),
        properties.list(),
        body,
        WireMessage.JSON,
        expirySeconds(now, deadline));
  }

  /**
   * {@code srv/<SN>/rsp}: the task, locked for the device. In v1 the answer to a request; in v2
   * also a push, then with {@code lease_expires} and an expiry at the end of the lease, so a push
   * that waited in an offline device's session past its lease is dropped by the broker.
   *
   * @param task the task as it was locked
   * @param version the version the device speaks
   * @param now the time the expiry is counted from
   */
  public WireMessage response(
      String device, PushedTask task, ProtocolVersion version, Instant now) {
    Properties properties =
        new Properties()
            .add(UserProperties.METHOD_CODE, task.methodCode())
            .add(UserProperties.ATTEMPT, task.attempt())
            .add(UserProperties.DEADLINE, millis(task.deadline()))
            .add(UserProperties.EXTERNAL_ID, task.extId());
    long expiry = 0;
    if (version == ProtocolVersion.V2) {
      properties.add(UserProperties.LEASE_EXPIRES, millis(task.leaseExpires()));
      Instant end =
          task.leaseExpires().isBefore(task.deadline()) ? task.leaseExpires() : task.deadline();
      expiry = expirySeconds(now, end);
    }
    return new WireMessage(
        topic(device, MessageKind.RESPONSE),
        TaskIds.toCorrelationData(task.taskId()),
        properties.list(),
        task.payload().getBytes(StandardCharsets.UTF_8),
        WireMessage.JSON,
        expiry);
  }

  /** {@code srv/<SN>/rsp} with status 204 and no body: the answer to a zero-UUID poll. */
  public WireMessage noTask(String device) {
    return WireMessage.of(
        topic(device, MessageKind.RESPONSE),
        TaskIds.toCorrelationData(TaskIds.ZERO),
        new Properties().add(UserProperties.STATUS_CODE, StatusCodes.NO_TASK).list(),
        EMPTY);
  }

  /**
   * {@code srv/<SN>/cmt}: the result is stored. A v2 commit says {@code protocol=2} and may carry
   * the device's next task (already locked for it) in {@code next}.
   *
   * @param status {@code DONE} or {@code FAILED}
   * @param next v2: the next task, or {@code null}
   */
  public WireMessage commit(
      String device,
      UUID taskId,
      UUID resultId,
      String status,
      ProtocolVersion version,
      @Nullable PushedTask next) {
    if (next != null && version != ProtocolVersion.V2) {
      throw new IllegalArgumentException("only a v2 commit carries a next task");
    }
    Properties properties = new Properties().add(UserProperties.RESULT_ID, resultId);
    if (version == ProtocolVersion.V2) {
      properties.add(UserProperties.PROTOCOL, version.number());
    }
    PushedTask millisNext =
        next == null
            ? null
            : new PushedTask(
                next.taskId(),
                next.methodCode(),
                next.attempt(),
                millis(next.deadline()),
                millis(next.leaseExpires()),
                next.extId(),
                next.payload());
    byte[] body = json.write(new CommitMessage(taskId, resultId, status, millisNext));
    return new WireMessage(
        topic(device, MessageKind.COMMIT),
        TaskIds.toCorrelationData(taskId),
        properties.list(),
        body,
        WireMessage.JSON,
        0);
  }

  /**
   * {@code srv/<SN>/cnl} (v2 only): the task the device holds was cancelled. No payload; it says
   * {@code protocol=2} and expires with the task's deadline, past which no handler runs it.
   *
   * @param now the time the expiry is counted from
   */
  public WireMessage cancel(String device, UUID taskId, Instant deadline, Instant now) {
    return new WireMessage(
        topic(device, MessageKind.CANCEL),
        TaskIds.toCorrelationData(taskId),
        new Properties().add(UserProperties.PROTOCOL, ProtocolVersion.V2.number()).list(),
        EMPTY,
        null,
        expirySeconds(now, deadline));
  }

  /**
   * {@code srv/<SN>/err}: a typed error answer.
   *
   * @param taskId the task the refused message named, or {@code null}
   * @param refusedTopic the MQTT topic of the refused message
   */
  public WireMessage error(
      String device,
      @Nullable UUID taskId,
      ProtocolError error,
      String message,
      String refusedTopic) {
    Properties properties =
        new Properties()
            .add(UserProperties.ERROR_CODE, error.code())
            .add(UserProperties.STATUS_CODE, error.status());
    return new WireMessage(
        topic(device, MessageKind.ERROR),
        taskId == null ? null : TaskIds.toCorrelationData(taskId),
        properties.list(),
        json.write(ErrorMessage.of(error, message, refusedTopic)),
        WireMessage.JSON,
        0);
  }

  /**
   * {@code srv/<SN>/eva}: the answer to a device event, with its type, id and correlation data.
   *
   * @param correlation the event's correlation data as text, or {@code null}
   * @param errorCode why it was not stored, or {@code null} when it is stored (a duplicate too)
   */
  public WireMessage eventAnswer(
      String device, DeviceEvent event, @Nullable String correlation, @Nullable String errorCode) {
    Properties properties =
        new Properties()
            .add(UserProperties.EVENT_TYPE_CODE, event.typeCode())
            .add(UserProperties.DEV_EVENT_ID, event.deviceEventId());
    byte[] body =
        errorCode == null
            ? json.write(java.util.Map.of("status", "success"))
            : json.write(new EventAnswerError("error", errorCode));
    return new WireMessage(
        topic(device, MessageKind.EVENT_ANSWER),
        correlation == null ? null : correlation.getBytes(StandardCharsets.UTF_8),
        properties.list(),
        body,
        WireMessage.JSON,
        0);
  }

  /** The body of an error answer to an event: {@code {"status":"error","code":"…"}}. */
  private record EventAnswerError(String status, String code) {}

  private static String topic(String device, MessageKind kind) {
    return Topic.of(device, kind).mqtt();
  }

  private static Instant millis(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  // MQTT counts expiry in whole seconds; round up so a message never expires early, at least 1.
  private static long expirySeconds(Instant now, Instant end) {
    long millis = Duration.between(now, end).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }
}
