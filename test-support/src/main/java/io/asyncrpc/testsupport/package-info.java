/**
 * Chooses the real PostgreSQL and RabbitMQ (with its MQTT 5 listener) that integration tests talk
 * to: the local stack ({@code scripts/stack infra}) or Testcontainers, as {@code
 * IOTCORE_TEST_INFRA} says.
 */
@NullMarked
package io.asyncrpc.testsupport;

import org.jspecify.annotations.NullMarked;
