package io.asyncrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link StatusCodes}. */
class StatusCodesTests {

  @ParameterizedTest
  @CsvSource({
    "200, true, false",
    "299, true, false",
    "404, false, true",
    "500, false, true",
    "599, false, true",
    "300, false, false",
    "100, false, false",
    "600, false, false"
  })
  void classifiesResultCodes(int code, boolean success, boolean failure) {
    assertThat(StatusCodes.isSuccess(code)).isEqualTo(success);
    assertThat(StatusCodes.isFailure(code)).isEqualTo(failure);
    assertThat(StatusCodes.isValidResult(code)).isEqualTo(success || failure);
  }

  @ParameterizedTest
  @CsvSource(
      value = {"200, 200", "'', -1", "abc, -1", "2000, -1", "NULL, -1", "-20, -1"},
      nullValues = "NULL")
  void parsesThePropertyValue(String value, int expected) {
    assertThat(StatusCodes.parse(value)).isEqualTo(expected);
  }
}
