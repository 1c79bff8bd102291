package io.asyncrpc.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tests for {@link TaskTransitions}. */
class TaskTransitionsTests {

  @ParameterizedTest
  @EnumSource(TaskStatus.class)
  void nothingLeavesATerminalStatus(TaskStatus status) {
    if (status.isTerminal()) {
      // A terminal status is never left; a cancel may only be confirmed by the device.
      assertThat(TaskTransitions.ALL)
          .filteredOn(t -> t.from() == status)
          .allMatch(t -> t.to() == status && t.cause() == TaskTransition.Cause.CANCEL_CONFIRMED);
    }
  }

  @Test
  void everyStatusIsReachableFromCreation() {
    EnumSet<TaskStatus> reached = EnumSet.noneOf(TaskStatus.class);
    reached.add(TaskStatus.QUEUED);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (TaskTransition t : TaskTransitions.ALL) {
        if (t.from() != null && reached.contains(t.from()) && reached.add(t.to())) {
          grew = true;
        }
      }
    }
    assertThat(reached).containsExactlyInAnyOrder(TaskStatus.values());
  }

  @Test
  void tasksAreCreatedQueuedOrUnreachableWhenOnlineOnlyAndTheDeviceIsOffline() {
    assertThat(TaskTransitions.ALL)
        .filteredOn(t -> t.from() == null)
        .extracting(TaskTransition::to, TaskTransition::cause)
        .containsExactlyInAnyOrder(
            tuple(TaskStatus.QUEUED, TaskTransition.Cause.CREATED),
            tuple(TaskStatus.UNREACHABLE, TaskTransition.Cause.DEVICE_OFFLINE));
  }

  @Test
  void anOnlineOnlyTaskEndsUnreachableFromEveryLiveStatusOnlyBecauseItsDeviceIsOffline() {
    assertThat(TaskTransitions.ALL)
        .filteredOn(t -> t.to() == TaskStatus.UNREACHABLE)
        .allMatch(t -> t.cause() == TaskTransition.Cause.DEVICE_OFFLINE)
        .extracting(TaskTransition::from)
        .containsExactlyInAnyOrder(null, TaskStatus.QUEUED, TaskStatus.PENDING, TaskStatus.LOCKED);
    assertThat(TaskStatus.UNREACHABLE.isTerminal()).isTrue();
  }

  @Test
  void progressAndACancelConfirmationAreTheOnlyTransitionsThatKeepTheStatus() {
    assertThat(TaskTransitions.ALL)
        .filteredOn(t -> t.from() == t.to())
        .containsExactly(
            new TaskTransition(TaskStatus.LOCKED, TaskStatus.LOCKED, TaskTransition.Cause.PROGRESS),
            new TaskTransition(
                TaskStatus.CANCELLED, TaskStatus.CANCELLED, TaskTransition.Cause.CANCEL_CONFIRMED));
  }

  @Test
  void followsTheSeedsSequence() {
    assertThat(TaskTransitions.isAllowed(TaskStatus.QUEUED, TaskStatus.PENDING)).isTrue();
    assertThat(TaskTransitions.isAllowed(TaskStatus.PENDING, TaskStatus.LOCKED)).isTrue();
    assertThat(TaskTransitions.isAllowed(TaskStatus.LOCKED, TaskStatus.DONE)).isTrue();
    assertThat(TaskTransitions.isAllowed(TaskStatus.DONE, TaskStatus.QUEUED)).isFalse();
    assertThat(TaskTransitions.isAllowed(TaskStatus.LOCKED, TaskStatus.PENDING)).isFalse();
    assertThat(
            TaskTransitions.isAllowed(
                TaskStatus.LOCKED, TaskStatus.QUEUED, TaskTransition.Cause.LEASE_PASSED))
        .isTrue();
  }
}
