package dev.scoville.rules.promql;

import dev.scoville.core.Series;

/** Sums and spreads shared by the aggregations and the *_over_time functions. */
final class Statistics {
  private Statistics() {}

  static double[] values(Series s) {
    double[] values = new double[s.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = s.valueAt(i);
    }
    return values;
  }

  /** Kahan-compensated, as Prometheus sums, so long runs of small values stay exact. */
  static double sum(double[] values) {
    double sum = 0;
    double compensation = 0;
    for (double v : values) {
      double t = sum + v;
      compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
    return Double.isInfinite(sum) ? sum : sum + compensation;
  }

  /** NaN only when every value is NaN: Prometheus's min ignores NaN otherwise. */
  static double min(double[] values) {
    double min = Double.NaN;
    for (double v : values) {
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return min;
  }

  static double max(double[] values) {
    double max = Double.NaN;
    for (double v : values) {
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return max;
  }

  /** Population variance by Welford's method, which does not lose precision to large means. */
  static double variance(double[] values) {
    double mean = 0;
    double squares = 0;
    for (int i = 0; i < values.length; i++) {
      double delta = values[i] - mean;
      mean += delta / (i + 1);
      squares += delta * (values[i] - mean);
    }
    return squares / values.length;
  }
}
