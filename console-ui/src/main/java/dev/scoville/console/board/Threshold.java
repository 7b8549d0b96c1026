package dev.scoville.console.board;

/** A tile's threshold, written as a comparison with a number: {@code "> 0.8"}, {@code "<= 0.95"}. */
public record Threshold(String operator, double value) {

  /** Parses {@code "< 0.95"}; {@code null} stays {@code null}. */
  static Threshold parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    String op = s.startsWith(">=") || s.startsWith("<=") ? s.substring(0, 2)
        : s.startsWith(">") || s.startsWith("<") ? s.substring(0, 1) : null;
    if (op == null) {
      throw new IllegalArgumentException("'" + text + "' is not a threshold: write it as \"> 0.8\" or \"< 0.95\"");
    }
    try {
      return new Threshold(op, Double.parseDouble(s.substring(op.length()).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a threshold: no number after " + op);
    }
  }

  /** Whether {@code v} lies on the wrong side of the threshold; NaN never crosses. */
  boolean crossedBy(double v) {
    return switch (operator) {
      case ">" -> v > value;
      case ">=" -> v >= value;
      case "<" -> v < value;
      default -> v <= value;
    };
  }

  @Override
  public String toString() {
    return operator + " " + value;
  }
}
