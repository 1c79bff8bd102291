package io.asyncrpc.reliability.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The report of a run's plans: the table docs/reliability.md holds. */
public final class Report {

  private Report() {}

  /** Markdown: the table of every plan's faults, then one summary line per plan. */
  public static String markdown(List<RunResult> results) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "| fault | times injected | tasks in flight | lost | duplicated | recovery p50 | recovery max | fixed because of it |");
    lines.add("|---|---|---|---|---|---|---|---|");
    results.forEach(r -> lines.addAll(r.rows()));
    lines.add("");
    lines.add("Run of " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " on this machine:");
    lines.add("");
    results.forEach(r -> lines.add("- " + r.summary()));
    return String.join("\n", lines) + "\n";
  }
}
