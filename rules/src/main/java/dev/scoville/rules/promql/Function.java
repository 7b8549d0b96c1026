package dev.scoville.rules.promql;

import static dev.scoville.rules.promql.ValueType.INSTANT_VECTOR;
import static dev.scoville.rules.promql.ValueType.RANGE_VECTOR;
import static dev.scoville.rules.promql.ValueType.SCALAR;
import static dev.scoville.rules.promql.ValueType.STRING;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The PromQL functions the subset implements, with their signatures. */
enum Function {
  ABS("abs", INSTANT_VECTOR),
  CEIL("ceil", INSTANT_VECTOR),
  FLOOR("floor", INSTANT_VECTOR),
  ROUND("round", 1, INSTANT_VECTOR, SCALAR),
  SQRT("sqrt", INSTANT_VECTOR),
  EXP("exp", INSTANT_VECTOR),
  LN("ln", INSTANT_VECTOR),
  LOG2("log2", INSTANT_VECTOR),
  LOG10("log10", INSTANT_VECTOR),
  CLAMP("clamp", INSTANT_VECTOR, SCALAR, SCALAR),
  CLAMP_MIN("clamp_min", INSTANT_VECTOR, SCALAR),
  CLAMP_MAX("clamp_max", INSTANT_VECTOR, SCALAR),
  RATE("rate", RANGE_VECTOR),
  IRATE("irate", RANGE_VECTOR),
  INCREASE("increase", RANGE_VECTOR),
  DELTA("delta", RANGE_VECTOR),
  IDELTA("idelta", RANGE_VECTOR),
  DERIV("deriv", RANGE_VECTOR),
  PREDICT_LINEAR("predict_linear", RANGE_VECTOR, SCALAR),
  CHANGES("changes", RANGE_VECTOR),
  RESETS("resets", RANGE_VECTOR),
  AVG_OVER_TIME("avg_over_time", RANGE_VECTOR),
  MIN_OVER_TIME("min_over_time", RANGE_VECTOR),
  MAX_OVER_TIME("max_over_time", RANGE_VECTOR),
  SUM_OVER_TIME("sum_over_time", RANGE_VECTOR),
  COUNT_OVER_TIME("count_over_time", RANGE_VECTOR),
  LAST_OVER_TIME("last_over_time", RANGE_VECTOR),
  STDDEV_OVER_TIME("stddev_over_time", RANGE_VECTOR),
  STDVAR_OVER_TIME("stdvar_over_time", RANGE_VECTOR),
  QUANTILE_OVER_TIME("quantile_over_time", SCALAR, RANGE_VECTOR),
  PRESENT_OVER_TIME("present_over_time", RANGE_VECTOR),
  ABSENT_OVER_TIME("absent_over_time", RANGE_VECTOR),
  HISTOGRAM_QUANTILE("histogram_quantile", SCALAR, INSTANT_VECTOR),
  ABSENT("absent", INSTANT_VECTOR),
  TIME("time"),
  VECTOR("vector", SCALAR),
  SCALAR_OF("scalar", INSTANT_VECTOR),
  SGN("sgn", INSTANT_VECTOR),
  SORT("sort", INSTANT_VECTOR),
  SORT_DESC("sort_desc", INSTANT_VECTOR),
  DAY_OF_MONTH("day_of_month", 0, INSTANT_VECTOR),
  DAY_OF_WEEK("day_of_week", 0, INSTANT_VECTOR),
  DAY_OF_YEAR("day_of_year", 0, INSTANT_VECTOR),
  DAYS_IN_MONTH("days_in_month", 0, INSTANT_VECTOR),
  HOUR("hour", 0, INSTANT_VECTOR),
  MINUTE("minute", 0, INSTANT_VECTOR),
  MONTH("month", 0, INSTANT_VECTOR),
  YEAR("year", 0, INSTANT_VECTOR),
  TIMESTAMP("timestamp", INSTANT_VECTOR),
  SIN("sin", INSTANT_VECTOR),
  COS("cos", INSTANT_VECTOR),
  TAN("tan", INSTANT_VECTOR),
  ASIN("asin", INSTANT_VECTOR),
  ACOS("acos", INSTANT_VECTOR),
  ATAN("atan", INSTANT_VECTOR),
  SINH("sinh", INSTANT_VECTOR),
  COSH("cosh", INSTANT_VECTOR),
  TANH("tanh", INSTANT_VECTOR),
  ASINH("asinh", INSTANT_VECTOR),
  ACOSH("acosh", INSTANT_VECTOR),
  ATANH("atanh", INSTANT_VECTOR),
  DEG("deg", INSTANT_VECTOR),
  RAD("rad", INSTANT_VECTOR),
  PI("pi"),
  LABEL_REPLACE("label_replace", INSTANT_VECTOR, STRING, STRING, STRING, STRING),
  /** Takes any number of source labels: the last parameter repeats. */
  LABEL_JOIN("label_join", 3, INSTANT_VECTOR, STRING, STRING, STRING);

  /** Prometheus functions outside the subset: refused by name rather than as unknown. */
  static final Set<String> UNSUPPORTED =
      Set.of(
          "sort_by_label",
          "sort_by_label_desc",
          "holt_winters",
          "double_exponential_smoothing",
          "histogram_count",
          "histogram_sum",
          "histogram_avg",
          "histogram_fraction",
          "histogram_stddev",
          "histogram_stdvar",
          "mad_over_time",
          "first_over_time",
          "ts_of_min_over_time",
          "ts_of_max_over_time",
          "ts_of_last_over_time",
          "info",
          "limitk",
          "limit_ratio");

  final String name;
  final List<ValueType> parameters;

  /** Arguments from this index on may be left out. */
  final int requiredCount;

  Function(String name, ValueType... parameters) {
    this(name, parameters.length, parameters);
  }

  Function(String name, int requiredCount, ValueType... parameters) {
    this.name = name;
    this.parameters = List.of(parameters);
    this.requiredCount = requiredCount;
  }

  int maxCount() {
    return this == LABEL_JOIN ? Integer.MAX_VALUE : parameters.size();
  }

  ValueType parameter(int index) {
    return parameters.get(Math.min(index, parameters.size() - 1));
  }

  static Optional<Function> named(String name) {
    return Arrays.stream(values()).filter(f -> f.name.equals(name)).findFirst();
  }

  /** The function one typo away (two for long names) from a misspelt one: rate for rat. */
  static Optional<Function> nearest(String misspelt) {
    Function best = null;
    int bestDistance = misspelt.length() < 6 ? 2 : 3;
    for (Function f : values()) {
      int d = editDistance(misspelt, f.name);
      if (d < bestDistance) {
        best = f;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  ValueType returnType() {
    return this == TIME || this == SCALAR_OF || this == PI ? SCALAR : INSTANT_VECTOR;
  }

  /** Whether the result's order is the point: {@code sort} and {@code sort_desc}. */
  boolean ordersByValue() {
    return this == SORT || this == SORT_DESC;
  }

  /** Whether the result keeps the input's metric name: only where the value still means it. */
  boolean keepsMetricName() {
    return switch (this) {
      case LAST_OVER_TIME, SORT, SORT_DESC, LABEL_REPLACE, LABEL_JOIN -> true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return name;
  }
}
