package io.asyncrpc.protocol.hivemq;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.asyncrpc.protocol.WireMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping between the protocol's {@link WireMessage} and the HiveMQ client's {@link
 * Mqtt5Publish}: topic, correlation data, user properties in order (repeats kept), payload, content
 * type and message expiry, always at QoS 1. The device agent and the swarm both speak through it.
 */
public final class PublishMapping {

  private PublishMapping() {}

  /** The publish that sends {@code message} at QoS 1. */
  public static Mqtt5Publish toPublish(WireMessage message) {
    Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
    message.userProperties().forEach(p -> properties.add(p.name(), p.value()));
    Mqtt5PublishBuilder.Complete publish =
        Mqtt5Publish.builder()
            .topic(message.topic())
            .qos(MqttQos.AT_LEAST_ONCE)
            .correlationData(message.correlationData())
            .userProperties(properties.build())
            .payload(message.payload())
            .contentType(message.contentType());
    if (message.expirySeconds() > 0) {
      publish.messageExpiryInterval(message.expirySeconds());
    }
    return publish.build();
  }

  /**
   * The message a publish carries; its expiry is what was left of it when the broker delivered it.
   */
  public static WireMessage toWire(Mqtt5Publish publish) {
    List<WireMessage.UserProperty> properties = new ArrayList<>();
    for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
      properties.add(
          new WireMessage.UserProperty(
              property.getName().toString(), property.getValue().toString()));
    }
    return new WireMessage(
        publish.getTopic().toString(),
        publish.getCorrelationData().map(PublishMapping::bytes).orElse(null),
        properties,
        publish.getPayloadAsBytes(),
        publish.getContentType().map(Object::toString).orElse(null),
        publish.getMessageExpiryInterval().orElse(0));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
