package io.asyncrpc.bench.report;

import io.asyncrpc.bench.FifoClaimBenchmark;
import io.asyncrpc.bench.api.ApiAcceptBenchmark;
import io.asyncrpc.bench.harness.MachineFacts;
import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.bench.substrate.RequestResponseBenchmark;
import java.util.List;

/**
 * Everything one run measured; written as {@code results.json} (snake_case names).
 *
 * @param command the command that produced it
 * @param startedAt when the run started (UTC)
 * @param seconds how long it took
 * @param machine the machine
 * @param loadAfter load averages (1, 5, 15 min) when the run ended
 * @param settings the run's sizes and durations
 * @param lifecycle one result per swarm size
 * @param substrate the bare broker's request/response, one per swarm size (same clients)
 * @param fifo the FIFO claim peer comparison
 * @param api the API's accepts under closed-loop load
 * @param targets the targets, each met or missed
 */
public record SuiteResults(
    String command,
    String startedAt,
    double seconds,
    MachineFacts machine,
    String loadAfter,
    Sizes settings,
    List<LifecycleBenchmark.Result> lifecycle,
    List<Substrate> substrate,
    Fifo fifo,
    ApiAcceptBenchmark.Result api,
    List<Target> targets) {

  /**
   * The sizes of the run.
   *
   * @param deviceCounts swarm sizes
   * @param inFlight lifecycles and round trips in flight in the closed loops
   * @param warmUpSeconds warm-up before each measurement
   * @param measureSeconds each measured step
   * @param loadFractions open-loop steps as fractions of the closed loop's rate
   * @param apiClients concurrent API clients
   * @param devicePollSeconds how often an idle device polls its FIFO
   * @param mqttListener the MQTT listener the devices used
   */
  public record Sizes(
      List<Integer> deviceCounts,
      int inFlight,
      long warmUpSeconds,
      long measureSeconds,
      List<Double> loadFractions,
      int apiClients,
      long devicePollSeconds,
      long donePollMillis,
      int doneSamplesPerSecond,
      String mqttListener) {}

  /**
   * The substrate limit for one swarm size and the lifecycle rate as a share of it.
   *
   * @param devices the swarm size it matches
   * @param bare the bare request/response figures
   * @param lifecycleRatio closed-loop lifecycles per second over bare round trips per second
   */
  public record Substrate(
      int devices, RequestResponseBenchmark.Result bare, double lifecycleRatio) {}

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
   * One of the targets.
   *
   * @param name what is measured
   * @param target the target
   * @param measured the figure of this run
   * @param met whether the figure meets the target
   */
  public record Target(String name, String target, String measured, boolean met) {}
}
