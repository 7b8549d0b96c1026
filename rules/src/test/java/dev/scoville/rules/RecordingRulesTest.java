package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.VectorSample;
import dev.scoville.rules.query.QueryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording rules write series into the store, in group order, where alerts and queries read them. */
class RecordingRulesTest {
  private static final String RULES = """
      groups:
        - name: payments
          interval: 15s
          rules:
            - record: provider:payments_failed:ratio_rate1m
              expr: >
                sum by (provider) (rate(payments_total{outcome="failure"}[1m]))
                / sum by (provider) (rate(payments_total[1m]))
              labels:
                team: payments
            - alert: PaymentFailuresHigh
              expr: provider:payments_failed:ratio_rate1m > 0.1
              for: "0"
              annotations:
                summary: >-
                  {{ $labels.provider }} fails {{ $value | humanizePercentage }} of payments
                  ({{ with query "count(payments_total)" }}{{ . | first | value }}{{ end }} series)
            - record: payments:providers:count
              expr: count(provider:payments_failed:ratio_rate1m)
      """;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private Database database;
  private IncidentService incidents;

  @TempDir
  Path dir;

  @BeforeEach
  void open() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    ConfigFile config = ConfigFile.parse("scoville.yaml", "", name -> null);
    PagerDutyConfig pagerDuty = new PagerDutyConfig(java.net.URI.create("http://127.0.0.1:1/v2/enqueue"),
        "0123456789abcdef0123456789abcdef", "shop", null);
    incidents = new IncidentService(database, clock, EscalationPolicies.of(config, List.of(), pagerDuty,
        SlackConfig.none()));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aRecordingRuleFeedsTheAlertAfterItInTheSameEvaluation() throws Exception {
    RuleGroup group = load();
    RuleEvaluator evaluator = new RuleEvaluator(List.of(group), store, store::append, incidents, new AlertStateStore(database), clock);
    for (int i = 0; i <= 4; i++) {
      scrape(i * 15, 100 * i, 5 * i, 100 * i, 20 * i);
    }

    evaluator.evaluate(group);

    long now = clock.millis();
    Map<String, Double> recorded = query("provider:payments_failed:ratio_rate1m", now);
    assertThat(recorded).containsOnlyKeys(
        "provider:payments_failed:ratio_rate1m{provider=\"backup\",team=\"payments\"}",
        "provider:payments_failed:ratio_rate1m{provider=\"card\",team=\"payments\"}");
    assertThat(recorded.get("provider:payments_failed:ratio_rate1m{provider=\"backup\",team=\"payments\"}"))
        .isCloseTo(20 / 120.0, within(1e-12));
    assertThat(recorded.get("provider:payments_failed:ratio_rate1m{provider=\"card\",team=\"payments\"}"))
        .isCloseTo(5 / 105.0, within(1e-12));
    assertThat(incidents.recent(10)).singleElement().satisfies(incident -> {
      assertThat(incident.rule()).isEqualTo("PaymentFailuresHigh");
      assertThat(incident.summary()).isEqualTo("backup fails 16.67% of payments (4 series)");
    });
    // The last rule read what the first wrote at the same timestamp.
    assertThat(query("payments:providers:count", now)).containsExactly(Map.entry("payments:providers:count{}", 2.0));
  }

  @Test
  void aSeriesTheResultNoLongerHoldsGoesStaleAtOnce() throws Exception {
    RuleGroup group = load();
    RuleEvaluator evaluator = new RuleEvaluator(List.of(group), store, store::append, incidents, new AlertStateStore(database), clock);
    for (int i = 0; i <= 4; i++) {
      scrape(i * 15, 100 * i, 5 * i, 100 * i, 20 * i);
    }
    evaluator.evaluate(group);
    // The backup provider's target goes away: its series get staleness markers, then only card's go on.
    for (int i = 1; i <= 4; i++) {
      clock.advance(Duration.ofSeconds(15));
      long t = clock.millis();
      List<Sample> scrape = new ArrayList<>(List.of(
          new Sample(Labels.of("__name__", "payments_total", "provider", "card", "outcome", "success"), t, 400 + 100 * i),
          new Sample(Labels.of("__name__", "payments_total", "provider", "card", "outcome", "failure"), t, 20 + 5 * i)));
      if (i == 1) {
        for (String outcome : List.of("success", "failure")) {
          scrape.add(new Sample(Labels.of("__name__", "payments_total", "provider", "backup", "outcome", outcome), t,
              Sample.STALE_NAN));
        }
      }
      store.append(scrape);
    }
    assertThat(query("provider:payments_failed:ratio_rate1m", clock.millis())).as("last recorded within lookback")
        .hasSize(2);

    evaluator.evaluate(group);

    assertThat(query("provider:payments_failed:ratio_rate1m", clock.millis()))
        .containsOnlyKeys("provider:payments_failed:ratio_rate1m{provider=\"card\",team=\"payments\"}");
  }

  @Test
  void loaderRefusesWhatPrometheusRefusesInARecordingRule() throws Exception {
    Path file = dir.resolve("bad.yml");
    Files.writeString(file, """
        groups:
          - name: bad
            rules:
              - record: "not a name"
                expr: up
              - record: job:up:sum
                expr: sum by (job) (up)
                for: 5m
              - record: job:up:avg
                alert: Both
                expr: avg by (job) (up)
              - record: job:up:count
                expr: count by (job) (up)
        """);

    RuleLoader loader = new RuleLoader(policy -> true).loadFile(file);

    assertThat(loader.problems()).containsExactly(
        file + ":4:17: invalid recording rule name: not a name",
        file + ":8:14: recording rule job:up:sum: invalid field 'for' in recording rule",
        file + ":9:9: only one of 'record' and 'alert' must be set");
    assertThat(loader.groups()).singleElement().satisfies(group ->
        assertThat(group.rules()).extracting(GroupRule::name).containsExactly("job:up:count"));
  }

  @Test
  void aRuleOverTheSampleLimitFailsWithTheReasonAndTheOthersOfItsGroupStillRun() throws Exception {
    RuleGroup group = load();
    // payments_total's 4 series × 5 samples in the minute: 20, over the limit; the rules reading
    // the recorded ratio's 2 series stay under it.
    RuleEvaluator evaluator = new RuleEvaluator(List.of(group), store, store::append, incidents,
        new AlertStateStore(database), clock, new QueryConfig(null, 10L));
    for (int i = 0; i <= 4; i++) {
      scrape(i * 15, 100 * i, 5 * i, 100 * i, 20 * i);
    }
    long now = clock.millis();
    store.append(List.of(new Sample(Labels.of("__name__", "provider:payments_failed:ratio_rate1m",
        "provider", "card"), now - 1, 0.5)));
    double failuresBefore = failures("provider:payments_failed:ratio_rate1m");
    evaluator.evaluate(group);

    // The reason, "query processing would load too many samples into memory in query execution",
    // is logged with the rule's name.
    assertThat(failures("provider:payments_failed:ratio_rate1m") - failuresBefore).isEqualTo(1);
    // The rules after it still ran, over the series as it was.
    assertThat(incidents.recent(10)).singleElement()
        .satisfies(incident -> assertThat(incident.rule()).isEqualTo("PaymentFailuresHigh"));
    assertThat(query("payments:providers:count", now)).containsExactly(Map.entry("payments:providers:count{}", 1.0));
  }

  private static double failures(String rule) {
    Double value = io.prometheus.client.CollectorRegistry.defaultRegistry.getSampleValue(
        "scoville_rule_evaluation_failures_total", new String[] {"rule"}, new String[] {rule});
    return value == null ? 0 : value;
  }

  private RuleGroup load() throws Exception {
    Path file = dir.resolve("payments.rules.yml");
    Files.writeString(file, RULES);
    RuleLoader loader = new RuleLoader(policy -> true).loadFile(file);
    assertThat(loader.problems()).isEmpty();
    return loader.groups().get(0);
  }

  /** One scrape at {@code seconds} past the clock's start; the clock is left there. */
  private void scrape(int seconds, double cardOk, double cardFailed, double backupOk, double backupFailed) {
    clock.advance(Duration.between(clock.instant(), Instant.parse("2026-11-27T09:00:00Z").plusSeconds(seconds)));
    long t = clock.millis();
    store.append(List.of(
        new Sample(Labels.of("__name__", "payments_total", "provider", "card", "outcome", "success"), t, cardOk),
        new Sample(Labels.of("__name__", "payments_total", "provider", "card", "outcome", "failure"), t, cardFailed),
        new Sample(Labels.of("__name__", "payments_total", "provider", "backup", "outcome", "success"), t, backupOk),
        new Sample(Labels.of("__name__", "payments_total", "provider", "backup", "outcome", "failure"), t,
            backupFailed)));
  }

  private Map<String, Double> query(String expression, long at) throws Exception {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (VectorSample s : PromQl.parse(expression).evaluate(store, at)) {
      out.put(s.labels().toString(), s.value());
    }
    return out;
  }
}
