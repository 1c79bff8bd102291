package io.asyncrpc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests for {@link Backoff}. */
class BackoffTests {

  @Test
  void growsExponentiallyUpToTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
    assertThat(backoff.nextDelayMillis()).isBetween(100L, 200L);
    assertThat(backoff.nextDelayMillis()).isBetween(200L, 400L);
    assertThat(backoff.nextDelayMillis()).isBetween(400L, 800L);
    for (int i = 0; i < 40; i++) {
      assertThat(backoff.nextDelayMillis()).isBetween(500L, 1000L);
    }
  }

  @Test
  void startsOverAfterReset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      backoff.nextDelayMillis();
    }

    backoff.reset();

    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
  }
}
