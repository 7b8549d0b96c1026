package dev.scoville.rules.intake;

import dev.scoville.rules.IncidentService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * Grafana's alert webhook (unified alerting's webhook contact point), {@code POST
 * /api/v1/alerts/grafana}, with the bearer token of {@code intake.token} as its authorization
 * header. Handled as Alertmanager's: Grafana's payload is Alertmanager's with fields added
 * ({@code orgId}, {@code title}, {@code values}, …), which are ignored; its {@code version} is not
 * checked, since the shape of {@code alerts[]} is what matters.
 */
public final class GrafanaIntakeRoutes {
  public static final String PATH = "/api/v1/alerts/grafana";

  private final AlertIntake intake;

  public GrafanaIntakeRoutes(Vertx vertx, IncidentService incidents, IntakeConfig config, Clock clock) {
    this.intake = new AlertIntake(vertx, incidents, config, clock, "Grafana", payload -> null);
  }

  public void mount(Router router) {
    intake.mount(router, PATH);
  }
}
