package dev.scoville.rules.intake;

import dev.scoville.rules.IncidentService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * Alertmanager's webhook receiver, {@code POST /api/v1/alerts/alertmanager}: payload version "4",
 * a bearer token ({@code intake.token}). Alerts from an existing Prometheus become Scoville
 * incidents with the same escalation, silences and inhibition as the rules' alerts; a resolved
 * alert (status or a past endsAt) resolves its incident. Fields it does not know are ignored, as
 * newer Alertmanagers add some.
 */
public final class AlertmanagerIntakeRoutes {
  public static final String PATH = "/api/v1/alerts/alertmanager";

  private final AlertIntake intake;

  public AlertmanagerIntakeRoutes(Vertx vertx, IncidentService incidents, IntakeConfig config, Clock clock) {
    this.intake = new AlertIntake(vertx, incidents, config, clock, "Alertmanager",
        AlertmanagerIntakeRoutes::versionProblem);
  }

  public void mount(Router router) {
    intake.mount(router, PATH);
  }

  private static String versionProblem(JsonObject payload) {
    Object version = payload.getValue("version");
    if ("4".equals(version)) {
      return null;
    }
    return "version: this receiver takes Alertmanager's webhook payload version \"4\", not "
        + (version == null ? "none" : "\"" + version + "\"");
  }
}
