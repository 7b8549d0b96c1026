package dev.scoville.rules.promql;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's expression read as the value it watches and the threshold it compares that value with:
 * {@code A < 0.95} watches {@code A} against {@code < 0.95}. Charts draw the value with the
 * threshold as a line; reports compare the value before and after an action. An expression whose
 * last step is not such a comparison is watched whole, with no threshold.
 *
 * @param operator {@code <}, {@code <=}, {@code >} or {@code >=}; null without a threshold
 */
public record WatchedValue(Query query, String operator, double threshold) {
  private static final Pattern COMPARISON =
      Pattern.compile("^(.*\\S)\\s*(<=|>=|<|>)\\s*(?:bool\\s+)?(-?[0-9][0-9.eE+-]*)$", Pattern.DOTALL);

  /** The watched value of {@code expression}; empty when it does not parse. */
  public static Optional<WatchedValue> of(String expression) {
    Matcher m = COMPARISON.matcher(expression.strip());
    if (m.matches()) {
      try {
        return Optional.of(new WatchedValue(PromQl.parse(m.group(1)), m.group(2), Double.parseDouble(m.group(3))));
      } catch (PromQlException | NumberFormatException e) {
        // the comparison was not the last step (e.g. inside parentheses): watch it whole
      }
    }
    try {
      return Optional.of(new WatchedValue(PromQl.parse(expression), null, Double.NaN));
    } catch (PromQlException e) {
      return Optional.empty();
    }
  }

  public boolean hasThreshold() {
    return operator != null;
  }
}
