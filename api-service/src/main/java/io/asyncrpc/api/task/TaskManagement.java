package io.asyncrpc.api.task;

import io.asyncrpc.api.device.DeviceNotRegisteredException;
import io.asyncrpc.api.outbox.Outbox;
import io.asyncrpc.api.security.Caller;
import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.task.TaskStore.Inserted;
import io.asyncrpc.api.task.TaskStore.NewRow;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.task.model.TaskCreated;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.web.logging.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api-service's side of the task lifecycle: creation (with its first event and its outbox
 * event, in one transaction shared with the creates that arrive meanwhile: {@link TaskWriter}) and
 * cancellation. Every other transition belongs to core-service.
 */
@Service
public class TaskManagement {

  private static final Logger log = LoggerFactory.getLogger(TaskManagement.class);

  /** The actor recorded in task events written by this service. */
  static final String ACTOR = "api";

  private final TaskStore store;
  private final TaskWriter writer;
  private final TaskEventRepository events;
  private final Outbox outbox;
  private final TaskCancellation cancellation;
  private final CurrentCaller caller;
  private final JsonMapper json;
  private final Counter created;
  private final Counter replayed;

  TaskManagement(
      TaskStore store,
      TaskWriter writer,
      TaskEventRepository events,
      Outbox outbox,
      TaskCancellation cancellation,
      CurrentCaller caller,
      JsonMapper json,
      MeterRegistry meters) {
    this.store = store;
    this.writer = writer;
    this.events = events;
    this.outbox = outbox;
    this.cancellation = cancellation;
    this.caller = caller;
    this.json = json;
    this.created = meters.counter("iot.api.tasks.created");
    this.replayed = meters.counter("iot.api.tasks.replayed");
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
    LogContext.device(task.deviceId());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    NewRow row =
        new NewRow(
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
            now.plusSeconds(task.ttl()),
            task.onlineOnly());
    return switch (writer.write(row)) {
      case Inserted.Created(String payloadJson, TaskStatus status) -> {
        created.increment();
        LogContext.task(row.id());
        log.debug(
            "Created task {} ({}) for device {}: {}",
            row.id(),
            row.methodCode(),
            row.deviceId(),
            status);
        // What PostgreSQL stored (jsonb normalises the payload), so the first answer and every
        // later read or idempotent replay show the same document.
        yield new CreatedTask(view(row, payloadJson, status), false);
      }
      // Another tenant's device is answered exactly like an unknown one: no way to probe ids.
      case Inserted.DeviceUnknown() -> throw new DeviceNotRegisteredException(task.deviceId());
      // A concurrent request with the same key won the race; answer with its task.
      case Inserted.KeyTaken() ->
          replay(who, Objects.requireNonNull(idempotencyKey), task)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Idempotency-Key taken, but no task of this tenant holds it"));
    };
  }

  private TaskView view(NewRow row, String payloadJson, TaskStatus status) {
    return new TaskView(
        row.id(),
        row.deviceId(),
        row.methodCode(),
        row.priority(),
        status,
        0,
        json.readTree(payloadJson),
        row.externalId(),
        row.onlineOnly(),
        row.createdAt(),
        row.deadlineAt(),
        row.createdAt(),
        null,
        null,
        null,
        status.isTerminal() ? row.createdAt() : null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private Optional<CreatedTask> replay(Caller who, String idempotencyKey, NewTask request) {
    return store
        .findByIdempotencyKey(who.clientId(), who.tenant(), idempotencyKey)
        .map(
            existing -> {
              if (!request.matches(existing)) {
                throw new IdempotencyKeyReusedException(idempotencyKey);
              }
              replayed.increment();
              return new CreatedTask(existing, true);
            });
  }

  /** One statement outside any transaction: the status poll is the most frequent call. */
  Optional<TaskView> find(UUID id) {
    return store.find(id, caller.get().tenant());
  }

  PageView<TaskView> page(
      @Nullable String deviceId,
      Set<TaskStatus> statuses,
      @Nullable String externalId,
      @Nullable TaskCursor cursor,
      int limit) {
    List<TaskView> rows =
        store.page(
            caller.get().tenant(),
            deviceId,
            statuses,
            externalId,
            cursor == null ? null : cursor.createdAt(),
            cursor == null ? null : cursor.id(),
            limit + 1);
    List<TaskView> items = rows.stream().limit(limit).toList();
    String next = null;
    if (rows.size() > limit) {
      TaskView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id().toString()).encode();
    }
    return new PageView<>(items, next);
  }

  /**
   * Cancels a task that has not finished, through the one cancel path ({@link TaskCancellation}):
   * when a v2 device held it, the device is told.
   */
  @Transactional
  TaskView cancel(UUID id) {
    String tenant = caller.get().tenant();
    TaskStatus from =
        cancellation.cancelTask(id, tenant, Instant.now().truncatedTo(ChronoUnit.MICROS));
    if (from == null) {
      TaskView task = store.find(id, tenant).orElseThrow(() -> new TaskNotFoundException(id));
      throw new TaskFinishedException(id, task.status());
    }
    log.debug("Cancelled task {} ({} before)", id, from);
    return store.find(id, tenant).orElseThrow(() -> new TaskNotFoundException(id));
  }

  @Transactional(readOnly = true)
  List<TaskEventView> events(UUID id) {
    if (store.find(id, caller.get().tenant()).isEmpty()) {
      throw new TaskNotFoundException(id);
    }
    return events.findByTaskIdOrderByIdAsc(id).stream().map(TaskEvent::toView).toList();
  }
}
