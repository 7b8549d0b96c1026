package dev.scoville.collector.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Numbers as Prometheus reads them (Go's {@code strconv.ParseFloat} and {@code ParseInt}), parsed
 * from bytes. Plain integers and decimals, nearly every value in practice, are converted exactly
 * without a String; everything else is checked against Go's syntax and handed to {@link
 * Double#parseDouble}, whose grammar is wider (it takes "1d", " 1", "Infinity").
 */
public final class NumberParser {
  /** Powers of ten a double holds exactly: multiplying or dividing by them rounds once. */
  private static final double[] EXACT_POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private static final long MAX_EXACT_MANTISSA = 1L << 53;

  private NumberParser() {}

  /**
   * {@code mantissa × 10^exponent}, rounded once as Go's ParseFloat rounds it: for a mantissa of at
   * most 2^53 and an exponent within ±22, where both it and the power of ten are exact doubles.
   */
  public static double exactDecimal(long mantissa, int exponent) {
    return exponent >= 0 ? mantissa * EXACT_POWERS_OF_TEN[exponent] : mantissa / EXACT_POWERS_OF_TEN[-exponent];
  }

  /** A float as Go's ParseFloat accepts it, or a NumberFormatException (out of range included). */
  public static double parseFloat(byte[] b, int from, int to) {
    if (from >= to) {
      throw new NumberFormatException("empty");
    }
    int i = from;
    boolean negative = false;
    if (b[i] == '+' || b[i] == '-') {
      negative = b[i] == '-';
      i++;
    }
    if (i < to && (b[i] | 0x20) == 'i' || i < to && (b[i] | 0x20) == 'n') {
      return parseSpecial(b, from, i, to, negative);
    }
    if (i + 1 < to && b[i] == '0' && (b[i + 1] | 0x20) == 'x') {
      checkHexFloat(b, i + 2, to);
      return slowParse(b, from, to);
    }
    long mantissa = 0;
    int significantDigits = 0;
    int exponent = 0;
    boolean digits = false;
    boolean dot = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        digits = true;
        if (mantissa == 0 && c == '0') {
          if (dot) {
            exponent--;
          }
        } else if (significantDigits < 18) {
          mantissa = mantissa * 10 + (c - '0');
          significantDigits++;
          if (dot) {
            exponent--;
          }
        } else {
          // Beyond 18 digits the fast path cannot be exact; the slow path reads the text again.
          significantDigits++;
          if (!dot) {
            exponent++;
          }
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else if ((c | 0x20) == 'e' && digits) {
        exponent += parseExponent(b, i + 1, to);
        break;
      } else {
        throw new NumberFormatException("unexpected character");
      }
    }
    if (!digits) {
      throw new NumberFormatException("no digits");
    }
    if (significantDigits <= 18 && mantissa <= MAX_EXACT_MANTISSA && Math.abs(exponent) <= 22) {
      double value = exactDecimal(mantissa, exponent);
      return negative ? -value : value;
    }
    return slowParse(b, from, to);
  }

  /** An integer timestamp in milliseconds, as in the text format. */
  public static long parseLong(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    if (i == to) {
      throw new NumberFormatException("no digits");
    }
    long value = 0;
    for (; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw new NumberFormatException("not a digit");
      }
      value = Math.addExact(Math.multiplyExact(value, 10), negative ? -d : d);
    }
    return value;
  }

  /**
   * A timestamp in seconds, as in OpenMetrics, in milliseconds truncated toward zero like
   * Prometheus. Decimals are converted digit by digit, because {@code 1520879607.789 * 1000} in
   * floating point is not always 1520879607789.
   */
  public static long parseSecondsAsMillis(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && b[i] == '-') {
      negative = true;
      i++;
    }
    long seconds = 0;
    int intDigits = 0;
    while (i < to && b[i] >= '0' && b[i] <= '9' && intDigits < 15) {
      seconds = seconds * 10 + (b[i++] - '0');
      intDigits++;
    }
    long millis = 0;
    int fractionDigits = 0;
    boolean decimal = intDigits > 0;
    if (decimal && i < to && b[i] == '.') {
      i++;
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        if (fractionDigits < 3) {
          millis = millis * 10 + (b[i] - '0');
        }
        fractionDigits++;
        i++;
      }
    }
    if (decimal && i == to) {
      for (int scale = Math.min(fractionDigits, 3); scale < 3; scale++) {
        millis *= 10;
      }
      long total = seconds * 1000 + millis;
      return negative ? -total : total;
    }
    double value = parseFloat(b, from, to);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new NumberFormatException("not a finite timestamp");
    }
    return (long) (value * 1000);
  }

  private static int parseExponent(byte[] b, int i, int to) {
    boolean negative = false;
    if (i < to && (b[i] == '+' || b[i] == '-')) {
      negative = b[i] == '-';
      i++;
    }
    if (i == to) {
      throw new NumberFormatException("empty exponent");
    }
    int exponent = 0;
    for (; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw new NumberFormatException("bad exponent");
      }
      // Saturate: anything this large overflows or underflows whatever the mantissa.
      exponent = Math.min(exponent * 10 + d, 100_000);
    }
    return negative ? -exponent : exponent;
  }

  /**
   * Go accepts "inf" and "infinity" with any case and sign, and "nan" with any case but no sign.
   */
  private static double parseSpecial(byte[] b, int from, int i, int to, boolean negative) {
    if (matchesIgnoreCase(b, i, to, "inf") || matchesIgnoreCase(b, i, to, "infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (i == from && matchesIgnoreCase(b, i, to, "nan")) {
      return Double.NaN;
    }
    throw new NumberFormatException("not a number");
  }

  private static boolean matchesIgnoreCase(byte[] b, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if ((b[from + k] | 0x20) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Go's hexadecimal floats: hex digits, an optional point, and a mandatory binary exponent. */
  private static void checkHexFloat(byte[] b, int i, int to) {
    boolean digits = false;
    boolean dot = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (Character.digit(c, 16) >= 0) {
        digits = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else if ((c | 0x20) == 'p' && digits) {
        parseExponent(b, i + 1, to);
        return;
      } else {
        throw new NumberFormatException("bad hex float");
      }
    }
    throw new NumberFormatException("hex float without exponent");
  }

  private static double slowParse(byte[] b, int from, int to) {
    double value = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    if (Double.isInfinite(value)) {
      throw new NumberFormatException("out of range");
    }
    return value;
  }
}
