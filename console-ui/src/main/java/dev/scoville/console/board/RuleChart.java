package dev.scoville.console.board;

import dev.scoville.core.Labels;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlEvaluationException;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.VectorSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an incident's chart shows: a rule's expression split into the value it watches and the
 * threshold it compares with ({@code A < 0.95} charts {@code A} with a line at 0.95), read over
 * a range. An expression without a final comparison is charted whole, without a threshold line.
 */
public record RuleChart(Query watched, Threshold threshold) {
  private static final Pattern COMPARISON =
      Pattern.compile("^(.*\\S)\\s*(<=|>=|<|>)\\s*(?:bool\\s+)?(-?[0-9][0-9.eE+-]*)$", Pattern.DOTALL);

  /** Splits {@code expression}; empty when it does not parse. */
  public static Optional<RuleChart> of(String expression) {
    try {
      Matcher m = COMPARISON.matcher(expression.strip());
      if (m.matches()) {
        try {
          return Optional.of(new RuleChart(PromQl.parse(m.group(1)), new Threshold(m.group(2), Double.parseDouble(m.group(3)))));
        } catch (PromQlException | NumberFormatException e) {
          // the comparison was not the top-level one (e.g. inside parentheses): chart it whole
        }
      }
      return Optional.of(new RuleChart(PromQl.parse(expression), null));
    } catch (PromQlException e) {
      return Optional.empty();
    }
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
      List<VectorSample> samples;
      try {
        samples = watched.evaluate(series, times.get(i));
      } catch (PromQlEvaluationException e) {
        samples = List.of();
      }
      for (VectorSample s : samples) {
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
    try {
      return watched.evaluate(series, now);
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
