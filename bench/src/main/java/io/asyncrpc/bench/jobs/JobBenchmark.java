package io.asyncrpc.bench.jobs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncrpc.bench.harness.ConnectWait;
import io.asyncrpc.bench.harness.MachineFacts;
import io.asyncrpc.bench.lifecycle.Registration;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmListener;
import io.asyncrpc.swarm.SwarmSettings;
import io.asyncrpc.testsupport.ApiClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Fleet jobs through the running api-service and core-service, with a swarm of connected v2 devices
 * that answer at once. In one run: the time to accept a job of every device; the same tasks posted
 * one by one against one job over the same devices (time from the first POST to the last task
 * finished, so lifecycles per second of each); the rollout's rate over a minute at a fixed {@code
 * max_per_minute}, then its cancel; and, with devices that fail a share of their tasks, how many
 * executions the rollout still created after an abort criterion was crossed. All times are read
 * from the database's rows (tasks' {@code created_at} and {@code finished_at}, the job's {@code
 * started_at} and {@code finished_at}); one host, one clock.
 */
public final class JobBenchmark {

  // The suite's tenant: BenchSuite's client signs its tokens for it.
  private static final String TENANT = "bench";
  private static final int TTL_SECONDS = 900;
  private static final String PAYLOAD = "{\"n\":1,\"device\":\"{{device.id}}\"}";
  // The API's highest fixed rate; the rollout then creates at most iot.jobs.batch-size per round.
  private static final int UNTHROTTLED_PER_MINUTE = 100_000;

  /**
   * What to run.
   *
   * @param devices connected devices, and the targets of every measured job
   * @param devicePrefix device ids are {@code prefix-0 …}
   * @param posters concurrent clients posting the tasks one by one
   * @param warmUpDevices devices of the warm-up (a small job and as many posted tasks), 0 for none
   * @param rolloutPerMinute the rollout step's {@code max_per_minute}
   * @param rolloutWindow how long the rollout step's rate is counted, from the job's start
   * @param abortPerMinute the abort step's {@code max_per_minute}
   * @param abortFailureRate the share of tasks the abort step's devices fail (status 500)
   * @param abortMinExecuted the abort criterion's {@code min_executed}
   * @param abortThresholdPercent the abort criterion's {@code threshold_percent} of FAILED
   * @param finishTimeout how long a step waits for its tasks to finish
   * @param connectsPerSecond how fast the swarm connects
   * @param devicePollInterval how often an idle device polls its FIFO
   * @param localAddresses loopback source addresses for the swarm's connections
   * @param jdbcUrl the services' database, read for the rows' times
   * @param dbUser its user
   * @param dbPassword its password
   */
  public record Settings(
      int devices,
      String devicePrefix,
      int posters,
      int warmUpDevices,
      int rolloutPerMinute,
      Duration rolloutWindow,
      int abortPerMinute,
      double abortFailureRate,
      int abortMinExecuted,
      int abortThresholdPercent,
      Duration finishTimeout,
      int connectsPerSecond,
      Duration devicePollInterval,
      List<String> localAddresses,
      String jdbcUrl,
      String dbUser,
      String dbPassword) {}

  /**
   * One {@code POST /api/v1/jobs}.
   *
   * @param step which job
   * @param targets its device ids
   * @param seconds from sending the request to the {@code 202}
   */
  public record Accept(String step, int targets, double seconds) {}

  /**
   * The same tasks, posted one by one and created by one job.
   *
   * @param tasks tasks of each run (one per device)
   * @param posters concurrent posting clients
   * @param postingSeconds first POST to the last {@code 202}
   * @param postedSeconds first POST to the last posted task finished
   * @param postedPerSecond {@code tasks / postedSeconds}
   * @param postErrors POSTs that failed
   * @param postedUnfinished posted tasks not finished within the timeout
   * @param jobCreatedSeconds the job's POST to its last execution created
   * @param jobSeconds the job's POST to its last execution finished
   * @param jobPerSecond {@code tasks / jobSeconds}
   * @param jobUnfinished executions not created or not finished within the timeout
   * @param jobStatus the job's status at the end
   * @param ratio {@code jobPerSecond / postedPerSecond}
   * @param statements statements that created the job's executions (distinct {@code created_at}: a
   *     decision's one statement gives all its tasks one creation time)
   * @param largestStatement most executions one statement created
   */
  public record Throughput(
      int tasks,
      int posters,
      double postingSeconds,
      double postedSeconds,
      double postedPerSecond,
      long postErrors,
      long postedUnfinished,
      double jobCreatedSeconds,
      double jobSeconds,
      double jobPerSecond,
      long jobUnfinished,
      String jobStatus,
      double ratio,
      long statements,
      long largestStatement) {}

  /**
   * A fixed rate over a window, then the job's cancel.
   *
   * @param perMinute {@code max_per_minute}
   * @param windowSeconds the window counted, from the job's {@code started_at}
   * @param created executions created in the window
   * @param expected {@code perMinute × window}
   * @param deviationPercent {@code (created − expected) / expected}
   * @param statements statements that created them
   * @param cancelSeconds {@code POST /jobs/{id}/cancel} to its answer
   * @param cancelled executions the cancel ended
   * @param heldAtCancel of those, executions a device held (LOCKED), so told to the device
   * @param cancelConfirmed the job's {@code cancel_confirmed} 5 s after the cancel
   */
  public record Rollout(
      int perMinute,
      double windowSeconds,
      long created,
      long expected,
      double deviationPercent,
      long statements,
      double cancelSeconds,
      long cancelled,
      long heldAtCancel,
      int cancelConfirmed) {}

  /**
   * An abort criterion crossed while the rollout runs.
   *
   * @param perMinute {@code max_per_minute}
   * @param perSecond {@code perMinute / 60}, the target's bound
   * @param failureRate the share of tasks the devices failed
   * @param criterion the criterion as sent
   * @param status the job's status at the end
   * @param statusReason its reason, or null
   * @param crossedAfterSeconds the job's start to the moment the criterion held (the finishing of
   *     the execution that made it hold), or null when it never did
   * @param finishedAtCrossing executions finished at that moment
   * @param failedAtCrossing of those, FAILED
   * @param createdAfterCrossing executions created after that moment
   * @param createdAfterStop executions created after the job's {@code finished_at}
   * @param crossingToStopSeconds from the crossing to the job's {@code finished_at}, or null when
   *     it never crossed or never stopped
   * @param executionsCreated every execution of the job
   */
  public record Abort(
      int perMinute,
      double perSecond,
      double failureRate,
      String criterion,
      String status,
      @Nullable String statusReason,
      @Nullable Double crossedAfterSeconds,
      long finishedAtCrossing,
      long failedAtCrossing,
      long createdAfterCrossing,
      long createdAfterStop,
      @Nullable Double crossingToStopSeconds,
      long executionsCreated) {}

  /**
   * The figures of one run.
   *
   * @param devices devices of the swarm, targets of every measured job
   * @param connected devices connected (the first swarm)
   * @param accepts every measured job's accept
   * @param throughput posted one by one against one job, or null
   * @param rollout the fixed rate over a window, or null
   * @param abort the abort's overshoot, or null
   * @param loadAtStart load averages (1, 5, 15 min) when the step started
   * @param loadAtEnd when it ended
   * @param skipped why a part did not run, or null
   */
  public record Result(
      int devices,
      int connected,
      List<Accept> accepts,
      @Nullable Throughput throughput,
      @Nullable Rollout rollout,
      @Nullable Abort abort,
      String loadAtStart,
      String loadAtEnd,
      @Nullable String skipped) {}

  private final ApiClient api;
  private final String mqttHost;
  private final int mqttPort;
  private final Settings settings;
  private final Runnable settle;
  private final List<Accept> accepts = new ArrayList<>();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /**
   * @param settle waits until the swarm's closed connections are gone, between two swarms
   */
  public JobBenchmark(
      ApiClient api, String mqttHost, int mqttPort, Settings settings, Runnable settle) {
    this.api = api;
    this.mqttHost = mqttHost;
    this.mqttPort = mqttPort;
    this.settings = settings;
    this.settle = settle;
  }

  /** Registers and connects the devices, then measures; prints progress to {@code System.out}. */
  public Result run() throws Exception {
    String loadAtStart = MachineFacts.loadAverage();
    List<String> ids = new ArrayList<>(settings.devices());
    for (int i = 0; i < settings.devices(); i++) {
      ids.add(settings.devicePrefix() + "-" + i);
    }
    Registration.registerAll(api, ids, 16);
    log("%,d devices registered", ids.size());
    try (HikariDataSource data = dataSource()) {
      JdbcClient db = JdbcClient.create(data);
      Throughput throughput;
      Rollout rollout;
      int connected;
      try (Swarm swarm = connect(ids, 0)) {
        connected = swarm.stats().snapshot().online();
        if (connected < ids.size()) {
          String why = "%,d of %,d devices connected".formatted(connected, ids.size());
          return new Result(
              ids.size(),
              connected,
              accepts,
              null,
              null,
              null,
              loadAtStart,
              MachineFacts.loadAverage(),
              why);
        }
        if (settings.warmUpDevices() > 0) {
          List<String> few = ids.subList(0, Math.min(settings.warmUpDevices(), ids.size()));
          warmUp(db, few);
        }
        throughput = throughput(db, ids);
        rollout = rollout(db, ids);
      }
      settle.run();
      Abort abort;
      try (Swarm failing = connect(ids, settings.abortFailureRate())) {
        int online = failing.stats().snapshot().online();
        if (online < ids.size()) {
          log("abort step: only %,d of %,d devices connected; measured anyway", online, ids.size());
        }
        abort = abort(db, ids);
      }
      return new Result(
          ids.size(),
          connected,
          List.copyOf(accepts),
          throughput,
          rollout,
          abort,
          loadAtStart,
          MachineFacts.loadAverage(),
          null);
    }
  }

  private Swarm connect(List<String> ids, double failureRate) throws Exception {
    SwarmSettings swarm =
        SwarmSettings.of(mqttHost, mqttPort, settings.devicePrefix(), ids.size())
            .withProtocol(ProtocolVersion.V2)
            .withWork(Duration.ZERO, Duration.ZERO, failureRate)
            .withPolling(settings.devicePollInterval(), Duration.ofSeconds(5))
            .withConnections(settings.localAddresses(), settings.connectsPerSecond());
    Swarm started = new Swarm(swarm, new SwarmListener() {});
    long begin = System.nanoTime();
    try {
      started
          .start()
          .get(
              ConnectWait.budget(ids.size(), settings.connectsPerSecond()).toSeconds(),
              TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log("connecting: %s", e.getCause() == null ? e : e.getCause());
    }
    log(
        "%,d devices connected in %.1f s (failure rate %.2f)",
        started.stats().snapshot().online(), (System.nanoTime() - begin) / 1e9, failureRate);
    // The core takes the swarm's presence events and first polls before anything is measured.
    Thread.sleep(10_000);
    return started;
  }

  private void warmUp(JdbcClient db, List<String> few) throws Exception {
    String posted = method("warm-posted");
    Instant start = Instant.now();
    postAll(few, posted);
    awaitFinished(db, "method_code = :key", posted, few.size());
    UUID job = createJob("warm-up", few, method("warm-job"), UNTHROTTLED_PER_MINUTE, "", false);
    awaitFinished(db, "job_id = :key", job, few.size());
    log(
        "warm-up: %,d posted tasks and a job of %,d, %.1f s",
        few.size(), few.size(), Duration.between(start, Instant.now()).toMillis() / 1e3);
  }

  private Throughput throughput(JdbcClient db, List<String> ids) throws Exception {
    String postedMethod = method("posted");
    AtomicLong errors = new AtomicLong();
    Instant postedStart = Instant.now();
    Instant lastAccepted = postAll(ids, postedMethod, errors);
    Finished posted = awaitFinished(db, "method_code = :key", postedMethod, ids.size());
    double postingSeconds = seconds(postedStart, lastAccepted);
    double postedSeconds = seconds(postedStart, posted.lastFinished());
    log(
        "posted one by one: %,d tasks, last 202 after %.1f s, last finished after %.1f s"
            + " (%.1f/s), %d errors, %d unfinished",
        ids.size(),
        postingSeconds,
        postedSeconds,
        ids.size() / postedSeconds,
        errors.get(),
        ids.size() - posted.finished());

    Instant jobStart = Instant.now();
    UUID job = createJob("throughput", ids, method("job"), UNTHROTTLED_PER_MINUTE, "", true);
    Finished executions = awaitFinished(db, "job_id = :key", job, ids.size());
    String status = awaitJobEnd(job, Duration.ofSeconds(30));
    double jobSeconds = seconds(jobStart, executions.lastFinished());
    long[] batches = batches(db, job);
    log(
        "one job: last execution created after %.1f s, last finished after %.1f s (%.1f/s),"
            + " job %s; %,d executions in %d statements, at most %,d in one",
        seconds(jobStart, executions.lastCreated()),
        jobSeconds,
        ids.size() / jobSeconds,
        status,
        executions.tasks(),
        batches[0],
        batches[1]);
    double postedRate = ids.size() / postedSeconds;
    double jobRate = ids.size() / jobSeconds;
    return new Throughput(
        ids.size(),
        settings.posters(),
        round(postingSeconds, 2),
        round(postedSeconds, 2),
        round(postedRate, 1),
        errors.get(),
        ids.size() - posted.finished(),
        round(seconds(jobStart, executions.lastCreated()), 2),
        round(jobSeconds, 2),
        round(jobRate, 1),
        ids.size() - executions.finished(),
        status,
        round(jobRate / postedRate, 3),
        batches[0],
        batches[1]);
  }

  private Rollout rollout(JdbcClient db, List<String> ids) throws Exception {
    int perMinute = settings.rolloutPerMinute();
    UUID job = createJob("rollout", ids, method("rollout"), perMinute, "", true);
    Instant started = awaitStarted(job);
    double window = settings.rolloutWindow().toMillis() / 1e3;
    // The decision after the window's end has committed once a round more has passed.
    long wait =
        Duration.between(Instant.now(), started).toMillis()
            + settings.rolloutWindow().toMillis()
            + 2_000;
    Thread.sleep(Math.max(0, wait));
    long created =
        db.sql(
                """
                SELECT count(*) FROM tasks
                 WHERE job_id = :job AND created_at < CAST(:until AS timestamptz)
                """)
            .param("job", job)
            .param("until", Timestamp.from(started.plus(settings.rolloutWindow())))
            .query(Long.class)
            .single();
    long statements =
        db.sql(
                """
                SELECT count(DISTINCT created_at) FROM tasks
                 WHERE job_id = :job AND created_at < CAST(:until AS timestamptz)
                """)
            .param("job", job)
            .param("until", Timestamp.from(started.plus(settings.rolloutWindow())))
            .query(Long.class)
            .single();
    long expected = Math.round(perMinute * window / 60);
    double deviation = (created - expected) * 100.0 / expected;
    log(
        "rollout at %,d/min: %,d executions in %.0f s from its start (expected %,d, %+.2f %%), in"
            + " %d statements",
        perMinute, created, window, expected, deviation, statements);

    long begin = System.nanoTime();
    ApiClient.Answer answer = api.post("/jobs/" + job + "/cancel", "");
    if (answer.status() == 409) {
      // A window longer than the rollout of every target: the job completed first.
      log("cancel: the job had finished (%s)", answer.body().path("detail").asString());
    }
    JsonNode cancelled =
        answer.status() == 409 ? answer.body() : expect(answer, 200, "POST /jobs/{id}/cancel");
    double cancelSeconds = (System.nanoTime() - begin) / 1e9;
    long held =
        db.sql(
                """
                SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id
                 WHERE t.job_id = :job AND e.from_status = 'LOCKED' AND e.to_status = 'CANCELLED'
                """)
            .param("job", job)
            .query(Long.class)
            .single();
    Thread.sleep(5_000);
    int confirmed = job(job).path("cancel_confirmed").asInt();
    long cancelledCount = cancelled.path("counts").path("CANCELLED").asLong();
    log(
        "cancel: %.3f s, %,d executions cancelled, %d of them held by a device, %d confirmed"
            + " after 5 s",
        cancelSeconds, cancelledCount, held, confirmed);
    return new Rollout(
        perMinute,
        window,
        created,
        expected,
        round(deviation, 2),
        statements,
        round(cancelSeconds, 3),
        cancelledCount,
        held,
        confirmed);
  }

  private Abort abort(JdbcClient db, List<String> ids) throws Exception {
    int perMinute = settings.abortPerMinute();
    String criterion =
        "{\"failure_type\":\"FAILED\",\"min_executed\":%d,\"threshold_percent\":%d}"
            .formatted(settings.abortMinExecuted(), settings.abortThresholdPercent());
    UUID job =
        createJob("abort", ids, method("abort"), perMinute, ",\"abort\":[" + criterion + "]", true);
    String status = awaitJobEnd(job, settings.finishTimeout());
    JsonNode end = job(job);
    record Row(Instant finishedAt, String status) {}
    List<Row> finished =
        db.sql(
                """
                SELECT finished_at, status FROM tasks
                 WHERE job_id = :job AND finished_at IS NOT NULL
                   AND status IN ('DONE', 'FAILED', 'TIMED_OUT', 'EXPIRED')
                 ORDER BY finished_at, id
                """)
            .param("job", job)
            .query((rs, n) -> new Row(rs.getTimestamp(1).toInstant(), rs.getString(2)))
            .list();
    // The criterion as the rollout checks it: at least min_executed finished, and threshold
    // percent or more of them FAILED.
    Instant crossedAt = null;
    long n = 0;
    long failed = 0;
    for (Row row : finished) {
      n++;
      if (row.status().equals("FAILED")) {
        failed++;
      }
      if (n >= settings.abortMinExecuted()
          && failed * 100 >= settings.abortThresholdPercent() * n) {
        crossedAt = row.finishedAt();
        break;
      }
    }
    Instant startedAt = Instant.parse(end.path("started_at").asString());
    Instant stoppedAt =
        end.path("finished_at").isString()
            ? Instant.parse(end.path("finished_at").asString())
            : null;
    long afterCrossing = crossedAt == null ? 0 : createdAfter(db, job, crossedAt);
    long afterStop = stoppedAt == null ? 0 : createdAfter(db, job, stoppedAt);
    long created =
        db.sql("SELECT count(*) FROM tasks WHERE job_id = :job")
            .param("job", job)
            .query(Long.class)
            .single();
    Double crossedAfter = crossedAt == null ? null : round(seconds(startedAt, crossedAt), 3);
    Double toStop =
        crossedAt == null || stoppedAt == null ? null : round(seconds(crossedAt, stoppedAt), 3);
    log(
        "abort at %,d/min with %.0f %% failing: job %s; criterion held %s s after the start"
            + " (%d of %d finished FAILED), %d executions created after it, %d after the stop"
            + " (stopped %s s after the crossing), %,d executions in all",
        perMinute,
        settings.abortFailureRate() * 100,
        status,
        crossedAfter,
        failed,
        n,
        afterCrossing,
        afterStop,
        toStop,
        created);
    return new Abort(
        perMinute,
        round(perMinute / 60.0, 2),
        settings.abortFailureRate(),
        criterion,
        status,
        end.path("status_reason").isString() ? end.path("status_reason").asString() : null,
        crossedAfter,
        crossedAt == null ? 0 : n,
        crossedAt == null ? 0 : failed,
        afterCrossing,
        afterStop,
        toStop,
        created);
  }

  private static long createdAfter(JdbcClient db, UUID job, Instant at) {
    return db.sql(
            """
            SELECT count(*) FROM tasks
             WHERE job_id = :job AND created_at > CAST(:at AS timestamptz)
            """)
        .param("job", job)
        .param("at", Timestamp.from(at))
        .query(Long.class)
        .single();
  }

  /** The statements that created the job's executions, and the most one created. */
  private static long[] batches(JdbcClient db, UUID job) {
    return db.sql(
            """
            SELECT count(*), COALESCE(max(n), 0) FROM (
                SELECT created_at, count(*) AS n FROM tasks WHERE job_id = :job GROUP BY created_at
            ) b
            """)
        .param("job", job)
        .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .single();
  }

  private UUID createJob(
      String step, List<String> ids, String method, int perMinute, String extra, boolean measured)
      throws Exception {
    StringBuilder body = new StringBuilder("{\"targets\":{\"device_ids\":[");
    for (int i = 0; i < ids.size(); i++) {
      body.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
    }
    body.append("]},\"method_code\":\"")
        .append(method)
        .append("\",\"payload\":")
        .append(PAYLOAD)
        .append(",\"ttl\":")
        .append(TTL_SECONDS)
        .append(",\"rollout\":{\"max_per_minute\":")
        .append(perMinute)
        .append('}')
        .append(extra)
        .append('}');
    long begin = System.nanoTime();
    JsonNode created = expect(api.post("/jobs", body.toString()), 202, "POST /jobs");
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (measured) {
      accepts.add(new Accept(step, ids.size(), round(seconds, 3)));
      log("%s: job of %,d devices accepted in %.3f s", step, ids.size(), seconds);
    }
    return UUID.fromString(created.get("id").asString());
  }

  private Instant postAll(List<String> ids, String method) throws Exception {
    return postAll(ids, method, new AtomicLong());
  }

  /** Posts one task to each device with {@link Settings#posters()} clients; the last 202's time. */
  private Instant postAll(List<String> ids, String method, AtomicLong errors) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Instant> last = new AtomicReference<>(Instant.now());
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < settings.posters(); c++) {
        clients.execute(
            () -> {
              for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
                try {
                  api.createTask(ids.get(i), method, TTL_SECONDS, "{\"n\":1}");
                  last.accumulateAndGet(Instant.now(), (a, b) -> a.isAfter(b) ? a : b);
                } catch (Exception e) {
                  errors.incrementAndGet();
                  firstError.compareAndSet(null, e.toString());
                }
              }
            });
      }
    }
    if (firstError.get() != null) {
      log("first POST error: %s", firstError.get());
    }
    return last.get();
  }

  // The latest times are null while no task was created or finished.
  private record Finished(
      long tasks, long finished, @Nullable Instant lastCreated, @Nullable Instant lastFinished) {}

  /** Waits until {@code expected} tasks matching {@code where} exist and all have finished. */
  private Finished awaitFinished(JdbcClient db, String where, Object key, int expected)
      throws InterruptedException {
    long giveUp = System.nanoTime() + settings.finishTimeout().toNanos();
    Finished seen;
    do {
      Thread.sleep(500);
      seen =
          db.sql(
                  "SELECT count(*), count(finished_at), max(created_at), max(finished_at)"
                      + " FROM tasks WHERE tenant = :tenant AND "
                      + where)
              .param("tenant", TENANT)
              .param("key", key)
              .query(
                  (rs, i) ->
                      new Finished(
                          rs.getLong(1),
                          rs.getLong(2),
                          instant(rs.getTimestamp(3)),
                          instant(rs.getTimestamp(4))))
              .single();
    } while ((seen.tasks() < expected || seen.finished() < seen.tasks())
        && System.nanoTime() < giveUp);
    if (seen.finished() < expected) {
      log("%,d of %,d finished within %s", seen.finished(), expected, settings.finishTimeout());
    }
    return seen;
  }

  private Instant awaitStarted(UUID job) throws Exception {
    long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < giveUp) {
      JsonNode read = job(job);
      if (read.path("started_at").isString()) {
        return Instant.parse(read.path("started_at").asString());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("job " + job + " did not start within 30 s");
  }

  /** The job's status once it is COMPLETED, CANCELLED or ABORTED, or as it is at the timeout. */
  private String awaitJobEnd(UUID job, Duration timeout) throws Exception {
    long giveUp = System.nanoTime() + timeout.toNanos();
    String status;
    do {
      status = job(job).path("status").asString();
      if (!status.equals("SCHEDULED") && !status.equals("IN_PROGRESS")) {
        return status;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < giveUp);
    return status;
  }

  private JsonNode job(UUID job) {
    return expect(api.get("/jobs/" + job), 200, "GET /jobs/{id}");
  }

  private static JsonNode expect(ApiClient.Answer answer, int status, String request) {
    if (answer.status() != status) {
      throw new IllegalStateException(
          request + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.body();
  }

  private HikariDataSource dataSource() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.dbUser());
    config.setPassword(settings.dbPassword());
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  private String method(String step) {
    return "bench.jobs." + step + "." + run;
  }

  private static @Nullable Instant instant(@Nullable Timestamp at) {
    return at == null ? null : at.toInstant();
  }

  private static double seconds(Instant from, @Nullable Instant to) {
    return to == null ? Double.NaN : Duration.between(from, to).toNanos() / 1e9;
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  private static void log(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, "  " + format + "%n", args);
  }
}
