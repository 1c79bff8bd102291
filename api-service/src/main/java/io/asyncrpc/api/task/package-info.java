/** Tasks: the REST resource, the {@code TaskManagement} facade and the task tables. */
@NullMarked
package io.asyncrpc.api.task;

import org.jspecify.annotations.NullMarked;
