/**
 * The device side: consumes what devices publish ({@code dev.<SN>.*} on {@code amq.topic}) and
 * publishes the core's answers ({@code srv.<SN>.*}), AMQP only.
 */
@NullMarked
package io.asyncrpc.core.southbound;

import org.jspecify.annotations.NullMarked;
