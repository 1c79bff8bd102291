package io.asyncrpc.bench.report;

import io.asyncrpc.bench.FifoClaimBenchmark;
import io.asyncrpc.bench.api.ApiAcceptBenchmark;
import io.asyncrpc.bench.api.PgBench;
import io.asyncrpc.bench.api.StatusReadBenchmark;
import io.asyncrpc.bench.events.IdleStreamsBenchmark;
import io.asyncrpc.bench.events.WaitVsPollBenchmark;
import io.asyncrpc.bench.events.WebhookBenchmark;
import io.asyncrpc.bench.harness.MachineFacts;
import io.asyncrpc.bench.idle.IdleBrokerBenchmark;
import io.asyncrpc.bench.jobs.JobBenchmark;
import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.bench.queues.QueueTypeBenchmark;
import io.asyncrpc.bench.substrate.RequestResponseBenchmark;
import io.asyncrpc.protocol.ProtocolVersion;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything one run measured; written as {@code results.json} (snake_case names). A step that
 * could not run leaves its figure null and says why in {@link #skipped()}.
 *
 * @param command the command that produced it
 * @param startedAt when the run started (UTC)
 * @param seconds how long it took
 * @param machine the machine, or null when it could not be read
 * @param loadAfter load averages (1, 5, 15 min) when the run ended
 * @param settings the run's sizes and durations
 * @param lifecycle one result per swarm size and protocol
 * @param substrate the bare broker's request/response, one per swarm size (same clients)
 * @param lifecycleRatios closed-loop lifecycles over bare round trips, per size and protocol
 * @param fifo the FIFO claim peer comparison, or null
 * @param api the API against pgbench, or null
 * @param queueTypes classic against quorum queues, or null
 * @param idleBroker the broker's idle CPU per node setting, or null
 * @param events idle event streams, waiting against polling, webhook delivery, or null
 * @param jobs fleet jobs with 10,000 devices, or null
 * @param skipped the steps that could not run, with the reason
 * @param targets the targets of issue 13, each met or missed
 * @param earlierTargets the targets of the earlier issue, still measured
 * @param jobTargets the targets of fleet jobs (issue 15), each met or missed
 */
public record SuiteResults(
    String command,
    String startedAt,
    double seconds,
    @Nullable MachineFacts machine,
    String loadAfter,
    Sizes settings,
    List<LifecycleBenchmark.Result> lifecycle,
    List<Substrate> substrate,
    List<Ratio> lifecycleRatios,
    @Nullable Fifo fifo,
    @Nullable Api api,
    QueueTypeBenchmark.@Nullable Result queueTypes,
    IdleBrokerBenchmark.@Nullable Result idleBroker,
    @Nullable Events events,
    JobBenchmark.@Nullable Result jobs,
    List<Skipped> skipped,
    List<Target> targets,
    List<Target> earlierTargets,
    List<Target> jobTargets) {

  /**
   * The sizes of the run.
   *
   * @param deviceCounts swarm sizes
   * @param protocols device protocols measured at each size
   * @param inFlight lifecycles and round trips in flight in the closed loops
   * @param warmUpSeconds warm-up before each measurement, at least
   * @param warmUpMaxSeconds warm-up before each measurement, at most: until the JIT settled
   * @param measureSeconds each measured step
   * @param loadFractions open-loop steps as fractions of the closed loop's rate
   * @param idleWindowSeconds the window of a connected swarm's idle CPU
   * @param apiClients concurrent API clients, and pgbench's clients
   * @param pgbenchThreads pgbench's threads
   * @param devicePollSeconds how often an idle device polls its FIFO
   * @param donePollMillis the polling client's interval between two status reads of a task
   * @param doneSamplesPerSecond tasks a second the polling client follows until they end
   * @param mqttListener the MQTT listener the devices used
   */
  public record Sizes(
      List<Integer> deviceCounts,
      List<ProtocolVersion> protocols,
      int inFlight,
      long warmUpSeconds,
      long warmUpMaxSeconds,
      long measureSeconds,
      List<Double> loadFractions,
      long idleWindowSeconds,
      int apiClients,
      int pgbenchThreads,
      long devicePollSeconds,
      long donePollMillis,
      int doneSamplesPerSecond,
      String mqttListener) {}

  /**
   * The substrate limit for one swarm size.
   *
   * @param devices the swarm size it matches
   * @param bare the bare request/response figures
   */
  public record Substrate(int devices, RequestResponseBenchmark.Result bare) {}

  /**
   * Lifecycles as a share of the substrate, same size, same run.
   *
   * @param protocol the devices' protocol
   * @param devices the swarm size
   * @param lifecyclesPerSecond the closed loop's rate
   * @param roundTripsPerSecond the bare request/response rate with as many clients
   * @param ratio the one over the other
   */
  public record Ratio(
      ProtocolVersion protocol,
      int devices,
      double lifecyclesPerSecond,
      double roundTripsPerSecond,
      double ratio) {}

  /**
   * The FIFO claim comparison.
   *
   * @param rows rows per round
   * @param concurrency concurrent consumers
   * @param rounds measured rounds per system
   * @param systems each system's median and rounds
   * @param ratio the core's median over db-scheduler's single-row claim
   */
  public record Fifo(
      int rows,
      int concurrency,
      int rounds,
      List<FifoClaimBenchmark.Measurement> systems,
      double ratio) {}

  /**
   * The API against pgbench on the same database with as many clients.
   *
   * @param clients concurrent clients of each
   * @param accepts {@code POST /tasks} accepts with the first way of announcing created tasks
   *     ({@code bench.api-task-created}), or null
   * @param otherAccepts the same with each other way, on the same database with the same clients
   * @param pgbenchInsert pgbench's one-row inserts, or null
   * @param acceptRatio accepts/s over pgbench's insert tps, or null
   * @param reads {@code GET /tasks/{id}} reads, or null
   * @param pgbenchSelect pgbench's selects by key, or null
   * @param readRatio reads/s over pgbench's select tps, or null
   */
  public record Api(
      int clients,
      ApiAcceptBenchmark.@Nullable Result accepts,
      List<ApiAcceptBenchmark.Result> otherAccepts,
      PgBench.@Nullable Result pgbenchInsert,
      @Nullable Double acceptRatio,
      StatusReadBenchmark.@Nullable Result reads,
      PgBench.@Nullable Result pgbenchSelect,
      @Nullable Double readRatio) {}

  /**
   * Telling clients instead of being polled, with the devices that answer its tasks.
   *
   * @param responders connected v2 devices answering every task at once
   * @param streams idle event streams on one api-service, or null
   * @param waits waiting GETs against polling GETs, or null
   * @param webhooks webhook delivery against lifecycles without a webhook, or null
   */
  public record Events(
      int responders,
      IdleStreamsBenchmark.@Nullable Result streams,
      WaitVsPollBenchmark.@Nullable Result waits,
      WebhookBenchmark.@Nullable Result webhooks) {}

  /**
   * A step that could not run.
   *
   * @param step the step
   * @param reason why
   */
  public record Skipped(String step, String reason) {}

  /**
   * One target.
   *
   * @param name what is measured
   * @param target the target
   * @param measured the figure of this run
   * @param met whether the figure meets the target (computed)
   */
  public record Target(String name, String target, String measured, boolean met) {}
}
