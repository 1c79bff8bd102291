package io.asyncrpc.api.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** A row of {@code outbox}: an event committed with its aggregate and not yet confirmed. */
@Entity
@Table(name = "outbox")
class OutboxMessage {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "aggregate_id", nullable = false, updatable = false)
  private UUID aggregateId;

  @Column(name = "event_type", nullable = false, updatable = false)
  private String eventType;

  @Column(name = "routing_key", nullable = false, updatable = false)
  private String routingKey;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, updatable = false)
  private String payload;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "last_error")
  private @Nullable String lastError;

  protected OutboxMessage() {}

  OutboxMessage(
      UUID aggregateId, String eventType, String routingKey, String payload, Instant createdAt) {
    this.aggregateId = aggregateId;
    this.eventType = eventType;
    this.routingKey = routingKey;
    this.payload = payload;
    this.createdAt = createdAt;
  }

  PendingEvent toPending() {
    return new PendingEvent(id, aggregateId, eventType, routingKey, payload);
  }
}
