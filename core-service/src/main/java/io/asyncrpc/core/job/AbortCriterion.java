package io.asyncrpc.core.job;

import io.asyncrpc.task.model.TaskStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One abort criterion of a job: once at least {@code minExecuted} executions are finished, the job
 * aborts when {@code thresholdPercent} of the finished ones or more ended in the failure type.
 *
 * @param failureType FAILED, TIMED_OUT, EXPIRED or ANY (any of these three)
 * @param minExecuted finished executions before the criterion applies
 * @param thresholdPercent the share of failures, 0 to 100, that aborts the job
 */
record AbortCriterion(String failureType, int minExecuted, double thresholdPercent) {

  private static final Set<TaskStatus> ANY =
      EnumSet.of(TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.EXPIRED);

  /** The criteria as the job row keeps them (api-service validated them). */
  static List<AbortCriterion> of(JsonNode criteria) {
    List<AbortCriterion> list = new ArrayList<>();
    for (JsonNode c : criteria) {
      list.add(
          new AbortCriterion(
              c.path("failure_type").asString("ANY"),
              c.path("min_executed").asInt(0),
              c.path("threshold_percent").asDouble(100)));
    }
    return list;
  }

  /** Whether the executions' statuses ({@code counts}) cross this criterion. */
  boolean crossedBy(Map<TaskStatus, Integer> counts) {
    int finished = 0;
    int failures = 0;
    Set<TaskStatus> failing =
        "ANY".equals(failureType) ? ANY : Set.of(TaskStatus.valueOf(failureType));
    for (Map.Entry<TaskStatus, Integer> entry : counts.entrySet()) {
      if (entry.getKey().isTerminal()) {
        finished += entry.getValue();
        if (failing.contains(entry.getKey())) {
          failures += entry.getValue();
        }
      }
    }
    return finished > 0
        && finished >= minExecuted
        && failures > 0
        && failures * 100.0 >= thresholdPercent * finished;
  }

  /** In words, for the job's {@code status_reason}. */
  String describe(Map<TaskStatus, Integer> counts) {
    return "abort criterion crossed: %s reached %s%% of the finished executions (at least %d finished); counts %s"
        .formatted(failureType, thresholdPercent, minExecuted, counts);
  }
}
