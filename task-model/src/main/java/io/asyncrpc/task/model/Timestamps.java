package io.asyncrpc.task.model;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The schema's {@code timestamptz} columns as read from JDBC rows. */
public final class Timestamps {

  private Timestamps() {}

  /** A column declared {@code NOT NULL}. */
  public static Instant required(ResultSet rs, String column) throws SQLException {
    return Objects.requireNonNull(nullable(rs, column), () -> column + " is NOT NULL");
  }

  /** A column that may be null. */
  public static @Nullable Instant nullable(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
