package dev.scoville.console.board;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads through to the store and remembers the newest sample an evaluation read, so that a tile
 * can tell a fresh value from one the lookback keeps alive. One per evaluation, one thread.
 */
final class FreshnessReader implements SeriesReader {
  private final SeriesReader store;
  private long newest = Long.MIN_VALUE;

  FreshnessReader(SeriesReader store) {
    this.store = store;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    return remember(store.select(matchers, fromMillis, toMillis));
  }

  @Override
  public List<Series> selectNewest(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    return remember(store.selectNewest(matchers, fromMillis, toMillis));
  }

  private List<Series> remember(List<Series> selected) {
    for (Series s : selected) {
      if (!s.isEmpty()) {
        newest = Math.max(newest, s.timestampAt(s.size() - 1));
      }
    }
    return selected;
  }

  @Override
  public void onAppend(Consumer<Set<String>> metricNames) {
    throw new UnsupportedOperationException("a tile's evaluation only reads");
  }

  /** The newest sample's time, or {@link Long#MIN_VALUE} when nothing was read. */
  long newest() {
    return newest;
  }
}
