package io.asyncrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Tests for {@link MessageSettler}: which outcome acks, requeues or dead-letters a message. */
class MessageSettlerTests {

  private static final long TAG = 42;

  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final MessageSettler settler = new MessageSettler(meters);
  private final Channel channel = mock(Channel.class);

  @Test
  void acksWhenTheWorkIsDone() throws IOException {
    settler.settle("q", message(), channel, () -> {});

    verify(channel).basicAck(TAG, false);
    verifyNoMoreInteractions(channel);
  }

  @Test
  void acksAndCountsAPoisonMessage() throws IOException {
    settler.settle(
        "q",
        message(),
        channel,
        () -> {
          throw new PoisonMessageException("not JSON", null);
        });

    verify(channel).basicAck(TAG, false);
    assertThat(meters.counter("iot.messages.dropped", "queue", "q", "reason", "poison").count())
        .isOne();
  }

  @Test
  void requeuesWhenTheDatabaseIsUnreachable() throws IOException {
    settler.settle(
        "q",
        message(),
        channel,
        () -> {
          throw new CannotGetJdbcConnectionException("database down");
        });

    verify(channel).basicNack(TAG, false, true);
    assertThat(meters.counter("iot.messages.retried", "queue", "q").count()).isOne();
  }

  @Test
  void rejectsWithoutRequeueOnAnythingElse() throws IOException {
    settler.settle(
        "q",
        message(),
        channel,
        () -> {
          throw new IllegalStateException("bug");
        });

    verify(channel).basicNack(TAG, false, false);
    assertThat(meters.counter("iot.messages.dropped", "queue", "q", "reason", "error").count())
        .isOne();
  }

  private static Message message() {
    MessageProperties properties = new MessageProperties();
    properties.setDeliveryTag(TAG);
    return new Message(new byte[0], properties);
  }
}
