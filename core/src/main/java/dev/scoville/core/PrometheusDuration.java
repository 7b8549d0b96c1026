package dev.scoville.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Prometheus writes them: {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code
 * 7d}, {@code 1w}, {@code 1y} (365 days), and a bare {@code 0}. As in Prometheus's {@code
 * model.ParseDuration}, units go from the largest to the smallest, each at most once.
 */
public final class PrometheusDuration {
  private static final Pattern WHOLE =
      Pattern.compile("(?:\\d+y)?(?:\\d+w)?(?:\\d+d)?(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?(?:\\d+ms)?");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|[smhdwy])");

  private PrometheusDuration() {}

  public static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    if (text.isEmpty() || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "not a duration: \"" + text + "\" (expected e.g. 0, 500ms, 30s, 5m, 1h30m, 1d, 1w, 1y;"
              + " units from the largest to the smallest, each once)");
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
