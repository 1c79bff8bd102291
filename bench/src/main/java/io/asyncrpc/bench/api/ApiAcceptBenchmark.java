package io.asyncrpc.bench.api;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.bench.lifecycle.Registration;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * {@code clients} concurrent control-center clients, each POSTing a task and the next as soon as
 * the 202 arrives. The tasks go to devices that never connect, so only the API, its database
 * transaction and the outbox publication are measured (the core still triggers the offline device
 * and finds it absent; the task sweep, with {@code task-created=sweep}, re-announces nothing to an
 * offline device, so its cost here is its reads). The ids of the tasks created are kept for {@link
 * StatusReadBenchmark}.
 */
public final class ApiAcceptBenchmark {

  /**
   * What to run.
   *
   * @param clients concurrent clients (closed loop: one request each in flight)
   * @param warmUp unmeasured time first, at least
   * @param warmUpMax unmeasured time first, at most: until the JIT settled ({@code JitWarmUp})
   * @param measure measured time
   * @param devicePrefix the offline devices' ids, one per client
   * @param taskCreated how the api-service announces a created task ({@code
   *     iot.outbox.task-created}: {@code table} or {@code sweep}), for the report
   */
  public record Settings(
      int clients,
      Duration warmUp,
      Duration warmUpMax,
      Duration measure,
      String devicePrefix,
      String taskCreated) {}

  /**
   * The figures.
   *
   * @param clients concurrent clients
   * @param taskCreated how the api-service announced the tasks: {@code table} or {@code sweep}
   * @param acceptsPerSecond 202 answers per second
   * @param errors requests not answered 202
   * @param latency POST to 202
   * @param cpu CPU per process over the measured window, per accept
   */
  public record Result(
      int clients,
      String taskCreated,
      double acceptsPerSecond,
      long errors,
      Latency latency,
      CpuUsage cpu) {}

  private static final int KEPT_IDS = 100_000;

  private final ApiClient api;
  private final Settings settings;
  private final CpuMeter cpu;
  private final List<UUID> created = Collections.synchronizedList(new ArrayList<>());

  public ApiAcceptBenchmark(ApiClient api, Settings settings, CpuMeter cpu) {
    this.api = api;
    this.settings = settings;
    this.cpu = cpu;
  }

  /** Ids of tasks this benchmark created (up to 100,000). */
  public List<UUID> createdTasks() {
    synchronized (created) {
      return List.copyOf(created);
    }
  }

  public Result run() throws Exception {
    List<String> devices = new ArrayList<>();
    for (int c = 0; c < settings.clients(); c++) {
      devices.add(settings.devicePrefix() + "-" + c);
    }
    Registration.registerAll(api, devices, 4);
    ClosedLoop.Figures figures =
        ClosedLoop.run(
            settings.clients(),
            settings.warmUp(),
            settings.warmUpMax(),
            settings.measure(),
            cpu,
            client ->
                () -> {
                  UUID id = api.createTask(devices.get(client), "bench.accept", 60, "{\"n\":1}");
                  if (created.size() < KEPT_IDS) {
                    created.add(id);
                  }
                });
    return new Result(
        settings.clients(),
        settings.taskCreated(),
        figures.perSecond(),
        figures.errors(),
        figures.latency(),
        figures.cpu());
  }
}
