package dev.scoville.contingency;

import java.time.Instant;
import java.util.Map;

/**
 * One audited attempt: a run, a dry run, a rollback or an approval, refused ones included.
 *
 * @param sent what was (or, for a dry run or a pending approval, would be) sent, secrets masked
 * @param answer what the other side answered; null when nothing was sent
 * @param detail why it ended as it did, in plain words
 * @param rollbackOf for a rollback, the run it undoes
 * @param rolledBackBy for a run, the rollback that undid it
 * @param approvalOf for a refused approval, the run that waits for one
 */
public record ActionRun(
    long id,
    String action,
    Kind kind,
    String requestedBy,
    Actor.Role requestedRole,
    Instant requestedAt,
    String incidentId,
    String incidentTitle,
    String reason,
    Map<String, String> parameters,
    String idempotencyKey,
    boolean dryRun,
    String approvedBy,
    String sent,
    String answer,
    Outcome outcome,
    String detail,
    Instant finishedAt,
    Long rollbackOf,
    Long rolledBackBy,
    Long approvalOf) {

  public ActionRun {
    parameters = Map.copyOf(parameters);
  }

  public enum Kind {
    RUN,
    ROLLBACK,
    APPROVAL
  }

  public enum Outcome {
    DRY_RUN,
    REFUSED,
    AWAITING_APPROVAL,
    RUNNING,
    SUCCEEDED,
    FAILED
  }
}
