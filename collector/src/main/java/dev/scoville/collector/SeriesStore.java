package dev.scoville.collector;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** In-memory series, uncompressed for now: a growable array of samples per series. */
public final class SeriesStore implements SeriesReader {
  private final Duration retention;
  private final Clock clock;
  private final Map<Labels, MemSeries> series = new ConcurrentHashMap<>();
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  public SeriesStore(Duration retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
  }

  public int append(List<Sample> samples) {
    int appended = 0;
    Set<String> names = new HashSet<>();
    for (Sample sample : samples) {
      MemSeries s = series.computeIfAbsent(sample.labels(), MemSeries::new);
      if (s.append(sample.timestampMillis(), sample.value())) {
        appended++;
        names.add(sample.labels().metricName());
      }
    }
    if (!names.isEmpty()) {
      listeners.forEach(l -> l.accept(names));
    }
    return appended;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    List<Series> result = new ArrayList<>();
    for (MemSeries s : series.values()) {
      if (matchers.stream().allMatch(m -> m.matches(s.labels))) {
        Series snapshot = s.snapshot(fromMillis, toMillis);
        if (!snapshot.isEmpty()) {
          result.add(snapshot);
        }
      }
    }
    return result;
  }

  @Override
  public void onAppend(Consumer<Set<String>> metricNames) {
    listeners.add(metricNames);
  }

  public void dropExpired() {
    long cutoff = clock.millis() - retention.toMillis();
    series.values().removeIf(s -> s.dropBefore(cutoff));
  }

  public int seriesCount() {
    return series.size();
  }

  public long sampleCount() {
    return series.values().stream().mapToLong(MemSeries::size).sum();
  }

  public long sampleBytes() {
    return sampleCount() * 16;
  }

  private static final class MemSeries {
    final Labels labels;
    long[] timestamps = new long[16];
    double[] values = new double[16];
    int size;

    MemSeries(Labels labels) {
      this.labels = labels;
    }

    synchronized boolean append(long t, double v) {
      if (size > 0 && t <= timestamps[size - 1]) {
        return false;
      }
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      timestamps[size] = t;
      values[size] = v;
      size++;
      return true;
    }

    synchronized Series snapshot(long from, long to) {
      int start = 0;
      while (start < size && timestamps[start] < from) {
        start++;
      }
      int end = start;
      while (end < size && timestamps[end] <= to) {
        end++;
      }
      return new Series(labels, Arrays.copyOfRange(timestamps, start, end), Arrays.copyOfRange(values, start, end));
    }

    synchronized boolean dropBefore(long cutoff) {
      int start = 0;
      while (start < size && timestamps[start] < cutoff) {
        start++;
      }
      timestamps = Arrays.copyOfRange(timestamps, start, Math.max(start + 16, size));
      values = Arrays.copyOfRange(values, start, Math.max(start + 16, size));
      size -= start;
      return size == 0;
    }

    synchronized int size() {
      return size;
    }
  }
}
