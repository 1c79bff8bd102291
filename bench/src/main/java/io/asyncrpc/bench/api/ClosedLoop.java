package io.asyncrpc.bench.api;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.JitWarmUp;
import io.asyncrpc.bench.harness.Latency;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop load on the API: each client makes a call and the next as soon as the answer
 * arrives, for a warm-up and then a measured window; only calls started in the window count.
 */
final class ClosedLoop {

  /** One client's call; throws when the API did not answer as it should. */
  @FunctionalInterface
  interface Call {
    void make() throws Exception;
  }

  /** The calls of client {@code client} (0 to clients - 1). */
  @FunctionalInterface
  interface Client {
    Call of(int client);
  }

  /**
   * The figures of the measured window.
   *
   * @param perSecond answered calls per second
   * @param errors calls that failed (in the warm-up too)
   * @param latency call to answer
   * @param cpu CPU per process, per answered call
   */
  record Figures(double perSecond, long errors, Latency latency, CpuUsage cpu) {}

  private ClosedLoop() {}

  /**
   * Runs the clients through a warm-up of at least {@code warmUp} that lasts until the JIT settled
   * (at most {@code warmUpMax}; {@link JitWarmUp}), then measures for {@code measure}.
   */
  static Figures run(
      int clients,
      Duration warmUp,
      Duration warmUpMax,
      Duration measure,
      CpuMeter cpu,
      Client client)
      throws Exception {
    Recorder latency = new Recorder(3);
    AtomicLong answered = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    // Both move once the warm-up ended: a call counts when it started at or after measureFrom.
    AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
    AtomicLong end = new AtomicLong(Long.MAX_VALUE);
    CpuMeter.Sample cpuStart;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        Call call = client.of(c);
        pool.execute(
            () -> {
              for (long now = System.nanoTime(); now < end.get(); now = System.nanoTime()) {
                try {
                  call.make();
                  long done = System.nanoTime();
                  if (now >= measureFrom.get()) {
                    latency.recordValue((done - now) / 1_000);
                    answered.incrementAndGet();
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                  firstError.compareAndSet(null, e.toString());
                }
              }
            });
      }
      try {
        JitWarmUp.Outcome warm =
            JitWarmUp.run(cpu, warmUp, warmUpMax, length -> Thread.sleep(length.toMillis()));
        System.out.println("  warm-up: " + warm);
      } finally {
        long now = System.nanoTime();
        latency.getIntervalHistogram();
        cpuStart = cpu.sample();
        measureFrom.set(now);
        end.set(now + measure.toNanos());
      }
    }
    CpuMeter.Sample cpuEnd = cpu.sample();
    double seconds = (System.nanoTime() - measureFrom.get()) / 1e9;
    if (firstError.get() != null) {
      System.out.println("  first API error: " + firstError.get());
    }
    return new Figures(
        Math.round(answered.get() / seconds * 10) / 10.0,
        errors.get(),
        Latency.ofMicros(latency.getIntervalHistogram()),
        cpu.between(cpuStart, cpuEnd, answered.get()));
  }
}
