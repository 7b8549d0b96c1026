package dev.scoville.rules.promql;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.PrometheusDuration;
import dev.scoville.rules.promql.Expr.Aggregation;
import dev.scoville.rules.promql.Expr.Binary;
import dev.scoville.rules.promql.Expr.Call;
import dev.scoville.rules.promql.Expr.Grouping;
import dev.scoville.rules.promql.Expr.Matching;
import dev.scoville.rules.promql.Expr.MatrixSelector;
import dev.scoville.rules.promql.Expr.Negation;
import dev.scoville.rules.promql.Expr.NumberLiteral;
import dev.scoville.rules.promql.Expr.Parenthesized;
import dev.scoville.rules.promql.Expr.StringLiteral;
import dev.scoville.rules.promql.Expr.Subquery;
import dev.scoville.rules.promql.Expr.VectorSelector;
import dev.scoville.rules.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent with precedence climbing. Types are checked as each node is built, so an error
 * points at the column of the part that is wrong, not at the end of the expression.
 */
final class Parser {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "atan2",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset");

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final String text;
  private List<Token> tokens;
  private int index;

  Parser(String text) {
    this.text = text;
  }

  Expr parseQuery() throws PromQlException {
    tokens = Lexer.tokens(text);
    Token start = peek();
    if (start.kind() == Kind.END) {
      throw error(start, "empty expression");
    }
    Expr expr = expression(0);
    if (peek().kind() != Kind.END) {
      throw unexpected(peek());
    }
    if (expr.type() == ValueType.STRING) {
      throw error(start, "a rule needs an instant vector or a scalar, not a string");
    }
    if (expr.type() == ValueType.RANGE_VECTOR) {
      throw error(
          start,
          "a rule needs an instant vector or a scalar, not a range vector;"
              + " wrap it in a function such as rate()");
    }
    return expr;
  }

  private Expr expression(int minPrecedence) throws PromQlException {
    Token lhsStart = peek();
    Expr lhs = unary();
    while (true) {
      Token opToken = peek();
      Optional<BinaryOperator> found = BinaryOperator.of(opToken);
      if (found.isEmpty() || found.get().precedence < minPrecedence) {
        return lhs;
      }
      BinaryOperator op = found.get();
      advance();
      boolean returnBool = false;
      if (peek().isKeyword("bool")) {
        if (op.kind != BinaryOperator.Kind.COMPARISON) {
          throw error(peek(), "bool modifier can only be used on comparison operators");
        }
        advance();
        returnBool = true;
      }
      Token matchingToken = peek();
      Matching matching = null;
      if (matchingToken.isKeyword("on") || matchingToken.isKeyword("ignoring")) {
        advance();
        matching = matching(matchingToken.isKeyword("on"), op);
      } else if (peek().isKeyword("group_left") || peek().isKeyword("group_right")) {
        throw error(
            peek(),
            peek().text().toLowerCase(Locale.ROOT)
                + " needs on (…) or ignoring (…) before it, as in a * on (job) group_left b");
      }
      Token rhsStart = peek();
      Expr rhs = expression(op.rightAssociative() ? op.precedence : op.precedence + 1);
      checkOperand(op, lhs, lhsStart);
      checkOperand(op, rhs, rhsStart);
      boolean scalars = lhs.type() == ValueType.SCALAR || rhs.type() == ValueType.SCALAR;
      if (op.kind == BinaryOperator.Kind.SET && scalars) {
        throw error(opToken, "set operator \"" + op + "\" needs instant vectors on both sides");
      }
      if (matching != null && scalars) {
        throw error(
            matchingToken, "vector matching (on/ignoring) needs instant vectors on both sides");
      }
      if (op.kind == BinaryOperator.Kind.COMPARISON
          && !returnBool
          && lhs.type() == ValueType.SCALAR
          && rhs.type() == ValueType.SCALAR) {
        throw error(opToken, "comparisons between scalars must use the bool modifier");
      }
      lhs = new Binary(op, lhs, rhs, returnBool, matching);
    }
  }

  /** After on/ignoring: the label list, then group_left/group_right and the labels to copy. */
  private Matching matching(boolean on, BinaryOperator op) throws PromQlException {
    List<String> labels = labelList();
    Token group = peek();
    Expr.Cardinality cardinality = Expr.Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    if (group.isKeyword("group_left") || group.isKeyword("group_right")) {
      if (op.kind == BinaryOperator.Kind.SET) {
        throw error(group, "no grouping allowed for \"" + op + "\" operation");
      }
      advance();
      cardinality =
          group.isKeyword("group_left")
              ? Expr.Cardinality.MANY_TO_ONE
              : Expr.Cardinality.ONE_TO_MANY;
      if (peek().kind() == Kind.LEFT_PAREN) {
        include = labelList();
      }
      if (on) {
        for (String label : include) {
          if (labels.contains(label)) {
            throw error(
                group, "label \"" + label + "\" must not occur in ON and GROUP clause at once");
          }
        }
      }
    }
    return new Matching(on, labels, cardinality, include);
  }

  private void checkOperand(BinaryOperator op, Expr operand, Token start) throws PromQlException {
    if (operand.type() == ValueType.RANGE_VECTOR || operand.type() == ValueType.STRING) {
      throw error(
          start,
          "operator \""
              + op
              + "\" needs scalars or instant vectors, got "
              + withArticle(operand.type())
              + (operand.type() == ValueType.RANGE_VECTOR ? " (apply e.g. rate() to it)" : ""));
    }
  }

  private Expr unary() throws PromQlException {
    Token sign = peek();
    if (!sign.isOperator("-") && !sign.isOperator("+")) {
      return postfix();
    }
    advance();
    Token operandStart = peek();
    Expr operand = expression(BinaryOperator.UNARY_OPERAND_PRECEDENCE);
    if (operand.type() == ValueType.RANGE_VECTOR || operand.type() == ValueType.STRING) {
      throw error(
          operandStart,
          "unary \""
              + sign.text()
              + "\" needs a scalar or an instant vector, got "
              + withArticle(operand.type()));
    }
    if (sign.isOperator("+")) {
      return operand;
    }
    return operand instanceof NumberLiteral number
        ? new NumberLiteral(-number.value())
        : new Negation(operand);
  }

  private Expr postfix() throws PromQlException {
    Expr expr = primary();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.LEFT_BRACKET) {
        expr = range(expr, t);
      } else if (t.isKeyword("offset")) {
        expr = offset(expr, t);
      } else if (t.kind() == Kind.AT) {
        expr = at(expr, t);
      } else {
        return expr;
      }
    }
  }

  /** {@code x[5m]} after a selector, or a subquery {@code expr[5m:1m]} / {@code expr[5m:]}. */
  private Expr range(Expr expr, Token bracket) throws PromQlException {
    advance();
    long range = duration("a range such as [5m]");
    if (peek().kind() == Kind.COLON) {
      advance();
      long step = 0;
      if (peek().kind() != Kind.RIGHT_BRACKET) {
        step = duration("a subquery step such as [5m:1m]");
        if (step <= 0) {
          throw error(bracket, "a subquery step must be positive");
        }
      }
      expect(Kind.RIGHT_BRACKET, "\"]\"");
      if (expr.type() != ValueType.INSTANT_VECTOR) {
        throw error(
            bracket, "subquery is only allowed on an instant vector, got " + withArticle(expr.type()));
      }
      if (range <= 0) {
        throw error(bracket, "a range must be positive");
      }
      return new Subquery(expr, range, step, 0, null);
    }
    expect(Kind.RIGHT_BRACKET, "\"]\"");
    if (!(expr instanceof VectorSelector selector)) {
      throw error(
          bracket,
          "a range is only allowed after a metric selector, as in x[5m]; for an expression, use a"
              + " subquery such as (x)[5m:1m]");
    }
    if (selector.offsetMillis() != 0 || selector.at() != null) {
      throw error(bracket, "the range goes before offset and @, as in x[5m] offset 1w");
    }
    if (range <= 0) {
      throw error(bracket, "a range must be positive");
    }
    return new MatrixSelector(selector, range);
  }

  private Expr offset(Expr expr, Token keyword) throws PromQlException {
    advance();
    boolean negative = peek().isOperator("-");
    if (negative) {
      advance();
    }
    long offset = duration("a duration after offset, such as offset 1w") * (negative ? -1 : 1);
    if (expr instanceof VectorSelector selector && selector.offsetMillis() == 0) {
      return selector.withOffset(offset);
    }
    if (expr instanceof MatrixSelector matrix && matrix.selector().offsetMillis() == 0) {
      return new MatrixSelector(matrix.selector().withOffset(offset), matrix.rangeMillis());
    }
    if (expr instanceof Subquery subquery && subquery.offsetMillis() == 0) {
      return subquery.withOffset(offset);
    }
    throw error(
        keyword,
        "offset must follow a selector or a subquery once, as in x offset 1w or x[5m] offset 1w");
  }

  /** {@code @ 1700000000}, {@code @ start()} or {@code @ end()}. */
  private Expr at(Expr expr, Token at) throws PromQlException {
    advance();
    Expr.At modifier;
    Token t = peek();
    if (t.isKeyword("start") || t.isKeyword("end")) {
      advance();
      expect(Kind.LEFT_PAREN, "\"(\" after " + t.text());
      expect(Kind.RIGHT_PAREN, "\")\" after " + t.text() + "(");
      modifier =
          new Expr.At(t.isKeyword("start") ? Expr.At.Kind.START : Expr.At.Kind.END, 0);
    } else {
      boolean negative = peek().isOperator("-");
      if (negative || peek().isOperator("+")) {
        advance();
      }
      Token number = advance();
      if (number.kind() != Kind.NUMBER) {
        throw error(
            number,
            "expected a Unix time in seconds, start() or end() after @, found "
                + number.describe());
      }
      double seconds = number(number) * (negative ? -1 : 1);
      if (Double.isNaN(seconds)
          || Double.isInfinite(seconds)
          || Math.abs(seconds) > Long.MAX_VALUE / 1000.0) {
        throw error(number, "timestamp out of bounds for @ modifier: " + seconds);
      }
      modifier = new Expr.At(Expr.At.Kind.TIME, Math.round(seconds * 1000));
    }
    if (expr instanceof VectorSelector selector && selector.at() == null) {
      return selector.withAt(modifier);
    }
    if (expr instanceof MatrixSelector matrix && matrix.selector().at() == null) {
      return new MatrixSelector(matrix.selector().withAt(modifier), matrix.rangeMillis());
    }
    if (expr instanceof Subquery subquery && subquery.at() == null) {
      return subquery.withAt(modifier);
    }
    throw error(
        at,
        expr instanceof VectorSelector
                || expr instanceof MatrixSelector
                || expr instanceof Subquery
            ? "@ <timestamp> may not be set multiple times"
            : "@ modifier must be preceded by an instant vector selector or range vector selector"
                + " or a subquery");
  }

  private Expr primary() throws PromQlException {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER:
        advance();
        return new NumberLiteral(number(t));
      case DURATION:
        throw error(
            t,
            "a duration such as " + t.text() + " is only allowed in a range [5m] or after offset");
      case STRING:
        advance();
        return new StringLiteral(t.text());
      case LEFT_PAREN:
        advance();
        Expr inner = expression(0);
        expect(Kind.RIGHT_PAREN, "\")\"");
        // Functions read a range vector's selector, as Prometheus unwraps them: keep it bare.
        return inner.type() == ValueType.RANGE_VECTOR ? inner : new Parenthesized(inner);
      case LEFT_BRACE:
        return selector(null, t);
      case IDENTIFIER:
        return identifier();
      default:
        throw unexpected(t);
    }
  }

  private Expr identifier() throws PromQlException {
    Token name = advance();
    Token next = peek();
    boolean grouped = next.isKeyword("by") || next.isKeyword("without");
    Optional<Aggregator> aggregator = Aggregator.named(name.text());
    if (aggregator.isPresent() && (next.kind() == Kind.LEFT_PAREN || grouped)) {
      return aggregation(aggregator.get(), name);
    }
    if (next.kind() == Kind.LEFT_PAREN) {
      return call(name);
    }
    if (next.kind() != Kind.LEFT_BRACE) {
      if (name.isKeyword("inf")) {
        return new NumberLiteral(Double.POSITIVE_INFINITY);
      }
      if (name.isKeyword("nan")) {
        return new NumberLiteral(Double.NaN);
      }
    }
    if (KEYWORDS.contains(name.text().toLowerCase(Locale.ROOT))) {
      throw unexpected(name);
    }
    return selector(name.text(), name);
  }

  private Expr selector(String metricName, Token start) throws PromQlException {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (metricName != null) {
      matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, metricName));
    }
    if (peek().kind() == Kind.LEFT_BRACE) {
      advance();
      while (peek().kind() != Kind.RIGHT_BRACE) {
        matchers.add(matcher(metricName));
        if (peek().kind() == Kind.COMMA) {
          advance();
        } else if (peek().kind() != Kind.RIGHT_BRACE) {
          throw error(
              peek(), "expected \",\" or \"}\" in the label matchers, found " + peek().describe());
        }
      }
      advance();
    }
    if (matchers.stream().allMatch(m -> m.matches(""))) {
      throw error(
          start, "a selector needs at least one matcher that does not match the empty string");
    }
    return new VectorSelector(metricName, List.copyOf(matchers), 0, null);
  }

  private LabelMatcher matcher(String metricName) throws PromQlException {
    Token label = peek();
    if (label.kind() == Kind.STRING) {
      throw error(label, "quoted metric or label names are not supported");
    }
    if (label.kind() != Kind.IDENTIFIER || label.text().contains(":")) {
      throw error(label, "expected a label name, found " + label.describe());
    }
    advance();
    if (metricName != null && label.text().equals(Labels.METRIC_NAME)) {
      throw error(label, "the metric name is already set before the braces");
    }
    Token op = advance();
    LabelMatcher.Op matcherOp = null;
    for (LabelMatcher.Op candidate : LabelMatcher.Op.values()) {
      if (op.isOperator(candidate.symbol())) {
        matcherOp = candidate;
      }
    }
    if (matcherOp == null) {
      throw error(
          op, "expected =, !=, =~ or !~ after label " + label.text() + ", found " + op.describe());
    }
    Token value = advance();
    if (value.kind() != Kind.STRING) {
      throw error(value, "expected a quoted label value, found " + value.describe());
    }
    try {
      return LabelMatcher.of(label.text(), matcherOp, value.text());
    } catch (PatternSyntaxException e) {
      throw error(value, "invalid regular expression: " + e.getDescription());
    }
  }

  private Expr call(Token name) throws PromQlException {
    Optional<Function> found = Function.named(name.text());
    if (found.isEmpty()) {
      throw error(
          name,
          Function.UNSUPPORTED.contains(name.text())
              ? "function " + name.text() + "() is not supported"
              : "unknown function "
                  + name.text()
                  + "()"
                  + Function.nearest(name.text())
                      .map(f -> "; did you mean " + f + "()?")
                      .orElse(""));
    }
    Function function = found.get();
    expect(Kind.LEFT_PAREN, "\"(\"");
    List<Expr> args = new ArrayList<>();
    List<Token> argStarts = new ArrayList<>();
    while (peek().kind() != Kind.RIGHT_PAREN) {
      argStarts.add(peek());
      args.add(expression(0));
      if (peek().kind() == Kind.COMMA) {
        advance();
      } else if (peek().kind() != Kind.RIGHT_PAREN) {
        throw error(
            peek(), "expected \",\" or \")\" after an argument, found " + peek().describe());
      }
    }
    advance();
    int max = function.maxCount();
    if (args.size() < function.requiredCount || args.size() > max) {
      String expected =
          function.requiredCount == max
              ? String.valueOf(max)
              : max == Integer.MAX_VALUE
                  ? "at least " + function.requiredCount
                  : function.requiredCount + " to " + max;
      throw error(
          name,
          function
              + "() takes "
              + expected
              + " argument"
              + (max == 1 ? "" : "s")
              + ", got "
              + args.size());
    }
    for (int i = 0; i < args.size(); i++) {
      checkArgument(function, i, args.get(i), argStarts.get(i));
    }
    if (function == Function.LABEL_REPLACE || function == Function.LABEL_JOIN) {
      checkLabelArguments(function, args, argStarts);
    }
    return new Call(function, List.copyOf(args));
  }

  private void checkArgument(Function function, int i, Expr arg, Token start)
      throws PromQlException {
    ValueType expected = function.parameter(i);
    if (arg.type() == expected) {
      return;
    }
    if (expected == ValueType.RANGE_VECTOR) {
      String example = arg instanceof VectorSelector selector ? selector.withoutOffset() : "x";
      throw error(
          start,
          function
              + "() needs a range vector, e.g. "
              + example
              + "[5m], got "
              + withArticle(arg.type()));
    }
    throw error(
        start,
        function
            + "() needs "
            + withArticle(expected)
            + (function.parameters.size() > 1 ? " as argument " + (i + 1) : "")
            + ", got "
            + withArticle(arg.type()));
  }

  /** Label names and the regex are checked now, so a broken rule fails when it is loaded. */
  private static void checkLabelArguments(Function function, List<Expr> args, List<Token> starts)
      throws PromQlException {
    for (int i = 1; i < args.size(); i++) {
      String value = ((StringLiteral) args.get(i)).value();
      boolean labelName = function == Function.LABEL_REPLACE ? i == 1 || i == 3 : i == 1 || i >= 3;
      if (labelName && !LABEL_NAME.matcher(value).matches()) {
        throw new PromQlException(
            starts.get(i).column(), "invalid label name \"" + value + "\"", true);
      }
      if (function == Function.LABEL_REPLACE && i == 4) {
        try {
          LabelRewrite.compile(value);
        } catch (PatternSyntaxException e) {
          throw new PromQlException(
              starts.get(i).column(), "invalid regular expression: " + e.getDescription(), true);
        }
      }
    }
  }

  private Expr aggregation(Aggregator aggregator, Token name) throws PromQlException {
    Grouping grouping = Grouping.NONE;
    if (peek().isKeyword("by") || peek().isKeyword("without")) {
      grouping = grouping();
    }
    expect(Kind.LEFT_PAREN, "\"(\"");
    Expr parameter = null;
    if (aggregator.hasParameter()) {
      Token start = peek();
      parameter = expression(0);
      if (parameter.type() != aggregator.parameterType()) {
        throw error(
            start,
            aggregator
                + " needs "
                + withArticle(aggregator.parameterType())
                + " first, as in "
                + aggregator
                + (aggregator == Aggregator.COUNT_VALUES ? "(\"value\", x)" : "(5, x)")
                + ", got "
                + withArticle(parameter.type()));
      }
      if (parameter instanceof StringLiteral label
          && !LABEL_NAME.matcher(label.value()).matches()) {
        throw error(start, "invalid label name \"" + label.value() + "\"");
      }
      expect(Kind.COMMA, "\",\" after the parameter of " + aggregator);
    }
    Token start = peek();
    Expr vector = expression(0);
    if (vector.type() != ValueType.INSTANT_VECTOR) {
      throw error(
          start,
          aggregator
              + " needs an instant vector, got "
              + withArticle(vector.type())
              + (vector.type() == ValueType.RANGE_VECTOR
                  ? " (for a range, use " + aggregator + "_over_time() or rate())"
                  : ""));
    }
    expect(Kind.RIGHT_PAREN, "\")\"");
    if (peek().isKeyword("by") || peek().isKeyword("without")) {
      if (grouping.written()) {
        throw error(peek(), "by/without given twice");
      }
      grouping = grouping();
    }
    return new Aggregation(aggregator, grouping, parameter, vector);
  }

  private Grouping grouping() throws PromQlException {
    boolean without = advance().isKeyword("without");
    return new Grouping(without, labelList(), true);
  }

  /** A parenthesised list of label names; keywords are fine as names, a trailing comma too. */
  private List<String> labelList() throws PromQlException {
    expect(Kind.LEFT_PAREN, "\"(\" and a list of label names");
    List<String> labels = new ArrayList<>();
    while (peek().kind() != Kind.RIGHT_PAREN) {
      Token label = advance();
      if (label.kind() != Kind.IDENTIFIER || label.text().contains(":")) {
        throw error(label, "expected a label name, found " + label.describe());
      }
      labels.add(label.text());
      if (peek().kind() == Kind.COMMA) {
        advance();
      } else if (peek().kind() != Kind.RIGHT_PAREN) {
        throw error(
            peek(), "expected \",\" or \")\" in the label list, found " + peek().describe());
      }
    }
    advance();
    return List.copyOf(labels);
  }

  private long duration(String what) throws PromQlException {
    Token t = advance();
    if (t.kind() != Kind.DURATION) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
    try {
      return PrometheusDuration.parse(t.text()).toMillis();
    } catch (IllegalArgumentException e) {
      throw error(t, e.getMessage());
    }
  }

  private static double number(Token t) throws PromQlException {
    String s = t.text();
    try {
      return s.startsWith("0x") || s.startsWith("0X")
          ? Long.parseLong(s.substring(2), 16)
          : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new PromQlException(t.column(), "bad number \"" + s + "\"");
    }
  }

  private static String withArticle(ValueType type) {
    return (type == ValueType.INSTANT_VECTOR ? "an " : "a ") + type;
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token advance() {
    Token t = tokens.get(index);
    if (t.kind() != Kind.END) {
      index++;
    }
    return t;
  }

  private void expect(Kind kind, String what) throws PromQlException {
    Token t = advance();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
  }

  private static PromQlException unexpected(Token t) {
    return error(t, "unexpected " + t.describe());
  }

  private static PromQlException error(Token t, String reason) {
    return new PromQlException(t.column(), reason);
  }
}
