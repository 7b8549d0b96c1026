package dev.scoville.rules;

import java.util.List;

/**
 * What a rule says about handling its incidents, carried by name only: the escalation policy
 * (null for the default), the runbook and the contingency actions to offer (console-ui joins them
 * to the runbooks and contingency modules).
 */
public record Handling(String escalation, String runbook, List<String> actions) {
  static final Handling DEFAULT = new Handling(null, null, List.of());

  public Handling {
    actions = actions == null ? List.of() : List.copyOf(actions);
  }
}
