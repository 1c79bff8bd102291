package io.asyncrpc.web.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Tests for {@link LogContext}. */
class LogContextTests {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void namesTheTaskAndTheDeviceUnderTheSharedKeys() {
    UUID task = UUID.randomUUID();

    LogContext.task(task);
    LogContext.device("SN-1");

    assertThat(MDC.get("task_id")).isEqualTo(task.toString());
    assertThat(MDC.get("device_id")).isEqualTo("SN-1");
  }

  @Test
  void nullChangesNothing() {
    LogContext.device("SN-1");

    LogContext.device(null);
    LogContext.task(null);

    assertThat(MDC.get(LogContext.DEVICE_ID)).isEqualTo("SN-1");
    assertThat(MDC.get(LogContext.TASK_ID)).isNull();
  }

  @Test
  void clearForgetsBothAndNothingElse() {
    MDC.put("other", "kept");
    LogContext.task(UUID.randomUUID());
    LogContext.device("SN-1");

    LogContext.clear();

    assertThat(MDC.get(LogContext.TASK_ID)).isNull();
    assertThat(MDC.get(LogContext.DEVICE_ID)).isNull();
    assertThat(MDC.get("other")).isEqualTo("kept");
  }
}
