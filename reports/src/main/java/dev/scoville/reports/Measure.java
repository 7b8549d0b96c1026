package dev.scoville.reports;

import dev.scoville.rules.promql.Query;

/**
 * A business or UX result the post-peak report compares with what was expected and with the same
 * window a week earlier: the mean of its expression over the window.
 *
 * @param expected what was planned for the peak (null: nothing was planned)
 */
public record Measure(String name, Query query, String unit, Double expected) {

  /** {@code reports.measures[]} as written. */
  record Config(String name, String expr, String unit, Double expected) {}
}
