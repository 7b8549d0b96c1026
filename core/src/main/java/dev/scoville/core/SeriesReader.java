package dev.scoville.core;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Read side of the series store: what rules, the query API and the console see. */
public interface SeriesReader {

  /**
   * Series whose labels satisfy every matcher, each with its samples in {@code [fromMillis,
   * toMillis]}; series with no sample in the range are left out.
   */
  List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis);

  /**
   * Like {@link #select}, for an instant selector, which reads only each series' newest sample in
   * the range: a store may leave out the samples before it.
   */
  default List<Series> selectNewest(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    return select(matchers, fromMillis, toMillis);
  }

  /**
   * Registers a listener told the metric names of every appended batch. It runs on the appending
   * thread, so it must only hand the work over, never do it.
   */
  void onAppend(Consumer<Set<String>> metricNames);
}
