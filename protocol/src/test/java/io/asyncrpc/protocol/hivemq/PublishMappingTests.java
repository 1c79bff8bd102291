package io.asyncrpc.protocol.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.GoldenMessages;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.protocol.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tests for {@link PublishMapping}. */
class PublishMappingTests {

  @Test
  void everyGoldenMessageSurvivesTheRoundTrip() {
    for (String file : GoldenMessages.FILES) {
      WireMessage message = GoldenMessages.load(file).message();

      assertThat(PublishMapping.toWire(PublishMapping.toPublish(message)))
          .as(file)
          .isEqualTo(message);
    }
  }

  @Test
  void keepsRepeatedUserPropertiesInOrderContentTypeAndExpiry() {
    UUID task = UUID.randomUUID();
    WireMessage message =
        new WireMessage(
            "srv/SN-0001/rsp",
            TaskIds.toCorrelationData(task),
            new WireMessage.Properties()
                .add(UserProperties.ATTEMPT, 2)
                .add(UserProperties.METHOD_CODE, "a")
                .add(UserProperties.ATTEMPT, 7)
                .list(),
            "{}".getBytes(StandardCharsets.UTF_8),
            WireMessage.JSON,
            30);

    Mqtt5Publish publish = PublishMapping.toPublish(message);
    WireMessage back = PublishMapping.toWire(publish);

    assertThat(publish.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    assertThat(publish.getMessageExpiryInterval()).hasValue(30);
    assertThat(back).isEqualTo(message);
    assertThat(back.property(UserProperties.ATTEMPT)).as("the first value counts").isEqualTo("2");
  }

  @Test
  void noCorrelationDataNoContentTypeAndNoExpiryStayAbsent() {
    WireMessage message = WireMessage.of("srv/SN-0001/err", null, List.of(), new byte[0]);

    Mqtt5Publish publish = PublishMapping.toPublish(message);

    assertThat(publish.getCorrelationData()).isEmpty();
    assertThat(publish.getContentType()).isEmpty();
    assertThat(publish.getMessageExpiryInterval()).isEmpty();
    assertThat(PublishMapping.toWire(publish)).isEqualTo(message);
  }
}
