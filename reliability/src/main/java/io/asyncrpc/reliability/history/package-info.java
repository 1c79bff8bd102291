/**
 * Histories of a run (the database's tasks and task events, the client's 202 log, the devices'
 * message logs) and the checker of the invariants they must satisfy.
 */
@NullMarked
package io.asyncrpc.reliability.history;

import org.jspecify.annotations.NullMarked;
