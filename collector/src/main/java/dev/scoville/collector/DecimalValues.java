package dev.scoville.collector;

/**
 * Values that are whole numbers of hundredths (or tenths, thousandths, units): a counter, a gauge
 * of bytes, a ratio printed with two decimals. Their XOR is long, because 0.41 has no short binary
 * form, but the step between two of them, counted in units of 10^-exponent, is short. Encoder and
 * decoder both compute values with {@link #next}, and the encoder uses this form only when that
 * gives back the exact bits, so it never changes a value.
 */
final class DecimalValues {
  static final int MAX_EXPONENT = 3;

  /** What {@link #delta} returns for a value it cannot reach exactly. */
  static final long NOT_EXACT = Long.MIN_VALUE;

  private static final double[] SCALES = {1, 10, 100, 1000};
  private static final double EXACT_LIMIT = 0x1p53;

  private DecimalValues() {}

  /** The value {@code delta} units of 10^-exponent after {@code previous}. */
  static double next(double previous, int exponent, long delta) {
    double scale = SCALES[exponent];
    return (Math.round(previous * scale) + delta) / scale;
  }

  /**
   * The step from {@code previous} to {@code value} in units of 10^-exponent, or {@link #NOT_EXACT}
   * when {@link #next} would not give back exactly {@code value}.
   */
  static long delta(double previous, double value, int exponent) {
    double scale = SCALES[exponent];
    double scaledValue = value * scale;
    double scaledPrevious = previous * scale;
    if (!(Math.abs(scaledValue) < EXACT_LIMIT) || !(Math.abs(scaledPrevious) < EXACT_LIMIT)) {
      return NOT_EXACT;
    }
    long delta = Math.round(scaledValue) - Math.round(scaledPrevious);
    boolean exact =
        Double.doubleToRawLongBits(next(previous, exponent, delta))
            == Double.doubleToRawLongBits(value);
    return exact ? delta : NOT_EXACT;
  }
}
