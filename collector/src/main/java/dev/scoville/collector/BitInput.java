package dev.scoville.collector;

/** Reads back what {@link BitOutput} wrote. */
final class BitInput {
  private long[] words;
  private int position;

  BitInput(long[] words) {
    this.words = words;
  }

  void restart(long[] words) {
    this.words = words;
    position = 0;
  }

  int position() {
    return position;
  }

  void seek(int position) {
    this.position = position;
  }

  /**
   * Reads a unary prefix: the ones before the next zero, at most {@code max} (1 ≤ max ≤ 32), and
   * that zero when there are fewer. One count of leading ones in place of a bit read per one.
   */
  int readOnes(int max) {
    int index = position >>> 6;
    int offset = position & 63;
    long bits = words[index] << offset;
    if (offset + max >= 64 && index + 1 < words.length) {
      bits |= words[index + 1] >>> (64 - offset);
    }
    int ones = Long.numberOfLeadingZeros(~bits);
    if (ones >= max) {
      position += max;
      return max;
    }
    position += ones + 1;
    return ones;
  }

  /** Reads {@code n} bits, 1 ≤ n ≤ 64, as the low bits of the result. */
  long read(int n) {
    int index = position >>> 6;
    int available = 64 - (position & 63);
    position += n;
    if (n <= available) {
      return (words[index] >>> (available - n)) & mask(n);
    }
    int rest = n - available;
    return ((words[index] & mask(available)) << rest) | (words[index + 1] >>> (64 - rest));
  }

  /** Reads {@code n} bits written from a signed value and restores its sign. */
  long readSigned(int n) {
    return (read(n) << (64 - n)) >> (64 - n);
  }

  private static long mask(int n) {
    return n == 64 ? -1L : (1L << n) - 1;
  }
}
