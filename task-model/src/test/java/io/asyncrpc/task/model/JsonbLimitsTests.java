package io.asyncrpc.task.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link JsonbLimits}, at the limits PostgreSQL 15 showed for {@code jsonb}. */
class JsonbLimitsTests {

  @Test
  void textWithoutNulOrUnpairedSurrogatesIsStorable() {
    assertThat(JsonbLimits.isStorableText("")).isTrue();
    assertThat(JsonbLimits.isStorableText("héllo 日本 \ud83d\ude00")).isTrue();
    assertThat(JsonbLimits.isStorableText("tab\tnewline\n\u0001")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u0000",
        "a\u0000b",
        "\ud800",
        "x\ud800",
        "\udc00",
        "\ud83d\ud83d",
        "\ude00\ud83d"
      })
  void nulAndUnpairedSurrogatesAreNot(String text) {
    assertThat(JsonbLimits.isStorableText(text)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0.0", "1e400", "1e999", "-1e-998", "123.456", "-1e-400", "1.5"})
  void numbersUpToAThousandPlainDigitsAreStorable(String number) {
    assertThat(JsonbLimits.isStorableNumber(new BigDecimal(number))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e1000", "1e131071", "1e200000", "-1e999999", "1e-1000", "1.5e-16383"})
  void numbersLongerThanAThousandPlainDigitsAreNot(String number) {
    assertThat(JsonbLimits.isStorableNumber(new BigDecimal(number))).isFalse();
  }
}
