package io.asyncrpc.core.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.core.support.Golden;
import io.asyncrpc.protocol.TaskIds;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;

/**
 * Tests for {@link Correlation}, with the AMQP properties RabbitMQ 4 makes of the golden messages'
 * MQTT 5 correlation data.
 */
class CorrelationTests {

  @Test
  void readsTheUuidTextFromCorrelationId() {
    Golden result = Golden.load("07-result-ok");
    MessageProperties properties = new MessageProperties();
    properties.setCorrelationId(result.correlationData());

    assertThat(Correlation.taskId(properties)).contains(Golden.TASK);
  }

  @Test
  void readsSixteenRawBytesFromTheBinaryHeader() {
    Golden result = Golden.load("10-result-raw-correlation");
    MessageProperties properties = new MessageProperties();
    properties.setHeader("x-correlation-id", result.correlationBytes());

    assertThat(Correlation.taskId(properties)).contains(Golden.TASK);
  }

  @Test
  void readsSixteenRawBytesThatHappenToBeUtf8FromCorrelationId() {
    UUID ascii = UUID.fromString("41424344-4546-4748-494a-4b4c4d4e4f50");
    MessageProperties properties = new MessageProperties();
    properties.setCorrelationId(new String(TaskIds.toRawBytes(ascii), StandardCharsets.UTF_8));

    assertThat(Correlation.taskId(properties)).contains(ascii);
  }

  @Test
  void fallsBackToTheCorrelationDataUserProperty() {
    Golden result = Golden.load("09-result-correlation-fallback");
    MessageProperties properties = new MessageProperties();
    result.userProperties().forEach(properties::setHeader);

    assertThat(Correlation.taskId(properties)).contains(Golden.TASK);
  }

  @Test
  void readsTheZeroUuidOfAPoll() {
    Golden poll = Golden.load("04-request-head-of-fifo");
    MessageProperties properties = new MessageProperties();
    properties.setCorrelationId(poll.correlationData());

    assertThat(Correlation.taskId(properties)).contains(TaskIds.ZERO);
  }

  @Test
  void findsNothingInMissingOrMalformedCorrelationData() {
    MessageProperties none = new MessageProperties();
    MessageProperties text = new MessageProperties();
    text.setCorrelationId("not-a-task-id");
    MessageProperties shortBytes = new MessageProperties();
    shortBytes.setHeader("x-correlation-id", new byte[] {(byte) 0x8d, 1, 2});
    MessageProperties badFallback = new MessageProperties();
    badFallback.setHeader("correlationData", "3f2b6c1e8d4a4f7e9b1c2a5d6e7f8091");

    assertThat(Correlation.taskId(none)).isEmpty();
    assertThat(Correlation.taskId(text)).isEmpty();
    assertThat(Correlation.taskId(shortBytes)).isEmpty();
    assertThat(Correlation.taskId(badFallback)).isEmpty();
  }
}
