package dev.scoville.contingency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.MutableClock;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActionServiceTest {
  private static final Actor ALICE = new Actor("alice", Actor.Role.RESPONDER);
  private static final Actor CAROL = new Actor("carol", Actor.Role.COMMANDER);
  private static final Actor DAVE = new Actor("dave", Actor.Role.COMMANDER);

  private final List<String> posted = new CopyOnWriteArrayList<>();
  private ShopStub shop;
  private Database database;
  private KillSwitches killSwitches;
  private ActionService service;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T03:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    shop = new ShopStub();
    database = Fixtures.database();
    ActionCatalog catalog = ActionCatalog.fromConfig(Fixtures.config(shop.url()));
    killSwitches = KillSwitches.open(database, catalog);
    service =
        new ActionService(
            catalog,
            killSwitches,
            database,
            (headline, message, incident) -> {
              posted.add(headline + " | " + message + " | " + incident);
              return "#status-updates 1732676400.0001";
            },
            clock);
  }

  @AfterEach
  void stop() {
    service.close();
    database.close();
    shop.close();
  }

  private static ActionRequest request(String action, Actor actor, Map<String, String> parameters) {
    return new ActionRequest(
        action, parameters, actor, "INC-7", "Checkout fails", null, null, false);
  }

  @Test
  void killSwitchServesItsValueAndRollbackRestoresThePreviousOne() {
    ActionRun run = service.request(request("backup-payment-provider", ALICE, Map.of()));

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(run.sent()).isEqualTo("flag payment-provider: \"primary\" → \"backup\"");
    assertThat(killSwitches.flag("payment-provider").orElseThrow().value().asText())
        .isEqualTo("backup");

    ActionRun rollback = service.rollback(run.id(), ALICE);

    assertThat(rollback.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(rollback.rollbackOf()).isEqualTo(run.id());
    assertThat(killSwitches.flag("payment-provider").orElseThrow().value().asText())
        .isEqualTo("primary");
    assertThat(service.run(run.id()).orElseThrow().rolledBackBy()).isEqualTo(rollback.id());
    assertThat(service.rollback(run.id(), ALICE).detail()).contains("already rolled back");
  }

  @Test
  void flagStatesSurviveARestart() {
    service.request(request("simplified-site", ALICE, Map.of()));

    KillSwitches reopened = KillSwitches.open(database, service.catalog());

    KillSwitches.Flag flag = reopened.flag("simplified-site").orElseThrow();
    assertThat(flag.value().booleanValue()).isTrue();
    assertThat(flag.changedBy()).isEqualTo("alice");
  }

  @Test
  void aRunThatAStoppedProcessLeftRunningIsMarkedFailedAtTheNextStart() {
    long id = database.inTransaction(c -> {
      try (var s = c.prepareStatement("INSERT INTO action_runs (action_name, run_kind, requested_by, requested_role,"
          + " requested_at, parameters, dry_run, outcome) VALUES ('scale-out-web', 'RUN', 'carol', 'COMMANDER',"
          + " TIMESTAMP WITH TIME ZONE '2026-11-27 02:59:00+00', '{}', FALSE, 'RUNNING')",
          Statement.RETURN_GENERATED_KEYS)) {
        s.executeUpdate();
        try (var keys = s.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });

    try (ActionService restarted = new ActionService(service.catalog(), killSwitches, database,
        (headline, message, incident) -> "#status-updates", clock)) {
      ActionRun run = restarted.run(id).orElseThrow();

      assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.FAILED);
      assertThat(run.detail()).startsWith("interrupted: Scoville stopped while it ran");
      assertThat(run.finishedAt()).isEqualTo(clock.instant());
    }
  }

  @Test
  void httpActionSendsTheRenderedRequestWithItsSecrets() {
    ActionRun run =
        service.request(
            new ActionRequest(
                "purge-cdn",
                Map.of(),
                ALICE,
                "INC-7",
                "Images \"missing\"",
                "CDN serves 404s",
                null,
                false));

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(run.detail()).isEqualTo("127.0.0.1 answered 200 OK");
    assertThat(shop.received).hasSize(1);
    ShopStub.Received got = shop.received.get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.path()).isEqualTo("/cdn/purge?reason=CDN%20serves%20404s&api_key=cdn-k3y");
    assertThat(got.header("Authorization")).isEqualTo("Bearer s3cret-token");
    assertThat(got.header("X-Incident")).isEqualTo("INC-7");
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    assertThat(got.body())
        .isEqualTo("{\"paths\":[\"/static/*\"],\"note\":\"Images \\\"missing\\\" (alice)\"}");
    assertThat(run.sent())
        .doesNotContain("s3cret-token")
        .doesNotContain("cdn-k3y")
        .contains("api_key=••••••");
    assertThat(run.answer()).isEqualTo("HTTP 200 OK\n{\"ok\":true}");
  }

  @Test
  void httpRollbackSendsTheRollbackCall() {
    ActionRun run = service.request(request("purge-cdn", ALICE, Map.of("region", "us east")));

    ActionRun rollback = service.rollback(run.id(), ALICE);

    assertThat(rollback.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(shop.received.get(1).method()).isEqualTo("DELETE");
    assertThat(shop.received.get(1).path()).isEqualTo("/cdn/purge/us%20east");
  }

  @Test
  void scaleOutSendsTheCountAsANumberOnceASecondCommanderApproves() {
    ActionRun run = service.request(request("scale-out-web", CAROL, Map.of("count", "12")));

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.AWAITING_APPROVAL);
    assertThat(run.sent()).contains("\"replicas\":12");
    assertThat(shop.received).isEmpty();

    ActionRun approved = service.approve(run.id(), DAVE);

    assertThat(approved.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(approved.approvedBy()).isEqualTo("dave");
    assertThat(shop.received).hasSize(1);
    assertThat(shop.received.get(0).body()).isEqualTo("{\"service\":\"web\",\"replicas\":12}");
  }

  @Test
  void highRiskActionWaitsForASecondCommanderNotTheRequesterNorAResponder() {
    ActionRun run = service.request(request("scale-out-web", CAROL, Map.of()));

    ActionRun own = service.approve(run.id(), CAROL);
    ActionRun byResponder = service.approve(run.id(), new Actor("bob", Actor.Role.RESPONDER));

    assertThat(own.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
    assertThat(own.detail())
        .isEqualTo("refused: carol cannot approve their own request; another commander must");
    assertThat(own.approvalOf()).isEqualTo(run.id());
    assertThat(byResponder.detail())
        .isEqualTo("refused: role responder cannot approve; a commander must");
    assertThat(service.run(run.id()).orElseThrow().outcome())
        .isEqualTo(ActionRun.Outcome.AWAITING_APPROVAL);
    assertThat(shop.received).isEmpty();
  }

  @Test
  void responderIsRefusedAHighRiskAction() {
    ActionRun run = service.request(request("scale-out-web", ALICE, Map.of()));

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
    assertThat(run.detail())
        .isEqualTo(
            "refused: role responder cannot run high-risk action scale-out-web (it needs"
                + " commander)");
    assertThat(shop.received).isEmpty();
  }

  @Test
  void dryRunShowsWhatWouldBeSentAndSendsNothing() {
    ActionRun http = service.request(request("purge-cdn", ALICE, Map.of()).asDryRun());
    ActionRun flag = service.request(request("simplified-site", ALICE, Map.of()).asDryRun());
    ActionRun message =
        service.request(
            request("customer-message-delay", ALICE, Map.of("cause", "snow")).asDryRun());

    assertThat(http.outcome()).isEqualTo(ActionRun.Outcome.DRY_RUN);
    assertThat(http.sent())
        .startsWith("POST " + shop.url() + "/cdn/purge?reason=&api_key=••••••\n")
        .contains("Authorization: ••••••")
        .contains("X-Incident: INC-7")
        .endsWith("{\"paths\":[\"/static/*\"],\"note\":\"Checkout fails (alice)\"}");
    assertThat(flag.sent()).isEqualTo("flag simplified-site: false → true");
    assertThat(message.sent()).contains("orders placed today ship within 3 days");
    assertThat(shop.received).isEmpty();
    assertThat(posted).isEmpty();
    assertThat(killSwitches.flag("simplified-site").orElseThrow().switched()).isFalse();
    assertThat(service.statusPageDrafts()).isEmpty();
  }

  @Test
  void dryRunSaysWhenARealRunWouldBeRefused() {
    ActionRun run = service.request(request("scale-out-web", ALICE, Map.of()).asDryRun());

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.DRY_RUN);
    assertThat(run.detail()).contains("a real run would be refused: role responder cannot run");
  }

  @Test
  void customerMessageIsPostedAndDraftedForTheStatusPage() {
    ActionRun run =
        service.request(
            request("customer-message-delay", ALICE, Map.of("cause", "the snow storm")));

    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(posted)
        .containsExactly(
            "Orders ship a little later | Because of the snow storm, orders"
                + " placed today ship within 3 days. | INC-7");
    assertThat(service.statusPageDrafts())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.runId()).isEqualTo(run.id());
              assertThat(d.headline()).isEqualTo("Orders ship a little later");
            });
    assertThat(run.answer()).startsWith("posted: #status-updates");
    assertThat(service.rollback(run.id(), ALICE).detail())
        .contains("a sent message cannot be taken back");
  }

  @Test
  void failedCallsSayWhyInPlainWords() {
    shop.status = 503;
    shop.answer = "maintenance";
    ActionRun unavailable = service.request(request("purge-cdn", ALICE, Map.of()));
    shop.status = 200;
    shop.delayMillis = 2000;
    ActionRun slow = service.request(request("purge-cdn", ALICE, Map.of()));

    assertThat(unavailable.outcome()).isEqualTo(ActionRun.Outcome.FAILED);
    assertThat(unavailable.detail()).isEqualTo("127.0.0.1 answered 503 Service Unavailable");
    assertThat(unavailable.answer()).isEqualTo("HTTP 503 Service Unavailable\nmaintenance");
    assertThat(slow.outcome()).isEqualTo(ActionRun.Outcome.FAILED);
    assertThat(slow.detail()).isEqualTo("timed out after 1 s waiting for 127.0.0.1");
  }

  @Test
  void missingParametersAndMissingReasonsAreRefused() {
    ActionRun noCause = service.request(request("customer-message-delay", ALICE, Map.of()));
    ActionRun tooMany = service.request(request("scale-out-web", CAROL, Map.of("count", "200")));
    ActionRun noWhy =
        service.request(
            new ActionRequest(
                "recommendations-off", Map.of(), ALICE, null, null, " ", null, false));

    assertThat(noCause.detail()).isEqualTo("refused: parameter cause is required");
    assertThat(tooMany.detail()).isEqualTo("refused: count 200 is outside 1..20 for scale-out-web");
    assertThat(noWhy.detail()).isEqualTo("refused: say why: give the incident or a reason");
  }

  @Test
  void cooldownRefusesARunTooSoonAfterTheLast() {
    ActionRun first = service.request(request("backup-payment-provider", ALICE, Map.of()));
    service.rollback(first.id(), ALICE);
    clock.advance(Duration.ofMinutes(3));

    ActionRun again = service.request(request("backup-payment-provider", ALICE, Map.of()));

    assertThat(again.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
    assertThat(again.detail())
        .isEqualTo(
            "refused: backup-payment-provider last ran at 2026-11-27T03:00:00Z;"
                + " its cooldown of 10m lasts until 2026-11-27T03:10:00Z");
    clock.advance(Duration.ofMinutes(8));
    assertThat(service.request(request("backup-payment-provider", ALICE, Map.of())).outcome())
        .isEqualTo(ActionRun.Outcome.SUCCEEDED);
  }

  @Test
  void theSameIdempotencyKeyReturnsTheFirstRunAndNeverRunsTwice() {
    ActionRequest click =
        new ActionRequest("purge-cdn", Map.of(), ALICE, "INC-7", null, null, "click-1", false);

    ActionRun first = service.request(click);
    ActionRun second = service.request(click);

    assertThat(second).isEqualTo(first);
    assertThat(shop.received).hasSize(1);
  }

  @Test
  void automaticActionsRunOncePerIncidentAsScovilleAndOnlyWhenLowRisk() {
    ActionRun auto = service.runAutomatic("recommendations-off", "INC-9", "rule TrafficSurge");
    ActionRun repeat = service.runAutomatic("recommendations-off", "INC-9", "rule TrafficSurge");
    ActionRun risky = service.runAutomatic("simplified-site", "INC-9", "rule TrafficSurge");

    assertThat(auto.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);
    assertThat(auto.requestedBy()).isEqualTo("scoville");
    assertThat(repeat.id()).isEqualTo(auto.id());
    assertThat(risky.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
    assertThat(risky.detail())
        .isEqualTo(
            "refused: only low-risk actions run automatically; simplified-site is medium-risk");
  }

  @Test
  void everyAttemptIsInTheAuditLogRefusedOnesToo() {
    ActionRun refused = service.request(request("scale-out-web", ALICE, Map.of()));
    ActionRun unknown = service.request(request("reboot-everything", CAROL, Map.of()));
    ActionRun dry = service.request(request("simplified-site", ALICE, Map.of()).asDryRun());
    ActionRun ran = service.request(request("simplified-site", ALICE, Map.of()));
    ActionRun rolledBack = service.rollback(ran.id(), ALICE);

    List<ActionRun> log = service.auditLog(100);

    assertThat(log)
        .extracting(ActionRun::id)
        .containsExactly(rolledBack.id(), ran.id(), dry.id(), unknown.id(), refused.id());
    assertThat(log)
        .extracting(ActionRun::outcome)
        .containsExactly(
            ActionRun.Outcome.SUCCEEDED,
            ActionRun.Outcome.SUCCEEDED,
            ActionRun.Outcome.DRY_RUN,
            ActionRun.Outcome.REFUSED,
            ActionRun.Outcome.REFUSED);
    assertThat(unknown.detail()).isEqualTo("refused: there is no action named reboot-everything");
    ActionRun stored = log.get(1);
    assertThat(stored.requestedBy()).isEqualTo("alice");
    assertThat(stored.incidentId()).isEqualTo("INC-7");
    assertThat(stored.sent()).isEqualTo("flag simplified-site: false → true");
    assertThat(stored.answer()).isEqualTo("flag simplified-site now serves true");
    assertThat(stored.rolledBackBy()).isEqualTo(rolledBack.id());
    assertThat(stored.finishedAt()).isNotNull();
  }
}
