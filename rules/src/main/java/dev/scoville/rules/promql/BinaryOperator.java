package dev.scoville.rules.promql;

import java.util.Arrays;
import java.util.Optional;

/**
 * Binary operators with PromQL's precedence: higher binds tighter, {@code ^} is right-associative.
 */
enum BinaryOperator {
  OR("or", 1, Kind.SET),
  AND("and", 2, Kind.SET),
  UNLESS("unless", 2, Kind.SET),
  EQUAL("==", 3, Kind.COMPARISON),
  NOT_EQUAL("!=", 3, Kind.COMPARISON),
  GREATER(">", 3, Kind.COMPARISON),
  LESS("<", 3, Kind.COMPARISON),
  GREATER_OR_EQUAL(">=", 3, Kind.COMPARISON),
  LESS_OR_EQUAL("<=", 3, Kind.COMPARISON),
  ADD("+", 4, Kind.ARITHMETIC),
  SUBTRACT("-", 4, Kind.ARITHMETIC),
  MULTIPLY("*", 5, Kind.ARITHMETIC),
  DIVIDE("/", 5, Kind.ARITHMETIC),
  MODULO("%", 5, Kind.ARITHMETIC),
  ATAN2("atan2", 5, Kind.ARITHMETIC),
  POWER("^", 6, Kind.ARITHMETIC);

  enum Kind {
    ARITHMETIC,
    COMPARISON,
    SET
  }

  /** Unary minus binds tighter than {@code *} but looser than {@code ^}: {@code -2^2} is -4. */
  static final int UNARY_OPERAND_PRECEDENCE = 6;

  final String symbol;
  final int precedence;
  final Kind kind;

  BinaryOperator(String symbol, int precedence, Kind kind) {
    this.symbol = symbol;
    this.precedence = precedence;
    this.kind = kind;
  }

  static Optional<BinaryOperator> of(Token token) {
    return Arrays.stream(values())
        .filter(
            op ->
                token.kind()
                        == (Character.isLetter(op.symbol.charAt(0))
                            ? Token.Kind.IDENTIFIER
                            : Token.Kind.OPERATOR)
                    && op.symbol.equalsIgnoreCase(token.text()))
        .findFirst();
  }

  boolean rightAssociative() {
    return this == POWER;
  }

  /** As Prometheus: arithmetic changes what the value means, so the metric name goes. */
  boolean dropsMetricName() {
    return kind == Kind.ARITHMETIC;
  }

  /** The arithmetic result, or for comparisons 1 when true and 0 when false. */
  double apply(double lhs, double rhs) {
    return switch (this) {
      case ADD -> lhs + rhs;
      case SUBTRACT -> lhs - rhs;
      case MULTIPLY -> lhs * rhs;
      case DIVIDE -> lhs / rhs;
      case MODULO -> lhs % rhs;
      case POWER -> Math.pow(lhs, rhs);
      case ATAN2 -> Math.atan2(lhs, rhs);
      case EQUAL -> lhs == rhs ? 1 : 0;
      case NOT_EQUAL -> lhs != rhs ? 1 : 0;
      case GREATER -> lhs > rhs ? 1 : 0;
      case LESS -> lhs < rhs ? 1 : 0;
      case GREATER_OR_EQUAL -> lhs >= rhs ? 1 : 0;
      case LESS_OR_EQUAL -> lhs <= rhs ? 1 : 0;
      case OR, AND, UNLESS -> throw new IllegalStateException("set operator on values: " + this);
    };
  }

  @Override
  public String toString() {
    return symbol;
  }
}
