package dev.scoville.core;

/** One value of one series at one instant (milliseconds since the epoch). */
public record Sample(Labels labels, long timestampMillis, double value) {

  /**
   * Prometheus's staleness marker: a NaN with a particular bit pattern, written when a series
   * disappears from its target so that queries stop using its last value at once.
   */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  /** Whether a value is the staleness marker (an ordinary NaN is not). */
  public static boolean isStale(double value) {
    return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
  }
}
