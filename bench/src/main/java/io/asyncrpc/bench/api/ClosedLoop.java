package io.asyncrpc.bench.api;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
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

  static Figures run(int clients, Duration warmUp, Duration measure, CpuMeter cpu, Client client)
      throws InterruptedException {
    Recorder latency = new Recorder(3);
    AtomicLong answered = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    long measureFrom = System.nanoTime() + warmUp.toNanos();
    long end = measureFrom + measure.toNanos();
    AtomicLong measuredStart = new AtomicLong();
    CpuMeter.Sample cpuStart;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        Call call = client.of(c);
        pool.execute(
            () -> {
              for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                try {
                  call.make();
                  long done = System.nanoTime();
                  if (now >= measureFrom) {
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
      Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      latency.getIntervalHistogram();
      cpuStart = cpu.sample();
      measuredStart.set(System.nanoTime());
    }
    CpuMeter.Sample cpuEnd = cpu.sample();
    double seconds = (System.nanoTime() - measuredStart.get()) / 1e9;
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
