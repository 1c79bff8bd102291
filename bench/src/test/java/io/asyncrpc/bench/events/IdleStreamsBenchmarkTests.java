package io.asyncrpc.bench.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The event's timestamp as the latency figures read it. */
class IdleStreamsBenchmarkTests {

  @Test
  void readsTheTimestampOfAnEventInMicroseconds() {
    String event =
        "{\"id\":\"812-44\",\"type\":\"task.finished\",\"timestamp\":\"1970-01-01T00:00:01.000002Z\","
            + "\"data\":{\"id\":\"8a6f3f5e-0000-4000-8000-000000000001\"}}";

    assertThat(IdleStreamsBenchmark.timestampMicros(event)).isEqualTo(1_000_002);
  }

  @Test
  void anEventWithoutTimestampReadsAsUnknown() {
    assertThat(IdleStreamsBenchmark.timestampMicros("{\"id\":\"1-1\"}")).isEqualTo(-1);
  }
}
