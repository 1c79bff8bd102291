package io.asyncrpc.api.task;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the measuring harnesses read: CPU time and PostgreSQL's WAL and commit counters. */
final class Harness {

  private Harness() {}

  /** {@code -Dharness.properties=name=value,...}: overrides of the service's settings. */
  static Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String pair : System.getProperty("harness.properties", "").split(",")) {
      if (pair.contains("=")) {
        overrides.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    return overrides;
  }

  /**
   * PostgreSQL's counters: WAL bytes and syncs of the whole server, commits of this database (other
   * users of the same server count too).
   */
  record Counters(long walBytes, long walSyncs, long commits) {

    static Counters read(JdbcClient jdbc) {
      return jdbc.sql(
              "SELECT w.wal_bytes::bigint, w.wal_sync, d.xact_commit FROM pg_stat_wal w,"
                  + " pg_stat_database d WHERE d.datname = current_database()")
          .query((rs, n) -> new Counters(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
          .single();
    }
  }

  /** CPU time of this JVM so far, in nanoseconds. */
  static long jvmCpu() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of every PostgreSQL process so far, in nanoseconds, from /proc (other users of the
   * same server count too; the figure is a bound, not an exact share).
   */
  static long postgresCpu() {
    long ticks = 0;
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : dirs.toList()) {
        if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(dir.resolve("stat"));
          int close = stat.lastIndexOf(')');
          if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
            continue;
          }
          String[] fields = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
          // The process ended meanwhile.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  /**
   * Deletes what a harness run left in the shared test database: the tenant's devices, tasks and
   * their events, and outbox rows the run left behind (left for the relay they would be published
   * long after the run, to whichever test's service relays next).
   */
  static void cleanUp(JdbcClient jdbc, String tenant) {
    jdbc.sql(
            "DELETE FROM outbox o USING tasks t WHERE t.id = o.aggregate_id AND t.tenant = :tenant")
        .param("tenant", tenant)
        .update();
    jdbc.sql(
            "DELETE FROM task_events e USING tasks t WHERE t.id = e.task_id AND t.tenant = :tenant")
        .param("tenant", tenant)
        .update();
    jdbc.sql("DELETE FROM tasks WHERE tenant = :tenant").param("tenant", tenant).update();
    jdbc.sql("DELETE FROM devices WHERE tenant = :tenant").param("tenant", tenant).update();
  }
}
