package io.asyncrpc.ca.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tests for {@link DevicePermissions}: a device reaches its own topics and queues only. */
class DevicePermissionsTests {

  private final DevicePermissions p = DevicePermissions.of("SN-1");

  @Test
  void confinesTheDeviceToItsOwnTopics() {
    assertThat(matches(p.topicWrite(), "dev.SN-1.res")).isTrue();
    assertThat(matches(p.topicWrite(), "dev.SN-1.evt.x")).isTrue();
    assertThat(matches(p.topicWrite(), "dev.SN-10.res")).isFalse();
    assertThat(matches(p.topicWrite(), "dev.SN-1")).isFalse();
    assertThat(matches(p.topicWrite(), "srv.SN-1.rsp")).isFalse();
    assertThat(matches(p.topicRead(), "srv.SN-1.#")).isTrue();
    assertThat(matches(p.topicRead(), "srv.SN-1.tsk")).isTrue();
    assertThat(matches(p.topicRead(), "srv.SN-2.tsk")).isFalse();
    assertThat(matches(p.topicRead(), "srv.#")).isFalse();
    assertThat(matches(p.topicRead(), "dev.SN-1.res")).isFalse();
  }

  @Test
  void confinesTheDeviceToItsOwnSessionQueues() {
    assertThat(matches(p.configure(), "mqtt-subscription-SN-1qos1")).isTrue();
    assertThat(matches(p.configure(), "mqtt-subscription-SN-1qos0")).isTrue();
    assertThat(matches(p.configure(), "mqtt-subscription-SN-10qos1")).isFalse();
    assertThat(matches(p.configure(), "amq.topic")).isFalse();
    assertThat(matches(p.write(), "amq.topic")).isTrue();
    assertThat(matches(p.write(), "amqXtopic")).isFalse();
    assertThat(matches(p.read(), "mqtt-subscription-SN-1qos1")).isTrue();
    assertThat(matches(p.read(), "core.device-messages")).isFalse();
  }

  @Test
  void refusesAnythingButADeviceId() {
    assertThatThrownBy(() -> DevicePermissions.of("a.b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DevicePermissions.of(".*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DevicePermissions.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  private static boolean matches(String regex, String name) {
    return Pattern.compile(regex).matcher(name).find();
  }
}
