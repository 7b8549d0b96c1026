package dev.scoville.console.board;

import java.util.List;

/**
 * A tile as it stands at one instant: its state with the reason, the current value of each of its
 * series, and its trend. Immutable: one reading is shown to every open console.
 */
public record TileReading(Tile tile, TileState state, String reason, List<Value> values, Trend trend) {
  public TileReading {
    values = List.copyOf(values);
  }

  /** A series' current value; {@code name} is empty when the tile has one series. */
  public record Value(String name, double value) {}

  /** Whether a console showing {@code other} must redraw to show this reading. */
  public boolean differsFrom(TileReading other) {
    return other == null || state != other.state || !reason.equals(other.reason) || !values.equals(other.values)
        || trend.lastSettled() != other.trend.lastSettled();
  }
}
