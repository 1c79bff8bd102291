package io.asyncrpc.systemtests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AMQP listener has no certificate login, so a device identity cannot log in there at all; and
 * even a device user that had a password (a test-only one here) could not read another device's
 * MQTT subscription queue.
 */
class DeviceAmqpAccessIT {

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final TestPki pki = TestPki.local();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String victimId = "sec-amqpv-" + suffix;
  private final String attackerId = "sec-amqpa-" + suffix;
  private BrokerSide broker;

  @BeforeEach
  void setUp() throws Exception {
    broker = new BrokerSide(endpoints);
    broker.createDevice(victimId);
  }

  @AfterEach
  void cleanUp() throws Exception {
    // A clean start ends the victim's persistent session and deletes its queue.
    try (MqttDevice victim =
        new MqttDevice(endpoints, victimId, pki.device(victimId).keyManagers(), pki.trust())) {
      victim.connect(true, 0);
    } catch (Exception e) {
      // best effort
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aCertificateOnlyDeviceUserCannotLogInOverAmqp() {
    ConnectionFactory factory = factory(victimId, "");

    assertThatThrownBy(factory::newConnection).isInstanceOf(AuthenticationFailureException.class);
    factory.setPassword(victimId);
    assertThatThrownBy(factory::newConnection).isInstanceOf(AuthenticationFailureException.class);
  }

  @Test
  void aDeviceIdentityCannotConsumeAnotherDevicesSubscriptionQueue() throws Exception {
    String queue = "mqtt-subscription-" + victimId + "qos1";
    // The victim's persistent session: its queue outlives the connection and holds a task.
    try (MqttDevice victim =
        new MqttDevice(endpoints, victimId, pki.device(victimId).keyManagers(), pki.trust())) {
      victim.connect(true, 300);
      victim.subscribe("srv/" + victimId + "/#");
    }
    broker.publish("srv." + victimId + ".tsk", "for the victim only");
    broker.createDevice(attackerId, "attacker-password");

    try (Connection connection = factory(attackerId, "attacker-password").newConnection()) {
      Channel get = connection.createChannel();
      assertThatThrownBy(() -> get.basicGet(queue, true)).hasStackTraceContaining("ACCESS_REFUSED");
      Channel consume = connection.createChannel();
      assertThatThrownBy(() -> consume.basicConsume(queue, true, (t, d) -> {}, t -> {}))
          .hasStackTraceContaining("ACCESS_REFUSED");
      Channel purge = connection.createChannel();
      assertThatThrownBy(() -> purge.queuePurge(queue)).isInstanceOf(java.io.IOException.class);
      Channel bind = connection.createChannel();
      assertThatThrownBy(() -> bind.queueBind(queue, "amq.topic", "srv." + attackerId + ".x"))
          .hasCauseInstanceOf(ShutdownSignalException.class);
    }

    // Nothing changed: the task still waits for the victim and reaches it when it comes back.
    try (MqttDevice victim =
        new MqttDevice(endpoints, victimId, pki.device(victimId).keyManagers(), pki.trust())) {
      victim.connect(false, 300);
      await()
          .untilAsserted(
              () ->
                  assertThat(victim.received())
                      .containsExactly("srv/" + victimId + "/tsk for the victim only"));
    }
  }

  private ConnectionFactory factory(String user, String password) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(endpoints.amqpHost());
    factory.setPort(endpoints.amqpPort());
    factory.setUsername(user);
    factory.setPassword(password);
    return factory;
  }
}
