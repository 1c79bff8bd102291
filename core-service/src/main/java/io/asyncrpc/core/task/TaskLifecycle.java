package io.asyncrpc.core.task;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.TaskRepository.ClaimRow;
import io.asyncrpc.core.task.TaskRepository.DeviceRow;
import io.asyncrpc.core.task.TaskRepository.FinishRow;
import io.asyncrpc.core.task.TaskRepository.LeaseRow;
import io.asyncrpc.protocol.CancelOutcome;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.task.model.TaskTransitions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
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
    return waitingTasks(List.of(taskId)).stream().findFirst();
  }

  /**
   * {@link #waitingTask} for many tasks in one statement; those that no longer wait are left out.
   */
  public List<TaskTrigger> waitingTasks(List<UUID> taskIds) {
    Instant now = Instant.now();
    return tasks.findAll(taskIds).stream()
        .filter(t -> t.status().isWaiting() && t.deadline().isAfter(now))
        .map(
            t ->
                new TaskTrigger(
                    t.id(), t.deviceId(), t.methodCode(), t.priority(), t.deadline(), t.protocol()))
        .toList();
  }

  /**
   * {@link #claimPush} for several devices in one transaction, in the order of their ids (so two
   * batches lock device rows in the same order).
   */
  @Transactional
  public Map<String, PushOutcome> claimPushes(Collection<String> devices, boolean requireOnline) {
    Map<String, PushOutcome> outcomes = new TreeMap<>();
    new TreeSet<>(devices).forEach(d -> outcomes.put(d, claimPush(d, requireOnline)));
    return outcomes;
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
      String device,
      UUID taskId,
      int statusCode,
      @Nullable String resultJson,
      @Nullable String externalId) {
    return completed(device, taskId, statusCode, resultJson, externalId, false).outcome();
  }

  /**
   * v2: locks the head of the device's FIFO for a push, unless the device holds a task already (its
   * next task then comes with that one's commit), is offline, or is not a v2 device. The claim is
   * committed before the push is published, so a device never holds a task the database does not
   * show as its; a push the broker cannot route is taken back with {@link #undeliver}.
   *
   * @param requireOnline whether the registry's presence must say online (false when presence is
   *     not tracked)
   */
  @Transactional
  public PushOutcome claimPush(String device, boolean requireOnline) {
    Optional<DeviceRow> state = tasks.lockDevice(device);
    if (state.isEmpty() || state.get().protocol() != ProtocolVersion.V2) {
      return new PushOutcome.NotV2();
    }
    if (requireOnline && !state.get().online()) {
      return new PushOutcome.Offline();
    }
    return tasks
        .pushHead(device, properties.lease(), CORE)
        .<PushOutcome>map(row -> new PushOutcome.Pushed(pushed(row)))
        .orElseGet(PushOutcome.NothingToPush::new);
  }

  /**
   * v2: {@link #complete} and, in the same transaction, the device's next task locked for it, to be
   * sent with the commit. Both are committed before the commit message leaves, so a device that got
   * its commit finds its result stored.
   */
  @Transactional
  public CompletedWithNext completeAndClaimNext(
      String device,
      UUID taskId,
      int statusCode,
      @Nullable String resultJson,
      @Nullable String externalId) {
    // The device row first, as claimPush does, so both take their locks in the same order.
    tasks.lockDevice(device);
    Completion completion = completed(device, taskId, statusCode, resultJson, externalId, true);
    // Most commits find nothing else waiting; they skip the claim, which would find nothing too.
    ClaimedTask next =
        completion.outcome() instanceof ResultOutcome.Committed && completion.othersWaiting()
            ? tasks.pushHead(device, properties.lease(), CORE).map(this::pushed).orElse(null)
            : null;
    return new CompletedWithNext(completion.outcome(), next);
  }

  /**
   * Takes back a pushed task the broker could not route to its device (it went offline): QUEUED
   * again, and the attempt not counted; an online-only task whose device the registry shows offline
   * ends UNREACHABLE instead. Changes nothing if the task moved on meanwhile.
   *
   * @return whether the task was taken back
   */
  @Transactional
  public boolean undeliver(ClaimedTask task) {
    Optional<TaskStatus> to = tasks.undeliver(task.id(), task.deviceId(), task.attempt(), CORE);
    to.ifPresent(
        status ->
            recorded(
                List.of(
                    new TransitionRow(
                        task.id(),
                        TaskStatus.LOCKED,
                        status,
                        status == TaskStatus.UNREACHABLE
                            ? Cause.DEVICE_OFFLINE
                            : Cause.UNDELIVERED))));
    return to.isPresent();
  }

  /**
   * The device disconnected: its waiting online-only tasks become UNREACHABLE, in one statement
   * with their events, unless it is online again meanwhile.
   *
   * @return how many
   */
  @Transactional
  public int deviceOffline(String device) {
    List<TransitionRow> ended = tasks.unreachable(device, "the device disconnected", CORE);
    recorded(ended);
    return ended.size();
  }

  /**
   * Ends the waiting online-only tasks of devices the registry shows offline that a disconnect did
   * not end: one created while the device's disconnect was being recorded sees it online. Returns
   * how many.
   */
  @Transactional
  public int sweepUnreachable() {
    List<TransitionRow> ended =
        tasks.sweepUnreachable(properties.sweepBatchSize(), "the device is offline", SWEEPER);
    recorded(ended);
    return ended.size();
  }

  private ClaimedTask pushed(ClaimRow row) {
    recorded(
        List.of(new TransitionRow(row.task().id(), row.from(), TaskStatus.LOCKED, Cause.PUSHED)));
    return row.task();
  }

  /**
   * What a result did, and whether another task of the device may wait: true when the result did
   * not finish the task now (a repeat), as the commit of the first may have been lost with the next
   * task it carried.
   */
  private record Completion(ResultOutcome outcome, boolean othersWaiting) {}

  private Completion completed(
      String device,
      UUID taskId,
      int statusCode,
      @Nullable String resultJson,
      @Nullable String externalId,
      boolean reportOthersWaiting) {
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
            device,
            taskId,
            to,
            cause,
            statusCode,
            resultJson,
            UUID.randomUUID(),
            detail,
            CORE,
            reportOthersWaiting);
    if (finished.isPresent()) {
      FinishRow row = finished.get();
      recorded(List.of(new TransitionRow(taskId, row.from(), to, cause)));
      return new Completion(
          new ResultOutcome.Committed(new Commit(taskId, row.resultId(), to, false)),
          row.othersWaiting());
    }
    return new Completion(unfinished(device, taskId), true);
  }

  /** The answer to a result that finished nothing now: a repeat, or a refusal. */
  private ResultOutcome unfinished(String device, UUID taskId) {
    Optional<TaskSnapshot> task = ownTask(device, taskId);
    if (task.isEmpty()) {
      return new ResultOutcome.Refused(unknownTask(device, taskId));
    }
    TaskSnapshot t = task.get();
    return switch (t.status()) {
      case DONE, FAILED ->
          new ResultOutcome.Committed(new Commit(taskId, t.resultId(), t.status(), true));
      case EXPIRED, TIMED_OUT, CANCELLED, UNREACHABLE ->
          refusedResult(ProtocolError.TASK_FINISHED, "task " + taskId + " is " + t.status());
      case QUEUED, PENDING, LOCKED ->
          refusedResult(
              ProtocolError.TASK_NOT_STARTED, "task " + taskId + " was not handed out yet");
    };
  }

  /**
   * The device reports progress of {@code taskId}, which it must hold (LOCKED): the report is
   * stored with its event ({@code LOCKED → LOCKED}, {@code PROGRESS}) and the tenant's {@code
   * task.progress} event, and the lease extended to a full lease from now, never past the deadline.
   * Anything else is refused and changes nothing.
   *
   * @param reportJson the report as the tenant's event carries it
   */
  @Transactional
  public ProgressOutcome progress(
      String device,
      UUID taskId,
      @Nullable Integer percent,
      @Nullable String message,
      String reportJson) {
    if (!TaskTransitions.isAllowed(TaskStatus.LOCKED, TaskStatus.LOCKED, Cause.PROGRESS)) {
      throw new IllegalStateException("progress is not a transition of the state machine");
    }
    Optional<Instant> lease =
        tasks.progress(device, taskId, percent, message, reportJson, properties.lease(), CORE);
    if (lease.isPresent()) {
      // Counted in iot.task.progress, not in iot.task.transitions: the status does not change.
      afterCommit(() -> meters.counter("iot.task.progress").increment());
      return new ProgressOutcome.Recorded(lease.get());
    }
    Optional<TaskSnapshot> task = ownTask(device, taskId);
    if (task.isEmpty()) {
      return new ProgressOutcome.Refused(unknownTask(device, taskId));
    }
    TaskStatus status = task.get().status();
    return new ProgressOutcome.Refused(
        status.isTerminal()
            ? new Refusal(ProtocolError.TASK_FINISHED, "task " + taskId + " is " + status)
            : new Refusal(
                ProtocolError.TASK_NOT_STARTED,
                "task " + taskId + " is not handed out to the device"));
  }

  /**
   * Of the tasks of {@code taskIds} that api-service cancelled while a v2 device held them, those
   * to tell the device: still CANCELLED, no answer yet, the device still v2, the deadline ahead.
   */
  public List<CancelledTask> unconfirmedCancels(List<UUID> taskIds) {
    return tasks.unconfirmedCancels(taskIds);
  }

  /**
   * The device answers the cancel of {@code taskId}: the first answer is stored with its event
   * ({@code CANCELLED → CANCELLED}, {@code CANCEL_CONFIRMED}); a repeat changes nothing. The task
   * stays CANCELLED whatever the answer: exactly one completion.
   */
  @Transactional
  public CancelAnswerOutcome confirmCancel(String device, UUID taskId, CancelOutcome outcome) {
    if (!TaskTransitions.isAllowed(
        TaskStatus.CANCELLED, TaskStatus.CANCELLED, Cause.CANCEL_CONFIRMED)) {
      throw new IllegalStateException("a cancel confirmation is not in the state machine");
    }
    String detail = "{\"outcome\": \"" + outcome.code() + "\"}";
    if (tasks.confirmCancel(device, taskId, outcome.code(), detail, CORE)) {
      afterCommit(
          () -> meters.counter("iot.task.cancel.confirmed", "outcome", outcome.code()).increment());
      return new CancelAnswerOutcome.Recorded();
    }
    Optional<TaskSnapshot> task = ownTask(device, taskId);
    if (task.isEmpty()) {
      return new CancelAnswerOutcome.Refused(unknownTask(device, taskId));
    }
    TaskStatus status = task.get().status();
    if (status == TaskStatus.CANCELLED) {
      return new CancelAnswerOutcome.Repeated();
    }
    return new CancelAnswerOutcome.Refused(
        status.isTerminal()
            ? new Refusal(ProtocolError.TASK_FINISHED, "task " + taskId + " is " + status)
            : new Refusal(ProtocolError.TASK_LOCKED, "task " + taskId + " is not cancelled"));
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
   * attempt, UNREACHABLE for an online-only task whose device is offline, QUEUED again otherwise.
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
    afterCommit(
        () ->
            rows.forEach(
                row ->
                    meters
                        .counter(
                            "iot.task.transitions",
                            "from",
                            row.from().name(),
                            "to",
                            row.to().name())
                        .increment()));
  }

  private static void afterCommit(Runnable action) {
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            action.run();
          }
        });
  }
}
