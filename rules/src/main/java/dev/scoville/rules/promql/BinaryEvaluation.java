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

/** Binary operators between scalars and instant vectors, with vector matching as Prometheus's. */
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
      default -> matched(binary, l, r, matching);
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

  /**
   * Prometheus's {@code VectorBinop}: with {@code group_right} the sides swap, so that the right
   * is always the "one" side whose match groups must be unique; with {@code group_left} or {@code
   * group_right} each series of the "many" side gets the labels listed copied from its match.
   */
  private static Vector matched(
      Binary binary, List<VectorSample> lhs, List<VectorSample> rhs, Matching matching) {
    BinaryOperator op = binary.operator();
    boolean swapped = matching.cardinality() == Expr.Cardinality.ONE_TO_MANY;
    List<VectorSample> many = swapped ? rhs : lhs;
    List<VectorSample> one = swapped ? lhs : rhs;
    Map<Labels, VectorSample> oneSide = new HashMap<>();
    for (VectorSample r : one) {
      Labels signature = signature(r.labels(), matching);
      VectorSample duplicate = oneSide.put(signature, r);
      if (duplicate != null) {
        throw new PromQlEvaluationException(
            "found duplicate series for the match group "
                + signature
                + " on the "
                + (swapped ? "left" : "right")
                + " hand-side of the operation: ["
                + r.labels()
                + ", "
                + duplicate.labels()
                + "];many-to-many matching not allowed: matching labels must be unique on one"
                + " side");
      }
    }
    boolean comparison = op.kind == BinaryOperator.Kind.COMPARISON;
    Map<Labels, Set<Labels>> matched = new HashMap<>();
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample l : many) {
      Labels signature = signature(l.labels(), matching);
      VectorSample r = oneSide.get(signature);
      if (r == null) {
        continue;
      }
      double left = swapped ? r.value() : l.value();
      double right = swapped ? l.value() : r.value();
      double result = op.apply(left, right);
      if (comparison && !binary.returnBool()) {
        if (result != 1) {
          continue;
        }
        result = left;
      }
      Labels labels = resultLabels(l.labels(), r.labels(), op, binary.returnBool(), matching);
      Set<Labels> inserted = matched.get(signature);
      if (matching.cardinality() == Expr.Cardinality.ONE_TO_ONE) {
        if (inserted != null) {
          throw new PromQlEvaluationException(
              "multiple matches for labels: many-to-one matching must be explicit"
                  + " (group_left/group_right)");
        }
        matched.put(signature, Set.of());
      } else {
        if (inserted == null) {
          inserted = new HashSet<>();
          matched.put(signature, inserted);
        }
        if (!inserted.add(labels)) {
          throw new PromQlEvaluationException(
              "multiple matches for labels: grouping labels must ensure unique matches");
        }
      }
      out.add(new VectorSample(labels, result));
    }
    return new Vector(out);
  }

  /**
   * The "many" side's labels: narrowed to the matching labels for one-to-one, as Prometheus does,
   * and with the {@code group_left}/{@code group_right} labels taken from the "one" side (an
   * absent one removed).
   */
  private static Labels resultLabels(
      Labels many, Labels one, BinaryOperator op, boolean returnBool, Matching matching) {
    Labels labels = op.dropsMetricName() || returnBool ? LabelSets.withoutMetricName(many) : many;
    if (matching.cardinality() == Expr.Cardinality.ONE_TO_ONE) {
      labels =
          matching.on()
              ? LabelSets.keep(labels, matching.labels())
              : LabelSets.drop(labels, matching.labels());
    }
    for (String label : matching.include()) {
      String value = one.get(label);
      labels =
          value == null || value.isEmpty()
              ? labels.without(List.of(label))
              : labels.with(label, value);
    }
    return labels;
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
