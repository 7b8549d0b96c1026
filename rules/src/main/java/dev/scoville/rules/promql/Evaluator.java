package dev.scoville.rules.promql;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.Expr.Aggregation;
import dev.scoville.rules.promql.Expr.Binary;
import dev.scoville.rules.promql.Expr.Call;
import dev.scoville.rules.promql.Expr.MatrixSelector;
import dev.scoville.rules.promql.Expr.Negation;
import dev.scoville.rules.promql.Expr.NumberLiteral;
import dev.scoville.rules.promql.Expr.Parenthesized;
import dev.scoville.rules.promql.Expr.VectorSelector;
import dev.scoville.rules.promql.Value.Matrix;
import dev.scoville.rules.promql.Value.Scalar;
import dev.scoville.rules.promql.Value.Vector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluates one expression at one instant against the store. */
final class Evaluator {
  /** Prometheus's default {@code --query.lookback-delta}. */
  static final long LOOKBACK_MILLIS = 5 * 60_000L;

  private final SeriesReader reader;
  private final long timeMillis;
  private final Query.Bounds bounds;
  private final QueryBudget budget;

  Evaluator(SeriesReader reader, long timeMillis, Query.Bounds bounds, QueryBudget budget) {
    this.reader = reader;
    this.timeMillis = timeMillis;
    this.bounds = bounds;
    this.budget = budget;
  }

  long timeMillis() {
    return timeMillis;
  }

  /** What {@code @ start()} means: the start of a range query, or the evaluation time. */
  long startMillis() {
    return bounds.startMillis();
  }

  long endMillis() {
    return bounds.endMillis();
  }

  /** The instant a selector reads: the evaluation time or its {@code @}, minus its offset. */
  private long readTime(Expr.At at, long offsetMillis) {
    return (at == null ? timeMillis : at.resolve(this)) - offsetMillis;
  }

  Value evaluate(NumberLiteral literal) {
    return new Scalar(literal.value());
  }

  /**
   * The newest sample in the lookback window, unless it is a staleness marker. Windows are
   * left-open as in Prometheus 3, hence the {@code + 1}.
   */
  Value evaluate(VectorSelector selector) {
    return newest(selector, false);
  }

  /** For timestamp(): the seconds at which each selected sample was taken, without the name. */
  Vector sampleTimes(VectorSelector selector) {
    return newest(selector, true);
  }

  private Vector newest(VectorSelector selector, boolean times) {
    long at = readTime(selector.at(), selector.offsetMillis());
    List<Series> selected = reader.selectNewest(selector.matchers(), at - LOOKBACK_MILLIS + 1, at);
    budget.checkTime();
    budget.load(selected.size());
    List<VectorSample> out = new ArrayList<>();
    for (Series series : selected) {
      int last = series.size() - 1;
      while (last >= 0 && series.timestampAt(last) > at) {
        last--;
      }
      if (last >= 0 && !Sample.isStale(series.valueAt(last))) {
        out.add(
            times
                ? new VectorSample(
                    LabelSets.withoutMetricName(series.labels()), series.timestampAt(last) / 1000.0)
                : new VectorSample(series.labels(), series.valueAt(last)));
      }
    }
    return new Vector(out);
  }

  Value evaluate(MatrixSelector matrix) {
    long end = readTime(matrix.selector().at(), matrix.selector().offsetMillis());
    List<Series> selected =
        reader.select(matrix.selector().matchers(), end - matrix.rangeMillis() + 1, end);
    budget.checkTime();
    List<Series> out = new ArrayList<>(selected.size());
    long points = 0;
    for (Series series : selected) {
      Series fresh = withoutStaleness(series, end - matrix.rangeMillis(), end);
      if (!fresh.isEmpty()) {
        out.add(fresh);
        points += fresh.size();
      }
    }
    budget.load(points);
    return new Matrix(out, end - matrix.rangeMillis(), end);
  }

  /**
   * The inner expression at every multiple of the step inside the left-open range, each instant
   * with its own lookback, as Prometheus 3 aligns subqueries: to absolute time, not to the query.
   */
  Value evaluate(Expr.Subquery subquery) {
    long step = subquery.stepMillis() > 0 ? subquery.stepMillis() : bounds.subqueryStepMillis();
    long end = readTime(subquery.at(), subquery.offsetMillis());
    long rangeStart = end - subquery.rangeMillis();
    long first = step * Math.floorDiv(rangeStart, step);
    if (first <= rangeStart) {
      first += step;
    }
    Map<Labels, SeriesBuilder> series = new LinkedHashMap<>();
    // Each inner instant releases what it loaded; what it leaves in the result stays held.
    long heldBefore = budget.held();
    long points = 0;
    for (long t = first; t <= end; t += step) {
      budget.checkTime();
      Value value = subquery.inner().evaluate(new Evaluator(reader, t, bounds, budget));
      for (VectorSample s : ((Vector) value).samples()) {
        series.computeIfAbsent(s.labels(), SeriesBuilder::new).add(t, s.value());
      }
      points += ((Vector) value).samples().size();
      budget.holdOnly(heldBefore + points);
    }
    List<Series> out = new ArrayList<>(series.size());
    series.values().forEach(b -> out.add(b.build()));
    return new Matrix(out, rangeStart, end);
  }

  /** Points of one series as a subquery finds them, oldest first. */
  private static final class SeriesBuilder {
    private final Labels labels;
    private long[] timestamps = new long[8];
    private double[] values = new double[8];
    private int size;

    SeriesBuilder(Labels labels) {
      this.labels = labels;
    }

    void add(long t, double v) {
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      timestamps[size] = t;
      values[size++] = v;
    }

    Series build() {
      return new Series(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
    }
  }

  /**
   * The samples in {@code (after, upTo]} that are not staleness markers: the series itself when
   * that is all of them, the usual case, so the hot path copies nothing.
   */
  private static Series withoutStaleness(Series series, long after, long upTo) {
    int kept = 0;
    for (int i = 0; i < series.size(); i++) {
      if (usable(series, i, after, upTo)) {
        kept++;
      }
    }
    if (kept == series.size()) {
      return series;
    }
    long[] timestamps = new long[kept];
    double[] values = new double[kept];
    int n = 0;
    for (int i = 0; i < series.size(); i++) {
      if (usable(series, i, after, upTo)) {
        timestamps[n] = series.timestampAt(i);
        values[n++] = series.valueAt(i);
      }
    }
    return new Series(series.labels(), timestamps, values);
  }

  private static boolean usable(Series series, int i, long after, long upTo) {
    long t = series.timestampAt(i);
    return t > after && t <= upTo && !Sample.isStale(series.valueAt(i));
  }

  Value evaluate(Call call) {
    List<Value> args = new ArrayList<>(call.args().size());
    for (Expr arg : call.args()) {
      args.add(arg.evaluate(this));
    }
    Value result = Calls.apply(call, args, this);
    return result instanceof Vector vector ? distinct(vector) : result;
  }

  Value evaluate(Aggregation aggregation) {
    Value parameter =
        aggregation.parameter() == null ? null : aggregation.parameter().evaluate(this);
    Vector vector = (Vector) aggregation.vector().evaluate(this);
    return Aggregations.apply(aggregation, parameter, vector.samples());
  }

  Value evaluate(Binary binary) {
    Value result =
        BinaryEvaluation.apply(binary, binary.lhs().evaluate(this), binary.rhs().evaluate(this));
    return result instanceof Vector vector ? distinct(vector) : result;
  }

  Value evaluate(Negation negation) {
    Value operand = negation.operand().evaluate(this);
    if (operand instanceof Scalar scalar) {
      return new Scalar(-scalar.value());
    }
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample s : ((Vector) operand).samples()) {
      out.add(new VectorSample(LabelSets.withoutMetricName(s.labels()), -s.value()));
    }
    return distinct(new Vector(out));
  }

  Value evaluate(Parenthesized parenthesized) {
    return parenthesized.inner().evaluate(this);
  }

  /** Dropping metric names can merge series; Prometheus refuses such a result, and so do we. */
  private static Vector distinct(Vector vector) {
    Set<Labels> seen = new HashSet<>();
    for (VectorSample s : vector.samples()) {
      if (!seen.add(s.labels())) {
        throw new PromQlEvaluationException(
            "vector cannot contain metrics with the same labelset " + s.labels());
      }
    }
    return vector;
  }
}
