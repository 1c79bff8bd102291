/** Transactional outbox: events committed with their task and relayed to RabbitMQ at least once. */
package io.asyncrpc.api.outbox;
