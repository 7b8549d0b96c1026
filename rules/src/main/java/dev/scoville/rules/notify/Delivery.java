package dev.scoville.rules.notify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

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

  /**
   * What an HTTP receiver's answer means: 2xx delivered ({@code sent}), 429 retried no sooner than
   * its {@code Retry-After}, 5xx retried, any other status refused for good ({@code failed} for
   * each of those three).
   */
  public static Delivery ofHttpAnswer(HttpResponse<?> response, String sent, String failed) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      return sent(sent);
    }
    if (status == 429) {
      return retryAfter(failed, retryAfterHeader(response));
    }
    return status >= 500 ? retry(failed) : rejected(failed);
  }

  private static Duration retryAfterHeader(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }).orElse(Duration.ZERO);
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
