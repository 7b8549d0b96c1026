package dev.scoville.rules.promql;

/** An expression outside the supported PromQL subset, or not PromQL at all. */
public final class PromQlException extends Exception {
  private final int column;
  private final String reason;

  PromQlException(int column, String reason) {
    super("column " + column + ": " + reason);
    this.column = column;
    this.reason = reason;
  }

  /** 1-based position in the expression text (a newline counts as one character). */
  public int column() {
    return column;
  }

  public String reason() {
    return reason;
  }
}
