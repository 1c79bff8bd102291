/** Transactional outbox: events committed with their task and relayed to RabbitMQ at least once. */
@NullMarked
package io.asyncrpc.api.outbox;

import org.jspecify.annotations.NullMarked;
