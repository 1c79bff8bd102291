package io.asyncrpc.api.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Deletes the outbox rows whose events the broker confirmed right after commit, many rows per
 * statement. The first confirm starts a short wait ({@code iot.outbox.delete-linger}); the
 * statement then takes every confirm that arrived meanwhile, and those arriving while it runs go
 * into the next. Under load the deletions cost a few statements (and commits) per second, not one
 * per handful of tasks; nobody waits for them, and the relay leaves rows younger than its grace
 * period alone, so the delay costs nothing.
 *
 * <p>A row whose deletion fails (database unreachable) stays in the table; the relay publishes it
 * again after the grace period, a duplicate the consumers tolerate.
 */
@Component
class ConfirmedRowDeleter implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ConfirmedRowDeleter.class);

  static final int MAX_BATCH = 500;

  private final OutboxStore store;
  private final Duration linger;
  private final ConcurrentLinkedQueue<Long> confirmed = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("outbox-deleter").daemon().unstarted(r));

  @Autowired
  ConfirmedRowDeleter(OutboxStore store, OutboxProperties properties) {
    this(store, properties.deleteLinger());
  }

  ConfirmedRowDeleter(OutboxStore store, Duration linger) {
    this.store = store;
    this.linger = linger;
  }

  /** Deletes the row {@code id} soon, together with the others confirmed meanwhile. */
  void delete(long id) {
    confirmed.add(id);
    drainSoon();
  }

  private void drainSoon() {
    if (!confirmed.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        executor.schedule(this::drain, linger.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        draining.set(false); // shutting down: destroy() deletes what is left
      }
    }
  }

  private void drain() {
    try {
      for (List<Long> batch = next(); !batch.isEmpty(); batch = next()) {
        deleteBatch(batch);
      }
    } finally {
      draining.set(false);
    }
    // A row confirmed between the last poll and the flag's reset would wait for the next one.
    drainSoon();
  }

  private List<Long> next() {
    List<Long> batch = new ArrayList<>();
    Long id;
    while (batch.size() < MAX_BATCH && (id = confirmed.poll()) != null) {
      batch.add(id);
    }
    return batch;
  }

  private void deleteBatch(List<Long> ids) {
    try {
      store.deleteAll(ids);
    } catch (DataAccessException e) {
      log.warn(
          "{} confirmed outbox row(s) not deleted; the relay publishes them again: {}",
          ids.size(),
          e.toString());
    }
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
    for (List<Long> batch = next(); !batch.isEmpty(); batch = next()) {
      deleteBatch(batch);
    }
  }
}
