package io.asyncrpc.testsupport;

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
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our REST API ({@code /api/v1}) as a control-center app calls it: JSON over HTTP/1.1 with a bearer
 * token. The one client of it for the benchmarks, the fault suite and the end-to-end tests.
 *
 * <p>The generic calls ({@link #get}, {@link #post}, {@link #delete}) answer whatever the API
 * answered; the typed ones ({@link #createTask}, {@link #registerDevice}, ...) require their
 * success status and throw {@link UnexpectedStatus} otherwise. A failure on the wire is an {@link
 * UncheckedIOException}.
 */
public final class ApiClient {

  /** Every scope of the API: what the suites' default tokens carry. */
  public static final List<String> ALL_SCOPES =
      List.of("tasks:read", "tasks:write", "devices:admin", "webhooks:admin");

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration TOKEN_REUSE = Duration.ofMinutes(10);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** One answer: the status and the JSON body (a missing node when the body is empty). */
  public record Answer(int status, JsonNode body) {}

  /** A webhook endpoint's id and its signing secret (shown on create only). */
  public record Webhook(String id, String secret) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final Supplier<String> token;
  private final Duration timeout;

  /**
   * A client of the API at {@code base} (for example {@code http://127.0.0.1:8080/api/v1}) sending
   * the tokens {@code token} supplies (null from it: no Authorization header); 30 s per request.
   */
  public ApiClient(String base, Supplier<String> token) {
    this(base, token, DEFAULT_TIMEOUT);
  }

  /** As {@link #ApiClient(String, Supplier)}, with {@code timeout} per request. */
  public ApiClient(String base, Supplier<String> token, Duration timeout) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
  }

  /**
   * A client with tokens of {@link TestTokens#shared()} for client id and tenant {@code tenant}
   * with {@link #ALL_SCOPES}; the service must trust that key (see {@code
   * ServiceProcess.Builder#trustingTestTokens}).
   */
  public static ApiClient forTenant(String base, String tenant) {
    return new ApiClient(base, testTokens(tenant, ALL_SCOPES.toArray(String[]::new)));
  }

  /**
   * Tokens of {@link TestTokens#shared()} for client id and tenant {@code tenant}: one is reused
   * for ten minutes (it lives fifteen), since signing one per request would put the client's RSA
   * work into a benchmark's figures.
   */
  public static Supplier<String> testTokens(String tenant, String... scopes) {
    return new Supplier<>() {
      private String current;
      private long since;

      @Override
      public synchronized String get() {
        long now = System.nanoTime();
        if (current == null || now - since > TOKEN_REUSE.toNanos()) {
          current = TestTokens.shared().token(tenant, tenant, scopes);
          since = now;
        }
        return current;
      }
    };
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

  /** The API's base address, for example {@code http://127.0.0.1:8080/api/v1}. */
  public String base() {
    return base;
  }

  /** The {@code Authorization} header's value, for a request this client does not make. */
  public String authorization() {
    return "Bearer " + token.get();
  }

  public Answer get(String path) {
    return send("GET", path, null, timeout);
  }

  /** POSTs {@code body}: a {@link String} as it is (JSON text), anything else as JSON. */
  public Answer post(String path, Object body) {
    return send("POST", path, body, timeout);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, timeout);
  }

  /** Registers a device; an existing one is fine. */
  public void registerDevice(String id) {
    expect("POST /devices", post("/devices", "{\"id\":\"" + id + "\"}"), 201, 409);
  }

  /** Creates a task ({@code ttl} 300 s) with {@code payload} as JSON; its id once answered 202. */
  public UUID createTask(String device, String methodCode, Object payload) {
    return createTask(device, methodCode, 300, JSON.writeValueAsString(payload));
  }

  /** Creates a task with the JSON text {@code payloadJson}; its id once answered 202. */
  public UUID createTask(String device, String methodCode, int ttlSeconds, String payloadJson) {
    Answer answer =
        post(
            "/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"%s\",\"ttl\":%d,\"payload\":%s}"
                .formatted(device, methodCode, ttlSeconds, payloadJson));
    return UUID.fromString(expect("POST /tasks", answer, 202).get("id").asString());
  }

  /** The task as {@code GET /tasks/{id}} shows it. */
  public JsonNode task(UUID task) {
    return task(task, 0);
  }

  /**
   * The task as {@code GET /tasks/{id}} shows it; with {@code waitSeconds > 0} as {@code ?wait=N},
   * answered as soon as the task finished or when the wait is over.
   */
  public JsonNode task(UUID task, int waitSeconds) {
    String path = "/tasks/" + task + (waitSeconds > 0 ? "?wait=" + waitSeconds : "");
    Duration limit = waitSeconds > 0 ? Duration.ofSeconds(waitSeconds + 30L) : timeout;
    return expect("GET " + path, send("GET", path, null, limit), 200);
  }

  /** The status of a task, for example {@code LOCKED} or {@code DONE}. */
  public String status(UUID task) {
    return task(task).path("status").asString("");
  }

  /** Polls the task until it is DONE or FAILED, at most {@code atMost}; returns it then. */
  public JsonNode awaitFinished(UUID task, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      JsonNode current = task(task);
      if (List.of("DONE", "FAILED").contains(current.path("status").asString())) {
        return current;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "task " + task + " not finished in " + atMost + ": " + current);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Registers a webhook endpoint at {@code url} for {@code eventTypes}. */
  public Webhook createWebhook(String url, String description, String... eventTypes) {
    JsonNode body =
        expect(
            "POST /webhooks",
            post(
                "/webhooks",
                Map.of("url", url, "event_types", List.of(eventTypes), "description", description)),
            201);
    return new Webhook(body.get("id").asString(), body.get("secret").asString());
  }

  /** Deletes a webhook endpoint; one already gone is fine. */
  public void deleteWebhook(String id) {
    Answer answer = delete("/webhooks/" + id);
    if (answer.status() / 100 != 2 && answer.status() != 404) {
      throw new UnexpectedStatus("DELETE /webhooks/" + id, answer.status(), answer.body());
    }
  }

  private static JsonNode expect(String request, Answer answer, int... statuses) {
    for (int status : statuses) {
      if (answer.status() == status) {
        return answer.body();
      }
    }
    throw new UnexpectedStatus(request, answer.status(), answer.body());
  }

  /** The body as JSON; one that is not JSON (a proxy's error page) as a text node. */
  private static JsonNode json(String body) {
    if (body.isEmpty()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return JSON.getNodeFactory().stringNode(body);
    }
  }

  private Answer send(String method, String path, Object body, Duration limit) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(limit);
    String bearer = token.get();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String json = body instanceof String text ? text : JSON.writeValueAsString(body);
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return send(request.build());
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), json(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
