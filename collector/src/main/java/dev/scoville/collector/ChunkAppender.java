package dev.scoville.collector;

/**
 * The open chunk of a series, encoding each sample as it arrives as in Facebook's Gorilla paper:
 * timestamps as delta-of-delta in variable-width buckets, values as the XOR with the previous one.
 * Not thread-safe: the owning series' lock guards it.
 */
final class ChunkAppender {
  /** As in Prometheus: big enough to amortise the raw first sample, small enough to decode fast. */
  static final int MAX_SAMPLES = 120;

  static final long MAX_SPAN_MILLIS = 2 * 60 * 60 * 1000L;

  /**
   * Delta-of-delta widths after the prefixes 10, 110 and 1110 (0 means "same delta", 1111 a raw
   * 64-bit one). The first bucket fits the few milliseconds of jitter scrapes have.
   */
  static final int[] DOD_BITS = {6, 14, 20};

  private final BitOutput out = new BitOutput(4);
  private int count;
  private long minTime;
  private long maxTime;
  private long previousDelta;
  private long previousValueBits;
  private int previousLeading = -1;
  private int previousTrailing;

  int count() {
    return count;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return maxTime;
  }

  long bytes() {
    return (out.bitCount() + 7) >>> 3;
  }

  /** Whether a sample at {@code timestamp} belongs in a new chunk. */
  boolean isFullFor(long timestamp) {
    return count >= MAX_SAMPLES || (count > 0 && timestamp - minTime >= MAX_SPAN_MILLIS);
  }

  /** Appends a sample newer than the last one. */
  void append(long timestamp, double value) {
    long valueBits = Double.doubleToRawLongBits(value);
    if (count == 0) {
      out.write(timestamp, 64);
      out.write(valueBits, 64);
      minTime = timestamp;
    } else {
      writeTimestamp(timestamp);
      writeValue(valueBits);
    }
    maxTime = timestamp;
    previousValueBits = valueBits;
    count++;
  }

  /** An immutable copy of what was appended so far. */
  Chunk toChunk() {
    return new Chunk(out.copyWords(), count, minTime, maxTime);
  }

  private void writeTimestamp(long timestamp) {
    long delta = timestamp - maxTime;
    long dod = delta - previousDelta;
    previousDelta = delta;
    if (dod == 0) {
      out.write(0, 1);
      return;
    }
    for (int bucket = 0; bucket < DOD_BITS.length; bucket++) {
      int bits = DOD_BITS[bucket];
      if (dod >= -(1L << (bits - 1)) && dod < (1L << (bits - 1))) {
        // prefix: bucket + 1 ones, then a zero
        out.write(((1L << (bucket + 1)) - 1) << 1, bucket + 2);
        out.write(dod, bits);
        return;
      }
    }
    out.write(0b1111, 4);
    out.write(dod, 64);
  }

  private void writeValue(long valueBits) {
    long xor = valueBits ^ previousValueBits;
    if (xor == 0) {
      out.write(0, 1);
      return;
    }
    int leading = Math.min(Long.numberOfLeadingZeros(xor), 31);
    int trailing = Long.numberOfTrailingZeros(xor);
    if (previousLeading >= 0 && leading >= previousLeading && trailing >= previousTrailing) {
      out.write(0b10, 2);
      out.write(xor >>> previousTrailing, 64 - previousLeading - previousTrailing);
    } else {
      int significant = 64 - leading - trailing;
      out.write(0b11, 2);
      out.write(leading, 5);
      // 64 significant bits do not fit in 6 bits; 0 never occurs, so it stands for 64
      out.write(significant & 63, 6);
      out.write(xor >>> trailing, significant);
      previousLeading = leading;
      previousTrailing = trailing;
    }
  }
}
