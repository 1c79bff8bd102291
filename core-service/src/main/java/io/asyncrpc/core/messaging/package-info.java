/**
 * The core's AMQP plumbing: the queues it declares, the listener containers (single and batch), how
 * a consumed message is settled, and the converter that keeps raw correlation bytes.
 */
@NullMarked
package io.asyncrpc.core.messaging;

import org.jspecify.annotations.NullMarked;
