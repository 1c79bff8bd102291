package io.asyncrpc.api.device;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.ColumnTransformer;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Persistable;

/** A registered device; its presence columns are maintained by core-service. */
@Entity
@Table(name = "devices")
class Device implements Persistable<String> {

  @Id private String id;

  @Column(nullable = false, updatable = false)
  private String tenant;

  @Column(name = "display_name")
  private @Nullable String displayName;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(nullable = false)
  private boolean online;

  @Column(name = "connected_at")
  private @Nullable Instant connectedAt;

  @Column(name = "last_seen_at")
  private @Nullable Instant lastSeenAt;

  // Written by core-service from the device's own declaration; read-only here.
  @Column(name = "protocol_version", insertable = false, updatable = false)
  private short protocolVersion = 1;

  @Column(name = "protocol_declared_at", insertable = false, updatable = false)
  private @Nullable Instant protocolDeclaredAt;

  // jsonb in the table, its text here: DeviceRegistry reads and writes it with the API's JSON.
  @Column(name = "tags", nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(read = "tags::text", write = "CAST(? AS jsonb)")
  private String tagsJson = "{}";

  @Transient private boolean isNew;

  protected Device() {}

  Device(
      String id, String tenant, @Nullable String displayName, String tagsJson, Instant createdAt) {
    this.id = id;
    this.tenant = tenant;
    this.displayName = displayName;
    this.tagsJson = tagsJson;
    this.createdAt = createdAt;
    this.isNew = true;
  }

  String tagsJson() {
    return tagsJson;
  }

  void rename(@Nullable String displayName) {
    this.displayName = displayName;
  }

  void retag(String tagsJson) {
    this.tagsJson = tagsJson;
  }

  @Override
  public String getId() {
    return id;
  }

  /** A new device is inserted, never merged: a duplicate id must fail, not overwrite. */
  @Override
  public boolean isNew() {
    return isNew;
  }

  DeviceView toView(Map<String, String> tags) {
    return new DeviceView(
        id,
        displayName,
        tags,
        createdAt,
        online,
        connectedAt,
        lastSeenAt,
        protocolVersion,
        protocolDeclaredAt);
  }
}
