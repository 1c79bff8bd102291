package io.asyncrpc.web;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a service says about its HTTP errors and its OpenAPI document.
 *
 * @param retryAfter the {@code Retry-After} of a {@code 503} (database unreachable, a dependency
 *     refusing work), in whole seconds, at least one
 * @param notFoundHint a sentence added to the detail of a {@code 404} for a path that names no
 *     resource (for example where the API lives); empty for none
 * @param openapi the service-specific parts of the OpenAPI document
 */
@ConfigurationProperties("iot.web")
public record WebSupportProperties(
    @DefaultValue("5s") Duration retryAfter,
    @DefaultValue("") String notFoundHint,
    @DefaultValue OpenApi openapi) {

  public WebSupportProperties {
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("iot.web.retry-after must not be negative: " + retryAfter);
    }
    notFoundHint = notFoundHint.strip();
  }

  /** The {@code Retry-After} header's value: whole seconds, at least one. */
  public String retryAfterHeader() {
    return Long.toString(Math.max(1, retryAfter.toSeconds()));
  }

  /**
   * The service-specific parts of the OpenAPI document ({@code /v3/api-docs}).
   *
   * @param title the document's title
   * @param version the API's version
   * @param description what the API does and how its errors look
   * @param license the license's name
   * @param bearerDescription when not empty, every operation requires an HTTP bearer JWT (scheme
   *     {@code bearer-jwt}) and this describes how to get one
   * @param tokenUrl when not empty, the OAuth2 client-credentials token endpoint offered beside the
   *     bearer scheme (scheme {@code client-credentials}), so that Swagger UI's Authorize gets the
   *     token itself; a relative URL is resolved against the document's server
   * @param scopes the scopes a client may ask that endpoint for, each with what it allows
   */
  public record OpenApi(
      @DefaultValue("IoT Async-RPC Core") String title,
      @DefaultValue("v1") String version,
      @DefaultValue("") String description,
      @DefaultValue("Apache-2.0") String license,
      @DefaultValue("") String bearerDescription,
      @DefaultValue("") String tokenUrl,
      @DefaultValue Map<String, String> scopes) {

    public OpenApi {
      description = description.strip();
      bearerDescription = bearerDescription.strip();
      tokenUrl = tokenUrl.strip();
      scopes = new TreeMap<>(scopes);
    }
  }
}
