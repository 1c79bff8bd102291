package io.asyncrpc.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/** Recognises a lost or unobtainable database connection in an exception's causes. */
final class DatabaseFailures {

  /** SQLSTATE class 08: connection exception. */
  private static final String CONNECTION_EXCEPTION = "08";

  /** SQLSTATE 57P01..57P03: the server shuts down or is starting. */
  private static final String SERVER_GOING_DOWN = "57P0";

  /**
   * What HikariCP throws, without SQLSTATE, when a statement or a rollback runs on a connection the
   * pool closed after it broke; it then hides the original I/O error.
   */
  private static final String POOL_CLOSED_CONNECTION = "Connection is closed";

  /**
   * Hibernate's own connection failure, which JPA does not translate on every path; looked up by
   * name because only services with JPA have Hibernate.
   */
  private static final @Nullable Class<?> HIBERNATE_CONNECTION_EXCEPTION =
      optionalClass("org.hibernate.exception.JDBCConnectionException");

  private DatabaseFailures() {}

  static boolean isConnectionLoss(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || (HIBERNATE_CONNECTION_EXCEPTION != null
              && HIBERNATE_CONNECTION_EXCEPTION.isInstance(t))) {
        return true;
      }
      if (t instanceof SQLException sql && isConnectionLoss(sql)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static boolean isConnectionLoss(SQLException sql) {
    String state = sql.getSQLState();
    if (state == null) {
      return POOL_CLOSED_CONNECTION.equals(sql.getMessage());
    }
    return state.startsWith(CONNECTION_EXCEPTION) || state.startsWith(SERVER_GOING_DOWN);
  }

  private static @Nullable Class<?> optionalClass(String name) {
    ClassLoader loader = DatabaseFailures.class.getClassLoader();
    return ClassUtils.isPresent(name, loader) ? ClassUtils.resolveClassName(name, loader) : null;
  }
}
