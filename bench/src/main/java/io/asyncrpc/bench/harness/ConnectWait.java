package io.asyncrpc.bench.harness;

import io.asyncrpc.swarm.Swarm;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Waits for a swarm's first connection attempts: the budget, then for as long as devices keep
 * settling (connecting or failing). On a slower machine a 10,000-device swarm connected 8,294
 * devices within its budget and was still connecting; it connects later, not never.
 */
public final class ConnectWait {

  /** How long a swarm may go without one more device settled before the wait gives up. */
  public static final Duration STALL = Duration.ofSeconds(30);

  private ConnectWait() {}

  /** The first wait for {@code devices} connecting at {@code perSecond}: twice that, plus 60 s. */
  public static Duration budget(int devices, int perSecond) {
    return Duration.ofSeconds(60 + 2L * devices / perSecond);
  }

  /** {@code start} (from {@link Swarm#start()}) done, or its timeout once progress stalled. */
  public static void await(Swarm swarm, CompletableFuture<Void> start, Duration budget)
      throws ExecutionException, TimeoutException, InterruptedException {
    await(
        start,
        budget,
        STALL,
        () -> {
          var s = swarm.stats().snapshot();
          return s.online() + s.connectFailures();
        });
  }

  /**
   * {@code done} within {@code budget}, or within further stretches of {@code stall} each of which
   * saw {@code settled} grow; otherwise the last timeout.
   */
  static void await(
      CompletableFuture<Void> done, Duration budget, Duration stall, LongSupplier settled)
      throws ExecutionException, TimeoutException, InterruptedException {
    long before = settled.getAsLong();
    Duration wait = budget;
    while (true) {
      try {
        done.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        return;
      } catch (TimeoutException e) {
        long now = settled.getAsLong();
        if (now <= before) {
          throw e;
        }
        before = now;
        wait = stall;
      }
    }
  }
}
