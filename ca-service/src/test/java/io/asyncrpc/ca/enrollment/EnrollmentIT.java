package io.asyncrpc.ca.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.Csrs;
import io.asyncrpc.ca.IntegrationTest;
import io.asyncrpc.ca.TestPki;
import io.asyncrpc.ca.broker.DevicePermissions;
import io.asyncrpc.ca.pki.Pem;
import io.asyncrpc.testsupport.ApiClient.Answer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Enrollment against the real PostgreSQL and the real broker's management API. */
class EnrollmentIT extends IntegrationTest {

  @Test
  void aDeviceTradesItsTokenAndCsrForACertificateAndBrokerAccess() throws Exception {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    KeyPair keys = TestPki.ecKeyPair("secp256r1");
    Answer token = http().postAs(tokenPath(device), null, admin);
    assertThat(token.status()).isEqualTo(201);
    assertThat(token.text("token")).matches("et_[A-Za-z0-9_-]{43}");
    assertThat(token.text("expires_at")).isNotBlank();

    Answer enrolled = enroll(token.text("token"), Csrs.csr("CN=" + device, keys));

    assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(200);
    X509Certificate cert = certificates(enrolled.text("certificate")).getFirst();
    List<X509Certificate> chain = certificates(enrolled.text("chain"));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + device);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(cert.getSerialNumber().toString(16)).isEqualTo(enrolled.text("serial"));
    assertThat(chain).hasSize(2);
    PKIXParameters trust = new PKIXParameters(Set.of(new TrustAnchor(chain.get(1), null)));
    trust.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert, chain.get(0))),
            trust);

    Answer listed = http().getAs("/api/v1/identities/" + device + "/certificates", admin);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body()).hasSize(1);
    JsonNode row = listed.body().get(0);
    assertThat(row.path("serial").asString()).isEqualTo(enrolled.text("serial"));
    assertThat(row.path("status").asString()).isEqualTo("VALID");
    assertThat(row.path("key_from_server").asBoolean()).isFalse();
    assertThat(row.path("revoked_at").isNull()).isTrue();

    DevicePermissions expected = DevicePermissions.of(device);
    JsonNode user = broker().user(device);
    assertThat(user).as("broker user").isNotNull();
    assertThat(user.path("password_hash").asString()).isEmpty();
    JsonNode permissions = broker().permissions(device);
    assertThat(permissions.path("configure").asString()).isEqualTo(expected.configure());
    assertThat(permissions.path("write").asString()).isEqualTo(expected.write());
    assertThat(permissions.path("read").asString()).isEqualTo(expected.read());
    JsonNode topic = broker().topicPermissions(device).get(0);
    assertThat(topic.path("exchange").asString()).isEqualTo("amq.topic");
    assertThat(topic.path("write").asString()).isEqualTo("^dev\\." + device + "\\..+$");
    assertThat(topic.path("read").asString()).isEqualTo("^srv\\." + device + "\\..+$");
  }

  @Test
  void aCsrForAnotherDeviceIsRefusedIssuesNothingAndLeavesTheTokenUsable() {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    String token = http().postAs(tokenPath(device), null, admin).text("token");
    KeyPair keys = TestPki.ecKeyPair("secp256r1");

    Answer refused = enroll(token, Csrs.csr("CN=someone-else", keys));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "csr-subject-mismatch");
    assertThat(certificateCount(device)).isZero();
    assertThat(broker().user(device)).isNull();
    // Documented choice: a refused request does not consume the token.
    assertThat(enroll(token, Csrs.csr("CN=" + device, keys)).status()).isEqualTo(200);
  }

  @Test
  void aReplayedTokenIsRefusedAndIssuesNothing() {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    String token = http().postAs(tokenPath(device), null, admin).text("token");
    String csr = Csrs.csr("CN=" + device, TestPki.ecKeyPair("secp256r1"));
    assertThat(enroll(token, csr).status()).isEqualTo(200);

    Answer replayed = enroll(token, Csrs.csr("CN=" + device, TestPki.ecKeyPair("secp256r1")));

    assertThat(replayed.status()).isEqualTo(409);
    assertThat(replayed.problemType()).isEqualTo(PROBLEM + "enrollment-token-used");
    assertThat(certificateCount(device)).isEqualTo(1);
  }

  /** Verifies that a token made before the et_ prefix, stored as its hash, still enrolls. */
  @Test
  void aTokenWithoutThePrefixIssuedEarlierStillEnrolls() {
    String tenant = newTenant();
    String device = newDevice(tenant);
    // base64url, beginning like an option as such a token could; random, so a rerun on the same
    // database does not meet the row of the last run
    String bare =
        "-" + (UUID.randomUUID() + "" + UUID.randomUUID()).replace("-", "").substring(0, 42);
    jdbc.sql(
            "INSERT INTO enrollment_tokens (token_hash, device_id, expires_at)"
                + " VALUES (?, ?, now() + interval '1 hour')")
        .params(EnrollmentTokens.hash(bare), device)
        .update();

    Answer enrolled = enroll(bare, Csrs.csr("CN=" + device, TestPki.ecKeyPair("secp256r1")));

    assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(200);
    assertThat(certificateCount(device)).isEqualTo(1);
  }

  @Test
  void anExpiredTokenIsRefused() {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    String token = http().postAs(tokenPath(device), null, admin).text("token");
    jdbc.sql(
            "UPDATE enrollment_tokens SET expires_at = now() - interval '1 second'"
                + " WHERE device_id = ?")
        .param(device)
        .update();

    Answer refused = enroll(token, Csrs.csr("CN=" + device, TestPki.ecKeyPair("secp256r1")));

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "enrollment-token-expired");
    assertThat(certificateCount(device)).isZero();
  }

  @Test
  void anUnknownTokenIsRefused() {
    Answer refused =
        enroll("no-such-token", Csrs.csr("CN=whoever", TestPki.ecKeyPair("secp256r1")));

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "invalid-enrollment-token");
  }

  @Test
  void aWeakKeyIsRefusedAndTheTokenStaysUnused() {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    String token = http().postAs(tokenPath(device), null, admin).text("token");

    Answer refused = enroll(token, Csrs.csr("CN=" + device, TestPki.rsaKeyPair(1024)));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "weak-key");
    assertThat(certificateCount(device)).isZero();
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM enrollment_tokens WHERE device_id = ? AND used_at IS NULL")
                .param(device)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void aMalformedCsrIsRefused() {
    String tenant = newTenant();
    String device = newDevice(tenant);
    String token = http().postAs(tokenPath(device), null, deviceAdminToken(tenant)).text("token");

    Answer refused =
        enroll(
            token,
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "invalid-csr");
  }

  @Test
  void anAdminOfAnotherTenantCannotMakeTokensForADevice() {
    String tenantA = newTenant();
    String tenantB = newTenant();
    String adminA = deviceAdminToken(tenantA);
    String deviceOfB = newDevice(tenantB);

    Answer refused = http().postAs(tokenPath(deviceOfB), null, adminA);

    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "device-not-found");
    assertThat(http().getAs("/api/v1/identities/" + deviceOfB + "/certificates", adminA).status())
        .isEqualTo(404);
    assertThat(
            jdbc.sql("SELECT count(*) FROM enrollment_tokens WHERE device_id = ?")
                .param(deviceOfB)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void tokensNeedTheDevicesAdminScope() {
    String tenant = newTenant();
    String device = newDevice(tenant);
    String reader = tokenOfNewClient(tenant, List.of("tasks:read", "tasks:write"));

    Answer forbidden = http().postAs(tokenPath(device), null, reader);
    Answer anonymous = http().postAs(tokenPath(device), null, null);

    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.problemType()).isEqualTo(PROBLEM + "insufficient-scope");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
  }

  private Answer enroll(String token, String csr) {
    return http().postAs("/enroll", Map.of("token", token, "csr", csr), null);
  }

  private long certificateCount(String device) {
    return jdbc.sql("SELECT count(*) FROM certificates WHERE device_id = ?")
        .param(device)
        .query(Long.class)
        .single();
  }

  private static String tokenPath(String device) {
    return "/api/v1/identities/" + device + "/enrollment-tokens";
  }

  static List<X509Certificate> certificates(String pem) throws Exception {
    List<X509Certificate> out = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    assertThat(Pem.decodeAll(pem)).hasSize(out.size());
    return out;
  }
}
