package dev.scoville.rules;

import dev.scoville.core.Labels;
import java.time.Instant;

/** A rule's firing label set at the moment it changed state, with what it says about itself. */
public record Alert(String rule, Labels labels, String summary, double value, Instant activeSince, Handling handling) {

  /** An alert of a rule that says nothing about its handling: the default escalation. */
  Alert(String rule, Labels labels, String summary, double value, Instant activeSince) {
    this(rule, labels, summary, value, activeSince, Handling.DEFAULT);
  }

  /** A short stable hash of the label set, as Alertmanager's fingerprint. */
  String fingerprint() {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < labels.size(); i++) {
      h = fnv(h, labels.name(i));
      h = fnv(h, labels.value(i));
    }
    return String.format("%016x", h);
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h * 0x100000001b3L;
  }
}
