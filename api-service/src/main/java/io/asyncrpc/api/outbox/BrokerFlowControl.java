package io.asyncrpc.api.outbox;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether RabbitMQ currently blocks this service's publishing connection. The broker does that
 * while a memory or disk alarm is raised ({@code connection.blocked}); a publish then waits until
 * the alarm clears, so the outbox stops publishing and the API refuses new tasks with {@code 503}
 * instead of letting requests and publisher threads pile up (docs/backpressure.md).
 *
 * <p>RabbitMQ sends {@code connection.blocked} to a connection when it next publishes, so the first
 * write after an alarm is still accepted; its event waits in the outbox like any other.
 */
@Component
public class BrokerFlowControl implements ConnectionListener {

  private static final Logger log = LoggerFactory.getLogger(BrokerFlowControl.class);

  private final AtomicReference<@Nullable Blocked> blocked = new AtomicReference<>();

  BrokerFlowControl(ConnectionFactory connections) {
    connections.addConnectionListener(this);
  }

  /**
   * Why the broker blocks publishing, and since when.
   *
   * @param reason the broker's reason, e.g. {@code low on memory}
   * @param since when the notification arrived
   */
  public record Blocked(String reason, Instant since) {}

  /** The current block, or empty while the broker accepts messages. */
  public Optional<Blocked> blocked() {
    return Optional.ofNullable(blocked.get());
  }

  @EventListener
  void onBlocked(ConnectionBlockedEvent event) {
    Blocked now = new Blocked(String.valueOf(event.getReason()), Instant.now());
    if (blocked.getAndSet(now) == null) {
      log.warn("RabbitMQ blocks publishing ({}): new tasks are refused with 503", now.reason());
    }
  }

  @EventListener
  void onUnblocked(ConnectionUnblockedEvent event) {
    clear("RabbitMQ unblocked publishing: tasks are accepted again");
  }

  @Override
  public void onCreate(@Nullable Connection connection) {
    // A new connection starts unblocked; the broker tells it again if the alarm still holds.
    clear("new RabbitMQ connection: tasks are accepted again");
  }

  @Override
  public void onClose(Connection connection) {
    clear("RabbitMQ connection closed: tasks are accepted again, their events wait in the outbox");
  }

  private void clear(String message) {
    if (blocked.getAndSet(null) != null) {
      log.info(message);
    }
  }
}
