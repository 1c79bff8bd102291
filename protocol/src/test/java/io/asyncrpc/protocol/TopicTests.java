package io.asyncrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link Topic} and {@link DeviceId}. */
class TopicTests {

  @ParameterizedTest
  @EnumSource(MessageKind.class)
  void everyKindRoundTripsThroughMqttTopicAndRoutingKey(MessageKind kind) {
    Topic topic = Topic.of("SN-0001", kind);

    assertThat(Topic.parseMqtt(topic.mqtt())).contains(topic);
    assertThat(Topic.parseRoutingKey(topic.routingKey())).contains(topic);
    assertThat(topic.routingKey()).isEqualTo(topic.mqtt().replace('/', '.'));
  }

  @Test
  void rendersTheSeedsTopicNames() {
    assertThat(Topic.of("SN1", MessageKind.TRIGGER).mqtt()).isEqualTo("srv/SN1/tsk");
    assertThat(Topic.of("SN1", MessageKind.RESULT).routingKey()).isEqualTo("dev.SN1.res");
    assertThat(Topic.subscriptionFilter(new DeviceId("SN1"))).isEqualTo("srv/SN1/+");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.SN1.log", // not a protocol message: the core ignores and counts it
        "srv.SN1.evt", // an event travels from the device, never to it
        "srv.SN1.req", // a request travels from the device, never to it
        "dev.SN.1.res", // a dot inside the device id would reach another device's topics
        "dev..res",
        "dev.SN1",
        "SN1.res",
        "",
        "dev.S*N.res",
        "dev.S#N.res"
      })
  void rejectsWhatIsNotAProtocolTopic(String routingKey) {
    assertThat(Topic.parseRoutingKey(routingKey)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a.b", "a/b", "a+b", "a#", "a*", "with space"})
  void deviceIdsRefuseTopicSyntax(String value) {
    assertThat(DeviceId.isValid(value)).isFalse();
    assertThatIllegalArgumentException().isThrownBy(() -> new DeviceId(value));
  }

  @Test
  void deviceIdsAreAtMost64Characters() {
    assertThat(DeviceId.isValid("a".repeat(64))).isTrue();
    assertThat(DeviceId.isValid("a".repeat(65))).isFalse();
  }
}
