package io.asyncrpc.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link DeviceAllowlist}. */
class DeviceAllowlistTests {

  @Test
  void anEmptyListAllowsEveryDevice() {
    DeviceAllowlist open = new DeviceAllowlist(List.of());

    assertThat(open.isOpen()).isTrue();
    assertThat(open.allows("anything")).isTrue();
  }

  @Test
  void idsMatchExactlyAndStarMatchesAnyRun() {
    DeviceAllowlist list = new DeviceAllowlist(List.of("SN-0001", "lab-*", "*-test"));

    assertThat(list.allows("SN-0001")).isTrue();
    assertThat(list.allows("SN-00011")).isFalse();
    assertThat(list.allows("lab-")).isTrue();
    assertThat(list.allows("lab-42")).isTrue();
    assertThat(list.allows("xlab-42")).isFalse();
    assertThat(list.allows("rig-test")).isTrue();
  }

  @Test
  void patternCharactersOtherThanStarAreLiteral() {
    DeviceAllowlist list = new DeviceAllowlist(List.of("a.c"));

    assertThat(list.allows("a.c")).isTrue();
    assertThat(list.allows("abc")).isFalse();
  }

  @Test
  void aRefusalNamesTheDeviceAndTheSetting() {
    assertThatThrownBy(() -> new DeviceAllowlist(List.of("lab-*")).check("prod-1"))
        .isInstanceOf(ToolRefused.class)
        .hasMessageContaining("prod-1")
        .hasMessageContaining("iot.mcp.allowed-devices");
  }
}
