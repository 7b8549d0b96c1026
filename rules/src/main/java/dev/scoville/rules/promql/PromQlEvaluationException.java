package dev.scoville.rules.promql;

/**
 * Evaluation failed for the data at hand, as Prometheus fails it: e.g. vector matching that finds
 * more than one series for a match group. The expression itself was valid.
 */
public final class PromQlEvaluationException extends RuntimeException {
  PromQlEvaluationException(String message) {
    super(message);
  }
}
