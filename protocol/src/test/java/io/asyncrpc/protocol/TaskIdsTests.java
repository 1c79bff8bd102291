package io.asyncrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link TaskIds}. */
class TaskIdsTests {

  private static final UUID ID = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091");

  @Test
  void acceptsTheTextFormTheSeedsDevicesSend() {
    byte[] text = ID.toString().getBytes(StandardCharsets.US_ASCII);

    assertThat(TaskIds.fromCorrelationData(text)).contains(ID);
    assertThat(TaskIds.toCorrelationData(ID)).isEqualTo(text);
  }

  @Test
  void acceptsSixteenRawBytes() {
    assertThat(TaskIds.fromCorrelationData(TaskIds.toRawBytes(ID))).contains(ID);
  }

  @Test
  void theZeroUuidIsTheHeadOfTheFifo() {
    assertThat(TaskIds.fromText("00000000-0000-0000-0000-000000000000")).contains(TaskIds.ZERO);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not-a-uuid",
        "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f809", // 35 characters
        "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f80911",
        "3f2b6c1e+8d4a-4f7e-9b1c-2a5d6e7f8091",
        "1-1-1-1-1000000000000000000000000000"
      })
  void refusesMalformedCorrelationData(String text) {
    assertThat(TaskIds.fromCorrelationData(text.getBytes(StandardCharsets.US_ASCII))).isEmpty();
  }

  @Test
  void refusesMissingCorrelationData() {
    assertThat(TaskIds.fromCorrelationData(null)).isEmpty();
    assertThat(TaskIds.fromText(null)).isEmpty();
  }
}
