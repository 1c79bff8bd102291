/**
 * Fleet jobs at scale: accepting a 10,000-device job, the rollout's rate, the abort's overshoot,
 * and job-driven lifecycles against the same tasks posted one by one.
 */
@NullMarked
package io.asyncrpc.bench.jobs;

import org.jspecify.annotations.NullMarked;
