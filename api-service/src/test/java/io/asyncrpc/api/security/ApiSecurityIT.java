package io.asyncrpc.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's own token, scope and tenant checks, against the real database: what holds even when
 * a request bypasses nginx.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class ApiSecurityIT {

  private static final String PROBLEM = "urn:iot-async-rpc:problem:";
  private static final TestTokens TOKENS = TestTokens.shared();

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  private final String tenantA = "it-a-" + suffix();
  private final String tenantB = "it-b-" + suffix();

  @Test
  void aRequestWithoutATokenIs401ProblemWithBearerChallenge() {
    String device = "it-sec-" + suffix();

    Answer response =
        ApiClient.local(port, null).post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "unauthorized");
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(deviceRows(device)).isZero();
  }

  @Test
  void anExpiredTokenIs401InvalidToken() {
    assertRefusedAsInvalid(
        TOKENS
            .builder()
            .tenant(tenantA)
            .issuedAt(Instant.now().minus(Duration.ofMinutes(20)))
            .notBefore(Instant.now().minus(Duration.ofMinutes(20)))
            .expiresAt(Instant.now().minus(Duration.ofMinutes(5)))
            .build());
  }

  @Test
  void aTokenOfAnotherIssuerIs401() {
    assertRefusedAsInvalid(TOKENS.builder().tenant(tenantA).issuer("someone-else").build());
  }

  @Test
  void aTokenForAnotherAudienceIs401() {
    assertRefusedAsInvalid(TOKENS.builder().tenant(tenantA).audience("another-api").build());
  }

  @Test
  void aTokenSignedByAnUnknownKeyIs401() {
    assertRefusedAsInvalid(TestTokens.generate().builder().tenant(tenantA).build());
  }

  @Test
  void anUnsignedTokenIs401() {
    assertRefusedAsInvalid(TOKENS.builder().tenant(tenantA).buildUnsigned());
  }

  @Test
  void anHs256TokenKeyedWithThePublicKeyIs401() {
    assertRefusedAsInvalid(TOKENS.builder().tenant(tenantA).buildHs256WithPublicKey());
  }

  @Test
  void aTokenWithoutTenantIs401() {
    assertRefusedAsInvalid(TOKENS.builder().claim("tenant", null).build());
  }

  @Test
  void creatingATaskNeedsTasksWrite() {
    String device = registerDevice(admin(tenantA));
    ApiClient reader = client(tenantA, "tasks:read");

    Answer response = reader.post("/api/v1/tasks", taskBody(device));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "insufficient-scope");
    assertThat(response.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    assertThat(taskRows(device)).isZero();
  }

  @Test
  void readingTasksNeedsTasksRead() {
    ApiClient writer = client(tenantA, "tasks:write");

    assertThat(writer.get("/api/v1/tasks").status()).isEqualTo(403);
  }

  @Test
  void registeringADeviceNeedsDevicesAdmin() {
    String device = "it-sec-" + suffix();

    Answer response =
        client(tenantA, "tasks:read", "tasks:write")
            .post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device));

    assertThat(response.status()).isEqualTo(403);
    assertThat(deviceRows(device)).isZero();
  }

  @Test
  void listingDevicesNeedsTasksReadOrDevicesAdmin() {
    assertThat(client(tenantA, "tasks:read").get("/api/v1/devices").status()).isEqualTo(200);
    assertThat(client(tenantA, "devices:admin").get("/api/v1/devices").status()).isEqualTo(200);
    assertThat(client(tenantA, "tasks:write").get("/api/v1/devices").status()).isEqualTo(403);
  }

  @Test
  void devicesAreRegisteredIntoTheCallersTenant() {
    String device = registerDevice(admin(tenantA));

    assertThat(
            jdbc.sql("SELECT tenant FROM devices WHERE id = ?")
                .param(device)
                .query(String.class)
                .single())
        .isEqualTo(tenantA);
  }

  @Test
  void anotherTenantsTaskIsNotFoundForReadCancelAndEvents() {
    ApiClient a = admin(tenantA);
    String device = registerDevice(a);
    String task = a.post("/api/v1/tasks", taskBody(device)).text("id");
    ApiClient b = admin(tenantB);

    Answer read = b.get("/api/v1/tasks/" + task);
    Answer cancel = b.delete("/api/v1/tasks/" + task);
    Answer events = b.get("/api/v1/tasks/" + task + "/events");

    assertThat(read.status()).isEqualTo(404);
    assertThat(read.problemType()).isEqualTo(PROBLEM + "task-not-found");
    assertThat(cancel.status()).isEqualTo(404);
    assertThat(cancel.problemType()).isEqualTo(PROBLEM + "task-not-found");
    assertThat(events.status()).isEqualTo(404);
    assertThat(a.get("/api/v1/tasks/" + task).text("status")).isEqualTo("QUEUED");
  }

  @Test
  void listingShowsOnlyTheCallersTenant() {
    ApiClient a = admin(tenantA);
    String device = registerDevice(a);
    String task = a.post("/api/v1/tasks", taskBody(device)).text("id");
    ApiClient b = admin(tenantB);

    Answer tasksOfB = b.get("/api/v1/tasks?device_id=" + device);
    Answer allOfB = b.get("/api/v1/tasks");
    Answer devicesOfB = b.get("/api/v1/devices");

    assertThat(tasksOfB.body().path("items").isEmpty()).isTrue();
    assertThat(allOfB.body().path("items").isEmpty()).isTrue();
    assertThat(devicesOfB.body().path("items").isEmpty()).isTrue();
    assertThat(a.get("/api/v1/tasks").body().path("items").get(0).path("id").asString())
        .isEqualTo(task);
  }

  @Test
  void aTaskForAnotherTenantsDeviceIsRefusedLikeAnUnknownDevice() {
    String device = registerDevice(admin(tenantA));
    ApiClient b = admin(tenantB);

    Answer response = b.post("/api/v1/tasks", taskBody(device));
    Answer unknown = b.post("/api/v1/tasks", taskBody("it-nobody-" + suffix()));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "device-not-registered");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.problemType()).isEqualTo(response.problemType());
    assertThat(b.get("/api/v1/devices/" + device).status()).isEqualTo(404);
    assertThat(taskRows(device)).isZero();
  }

  @Test
  void aBearerHeaderThatIsNoTokenIsRefusedAsInvalid() {
    // Not a token68 (RFC 6750): a space inside, padding in the middle, nothing at all.
    assertRefusedAsInvalid("two words");
    assertRefusedAsInvalid("abc=def");
    assertRefusedAsInvalid("");
  }

  @Test
  void healthIsPublicButOtherActuatorEndpointsAreNot() {
    ApiClient anonymous = ApiClient.local(port, null);

    // 200, or 503 while a dependency is down: either way answered without a token.
    assertThat(anonymous.get("/actuator/health").status()).isIn(200, 503);
    assertThat(anonymous.get("/actuator/metrics").status()).isEqualTo(401);
    assertThat(client(tenantA, "tasks:read").get("/actuator/metrics").status()).isEqualTo(403);
  }

  private void assertRefusedAsInvalid(String token) {
    String device = "it-sec-" + suffix();

    Answer response =
        ApiClient.local(port, token)
            .post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device), Map.of());

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "invalid-token");
    assertThat(response.header("WWW-Authenticate"))
        .startsWith("Bearer")
        .contains("error=\"invalid_token\"");
    assertThat(deviceRows(device)).isZero();
  }

  private ApiClient admin(String tenant) {
    return client(tenant, "tasks:read", "tasks:write", "devices:admin");
  }

  private ApiClient client(String tenant, String... scopes) {
    return ApiClient.local(port, TOKENS.token("client-" + tenant, tenant, scopes));
  }

  private static String registerDevice(ApiClient admin) {
    String device = "it-sec-" + suffix();
    assertThat(admin.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
    return device;
  }

  private static String taskBody(String device) {
    return "{\"device_id\":\"%s\",\"method_code\":\"ping\"}".formatted(device);
  }

  private long deviceRows(String device) {
    return jdbc.sql("SELECT count(*) FROM devices WHERE id = ?")
        .param(device)
        .query(Long.class)
        .single();
  }

  private long taskRows(String device) {
    return jdbc.sql("SELECT count(*) FROM tasks WHERE device_id = ?")
        .param(device)
        .query(Long.class)
        .single();
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
