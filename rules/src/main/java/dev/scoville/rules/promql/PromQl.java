package dev.scoville.rules.promql;

/**
 * Entry point to the PromQL subset that alert rules are written in: Prometheus's semantics for what
 * it accepts (selectors with a 5-minute lookback, ranges, offset, the functions and aggregations of
 * alert rules, one-to-one vector matching), and a refusal with a column for the rest
 * (group_left/group_right, subqueries, {@code @}, the functions it does not implement), so a rule
 * file fails when it is loaded rather than when it is evaluated.
 */
public final class PromQl {
  private PromQl() {}

  /** Parses an expression; unsupported or invalid constructs throw with the 1-based column. */
  public static Query parse(String expression) throws PromQlException {
    return new Query(new Parser(expression).parseQuery());
  }
}
