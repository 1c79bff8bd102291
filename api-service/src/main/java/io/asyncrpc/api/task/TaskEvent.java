package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A row of {@code task_events}: one transition of one task. */
@Entity
@Table(name = "task_events")
class TaskEvent {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id; // assigned by the database on insert

  @Column(name = "task_id", nullable = false, updatable = false)
  private UUID taskId;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_status", updatable = false)
  private @Nullable TaskStatus fromStatus;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_status", nullable = false, updatable = false)
  private TaskStatus toStatus;

  @Column(nullable = false, updatable = false)
  private String cause;

  @Column(nullable = false, updatable = false)
  private int attempt;

  @Column(nullable = false, updatable = false)
  private String actor;

  @Column(updatable = false)
  private @Nullable String detail;

  @Column(nullable = false, updatable = false)
  private Instant at;

  protected TaskEvent() {}

  TaskEvent(
      UUID taskId,
      TaskTransition transition,
      int attempt,
      String actor,
      @Nullable String detail,
      Instant at) {
    this.taskId = taskId;
    this.fromStatus = transition.from();
    this.toStatus = transition.to();
    this.cause = transition.cause().name();
    this.attempt = attempt;
    this.actor = actor;
    this.detail = detail;
    this.at = at;
  }

  TaskEventView toView() {
    return new TaskEventView(fromStatus, toStatus, cause, attempt, actor, detail, at);
  }
}
