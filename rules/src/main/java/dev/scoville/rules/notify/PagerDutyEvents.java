package dev.scoville.rules.notify;

import dev.scoville.rules.Incident;

/**
 * Scoville's one door to PagerDuty's Events API v2 ({@link HttpPagerDutyEvents}). Implementations
 * block, each attempt within its deadline: the outbox calls them from a receiver's lane.
 */
public interface PagerDutyEvents {

  /**
   * Sends one event about {@code incident}: {@code trigger}, {@code remind} (the trigger again),
   * {@code acknowledge} or {@code resolve}, to the routing key named {@code routingKeyName} (the
   * default one when null).
   */
  Delivery send(String action, Incident incident, String routingKeyName);
}
