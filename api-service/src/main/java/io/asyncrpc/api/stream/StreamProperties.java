package io.asyncrpc.api.stream;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The event stream of this instance.
 *
 * @param heartbeat how often an idle stream gets a comment line, so proxies and clients see it
 *     alive
 * @param maxSubscribers most streams this instance serves at once; one more is a {@code 503}
 * @param maxQueued most events waiting to be written to one slow stream; beyond that the stream is
 *     closed and the client resumes with {@code Last-Event-ID}
 * @param retryHint the reconnection delay sent to clients ({@code retry:})
 */
@Validated
@ConfigurationProperties("iot.stream")
record StreamProperties(
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("20000") @Min(1) int maxSubscribers,
    @DefaultValue("10000") @Min(1) int maxQueued,
    @DefaultValue("2s") Duration retryHint) {}
