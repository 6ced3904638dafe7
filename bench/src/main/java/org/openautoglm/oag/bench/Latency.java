package org.openautoglm.oag.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency distribution, in milliseconds. Immutable. Values are
 * HdrHistogram's (3 significant digits), so p50 <= p90 <= p99 <= p99.9 <= max always
 * holds; all zero when nothing was recorded.
 */
public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
    double maxMs, double meanMs) {

  public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);

  /** From a histogram of microseconds. */
  public static Latency ofMicros(Histogram h) {
    if (h.getTotalCount() == 0) {
      return NONE;
    }
    return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), round3(h.getMean() / 1000.0));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
