package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

/** Tests for {@link DatabaseFailures}. */
class DatabaseFailuresTests {

  @Test
  void aLostConnectionAnywhereInTheCausesIsRecognised() {
    assertThat(DatabaseFailures.isConnectionLoss(new SQLTransientConnectionException("pool")))
        .isTrue();
    assertThat(
            DatabaseFailures.isConnectionLoss(
                new RuntimeException(new SQLException("I/O error", "08006"))))
        .isTrue();
    assertThat(DatabaseFailures.isConnectionLoss(new SQLException("shutting down", "57P01")))
        .isTrue();
    // What a rollback on a connection the pool closed looks like.
    assertThat(
            DatabaseFailures.isConnectionLoss(
                new TransactionSystemException(
                    "Unable to rollback",
                    new RuntimeException(new SQLException("Connection is closed")))))
        .isTrue();
  }

  @Test
  void hibernatesConnectionFailureIsRecognisedWhereHibernateIs() {
    assertThat(
            DatabaseFailures.isConnectionLoss(
                new RuntimeException(
                    new JDBCConnectionException("could not execute", new SQLException("gone")))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(DatabaseFailures.isConnectionLoss(new IllegalStateException("bug"))).isFalse();
    assertThat(DatabaseFailures.isConnectionLoss(new SQLException("duplicate key", "23505")))
        .isFalse();
    assertThat(DatabaseFailures.isConnectionLoss(new SQLException("no state"))).isFalse();
  }
}
