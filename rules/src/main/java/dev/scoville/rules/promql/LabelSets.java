package dev.scoville.rules.promql;

import dev.scoville.core.Labels;
import java.util.Arrays;
import java.util.Collection;

/**
 * Label subsets on the hot path: every series of a vector passes through one of these, so they copy
 * the sorted pairs directly instead of going through a map as {@link Labels#without} does.
 */
final class LabelSets {
  private LabelSets() {}

  static Labels withoutMetricName(Labels labels) {
    return labels.get(Labels.METRIC_NAME) == null ? labels : select(labels, null, false, true);
  }

  /** Only the named labels. */
  static Labels keep(Labels labels, Collection<String> names) {
    return select(labels, names, true, false);
  }

  /** All but the named labels. */
  static Labels drop(Labels labels, Collection<String> names) {
    return select(labels, names, false, false);
  }

  /** All but the named labels, and never the metric name. */
  static Labels dropWithName(Labels labels, Collection<String> names) {
    return select(labels, names, false, true);
  }

  private static Labels select(
      Labels labels, Collection<String> names, boolean keepNamed, boolean dropMetricName) {
    String[] pairs = new String[labels.size() * 2];
    int n = 0;
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      boolean named = names != null && names.contains(name);
      boolean keep =
          keepNamed ? named : !named && !(dropMetricName && name.equals(Labels.METRIC_NAME));
      if (keep) {
        pairs[n++] = name;
        pairs[n++] = labels.value(i);
      }
    }
    if (n == pairs.length) {
      return labels;
    }
    return n == 0 ? Labels.EMPTY : Labels.ofSorted(Arrays.copyOf(pairs, n));
  }
}
