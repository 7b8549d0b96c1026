package dev.scoville.rules.promql;

import java.util.regex.Matcher;

/** Go's regexp replacement syntax, used by label_replace() and by alert templates' reReplaceAll. */
public final class GoRegexp {
  private GoRegexp() {}

  /**
   * Go's {@code Regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and {@code
   * $$}. A name runs as far as letters, digits and underscores go, so {@code $1x} is the (missing)
   * group "1x", and a missing group expands to nothing.
   */
  public static String expand(String template, Matcher match) {
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
