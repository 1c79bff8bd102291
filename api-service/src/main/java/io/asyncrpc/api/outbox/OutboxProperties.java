package io.asyncrpc.api.outbox;

import io.asyncrpc.task.model.NorthboundTopology;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The transactional outbox and its relay.
 *
 * @param exchange the topic exchange events are published to (declared at start-up)
 * @param relayEnabled whether the relay runs in this instance
 * @param relayInterval pause between two relay runs
 * @param gracePeriod how old a row must be before the relay takes it, so the relay does not race
 *     the immediate publication after commit
 * @param batchSize most rows one relay run publishes
 * @param confirmTimeout how long to wait for the broker's publisher confirm
 * @param maxInFlight most events published right after commit and not yet confirmed; when more are
 *     waiting (a slow broker), further events are left to the relay
 * @param deleteLinger how long the rows of confirmed events wait to be deleted together; well under
 *     {@code gracePeriod}, or the relay would publish them again
 */
@ConfigurationProperties("iot.outbox")
public record OutboxProperties(
    @DefaultValue(NorthboundTopology.TASKS_EXCHANGE) String exchange,
    @DefaultValue("true") boolean relayEnabled,
    @DefaultValue("1s") Duration relayInterval,
    @DefaultValue("5s") Duration gracePeriod,
    @DefaultValue("100") int batchSize,
    @DefaultValue("5s") Duration confirmTimeout,
    @DefaultValue("256") int maxInFlight,
    @DefaultValue("200ms") Duration deleteLinger) {}
