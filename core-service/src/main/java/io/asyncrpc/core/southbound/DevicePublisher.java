package io.asyncrpc.core.southbound;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.ReturnListener;
import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.CancelledTask;
import io.asyncrpc.core.task.ClaimedTask;
import io.asyncrpc.core.task.Commit;
import io.asyncrpc.core.task.Refusal;
import io.asyncrpc.core.task.TaskTrigger;
import io.asyncrpc.protocol.CoreCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.WireMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes the core's messages to a device: routing key {@code srv.<SN>.<kind>} on {@code
 * amq.topic}, which RabbitMQ's MQTT plugin delivers on topic {@code srv/<SN>/<kind>}.
 *
 * <p>What the device sees depends on how the AMQP message is built: persistent (else QoS 0), the
 * task id as {@code correlation_id} text (correlation data = its UTF-8 bytes), only string headers
 * (user properties; other types are dropped or, for decimals, crash the subscriber's connection).
 * Every publish is mandatory and confirmed by the broker (one wait for a whole batch of messages):
 * a {@code basic.return} means the device has no subscription queue (never subscribed, or a clean
 * session that ended), i.e. it is offline; that is normal, counted and logged at debug. The raw
 * channel is used rather than {@link RabbitTemplate#send} so that no Spring correlation headers
 * reach the device as user properties.
 */
@Component
public class DevicePublisher {

  private static final Logger log = LoggerFactory.getLogger(DevicePublisher.class);

  private final RabbitTemplate rabbit;
  private final CoreCodec codec;
  private final Duration confirmTimeout;
  private final MeterRegistry meters;

  DevicePublisher(
      RabbitTemplate rabbit, CoreCodec codec, CoreProperties properties, MeterRegistry meters) {
    if (!(rabbit.getConnectionFactory() instanceof CachingConnectionFactory factory
        && factory.isSimplePublisherConfirms())) {
      throw new IllegalStateException(
          "device messages need publisher confirms: set spring.rabbitmq.publisher-confirm-type"
              + "=simple");
    }
    this.rabbit = rabbit;
    this.codec = codec;
    this.confirmTimeout = properties.confirmTimeout();
    this.meters = meters;
  }

  /**
   * Tells the device a task waits ({@code tsk}, v1); the trigger expires from the device's queue at
   * the task's deadline.
   *
   * @return whether the device has a subscription that received it; false when it is offline or the
   *     deadline passed already
   */
  public boolean trigger(TaskTrigger task) {
    return triggerMessage(task).map(this::send).orElse(false);
  }

  /** The trigger of {@link #trigger}, to be sent with others; empty when the deadline passed. */
  public Optional<Outgoing> triggerMessage(TaskTrigger task) {
    Instant now = Instant.now();
    long ttl = Duration.between(now, task.deadline()).toMillis();
    if (ttl <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Outgoing(
            codec.trigger(
                task.deviceId(),
                task.taskId(),
                task.methodCode(),
                task.priority(),
                task.deadline(),
                now),
            MessageKind.TRIGGER,
            ttl,
            null));
  }

  /**
   * The claimed task for its device ({@code rsp}): its payload, method code and attempt. For a v2
   * device also its lease, and it expires from the device's queue when the lease ends, so a push
   * that waited in an offline session past its lease is dropped.
   */
  public Outgoing response(ClaimedTask task, ProtocolVersion version) {
    Instant now = Instant.now();
    WireMessage message = codec.response(task.deviceId(), task.pushed(), version, now);
    long ttl = 0;
    if (version == ProtocolVersion.V2) {
      Instant end =
          task.leaseExpires().isBefore(task.deadline()) ? task.leaseExpires() : task.deadline();
      ttl = Math.max(1, Duration.between(now, end).toMillis());
    }
    return new Outgoing(
        message, MessageKind.RESPONSE, ttl, version == ProtocolVersion.V2 ? task : null);
  }

  /** The explicit no-task answer to a zero-UUID poll: {@code rsp} with status 204, no body. */
  public Outgoing noTask(String device) {
    return new Outgoing(codec.noTask(device), MessageKind.RESPONSE, 0, null);
  }

  /**
   * A stored result's commit ({@code cmt}); the device may forget the task. A v2 commit may carry
   * the device's next task, already locked for it.
   *
   * @param next v2: the next task, or null
   */
  public Outgoing commit(
      String device, Commit commit, ProtocolVersion version, @Nullable ClaimedTask next) {
    return new Outgoing(
        codec.commit(
            device,
            commit.taskId(),
            commit.resultId(),
            commit.status().name(),
            version,
            next == null ? null : next.pushed()),
        MessageKind.COMMIT,
        0,
        next);
  }

  /**
   * The cancel of a task the v2 device held ({@code cnl}); it expires from the device's queue at
   * the task's deadline, past which no handler runs it. Empty when the deadline passed.
   */
  public Optional<Outgoing> cancel(CancelledTask task) {
    Instant now = Instant.now();
    long ttl = Duration.between(now, task.deadline()).toMillis();
    if (ttl <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Outgoing(
            codec.cancel(task.deviceId(), task.taskId(), task.deadline(), now),
            MessageKind.CANCEL,
            ttl,
            null));
  }

  /**
   * A typed error answer ({@code err}).
   *
   * @param taskId the task the refused message named, or null when it named none
   * @param topic the MQTT topic of the refused message, for example {@code dev/SN1/res}
   */
  public Outgoing error(String device, @Nullable UUID taskId, Refusal refusal, String topic) {
    return new Outgoing(
        codec.error(device, taskId, refusal.error(), refusal.message(), topic),
        MessageKind.ERROR,
        0,
        null);
  }

  /**
   * The answer to a device event ({@code eva}).
   *
   * @param correlation the event's correlation data as text, or null
   * @param errorCode why it was not stored, or null when it is stored
   */
  public Outgoing eventAnswer(
      String device, DeviceEvent event, @Nullable String correlation, @Nullable String errorCode) {
    return new Outgoing(
        codec.eventAnswer(device, event, correlation, errorCode),
        MessageKind.EVENT_ANSWER,
        0,
        null);
  }

  /** Sends one message; whether the device has a subscription that received it. */
  public boolean send(Outgoing message) {
    return sendAll(List.of(message)).getFirst();
  }

  /**
   * Sends the messages on one channel, mandatory and persistent, and waits once for the broker's
   * confirms of all of them (not a round trip per message).
   *
   * @return for each message, in order, whether it was routed to a subscription (false: the device
   *     is offline)
   * @throws org.springframework.amqp.AmqpException when the broker is unreachable, nacks, or does
   *     not confirm in time; the caller's messages are then retried
   */
  public List<Boolean> sendAll(List<Outgoing> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    // basic.return comes before the confirm; routing depends on the routing key alone, so a
    // returned key marks every message to it.
    Set<String> returned = ConcurrentHashMap.newKeySet();
    try {
      rabbit.execute(
          channel -> {
            ReturnListener listener =
                channel.addReturnListener(r -> returned.add(r.getRoutingKey()));
            try {
              for (Outgoing out : messages) {
                channel.basicPublish(
                    Topic.MQTT_EXCHANGE,
                    out.routingKey(),
                    true,
                    amqp(out.message(), out.expirationMillis()),
                    out.message().payload());
              }
              channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
            } finally {
              channel.removeReturnListener(listener);
            }
            return null;
          });
    } catch (RuntimeException e) {
      messages.forEach(out -> count(out.kind(), "failed"));
      throw e;
    }
    List<Boolean> routed = new ArrayList<>(messages.size());
    for (Outgoing out : messages) {
      boolean delivered = !returned.contains(out.routingKey());
      routed.add(delivered);
      count(out.kind(), delivered ? "routed" : "offline");
      if (!delivered) {
        log.debug("{} not routed: the device has no subscription (offline)", out.routingKey());
      }
    }
    return routed;
  }

  private void count(MessageKind kind, String outcome) {
    meters.counter("iot.device.published", "kind", kind.suffix(), "outcome", outcome).increment();
  }

  // The AMQP form of a protocol message: persistent (else QoS 0 at the device), the task id's text
  // as correlation_id, user properties as string headers (the first of a repeated name).
  private static BasicProperties amqp(WireMessage message, long expirationMillis) {
    Map<String, Object> headers = new LinkedHashMap<>();
    message.userProperties().forEach(p -> headers.putIfAbsent(p.name(), p.value()));
    BasicProperties.Builder builder =
        new BasicProperties.Builder()
            .deliveryMode(2)
            .correlationId(
                message.correlationData() == null
                    ? null
                    : new String(message.correlationData(), StandardCharsets.US_ASCII))
            .contentType(message.contentType())
            .headers(headers);
    if (expirationMillis > 0) {
      builder.expiration(Long.toString(expirationMillis));
    }
    return builder.build();
  }
}
