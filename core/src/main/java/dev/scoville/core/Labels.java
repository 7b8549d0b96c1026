package dev.scoville.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, as Prometheus keeps it. The metric name is the label
 * {@value #METRIC_NAME}, so selectors treat it like any other label.
 */
public final class Labels implements Comparable<Labels> {
  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0]);

  /** Names at even indexes, values at odd ones, sorted by name, no duplicate names. */
  private final String[] pairs;

  private final int hash;

  private Labels(String[] sortedPairs) {
    this.pairs = sortedPairs;
    this.hash = Arrays.hashCode(sortedPairs);
  }

  /** Labels from name, value, name, value…; a later duplicate name wins; empty values drop the label. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels need name/value pairs");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      sorted.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return fromMap(sorted);
  }

  public static Labels fromMap(Map<String, String> labels) {
    TreeMap<String, String> sorted = new TreeMap<>(labels);
    sorted.values().removeIf(v -> v == null || v.isEmpty());
    String[] pairs = new String[sorted.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      pairs[i++] = e.getKey();
      pairs[i++] = e.getValue();
    }
    return new Labels(pairs);
  }

  /**
   * Labels from pairs already sorted by name with no duplicates and no empty values, taken
   * without a copy: for parsers that produce them in order.
   */
  public static Labels ofSorted(String[] sortedPairs) {
    for (int i = 2; i < sortedPairs.length; i += 2) {
      if (sortedPairs[i - 2].compareTo(sortedPairs[i]) >= 0) {
        throw new IllegalArgumentException("label names not sorted or duplicated: " + sortedPairs[i]);
      }
    }
    return new Labels(sortedPairs);
  }

  public int size() {
    return pairs.length / 2;
  }

  public String name(int index) {
    return pairs[index * 2];
  }

  public String value(int index) {
    return pairs[index * 2 + 1];
  }

  /** The value of the label, or null when absent. */
  public String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      int c = pairs[i].compareTo(name);
      if (c == 0) {
        return pairs[i + 1];
      }
      if (c > 0) {
        return null;
      }
    }
    return null;
  }

  public String metricName() {
    return get(METRIC_NAME);
  }

  public Labels with(String name, String value) {
    Map<String, String> map = toMap();
    map.put(name, value);
    return fromMap(map);
  }

  /**
   * These labels without {@code name} and with {@code overrides} over them, where an override's
   * value wins: what a rule makes of a sample's labels at every evaluation, so it merges the two
   * sorted arrays instead of going through maps.
   */
  public Labels without(String name, Labels overrides) {
    String[] other = overrides.pairs;
    String[] merged = new String[pairs.length + other.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < pairs.length || j < other.length) {
      int order = i == pairs.length ? 1 : j == other.length ? -1 : pairs[i].compareTo(other[j]);
      if (order < 0) {
        if (!pairs[i].equals(name)) {
          merged[n++] = pairs[i];
          merged[n++] = pairs[i + 1];
        }
        i += 2;
      } else {
        if (order == 0) {
          i += 2;
        }
        merged[n++] = other[j];
        merged[n++] = other[j + 1];
        j += 2;
      }
    }
    return new Labels(n == merged.length ? merged : Arrays.copyOf(merged, n));
  }

  public Labels without(Collection<String> names) {
    Map<String, String> map = toMap();
    map.keySet().removeAll(names);
    return fromMap(map);
  }

  public Labels keepOnly(Collection<String> names) {
    Map<String, String> map = toMap();
    map.keySet().retainAll(names);
    return fromMap(map);
  }

  /** A mutable copy in name order. */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(size());
    for (int i = 0; i < pairs.length; i += 2) {
      names.add(pairs[i]);
    }
    return names;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels other && hash == other.hash && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Labels other) {
    int n = Math.min(pairs.length, other.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(other.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, other.pairs.length);
  }

  /** Prometheus notation: {@code name{a="b",c="d"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String name = metricName();
    if (name != null) {
      sb.append(name);
    }
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(pairs[i]).append("=\"");
      escapeLabelValue(pairs[i + 1], sb);
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void escapeLabelValue(String value, StringBuilder sb) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }
}
