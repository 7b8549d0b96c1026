package dev.scoville.console.board;

import dev.scoville.core.Labels;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.PromQlEvaluationException;
import dev.scoville.rules.promql.VectorSample;
import dev.scoville.rules.promql.WatchedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an incident's chart shows: the value its rule watches, read over a range, with the
 * rule's threshold as a line ({@code A < 0.95} charts {@code A} with a line at 0.95).
 */
public record RuleChart(WatchedValue watched) {

  /** The chart of {@code expression}; empty when it does not parse. */
  public static Optional<RuleChart> of(String expression) {
    return WatchedValue.of(expression).map(RuleChart::new);
  }

  /** The threshold line, or null when the expression compares with none. */
  public Threshold threshold() {
    return watched.hasThreshold() ? new Threshold(watched.operator(), watched.threshold()) : null;
  }

  /** The watched value at {@code points} instants from {@code from} to {@code to}, the last one live. */
  public Trend read(SeriesReader series, long from, long to, int points) {
    long step = Math.max(1000, (to - from) / Math.max(1, points - 1));
    List<Long> times = new ArrayList<>();
    for (long t = from; t < to; t += step) {
      times.add(t);
    }
    times.add(to);
    Map<String, double[]> lines = new LinkedHashMap<>();
    for (int i = 0; i < times.size(); i++) {
      for (VectorSample s : evaluate(series, times.get(i))) {
        double[] values = lines.computeIfAbsent(name(s.labels()), k -> {
          double[] v = new double[times.size()];
          Arrays.fill(v, Double.NaN);
          return v;
        });
        values[i] = s.value();
      }
    }
    long[] t = times.stream().mapToLong(Long::longValue).toArray();
    List<Trend.Line> result = new ArrayList<>();
    lines.forEach((name, values) -> result.add(new Trend.Line(lines.size() == 1 ? "" : name, values)));
    return new Trend(step, t, result, t.length - 1);
  }

  /** The watched value now, one per series. */
  public List<VectorSample> now(SeriesReader series, long now) {
    return evaluate(series, now);
  }

  private List<VectorSample> evaluate(SeriesReader series, long at) {
    try {
      return watched.query().evaluate(series, at);
    } catch (PromQlEvaluationException e) {
      return List.of();
    }
  }

  private static String name(Labels labels) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.name(i).equals(Labels.METRIC_NAME)) {
        parts.add(labels.name(i) + "=" + labels.value(i));
      }
    }
    return String.join(", ", parts);
  }
}
