package dev.scoville.rules;

/**
 * Scoville's one door to PagerDuty's Events API v2. Kept this small so that the library behind
 * it (pagerduty-client, last released in 2021) can be swapped for a plain HTTP client.
 * Implementations block: the outbox calls them from its worker thread.
 */
interface PagerDutyEvents {

  /** Sends one event about {@code incident}: {@code trigger}, {@code acknowledge} or {@code resolve}. */
  Delivery send(String action, Incident incident);

  /** What became of one attempt. */
  record Delivery(Outcome outcome, String detail) {
    static Delivery sent(String detail) {
      return new Delivery(Outcome.SENT, detail);
    }

    static Delivery retry(String detail) {
      return new Delivery(Outcome.RETRY, detail);
    }

    static Delivery rejected(String detail) {
      return new Delivery(Outcome.REJECTED, detail);
    }
  }

  enum Outcome {
    /** Accepted (202). */
    SENT,
    /** Worth trying again later: throttled (429), server error (5xx), timeout, connection refused. */
    RETRY,
    /** Can never be accepted as it is (400): retrying would only repeat the refusal. */
    REJECTED
  }
}
