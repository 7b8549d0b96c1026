package dev.scoville.rules.promql;

import dev.scoville.core.Labels;
import dev.scoville.rules.promql.Expr.Binary;
import dev.scoville.rules.promql.Expr.Matching;
import dev.scoville.rules.promql.Value.Scalar;
import dev.scoville.rules.promql.Value.Vector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and instant vectors, with one-to-one vector matching. */
final class BinaryEvaluation {
  private BinaryEvaluation() {}

  static Value apply(Binary binary, Value lhs, Value rhs) {
    BinaryOperator op = binary.operator();
    if (lhs instanceof Scalar l && rhs instanceof Scalar r) {
      return new Scalar(op.apply(l.value(), r.value()));
    }
    if (lhs instanceof Vector l && rhs instanceof Scalar r) {
      return withScalar(binary, l.samples(), r.value(), false);
    }
    if (lhs instanceof Scalar l && rhs instanceof Vector r) {
      return withScalar(binary, r.samples(), l.value(), true);
    }
    List<VectorSample> l = ((Vector) lhs).samples();
    List<VectorSample> r = ((Vector) rhs).samples();
    Matching matching = binary.effectiveMatching();
    return switch (op) {
      case AND -> new Vector(filter(l, signatures(r, matching), matching, true));
      case UNLESS -> new Vector(filter(l, signatures(r, matching), matching, false));
      case OR -> {
        List<VectorSample> out = new ArrayList<>(l);
        out.addAll(filter(r, signatures(l, matching), matching, false));
        yield new Vector(out);
      }
      default -> oneToOne(binary, l, r, matching);
    };
  }

  /**
   * A comparison filters and keeps the vector's own value, wherever the scalar stands; with {@code
   * bool} it keeps every element as 0 or 1 and, like arithmetic, drops the metric name.
   */
  private static Vector withScalar(
      Binary binary, List<VectorSample> vector, double scalar, boolean scalarOnLeft) {
    BinaryOperator op = binary.operator();
    boolean comparison = op.kind == BinaryOperator.Kind.COMPARISON;
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample s : vector) {
      double result = scalarOnLeft ? op.apply(scalar, s.value()) : op.apply(s.value(), scalar);
      if (comparison && !binary.returnBool()) {
        if (result == 1) {
          out.add(s);
        }
        continue;
      }
      out.add(new VectorSample(LabelSets.withoutMetricName(s.labels()), result));
    }
    return new Vector(out);
  }

  private static Vector oneToOne(
      Binary binary, List<VectorSample> lhs, List<VectorSample> rhs, Matching matching) {
    BinaryOperator op = binary.operator();
    Map<Labels, VectorSample> right = new HashMap<>();
    for (VectorSample r : rhs) {
      Labels signature = signature(r.labels(), matching);
      VectorSample duplicate = right.put(signature, r);
      if (duplicate != null) {
        throw new PromQlEvaluationException(
            "found duplicate series for the match group "
                + signature
                + " on the right hand-side of the operation: ["
                + r.labels()
                + ", "
                + duplicate.labels()
                + "]; many-to-many matching not allowed: matching labels must be unique on one"
                + " side");
      }
    }
    boolean comparison = op.kind == BinaryOperator.Kind.COMPARISON;
    Set<Labels> matched = new HashSet<>();
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample l : lhs) {
      Labels signature = signature(l.labels(), matching);
      VectorSample r = right.get(signature);
      if (r == null) {
        continue;
      }
      double result = op.apply(l.value(), r.value());
      if (comparison && !binary.returnBool()) {
        if (result != 1) {
          continue;
        }
        result = l.value();
      }
      if (!matched.add(signature)) {
        throw new PromQlEvaluationException(
            "multiple matches for labels "
                + signature
                + ": many-to-one matching must be explicit (group_left/group_right),"
                + " which is not supported");
      }
      out.add(
          new VectorSample(resultLabels(l.labels(), op, binary.returnBool(), matching), result));
    }
    return new Vector(out);
  }

  /** The left side's labels, narrowed to the matching labels as Prometheus does for one-to-one. */
  private static Labels resultLabels(
      Labels lhs, BinaryOperator op, boolean returnBool, Matching matching) {
    Labels labels = op.dropsMetricName() || returnBool ? LabelSets.withoutMetricName(lhs) : lhs;
    return matching.on()
        ? LabelSets.keep(labels, matching.labels())
        : LabelSets.drop(labels, matching.labels());
  }

  /** The labels two series must share to match; without {@code on}, never the metric name. */
  private static Labels signature(Labels labels, Matching matching) {
    if (matching.on()) {
      return LabelSets.keep(labels, matching.labels());
    }
    return LabelSets.dropWithName(labels, matching.labels());
  }

  private static Set<Labels> signatures(List<VectorSample> samples, Matching matching) {
    Set<Labels> signatures = new HashSet<>();
    for (VectorSample s : samples) {
      signatures.add(signature(s.labels(), matching));
    }
    return signatures;
  }

  private static List<VectorSample> filter(
      List<VectorSample> samples, Set<Labels> signatures, Matching matching, boolean keepMatches) {
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample s : samples) {
      if (signatures.contains(signature(s.labels(), matching)) == keepMatches) {
        out.add(s);
      }
    }
    return out;
  }
}
