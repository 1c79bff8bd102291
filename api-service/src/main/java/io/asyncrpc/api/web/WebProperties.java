package io.asyncrpc.api.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits of the API.
 *
 * @param maxRequestSize largest request body accepted; larger ones get {@code 413} before parsing
 * @param retryAfter the {@code Retry-After} of a {@code 503} (database unreachable, broker alarm),
 *     in whole seconds
 */
@ConfigurationProperties("iot.api.web")
public record WebProperties(
    @DefaultValue("256KB") DataSize maxRequestSize, @DefaultValue("5s") Duration retryAfter) {

  /** The {@code Retry-After} header's value: whole seconds, at least one. */
  public String retryAfterHeader() {
    return Long.toString(Math.max(1, retryAfter.toSeconds()));
  }
}
