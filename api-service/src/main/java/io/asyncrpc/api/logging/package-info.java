/**
 * The log context of a request or a unit of work: MDC keys {@code task_id} and {@code device_id}.
 */
package io.asyncrpc.api.logging;
