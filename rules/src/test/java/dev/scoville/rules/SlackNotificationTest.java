package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.shop.PagerDutySink;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack messages through the outbox, against the local fake of Slack's Web API. */
class SlackNotificationTest {
  private static final String TOKEN = "xoxb-1234-5678-secret";
  private static final Alert ALERT = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "severity", "critical"),
      "Payment success rate is 0.62", 0.62, Instant.parse("2026-11-27T09:00:00Z"),
      new Handling(null, "payments-down", List.of("disable-express-checkout")));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:01:00.250Z"));
  private PagingRig rig;
  private SlackMessages slack;
  private IncidentService incidents;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    rig = PagingRig.start();
    SlackConfig config = new SlackConfig(rig.slack.methodsUrl(), TOKEN, "signing-secret", "#war-room",
        URI.create("http://console.test/"));
    EscalationPolicies escalation = EscalationPolicies.defaults(config);
    slack = new SlackMessages(config, rig.database, escalation, clock);
    incidents = new IncidentService(rig.database, clock, escalation);
    outbox = new OutboxSender(rig.database, incidents, new HttpPagerDutyEvents(rig.pagerDutyConfig(), Duration.ofSeconds(10)), slack, clock, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    slack.close();
    rig.close();
  }

  @Test
  void postsOneBlockKitMessageOnTriggerAndEditsItOnAcknowledgeAndResolve() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    incidents.acknowledge(incident.id(), "alice");
    outbox.sendDue();
    incidents.resolve(ALERT);
    outbox.sendDue();

    List<SlackApiFake.Call> calls = rig.slack.calls();
    assertThat(calls).extracting(SlackApiFake.Call::method)
        .containsExactly("chat.postMessage", "chat.update", "chat.update");
    assertThat(calls).extracting(SlackApiFake.Call::authorization).containsOnly("Bearer " + TOKEN);
    SlackApiFake.Call post = calls.get(0);
    assertThat(post.param("channel")).isEqualTo("#war-room");
    assertThat(post.param("text")).contains("[CRITICAL] PaymentSuccessLow", "Payment success rate is 0.62");
    JsonNode blocks = post.blocks();
    assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
    assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo("[CRITICAL] PaymentSuccessLow");
    assertThat(blocks.toString()).contains("Payment success rate is 0.62", "Triggered", "alertname",
        "http://console.test/incidents/" + incident.id(), "http://console.test/runbooks/payments-down",
        "http://console.test/incidents/" + incident.id() + "?action=disable-express-checkout");
    assertThat(post.actionIds()).containsExactly("acknowledge:" + incident.id(), "open_runbook:" + incident.id(),
        "run_action:" + incident.id());

    SlackApiFake.Call acknowledged = calls.get(1);
    assertThat(acknowledged.param("channel")).isEqualTo(SlackApiFake.CHANNEL_ID);
    assertThat(acknowledged.param("ts")).isEqualTo("1764234000.000001");
    assertThat(acknowledged.blocks().toString()).contains("Acknowledged by alice");
    assertThat(acknowledged.actionIds()).doesNotContain("acknowledge:" + incident.id());
    SlackApiFake.Call resolved = calls.get(2);
    assertThat(resolved.param("ts")).isEqualTo("1764234000.000001");
    assertThat(resolved.blocks().toString()).contains("Resolved");
    assertThat(resolved.actionIds()).containsExactly("open_runbook:" + incident.id());

    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "acknowledge", "resolve");
  }

  @Test
  void editsOnceForChangesThatWaitedTogether() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    incidents.acknowledge(incident.id(), "alice");
    incidents.resolve(ALERT);
    outbox.sendDue();

    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.update");
    assertThat(rig.slack.calls().get(1).blocks().toString()).contains("Resolved");
    assertThat(OutboxRows.of(rig.database, incident.id(), "slack")).containsExactly("post SENT", "update SUPERSEDED", "update SENT");
  }

  @Test
  void waitsAsLongAsRetryAfterSaysWhenSlackThrottles() {
    rig.slack.answerNext(429, "30", "{\"ok\":false,\"error\":\"ratelimited\"}");
    Incident incident = incidents.open(ALERT);

    outbox.sendDue();
    clock.advance(Duration.ofSeconds(29));
    outbox.sendDue();
    assertThat(rig.slack.calls()).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    outbox.sendDue();
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.postMessage");
    assertThat(OutboxRows.of(rig.database, incident.id(), "slack")).containsExactly("post SENT");
  }

  @Test
  void retriesAfterAServerError() {
    rig.slack.answerNext(503, null, "upstream unavailable");
    Incident incident = incidents.open(ALERT);

    outbox.sendDue();
    clock.advance(Duration.ofSeconds(5));
    outbox.sendDue();

    assertThat(rig.slack.calls()).hasSize(2);
    assertThat(OutboxRows.of(rig.database, incident.id(), "slack")).containsExactly("post SENT");
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::detail)
        .contains("post sent to slack:#war-room");
  }

  @Test
  void recordsAChannelSlackDoesNotKnowOnTheTimelineAndDoesNotRetry() {
    rig.slack.answerNext(200, null, "{\"ok\":false,\"error\":\"channel_not_found\"}");
    Incident incident = incidents.open(ALERT);

    outbox.sendDue();
    clock.advance(Duration.ofMinutes(10));
    outbox.sendDue();
    incidents.acknowledge(incident.id(), "alice");
    outbox.sendDue();

    assertThat(rig.slack.calls()).hasSize(1);
    assertThat(OutboxRows.of(rig.database, incident.id(), "slack")).containsExactly("post FAILED", "update FAILED");
    assertThat(incidents.timeline(incident.id()))
        .filteredOn(e -> e.kind().equals("notification-failed"))
        .extracting(IncidentEvent::detail)
        .containsExactly("Slack refused the message for #war-room: channel_not_found",
            "no Slack message in #war-room to update: it was never posted");
    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "acknowledge");
  }

  @Test
  void editsTheMessageAlreadyPostedWhenAPostIsSentAgain() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();

    // As after a crash between Slack taking the post and the outbox marking it sent, and a restart
    // that released the killed process's claim.
    rig.database.inTransaction(c -> c.createStatement().executeUpdate("UPDATE outbox SET status = 'PENDING',"
        + " claimed_by = NULL, claimed_until = NULL WHERE channel = 'slack' AND incident_id = " + incident.id()));
    outbox.sendDue();

    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.update");
  }

  @Test
  void keepsTheSecretsOutOfItsConfigurationText() {
    SlackConfig config = new SlackConfig(null, TOKEN, "signing-secret", "#war-room", null);

    assertThat(config.toString()).doesNotContain(TOKEN, "signing-secret");
    assertThat(config.methodsUrl()).hasToString("https://slack.com/api/");
  }

}
