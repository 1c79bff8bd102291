package io.asyncrpc.core.messaging;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Settles a consumed message by hand once its work is done: the database transaction committed and
 * the answer is confirmed by the broker.
 *
 * <ul>
 *   <li>done: ack;
 *   <li>transient failure (database or broker unreachable): nack with requeue after a short pause,
 *       so it is tried again until the outage ends (a quorum queue's delivery limit, broker policy,
 *       ends a loop there);
 *   <li>poison (unparseable): ack, count and log, since no retry can help;
 *   <li>anything else (a bug): reject without requeue, which dead-letters it for inspection.
 * </ul>
 */
@Component
public class MessageSettler {

  private static final Logger log = LoggerFactory.getLogger(MessageSettler.class);

  private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

  private final MeterRegistry meters;

  MessageSettler(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Runs {@code work} for {@code message} from {@code queue} and settles it on {@code channel}. */
  public void settle(String queue, Message message, Channel channel, Runnable work)
      throws IOException {
    long tag = message.getMessageProperties().getDeliveryTag();
    try {
      work.run();
      channel.basicAck(tag, false);
    } catch (PoisonMessageException e) {
      meters.counter("iot.messages.dropped", "queue", queue, "reason", "poison").increment();
      log.warn("Dropped an unusable message from {}: {}", queue, e.getMessage());
      channel.basicAck(tag, false);
    } catch (TransientDataAccessException
        | RecoverableDataAccessException
        | DataAccessResourceFailureException
        | CannotCreateTransactionException
        | AmqpException e) {
      meters.counter("iot.messages.retried", "queue", queue).increment();
      log.warn("Will retry a message from {}: {}", queue, e.toString());
      pause(message);
      channel.basicNack(tag, false, true);
    } catch (RuntimeException e) {
      meters.counter("iot.messages.dropped", "queue", queue, "reason", "error").increment();
      log.error(
          "Rejected a message from {} (dead-lettered where the broker policy says so)", queue, e);
      channel.basicNack(tag, false, false);
    }
  }

  /**
   * Runs {@code work} for a batch of messages from {@code queue} and settles them together: all
   * acked when it succeeds, all requeued after a transient failure. After any other failure each
   * message is worked and settled on its own ({@link #settle}), so a poison message or a bug
   * touches only its own message.
   */
  public void settleBatch(
      String queue, List<Message> messages, Channel channel, Consumer<List<Message>> work)
      throws IOException {
    if (messages.isEmpty()) {
      return;
    }
    long last = messages.getLast().getMessageProperties().getDeliveryTag();
    try {
      work.accept(messages);
      channel.basicAck(last, true);
    } catch (TransientDataAccessException
        | RecoverableDataAccessException
        | DataAccessResourceFailureException
        | CannotCreateTransactionException
        | AmqpException e) {
      meters.counter("iot.messages.retried", "queue", queue).increment(messages.size());
      log.warn("Will retry {} messages from {}: {}", messages.size(), queue, e.toString());
      pause(messages.getFirst());
      channel.basicNack(last, true, true);
    } catch (RuntimeException e) {
      log.debug(
          "A batch from {} failed; settling its messages one by one: {}", queue, e.toString());
      for (Message message : messages) {
        settle(queue, message, channel, () -> work.accept(List.of(message)));
      }
    }
  }

  // Requeued messages come straight back; pausing keeps an outage from becoming a hot loop.
  private static void pause(Message message) {
    Object deliveries = message.getMessageProperties().getHeaders().get("x-delivery-count");
    long count = deliveries instanceof Number n ? n.longValue() + 1 : 1;
    long millis = Math.min(MAX_PAUSE.toMillis(), 200 * count);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
