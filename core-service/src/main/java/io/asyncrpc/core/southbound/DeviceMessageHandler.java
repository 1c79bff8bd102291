package io.asyncrpc.core.southbound;

import io.asyncrpc.core.event.DeviceEvents;
import io.asyncrpc.core.presence.DevicePresence;
import io.asyncrpc.core.presence.DeviceProtocols;
import io.asyncrpc.core.task.AckOutcome;
import io.asyncrpc.core.task.CancelAnswerOutcome;
import io.asyncrpc.core.task.ClaimOutcome;
import io.asyncrpc.core.task.CompletedWithNext;
import io.asyncrpc.core.task.ProgressOutcome;
import io.asyncrpc.core.task.Refusal;
import io.asyncrpc.core.task.ResultOutcome;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.protocol.CancelOutcome;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProgressReport;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.web.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

/**
 * Dispatches one device message ({@code ack}, {@code req}, {@code res}, {@code prg}, {@code cna})
 * to the lifecycle, events ({@code evt}) to the event store, and answers the device. Anything else
 * a device publishes is counted and dropped; a message the core cannot use is answered with a typed
 * error and changes nothing.
 */
@Component
class DeviceMessageHandler {

  private static final Logger log = LoggerFactory.getLogger(DeviceMessageHandler.class);

  private final TaskLifecycle lifecycle;
  private final DevicePublisher publisher;
  private final DevicePresence presence;
  private final DeviceProtocols protocols;
  private final DeviceEvents events;
  private final DeviceRateLimiter rate;
  private final ProtocolJson json;
  private final MeterRegistry meters;

  DeviceMessageHandler(
      TaskLifecycle lifecycle,
      DevicePublisher publisher,
      DevicePresence presence,
      DeviceProtocols protocols,
      DeviceEvents events,
      DeviceRateLimiter rate,
      ProtocolJson json,
      MeterRegistry meters) {
    this.lifecycle = lifecycle;
    this.publisher = publisher;
    this.presence = presence;
    this.protocols = protocols;
    this.events = events;
    this.rate = rate;
    this.json = json;
    this.meters = meters;
  }

  /**
   * Handles one device message; the answers it needs go to {@code answers}, to be sent after the
   * database work of its batch is committed.
   */
  void handle(Message message, List<Outgoing> answers) {
    MessageProperties properties = message.getMessageProperties();
    String routingKey = Objects.requireNonNullElse(properties.getReceivedRoutingKey(), "");
    Optional<Topic> parsed =
        Topic.parseRoutingKey(routingKey)
            .filter(t -> t.kind().direction() == MessageKind.Direction.FROM_DEVICE);
    if (parsed.isEmpty()) {
      // Still a sign of life when it comes from a device, such as dev/<SN>/log.
      Optional<String> device = deviceOf(routingKey);
      device.ifPresent(LogContext::device);
      device.ifPresent(presence::seen);
      ignored(device.isPresent() ? "unknown-kind" : "not-protocol", routingKey);
      return;
    }
    Topic topic = parsed.get();
    String device = topic.device().value();
    LogContext.device(device);
    meters.counter("iot.device.messages", "kind", topic.kind().suffix()).increment();
    if (!presence.seen(device)) {
      refuse(
          answers,
          topic,
          null,
          new Refusal(ProtocolError.UNKNOWN_DEVICE, "device is not registered"));
      return;
    }
    if ((topic.kind() == MessageKind.EVENT
            || topic.kind() == MessageKind.REQUEST
            || topic.kind() == MessageKind.PROGRESS)
        && !rate.tryAcquire(device)) {
      // Dropped unanswered, without database work: a flooding device waits for its own retries.
      meters.counter("iot.device.throttled", "kind", topic.kind().suffix()).increment();
      return;
    }
    if (topic.kind() == MessageKind.EVENT) {
      event(answers, topic, properties, message.getBody());
      return;
    }
    Optional<UUID> taskId = Correlation.taskId(properties);
    if (taskId.isEmpty()) {
      refuse(
          answers,
          topic,
          null,
          new Refusal(
              ProtocolError.MALFORMED_CORRELATION_DATA,
              "correlation data must be a task id: 16 bytes or the 36-character UUID text"));
      return;
    }
    LogContext.task(taskId.get());
    switch (topic.kind()) {
      case ACK -> acknowledge(answers, topic, taskId.get());
      case REQUEST -> request(answers, topic, taskId.get(), properties);
      case RESULT -> result(answers, topic, taskId.get(), properties, message.getBody());
      case PROGRESS -> progress(answers, topic, taskId.get(), message.getBody());
      case CANCEL_ANSWER -> cancelAnswer(answers, topic, taskId.get(), properties);
      default -> ignored("not-protocol", routingKey);
    }
  }

  private void acknowledge(List<Outgoing> answers, Topic topic, UUID taskId) {
    if (lifecycle.acknowledge(topic.device().value(), taskId)
        instanceof AckOutcome.Refused(Refusal refusal)) {
      refuse(answers, topic, taskId, refusal);
    }
  }

  private void request(
      List<Outgoing> answers, Topic topic, UUID taskId, MessageProperties properties) {
    String device = topic.device().value();
    ProtocolVersion version = declared(properties);
    protocols.declared(device, version);
    ClaimOutcome outcome =
        TaskIds.ZERO.equals(taskId) ? lifecycle.claimNext(device) : lifecycle.claim(device, taskId);
    switch (outcome) {
      case ClaimOutcome.Claimed(var task) -> answers.add(publisher.response(task, version));
      case ClaimOutcome.NoTask() -> answers.add(publisher.noTask(device));
      case ClaimOutcome.Refused(var refusal) -> refuse(answers, topic, taskId, refusal);
    }
  }

  private void result(
      List<Outgoing> answers, Topic topic, UUID taskId, MessageProperties properties, byte[] body) {
    int statusCode = StatusCodes.parse(Headers.get(properties, UserProperties.STATUS_CODE));
    if (!StatusCodes.isValidResult(statusCode)) {
      refuse(
          answers,
          topic,
          taskId,
          new Refusal(ProtocolError.INVALID_STATUS_CODE, "status_code must be 2xx, 4xx or 5xx"));
      return;
    }
    if (body.length > ProtocolLimits.MAX_PAYLOAD_BYTES) {
      refuse(
          answers,
          topic,
          taskId,
          new Refusal(
              ProtocolError.PAYLOAD_TOO_LARGE,
              "the result is larger than " + ProtocolLimits.MAX_PAYLOAD_BYTES + " bytes"));
      return;
    }
    Optional<ResultDocument> document = ResultDocument.parse(body, json);
    if (document.isEmpty()) {
      refuse(
          answers,
          topic,
          taskId,
          new Refusal(
              ProtocolError.INVALID_RESULT, "the result must be one JSON document, or empty"));
      return;
    }
    String externalId = Headers.get(properties, UserProperties.EXTERNAL_ID);
    if (externalId != null && externalId.length() > ProtocolLimits.MAX_EXTERNAL_ID_LENGTH) {
      externalId = externalId.substring(0, ProtocolLimits.MAX_EXTERNAL_ID_LENGTH);
    }
    String device = topic.device().value();
    String json = document.get().json();
    if (declared(properties) == ProtocolVersion.V2) {
      CompletedWithNext done =
          lifecycle.completeAndClaimNext(device, taskId, statusCode, json, externalId);
      switch (done.outcome()) {
        case ResultOutcome.Committed(var commit) ->
            // Sent after the commit: a device that got its commit finds its result stored.
            answers.add(publisher.commit(device, commit, ProtocolVersion.V2, done.next()));
        case ResultOutcome.Refused(var refusal) -> refuse(answers, topic, taskId, refusal);
      }
      return;
    }
    switch (lifecycle.complete(device, taskId, statusCode, json, externalId)) {
      case ResultOutcome.Committed(var commit) ->
          answers.add(publisher.commit(device, commit, ProtocolVersion.V1, null));
      case ResultOutcome.Refused(var refusal) -> refuse(answers, topic, taskId, refusal);
    }
  }

  private void progress(List<Outgoing> answers, Topic topic, UUID taskId, byte[] body) {
    if (body.length > ProtocolLimits.MAX_PROGRESS_PAYLOAD_BYTES) {
      refuse(
          answers,
          topic,
          taskId,
          new Refusal(
              ProtocolError.PAYLOAD_TOO_LARGE,
              "a progress report is at most "
                  + ProtocolLimits.MAX_PROGRESS_PAYLOAD_BYTES
                  + " bytes"));
      return;
    }
    // Storable first (jsonb refuses what PostgreSQL cannot keep), then the report's own shape.
    Optional<ProgressReport> report =
        ResultDocument.parse(body, json)
            .flatMap(d -> ProgressReport.from(d.json() == null ? null : json.readExact(body)));
    if (report.isEmpty()) {
      refuse(
          answers,
          topic,
          taskId,
          new Refusal(
              ProtocolError.INVALID_PROGRESS,
              "percent must be an integer from 0 to 100, message a string, details an object"));
      return;
    }
    ProgressReport r = report.get();
    // The tenant's event carries every member, null when the device gave none.
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("percent", r.percent());
    data.put("message", r.message());
    data.put("details", r.details());
    String reportJson = new String(json.write(data), StandardCharsets.UTF_8);
    switch (lifecycle.progress(
        topic.device().value(), taskId, r.percent(), r.message(), reportJson)) {
      case ProgressOutcome.Recorded recorded -> {}
      case ProgressOutcome.Refused(var refusal) -> refuse(answers, topic, taskId, refusal);
    }
  }

  private void cancelAnswer(
      List<Outgoing> answers, Topic topic, UUID taskId, MessageProperties properties) {
    Optional<CancelOutcome> outcome =
        CancelOutcome.of(Headers.get(properties, UserProperties.CANCEL_OUTCOME));
    if (outcome.isEmpty()) {
      refuse(
          answers,
          topic,
          taskId,
          new Refusal(
              ProtocolError.INVALID_CANCEL_ANSWER,
              "cancel_outcome must be stopped, finished or unknown"));
      return;
    }
    // Taken or repeated: not answered. The device sends it once; a lost one costs only the record.
    if (lifecycle.confirmCancel(topic.device().value(), taskId, outcome.get())
        instanceof CancelAnswerOutcome.Refused(Refusal refusal)) {
      refuse(answers, topic, taskId, refusal);
    }
  }

  private void event(
      List<Outgoing> answers, Topic topic, MessageProperties properties, byte[] body) {
    String device = topic.device().value();
    String typeCode = Headers.get(properties, UserProperties.EVENT_TYPE_CODE);
    String eventId = Headers.get(properties, UserProperties.DEV_EVENT_ID);
    Optional<DeviceEvent> head = DeviceEvent.parse(typeCode, eventId, "0");
    if (head.isEmpty()) {
      refuse(
          answers,
          topic,
          null,
          new Refusal(
              ProtocolError.INVALID_EVENT,
              "event_type_code and dev_event_id must be non-negative integers"));
      return;
    }
    String correlation = properties.getCorrelationId();
    Optional<DeviceEvent> event =
        DeviceEvent.timestamp(Headers.get(properties, UserProperties.DEV_TIMESTAMP))
            .map(at -> new DeviceEvent(head.get().typeCode(), head.get().deviceEventId(), at));
    String refusal = null;
    Optional<ResultDocument> document = Optional.empty();
    if (event.isEmpty()) {
      refusal = ProtocolError.INVALID_EVENT.code();
    } else if (body.length > ProtocolLimits.MAX_EVENT_PAYLOAD_BYTES) {
      refusal = ProtocolError.PAYLOAD_TOO_LARGE.code();
    } else {
      document = ResultDocument.parse(body, json);
      if (document.isEmpty()) {
        refusal = ProtocolError.INVALID_EVENT.code();
      }
    }
    if (refusal == null) {
      events.store(device, event.get(), correlation, document.get().json());
    } else {
      meters.counter("iot.device.errors", "code", refusal).increment();
    }
    // Type 0 or id 0: stored and not answered, as the seed's system does.
    if (head.get().isAnswered()) {
      answers.add(publisher.eventAnswer(device, head.get(), correlation, refusal));
    }
  }

  private static ProtocolVersion declared(MessageProperties properties) {
    return ProtocolVersion.declaredBy(Headers.get(properties, UserProperties.PROTOCOL));
  }

  private void refuse(List<Outgoing> answers, Topic topic, @Nullable UUID taskId, Refusal refusal) {
    meters.counter("iot.device.errors", "code", refusal.error().code()).increment();
    if (refusal.error() == ProtocolError.UNKNOWN_TASK
        || refusal.error() == ProtocolError.UNKNOWN_DEVICE) {
      log.warn("Refused {} from device {}: {}", topic.mqtt(), topic.device(), refusal.message());
    } else {
      log.debug("Refused {} from device {}: {}", topic.mqtt(), topic.device(), refusal.message());
    }
    answers.add(publisher.error(topic.device().value(), taskId, refusal, topic.mqtt()));
  }

  /** The device of a routing key {@code dev.<SN>.<anything>}. */
  private static Optional<String> deviceOf(String routingKey) {
    String[] segments = routingKey.split("\\.", -1);
    return segments.length == 3
            && MessageKind.Direction.FROM_DEVICE.prefix().equals(segments[0])
            && DeviceId.isValid(segments[1])
        ? Optional.of(segments[1])
        : Optional.empty();
  }

  private void ignored(String reason, String routingKey) {
    meters.counter("iot.device.messages.ignored", "reason", reason).increment();
    log.debug("Ignored device message with routing key {}", routingKey);
  }
}
