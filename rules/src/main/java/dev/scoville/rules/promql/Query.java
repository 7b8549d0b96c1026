package dev.scoville.rules.promql;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.Expr.VectorSelector;
import dev.scoville.rules.promql.Value.Scalar;
import dev.scoville.rules.promql.Value.Vector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A parsed expression, immutable and safe to evaluate from several threads at once. */
public final class Query {
  private final Expr root;
  private final Set<String> metricNames;

  Query(Expr root) {
    this.root = root;
    this.metricNames = readMetricNames(root);
  }

  /**
   * Evaluates at one instant; an instant-vector result, or a scalar result as one sample with empty
   * labels.
   *
   * @throws PromQlEvaluationException when the data makes the expression fail, as in Prometheus
   *     (e.g. duplicate series on one side of a vector match)
   */
  public List<VectorSample> evaluate(SeriesReader reader, long evalTimeMillis) {
    return evaluate(reader, evalTimeMillis, Bounds.instant(evalTimeMillis));
  }

  /**
   * What an evaluation needs besides its instant: the query's start and end, which {@code @
   * start()} and {@code @ end()} read, and the step of subqueries that give none.
   */
  public record Bounds(long startMillis, long endMillis, long subqueryStepMillis) {
    /**
     * Prometheus's default {@code evaluation_interval}, which its query API uses as the step of
     * subqueries without one.
     */
    public static final long DEFAULT_SUBQUERY_STEP_MILLIS = 60_000;

    public Bounds {
      if (subqueryStepMillis <= 0) {
        throw new IllegalArgumentException("subquery step must be positive: " + subqueryStepMillis);
      }
    }

    /** An instant query: start and end are the evaluation time. */
    public static Bounds instant(long evalTimeMillis) {
      return new Bounds(evalTimeMillis, evalTimeMillis, DEFAULT_SUBQUERY_STEP_MILLIS);
    }
  }

  /** Evaluates at one instant of a range query, or of a rule group with its interval as step. */
  public List<VectorSample> evaluate(SeriesReader reader, long evalTimeMillis, Bounds bounds) {
    return evaluate(reader, evalTimeMillis, bounds, QueryBudget.unlimited());
  }

  /**
   * Evaluates within {@code budget}: a query past its deadline stops with a {@link
   * QueryTimeoutException}, one loading more samples than allowed with a {@link
   * PromQlEvaluationException}, both with Prometheus's messages.
   */
  public List<VectorSample> evaluate(
      SeriesReader reader, long evalTimeMillis, Bounds bounds, QueryBudget budget) {
    Value value = root.evaluate(new Evaluator(reader, evalTimeMillis, bounds, budget));
    if (value instanceof Scalar scalar) {
      return List.of(new VectorSample(Labels.EMPTY, scalar.value()));
    }
    List<VectorSample> samples = ((Vector) value).samples();
    // The store selects in no particular order: the result is put in label order, as Prometheus
    // shows it, unless the expression asked for an order by value.
    if (samples.size() > 1 && !(root instanceof Expr.Call call && call.function().ordersByValue())) {
      samples = new ArrayList<>(samples);
      samples.sort(Comparator.comparing(VectorSample::labels));
    }
    return Collections.unmodifiableList(samples);
  }

  /** Whether the expression evaluates to a scalar rather than an instant vector. */
  public boolean isScalar() {
    return root.type() == ValueType.SCALAR;
  }

  /**
   * Metric names the expression reads, for the index from metric names to rules. An empty set means
   * "any metric": a selector names no fixed metric (e.g. {@code {job="shop"}} or {@code
   * {__name__=~"x.*"}}), or the expression reads no series at all.
   */
  public Set<String> metricNames() {
    return metricNames;
  }

  /**
   * The expression, normalized: canonical spacing, durations and numbers as Prometheus prints them.
   */
  @Override
  public String toString() {
    return root.toString();
  }

  private static Set<String> readMetricNames(Expr root) {
    Set<String> names = new TreeSet<>();
    Deque<Expr> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      Expr expr = pending.pop();
      pending.addAll(expr.children());
      if (expr instanceof VectorSelector selector) {
        String name = fixedMetricName(selector);
        if (name == null) {
          return Set.of();
        }
        names.add(name);
      }
    }
    return Collections.unmodifiableSet(names);
  }

  private static String fixedMetricName(VectorSelector selector) {
    for (LabelMatcher m : selector.matchers()) {
      if (m.name().equals(Labels.METRIC_NAME) && m.op() == LabelMatcher.Op.EQUAL) {
        return m.value();
      }
    }
    return null;
  }
}
