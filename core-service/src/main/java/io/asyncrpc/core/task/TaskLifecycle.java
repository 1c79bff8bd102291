package io.asyncrpc.core.task;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.TaskRepository.ClaimRow;
import io.asyncrpc.core.task.TaskRepository.FinishRow;
import io.asyncrpc.core.task.TaskRepository.LeaseRow;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.task.model.TaskTransitions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place where tasks change status. Each method is one transaction; every change is recorded
 * as a task event by the same statement, and checked against {@link TaskTransitions} (a change the
 * state machine does not allow rolls the transaction back).
 */
@Service
public class TaskLifecycle {

  /** Actor of changes caused by device messages. */
  static final String CORE = "core";

  /** Actor of changes caused by the deadline and lease sweeps. */
  static final String SWEEPER = "sweeper";

  private final TaskRepository tasks;
  private final CoreProperties properties;
  private final MeterRegistry meters;

  TaskLifecycle(TaskRepository tasks, CoreProperties properties, MeterRegistry meters) {
    this.tasks = tasks;
    this.properties = properties;
    this.meters = meters;
  }

  /**
   * The task, if it still waits for its device and its deadline has not passed. One statement, so
   * no transaction: that saves the BEGIN and COMMIT round trips on the way to every trigger.
   */
  public Optional<TaskTrigger> waitingTask(UUID taskId) {
    Instant now = Instant.now();
    return tasks
        .find(taskId)
        .filter(t -> t.status().isWaiting() && t.deadline().isAfter(now))
        .map(
            t -> new TaskTrigger(t.id(), t.deviceId(), t.methodCode(), t.priority(), t.deadline()));
  }

  /** The device acknowledged the trigger of {@code taskId}: QUEUED becomes PENDING. */
  @Transactional
  public AckOutcome acknowledge(String device, UUID taskId) {
    if (tasks.acknowledge(device, taskId, CORE)) {
      recorded(
          List.of(
              new TransitionRow(
                  taskId, TaskStatus.QUEUED, TaskStatus.PENDING, Cause.ACKNOWLEDGED)));
      return new AckOutcome.Acknowledged();
    }
    return ownTask(device, taskId).isPresent()
        ? new AckOutcome.Unchanged()
        : new AckOutcome.Refused(unknownTask(device, taskId));
  }

  /** The device requests the task {@code taskId}: it gets it, locked with a lease, if it waits. */
  @Transactional
  public ClaimOutcome claim(String device, UUID taskId) {
    Optional<ClaimRow> claimed = tasks.claim(device, taskId, properties.lease(), CORE);
    if (claimed.isPresent()) {
      return claimed(claimed.get());
    }
    Optional<TaskSnapshot> task = ownTask(device, taskId);
    if (task.isEmpty()) {
      return new ClaimOutcome.Refused(unknownTask(device, taskId));
    }
    TaskStatus status = task.get().status();
    if (status.isTerminal()) {
      return refusedClaim(ProtocolError.TASK_FINISHED, "task " + taskId + " is " + status);
    }
    if (status.isWaiting() && !task.get().deadline().isAfter(Instant.now())) {
      return refusedClaim(ProtocolError.TASK_EXPIRED, "the deadline of task " + taskId + " passed");
    }
    return refusedClaim(ProtocolError.TASK_LOCKED, "task " + taskId + " is handed out already");
  }

  /** The device polls with the zero UUID: it gets the head of its FIFO, or nothing. */
  @Transactional
  public ClaimOutcome claimNext(String device) {
    return tasks
        .claimHead(device, properties.lease(), CORE)
        .map(this::claimed)
        .orElseGet(ClaimOutcome.NoTask::new);
  }

  /**
   * The device reports the result of {@code taskId}; a repeated result is answered with the commit
   * of the first and changes nothing.
   *
   * @param statusCode 2xx completes the task as DONE, 4xx and 5xx as FAILED
   * @param resultJson the result document, or null for none
   * @param externalId the device's {@code ext_id}, recorded with the event, or null
   */
  @Transactional
  public ResultOutcome complete(
      String device, UUID taskId, int statusCode, String resultJson, String externalId) {
    if (!StatusCodes.isValidResult(statusCode)) {
      throw new IllegalArgumentException("not a result status code: " + statusCode);
    }
    boolean success = StatusCodes.isSuccess(statusCode);
    TaskStatus to = success ? TaskStatus.DONE : TaskStatus.FAILED;
    Cause cause = success ? Cause.RESULT_OK : Cause.RESULT_FAILED;
    String detail =
        "status_code=" + statusCode + (externalId == null ? "" : " ext_id=" + externalId);
    Optional<FinishRow> finished =
        tasks.finish(
            device, taskId, to, cause, statusCode, resultJson, UUID.randomUUID(), detail, CORE);
    if (finished.isPresent()) {
      recorded(List.of(new TransitionRow(taskId, finished.get().from(), to, cause)));
      return new ResultOutcome.Committed(new Commit(taskId, finished.get().resultId(), to, false));
    }
    Optional<TaskSnapshot> task = ownTask(device, taskId);
    if (task.isEmpty()) {
      return new ResultOutcome.Refused(unknownTask(device, taskId));
    }
    TaskSnapshot t = task.get();
    return switch (t.status()) {
      case DONE, FAILED ->
          new ResultOutcome.Committed(new Commit(taskId, t.resultId(), t.status(), true));
      case EXPIRED, TIMED_OUT, CANCELLED ->
          refusedResult(ProtocolError.TASK_FINISHED, "task " + taskId + " is " + t.status());
      case QUEUED, PENDING, LOCKED ->
          refusedResult(
              ProtocolError.TASK_NOT_STARTED, "task " + taskId + " was not handed out yet");
    };
  }

  /** Expires waiting tasks whose deadline passed; returns how many. */
  @Transactional
  public int sweepDeadlines() {
    List<TransitionRow> expired = tasks.sweepDeadlines(properties.sweepBatchSize(), SWEEPER);
    recorded(expired);
    return expired.size();
  }

  /**
   * Takes back tasks whose lease passed: EXPIRED past the deadline, TIMED_OUT after the last
   * attempt, QUEUED again otherwise.
   *
   * @return the tasks queued again, whose devices should be triggered again
   */
  @Transactional
  public List<TaskTrigger> sweepLeases() {
    List<LeaseRow> swept =
        tasks.sweepLeases(properties.sweepBatchSize(), properties.maxAttempts(), SWEEPER);
    recorded(
        swept.stream()
            .map(r -> new TransitionRow(r.task().taskId(), TaskStatus.LOCKED, r.to(), r.cause()))
            .toList());
    return swept.stream().filter(r -> r.to() == TaskStatus.QUEUED).map(LeaseRow::task).toList();
  }

  private ClaimOutcome claimed(ClaimRow row) {
    recorded(
        List.of(new TransitionRow(row.task().id(), row.from(), TaskStatus.LOCKED, Cause.CLAIMED)));
    return new ClaimOutcome.Claimed(row.task());
  }

  private Optional<TaskSnapshot> ownTask(String device, UUID taskId) {
    return tasks.find(taskId).filter(t -> t.deviceId().equals(device));
  }

  // Another device's task is answered exactly like a missing one, so ids cannot be probed.
  private static Refusal unknownTask(String device, UUID taskId) {
    return new Refusal(ProtocolError.UNKNOWN_TASK, "no task " + taskId + " for device " + device);
  }

  private static ClaimOutcome refusedClaim(ProtocolError error, String message) {
    return new ClaimOutcome.Refused(new Refusal(error, message));
  }

  private static ResultOutcome refusedResult(ProtocolError error, String message) {
    return new ResultOutcome.Refused(new Refusal(error, message));
  }

  /** Checks the statement's changes against the state machine and counts them after commit. */
  private void recorded(List<TransitionRow> rows) {
    for (TransitionRow row : rows) {
      if (!TaskTransitions.isAllowed(row.from(), row.to(), row.cause())) {
        throw new IllegalStateException(
            "transition not allowed: " + row + "; the statement is rolled back");
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            rows.forEach(
                row ->
                    meters
                        .counter(
                            "iot.task.transitions",
                            "from",
                            row.from().name(),
                            "to",
                            row.to().name())
                        .increment());
          }
        });
  }
}
