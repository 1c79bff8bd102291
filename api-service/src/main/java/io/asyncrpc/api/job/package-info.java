/**
 * Fleet jobs: one request that targets many devices (by id or tag), with a rollout rate and abort
 * criteria; each execution is an ordinary task. This package is the API side (create, read, list,
 * cancel); core-service's job package runs the rollout.
 */
@NullMarked
package io.asyncrpc.api.job;

import org.jspecify.annotations.NullMarked;
