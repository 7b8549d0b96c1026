package dev.scoville.rules.promql;

import dev.scoville.core.Series;
import java.util.List;

/** What evaluating a node yields; range vectors only ever reach functions. */
sealed interface Value {

  record Scalar(double value) implements Value {}

  record Vector(List<VectorSample> samples) implements Value {}

  /** Series without staleness markers, each with at least one sample. */
  record Matrix(List<Series> series) implements Value {}

  record Text(String value) implements Value {}
}
