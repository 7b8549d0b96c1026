package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.rules.intake.IntakeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The process that {@link IntakeDurabilityTest} kills with SIGKILL: {@code IntakeDrill <jdbc-url>
 * <events-url>}. The Alertmanager webhook on a free loopback port, the outbox sending to {@code
 * events-url}; prints {@code PORT <n>} once it takes alerts.
 */
public final class IntakeDrill {
  static final String TOKEN = "drill-token";

  private IntakeDrill() {}

  public static void main(String[] args) throws Exception {
    Database database = Database.open(args[0]);
    database.migrate("rules");
    Clock clock = Clock.systemUTC();
    IncidentService incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
    OutboxSender outbox = OutboxDrill.outbox(database, incidents, URI.create(args[1]), clock);
    incidents.onOutboxWrite(outbox::signal);
    outbox.start();
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new AlertmanagerIntakeRoutes(vertx, incidents, new IntakeConfig(TOKEN), clock).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    System.out.println("PORT " + server.actualPort());
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5).toMillis());
  }
}
