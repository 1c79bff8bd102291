package io.asyncrpc.api.outbox;

import java.util.UUID;

/**
 * An outbox row on its way to the broker.
 *
 * @param id the outbox row id
 * @param aggregateId the task the event is about; also the AMQP message id
 * @param eventType e.g. {@code TaskCreated}; the AMQP {@code type} property
 * @param routingKey e.g. {@code task.created}
 * @param payload the event as JSON text
 */
record PendingEvent(
    long id, UUID aggregateId, String eventType, String routingKey, String payload) {}
