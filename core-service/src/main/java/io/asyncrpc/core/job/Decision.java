package io.asyncrpc.core.job;

import java.util.List;
import java.util.UUID;

/**
 * What one rollout decision on a job did.
 *
 * @param taken false when another instance was deciding on the job (its row was locked) or the job
 *     was no longer due
 * @param status the job's status afterwards
 * @param created the executions it created (first ones and retries), to offer to their devices once
 *     committed
 * @param retries how many of them are retries
 * @param cancelled executions an abort cancelled
 */
record Decision(boolean taken, String status, List<UUID> created, int retries, int cancelled) {

  static final Decision NOT_TAKEN = new Decision(false, null, List.of(), 0, 0);
}
