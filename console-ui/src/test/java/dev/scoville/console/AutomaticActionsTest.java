package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.contingency.ActionCatalog;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.ActionService;
import dev.scoville.contingency.KillSwitches;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.rules.Incident;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutomaticActionsTest {
  private static final String CATALOG = """
      actions:
        - name: recommendations-off
          title: Recommendations off
          kind: kill_switch
          flag: recommendations-off
          value: true
          risk: low
          automatic_for: [CheckoutLatencyHigh]
      """;

  private final Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final ActionCatalog catalog = ActionCatalog.fromConfig(ConfigFile.parse("test.yaml", CATALOG, Map.of()));
  private final KillSwitches killSwitches = KillSwitches.open(database, catalog);
  private final ActionService service = new ActionService(catalog, killSwitches, database, (h, m, i) -> "test", Clock.systemUTC());
  private final ExecutorService workers = Executors.newSingleThreadExecutor();
  private final AutomaticActions automatic = new AutomaticActions(catalog, service, workers);

  @AfterEach
  void close() {
    workers.shutdownNow();
    database.close();
  }

  @Test
  void runsTheRulesAutomaticActionOnceAsScoville() throws Exception {
    automatic.incidentChanged(incident("CheckoutLatencyHigh", Incident.State.TRIGGERED));
    automatic.incidentChanged(incident("CheckoutLatencyHigh", Incident.State.TRIGGERED));
    automatic.incidentChanged(incident("CheckoutLatencyHigh", Incident.State.ACKNOWLEDGED));
    drain();

    assertThat(killSwitches.flag("recommendations-off").orElseThrow().switched()).isTrue();
    List<ActionRun> audit = service.auditLog(10);
    assertThat(audit).singleElement().satisfies(run -> {
      assertThat(run.requestedBy()).isEqualTo("scoville");
      assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    });
  }

  @Test
  void leavesOtherRulesIncidentsAlone() throws Exception {
    automatic.incidentChanged(incident("PaymentSuccessLow", Incident.State.TRIGGERED));
    drain();

    assertThat(killSwitches.flag("recommendations-off").orElseThrow().switched()).isFalse();
    assertThat(service.auditLog(10)).isEmpty();
  }

  private void drain() throws InterruptedException {
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static Incident incident(String rule, Incident.State state) {
    return new Incident(7, "scoville-" + rule + "-7", rule, "{}", "slow", Incident.Severity.ERROR, state,
        Instant.now(), null, null, null, null, 0, null, List.of());
  }
}
