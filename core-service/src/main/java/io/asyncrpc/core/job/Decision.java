package io.asyncrpc.core.job;

import io.asyncrpc.task.model.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What one rollout decision on a job did.
 *
 * @param taken false when another instance was deciding on the job (its row was locked) or the job
 *     was no longer due
 * @param status the job's status afterwards
 * @param created the executions it created (first ones and retries), to offer to their devices once
 *     committed
 * @param retries how many of them are retries
 * @param cancelledFrom executions an abort cancelled, by the status they had
 */
record Decision(
    boolean taken,
    @Nullable String status,
    List<UUID> created,
    int retries,
    Map<TaskStatus, Integer> cancelledFrom) {

  static final Decision NOT_TAKEN = new Decision(false, null, List.of(), 0, Map.of());

  /** How many executions an abort cancelled. */
  int cancelled() {
    return cancelledFrom.values().stream().mapToInt(Integer::intValue).sum();
  }
}
