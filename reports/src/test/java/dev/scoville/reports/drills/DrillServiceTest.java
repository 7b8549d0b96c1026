package dev.scoville.reports.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.collector.SeriesStore;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.Actor;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.rules.Incident;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import dev.scoville.shop.Scenario;
import dev.scoville.shop.ShopServer;
import dev.scoville.shop.ShopSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drill runner against the rules module, the shop's scenario endpoint and a PagerDuty
 * stand-in, on a clock moved by hand: every recorded time is known.
 */
class DrillServiceTest {
  private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
  private static final String CONFIG = """
      rules:
        groups:
          - name: shop
            rules:
              - alert: PaymentSuccessLow
                expr: payment_success_ratio < 0.95
                labels:
                  severity: critical
                annotations:
                  summary: Payment success is low
                runbook: payment-gateway-outage
                actions: [backup-payment-provider]
      """;
  private static final Actor ALICE = new Actor("alice", Actor.Role.COMMANDER);
  private static final String SWITCH_STEP = "Payment gateway outage › 2. Switch to the backup provider";
  private static final String TELL_STEP = "Payment gateway outage › 3. Tell customers";
  /** The join the application makes from the runbooks module, for the rule's runbook. */
  private static final RunbookSteps STEPS = (incident, action) -> "payment-gateway-outage".equals(incident.runbook())
      ? Map.of("backup-payment-provider", List.of(SWITCH_STEP), "customer-message-delay", List.of(TELL_STEP))
          .getOrDefault(action, List.of())
      : List.of();
  private static final DrillsConfig.Targets TARGETS =
      new DrillsConfig.Targets(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(5));

  private final MutableClock clock = new MutableClock(T0);
  private final List<ActionRun> auditLog = new CopyOnWriteArrayList<>();
  private Database database;
  private PagerDutySink pagerDuty;
  private ShopServer shop;
  private SeriesStore store;
  private Rules rules;
  private DrillService drills;

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    pagerDuty = PagerDutySink.start(0);
    // The shop keeps the test's time too: its scenario ends when the drill expects it to.
    shop = ShopServer.start(new ShopSimulator(new Scenario(Duration.ofDays(1), Duration.ZERO, Duration.ZERO), 5,
        clock, 1), 0);
    store = new SeriesStore(Duration.ofHours(1), clock);
    ConfigFile config = ConfigFile.parse("scoville.yaml", CONFIG, Map.of());
    rules = Rules.start(config, config.section("rules", RulesConfig.class, RulesConfig.none()),
        new PagerDutyConfig(pagerDuty.eventsUri(), "0123456789abcdef0123456789abcdef", "shop", null),
        SlackConfig.none(), List.of(), store, store::append, database, clock);
    drills = new DrillService(new DrillsConfig(shop.baseUri(), 60.0, null, TARGETS, Duration.ofMinutes(10)),
        rules.incidents(), () -> List.copyOf(auditLog), STEPS, database, clock);
  }

  @AfterEach
  void stop() {
    drills.close();
    rules.close();
    shop.close();
    pagerDuty.close();
    database.close();
  }

  @Test
  void recordsDetectionAcknowledgementMitigationAndRecoveryAndScoresThem() throws Exception {
    DrillReport started = drills.start("payment-outage", null, ALICE);
    assertThat(started.state()).isEqualTo(DrillReport.State.RUNNING);
    // At speed 60 the ten-minute outage plays for ten seconds.
    assertThat(started.scenarioEndsAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(shop.simulator().currentScenario()).hasValueSatisfying(
        run -> assertThat(run.scenario().name()).isEqualTo("payment-outage"));

    clock.advance(Duration.ofSeconds(30));
    Incident incident = awaitIncident(() -> ratio(0.4), i -> true);
    assertThat(incident.isDrill()).isTrue();
    assertThat(await(() -> pagerDuty.received().stream().findFirst()).summary())
        .isEqualTo("[DRILL] Payment success is low");

    clock.advance(Duration.ofSeconds(60));
    rules.incidents().acknowledge(incident.id(), "alice");
    clock.advance(Duration.ofSeconds(60));
    auditLog.add(run(incident.id(), clock.instant().minusSeconds(2), clock.instant()));
    // a refused attempt carries out no step; a message sent for no incident in particular carries out the drill's
    auditLog.add(run("customer-message-delay", ActionRun.Outcome.REFUSED, String.valueOf(incident.id()),
        clock.instant().plusSeconds(1)));
    auditLog.add(run("customer-message-delay", ActionRun.Outcome.SUCCEEDED, null, clock.instant().plusSeconds(2)));
    clock.advance(Duration.ofSeconds(120));
    awaitIncident(() -> ratio(0.99), i -> !i.isOpen());

    DrillReport done = drills.check().orElseThrow();
    assertThat(done.state()).isEqualTo(DrillReport.State.FINISHED);
    assertThat(done.outcome()).isEqualTo("recovered 4m30s after the start");
    assertThat(List.of(done.timeToDetect(), done.timeToAcknowledge(), done.timeToMitigate(), done.timeToRecover()))
        .containsExactly(Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ofSeconds(90)),
            Optional.of(Duration.ofSeconds(150)), Optional.of(Duration.ofSeconds(270)));
    assertThat(done.results()).extracting(DrillReport.Result::met).containsExactly(true, false, true, true);
    assertThat(done.score()).isEqualTo(75);
    assertThat(done.incidents()).containsExactly(incident.id());
    assertThat(done.runbooks()).containsExactly("payment-gateway-outage");
    assertThat(done.steps()).containsExactly(SWITCH_STEP, TELL_STEP);
    assertThat(done.actions()).containsExactly("backup-payment-provider by alice at 2026-11-27T09:02:28Z (succeeded)",
        "customer-message-delay by alice at 2026-11-27T09:02:31Z (refused)",
        "customer-message-delay by alice at 2026-11-27T09:02:32Z (succeeded)");
    assertThat(drills.report(done.id())).contains(done);
    assertThat(drills.running()).isEmpty();

    // After the drill, incidents are real ones again.
    clock.advance(Duration.ofSeconds(30));
    Incident real = awaitIncident(() -> ratio(0.5), i -> i.id() != incident.id());
    assertThat(real.isDrill()).isFalse();
  }

  @Test
  void aDrillThatNeverOpensAnIncidentTimesOutUnscoredAndComparesWithTheRunBefore() throws Exception {
    DrillReport first = drills.start("payment-outage", 60.0, ALICE);
    clock.advance(Duration.ofSeconds(20));
    Incident incident = awaitIncident(() -> ratio(0.4), i -> true);
    rules.incidents().acknowledge(incident.id(), "alice");
    // the switch failed: the step was carried out all the same, and nothing was mitigated
    auditLog.add(run("backup-payment-provider", ActionRun.Outcome.FAILED, String.valueOf(incident.id()),
        clock.instant()));
    clock.advance(Duration.ofSeconds(1));
    awaitIncident(() -> ratio(0.99), i -> !i.isOpen());
    assertThat(drills.check().orElseThrow().state()).isEqualTo(DrillReport.State.FINISHED);

    clock.advance(Duration.ofMinutes(1));
    DrillReport second = drills.start("payment-outage", 60.0, ALICE);
    clock.advance(Duration.ofSeconds(10).plus(Duration.ofMinutes(10)));
    DrillReport timedOut = drills.check().orElseThrow();

    assertThat(timedOut.state()).isEqualTo(DrillReport.State.TIMED_OUT);
    assertThat(timedOut.outcome()).isEqualTo("no incident opened 10m after the scenario ended");
    assertThat(timedOut.score()).isZero();
    DrillComparison comparison = drills.compare(second.id()).orElseThrow();
    assertThat(comparison.rows()).extracting(DrillComparison.Row::id).containsExactly(second.id(), first.id());
    assertThat(comparison.rows().get(1)).satisfies(row -> {
      assertThat(row.detect()).isEqualTo("20s");
      assertThat(row.acknowledge()).isEqualTo("20s");
      assertThat(row.mitigate()).isEqualTo("–");
      assertThat(row.recover()).isEqualTo("21s");
      assertThat(row.score()).isEqualTo(75);
      assertThat(row.steps()).containsExactly(SWITCH_STEP);
    });
    assertThat(comparison.rows().get(0).steps()).isEmpty();
    assertThat(comparison.stepsLeftOut()).containsExactly(SWITCH_STEP);
    assertThat(comparison.stepsAdded()).isEmpty();
    assertThat(comparison.change("detect")).isEmpty();
    assertThat(comparison.scoreChange()).contains(-75);
    assertThat(drills.compare(first.id()).orElseThrow().previous()).isEmpty();
  }

  @Test
  void onlyACommanderStartsADrillAndOnlyOneRunsAtATime() {
    assertThatThrownBy(() -> drills.start("payment-outage", null, new Actor("carol", Actor.Role.RESPONDER)))
        .isInstanceOf(DrillException.class).hasMessage("only a commander starts a drill; carol is a responder");
    DrillReport running = drills.start("surge-150", null, ALICE);

    assertThatThrownBy(() -> drills.start("payment-outage", null, ALICE))
        .hasMessage("drill " + running.id() + " (surge-150) is still running: stop it first");
    DrillReport stopped = drills.stop(running.id(), ALICE);
    assertThat(stopped.state()).isEqualTo(DrillReport.State.STOPPED);
    assertThat(stopped.outcome()).isEqualTo("stopped by alice");
    assertThat(shop.simulator().currentScenario()).isEmpty();
  }

  @Test
  void anUnknownScenarioIsRefusedByTheShopAndRecordedSo() {
    assertThatThrownBy(() -> drills.start("meteor", null, ALICE))
        .isInstanceOf(DrillException.class)
        .hasMessageStartingWith("the shop at " + shop.baseUri() + "scenarios/meteor?speed=60.0 answered 404: no scenario 'meteor'");
    assertThat(drills.recent(1)).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(DrillReport.State.STOPPED);
      assertThat(d.outcome()).startsWith("the shop refused: ");
    });
    assertThat(drills.running()).isEmpty();
  }

  private Void ratio(double value) {
    store.append(List.of(new Sample(Labels.of("__name__", "payment_success_ratio"), clock.millis(), value)));
    return null;
  }

  /** Writes a sample, then waits for the newest incident to match. */
  private Incident awaitIncident(Supplier<Void> write, java.util.function.Predicate<Incident> matches) throws Exception {
    write.get();
    return await(() -> rules.incidents().recent(5).stream().filter(matches).findFirst());
  }

  private static <T> T await(Supplier<Optional<T>> probe) throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not seen within 20 s");
  }

  private static ActionRun run(String action, ActionRun.Outcome outcome, String incidentId, Instant at) {
    return new ActionRun(2, action, ActionRun.Kind.RUN, "alice", Actor.Role.COMMANDER, at, incidentId, null, null,
        Map.of(), null, false, null, null, null, outcome, null, at, null, null, null);
  }

  private static ActionRun run(long incidentId, Instant requested, Instant finished) {
    return new ActionRun(1, "backup-payment-provider", ActionRun.Kind.RUN, "alice", Actor.Role.COMMANDER, requested,
        String.valueOf(incidentId), null, null, Map.of(), null, false, null, null, null, ActionRun.Outcome.SUCCEEDED,
        null, finished, null, null, null);
  }
}
