package dev.scoville.collector;

/**
 * The open chunk of a series, encoding each sample as it arrives as in Facebook's Gorilla paper:
 * timestamps as delta-of-delta in variable-width buckets, values as the XOR with the previous one.
 * One addition: a value that is a short decimal step from the previous one (see {@link
 * DecimalValues}) may be written as the change of that step, whichever is shorter. Not thread-safe:
 * the owning series' sequence lock guards it.
 *
 * <p>Value codes: {@code 0} same value; {@code 10} XOR inside the previous window; {@code 110}
 * decimal step change at the current exponent; {@code 1110} XOR with a new window; {@code 1111} and
 * two bits of exponent: decimal step at a new exponent.
 *
 * <p>Not final: {@link MemSeries} is one, its own head chunk.
 */
class ChunkAppender extends BitOutput {
  /** As in Prometheus: big enough to amortise the raw first sample, small enough to decode fast. */
  static final int MAX_SAMPLES = 120;

  static final long MAX_SPAN_MILLIS = 2 * 60 * 60 * 1000L;

  /** The first bucket after "same interval" fits the few milliseconds of jitter scrapes have. */
  static final SignedBuckets TIMESTAMP_DOD = new SignedBuckets(0, 5, 10, 16, 24);

  static final SignedBuckets DECIMAL_DOD = new SignedBuckets(4, 8, 14, 24);

  private static final int NEW_WINDOW_HEADER_BITS = 4 + 5 + 6;

  private static final int INITIAL_WORDS = 4;

  private int count;
  private long minTime;
  private long maxTime;
  private long previousDelta;
  private double previousValue;
  private long previousValueBits;
  private int previousLeading = -1;
  private int previousTrailing;
  private int decimalExponent;
  private long decimalDelta;

  ChunkAppender() {
    super(INITIAL_WORDS);
  }

  /** Empties it, as new: for a series' head once sealed. */
  void reset() {
    clear(INITIAL_WORDS);
    forgetSamples();
  }

  /** Empties it and keeps its words: for a scratch chunk that history re-encodes each series into. */
  void reuse() {
    rewind();
    forgetSamples();
  }

  private void forgetSamples() {
    count = 0;
    minTime = 0;
    maxTime = 0;
    previousDelta = 0;
    previousValue = 0;
    previousValueBits = 0;
    previousLeading = -1;
    previousTrailing = 0;
    decimalExponent = 0;
    decimalDelta = 0;
  }

  int count() {
    return count;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return maxTime;
  }

  /** The value last appended; meaningless while {@link #count()} is 0. */
  double lastValue() {
    // From the raw bits, so that a staleness marker's NaN stays the marker.
    return Double.longBitsToDouble(previousValueBits);
  }

  long bytes() {
    return (bitCount() + 7) >>> 3;
  }

  /** Whether a sample at {@code timestamp} belongs in a new chunk. */
  boolean isFullFor(long timestamp) {
    return count >= MAX_SAMPLES || (count > 0 && timestamp - minTime >= MAX_SPAN_MILLIS);
  }

  /** Appends a sample newer than the last one. */
  void add(long timestamp, double value) {
    long valueBits = Double.doubleToRawLongBits(value);
    if (count == 0) {
      write(timestamp, 64);
      write(valueBits, 64);
      minTime = timestamp;
    } else {
      long delta = timestamp - maxTime;
      TIMESTAMP_DOD.write(this, delta - previousDelta);
      previousDelta = delta;
      writeValue(value, valueBits);
    }
    maxTime = timestamp;
    previousValue = value;
    previousValueBits = valueBits;
    count++;
  }

  /** An immutable copy of what was appended so far. */
  Chunk toChunk() {
    return new Chunk(copyWords(), count, minTime, maxTime);
  }

  private void writeValue(double value, long valueBits) {
    long xor = valueBits ^ previousValueBits;
    if (xor == 0) {
      write(0, 1);
      decimalDelta = 0;
      return;
    }
    int leading = Math.min(Long.numberOfLeadingZeros(xor), 31);
    int trailing = Long.numberOfTrailingZeros(xor);
    int newWindowCost = NEW_WINDOW_HEADER_BITS + 64 - leading - trailing;
    boolean fitsWindow =
        previousLeading >= 0 && leading >= previousLeading && trailing >= previousTrailing;
    int windowCost = fitsWindow ? 2 + 64 - previousLeading - previousTrailing : Integer.MAX_VALUE;
    if (writeDecimal(value, Math.min(windowCost, newWindowCost))) {
      return;
    }
    decimalDelta = 0;
    if (windowCost < newWindowCost) {
      write(0b10, 2);
      write(xor >>> previousTrailing, 64 - previousLeading - previousTrailing);
      return;
    }
    int significant = 64 - leading - trailing;
    write(0b1110, 4);
    write(leading, 5);
    // 64 significant bits do not fit in 6 bits; 0 never occurs, so it stands for 64
    write(significant & 63, 6);
    write(xor >>> trailing, significant);
    previousLeading = leading;
    previousTrailing = trailing;
  }

  /** Writes the value as a decimal step if that takes fewer bits than its XOR. */
  private boolean writeDecimal(double value, int xorCost) {
    long step = DecimalValues.delta(previousValue, value, decimalExponent);
    if (step != DecimalValues.NOT_EXACT && 3 + DECIMAL_DOD.cost(step - decimalDelta) < xorCost) {
      write(0b110, 3);
      DECIMAL_DOD.write(this, step - decimalDelta);
      decimalDelta = step;
      return true;
    }
    for (int exponent = 0; exponent <= DecimalValues.MAX_EXPONENT; exponent++) {
      if (exponent == decimalExponent) {
        continue;
      }
      step = DecimalValues.delta(previousValue, value, exponent);
      if (step != DecimalValues.NOT_EXACT) {
        if (4 + 2 + DECIMAL_DOD.cost(step) >= xorCost) {
          return false;
        }
        write(0b1111, 4);
        write(exponent, 2);
        DECIMAL_DOD.write(this, step);
        decimalExponent = exponent;
        decimalDelta = step;
        return true;
      }
    }
    return false;
  }
}
