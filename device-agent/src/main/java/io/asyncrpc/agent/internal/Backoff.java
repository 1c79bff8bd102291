package io.asyncrpc.agent.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delays with jitter: min, 2 min, 4 min ... up to max, each drawn from its
 * upper half so that a fleet that lost the broker together does not come back in lockstep.
 */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private int failures;

  Backoff(Duration min, Duration max) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
  }

  /** The delay before the next attempt; each call doubles the next one, up to max. */
  synchronized long nextDelayMillis() {
    long ceiling = minMillis << Math.min(failures, 30);
    if (ceiling <= 0 || ceiling > maxMillis) {
      ceiling = maxMillis;
    }
    failures++;
    long floor = Math.max(minMillis, ceiling / 2);
    return floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1);
  }

  /** Starts over from min, after a connection succeeded. */
  synchronized void reset() {
    failures = 0;
  }
}
