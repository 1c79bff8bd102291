package io.asyncrpc.agent.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.agent.internal.discovery.BrokerDiscovery.Broker;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link BrokerDiscovery} against a real mDNS responder (JmDNS) in this JVM. Both sides
 * use the loopback interface, so no multicast leaves the machine. The responder announces a type of
 * its own, so a broker that avahi announces on this machine at the same time cannot answer first.
 */
class BrokerDiscoveryTests {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String TYPE =
      "_iot-" + UUID.randomUUID().toString().substring(0, 8) + "._tcp.local.";

  private static JmDNS responder;

  @BeforeAll
  static void announceABroker() throws IOException {
    responder = JmDNS.create(LOOPBACK, "broker-host");
    responder.registerService(
        ServiceInfo.create(TYPE, "IoT Core MQTT", 1884, 0, 0, Map.of("mqtt", "5")));
  }

  @AfterAll
  static void stopAnnouncing() throws IOException {
    responder.close();
  }

  @Test
  void findsTheAddressAndPortOfTheAnnouncedBroker() {
    Optional<Broker> broker = BrokerDiscovery.find(TYPE, Duration.ofSeconds(10), LOOPBACK);

    assertThat(broker).contains(new Broker(LOOPBACK.getHostAddress(), 1884, "IoT Core MQTT"));
  }

  @Test
  void findsNothingWhenNoSuchServiceIsAnnounced() {
    Optional<Broker> broker =
        BrokerDiscovery.find("_iot-none._tcp.local.", Duration.ofMillis(1500), LOOPBACK);

    assertThat(broker).isEmpty();
  }

  @Test
  void aTlsClientLooksForTheSecureListener() {
    assertThat(BrokerDiscovery.serviceType(true)).isEqualTo("_secure-mqtt._tcp.local.");
    assertThat(BrokerDiscovery.serviceType(false)).isEqualTo("_mqtt._tcp.local.");
  }
}
