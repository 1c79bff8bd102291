package io.asyncrpc.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP client that sends exactly what a test gives it (path and query already encoded, any body
 * and content type), with a timeout on every request: a request that hangs fails the test.
 */
public final class RawClient {

  /** How long any request may take before the test fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final @Nullable String token;

  public RawClient(int port, @Nullable String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /**
   * One answer.
   *
   * @param status the HTTP status
   * @param contentType the Content-Type, or empty text
   * @param retryAfter the Retry-After header, if any
   * @param body the body text
   */
  public record Answer(int status, String contentType, Optional<String> retryAfter, String body) {

    public boolean isProblem() {
      return contentType.startsWith("application/problem+json");
    }
  }

  public Answer get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, null, Map.of());
  }

  public Answer delete(String pathAndQuery) {
    return send("DELETE", pathAndQuery, null, null, Map.of());
  }

  public Answer postJson(String path, String body, Map<String, String> headers) {
    return send("POST", path, "application/json", body, headers);
  }

  /** Sends a request; fails with {@link HttpTimeoutException} wrapped when it takes too long. */
  public Answer send(
      String method,
      String pathAndQuery,
      @Nullable String contentType,
      @Nullable String body,
      Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Retry-After"),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathAndQuery, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
