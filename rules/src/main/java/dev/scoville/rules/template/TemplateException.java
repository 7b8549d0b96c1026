package dev.scoville.rules.template;

/** A template that does not parse, with the 1-based column in its text (a newline counts as one). */
public final class TemplateException extends Exception {
  private final int column;
  private final String reason;

  TemplateException(int column, String reason) {
    super("column " + column + ": " + reason);
    this.column = column;
    this.reason = reason;
  }

  public int column() {
    return column;
  }

  public String reason() {
    return reason;
  }
}
