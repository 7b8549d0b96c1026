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

  /**
   * A new entry as someone asks for it, before the audit log gives it an id: running, with nothing
   * sent, answered or approved until the builder says otherwise.
   */
  static Builder asked(Kind kind, String action, Actor by, Instant at) {
    return new Builder(kind, action, by, at);
  }

  /** Names the fields a new entry sets, which a 21-argument constructor call would not. */
  static final class Builder {
    private final Kind kind;
    private final String action;
    private final Actor by;
    private final Instant at;
    private String incidentId;
    private String incidentTitle;
    private String reason;
    private Map<String, String> parameters = Map.of();
    private String idempotencyKey;
    private boolean dryRun;
    private String sent;
    private Outcome outcome = Outcome.RUNNING;
    private String detail;
    private Instant finishedAt;
    private Long rollbackOf;
    private Long approvalOf;

    private Builder(Kind kind, String action, Actor by, Instant at) {
      this.kind = kind;
      this.action = action;
      this.by = by;
      this.at = at;
    }

    Builder incident(String id, String title) {
      incidentId = id;
      incidentTitle = title;
      return this;
    }

    Builder reason(String why) {
      reason = why;
      return this;
    }

    Builder parameters(Map<String, String> values) {
      parameters = values;
      return this;
    }

    Builder idempotencyKey(String key) {
      idempotencyKey = key;
      return this;
    }

    Builder dryRun(boolean dry) {
      dryRun = dry;
      return this;
    }

    Builder sent(String preview) {
      sent = preview;
      return this;
    }

    /** {@code finishedAt} null leaves the entry open (running or awaiting approval). */
    Builder outcome(Outcome ended, String why, Instant finishedAt) {
      outcome = ended;
      detail = why;
      this.finishedAt = finishedAt;
      return this;
    }

    Builder rollbackOf(long runId) {
      rollbackOf = runId;
      return this;
    }

    Builder approvalOf(long runId) {
      approvalOf = runId;
      return this;
    }

    ActionRun build() {
      return new ActionRun(
          0,
          action,
          kind,
          by.name(),
          by.role(),
          at,
          incidentId,
          incidentTitle,
          reason,
          parameters,
          idempotencyKey,
          dryRun,
          null,
          sent,
          null,
          outcome,
          detail,
          finishedAt,
          rollbackOf,
          null,
          approvalOf);
    }
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
