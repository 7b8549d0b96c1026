package dev.scoville.rules.notify;

import java.time.Duration;

/** What became of one attempt to send a notification. */
public record Delivery(Outcome outcome, String detail, Duration retryAfter) {

  public static Delivery sent(String detail) {
    return new Delivery(Outcome.SENT, detail, Duration.ZERO);
  }

  public static Delivery retry(String detail) {
    return new Delivery(Outcome.RETRY, detail, Duration.ZERO);
  }

  /** A retry the receiver asked to be held back for at least {@code retryAfter} (HTTP Retry-After). */
  public static Delivery retryAfter(String detail, Duration retryAfter) {
    return new Delivery(Outcome.RETRY, detail, retryAfter);
  }

  public static Delivery rejected(String detail) {
    return new Delivery(Outcome.REJECTED, detail, Duration.ZERO);
  }

  public enum Outcome {
    /** Accepted. */
    SENT,
    /** Worth trying again later: throttled (429), server error (5xx), timeout, connection refused. */
    RETRY,
    /** Can never be accepted as it is (PagerDuty 400, Slack channel_not_found): retrying would only repeat the refusal. */
    REJECTED
  }
}
