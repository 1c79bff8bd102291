package io.asyncrpc.api.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes outbox events with publisher confirms and mandatory routing. An event counts as
 * published only when the broker acked it <em>and</em> routed it to at least one queue: a message
 * returned as unroutable would otherwise be lost while its outbox row is deleted.
 */
@Component
class OutboxPublisher {

  private final RabbitTemplate rabbit;
  private final OutboxProperties properties;
  private final MeterRegistry meters;
  private final Timer confirmTimer;

  OutboxPublisher(RabbitTemplate rabbit, OutboxProperties properties, MeterRegistry meters) {
    if (rabbit.getConnectionFactory() instanceof CachingConnectionFactory caching
        && !(caching.isPublisherConfirms() && caching.isPublisherReturns())) {
      // Without confirms and returns the outbox would delete rows the broker never took.
      throw new IllegalStateException(
          "the outbox needs spring.rabbitmq.publisher-confirm-type=correlated"
              + " and spring.rabbitmq.publisher-returns=true");
    }
    rabbit.setMandatory(true);
    this.rabbit = rabbit;
    this.properties = properties;
    this.meters = meters;
    this.confirmTimer =
        Timer.builder("iot.outbox.confirm")
            .description("Time from publishing an outbox event to the broker's confirm")
            .register(meters);
  }

  /** Sends one event; the result is awaited with {@link Publication#await()}. Never throws. */
  Publication send(PendingEvent event, String path) {
    MessageProperties props = new MessageProperties();
    props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    props.setContentEncoding(StandardCharsets.UTF_8.name());
    props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    props.setMessageId(event.aggregateId().toString());
    props.setType(event.eventType());
    props.setAppId("api-service");
    props.setTimestamp(new Date());
    Message message = new Message(event.payload().getBytes(StandardCharsets.UTF_8), props);
    // An event without an outbox row (task-created=sweep) is correlated by its task.
    CorrelationData correlation =
        new CorrelationData(
            event.id() == 0 ? event.aggregateId().toString() : Long.toString(event.id()));
    long started = System.nanoTime();
    try {
      rabbit.send(properties.exchange(), event.routingKey(), message, correlation);
      return new Publication(correlation, null, started, path);
    } catch (AmqpException e) {
      return new Publication(correlation, "send failed: " + e.getMessage(), started, path);
    }
  }

  /** A sent event waiting for its confirm. */
  final class Publication {

    private final CorrelationData correlation;
    private final @Nullable String sendError;
    private final long started;
    private final String path;

    private Publication(
        CorrelationData correlation, @Nullable String sendError, long started, String path) {
      this.correlation = correlation;
      this.sendError = sendError;
      this.started = started;
      this.path = path;
    }

    /** Waits for the confirm: null when acked and routed, otherwise why not. */
    @Nullable String await() {
      return settled(sendError != null ? sendError : awaitConfirm());
    }

    /**
     * Calls {@code settled} with what {@link #await()} would return, once the confirm arrives or
     * times out, without a thread waiting for it: on the connection's thread or on the timeout's.
     */
    void whenSettled(Consumer<@Nullable String> settled) {
      if (sendError != null) {
        settled.accept(settled(sendError));
        return;
      }
      Duration timeout = properties.confirmTimeout();
      correlation
          .getFuture()
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (confirm, failure) ->
                  settled.accept(
                      settled(
                          failure == null
                              ? outcome(confirm)
                              : failure instanceof TimeoutException
                                  ? "no publisher confirm within " + timeout
                                  : "confirm failed: " + failure)));
    }

    private @Nullable String settled(@Nullable String error) {
      confirmTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      Counter.builder(error == null ? "iot.outbox.published" : "iot.outbox.failed")
          .description("Outbox events confirmed (published) or not (failed) by the broker")
          .tag("path", path)
          .register(meters)
          .increment();
      return error;
    }

    private @Nullable String awaitConfirm() {
      Duration timeout = properties.confirmTimeout();
      CorrelationData.Confirm confirm;
      try {
        confirm = correlation.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return "no publisher confirm within " + timeout;
      } catch (ExecutionException e) {
        return "confirm failed: " + e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for the confirm";
      }
      return outcome(confirm);
    }

    private @Nullable String outcome(CorrelationData.Confirm confirm) {
      if (!confirm.ack()) {
        return "nack: " + confirm.reason();
      }
      ReturnedMessage returned = correlation.getReturned();
      if (returned != null) {
        return "unroutable: " + returned.getReplyCode() + " " + returned.getReplyText();
      }
      return null;
    }
  }
}
