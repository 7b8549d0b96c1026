package dev.scoville.collector;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Postings: label name → value → the series carrying that pair, each posting an array of series
 * rather than a concurrent set: with 100,000 series of six labels a set's node per series and
 * label was a fifth of the store's heap.
 */
final class LabelIndex {
  private final Map<String, Map<String, Posting>> postings = new ConcurrentHashMap<>();

  /**
   * The series of one label pair. Changed only inside its value map's {@code compute}, one change
   * at a time; read without a lock through {@link #members}, which a change replaces: an append
   * writes past the published length of the array it shares, a removal copies.
   */
  private static final class Posting {
    private volatile Members members = new Members(new MemSeries[2], 0);

    void add(MemSeries series) {
      Members now = members;
      MemSeries[] array = now.array;
      if (now.size == array.length) {
        array = Arrays.copyOf(array, array.length + (array.length >> 1) + 1);
      }
      array[now.size] = series;
      members = new Members(array, now.size + 1);
    }

    /** Drops the series in {@code gone}; returns whether none is left. */
    boolean removeAll(Set<MemSeries> gone) {
      Members now = members;
      MemSeries[] kept = new MemSeries[now.size];
      int size = 0;
      for (int i = 0; i < now.size; i++) {
        if (!gone.contains(now.array[i])) {
          kept[size++] = now.array[i];
        }
      }
      if (size < now.size) {
        members = new Members(size == 0 ? kept : Arrays.copyOf(kept, size), size);
      }
      return size == 0;
    }
  }

  /** A posting as published: {@code array[0, size)}, never changed once published. */
  private record Members(MemSeries[] array, int size) {
    List<MemSeries> asList() {
      return Collections.unmodifiableList(Arrays.asList(array).subList(0, size));
    }
  }

  void add(MemSeries series) {
    Labels labels = series.labels();
    for (int i = 0; i < labels.size(); i++) {
      postings
          .computeIfAbsent(labels.name(i), name -> new ConcurrentHashMap<>())
          .compute(
              labels.value(i),
              (value, posting) -> {
                Posting result = posting == null ? new Posting() : posting;
                result.add(series);
                return result;
              });
    }
  }

  /**
   * Forgets the series, all at once: each posting they are in is copied once, not once per series
   * (a posting such as the job's holds every series of its targets).
   */
  void removeAll(Collection<MemSeries> removed) {
    if (removed.isEmpty()) {
      return;
    }
    Set<MemSeries> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    gone.addAll(removed);
    Map<String, Set<String>> pairs = new HashMap<>();
    for (MemSeries series : removed) {
      Labels labels = series.labels();
      for (int i = 0; i < labels.size(); i++) {
        pairs.computeIfAbsent(labels.name(i), name -> new HashSet<>()).add(labels.value(i));
      }
    }
    pairs.forEach((name, values) -> {
      Map<String, Posting> byValue = postings.get(name);
      if (byValue != null) {
        for (String value : values) {
          byValue.computeIfPresent(value, (v, posting) -> posting.removeAll(gone) ? null : posting);
        }
      }
    });
  }

  /**
   * A superset of the series the matchers select, narrowed by the most selective matcher the index
   * can answer, or null when none can: every matcher matches the empty string, so series lacking
   * the label qualify too and only a full scan finds them.
   */
  Collection<MemSeries> candidates(Collection<LabelMatcher> matchers) {
    List<MemSeries> best = null;
    for (LabelMatcher matcher : matchers) {
      if (matcher.op() == LabelMatcher.Op.EQUAL && !matcher.matches("")) {
        List<MemSeries> posting = posting(matcher.name(), matcher.value());
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

  private List<MemSeries> posting(String name, String value) {
    Map<String, Posting> values = postings.get(name);
    Posting posting = values == null ? null : values.get(value);
    return posting == null ? List.of() : posting.members.asList();
  }

  private Collection<MemSeries> scanValues(LabelMatcher matcher) {
    Set<MemSeries> union = new HashSet<>();
    Map<String, Posting> values = postings.get(matcher.name());
    if (values != null) {
      values.forEach(
          (value, posting) -> {
            if (matcher.matches(value)) {
              union.addAll(posting.members.asList());
            }
          });
    }
    return union;
  }
}
