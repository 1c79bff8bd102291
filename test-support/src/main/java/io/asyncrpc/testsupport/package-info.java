/**
 * Chooses the real PostgreSQL and RabbitMQ (with its MQTT 5 listener) that integration tests talk
 * to: Testcontainers where a Docker engine runs, the local stack ({@code scripts/stack infra})
 * otherwise.
 */
package io.asyncrpc.testsupport;
