package io.asyncrpc.api.event;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The tenant event log as this instance follows and keeps it.
 *
 * @param pollInterval how often the feed reads what became readable; the added latency of the
 *     stream, of waiting requests and of webhooks is at most this (plus the oldest running
 *     transaction)
 * @param pageSize most events one read takes; a full page is followed at once by the next
 * @param retention how long events are kept; a client can resume from an event this recent
 * @param retentionBatch most rows one retention statement deletes
 */
@Validated
@ConfigurationProperties("iot.events")
public record EventProperties(
    @DefaultValue("50ms") Duration pollInterval,
    @DefaultValue("500") @Min(1) @Max(10_000) int pageSize,
    @DefaultValue("7d") Duration retention,
    @DefaultValue("10000") @Min(1) int retentionBatch) {}
