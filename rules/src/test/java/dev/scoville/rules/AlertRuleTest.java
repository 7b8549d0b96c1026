package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.VectorSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
  private static final List<VectorSample> BREACH =
      List.of(new VectorSample(Labels.of("__name__", "checkout_p95", "route", "/checkout"), 1.25));

  private final AlertRule rule = rule(Duration.ofSeconds(30));

  @Test
  void staysPendingUntilTheBreachHasLastedForDuration() throws Exception {
    assertThat(rule.evaluate(BREACH, List::of, T0).fired()).isEmpty();
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(29)).fired()).isEmpty();

    AlertRule.Transitions transitions = rule.evaluate(BREACH, List::of, T0.plusSeconds(30));

    assertThat(transitions.fired()).singleElement().satisfies(alert -> {
      assertThat(alert.labels()).isEqualTo(Labels.of("alertname", "CheckoutLatencyHigh", "route", "/checkout", "severity", "error"));
      assertThat(alert.summary()).isEqualTo("Checkout p95 is 1.25 s on /checkout");
      assertThat(alert.activeSince()).isEqualTo(T0);
    });
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(31)).fired()).as("fires once").isEmpty();
  }

  @Test
  void resolvesWhenTheBreachEndsAndStartsOverAfterwards() throws Exception {
    rule.evaluate(BREACH, List::of, T0);
    rule.evaluate(BREACH, List::of, T0.plusSeconds(30));

    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(40)).resolved()).hasSize(1);
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(50)).fired()).isEmpty();
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(80)).fired()).hasSize(1);
  }

  @Test
  void aPendingAlertThatEndsResolvesNothing() throws Exception {
    rule.evaluate(BREACH, List::of, T0);

    AlertRule.Transitions transitions = rule.evaluate(List.of(), List::of, T0.plusSeconds(10));

    assertThat(transitions.fired()).isEmpty();
    assertThat(transitions.resolved()).isEmpty();
  }

  @Test
  void firesAtOnceWithoutForDuration() throws Exception {
    assertThat(rule(Duration.ZERO).evaluate(BREACH, List::of, T0).fired()).hasSize(1);
  }

  @Test
  void keepsFiringForKeepFiringForAfterTheBreachEnds() throws Exception {
    AlertRule rule = rule(Duration.ZERO, Duration.ofSeconds(60));
    rule.evaluate(BREACH, List::of, T0);

    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(59)).resolved()).isEmpty();
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(70)).fired()).as("still the same alert").isEmpty();
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(129)).resolved()).isEmpty();
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(130)).resolved()).hasSize(1);
  }

  @Test
  void withResolveWhenStaysFiringUntilThatExpressionReturnsTheAlert() throws Exception {
    AlertRule rule = rule(new AlertRule.Lifecycle(Duration.ZERO, Duration.ZERO,
        PromQl.parse("checkout_p95 < 0.6"), null, Duration.ZERO));
    rule.evaluate(BREACH, List::of, T0);

    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(10)).resolved())
        .as("0.7 s: no breach, not yet recovered").isEmpty();
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(20)).fired()).as("still the same alert").isEmpty();
    assertThat(rule.evaluate(List.of(), () -> List.of(sample("/product", 0.3)), T0.plusSeconds(30)).resolved())
        .as("another route recovered").isEmpty();

    assertThat(rule.evaluate(List.of(), () -> List.of(sample("/checkout", 0.5)), T0.plusSeconds(40)).resolved())
        .singleElement().satisfies(alert -> assertThat(alert.labels().get("route")).isEqualTo("/checkout"));
  }

  @Test
  void alertsAgreeingOnGroupByShareOneGroupThatResolvesWithItsLastMember() throws Exception {
    AlertRule rule = rule(new AlertRule.Lifecycle(Duration.ZERO, Duration.ZERO, null, List.of("shop"), Duration.ZERO));
    VectorSample checkout = new VectorSample(Labels.of("route", "/checkout", "shop", "eu"), 1.25);
    VectorSample payment = new VectorSample(Labels.of("route", "/payment", "shop", "eu"), 0.9);

    assertThat(rule.evaluate(List.of(checkout), List::of, T0).fired()).singleElement().satisfies(alert -> {
      assertThat(alert.labels()).isEqualTo(Labels.of("alertname", "CheckoutLatencyHigh", "severity", "error", "shop", "eu"));
      assertThat(alert.summary()).isEqualTo("Checkout p95 is 1.25 s on /checkout");
    });
    assertThat(rule.evaluate(List.of(checkout, payment), List::of, T0.plusSeconds(10)).fired()).isEmpty();
    assertThat(rule.evaluate(List.of(payment), List::of, T0.plusSeconds(20)).resolved()).isEmpty();
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(30)).resolved()).hasSize(1);
  }

  @Test
  void anAlertThatResolvedTwiceWithinTheFlapWindowResolvesOnlyAfterAQuietWindow() throws Exception {
    AlertRule rule = rule(new AlertRule.Lifecycle(Duration.ZERO, Duration.ZERO, null, null, Duration.ofMinutes(10)));
    for (int flap = 0; flap < 2; flap++) {
      assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(60 * flap)).fired()).hasSize(1);
      assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(60 * flap + 30)).resolved()).hasSize(1);
    }

    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(120)).fired())
        .singleElement().satisfies(alert -> assertThat(alert.summary()).endsWith("[flapping: resolves after 10m quiet]"));
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(150)).resolved()).isEmpty();
    assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(400)).fired()).as("the same incident goes on").isEmpty();
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(410)).resolved()).isEmpty();
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(1009)).resolved()).isEmpty();
    assertThat(rule.evaluate(List.of(), List::of, T0.plusSeconds(1010)).resolved()).hasSize(1);
  }

  @Test
  void resolvesOlderThanTheFlapWindowNoLongerCount() throws Exception {
    for (int firesAgainAt : new int[] {629, 631}) {
      AlertRule rule = rule(new AlertRule.Lifecycle(Duration.ZERO, Duration.ZERO, null, null, Duration.ofMinutes(10)));
      for (int flap = 0; flap < 2; flap++) {
        rule.evaluate(BREACH, List::of, T0.plusSeconds(60 * flap));
        rule.evaluate(List.of(), List::of, T0.plusSeconds(60 * flap + 30));
      }
      // Other routes' resolves, forgotten as they age, change nothing for this one.
      for (int other = 0; other < 50; other++) {
        rule.evaluate(List.of(sample("/other" + other, 1.25)), List::of, T0.plusSeconds(100 + 10 * other));
        rule.evaluate(List.of(), List::of, T0.plusSeconds(105 + 10 * other));
      }

      assertThat(rule.evaluate(BREACH, List::of, T0.plusSeconds(firesAgainAt)).fired()).singleElement()
          .as("resolved at 30 s and 90 s, firing again at %d s", firesAgainAt)
          .satisfies(alert -> assertThat(alert.summary().contains("flapping")).isEqualTo(firesAgainAt < 630));
    }
  }

  private static VectorSample sample(String route, double value) {
    return new VectorSample(Labels.of("route", route), value);
  }

  @Test
  void theRulesLabelsWinOverTheSamplesWhetherPlainOrTemplated() throws Exception {
    VectorSample sample = new VectorSample(Labels.of("__name__", "checkout_p95", "route", "/checkout", "severity", "info"), 1.25);
    Labels expected = Labels.of("alertname", "CheckoutLatencyHigh", "route", "/checkout", "severity", "error");
    AlertRule.Lifecycle now = AlertRule.Lifecycle.IMMEDIATE;

    AlertRule plain = new AlertRule("CheckoutLatencyHigh", PromQl.parse("checkout_p95 > 0.8"), now,
        Map.of("severity", "error"), Map.of(), Handling.DEFAULT);
    AlertRule templated = new AlertRule("CheckoutLatencyHigh", PromQl.parse("checkout_p95 > 0.8"), now,
        Map.of("severity", "{{ if gt $value 1.0 }}error{{ else }}warning{{ end }}"), Map.of(), Handling.DEFAULT);
    AlertRule dropping = new AlertRule("CheckoutLatencyHigh", PromQl.parse("checkout_p95 > 0.8"), now,
        Map.of("severity", ""), Map.of(), Handling.DEFAULT);

    assertThat(plain.evaluate(List.of(sample), List::of, T0).fired()).singleElement()
        .satisfies(alert -> assertThat(alert.labels()).isEqualTo(expected));
    assertThat(templated.evaluate(List.of(sample), List::of, T0).fired()).singleElement()
        .satisfies(alert -> assertThat(alert.labels()).isEqualTo(expected));
    assertThat(dropping.evaluate(List.of(sample), List::of, T0).fired()).singleElement().as("an empty label removes it")
        .satisfies(alert -> assertThat(alert.labels()).isEqualTo(Labels.of("alertname", "CheckoutLatencyHigh", "route", "/checkout")));
  }

  private static AlertRule rule(Duration forDuration) {
    return rule(forDuration, Duration.ZERO);
  }

  private static AlertRule rule(Duration forDuration, Duration keepFiringFor) {
    return rule(new AlertRule.Lifecycle(forDuration, keepFiringFor, null, null, Duration.ZERO));
  }

  private static AlertRule rule(AlertRule.Lifecycle lifecycle) {
    try {
      return new AlertRule("CheckoutLatencyHigh", PromQl.parse("checkout_p95 > 0.8"), lifecycle,
          Map.of("severity", "error"),
          Map.of("summary", "Checkout p95 is {{ $value }} s on {{ $labels.route }}"), Handling.DEFAULT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
