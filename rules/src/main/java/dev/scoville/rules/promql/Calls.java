package dev.scoville.rules.promql;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import dev.scoville.rules.promql.Expr.Call;
import dev.scoville.rules.promql.Expr.MatrixSelector;
import dev.scoville.rules.promql.Expr.Parenthesized;
import dev.scoville.rules.promql.Expr.VectorSelector;
import dev.scoville.rules.promql.Value.Matrix;
import dev.scoville.rules.promql.Value.Scalar;
import dev.scoville.rules.promql.Value.Vector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/** Function calls: argument values in, result out. The parser has checked the argument types. */
final class Calls {
  private static final List<String> LE = List.of("le");

  /** Two NaNs in a row are no change, though NaN != NaN. */
  private static final Change VALUE_CHANGED =
      (prev, cur) -> prev != cur && !(Double.isNaN(prev) && Double.isNaN(cur));

  private Calls() {}

  static Value apply(Call call, List<Value> args, Evaluator evaluator) {
    Function f = call.function();
    return switch (f) {
      case ABS -> map(args, Math::abs);
      case SGN -> map(args, Math::signum);
      case SIN -> map(args, Math::sin);
      case COS -> map(args, Math::cos);
      case TAN -> map(args, Math::tan);
      case ASIN -> map(args, Math::asin);
      case ACOS -> map(args, Math::acos);
      case ATAN -> map(args, Math::atan);
      case SINH -> map(args, Math::sinh);
      case COSH -> map(args, Math::cosh);
      case TANH -> map(args, Math::tanh);
      case ASINH -> map(args, v -> Math.copySign(Math.log(Math.abs(v) + Math.hypot(v, 1)), v));
      case ACOSH -> map(args, v -> Math.log(v + Math.sqrt(v * v - 1)));
      case ATANH -> map(args, v -> 0.5 * Math.log((1 + v) / (1 - v)));
      case DEG -> map(args, Math::toDegrees);
      case RAD -> map(args, Math::toRadians);
      case PI -> new Scalar(Math.PI);
      case CEIL -> map(args, Math::ceil);
      case FLOOR -> map(args, Math::floor);
      case SQRT -> map(args, Math::sqrt);
      case EXP -> map(args, Math::exp);
      case LN -> map(args, Math::log);
      case LOG2 -> map(args, v -> Math.log(v) / Math.log(2));
      case LOG10 -> map(args, Math::log10);
      case ROUND -> round(args);
      case CLAMP -> clamp(args, scalar(args, 1), scalar(args, 2));
      case CLAMP_MIN -> clamp(args, scalar(args, 1), Double.POSITIVE_INFINITY);
      case CLAMP_MAX -> clamp(args, Double.NEGATIVE_INFINITY, scalar(args, 1));
      case RATE, INCREASE, DELTA -> rates(call, args);
      case IRATE -> perSeriesWhereDefined(f, args.get(0), s -> Rates.instant(s, true));
      case IDELTA -> perSeriesWhereDefined(f, args.get(0), s -> Rates.instant(s, false));
      case DERIV -> perSeriesWhereDefined(f, args.get(0), Regression::slope);
      case PREDICT_LINEAR -> {
        double seconds = scalar(args, 1);
        long at = evaluator.timeMillis();
        yield perSeriesWhereDefined(f, args.get(0), s -> Regression.predict(s, at, seconds));
      }
      case CHANGES -> perSeries(f, args.get(0), s -> count(s, VALUE_CHANGED));
      case RESETS -> perSeries(f, args.get(0), s -> count(s, (prev, cur) -> cur < prev));
      case AVG_OVER_TIME -> overTime(f, args, v -> Statistics.sum(v) / v.length);
      case MIN_OVER_TIME -> overTime(f, args, Statistics::min);
      case MAX_OVER_TIME -> overTime(f, args, Statistics::max);
      case SUM_OVER_TIME -> overTime(f, args, Statistics::sum);
      case COUNT_OVER_TIME -> perSeries(f, args.get(0), Series::size);
      case LAST_OVER_TIME -> perSeries(f, args.get(0), s -> s.valueAt(s.size() - 1));
      case PRESENT_OVER_TIME -> perSeries(f, args.get(0), s -> 1);
      case STDVAR_OVER_TIME -> overTime(f, args, Statistics::variance);
      case STDDEV_OVER_TIME -> overTime(f, args, v -> Math.sqrt(Statistics.variance(v)));
      case QUANTILE_OVER_TIME -> {
        double q = scalar(args, 0);
        yield perSeries(f, args.get(1), s -> Quantiles.quantile(q, Statistics.values(s)));
      }
      case ABSENT_OVER_TIME ->
          absent(((Matrix) args.get(0)).series().isEmpty(), call.args().get(0));
      case ABSENT -> absent(((Vector) args.get(0)).samples().isEmpty(), call.args().get(0));
      case HISTOGRAM_QUANTILE ->
          histogramQuantile(scalar(args, 0), ((Vector) args.get(1)).samples());
      case TIME -> new Scalar(evaluator.timeMillis() / 1000.0);
      case TIMESTAMP -> timestamps(call.args().get(0), args, evaluator);
      case VECTOR -> new Vector(List.of(new VectorSample(Labels.EMPTY, scalar(args, 0))));
      case SORT -> sorted(args, Comparator.comparingDouble(VectorSample::value));
      case SORT_DESC -> sorted(args, Comparator.comparingDouble(VectorSample::value).reversed());
      case DAY_OF_MONTH -> calendar(args, evaluator, GoCalendar::dayOfMonth);
      case DAY_OF_WEEK -> calendar(args, evaluator, GoCalendar::dayOfWeek);
      case DAY_OF_YEAR -> calendar(args, evaluator, GoCalendar::dayOfYear);
      case DAYS_IN_MONTH -> calendar(args, evaluator, GoCalendar::daysInMonth);
      case HOUR -> calendar(args, evaluator, GoCalendar::hour);
      case MINUTE -> calendar(args, evaluator, GoCalendar::minute);
      case MONTH -> calendar(args, evaluator, GoCalendar::month);
      case YEAR -> calendar(args, evaluator, GoCalendar::year);
      case LABEL_REPLACE ->
          new Vector(
              LabelRewrite.replace(
                  ((Vector) args.get(0)).samples(),
                  text(args, 1),
                  text(args, 2),
                  text(args, 3),
                  text(args, 4)));
      case LABEL_JOIN -> {
        List<String> sources = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) {
          sources.add(text(args, i));
        }
        yield new Vector(
            LabelRewrite.join(
                ((Vector) args.get(0)).samples(), text(args, 1), text(args, 2), sources));
      }
      case SCALAR_OF -> {
        List<VectorSample> samples = ((Vector) args.get(0)).samples();
        yield new Scalar(samples.size() == 1 ? samples.get(0).value() : Double.NaN);
      }
    };
  }

  private static String text(List<Value> args, int index) {
    return ((Value.Text) args.get(index)).value();
  }

  private static double scalar(List<Value> args, int index) {
    return ((Scalar) args.get(index)).value();
  }

  private static Vector map(List<Value> args, DoubleUnaryOperator f) {
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample s : ((Vector) args.get(0)).samples()) {
      out.add(
          new VectorSample(LabelSets.withoutMetricName(s.labels()), f.applyAsDouble(s.value())));
    }
    return new Vector(out);
  }

  /** As Prometheus: to the nearest multiple of the second argument, halves rounded up. */
  private static Vector round(List<Value> args) {
    double inverse = 1 / (args.size() > 1 ? scalar(args, 1) : 1);
    return map(args, v -> Math.floor(v * inverse + 0.5) / inverse);
  }

  /**
   * A selector's samples carry the time they were taken; anything computed was computed at the
   * evaluation time, as in Prometheus.
   */
  private static Vector timestamps(Expr arg, List<Value> args, Evaluator evaluator) {
    Expr inner = arg;
    while (inner instanceof Parenthesized p) {
      inner = p.inner();
    }
    if (inner instanceof VectorSelector selector) {
      return evaluator.sampleTimes(selector);
    }
    double now = evaluator.timeMillis() / 1000.0;
    return map(args, v -> now);
  }

  /** NaN goes last either way, as in Prometheus. */
  private static Vector sorted(List<Value> args, Comparator<VectorSample> order) {
    List<VectorSample> out = new ArrayList<>(((Vector) args.get(0)).samples());
    out.sort(
        Comparator.<VectorSample, Boolean>comparing(s -> Double.isNaN(s.value()))
            .thenComparing(order));
    return new Vector(out);
  }

  /**
   * Calendar fields in UTC of each value read as seconds since the epoch, or of the evaluation time
   * when there is no argument (Sunday is day 0 of the week), as Prometheus's Go computes them
   * (NaN, ±Inf and huge values included).
   */
  private static Vector calendar(
      List<Value> args, Evaluator evaluator, ToDoubleFunction<GoCalendar> field) {
    if (args.isEmpty()) {
      GoCalendar now = GoCalendar.ofUnixSeconds(evaluator.timeMillis() / 1000);
      return new Vector(List.of(new VectorSample(Labels.EMPTY, field.applyAsDouble(now))));
    }
    return map(args, v -> field.applyAsDouble(GoCalendar.ofSeconds(v)));
  }

  private static Vector clamp(List<Value> args, double min, double max) {
    if (max < min) {
      return new Vector(List.of());
    }
    return map(args, v -> Math.max(min, Math.min(max, v)));
  }

  private static Vector rates(Call call, List<Value> args) {
    Matrix range = (Matrix) args.get(0);
    long start = range.rangeStartMillis();
    long end = range.rangeEndMillis();
    boolean counter = call.function() != Function.DELTA;
    boolean perSecond = call.function() == Function.RATE;
    return perSeriesWhereDefined(
        call.function(), args.get(0), s -> Rates.extrapolated(s, start, end, counter, perSecond));
  }

  private static Vector overTime(
      Function function, List<Value> args, ToDoubleFunction<double[]> f) {
    return perSeries(function, args.get(0), s -> f.applyAsDouble(Statistics.values(s)));
  }

  private interface PartialResult {
    /** Empty when the series has too few samples for this function. */
    OptionalDouble of(Series series);
  }

  private static Vector perSeries(Function function, Value matrix, ToDoubleFunction<Series> f) {
    return perSeriesWhereDefined(function, matrix, s -> OptionalDouble.of(f.applyAsDouble(s)));
  }

  private static Vector perSeriesWhereDefined(Function function, Value matrix, PartialResult f) {
    List<VectorSample> out = new ArrayList<>();
    for (Series s : ((Matrix) matrix).series()) {
      OptionalDouble v = f.of(s);
      if (v.isPresent()) {
        Labels labels =
            function.keepsMetricName() ? s.labels() : LabelSets.withoutMetricName(s.labels());
        out.add(new VectorSample(labels, v.getAsDouble()));
      }
    }
    return new Vector(out);
  }

  private interface Change {
    boolean counts(double previous, double current);
  }

  private static double count(Series s, Change change) {
    int n = 0;
    for (int i = 1; i < s.size(); i++) {
      if (change.counts(s.valueAt(i - 1), s.valueAt(i))) {
        n++;
      }
    }
    return n;
  }

  /**
   * One sample of value 1 when the argument is empty, labelled from the selector's equality
   * matchers as Prometheus does (a label matched twice is left out).
   */
  private static Vector absent(boolean empty, Expr arg) {
    if (!empty) {
      return new Vector(List.of());
    }
    VectorSelector selector =
        arg instanceof MatrixSelector m ? m.selector() : arg instanceof VectorSelector v ? v : null;
    Map<String, String> labels = new LinkedHashMap<>();
    if (selector != null) {
      Set<String> seen = new HashSet<>();
      for (LabelMatcher m : selector.matchers()) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          continue;
        }
        if (m.op() == LabelMatcher.Op.EQUAL && seen.add(m.name())) {
          labels.put(m.name(), m.value());
        } else {
          labels.remove(m.name());
        }
      }
    }
    return new Vector(List.of(new VectorSample(Labels.fromMap(labels), 1)));
  }

  /**
   * Groups classic buckets by their labels other than {@code le}; unparseable {@code le} is
   * skipped.
   */
  private static Vector histogramQuantile(double q, List<VectorSample> buckets) {
    Map<Labels, List<Quantiles.Bucket>> groups = new LinkedHashMap<>();
    for (VectorSample s : buckets) {
      String le = s.labels().get("le");
      if (le == null) {
        continue;
      }
      double upperBound;
      try {
        upperBound = parseBound(le);
      } catch (NumberFormatException e) {
        continue;
      }
      groups
          .computeIfAbsent(LabelSets.dropWithName(s.labels(), LE), k -> new ArrayList<>())
          .add(new Quantiles.Bucket(upperBound, s.value()));
    }
    List<VectorSample> out = new ArrayList<>();
    groups.forEach(
        (labels, group) -> out.add(new VectorSample(labels, Quantiles.bucketQuantile(q, group))));
    return new Vector(out);
  }

  private static double parseBound(String le) {
    return switch (le) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(le);
    };
  }
}
