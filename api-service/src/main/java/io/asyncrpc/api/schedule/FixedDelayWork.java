package io.asyncrpc.api.schedule;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Background work run with a fixed delay between runs from start to stop (the outbox relay, the
 * webhook fan-out, sender and retention). A run that fails is logged and tried again after the next
 * delay; it never ends the schedule.
 */
public abstract class FixedDelayWork implements SmartLifecycle {

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final String name;
  private final TaskScheduler scheduler;
  private final Duration delay;
  private final boolean enabled;
  private volatile @Nullable ScheduledFuture<?> schedule;

  /**
   * @param name what a run does, for the log: {@code "webhook fan-out"}
   * @param delay the pause between the end of one run and the start of the next
   * @param enabled false: {@link #start()} schedules nothing
   */
  protected FixedDelayWork(String name, TaskScheduler scheduler, Duration delay, boolean enabled) {
    this.name = name;
    this.scheduler = scheduler;
    this.delay = delay;
    this.enabled = enabled;
  }

  /** One run of the work. */
  protected abstract void runOnce();

  /**
   * Runs {@code batch} again while it comes back full ({@code batchSize}) and {@code budget} has
   * not passed, so a backlog drains at the pace of the work instead of one batch per delay. Returns
   * the sum of what the batches returned.
   */
  public static int drain(IntSupplier batch, int batchSize, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    int total = 0;
    int done;
    do {
      done = batch.getAsInt();
      total += done;
    } while (done == batchSize && System.nanoTime() < deadline);
    return total;
  }

  /** Runs {@code batch} again while it comes back full; returns the sum of what they returned. */
  public static int drain(IntSupplier batch, int batchSize) {
    int total = 0;
    int done;
    do {
      done = batch.getAsInt();
      total += done;
    } while (done == batchSize);
    return total;
  }

  /** One run, its failure logged: what the schedule calls, and a run out of turn may too. */
  protected final void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn("{} failed; retrying in {}", name, delay, e);
    }
  }

  @Override
  public void start() {
    if (enabled) {
      schedule = scheduler.scheduleWithFixedDelay(this::runSafely, delay);
    }
  }

  @Override
  public void stop() {
    ScheduledFuture<?> current = schedule;
    if (current != null) {
      current.cancel(false);
      schedule = null;
    }
  }

  @Override
  public boolean isRunning() {
    return schedule != null;
  }
}
