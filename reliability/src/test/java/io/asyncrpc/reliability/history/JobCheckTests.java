package io.asyncrpc.reliability.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.task.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tests for the fleet-job checks of {@link HistoryChecker}. */
class JobCheckTests {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final HistoryChecker checker = new HistoryChecker(Duration.ofSeconds(10));
  private final UUID a1 = UUID.randomUUID();
  private final UUID a2 = UUID.randomUUID();
  private final UUID b1 = UUID.randomUUID();

  @Test
  void aCompletedJobWithOneRetryAfterATimeOutIsValid() {
    JobHistory job =
        job(
            "COMPLETED",
            2,
            List.of(new JobHistory.Target("a", a2), new JobHistory.Target("b", b1)),
            List.of(
                execution(a1, "a", TaskStatus.TIMED_OUT, 0),
                execution(a2, "a", TaskStatus.DONE, 5),
                execution(b1, "b", TaskStatus.FAILED, 1)));

    assertThat(check(job)).isEmpty();
  }

  @Test
  void aSecondExecutionBeforeTheFirstTimedOutIsDoubled() {
    JobHistory job =
        job(
            "COMPLETED",
            1,
            List.of(new JobHistory.Target("a", a2)),
            List.of(
                execution(a1, "a", TaskStatus.DONE, 0), execution(a2, "a", TaskStatus.DONE, 1)));

    assertThat(check(job))
        .extracting(Violation::kind)
        .containsOnly(Violation.Kind.JOB_EXECUTION_DOUBLED);
  }

  @Test
  void aJobStillRunningOrCompletedWithATargetLeftOutIsNotFinished() {
    List<JobHistory.Target> targets =
        List.of(new JobHistory.Target("a", a1), new JobHistory.Target("b", null));
    List<JobHistory.Execution> executions = List.of(execution(a1, "a", TaskStatus.DONE, 0));

    assertThat(check(job("IN_PROGRESS", 1, targets, executions)))
        .extracting(Violation::kind)
        .containsExactly(Violation.Kind.JOB_NOT_FINISHED);
    assertThat(check(job("COMPLETED", 1, targets, executions)))
        .extracting(Violation::kind)
        .containsExactly(Violation.Kind.JOB_NOT_FINISHED);
  }

  private JobHistory job(
      String status,
      int created,
      List<JobHistory.Target> targets,
      List<JobHistory.Execution> executions) {
    return new JobHistory(UUID.randomUUID(), status, created, 1, targets, executions);
  }

  private static JobHistory.Execution execution(
      UUID id, String device, TaskStatus status, int second) {
    return new JobHistory.Execution(id, device, status, T0.plusSeconds(second));
  }

  private List<Violation> check(JobHistory job) {
    return checker
        .check(
            new History(List.of(), List.of(), List.of(), List.of(), 0, Map.of(), T0, List.of(job)))
        .violations();
  }
}
