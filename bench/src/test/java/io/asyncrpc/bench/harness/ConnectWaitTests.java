package io.asyncrpc.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectWaitTests {

  private static final Duration BUDGET = Duration.ofMillis(200);
  private static final Duration STALL = Duration.ofMillis(200);

  @Test
  void aSwarmStillConnectingAfterItsBudgetIsWaitedFor() throws Exception {
    AtomicLong settled = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledExecutorService devices = Executors.newSingleThreadScheduledExecutor();
    try {
      // One device every 50 ms for a second, then all done: five budgets long, never stalled.
      devices.scheduleAtFixedRate(settled::incrementAndGet, 0, 50, TimeUnit.MILLISECONDS);
      devices.schedule(() -> done.complete(null), 1, TimeUnit.SECONDS);

      ConnectWait.await(done, BUDGET, STALL, settled::get);

      assertThat(done).isCompleted();
    } finally {
      devices.shutdownNow();
    }
  }

  @Test
  void aSwarmThatStoppedSettlingTimesOutAfterItsBudget() {
    AtomicLong reads = new AtomicLong();
    CompletableFuture<Void> never = new CompletableFuture<>();

    assertThatThrownBy(
            () ->
                ConnectWait.await(
                    never,
                    BUDGET,
                    STALL,
                    () -> {
                      reads.incrementAndGet();
                      return 42;
                    }))
        .isInstanceOf(TimeoutException.class);
    assertThat(reads).as("read before and after the budget, no stretch after it").hasValue(2);
  }
}
