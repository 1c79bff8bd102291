package io.asyncrpc.core.southbound;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.ReturnListener;
import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.ClaimedTask;
import io.asyncrpc.core.task.Commit;
import io.asyncrpc.core.task.Refusal;
import io.asyncrpc.core.task.TaskTrigger;
import io.asyncrpc.protocol.CommitMessage;
import io.asyncrpc.protocol.ErrorMessage;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.TriggerMessage;
import io.asyncrpc.protocol.UserProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Every publish is mandatory and waits for the broker's confirm: a {@code basic.return} means the
 * device has no subscription queue (never subscribed, or a clean session that ended), i.e. it is
 * offline; that is normal, counted and logged at debug. The raw channel is used rather than {@link
 * RabbitTemplate#send} so that no Spring correlation headers reach the device as user properties.
 */
@Component
public class DevicePublisher {

  private static final Logger log = LoggerFactory.getLogger(DevicePublisher.class);

  private static final String JSON = "application/json";

  private final RabbitTemplate rabbit;
  private final ProtocolJson json;
  private final Duration confirmTimeout;
  private final MeterRegistry meters;

  DevicePublisher(
      RabbitTemplate rabbit, ProtocolJson json, CoreProperties properties, MeterRegistry meters) {
    if (!(rabbit.getConnectionFactory() instanceof CachingConnectionFactory factory
        && factory.isSimplePublisherConfirms())) {
      throw new IllegalStateException(
          "device messages need publisher confirms: set spring.rabbitmq.publisher-confirm-type"
              + "=simple");
    }
    this.rabbit = rabbit;
    this.json = json;
    this.confirmTimeout = properties.confirmTimeout();
    this.meters = meters;
  }

  /**
   * Tells the device a task waits ({@code tsk}); the trigger expires from the device's queue at the
   * task's deadline.
   *
   * @return whether the device has a subscription that received it; false when it is offline or the
   *     deadline passed already
   */
  public boolean trigger(TaskTrigger task) {
    long ttl = Duration.between(Instant.now(), task.deadline()).toMillis();
    if (ttl <= 0) {
      return false;
    }
    Instant deadline = task.deadline().truncatedTo(ChronoUnit.MILLIS);
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(UserProperties.METHOD_CODE, task.methodCode());
    headers.put(UserProperties.DEADLINE, deadline.toString());
    BasicProperties properties =
        base(task.taskId(), headers).contentType(JSON).expiration(Long.toString(ttl)).build();
    byte[] body =
        json.write(new TriggerMessage(task.taskId(), task.methodCode(), task.priority(), deadline));
    return publish(task.deviceId(), MessageKind.TRIGGER, properties, body);
  }

  /** Hands the claimed task to its device ({@code rsp}): its payload, method code and attempt. */
  public void response(ClaimedTask task) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(UserProperties.METHOD_CODE, task.methodCode());
    headers.put(UserProperties.ATTEMPT, Integer.toString(task.attempt()));
    headers.put(UserProperties.DEADLINE, instant(task.deadline()));
    if (task.externalId() != null) {
      headers.put(UserProperties.EXTERNAL_ID, task.externalId());
    }
    BasicProperties properties = base(task.id(), headers).contentType(JSON).build();
    publish(task.deviceId(), MessageKind.RESPONSE, properties, bytes(task.payloadJson()));
  }

  /** The explicit no-task answer to a zero-UUID poll: {@code rsp} with status 204, no body. */
  public void noTask(String device) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(UserProperties.STATUS_CODE, Integer.toString(StatusCodes.NO_TASK));
    publish(device, MessageKind.RESPONSE, base(TaskIds.ZERO, headers).build(), new byte[0]);
  }

  /** Confirms a stored result ({@code cmt}); the device may forget the task. */
  public void commit(String device, Commit commit) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(UserProperties.RESULT_ID, commit.resultId().toString());
    BasicProperties properties = base(commit.taskId(), headers).contentType(JSON).build();
    byte[] body =
        json.write(new CommitMessage(commit.taskId(), commit.resultId(), commit.status().name()));
    publish(device, MessageKind.COMMIT, properties, body);
  }

  /**
   * A typed error answer ({@code err}).
   *
   * @param taskId the task the refused message named, or null when it named none
   * @param topic the MQTT topic of the refused message, for example {@code dev/SN1/res}
   */
  public void error(String device, UUID taskId, Refusal refusal, String topic) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(UserProperties.ERROR_CODE, refusal.error().code());
    headers.put(UserProperties.STATUS_CODE, Integer.toString(refusal.error().status()));
    BasicProperties properties = base(taskId, headers).contentType(JSON).build();
    byte[] body = json.write(ErrorMessage.of(refusal.error(), refusal.message(), topic));
    publish(device, MessageKind.ERROR, properties, body);
  }

  private static BasicProperties.Builder base(UUID taskId, Map<String, Object> headers) {
    return new BasicProperties.Builder()
        .deliveryMode(2)
        .correlationId(taskId == null ? null : taskId.toString())
        .headers(headers);
  }

  private boolean publish(String device, MessageKind kind, BasicProperties props, byte[] body) {
    String routingKey = Topic.of(device, kind).routingKey();
    Boolean routed;
    try {
      routed =
          rabbit.execute(
              channel -> {
                AtomicBoolean returned = new AtomicBoolean();
                ReturnListener listener = channel.addReturnListener(r -> returned.set(true));
                try {
                  channel.basicPublish(Topic.MQTT_EXCHANGE, routingKey, true, props, body);
                  channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
                } finally {
                  channel.removeReturnListener(listener);
                }
                return !returned.get();
              });
    } catch (RuntimeException e) {
      // Broker unreachable, nack or no confirm in time: the caller's message is retried.
      meters
          .counter("iot.device.published", "kind", kind.suffix(), "outcome", "failed")
          .increment();
      throw e;
    }
    boolean delivered = Boolean.TRUE.equals(routed);
    meters
        .counter(
            "iot.device.published",
            "kind",
            kind.suffix(),
            "outcome",
            delivered ? "routed" : "offline")
        .increment();
    if (!delivered) {
      log.debug("{} not routed: device {} has no subscription (offline)", routingKey, device);
    }
    return delivered;
  }

  // Millisecond precision keeps the text short and parseable by small devices.
  private static String instant(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
