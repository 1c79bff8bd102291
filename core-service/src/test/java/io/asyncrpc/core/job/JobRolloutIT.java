package io.asyncrpc.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * Tests for {@link JobDecisions} against the real PostgreSQL, on a clock of their own: each job
 * starts a day from now, so the application's own rollout loop leaves it alone, and every decision
 * is taken at an instant the test names. Rates are checked as counts per decision.
 */
@CoreServiceTest
class JobRolloutIT {

  private static final String PLAIN = "{\"version\": \"2.1\"}";
  private static final String NO_ABORT = "[]";

  @Autowired JobDecisions decisions;
  @Autowired JobRepository repository;
  @Autowired JdbcClient jdbc;
  @Autowired ProtocolJson json;
  @Autowired PlatformTransactionManager transactions;
  @Autowired MeterRegistry meters;

  private JobFixtures fixtures;
  private Instant t0;

  @BeforeEach
  void setUp() {
    fixtures = new JobFixtures(jdbc);
    t0 = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  }

  @Test
  void aFixedRateIsHonouredAsCountsPerDecisionWithoutABurst() {
    List<String> devices = fixtures.devices("fixed", 700, "{}");
    UUID job = fixtures.job(devices, PLAIN, "{\"max_per_minute\": 600}", NO_ABORT, 0, t0);

    List<Integer> perDecision = new ArrayList<>();
    // Two decisions a second for one minute, then one more at the minute's end.
    for (int i = 0; i <= 120; i++) {
      perDecision.add(decide(job, t0.plusMillis(500L * i)).created().size());
    }

    // The first execution starts at once, then 600 a minute: 5 per half second, never more.
    assertThat(perDecision.getFirst()).isEqualTo(1);
    assertThat(perDecision.subList(1, perDecision.size())).containsOnly(5);
    assertThat(fixtures.executionsCreated(job)).isEqualTo(601);
    assertThat(fixtures.tasks(job)).isEqualTo(601);
    assertThat(fixtures.status(job)).isEqualTo("IN_PROGRESS");
  }

  @Test
  void aPauseIsMadeUpForAtMostMaxCatchUpNotABurstOfAMinute() {
    List<String> devices = fixtures.devices("pause", 200, "{}");
    UUID job = fixtures.job(devices, PLAIN, "{\"max_per_minute\": 60}", NO_ABORT, 0, t0);

    assertThat(decide(job, t0).created()).hasSize(1);
    assertThat(decide(job, t0.plusMillis(500)).created()).isEmpty();
    assertThat(decide(job, t0.plusSeconds(1)).created()).hasSize(1);
    // Every instance was away for two minutes: the rollout resumes with the default 5 s made up.
    assertThat(decide(job, t0.plusSeconds(121)).created()).hasSize(5);
    assertThat(decide(job, t0.plusSeconds(122)).created()).hasSize(1);
  }

  @Test
  void anExponentialRateGrowsByItsFactorAfterEachStepOfNotifiedExecutions() {
    List<String> devices = fixtures.devices("expo", 100, "{}");
    UUID job =
        fixtures.job(
            devices,
            PLAIN,
            """
            {"base_per_minute": 60, "increment_factor": 2, "increase_after_notified": 10}
            """,
            NO_ABORT,
            0,
            t0);

    List<Integer> perDecision = new ArrayList<>();
    for (int i = 0; i <= 16; i++) {
      perDecision.add(decide(job, t0.plusSeconds(i)).created().size());
    }

    // 1 a second for the first 10, 2 a second for the next 10, then 4 a second.
    assertThat(perDecision).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 4, 4);
  }

  @Test
  void anExponentialRateGrowsAfterEachStepOfSucceededExecutions() {
    List<String> devices = fixtures.devices("expo-ok", 50, "{}");
    UUID job =
        fixtures.job(
            devices,
            PLAIN,
            """
            {"base_per_minute": 60, "increment_factor": 3, "increase_after_succeeded": 2}
            """,
            NO_ABORT,
            0,
            t0);

    assertThat(decide(job, t0).created()).hasSize(1);
    assertThat(decide(job, t0.plusSeconds(1)).created()).hasSize(1);
    fixtures.finish(fixtures.executions(job).subList(0, 2), TaskStatus.DONE);
    // Two succeeded: three times the rate.
    assertThat(decide(job, t0.plusSeconds(2)).created()).hasSize(3);
  }

  @Test
  void anAbortStopsTheRolloutAndCancelsWhatWasNotSent() {
    List<String> devices = fixtures.devices("abort", 100, "{}");
    UUID job =
        fixtures.job(
            devices,
            PLAIN,
            "{\"max_per_minute\": 600}",
            """
            [{"failure_type": "FAILED", "min_executed": 5, "threshold_percent": 50}]
            """,
            0,
            t0);
    decide(job, t0);
    decide(job, t0.plusSeconds(1));
    List<UUID> executions = fixtures.executions(job).subList(0, 11);
    assertThat(executions).doesNotContainNull();
    fixtures.finish(executions.subList(0, 3), TaskStatus.DONE);
    fixtures.finish(executions.subList(3, 6), TaskStatus.FAILED);

    double cancelledBefore = cancelledFromQueued();
    Decision abort = decide(job, t0.plusSeconds(2));

    assertThat(abort.status()).isEqualTo("ABORTED");
    assertThat(abort.created()).isEmpty();
    assertThat(abort.cancelled()).isEqualTo(5);
    assertThat(cancelledFromQueued() - cancelledBefore).isEqualTo(5);
    assertThat(fixtures.statusReason(job)).contains("FAILED");
    int atAbort = fixtures.tasks(job);
    for (int i = 3; i < 20; i++) {
      assertThat(decide(job, t0.plusSeconds(i)).taken()).isFalse();
    }
    // Executions started after the threshold was crossed: none.
    assertThat(fixtures.tasks(job) - atAbort).isZero();
    assertThat(atAbort).isEqualTo(11);
    assertThat(fixtures.tasks(job, TaskStatus.CANCELLED)).isEqualTo(5);
    List<String> causes =
        jdbc.sql(
                """
                SELECT e.cause || '/' || e.actor FROM task_events e JOIN tasks t ON t.id = e.task_id
                 WHERE t.job_id = ? AND e.to_status = 'CANCELLED'
                """)
            .params(job)
            .query(String.class)
            .list();
    assertThat(causes).hasSize(5).containsOnly("CANCELLED/core");
    Map.Entry<String, String> last = fixtures.events(job).getLast();
    assertThat(last.getKey()).isEqualTo("job.finished");
    JsonNode data = read(last.getValue());
    assertThat(data.path("status").asString()).isEqualTo("ABORTED");
    assertThat(data.path("counts").path("CANCELLED").asInt()).isEqualTo(5);
    assertThat(data.path("counts").path("FAILED").asInt()).isEqualTo(3);
  }

  @Test
  void aJobCompletesWhenEveryTargetsExecutionIsFinalAndTellsItsProgress() {
    List<String> devices = fixtures.devices("done", 3, "{}");
    UUID job = fixtures.job(devices, PLAIN, "{\"max_per_minute\": 6000}", NO_ABORT, 0, t0);

    decide(job, t0);
    Decision second = decide(job, t0.plusSeconds(1));
    assertThat(second.created()).hasSize(2);
    assertThat(decide(job, t0.plusSeconds(2)).status()).isEqualTo("IN_PROGRESS");
    fixtures.finish(fixtures.executions(job).subList(0, 2), TaskStatus.DONE);
    assertThat(decide(job, t0.plusSeconds(3)).status()).isEqualTo("IN_PROGRESS");
    fixtures.finish(fixtures.executions(job).subList(2, 3), TaskStatus.FAILED);

    assertThat(decide(job, t0.plusSeconds(4)).status()).isEqualTo("COMPLETED");

    assertThat(fixtures.status(job)).isEqualTo("COMPLETED");
    assertThat(decide(job, t0.plusSeconds(5)).taken()).isFalse();
    List<Map.Entry<String, String>> events = fixtures.events(job);
    // One progress event per change of the roll-up, none for the decision that changed nothing.
    assertThat(events)
        .extracting(Map.Entry::getKey)
        .containsExactly("job.progress", "job.progress", "job.progress", "job.finished");
    JsonNode finished = read(events.getLast().getValue());
    assertThat(finished.path("job_id").asString()).isEqualTo(job.toString());
    assertThat(finished.path("status").asString()).isEqualTo("COMPLETED");
    assertThat(finished.path("target_count").asInt()).isEqualTo(3);
    assertThat(finished.path("executions_created").asInt()).isEqualTo(3);
    assertThat(finished.path("counts").path("DONE").asInt()).isEqualTo(2);
    assertThat(finished.path("counts").path("FAILED").asInt()).isEqualTo(1);
    String tenant =
        jdbc.sql("SELECT tenant FROM tenant_events WHERE job_id = ? LIMIT 1")
            .params(job)
            .query(String.class)
            .single();
    assertThat(tenant).isEqualTo("default");
  }

  @Test
  void aTimedOutExecutionIsRetriedAsANewTaskForTheSameDeviceUpToTheRetries() {
    List<String> devices = fixtures.devices("retry", 2, "{}");
    UUID job = fixtures.job(devices, PLAIN, "{\"max_per_minute\": 6000}", NO_ABORT, 1, t0);
    decide(job, t0);
    decide(job, t0.plusSeconds(1));
    UUID first = fixtures.executions(job).getFirst();
    fixtures.finish(List.of(first), TaskStatus.TIMED_OUT);

    Decision retry = decide(job, t0.plusSeconds(2));

    assertThat(retry.created()).hasSize(1);
    assertThat(retry.retries()).isEqualTo(1);
    UUID second = fixtures.executions(job).getFirst();
    assertThat(second).isNotEqualTo(first).isEqualTo(retry.created().getFirst());
    assertThat(fixtures.executionsCreated(job)).isEqualTo(2);
    // The retry times out too: no retry is left.
    fixtures.finish(List.of(second), TaskStatus.TIMED_OUT);
    assertThat(decide(job, t0.plusSeconds(3)).created()).isEmpty();
    fixtures.finish(fixtures.executions(job).subList(1, 2), TaskStatus.DONE);
    assertThat(decide(job, t0.plusSeconds(4)).status()).isEqualTo("COMPLETED");
    assertThat(fixtures.tasksPerDevice(job))
        .containsExactlyInAnyOrderEntriesOf(Map.of(devices.get(0), 2, devices.get(1), 1));
  }

  @Test
  void thePayloadTemplateIsFilledPerDevice() {
    List<String> devices = fixtures.devices("tmpl", 2, "{\"ring\": \"canary\"}");
    UUID job =
        fixtures.job(
            devices,
            """
            {"target": "{{device.id}}", "channel": "fw-{{ device.tags.ring }}",
             "missing": "[{{device.tags.site}}]", "n": 5, "list": ["{{device.id}}", true]}
            """,
            "{\"max_per_minute\": 6000}",
            NO_ABORT,
            0,
            t0);
    decide(job, t0);
    decide(job, t0.plusSeconds(1));

    List<UUID> executions = fixtures.executions(job);
    for (int i = 0; i < 2; i++) {
      JsonNode payload = read(fixtures.payload(executions.get(i)));
      assertThat(payload.path("target").asString()).isEqualTo(devices.get(i));
      assertThat(payload.path("channel").asString()).isEqualTo("fw-canary");
      assertThat(payload.path("missing").asString()).isEqualTo("[]");
      assertThat(payload.path("n").asInt()).isEqualTo(5);
      assertThat(payload.path("list").get(0).asString()).isEqualTo(devices.get(i));
      assertThat(payload.path("list").get(1).asBoolean()).isTrue();
    }
  }

  @Test
  void continuousTargetsGainTheDevicesThatGetTheTagWhileTheJobRuns() {
    String ring = "ring-" + UUID.randomUUID();
    String tags = "{\"ring\": \"" + ring + "\"}";
    List<String> devices = fixtures.devices("cont", 2, tags);
    UUID job =
        fixtures.job(
            devices,
            PLAIN,
            "{\"max_per_minute\": 6000}",
            NO_ABORT,
            0,
            t0,
            "{\"tag\": \"ring:" + ring + "\", \"continuous\": true}");
    decide(job, t0);
    decide(job, t0.plusSeconds(1));
    assertThat(fixtures.tasks(job)).isEqualTo(2);

    List<String> later = fixtures.devices("cont-late", 3, tags);
    decide(job, t0.plusSeconds(2));

    assertThat(fixtures.tasksPerDevice(job).keySet())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(devices.stream(), later.stream()).toList());
    assertThat(
            jdbc.sql("SELECT target_count FROM jobs WHERE id = ?")
                .params(job)
                .query(Integer.class)
                .single())
        .isEqualTo(5);
    // Continuous jobs run until cancelled or aborted.
    fixtures.finish(fixtures.executions(job), TaskStatus.DONE);
    assertThat(decide(job, t0.plusSeconds(3)).status()).isEqualTo("IN_PROGRESS");
  }

  /**
   * Verifies that two schedulers (two core instances, each with a small batch) deciding on one job
   * at the same time give every target exactly one execution.
   */
  @Test
  void twoSchedulersRacingOnOneJobGiveEveryTargetExactlyOneExecution() throws Exception {
    List<String> devices = fixtures.devices("race", 300, "{}");
    UUID job = fixtures.job(devices, PLAIN, "{\"max_per_minute\": 600000}", NO_ABORT, 0, t0);
    JobProperties small =
        new JobProperties(true, Duration.ofMillis(500), 7, 100, Duration.ofSeconds(5));
    List<JobDecisions> instances =
        List.of(
            new JobDecisions(repository, json, small, transactions, meters),
            new JobDecisions(repository, json, small, transactions, meters));

    List<Future<Integer>> runs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (JobDecisions instance : instances) {
        runs.add(
            pool.submit(
                () -> {
                  int created = 0;
                  for (int i = 1; i < 2000 && fixtures.executionsCreated(job) < 300; i++) {
                    created += instance.decide(job, t0.plusSeconds(i)).created().size();
                  }
                  return created;
                }));
      }
      int total = 0;
      for (Future<Integer> run : runs) {
        total += run.get();
      }
      assertThat(total).isEqualTo(300);
    }

    assertThat(fixtures.tasks(job)).isEqualTo(300);
    assertThat(fixtures.tasksPerDevice(job))
        .hasSize(300)
        .allSatisfy((d, n) -> assertThat(n).isOne());
    assertThat(fixtures.targetsWithoutTheirExecution(job)).isZero();
    assertThat(fixtures.executionsCreated(job)).isEqualTo(300);
  }

  private double cancelledFromQueued() {
    var counter =
        meters.find("iot.task.transitions").tags("from", "QUEUED", "to", "CANCELLED").counter();
    return counter == null ? 0 : counter.count();
  }

  private Decision decide(UUID job, Instant now) {
    return decisions.decide(job, now);
  }

  private JsonNode read(String text) {
    return json.read(text.getBytes(StandardCharsets.UTF_8));
  }
}
