package io.asyncrpc.protocol;

import io.asyncrpc.protocol.WireMessage.Properties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The device side of the protocol, written once: builds a device's messages and decodes the core's,
 * exactly as the golden messages show them. Used by the Java agent, the swarm and the tests.
 *
 * <p>Correlation data is sent as the task id's 36-char text (what the seed's devices send) and
 * accepted as 16 raw bytes, the text, or the {@code correlationData} user property fallback. A v2
 * codec adds {@code protocol=2} to {@code req} and {@code res}; a v1 codec sends exactly the seed's
 * messages.
 */
public final class DeviceCodec {

  private static final byte[] EMPTY = new byte[0];

  private final DeviceId device;
  private final ProtocolVersion version;
  private final ProtocolJson json;

  public DeviceCodec(DeviceId device, ProtocolVersion version, ProtocolJson json) {
    this.device = device;
    this.version = version;
    this.json = json;
  }

  public DeviceId device() {
    return device;
  }

  public ProtocolVersion version() {
    return version;
  }

  /** {@code dev/<SN>/ack}: acknowledges the trigger of {@code taskId}; empty payload. */
  public WireMessage ack(UUID taskId) {
    return WireMessage.of(
        topic(MessageKind.ACK), TaskIds.toCorrelationData(taskId), List.of(), EMPTY);
  }

  /** {@code dev/<SN>/req}: requests {@code taskId}, or the head of the FIFO for the zero UUID. */
  public WireMessage request(UUID taskId) {
    return WireMessage.of(
        topic(MessageKind.REQUEST), TaskIds.toCorrelationData(taskId), declaration().list(), EMPTY);
  }

  /**
   * {@code dev/<SN>/res}: the result of a task.
   *
   * @param statusCode 2xx success, 4xx or 5xx failure
   * @param externalId the {@code ext_id} to send back, or {@code null}
   * @param resultJson the result document, or {@code null} or empty for none
   */
  public WireMessage result(
      UUID taskId, int statusCode, @Nullable String externalId, @Nullable String resultJson) {
    Properties properties =
        new Properties()
            .add(UserProperties.STATUS_CODE, Integer.toString(statusCode))
            .add(UserProperties.EXTERNAL_ID, externalId);
    if (version == ProtocolVersion.V2) {
      properties.add(UserProperties.PROTOCOL, version.number());
    }
    byte[] payload = resultJson == null ? EMPTY : resultJson.getBytes(StandardCharsets.UTF_8);
    return new WireMessage(
        topic(MessageKind.RESULT),
        TaskIds.toCorrelationData(taskId),
        properties.list(),
        payload,
        payload.length == 0 ? null : WireMessage.JSON,
        0);
  }

  /**
   * {@code dev/<SN>/evt}: a device event.
   *
   * @param correlation correlation data to send (echoed on {@code eva}), or {@code null}
   * @param payloadJson the event's JSON (numbered tags: 101 id, 102 time, 200 type, 300
   *     parameters), or {@code null} for none
   */
  public WireMessage event(
      DeviceEvent event, @Nullable String correlation, @Nullable String payloadJson) {
    Properties properties =
        new Properties()
            .add(UserProperties.EVENT_TYPE_CODE, event.typeCode())
            .add(UserProperties.DEV_EVENT_ID, event.deviceEventId())
            .add(UserProperties.DEV_TIMESTAMP, event.deviceTimestamp().getEpochSecond());
    byte[] payload = payloadJson == null ? EMPTY : payloadJson.getBytes(StandardCharsets.UTF_8);
    return new WireMessage(
        topic(MessageKind.EVENT),
        correlation == null ? null : correlation.getBytes(StandardCharsets.UTF_8),
        properties.list(),
        payload,
        payload.length == 0 ? null : WireMessage.JSON,
        0);
  }

  /**
   * {@code dev/<SN>/prg}: progress of the task the device holds, named as its {@code res} names it
   * (the task id in the correlation data); absent members of {@code report} are left out.
   */
  public WireMessage progress(UUID taskId, ProgressReport report) {
    return new WireMessage(
        topic(MessageKind.PROGRESS),
        TaskIds.toCorrelationData(taskId),
        List.of(),
        json.write(report.toJson()),
        WireMessage.JSON,
        0);
  }

  /**
   * {@code dev/<SN>/cna} (v2): the answer to a cancel of {@code taskId}, saying what the device did
   * with it; no payload.
   */
  public WireMessage cancelAnswer(UUID taskId, CancelOutcome outcome) {
    Properties properties = new Properties().add(UserProperties.CANCEL_OUTCOME, outcome.code());
    if (version == ProtocolVersion.V2) {
      properties.add(UserProperties.PROTOCOL, version.number());
    }
    return WireMessage.of(
        topic(MessageKind.CANCEL_ANSWER),
        TaskIds.toCorrelationData(taskId),
        properties.list(),
        EMPTY);
  }

  /** Decodes a message the core sent to this device. */
  public DeviceBound decode(WireMessage message) {
    Optional<Topic> parsed = Topic.parseMqtt(message.topic());
    if (parsed.isEmpty()
        || parsed.get().kind().direction() != MessageKind.Direction.TO_DEVICE
        || !parsed.get().device().equals(device)) {
      return new DeviceBound.Invalid("unexpected topic " + message.topic());
    }
    MessageKind kind = parsed.get().kind();
    if (kind == MessageKind.EVENT_ANSWER) {
      return eventAnswer(message);
    }
    UUID taskId = taskId(message);
    if (kind == MessageKind.ERROR) {
      return error(taskId, message); // an error may name no task
    }
    if (taskId == null) {
      return new DeviceBound.Invalid("malformed or missing correlation data on " + message.topic());
    }
    String text = new String(message.payload(), StandardCharsets.UTF_8);
    return switch (kind) {
      case TRIGGER -> new DeviceBound.Trigger(taskId, message.property(UserProperties.METHOD_CODE));
      case RESPONSE -> response(taskId, message, text);
      case COMMIT -> commit(taskId, message);
      case CANCEL -> new DeviceBound.Cancel(taskId);
      default -> new DeviceBound.Invalid("unexpected message kind on " + message.topic());
    };
  }

  private Properties declaration() {
    Properties properties = new Properties();
    if (version == ProtocolVersion.V2) {
      properties.add(UserProperties.PROTOCOL, version.number());
    }
    return properties;
  }

  private String topic(MessageKind kind) {
    return new Topic(device, kind).mqtt();
  }

  private static DeviceBound.Response response(UUID taskId, WireMessage message, String text) {
    String status = message.property(UserProperties.STATUS_CODE);
    String attempt = message.property(UserProperties.ATTEMPT);
    int attempts = attempt == null ? 1 : number(attempt);
    return new DeviceBound.Response(
        taskId,
        status == null ? -1 : StatusCodes.parse(status),
        message.property(UserProperties.METHOD_CODE),
        attempts < 1 ? 1 : attempts,
        instant(message.property(UserProperties.DEADLINE)),
        instant(message.property(UserProperties.LEASE_EXPIRES)),
        message.property(UserProperties.EXTERNAL_ID),
        text);
  }

  private DeviceBound commit(UUID taskId, WireMessage message) {
    JsonNode body = json.readOrNull(message.payload());
    String property = message.property(UserProperties.RESULT_ID);
    UUID resultId =
        property != null
            ? TaskIds.fromText(property).orElse(null)
            : body != null && body.path("result_id").isString()
                ? TaskIds.fromText(body.path("result_id").asString()).orElse(null)
                : null;
    ProtocolVersion declared =
        ProtocolVersion.declaredBy(message.property(UserProperties.PROTOCOL));
    DeviceBound.Response next = null;
    if (declared == ProtocolVersion.V2 && (body == null || !isAbsent(body.path("next")))) {
      JsonNode nextNode = body == null ? null : body.path("next");
      next = nextNode == null || !nextNode.isObject() ? null : nextTask(nextNode);
      if (next == null) {
        // The commit still counts (the result is stored); the next task it meant to carry cannot
        // be read, so the device polls for it, as after a v1 commit, rather than wait for nothing.
        return new DeviceBound.Commit(taskId, resultId, ProtocolVersion.V1, null);
      }
    }
    return new DeviceBound.Commit(taskId, resultId, declared, next);
  }

  private static boolean isAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  private static DeviceBound.@Nullable Response nextTask(JsonNode next) {
    Optional<UUID> id = TaskIds.fromText(next.path("task_id").asString(null));
    if (id.isEmpty() || TaskIds.ZERO.equals(id.get())) {
      return null;
    }
    JsonNode payload = next.path("payload");
    int attempt = next.path("attempt").asInt(1);
    return new DeviceBound.Response(
        id.get(),
        -1,
        next.path("method_code").asString(null),
        attempt < 1 ? 1 : attempt,
        instant(next.path("deadline").asString(null)),
        instant(next.path("lease_expires").asString(null)),
        next.path("ext_id").asString(null),
        payload.isMissingNode() ? "" : payload.toString());
  }

  private DeviceBound eventAnswer(WireMessage message) {
    Optional<DeviceEvent> event =
        DeviceEvent.parse(
            message.property(UserProperties.EVENT_TYPE_CODE),
            message.property(UserProperties.DEV_EVENT_ID),
            "0");
    JsonNode body = json.readOrNull(message.payload());
    if (event.isEmpty() || body == null || !body.path("status").isString()) {
      return new DeviceBound.Invalid("malformed event answer on " + message.topic());
    }
    byte[] correlation = message.correlationData();
    return new DeviceBound.EventAnswer(
        event.get().typeCode(),
        event.get().deviceEventId(),
        "success".equals(body.path("status").asString()),
        correlation == null ? null : new String(correlation, StandardCharsets.UTF_8));
  }

  private DeviceBound error(@Nullable UUID taskId, WireMessage message) {
    JsonNode body = json.readOrNull(message.payload());
    String code = message.property(UserProperties.ERROR_CODE);
    if (code == null && body != null && body.path("code").isString()) {
      code = body.path("code").asString();
    }
    String text = body != null ? body.path("message").asString("") : "";
    String refused =
        body != null && body.path("topic").isString() ? body.path("topic").asString() : null;
    return new DeviceBound.Error(taskId, code == null ? "unknown" : code, text, refused);
  }

  private static @Nullable UUID taskId(WireMessage message) {
    byte[] data = message.correlationData();
    if (data != null && data.length > 0) {
      return TaskIds.fromCorrelationData(data).orElse(null);
    }
    String fallback = message.property(UserProperties.CORRELATION_DATA);
    return fallback == null ? null : TaskIds.fromText(fallback.strip()).orElse(null);
  }

  private static int number(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static @Nullable Instant instant(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
