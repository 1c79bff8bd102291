package io.asyncrpc.bench.api;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
   * @param warmUp unmeasured time first, at least
   * @param warmUpMax unmeasured time first, at most: until the JIT settled ({@code JitWarmUp})
   * @param measure measured time
   * @param tasks the tasks to read, picked at random
   */
  public record Settings(
      int clients, Duration warmUp, Duration warmUpMax, Duration measure, List<UUID> tasks) {

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
    ClosedLoop.Figures figures =
        ClosedLoop.run(
            settings.clients(),
            settings.warmUp(),
            settings.warmUpMax(),
            settings.measure(),
            cpu,
            client ->
                () -> api.status(tasks.get(ThreadLocalRandom.current().nextInt(tasks.size()))));
    return new Result(
        settings.clients(),
        tasks.size(),
        figures.perSecond(),
        figures.errors(),
        figures.latency(),
        figures.cpu());
  }
}
