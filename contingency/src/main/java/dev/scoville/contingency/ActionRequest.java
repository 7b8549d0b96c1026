package dev.scoville.contingency;

import java.util.Map;

/**
 * A person asking to run an action. Either {@code incidentId} or {@code reason} says why; the
 * idempotency key (may be null) makes a repeated click or retried call return the first run.
 *
 * @param incidentTitle for templates ({@code {{incident.title}}}); may be null
 * @param dryRun show what would be sent, send nothing
 */
public record ActionRequest(
    String action,
    Map<String, String> parameters,
    Actor actor,
    String incidentId,
    String incidentTitle,
    String reason,
    String idempotencyKey,
    boolean dryRun) {

  public ActionRequest {
    parameters = Map.copyOf(parameters);
  }

  /** The same request as a dry run. */
  public ActionRequest asDryRun() {
    return new ActionRequest(
        action, parameters, actor, incidentId, incidentTitle, reason, null, true);
  }
}
