package dev.scoville.core;

import java.util.Locale;

/** Values as people read them: rounded, with their unit, a ratio as a percentage. */
public final class ValueFormat {
  /** Statuspage's {@code status.indicator}, as the probes write it: 0 to 3. */
  private static final String[] STATUSPAGE_INDICATORS = {"none", "minor", "major", "critical"};

  private ValueFormat() {}

  public static String format(double value, String unit) {
    if (Double.isNaN(value)) {
      return "–";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "∞" : "-∞";
    }
    String u = unit == null ? "" : unit;
    return switch (u) {
      case "ratio" -> round(value * 100) + " %";
      case "seconds" -> Math.abs(value) < 1 ? round(value * 1000) + " ms" : round(value) + " s";
      case "euros" -> "€" + String.format(Locale.ROOT, "%,.2f", value);
      case "statuspage" -> STATUSPAGE_INDICATORS[(int) Math.max(0, Math.min(3, Math.round(value)))];
      case "" -> round(value);
      default -> round(value) + (u.startsWith("/") ? "" : " ") + u;
    };
  }

  /** Three significant digits at most, no trailing zeros, thousands grouped. */
  static String round(double v) {
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : Math.min(6, 2 - (int) Math.floor(Math.log10(a)));
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
