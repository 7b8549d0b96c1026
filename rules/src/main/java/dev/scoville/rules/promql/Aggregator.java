package dev.scoville.rules.promql;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Aggregation operators; some take a scalar parameter before the vector. */
enum Aggregator {
  SUM,
  AVG,
  MIN,
  MAX,
  COUNT,
  GROUP,
  STDDEV,
  STDVAR,
  TOPK,
  BOTTOMK,
  QUANTILE,
  COUNT_VALUES;

  static Optional<Aggregator> named(String name) {
    return Arrays.stream(values()).filter(a -> a.toString().equalsIgnoreCase(name)).findFirst();
  }

  boolean hasParameter() {
    return this == TOPK || this == BOTTOMK || this == QUANTILE || this == COUNT_VALUES;
  }

  /** count_values takes the name of the label to write the values into; the others a number. */
  ValueType parameterType() {
    return this == COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
