package dev.scoville.collector;

/**
 * Signed integers written in one of a few widths picked by a unary prefix: bucket i is i ones and a
 * zero, then the value in {@code widths[i]} bits (width 0 holds only zero); all ones mean a raw
 * 64-bit value. Small values, the common ones, get the short prefixes.
 */
final class SignedBuckets {
  private final int[] widths;

  SignedBuckets(int... widths) {
    this.widths = widths;
  }

  /** Bits {@link #write} takes for {@code value}. */
  int cost(long value) {
    for (int i = 0; i < widths.length; i++) {
      if (fits(value, widths[i])) {
        return i + 1 + widths[i];
      }
    }
    return widths.length + 64;
  }

  void write(BitOutput out, long value) {
    for (int i = 0; i < widths.length; i++) {
      int width = widths[i];
      if (fits(value, width)) {
        out.write(((1L << i) - 1) << 1, i + 1);
        if (width > 0) {
          out.write(value, width);
        }
        return;
      }
    }
    out.write((1L << widths.length) - 1, widths.length);
    out.write(value, 64);
  }

  long read(BitInput in) {
    int bucket = in.readOnes(widths.length);
    if (bucket == widths.length) {
      return in.read(64);
    }
    int width = widths[bucket];
    return width == 0 ? 0 : in.readSigned(width);
  }

  private static boolean fits(long value, int width) {
    if (width == 0) {
      return value == 0;
    }
    long half = 1L << (width - 1);
    return value >= -half && value < half;
  }
}
