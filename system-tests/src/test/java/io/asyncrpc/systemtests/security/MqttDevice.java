package io.asyncrpc.systemtests.security;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.asyncrpc.testsupport.Endpoints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * One MQTT 5 client on the broker's TLS listener (HiveMQ client, no automatic reconnect) that
 * records what it receives and how its connection ended.
 */
final class MqttDevice implements AutoCloseable {

  private final Mqtt5AsyncClient client;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<Throwable> disconnects = new CopyOnWriteArrayList<>();

  /**
   * @param keyManagers the certificate it presents, or {@code null} for none
   */
  MqttDevice(
      Endpoints endpoints,
      String clientId,
      KeyManagerFactory keyManagers,
      TrustManagerFactory trust) {
    var ssl =
        Mqtt5Client.builder()
            .identifier(clientId)
            .serverHost(endpoints.amqpHost())
            .serverPort(endpoints.mqttTlsPort())
            .addDisconnectedListener(context -> disconnects.add(context.getCause()))
            .sslConfig()
            .trustManagerFactory(trust)
            .handshakeTimeout(10, TimeUnit.SECONDS);
    if (keyManagers != null) {
      ssl = ssl.keyManagerFactory(keyManagers);
    }
    this.client = ssl.applySslConfig().buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        p ->
            received.add(
                p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
  }

  /** Connects with a clean session; throws what the client reports when it cannot. */
  Mqtt5ConnAck connect() throws Exception {
    return connect(true, 0);
  }

  /** Connects with the given session settings. */
  Mqtt5ConnAck connect(boolean cleanStart, long sessionExpirySeconds) throws Exception {
    return client
        .connectWith()
        .cleanStart(cleanStart)
        .sessionExpiryInterval(sessionExpirySeconds)
        .send()
        .get(15, TimeUnit.SECONDS);
  }

  /** The broker's SUBACK reason code for one filter at QoS 1. */
  Mqtt5SubAckReasonCode subscribe(String filter) throws Exception {
    try {
      return client
          .subscribeWith()
          .topicFilter(filter)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send()
          .get(10, TimeUnit.SECONDS)
          .getReasonCodes()
          .getFirst();
    } catch (ExecutionException e) {
      // The client reports a SUBACK of error codes only as an exception that carries it.
      if (e.getCause() instanceof Mqtt5SubAckException refused) {
        return refused.getMqttMessage().getReasonCodes().getFirst();
      }
      throw e;
    }
  }

  /** Publishes at QoS 1 and waits for the PUBACK, or for the failure (a closed connection). */
  void publish(String topic, String payload) throws Exception {
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send()
        .get(10, TimeUnit.SECONDS);
  }

  boolean isConnected() {
    return client.getState() == MqttClientState.CONNECTED;
  }

  List<String> received() {
    return received;
  }

  /** Whether the broker ended the session because another connection took its client id. */
  boolean wasTakenOver() {
    return disconnects.stream()
        .anyMatch(
            cause ->
                cause instanceof Mqtt5DisconnectException d
                    && d.getMqttMessage().getReasonCode()
                        == Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
  }

  @Override
  public void close() {
    if (client.getState().isConnected()) {
      try {
        client.disconnect().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already gone
      }
    }
  }
}
