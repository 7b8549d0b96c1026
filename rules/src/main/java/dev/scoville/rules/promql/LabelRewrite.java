package dev.scoville.rules.promql;

import dev.scoville.core.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** label_replace and label_join: they set one label and leave the value alone. */
final class LabelRewrite {
  private LabelRewrite() {}

  /** Anchored, dot matching newlines, Go's {@code (?P<name>…)} groups accepted, as Prometheus. */
  static Pattern compile(String regex) {
    return Pattern.compile("^(?s:" + regex.replace("(?P<", "(?<") + ")$");
  }

  static List<VectorSample> replace(
      List<VectorSample> vector,
      String destination,
      String replacement,
      String source,
      String regex) {
    Pattern pattern = compile(regex);
    List<VectorSample> out = new ArrayList<>(vector.size());
    for (VectorSample s : vector) {
      String value = s.labels().get(source);
      Matcher m = pattern.matcher(value == null ? "" : value);
      out.add(
          m.matches()
              ? new VectorSample(set(s.labels(), destination, GoRegexp.expand(replacement, m)), s.value())
              : s);
    }
    return out;
  }

  static List<VectorSample> join(
      List<VectorSample> vector, String destination, String separator, List<String> sources) {
    List<VectorSample> out = new ArrayList<>(vector.size());
    for (VectorSample s : vector) {
      StringJoiner joined = new StringJoiner(separator);
      for (String source : sources) {
        String value = s.labels().get(source);
        joined.add(value == null ? "" : value);
      }
      out.add(new VectorSample(set(s.labels(), destination, joined.toString()), s.value()));
    }
    return out;
  }

  /** An empty value removes the label, as everywhere in Prometheus. */
  private static Labels set(Labels labels, String name, String value) {
    return value.isEmpty() ? labels.without(List.of(name)) : labels.with(name, value);
  }

}
