package io.asyncrpc.swarm.cli;

import io.asyncrpc.swarm.SwarmStats;
import java.io.PrintStream;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/** Renders a swarm's counters once a second as a small table, rates over the last second. */
final class LiveTable {

  private final PrintStream out;
  private final boolean ansi;
  private SwarmStats.@Nullable Snapshot previous;

  LiveTable(PrintStream out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  void render(
      SwarmStats.Snapshot now, Histogram taskToCommit, Histogram eventRoundTrip, double seconds) {
    SwarmStats.Snapshot before = previous == null ? now : previous;
    previous = now;
    if (ansi) {
      out.print("\033[H\033[2J");
    }
    out.printf("%-22s %12s %12s%n", "swarm", "total", "per second");
    row("devices online", now.online(), -1);
    row("triggers received", now.triggers(), rate(now.triggers() - before.triggers(), seconds));
    row("tasks run", now.tasks(), rate(now.tasks() - before.tasks(), seconds));
    row("results committed", now.commits(), rate(now.commits() - before.commits(), seconds));
    row("failed results", now.failedResults(), -1);
    row("no-task answers", now.noTask(), rate(now.noTask() - before.noTask(), seconds));
    row("duplicates skipped", now.duplicates(), -1);
    row("typed errors", now.errors(), -1);
    row("connect failures", now.connectFailures(), -1);
    if (now.events() > 0) {
      row("events sent", now.events(), rate(now.events() - before.events(), seconds));
      row(
          "events stored",
          now.eventsStored(),
          rate(now.eventsStored() - before.eventsStored(), seconds));
      row("events refused", now.eventsRefused(), -1);
      row("events unanswered", now.eventsUnanswered(), -1);
    }
    if (now.progress() > 0) {
      row("progress reports", now.progress(), -1);
    }
    if (taskToCommit.getTotalCount() > 0) {
      out.printf(
          "task at device -> commit (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
          taskToCommit.getValueAtPercentile(50) / 1000.0,
          taskToCommit.getValueAtPercentile(90) / 1000.0,
          taskToCommit.getValueAtPercentile(99) / 1000.0,
          taskToCommit.getMaxValue() / 1000.0);
    } else {
      out.println("task at device -> commit (ms): no commits in the last second");
    }
    if (eventRoundTrip.getTotalCount() > 0) {
      out.printf(
          "event -> answer (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
          eventRoundTrip.getValueAtPercentile(50) / 1000.0,
          eventRoundTrip.getValueAtPercentile(90) / 1000.0,
          eventRoundTrip.getValueAtPercentile(99) / 1000.0,
          eventRoundTrip.getMaxValue() / 1000.0);
    }
    out.flush();
  }

  private void row(String name, long total, double perSecond) {
    out.printf(
        "%-22s %12d %12s%n", name, total, perSecond < 0 ? "" : String.format("%.1f", perSecond));
  }

  private static double rate(long delta, double seconds) {
    return seconds <= 0 ? 0 : delta / seconds;
  }
}
