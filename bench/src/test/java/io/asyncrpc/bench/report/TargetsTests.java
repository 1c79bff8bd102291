package io.asyncrpc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.bench.idle.IdleBrokerBenchmark;
import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.protocol.ProtocolVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link Targets}: met and missed follow from the figures, never from the wording. */
class TargetsTests {

  @Test
  void everyTargetOfIssue13HasOneRowInTheOrderOfItsTable() {
    List<SuiteResults.Target> targets = Targets.evaluate(List.of(), List.of(), null, null);

    assertThat(targets)
        .extracting(SuiteResults.Target::name)
        .satisfiesExactly(
            n -> assertThat(n).startsWith("v2 lifecycles/s ÷ bare MQTT round trips/s"),
            n -> assertThat(n).startsWith("v1 lifecycles/s ÷ bare MQTT round trips/s"),
            n -> assertThat(n).startsWith("CPU per v2 lifecycle"),
            n -> assertThat(n).contains("pgbench one-row-insert"),
            n -> assertThat(n).contains("pgbench select-by-key"),
            n -> assertThat(n).startsWith("v2 POST → payload p99"),
            n -> assertThat(n).startsWith("broker CPU with 10,000 idle devices"));
    assertThat(targets).allSatisfy(t -> assertThat(t.met()).isFalse());
    assertThat(targets).allSatisfy(t -> assertThat(t.measured()).startsWith("not measured"));
  }

  @Test
  void figuresAtTenThousandDevicesMeetOrMissByTheirValue() {
    List<LifecycleBenchmark.Result> lifecycles =
        List.of(
            lifecycle(ProtocolVersion.V1, 10_000, 3.0), lifecycle(ProtocolVersion.V2, 10_000, 5.0));
    List<SuiteResults.Ratio> ratios =
        List.of(
            new SuiteResults.Ratio(ProtocolVersion.V1, 10_000, 300, 1_000, 0.3),
            new SuiteResults.Ratio(ProtocolVersion.V2, 10_000, 400, 1_000, 0.4));
    SuiteResults.Api api = new SuiteResults.Api(16, null, List.of(), null, 0.6, null, null, 0.1);

    List<SuiteResults.Target> targets =
        Targets.evaluate(lifecycles, ratios, api, idle(10_000, 4.0));

    assertThat(targets)
        .extracting(SuiteResults.Target::met)
        .containsExactly(false, true, false, true, false, true, true);
    assertThat(targets.get(2).measured()).isEqualTo("5.00 ms");
  }

  @Test
  void aSmallerSwarmShowsItsFigureButDoesNotMeetATargetForTenThousand() {
    List<SuiteResults.Ratio> ratios =
        List.of(new SuiteResults.Ratio(ProtocolVersion.V2, 200, 900, 1_000, 0.9));

    SuiteResults.Target v2 = Targets.evaluate(List.of(), ratios, null, idle(200, 1.0)).getFirst();

    assertThat(v2.met()).isFalse();
    assertThat(v2.measured()).startsWith("0.900").contains("200 devices; the target is for 10,000");
  }

  private static LifecycleBenchmark.Result lifecycle(
      ProtocolVersion protocol, int devices, double systemMs) {
    CpuUsage.Process system = new CpuUsage.Process("system", true, 0, 0, systemMs);
    CpuUsage cpu = new CpuUsage(10, 100, List.of(), system, system);
    Latency payload = new Latency(100, 5, 10, 20, 30);
    LifecycleBenchmark.Step max = step("closed", 100, payload, cpu);
    LifecycleBenchmark.Step half = step("open", 50, payload, cpu);
    return new LifecycleBenchmark.Result(
        protocol, devices, 64, null, max, List.of(step("open", 25, payload, cpu), half), null);
  }

  private static LifecycleBenchmark.Step step(
      String mode, double rate, Latency payload, CpuUsage cpu) {
    return new LifecycleBenchmark.Step(
        mode, rate, rate, 1, 0, 0, payload, Latency.NONE, payload, payload, payload, cpu);
  }

  private static IdleBrokerBenchmark.Result idle(int devices, double brokerPercent) {
    return new IdleBrokerBenchmark.Result(
        devices,
        10,
        120,
        List.of(
            new IdleBrokerBenchmark.Measurement(
                "default",
                "scripts/bench broker start default",
                "",
                devices,
                devices,
                120,
                brokerPercent,
                1,
                0,
                null,
                null)));
  }
}
