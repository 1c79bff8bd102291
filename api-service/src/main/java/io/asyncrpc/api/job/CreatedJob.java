package io.asyncrpc.api.job;

/**
 * The answer to a create: the job, and whether an earlier request with the same idempotency key
 * created it.
 */
record CreatedJob(JobView job, boolean replayed) {}
