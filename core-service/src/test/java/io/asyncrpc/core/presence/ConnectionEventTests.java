package io.asyncrpc.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link ConnectionEvent}, with headers as RabbitMQ 4.0.5 sends them. */
class ConnectionEventTests {

  @Test
  void readsTheClientIdOfAnMqttConnection() {
    Map<String, Object> headers = mqttHeaders("SN-x42");

    assertThat(ConnectionEvent.from("connection.created", headers))
        .contains(
            new ConnectionEvent(
                "SN-x42",
                true,
                Instant.ofEpochMilli(1795578070896L),
                Instant.ofEpochMilli(1795578070897L)));
    assertThat(ConnectionEvent.from("connection.closed", headers))
        .hasValueSatisfying(event -> assertThat(event.opened()).isFalse());
  }

  @Test
  void ignoresOtherConnectionsAndOtherEvents() {
    Map<String, Object> amqp = new HashMap<>(mqttHeaders("SN-x42"));
    amqp.put("protocol", "{0,9,1}");
    amqp.put("client_properties", List.of("{<<\"connection_name\">>,longstr,<<\"core\">>}"));

    assertThat(ConnectionEvent.from("connection.created", amqp)).isEmpty();
    assertThat(ConnectionEvent.from("channel.created", mqttHeaders("SN-x42"))).isEmpty();
    assertThat(ConnectionEvent.from("connection.created", mqttHeaders("not.a.device"))).isEmpty();
  }

  @Test
  void anEventWithoutClientPropertiesNamesNoDevice() {
    Map<String, Object> headers = new HashMap<>(mqttHeaders("SN-x42"));
    headers.remove("client_properties");

    assertThat(ConnectionEvent.from("connection.created", headers)).isEmpty();
  }

  private static Map<String, Object> mqttHeaders(String clientId) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("protocol", "{'MQTT',{5,0}}");
    headers.put("client_properties", List.of("{client_id,longstr,<<\"" + clientId + "\">>}"));
    headers.put("user", "device");
    headers.put("connected_at", 1795578070896L);
    headers.put("timestamp_in_ms", 1795578070897L);
    headers.put("name", "127.0.0.1:55726 -> 127.0.0.1:1884");
    return headers;
  }
}
