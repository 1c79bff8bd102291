package io.asyncrpc.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our REST APIs (api-service's {@code /api/v1}, ca-service's token and admin endpoints) as a
 * control-center app calls them: JSON over HTTP/1.1 (through the TLS edge, HTTP/2 as it offers)
 * with a bearer token. The one client of them for the benchmarks, the fault suite, the end-to-end
 * and edge tests and the services' own ITs.
 *
 * <p>The generic calls ({@link #get}, {@link #post}, {@link #delete}, {@link #send}) answer
 * whatever the service answered, headers and bytes included; the typed ones ({@link #createTask},
 * {@link #registerDevice}, ...) require their success status and throw {@link UnexpectedStatus}
 * otherwise; {@link #stream} opens the event stream. A failure on the wire is an {@link
 * UncheckedIOException}.
 */
public final class ApiClient {

  /** Every scope of the API: what the suites' default tokens carry. */
  public static final List<String> ALL_SCOPES =
      List.of("tasks:read", "tasks:write", "devices:admin", "webhooks:admin");

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration TOKEN_REUSE = Duration.ofMinutes(10);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * One answer.
   *
   * @param status the HTTP status
   * @param body the body as JSON: a missing node when empty, a text node when not JSON
   * @param headers the response headers
   * @param bytes the body as sent
   */
  public record Answer(int status, JsonNode body, HttpHeaders headers, byte[] bytes) {

    /** An answer without headers or bytes: what a caller records when nothing was answered. */
    public Answer(int status, JsonNode body) {
      this(status, body, HttpHeaders.of(Map.of(), (name, value) -> true), new byte[0]);
    }

    /** The body as text (UTF-8). */
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A field of the JSON body as text (as {@link JsonNode#asString()} reads it). */
    public String text(String field) {
      return body.path(field).asString();
    }

    /** The first value of header {@code name}, or null. */
    public @Nullable String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The {@code Location}, or null. */
    public @Nullable URI location() {
      String location = header("Location");
      return location == null ? null : URI.create(location);
    }

    /** The {@code Content-Type}, or empty text. */
    public String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    public Optional<String> retryAfter() {
      return headers.firstValue("Retry-After");
    }

    /** Whether the body is an RFC 9457 problem. */
    public boolean isProblem() {
      return contentType().startsWith("application/problem+json");
    }

    /** The problem's {@code type}; empty when the body has none. */
    public String problemType() {
      return text("type");
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  /** A webhook endpoint's id and its signing secret (shown on create only). */
  public record Webhook(String id, String secret) {}

  private final HttpClient http;
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
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        base,
        token,
        timeout);
  }

  private ApiClient(HttpClient http, String base, Supplier<String> token, Duration timeout) {
    this.http = http;
    this.base = base;
    this.token = token;
    this.timeout = timeout;
  }

  /**
   * A client of a service on this machine's {@code port}, paths from its root ({@code
   * /api/v1/tasks}), sending {@code token} (null: none) with every request; 15 s per request, so a
   * request that hangs fails its test.
   */
  public static ApiClient local(int port, @Nullable String token) {
    return new ApiClient("http://127.0.0.1:" + port, () -> token, Duration.ofSeconds(15));
  }

  /**
   * A client of the API behind TLS at {@code base} ({@code https://localhost:8443}, paths from its
   * root), trusting what {@code trust} trusts (a test's own CA), sending no token until {@link
   * #withToken}; 15 s per request. The HTTP version is negotiated, so a server that offers HTTP/2
   * gets it, as from a browser.
   */
  public static ApiClient trusting(String base, SSLContext trust) {
    return new ApiClient(
        HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build(),
        base,
        () -> null,
        Duration.ofSeconds(15));
  }

  /** A client of the same service with {@code token} instead (null: none). */
  public ApiClient withToken(@Nullable String token) {
    return new ApiClient(http, base, () -> token, timeout);
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
      private @Nullable String current;
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
    String root = caUrl.resolve("/").toString();
    String base = root.substring(0, root.length() - 1);
    Answer answer = new ApiClient(base, () -> null, Duration.ofSeconds(10)).token(clientId, secret);
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
    return send("GET", path, null, Map.of(), timeout);
  }

  /** GETs {@code path} with {@code bearer} instead of this client's token (null: none). */
  public Answer getAs(String path, @Nullable String bearer) {
    return withToken(bearer).get(path);
  }

  /** POSTs {@code body}: a {@link String} as it is (JSON text), anything else as JSON. */
  public Answer post(String path, @Nullable Object body) {
    return send("POST", path, body, Map.of(), timeout);
  }

  /** POSTs {@code body} with {@code headers} besides (a Content-Type there replaces JSON's). */
  public Answer post(String path, @Nullable Object body, Map<String, String> headers) {
    return send("POST", path, body, headers, timeout);
  }

  /** POSTs {@code body} (null: none) with {@code bearer} instead of this client's token. */
  public Answer postAs(String path, @Nullable Object body, @Nullable String bearer) {
    return withToken(bearer).post(path, body);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, Map.of(), timeout);
  }

  /**
   * Sends {@code method} to {@code path} (already encoded, as the test gives it) with {@code body}
   * as {@link #post} sends it and {@code headers} besides.
   */
  public Answer send(
      String method, String path, @Nullable Object body, Map<String, String> headers) {
    return send(method, path, body, headers, timeout);
  }

  /** A form POST ({@code application/x-www-form-urlencoded}), {@code authorization} as given. */
  public Answer form(String path, String body, @Nullable String authorization) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return withToken(null).send("POST", path, body, headers, timeout);
  }

  /** ca-service's {@code POST /oauth/token}: client credentials by HTTP Basic (RFC 6749 §4.4). */
  public Answer token(String clientId, String secret) {
    return form("/oauth/token", "grant_type=client_credentials", basic(clientId, secret));
  }

  /**
   * The {@code Authorization} header's value for HTTP Basic with {@code user} and {@code password}.
   */
  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Opens {@code GET path} as a server-sent event stream ({@code Accept: text/event-stream}),
   * resuming after {@code lastEventId} (null: from now); the caller closes it. A refusal is
   * answered too: see {@link ServerSentEvents#status()}.
   */
  public ServerSentEvents stream(String path, @Nullable String lastEventId) {
    // No request timeout: the stream lasts as long as the test reads it; ServerSentEvents#next
    // bounds each wait.
    HttpRequest.Builder request =
        authorized(HttpRequest.newBuilder(URI.create(base + path)))
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new ServerSentEvents(
        exchange(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
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
    return expect("GET " + path, send("GET", path, null, Map.of(), limit), 200);
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

  private Answer send(
      String method,
      String path,
      @Nullable Object body,
      Map<String, String> headers,
      Duration limit) {
    HttpRequest.Builder request =
        authorized(HttpRequest.newBuilder(URI.create(base + path)).timeout(limit));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
        request.header("Content-Type", "application/json");
      }
      request.method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    String bearer = token.get();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return request;
  }

  private Answer send(HttpRequest request) {
    HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    byte[] bytes = response.body();
    return new Answer(
        response.statusCode(),
        json(new String(bytes, StandardCharsets.UTF_8)),
        response.headers(),
        bytes);
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
