package io.asyncrpc.api.task;

import io.asyncrpc.api.device.DeviceNotRegisteredException;
import io.asyncrpc.api.device.DeviceRegistry;
import io.asyncrpc.api.outbox.Outbox;
import io.asyncrpc.api.security.Caller;
import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCreated;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.web.logging.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api-service's side of the task lifecycle: creation (with its first event and its outbox
 * event, in one transaction) and cancellation. Every other transition belongs to core-service.
 */
@Service
public class TaskManagement {

  private static final Logger log = LoggerFactory.getLogger(TaskManagement.class);

  /** The actor recorded in task events written by this service. */
  static final String ACTOR = "api";

  private static final String IDEMPOTENCY_INDEX = "tasks_idempotency";
  private static final String DEVICE_FOREIGN_KEY = "tasks_device_id_fkey";

  private final TaskRepository tasks;
  private final TaskEventRepository events;
  private final TaskSearch search;
  private final DeviceRegistry devices;
  private final Outbox outbox;
  private final CurrentCaller caller;
  private final EntityManager entityManager;
  private final TransactionTemplate transactions;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final TransitionCounter transitions;
  private final Counter created;
  private final Counter replayed;
  private final Counter cancelled;

  TaskManagement(
      TaskRepository tasks,
      TaskEventRepository events,
      TaskSearch search,
      DeviceRegistry devices,
      Outbox outbox,
      CurrentCaller caller,
      EntityManager entityManager,
      TransactionTemplate transactions,
      JdbcClient jdbc,
      JsonMapper json,
      TransitionCounter transitions,
      MeterRegistry meters) {
    this.tasks = tasks;
    this.events = events;
    this.search = search;
    this.devices = devices;
    this.outbox = outbox;
    this.caller = caller;
    this.entityManager = entityManager;
    this.transactions = transactions;
    this.jdbc = jdbc;
    this.json = json;
    this.transitions = transitions;
    this.created = meters.counter("iot.api.tasks.created");
    this.replayed = meters.counter("iot.api.tasks.replayed");
    this.cancelled = meters.counter("iot.api.tasks.cancelled");
  }

  /**
   * Creates a task, or returns the one an earlier request with the same idempotency key created.
   * The task is committed when this returns; its {@link TaskCreated} event is published after the
   * commit (and relayed later if that fails). While the broker blocks publishing (a resource alarm)
   * no new task is written and the answer is a {@code 503}.
   */
  CreatedTask create(NewTask task, @Nullable String idempotencyKey) {
    Caller who = caller.get();
    if (idempotencyKey != null) {
      Optional<CreatedTask> earlier = replay(who, idempotencyKey, task);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    // Before anything is written: a task accepted now could not be announced until the alarm ends.
    outbox.checkAccepting();
    try {
      TaskView view =
          Objects.requireNonNull(transactions.execute(status -> insert(task, who, idempotencyKey)));
      created.increment();
      LogContext.task(view.id());
      log.debug(
          "Created task {} ({}) for device {}", view.id(), view.methodCode(), view.deviceId());
      return new CreatedTask(view, false);
    } catch (DataIntegrityViolationException | PersistenceException e) {
      String constraint = constraintName(e);
      if (idempotencyKey != null && IDEMPOTENCY_INDEX.equals(constraint)) {
        // A concurrent request with the same key won the race; answer with its task.
        return replay(who, idempotencyKey, task).orElseThrow(() -> e);
      }
      if (DEVICE_FOREIGN_KEY.equals(constraint)) {
        throw new DeviceNotRegisteredException(task.deviceId());
      }
      throw e;
    }
  }

  private TaskView insert(NewTask task, Caller who, @Nullable String idempotencyKey) {
    LogContext.device(task.deviceId());
    // Another tenant's device is answered exactly like an unknown one: no way to probe ids.
    if (!devices.isRegistered(task.deviceId(), who.tenant())) {
      throw new DeviceNotRegisteredException(task.deviceId());
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Task row =
        new Task(
            UUID.randomUUID(),
            task.deviceId(),
            who.clientId(),
            who.tenant(),
            task.methodCode(),
            task.priority(),
            task.payloadJson(),
            task.externalId(),
            idempotencyKey,
            now,
            now.plusSeconds(task.ttl()));
    entityManager.persist(row);
    entityManager.flush();
    // Read back what PostgreSQL stored (jsonb normalises the payload), so the first answer and
    // every later read or idempotent replay show the same document.
    entityManager.refresh(row);
    events.save(
        new TaskEvent(
            row.id(),
            new TaskTransition(null, TaskStatus.QUEUED, Cause.CREATED),
            0,
            ACTOR,
            null,
            now));
    transitions.afterCommit(null, TaskStatus.QUEUED);
    outbox.append(
        row.id(),
        TaskCreated.class.getSimpleName(),
        NorthboundTopology.TASK_CREATED_KEY,
        new TaskCreated(
            row.id(), row.deviceId(), row.methodCode(), row.priority(), row.deadlineAt()));
    return view(row);
  }

  private Optional<CreatedTask> replay(Caller who, String idempotencyKey, NewTask request) {
    return transactions.execute(
        status ->
            tasks
                .findByClientIdAndTenantAndIdempotencyKey(
                    who.clientId(), who.tenant(), idempotencyKey)
                .map(
                    existing -> {
                      if (!request.matches(existing, json)) {
                        throw new IdempotencyKeyReusedException(idempotencyKey);
                      }
                      replayed.increment();
                      return new CreatedTask(view(existing), true);
                    }));
  }

  @Transactional(readOnly = true)
  Optional<TaskView> find(UUID id) {
    return tasks.findByIdAndTenant(id, caller.get().tenant()).map(this::view);
  }

  @Transactional(readOnly = true)
  PageView<TaskView> page(
      @Nullable String deviceId,
      @Nullable TaskStatus status,
      @Nullable String externalId,
      @Nullable TaskCursor cursor,
      int limit) {
    List<Task> rows =
        search.page(
            caller.get().tenant(),
            deviceId,
            status,
            externalId,
            cursor == null ? null : cursor.createdAt(),
            cursor == null ? null : cursor.id(),
            limit + 1);
    List<TaskView> items = rows.stream().limit(limit).map(this::view).toList();
    String next = null;
    if (rows.size() > limit) {
      TaskView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id().toString()).encode();
    }
    return new PageView<>(items, next);
  }

  /**
   * Cancels a task that has not finished: one conditional UPDATE (so it cannot overwrite a result
   * core-service stores at the same moment) and its task event, in one transaction.
   */
  @Transactional
  TaskView cancel(UUID id) {
    String tenant = caller.get().tenant();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Optional<Cancelled> done =
        jdbc.sql(
                """
                WITH target AS (
                    SELECT id, status FROM tasks
                    WHERE id = :id AND tenant = :tenant
                      AND status IN ('QUEUED', 'PENDING', 'LOCKED')
                    FOR UPDATE)
                UPDATE tasks t
                SET status = 'CANCELLED', finished_at = :now, updated_at = :now
                FROM target
                WHERE t.id = target.id
                RETURNING target.status AS from_status, t.attempts
                """)
            .param("id", id)
            .param("tenant", tenant)
            .param("now", java.sql.Timestamp.from(now))
            .query(
                (rs, n) ->
                    new Cancelled(TaskStatus.valueOf(rs.getString("from_status")), rs.getInt(2)))
            .optional();
    if (done.isEmpty()) {
      Task task =
          tasks.findByIdAndTenant(id, tenant).orElseThrow(() -> new TaskNotFoundException(id));
      throw new TaskFinishedException(id, task.status());
    }
    events.save(
        new TaskEvent(
            id,
            new TaskTransition(done.get().from(), TaskStatus.CANCELLED, Cause.CANCELLED),
            done.get().attempts(),
            ACTOR,
            null,
            now));
    transitions.afterCommit(done.get().from(), TaskStatus.CANCELLED);
    cancelled.increment();
    log.debug("Cancelled task {} ({} before)", id, done.get().from());
    return tasks
        .findByIdAndTenant(id, tenant)
        .map(this::view)
        .orElseThrow(() -> new TaskNotFoundException(id));
  }

  @Transactional(readOnly = true)
  List<TaskEventView> events(UUID id) {
    if (tasks.findByIdAndTenant(id, caller.get().tenant()).isEmpty()) {
      throw new TaskNotFoundException(id);
    }
    return events.findByTaskIdOrderByIdAsc(id).stream().map(TaskEvent::toView).toList();
  }

  private TaskView view(Task task) {
    return new TaskView(
        task.id(),
        task.deviceId(),
        task.methodCode(),
        task.priority(),
        task.status(),
        task.attempts(),
        json.readTree(task.payload()),
        task.externalId(),
        task.createdAt(),
        task.deadlineAt(),
        task.updatedAt(),
        task.acknowledgedAt(),
        task.lockedAt(),
        task.leaseExpiresAt(),
        task.finishedAt(),
        task.statusCode(),
        task.result() == null ? null : json.readTree(task.result()),
        task.resultId());
  }

  private static @Nullable String constraintName(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConstraintViolationException c) {
        return c.getConstraintName();
      }
    }
    return null;
  }

  private record Cancelled(TaskStatus from, int attempts) {}
}
