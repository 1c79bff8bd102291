package io.asyncrpc.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void acksABatchAtOnceWhenItsWorkIsDone() throws IOException {
    List<Message> batch = List.of(message(7), message(8), message(9));
    List<List<Message>> worked = new ArrayList<>();

    settler.settleBatch("q", batch, channel, worked::add);

    assertThat(worked).containsExactly(batch);
    verify(channel).basicAck(9, true);
    verifyNoMoreInteractions(channel);
  }

  @Test
  void requeuesABatchAtOnceWhenTheDatabaseIsUnreachable() throws IOException {
    settler.settleBatch(
        "q",
        List.of(message(7), message(8)),
        channel,
        messages -> {
          throw new CannotGetJdbcConnectionException("database down");
        });

    verify(channel).basicNack(8, true, true);
    verifyNoMoreInteractions(channel);
    assertThat(meters.counter("iot.messages.retried", "queue", "q").count()).isEqualTo(2);
  }

  @Test
  void aBatchThatFailsIsWorkedAgainMessageByMessage() throws IOException {
    Message good = message(7);
    Message bad = message(8);
    Message alsoGood = message(9);
    List<List<Message>> worked = new ArrayList<>();

    settler.settleBatch(
        "q",
        List.of(good, bad, alsoGood),
        channel,
        messages -> {
          worked.add(messages);
          if (messages.contains(bad)) {
            throw new IllegalStateException("bug in one message");
          }
        });

    assertThat(worked)
        .containsExactly(
            List.of(good, bad, alsoGood), List.of(good), List.of(bad), List.of(alsoGood));
    verify(channel).basicAck(7, false);
    verify(channel).basicNack(8, false, false);
    verify(channel).basicAck(9, false);
    verifyNoMoreInteractions(channel);
  }

  private static Message message() {
    return message(TAG);
  }

  private static Message message(long tag) {
    MessageProperties properties = new MessageProperties();
    properties.setDeliveryTag(tag);
    return new Message(new byte[0], properties);
  }
}
