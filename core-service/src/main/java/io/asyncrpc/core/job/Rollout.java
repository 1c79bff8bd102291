package io.asyncrpc.core.job;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How fast a job starts executions: a fixed {@code max_per_minute}, or exponential from {@code
 * base_per_minute}, multiplied by {@code increment_factor} each time another {@code
 * increase_after_notified} executions were created or {@code increase_after_succeeded} succeeded
 * (an exponential rollout's {@code max_per_minute}, if given, caps it).
 *
 * @param basePerMinute the rate at the start
 * @param incrementFactor what each step multiplies the rate by (1 for a fixed rate)
 * @param increaseAfterNotified executions created per step, or 0
 * @param increaseAfterSucceeded executions done per step, or 0
 * @param maxPerMinute the highest rate, or infinity
 */
record Rollout(
    double basePerMinute,
    double incrementFactor,
    int increaseAfterNotified,
    int increaseAfterSucceeded,
    double maxPerMinute) {

  private static final double NANOS_PER_MINUTE = 60e9;

  /** The rollout as the job row keeps it (api-service validated it). */
  static Rollout of(JsonNode rollout) {
    if (!rollout.has("base_per_minute")) {
      double rate = rollout.path("max_per_minute").asDouble();
      return new Rollout(rate, 1, 0, 0, rate);
    }
    return new Rollout(
        rollout.path("base_per_minute").asDouble(),
        rollout.path("increment_factor").asDouble(1),
        rollout.path("increase_after_notified").asInt(0),
        rollout.path("increase_after_succeeded").asInt(0),
        rollout.has("max_per_minute")
            ? rollout.path("max_per_minute").asDouble()
            : Double.POSITIVE_INFINITY);
  }

  /** The rate now, after {@code created} executions of which {@code succeeded} are done. */
  double perMinute(int created, int succeeded) {
    int steps =
        increaseAfterNotified > 0
            ? created / increaseAfterNotified
            : increaseAfterSucceeded > 0 ? succeeded / increaseAfterSucceeded : 0;
    return Math.min(maxPerMinute, basePerMinute * Math.pow(incrementFactor, steps));
  }

  /**
   * How many executions the rate allows at {@code now} on the rollout clock {@code clock} (null
   * before the first decision: the first execution starts at once), and where the clock is after
   * {@code created} of them were created.
   */
  static Allowance allowance(
      @Nullable Instant clock, Instant now, double perMinute, Duration maxCatchUp) {
    if (perMinute <= 0) {
      return new Allowance(now, 0, perMinute);
    }
    Instant from;
    if (clock == null) {
      from = now.minusNanos(period(perMinute));
    } else {
      Instant earliest = now.minus(maxCatchUp);
      from = clock.isBefore(earliest) ? earliest : clock;
    }
    double elapsedNanos = Math.max(0, Duration.between(from, now).toNanos());
    // The small epsilon keeps a whole number of executions whole despite rounding.
    long allowed = (long) Math.floor(elapsedNanos * perMinute / NANOS_PER_MINUTE + 1e-9);
    return new Allowance(from, allowed, perMinute);
  }

  private static long period(double perMinute) {
    return Math.round(NANOS_PER_MINUTE / perMinute);
  }

  /**
   * What a decision may create.
   *
   * @param from the clock the allowance counts from
   * @param allowed executions the rate allows now
   * @param perMinute the rate
   */
  record Allowance(Instant from, long allowed, double perMinute) {

    /** The rollout clock after {@code created} executions: only what was used is spent. */
    Instant clockAfter(long created, Instant now) {
      if (perMinute <= 0) {
        return now;
      }
      Instant clock = from.plusNanos(Math.round(created * NANOS_PER_MINUTE / perMinute));
      return clock.isAfter(now) ? now : clock;
    }
  }
}
