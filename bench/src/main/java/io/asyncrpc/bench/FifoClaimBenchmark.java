package io.asyncrpc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Claims per second of the core's per-device FIFO against db-scheduler's claim, on the same
 * PostgreSQL, with the same row count and the same number of concurrent consumers. Rounds alternate
 * between the systems so that drift of the machine touches both alike; the median round is
 * reported.
 */
public final class FifoClaimBenchmark {

  /**
   * What to run.
   *
   * @param jdbcUrl the PostgreSQL database to create the benchmark schema in
   * @param user its user
   * @param password its password
   * @param rows rows loaded before each round
   * @param tasksPerDevice rows per device in the FIFO system
   * @param concurrency concurrent consumers (and pooled connections)
   * @param rounds measured rounds per system, after one warm-up round each
   */
  public record Settings(
      String jdbcUrl,
      String user,
      String password,
      int rows,
      int tasksPerDevice,
      int concurrency,
      int rounds) {}

  /**
   * One system's figures.
   *
   * @param system its name
   * @param claimsPerSecond rows claimed per second in each measured round
   * @param median the median of those
   */
  public record Measurement(String system, double[] claimsPerSecond, double median) {}

  /**
   * The figures of a run.
   *
   * @param settings what ran
   * @param measurements one per system, the core's first
   * @param ratio the core's median over db-scheduler's (claim of one row each)
   */
  public record Report(Settings settings, List<Measurement> measurements, double ratio) {}

  private FifoClaimBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings =
        new Settings(
            property("bench.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/iotcore_test"),
            property("bench.user", "iotcore"),
            property("bench.password", "iotcore"),
            Integer.parseInt(property("bench.rows", "20000")),
            Integer.parseInt(property("bench.tasks-per-device", "20")),
            Integer.parseInt(property("bench.concurrency", "8")),
            Integer.parseInt(property("bench.rounds", "5")));
    Report report = run(settings);
    System.out.print(text(report));
    Path out = Path.of(property("bench.out", "target/bench/fifo-claim.json"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json(report));
    System.out.println("written: " + out);
  }

  /** Runs the benchmark; every round checks that each loaded row was claimed exactly once. */
  public static Report run(Settings settings) throws Exception {
    try (BenchDatabase db =
        new BenchDatabase(
            settings.jdbcUrl(), settings.user(), settings.password(), settings.concurrency())) {
      db.recreate();
      List<ClaimSystem> systems =
          List.of(
              new FifoClaimSystem(db.jdbc(), settings.tasksPerDevice()),
              new DbSchedulerClaimSystem(db.dataSource(), db.jdbc(), 1),
              new DbSchedulerClaimSystem(db.dataSource(), db.jdbc(), 10));
      Map<ClaimSystem, double[]> rates = new LinkedHashMap<>();
      systems.forEach(s -> rates.put(s, new double[settings.rounds()]));
      for (ClaimSystem system : systems) {
        round(system, Math.max(100, settings.rows() / 5), settings.concurrency());
      }
      for (int r = 0; r < settings.rounds(); r++) {
        for (ClaimSystem system : systems) {
          double[] values =
              Objects.requireNonNull(rates.get(system), "every system has its rates array");
          values[r] = round(system, settings.rows(), settings.concurrency());
        }
      }
      List<Measurement> measurements = new ArrayList<>();
      rates.forEach((system, values) -> measurements.add(measurement(system.name(), values)));
      double ratio = measurements.get(0).median() / measurements.get(1).median();
      return new Report(settings, measurements, ratio);
    }
  }

  /** Loads rows, claims them all with {@code concurrency} consumers, returns claims per second. */
  private static double round(ClaimSystem system, int rows, int concurrency) throws Exception {
    system.load(rows);
    try (ExecutorService consumers = Executors.newFixedThreadPool(concurrency)) {
      List<Future<Long>> claimed = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < concurrency; c++) {
        int consumer = c;
        claimed.add(
            consumers.submit(
                () -> {
                  long count = 0;
                  for (int n = system.claim(consumer); n > 0; n = system.claim(consumer)) {
                    count += n;
                  }
                  return count;
                }));
      }
      long total = 0;
      for (Future<Long> f : claimed) {
        total += f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long inTable = system.claimedRows();
      if (total != rows || inTable != rows) {
        throw new IllegalStateException(
            system.name() + " claimed " + total + " (table says " + inTable + ") of " + rows);
      }
      return rows / seconds;
    }
  }

  private static Measurement measurement(String name, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Measurement(name, values, sorted[sorted.length / 2]);
  }

  public static String text(Report report) {
    Settings s = report.settings();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "FIFO claim benchmark: %d rows, %d consumers, %d rounds (median), core: %d rows per"
                + " device%n",
            s.rows(),
            s.concurrency(),
            s.rounds(),
            s.tasksPerDevice()));
    for (Measurement m : report.measurements()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-32s %10.0f claims/s  rounds %s%n",
              m.system(),
              m.median(),
              Arrays.toString(
                  Arrays.stream(m.claimsPerSecond()).mapToLong(Math::round).toArray())));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  ratio core / db-scheduler (one row per claim): %.2f%n",
            report.ratio()));
    return out.toString();
  }

  public static String json(Report report) {
    Settings s = report.settings();
    StringBuilder out = new StringBuilder("{\n");
    out.append(
        String.format(
            Locale.ROOT,
            "  \"rows\": %d,\n  \"tasks_per_device\": %d,\n  \"concurrency\": %d,\n"
                + "  \"rounds\": %d,\n  \"ratio\": %.3f,\n  \"systems\": [\n",
            s.rows(),
            s.tasksPerDevice(),
            s.concurrency(),
            s.rounds(),
            report.ratio()));
    List<Measurement> ms = report.measurements();
    for (int i = 0; i < ms.size(); i++) {
      Measurement m = ms.get(i);
      out.append(
          String.format(
              Locale.ROOT,
              "    {\"system\": \"%s\", \"median_claims_per_second\": %.1f, \"rounds\": %s}%s\n",
              m.system(),
              m.median(),
              Arrays.toString(Arrays.stream(m.claimsPerSecond()).mapToLong(Math::round).toArray()),
              i + 1 < ms.size() ? "," : ""));
    }
    return out.append("  ]\n}\n").toString();
  }

  private static String property(String name, String fallback) {
    return System.getProperty(name, fallback);
  }
}
