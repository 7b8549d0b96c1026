package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.FallbackRoute;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scoville's alerts on itself open ordinary incidents that page like any other: PagerDuty down,
 * the alert on it pages through the fallback route to Slack; PagerDuty back, it resolves. The
 * clock is moved by hand and each check is awaited.
 */
class SelfHealthAlertsTest {
  private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");
  private static final Alert CHECKOUT = new Alert("CheckoutDown",
      Labels.of("alertname", "CheckoutDown", "severity", "critical"), "Checkout answers 503", 1, START, Handling.DEFAULT);

  private final MutableClock clock = new MutableClock(START);
  private final List<String> ruleProblems = new CopyOnWriteArrayList<>();
  private PagingRig rig;
  private IncidentService incidents;
  private OutboxSender outbox;
  private SelfHealthAlerts selfHealth;

  @BeforeEach
  void start() throws Exception {
    rig = PagingRig.start();
    SlackConfig slackConfig = rig.slackConfig(null);
    EscalationPolicies escalation = EscalationPolicies.defaults(slackConfig);
    incidents = new IncidentService(rig.database, clock, escalation);
    outbox = new OutboxSender(rig.database, incidents, new HttpPagerDutyEvents(rig.pagerDutyConfig(), Duration.ofSeconds(5)),
        new SlackMessages(slackConfig, rig.database, escalation, clock), null, clock, Duration.ZERO, 4,
        List.of(new FallbackRoute("pagerduty", Duration.ofMinutes(2), "slack:#war-room")));
    selfHealth = new SelfHealthAlerts(incidents, clock, outbox::receivers, outbox::oldestPending, () -> ruleProblems);
  }

  @AfterEach
  void stop() {
    outbox.close();
    rig.close();
  }

  @Test
  void aFailingPagerDutyPagesThroughTheFallbackAndResolvesWhenItIsBack() throws Exception {
    rig.pagerDutyDown();
    incidents.open(CHECKOUT);
    outbox.sendDue();
    selfHealth.check();
    assertThat(open(SelfHealthAlerts.RECEIVER_FAILING)).as("failing for less than 2 minutes").isEmpty();

    clock.advance(Duration.ofMinutes(2));
    outbox.sendDue();
    selfHealth.check();
    outbox.sendDue();

    Incident alert = open(SelfHealthAlerts.RECEIVER_FAILING).orElseThrow();
    assertThat(alert.labels()).contains("receiver=\"pagerduty\"");
    assertThat(alert.summary()).startsWith("pagerduty failing since " + START + ": paging through slack:#war-room");
    assertThat(rig.slack.calls()).as("the checkout incident and the alert on PagerDuty, both through Slack")
        .extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.postMessage");
    assertThat(incidents.timeline(alert.id())).extracting(IncidentEvent::detail)
        .contains("pagerduty failing since " + START + ": paging through slack:#war-room");
    assertThat(open(SelfHealthAlerts.OUTBOX_NOT_DRAINING)).isEmpty();

    clock.advance(SelfHealthAlerts.OUTBOX_OLDEST_PENDING);
    selfHealth.check();
    assertThat(open(SelfHealthAlerts.OUTBOX_NOT_DRAINING).map(Incident::summary))
        .contains("A notification has waited in the outbox since " + START);

    rig.pagerDutyBack();
    outbox.sendDue();
    outbox.sendDue();
    selfHealth.check();

    assertThat(open(SelfHealthAlerts.RECEIVER_FAILING)).isEmpty();
    assertThat(open(SelfHealthAlerts.OUTBOX_NOT_DRAINING)).isEmpty();
    assertThat(incidents.timeline(alert.id())).extracting(IncidentEvent::detail)
        .contains("pagerduty takes notifications again");
  }

  @Test
  void aRuleThatFailedToLoadOpensAnIncidentUntilTheRulesLoad() {
    ruleProblems.add("rules/shop.yml:12: rule CheckoutSlow: unknown function ratee");
    selfHealth.check();

    assertThat(open(SelfHealthAlerts.RULES_NOT_LOADED).map(Incident::summary))
        .contains("1 rule problem(s): rules/shop.yml:12: rule CheckoutSlow: unknown function ratee");
    assertThat(OutboxRows.of(rig.database, open(SelfHealthAlerts.RULES_NOT_LOADED).orElseThrow().id(), "pagerduty"))
        .as("it pages as any incident").containsExactly("trigger PENDING");

    ruleProblems.clear();
    selfHealth.check();

    assertThat(open(SelfHealthAlerts.RULES_NOT_LOADED)).isEmpty();
  }

  @Test
  void anAlertOpenBeforeARestartResolvesOnceItsReceiverIsHealthy() {
    incidents.open(new Alert(SelfHealthAlerts.RECEIVER_FAILING, Labels.of("alertname", SelfHealthAlerts.RECEIVER_FAILING,
        "receiver", "pagerduty", "severity", "critical"), "pagerduty failing", Double.NaN, START, Handling.DEFAULT));

    selfHealth.check();

    assertThat(open(SelfHealthAlerts.RECEIVER_FAILING)).isEmpty();
  }

  private Optional<Incident> open(String rule) {
    return incidents.recent(50).stream().filter(i -> i.rule().equals(rule) && i.isOpen()).findFirst();
  }
}
