/**
 * Classic against quorum queues on the same broker, for the traffic shapes of the core's queues:
 * messages per second from publish (confirmed) to consume (acknowledged), and the broker's CPU per
 * message.
 */
@NullMarked
package io.asyncrpc.bench.queues;

import org.jspecify.annotations.NullMarked;
