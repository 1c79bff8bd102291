package io.asyncrpc.core.task;

import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.util.UUID;

/**
 * One transition a statement made, as recorded in {@code task_events}.
 *
 * @param taskId the task
 * @param from the status before
 * @param to the status after
 * @param cause why
 */
record TransitionRow(UUID taskId, TaskStatus from, TaskStatus to, Cause cause) {}
