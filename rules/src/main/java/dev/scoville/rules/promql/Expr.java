package dev.scoville.rules.promql;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** The syntax tree of an expression; {@code toString()} prints it in normalized PromQL. */
sealed interface Expr {

  ValueType type();

  /** Double dispatch, since Java 17 has no pattern matching in switch. */
  Value evaluate(Evaluator evaluator);

  List<Expr> children();

  record NumberLiteral(double value) implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }

    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }

    @Override
    public String toString() {
      return formatNumber(value);
    }
  }

  /** Only label values and function arguments such as label_replace's are strings. */
  record StringLiteral(String value) implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return new Value.Text(value);
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }

    @Override
    public ValueType type() {
      return ValueType.STRING;
    }

    @Override
    public String toString() {
      return quote(value);
    }
  }

  /**
   * The {@code @} modifier: a fixed instant, or the start or end of the query (for an instant query
   * and a rule, both are the evaluation time).
   */
  record At(Kind kind, long millis) {
    enum Kind {
      TIME,
      START,
      END
    }

    long resolve(Evaluator evaluator) {
      return switch (kind) {
        case TIME -> millis;
        case START -> evaluator.startMillis();
        case END -> evaluator.endMillis();
      };
    }

    @Override
    public String toString() {
      return switch (kind) {
        case TIME -> " @ " + formatNumber(millis / 1000.0);
        case START -> " @ start()";
        case END -> " @ end()";
      };
    }
  }

  /**
   * {@code metricName} is null when the selector names no metric outside the braces; {@code at}
   * is null without an {@code @} modifier.
   */
  record VectorSelector(String metricName, List<LabelMatcher> matchers, long offsetMillis, At at)
      implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }

    @Override
    public ValueType type() {
      return ValueType.INSTANT_VECTOR;
    }

    VectorSelector withOffset(long millis) {
      return new VectorSelector(metricName, matchers, millis, at);
    }

    VectorSelector withAt(At at) {
      return new VectorSelector(metricName, matchers, offsetMillis, at);
    }

    String withoutOffset() {
      StringBuilder sb = new StringBuilder();
      List<LabelMatcher> shown = matchers;
      if (metricName != null) {
        sb.append(metricName);
        shown =
            matchers.stream()
                .filter(
                    m -> !(m.name().equals(Labels.METRIC_NAME) && m.op() == LabelMatcher.Op.EQUAL))
                .toList();
      }
      if (metricName == null || !shown.isEmpty()) {
        sb.append(
            shown.stream()
                .map(m -> m.name() + m.op().symbol() + quote(m.value()))
                .collect(Collectors.joining(", ", "{", "}")));
      }
      return sb.toString();
    }

    String offsetSuffix() {
      return (at == null ? "" : at.toString())
          + (offsetMillis == 0 ? "" : " offset " + formatDuration(offsetMillis));
    }

    @Override
    public String toString() {
      return withoutOffset() + offsetSuffix();
    }
  }

  record MatrixSelector(VectorSelector selector, long rangeMillis) implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of(selector);
    }

    @Override
    public ValueType type() {
      return ValueType.RANGE_VECTOR;
    }

    @Override
    public String toString() {
      return selector.withoutOffset()
          + "["
          + formatDuration(rangeMillis)
          + "]"
          + selector.offsetSuffix();
    }
  }

  /**
   * {@code inner[range:step]}: the instant vector evaluated at every multiple of {@code step}
   * inside the range; {@code stepMillis} is 0 for the default step, {@code at} null without one.
   */
  record Subquery(Expr inner, long rangeMillis, long stepMillis, long offsetMillis, At at)
      implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of(inner);
    }

    @Override
    public ValueType type() {
      return ValueType.RANGE_VECTOR;
    }

    Subquery withOffset(long millis) {
      return new Subquery(inner, rangeMillis, stepMillis, millis, at);
    }

    Subquery withAt(At at) {
      return new Subquery(inner, rangeMillis, stepMillis, offsetMillis, at);
    }

    @Override
    public String toString() {
      return inner
          + "["
          + formatDuration(rangeMillis)
          + ":"
          + (stepMillis == 0 ? "" : formatDuration(stepMillis))
          + "]"
          + (at == null ? "" : at.toString())
          + (offsetMillis == 0 ? "" : " offset " + formatDuration(offsetMillis));
    }
  }

  record Call(Function function, List<Expr> args) implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return args;
    }

    @Override
    public ValueType type() {
      return function.returnType();
    }

    @Override
    public String toString() {
      return function.name
          + args.stream().map(Expr::toString).collect(Collectors.joining(", ", "(", ")"));
    }
  }

  /** {@code by} or {@code without}; a missing clause is {@code by ()} printed as nothing. */
  record Grouping(boolean without, List<String> labels, boolean written) {
    static final Grouping NONE = new Grouping(false, List.of(), false);

    @Override
    public String toString() {
      return written ? (without ? "without (" : "by (") + String.join(", ", labels) + ") " : "";
    }
  }

  /** {@code parameter} is null for the aggregators that take none. */
  record Aggregation(Aggregator aggregator, Grouping grouping, Expr parameter, Expr vector)
      implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return parameter == null ? List.of(vector) : List.of(parameter, vector);
    }

    @Override
    public ValueType type() {
      return ValueType.INSTANT_VECTOR;
    }

    @Override
    public String toString() {
      String grouping = this.grouping.toString();
      return aggregator
          + (grouping.isEmpty() ? "" : " " + grouping)
          + "("
          + (parameter == null ? "" : parameter + ", ")
          + vector
          + ")";
    }
  }

  /** Which side may have several series per match group: none, the left, or the right. */
  enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY
  }

  /**
   * {@code on (…)} or {@code ignoring (…)}, with {@code group_left (…)} or {@code group_right
   * (…)} and the labels they copy from the "one" side; absent matching is {@code ignoring ()}.
   */
  record Matching(boolean on, List<String> labels, Cardinality cardinality, List<String> include) {
    static final Matching DEFAULT =
        new Matching(false, List.of(), Cardinality.ONE_TO_ONE, List.of());

    @Override
    public String toString() {
      String group =
          switch (cardinality) {
            case ONE_TO_ONE -> "";
            case MANY_TO_ONE -> " group_left (" + String.join(", ", include) + ")";
            case ONE_TO_MANY -> " group_right (" + String.join(", ", include) + ")";
          };
      return (on ? "on (" : "ignoring (") + String.join(", ", labels) + ")" + group;
    }
  }

  /** {@code matching} is null when the expression wrote none. */
  record Binary(BinaryOperator operator, Expr lhs, Expr rhs, boolean returnBool, Matching matching)
      implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of(lhs, rhs);
    }

    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.INSTANT_VECTOR;
    }

    Matching effectiveMatching() {
      return matching == null ? Matching.DEFAULT : matching;
    }

    @Override
    public String toString() {
      return lhs
          + " "
          + operator
          + (returnBool ? " bool" : "")
          + (matching == null ? "" : " " + matching)
          + " "
          + rhs;
    }
  }

  record Negation(Expr operand) implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of(operand);
    }

    @Override
    public ValueType type() {
      return operand.type();
    }

    @Override
    public String toString() {
      return "-" + operand;
    }
  }

  record Parenthesized(Expr inner) implements Expr {
    @Override
    public Value evaluate(Evaluator evaluator) {
      return evaluator.evaluate(this);
    }

    @Override
    public List<Expr> children() {
      return List.of(inner);
    }

    @Override
    public ValueType type() {
      return inner.type();
    }

    @Override
    public String toString() {
      return "(" + inner + ")";
    }
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, as Prometheus prints numbers. */
  static String formatNumber(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Inf" : "-Inf";
    }
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Prometheus's duration spelling: largest units first, {@code 1w} rather than {@code 7d}. */
  static String formatDuration(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder(millis < 0 ? "-" : "");
    long ms = Math.abs(millis);
    long[] sizes = {31_536_000_000L, 604_800_000L, 86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        sb.append(ms / sizes[i]).append(units[i]);
        ms %= sizes[i];
      }
    }
    return sb.toString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
