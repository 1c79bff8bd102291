package io.asyncrpc.systemtests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.asyncrpc.systemtests.security.TestPki.Credentials;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's TLS listener lets in only devices with a valid, unrevoked certificate of the device
 * CA. Each refused case also shows that the device user, which exists, never got a connection.
 */
class MqttCertificateIT {

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final TestPki pki = TestPki.local();
  private final String id = "sec-cert-" + UUID.randomUUID().toString().substring(0, 8);
  private BrokerSide broker;

  @BeforeEach
  void createDeviceUser() throws Exception {
    broker = new BrokerSide(endpoints);
    broker.createDevice(id);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aValidDeviceCertificateLogsInAsItsCommonName() throws Exception {
    try (MqttDevice device = device(pki.device(id).keyManagers())) {
      assertThat(device.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      await().untilAsserted(() -> assertThat(broker.connectedUsers()).contains(id));
    }
  }

  @Test
  void aClientWithoutCertificateIsRefusedInTheHandshake() throws Exception {
    assertRefused(null);
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    assertRefused(
        pki.issue(id, Instant.now().minus(Duration.ofDays(2)), Duration.ofDays(1), true)
            .keyManagers());
  }

  @Test
  void aNotYetValidCertificateIsRefused() throws Exception {
    assertRefused(
        pki.issue(id, Instant.now().plus(Duration.ofDays(1)), Duration.ofDays(1), true)
            .keyManagers());
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() throws Exception {
    assertRefused(TestPki.fromForeignCa(id).keyManagers());
  }

  @Test
  void aSelfSignedCertificateIsRefused() throws Exception {
    assertRefused(TestPki.selfSigned(id).keyManagers());
  }

  @Test
  void aRevokedCertificateCannotOpenANewConnectionOnceTheCrlNamesIt() throws Exception {
    Credentials revoked = pki.device(id);
    String other = "sec-cert-" + UUID.randomUUID().toString().substring(0, 8);
    broker.createDevice(other);
    try (MqttDevice before = device(revoked.keyManagers())) {
      assertThat(before.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
    await().untilAsserted(() -> assertThat(broker.connectedUsers()).doesNotContain(id));

    AutoCloseable crl = pki.revoke(revoked.certificate());
    try {
      assertRefused(revoked.keyManagers());
      // The CRL names one certificate: the device CA's other certificates still work.
      try (MqttDevice unrelated = device(other, pki.device(other).keyManagers())) {
        assertThat(unrelated.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      }
    } finally {
      crl.close();
    }
    // The broker reads the CRL directory at every handshake: without that CRL the same
    // certificate is accepted again, with no broker restart in between.
    try (MqttDevice after = device(revoked.keyManagers())) {
      assertThat(after.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
  }

  private void assertRefused(KeyManagerFactory keyManagers) throws Exception {
    try (MqttDevice device = device(keyManagers)) {
      assertThatThrownBy(device::connect).isNotNull();
      assertThat(device.isConnected()).isFalse();
    }
    assertThat(broker.connectedUsers()).doesNotContain(id);
  }

  private MqttDevice device(KeyManagerFactory keyManagers) {
    return device(id, keyManagers);
  }

  private MqttDevice device(String clientId, KeyManagerFactory keyManagers) {
    return new MqttDevice(endpoints, clientId, keyManagers, pki.trust());
  }
}
