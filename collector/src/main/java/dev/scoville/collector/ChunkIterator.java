package dev.scoville.collector;

/**
 * Decodes a chunk's samples oldest first, mirroring {@link ChunkAppender}: {@code while (it.next())
 * use(it.timestamp(), it.value())}.
 */
final class ChunkIterator {
  private final BitInput in;
  private int count;
  private int read;
  private long timestamp;
  private long delta;
  private long valueBits;
  private int leading;
  private int trailing;
  private int decimalExponent;
  private long decimalDelta;

  ChunkIterator(BitInput in, int count) {
    this.in = in;
    this.count = count;
  }

  /** Starts over on another chunk's words: history's minute copy reuses one for every series. */
  void restart(long[] words, int count) {
    in.restart(words);
    this.count = count;
    read = 0;
    timestamp = 0;
    delta = 0;
    valueBits = 0;
    leading = 0;
    trailing = 0;
    decimalExponent = 0;
    decimalDelta = 0;
  }

  boolean next() {
    if (read == count) {
      return false;
    }
    if (read == 0) {
      timestamp = in.read(64);
      valueBits = in.read(64);
    } else {
      delta += ChunkAppender.TIMESTAMP_DOD.read(in);
      timestamp += delta;
      readValue();
    }
    read++;
    return true;
  }

  long timestamp() {
    return timestamp;
  }

  /** Where the decode stands now, after the sample just read, in a chunk starting at {@code minTime}. */
  void saveTo(Position position, long minTime) {
    position.minTime = minTime;
    position.read = read;
    position.bits = in.position();
    position.timestamp = timestamp;
    position.delta = delta;
    position.valueBits = valueBits;
    position.leading = leading;
    position.trailing = trailing;
    position.decimalExponent = decimalExponent;
    position.decimalDelta = decimalDelta;
  }

  /**
   * Goes on from a saved position, so that the next sample is the one after it: for a chunk with
   * the same first sample and at least as many, since a head chunk only grows and seals as is.
   */
  void resume(Position position) {
    read = position.read;
    in.seek(position.bits);
    timestamp = position.timestamp;
    delta = position.delta;
    valueBits = position.valueBits;
    leading = position.leading;
    trailing = position.trailing;
    decimalExponent = position.decimalExponent;
    decimalDelta = position.decimalDelta;
  }

  /** A decode's state after one sample of a chunk, to go on from there later (see {@link #resume}). */
  static final class Position {
    private long minTime;
    private int read;
    private int bits;
    private long timestamp;
    private long delta;
    private long valueBits;
    private int leading;
    private int trailing;
    private int decimalExponent;
    private long decimalDelta;

    /** Whether it is a place before {@code fromMillis} in a chunk of {@code count} samples from {@code chunkMinTime}. */
    boolean isIn(long chunkMinTime, int count, long fromMillis) {
      return read > 0 && chunkMinTime == minTime && read <= count && timestamp < fromMillis;
    }
  }

  double value() {
    return Double.longBitsToDouble(valueBits);
  }

  /** The value codes (see {@link ChunkAppender}) are a unary prefix of up to four ones. */
  private void readValue() {
    int code = in.readOnes(4);
    if (code == 0) {
      decimalDelta = 0;
      return;
    }
    if (code == 1) {
      decimalDelta = 0;
      valueBits ^= in.read(64 - leading - trailing) << trailing;
      return;
    }
    if (code == 2) {
      decimalDelta += ChunkAppender.DECIMAL_DOD.read(in);
      valueBits = decimalBits();
      return;
    }
    if (code == 4) {
      decimalExponent = (int) in.read(2);
      decimalDelta = ChunkAppender.DECIMAL_DOD.read(in);
      valueBits = decimalBits();
      return;
    }
    decimalDelta = 0;
    leading = (int) in.read(5);
    int significant = (int) in.read(6);
    if (significant == 0) {
      significant = 64;
    }
    trailing = 64 - leading - significant;
    valueBits ^= in.read(significant) << trailing;
  }

  private long decimalBits() {
    return Double.doubleToRawLongBits(
        DecimalValues.next(Double.longBitsToDouble(valueBits), decimalExponent, decimalDelta));
  }
}
