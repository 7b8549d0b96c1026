package dev.scoville.rules.promql;

/** A query ran past its deadline and was stopped; the message is Prometheus's. */
public final class QueryTimeoutException extends RuntimeException {
  public QueryTimeoutException(String message) {
    super(message);
  }
}
