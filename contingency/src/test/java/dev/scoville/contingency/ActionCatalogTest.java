package dev.scoville.contingency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionCatalogTest {
  @Test
  void readsEveryKindWithItsDefaults() {
    ActionCatalog catalog = ActionCatalog.fromConfig(Fixtures.config("http://shop.test"));

    assertThat(catalog.names())
        .containsExactly(
            "simplified-site",
            "backup-payment-provider",
            "recommendations-off",
            "purge-cdn",
            "scale-out-web",
            "customer-message-delay");
    Action simplified = catalog.find("simplified-site").orElseThrow();
    assertThat(simplified.kind())
        .isInstanceOfSatisfying(
            Action.KillSwitch.class,
            k -> {
              assertThat(k.value().booleanValue()).isTrue();
              assertThat(k.off().booleanValue()).isFalse();
            });
    assertThat(simplified.role()).isEqualTo(Actor.Role.RESPONDER);
    assertThat(simplified.timeout()).isEqualTo(Duration.ofSeconds(10));
    Action scaleOut = catalog.find("scale-out-web").orElseThrow();
    assertThat(scaleOut.secondApprover()).isTrue();
    assertThat(scaleOut.cooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(scaleOut.parameter("count").orElseThrow().integer()).isTrue();
    assertThat(catalog.find("purge-cdn").orElseThrow().kind())
        .isInstanceOfSatisfying(
            Action.Http.class,
            h ->
                assertThat(h.call().headers())
                    .containsEntry("Authorization", "Bearer s3cret-token"));
    assertThat(catalog.find("customer-message-delay").orElseThrow().reversible()).isFalse();
  }

  @Test
  void reportsEveryBadEntryWithItsLineAndField() {
    String yaml =
        """
        actions:
          - name: ok-one
            title: Fine
            kind: kill_switch
            flag: fine
            value: true
            risk: low
          - name: Bad Name
            title: Broken
            kind: http
            url: ftp://shop/x
            risk: extreme
          - name: scale
            title: Scale
            kind: scale_out
            url: http://shop/scale
            body: {n: "{{params.cuont}}"}
            risk: high
            role: responder
          - name: typo
            titel: Typo
            kind: kill_switch
            flag: x
            value: on-ish
            risk: low
        """;
    ConfigFile config = ConfigFile.parse("scoville.yaml", yaml, Map.of());

    assertThatThrownBy(() -> ActionCatalog.fromConfig(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "scoville.yaml:8: actions[1] (Bad Name).name: use lowercase letters, digits and dashes")
        .hasMessageContaining(
            "scoville.yaml:11: actions[1] (Bad Name).url: must start with http:// or https://")
        .hasMessageContaining(
            "scoville.yaml:12: actions[1] (Bad Name).risk: must be low, medium or high")
        .hasMessageContaining(
            "scoville.yaml:13: actions[2] (scale).max_count: needs the largest count")
        .hasMessageContaining(
            "scoville.yaml:17: actions[2] (scale).body: unknown placeholder {{params.cuont}}")
        .hasMessageContaining(
            "scoville.yaml:19: actions[2] (scale).role: a high-risk action needs role commander")
        .hasMessageContaining(
            "scoville.yaml:21: actions[3] (typo).titel: unknown field for kind kill_switch")
        .hasMessageContaining("scoville.yaml:20: actions[3] (typo).title: is required")
        .hasMessageContaining(
            "scoville.yaml:20: actions[3] (typo).off: needs the value served while not switched")
        .hasMessageNotContaining("ok-one");
  }

  @Test
  void marksLowRiskActionsAutomaticForRulesAndRefusesItForOthers() {
    String yaml =
        """
        actions:
          - name: recommendations-off
            title: Recommendations off
            kind: kill_switch
            flag: recommendations-off
            value: true
            risk: low
            automatic_for: [CheckoutLatencyHigh]
          - name: simplified-site
            title: Simplified site
            kind: kill_switch
            flag: simplified-site
            value: true
            risk: medium
            automatic_for: [CheckoutLatencyHigh]
        """;
    ConfigFile good = ConfigFile.parse("scoville.yaml", yaml.substring(0, yaml.indexOf("  - name: simplified")), Map.of());

    assertThat(ActionCatalog.fromConfig(good).find("recommendations-off").orElseThrow().automaticFor())
        .containsExactly("CheckoutLatencyHigh");
    assertThatThrownBy(() -> ActionCatalog.fromConfig(ConfigFile.parse("scoville.yaml", yaml, Map.of())))
        .hasMessageContaining("scoville.yaml:15: actions[1] (simplified-site).automatic_for:"
            + " only low-risk actions run automatically");
  }
}
