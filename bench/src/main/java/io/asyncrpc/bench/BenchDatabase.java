package io.asyncrpc.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A schema of its own for a benchmark, in an existing PostgreSQL database: the project's tables (by
 * its own Flyway migrations) and db-scheduler's table, side by side.
 */
final class BenchDatabase implements AutoCloseable {

  static final String SCHEMA = "bench_fifo";

  private final HikariDataSource dataSource;
  private final JdbcClient jdbc;

  BenchDatabase(String jdbcUrl, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setSchema(SCHEMA);
    this.dataSource = new HikariDataSource(config);
    this.jdbc = JdbcClient.create(dataSource);
  }

  HikariDataSource dataSource() {
    return dataSource;
  }

  JdbcClient jdbc() {
    return jdbc;
  }

  /** Drops and recreates the schema with both systems' tables. */
  void recreate() {
    jdbc.sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").update();
    jdbc.sql("CREATE SCHEMA " + SCHEMA).update();
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc.sql(resource("/bench/db-scheduler-tables.sql")).update();
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static String resource(String name) {
    try (InputStream in = BenchDatabase.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
