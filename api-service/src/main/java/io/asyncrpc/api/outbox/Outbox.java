package io.asyncrpc.api.outbox;

import io.asyncrpc.web.logging.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to the outbox inside the caller's transaction and publishes them right after
 * commit. Whatever is not confirmed then (broker down, crash) stays in the table for {@link
 * OutboxRelay}; see {@code docs/outbox.md}. Events PostgreSQL can recover by themselves ({@link
 * #appendRecoverable}) may skip the table ({@code iot.outbox.task-created=sweep}) or the broker
 * ({@code notify}).
 */
@Component
public class Outbox implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final OutboxStore store;
  private final ConfirmedRowDeleter confirmedRows;
  private final OutboxPublisher publisher;
  private final JsonMapper json;
  private final OutboxProperties properties;
  private final BrokerFlowControl flow;
  private final TaskCreatedNotifier notifier;
  // Publication happens off the request thread: a slow or unreachable broker never delays a 202.
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  // Bounds the publications waiting for the broker; beyond it, rows wait for the relay.
  private final Semaphore inFlight;
  private final Counter notSent;
  private final FailureBurst failures =
      new FailureBurst(log, "task.created", "the task sweeper re-announces it");

  Outbox(
      OutboxStore store,
      ConfirmedRowDeleter confirmedRows,
      OutboxPublisher publisher,
      JsonMapper json,
      OutboxProperties properties,
      BrokerFlowControl flow,
      TaskCreatedNotifier notifier,
      MeterRegistry meters) {
    this.store = store;
    this.confirmedRows = confirmedRows;
    this.publisher = publisher;
    this.json = json;
    this.properties = properties;
    this.flow = flow;
    this.notifier = notifier;
    this.inFlight = new Semaphore(properties.maxInFlight());
    // The same meter as a refused publication's: an event not even sent is not published either.
    this.notSent = meters.counter("iot.outbox.failed", "path", "immediate");
  }

  /**
   * Refuses a write that would append an event while the broker blocks publishing (a resource
   * alarm), with a {@code 503} problem; call it before the write's transaction.
   */
  public void checkAccepting() {
    flow.blocked()
        .ifPresent(
            blocked -> {
              throw new BrokerBlockedException(blocked.reason());
            });
  }

  /**
   * An event to append.
   *
   * @param aggregateId what it is about, e.g. the task id; also the AMQP message id
   * @param eventType e.g. {@code TaskCreated}; the AMQP {@code type} property
   * @param routingKey e.g. {@code task.created}
   * @param payload the event, written as JSON
   */
  public record Event(UUID aggregateId, String eventType, String routingKey, Object payload) {}

  /**
   * Writes {@code events} to the outbox in the current transaction, in one statement whatever their
   * number, and publishes each once that transaction commits.
   */
  public void appendAll(List<Event> events) {
    Assert.state(
        TransactionSynchronizationManager.isSynchronizationActive(),
        "an outbox event must be appended inside a transaction");
    if (events.isEmpty()) {
      return;
    }
    List<PendingEvent> pending = store.insertAll(pending(events));
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            publishNow(pending);
          }
        });
  }

  /**
   * Publishes what the relay would otherwise take later: as many of {@code pending} as the
   * in-flight bound lets through, sent from one virtual thread and each settled on its confirm's
   * callback (no thread waits per event). A row whose event is confirmed is deleted; every other
   * row stays for the relay.
   */
  private void publishNow(List<PendingEvent> pending) {
    if (flow.blocked().isPresent()) {
      return; // the relay publishes them once the alarm is over
    }
    int permitted = 0;
    while (permitted < pending.size() && inFlight.tryAcquire()) {
      permitted++;
    }
    List<PendingEvent> sent = pending.subList(0, permitted);
    if (sent.isEmpty()) {
      return;
    }
    try {
      executor.execute(
          () -> {
            for (PendingEvent event : sent) {
              publisher.send(event, "immediate").whenSettled(error -> settle(event, error));
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.release(sent.size()); // shutting down: the relay of the next start publishes them
    }
  }

  /** On the connection's thread: a confirmed row joins the next delete, a failed one is noted. */
  private void settle(PendingEvent event, @Nullable String error) {
    inFlight.release();
    if (error == null) {
      confirmedRows.delete(event.id());
      return;
    }
    try {
      // The row's failure is written off the connection's thread, which must not wait on
      // PostgreSQL.
      executor.execute(() -> recordFailure(event, error));
    } catch (RejectedExecutionException e) {
      // Shutting down: the row stays without its error; the relay of the next start publishes it.
    }
  }

  private void recordFailure(PendingEvent event, String error) {
    LogContext.task(event.aggregateId());
    try {
      log.warn("outbox event {} not published, the relay will retry: {}", event.id(), error);
      store.recordFailure(event.id(), error);
    } catch (DataAccessException e) {
      // The row stays; at worst the relay publishes it a second time, which consumers tolerate.
      log.warn("outbox row {} not updated after publication", event.id(), e);
    } finally {
      LogContext.clear();
    }
  }

  /**
   * Events whose loss PostgreSQL can repair, because the row they announce says by itself that they
   * are due (a task still waiting that was never attempted): with {@code
   * iot.outbox.task-created=table} as {@link #appendAll}; with {@code sweep} nothing is written,
   * the events are published once the transaction commits, and {@link TaskCreatedSweeper}
   * re-announces what may not have been confirmed; with {@code notify} they go to PostgreSQL's
   * notification of the transaction instead of the broker, by their aggregate ids.
   */
  public void appendRecoverable(List<Event> events) {
    if (properties.taskCreated() == OutboxProperties.TaskCreatedRecovery.TABLE) {
      appendAll(events);
      return;
    }
    Assert.state(
        TransactionSynchronizationManager.isSynchronizationActive(),
        "an event must be announced from inside its transaction");
    if (events.isEmpty()) {
      return;
    }
    if (properties.taskCreated() == OutboxProperties.TaskCreatedRecovery.NOTIFY) {
      notifier.announce(events.stream().map(Event::aggregateId).toList());
      return;
    }
    List<PendingEvent> announced = pending(events);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            announce(announced);
          }
        });
  }

  /**
   * Sends the events from one virtual thread (a blocked or slow broker never holds the writer that
   * answers the 202s) and settles each on its confirm's callback: no thread waits per event.
   */
  private void announce(List<PendingEvent> events) {
    if (flow.blocked().isPresent()) {
      notSent(events.size(), "the broker blocks publishing");
      return;
    }
    int permitted = 0;
    while (permitted < events.size() && inFlight.tryAcquire()) {
      permitted++;
    }
    if (permitted < events.size()) {
      notSent(events.size() - permitted, "more than max-in-flight awaiting their confirms");
    }
    List<PendingEvent> sent = events.subList(0, permitted);
    if (sent.isEmpty()) {
      return;
    }
    try {
      executor.execute(
          () -> {
            for (PendingEvent event : sent) {
              publisher
                  .send(event, "immediate")
                  .whenSettled(
                      error -> {
                        inFlight.release();
                        if (error == null) {
                          failures.confirmed();
                        } else {
                          failures.failed(error);
                        }
                      });
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.release(sent.size()); // shutting down: the sweeper of the next start has them
      notSent(sent.size(), "shutting down");
    }
  }

  private void notSent(int count, String reason) {
    notSent.increment(count);
    failures.failed(reason);
  }

  /** The events as rows not yet written (id 0), their payloads as JSON. */
  private List<PendingEvent> pending(List<Event> events) {
    return events.stream()
        .map(
            e ->
                new PendingEvent(
                    0,
                    e.aggregateId(),
                    e.eventType(),
                    e.routingKey(),
                    json.writeValueAsString(e.payload())))
        .toList();
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }
}
