package io.asyncrpc.api.outbox;

import io.asyncrpc.api.outbox.OutboxPublisher.Publication;
import io.asyncrpc.api.schedule.FixedDelayWork;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows that the immediate publication did not clear: rows left by a broker outage
 * or by a crash between commit and publish. Rows are locked with {@code FOR UPDATE SKIP LOCKED}, so
 * several instances share the work without publishing the same row at the same time.
 */
@Component
class OutboxRelay extends FixedDelayWork {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final OutboxStore store;
  private final OutboxPublisher publisher;
  private final OutboxProperties properties;
  private final TransactionTemplate transactions;
  private final BrokerFlowControl flow;

  OutboxRelay(
      OutboxStore store,
      OutboxPublisher publisher,
      OutboxProperties properties,
      TransactionTemplate transactions,
      TaskScheduler scheduler,
      BrokerFlowControl flow) {
    super("outbox relay run", scheduler, properties.relayInterval(), properties.relayEnabled());
    this.flow = flow;
    this.store = store;
    this.publisher = publisher;
    this.properties = properties;
    this.transactions = transactions;
  }

  /** Relays one batch; returns how many events the broker confirmed. */
  int relayOnce() {
    Integer published =
        transactions.execute(
            status -> {
              List<PendingEvent> batch =
                  store.lockBatch(properties.gracePeriod(), properties.batchSize());
              // Send the whole batch first, then collect the confirms: one round trip, not n.
              List<Publication> sent =
                  batch.stream().map(event -> publisher.send(event, "relay")).toList();
              List<Long> confirmed = new ArrayList<>();
              for (int i = 0; i < batch.size(); i++) {
                String error = sent.get(i).await();
                if (error == null) {
                  confirmed.add(batch.get(i).id());
                } else {
                  store.recordFailure(batch.get(i).id(), error);
                }
              }
              if (!confirmed.isEmpty()) {
                store.deleteAll(confirmed);
              }
              return confirmed.size();
            });
    return published == null ? 0 : published;
  }

  /**
   * One run: batch after batch while they come back full and all confirmed, for at most one relay
   * interval, so a backlog (a broker outage, or more events after commit than {@code
   * max-in-flight}) drains at the broker's pace instead of one batch per interval. Returns how many
   * events the broker confirmed.
   */
  int relayBacklog() {
    // While the broker blocks, a publish would wait for the alarm to clear holding the batch's row
    // locks: the run stops instead.
    return drain(
        () -> flow.blocked().isPresent() ? 0 : relayOnce(),
        properties.batchSize(),
        properties.relayInterval());
  }

  @Override
  protected void runOnce() {
    int published = relayBacklog();
    if (published > 0) {
      log.info("outbox relay published {} event(s)", published);
    }
  }
}
