package io.asyncrpc.api.outbox;

import io.asyncrpc.task.model.NorthboundTopology;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The transactional outbox and its relay.
 *
 * @param exchange the topic exchange events are published to (declared at start-up)
 * @param relayEnabled whether the relay runs in this instance
 * @param relayInterval pause between two relay runs
 * @param gracePeriod how old a row must be before the relay takes it, so the relay does not race
 *     the immediate publication after commit
 * @param batchSize most rows one relay run publishes
 * @param confirmTimeout how long to wait for the broker's publisher confirm
 * @param maxInFlight most events published right after commit and not yet confirmed; when more are
 *     waiting (a slow broker), further events are left to the relay
 * @param deleteLinger how long the rows of confirmed events wait to be deleted together; well under
 *     {@code gracePeriod}, or the relay would publish them again
 * @param taskCreated how a created task is announced to core-service, and how a lost announcement
 *     is repeated: {@code notify} (the default), a PostgreSQL notification in the creating
 *     transaction ({@link io.asyncrpc.task.model.TaskCreatedChannel}), no broker message, the
 *     sweeper re-notifying; {@code sweep}, {@code task.created} over AMQP after the commit, no row,
 *     {@link TaskCreatedSweeper} re-announcing from the tasks table; {@code table}, the same with
 *     an outbox row per task (docs/outbox.md, with the figures that chose the default)
 * @param sweepLookBack how far back the sweeper looks, at start-up and after a long broker outage;
 *     an older task is left to its device's poll
 */
@ConfigurationProperties("iot.outbox")
public record OutboxProperties(
    @DefaultValue(NorthboundTopology.TASKS_EXCHANGE) String exchange,
    @DefaultValue("true") boolean relayEnabled,
    @DefaultValue("1s") Duration relayInterval,
    @DefaultValue("5s") Duration gracePeriod,
    @DefaultValue("100") int batchSize,
    @DefaultValue("5s") Duration confirmTimeout,
    @DefaultValue("256") int maxInFlight,
    @DefaultValue("200ms") Duration deleteLinger,
    @DefaultValue("notify") TaskCreatedRecovery taskCreated,
    @DefaultValue("10m") Duration sweepLookBack) {

  /** How a new task is announced, and how a lost announcement is repeated. */
  public enum TaskCreatedRecovery {
    /** An outbox row per task in the creating transaction, deleted once confirmed; the relay. */
    TABLE,
    /** The task's own row is the only write; {@link TaskCreatedSweeper} re-announces. */
    SWEEP,
    /**
     * No broker message: a PostgreSQL {@code NOTIFY} in the creating transaction, which
     * core-service {@code LISTEN}s to; {@link TaskCreatedSweeper} notifies again.
     */
    NOTIFY;

    /** Whether the task's own row is the only write, so the sweeper repeats lost announcements. */
    boolean swept() {
      return this != TABLE;
    }
  }
}
