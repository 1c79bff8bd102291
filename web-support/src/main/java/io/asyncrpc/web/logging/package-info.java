/**
 * The log context of a request, a message or a unit of work: MDC keys {@code task_id} and {@code
 * device_id}, the same in every service. Needs nothing but SLF4J.
 */
@NullMarked
package io.asyncrpc.web.logging;

import org.jspecify.annotations.NullMarked;
