package dev.scoville.rules.promql;

import dev.scoville.core.Series;
import java.util.List;

/** What evaluating a node yields; range vectors only ever reach functions. */
sealed interface Value {

  record Scalar(double value) implements Value {}

  record Vector(List<VectorSample> samples) implements Value {}

  /**
   * Series without staleness markers, each with at least one sample in the left-open window
   * {@code (rangeStartMillis, rangeEndMillis]} that rate() and friends extrapolate to.
   */
  record Matrix(List<Series> series, long rangeStartMillis, long rangeEndMillis) implements Value {}

  record Text(String value) implements Value {}
}
