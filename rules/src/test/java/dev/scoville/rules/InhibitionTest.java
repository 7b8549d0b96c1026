package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Labels;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inhibit rules in Alertmanager's shape: a firing critical mutes the matching warning, and only while it fires. */
class InhibitionTest {
  private static final String CONFIG = """
      inhibit_rules:
        - source_matchers: [severity="critical"]
          target_matchers: [severity="warning"]
          equal: [service]
      """;
  private static final Instant SINCE = Instant.parse("2026-11-27T08:58:00Z");
  private static final Alert CHECKOUT_DOWN = alert("CheckoutDown", "critical", "checkout");
  private static final Alert CHECKOUT_SLOW = alert("CheckoutSlow", "warning", "checkout");
  private static final Alert SEARCH_SLOW = alert("SearchSlow", "warning", "search");

  private IntakeServer server;

  @BeforeEach
  void start() throws Exception {
    server = IntakeServer.withConfig(CONFIG);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aFiringCriticalMutesTheMatchingWarningAndNotAfterItResolves() {
    server.incidents.open(CHECKOUT_DOWN);
    Incident warning = server.incidents.open(CHECKOUT_SLOW);
    Incident otherService = server.incidents.open(SEARCH_SLOW);
    server.send();

    assertThat(warning.mutedBy()).startsWith("inhibition from incident ");
    assertThat(otherService.mutedBy()).isNull();
    // Incidents are sent concurrently: order holds per incident, not across them.
    assertThat(server.pages()).containsExactlyInAnyOrder("trigger CheckoutDown is firing", "trigger SearchSlow is firing");

    server.incidents.resolve(CHECKOUT_DOWN);
    server.send();

    assertThat(server.pages()).hasSize(4);
    assertThat(server.pages().subList(2, 4)).contains("trigger CheckoutSlow is firing")
        .anySatisfy(page -> assertThat(page).startsWith("resolve "));
    assertThat(server.incidents.find(warning.id()).orElseThrow().mutedBy()).isNull();
    assertThat(server.incidents.timeline(warning.id())).extracting(IncidentEvent::kind)
        .containsExactly("triggered", "muted", "unmuted", "notified");
  }

  @Test
  void aCriticalThatStartsFiringMutesTheWarningAlreadyOpen() {
    Incident warning = server.incidents.open(CHECKOUT_SLOW);
    server.send();

    server.incidents.open(CHECKOUT_DOWN);
    server.send();

    assertThat(server.incidents.find(warning.id()).orElseThrow().mutedBy()).startsWith("inhibition from incident ");
    assertThat(server.pages()).containsExactly("trigger CheckoutSlow is firing", "trigger CheckoutDown is firing");
  }

  @Test
  void refusesAnInhibitRuleWithABadMatcherNamingItsPlace() {
    ConfigFile bad = ConfigFile.parse("scoville.yaml", """
        inhibit_rules:
          - source_matchers: [severity="critical"]
            target_matchers: [severity=~"warn("]
        """, name -> null);

    assertThatThrownBy(() -> Muting.of(bad, Arrays.asList(bad.section("inhibit_rules", InhibitRule[].class, null))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:3:23: 'severity=~\"warn(\"': invalid regex");
  }

  @Test
  void readsMatchersAsAlertmanagerWritesThem() {
    assertThat(Muting.parseMatcher("severity=\"critical\"")).hasToString("severity=\"critical\"");
    assertThat(Muting.parseMatcher(" alertname =~ \"Checkout.*\" ").matches("CheckoutSlow")).isTrue();
    assertThat(Muting.parseMatcher("team!=payments").matches("search")).isTrue();
    assertThat(Muting.parseMatcher("msg=\"say \\\"hi\\\"\"").value()).isEqualTo("say \"hi\"");
  }

  private static Alert alert(String name, String severity, String service) {
    return new Alert(name, Labels.of("alertname", name, "severity", severity, "service", service),
        name + " is firing", 1, SINCE);
  }
}
