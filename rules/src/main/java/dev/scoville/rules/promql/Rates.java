package dev.scoville.rules.promql;

import dev.scoville.core.Series;
import java.util.OptionalDouble;

/** rate, increase, delta, irate and idelta, as Prometheus computes them. */
final class Rates {
  private Rates() {}

  /**
   * Prometheus's {@code extrapolatedRate}: the change over the samples in the window, corrected for
   * counter resets, then extrapolated towards the window's edges, but only as far as the sample
   * spacing suggests the series really extends, and never below a counter's zero.
   */
  static OptionalDouble extrapolated(
      Series s, long rangeStart, long rangeEnd, boolean counter, boolean perSecond) {
    int n = s.size();
    if (n < 2) {
      return OptionalDouble.empty();
    }
    double first = s.valueAt(0);
    double result = s.valueAt(n - 1) - first;
    if (counter) {
      double previous = first;
      for (int i = 1; i < n; i++) {
        double current = s.valueAt(i);
        if (current < previous) {
          result += previous;
        }
        previous = current;
      }
    }
    double durationToStart = (s.timestampAt(0) - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - s.timestampAt(n - 1)) / 1000.0;
    double sampledInterval = (s.timestampAt(n - 1) - s.timestampAt(0)) / 1000.0;
    double averageBetweenSamples = sampledInterval / (n - 1);
    // Beyond 1.1 average gaps from an edge, assume the series starts or ends inside the window.
    double threshold = averageBetweenSamples * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = averageBetweenSamples / 2;
    }
    if (counter && result > 0 && first >= 0) {
      double durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = averageBetweenSamples / 2;
    }
    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (perSecond) {
      factor /= (rangeEnd - rangeStart) / 1000.0;
    }
    return OptionalDouble.of(result * factor);
  }

  /** From the last two samples only; for irate a drop is read as a counter reset. */
  static OptionalDouble instant(Series s, boolean perSecond) {
    int n = s.size();
    if (n < 2) {
      return OptionalDouble.empty();
    }
    double last = s.valueAt(n - 1);
    double previous = s.valueAt(n - 2);
    double result = perSecond && last < previous ? last : last - previous;
    long interval = s.timestampAt(n - 1) - s.timestampAt(n - 2);
    if (interval == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(perSecond ? result / (interval / 1000.0) : result);
  }
}
