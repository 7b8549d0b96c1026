package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionCatalog;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.ActionService;
import dev.scoville.contingency.KillSwitches;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.rules.Incident;
import dev.scoville.runbooks.Runbook;
import dev.scoville.runbooks.RunbookLibrary;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleActionsTest {
  private static final String CATALOG = """
      actions:
        - name: backup-payment-provider
          title: Switch to the backup payment provider
          kind: kill_switch
          flag: payment-provider
          value: backup
          off: primary
          risk: medium
          role: commander
          cooldown: 10m
        - name: customer-message-delay
          title: Tell customers orders ship late
          kind: customer_message
          headline: Orders ship later
          message: "Because of {{params.cause}}."
          parameters:
            - name: cause
              required: true
          risk: low
        - name: maintenance-page
          title: Show the maintenance page
          kind: kill_switch
          flag: maintenance
          value: true
          risk: high
      """;
  private static final Users.Person ALICE = new Users.Person("alice", "commander");
  private static final Users.Person BOB = new Users.Person("bob", "commander");
  private static final Users.Person RITA = new Users.Person("rita", "responder");
  private static final Incident INCIDENT = incident("PaymentSuccessLow", null, List.of());

  private final AtomicInteger feedChanges = new AtomicInteger();
  private Database database;
  private ActionService service;
  private KillSwitches killSwitches;
  private ConsoleActions actions;

  @BeforeEach
  void open() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    ActionCatalog catalog = ActionCatalog.fromConfig(ConfigFile.parse("test.yaml", CATALOG, Map.of()));
    killSwitches = KillSwitches.open(database, catalog);
    service = new ActionService(catalog, killSwitches, database, (h, m, i) -> "test", Clock.systemUTC());
    ConsoleFeed feed = new ConsoleFeed();
    feed.subscribe(feedChanges::incrementAndGet);
    actions = new ConsoleActions(service, killSwitches, RunbookLibrary.defaults(), feed);
  }

  private static Incident incident(String rule, String runbook, List<String> suggested) {
    return new Incident(7, "scoville-" + rule + "-1", rule, "{}", "Payment success rate is 0.8",
        Incident.Severity.CRITICAL, Incident.State.TRIGGERED, Instant.now(), null, null, null, null, 0, runbook,
        suggested);
  }

  @AfterEach
  void close() {
    service.close();
    database.close();
  }

  @Test
  void anActionCarriesOutTheStepsOfTheIncidentsRunbooksThatLinkIt() {
    Incident checkout = incident("CheckoutLatencyHigh", "checkout-latency", List.of());

    assertThat(actions.stepsCarriedOut(INCIDENT, "backup-payment-provider"))
        .containsExactly("Payment gateway outage › 2. Switch to the backup provider");
    // the customer-communication runbook is shown beside payment incidents too: its step counts as well
    assertThat(actions.stepsCarriedOut(INCIDENT, "customer-message-delay"))
        .containsExactly("Payment gateway outage › 3. Tell customers", "Customer-facing communication › Post");
    assertThat(actions.stepsCarriedOut(INCIDENT, "maintenance-page")).isEmpty();
    assertThat(actions.stepsCarriedOut(checkout, "recommendations-off")).containsExactly(
        "Checkout latency › 2. Shed optional work");
  }

  @Test
  void suggestsTheActionsOfEveryRunbookNamingTheRuleThatTheCatalogHas() {
    ConsoleActions.Guide guide = actions.guide(INCIDENT);

    assertThat(guide.runbooks()).extracting(Runbook::title)
        .containsExactly("Payment gateway outage", "Customer-facing communication");
    assertThat(guide.actions()).extracting(Action::name)
        .containsExactly("backup-payment-provider", "customer-message-delay");
    assertThat(guide.runbookUrl()).isEmpty();
    assertThat(actions.guide(incident("NoSuchRule", null, List.of())).runbooks()).isEmpty();
  }

  @Test
  void putsTheRulesOwnRunbookAndActionsFirst() {
    ConsoleActions.Guide guide = actions.guide(incident("PaymentSuccessLow", "customer-communication",
        List.of("maintenance-page", "customer-message-delay", "not-in-the-catalog")));

    assertThat(guide.runbooks()).extracting(Runbook::title)
        .containsExactly("Customer-facing communication", "Payment gateway outage");
    assertThat(guide.actions()).extracting(Action::name)
        .containsExactly("maintenance-page", "customer-message-delay", "backup-payment-provider");
  }

  @Test
  void linksARunbookKeptElsewhere() {
    ConsoleActions.Guide guide = actions.guide(incident("CheckoutLatencyHigh", "https://wiki.example/checkout", List.of()));

    assertThat(guide.runbookUrl()).contains("https://wiki.example/checkout");
    assertThat(guide.runbooks()).extracting(Runbook::title).containsExactly("Checkout latency");
  }

  @Test
  void findsARunbookByItsFileName() {
    assertThat(actions.runbook("payment-gateway-outage")).map(Runbook::title).contains("Payment gateway outage");
    assertThat(actions.runbook("payment-gateway")).isEmpty();
  }

  @Test
  void previewShowsTheFlagChangeAndChangesNothing() {
    ActionRun preview = actions.preview("backup-payment-provider", Map.of(), INCIDENT, ALICE);

    assertThat(preview.outcome()).isEqualTo(ActionRun.Outcome.DRY_RUN);
    assertThat(preview.sent()).isEqualTo("flag payment-provider: \"primary\" → \"backup\"");
    assertThat(killSwitches.flag("payment-provider").orElseThrow().value().asText()).isEqualTo("primary");
    assertThat(actions.forIncident(7)).isEmpty();
    assertThat(feedChanges).hasValue(0);
  }

  @Test
  void oneConfirmationRunsOnceAndItsRollbackRestoresTheFlag() {
    ActionRun run = actions.run("backup-payment-provider", Map.of(), INCIDENT, ALICE, "click-1");
    ActionRun again = actions.run("backup-payment-provider", Map.of(), INCIDENT, ALICE, "click-1");

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(again.id()).isEqualTo(run.id());
    assertThat(run.incidentId()).isEqualTo("7");
    assertThat(run.incidentTitle()).isEqualTo("PaymentSuccessLow: Payment success rate is 0.8");
    assertThat(killSwitches.flag("payment-provider").orElseThrow().value().asText()).isEqualTo("backup");
    assertThat(actions.canRollBack(run)).isTrue();

    ActionRun rollback = actions.rollback(run.id(), BOB);

    assertThat(rollback.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(killSwitches.flag("payment-provider").orElseThrow().value().asText()).isEqualTo("primary");
    assertThat(actions.canRollBack(actions.find(run.id()).orElseThrow())).isFalse();
    assertThat(actions.canRollBack(rollback)).isFalse();
    assertThat(actions.forIncident(7)).extracting(ActionRun::id).containsExactly(rollback.id(), run.id());
    assertThat(feedChanges.get()).isPositive();
  }

  @Test
  void aResponderIsRefusedACommandersActionAndTheRefusalIsKept() {
    ActionRun run = actions.run("backup-payment-provider", Map.of(), INCIDENT, RITA, "click-2");

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
    assertThat(run.detail()).contains("responder");
    assertThat(killSwitches.flag("payment-provider").orElseThrow().switched()).isFalse();
    assertThat(actions.forIncident(7)).extracting(ActionRun::id).containsExactly(run.id());
  }

  @Test
  void blankParametersCountAsNotGiven() {
    ActionRun refused = actions.run("customer-message-delay", Map.of("cause", "  "), INCIDENT, RITA, "click-3");
    ActionRun posted = actions.run("customer-message-delay", Map.of("cause", " a carrier strike "), INCIDENT, RITA,
        "click-4");

    assertThat(refused.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
    assertThat(refused.detail()).contains("cause");
    assertThat(posted.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(posted.parameters()).containsEntry("cause", "a carrier strike");
    assertThat(actions.canRollBack(posted)).isFalse();
  }

  @Test
  void aHighRiskRunWaitsUntilAnotherCommanderApproves() {
    ActionRun asked = actions.run("maintenance-page", Map.of(), INCIDENT, ALICE, "click-5");

    assertThat(asked.outcome()).isEqualTo(ActionRun.Outcome.AWAITING_APPROVAL);
    assertThat(actions.awaitingApproval()).extracting(ActionRun::id).containsExactly(asked.id());
    assertThat(actions.approve(asked.id(), ALICE).outcome()).isEqualTo(ActionRun.Outcome.REFUSED);

    ActionRun approved = actions.approve(asked.id(), BOB);

    assertThat(approved.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(approved.approvedBy()).isEqualTo("bob");
    assertThat(actions.awaitingApproval()).isEmpty();
    assertThat(killSwitches.flag("maintenance").orElseThrow().switched()).isTrue();
  }

  @Test
  void remindsOfAKillSwitchLeftSwitchedAfterItsIncidentResolved() {
    ActionRun run = actions.run("backup-payment-provider", Map.of(), INCIDENT, ALICE, "switch-once");
    assertThat(actions.decisions(id -> id.equals("7")).reminders()).as("while its incident is open").isEmpty();

    assertThat(actions.decisions(id -> false).reminders()).singleElement().satisfies(reminder -> {
      assertThat(reminder.flag()).isEqualTo("payment-provider");
      assertThat(reminder.runId()).isEqualTo(run.id());
      assertThat(reminder.switchedBy()).isEqualTo("alice");
      assertThat(reminder.incidentId()).isEqualTo("7");
    });
    assertThat(actions.inEffect(service.catalog().find("backup-payment-provider").orElseThrow())).isTrue();
    assertThat(actions.rollbackPreview(run))
        .isEqualTo("Kill switch 'payment-provider' goes back to \"primary\" (it serves \"backup\" now)."
            + " The shop reads it within seconds.");

    actions.rollback(run.id(), ALICE);
    assertThat(actions.decisions(id -> false).reminders()).as("rolled back").isEmpty();
    assertThat(actions.inEffect(service.catalog().find("backup-payment-provider").orElseThrow())).isFalse();
  }
}
