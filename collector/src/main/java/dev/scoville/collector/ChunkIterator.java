package dev.scoville.collector;

/**
 * Decodes a chunk's samples oldest first, mirroring {@link ChunkAppender}: {@code while (it.next())
 * use(it.timestamp(), it.value())}.
 */
final class ChunkIterator {
  private final BitInput in;
  private final int count;
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
