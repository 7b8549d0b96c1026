package dev.scoville.rules.promql;

/** An expression outside the supported PromQL subset, or not PromQL at all. */
public final class PromQlException extends Exception {
  private final int column;
  private final String reason;
  private final boolean prometheusFailsAtEvaluation;

  PromQlException(int column, String reason) {
    this(column, reason, false);
  }

  PromQlException(int column, String reason, boolean prometheusFailsAtEvaluation) {
    super("column " + column + ": " + reason);
    this.column = column;
    this.reason = reason;
    this.prometheusFailsAtEvaluation = prometheusFailsAtEvaluation;
  }

  /**
   * Whether Prometheus parses this and fails only when evaluating it (e.g. a bad label name in
   * label_replace()), which its query API answers with 422 rather than 400. Scoville refuses it
   * earlier, so that a rule fails when it is loaded.
   */
  public boolean prometheusFailsAtEvaluation() {
    return prometheusFailsAtEvaluation;
  }

  /** 1-based position in the expression text (a newline counts as one character). */
  public int column() {
    return column;
  }

  public String reason() {
    return reason;
  }
}
