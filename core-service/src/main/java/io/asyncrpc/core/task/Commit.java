package io.asyncrpc.core.task;

import io.asyncrpc.task.model.TaskStatus;
import java.util.UUID;

/**
 * A stored result: what the core answers on {@code srv/<SN>/cmt}.
 *
 * @param taskId the task
 * @param resultId the stored result
 * @param status {@code DONE} or {@code FAILED}
 * @param repeated whether the result was stored before and this answers a repeated result
 */
public record Commit(UUID taskId, UUID resultId, TaskStatus status, boolean repeated) {}
