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
              ? new VectorSample(set(s.labels(), destination, expand(replacement, m)), s.value())
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

  /**
   * Go's {@code Regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and {@code
   * $$}. A name runs as far as letters, digits and underscores go, so {@code $1x} is the (missing)
   * group "1x", and a missing group expands to nothing.
   */
  static String expand(String template, Matcher match) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      boolean brace = i + 1 < template.length() && template.charAt(i + 1) == '{';
      int start = i + (brace ? 2 : 1);
      int end = start;
      while (end < template.length() && isNameChar(template.charAt(end))) {
        end++;
      }
      boolean closed = !brace || (end < template.length() && template.charAt(end) == '}');
      if (end == start || !closed) {
        out.append('$');
        i++;
        continue;
      }
      out.append(group(match, template.substring(start, end)));
      i = end + (brace ? 1 : 0);
    }
    return out.toString();
  }

  private static String group(Matcher match, String name) {
    String value = null;
    if (name.chars().allMatch(Character::isDigit)) {
      boolean leadingZero = name.length() > 1 && name.charAt(0) == '0';
      if (!leadingZero && name.length() < 9) {
        int index = Integer.parseInt(name);
        value = index <= match.groupCount() ? match.group(index) : null;
      }
    } else {
      try {
        value = match.group(name);
      } catch (IllegalArgumentException e) {
        value = null;
      }
    }
    return value == null ? "" : value;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
