package io.asyncrpc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.bench.jobs.JobBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link Targets#jobs}: issue 15's rows, met and missed from the figures. */
class JobTargetsTests {

  @Test
  void withoutTheStepEveryRowIsMissedAsNotMeasured() {
    List<SuiteResults.Target> targets = Targets.jobs(null);

    assertThat(targets)
        .extracting(SuiteResults.Target::name)
        .satisfiesExactly(
            n -> assertThat(n).startsWith("accept a 10,000-device job"),
            n -> assertThat(n).startsWith("rollout `max_per_minute` honoured"),
            n -> assertThat(n).startsWith("executions started after the abort threshold"),
            n -> assertThat(n).startsWith("job-driven lifecycles/s"));
    assertThat(targets).allSatisfy(t -> assertThat(t.met()).isFalse());
    assertThat(targets).allSatisfy(t -> assertThat(t.measured()).startsWith("not measured"));
  }

  @Test
  void eachRowFollowsItsFigure() {
    List<SuiteResults.Target> met = Targets.jobs(result(10_000, 1.2, 3.1, 40, 0.95));
    List<SuiteResults.Target> missed = Targets.jobs(result(10_000, 2.5, -6.0, 120, 0.5));

    assertThat(met).extracting(SuiteResults.Target::met).containsOnly(true);
    assertThat(missed).extracting(SuiteResults.Target::met).containsOnly(false);
    assertThat(met.get(0).measured()).isEqualTo("2.000 s");
    assertThat(missed.get(2).measured()).isEqualTo("120");
  }

  @Test
  void aSmallerSwarmDoesNotMeetTargetsSetForTenThousand() {
    List<SuiteResults.Target> targets = Targets.jobs(result(200, 0.1, 0, 0, 1.0));

    assertThat(targets).extracting(SuiteResults.Target::met).containsOnly(false);
    assertThat(targets.get(0).measured()).contains("the target is for 10,000");
  }

  /** A run whose slowest accept is {@code max(accept, 2.0)} for 10,000 and {@code accept} else. */
  private static JobBenchmark.Result result(
      int devices, double accept, double deviation, long overshoot, double share) {
    List<JobBenchmark.Accept> accepts =
        devices >= 10_000
            ? List.of(
                new JobBenchmark.Accept("throughput", devices, accept),
                new JobBenchmark.Accept("rollout", devices, 2.0))
            : List.of(new JobBenchmark.Accept("throughput", devices, accept));
    JobBenchmark.Throughput throughput =
        new JobBenchmark.Throughput(
            devices,
            64,
            10,
            70,
            142.9,
            0,
            0,
            6,
            70 / share,
            142.9 * share,
            0,
            "COMPLETED",
            share,
            10,
            1_000);
    JobBenchmark.Rollout rollout =
        new JobBenchmark.Rollout(
            6_000,
            60,
            Math.round(6_000 * (1 + deviation / 100)),
            6_000,
            deviation,
            120,
            0.2,
            4_000,
            3,
            3);
    JobBenchmark.Abort abort =
        new JobBenchmark.Abort(
            6_000, 100, 0.25, "{}", "ABORTED", "crossed", 2.5, 100, 25, overshoot, 0, 0.4, 400);
    return new JobBenchmark.Result(
        devices, devices, accepts, throughput, rollout, abort, "1 1 1", "2 2 2", null);
  }
}
