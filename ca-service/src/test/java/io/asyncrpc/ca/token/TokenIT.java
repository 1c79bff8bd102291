package io.asyncrpc.ca.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.asyncrpc.ca.IntegrationTest;
import io.asyncrpc.testsupport.ApiClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Client credentials and JWTs against the real database. */
class TokenIT extends IntegrationTest {

  @Test
  void clientCredentialsGiveAJwtThatTheJwksVerifies() throws Exception {
    Answer answer = http().token(ADMIN_ID, ADMIN_SECRET);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.text("token_type")).isEqualTo("Bearer");
    assertThat(answer.body().path("expires_in").asLong()).isEqualTo(900);
    assertThat(answer.text("scope"))
        .isEqualTo("tasks:read tasks:write devices:admin clients:admin webhooks:admin");
    assertThat(answer.header("Cache-Control")).contains("no-store");
    SignedJWT jwt = SignedJWT.parse(answer.text("access_token"));
    Answer jwks = http().getAs("/.well-known/jwks.json", null);
    assertThat(jwks.status()).isEqualTo(200);
    RSAKey key =
        (RSAKey)
            JWKSet.parse(new String(jwks.bytes(), StandardCharsets.UTF_8))
                .getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).isNotNull();
    assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("iot-async-rpc-ca");
    assertThat(claims.getAudience()).containsExactly("iot-async-rpc-api");
    assertThat(claims.getSubject()).isEqualTo(ADMIN_ID);
    assertThat(claims.getStringClaim("tenant")).isEqualTo(OPERATOR_TENANT);
    assertThat(claims.getStringClaim("scope"))
        .isEqualTo("tasks:read tasks:write devices:admin clients:admin webhooks:admin");
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(
            Duration.between(
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void formCredentialsAndANarrowerScopeWork() throws Exception {
    Answer answer =
        http()
            .form(
                "/oauth/token",
                "grant_type=client_credentials&client_id="
                    + ADMIN_ID
                    + "&client_secret="
                    + ADMIN_SECRET
                    + "&scope=tasks:read",
                null);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("scope")).isEqualTo("tasks:read");
    assertThat(
            SignedJWT.parse(answer.text("access_token")).getJWTClaimsSet().getStringClaim("scope"))
        .isEqualTo("tasks:read");
  }

  @Test
  void aWrongSecretOrUnknownClientIsA401() {
    Answer wrong = http().token(ADMIN_ID, "not-the-secret");
    Answer unknown = http().token("nobody-" + suffix(), "x");

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.problemType()).isEqualTo(PROBLEM + "invalid-client");
    assertThat(wrong.text("error")).isEqualTo("invalid_client");
    assertThat(wrong.body().has("access_token")).isFalse();
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.text("error")).isEqualTo("invalid_client");
  }

  @Test
  void aDisabledClientGetsNoToken() {
    String tenant = newTenant();
    String id = "it-disabled-" + suffix();
    Answer created =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", id, "tenant", tenant, "scopes", List.of("tasks:read")),
                adminToken());
    jdbc.sql("UPDATE api_clients SET disabled_at = now() WHERE id = ?").param(id).update();

    assertThat(http().token(id, created.text("secret")).status()).isEqualTo(401);
  }

  @Test
  void otherGrantTypesAndScopesNotHeldAreRefused() {
    Answer grant = http().form("/oauth/token", "grant_type=password", null);
    Answer scope =
        http()
            .form(
                "/oauth/token",
                "grant_type=client_credentials&client_id="
                    + ADMIN_ID
                    + "&client_secret="
                    + ADMIN_SECRET
                    + "&scope=root:everything",
                null);

    assertThat(grant.status()).isEqualTo(400);
    assertThat(grant.text("error")).isEqualTo("unsupported_grant_type");
    assertThat(scope.status()).isEqualTo(400);
    assertThat(scope.text("error")).isEqualTo("invalid_scope");
  }

  @Test
  void aNewClientGetsItsSecretOnceAndCanLogIn() throws Exception {
    String tenant = newTenant();
    String id = "it-app-" + suffix();

    Answer created =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", id, "tenant", tenant, "scopes", List.of("tasks:write", "tasks:read")),
                adminToken());

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("secret")).hasSizeGreaterThanOrEqualTo(40);
    assertThat(created.body().path("scopes").toString())
        .isEqualTo("[\"tasks:read\",\"tasks:write\"]");
    assertThat(
            jdbc.sql("SELECT secret_hash FROM api_clients WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .startsWith("{bcrypt}")
        .doesNotContain(created.text("secret"));
    Answer token = http().token(id, created.text("secret"));
    assertThat(token.status()).isEqualTo(200);
    var claims = SignedJWT.parse(token.text("access_token")).getJWTClaimsSet();
    assertThat(claims.getStringClaim("tenant")).isEqualTo(tenant);
    assertThat(claims.getSubject()).isEqualTo(id);

    Answer again =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", id, "tenant", tenant, "scopes", List.of("tasks:read")),
                adminToken());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problemType()).isEqualTo(PROBLEM + "client-exists");
  }

  @Test
  void creatingClientsNeedsClientsAdmin() {
    String tenant = newTenant();
    String deviceAdmin = deviceAdminToken(tenant);

    Answer forbidden =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", "it-x-" + suffix(), "scopes", List.of("tasks:read")),
                deviceAdmin);
    Answer anonymous =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", "it-y-" + suffix(), "scopes", List.of("tasks:read")),
                null);

    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.problemType()).isEqualTo(PROBLEM + "insufficient-scope");
    assertThat(anonymous.status()).isEqualTo(401);
  }

  @Test
  void aTenantAdminCreatesClientsOnlyInItsTenantAndOnlyWithItsScopes() {
    String tenantA = newTenant();
    String adminA = tokenOfNewClient(tenantA, List.of("clients:admin", "tasks:read"));

    Answer otherTenant =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of(
                    "id",
                    "it-b-" + suffix(),
                    "tenant",
                    newTenant(),
                    "scopes",
                    List.of("tasks:read")),
                adminA);
    Answer escalation =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", "it-c-" + suffix(), "scopes", List.of("devices:admin")),
                adminA);
    Answer own =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", "it-d-" + suffix(), "scopes", List.of("tasks:read")),
                adminA);

    assertThat(otherTenant.status()).isEqualTo(403);
    assertThat(otherTenant.problemType()).isEqualTo(PROBLEM + "tenant-forbidden");
    assertThat(escalation.status()).isEqualTo(403);
    assertThat(escalation.problemType()).isEqualTo(PROBLEM + "scope-forbidden");
    assertThat(own.status()).isEqualTo(201);
    assertThat(own.text("tenant")).isEqualTo(tenantA);
  }

  @Test
  void aForgedOrForeignTokenIsRefused() {
    String token = adminToken();
    String[] parts = token.split("\\.");
    String forged =
        parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";

    Answer refused = http().getAs("/api/v1/identities/x/certificates", forged);

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
  }
}
