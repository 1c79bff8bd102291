package io.asyncrpc.bench.harness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The planner statistics of the benchmark's database, brought up to date. Each run starts on a
 * recreated database, so the services make their first plans while the tables are empty, and keep a
 * cached plan until the table's statistics change: a read of tasks by id planned as a scan of the
 * then empty table stays one as the table grows. Autovacuum analyzes a growing table within its
 * naptime (a minute); a warm-up can be shorter, so the benchmark analyzes once after it, which is
 * what a system that has been running has.
 *
 * @param jdbcUrl the benchmark's database
 * @param user its user
 * @param password the user's password
 */
public record TableStatistics(String jdbcUrl, String user, String password) {

  /** {@code ANALYZE} of every table of the database. */
  public void refresh() throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute("ANALYZE");
    }
  }
}
