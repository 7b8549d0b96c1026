package dev.scoville.rules.promql;

import dev.scoville.core.Series;
import java.util.OptionalDouble;

/** Least-squares line through a series, for deriv and predict_linear. */
final class Regression {
  private Regression() {}

  static OptionalDouble slope(Series s) {
    if (s.size() < 2) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(fit(s, s.timestampAt(0))[0]);
  }

  /** The value the line reaches {@code seconds} after {@code atMillis}. */
  static OptionalDouble predict(Series s, long atMillis, double seconds) {
    if (s.size() < 2) {
      return OptionalDouble.empty();
    }
    double[] line = fit(s, atMillis);
    return OptionalDouble.of(line[0] * seconds + line[1]);
  }

  /**
   * Slope per second and intercept at {@code interceptMillis}; x is relative to it so that epoch
   * milliseconds do not eat the precision. A constant series has slope 0, as in Prometheus.
   */
  private static double[] fit(Series s, long interceptMillis) {
    int n = s.size();
    double first = s.valueAt(0);
    boolean constant = true;
    double sumX = 0;
    double sumY = 0;
    double sumXY = 0;
    double sumX2 = 0;
    for (int i = 0; i < n; i++) {
      double x = (s.timestampAt(i) - interceptMillis) / 1000.0;
      double y = s.valueAt(i);
      constant &= y == first;
      sumX += x;
      sumY += y;
      sumXY += x * y;
      sumX2 += x * x;
    }
    if (constant) {
      return Double.isInfinite(first)
          ? new double[] {Double.NaN, Double.NaN}
          : new double[] {0, first};
    }
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    return new double[] {slope, sumY / n - slope * sumX / n};
  }
}
