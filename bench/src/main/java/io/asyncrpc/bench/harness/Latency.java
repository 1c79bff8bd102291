package io.asyncrpc.bench.harness;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency distribution, in milliseconds.
 *
 * @param count recorded values
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record Latency(long count, double p50, double p90, double p99, double max) {

  /** No values recorded. */
  public static final Latency NONE = new Latency(0, 0, 0, 0, 0);

  /** The summary of a histogram of microseconds. */
  public static Latency ofMicros(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return NONE;
    }
    return new Latency(
        micros.getTotalCount(),
        ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)),
        ms(micros.getMaxValue()));
  }

  /** A histogram for microseconds up to one hour, three significant digits. */
  public static Histogram micros() {
    return new Histogram(3_600_000_000L, 3);
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%d)",
        p50,
        p90,
        p99,
        max,
        count);
  }
}
