package dev.scoville.console.board;

import java.util.List;

/**
 * A tile's chart: one time axis (epoch milliseconds, oldest first) and a line per series, NaN
 * where a series had no value. The points before {@code settled} are final; the last point is the
 * live value, which moves until the next step settles it.
 */
public record Trend(long stepMillis, long[] times, List<Line> lines, int settled) {
  public Trend {
    lines = List.copyOf(lines);
  }

  /** One series of the chart. */
  public record Line(String name, double[] values) {}

  /** The time of the newest settled point, or {@link Long#MIN_VALUE} when none is. */
  public long lastSettled() {
    return settled == 0 ? Long.MIN_VALUE : times[settled - 1];
  }
}
