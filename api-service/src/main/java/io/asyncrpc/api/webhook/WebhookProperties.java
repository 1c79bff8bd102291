package io.asyncrpc.api.webhook;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signed webhooks: fan-out, senders, retries, disabling and retention (docs/webhooks.md).
 *
 * @param enabled whether this instance fans events out and sends deliveries; the API works either
 *     way, and several instances share the work safely
 * @param allowPrivateTargets whether endpoints may resolve to loopback, private (RFC 1918, {@code
 *     fc00::/7}, {@code 100.64.0.0/10}) and link-local addresses; off in production, on for the
 *     local stack and tests. Unspecified, multicast and broadcast addresses are always refused
 * @param fanoutInterval pause between two fan-out runs over the tenant event log
 * @param fanoutBatchSize most events one fan-out transaction takes
 * @param pollInterval pause between two claims of due deliveries
 * @param maxInFlight most requests this instance has open at once
 * @param connectTimeout how long a TCP (and TLS) connection to an endpoint may take
 * @param requestTimeout how long one attempt may take in all, from sending to the end of the
 *     answer; longer is a failed attempt
 * @param lease how long a claim holds a delivery; a claim whose sender died is taken again after
 *     it. Longer than {@code connectTimeout} plus {@code requestTimeout}
 * @param retry when failed attempts are tried again
 * @param secretOverlap how long the previous secret keeps signing after a rotation
 * @param disableAfterFailures failed attempts in a row after which an endpoint is disabled...
 * @param disableAfterFailingFor ...provided the first of them is at least this old
 * @param retention how long finished (succeeded or failed) deliveries are kept
 * @param retentionInterval pause between two retention runs
 * @param retentionBatchSize most deliveries one retention statement deletes
 * @param maxEndpointsPerTenant most endpoints a tenant may have: each multiplies the deliveries of
 *     every event it subscribes to
 */
@ConfigurationProperties("iot.webhooks")
@Validated
public record WebhookProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("false") boolean allowPrivateTargets,
    @DefaultValue("500ms") @NotNull Duration fanoutInterval,
    @DefaultValue("500") @Min(1) int fanoutBatchSize,
    @DefaultValue("500ms") @NotNull Duration pollInterval,
    @DefaultValue("64") @Min(1) int maxInFlight,
    @DefaultValue("5s") @NotNull Duration connectTimeout,
    @DefaultValue("15s") @NotNull Duration requestTimeout,
    @DefaultValue("60s") @NotNull Duration lease,
    @DefaultValue @Valid @NotNull Retry retry,
    @DefaultValue("24h") @NotNull Duration secretOverlap,
    @DefaultValue("20") @Min(1) int disableAfterFailures,
    @DefaultValue("24h") @NotNull Duration disableAfterFailingFor,
    @DefaultValue("7d") @NotNull Duration retention,
    @DefaultValue("10m") @NotNull Duration retentionInterval,
    @DefaultValue("1000") @Min(1) int retentionBatchSize,
    @DefaultValue("20") @Min(1) int maxEndpointsPerTenant) {

  public WebhookProperties {
    if (lease != null
        && connectTimeout != null
        && requestTimeout != null
        && lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
      // A claim that ends while its attempt runs would let a second sender post the same message.
      throw new IllegalArgumentException(
          "iot.webhooks.lease must be longer than connect-timeout plus request-timeout");
    }
  }

  /**
   * The retry schedule: exponential backoff with jitter. The first attempt is made at once; after
   * the n-th failed one the next waits {@code initialInterval * multiplier^(n-1)}, at most {@code
   * maxInterval}, times a random factor in {@code [1 - jitter, 1 + jitter]}.
   *
   * @param initialInterval the wait after the first failed attempt
   * @param multiplier how much each wait grows
   * @param maxInterval the longest wait
   * @param maxAttempts attempts in all, the first included; the delivery fails after the last
   * @param jitter the random spread of each wait, so endpoints that failed together do not get
   *     their retries together
   * @param maxRetryAfter the longest {@code Retry-After} of a {@code 429} or {@code 503} honoured;
   *     a longer one waits this long
   */
  public record Retry(
      @DefaultValue("5s") @NotNull Duration initialInterval,
      @DefaultValue("5") @DecimalMin("1.0") double multiplier,
      @DefaultValue("10h") @NotNull Duration maxInterval,
      @DefaultValue("8") @Min(1) int maxAttempts,
      @DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("1.0") double jitter,
      @DefaultValue("1h") @NotNull Duration maxRetryAfter) {}
}
