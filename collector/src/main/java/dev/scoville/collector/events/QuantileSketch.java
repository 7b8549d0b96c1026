package dev.scoville.collector.events;

import java.util.Arrays;

/**
 * Counts of non-negative values in log-linear buckets, HdrHistogram-style: integers below 128 are
 * exact, above that each power of two is cut into 64 buckets, so a quantile read at a bucket's
 * middle is within 0.8% of the true value. Adding is a shift and an increment; merging is adding
 * arrays, which is what a sliding window needs. The array grows to the largest bucket used.
 */
final class QuantileSketch {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int EXACT = 2 * SUB;
  private static final long MAX = (1L << 40) - 1;

  private int[] counts = new int[0];
  private long total;

  void add(double value) {
    long v = Math.min(MAX, Math.max(0, Math.round(value)));
    int index = index(v);
    if (index >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(index + 1, counts.length + counts.length / 2));
    }
    counts[index]++;
    total++;
  }

  void addAll(QuantileSketch other) {
    if (other.counts.length > counts.length) {
      counts = Arrays.copyOf(counts, other.counts.length);
    }
    for (int i = 0; i < other.counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
  }

  long count() {
    return total;
  }

  /**
   * The nearest-rank quantile (the smallest value with at least q of all values at or below it);
   * NaN when empty.
   */
  double quantile(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return middle(i);
      }
    }
    return middle(counts.length - 1);
  }

  static int index(long v) {
    if (v < EXACT) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
    return EXACT + (exponent - SUB_BITS - 1) * SUB + sub;
  }

  static double middle(int index) {
    if (index < EXACT) {
      return index;
    }
    int exponent = (index - EXACT) / SUB + SUB_BITS + 1;
    int sub = (index - EXACT) % SUB;
    long width = 1L << (exponent - SUB_BITS);
    long low = (1L << exponent) + sub * width;
    return low + (width - 1) / 2.0;
  }
}
