package dev.scoville.rules.notify;

import java.time.Duration;

/**
 * One entry of {@code delivery.fallbacks}: once every attempt to {@code receiver} has failed for
 * {@code after}, its paging notifications go to {@code to} as well, until {@code receiver} takes
 * one again. Receivers are written as escalation levels are ({@code pagerduty}, {@code
 * pagerduty:<name>}, {@code slack:#channel}, {@code webhook:<name>}).
 */
public record FallbackRoute(String receiver, Duration after, String to) {
  public static final Duration DEFAULT_AFTER = Duration.ofMinutes(2);

  public FallbackRoute {
    after = after == null ? DEFAULT_AFTER : after;
  }
}
