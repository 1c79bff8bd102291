/** Tasks: the REST resource, the {@code TaskManagement} facade and the task tables. */
package io.asyncrpc.api.task;
