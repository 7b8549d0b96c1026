package dev.scoville.collector;

import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Series over any window the history still holds, for reports on a peak longer ago than the
 * in-memory store keeps: samples older than the store's retention come from the database's
 * history blocks, the rest from the store, and a series found in both is one series.
 *
 * <p>One reader serves one piece of work (a report): it keeps what it read, by selector and by
 * hour, so that the many evaluations of one expression over a window read each hour of blocks once.
 * Not thread-safe. Blocks on JDBC: never use it on an event loop.
 */
public final class HistoryReader implements SeriesReader {
  private static final long HOUR_MILLIS = 3_600_000;

  private final Database database;
  private final SeriesStore store;
  private Map<Long, Labels> dictionary;
  /** The dictionary's series each selector matches, by id: found once per selector, not per hour. */
  private final Map<List<LabelMatcher>, Map<Long, Labels>> matching = new HashMap<>();
  private final Map<List<LabelMatcher>, Map<Long, Map<Labels, Samples>>> hours = new HashMap<>();

  /** A run of samples, oldest first. */
  private static final class Samples {
    long[] timestamps = new long[16];
    double[] values = new double[16];
    int size;

    void add(long timestamp, double value) {
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      timestamps[size] = timestamp;
      values[size++] = value;
    }
  }

  HistoryReader(Database database, SeriesStore store) {
    this.database = database;
    this.store = store;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    List<Series> recent = store.select(matchers, fromMillis, toMillis);
    long complete = store.completeFromMillis();
    if (fromMillis >= complete) {
      return recent;
    }
    Map<Labels, Series> inMemory = new HashMap<>();
    recent.forEach(s -> inMemory.put(s.labels(), s));
    Map<Labels, Samples> older = older(matchers, fromMillis, Math.min(toMillis, complete));
    List<Series> merged = new ArrayList<>();
    for (Map.Entry<Labels, Samples> entry : older.entrySet()) {
      Series memory = inMemory.remove(entry.getKey());
      merged.add(joined(entry.getKey(), entry.getValue(), memory));
    }
    merged.addAll(inMemory.values());
    merged.removeIf(Series::isEmpty);
    return merged;
  }

  /** History's samples before the store's first one of the same series, then the store's. */
  private static Series joined(Labels labels, Samples older, Series memory) {
    long firstInMemory = memory == null || memory.isEmpty() ? Long.MAX_VALUE : memory.timestampAt(0);
    Samples all = new Samples();
    for (int i = 0; i < older.size && older.timestamps[i] < firstInMemory; i++) {
      all.add(older.timestamps[i], older.values[i]);
    }
    for (int i = 0; memory != null && i < memory.size(); i++) {
      all.add(memory.timestampAt(i), memory.valueAt(i));
    }
    return new Series(labels, Arrays.copyOf(all.timestamps, all.size), Arrays.copyOf(all.values, all.size));
  }

  /** The history's samples in {@code [fromMillis, toMillis]} of the series matching, by series. */
  private Map<Labels, Samples> older(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    Map<Long, Map<Labels, Samples>> byHour = hours.computeIfAbsent(List.copyOf(matchers), m -> new HashMap<>());
    Map<Labels, Samples> result = new LinkedHashMap<>();
    for (long hour = Math.floorDiv(fromMillis, HOUR_MILLIS) * HOUR_MILLIS; hour <= toMillis; hour += HOUR_MILLIS) {
      long start = hour;
      Map<Labels, Samples> read = byHour.computeIfAbsent(hour, h -> readHour(matchers, start));
      read.forEach((labels, samples) -> {
        for (int i = 0; i < samples.size; i++) {
          if (samples.timestamps[i] >= fromMillis && samples.timestamps[i] <= toMillis) {
            result.computeIfAbsent(labels, l -> new Samples()).add(samples.timestamps[i], samples.values[i]);
          }
        }
      });
    }
    return result;
  }

  private Map<Labels, Samples> readHour(List<LabelMatcher> matchers, long hourStart) {
    Map<Long, Labels> wanted = matching.computeIfAbsent(List.copyOf(matchers), this::matching);
    Map<Labels, Samples> read = new HashMap<>();
    if (wanted.isEmpty()) {
      return read;
    }
    long hourEnd = hourStart + HOUR_MILLIS;
    database.inTransaction(connection -> {
      SeriesHistory.forEachBlock(connection, hourStart, hourEnd, payload -> {
        HistoryBlock.Reader block = new HistoryBlock.Reader(payload);
        while (block.next()) {
          Labels labels = wanted.get(block.id());
          if (labels == null) {
            continue;
          }
          ChunkIterator samples = block.samples();
          while (samples.next()) {
            if (samples.timestamp() >= hourStart && samples.timestamp() < hourEnd) {
              read.computeIfAbsent(labels, l -> new Samples()).add(samples.timestamp(), samples.value());
            }
          }
        }
      });
      return null;
    });
    return read;
  }

  private Map<Long, Labels> matching(List<LabelMatcher> matchers) {
    Map<Long, Labels> found = new HashMap<>();
    dictionary().forEach((id, labels) -> {
      if (matchers.stream().allMatch(m -> m.matches(labels))) {
        found.put(id, labels);
      }
    });
    return found;
  }

  private Map<Long, Labels> dictionary() {
    if (dictionary == null) {
      dictionary = database.inTransaction(connection -> SeriesHistory.dictionary(connection, Long.MIN_VALUE));
    }
    return dictionary;
  }

  /** Nothing is appended to what one piece of work reads: there is nothing to tell. */
  @Override
  public void onAppend(Consumer<Set<String>> metricNames) {}
}
