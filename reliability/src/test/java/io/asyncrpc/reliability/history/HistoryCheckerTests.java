package io.asyncrpc.reliability.history;

import static io.asyncrpc.task.model.TaskStatus.DONE;
import static io.asyncrpc.task.model.TaskStatus.EXPIRED;
import static io.asyncrpc.task.model.TaskStatus.LOCKED;
import static io.asyncrpc.task.model.TaskStatus.PENDING;
import static io.asyncrpc.task.model.TaskStatus.QUEUED;
import static io.asyncrpc.task.model.TaskStatus.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.reliability.history.DeviceObservation.Kind;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tests for {@link HistoryChecker}, on hand-made histories. */
class HistoryCheckerTests {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String DEVICE = "dev-1";

  private final HistoryChecker checker = new HistoryChecker(Duration.ofSeconds(10));
  private final UUID task = UUID.randomUUID();
  private final UUID result = UUID.randomUUID();
  private final List<AcceptedTask> accepted = new ArrayList<>();
  private final List<TaskRow> tasks = new ArrayList<>();
  private final List<TaskEventRow> events = new ArrayList<>();
  private final List<DeviceObservation> devices = new ArrayList<>();
  private long outbox;
  private final Map<UUID, Integer> told = new HashMap<>();
  private Instant readAt = T0.plusSeconds(60);

  @Test
  void aTaskDoneOnceWithItsCommitIsValid() {
    doneTask();

    CheckResult result = check();

    assertThat(result.violations()).isEmpty();
    assertThat(result.report()).startsWith("no violations");
  }

  @Test
  void aFinishedTaskNotToldOrToldTwiceIsAViolation() {
    doneTask();
    told.put(task, 0);
    assertThat(kinds(check())).containsExactly(Violation.Kind.FINISHED_NOT_TOLD_ONCE);

    told.put(task, 2);
    assertThat(kinds(check())).containsExactly(Violation.Kind.FINISHED_NOT_TOLD_ONCE);
  }

  @Test
  void aWaitingTaskToldFinishedIsAViolation() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(QUEUED, 0, null));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    told.put(task, 1);

    assertThat(kinds(check())).containsExactly(Violation.Kind.FINISHED_NOT_TOLD_ONCE);
  }

  @Test
  void aTaskRetriedAfterItsLeasePassedIsValid() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(DONE, 2, result));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 1);
    event(LOCKED, QUEUED, Cause.LEASE_PASSED, 1, 31);
    event(QUEUED, PENDING, Cause.ACKNOWLEDGED, 1, 32);
    event(PENDING, LOCKED, Cause.CLAIMED, 2, 33);
    event(LOCKED, DONE, Cause.RESULT_OK, 2, 34);
    device(Kind.RECEIVED, 1, null, 1);
    device(Kind.RECEIVED, 2, null, 33);
    device(Kind.RESULT_SENT, 0, null, 34);
    device(Kind.RESULT_SENT, 0, null, 35);
    device(Kind.COMMITTED, 0, result, 34);
    device(Kind.COMMITTED, 0, result, 35);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void anOnlineOnlyTaskEndedUnreachableIsValid() {
    UUID createdUnreachable = UUID.randomUUID();
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    accepted.add(new AcceptedTask(createdUnreachable, DEVICE, T0));
    tasks.add(row(UNREACHABLE, 1, null));
    tasks.add(
        new TaskRow(
            createdUnreachable, DEVICE, UNREACHABLE, 0, T0, T0.plusSeconds(3600), null, null));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.PUSHED, 1, 1);
    event(LOCKED, UNREACHABLE, Cause.DEVICE_OFFLINE, 1, 2);
    events.add(
        new TaskEventRow(
            events.size() + 1L,
            createdUnreachable,
            null,
            UNREACHABLE,
            Cause.DEVICE_OFFLINE,
            0,
            T0));
    device(Kind.RECEIVED, 1, null, 1);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void aQueuedTaskBeforeItsDeadlineIsLegitimatelyWaiting() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(QUEUED, 0, null));
    event(null, QUEUED, Cause.CREATED, 0, 0);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void anAcceptedTaskMissingFromTheDatabaseIsLost() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));

    CheckResult result = check();

    assertThat(kinds(result)).containsExactly(Violation.Kind.ACCEPTED_TASK_MISSING);
    assertThat(result.lost()).isEqualTo(1);
    assertThat(result.report()).contains(task.toString()).contains("(missing)");
  }

  @Test
  void aQueuedTaskLongPastItsDeadlineIsStuck() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(QUEUED, 0, null));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    readAt = T0.plusSeconds(3600);

    assertThat(kinds(check())).containsExactly(Violation.Kind.STUCK);
  }

  @Test
  void aLockedTaskLongPastItsLeaseIsStuck() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(
        new TaskRow(task, DEVICE, LOCKED, 1, T0, T0.plusSeconds(3600), T0.plusSeconds(31), null));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 1);
    readAt = T0.plusSeconds(120);

    assertThat(kinds(check())).containsExactly(Violation.Kind.STUCK);
  }

  @Test
  void aTransitionOutsideTheStateMachineIsIllegal() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(LOCKED, 1, null));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, EXPIRED, Cause.DEADLINE_PASSED, 0, 1);
    event(EXPIRED, LOCKED, Cause.CLAIMED, 1, 2);

    CheckResult result = check();

    assertThat(kinds(result)).contains(Violation.Kind.ILLEGAL_TRANSITION);
    assertThat(result.report()).contains("EXPIRED -> LOCKED");
  }

  @Test
  void anEventThatDoesNotStartWhereTheTaskWasIsIllegal() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(DONE, 1, result));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(LOCKED, DONE, Cause.RESULT_OK, 1, 2);
    device(Kind.COMMITTED, 0, result, 2);

    assertThat(kinds(check())).contains(Violation.Kind.ILLEGAL_TRANSITION);
  }

  @Test
  void eventsEndingElsewhereThanTheRowAreIllegal() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(DONE, 0, result));
    event(null, QUEUED, Cause.CREATED, 0, 0);

    assertThat(kinds(check())).containsExactly(Violation.Kind.ILLEGAL_TRANSITION);
  }

  @Test
  void twoCompletionEventsAreACompletionTwice() {
    doneTask();
    event(LOCKED, DONE, Cause.RESULT_OK, 1, 4);

    CheckResult result = check();

    assertThat(kinds(result)).contains(Violation.Kind.COMPLETED_TWICE);
    assertThat(result.duplicated()).isEqualTo(1);
  }

  @Test
  void twoDifferentCommitsToTheDeviceAreACompletionTwice() {
    doneTask();
    device(Kind.COMMITTED, 0, UUID.randomUUID(), 5);

    assertThat(kinds(check())).contains(Violation.Kind.COMPLETED_TWICE, Violation.Kind.RESULT_LOST);
  }

  @Test
  void aCommitWhoseResultTheDatabaseLacksIsALostResult() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(QUEUED, 1, null));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 1);
    event(LOCKED, QUEUED, Cause.LEASE_PASSED, 1, 31);
    device(Kind.RECEIVED, 1, null, 1);
    device(Kind.COMMITTED, 0, result, 2);

    CheckResult result = check();

    assertThat(kinds(result)).containsExactly(Violation.Kind.RESULT_LOST);
    assertThat(result.lost()).isEqualTo(1);
  }

  @Test
  void theSameAttemptDeliveredTwiceIsNoViolation() {
    doneTask();
    device(Kind.RECEIVED, 1, null, 1); // MQTT QoS 1 may deliver a message twice

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void anAttemptTheDatabaseDoesNotRecordIsADoubleHold() {
    doneTask();
    device(Kind.RECEIVED, 2, null, 2);

    assertThat(kinds(check())).containsExactly(Violation.Kind.DOUBLE_HOLD);
  }

  @Test
  void aTaskReceivedByAnotherDeviceIsADoubleHold() {
    doneTask();
    devices.add(new DeviceObservation("dev-2", Kind.RECEIVED, task, 2, null, T0.plusSeconds(2)));

    assertThat(kinds(check())).contains(Violation.Kind.DOUBLE_HOLD);
  }

  @Test
  void aResultSentForAnotherDevicesTaskIsNoViolation() {
    doneTask();
    devices.add(new DeviceObservation("dev-2", Kind.RESULT_SENT, task, 0, null, T0.plusSeconds(9)));
    devices.add(
        new DeviceObservation(
            "dev-2", Kind.RESULT_SENT, UUID.randomUUID(), 0, null, T0.plusSeconds(9)));

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void moreClaimsThanAttemptsIsADoubleHold() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(DONE, 1, result));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 1);
    event(LOCKED, QUEUED, Cause.LEASE_PASSED, 1, 31);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 32);
    event(LOCKED, DONE, Cause.RESULT_OK, 1, 33);

    assertThat(kinds(check())).contains(Violation.Kind.DOUBLE_HOLD);
  }

  @Test
  void aClaimAfterTheDeadlineIsADeliveryAfterTheDeadline() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(new TaskRow(task, DEVICE, DONE, 1, T0, T0.plusSeconds(5), null, result));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 6);
    event(LOCKED, DONE, Cause.RESULT_OK, 1, 7);

    assertThat(kinds(check())).containsExactly(Violation.Kind.DELIVERED_AFTER_DEADLINE);
  }

  @Test
  void outboxRowsLeftAreNotDrained() {
    doneTask();
    outbox = 3;

    CheckResult result = check();

    assertThat(kinds(result)).containsExactly(Violation.Kind.OUTBOX_NOT_DRAINED);
    assertThat(result.report()).contains("3 outbox rows");
  }

  private void doneTask() {
    accepted.add(new AcceptedTask(task, DEVICE, T0));
    tasks.add(row(DONE, 1, result));
    event(null, QUEUED, Cause.CREATED, 0, 0);
    event(QUEUED, LOCKED, Cause.CLAIMED, 1, 1);
    event(LOCKED, DONE, Cause.RESULT_OK, 1, 3);
    device(Kind.RECEIVED, 1, null, 1);
    device(Kind.RESULT_SENT, 0, null, 2);
    device(Kind.COMMITTED, 0, result, 3);
  }

  private TaskRow row(TaskStatus status, int attempts, UUID resultId) {
    return new TaskRow(task, DEVICE, status, attempts, T0, T0.plusSeconds(300), null, resultId);
  }

  private void event(TaskStatus from, TaskStatus to, Cause cause, int attempt, int second) {
    events.add(
        new TaskEventRow(
            events.size() + 1, task, from, to, cause, attempt, T0.plusSeconds(second)));
  }

  private void device(Kind kind, int attempt, UUID resultId, int second) {
    devices.add(
        new DeviceObservation(DEVICE, kind, task, attempt, resultId, T0.plusSeconds(second)));
  }

  private CheckResult check() {
    // The triggers tell each finished task once, unless a test says otherwise.
    Map<UUID, Integer> finished = new HashMap<>();
    tasks.stream().filter(t -> t.status().isTerminal()).forEach(t -> finished.put(t.id(), 1));
    finished.putAll(told);
    return checker.check(new History(accepted, tasks, events, devices, outbox, finished, readAt));
  }

  private static List<Violation.Kind> kinds(CheckResult result) {
    return result.violations().stream().map(Violation::kind).distinct().toList();
  }
}
