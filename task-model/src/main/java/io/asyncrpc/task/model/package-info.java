/** The task state machine and the northbound event records shared by the services. */
@NullMarked
package io.asyncrpc.task.model;

import org.jspecify.annotations.NullMarked;
