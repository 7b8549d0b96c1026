package dev.scoville.rules.promql;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers printed as Go prints them, where Prometheus's output is Go's: {@code
 * strconv.FormatFloat} with the formats {@code 'e'}, {@code 'f'} and {@code 'g'}, shortest ({@code
 * precision} -1) or rounded half to even on the exact binary value, as Go rounds.
 */
public final class GoFloat {
  private GoFloat() {}

  /** Prometheus's JSON sample values: {@code 'f'}, or {@code 'e'} below 1e-6 and from 1e21. */
  public static String sampleValue(double v) {
    double abs = Math.abs(v);
    return format(v, abs != 0 && (abs < 1e-6 || abs >= 1e21) ? 'e' : 'f', -1);
  }

  /** {@code strconv.FormatFloat(v, format, precision, 64)}; -0 keeps its sign, as in Go. */
  public static String format(double v, char format, int precision) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    String body = switch (format) {
      case 'e' -> formatE(digits(Math.abs(v), precision < 0 ? -1 : precision + 1), precision);
      case 'f' -> formatF(Math.abs(v), precision);
      case 'g' -> formatG(Math.abs(v), precision);
      default -> throw new IllegalArgumentException("format " + format);
    };
    return negative ? "-" + body : body;
  }

  /** Decimal digits without trailing zeros and the decimal point's place: 0.{digits} × 10^point. */
  private record Digits(String digits, int point) {}

  private static Digits digits(double abs, int significant) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    BigDecimal d = significant < 0
        ? new BigDecimal(Double.toString(abs))
        : new BigDecimal(abs).round(new MathContext(Math.max(significant, 1), RoundingMode.HALF_EVEN));
    d = d.stripTrailingZeros();
    String unscaled = d.unscaledValue().toString();
    return new Digits(unscaled, unscaled.length() - d.scale());
  }

  /** {@code precision} digits after the point, or as many as the digits need when negative. */
  private static String formatE(Digits d, int precision) {
    String digits = d.digits().isEmpty() ? "0" : d.digits();
    int exponent = d.digits().isEmpty() ? 0 : d.point() - 1;
    int after = precision < 0 ? digits.length() - 1 : precision;
    StringBuilder sb = new StringBuilder().append(digits.charAt(0));
    if (after > 0) {
      sb.append('.');
      for (int i = 1; i <= after; i++) {
        sb.append(i < digits.length() ? digits.charAt(i) : '0');
      }
    }
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    if (e < 10) {
      sb.append('0');
    }
    return sb.append(e).toString();
  }

  private static String formatF(double abs, int precision) {
    if (precision >= 0) {
      return new BigDecimal(abs).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    }
    return fixed(digits(abs, -1), -1);
  }

  /** Fixed notation of digits with {@code after} digits after the point (-1: as many as needed). */
  private static String fixed(Digits d, int after) {
    String digits = d.digits();
    int point = d.point();
    StringBuilder sb = new StringBuilder();
    if (point <= 0) {
      sb.append('0');
    } else {
      for (int i = 0; i < point; i++) {
        sb.append(i < digits.length() ? digits.charAt(i) : '0');
      }
    }
    int decimals = after < 0 ? Math.max(digits.length() - point, 0) : after;
    if (decimals > 0) {
      sb.append('.');
      for (int i = 0; i < decimals; i++) {
        int index = point + i;
        sb.append(index >= 0 && index < digits.length() ? digits.charAt(index) : '0');
      }
    }
    return sb.toString();
  }

  private static String formatG(double abs, int precision) {
    boolean shortest = precision < 0;
    int prec = precision == 0 ? 1 : precision;
    Digits d = digits(abs, shortest ? -1 : prec);
    int nd = d.digits().length();
    int eprec = prec;
    if (shortest) {
      eprec = 6;
    } else if (eprec > nd && nd >= d.point()) {
      eprec = nd;
    }
    int exponent = d.point() - 1;
    if (exponent < -4 || exponent >= eprec) {
      int p = shortest || prec > nd ? nd : prec;
      return formatE(d, Math.max(p - 1, 0));
    }
    int p = shortest || prec > d.point() ? nd : prec;
    return fixed(d, Math.max(p - d.point(), 0));
  }
}
