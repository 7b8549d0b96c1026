package dev.scoville.rules.notify;

import java.time.Instant;

/**
 * A receiver's health as the console shows it: {@code failingSince} is when the attempts that all
 * failed since its last success began (null when it is {@link State#OK}); {@code fallback} the
 * receiver its notifications go through now (null unless {@link State#FALLBACK}).
 */
public record ReceiverStatus(String receiver, State state, Instant failingSince, String lastError, String fallback) {

  public enum State {
    /** Its last attempt was accepted, or none failed yet. */
    OK,
    /** Every attempt since {@code failingSince} failed; no fallback route is due (or configured). */
    FAILING,
    /** Failing for longer than its fallback route's {@code after}: notifications go through {@code fallback}. */
    FALLBACK
  }
}
