package dev.scoville.collector;

/** Reads back what {@link BitOutput} wrote. */
final class BitInput {
  private final long[] words;
  private int position;

  BitInput(long[] words) {
    this.words = words;
  }

  boolean readBit() {
    boolean bit = (words[position >>> 6] << (position & 63)) < 0;
    position++;
    return bit;
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
