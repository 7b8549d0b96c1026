package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.FallbackRoute;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.HttpWebhooks;
import dev.scoville.rules.notify.ReceiverStatus;
import dev.scoville.rules.notify.WebhookConfig;
import dev.scoville.shop.PagerDutySink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PagerDuty unreachable for longer than its fallback route's {@code after}: the page goes to the
 * Slack channel of the route and the timeline says so; PagerDuty back, its first success hands
 * back, it gets what it still owed, and the next incident pages through it alone. The clock is
 * moved by hand and each pass of the outbox is awaited, so nothing depends on timing.
 */
class FallbackRouteTest {
  private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");
  private static final Alert CHECKOUT = alert("CheckoutDown", "Checkout answers 503");
  private static final Alert PAYMENTS = alert("PaymentsSlow", "Payments take 4 s");

  private final MutableClock clock = new MutableClock(START);
  private PagingRig rig;
  private IncidentService incidents;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    rig = PagingRig.start();
    incidents = new IncidentService(rig.database, clock, EscalationPolicies.defaults(slackConfig()));
    outbox = throughSlack();
  }

  @AfterEach
  void stop() {
    outbox.close();
    rig.close();
  }

  @Test
  void pagesThroughSlackWhilePagerDutyFailsAndHandsBackWhenItRecovers() throws Exception {
    rig.pagerDutyDown();
    Incident checkout = incidents.open(CHECKOUT);

    outbox.sendDue();
    clock.advance(Duration.ofMinutes(1));
    outbox.sendDue();

    assertThat(rig.slack.messages()).as("not failing long enough for the fallback yet").isZero();
    assertThat(status().state()).isEqualTo(ReceiverStatus.State.FAILING);
    assertThat(status().failingSince()).isEqualTo(START);

    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    outbox.sendDue();
    outbox.sendDue();

    assertThat(rig.slack.messages()).as("the page went through the fallback").isEqualTo(1);
    assertThat(status().state()).isEqualTo(ReceiverStatus.State.FALLBACK);
    assertThat(status().fallback()).isEqualTo("slack:#war-room");
    assertThat(status().lastError()).contains("PagerDuty unreachable");
    assertThat(details(checkout)).contains("pagerduty failing since " + START + ": paging through slack:#war-room",
        "post sent to slack:#war-room");

    rig.pagerDutyBack();
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).as("PagerDuty still gets the trigger it was owed")
        .extracting(PagerDutySink.ReceivedEvent::eventAction).containsExactly("trigger");
    assertThat(status().state()).isEqualTo(ReceiverStatus.State.OK);
    assertThat(details(checkout)).anyMatch(d -> d.startsWith("pagerduty answers again"));

    Incident payments = incidents.open(PAYMENTS);
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::dedupKey)
        .containsExactly(checkout.dedupKey(), payments.dedupKey());
    assertThat(rig.slack.messages()).as("the next incident pages PagerDuty alone").isEqualTo(1);
    assertThat(details(payments)).noneMatch(d -> d.contains("slack"));

    incidents.resolve(CHECKOUT);
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "trigger", "resolve");
    assertThat(rig.slack.calls()).as("the Slack message of the fallback shows the incident resolved")
        .extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.update");
  }

  @Test
  void anIncidentAcknowledgedBeforeTheRouteIsTakenPagesNobodyThroughIt() throws Exception {
    rig.pagerDutyDown();
    Incident checkout = incidents.open(CHECKOUT);
    outbox.sendDue();
    incidents.acknowledge(checkout.id(), "alice");

    clock.advance(Duration.ofMinutes(3));
    outbox.sendDue();

    assertThat(status().state()).isEqualTo(ReceiverStatus.State.FALLBACK);
    assertThat(rig.slack.messages()).isZero();
  }

  @Test
  void aRestartNeverPagesTheFallbackTwiceForOneNotification() throws Exception {
    rig.pagerDutyDown();
    outbox.close();
    try (SigningWebhookReceiver webhook = SigningWebhookReceiver.start("s3cr3t", clock::instant)) {
      Incident checkout = incidents.open(CHECKOUT);
      OutboxSender beforeRestart = throughWebhook(webhook);
      beforeRestart.sendDue();
      clock.advance(Duration.ofMinutes(2));
      beforeRestart.sendDue();
      beforeRestart.sendDue();
      beforeRestart.close();

      // Its health is kept: the route is in force again at once, and the row it copied stays copied.
      outbox = throughWebhook(webhook);
      assertThat(status().state()).isEqualTo(ReceiverStatus.State.FALLBACK);
      assertThat(status().failingSince()).isEqualTo(START);
      outbox.sendDue();
      outbox.sendDue();

      assertThat(webhook.refused()).isEmpty();
      assertThat(webhook.accepted()).as("one page through the webhook, before the restart")
          .extracting(b -> b.getJsonObject("scoville").getString("dedupKey")).containsExactly(checkout.dedupKey());
      assertThat(webhook.accepted().get(0).getString("receiver")).isEqualTo("webhook:ops-bridge");
    }
  }

  @Test
  void aRestartKeepsTheOutageAndPagesTheNextIncidentThroughTheFallbackAtOnce() throws Exception {
    rig.pagerDutyDown();
    incidents.open(CHECKOUT);
    outbox.sendDue();
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    outbox.sendDue();
    outbox.sendDue();
    outbox.close();

    outbox = throughSlack();
    assertThat(status()).isEqualTo(new ReceiverStatus("pagerduty", ReceiverStatus.State.FALLBACK, START,
        status().lastError(), "slack:#war-room"));
    assertThat(status().lastError()).contains("PagerDuty unreachable");
    Incident payments = incidents.open(PAYMENTS);
    outbox.sendDue();
    outbox.sendDue();

    assertThat(rig.slack.messages()).as("the checkout page before the restart, the payments page after it").isEqualTo(2);
    assertThat(details(payments)).anyMatch(d -> d.startsWith("pagerduty failing since " + START));

    rig.pagerDutyBack();
    outbox.sendDue();
    assertThat(status().state()).isEqualTo(ReceiverStatus.State.OK);
    outbox.close();

    outbox = throughSlack();
    assertThat(status().state()).as("healthy again before the second restart").isEqualTo(ReceiverStatus.State.OK);
  }

  private OutboxSender throughSlack() {
    SlackConfig slackConfig = slackConfig();
    return new OutboxSender(rig.database, incidents, new HttpPagerDutyEvents(rig.pagerDutyConfig(), Duration.ofSeconds(5)),
        new SlackMessages(slackConfig, rig.database, EscalationPolicies.defaults(slackConfig), clock), null, clock,
        Duration.ZERO, 4, List.of(new FallbackRoute("pagerduty", Duration.ofMinutes(2), "slack:#war-room")));
  }

  /** No default channel: the default policy pages PagerDuty alone, Slack only hears through the route. */
  private SlackConfig slackConfig() {
    return rig.slackConfig(null);
  }

  private OutboxSender throughWebhook(SigningWebhookReceiver webhook) {
    HttpWebhooks webhooks = new HttpWebhooks(List.of(new WebhookConfig("ops-bridge", webhook.uri(), "s3cr3t")), null,
        Duration.ofSeconds(5), clock);
    return new OutboxSender(rig.database, incidents, new HttpPagerDutyEvents(rig.pagerDutyConfig(), Duration.ofSeconds(5)),
        null, webhooks, clock, Duration.ZERO, 4, List.of(new FallbackRoute("pagerduty", Duration.ofMinutes(2),
        "webhook:ops-bridge")));
  }

  private ReceiverStatus status() {
    return outbox.receivers().stream().filter(r -> r.receiver().equals("pagerduty")).findFirst().orElseThrow();
  }

  private List<String> details(Incident incident) {
    return incidents.timeline(incident.id()).stream().map(IncidentEvent::detail).toList();
  }

  private static Alert alert(String rule, String summary) {
    return new Alert(rule, Labels.of("alertname", rule, "severity", "critical"), summary, 1, START, Handling.DEFAULT);
  }
}
