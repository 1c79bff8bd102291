package io.asyncrpc.bench.harness;

import io.asyncrpc.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API as a control-center app uses it, with a bearer token of {@link TestTokens#shared()}
 * (api-service is started trusting that key). One token is reused for ten minutes: signing one per
 * request would put the client's RSA work into the measured figures.
 */
public final class Api {

  /** The tenant (and client id) of the benchmark's tokens. */
  public static final String TENANT = "bench";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration TOKEN_LIFE = Duration.ofMinutes(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private String token;
  private long tokenSince;

  /** A client of the API at {@code base}, for example {@code http://127.0.0.1:8080/api/v1}. */
  public Api(String base) {
    this.base = base;
  }

  /** An answer the benchmark did not expect. */
  public static final class UnexpectedAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    UnexpectedAnswer(String request, int status, String body) {
      super(request + " answered " + status + ": " + body);
    }
  }

  /** Registers a device; an existing one is fine. */
  public void registerDevice(String id) throws IOException, InterruptedException {
    HttpResponse<String> response = post("/devices", "{\"id\":\"" + id + "\"}");
    if (response.statusCode() != 201 && response.statusCode() != 409) {
      throw new UnexpectedAnswer("POST /devices", response.statusCode(), response.body());
    }
  }

  /** Creates a task and returns its id once the API answered 202. */
  public UUID createTask(String device, String methodCode, int ttlSeconds, String payloadJson)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        post(
            "/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"%s\",\"ttl\":%d,\"payload\":%s}"
                .formatted(device, methodCode, ttlSeconds, payloadJson));
    if (response.statusCode() != 202) {
      throw new UnexpectedAnswer("POST /tasks", response.statusCode(), response.body());
    }
    return UUID.fromString(JSON.readTree(response.body()).get("id").asString());
  }

  /**
   * The task as {@code GET /tasks/{id}} shows it; with {@code waitSeconds > 0} as {@code ?wait=N},
   * answered as soon as the task finished or when the wait is over.
   */
  public JsonNode task(UUID task, int waitSeconds) throws IOException, InterruptedException {
    String path = "/tasks/" + task + (waitSeconds > 0 ? "?wait=" + waitSeconds : "");
    HttpRequest.Builder request = request(path).GET();
    if (waitSeconds > 0) {
      request.timeout(Duration.ofSeconds(waitSeconds + 30L));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new UnexpectedAnswer("GET " + path, response.statusCode(), response.body());
    }
    return JSON.readTree(response.body());
  }

  /** A webhook endpoint's id and its signing secret (shown on create only). */
  public record Webhook(String id, String secret) {}

  /** Registers a webhook endpoint at {@code url} for {@code eventTypes}. */
  public Webhook createWebhook(String url, String... eventTypes)
      throws IOException, InterruptedException {
    StringBuilder types = new StringBuilder();
    for (String type : eventTypes) {
      types.append(types.isEmpty() ? "" : ",").append('"').append(type).append('"');
    }
    HttpResponse<String> response =
        post(
            "/webhooks",
            "{\"url\":\"%s\",\"event_types\":[%s],\"description\":\"benchmark\"}"
                .formatted(url, types));
    if (response.statusCode() != 201) {
      throw new UnexpectedAnswer("POST /webhooks", response.statusCode(), response.body());
    }
    JsonNode body = JSON.readTree(response.body());
    return new Webhook(body.get("id").asString(), body.get("secret").asString());
  }

  /** Deletes a webhook endpoint; one already gone is fine. */
  public void deleteWebhook(String id) throws IOException, InterruptedException {
    HttpResponse<Void> response =
        http.send(
            request("/webhooks/" + id).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2 && response.statusCode() != 404) {
      throw new UnexpectedAnswer("DELETE /webhooks/" + id, response.statusCode(), "");
    }
  }

  /** The API's base address, for example {@code http://127.0.0.1:8080/api/v1}. */
  public String base() {
    return base;
  }

  /** The {@code Authorization} header's value. */
  public String authorization() {
    return "Bearer " + token();
  }

  /** The status of a task, for example {@code LOCKED} or {@code DONE}. */
  public String status(UUID task) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request("/tasks/" + task).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new UnexpectedAnswer("GET /tasks/" + task, response.statusCode(), response.body());
    }
    JsonNode status = JSON.readTree(response.body()).get("status");
    return status == null ? "" : status.asString();
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization());
  }

  private synchronized String token() {
    long now = System.nanoTime();
    if (token == null || now - tokenSince > TOKEN_LIFE.toNanos()) {
      token =
          TestTokens.shared()
              .token(
                  TENANT, TENANT, "tasks:read", "tasks:write", "devices:admin", "webhooks:admin");
      tokenSince = now;
    }
    return token;
  }
}
