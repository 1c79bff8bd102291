package io.asyncrpc.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The REST API as a control-center app sees it: JSON over HTTP with a bearer token. By default the
 * token is one of {@link TestTokens#shared()} for client and tenant {@value #DEFAULT_TENANT} with
 * every API scope (a fresh one per request, so it never expires during a long test).
 */
public final class ApiClient {

  /** The client id and tenant of the default token. */
  public static final String DEFAULT_TENANT = "system-tests";

  /** One answer: the status and the JSON body (a missing node when the body is empty). */
  public record Answer(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final Supplier<String> token;

  /** A client of the API at {@code base} with the default token. */
  public ApiClient(String base) {
    this(
        base,
        () ->
            TestTokens.shared()
                .token(
                    DEFAULT_TENANT, DEFAULT_TENANT, "tasks:read", "tasks:write", "devices:admin"));
  }

  /** A client sending the tokens {@code token} supplies (null: no Authorization header). */
  public ApiClient(String base, Supplier<String> token) {
    this.base = base;
    this.token = token;
  }

  /**
   * A token from ca-service at {@code caUrl} by the client-credentials grant (RFC 6749 §4.4). It is
   * fetched once: it lives 15 minutes, longer than any run that uses it.
   */
  public static Supplier<String> clientCredentials(URI caUrl, String clientId, String secret) {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(caUrl.resolve("/oauth/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build();
    Answer answer = new ApiClient(caUrl.toString(), () -> null).send(request);
    if (answer.status() != 200) {
      throw new IllegalStateException("no token from " + caUrl + ": " + answer);
    }
    String token = answer.body().get("access_token").asString();
    return () -> token;
  }

  public Answer post(String path, Object body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** Creates a task ({@code ttl} 300 s), requires its 202 and returns its id. */
  public String createTask(String device, String method, Object payload) {
    Answer answer =
        post(
            "/tasks",
            Map.of("device_id", device, "method_code", method, "ttl", 300, "payload", payload));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
    return answer.body().get("id").asString();
  }

  /** Polls the task until it is DONE or FAILED, at most {@code atMost}; returns it then. */
  public JsonNode awaitFinished(String taskId, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> get("/tasks/" + taskId).body(),
            task -> List.of("DONE", "FAILED").contains(task.get("status").asString()));
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Answer delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Answer send(HttpRequest.Builder request) {
    String bearer = token.get();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.timeout(Duration.ofSeconds(10)).build());
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body =
          response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
