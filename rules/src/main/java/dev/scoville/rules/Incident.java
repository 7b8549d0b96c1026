package dev.scoville.rules;

import java.time.Instant;
import java.util.List;

/**
 * An immutable view of one incident. {@code escalation} is the policy's name (null: the default),
 * {@code escalationLevel} how many of its levels were notified; {@code runbook} and {@code
 * actions} are names from the rule. {@code mutedBy} says which silence or inhibition keeps the
 * incident from notifying (null: it notifies); {@code escalatingSince} is when its escalation is
 * timed from: when it opened, or when it was last unmuted, plus its policy's group wait.
 */
public record Incident(
    long id,
    String dedupKey,
    String rule,
    String labels,
    String summary,
    Severity severity,
    State state,
    Instant openedAt,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Instant resolvedAt,
    String escalation,
    int escalationLevel,
    String runbook,
    List<String> actions,
    String mutedBy,
    Instant escalatingSince) {

  /** Starts the summary of an incident opened during a drill. */
  public static final String DRILL_PREFIX = "[DRILL] ";

  public Incident {
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  /** An incident that was never muted: its escalation is timed from its opening. */
  public Incident(long id, String dedupKey, String rule, String labels, String summary, Severity severity,
      State state, Instant openedAt, Instant acknowledgedAt, String acknowledgedBy, Instant resolvedAt,
      String escalation, int escalationLevel, String runbook, List<String> actions) {
    this(id, dedupKey, rule, labels, summary, severity, state, openedAt, acknowledgedAt, acknowledgedBy, resolvedAt,
        escalation, escalationLevel, runbook, actions, null, openedAt);
  }

  /** Where the incident stands, in PagerDuty's words. */
  public enum State {
    TRIGGERED,
    ACKNOWLEDGED,
    RESOLVED
  }

  /** PagerDuty's severities; a rule sets one with the label {@code severity}. */
  public enum Severity {
    CRITICAL,
    ERROR,
    WARNING,
    INFO;

    static Severity fromLabel(String value) {
      if (value == null) {
        return ERROR;
      }
      return switch (value.toLowerCase()) {
        case "critical", "page" -> CRITICAL;
        case "warning", "warn" -> WARNING;
        case "info", "none" -> INFO;
        default -> ERROR;
      };
    }
  }

  public boolean isMuted() {
    return mutedBy != null;
  }

  /** Opened while a drill ran: a rehearsal, not a real problem. */
  public boolean isDrill() {
    return summary != null && summary.startsWith(DRILL_PREFIX);
  }

  public boolean isOpen() {
    return state != State.RESOLVED;
  }
}
