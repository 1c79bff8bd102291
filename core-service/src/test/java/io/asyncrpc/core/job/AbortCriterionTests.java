package io.asyncrpc.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.task.model.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link AbortCriterion}. */
class AbortCriterionTests {

  @Test
  void appliesOnlyOnceEnoughExecutionsAreFinished() {
    AbortCriterion criterion = new AbortCriterion("FAILED", 10, 20);
    assertThat(criterion.crossedBy(Map.of(TaskStatus.FAILED, 9))).isFalse();
    assertThat(criterion.crossedBy(Map.of(TaskStatus.FAILED, 2, TaskStatus.DONE, 8))).isTrue();
    assertThat(criterion.crossedBy(Map.of(TaskStatus.FAILED, 1, TaskStatus.DONE, 9))).isFalse();
  }

  @Test
  void waitingAndRunningExecutionsAreNotFinished() {
    AbortCriterion criterion = new AbortCriterion("TIMED_OUT", 2, 50);
    assertThat(
            criterion.crossedBy(
                Map.of(TaskStatus.TIMED_OUT, 1, TaskStatus.QUEUED, 50, TaskStatus.LOCKED, 3)))
        .isFalse();
    assertThat(criterion.crossedBy(Map.of(TaskStatus.TIMED_OUT, 1, TaskStatus.DONE, 1))).isTrue();
  }

  @Test
  void anyCountsFailedTimedOutAndExpiredButNotCancelled() {
    AbortCriterion any = new AbortCriterion("ANY", 1, 75);
    assertThat(
            any.crossedBy(
                Map.of(
                    TaskStatus.FAILED,
                    1,
                    TaskStatus.TIMED_OUT,
                    1,
                    TaskStatus.EXPIRED,
                    1,
                    TaskStatus.DONE,
                    1)))
        .isTrue();
    assertThat(any.crossedBy(Map.of(TaskStatus.CANCELLED, 3, TaskStatus.DONE, 1))).isFalse();
  }
}
