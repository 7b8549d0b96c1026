package dev.scoville.rules.promql;

import java.time.Duration;

/**
 * What one evaluation may spend, as Prometheus's {@code --query.timeout} and {@code
 * --query.max-samples}: a deadline, checked as selectors and subqueries go so that a query past it
 * really stops, and the most samples held at once. Scoville's engine holds a selector's whole
 * result while the function or operator over it runs, so the samples counted are those loaded by
 * the selectors of one evaluation instant (a subquery's inner instants count what they leave in its
 * result); a range query's result so far counts too. One budget per query, used by one thread.
 */
public final class QueryBudget {
  static final String TOO_MANY_SAMPLES =
      "query processing would load too many samples into memory in query execution";

  private final long deadlineNanos;
  private final long maxSamples;
  private long held;

  private QueryBudget(long deadlineNanos, long maxSamples) {
    this.deadlineNanos = deadlineNanos;
    this.maxSamples = maxSamples;
  }

  /**
   * A budget whose time started at {@code startNanos} ({@link System#nanoTime()}), e.g. when the
   * request arrived, so that time spent queueing counts as in Prometheus.
   */
  public static QueryBudget of(Duration timeout, long maxSamples, long startNanos) {
    return new QueryBudget(startNanos + timeout.toNanos(), maxSamples);
  }

  /** No deadline and no sample limit: code paths that predate the limits, and tests. */
  public static QueryBudget unlimited() {
    return new QueryBudget(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** Whether the deadline has passed, e.g. before evaluation starts at all. */
  public boolean expired() {
    return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0;
  }

  /** Samples held now; for a range query, what its result holds between steps. */
  public long held() {
    return held;
  }

  /** Sets what is held, e.g. a range query's result so far before its next step. */
  public void holdOnly(long samples) {
    held = samples;
    checkSamples();
  }

  /** Counts samples a selector loaded, and fails the query past the limit. */
  void load(long samples) {
    held += samples;
    checkSamples();
  }

  /** Fails the query past its deadline. */
  void checkTime() {
    if (expired()) {
      throw new QueryTimeoutException("query timed out in expression evaluation");
    }
  }

  private void checkSamples() {
    if (held > maxSamples) {
      throw new PromQlEvaluationException(TOO_MANY_SAMPLES);
    }
  }
}
