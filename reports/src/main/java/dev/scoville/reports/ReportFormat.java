package dev.scoville.reports;

import dev.scoville.core.ValueFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes times, durations, values and changes, in the HTML, the PDF and the CSV alike. */
final class ReportFormat {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.ENGLISH).withZone(ZoneId.systemDefault());

  private ReportFormat() {}

  static String when(Instant t) {
    return t == null ? "" : WHEN.format(t);
  }

  /** {@code 4 min 12 s}; empty when unknown (never acknowledged, still open). */
  static String duration(Duration d) {
    if (d == null) {
      return "";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
    return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
  }

  static String value(Double v, String unit) {
    return v == null ? "no data" : ValueFormat.format(v, unit);
  }

  /** {@code +12.5 %}, {@code -3 %}. */
  static String change(Double ratio) {
    return ratio == null ? "" : (ratio >= 0 ? "+" : "") + ValueFormat.format(ratio, "ratio");
  }
}
