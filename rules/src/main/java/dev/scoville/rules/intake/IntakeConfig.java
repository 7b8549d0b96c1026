package dev.scoville.rules.intake;

/**
 * The {@code intake} section: the bearer token Alertmanager and Grafana present to the alert
 * webhooks. A secret: write it as {@code ${ALERTMANAGER_TOKEN}} so that it comes from the
 * environment. Without one, the webhooks refuse every request.
 */
public record IntakeConfig(String token) {

  public static IntakeConfig none() {
    return new IntakeConfig(null);
  }

  @Override
  public String toString() {
    return "IntakeConfig[token=" + (token == null ? "none" : "(secret)") + "]";
  }
}
