package io.asyncrpc.bench.report;

import io.asyncrpc.bench.FifoClaimBenchmark;
import io.asyncrpc.bench.api.ApiAcceptBenchmark;
import io.asyncrpc.bench.api.PgBench;
import io.asyncrpc.bench.api.StatusReadBenchmark;
import io.asyncrpc.bench.events.IdleStreamsBenchmark;
import io.asyncrpc.bench.events.Responders;
import io.asyncrpc.bench.events.WaitVsPollBenchmark;
import io.asyncrpc.bench.events.WebhookBenchmark;
import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.MachineFacts;
import io.asyncrpc.bench.harness.PrivateBroker;
import io.asyncrpc.bench.harness.SystemProcesses;
import io.asyncrpc.bench.harness.TableStatistics;
import io.asyncrpc.bench.idle.IdleBrokerBenchmark;
import io.asyncrpc.bench.jobs.JobBenchmark;
import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.bench.queues.QueueTypeBenchmark;
import io.asyncrpc.bench.substrate.RequestResponseBenchmark;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.BrokerManagement;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole benchmark in one run, on the local stack. With no service running: the FIFO claim
 * against its peer, classic against quorum queues on the stack's broker, and the broker's idle cost
 * on a private node per setting. Then api-service and core-service started from their jars: for
 * each swarm size, full lifecycles for each device protocol followed by the bare broker's
 * request/response with as many clients; the API's accepts and status reads, each followed by
 * pgbench on the same database with as many clients. Writes the JSON result file, the Markdown
 * report and its chart.
 *
 * <p>A step that fails is recorded with its reason and the run goes on: the report shows the figure
 * as missing, and the target it feeds as missed.
 */
public final class BenchSuite {

  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final AtomicBoolean PRIVATE_NODE = new AtomicBoolean();

  private final SuiteSettings settings;
  private final List<SuiteResults.Skipped> skipped = new ArrayList<>();

  public BenchSuite(SuiteSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) {
    SuiteSettings settings = SuiteSettings.fromSystemProperties();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Interrupted during the idle A/B: leave no private node running.
                  if (PRIVATE_NODE.get()) {
                    try {
                      PrivateBroker.stopAny(settings.repository());
                    } catch (Exception e) {
                      System.err.println("could not stop the private broker node: " + e);
                    }
                  }
                }));
    int status = 0;
    try {
      SuiteResults results = new BenchSuite(settings).run();
      java.util.stream.Stream.concat(results.targets().stream(), results.jobTargets().stream())
          .forEach(t -> System.out.printf("  %-4s %s%n", t.met() ? "met" : "MISS", t));
      results
          .skipped()
          .forEach(s -> System.out.printf("  not run: %s: %s%n", s.step(), s.reason()));
    } catch (Exception e) {
      // Only writing the results can end up here: every step is guarded.
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
    BrokerManagement broker = BrokerManagement.of(settings.endpoints());
    MachineFacts machine =
        attempt(
            "machine facts",
            () ->
                MachineFacts.collect(
                    broker, settings.jdbcUrl(), settings.dbUser(), settings.dbPassword()));
    say("machine: %s", machine);
    Long brokerPid = attempt("the broker's process", () -> SystemProcesses.broker(broker));
    Long postmaster =
        attempt(
            "PostgreSQL's process",
            () ->
                SystemProcesses.postmaster(
                    settings.jdbcUrl(), settings.dbUser(), settings.dbPassword()));
    say("broker pid %s, PostgreSQL postmaster pid %s", brokerPid, postmaster);

    SuiteResults.Fifo fifo =
        settings.runs("fifo")
            ? attempt("FIFO claim against db-scheduler", this::fifo)
            : notSelected("FIFO claim against db-scheduler");
    QueueTypeBenchmark.Result queueTypes =
        !settings.runs("queue-types")
            ? notSelected("queue types")
            : settings.queueTypes().isEmpty()
                ? skip("queue types", "no queue types asked for (bench.queue-types)")
                : brokerPid == null
                    ? skip("queue types", "the broker's process is unknown")
                    : attempt("queue types", () -> queueTypes(brokerPid));
    IdleBrokerBenchmark.Result idle =
        !settings.runs("idle-broker")
            ? notSelected("broker idle cost")
            : settings.idleVariants().isEmpty()
                ? skip("broker idle cost", "no variants asked for (bench.idle-variants)")
                : attempt("broker idle cost (private node)", this::idleBroker);

    List<LifecycleBenchmark.Result> lifecycles = new ArrayList<>();
    List<SuiteResults.Substrate> substrates = new ArrayList<>();
    SuiteResults.Api api = null;
    SuiteResults.Events events = null;
    JobBenchmark.Result jobs = null;
    ServiceProcess apiService = null;
    ServiceProcess core = null;
    try {
      int apiPort = ServiceProcess.freePort();
      int corePort = ServiceProcess.freePort();
      say("starting api-service (:%d) and core-service (:%d)", apiPort, corePort);
      // Both start at once; each is then awaited (a JVM's start-up is mostly single-threaded).
      ServiceProcess apiStarting =
          attempt("start api-service", () -> launch("api-service", apiPort));
      ServiceProcess coreStarting =
          attempt("start core-service", () -> launch("core-service", corePort));
      apiService =
          apiStarting == null
              ? null
              : attempt("start api-service", () -> healthy(apiStarting, apiPort));
      core =
          coreStarting == null
              ? null
              : attempt("start core-service", () -> healthy(coreStarting, corePort));
      if (apiService == null || core == null) {
        skip("lifecycles, bare request/response and API", "the services did not start");
      } else {
        say("api-service pid %d, core-service pid %d", apiService.pid(), core.pid());
        ApiClient client = ApiClient.forTenant("http://127.0.0.1:" + apiPort + "/api/v1", "bench");
        CpuMeter meter =
            SystemProcesses.meter(orUnknown(brokerPid), orUnknown(postmaster), apiService, core);
        BrokerBaseline servicesOnly =
            attempt("count the services' connections and queues", () -> BrokerBaseline.of(broker));
        if (settings.runs("lifecycles")) {
          for (int devices : settings.deviceCounts()) {
            lifecyclesAndSubstrate(
                devices, client, broker, core, meter, servicesOnly, lifecycles, substrates);
          }
        } else {
          notSelected("lifecycles and bare request/response");
        }
        ServiceProcess coreProcess = core;
        api =
            settings.runs("api")
                ? api(client, meter, brokerPid, postmaster, coreProcess)
                : notSelected("API");
        if (settings.runs("streams") || settings.runs("waits") || settings.runs("webhooks")) {
          awaitClosed(broker, servicesOnly);
          ServiceProcess apiProcess = apiService;
          events = events(client, apiProcess, meter);
        }
        if (settings.runs("jobs")) {
          awaitClosed(broker, servicesOnly);
          jobs = attempt("fleet jobs", () -> jobs(client, broker, servicesOnly));
        } else {
          notSelected("fleet jobs");
        }
      }
    } finally {
      if (core != null) {
        core.close();
      }
      if (apiService != null) {
        apiService.close();
      }
    }

    List<SuiteResults.Ratio> ratios = ratios(lifecycles, substrates);
    SuiteResults results =
        new SuiteResults(
            settings.command(),
            startedAt.toString(),
            Math.round((System.nanoTime() - started) / 1e8) / 10.0,
            machine,
            MachineFacts.loadAverage(),
            new SuiteResults.Sizes(
                settings.deviceCounts(),
                settings.protocols(),
                settings.inFlight(),
                settings.warmUp().toSeconds(),
                settings.warmUpMax().toSeconds(),
                settings.measure().toSeconds(),
                settings.loadFractions(),
                settings.idleWindow().toSeconds(),
                settings.apiClients(),
                settings.pgbenchThreads(),
                settings.devicePollInterval().toSeconds(),
                settings.donePollInterval().toMillis(),
                settings.doneSamplesPerSecond(),
                "plain MQTT 5 on port " + settings.mqttPort() + ", development login"),
            lifecycles,
            substrates,
            ratios,
            fifo,
            api,
            queueTypes,
            idle,
            events,
            jobs,
            List.copyOf(skipped),
            Targets.evaluate(lifecycles, ratios, api, idle),
            Targets.earlier(lifecycles, fifo),
            Targets.jobs(jobs));
    write(results);
    return results;
  }

  private void lifecyclesAndSubstrate(
      int devices,
      ApiClient client,
      BrokerManagement broker,
      ServiceProcess core,
      CpuMeter meter,
      @Nullable BrokerBaseline servicesOnly,
      List<LifecycleBenchmark.Result> lifecycles,
      List<SuiteResults.Substrate> substrates) {
    boolean anyMeasured = false;
    for (ProtocolVersion protocol : settings.protocols()) {
      String step = "lifecycles, %s, %,d devices".formatted(Targets.name(protocol), devices);
      awaitClosed(broker, servicesOnly);
      say("%s", step);
      LifecycleBenchmark.Result result =
          attempt(
              step,
              () ->
                  new LifecycleBenchmark(
                          client,
                          broker,
                          core,
                          meter,
                          new TableStatistics(
                              settings.jdbcUrl(), settings.dbUser(), settings.dbPassword()),
                          settings.host(),
                          settings.mqttPort(),
                          lifecycleSettings(devices, protocol))
                      .run());
      if (result != null) {
        lifecycles.add(result);
        if (result.max() == null) {
          skip(
              step,
              Objects.requireNonNull(result.skipped(), "a result without a closed loop says why"));
        } else {
          anyMeasured = true;
        }
      }
    }
    if (!anyMeasured) {
      skip(
          "bare MQTT 5 request/response, %,d responders".formatted(devices),
          "no lifecycle of this size was measured to compare with");
      return;
    }
    awaitClosed(broker, servicesOnly);
    String step = "bare MQTT 5 request/response, %,d responders".formatted(devices);
    say("%s", step);
    RequestResponseBenchmark.Result bare =
        attempt(
            step,
            () ->
                new RequestResponseBenchmark(
                        substrateSettings(devices),
                        new CpuMeter(
                            meter.processes().stream()
                                .filter(
                                    p ->
                                        p.name().equals(SystemProcesses.BROKER)
                                            || p.name().equals(SystemProcesses.LOAD_GENERATOR))
                                .toList()))
                    .run());
    if (bare != null) {
      say("  %.0f round trips/s (%s)", bare.roundTripsPerSecond(), bare.roundTrip());
      substrates.add(new SuiteResults.Substrate(devices, bare));
    }
  }

  private static List<SuiteResults.Ratio> ratios(
      List<LifecycleBenchmark.Result> lifecycles, List<SuiteResults.Substrate> substrates) {
    List<SuiteResults.Ratio> ratios = new ArrayList<>();
    for (LifecycleBenchmark.Result l : lifecycles) {
      if (l.max() == null) {
        continue;
      }
      for (SuiteResults.Substrate s : substrates) {
        if (s.devices() == l.devices() && s.bare().roundTripsPerSecond() > 0) {
          double rate = l.max().lifecyclesPerSecond();
          double bare = s.bare().roundTripsPerSecond();
          ratios.add(
              new SuiteResults.Ratio(
                  l.protocol(), l.devices(), rate, bare, Math.round(rate / bare * 1000) / 1000.0));
        }
      }
    }
    return ratios;
  }

  private SuiteResults.Fifo fifo() throws Exception {
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
    return new SuiteResults.Fifo(
        settings.fifoRows(),
        settings.fifoConcurrency(),
        settings.fifoRounds(),
        fifo.measurements(),
        Math.round(fifo.ratio() * 100) / 100.0);
  }

  private QueueTypeBenchmark.Result queueTypes(long brokerPid) throws Exception {
    say("queue types: %s, on the stack's broker", settings.queueTypes());
    return new QueueTypeBenchmark(
            new QueueTypeBenchmark.Settings(
                settings.host(),
                settings.amqpPort(),
                settings.mqttPort(),
                settings.amqpUser(),
                settings.amqpPassword(),
                settings.queueTypes(),
                settings.inFlight(),
                16,
                4,
                // core-service's listener: 4 consumers, prefetch 20 (application.yml)
                4,
                20,
                settings.queueWarmUp(),
                settings.queueMeasure(),
                settings.localAddresses()),
            brokerPid)
        .run();
  }

  private IdleBrokerBenchmark.Result idleBroker() {
    say(
        "broker idle cost: %,d idle devices on a private node, variants %s",
        settings.idleDevices(), settings.idleVariants());
    PRIVATE_NODE.set(true);
    try {
      return new IdleBrokerBenchmark(
              new IdleBrokerBenchmark.Settings(
                  settings.repository(),
                  settings.host(),
                  settings.privateMqttPort(),
                  settings.deviceUser(),
                  settings.devicePassword(),
                  settings.idleDevices(),
                  settings.idleVariants(),
                  settings.idleSettle(),
                  settings.idleMeasure(),
                  settings.connectsPerSecond(),
                  settings.localAddresses()))
          .run();
    } finally {
      PRIVATE_NODE.set(false);
    }
  }

  private SuiteResults.Api api(
      ApiClient client,
      CpuMeter meter,
      @Nullable Long brokerPid,
      @Nullable Long postmaster,
      ServiceProcess core) {
    int clients = settings.apiClients();
    // One api-service per way of announcing created tasks, started for its measurement alone, with
    // the same clients and devices on the same database: the figures differ by that setting only.
    ApiAcceptBenchmark.Result accepts = null;
    List<ApiAcceptBenchmark.Result> otherAccepts = new ArrayList<>();
    List<UUID> tasks = List.of();
    for (String taskCreated : settings.apiTaskCreated()) {
      say("API accepts, %d concurrent clients, task-created=%s", clients, taskCreated);
      AcceptRun run =
          attempt(
              "API accepts (task-created=" + taskCreated + ")",
              () -> accepts(taskCreated, brokerPid, postmaster, core));
      if (run == null) {
        continue;
      }
      say("  %.0f accepts/s, %s", run.result().acceptsPerSecond(), run.result().latency());
      if (taskCreated.equals(settings.apiTaskCreated().getFirst())) {
        accepts = run.result();
      } else {
        otherAccepts.add(run.result());
      }
      tasks = run.created();
    }
    PgBench pgbench =
        new PgBench(
            new PgBench.Settings(
                settings.jdbcUrl(),
                settings.dbUser(),
                settings.dbPassword(),
                clients,
                settings.pgbenchThreads(),
                // The database needs no JIT warm-up; a short run fills its caches.
                Duration.ofSeconds(Math.min(5, settings.warmUp().toSeconds())),
                settings.measure(),
                orUnknown(postmaster),
                settings.logDir()));
    PgBench.Result insert =
        attempt(
            "pgbench one-row insert",
            () -> {
              pgbench.prepareInserts();
              return pgbench.run(PgBench.Script.INSERT, 0);
            });
    if (insert != null) {
      say("  pgbench insert: %.0f tps", insert.transactionsPerSecond());
    }
    List<UUID> readTasks = tasks;
    say("API status reads, %d concurrent clients over %,d tasks", clients, tasks.size());
    StatusReadBenchmark.Result reads =
        attempt(
            "API status reads",
            () ->
                new StatusReadBenchmark(
                        client,
                        new StatusReadBenchmark.Settings(
                            clients,
                            settings.warmUp(),
                            settings.warmUpMax(),
                            settings.measure(),
                            readTasks),
                        meter)
                    .run());
    if (reads != null) {
      say("  %.0f reads/s, %s", reads.readsPerSecond(), reads.latency());
    }
    PgBench.Result select =
        attempt(
            "pgbench select by key",
            () -> pgbench.run(PgBench.Script.SELECT_BY_KEY, pgbench.prepareReads(readTasks)));
    if (select != null) {
      say(
          "  pgbench select: %.0f tps over %,d rows",
          select.transactionsPerSecond(), select.rows());
    }
    attempt(
        "drop pgbench's tables",
        () -> {
          pgbench.cleanUp();
          return null;
        });
    return new SuiteResults.Api(
        clients,
        accepts,
        otherAccepts,
        insert,
        ratio(accepts == null ? null : accepts.acceptsPerSecond(), insert),
        reads,
        select,
        ratio(reads == null ? null : reads.readsPerSecond(), select));
  }

  private record AcceptRun(ApiAcceptBenchmark.Result result, List<UUID> created) {}

  /**
   * The accepts of an api-service started for them with {@code --iot.outbox.task-created=} {@code
   * taskCreated}, metered in place of the suite's own api-service, and stopped afterwards.
   */
  private AcceptRun accepts(
      String taskCreated, @Nullable Long brokerPid, @Nullable Long postmaster, ServiceProcess core)
      throws Exception {
    int port = ServiceProcess.freePort();
    try (ServiceProcess api =
        healthy(launch("api-service", port, "--iot.outbox.task-created=" + taskCreated), port)) {
      ApiAcceptBenchmark benchmark =
          new ApiAcceptBenchmark(
              ApiClient.forTenant("http://127.0.0.1:" + port + "/api/v1", "bench"),
              new ApiAcceptBenchmark.Settings(
                  settings.apiClients(),
                  settings.warmUp(),
                  settings.warmUpMax(),
                  settings.measure(),
                  "bench-api",
                  taskCreated),
              SystemProcesses.meter(orUnknown(brokerPid), orUnknown(postmaster), api, core));
      return new AcceptRun(benchmark.run(), benchmark.createdTasks());
    }
  }

  /** The event steps, on one small swarm of responding devices. */
  private SuiteResults.@Nullable Events events(
      ApiClient client, ServiceProcess apiService, CpuMeter meter) {
    say("event steps: %,d responding v2 devices", settings.responders());
    Responders responders =
        attempt(
            "responders for the event steps",
            () ->
                Responders.start(
                    client,
                    settings.host(),
                    settings.mqttPort(),
                    "bench-ev",
                    settings.responders(),
                    settings.connectsPerSecond(),
                    settings.localAddresses()));
    if (responders == null) {
      skip("event streams, waits and webhooks", "the responding devices did not connect");
      return null;
    }
    try {
      WaitVsPollBenchmark.Result waits = null;
      if (settings.runs("waits")) {
        say(
            "waiting GETs against polling every %d ms, %d clients",
            settings.followPollInterval().toMillis(), settings.followClients());
        waits =
            attempt(
                "waiting against polling",
                () ->
                    new WaitVsPollBenchmark(
                            client,
                            meter,
                            responders,
                            new WaitVsPollBenchmark.Settings(
                                settings.followClients(),
                                settings.warmUp(),
                                settings.measure(),
                                settings.waitSeconds(),
                                settings.followPollInterval()))
                        .run());
      } else {
        notSelected("waiting against polling");
      }
      WebhookBenchmark.Result webhooks = null;
      if (settings.runs("webhooks")) {
        say("webhook delivery, %d lifecycles in flight", settings.inFlight());
        webhooks =
            attempt(
                "webhook delivery",
                () ->
                    new WebhookBenchmark(
                            client,
                            meter,
                            responders,
                            new WebhookBenchmark.Settings(
                                settings.inFlight(),
                                settings.warmUp(),
                                settings.measure(),
                                settings.webhookDrain()))
                        .run());
      } else {
        notSelected("webhook delivery");
      }
      // Last: a level of streams may exhaust the service (it did at -Xmx512m), ending it.
      IdleStreamsBenchmark.Result streams = null;
      if (settings.runs("streams")) {
        say("idle event streams: %s", settings.streamCounts());
        streams =
            attempt(
                "idle event streams",
                () ->
                    new IdleStreamsBenchmark(
                            client,
                            apiService,
                            meter,
                            responders,
                            new IdleStreamsBenchmark.Settings(
                                settings.streamCounts(),
                                settings.streamOpenConcurrency(),
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(5),
                                settings.streamIdleWindow(),
                                settings.streamCheckTasks(),
                                settings.streamCheckRate(),
                                settings.localAddresses()))
                        .run());
      } else {
        notSelected("idle event streams");
      }
      return new SuiteResults.Events(settings.responders(), streams, waits, webhooks);
    } finally {
      responders.close();
    }
  }

  /** Fleet jobs over one swarm of v2 devices (a second one, failing some tasks, for the abort). */
  private JobBenchmark.Result jobs(
      ApiClient client, BrokerManagement broker, @Nullable BrokerBaseline servicesOnly)
      throws Exception {
    say(
        "fleet jobs: %,d v2 devices, rollout %,d/min over %d s, abort at %,d/min with %.0f %%"
            + " failing",
        settings.jobDevices(),
        settings.jobRolloutPerMinute(),
        settings.jobRolloutWindow().toSeconds(),
        settings.jobAbortPerMinute(),
        settings.jobAbortFailureRate() * 100);
    JobBenchmark.Result result =
        new JobBenchmark(
                client,
                settings.host(),
                settings.mqttPort(),
                new JobBenchmark.Settings(
                    settings.jobDevices(),
                    // The lifecycle step's v2 id space: registered once, its protocol recorded.
                    "bench-" + Targets.name(ProtocolVersion.V2),
                    settings.inFlight(),
                    settings.jobWarmUpDevices(),
                    settings.jobRolloutPerMinute(),
                    settings.jobRolloutWindow(),
                    settings.jobAbortPerMinute(),
                    settings.jobAbortFailureRate(),
                    settings.jobAbortMinExecuted(),
                    settings.jobAbortThresholdPercent(),
                    settings.jobFinishTimeout(),
                    settings.connectsPerSecond(),
                    settings.devicePollInterval(),
                    settings.localAddresses(),
                    settings.jdbcUrl(),
                    settings.dbUser(),
                    settings.dbPassword()),
                () -> awaitClosed(broker, servicesOnly))
            .run();
    if (result.skipped() != null) {
      skip("fleet jobs", result.skipped());
    }
    return result;
  }

  private <T> @Nullable T notSelected(String step) {
    return skip(step, "not selected (bench.steps=" + String.join(",", settings.steps()) + ")");
  }

  private static @Nullable Double ratio(@Nullable Double api, PgBench.@Nullable Result pgbench) {
    if (api == null || pgbench == null || pgbench.transactionsPerSecond() <= 0) {
      return null;
    }
    return Math.round(api / pgbench.transactionsPerSecond() * 1000) / 1000.0;
  }

  /** Runs one step; a failure is recorded with its reason, and the run goes on. */
  private <T> @Nullable T attempt(String step, Callable<T> work) {
    try {
      return work.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String reason =
          e.getMessage() == null
              ? e.toString()
              : e.getClass().getSimpleName() + ": " + e.getMessage();
      say("  step failed: %s: %s", step, reason);
      e.printStackTrace(System.out);
      skipped.add(new SuiteResults.Skipped(step, firstLines(reason)));
      return null;
    }
  }

  private <T> @Nullable T skip(String step, String reason) {
    skipped.add(new SuiteResults.Skipped(step, reason));
    return null;
  }

  private static String firstLines(String text) {
    String oneLine = text.strip().replaceAll("\\s*\\n\\s*", " / ");
    return oneLine.length() > 400 ? oneLine.substring(0, 400) + " …" : oneLine;
  }

  private static long orUnknown(@Nullable Long pid) {
    return pid == null ? -1 : pid;
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
      Path resultsFile = settings.resultFile().toAbsolutePath();
      Path repository = settings.repository().toAbsolutePath();
      String resultsName =
          (resultsFile.startsWith(repository) ? repository.relativize(resultsFile) : resultsFile)
              .toString();
      Files.writeString(
          settings.reportFile(), MarkdownReport.render(results, resultsName, chartName));
      say("written: %s", settings.reportFile());
    }
  }

  private ServiceProcess launch(String module, int port, String... extraArguments) {
    ServiceProcess.Builder service =
        ServiceProcess.of(module).port(port).against(settings.endpoints());
    if (module.equals("core-service")) {
      service.args(settings.coreArguments());
    }
    if (module.equals("api-service")) {
      // The benchmark's clients sign their tokens with the test key this JVM serves; the webhook
      // step's receiver listens on loopback.
      service
          .trustingTestTokens()
          .args("--iot.webhooks.allow-private-targets=true")
          .args(settings.apiArguments())
          .args(extraArguments);
    }
    List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx512m"));
    for (String option : settings.serviceJvmOptions()) {
      jvm.add(option.replace("{service}", module));
    }
    return service
        .jarsFrom(settings.jarRoot())
        .jvm(jvm)
        .logDir(settings.logDir())
        .copyJar()
        .start();
  }

  /** {@code process} once healthy; stopped when it does not become so. */
  private static ServiceProcess healthy(ServiceProcess process, int port) {
    try {
      return process.awaitHealthy(port, STARTUP);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** The broker's connections and queues with only the services connected, before any swarm. */
  private record BrokerBaseline(long connections, long queues) {
    static BrokerBaseline of(BrokerManagement broker) {
      return new BrokerBaseline(broker.connections(), broker.queues());
    }
  }

  /**
   * Lets the previous swarm's connections close, the broker delete their sessions' queues, and the
   * core work through their presence events, before the next step: 10,000 closing connections kept
   * the broker too busy to accept a new client within 30 s, and a swarm that connected while the
   * broker still deleted 10,000 session queues failed (its metadata store logged "Mnesia is
   * overloaded").
   */
  private static void awaitClosed(BrokerManagement broker, @Nullable BrokerBaseline servicesOnly) {
    if (servicesOnly == null) {
      return;
    }
    try {
      // A few more than the services' own: the management statistics lag by some seconds.
      long slack = 8;
      long open =
          broker.awaitConnectionsAtMost(servicesOnly.connections() + slack, Duration.ofMinutes(3));
      if (open > servicesOnly.connections() + slack) {
        say("  %d connections still open after 3 minutes; going on", open);
      }
      // A closed clean session's queue is deleted after its connection: thousands take a while.
      long queues = broker.awaitQueuesAtMost(servicesOnly.queues() + slack, Duration.ofMinutes(3));
      if (queues > servicesOnly.queues() + slack) {
        say(
            "  %d queues still there after 3 minutes (%d before); going on",
            queues, servicesOnly.queues());
      }
      // The core works through the closed connections' presence events next.
      long left =
          broker.awaitDrained(
              List.of("core.presence", "core.device-messages", "core.task-created"),
              Duration.ofMinutes(2));
      if (left > 0) {
        say("  %d messages still in the core's queues after 2 minutes; going on", left);
      }
    } catch (Exception e) {
      say("  could not count the broker's connections or queues (%s); going on", e);
    }
  }

  private LifecycleBenchmark.Settings lifecycleSettings(int devices, ProtocolVersion protocol) {
    return new LifecycleBenchmark.Settings(
        devices,
        protocol,
        // One id space per protocol: the larger swarm reuses the smaller one's registrations, and
        // a device's recorded protocol never changes between runs.
        "bench-" + Targets.name(protocol),
        settings.inFlight(),
        settings.warmUp(),
        settings.warmUpMax(),
        settings.measure(),
        settings.loadFractions(),
        settings.idleWindow(),
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

  private static void say(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, format + "%n", args);
  }
}
