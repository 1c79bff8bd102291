package io.asyncrpc.bench.api;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.SystemProcesses;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The database's own limit for what the API does, measured with {@code pgbench} on the same
 * database with as many clients: one-row inserts into a table shaped like {@code tasks} (its
 * columns, defaults, constraints and indexes, without the device foreign key), and reads of one
 * task by primary key from a copy of the very tasks the API's status reads were served from. Each
 * transaction is one statement, prepared, as the services' JDBC driver runs them.
 */
public final class PgBench {

  static final String SCHEMA = "bench_pgbench";

  /** What pgbench runs. */
  public enum Script {
    /** One {@code INSERT} of a task-shaped row per transaction. */
    INSERT,
    /** One {@code SELECT} of a task by primary key per transaction. */
    SELECT_BY_KEY
  }

  /**
   * What to run.
   *
   * @param jdbcUrl the database, {@code jdbc:postgresql://host:port/name}
   * @param user its user
   * @param password its password
   * @param clients pgbench's clients ({@code -c})
   * @param threads pgbench's worker threads ({@code -j})
   * @param warmUp an unmeasured run first
   * @param measure the measured run ({@code -T})
   * @param postmaster PostgreSQL's postmaster, for the CPU figures
   * @param workDir where the scripts are written
   */
  public record Settings(
      String jdbcUrl,
      String user,
      String password,
      int clients,
      int threads,
      Duration warmUp,
      Duration measure,
      long postmaster,
      Path workDir) {}

  /**
   * The figures of one script.
   *
   * @param script what ran
   * @param statement the statement of each transaction
   * @param clients pgbench's clients
   * @param rows rows in the table read from (0 for inserts)
   * @param transactionsPerSecond pgbench's tps (without connection time)
   * @param latencyAverageMs pgbench's average latency
   * @param failed transactions pgbench counted as failed
   * @param cpu PostgreSQL's CPU over the measured run, per transaction
   */
  public record Result(
      Script script,
      String statement,
      int clients,
      long rows,
      double transactionsPerSecond,
      double latencyAverageMs,
      long failed,
      CpuUsage cpu) {}

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");
  private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: ([0-9]+)");

  private static final String INSERT =
      "INSERT INTO "
          + SCHEMA
          + ".tasks (id, device_id, client_id, method_code, priority, payload, status, attempts,"
          + " created_at, deadline_at, updated_at, tenant) VALUES (gen_random_uuid(),"
          + " 'bench-pgbench-' || :client_id, 'bench', 'bench.accept', 0, '{\"n\":1}', 'QUEUED',"
          + " 0, now(), now() + interval '60 seconds', now(), 'bench');";
  private static final String SELECT =
      "SELECT * FROM "
          + SCHEMA
          + ".task_reads WHERE id = md5(:n::text)::uuid AND tenant = 'bench';";

  private final Settings settings;

  public PgBench(Settings settings) {
    this.settings = settings;
  }

  /** The table pgbench inserts into: empty, shaped like {@code tasks}. */
  public void prepareInserts() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      s.execute("DROP TABLE IF EXISTS " + SCHEMA + ".tasks");
      s.execute("CREATE TABLE " + SCHEMA + ".tasks (LIKE public.tasks INCLUDING ALL)");
    }
  }

  /**
   * The table pgbench reads from: a copy of {@code tasks} (the rows of {@code ids}) whose keys are
   * {@code md5(n)} for n = 1 … rows, so pgbench can name a random one.
   *
   * @return the rows copied
   */
  public long prepareReads(List<UUID> ids) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      s.execute("DROP TABLE IF EXISTS " + SCHEMA + ".task_reads");
      s.execute("CREATE TABLE " + SCHEMA + ".task_reads (LIKE public.tasks INCLUDING ALL)");
      long rows;
      try (PreparedStatement copy =
          c.prepareStatement(
              "INSERT INTO "
                  + SCHEMA
                  + ".task_reads SELECT * FROM public.tasks WHERE id = ANY(?)")) {
        Array array = c.createArrayOf("uuid", ids.toArray());
        copy.setArray(1, array);
        rows = copy.executeUpdate();
      }
      s.execute(
          "UPDATE "
              + SCHEMA
              + ".task_reads r SET id = md5(n.rn::text)::uuid FROM (SELECT id, row_number() OVER"
              + " (ORDER BY id) AS rn FROM "
              + SCHEMA
              + ".task_reads) n WHERE r.id = n.id");
      s.execute("VACUUM ANALYZE " + SCHEMA + ".task_reads");
      return rows;
    }
  }

  /** Drops pgbench's tables. */
  public void cleanUp() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  /** Runs {@code script} (after a warm-up run) and reads pgbench's summary. */
  public Result run(Script script, long rows) throws Exception {
    String statement = script == Script.INSERT ? INSERT : SELECT;
    String text =
        script == Script.INSERT ? statement : "\\set n random(1, " + rows + ")\n" + statement;
    Files.createDirectories(settings.workDir());
    Path file = settings.workDir().resolve("pgbench-" + script.name().toLowerCase() + ".sql");
    Files.writeString(file, text + "\n");
    if (!settings.warmUp().isZero()) {
      pgbench(file, settings.warmUp(), null);
    }
    CpuMeter meter =
        new CpuMeter(
            settings.postmaster() > 0
                ? List.of(
                    new CpuMeter.Measured(
                        SystemProcesses.POSTGRESQL, settings.postmaster(), true, true))
                : List.of());
    Run run = pgbench(file, settings.measure(), meter);
    return new Result(
        script,
        statement,
        settings.clients(),
        script == Script.INSERT ? 0 : rows,
        Math.round(number(TPS, run.output, -1) * 10) / 10.0,
        number(LATENCY, run.output, 0),
        (long) number(FAILED, run.output, 0),
        Objects.requireNonNull(run.cpu, "a run with a meter measures its CPU"));
  }

  private record Run(String output, @Nullable CpuUsage cpu) {}

  /** Runs pgbench for {@code length}; {@code meter} is null for a warm-up, which measures none. */
  private Run pgbench(Path script, Duration length, @Nullable CpuMeter meter) throws Exception {
    URI uri = URI.create(settings.jdbcUrl().substring("jdbc:".length()));
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "pgbench",
            "-n",
            "-M",
            "prepared",
            "-c",
            Integer.toString(settings.clients()),
            "-j",
            Integer.toString(Math.min(settings.threads(), settings.clients())),
            "-T",
            Long.toString(Math.max(1, length.toSeconds())),
            "-f",
            script.toString(),
            "-h",
            uri.getHost(),
            "-p",
            Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
            "-U",
            settings.user(),
            uri.getPath().substring(1)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", settings.password());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("pgbench cannot run (Debian: postgresql-contrib): " + e, e);
    }
    // pgbench's own CPU is not read: the JVM reaps it as it ends, before a last reading.
    CpuMeter.Sample start = meter == null ? null : meter.sample();
    // pgbench's output is small; read it to the end, then wait.
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(length.toSeconds() + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("pgbench did not end");
    }
    // pgbench's backends end as it does; read once the postmaster has reaped them, or a reading
    // in the middle of that would find their time in neither place.
    Thread.sleep(1_000);
    CpuMeter.Sample end = meter == null ? null : meter.sample();
    String output = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0 || !TPS.matcher(output).find()) {
      throw new IllegalStateException(
          "pgbench failed (exit " + process.exitValue() + "): " + tail(output));
    }
    long units = Math.round(number(TPS, output, 0) * length.toSeconds());
    return new Run(
        output,
        meter == null || start == null || end == null ? null : meter.between(start, end, units));
  }

  /**
   * A connection, retried a few times: on a box shared with test runs PostgreSQL's connection slots
   * are sometimes all taken for a moment.
   */
  private Connection connect() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return DriverManager.getConnection(
            settings.jdbcUrl(), settings.user(), settings.password());
      } catch (SQLException e) {
        if (attempt == 3 || !"53300".equals(e.getSQLState())) {
          throw e;
        }
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static double number(Pattern pattern, String text, double fallback) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : fallback;
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() > 600 ? t.substring(t.length() - 600) : t;
  }
}
