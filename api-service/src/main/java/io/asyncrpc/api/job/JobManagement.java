package io.asyncrpc.api.job;

import io.asyncrpc.api.security.Caller;
import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.task.TaskCancellation;
import io.asyncrpc.api.task.TaskView;
import io.asyncrpc.api.task.TaskViews;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's side of jobs: a job and all its targets are written in one transaction (the targets in
 * one statement, however many), reads within the caller's tenant, and the cancel. The rollout,
 * which creates the executions, is core-service's.
 */
@Service
class JobManagement {

  private static final Logger log = LoggerFactory.getLogger(JobManagement.class);

  private final JobStore store;
  private final TaskViews tasks;
  private final TaskCancellation cancellation;
  private final CurrentCaller caller;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final JobProperties properties;
  private final Counter created;

  JobManagement(
      JobStore store,
      TaskViews tasks,
      TaskCancellation cancellation,
      CurrentCaller caller,
      TransactionTemplate transactions,
      JsonMapper json,
      JobProperties properties,
      MeterRegistry meters) {
    this.store = store;
    this.tasks = tasks;
    this.cancellation = cancellation;
    this.caller = caller;
    this.transactions = transactions;
    this.json = json;
    this.properties = properties;
    this.created = meters.counter("iot.api.jobs.created");
  }

  CreatedJob create(CreateJobRequest request, @Nullable String idempotencyKey) {
    Caller who = caller.get();
    NewJob job = NewJob.of(request, json);
    if (idempotencyKey != null) {
      Optional<CreatedJob> earlier = replay(who, idempotencyKey, job);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    UUID id = UUID.randomUUID();
    Boolean inserted =
        transactions.execute(
            status -> {
              if (job.deviceIds() != null) {
                List<String> unknown = store.unknownDevices(who.tenant(), job.deviceIds());
                if (!unknown.isEmpty()) {
                  throw JobProblems.devicesNotRegistered(unknown);
                }
              }
              Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
              if (!store.insert(id, who.tenant(), who.clientId(), idempotencyKey, job, now)) {
                return false;
              }
              int targets;
              if (job.deviceIds() != null) {
                targets = store.insertTargets(id, job.deviceIds());
              } else {
                String tag = json.writeValueAsString(Map.ofEntries(job.tag()));
                int tagged = store.countTagged(who.tenant(), tag);
                if (tagged > properties.maxTargets()) {
                  throw JobProblems.tooManyTargets(tagged, properties.maxTargets());
                }
                targets = store.insertTaggedTargets(id, who.tenant(), tag);
              }
              boolean continuous = json.readTree(job.targetsJson()).path("continuous").asBoolean();
              // Nothing to run and nothing to wait for: finished as it is accepted.
              store.setTargetCount(id, targets, targets == 0 && !continuous, now);
              return true;
            });
    if (!Boolean.TRUE.equals(inserted)) {
      // A concurrent request with the same key won the race.
      return replay(who, Objects.requireNonNull(idempotencyKey), job)
          .orElseThrow(() -> new IllegalStateException("Idempotency-Key taken, but no job has it"));
    }
    created.increment();
    return new CreatedJob(find(id).orElseThrow(), false);
  }

  private Optional<CreatedJob> replay(Caller who, String key, NewJob job) {
    return store
        .findByIdempotencyKey(who.clientId(), who.tenant(), key)
        .map(
            existing -> {
              if (!matches(job, existing)) {
                throw JobProblems.idempotencyKeyReused(key);
              }
              return new CreatedJob(existing, true);
            });
  }

  /** Whether the stored job was created from an equal request (start_at aside: it defaults). */
  private boolean matches(NewJob job, JobView existing) {
    return job.methodCode().equals(existing.methodCode())
        && job.priority() == existing.priority()
        && job.ttl() == existing.ttl()
        && job.retries() == existing.retries()
        && json.readTree(job.payloadJson()).equals(existing.payload())
        && json.readTree(job.targetsJson()).equals(existing.targets())
        && json.readTree(job.rolloutJson()).equals(existing.rollout())
        && json.readTree(job.abortJson()).equals(existing.abort());
  }

  Optional<JobView> find(UUID id) {
    return store.find(id, caller.get().tenant());
  }

  PageView<JobView> page(@Nullable Cursor cursor, int limit) {
    List<JobView> rows =
        store.page(
            caller.get().tenant(),
            cursor == null ? null : cursor.createdAt(),
            cursor == null ? null : UUID.fromString(cursor.id()),
            limit + 1);
    List<JobView> items = rows.stream().limit(limit).toList();
    String next = null;
    if (rows.size() > limit) {
      JobView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id().toString()).encode();
    }
    return new PageView<>(items, next);
  }

  PageView<TaskView> executions(
      UUID id, Set<TaskStatus> statuses, @Nullable UUID after, int limit) {
    if (find(id).isEmpty()) {
      throw JobProblems.notFound(id);
    }
    List<UUID> ids = store.executions(id, statuses, after, limit + 1);
    List<UUID> page = ids.stream().limit(limit).toList();
    Map<UUID, TaskView> views = tasks.byIds(page);
    List<TaskView> items = page.stream().map(views::get).filter(Objects::nonNull).toList();
    return new PageView<>(items, ids.size() > limit ? page.getLast().toString() : null);
  }

  /**
   * Cancels a running job: no more executions are created, and every execution that has not
   * finished is cancelled through the task cancel path, in one statement; those a v2 device holds
   * get the device cancel, and the devices' confirmations are counted in {@code cancel_confirmed}.
   */
  JobView cancel(UUID id) {
    Caller who = caller.get();
    Boolean cancelled =
        transactions.execute(
            status -> {
              Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
              // The job row first, its tasks second: the order the rollout locks them in.
              if (!store.cancel(id, who.tenant(), "cancelled by " + who.clientId(), now)) {
                return false;
              }
              Map<TaskStatus, Long> executions =
                  cancellation.cancelExecutions(id, who.tenant(), now);
              log.debug("Cancelled job {}: executions cancelled {}", id, executions);
              store.tellFinished(id);
              return true;
            });
    if (!Boolean.TRUE.equals(cancelled)) {
      JobView job = store.find(id, who.tenant()).orElseThrow(() -> JobProblems.notFound(id));
      throw JobProblems.finished(id, job.status());
    }
    return store.find(id, who.tenant()).orElseThrow(() -> JobProblems.notFound(id));
  }
}
