package io.asyncrpc.bench.harness;

import io.asyncrpc.testsupport.BrokerManagement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The machine a run measured, so figures are read with their context.
 *
 * @param cores processors the JVM sees
 * @param memoryMiB total memory of the machine
 * @param cpu the processor model
 * @param os operating system and kernel
 * @param jdk the JDK that ran the benchmark and the services
 * @param broker broker version
 * @param database database version, and whether autovacuum runs (without it the tables only grow
 *     and the services keep the plans they made while the tables were empty)
 * @param loadBefore load averages (1, 5, 15 min) when the run started: other work on the box
 */
public record MachineFacts(
    int cores,
    long memoryMiB,
    String cpu,
    String os,
    String jdk,
    String broker,
    String database,
    String loadBefore) {

  /** Reads the facts of this machine and asks the broker and the database for their versions. */
  public static MachineFacts collect(
      BrokerManagement broker, String jdbcUrl, String user, String password)
      throws IOException, InterruptedException, SQLException {
    String database;
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT current_setting('server_version'), current_setting('autovacuum')")) {
      rs.next();
      database = "PostgreSQL " + rs.getString(1) + ", autovacuum " + rs.getString(2);
    }
    return new MachineFacts(
        Runtime.getRuntime().availableProcessors(),
        procValue("/proc/meminfo", "MemTotal:") / 1024,
        procText("/proc/cpuinfo", "model name"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version"),
        broker.version(),
        database,
        loadAverage());
  }

  /** The load averages over 1, 5 and 15 minutes, from /proc/loadavg. */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", fields[0], fields[1], fields[2]);
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static long procValue(String file, String key) {
    String text = procText(file, key);
    String digits = text.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }

  private static String procText(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(key)) {
          int colon = line.indexOf(':');
          return line.substring(colon + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
