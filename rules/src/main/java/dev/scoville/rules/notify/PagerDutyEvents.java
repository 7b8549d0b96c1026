package dev.scoville.rules.notify;

import dev.scoville.rules.Incident;

/**
 * Scoville's one door to PagerDuty's Events API v2. Kept this small so that the library behind
 * it (pagerduty-client, last released in 2021) can be swapped for a plain HTTP client.
 * Implementations block: the outbox calls them from its worker thread.
 */
public interface PagerDutyEvents {

  /**
   * Sends one event about {@code incident}: {@code trigger}, {@code remind} (the trigger again),
   * {@code acknowledge} or {@code resolve}, to the routing key named {@code routingKeyName} (the
   * default one when null).
   */
  Delivery send(String action, Incident incident, String routingKeyName);
}
