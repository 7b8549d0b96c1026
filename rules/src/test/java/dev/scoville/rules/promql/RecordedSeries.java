package dev.scoville.rules.promql;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Series written as promtool's unit tests write them: {@code name{a="b"}} with values such as
 * {@code 0+10x5} (0, 10, … 50), {@code 3x2} (3, 3, 3), {@code _} (no sample), {@code _x3} (three
 * missing) and {@code stale}.
 */
final class RecordedSeries {
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\{(.*)}");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
  private static final String NUMBER = "[0-9.]+(?:e[+-]?[0-9]+)?";
  private static final Pattern EXPANDING =
      Pattern.compile("(-?" + NUMBER + ")([+-]" + NUMBER + ")?x([0-9]+)");

  private RecordedSeries() {}

  static Labels labels(String selector) {
    Matcher m = SELECTOR.matcher(selector.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a series: " + selector);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.group(1) != null) {
      labels.put(Labels.METRIC_NAME, m.group(1));
    }
    Matcher label = LABEL.matcher(m.group(2));
    while (label.find()) {
      labels.put(label.group(1), label.group(2));
    }
    return Labels.fromMap(labels);
  }

  /** Adds the series to the reader, one value every {@code intervalMillis} from time 0. */
  static void add(
      InMemorySeriesReader reader, String selector, String values, long intervalMillis) {
    List<Long> timestamps = new ArrayList<>();
    List<Double> samples = new ArrayList<>();
    int step = 0;
    for (String term : values.trim().split("\\s+")) {
      Matcher expanding = EXPANDING.matcher(term);
      if (term.equals("_")) {
        step++;
      } else if (term.startsWith("_x")) {
        step += Integer.parseInt(term.substring(2));
      } else if (term.equals("stale")) {
        timestamps.add(step++ * intervalMillis);
        samples.add(Sample.STALE_NAN);
      } else if (expanding.matches()) {
        double start = Double.parseDouble(expanding.group(1));
        double increment = expanding.group(2) == null ? 0 : Double.parseDouble(expanding.group(2));
        for (int i = 0; i <= Integer.parseInt(expanding.group(3)); i++) {
          timestamps.add(step++ * intervalMillis);
          samples.add(start + i * increment);
        }
      } else {
        timestamps.add(step++ * intervalMillis);
        samples.add(Double.parseDouble(term));
      }
    }
    reader.add(
        labels(selector),
        timestamps.stream().mapToLong(Long::longValue).toArray(),
        samples.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
