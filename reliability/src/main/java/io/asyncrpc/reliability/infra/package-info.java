/**
 * The suite's private infrastructure (its own PostgreSQL cluster and RabbitMQ nodes, driven by
 * {@code scripts/faults fixture}) and the packaged services as processes it can kill.
 */
@NullMarked
package io.asyncrpc.reliability.infra;

import org.jspecify.annotations.NullMarked;
