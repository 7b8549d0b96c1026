package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A policy's group_wait holds a new incident's notifications back; its repeat_interval reminds. */
class GroupWaitAndRemindersTest {
  private static final String CONFIG = """
      escalation:
        - name: payments
          group_wait: 30s
          repeat_interval: 1h
          levels:
            - notify: pagerduty
            - notify: slack
      """;
  private static final Instant ACTIVE_SINCE = Instant.parse("2026-11-27T09:00:00Z");
  private static final Handling PAYMENTS = new Handling("payments", null, List.of());
  private static final Alert ALERT = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "provider", "acme-pay"), "Payment success rate is 0.62", 0.62,
      ACTIVE_SINCE, PAYMENTS);
  private static final Alert CHECKOUT = new Alert("CheckoutSlow", Labels.of("alertname", "CheckoutSlow"),
      "Checkout is slow", 2.5, ACTIVE_SINCE);
  private static final Alert FLAPPING = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "provider", "other-pay"), "Payment success rate is 0.89", 0.89,
      ACTIVE_SINCE, PAYMENTS);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:01:00.250Z"));
  private final ConfigFile config = ConfigFile.parse("scoville.yaml", CONFIG, name -> null);
  private PagingRig rig;
  private PagerDutyConfig pagerDutyConfig;
  private SlackConfig slackConfig;
  private SlackMessages slack;
  private IncidentService incidents;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    rig = PagingRig.start();
    pagerDutyConfig = rig.pagerDutyConfig();
    slackConfig = rig.slackConfig("#war-room", URI.create("http://console.test/"));
    restart();
  }

  /** A new process over the same database: reminders are timed from the table alone. */
  private void restart() {
    if (slack != null) {
      slack.close();
    }
    EscalationPolicies escalation = EscalationPolicies.of(config,
        Arrays.asList(config.section("escalation", EscalationPolicy[].class, null)), pagerDutyConfig, slackConfig);
    slack = new SlackMessages(slackConfig, rig.database, escalation, clock);
    incidents = new IncidentService(rig.database, clock, escalation);
    outbox = new OutboxSender(rig.database, incidents, new HttpPagerDutyEvents(pagerDutyConfig, Duration.ofSeconds(10)), slack, clock, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    slack.close();
    rig.close();
  }

  @Test
  void notifiesNobodyUntilTheGroupWaitIsOverAndNobodyAtAllForAnIncidentResolvedWithinIt() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).isEmpty();
    assertThat(rig.slack.calls()).isEmpty();
    assertThat(outboxRows()).isZero();
    assertThat(incidents.timeline(incident.id())).extracting(e -> e.kind() + ": " + e.detail())
        .contains("waiting: group_wait 30s: notifications from 2026-11-27T09:01:30.250Z");

    Incident flapping = incidents.open(FLAPPING);
    clock.advance(Duration.ofSeconds(30).minusMillis(1));
    incidents.resolve(FLAPPING);
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).isEmpty();

    clock.advance(Duration.ofMillis(1));
    outbox.sendDue();
    clock.advance(Duration.ofMinutes(10));
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).singleElement().satisfies(event -> {
      assertThat(event.eventAction()).isEqualTo("trigger");
      assertThat(event.dedupKey()).isEqualTo(incident.dedupKey());
    });
    assertThat(rig.slack.calls()).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("chat.postMessage");
      assertThat(call.param("text")).contains("Payment success rate is 0.62");
    });
    assertThat(incidents.timeline(flapping.id())).extracting(IncidentEvent::kind)
        .containsExactly("triggered", "waiting", "resolved");
  }

  @Test
  void remindsEveryReceiverReachedEveryFourHoursByDefaultUntilAcknowledged() {
    Incident incident = incidents.open(CHECKOUT);
    outbox.sendDue();
    String ts = postedTs(incident.id());

    restart();
    clock.advance(Duration.ofHours(4).minusMillis(1));
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).hasSize(1);

    clock.advance(Duration.ofMillis(1));
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).extracting(e -> e.eventAction() + " " + e.dedupKey())
        .containsExactly("trigger " + incident.dedupKey(), "trigger " + incident.dedupKey());
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method)
        .containsExactly("chat.postMessage", "chat.postMessage");
    SlackApiFake.Call reminder = rig.slack.calls().get(1);
    assertThat(reminder.param("thread_ts")).isEqualTo(ts);
    assertThat(reminder.param("channel")).isEqualTo(SlackApiFake.CHANNEL_ID);
    assertThat(reminder.param("text")).isEqualTo("Still firing and unacknowledged after 4h"
        + " · <http://console.test/incidents/" + incident.id() + "|Incident " + incident.id() + " in Scoville>");
    assertThat(incidents.timeline(incident.id())).extracting(e -> e.kind() + ": " + e.detail())
        .contains("reminded: unacknowledged for 4h: reminding pagerduty, slack:#war-room",
            "notified: remind sent to slack:#war-room");

    clock.advance(Duration.ofHours(4));
    outbox.sendDue();
    incidents.acknowledge(incident.id(), "alice");
    clock.advance(Duration.ofHours(12));
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "trigger", "trigger", "acknowledge");
    assertThat(rig.slack.calls()).extracting(c -> c.method() + " " + c.param("thread_ts"))
        .containsExactly("chat.postMessage null", "chat.postMessage " + ts, "chat.postMessage " + ts,
            "chat.update null");
  }

  @Test
  void remindsAfterThePolicysRepeatIntervalAndDropsAReminderStillWaitingWhenAcknowledged() {
    Incident incident = incidents.open(ALERT);
    clock.advance(Duration.ofSeconds(30));
    outbox.sendDue();

    clock.advance(Duration.ofHours(1));
    rig.slack.answerNext(429, "30", "{\"ok\":false,\"error\":\"ratelimited\"}");
    outbox.sendDue();
    incidents.acknowledge(incident.id(), "alice");
    clock.advance(Duration.ofMinutes(1));
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "trigger", "acknowledge");
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method)
        .containsExactly("chat.postMessage", "chat.postMessage", "chat.update");
    assertThat(OutboxRows.of(rig.database, incident.id(), "slack")).containsExactly("post SENT", "remind SUPERSEDED", "update SENT");
  }

  @Test
  void remindsNobodyWhileMutedAndAgainARepeatIntervalAfterTheUnmute() {
    SilenceService silences = new SilenceService(rig.database, incidents, clock);
    Incident incident = incidents.open(CHECKOUT);
    outbox.sendDue();
    clock.advance(Duration.ofHours(1));
    Silence silence = silences.create(List.of(new Silence.Matcher("alertname", "CheckoutSlow", false, true)),
        clock.instant(), clock.instant().plus(Duration.ofHours(5)), "alice", "deploying the fix");

    clock.advance(Duration.ofHours(3));
    outbox.sendDue();
    silences.expire(silence.id(), "alice");
    clock.advance(Duration.ofHours(4).minusMillis(1));
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).hasSize(1);

    clock.advance(Duration.ofMillis(1));
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).extracting(e -> e.eventAction() + " " + e.dedupKey())
        .containsExactly("trigger " + incident.dedupKey(), "trigger " + incident.dedupKey());
  }

  /** The ts Slack answered the incident's message with. */
  private String postedTs(long incidentId) {
    return rig.database.inTransaction(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT ts FROM slack_message WHERE incident_id = " + incidentId)) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  private long outboxRows() {
    return rig.database.inTransaction(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
