/**
 * The core service: the task lifecycle between northbound task events (AMQP) and devices (MQTT 5
 * topics as routing keys on {@code amq.topic}), with claims, results, sweeps and presence.
 */
@NullMarked
package io.asyncrpc.core;

import org.jspecify.annotations.NullMarked;
