package dev.scoville.reports.drills;

/** A drill that cannot start or stop, saying why in words a commander can act on. */
public final class DrillException extends RuntimeException {
  private final Refusal refusal;

  /** Why: what an API answers with (403, 409, 502, 400). */
  public enum Refusal {
    NOT_A_COMMANDER,
    CONFLICT,
    SHOP,
    BAD_REQUEST
  }

  public DrillException(Refusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
