package io.asyncrpc.bench.api;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/**
 * {@code clients} concurrent control-center clients, each reading the status of a random existing
 * task ({@code GET /api/v1/tasks/{id}}, what a polling client does) and the next as soon as the 200
 * arrives.
 */
public final class StatusReadBenchmark {

  /**
   * What to run.
   *
   * @param clients concurrent clients (closed loop: one request each in flight)
   * @param warmUp unmeasured time first
   * @param measure measured time
   * @param tasks the tasks to read, picked at random
   */
  public record Settings(int clients, Duration warmUp, Duration measure, List<UUID> tasks) {

    public Settings {
      tasks = List.copyOf(tasks);
    }
  }

  /**
   * The figures.
   *
   * @param clients concurrent clients
   * @param tasks distinct tasks read from
   * @param readsPerSecond 200 answers per second
   * @param errors requests not answered 200
   * @param latency GET to 200
   * @param cpu CPU per process over the measured window, per read
   */
  public record Result(
      int clients, int tasks, double readsPerSecond, long errors, Latency latency, CpuUsage cpu) {}

  private final ApiClient api;
  private final Settings settings;
  private final CpuMeter cpu;

  public StatusReadBenchmark(ApiClient api, Settings settings, CpuMeter cpu) {
    this.api = api;
    this.settings = settings;
    this.cpu = cpu;
  }

  public Result run() throws Exception {
    List<UUID> tasks = settings.tasks();
    if (tasks.isEmpty()) {
      throw new IllegalStateException("no tasks to read: the accept benchmark created none");
    }
    Recorder latency = new Recorder(3);
    AtomicLong reads = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long measureFrom = System.nanoTime() + settings.warmUp().toNanos();
    long end = measureFrom + settings.measure().toNanos();
    AtomicLong measuredStart = new AtomicLong();
    CpuMeter.Sample cpuStart;
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < settings.clients(); c++) {
        clients.execute(
            () -> {
              for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                UUID id = tasks.get(ThreadLocalRandom.current().nextInt(tasks.size()));
                try {
                  api.status(id);
                  long answered = System.nanoTime();
                  if (now >= measureFrom) {
                    latency.recordValue((answered - now) / 1_000);
                    reads.incrementAndGet();
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
    return new Result(
        settings.clients(),
        tasks.size(),
        Math.round(reads.get() / seconds * 10) / 10.0,
        errors.get(),
        Latency.ofMicros(latency.getIntervalHistogram()),
        cpu.between(cpuStart, cpuEnd, reads.get()));
  }
}
