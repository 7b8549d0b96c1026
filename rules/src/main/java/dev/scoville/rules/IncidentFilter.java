package dev.scoville.rules;

import java.time.Instant;
import java.util.Set;

/**
 * What the incident list asks for. Null or empty fields do not filter.
 *
 * @param states the states wanted (empty: all)
 * @param severity one severity, or null
 * @param rule the rule's exact name, or null
 * @param label {@code name=value}: incidents carrying that label, or null
 * @param text words found in the rule, the summary or the labels, or null
 * @param openedFrom incidents opened at or after this, or null
 * @param openedTo incidents opened before this, or null
 */
public record IncidentFilter(Set<Incident.State> states, Incident.Severity severity, String rule, String label,
    String text, Instant openedFrom, Instant openedTo) {

  public IncidentFilter {
    states = states == null ? Set.of() : Set.copyOf(states);
  }

  public static IncidentFilter all() {
    return new IncidentFilter(Set.of(), null, null, null, null, null, null);
  }
}
