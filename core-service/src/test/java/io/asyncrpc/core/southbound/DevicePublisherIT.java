package io.asyncrpc.core.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.task.Refusal;
import io.asyncrpc.core.task.TaskTrigger;
import io.asyncrpc.protocol.ProtocolError;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tests for {@link DevicePublisher} on the AMQP side: the properties that decide what an MQTT 5
 * device receives (persistent for QoS 1, string headers only, the task id as {@code
 * correlation_id}, an expiration at the deadline) and offline detection by {@code basic.return}.
 */
@CoreServiceTest
class DevicePublisherIT {

  @Autowired DevicePublisher publisher;
  @Autowired RabbitAdmin admin;
  @Autowired RabbitTemplate rabbit;

  @Test
  void aTriggerIsPersistentWithStringHeadersAndExpiresAtTheDeadline() {
    String device = TaskFixtures.uniqueDeviceId("wire");
    Queue queue = listenLikeADevice(device);
    UUID task = UUID.randomUUID();
    Instant deadline = Instant.now().plus(10, ChronoUnit.MINUTES);

    boolean routed = publisher.trigger(new TaskTrigger(task, device, "relay.switch", 3, deadline));

    assertThat(routed).isTrue();
    Message message = rabbit.receive(queue.getName(), Duration.ofSeconds(10).toMillis());
    assertThat(message).isNotNull();
    MessageProperties properties = message.getMessageProperties();
    assertThat(properties.getReceivedRoutingKey()).isEqualTo("srv." + device + ".tsk");
    assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(properties.getCorrelationId()).isEqualTo(task.toString());
    assertThat(properties.getContentType()).isEqualTo("application/json");
    assertThat(Long.parseLong(properties.getExpiration()))
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
    assertThat(properties.getHeaders()).containsOnlyKeys("method_code", "deadline");
    assertThat(properties.getHeaders().values()).allMatch(String.class::isInstance);
    assertThat(properties.getHeaders()).doesNotContainKeys("spring_returned_message_correlation");
  }

  @Test
  void anErrorCarriesItsCodeAndStatusAsStrings() {
    String device = TaskFixtures.uniqueDeviceId("wire-err");
    Queue queue = listenLikeADevice(device);

    publisher.send(
        publisher.error(
            device,
            null,
            new Refusal(ProtocolError.MALFORMED_CORRELATION_DATA, "no task id"),
            "dev/" + device + "/res"));

    Message message = rabbit.receive(queue.getName(), Duration.ofSeconds(10).toMillis());
    assertThat(message).isNotNull();
    assertThat(message.getMessageProperties().getCorrelationId()).isNull();
    assertThat(message.getMessageProperties().getHeaders())
        .containsOnly(
            entry("error_code", "malformed-correlation-data"), entry("status_code", "400"));
  }

  @Test
  void aTriggerForADeviceWithoutSubscriptionIsReturnedAndReportedOffline() {
    String device = TaskFixtures.uniqueDeviceId("nobody");

    boolean routed =
        publisher.trigger(
            new TaskTrigger(
                UUID.randomUUID(), device, "relay.switch", 0, Instant.now().plusSeconds(60)));

    assertThat(routed).isFalse();
  }

  @Test
  void aTriggerPastItsDeadlineIsNotSent() {
    String device = TaskFixtures.uniqueDeviceId("past");
    Queue queue = listenLikeADevice(device);

    boolean routed =
        publisher.trigger(
            new TaskTrigger(
                UUID.randomUUID(), device, "relay.switch", 0, Instant.now().minusSeconds(1)));

    assertThat(routed).isFalse();
    assertThat(admin.getQueueInfo(queue.getName()).getMessageCount()).isZero();
  }

  /** A queue bound like an MQTT subscription {@code srv/<SN>/+}. */
  private Queue listenLikeADevice(String device) {
    Queue queue = new AnonymousQueue();
    admin.declareQueue(queue);
    Binding binding =
        BindingBuilder.bind(queue).to(new TopicExchange("amq.topic")).with("srv." + device + ".*");
    admin.declareBinding(binding);
    return queue;
  }
}
