package io.asyncrpc.reliability.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything recorded about a run, read after the faults healed.
 *
 * @param accepted the client's 202 log
 * @param tasks the tasks table
 * @param events the task_events table
 * @param devices the devices' logs
 * @param outboxRows rows left in the outbox
 * @param finishedTold how many {@code task.finished} events the tenant event log holds per task
 * @param readAt when the database was read: "legitimately waiting" is judged at this instant
 * @param jobs the fleet jobs, their targets and executions
 */
public record History(
    List<AcceptedTask> accepted,
    List<TaskRow> tasks,
    List<TaskEventRow> events,
    List<DeviceObservation> devices,
    long outboxRows,
    Map<UUID, Integer> finishedTold,
    Instant readAt,
    List<JobHistory> jobs) {

  /** A history without fleet jobs. */
  public History(
      List<AcceptedTask> accepted,
      List<TaskRow> tasks,
      List<TaskEventRow> events,
      List<DeviceObservation> devices,
      long outboxRows,
      Map<UUID, Integer> finishedTold,
      Instant readAt) {
    this(accepted, tasks, events, devices, outboxRows, finishedTold, readAt, List.of());
  }

  public History {
    jobs = List.copyOf(jobs);
    accepted = List.copyOf(accepted);
    tasks = List.copyOf(tasks);
    events = List.copyOf(events);
    devices = List.copyOf(devices);
    finishedTold = Map.copyOf(finishedTold);
  }
}
