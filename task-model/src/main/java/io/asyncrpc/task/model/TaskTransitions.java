package io.asyncrpc.task.model;

import static io.asyncrpc.task.model.TaskStatus.CANCELLED;
import static io.asyncrpc.task.model.TaskStatus.DONE;
import static io.asyncrpc.task.model.TaskStatus.EXPIRED;
import static io.asyncrpc.task.model.TaskStatus.FAILED;
import static io.asyncrpc.task.model.TaskStatus.LOCKED;
import static io.asyncrpc.task.model.TaskStatus.PENDING;
import static io.asyncrpc.task.model.TaskStatus.QUEUED;
import static io.asyncrpc.task.model.TaskStatus.TIMED_OUT;
import static io.asyncrpc.task.model.TaskStatus.UNREACHABLE;

import io.asyncrpc.task.model.TaskTransition.Cause;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The task state machine as data: every allowed transition, so tests and the history checker can
 * enumerate them.
 *
 * <pre>{@code
 *            +-------- cancel --------+
 * QUEUED --ack--> PENDING --request--> LOCKED --result--> DONE | FAILED
 *   |  +----------request-----------------^ |
 *   +- deadline passes --> EXPIRED          +- lease passes --> QUEUED (again) | TIMED_OUT | EXPIRED
 * }</pre>
 *
 * <p>{@code PUSHED} is the claim of protocol v2: the core locks the task and sends it to the device
 * with its payload, without a request. {@code UNDELIVERED} takes such a claim back when the broker
 * could not route the push (the device went offline): the attempt is not counted.
 *
 * <p>An online-only task (the seed's trigger-only mode) never waits for an offline device: it is
 * created UNREACHABLE when its device is offline, and becomes UNREACHABLE when the device
 * disconnects while it waits, or when its lease passes or its push comes back undelivered while the
 * device is offline ({@code DEVICE_OFFLINE}, instead of being queued again).
 *
 * <p>{@code PROGRESS} is no change of status: the device holding a task reported how far it is, and
 * its lease was extended (never past the deadline). It is recorded as an event, so a task's history
 * shows it. {@code CANCEL_CONFIRMED} is no change either: the v2 device that held a cancelled task
 * answered the cancel ({@code cna}); a terminal status is never left, only confirmed.
 *
 * <p>A result is also taken from a task that went back to QUEUED or PENDING after its lease passed:
 * the device did the work, and the result is worth more than a second run.
 */
public final class TaskTransitions {

  /** Every allowed transition. */
  public static final List<TaskTransition> ALL =
      List.of(
          t(null, QUEUED, Cause.CREATED),
          t(null, UNREACHABLE, Cause.DEVICE_OFFLINE),
          t(QUEUED, PENDING, Cause.ACKNOWLEDGED),
          t(QUEUED, LOCKED, Cause.CLAIMED),
          t(PENDING, LOCKED, Cause.CLAIMED),
          t(QUEUED, LOCKED, Cause.PUSHED),
          t(PENDING, LOCKED, Cause.PUSHED),
          t(LOCKED, DONE, Cause.RESULT_OK),
          t(LOCKED, FAILED, Cause.RESULT_FAILED),
          t(QUEUED, DONE, Cause.RESULT_OK),
          t(QUEUED, FAILED, Cause.RESULT_FAILED),
          t(PENDING, DONE, Cause.RESULT_OK),
          t(PENDING, FAILED, Cause.RESULT_FAILED),
          t(QUEUED, EXPIRED, Cause.DEADLINE_PASSED),
          t(PENDING, EXPIRED, Cause.DEADLINE_PASSED),
          t(LOCKED, EXPIRED, Cause.DEADLINE_PASSED),
          t(LOCKED, QUEUED, Cause.LEASE_PASSED),
          t(LOCKED, QUEUED, Cause.UNDELIVERED),
          t(LOCKED, TIMED_OUT, Cause.RETRIES_EXHAUSTED),
          t(QUEUED, CANCELLED, Cause.CANCELLED),
          t(PENDING, CANCELLED, Cause.CANCELLED),
          t(LOCKED, CANCELLED, Cause.CANCELLED),
          t(QUEUED, UNREACHABLE, Cause.DEVICE_OFFLINE),
          t(PENDING, UNREACHABLE, Cause.DEVICE_OFFLINE),
          t(LOCKED, UNREACHABLE, Cause.DEVICE_OFFLINE),
          t(LOCKED, LOCKED, Cause.PROGRESS),
          t(CANCELLED, CANCELLED, Cause.CANCEL_CONFIRMED));

  private TaskTransitions() {}

  /** Whether a task may go from {@code from} to {@code to}; {@code from} is null for creation. */
  public static boolean isAllowed(@Nullable TaskStatus from, TaskStatus to) {
    return ALL.stream().anyMatch(t -> t.from() == from && t.to() == to);
  }

  /** Whether a task may go from {@code from} to {@code to} for {@code cause}. */
  public static boolean isAllowed(@Nullable TaskStatus from, TaskStatus to, Cause cause) {
    return ALL.stream().anyMatch(t -> t.from() == from && t.to() == to && t.cause() == cause);
  }

  private static TaskTransition t(@Nullable TaskStatus from, TaskStatus to, Cause cause) {
    return new TaskTransition(from, to, cause);
  }
}
