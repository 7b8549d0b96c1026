package dev.scoville.collector;

/** Decodes a chunk's samples oldest first: {@code while (it.next()) use(it.timestamp(), it.value())}. */
final class ChunkIterator {
  private final BitInput in;
  private final int count;
  private int read;
  private long timestamp;
  private long delta;
  private long valueBits;
  private int leading;
  private int trailing;

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
      delta += readDeltaOfDelta();
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

  private long readDeltaOfDelta() {
    int bucket = 0;
    while (bucket <= ChunkAppender.DOD_BITS.length && in.readBit()) {
      bucket++;
    }
    if (bucket == 0) {
      return 0;
    }
    if (bucket > ChunkAppender.DOD_BITS.length) {
      return in.read(64);
    }
    return in.readSigned(ChunkAppender.DOD_BITS[bucket - 1]);
  }

  private void readValue() {
    if (!in.readBit()) {
      return;
    }
    if (in.readBit()) {
      leading = (int) in.read(5);
      int significant = (int) in.read(6);
      if (significant == 0) {
        significant = 64;
      }
      trailing = 64 - leading - significant;
    }
    valueBits ^= in.read(64 - leading - trailing) << trailing;
  }
}
