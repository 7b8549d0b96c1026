package dev.scoville.benchmarks;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.rules.intake.IntakeConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Scoville's paging path as {@link PagingFaultHarness} runs it in a child JVM, to be killed:
 * the Alertmanager webhook, incidents in an H2 file written at every commit, the outbox sending to
 * PagerDuty with the default delivery settings. {@code PagingNode <port> <jdbc-url> <events-url>
 * <intake-token>}; prints {@code READY} once it takes alerts.
 */
public final class PagingNode {
  private PagingNode() {}

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    Database database = Database.open(args[1]);
    ConfigFile config = ConfigFile.parse("paging-node.yaml", "", Map.of());
    PagerDutyConfig pagerDuty = new PagerDutyConfig(URI.create(args[2]), "0123456789abcdef0123456789abcdef",
        "fault-harness", null);
    SeriesStore store = new SeriesStore(Duration.ofMinutes(5), clock);
    Rules rules = Rules.start(config, RulesConfig.none(), pagerDuty, SlackConfig.none(), List.of(), store, store::append,
        database, clock);
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new AlertmanagerIntakeRoutes(vertx, rules.incidents(), new IntakeConfig(args[3]), clock).mount(router);
    vertx.createHttpServer().requestHandler(router).listen(Integer.parseInt(args[0]), "127.0.0.1").await();
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
