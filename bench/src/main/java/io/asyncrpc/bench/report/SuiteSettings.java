package io.asyncrpc.bench.report;

import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.testsupport.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What one run of the suite measures and where it writes. {@link #fromSystemProperties()} reads
 * {@code -Dbench.<name>} options with the full run's defaults; {@link #from(Path, Map)} takes the
 * same names from a map (the smoke test's tiny numbers). The names are those in the parentheses
 * below.
 *
 * @param command the command line to name in the report ({@code command})
 * @param repository the repository root: docs, results, scripts ({@code repository})
 * @param jarRoot where {@code <module>/target/<module>-*.jar} of the services are: the repository,
 *     or a build of a clean checkout ({@code jars})
 * @param jdbcUrl the database the services, the FIFO benchmark and pgbench use ({@code jdbc-url})
 * @param dbUser its user ({@code db-user})
 * @param dbPassword its password ({@code db-password})
 * @param host the broker's host ({@code host})
 * @param amqpPort its AMQP port: services and the queue-type benchmark ({@code amqp-port})
 * @param amqpUser the services' login, which may also use any MQTT topic ({@code amqp-user})
 * @param amqpPassword its password ({@code amqp-password})
 * @param mqttPort the plain MQTT 5 listener ({@code mqtt-port})
 * @param deviceUser the development device login ({@code device-user})
 * @param devicePassword its password ({@code device-password})
 * @param managementPort the broker's management HTTP port ({@code management-port})
 * @param deviceCounts swarm sizes to measure, each with its own substrate run ({@code devices})
 * @param protocols device protocol versions measured at each size, side by side ({@code protocols}:
 *     {@code 1,2})
 * @param inFlight lifecycles (and bare round trips) in flight in the closed loops ({@code
 *     in-flight})
 * @param warmUp warm-up before each measurement ({@code warm-up-s}): at least this long, then until
 *     the JIT compilers of the services and the load generator settled ({@code JitWarmUp})
 * @param warmUpMax the longest warm-up, JIT settled or not ({@code warm-up-max-s}, default five
 *     times {@code warm-up-s})
 * @param measure length of each measured step ({@code measure-s})
 * @param loadFractions open-loop steps as fractions of the closed loop's rate; 0.5 is the target's
 *     ({@code fractions})
 * @param idleWindow the window over which a connected swarm's idle CPU is read before its load
 *     steps ({@code idle-s})
 * @param apiClients concurrent clients of the API benchmarks and of pgbench ({@code api-clients})
 * @param pgbenchThreads pgbench's worker threads ({@code pgbench-threads})
 * @param fifoRows rows per FIFO claim round ({@code fifo-rows})
 * @param fifoConcurrency concurrent consumers of the FIFO claim benchmark ({@code
 *     fifo-concurrency})
 * @param fifoRounds measured FIFO claim rounds per system ({@code fifo-rounds})
 * @param connectsPerSecond how fast devices and responders connect ({@code connect-rate})
 * @param donePollInterval how often the polling client asks for a sampled task's state ({@code
 *     done-poll-ms})
 * @param doneSamplesPerSecond how many tasks a second the polling client follows until they end
 *     ({@code done-samples})
 * @param devicePollInterval how often an idle simulated device polls its FIFO ({@code
 *     device-poll-s})
 * @param queueTypes queue types compared for the core's traffic shapes ({@code queue-types}; empty
 *     skips the step)
 * @param queueWarmUp warm-up of each queue-type measurement ({@code queue-warm-up-s})
 * @param queueMeasure each queue-type measurement ({@code queue-measure-s})
 * @param idleDevices devices of the private broker node's idle measurement ({@code idle-devices})
 * @param idleVariants private node settings measured idle, each against {@code default} ({@code
 *     idle-variants}: {@code default}, {@code metrics}, {@code no-metrics}, {@code fast-stats},
 *     {@code slow-stats}, {@code busy-wait}, {@code no-busy-wait}, {@code one-scheduler}, {@code
 *     lazy-wakeup}, or several joined with {@code +} ({@code scripts/bench}'s header); empty skips
 *     the step)
 * @param idleSettle time after the devices connected before the idle window ({@code idle-settle-s})
 * @param idleMeasure the private node's idle window ({@code idle-measure-s})
 * @param privateMqttPort the private broker node's MQTT port ({@code private-mqtt-port})
 * @param localAddresses loopback source addresses for the many connections ({@code
 *     local-addresses})
 * @param serviceJvmOptions extra JVM options of core-service and api-service, e.g. JFR ({@code
 *     service-jvm})
 * @param coreArguments extra program arguments of core-service, for experiments with its settings
 *     ({@code core-args})
 * @param apiArguments extra program arguments of api-service, e.g. {@code
 *     --server.tomcat.max-connections=20000} ({@code api-args})
 * @param apiTaskCreated the ways of announcing a created task whose accepts are measured, each on
 *     an api-service of its own started for it, one after the other ({@code api-task-created}:
 *     {@code notify}, {@code sweep}, {@code table}; the first one's figure is the one set against
 *     pgbench)
 * @param steps the steps to run ({@code steps}: {@code all}, or some of {@code fifo}, {@code
 *     queue-types}, {@code idle-broker}, {@code lifecycles}, {@code api}, {@code streams}, {@code
 *     waits}, {@code webhooks}, {@code jobs}); a step left out is reported as not run
 * @param streamCounts idle event stream levels held by one api-service, ascending ({@code
 *     stream-counts})
 * @param streamOpenConcurrency streams opening at once ({@code stream-open-concurrency})
 * @param streamIdleWindow each stream level's idle CPU window ({@code stream-idle-s})
 * @param streamCheckTasks tasks finished for the delivery check with every stream open ({@code
 *     stream-check-tasks})
 * @param streamCheckRate their rate, tasks a second ({@code stream-check-rate})
 * @param responders connected v2 devices answering the event steps' tasks ({@code responders})
 * @param followClients clients following tasks by waiting and by polling ({@code follow-clients})
 * @param waitSeconds the waiting GET's {@code ?wait=N} ({@code wait-s})
 * @param followPollInterval the polling client's interval of that comparison ({@code
 *     follow-poll-ms})
 * @param webhookDrain how long the webhook step awaits its window's deliveries ({@code
 *     webhook-drain-s})
 * @param jobDevices devices of the jobs step, the targets of each of its jobs ({@code job-devices})
 * @param jobWarmUpDevices devices of its warm-up, a small job and as many posted tasks ({@code
 *     job-warm-up-devices}, 0 for none)
 * @param jobRolloutPerMinute the rollout accuracy's {@code max_per_minute} ({@code
 *     job-rollout-per-minute})
 * @param jobRolloutWindow the window its rate is counted over ({@code job-rollout-s})
 * @param jobAbortPerMinute the abort step's {@code max_per_minute} ({@code job-abort-per-minute})
 * @param jobAbortFailureRate the share of tasks its devices fail ({@code job-abort-failure-rate})
 * @param jobAbortMinExecuted its criterion's {@code min_executed} ({@code job-abort-min-executed})
 * @param jobAbortThresholdPercent its criterion's {@code threshold_percent} of FAILED ({@code
 *     job-abort-threshold-percent})
 * @param jobFinishTimeout how long the jobs step waits for a run's tasks ({@code job-finish-s})
 * @param resultFile the JSON result file ({@code out})
 * @param reportFile the Markdown report, or null for none ({@code report}, empty for none)
 * @param chartFile the SVG chart, or null for none ({@code chart}, empty for none)
 * @param logDir where the services' logs go ({@code logs})
 */
public record SuiteSettings(
    String command,
    Path repository,
    Path jarRoot,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String host,
    int amqpPort,
    String amqpUser,
    String amqpPassword,
    int mqttPort,
    String deviceUser,
    String devicePassword,
    int managementPort,
    List<Integer> deviceCounts,
    List<ProtocolVersion> protocols,
    int inFlight,
    Duration warmUp,
    Duration warmUpMax,
    Duration measure,
    List<Double> loadFractions,
    Duration idleWindow,
    int apiClients,
    int pgbenchThreads,
    int fifoRows,
    int fifoConcurrency,
    int fifoRounds,
    int connectsPerSecond,
    Duration donePollInterval,
    int doneSamplesPerSecond,
    Duration devicePollInterval,
    List<String> queueTypes,
    Duration queueWarmUp,
    Duration queueMeasure,
    int idleDevices,
    List<String> idleVariants,
    Duration idleSettle,
    Duration idleMeasure,
    int privateMqttPort,
    List<String> localAddresses,
    List<String> serviceJvmOptions,
    List<String> coreArguments,
    List<String> apiArguments,
    List<String> apiTaskCreated,
    List<String> steps,
    List<Integer> streamCounts,
    int streamOpenConcurrency,
    Duration streamIdleWindow,
    int streamCheckTasks,
    int streamCheckRate,
    int responders,
    int followClients,
    int waitSeconds,
    Duration followPollInterval,
    Duration webhookDrain,
    int jobDevices,
    int jobWarmUpDevices,
    int jobRolloutPerMinute,
    Duration jobRolloutWindow,
    int jobAbortPerMinute,
    double jobAbortFailureRate,
    int jobAbortMinExecuted,
    int jobAbortThresholdPercent,
    Duration jobFinishTimeout,
    Path resultFile,
    @Nullable Path reportFile,
    @Nullable Path chartFile,
    Path logDir) {

  public SuiteSettings {
    deviceCounts = List.copyOf(deviceCounts);
    protocols = List.copyOf(protocols);
    loadFractions = List.copyOf(loadFractions);
    queueTypes = List.copyOf(queueTypes);
    idleVariants = List.copyOf(idleVariants);
    localAddresses = List.copyOf(localAddresses);
    serviceJvmOptions = List.copyOf(serviceJvmOptions);
    coreArguments = List.copyOf(coreArguments);
    apiArguments = List.copyOf(apiArguments);
    apiTaskCreated = List.copyOf(apiTaskCreated);
    steps = List.copyOf(steps);
    streamCounts = List.copyOf(streamCounts);
  }

  /**
   * The database and broker as the test support names them, so the services get the same arguments
   * as in every other suite ({@link Endpoints#springArgs()}); the benchmark uses no MQTT over TLS.
   */
  public Endpoints endpoints() {
    return new Endpoints(
        jdbcUrl,
        dbUser,
        dbPassword,
        host,
        amqpPort,
        amqpUser,
        amqpPassword,
        mqttPort,
        deviceUser,
        devicePassword,
        managementPort,
        0);
  }

  /** Whether {@code step} is among {@link #steps()}. */
  public boolean runs(String step) {
    return steps.contains("all") || steps.contains(step);
  }

  /** The full run's settings, each overridable with {@code -Dbench.<name>}. */
  public static SuiteSettings fromSystemProperties() {
    Path repository =
        Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    return read(repository, name -> System.getProperty("bench." + name));
  }

  /** The full run's settings with {@code overrides} (the same names, without {@code bench.}). */
  public static SuiteSettings from(Path repository, Map<String, String> overrides) {
    return read(repository.toAbsolutePath().normalize(), overrides::get);
  }

  private static SuiteSettings read(Path repository, Function<String, @Nullable String> source) {
    Values v = new Values(source);
    String report = v.get("report", "docs/benchmarks.md");
    String chart = v.get("chart", "docs/benchmarks-latency.svg");
    return new SuiteSettings(
        v.get("command", "scripts/bench"),
        repository,
        Path.of(v.get("jars", repository.toString())).toAbsolutePath().normalize(),
        v.get("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/iotcore_bench"),
        v.get("db-user", "iotcore"),
        v.get("db-password", "iotcore"),
        v.get("host", "127.0.0.1"),
        v.integer("amqp-port", 5673),
        v.get("amqp-user", "iotcore"),
        v.get("amqp-password", "iotcore"),
        v.integer("mqtt-port", 1884),
        v.get("device-user", "device"),
        v.get("device-password", "device"),
        v.integer("management-port", 15673),
        v.list("devices", "1000,10000").stream().map(Integer::valueOf).toList(),
        v.list("protocols", "1,2").stream().map(SuiteSettings::protocol).toList(),
        v.integer("in-flight", 64),
        // The services start fresh for each run; their JIT compilers were still busy after 15 s.
        Duration.ofSeconds(v.integer("warm-up-s", 30)),
        Duration.ofSeconds(v.integer("warm-up-max-s", 5 * v.integer("warm-up-s", 30))),
        Duration.ofSeconds(v.integer("measure-s", 10)),
        v.list("fractions", "0.25,0.5,0.75").stream().map(Double::valueOf).toList(),
        // One keep-alive period of the devices: their idle work comes in bursts once per period.
        Duration.ofSeconds(v.integer("idle-s", 60)),
        v.integer("api-clients", 16),
        v.integer("pgbench-threads", 2),
        v.integer("fifo-rows", 5000),
        v.integer("fifo-concurrency", 8),
        v.integer("fifo-rounds", 3),
        v.integer("connect-rate", 300), // at 1,000/s the broker closed logins (login timeout)
        // A control-center app checks on a task about once a second; polling every 10 ms made
        // the benchmark's own GETs the API's main load.
        Duration.ofMillis(v.integer("done-poll-ms", 1000)),
        v.integer("done-samples", 10),
        Duration.ofSeconds(v.integer("device-poll-s", 300)),
        v.list("queue-types", "classic,quorum"),
        Duration.ofSeconds(v.integer("queue-warm-up-s", 5)),
        Duration.ofSeconds(v.integer("queue-measure-s", 10)),
        v.integer("idle-devices", 10_000),
        v.list("idle-variants", "default,metrics,fast-stats,busy-wait,one-scheduler"),
        Duration.ofSeconds(v.integer("idle-settle-s", 10)),
        // Two keep-alive periods: the idle work comes in bursts once per period.
        Duration.ofSeconds(v.integer("idle-measure-s", 120)),
        v.integer("private-mqtt-port", 1894),
        v.list("local-addresses", "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4"),
        v.words("service-jvm"),
        v.words("core-args"),
        v.words("api-args"),
        v.list("api-task-created", "notify,sweep"),
        v.list("steps", "all"),
        v.list("stream-counts", "1000,5000,10000").stream().map(Integer::valueOf).toList(),
        v.integer("stream-open-concurrency", 50),
        Duration.ofSeconds(v.integer("stream-idle-s", 10)),
        v.integer("stream-check-tasks", 50),
        v.integer("stream-check-rate", 10),
        v.integer("responders", 100),
        v.integer("follow-clients", 32),
        v.integer("wait-s", 30),
        // The old way: a client that wants to know at once polls this often.
        Duration.ofMillis(v.integer("follow-poll-ms", 10)),
        Duration.ofSeconds(v.integer("webhook-drain-s", 30)),
        v.integer("job-devices", 10_000),
        v.integer("job-warm-up-devices", 1_000),
        v.integer("job-rollout-per-minute", 6_000),
        Duration.ofSeconds(v.integer("job-rollout-s", 60)),
        v.integer("job-abort-per-minute", 6_000),
        v.decimal("job-abort-failure-rate", 0.25),
        v.integer("job-abort-min-executed", 100),
        v.integer("job-abort-threshold-percent", 10),
        Duration.ofSeconds(v.integer("job-finish-s", 600)),
        repository.resolve(v.get("out", "target/bench/results.json")),
        report.isEmpty() ? null : repository.resolve(report),
        chart.isEmpty() ? null : repository.resolve(chart),
        repository.resolve(v.get("logs", "target/bench/logs")));
  }

  private static ProtocolVersion protocol(String value) {
    String digits = value.toLowerCase(Locale.ROOT).replace("v", "");
    return ProtocolVersion.of(Integer.parseInt(digits))
        .orElseThrow(() -> new IllegalArgumentException("no device protocol " + value));
  }

  /** {@code source} answers null for a name not set. */
  private record Values(Function<String, @Nullable String> source) {

    String get(String name, String fallback) {
      String value = source.apply(name);
      return value == null ? fallback : value;
    }

    int integer(String name, int fallback) {
      return Integer.parseInt(get(name, Integer.toString(fallback)).trim());
    }

    double decimal(String name, double fallback) {
      return Double.parseDouble(get(name, Double.toString(fallback)).trim());
    }

    List<String> list(String name, String fallback) {
      String value = get(name, fallback).trim();
      return value.isEmpty()
          ? List.of()
          : Arrays.stream(value.split("[, ]+")).map(String::trim).toList();
    }

    List<String> words(String name) {
      return Arrays.stream(get(name, "").trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
    }
  }
}
