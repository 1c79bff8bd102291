package io.asyncrpc.bench.report;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What one run of the suite measures and where it writes. {@link #fromSystemProperties()} reads
 * {@code -Dbench.*} options with the full run's defaults; the smoke test builds tiny ones.
 *
 * @param command the command line to name in the report
 * @param repository the repository root (docs, results)
 * @param jarRoot where {@code <module>/target/<module>-*.jar} of the services are: the repository,
 *     or a build of a clean checkout
 * @param jdbcUrl the database the services and the FIFO benchmark use
 * @param dbUser its user
 * @param dbPassword its password
 * @param host the broker's host
 * @param amqpPort its AMQP port (services)
 * @param amqpUser the services' login, which may also use any MQTT topic
 * @param amqpPassword its password
 * @param mqttPort the plain MQTT 5 listener
 * @param deviceUser the development device login
 * @param devicePassword its password
 * @param managementPort the broker's management HTTP port
 * @param deviceCounts swarm sizes to measure, each with its own substrate run
 * @param inFlight lifecycles (and bare round trips) in flight in the closed loops
 * @param warmUp warm-up before each measurement
 * @param measure length of each measured step
 * @param loadFractions open-loop steps as fractions of the closed loop's rate; 0.5 is the target's
 * @param apiClients concurrent clients of the API accept benchmark
 * @param fifoRows rows per FIFO claim round
 * @param fifoConcurrency concurrent consumers of the FIFO claim benchmark
 * @param fifoRounds measured FIFO claim rounds per system
 * @param connectsPerSecond how fast devices and responders connect
 * @param donePollInterval how often the polling client asks for a sampled task's state
 * @param doneSamplesPerSecond how many tasks a second the polling client follows until they end
 * @param devicePollInterval how often an idle simulated device polls its FIFO
 * @param localAddresses loopback source addresses for the many connections
 * @param serviceJvmOptions extra JVM options of core-service and api-service (e.g. JFR)
 * @param coreArguments extra program arguments of core-service, for experiments with its settings
 * @param resultFile the JSON result file
 * @param reportFile the Markdown report, or null for none
 * @param chartFile the SVG chart, or null for none
 * @param logDir where the services' logs go
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
    int inFlight,
    Duration warmUp,
    Duration measure,
    List<Double> loadFractions,
    int apiClients,
    int fifoRows,
    int fifoConcurrency,
    int fifoRounds,
    int connectsPerSecond,
    Duration donePollInterval,
    int doneSamplesPerSecond,
    Duration devicePollInterval,
    List<String> localAddresses,
    List<String> serviceJvmOptions,
    List<String> coreArguments,
    Path resultFile,
    Path reportFile,
    Path chartFile,
    Path logDir) {

  public SuiteSettings {
    deviceCounts = List.copyOf(deviceCounts);
    loadFractions = List.copyOf(loadFractions);
    localAddresses = List.copyOf(localAddresses);
    serviceJvmOptions = List.copyOf(serviceJvmOptions);
    coreArguments = List.copyOf(coreArguments);
  }

  /** The full run's settings, each overridable with {@code -Dbench.<name>}. */
  public static SuiteSettings fromSystemProperties() {
    Path repository = Path.of(get("repository", ".")).toAbsolutePath().normalize();
    String report = get("report", "docs/benchmarks.md");
    String chart = get("chart", "docs/benchmarks-latency.svg");
    return new SuiteSettings(
        get("command", "scripts/bench"),
        repository,
        Path.of(get("jars", repository.toString())).toAbsolutePath().normalize(),
        get("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/iotcore_bench"),
        get("db-user", "iotcore"),
        get("db-password", "iotcore"),
        get("host", "127.0.0.1"),
        integer("amqp-port", 5673),
        get("amqp-user", "iotcore"),
        get("amqp-password", "iotcore"),
        integer("mqtt-port", 1884),
        get("device-user", "device"),
        get("device-password", "device"),
        integer("management-port", 15673),
        list("devices", "1000,10000").stream().map(Integer::valueOf).toList(),
        integer("in-flight", 64),
        // The services start fresh for each run; their JIT compilers were still busy after 15 s.
        Duration.ofSeconds(integer("warm-up-s", 30)),
        Duration.ofSeconds(integer("measure-s", 10)),
        list("fractions", "0.25,0.5,0.75").stream().map(Double::valueOf).toList(),
        integer("api-clients", 16),
        integer("fifo-rows", 5000),
        integer("fifo-concurrency", 8),
        integer("fifo-rounds", 3),
        integer("connect-rate", 300), // at 1,000/s the broker closed logins (login timeout)
        Duration.ofMillis(integer("done-poll-ms", 10)),
        // Each followed task costs a GET every 10 ms until it ends; at 50 tasks a second the
        // polling
        // client, not the lifecycles, was the API's main load under the closed loop.
        integer("done-samples", 10),
        Duration.ofSeconds(integer("device-poll-s", 300)),
        list("local-addresses", "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4"),
        words("service-jvm"),
        words("core-args"),
        repository.resolve(get("out", "target/bench/results.json")),
        report.isEmpty() ? null : repository.resolve(report),
        chart.isEmpty() ? null : repository.resolve(chart),
        repository.resolve("target/bench/logs"));
  }

  private static List<String> words(String name) {
    return Arrays.stream(get(name, "").trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
  }

  private static String get(String name, String fallback) {
    return System.getProperty("bench." + name, fallback);
  }

  private static int integer(String name, int fallback) {
    return Integer.parseInt(get(name, Integer.toString(fallback)));
  }

  private static List<String> list(String name, String fallback) {
    String value = get(name, fallback).trim();
    return value.isEmpty()
        ? List.of()
        : Arrays.stream(value.split("[, ]+")).map(String::trim).toList();
  }
}
