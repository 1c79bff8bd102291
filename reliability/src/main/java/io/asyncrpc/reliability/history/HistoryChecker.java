package io.asyncrpc.reliability.history;

import io.asyncrpc.reliability.history.DeviceObservation.Kind;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.task.model.TaskTransitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a run's {@link History} against the core's promises, in the spirit of Jepsen's Elle: it
 * reads what every party recorded and looks for a history no correct system could produce.
 *
 * <ul>
 *   <li>every task answered {@code 202} exists, and is terminal or legitimately waiting;
 *   <li>every task's events form a path of {@link TaskTransitions} from creation to its status;
 *   <li>no task is completed twice, or committed to its device with two different results;
 *   <li>no result is lost after its {@code cmt};
 *   <li>no task is held by two device requests at once: its claims are numbered 1, 2, … up to its
 *       attempts (a second claim of a LOCKED task breaks the path), no device receives an attempt
 *       the database does not record, and no other device receives it. The same attempt arriving
 *       twice is no violation: MQTT QoS 1 may deliver a message more than once;
 *   <li>no task is handed out after its deadline;
 *   <li>the outbox is drained;
 *   <li>every finished task is told once in the tenant event log ({@code task.finished}, what the
 *       event stream and webhooks deliver), and no unfinished task is.
 *   <li>every fleet job gave each target one execution per attempt (its first and at most its
 *       retries, each after the one before timed out), none to a device it does not target, and has
 *       ended.
 * </ul>
 */
public final class HistoryChecker {

  private final Duration slack;

  /**
   * A checker that lets a task stay non-terminal for {@code slack} past its deadline or lease: the
   * sweeps run periodically, and a service may just have restarted.
   */
  public HistoryChecker(Duration slack) {
    this.slack = slack;
  }

  /** Checks {@code history}; the result holds every violation found, in task order. */
  public CheckResult check(History history) {
    Map<UUID, TaskRow> tasks =
        history.tasks().stream().collect(Collectors.toMap(TaskRow::id, Function.identity()));
    Map<UUID, List<TaskEventRow>> events = new HashMap<>();
    for (TaskEventRow event : history.events()) {
      events.computeIfAbsent(event.taskId(), id -> new ArrayList<>()).add(event);
    }
    events.values().forEach(list -> list.sort(Comparator.comparingLong(TaskEventRow::id)));
    Map<UUID, List<DeviceObservation>> observations = new HashMap<>();
    for (DeviceObservation observation : history.devices()) {
      observations.computeIfAbsent(observation.taskId(), id -> new ArrayList<>()).add(observation);
    }

    List<Violation> violations = new ArrayList<>();
    for (AcceptedTask accepted : history.accepted()) {
      if (!tasks.containsKey(accepted.taskId())) {
        violations.add(
            new Violation(
                Violation.Kind.ACCEPTED_TASK_MISSING,
                accepted.taskId(),
                "answered 202 at " + accepted.at() + " but not in the database"));
      }
    }
    for (TaskRow task : history.tasks()) {
      List<TaskEventRow> path = events.getOrDefault(task.id(), List.of());
      checkPath(task, path, violations);
      checkWaiting(task, history, violations);
      checkClaims(task, path, violations);
      checkTold(task, history.finishedTold().getOrDefault(task.id(), 0), violations);
    }
    for (Map.Entry<UUID, List<DeviceObservation>> entry : observations.entrySet()) {
      checkDevices(
          entry.getKey(),
          tasks.get(entry.getKey()),
          events.getOrDefault(entry.getKey(), List.of()),
          entry.getValue(),
          violations);
    }
    if (history.outboxRows() > 0) {
      violations.add(
          new Violation(
              Violation.Kind.OUTBOX_NOT_DRAINED,
              null,
              history.outboxRows() + " outbox rows left after recovery"));
    }
    history.jobs().forEach(job -> checkJob(job, violations));
    return new CheckResult(history, tasks, events, observations, violations);
  }

  /**
   * A fleet job: each target's executions are its first one and at most {@code retries} retries,
   * each after the one before timed out (so never two at once), the latest is the target's current
   * one, no device outside the targets got one, the job's count agrees, and the job has ended.
   */
  private static void checkJob(JobHistory job, List<Violation> violations) {
    Map<String, UUID> current = new HashMap<>();
    job.targets().forEach(t -> current.put(t.deviceId(), t.taskId()));
    Map<String, List<JobHistory.Execution>> byDevice = new HashMap<>();
    for (JobHistory.Execution e : job.executions()) {
      byDevice.computeIfAbsent(e.deviceId(), d -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<JobHistory.Execution>> entry : byDevice.entrySet()) {
      List<JobHistory.Execution> list = entry.getValue();
      list.sort(Comparator.comparing(JobHistory.Execution::createdAt));
      String where = "job " + job.id() + ", device " + entry.getKey() + ": ";
      if (!current.containsKey(entry.getKey())) {
        violations.add(doubled(list.getFirst(), where + "an execution for a device not targeted"));
        continue;
      }
      if (list.size() > 1 + job.retries()) {
        violations.add(
            doubled(
                list.getLast(),
                where + list.size() + " executions, " + job.retries() + " retries allowed"));
      }
      for (int i = 0; i < list.size() - 1; i++) {
        if (list.get(i).status() != TaskStatus.TIMED_OUT) {
          violations.add(
              doubled(
                  list.get(i + 1),
                  where + "a retry while the execution before was " + list.get(i).status()));
        }
      }
      if (!list.getLast().taskId().equals(current.get(entry.getKey()))) {
        violations.add(doubled(list.getLast(), where + "the latest execution is not the current"));
      }
    }
    long withExecution = job.targets().stream().filter(t -> t.taskId() != null).count();
    if (withExecution != job.executionsCreated() || withExecution != byDevice.size()) {
      violations.add(
          new Violation(
              Violation.Kind.JOB_EXECUTION_DOUBLED,
              null,
              "job %s counts %d executions created, %d targets have one, %d devices got one"
                  .formatted(job.id(), job.executionsCreated(), withExecution, byDevice.size())));
    }
    if (!Set.of("COMPLETED", "ABORTED", "CANCELLED").contains(job.status())) {
      violations.add(
          new Violation(
              Violation.Kind.JOB_NOT_FINISHED, null, "job " + job.id() + " is " + job.status()));
    } else if ("COMPLETED".equals(job.status()) && withExecution < job.targets().size()) {
      violations.add(
          new Violation(
              Violation.Kind.JOB_NOT_FINISHED,
              null,
              "job %s COMPLETED with %d of %d targets executed"
                  .formatted(job.id(), withExecution, job.targets().size())));
    }
  }

  private static Violation doubled(JobHistory.Execution execution, String message) {
    return new Violation(Violation.Kind.JOB_EXECUTION_DOUBLED, execution.taskId(), message);
  }

  private static void checkTold(TaskRow task, int told, List<Violation> out) {
    int expected = task.status().isTerminal() ? 1 : 0;
    if (told != expected) {
      out.add(
          new Violation(
              Violation.Kind.FINISHED_NOT_TOLD_ONCE,
              task.id(),
              task.status() + " task told " + told + " times as task.finished, not " + expected));
    }
  }

  private static void checkPath(TaskRow task, List<TaskEventRow> path, List<Violation> out) {
    if (path.isEmpty()) {
      out.add(illegal(task.id(), "no events at all"));
      return;
    }
    TaskStatus current = null;
    int completions = 0;
    for (TaskEventRow event : path) {
      if (event.from() != current) {
        out.add(
            illegal(
                task.id(), "event " + event + " does not start where the task was: " + current));
      } else if (!TaskTransitions.isAllowed(event.from(), event.to(), event.cause())) {
        out.add(illegal(task.id(), "event " + event + " is not an allowed transition"));
      }
      if (event.to() == TaskStatus.DONE || event.to() == TaskStatus.FAILED) {
        completions++;
      }
      current = event.to();
    }
    if (completions > 1) {
      out.add(
          new Violation(
              Violation.Kind.COMPLETED_TWICE, task.id(), completions + " completion events"));
    }
    if (current != task.status()) {
      out.add(illegal(task.id(), "events end in " + current + " but the task is " + task.status()));
    }
  }

  private void checkWaiting(TaskRow task, History history, List<Violation> out) {
    if (task.status().isTerminal()) {
      return;
    }
    boolean stuck =
        task.status() == TaskStatus.LOCKED
            ? task.leaseExpiresAt() == null
                || task.leaseExpiresAt().plus(slack).isBefore(history.readAt())
            : task.deadlineAt().plus(slack).isBefore(history.readAt());
    if (stuck) {
      out.add(
          new Violation(
              Violation.Kind.STUCK,
              task.id(),
              "still "
                  + task.status()
                  + " at "
                  + history.readAt()
                  + " (deadline "
                  + task.deadlineAt()
                  + ", lease "
                  + task.leaseExpiresAt()
                  + ")"));
    }
  }

  private static void checkClaims(TaskRow task, List<TaskEventRow> path, List<Violation> out) {
    int claims = 0;
    for (TaskEventRow event : path) {
      if (event.cause() == Cause.UNDELIVERED) {
        claims--; // a push the broker could not route: its attempt is not counted
        continue;
      }
      if (event.cause() != Cause.CLAIMED && event.cause() != Cause.PUSHED) {
        continue;
      }
      claims++;
      if (event.attempt() != claims) {
        out.add(
            new Violation(
                Violation.Kind.DOUBLE_HOLD,
                task.id(),
                "claim " + event + " is hand-out number " + claims));
      }
      if (event.at().isAfter(task.deadlineAt())) {
        out.add(
            new Violation(
                Violation.Kind.DELIVERED_AFTER_DEADLINE,
                task.id(),
                "claimed at " + event.at() + " after the deadline " + task.deadlineAt()));
      }
    }
    if (claims != task.attempts()) {
      out.add(
          new Violation(
              Violation.Kind.DOUBLE_HOLD,
              task.id(),
              claims + " claim events but attempts = " + task.attempts()));
    }
  }

  private static void checkDevices(
      UUID taskId,
      @Nullable TaskRow task,
      List<TaskEventRow> path,
      List<DeviceObservation> seen,
      List<Violation> out) {
    if (task == null) {
      // A device may name a task that does not exist (a fault sends results for random ids); it
      // must never have received or committed one.
      for (DeviceObservation o : seen) {
        if (o.kind() != Kind.RESULT_SENT) {
          out.add(
              new Violation(
                  Violation.Kind.RESULT_LOST, taskId, o + " for a task the database lacks"));
        }
      }
      return;
    }
    Set<UUID> results = new LinkedHashSet<>();
    for (DeviceObservation o : seen) {
      if (o.kind() != Kind.RESULT_SENT && !o.deviceId().equals(task.deviceId())) {
        out.add(
            new Violation(
                Violation.Kind.DOUBLE_HOLD,
                taskId,
                o + ", but the task is " + task.deviceId() + "'s"));
      }
      switch (o.kind()) {
        case RECEIVED -> {
          if (o.attempt() > task.attempts()) {
            out.add(
                new Violation(
                    Violation.Kind.DOUBLE_HOLD,
                    taskId,
                    "received attempt "
                        + o.attempt()
                        + " but the database records "
                        + task.attempts()));
          }
        }
        case COMMITTED -> results.add(o.resultId());
        case RESULT_SENT -> {}
      }
    }
    if (results.size() > 1) {
      out.add(
          new Violation(
              Violation.Kind.COMPLETED_TWICE, taskId, "committed with results " + results));
    }
    boolean completed =
        path.stream().anyMatch(e -> e.to() == TaskStatus.DONE || e.to() == TaskStatus.FAILED);
    for (UUID resultId : results) {
      if (!completed || !resultId.equals(task.resultId())) {
        out.add(
            new Violation(
                Violation.Kind.RESULT_LOST,
                taskId,
                "device got cmt with result "
                    + resultId
                    + " but the task is "
                    + task.status()
                    + " with result "
                    + task.resultId()));
      }
    }
  }

  private static Violation illegal(UUID taskId, String message) {
    return new Violation(Violation.Kind.ILLEGAL_TRANSITION, taskId, message);
  }
}
