package dev.scoville.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromQlParseTest {

  static Stream<Arguments> normalizedForms() {
    return Stream.of(
        arguments("up", "up"),
        arguments(
            "http_requests_total{job=\"shop\",code=~\"5..\"}",
            "http_requests_total{job=\"shop\", code=~\"5..\"}"),
        arguments("{__name__=\"up\", job!=\"x\"}", "{__name__=\"up\", job!=\"x\"}"),
        arguments("x{a!~'b.*'}", "x{a!~\"b.*\"}"),
        arguments("x{path=`C:\\dir`}", "x{path=\"C:\\\\dir\"}"),
        arguments("x{a=\"line\\nbreak\",}", "x{a=\"line\\nbreak\"}"),
        arguments("rate( x [5m] )", "rate(x[5m])"),
        arguments("rate(x[90s] offset 7d)", "rate(x[1m30s] offset 1w)"),
        arguments("x offset -1h", "x offset -1h"),
        arguments("sum(rate(x[1m])) by (job)", "sum by (job) (rate(x[1m]))"),
        arguments("SUM WITHOUT(instance, )(x)", "sum without (instance) (x)"),
        arguments("topk(3, x)", "topk(3, x)"),
        arguments("quantile by (le) (0.9, x)", "quantile by (le) (0.9, x)"),
        arguments("count_values without (pod) ('v', x)", "count_values without (pod) (\"v\", x)"),
        arguments(
            "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))",
            "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))"),
        arguments("a/on(job)b", "a / on (job) b"),
        arguments("a / ignoring(code) b", "a / ignoring (code) b"),
        arguments("a > bool 1", "a > bool 1"),
        arguments("a and b or c unless d", "a and b or c unless d"),
        arguments("-x", "-x"),
        arguments("- 1 + +2", "-1 + 2"),
        arguments("0x1F + 1e3 + .5", "31 + 1000 + 0.5"),
        arguments("Inf > bool NaN", "Inf > bool NaN"),
        arguments("x # the whole fleet\n > 1", "x > 1"),
        arguments("(x + 1) * 2", "(x + 1) * 2"),
        arguments("rate((x[5m]))", "rate(x[5m])"),
        arguments("absent(up{job=\"shop\"})", "absent(up{job=\"shop\"})"),
        arguments("clamp_min(x, 0) ^ 2 % 3", "clamp_min(x, 0) ^ 2 % 3"),
        arguments("time() - x", "time() - x"),
        arguments(
            "label_replace(up, 'host', '$1', 'instance', '(.*):.*')",
            "label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")"),
        arguments(
            "label_join(up,\"hp\",\":\",\"host\",\"port\")",
            "label_join(up, \"hp\", \":\", \"host\", \"port\")"),
        arguments("x < 0.7 * x offset 1w", "x < 0.7 * x offset 1w"),
        arguments("a * on(i) group_left(n, m) b", "a * on (i) group_left (n, m) b"),
        arguments("a / ignoring(le) group_right b", "a / ignoring (le) group_right () b"),
        arguments("max_over_time(rate(x[1m])[1h:])", "max_over_time(rate(x[1m])[1h:])"),
        arguments("rate(x[5m:30s] offset 1m)", "rate(x[5m:30s] offset 1m)"),
        arguments("x @ 1609746000", "x @ 1609746000"),
        arguments("rate(x[5m] offset 1m @ end())", "rate(x[5m] @ end() offset 1m)"),
        arguments("x @ start()", "x @ start()"));
  }

  @ParameterizedTest
  @MethodSource("normalizedForms")
  void printsTheExpressionNormalized(String expression, String normalized) throws Exception {
    assertThat(PromQl.parse(expression).toString()).isEqualTo(normalized);
    assertThat(PromQl.parse(normalized).toString()).isEqualTo(normalized);
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        arguments(
            "x * GROUP_RIGHT y",
            5,
            "group_right needs on (…) or ignoring (…) before it, as in a * on (job) group_left b"),
        arguments("x and on(job) group_left y", 15, "no grouping allowed for \"and\" operation"),
        arguments(
            "x / on(job) group_left(job) y",
            13,
            "label \"job\" must not occur in ON and GROUP clause at once"),
        arguments(
            "rate(x[5m][10m:1m])",
            11,
            "subquery is only allowed on an instant vector, got a range vector"),
        arguments("x[5m:0s]", 2, "a subquery step must be positive"),
        arguments("x @ 1 @ 2", 7, "@ <timestamp> may not be set multiple times"),
        arguments(
            "sum(x) @ 100",
            8,
            "@ modifier must be preceded by an instant vector selector or range vector selector or"
                + " a subquery"),
        arguments("x @ foo", 5, "expected a Unix time in seconds, start() or end() after @, found \"foo\""),
        arguments("x[1h5m5h]", 3, "not a duration: \"1h5m5h\" (expected e.g. 0, 500ms, 30s, 5m, 1h30m, 1d, 1w, 1y; units from the largest to the smallest, each once)"),
        arguments("foo(x)", 1, "unknown function foo()"),
        arguments("1 + rat(x[5m])", 5, "unknown function rat(); did you mean rate()?"),
        arguments(
            "avg_overtime(x[5m])",
            1,
            "unknown function avg_overtime(); did you mean avg_over_time()?"),
        arguments("holt_winters(x[1h], 0.5, 0.5)", 1, "function holt_winters() is not supported"),
        arguments("label_join(up, \"a\")", 1, "label_join() takes at least 3 arguments, got 2"),
        arguments(
            "label_replace(up, \"1a\", \"$1\", \"b\", \"(.*)\")", 19, "invalid label name \"1a\""),
        arguments(
            "label_replace(up, \"a\", \"$1\", \"b\", \"(\")",
            35,
            "invalid regular expression: Unclosed group"),
        arguments(
            "label_replace(up, \"a\", 1, \"b\", \"c\")",
            24,
            "label_replace() needs a string as argument 3, got a scalar"),
        arguments(
            "count_values(1, x)",
            14,
            "count_values needs a string first, as in count_values(\"value\", x), got a scalar"),
        arguments("count_values(\"a-b\", x)", 14, "invalid label name \"a-b\""),
        arguments("rate(x)", 6, "rate() needs a range vector, e.g. x[5m], got an instant vector"),
        arguments(
            "increase(sum(x))",
            10,
            "increase() needs a range vector, e.g. x[5m], got an instant vector"),
        arguments("abs(x[5m])", 5, "abs() needs an instant vector, got a range vector"),
        arguments(
            "histogram_quantile(x, y)",
            20,
            "histogram_quantile() needs a scalar as argument 1, got an instant vector"),
        arguments("abs(x, y)", 1, "abs() takes 1 argument, got 2"),
        arguments("round()", 1, "round() takes 1 to 2 arguments, got 0"),
        arguments(
            "sum(x[5m])",
            5,
            "sum needs an instant vector, got a range vector (for a range, use sum_over_time() or"
                + " rate())"),
        arguments(
            "topk(x, y)", 6, "topk needs a scalar first, as in topk(5, x), got an instant vector"),
        arguments("sum by (a) (x) by (b)", 16, "by/without given twice"),
        arguments(
            "{job=~\".*\"}",
            1,
            "a selector needs at least one matcher that does not match the empty string"),
        arguments(
            "x[5m]",
            1,
            "a rule needs an instant vector or a scalar, not a range vector; wrap it in a function"
                + " such as rate()"),
        arguments("\"text\"", 1, "a rule needs an instant vector or a scalar, not a string"),
        arguments("x + \"1\"", 5, "operator \"+\" needs scalars or instant vectors, got a string"),
        arguments("abs(\"1\")", 5, "abs() needs an instant vector, got a string"),
        arguments("1 > 2", 3, "comparisons between scalars must use the bool modifier"),
        arguments("x and 1", 3, "set operator \"and\" needs instant vectors on both sides"),
        arguments("x + bool y", 5, "bool modifier can only be used on comparison operators"),
        arguments(
            "1 + on(job) x",
            5,
            "vector matching (on/ignoring) needs instant vectors on both sides"),
        arguments(
            "x[5m] + 1",
            1,
            "operator \"+\" needs scalars or instant vectors, got a range vector (apply e.g. rate()"
                + " to it)"),
        arguments(
            "-x[5m]", 2, "unary \"-\" needs a scalar or an instant vector, got a range vector"),
        arguments(
            "(x)[5m]",
            4,
            "a range is only allowed after a metric selector, as in x[5m]; for an expression, use a"
                + " subquery such as (x)[5m:1m]"),
        arguments("x offset 1h [5m]", 13, "the range goes before offset and @, as in x[5m] offset 1w"),
        arguments(
            "sum(x) offset 1h",
            8,
            "offset must follow a selector or a subquery once, as in x offset 1w or x[5m] offset 1w"),
        arguments(
            "x > 5m", 5, "a duration such as 5m is only allowed in a range [5m] or after offset"),
        arguments("rate(x[5])", 8, "expected a range such as [5m], found \"5\""),
        arguments("x{a=~\"(\"}", 6, "invalid regular expression: Unclosed group"),
        arguments(
            "x{a=\"b\"",
            8,
            "expected \",\" or \"}\" in the label matchers, found end of expression"),
        arguments("x{a:b=\"c\"}", 3, "expected a label name, found \"a:b\""),
        arguments("x{a}", 4, "expected =, !=, =~ or !~ after label a, found \"}\""),
        arguments("x{__name__=\"y\"}", 3, "the metric name is already set before the braces"),
        arguments("rate(x[5m]) >", 14, "unexpected end of expression"),
        arguments("x y", 3, "unexpected \"y\""),
        arguments("x{a=\"b}", 5, "unterminated string"),
        arguments("x $ 1", 3, "unexpected character '$'"),
        arguments("", 1, "empty expression"),
        arguments("sum(x", 6, "expected \")\", found end of expression"));
  }

  @ParameterizedTest
  @MethodSource("rejections")
  void refusesWithColumnAndReason(String expression, int column, String reason) {
    assertThatThrownBy(() -> PromQl.parse(expression))
        .isInstanceOfSatisfying(
            PromQlException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.column()).isEqualTo(column);
              assertThat(e.getMessage()).isEqualTo("column " + column + ": " + reason);
            });
  }

  @Test
  void listsTheMetricNamesItReads() throws Exception {
    assertThat(
            PromQl.parse(
                    "sum(rate(shop_payments_total{outcome=\"success\"}[1m]))"
                        + " / sum(rate(shop_payments_total[1m])) < 0.95 or absent(up)")
                .metricNames())
        .containsExactly("shop_payments_total", "up");
    assertThat(PromQl.parse("{__name__=\"up\", job=\"shop\"}").metricNames()).containsExactly("up");
  }

  @Test
  void readsAnyMetricWhenASelectorNamesNone() throws Exception {
    assertThat(PromQl.parse("up + on(job) {job=\"shop\"}").metricNames()).isEmpty();
    assertThat(PromQl.parse("{__name__=~\"shop_.*\"}").metricNames()).isEmpty();
  }
}
