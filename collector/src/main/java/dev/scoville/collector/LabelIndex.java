package dev.scoville.collector;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Postings: label name → value → the series carrying that pair. */
final class LabelIndex {
  private final Map<String, Map<String, Set<MemSeries>>> postings = new ConcurrentHashMap<>();

  void add(MemSeries series) {
    Labels labels = series.labels();
    for (int i = 0; i < labels.size(); i++) {
      // compute() on the value map keeps add and remove atomic per value, so a series is never
      // added to a set that remove() has just unlinked
      postings
          .computeIfAbsent(labels.name(i), name -> new ConcurrentHashMap<>())
          .compute(
              labels.value(i),
              (value, set) -> {
                Set<MemSeries> result = set == null ? ConcurrentHashMap.newKeySet() : set;
                result.add(series);
                return result;
              });
    }
  }

  void remove(MemSeries series) {
    Labels labels = series.labels();
    for (int i = 0; i < labels.size(); i++) {
      Map<String, Set<MemSeries>> values = postings.get(labels.name(i));
      if (values != null) {
        values.computeIfPresent(
            labels.value(i),
            (value, set) -> {
              set.remove(series);
              return set.isEmpty() ? null : set;
            });
      }
    }
  }

  /**
   * A superset of the series the matchers select, narrowed by the most selective matcher the index
   * can answer, or null when none can: every matcher matches the empty string, so series lacking
   * the label qualify too and only a full scan finds them.
   */
  Collection<MemSeries> candidates(Collection<LabelMatcher> matchers) {
    Collection<MemSeries> best = null;
    for (LabelMatcher matcher : matchers) {
      if (matcher.op() == LabelMatcher.Op.EQUAL && !matcher.matches("")) {
        Collection<MemSeries> posting = posting(matcher.name(), matcher.value());
        if (best == null || posting.size() < best.size()) {
          best = posting;
        }
      }
    }
    if (best != null) {
      return best;
    }
    for (LabelMatcher matcher : matchers) {
      if (!matcher.matches("")) {
        return scanValues(matcher);
      }
    }
    return null;
  }

  private Collection<MemSeries> posting(String name, String value) {
    Map<String, Set<MemSeries>> values = postings.get(name);
    Set<MemSeries> set = values == null ? null : values.get(value);
    return set == null ? Set.of() : set;
  }

  private Collection<MemSeries> scanValues(LabelMatcher matcher) {
    Set<MemSeries> union = new HashSet<>();
    Map<String, Set<MemSeries>> values = postings.get(matcher.name());
    if (values != null) {
      values.forEach(
          (value, set) -> {
            if (matcher.matches(value)) {
              union.addAll(set);
            }
          });
    }
    return union;
  }
}
