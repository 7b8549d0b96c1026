package dev.scoville.rules.notify;

import java.time.Duration;
import java.util.List;

/**
 * The {@code delivery} section: {@code timeout} bounds every attempt to send a notification, from
 * connecting to the last byte of the answer; {@code threadsPerReceiver} is how many attempts one
 * receiver (a PagerDuty routing key, a Slack channel, a webhook) may have under way at once;
 * {@code fallbacks} are the routes taken while a receiver fails.
 */
public record DeliveryConfig(Duration timeout, Integer threadsPerReceiver, List<FallbackRoute> fallbacks) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_THREADS_PER_RECEIVER = 16;

  public DeliveryConfig {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    threadsPerReceiver = threadsPerReceiver == null ? DEFAULT_THREADS_PER_RECEIVER : threadsPerReceiver;
    fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("delivery.timeout: must be longer than 0s, not " + timeout);
    }
    if (threadsPerReceiver < 1) {
      throw new IllegalArgumentException("delivery.threadsPerReceiver: must be at least 1, not " + threadsPerReceiver);
    }
  }

  public DeliveryConfig(Duration timeout, Integer threadsPerReceiver) {
    this(timeout, threadsPerReceiver, null);
  }

  public static DeliveryConfig defaults() {
    return new DeliveryConfig(null, null, null);
  }
}
