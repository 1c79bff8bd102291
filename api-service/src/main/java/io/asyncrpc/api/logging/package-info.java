/**
 * The log context of an API request: the task or device its path names, as web-support's {@link
 * io.asyncrpc.web.logging.LogContext} MDC keys {@code task_id} and {@code device_id}.
 */
@NullMarked
package io.asyncrpc.api.logging;

import org.jspecify.annotations.NullMarked;
