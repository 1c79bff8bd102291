package io.asyncrpc.protocol;

import java.util.UUID;

/**
 * JSON payload of {@code srv/<SN>/cmt}: the result of a task is stored.
 *
 * @param taskId the task
 * @param resultId the stored result, also in the user property {@code result_id}
 * @param status the task's final status, {@code DONE} or {@code FAILED}
 */
public record CommitMessage(UUID taskId, UUID resultId, String status) {}
