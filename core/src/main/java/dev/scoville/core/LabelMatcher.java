package dev.scoville.core;

import java.util.regex.Pattern;

/** A selector term such as {@code route="/checkout"} or {@code code=~"5.."}. */
public record LabelMatcher(String name, Op op, String value, Pattern pattern) {

  public enum Op {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public static LabelMatcher of(String name, Op op, String value) {
    // Prometheus anchors regex matchers at both ends, and its dot matches newlines too.
    Pattern pattern =
        op == Op.REGEX || op == Op.NOT_REGEX ? Pattern.compile("^(?s:" + value + ")$") : null;
    return new LabelMatcher(name, op, value, pattern);
  }

  public static LabelMatcher equal(String name, String value) {
    return of(name, Op.EQUAL, value);
  }

  /** Whether a label value (null or "" when the label is absent) satisfies this matcher. */
  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    return switch (op) {
      case EQUAL -> v.equals(value);
      case NOT_EQUAL -> !v.equals(value);
      case REGEX -> pattern.matcher(v).matches();
      case NOT_REGEX -> !pattern.matcher(v).matches();
    };
  }

  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  @Override
  public String toString() {
    return name + op.symbol + '"' + value + '"';
  }
}
