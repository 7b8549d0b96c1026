package dev.scoville.console;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How the console shows times, ages, durations and labels to people. */
final class Display {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEE d MMM, HH:mm:ss zzz", Locale.ENGLISH).withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH).withZone(ZoneId.systemDefault());

  private Display() {}

  /** Day, time and time zone: {@code Mon 30 Nov, 15:20:05 UTC}. */
  static String when(Instant t) {
    return t == null ? "–" : WHEN.format(t);
  }

  /** Time of day only, for timelines whose day is shown once above. */
  static String clock(Instant t) {
    return t == null ? "–" : CLOCK.format(t);
  }

  /** {@code 12 min ago}. */
  static String age(Instant t, Instant now) {
    return t == null ? "–" : duration(Duration.between(t, now)) + " ago";
  }

  /** {@code 45 s}, {@code 12 min}, {@code 3 h 5 min}, {@code 2 days}. */
  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min";
    }
    if (s < 86_400) {
      long m = s % 3600 / 60;
      return s / 3600 + " h" + (m == 0 ? "" : " " + m + " min");
    }
    long days = s / 86_400;
    return days + (days == 1 ? " day" : " days");
  }

  /** Reads {@code {a="b",c="d"}} (as incidents keep their labels) into a map, in order. */
  static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null) {
      return labels;
    }
    int i = text.indexOf('{') + 1;
    while (i > 0 && i < text.length()) {
      int eq = text.indexOf("=\"", i);
      if (eq < 0) {
        break;
      }
      String name = text.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < text.length() && text.charAt(j) != '"'; j++) {
        char c = text.charAt(j);
        if (c == '\\' && j + 1 < text.length()) {
          char next = text.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      labels.put(name, value.toString());
      i = j + 2;
    }
    return labels;
  }

  /** Labels as chips, {@code name: value}; severity is left out where it is shown on its own. */
  static Div chips(String labelText, String... leaveOut) {
    Div chips = new Div();
    chips.addClassName("chips");
    labels(labelText).forEach((name, value) -> {
      for (String l : leaveOut) {
        if (l.equals(name)) {
          return;
        }
      }
      Span chip = new Span(name + ": " + value);
      chip.addClassName("chip");
      chips.add(chip);
    });
    return chips;
  }
}
