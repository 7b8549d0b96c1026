package dev.scoville.rules.template;

import dev.scoville.rules.promql.GoFloat;
import dev.scoville.rules.template.AlertTemplate.ExecutionException;
import dev.scoville.rules.template.AlertTemplate.QuerySample;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Template values as Go sees them: {@code Double} is float64, {@code Long} int, {@code String},
 * {@code Boolean}, {@code Map} map[string]string, {@code List} a query result; printed as Go's
 * {@code fmt} prints them with {@code %v}.
 */
final class GoValues {
  private GoValues() {}

  static String print(Object value) {
    if (value == null) {
      return "<no value>";
    }
    if (value instanceof Double d) {
      return GoFloat.format(d, 'g', -1);
    }
    if (value instanceof Map<?, ?> map) {
      StringJoiner out = new StringJoiner(" ", "map[", "]");
      new TreeMap<>(map).forEach((k, v) -> out.add(k + ":" + print(v)));
      return out.toString();
    }
    if (value instanceof List<?> list) {
      StringJoiner out = new StringJoiner(" ", "[", "]");
      list.forEach(e -> out.add(print(e)));
      return out.toString();
    }
    if (value instanceof QuerySample sample) {
      return "{" + print(sample.labels()) + " " + print(sample.value()) + "}";
    }
    return value.toString();
  }

  /** Go's truth: false, zero, nil and empty are false; NaN is true. */
  static boolean truth(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Double d) {
      return d != 0;
    }
    if (value instanceof Long l) {
      return l != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (value instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }

  static String typeName(Object value) {
    if (value == null) {
      return "<nil>";
    }
    if (value instanceof Double) {
      return "float64";
    }
    if (value instanceof Long) {
      return "int";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Map<?, ?>) {
      return "map[string]string";
    }
    if (value instanceof List<?>) {
      return "template.queryResult";
    }
    return "*template.sample";
  }

  /** Go's eq/lt…: both of one basic kind, or "incompatible types for comparison". */
  static int compare(Object a, Object b, boolean orderOnly) throws ExecutionException {
    if (a instanceof Double x && b instanceof Double y) {
      return Double.isNaN(x) || Double.isNaN(y) ? Integer.MIN_VALUE : Double.compare(x == 0 ? 0.0 : x, y == 0 ? 0.0 : y);
    }
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (!orderOnly && a instanceof Boolean x && b instanceof Boolean y) {
      return x.equals(y) ? 0 : 1;
    }
    if (orderOnly && a instanceof Boolean && b instanceof Boolean) {
      throw new ExecutionException("invalid type for comparison");
    }
    throw new ExecutionException("incompatible types for comparison");
  }
}
