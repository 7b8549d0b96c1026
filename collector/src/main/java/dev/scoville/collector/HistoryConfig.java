package dev.scoville.collector;

import java.time.Duration;

/**
 * The {@code history} section: how long {@link SeriesHistory} keeps samples in the database. At
 * least the store's own retention, so that a restart can refill it; Prometheus's default of 15
 * days otherwise.
 */
public record HistoryConfig(Duration retention) {
  public HistoryConfig {
    retention = retention == null ? Duration.ofDays(15) : retention;
  }

  public static HistoryConfig defaults() {
    return new HistoryConfig(null);
  }
}
