package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incidents opened while a drill runs say so at PagerDuty, in Slack and on their timeline. */
class DrillMarkingTest {
  private static final List<EscalationPolicy> POLICIES = List.of(new EscalationPolicy("drills",
      List.of(new EscalationPolicy.Level("slack:#drills", Duration.ZERO)), null, null));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:01:00Z"));
  private PagingRig rig;
  private SlackMessages slack;
  private IncidentService incidents;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    rig = PagingRig.start();
    PagerDutyConfig pagerDutyConfig = rig.pagerDutyConfig();
    SlackConfig slackConfig = rig.slackConfig("#war-room");
    EscalationPolicies escalation = EscalationPolicies.of(ConfigFile.parse("scoville.yaml", "", Map.of()), POLICIES,
        pagerDutyConfig, slackConfig);
    slack = new SlackMessages(slackConfig, rig.database, escalation, clock);
    incidents = new IncidentService(rig.database, clock, escalation);
    outbox = new OutboxSender(rig.database, incidents, new HttpPagerDutyEvents(pagerDutyConfig, Duration.ofSeconds(10)),
        slack, clock, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    slack.close();
    rig.close();
  }

  @Test
  void aDrillsIncidentIsPagedWithTheDrillPrefixAndNamedOnItsTimeline() {
    incidents.markDrills(new IncidentService.DrillMarking("payment-outage #3", null));
    Incident incident = incidents.open(alert("PaymentSuccessLow"));
    outbox.sendDue();

    assertThat(incident.isDrill()).isTrue();
    assertThat(rig.pagerDuty().received()).singleElement()
        .satisfies(e -> assertThat(e.summary()).isEqualTo("[DRILL] Payment success rate is 62%"));
    assertThat(rig.slack.calls()).filteredOn(c -> c.method().equals("chat.postMessage")).singleElement()
        .satisfies(c -> assertThat(c.blocks().toString()).contains("[DRILL] [CRITICAL] PaymentSuccessLow"));
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::kind, IncidentEvent::detail)
        .contains(org.assertj.core.groups.Tuple.tuple("drill", "opened during drill payment-outage #3"));
  }

  @Test
  void aDrillEscalationPolicyReplacesTheRulesSoThatNobodyIsPaged() {
    incidents.markDrills(new IncidentService.DrillMarking("payment-outage #4", "drills"));
    Incident incident = incidents.open(alert("PaymentSuccessLow"));
    outbox.sendDue();

    assertThat(incident.escalation()).isEqualTo("drills");
    assertThat(rig.pagerDuty().received()).isEmpty();
    assertThat(rig.slack.calls()).filteredOn(c -> c.method().equals("chat.postMessage"))
        .singleElement().satisfies(c -> assertThat(c.params().get("channel")).isEqualTo("#drills"));
  }

  @Test
  void incidentsOpenedAfterTheDrillAreRealAgain() {
    incidents.markDrills(new IncidentService.DrillMarking("surge-200 #1", null));
    incidents.stopMarkingDrills();
    Incident incident = incidents.open(alert("CheckoutSlow"));

    assertThat(incident.isDrill()).isFalse();
    assertThat(incident.summary()).doesNotStartWith("[DRILL]");
  }

  @Test
  void refusesAnUnknownDrillEscalationPolicy() {
    assertThatThrownBy(() -> incidents.markDrills(new IncidentService.DrillMarking("x", "nobody")))
        .hasMessage("no escalation policy 'nobody'");
  }

  private static Alert alert(String rule) {
    return new Alert(rule, Labels.of("alertname", rule, "severity", "critical"), "Payment success rate is 62%", 0.62,
        Instant.parse("2026-11-27T09:00:00Z"), new Handling(null, null, List.of()));
  }
}
