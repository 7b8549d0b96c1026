package dev.scoville.rules;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.QueryBudget;
import dev.scoville.rules.promql.VectorSample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Prometheus recording rule: the expression's result, renamed to {@code record} and given the
 * rule's labels, becomes samples of series in the store at the evaluation time. A series the
 * result no longer holds gets a staleness marker, as Prometheus writes one, so that it stops
 * answering at once. Not thread-safe: the evaluator calls it from one thread.
 */
final class RecordingRule implements GroupRule {
  private final String name;
  private final Query query;
  private final Map<String, String> labels;
  private Set<Labels> previous = Set.of();

  RecordingRule(String name, Query query, Map<String, String> labels) {
    this.name = name;
    this.query = query;
    this.labels = Map.copyOf(labels);
  }

  @Override
  public String name() {
    return name;
  }

  Query query() {
    return query;
  }

  /** The samples to append for an evaluation at {@code nowMillis}, staleness markers included. */
  List<Sample> evaluate(SeriesReader series, long nowMillis, Query.Bounds bounds, QueryBudget budget) {
    List<VectorSample> result = query.evaluate(series, nowMillis, bounds, budget);
    Set<Labels> current = new LinkedHashSet<>();
    List<Sample> out = new ArrayList<>(result.size());
    for (VectorSample s : result) {
      Labels recorded = recordedLabels(s.labels());
      if (!current.add(recorded)) {
        throw new IllegalStateException(
            "vector contains metrics with the same labelset after applying rule labels: " + recorded);
      }
      out.add(new Sample(recorded, nowMillis, s.value()));
    }
    for (Labels gone : previous) {
      if (!current.contains(gone)) {
        out.add(new Sample(gone, nowMillis, Sample.STALE_NAN));
      }
    }
    previous = current;
    return out;
  }

  /** An empty rule label removes the label, as in Prometheus. */
  private Labels recordedLabels(Labels sampleLabels) {
    Labels out = sampleLabels.with(Labels.METRIC_NAME, name);
    for (Map.Entry<String, String> label : labels.entrySet()) {
      out = label.getValue().isEmpty() ? out.without(List.of(label.getKey())) : out.with(label.getKey(), label.getValue());
    }
    return out;
  }

  /** After a reload, the rule of the same name goes on from the series this one wrote last. */
  void adoptStateOf(RecordingRule previous) {
    this.previous = previous.previous;
  }

  /** Staleness markers for every series it wrote last: the rule was removed. */
  List<Sample> staleMarkers(long nowMillis) {
    List<Sample> out = new ArrayList<>();
    for (Labels gone : previous) {
      out.add(new Sample(gone, nowMillis, Sample.STALE_NAN));
    }
    previous = Set.of();
    return out;
  }
}
