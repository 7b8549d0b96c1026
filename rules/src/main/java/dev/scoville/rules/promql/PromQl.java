package dev.scoville.rules.promql;

/** Entry point to the PromQL subset that alert rules are written in. */
public final class PromQl {
  private PromQl() {}

  /** Parses an expression; unsupported or invalid constructs throw with the 1-based column. */
  public static Query parse(String expression) throws PromQlException {
    return new Query(new Parser(expression).parseQuery());
  }
}
