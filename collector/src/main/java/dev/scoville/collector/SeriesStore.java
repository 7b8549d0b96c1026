package dev.scoville.collector;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Series in memory, Gorilla-compressed in chunks of up to 120 samples or two hours, with a label
 * index for selectors. Appends claim only the series they touch; a select copies what it needs
 * without holding anything up (see {@link MemSeries}) and decodes outside.
 */
public final class SeriesStore implements SeriesReader {
  private final Duration retention;
  private final Clock clock;
  private final Map<Labels, MemSeries> series = new ConcurrentHashMap<>();
  private final LabelIndex index = new LabelIndex();
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  public SeriesStore(Duration retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Thread-safe. Appends each sample to its series; a sample not newer than its series' last one is
   * dropped (Prometheus "out of order"). Then tells every onAppend listener the set of metric names
   * in the batch. Returns how many were appended.
   */
  public int append(List<Sample> samples) {
    int appended = 0;
    Set<String> metricNames = new HashSet<>();
    for (Sample sample : samples) {
      if (appendOne(sample)) {
        appended++;
        String name = sample.labels().metricName();
        if (name != null) {
          metricNames.add(name);
        }
      }
    }
    if (!metricNames.isEmpty()) {
      notifyAppended(Collections.unmodifiableSet(metricNames));
    }
    return appended;
  }

  private boolean appendOne(Sample sample) {
    while (true) {
      MemSeries target = series.get(sample.labels());
      if (target == null) {
        target = series.computeIfAbsent(sample.labels(), this::newSeries);
      }
      switch (target.append(sample.timestampMillis(), sample.value())) {
        case APPENDED -> {
          return true;
        }
        case OUT_OF_ORDER -> {
          return false;
        }
          // retention emptied it meanwhile: unlink it so that the next lookup creates a fresh one
        case REMOVED -> series.remove(target.labels(), target);
      }
    }
  }

  private MemSeries newSeries(Labels labels) {
    MemSeries created = new MemSeries(labels);
    index.add(created);
    return created;
  }

  /**
   * Series with at least one sample in {@code [fromMillis, toMillis]}, in no particular order
   * (sorting 100,000 series would cost more than evaluating a rule over them), samples oldest
   * first, staleness markers included as values.
   */
  @Override
  public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    return select(matchers, candidate -> candidate.read(fromMillis, toMillis));
  }

  /** Each series' newest sample only, read at its head without decoding where it is there. */
  @Override
  public List<Series> selectNewest(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    return select(matchers, candidate -> candidate.newest(fromMillis, toMillis));
  }

  private List<Series> select(List<LabelMatcher> matchers, Function<MemSeries, Series> read) {
    Collection<MemSeries> candidates = index.candidates(matchers);
    if (candidates == null) {
      candidates = series.values();
    }
    List<Series> selected = new ArrayList<>();
    for (MemSeries candidate : candidates) {
      if (matchesAll(matchers, candidate.labels())) {
        Series snapshot = read.apply(candidate);
        if (snapshot != null) {
          selected.add(snapshot);
        }
      }
    }
    return selected;
  }

  /** The series itself, created if need be: for history, which appends to it directly. */
  MemSeries seriesFor(Labels labels) {
    return series.computeIfAbsent(labels, this::newSeries);
  }

  /** The series that replaces one retention emptied (and marked removed) since it was looked up. */
  MemSeries replacing(MemSeries removed) {
    series.remove(removed.labels(), removed);
    return seriesFor(removed.labels());
  }

  /** Tells the onAppend listeners, for samples appended straight to series (the scrape cache). */
  void notifyAppended(Set<String> metricNames) {
    for (Consumer<Set<String>> listener : listeners) {
      listener.accept(metricNames);
    }
  }

  /** Every series, as the map holds them now (weakly consistent). */
  Collection<MemSeries> memSeries() {
    return series.values();
  }

  private static boolean matchesAll(List<LabelMatcher> matchers, Labels labels) {
    for (LabelMatcher matcher : matchers) {
      if (!matcher.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void onAppend(Consumer<Set<String>> metricNames) {
    listeners.add(metricNames);
  }

  /** From this instant on the store holds every sample appended; older ones may be forgotten. */
  public long completeFromMillis() {
    return clock.millis() - retention.toMillis();
  }

  /** Forgets samples older than now − retention, and series left empty. */
  public void dropExpired() {
    long cutoff = clock.millis() - retention.toMillis();
    List<MemSeries> emptied = new ArrayList<>();
    for (MemSeries each : series.values()) {
      if (each.dropBefore(cutoff)) {
        series.remove(each.labels(), each);
        emptied.add(each);
      }
    }
    index.removeAll(emptied);
  }

  public int seriesCount() {
    return series.size();
  }

  public long sampleCount() {
    long count = 0;
    for (MemSeries each : series.values()) {
      count += each.sampleCount();
    }
    return count;
  }

  /** Bytes held by compressed sample data (chunks), for the bytes-per-sample figure. */
  public long sampleBytes() {
    long bytes = 0;
    for (MemSeries each : series.values()) {
      bytes += each.sampleBytes();
    }
    return bytes;
  }
}
