package io.asyncrpc.reliability.history;

import io.asyncrpc.task.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A fleet job at the end of a run: its row, its targets and every execution it created.
 *
 * @param id the job
 * @param status its status
 * @param executionsCreated what the job row counts as targets with an execution
 * @param retries how often a timed-out execution may be retried
 * @param targets each target's device and current execution ({@code job_targets.task_id})
 * @param executions every task with the job's id
 */
public record JobHistory(
    UUID id,
    String status,
    int executionsCreated,
    int retries,
    List<Target> targets,
    List<Execution> executions) {

  public JobHistory {
    targets = List.copyOf(targets);
    executions = List.copyOf(executions);
  }

  /** A target: its device and current execution, or null when it has none yet. */
  public record Target(String deviceId, UUID taskId) {}

  /** An execution: a task with the job's id. */
  public record Execution(UUID taskId, String deviceId, TaskStatus status, Instant createdAt) {}
}
