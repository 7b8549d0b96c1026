package dev.scoville.collector;

import dev.scoville.core.Labels;
import java.util.ArrayList;
import java.util.List;

/** Reads back the Prometheus notation that {@link Labels#toString()} writes. */
final class LabelsText {
  private LabelsText() {}

  static Labels parse(String text) {
    int brace = text.indexOf('{');
    if (brace < 0 || !text.endsWith("}")) {
      throw new IllegalArgumentException("not a label set: " + text);
    }
    List<String> pairs = new ArrayList<>();
    if (brace > 0) {
      pairs.add(Labels.METRIC_NAME);
      pairs.add(text.substring(0, brace));
    }
    int i = brace + 1;
    while (text.charAt(i) != '}') {
      int equals = text.indexOf("=\"", i);
      pairs.add(text.substring(i, equals));
      StringBuilder value = new StringBuilder();
      for (i = equals + 2; text.charAt(i) != '"'; i++) {
        char c = text.charAt(i);
        if (c == '\\') {
          c = text.charAt(++i) == 'n' ? '\n' : text.charAt(i);
        }
        value.append(c);
      }
      pairs.add(value.toString());
      i++;
      if (text.charAt(i) == ',') {
        i++;
      }
    }
    return Labels.of(pairs.toArray(String[]::new));
  }
}
