package io.asyncrpc.bench.report;

import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The targets for a 2-core box with everything local, checked against a run. */
final class Targets {

  static final double LIFECYCLES_PER_SECOND = 1_000;
  static final int LIFECYCLE_DEVICES = 10_000;
  static final double SUBSTRATE_SHARE = 0.5;
  static final double FIFO_RATIO = 1.5;
  static final double PAYLOAD_P50_MS = 10;
  static final double PAYLOAD_P99_MS = 50;
  static final int IDLE_DEVICES = 10_000;

  private Targets() {}

  /** The targets measured against the largest swarm of the run. */
  static List<SuiteResults.Target> evaluate(
      List<LifecycleBenchmark.Result> lifecycles,
      List<SuiteResults.Substrate> substrates,
      double fifoRatio) {
    List<SuiteResults.Target> targets = new ArrayList<>();
    LifecycleBenchmark.Result largest =
        lifecycles.stream().max(Comparator.comparingInt(LifecycleBenchmark.Result::devices)).get();
    LifecycleBenchmark.Result measured =
        lifecycles.stream()
            .filter(l -> l.max() != null)
            .max(Comparator.comparingInt(LifecycleBenchmark.Result::devices))
            .orElse(null);
    if (largest.max() == null) {
      targets.add(
          new SuiteResults.Target(
              "full lifecycles/s with %,d devices".formatted(largest.devices()),
              "≥ %,.0f with %,d devices".formatted(LIFECYCLES_PER_SECOND, LIFECYCLE_DEVICES),
              "not measured: " + largest.skipped(),
              false));
    }
    if (measured != null) {
      int n = measured.devices();
      double rate = measured.max().lifecyclesPerSecond();
      String name =
          measured == largest
              ? "full lifecycles/s with %,d devices".formatted(n)
              : "full lifecycles/s with %,d devices (the largest swarm measured)".formatted(n);
      targets.add(
          new SuiteResults.Target(
              name,
              "≥ %,.0f with %,d devices".formatted(LIFECYCLES_PER_SECOND, LIFECYCLE_DEVICES),
              fmt("%,.0f/s", rate),
              rate >= LIFECYCLES_PER_SECOND && n >= LIFECYCLE_DEVICES));
      substrates.stream()
          .filter(s -> s.devices() == n)
          .findFirst()
          .ifPresent(
              s ->
                  targets.add(
                      new SuiteResults.Target(
                          "lifecycles/s as a share of bare MQTT request/response (%,d clients)"
                              .formatted(s.bare().clients()),
                          "≥ " + SUBSTRATE_SHARE,
                          fmt(
                              "%.3f (%,.0f / %,.0f)",
                              s.lifecycleRatio(), rate, s.bare().roundTripsPerSecond()),
                          s.lifecycleRatio() >= SUBSTRATE_SHARE)));
      measured.steps().stream()
          .filter(s -> s.mode().equals("open"))
          .min(Comparator.comparingDouble(s -> Math.abs(s.offeredPerSecond() - rate / 2)))
          .ifPresent(
              half -> {
                targets.add(
                    new SuiteResults.Target(
                        "POST → payload p50 at ~half the max rate (%,.0f/s, %,d devices)"
                            .formatted(half.offeredPerSecond(), n),
                        "≤ %.0f ms".formatted(PAYLOAD_P50_MS),
                        fmt("%.2f ms", half.toPayload().p50()),
                        half.toPayload().count() > 0 && half.toPayload().p50() <= PAYLOAD_P50_MS));
                targets.add(
                    new SuiteResults.Target(
                        "POST → payload p99 at ~half the max rate (%,.0f/s, %,d devices)"
                            .formatted(half.offeredPerSecond(), n),
                        "≤ %.0f ms".formatted(PAYLOAD_P99_MS),
                        fmt("%.2f ms", half.toPayload().p99()),
                        half.toPayload().count() > 0 && half.toPayload().p99() <= PAYLOAD_P99_MS));
              });
    }
    targets.add(
        new SuiteResults.Target(
            "FIFO claims/s over db-scheduler's",
            "≥ " + FIFO_RATIO + "×",
            fmt("%.2f×", fifoRatio),
            fifoRatio >= FIFO_RATIO));
    int idle = lifecycles.stream().mapToInt(l -> l.idle().connected()).max().orElse(0);
    targets.add(
        new SuiteResults.Target(
            "idle connected devices",
            "≥ %,d".formatted(IDLE_DEVICES),
            fmt("%,d", idle),
            idle >= IDLE_DEVICES));
    return targets;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
