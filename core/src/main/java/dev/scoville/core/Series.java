package dev.scoville.core;

/**
 * An immutable snapshot of one series' samples within a time range, oldest first. The arrays are
 * owned by the snapshot: whoever builds it hands them over and never touches them again.
 */
public final class Series {
  private final Labels labels;
  private final long[] timestamps;
  private final double[] values;

  public Series(Labels labels, long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
  }

  public Labels labels() {
    return labels;
  }

  public int size() {
    return timestamps.length;
  }

  public long timestampAt(int index) {
    return timestamps[index];
  }

  public double valueAt(int index) {
    return values[index];
  }

  public boolean isEmpty() {
    return timestamps.length == 0;
  }

  @Override
  public String toString() {
    return labels + " (" + timestamps.length + " samples)";
  }
}
