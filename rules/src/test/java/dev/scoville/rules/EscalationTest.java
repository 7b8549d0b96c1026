package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Escalation policies: levels notified in turn while nobody acknowledges, timed from the database. */
class EscalationTest {
  private static final String CONFIG = """
      pagerduty:
        routingKeys:
          payments: ${PAYMENTS_KEY}
      escalation:
        - name: payments
          levels:
            - notify: slack:#payments
              after: 0s
            - notify: pagerduty:payments
              after: 5m
            - notify: pagerduty
              after: 15m
      rules:
        groups:
          - name: shop
            rules:
              - alert: PaymentSuccessLow
                expr: payment_success_ratio < 0.9
                escalation: payments
                runbook: payments-down
                actions: [disable-express-checkout]
              - alert: CartErrors
                expr: cart_errors_total > 0
                escalation: nobody-defined-this
      """;
  private static final String DEFAULT_KEY = "0123456789abcdef0123456789abcdef";
  private static final String PAYMENTS_KEY = "fedcba9876543210fedcba9876543210";
  private static final Alert ALERT = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "severity", "critical"),
      "Payment success rate is 0.62", 0.62, Instant.parse("2026-11-27T09:00:00Z"),
      new Handling("payments", "payments-down", List.of()));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:01:00.250Z"));
  private final ConfigFile config = ConfigFile.parse("scoville.yaml", CONFIG, Map.of("PAYMENTS_KEY", PAYMENTS_KEY)::get);
  private PagingRig rig;
  private SlackMessages slack;
  private PagerDutyConfig pagerDutyConfig;
  private SlackConfig slackConfig;
  private IncidentService incidents;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    rig = PagingRig.start();
    PagerDutyConfig section = config.section("pagerduty", PagerDutyConfig.class, null);
    pagerDutyConfig = new PagerDutyConfig(rig.pagerDuty().eventsUri(), DEFAULT_KEY, "shop", null, section.routingKeys());
    slackConfig = rig.slackConfig("#war-room");
    restart();
  }

  /** A new process over the same database: nothing of the escalation lives in memory. */
  private void restart() {
    if (slack != null) {
      slack.close();
    }
    EscalationPolicies escalation = EscalationPolicies.of(config, policies(), pagerDutyConfig, slackConfig);
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
  void notifiesTheNextLevelOnlyOnceItsWaitIsOverAndNobodyAcknowledged() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage");
    assertThat(rig.pagerDuty().received()).isEmpty();

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).isEmpty();

    clock.advance(Duration.ofMillis(1));
    outbox.sendDue();
    assertThat(rig.pagerDuty().received()).singleElement().satisfies(event -> {
      assertThat(event.eventAction()).isEqualTo("trigger");
      assertThat(event.body().path("routing_key").asText()).isEqualTo(PAYMENTS_KEY);
      assertThat(event.dedupKey()).isEqualTo(incident.dedupKey());
    });
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.update");
    assertThat(rig.slack.calls().get(1).blocks().toString()).contains("payments: level 2 of 3 (pagerduty:payments)");
    assertThat(incidents.timeline(incident.id())).filteredOn(e -> e.kind().equals("escalated"))
        .extracting(IncidentEvent::detail).containsExactly("level 2: pagerduty:payments");
  }

  @Test
  void stopsEscalatingOnceAcknowledged() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();
    clock.advance(Duration.ofMinutes(2));
    incidents.acknowledge(incident.id(), "slack:alice");

    clock.advance(Duration.ofMinutes(30));
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).isEmpty();
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.update");
    assertThat(incidents.find(incident.id()).orElseThrow().escalationLevel()).isEqualTo(1);
  }

  @Test
  void resolvingClosesTheIncidentEverywhereItWasNotified() {
    Incident incident = incidents.open(ALERT);
    clock.advance(Duration.ofMinutes(16));
    outbox.sendDue();
    incidents.resolve(ALERT);
    outbox.sendDue();

    // Each routing key is a receiver of its own, sent to concurrently: the order holds per key.
    for (String key : List.of(PAYMENTS_KEY, DEFAULT_KEY)) {
      assertThat(rig.pagerDuty().received()).filteredOn(e -> e.body().path("routing_key").asText().equals(key))
          .extracting(PagerDutySink.ReceivedEvent::eventAction).containsExactly("trigger", "resolve");
    }
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).last().isEqualTo("chat.update");
    assertThat(rig.slack.calls().get(rig.slack.calls().size() - 1).blocks().toString()).contains("Resolved");
    assertThat(incidents.find(incident.id()).orElseThrow().state()).isEqualTo(Incident.State.RESOLVED);
  }

  @Test
  void carriesOnAfterARestart() {
    Incident incident = incidents.open(ALERT);
    outbox.sendDue();

    restart();
    clock.advance(Duration.ofMinutes(6));
    outbox.sendDue();
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).extracting(PagerDutySink.ReceivedEvent::eventAction).containsExactly("trigger");
    assertThat(rig.slack.calls()).extracting(SlackApiFake.Call::method).containsExactly("chat.postMessage", "chat.update");
    assertThat(incidents.find(incident.id()).orElseThrow().escalationLevel()).isEqualTo(2);
  }

  @Test
  void pagesAtOnceAndPostsToTheSlackChannelWhenTheRuleNamesNoPolicy() {
    Alert alert = new Alert("CheckoutSlow", Labels.of("alertname", "CheckoutSlow"), "Checkout is slow", 2.5,
        Instant.parse("2026-11-27T09:00:00Z"));

    incidents.open(alert);
    outbox.sendDue();

    assertThat(rig.pagerDuty().received()).extracting(e -> e.eventAction() + " " + e.body().path("routing_key").asText())
        .containsExactly("trigger " + DEFAULT_KEY);
    assertThat(rig.slack.calls()).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("chat.postMessage");
      assertThat(call.param("channel")).isEqualTo("#war-room");
    });
  }

  @Test
  void carriesTheRulesPolicyRunbookAndActionsAndLeavesOutARuleNamingAnUnknownPolicy() {
    RulesConfig rules = config.section("rules", RulesConfig.class, RulesConfig.none());

    RuleLoader loader = new RuleLoader(EscalationPolicies.of(config, policies(), pagerDutyConfig, slackConfig)::contains)
        .loadConfigured(config, rules);
    List<AlertRule> loaded = loader.rules();
    List<String> problems = loader.problems();

    assertThat(loaded).extracting(AlertRule::name).containsExactly("PaymentSuccessLow");
    RulesConfig.Rule first = config.bind(rules.groups().get(0).rules().get(0), RulesConfig.Rule.class, "rules", "groups", 0, "rules", 0);
    assertThat(first).satisfies(rule -> {
      assertThat(rule.escalation()).isEqualTo("payments");
      assertThat(rule.runbook()).isEqualTo("payments-down");
      assertThat(rule.actions()).containsExactly("disable-express-checkout");
    });
    assertThat(problems).containsExactly("scoville.yaml:24:23: rule CartErrors names escalation policy"
        + " 'nobody-defined-this', which the escalation section does not define");
  }

  @Test
  void refusesALevelNamingAReceiverThatIsNotConfigured() {
    ConfigFile bad = ConfigFile.parse("scoville.yaml", """
        escalation:
          - name: payments
            levels:
              - notify: pagerduty:nobody
                after: 0s
        """, name -> null);
    List<EscalationPolicy> policies = Arrays.asList(bad.section("escalation", EscalationPolicy[].class, null));

    assertThatThrownBy(() -> EscalationPolicies.of(bad, policies, pagerDutyConfig, slackConfig))
        .isInstanceOf(ConfigException.class)
        .hasMessage("scoville.yaml:4:9: policy payments: no routing key named 'nobody' in pagerduty.routingKeys");
    assertThatThrownBy(() -> EscalationPolicies.of(config, policies(), pagerDutyConfig, SlackConfig.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slack:#payments needs the slack section with a botToken");
  }

  @Test
  void refusesANegativeGroupWaitOrRepeatIntervalAndAZeroRepeatIntervalNamingTheirPlace() {
    ConfigFile negativeWait = ConfigFile.parse("scoville.yaml", """
        escalation:
          - name: payments
            group_wait: -30s
            levels:
              - notify: pagerduty
        """, name -> null);
    ConfigFile negativeRepeat = ConfigFile.parse("scoville.yaml", """
        escalation:
          - name: payments
            group_wait: 30s
            repeat_interval: -1h
            levels:
              - notify: pagerduty
        """, name -> null);
    ConfigFile zero = ConfigFile.parse("scoville.yaml", """
        escalation:
          - name: payments
            group_wait: 0s
            repeat_interval: 0s
            levels:
              - notify: pagerduty
        """, name -> null);
    List<EscalationPolicy> zeroPolicies = Arrays.asList(zero.section("escalation", EscalationPolicy[].class, null));

    assertThatThrownBy(() -> negativeWait.section("escalation", EscalationPolicy[].class, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:3:17: escalation[0].group_wait: ")
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> negativeRepeat.section("escalation", EscalationPolicy[].class, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:4:22: escalation[0].repeat_interval: ")
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> EscalationPolicies.of(zero, zeroPolicies, pagerDutyConfig, slackConfig))
        .isInstanceOf(ConfigException.class)
        .hasMessage("scoville.yaml:4:22: policy payments: repeat_interval must be more than 0s");
  }

  @Test
  void defaultsToNoGroupWaitAndRemindersEveryFourHours() {
    EscalationPolicies escalation = EscalationPolicies.of(config, policies(), pagerDutyConfig, slackConfig);

    assertThat(List.of(escalation.policy("payments"), escalation.policy(null))).allSatisfy(policy -> {
      assertThat(policy.groupWait()).isZero();
      assertThat(policy.repeatInterval()).isEqualTo(Duration.ofHours(4));
    });
  }

  private List<EscalationPolicy> policies() {
    return Arrays.asList(config.section("escalation", EscalationPolicy[].class, new EscalationPolicy[0]));
  }
}
