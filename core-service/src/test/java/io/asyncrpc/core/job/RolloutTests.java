package io.asyncrpc.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tests for {@link Rollout}. */
class RolloutTests {

  private static final Duration CATCH_UP = Duration.ofSeconds(5);
  private final ProtocolJson json = new ProtocolJson();

  @Test
  void aFixedRateOverAMinuteIsExactWhateverTheDecisionInterval() {
    for (long intervalMillis : new long[] {130, 200, 500, 1000, 3000}) {
      Instant start = Instant.parse("2026-12-02T05:00:00Z");
      Instant clock = null;
      long created = 0;
      for (Instant now = start;
          !now.isAfter(start.plusSeconds(60));
          now = now.plusMillis(intervalMillis)) {
        Rollout.Allowance allowance = Rollout.allowance(clock, now, 777, CATCH_UP);
        created += allowance.allowed();
        clock = allowance.clockAfter(allowance.allowed(), now);
      }
      // 777 a minute, plus the first at once, less at most the fraction of the last interval.
      assertThat(created).as("every %d ms", intervalMillis).isBetween(777L + 1 - 13 * 3, 778L);
    }
  }

  @Test
  void whatADecisionCouldNotCreateIsCarriedToTheNext() {
    Instant now = Instant.parse("2026-12-02T05:00:00Z");
    Rollout.Allowance first = Rollout.allowance(now.minusSeconds(1), now, 600, CATCH_UP);
    assertThat(first.allowed()).isEqualTo(10);
    // Only 4 created (a full batch): the clock moves on by 4 executions' worth, not to now.
    Instant clock = first.clockAfter(4, now);
    assertThat(Rollout.allowance(clock, now, 600, CATCH_UP).allowed()).isEqualTo(6);
  }

  @Test
  void exponentialRatesGrowPerStepAndStopAtTheirMaximum() {
    Rollout notified =
        Rollout.of(
            read(
                "{\"base_per_minute\": 10, \"increment_factor\": 2, \"increase_after_notified\": 5,"
                    + " \"max_per_minute\": 70}"));
    assertThat(notified.perMinute(4, 0)).isEqualTo(10);
    assertThat(notified.perMinute(5, 0)).isEqualTo(20);
    assertThat(notified.perMinute(10, 0)).isEqualTo(40);
    assertThat(notified.perMinute(15, 0)).isEqualTo(70);
    Rollout succeeded =
        Rollout.of(
            read(
                "{\"base_per_minute\": 10, \"increment_factor\": 1.5,"
                    + " \"increase_after_succeeded\": 4}"));
    assertThat(succeeded.perMinute(100, 3)).isEqualTo(10);
    assertThat(succeeded.perMinute(100, 8)).isEqualTo(22.5);
    assertThat(Rollout.of(read("{\"max_per_minute\": 42}")).perMinute(1000, 1000)).isEqualTo(42);
  }

  private tools.jackson.databind.JsonNode read(String text) {
    return json.read(text.getBytes(StandardCharsets.UTF_8));
  }
}
