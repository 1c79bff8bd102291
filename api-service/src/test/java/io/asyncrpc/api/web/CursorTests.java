package io.asyncrpc.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link Cursor}. */
class CursorTests {

  @Test
  void survivesARoundTripWithMicrosecondPrecision() {
    Cursor cursor = new Cursor(Instant.parse("2025-01-02T03:04:05.123456Z"), "SN-0001");

    assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void isOpaqueUrlSafeText() {
    String text = new Cursor(Instant.parse("2025-01-02T03:04:05.123456Z"), "a-b_c").encode();

    assertThat(text).matches("[A-Za-z0-9_-]+");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "!!!", "bm8tY29sb24", "OnggOg", "eHl6OmFiYw"})
  void refusesTextItDidNotProduce(String text) {
    assertThatThrownBy(() -> Cursor.decode(text))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("cursor");
  }
}
