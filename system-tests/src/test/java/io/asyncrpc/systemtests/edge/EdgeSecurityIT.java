package io.asyncrpc.systemtests.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.systemtests.CaService;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.ServerSentEvents;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies the edge the way a client meets it: a real nginx with the project's configuration and
 * njs JWT check, over HTTPS, in front of the packaged api-service on the real PostgreSQL and
 * RabbitMQ. Every refused request is followed by a check that it changed nothing.
 *
 * <p>The TLS certificate and JWT key are test fixtures made here (openssl and {@link TestTokens});
 * the rate limit is lowered (5 r/s, burst 10 per client) so the 429 test needs few requests. Every
 * test uses its own client ids, so their rate-limit buckets are separate.
 */
class EdgeSecurityIT {

  private static final String PROBLEM = "urn:iot-async-rpc:problem:";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final TestTokens TOKENS = TestTokens.shared();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String[] ALL = {"tasks:read", "tasks:write", "devices:admin"};

  private static final String CA_CLIENT = "edge-docs";
  private static final String CA_SECRET = UUID.randomUUID().toString();

  private static ServiceProcess api;
  private static ServiceProcess ca;
  private static TestEdge edge;
  private static ApiClient client;

  @BeforeAll
  static void startApiAndEdge() throws IOException {
    int apiPort = ServiceProcess.freePort();
    api =
        ServiceProcess.of("api-service")
            .name("edge-api-service")
            .port(apiPort)
            .against(Infrastructure.endpoints())
            .trustingTestTokens()
            .start()
            .awaitHealthy();
    int caPort = ServiceProcess.freePort();
    ca = CaService.start("edge-ca-service", caPort, CA_CLIENT, CA_SECRET);
    edge =
        TestEdge.inFrontOf(
            "edge",
            apiPort,
            Map.of(
                "IOTCORE_NGINX_CLIENT_RATE",
                "5r/s",
                "IOTCORE_NGINX_CLIENT_BURST",
                "10",
                "IOTCORE_NGINX_CA_UPSTREAM",
                "127.0.0.1:" + caPort));
    client = edge.client();
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
    if (api != null) {
      api.close();
    }
    if (ca != null) {
      ca.close();
    }
  }

  // --- a valid token passes, with its tenant --------------------------------------------------

  @Test
  void aValidTokenRegistersADeviceAndCreatesATaskThroughTheEdge() {
    Tenant tenant = new Tenant();
    String device = tenant.registerDevice();

    Answer created = tenant.createTask(device);

    assertThat(created.status()).isEqualTo(202);
    assertThat(tenant.api.get("/api/v1/tasks/" + created.body().path("id").asString()))
        .extracting(Answer::status)
        .isEqualTo(200);
  }

  // --- tokens the edge refuses: 401 problem, nothing registered -------------------------------

  @Test
  void aRequestWithoutATokenIs401() {
    assertRefused(null, "unauthorized");
  }

  @Test
  void anExpiredTokenIs401() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    assertRefused(
        TOKENS
            .builder()
            .subject(newName("c"))
            .issuedAt(past)
            .notBefore(past)
            .expiresAt(past.plus(Duration.ofMinutes(15)))
            .build(),
        "invalid-token");
  }

  @Test
  void aTokenNotValidYetIs401() {
    Instant later = Instant.now().plus(Duration.ofMinutes(10));
    assertRefused(
        TOKENS
            .builder()
            .subject(newName("c"))
            .notBefore(later)
            .expiresAt(later.plus(Duration.ofMinutes(15)))
            .build(),
        "invalid-token");
  }

  @Test
  void aTokenWithATamperedPayloadIs401() {
    String token = TOKENS.builder().subject(newName("c")).scopes("tasks:read").build();
    String tampered =
        TestTokens.withPayload(
            token,
            TestTokens.payloadOf(token)
                .replace(
                    "\"scope\":\"tasks:read\"", "\"scope\":\"" + String.join(" ", ALL) + "\""));

    assertRefused(tampered, "invalid-token");
  }

  @Test
  void aTokenSignedWithAnotherKeyIs401() {
    // The trusted key's kid, so the edge really checks the signature rather than the kid.
    assertRefused(
        TestTokens.generate().builder().subject(newName("c")).kid(TOKENS.kid()).build(),
        "invalid-token");
  }

  @Test
  void aTokenWithAnUnknownKidIs401() {
    assertRefused(TestTokens.generate().builder().subject(newName("c")).build(), "invalid-token");
  }

  @Test
  void anUnsignedAlgNoneTokenIs401() {
    assertRefused(TOKENS.builder().subject(newName("c")).buildUnsigned(), "invalid-token");
  }

  @Test
  void anHs256TokenSignedWithThePublicKeyIs401() {
    assertRefused(
        TOKENS.builder().subject(newName("c")).buildHs256WithPublicKey(), "invalid-token");
  }

  @Test
  void aTokenForAnotherAudienceIs401() {
    assertRefused(
        TOKENS.builder().subject(newName("c")).audience("another-api").build(), "invalid-token");
  }

  @Test
  void aTokenOfAnotherIssuerIs401() {
    assertRefused(
        TOKENS.builder().subject(newName("c")).issuer("someone-else").build(), "invalid-token");
  }

  // --- scopes and tenants ---------------------------------------------------------------------

  @Test
  void aTokenWithoutTheScopeIs403() {
    Tenant tenant = new Tenant();
    String device = tenant.registerDevice();
    String reader = TOKENS.token(newName("reader"), tenant.name, "tasks:read");

    Answer answer = client.postAs("/api/v1/tasks", taskBody(device), reader);

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.header("Content-Type")).startsWith(PROBLEM_JSON);
    assertThat(answer.problemType()).isEqualTo(PROBLEM + "insufficient-scope");
    assertThat(answer.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    assertThat(tenant.tasksOf(device)).isEmpty();
  }

  @Test
  void anotherTenantsTaskCannotBeReadListedOrCancelled() {
    Tenant owner = new Tenant();
    String device = owner.registerDevice();
    String task = owner.createTask(device).body().path("id").asString();
    Tenant other = new Tenant();

    Answer read = other.api.get("/api/v1/tasks/" + task);
    Answer events = other.api.get("/api/v1/tasks/" + task + "/events");
    Answer cancel = other.api.delete("/api/v1/tasks/" + task);
    Answer list = other.api.get("/api/v1/tasks?device_id=" + device);

    assertThat(read.status()).isEqualTo(404);
    assertThat(read.problemType()).isEqualTo(PROBLEM + "task-not-found");
    assertThat(events.status()).isEqualTo(404);
    assertThat(cancel.status()).isEqualTo(404);
    assertThat(cancel.problemType()).isEqualTo(PROBLEM + "task-not-found");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().path("items").isEmpty()).isTrue();
    assertThat(owner.api.get("/api/v1/tasks/" + task).body().path("status").asString())
        .isEqualTo("QUEUED");
  }

  @Test
  void anotherTenantsDeviceIsRefusedLikeAnUnknownOne() {
    Tenant owner = new Tenant();
    String device = owner.registerDevice();
    Tenant other = new Tenant();

    Answer task = other.api.post("/api/v1/tasks", taskBody(device));
    Answer read = other.api.get("/api/v1/devices/" + device);

    assertThat(task.status()).isEqualTo(422);
    assertThat(task.problemType()).isEqualTo(PROBLEM + "device-not-registered");
    assertThat(read.status()).isEqualTo(404);
    assertThat(owner.tasksOf(device)).isEmpty();
  }

  // --- limits ---------------------------------------------------------------------------------

  @Test
  void anOversizedBodyIs413AndCreatesNothing() {
    Tenant tenant = new Tenant();
    String device = tenant.registerDevice();
    String body =
        "{\"device_id\":\"%s\",\"method_code\":\"m\",\"payload\":{\"x\":\"%s\"}}"
            .formatted(device, "a".repeat(300 * 1024));

    Answer answer = tenant.api.post("/api/v1/tasks", body);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.header("Content-Type")).startsWith(PROBLEM_JSON);
    assertThat(answer.problemType()).isEqualTo(PROBLEM + "request-too-large");
    assertThat(tenant.tasksOf(device)).isEmpty();
  }

  @Test
  void aClientOverItsRateLimitGets429WithRetryAfter() {
    Tenant tenant = new Tenant();
    List<Answer> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(tenant.api.get("/api/v1/devices?limit=1"));
    }

    Answer limited = answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
    assertThat(limited.header("Content-Type")).startsWith(PROBLEM_JSON);
    assertThat(limited.problemType()).isEqualTo(PROBLEM + "too-many-requests");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(answers.getFirst().status()).isEqualTo(200);
    // Another client is not slowed down by this one.
    assertThat(new Tenant().api.get("/api/v1/devices?limit=1").status()).isEqualTo(200);
  }

  /**
   * Verifies that /mcp is checked like the API: no token is a 401, a token with no scope any MCP
   * tool uses a 403, and a valid one is handed to mcp-server (not running here: the edge's 502).
   */
  @Test
  void theMcpEndpointNeedsATokenWithAScopeOfItsTools() {
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    String hooksOnly = TOKENS.token(newName("hooks"), newName("t"), "webhooks:admin");
    String reader = TOKENS.token(newName("reader"), newName("t"), "tasks:read");

    Answer anonymous = client.post("/mcp", ping);
    Answer noToolScope = client.postAs("/mcp", ping, hooksOnly);
    Answer passed = client.postAs("/mcp", ping, reader);

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(noToolScope.status()).isEqualTo(403);
    assertThat(noToolScope.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    assertThat(passed.status()).isEqualTo(502);
  }

  // --- public and unrouted paths --------------------------------------------------------------

  @Test
  void theApiDocumentationIsPublicAndActuatorIsNotRouted() {
    assertThat(client.get("/v3/api-docs").status()).isEqualTo(200);
    Answer actuator = client.get("/actuator/health");
    assertThat(actuator.status()).isEqualTo(404);
    assertThat(actuator.header("Content-Type")).startsWith(PROBLEM_JSON);
  }

  /**
   * Verifies that the document fetched through the edge names the edge's https URL as its server
   * (not the service's own http://localhost, "Generated server url"), so Swagger UI's Try it out
   * and its token request go to the edge, and that it offers the client-credentials flow.
   */
  @Test
  void theApiDocumentationNamesTheEdgeAsItsServerAndOffersClientCredentials() {
    Answer doc = client.get("/v3/api-docs");

    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body().path("servers"))
        .singleElement()
        .satisfies(server -> assertThat(server.path("url").asString()).isEqualTo(client.base()));
    JsonNode schemes = doc.body().path("components").path("securitySchemes");
    assertThat(schemes.path("bearer-jwt").path("scheme").asString()).isEqualTo("bearer");
    JsonNode flow = clientCredentialsFlow(doc.body());
    assertThat(schemes.path("client-credentials").path("type").asString()).isEqualTo("oauth2");
    assertThat(flow.path("tokenUrl").asString()).isEqualTo("/oauth/token");
    assertThat(flow.path("scopes").has("tasks:write")).isTrue();
    assertRedirectsWithinTheEdge("/swagger-ui.html", "/swagger-ui/index.html");
  }

  /** Swagger UI's entry page sends the browser to its index on the edge, never to plain http. */
  private static void assertRedirectsWithinTheEdge(String page, String target) {
    Answer entry = client.get(page);
    assertThat(entry.status()).isEqualTo(302);
    assertThat(URI.create(client.base() + page).resolve(entry.header("Location")))
        .hasToString(client.base() + target);
  }

  /**
   * Verifies what Swagger UI's Authorize does with the client-credentials scheme: the document's
   * tokenUrl, resolved against its server (the edge), gives a token for the client's id and secret.
   */
  @Test
  void theDocumentsTokenUrlGivesATokenThroughTheEdge() {
    String tokenUrl =
        clientCredentialsFlow(client.get("/v3/api-docs").body()).path("tokenUrl").asString();

    Answer token =
        client.form(
            tokenUrl,
            "grant_type=client_credentials&scope=tasks:read",
            ApiClient.basic(CA_CLIENT, CA_SECRET));

    assertThat(token.status()).as("%s", token.body()).isEqualTo(200);
    assertThat(token.body().path("token_type").asString()).isEqualTo("Bearer");
    assertThat(token.body().path("access_token").asString()).isNotBlank();
    assertThat(token.body().path("scope").asString()).isEqualTo("tasks:read");
  }

  @Test
  void caServicesDocumentationIsServedUnderCaAndNamesTheEdgeAsItsServer() {
    Answer doc = client.get("/ca/v3/api-docs");
    Answer ui = client.get("/ca/swagger-ui/index.html");

    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body().path("info").path("title").asString()).contains("ca-service");
    assertThat(doc.body().path("servers"))
        .singleElement()
        .satisfies(server -> assertThat(server.path("url").asString()).isEqualTo(client.base()));
    assertThat(clientCredentialsFlow(doc.body()).path("tokenUrl").asString())
        .isEqualTo("/oauth/token");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.header("Content-Type")).startsWith("text/html");
    assertRedirectsWithinTheEdge("/ca/swagger-ui.html", "/ca/swagger-ui/index.html");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The client-credentials flow of an OpenAPI document's {@code client-credentials} scheme. */
  private static JsonNode clientCredentialsFlow(JsonNode doc) {
    return doc.path("components")
        .path("securitySchemes")
        .path("client-credentials")
        .path("flows")
        .path("clientCredentials");
  }

  // --- told, not polled: the event stream and waiting requests pass the edge ----------------

  @Test
  void theEventStreamPassesTheEdgeUnbufferedAndResumesAfterADrop() throws Exception {
    Tenant tenant = new Tenant();
    String device = tenant.registerDevice();
    String first = tenant.createTask(device).body().path("id").asString();
    String second = tenant.createTask(device).body().path("id").asString();
    String path = "/api/v1/events?type=task.finished&device_id=" + device;

    String firstEventId;
    try (ServerSentEvents events = tenant.api.stream(path, null)) {
      assertThat(events.status()).isEqualTo(200);
      // Finished only once the stream is open: it arrives through nginx while the stream lasts.
      finish(first);
      ServerSentEvents.Event event = events.next(Duration.ofSeconds(20));
      assertThat(event.name()).isEqualTo("task.finished");
      assertThat(JSON.readTree(event.data()).path("data").path("id").asString()).isEqualTo(first);
      firstEventId = event.id();
    }

    finish(second);
    try (ServerSentEvents events = tenant.api.stream(path, firstEventId)) {
      ServerSentEvents.Event event = events.next(Duration.ofSeconds(20));
      assertThat(JSON.readTree(event.data()).path("data").path("id").asString()).isEqualTo(second);
    }
  }

  @Test
  void theEventStreamNeedsAToken() throws Exception {
    try (ServerSentEvents refused =
        client.withToken("not-a-token").stream("/api/v1/events", null)) {
      assertThat(refused.status()).isEqualTo(401);
    }
  }

  @Test
  void aWaitingRequestIsAnsweredThroughTheEdgeWhenTheTaskFinishes() {
    Tenant tenant = new Tenant();
    String device = tenant.registerDevice();
    String task = tenant.createTask(device).body().path("id").asString();
    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> finish(task));

    Answer answer = tenant.api.get("/api/v1/tasks/" + task + "?wait=10");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("status").asString()).isEqualTo("DONE");
  }

  /** What core-service does when a device answers: the row changes and its trigger tells. */
  private static void finish(String task) {
    Endpoints endpoints = Infrastructure.endpoints();
    try (Connection db =
            DriverManager.getConnection(
                endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
        PreparedStatement done =
            db.prepareStatement(
                "UPDATE tasks SET status = 'DONE', status_code = 200, finished_at = now()"
                    + " WHERE id = ?::uuid")) {
      done.setString(1, task);
      assertThat(done.executeUpdate()).isEqualTo(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A tenant with an admin client of its own. */
  private static final class Tenant {

    final String name = newName("tenant");
    final ApiClient api = client.withToken(TOKENS.token(newName("admin"), name, ALL));

    String registerDevice() {
      String device = newName("edge");
      Answer answer = api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device));
      assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
      return device;
    }

    Answer createTask(String device) {
      Answer answer = api.post("/api/v1/tasks", taskBody(device));
      assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
      return answer;
    }

    List<String> tasksOf(String device) {
      Answer page = api.get("/api/v1/tasks?device_id=" + device);
      assertThat(page.status()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      page.body().path("items").forEach(t -> ids.add(t.path("id").asString()));
      return ids;
    }
  }

  /**
   * Sends a device registration with {@code token} and checks the edge refused it with a 401
   * problem of type {@code slug} and a Bearer challenge, and that the device does not exist.
   */
  private static void assertRefused(String token, String slug) {
    String device = newName("edge");

    Answer answer = client.postAs("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device), token);

    assertThat(answer.status()).as(edge.errorLog()).isEqualTo(401);
    assertThat(answer.header("Content-Type")).startsWith(PROBLEM_JSON);
    assertThat(answer.problemType()).isEqualTo(PROBLEM + slug);
    assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
    if (!"unauthorized".equals(slug)) {
      assertThat(answer.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }
    Answer check = new Tenant().api.get("/api/v1/devices/" + device);
    assertThat(check.status()).as("nothing registered").isEqualTo(404);
  }

  private static String taskBody(String device) {
    return "{\"device_id\":\"%s\",\"method_code\":\"ping\"}".formatted(device);
  }

  private static String newName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
