package io.asyncrpc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.bench.events.IdleStreamsBenchmark;
import io.asyncrpc.bench.events.WaitVsPollBenchmark;
import io.asyncrpc.bench.events.WebhookBenchmark;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.JvmProbe;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.bench.harness.SystemProcesses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event steps' sections of the report and their settings. */
class EventsReportTests {

  @Test
  void rendersEveryEventSectionWithItsBaselineRow() {
    SuiteResults.Events events = new SuiteResults.Events(100, streams(), waits(), webhooks());
    StringBuilder out = new StringBuilder();

    MarkdownReport.events(out, resultsWith(events));

    assertThat(out.toString())
        .contains(
            "## Idle event streams per api-service",
            "| none (baseline) |",
            "| 1,000 | 1,000 | 0 |",
            "Held at once with none failing: **1,000** streams.",
            "**Delivery at each level held**",
            "GC.class_histogram",
            "## Waiting requests against status polling",
            "| waiting (`?wait=30`) |",
            "| polling every 10 ms |",
            "(**4.0×**)",
            "## Webhook delivery",
            "| no webhook (baseline) |",
            "| 90 of 90 |");
  }

  @Test
  void saysNotMeasuredWhenTheEventStepsDidNotRun() {
    StringBuilder out = new StringBuilder();

    MarkdownReport.events(out, resultsWith(null));

    assertThat(out.toString().split("Not measured.", -1)).hasSize(4);
  }

  @Test
  void stepsSelectWhatRuns() {
    SuiteSettings all = SuiteSettings.from(Path.of("."), Map.of());
    SuiteSettings some = SuiteSettings.from(Path.of("."), Map.of("steps", "streams,webhooks"));

    assertThat(all.runs("fifo")).isTrue();
    assertThat(all.streamCounts()).containsExactly(1_000, 5_000, 10_000);
    assertThat(some.runs("streams")).isTrue();
    assertThat(some.runs("webhooks")).isTrue();
    assertThat(some.runs("lifecycles")).isFalse();
  }

  private static SuiteResults resultsWith(SuiteResults.Events events) {
    return new SuiteResults(
        "test", "now", 1, null, "", null, List.of(), List.of(), List.of(), null, null, null, null,
        events, null, List.of(), List.of(), List.of(), List.of());
  }

  private static CpuUsage cpu(double apiMs) {
    CpuUsage.Process api = new CpuUsage.Process(SystemProcesses.API, true, 10, 2.5, apiMs);
    CpuUsage.Process system = new CpuUsage.Process("system", true, 20, 5, apiMs * 2);
    return new CpuUsage(10, 100, List.of(api), system, system);
  }

  private static IdleStreamsBenchmark.Result streams() {
    Latency latency = new Latency(1_000, 30, 40, 50, 60);
    return new IdleStreamsBenchmark.Result(
        new JvmProbe.Reading(300L << 20, 60L << 20, 40),
        cpu(0),
        List.of(
            new IdleStreamsBenchmark.Level(
                1_000, 1_000, 0, 1.5, 320L << 20, 70L << 20, 41, 20_000.0, 10_000.0, cpu(0))),
        1_000,
        null,
        0,
        List.of(
            new IdleStreamsBenchmark.Delivery(
                1_000, 10, 10_000, 10_000, latency, latency, cpu(0.01))),
        null,
        " num     #instances         #bytes  class name (module)\n");
  }

  private static WaitVsPollBenchmark.Result waits() {
    Latency latency = new Latency(100, 5, 10, 20, 30);
    return new WaitVsPollBenchmark.Result(
        32,
        30,
        10,
        new WaitVsPollBenchmark.Way("wait", 100, 1_000, 1.0, latency, latency, 0, cpu(0.5)),
        new WaitVsPollBenchmark.Way("poll", 90, 900, 3.5, latency, latency, 0, cpu(2.0)));
  }

  private static WebhookBenchmark.Result webhooks() {
    WebhookBenchmark.Window window = new WebhookBenchmark.Window(10, 100, cpu(1));
    return new WebhookBenchmark.Result(
        64, window, window, 9, 90, 90, new Latency(90, 500, 700, 900, 950), 0, 0);
  }
}
