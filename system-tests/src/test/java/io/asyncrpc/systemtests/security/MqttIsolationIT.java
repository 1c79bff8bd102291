package io.asyncrpc.systemtests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A device with a valid certificate ({@code attacker}) can reach nothing of another device ({@code
 * victim}): not its topics, not its session. Each test ends with a marker message through the same
 * path, so "nothing arrived" is checked after something did.
 */
class MqttIsolationIT {

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final TestPki pki = TestPki.local();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String attackerId = "sec-a-" + suffix;
  private final String victimId = "sec-v-" + suffix;
  private BrokerSide broker;
  private MqttDevice attacker;
  private MqttDevice victim;
  private List<String> victimOutbox;

  @BeforeEach
  void connectBoth() throws Exception {
    broker = new BrokerSide(endpoints);
    broker.createDevice(attackerId);
    broker.createDevice(victimId);
    victim = new MqttDevice(endpoints, victimId, pki.device(victimId).keyManagers(), pki.trust());
    victim.connect();
    assertThat(victim.subscribe("srv/" + victimId + "/#"))
        .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    attacker =
        new MqttDevice(endpoints, attackerId, pki.device(attackerId).keyManagers(), pki.trust());
    attacker.connect();
    assertThat(attacker.subscribe("srv/" + attackerId + "/#"))
        .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    // What core would consume from the victim: everything routed under dev.<victim>.
    victimOutbox = broker.watch("dev." + victimId + ".#");
  }

  @AfterEach
  void disconnect() throws Exception {
    // Null-safe: setUp may have failed half-way; the users must go in any case.
    for (MqttDevice device : new MqttDevice[] {attacker, victim}) {
      if (device != null) {
        device.close();
      }
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void publishingToAnotherDevicesTopicClosesTheConnectionAndReachesNoOne() throws Exception {
    assertThatThrownBy(() -> attacker.publish("dev/" + victimId + "/res", "forged result"))
        .isNotNull();

    await().untilAsserted(() -> assertThat(attacker.isConnected()).isFalse());
    assertVictimOutboxHoldsOnlyItsOwnMarker();
  }

  @Test
  void subscribingToAnotherDevicesTopicIsRefusedAndReceivesNothing() throws Exception {
    for (String filter : List.of("srv/" + victimId + "/#", "srv/" + victimId + "/tsk")) {
      assertThat(attacker.subscribe(filter)).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertClosedAndReconnectAttacker();
    }

    assertAttackerGetsNothingOfTheVictim();
  }

  @ParameterizedTest
  @ValueSource(strings = {"#", "+/#", "srv/#", "srv/+/tsk", "+/VICTIM/#", "dev/#", "srv/*/tsk"})
  void wildcardSubscriptionsBeyondTheOwnPrefixAreRefused(String filter) throws Exception {
    assertThat(attacker.subscribe(filter.replace("VICTIM", victimId)))
        .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    assertClosedAndReconnectAttacker();

    assertAttackerGetsNothingOfTheVictim();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.VICTIM.res", // MQTT '.' is no AMQP level separator ...
        "dev/ATTACKER.VICTIM/res", // ... nor a way out of the own segment
        "dev/VICTIM.x/res",
        "dev/ATTACKER/../VICTIM/res"
      })
  void topicsWithDotsCannotReachAnotherDevicesRoutingKeys(String topic) throws Exception {
    try {
      attacker.publish(topic.replace("VICTIM", victimId).replace("ATTACKER", attackerId), "x");
    } catch (Exception refused) {
      // refused is fine too; what matters is that nothing reached the victim's routing keys
    }

    assertVictimOutboxHoldsOnlyItsOwnMarker();
  }

  @Test
  void starsInTheOwnTopicStayInTheOwnRoutingKeys() throws Exception {
    List<String> attackerOutbox = broker.watch("dev." + attackerId + ".#");

    attacker.publish("dev/" + attackerId + "/res.*", "star");
    attacker.publish("dev/" + attackerId + "/marker", "end");

    await().untilAsserted(() -> assertThat(attackerOutbox).anyMatch(m -> m.endsWith(" end")));
    assertVictimOutboxHoldsOnlyItsOwnMarker();
  }

  @Test
  void aClientIdOtherThanTheCertificatesIsRefusedAndTheVictimKeepsItsSession() throws Exception {
    try (MqttDevice impostor =
        new MqttDevice(endpoints, victimId, pki.device(attackerId).keyManagers(), pki.trust())) {
      assertThatThrownBy(impostor::connect)
          .rootCause()
          .isInstanceOfSatisfying(
              Mqtt5ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
    }

    assertThat(victim.isConnected()).isTrue();
    assertThat(victim.wasTakenOver()).isFalse();
    broker.publish("srv." + victimId + ".tsk", "still yours");
    await()
        .untilAsserted(
            () -> assertThat(victim.received()).contains("srv/" + victimId + "/tsk still yours"));
  }

  @Test
  void aSecondConnectionWithTheSameCertificateTakesOverTheSession() throws Exception {
    try (MqttDevice twin =
        new MqttDevice(endpoints, victimId, pki.device(victimId).keyManagers(), pki.trust())) {
      assertThat(twin.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);

      // MQTT: one session per client id; the broker disconnects the older connection (0x8E).
      await().untilAsserted(() -> assertThat(victim.wasTakenOver()).isTrue());
      assertThat(victim.isConnected()).isFalse();
      assertThat(twin.isConnected()).isTrue();
    }
  }

  /**
   * RabbitMQ 4.0.5 answers a refused subscription with SUBACK 0x87 and then closes the connection
   * ("subscribe_error"); the attacker comes back with a new clean session.
   */
  private void assertClosedAndReconnectAttacker() throws Exception {
    await().untilAsserted(() -> assertThat(attacker.isConnected()).isFalse());
    attacker.close();
    attacker =
        new MqttDevice(endpoints, attackerId, pki.device(attackerId).keyManagers(), pki.trust());
    attacker.connect();
    assertThat(attacker.subscribe("srv/" + attackerId + "/#"))
        .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
  }

  private void assertVictimOutboxHoldsOnlyItsOwnMarker() throws Exception {
    victim.publish("dev/" + victimId + "/marker", "end");
    await().untilAsserted(() -> assertThat(victimOutbox).isNotEmpty());
    assertThat(victimOutbox).containsExactly("dev." + victimId + ".marker end");
  }

  private void assertAttackerGetsNothingOfTheVictim() throws Exception {
    // Same AMQP channel, in order: were the attacker's queue bound to the victim's key, the
    // task would reach it before the marker does.
    broker.publish("srv." + victimId + ".tsk", "victim's task");
    broker.publish("srv." + attackerId + ".marker", "end");
    await().untilAsserted(() -> assertThat(attacker.received()).isNotEmpty());
    assertThat(attacker.received()).containsExactly("srv/" + attackerId + "/marker end");
    await()
        .untilAsserted(
            () ->
                assertThat(victim.received())
                    .containsExactly("srv/" + victimId + "/tsk victim's task"));
    assertThat(attacker.isConnected()).isTrue();
  }
}
