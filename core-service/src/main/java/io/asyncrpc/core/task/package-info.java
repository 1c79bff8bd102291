/**
 * The task lifecycle: every status change of a task happens in {@link
 * io.asyncrpc.core.task.TaskLifecycle}, in one transaction, recorded as a task event.
 */
@NullMarked
package io.asyncrpc.core.task;

import org.jspecify.annotations.NullMarked;
