package io.asyncrpc.ca.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.asyncrpc.ca.IntegrationTest;
import io.asyncrpc.ca.TestPki;
import io.asyncrpc.ca.pki.PkiFiles;
import io.asyncrpc.testsupport.ApiClient.Answer;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Revocation end to end: the database, the CRL (endpoints and file) and the real broker, where the
 * device's user disappears and its live MQTT connection is closed.
 */
class RevocationIT extends IntegrationTest {

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  @Test
  void revocationListsTheCertificateRemovesTheBrokerUserAndCutsTheConnection() throws Exception {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    String serial = issue(device, admin);
    LiveDevice live = connect(device);

    Answer revoked =
        http()
            .postAs(
                "/api/v1/certificates/" + serial + "/revocation",
                Map.of("reason", "key_compromise"),
                admin);

    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.text("status")).isEqualTo("REVOKED");
    assertThat(revoked.text("revocation_reason")).isEqualTo("key_compromise");
    assertThat(revoked.text("revoked_at")).isNotBlank();
    assertThat(live.disconnected().get(10, TimeUnit.SECONDS)).isPositive();
    assertThat(broker().user(device)).as("broker user after revocation").isNull();
    assertThat(
            jdbc.sql("SELECT status FROM certificates WHERE serial = ?")
                .param(serial)
                .query(String.class)
                .single())
        .isEqualTo("REVOKED");

    Answer der = http().getAs("/crl", null);
    assertThat(der.status()).isEqualTo(200);
    assertThat(der.contentType()).hasToString("application/pkix-crl");
    X509CRL crl = crl(der.bytes());
    crl.verify(TestPki.shared().deviceCa().getPublicKey());
    assertThat(crl.getRevokedCertificate(new BigInteger(serial, 16))).isNotNull();
    Answer pem = http().getAs("/crl.pem", null);
    assertThat(new String(pem.bytes(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN X509 CRL");
    X509CRL file = crl(Files.readAllBytes(TestPki.shared().dir().resolve(PkiFiles.DEVICE_CA_CRL)));
    assertThat(file.getRevokedCertificate(new BigInteger(serial, 16))).isNotNull();

    // Idempotent: repeating it changes nothing and succeeds.
    Answer again = http().postAs("/api/v1/certificates/" + serial + "/revocation", null, admin);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("revoked_at")).isEqualTo(revoked.text("revoked_at"));
    assertThat(again.text("revocation_reason")).isEqualTo("key_compromise");
  }

  @Test
  void revokingAnOldCertificateDuringRotationKeepsTheUserButClosesConnections() throws Exception {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);
    String old = issue(device, admin);
    issue(device, admin);
    LiveDevice live = connect(device);

    Answer revoked =
        http()
            .postAs(
                "/api/v1/certificates/" + old + "/revocation",
                Map.of("reason", "superseded"),
                admin);

    assertThat(revoked.status()).isEqualTo(200);
    assertThat(live.disconnected().get(10, TimeUnit.SECONDS)).isPositive();
    assertThat(broker().user(device)).as("user kept for the new certificate").isNotNull();
  }

  @Test
  void anotherTenantCannotRevoke() {
    String tenantB = newTenant();
    String device = newDevice(tenantB);
    String serial = issue(device, deviceAdminToken(tenantB));

    Answer refused =
        http()
            .postAs(
                "/api/v1/certificates/" + serial + "/revocation",
                null,
                deviceAdminToken(newTenant()));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "certificate-not-found");
    assertThat(
            jdbc.sql("SELECT status FROM certificates WHERE serial = ?")
                .param(serial)
                .query(String.class)
                .single())
        .isEqualTo("VALID");
    assertThat(broker().user(device)).isNotNull();
  }

  @Test
  void anUnknownReasonIsRefused() {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String serial = issue(newDevice(tenant), admin);

    Answer refused =
        http()
            .postAs(
                "/api/v1/certificates/" + serial + "/revocation",
                Map.of("reason", "boredom"),
                admin);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "validation-failed");
  }

  /**
   * Measures how long a revocation takes to close a live MQTT connection: from sending the request
   * to the client seeing the disconnect, 20 times. Prints the figures; asserts no timing.
   */
  @Test
  void measuresRevocationToDisconnect() throws Exception {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String device = newDevice(tenant);
      String serial = issue(device, admin);
      LiveDevice live = connect(device);
      long start = System.nanoTime();
      Answer revoked = http().postAs("/api/v1/certificates/" + serial + "/revocation", null, admin);
      long end = live.disconnected().get(10, TimeUnit.SECONDS);
      assertThat(revoked.status()).isEqualTo(200);
      millis.add((end - start) / 1e6);
    }
    Collections.sort(millis);
    double median = (millis.get(9) + millis.get(10)) / 2;
    System.out.printf(
        "revocation -> MQTT connection closed, 20 runs: median %.1f ms, min %.1f ms, max %.1f ms%n",
        median, millis.getFirst(), millis.getLast());
    assertThat(millis).hasSize(20);
  }

  /** Issues a bundle certificate (which grants broker access) and returns its serial. */
  private String issue(String device, String admin) {
    Answer bundle =
        http().postAs("/api/v1/identities/" + device + "/bundle?format=pem", null, admin);
    assertThat(bundle.status()).as(bundle.toString()).isEqualTo(201);
    return bundle.text("serial");
  }

  /**
   * A live MQTT 5 connection logged in as the device's broker user. Real devices log in with their
   * certificate over TLS; here the test gives the user a password to use the plain listener.
   */
  private LiveDevice connect(String device) {
    String password = "pw-" + suffix();
    broker().putUser(device, password);
    CompletableFuture<Long> disconnected = new CompletableFuture<>();
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(device)
            .serverHost(mqttHost)
            .serverPort(mqttPort)
            .addDisconnectedListener(
                context -> {
                  if (context.getSource() != MqttDisconnectSource.USER) {
                    disconnected.complete(System.nanoTime());
                  }
                })
            .buildBlocking();
    client
        .connectWith()
        .cleanStart(true)
        .simpleAuth()
        .username(device)
        .password(password.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    assertThat(client.getState().isConnected()).isTrue();
    return new LiveDevice(client, disconnected);
  }

  private record LiveDevice(Mqtt5BlockingClient client, CompletableFuture<Long> disconnected) {}

  private static X509CRL crl(byte[] bytes) throws Exception {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
  }
}
