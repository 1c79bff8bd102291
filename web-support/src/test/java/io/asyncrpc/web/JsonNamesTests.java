package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests for {@link JsonNames}. */
class JsonNamesTests {

  @Test
  void javaNamesAreSpelledInSnakeCase() {
    assertThat(JsonNames.snake("deviceId")).isEqualTo("device_id");
    assertThat(JsonNames.snake("externalIdKey")).isEqualTo("external_id_key");
    assertThat(JsonNames.snake("ttl")).isEqualTo("ttl");
  }
}
