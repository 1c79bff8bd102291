package io.asyncrpc.bench.report;

import io.asyncrpc.bench.FifoClaimBenchmark;
import io.asyncrpc.bench.api.ApiAcceptBenchmark;
import io.asyncrpc.bench.harness.Api;
import io.asyncrpc.bench.harness.Broker;
import io.asyncrpc.bench.harness.JarProcess;
import io.asyncrpc.bench.harness.MachineFacts;
import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.bench.substrate.RequestResponseBenchmark;
import io.asyncrpc.testsupport.TestTokens;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole benchmark in one run, on the local stack: the FIFO claim against its peer first (no
 * services running), then api-service and core-service started from their jars, full lifecycles
 * with each swarm size followed by the bare broker's request/response with as many clients, and the
 * API's accepts last (their tasks wait for devices that never connect). Writes the JSON result
 * file, the Markdown report and its chart.
 */
public final class BenchSuite {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final SuiteSettings settings;

  public BenchSuite(SuiteSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) {
    int status = 0;
    try {
      SuiteResults results = new BenchSuite(SuiteSettings.fromSystemProperties()).run();
      results.targets().forEach(t -> System.out.printf("  %-4s %s%n", t.met() ? "met" : "MISS", t));
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // The test key's JWKS server and the MQTT client's event loops would keep the JVM alive.
    System.exit(status);
  }

  /** Runs every measurement and writes the result file, report and chart the settings name. */
  public SuiteResults run() throws Exception {
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long started = System.nanoTime();
    Broker broker =
        new Broker(
            settings.host(),
            settings.managementPort(),
            settings.amqpUser(),
            settings.amqpPassword());
    MachineFacts machine =
        MachineFacts.collect(broker, settings.jdbcUrl(), settings.dbUser(), settings.dbPassword());
    say("machine: %s", machine);

    say("FIFO claim: core against db-scheduler");
    FifoClaimBenchmark.Report fifo =
        FifoClaimBenchmark.run(
            new FifoClaimBenchmark.Settings(
                settings.jdbcUrl(),
                settings.dbUser(),
                settings.dbPassword(),
                settings.fifoRows(),
                20,
                settings.fifoConcurrency(),
                settings.fifoRounds()));
    System.out.print(FifoClaimBenchmark.text(fifo));

    List<LifecycleBenchmark.Result> lifecycles = new ArrayList<>();
    List<SuiteResults.Substrate> substrates = new ArrayList<>();
    ApiAcceptBenchmark.Result accepts;
    int apiPort = JarProcess.freePort();
    int corePort = JarProcess.freePort();
    say("starting api-service (:%d) and core-service (:%d)", apiPort, corePort);
    try (JarProcess apiService = service("api-service", apiPort);
        JarProcess core = service("core-service", corePort)) {
      Api api = new Api("http://127.0.0.1:" + apiPort + "/api/v1");
      say("api-service pid %d, core-service pid %d", apiService.pid(), core.pid());
      long servicesOnly = broker.connections();
      for (int devices : settings.deviceCounts()) {
        awaitClosed(broker, servicesOnly);
        say("lifecycles with %d devices", devices);
        LifecycleBenchmark.Result lifecycle =
            new LifecycleBenchmark(
                    api,
                    broker,
                    core,
                    settings.host(),
                    settings.mqttPort(),
                    lifecycleSettings(devices))
                .run();
        lifecycles.add(lifecycle);
        if (lifecycle.max() == null) {
          say(
              "  no bare request/response with %d clients either: %s",
              devices, lifecycle.skipped());
          continue;
        }
        awaitClosed(broker, servicesOnly);
        say("bare MQTT 5 request/response with %d responders", devices);
        RequestResponseBenchmark.Result bare =
            new RequestResponseBenchmark(substrateSettings(devices)).run();
        double ratio =
            bare.roundTripsPerSecond() == 0
                ? 0
                : lifecycle.max().lifecyclesPerSecond() / bare.roundTripsPerSecond();
        say(
            "  %.0f round trips/s (%s); lifecycles/round trips = %.3f",
            bare.roundTripsPerSecond(), bare.roundTrip(), ratio);
        substrates.add(
            new SuiteResults.Substrate(devices, bare, Math.round(ratio * 1000) / 1000.0));
      }
      say("API accepts, %d concurrent clients", settings.apiClients());
      accepts =
          new ApiAcceptBenchmark(
                  api,
                  new ApiAcceptBenchmark.Settings(
                      settings.apiClients(), settings.warmUp(), settings.measure(), "bench-api"))
              .run();
      say("  %.0f accepts/s, %s", accepts.acceptsPerSecond(), accepts.latency());
    }

    SuiteResults results =
        new SuiteResults(
            settings.command(),
            startedAt.toString(),
            Math.round((System.nanoTime() - started) / 1e8) / 10.0,
            machine,
            MachineFacts.loadAverage(),
            new SuiteResults.Sizes(
                settings.deviceCounts(),
                settings.inFlight(),
                settings.warmUp().toSeconds(),
                settings.measure().toSeconds(),
                settings.loadFractions(),
                settings.apiClients(),
                settings.devicePollInterval().toSeconds(),
                settings.donePollInterval().toMillis(),
                settings.doneSamplesPerSecond(),
                "plain MQTT 5 on port " + settings.mqttPort() + ", development login"),
            lifecycles,
            substrates,
            new SuiteResults.Fifo(
                settings.fifoRows(),
                settings.fifoConcurrency(),
                settings.fifoRounds(),
                fifo.measurements(),
                Math.round(fifo.ratio() * 100) / 100.0),
            accepts,
            Targets.evaluate(lifecycles, substrates, fifo.ratio()));
    write(results);
    return results;
  }

  private void write(SuiteResults results) throws Exception {
    JsonMapper json =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    Files.createDirectories(settings.resultFile().getParent());
    Files.writeString(settings.resultFile(), json.writeValueAsString(results) + "\n");
    say("written: %s", settings.resultFile());
    if (settings.chartFile() != null) {
      Files.createDirectories(settings.chartFile().getParent());
      Files.writeString(settings.chartFile(), LatencyChart.svg(results));
      say("written: %s", settings.chartFile());
    }
    if (settings.reportFile() != null) {
      String chartName =
          settings.chartFile() == null ? null : settings.chartFile().getFileName().toString();
      Files.createDirectories(settings.reportFile().getParent());
      Files.writeString(settings.reportFile(), MarkdownReport.render(results, chartName));
      say("written: %s", settings.reportFile());
    }
  }

  private JarProcess service(String module, int port) throws InterruptedException {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--spring.datasource.url=" + settings.jdbcUrl());
    args.add("--spring.datasource.username=" + settings.dbUser());
    args.add("--spring.datasource.password=" + settings.dbPassword());
    args.add("--spring.rabbitmq.host=" + settings.host());
    args.add("--spring.rabbitmq.port=" + settings.amqpPort());
    args.add("--spring.rabbitmq.username=" + settings.amqpUser());
    args.add("--spring.rabbitmq.password=" + settings.amqpPassword());
    if (module.equals("core-service")) {
      args.addAll(settings.coreArguments());
    }
    if (module.equals("api-service")) {
      // The benchmark's clients sign their tokens with the test key this JVM serves.
      args.add("--iot.security.jwk-set-uri=" + TestTokens.shared().jwkSetUri());
    }
    List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx512m"));
    for (String option : settings.serviceJvmOptions()) {
      jvm.add(option.replace("{service}", module));
    }
    return JarProcess.start(settings.jarRoot(), module, jvm, args, settings.logDir())
        .awaitHealthy("http://127.0.0.1:" + port + "/actuator/health", STARTUP);
  }

  /**
   * Lets the previous swarm's connections close before the next step: 10,000 closing connections
   * kept the broker too busy to accept a new client within 30 s.
   */
  private static void awaitClosed(Broker broker, long servicesOnly) throws Exception {
    // A few more than the services' own: the management statistics lag by some seconds.
    long open = broker.awaitConnectionsAtMost(servicesOnly + 8, Duration.ofMinutes(3));
    if (open > servicesOnly + 8) {
      say("  %d connections still open after 3 minutes; going on", open);
    }
  }

  private LifecycleBenchmark.Settings lifecycleSettings(int devices) {
    return new LifecycleBenchmark.Settings(
        devices,
        // One id space for every size: the larger swarm reuses the smaller one's registrations.
        "bench-dev",
        settings.inFlight(),
        settings.warmUp(),
        settings.measure(),
        settings.loadFractions(),
        settings.donePollInterval(),
        settings.doneSamplesPerSecond(),
        settings.connectsPerSecond(),
        settings.devicePollInterval(),
        settings.localAddresses());
  }

  private RequestResponseBenchmark.Settings substrateSettings(int devices) {
    return new RequestResponseBenchmark.Settings(
        settings.host(),
        settings.mqttPort(),
        settings.amqpUser(),
        settings.amqpPassword(),
        devices,
        4,
        settings.inFlight(),
        settings.warmUp(),
        settings.measure(),
        settings.connectsPerSecond(),
        settings.localAddresses());
  }

  private static void say(String format, Object... args) {
    System.out.printf(java.util.Locale.ROOT, format + "%n", args);
  }
}
