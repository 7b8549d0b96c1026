package dev.scoville.rules.promql;

import dev.scoville.core.Labels;
import dev.scoville.rules.promql.Expr.Aggregation;
import dev.scoville.rules.promql.Expr.Grouping;
import dev.scoville.rules.promql.Value.Scalar;
import dev.scoville.rules.promql.Value.Vector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk and quantile over groups. */
final class Aggregations {
  private Aggregations() {}

  static Value apply(Aggregation aggregation, Value parameter, List<VectorSample> samples) {
    Map<Labels, List<VectorSample>> groups = new LinkedHashMap<>();
    for (VectorSample s : samples) {
      groups
          .computeIfAbsent(groupLabels(aggregation.grouping(), s.labels()), k -> new ArrayList<>())
          .add(s);
    }
    double p = parameter instanceof Scalar scalar ? scalar.value() : Double.NaN;
    List<VectorSample> out = new ArrayList<>();
    groups.forEach(
        (labels, group) -> {
          switch (aggregation.aggregator()) {
            case TOPK ->
                out.addAll(
                    top(group, p, Comparator.comparingDouble(VectorSample::value).reversed()));
            case BOTTOMK ->
                out.addAll(top(group, p, Comparator.comparingDouble(VectorSample::value)));
            case COUNT_VALUES ->
                out.addAll(countValues(labels, ((Value.Text) parameter).value(), group));
            default -> out.add(new VectorSample(labels, value(aggregation.aggregator(), p, group)));
          }
        });
    return new Vector(out);
  }

  /** {@code by} keeps the listed labels; {@code without} drops them and the metric name. */
  private static Labels groupLabels(Grouping grouping, Labels labels) {
    if (!grouping.without()) {
      return LabelSets.keep(labels, grouping.labels());
    }
    return LabelSets.dropWithName(labels, grouping.labels());
  }

  private static double value(Aggregator aggregator, double parameter, List<VectorSample> group) {
    double[] values = group.stream().mapToDouble(VectorSample::value).toArray();
    return switch (aggregator) {
      case SUM -> Statistics.sum(values);
      case AVG -> Statistics.sum(values) / values.length;
      case MIN -> Statistics.min(values);
      case MAX -> Statistics.max(values);
      case COUNT -> values.length;
      case GROUP -> 1;
      case STDVAR -> Statistics.variance(values);
      case STDDEV -> Math.sqrt(Statistics.variance(values));
      case QUANTILE -> Quantiles.quantile(parameter, values);
      case TOPK, BOTTOMK, COUNT_VALUES ->
          throw new IllegalStateException(aggregator + " yields several samples per group");
    };
  }

  /** One sample per distinct value, labelled as Go's {@code FormatFloat(v, 'f', -1)}, -0 too. */
  private static List<VectorSample> countValues(
      Labels group, String label, List<VectorSample> samples) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (VectorSample s : samples) {
      double v = s.value();
      String text = GoFloat.format(v, 'f', -1);
      counts.merge(text, 1, Integer::sum);
    }
    List<VectorSample> out = new ArrayList<>();
    counts.forEach((value, count) -> out.add(new VectorSample(group.with(label, value), count)));
    return out;
  }

  /** k is truncated like Prometheus's int64 conversion; below 1 selects nothing. */
  private static List<VectorSample> top(
      List<VectorSample> group, double k, Comparator<VectorSample> order) {
    if (Double.isNaN(k) || k < 1) {
      return List.of();
    }
    // NaN sorts last in either direction, so it is only picked when nothing else is left.
    Comparator<VectorSample> nanLast =
        Comparator.<VectorSample, Boolean>comparing(s -> Double.isNaN(s.value()))
            .thenComparing(order);
    return group.stream().sorted(nanLast).limit((long) Math.min(k, Long.MAX_VALUE)).toList();
  }
}
