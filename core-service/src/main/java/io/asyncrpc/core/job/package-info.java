/**
 * Fleet jobs' rollout: the scheduler that turns a job's targets into executions (ordinary tasks
 * with the job's id) at the rollout's rate, retries timed-out ones, aborts and completes jobs, and
 * tells each step as job events; safe on any number of core instances.
 */
@NullMarked
package io.asyncrpc.core.job;

import org.jspecify.annotations.NullMarked;
