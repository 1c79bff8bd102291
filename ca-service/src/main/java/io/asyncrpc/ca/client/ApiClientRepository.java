package io.asyncrpc.ca.client;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_clients} table. */
@Repository
class ApiClientRepository {

  private final JdbcClient jdbc;

  ApiClientRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<ApiClient> find(String id) {
    return jdbc.sql(
            "SELECT id, tenant, secret_hash, scopes, created_at, disabled_at"
                + " FROM api_clients WHERE id = ?")
        .param(id)
        .query(ApiClientRepository::map)
        .optional();
  }

  /** Inserts the client; false when the id is taken. */
  boolean insert(String id, String tenant, String secretHash, List<String> scopes) {
    return jdbc.sql(
                "INSERT INTO api_clients (id, tenant, secret_hash, scopes)"
                    + " VALUES (?, ?, ?, ?::text[]) ON CONFLICT (id) DO NOTHING")
            .params(id, tenant, secretHash, textArray(scopes))
            .update()
        == 1;
  }

  void reset(String id, String tenant, String secretHash, List<String> scopes) {
    jdbc.sql(
            "UPDATE api_clients SET tenant = ?, secret_hash = ?, scopes = ?::text[],"
                + " disabled_at = NULL WHERE id = ?")
        .params(tenant, secretHash, textArray(scopes), id)
        .update();
  }

  /** A PostgreSQL array literal; scope names are plain tokens, checked before they get here. */
  private static String textArray(List<String> values) {
    return "{" + String.join(",", values) + "}";
  }

  private static ApiClient map(ResultSet rs, int row) throws SQLException {
    Array scopes = rs.getArray("scopes");
    Timestamp disabled = rs.getTimestamp("disabled_at");
    return new ApiClient(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("secret_hash"),
        Arrays.asList((String[]) scopes.getArray()),
        rs.getTimestamp("created_at").toInstant(),
        disabled == null ? null : disabled.toInstant());
  }
}
