package io.asyncrpc.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.webhook.RetrySchedule.GiveUp;
import io.asyncrpc.api.webhook.RetrySchedule.Gone;
import io.asyncrpc.api.webhook.RetrySchedule.RetryAfter;
import io.asyncrpc.api.webhook.RetrySchedule.Succeeded;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tests for {@link RetrySchedule}. */
class RetryScheduleTests {

  /** 5 s, x5, at most 10 h, 8 attempts, ±20 %, Retry-After up to 1 h: the defaults. */
  private final RetrySchedule schedule =
      new RetrySchedule(
          new WebhookProperties.Retry(
              Duration.ofSeconds(5), 5, Duration.ofHours(10), 8, 0.2, Duration.ofHours(1)));

  @Test
  void backsOffExponentiallyUpToTheMaximum() {
    // random 0.5 is the middle of the jitter: no change.
    assertThat(schedule.backoff(1, 0.5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(schedule.backoff(2, 0.5)).isEqualTo(Duration.ofSeconds(25));
    assertThat(schedule.backoff(3, 0.5)).isEqualTo(Duration.ofSeconds(125));
    assertThat(schedule.backoff(4, 0.5)).isEqualTo(Duration.ofSeconds(625));
    assertThat(schedule.backoff(7, 0.5)).isEqualTo(Duration.ofHours(10));
    assertThat(schedule.backoff(30, 0.5)).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void jitterSpreadsEachWaitByItsFraction() {
    assertThat(schedule.backoff(2, 0.0)).isEqualTo(Duration.ofSeconds(20));
    assertThat(schedule.backoff(2, 0.999999))
        .isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
  }

  @Test
  void onlyA2xxSucceeds() {
    assertThat(schedule.decide(1, false, 200, null, 0.5)).isInstanceOf(Succeeded.class);
    assertThat(schedule.decide(1, false, 204, null, 0.5)).isInstanceOf(Succeeded.class);
    assertThat(schedule.decide(1, false, 301, null, 0.5))
        .isEqualTo(new RetryAfter(Duration.ofSeconds(5)));
    assertThat(schedule.decide(1, false, 500, null, 0.5))
        .isEqualTo(new RetryAfter(Duration.ofSeconds(5)));
    assertThat(schedule.decide(2, false, null, null, 0.5))
        .isEqualTo(new RetryAfter(Duration.ofSeconds(25)));
  }

  @Test
  void givesUpAfterTheLastAttemptOrAManualOne() {
    assertThat(schedule.decide(7, false, 500, null, 0.5)).isInstanceOf(RetryAfter.class);
    assertThat(schedule.decide(8, false, 500, null, 0.5)).isInstanceOf(GiveUp.class);
    assertThat(schedule.decide(2, true, 500, null, 0.5)).isInstanceOf(GiveUp.class);
  }

  @Test
  void goneDisablesWhateverTheAttempt() {
    assertThat(schedule.decide(1, false, 410, null, 0.5)).isInstanceOf(Gone.class);
    assertThat(schedule.decide(8, true, 410, null, 0.5)).isInstanceOf(Gone.class);
  }

  @Test
  void tooManyRequestsAndUnavailableHonourRetryAfterUpToItsMaximum() {
    assertThat(schedule.decide(1, false, 429, Duration.ofSeconds(2), 0.5))
        .isEqualTo(new RetryAfter(Duration.ofSeconds(2)));
    assertThat(schedule.decide(1, false, 503, Duration.ofSeconds(120), 0.5))
        .isEqualTo(new RetryAfter(Duration.ofSeconds(120)));
    assertThat(schedule.decide(1, false, 503, Duration.ofDays(3), 0.5))
        .isEqualTo(new RetryAfter(Duration.ofHours(1)));
    // Another status's Retry-After is not a request to wait.
    assertThat(schedule.decide(1, false, 500, Duration.ofSeconds(120), 0.5))
        .isEqualTo(new RetryAfter(Duration.ofSeconds(5)));
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    assertThat(RetrySchedule.parseRetryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetrySchedule.parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(RetrySchedule.parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now))
        .isEqualTo(Duration.ZERO);
    assertThat(RetrySchedule.parseRetryAfter("soon", now)).isNull();
    assertThat(RetrySchedule.parseRetryAfter(null, now)).isNull();
  }
}
