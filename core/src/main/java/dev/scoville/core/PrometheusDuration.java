package dev.scoville.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Prometheus writes them: {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code 7d}. */
public final class PrometheusDuration {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|[smhdwy]))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|[smhdwy])");

  private PrometheusDuration() {}

  public static Duration parse(String text) {
    if (!WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "not a duration: \"" + text + "\" (expected e.g. 500ms, 30s, 5m, 1h30m)");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        case "w" -> Duration.ofDays(7 * n);
        default -> Duration.ofDays(365 * n);
      });
    }
    return total;
  }

  /** The shortest Prometheus spelling, e.g. {@code 90s} becomes {@code 1m30s}. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        sb.append(ms / sizes[i]).append(units[i]);
        ms %= sizes[i];
      }
    }
    return sb.toString();
  }
}
