package dev.scoville.contingency;

/**
 * The person (or {@link #SCOVILLE} itself) asking for an action, with the role the console gave
 * them.
 */
public record Actor(String name, Role role) {
  /** Scoville running an automatic action for a rule. */
  public static final Actor SCOVILLE = new Actor("scoville", Role.RESPONDER);

  public Actor {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an actor needs a name");
    }
  }

  /** A commander may do everything a responder may. */
  public enum Role {
    RESPONDER,
    COMMANDER;

    public boolean covers(Role needed) {
      return compareTo(needed) >= 0;
    }

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
