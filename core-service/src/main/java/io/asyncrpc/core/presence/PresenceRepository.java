package io.asyncrpc.core.presence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Presence columns of the device registry; unregistered ids change nothing. */
@Repository
class PresenceRepository {

  // Events of one device may be consumed out of order (several consumers, several cores): a
  // connection older than the one recorded never overwrites it.
  private static final String CONNECTED =
      """
      UPDATE devices
         SET online = true, connected_at = :connectedAt,
             last_seen_at = GREATEST(last_seen_at, :connectedAt)
       WHERE id = :id AND (connected_at IS NULL OR connected_at <= :connectedAt)
      """;

  private static final String DISCONNECTED =
      """
      UPDATE devices
         SET online = false, last_seen_at = GREATEST(last_seen_at, :at)
       WHERE id = :id AND (connected_at IS NULL OR connected_at <= :connectedAt)
      """;

  private static final String SEEN =
      "UPDATE devices SET last_seen_at = GREATEST(last_seen_at, now()) WHERE id = :id";

  private static final String SEEN_ALL =
      """
      UPDATE devices d SET last_seen_at = GREATEST(d.last_seen_at, s.at)
        FROM unnest(:ids, :ats) AS s (id, at)
       WHERE d.id = s.id
      """;

  // Written only when the declaration changes, so the steady state costs no write.
  private static final String DECLARE =
      """
      UPDATE devices SET protocol_version = :version, protocol_declared_at = now()
       WHERE id = :id AND protocol_version <> :version
      """;

  private final JdbcClient jdbc;

  PresenceRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  boolean connected(String device, Instant connectedAt) {
    return jdbc.sql(CONNECTED).param("id", device).param("connectedAt", utc(connectedAt)).update()
        > 0;
  }

  boolean disconnected(String device, @Nullable Instant connectedAt, Instant at) {
    return jdbc.sql(DISCONNECTED)
            .param("id", device)
            .param("connectedAt", utc(connectedAt == null ? at : connectedAt))
            .param("at", utc(at))
            .update()
        > 0;
  }

  /** Records that the device was heard from; false when it is not registered. */
  boolean seen(String device) {
    return jdbc.sql(SEEN).param("id", device).update() > 0;
  }

  /**
   * Records when each device was last heard from (never moving {@code last_seen_at} back); the
   * number of registered devices among them.
   */
  int seenAll(List<Map.Entry<String, Instant>> heard) {
    return jdbc.sql(SEEN_ALL)
        .param("ids", new SqlArrayValue("text", heard.stream().map(Map.Entry::getKey).toArray()))
        .param(
            "ats",
            new SqlArrayValue("timestamptz", heard.stream().map(e -> utc(e.getValue())).toArray()))
        .update();
  }

  /** Records the protocol version the device declared; true when the registry changed. */
  boolean declare(String device, int version) {
    return jdbc.sql(DECLARE).param("id", device).param("version", version).update() > 0;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
