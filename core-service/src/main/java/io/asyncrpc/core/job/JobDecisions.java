package io.asyncrpc.core.job;

import io.asyncrpc.core.job.JobRepository.NewExecution;
import io.asyncrpc.core.job.JobRepository.Target;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Takes one rollout decision on a job, in one transaction that holds the job's row lock: aborts it
 * when an abort criterion is crossed, otherwise retries timed-out executions, creates as many new
 * executions as the rollout allows, completes the job when every target's execution is final, and
 * tells what changed as a job event. The lock and the targets' {@code task_id}, set in the same
 * transaction, are why no target gets two executions even with many core instances.
 */
@Component
class JobDecisions {

  static final String PROGRESS = "job.progress";
  static final String FINISHED = "job.finished";

  private final JobRepository jobs;
  private final ProtocolJson json;
  private final JobProperties properties;
  private final TransactionTemplate transaction;
  private final MeterRegistry meters;

  JobDecisions(
      JobRepository jobs,
      ProtocolJson json,
      JobProperties properties,
      PlatformTransactionManager transactions,
      MeterRegistry meters) {
    this.jobs = jobs;
    this.json = json;
    this.properties = properties;
    this.transaction = new TransactionTemplate(transactions);
    this.meters = meters;
  }

  /** Decides on job {@code id} as of {@code now}; commits before it returns. */
  Decision decide(UUID id, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    Decision decision = Objects.requireNonNull(transaction.execute(tx -> decideLocked(id, at)));
    if (decision.taken()) {
      meters.counter("iot.jobs.decisions").increment();
      int first = decision.created().size() - decision.retries();
      meters.counter("iot.jobs.executions.created", "kind", "first").increment(first);
      meters.counter("iot.jobs.executions.created", "kind", "retry").increment(decision.retries());
      String status = Objects.requireNonNull(decision.status(), "a decision taken has a status");
      if (!JobStatus.running(status)) {
        meters.counter("iot.jobs.finished", "status", status).increment();
      }
      // As every service counts its own transitions, after the commit (docs/observability.md).
      transitions("NONE", "QUEUED", decision.created().size());
      decision.cancelledFrom().forEach((from, n) -> transitions(from.name(), "CANCELLED", n));
    }
    return decision;
  }

  private void transitions(String from, String to, int n) {
    if (n > 0) {
      meters.counter("iot.task.transitions", "from", from, "to", to).increment(n);
    }
  }

  private Decision decideLocked(UUID id, Instant now) {
    Optional<JobRow> locked = jobs.lock(id, now);
    if (locked.isEmpty()) {
      return Decision.NOT_TAKEN;
    }
    JobRow job = locked.get();
    JsonNode targets = read(job.targets());
    boolean continuous = targets.path("continuous").asBoolean(false) && targets.has("tag");
    int targetCount = job.targetCount();
    if (continuous) {
      targetCount += jobs.appendTargets(job, selector(targets.path("tag").asString()));
    }

    Map<TaskStatus, Integer> current = jobs.currentCounts(job.id());
    for (AbortCriterion criterion : AbortCriterion.of(read(job.abortCriteria()))) {
      if (criterion.crossedBy(current)) {
        String reason = criterion.describe(current);
        Map<TaskStatus, Integer> cancelled = jobs.cancelWaiting(job.id(), "job aborted", now);
        jobs.finish(job.id(), JobStatus.ABORTED, reason, now);
        tell(job, FINISHED, JobStatus.ABORTED, reason, targetCount, job.executionsCreated(), now);
        return new Decision(true, JobStatus.ABORTED, List.of(), 0, cancelled);
      }
    }

    PayloadTemplate template = new PayloadTemplate(read(job.payload()));
    List<NewExecution> executions = new ArrayList<>();
    // Retries first: a timed-out device waits for nothing but its retry.
    if (job.executionRetries() > 0) {
      for (Target t : jobs.retryTargets(job.id(), job.executionRetries(), properties.batchSize())) {
        executions.add(execution(template, t));
      }
    }
    int retries = executions.size();

    Rollout rollout = Rollout.of(read(job.rollout()));
    double rate =
        rollout.perMinute(job.executionsCreated(), current.getOrDefault(TaskStatus.DONE, 0));
    Rollout.Allowance allowance =
        Rollout.allowance(job.rolloutClock(), now, rate, properties.maxCatchUp());
    int room = (int) Math.min(allowance.allowed(), properties.batchSize() - retries);
    List<Target> waiting = room > 0 ? jobs.waitingTargets(job.id(), room) : List.of();
    for (Target t : waiting) {
      executions.add(execution(template, t));
    }
    if (!executions.isEmpty()) {
      int pointed = jobs.create(job, executions, now);
      if (pointed != executions.size()) {
        // Only possible if something else gave a target its execution without the job's lock.
        throw new IllegalStateException(
            "job " + job.id() + ": " + pointed + " of " + executions.size() + " targets taken");
      }
    }
    boolean started = JobStatus.SCHEDULED.equals(job.status());
    if (started || !waiting.isEmpty()) {
      jobs.advance(job.id(), waiting.size(), allowance.clockAfter(waiting.size(), now), now);
    }

    String status = JobStatus.IN_PROGRESS;
    if (!continuous && executions.isEmpty() && finished(job, current)) {
      jobs.finish(job.id(), JobStatus.COMPLETED, null, now);
      status = JobStatus.COMPLETED;
    }
    tell(
        job,
        JobStatus.running(status) ? PROGRESS : FINISHED,
        status,
        null,
        targetCount,
        job.executionsCreated() + waiting.size(),
        now);
    return new Decision(
        true, status, executions.stream().map(NewExecution::id).toList(), retries, Map.of());
  }

  /** Every target has an execution, each of them is final, and none is due a retry. */
  private boolean finished(JobRow job, Map<TaskStatus, Integer> current) {
    boolean allFinal = current.keySet().stream().allMatch(TaskStatus::isTerminal);
    return allFinal
        && jobs.waitingTargets(job.id(), 1).isEmpty()
        && (job.executionRetries() == 0
            || jobs.retryTargets(job.id(), job.executionRetries(), 1).isEmpty());
  }

  private NewExecution execution(PayloadTemplate template, Target target) {
    JsonNode payload =
        template.plain()
            ? template.render(target.deviceId(), Map.of())
            : template.render(target.deviceId(), tags(target.tags()));
    return new NewExecution(
        UUID.randomUUID(), target.deviceId(), text(payload), target.previousTask());
  }

  /**
   * A job event in the decision's transaction: {@code job.finished} always, {@code job.progress}
   * only when the roll-up differs from what the job's last event told.
   */
  private void tell(
      JobRow job,
      String type,
      String status,
      @Nullable String reason,
      int targetCount,
      int executionsCreated,
      Instant now) {
    Map<TaskStatus, Integer> all = jobs.allCounts(job.id());
    Map<String, Object> counts = new LinkedHashMap<>();
    for (TaskStatus s : TaskStatus.values()) {
      counts.put(s.name(), all.getOrDefault(s, 0));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("job_id", job.id().toString());
    data.put("status", status);
    data.put("status_reason", reason);
    data.put("target_count", targetCount);
    data.put("executions_created", executionsCreated);
    data.put("counts", counts);
    String document = text(json.read(json.write(data)));
    if (PROGRESS.equals(type)
        && job.reportedCounts() != null
        && read(job.reportedCounts()).equals(read(document))) {
      return;
    }
    jobs.tell(job, type, document, now);
  }

  private Map<String, String> tags(String tags) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> tag : read(tags).properties()) {
      map.put(tag.getKey(), tag.getValue().asString(""));
    }
    return map;
  }

  /** {@code k:v} as the containment document {@code {"k": "v"}}. */
  private String selector(String tag) {
    int colon = tag.indexOf(':');
    return new String(
        json.write(Map.of(tag.substring(0, colon), tag.substring(colon + 1))),
        StandardCharsets.UTF_8);
  }

  private JsonNode read(String text) {
    return json.readExact(text.getBytes(StandardCharsets.UTF_8));
  }

  private String text(JsonNode node) {
    return new String(json.write(node), StandardCharsets.UTF_8);
  }
}
