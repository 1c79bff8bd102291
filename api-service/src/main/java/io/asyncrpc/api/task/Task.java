package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code tasks}. The api-service inserts tasks and cancels them; every other change is
 * core-service's, so this entity has no setters beyond creation.
 */
@Entity
@Table(name = "tasks")
class Task {

  @Id private UUID id;

  @Column(name = "device_id", nullable = false, updatable = false)
  private String deviceId;

  @Column(name = "client_id", nullable = false, updatable = false)
  private String clientId;

  @Column(nullable = false, updatable = false)
  private String tenant;

  @Column(name = "method_code", nullable = false, updatable = false)
  private String methodCode;

  @Column(nullable = false, updatable = false)
  private short priority;

  /** JSON text; the JSON JDBC type writes it as jsonb as it is (no second encoding). */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, updatable = false)
  private String payload;

  @Column(name = "external_id", updatable = false)
  private @Nullable String externalId;

  @Column(name = "idempotency_key", updatable = false)
  private @Nullable String idempotencyKey;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private TaskStatus status;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "deadline_at", nullable = false, updatable = false)
  private Instant deadlineAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "acknowledged_at")
  private @Nullable Instant acknowledgedAt;

  @Column(name = "locked_at")
  private @Nullable Instant lockedAt;

  @Column(name = "lease_expires_at")
  private @Nullable Instant leaseExpiresAt;

  @Column(name = "finished_at")
  private @Nullable Instant finishedAt;

  @Column(name = "status_code")
  private @Nullable Integer statusCode;

  @JdbcTypeCode(SqlTypes.JSON)
  private @Nullable String result;

  @Column(name = "result_id")
  private @Nullable UUID resultId;

  protected Task() {}

  Task(
      UUID id,
      String deviceId,
      String clientId,
      String tenant,
      String methodCode,
      int priority,
      String payload,
      @Nullable String externalId,
      @Nullable String idempotencyKey,
      Instant createdAt,
      Instant deadlineAt) {
    this.id = id;
    this.deviceId = deviceId;
    this.clientId = clientId;
    this.tenant = tenant;
    this.methodCode = methodCode;
    this.priority = (short) priority;
    this.payload = payload;
    this.externalId = externalId;
    this.idempotencyKey = idempotencyKey;
    this.status = TaskStatus.QUEUED;
    this.attempts = 0;
    this.createdAt = createdAt;
    this.deadlineAt = deadlineAt;
    this.updatedAt = createdAt;
  }

  UUID id() {
    return id;
  }

  String deviceId() {
    return deviceId;
  }

  String methodCode() {
    return methodCode;
  }

  int priority() {
    return priority;
  }

  String payload() {
    return payload;
  }

  @Nullable String externalId() {
    return externalId;
  }

  TaskStatus status() {
    return status;
  }

  int attempts() {
    return attempts;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant deadlineAt() {
    return deadlineAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }

  @Nullable Instant acknowledgedAt() {
    return acknowledgedAt;
  }

  @Nullable Instant lockedAt() {
    return lockedAt;
  }

  @Nullable Instant leaseExpiresAt() {
    return leaseExpiresAt;
  }

  @Nullable Instant finishedAt() {
    return finishedAt;
  }

  @Nullable Integer statusCode() {
    return statusCode;
  }

  @Nullable String result() {
    return result;
  }

  @Nullable UUID resultId() {
    return resultId;
  }
}
