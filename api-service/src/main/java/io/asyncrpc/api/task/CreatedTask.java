package io.asyncrpc.api.task;

/**
 * The outcome of a create request.
 *
 * @param task the task
 * @param replayed true when an earlier request with the same Idempotency-Key created it
 */
record CreatedTask(TaskView task, boolean replayed) {}
