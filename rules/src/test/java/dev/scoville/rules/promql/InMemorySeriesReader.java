package dev.scoville.rules.promql;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A fixed set of series for tests, selected as the store selects them. */
final class InMemorySeriesReader implements SeriesReader {
  private final List<Series> series = new ArrayList<>();

  /** A series with one sample every {@code stepSeconds} seconds starting at 0. */
  InMemorySeriesReader add(Labels labels, int stepSeconds, double... values) {
    long[] timestamps = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      timestamps[i] = i * stepSeconds * 1000L;
    }
    return add(labels, timestamps, values);
  }

  InMemorySeriesReader add(Labels labels, long[] timestampsMillis, double[] values) {
    series.add(new Series(labels, timestampsMillis.clone(), values.clone()));
    return this;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    List<Series> out = new ArrayList<>();
    for (Series s : series) {
      if (!matchers.stream().allMatch(m -> m.matches(s.labels()))) {
        continue;
      }
      int from = 0;
      while (from < s.size() && s.timestampAt(from) < fromMillis) {
        from++;
      }
      int to = from;
      while (to < s.size() && s.timestampAt(to) <= toMillis) {
        to++;
      }
      if (to > from) {
        long[] t = new long[to - from];
        double[] v = new double[to - from];
        for (int i = from; i < to; i++) {
          t[i - from] = s.timestampAt(i);
          v[i - from] = s.valueAt(i);
        }
        out.add(new Series(s.labels(), t, v));
      }
    }
    return out;
  }

  @Override
  public void onAppend(Consumer<Set<String>> metricNames) {}
}
