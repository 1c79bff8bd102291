package io.asyncrpc.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleBrokerBenchmarkTests {

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

  @Test
  void theWindowAskedForIsKeptWhenItIsWholeKeepAlivePeriods() {
    assertThat(IdleBrokerBenchmark.window(Duration.ofSeconds(120), KEEP_ALIVE, seconds(60)))
        .isEqualTo(seconds(120));
    assertThat(IdleBrokerBenchmark.window(Duration.ofSeconds(120), KEEP_ALIVE, seconds(5)))
        .isEqualTo(seconds(120));
  }

  @Test
  void aShorterOrBrokenWindowIsRoundedUpToWholePeriods() {
    assertThat(IdleBrokerBenchmark.window(seconds(30), KEEP_ALIVE, seconds(60)))
        .isEqualTo(seconds(60));
    assertThat(IdleBrokerBenchmark.window(seconds(130), KEEP_ALIVE, seconds(60)))
        .isEqualTo(seconds(180));
  }

  @Test
  void statisticsRarerThanTheKeepAliveSetThePeriod() {
    assertThat(IdleBrokerBenchmark.window(seconds(120), KEEP_ALIVE, seconds(300)))
        .isEqualTo(seconds(300));
  }

  private static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
