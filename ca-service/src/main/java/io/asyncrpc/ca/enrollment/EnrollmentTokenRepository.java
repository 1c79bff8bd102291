package io.asyncrpc.ca.enrollment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code enrollment_tokens} table: only SHA-256 hashes of tokens are stored. */
@Repository
class EnrollmentTokenRepository {

  private final JdbcClient jdbc;

  EnrollmentTokenRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(String tokenHash, String deviceId, Instant expiresAt) {
    jdbc.sql("INSERT INTO enrollment_tokens (token_hash, device_id, expires_at) VALUES (?, ?, ?)")
        .params(tokenHash, deviceId, Timestamp.from(expiresAt))
        .update();
  }

  /**
   * The token, its row locked until the transaction ends, so two enrollments with the same token
   * run one after the other and the second sees it used.
   */
  Optional<StoredToken> lock(String tokenHash) {
    return jdbc.sql(
            "SELECT device_id, expires_at, used_at, expires_at <= now() AS expired"
                + " FROM enrollment_tokens WHERE token_hash = ? FOR UPDATE")
        .param(tokenHash)
        .query(
            (rs, row) ->
                new StoredToken(
                    rs.getString("device_id"),
                    rs.getTimestamp("expires_at").toInstant(),
                    rs.getTimestamp("used_at") != null,
                    rs.getBoolean("expired")))
        .optional();
  }

  void markUsed(String tokenHash) {
    jdbc.sql("UPDATE enrollment_tokens SET used_at = now() WHERE token_hash = ?")
        .param(tokenHash)
        .update();
  }

  /**
   * A stored token.
   *
   * @param deviceId the device it enrolls
   * @param expiresAt end of validity
   * @param used whether it was used
   * @param expired whether it expired (by the database's clock, like every other time here)
   */
  record StoredToken(String deviceId, Instant expiresAt, boolean used, boolean expired) {}
}
