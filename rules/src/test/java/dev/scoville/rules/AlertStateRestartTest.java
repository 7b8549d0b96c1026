package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alert state kept across a restart (a new evaluator with freshly loaded rules on the same
 * database): what cleared while Scoville was down resolves, what still fires opens nothing new,
 * {@code for} timers carry on, and a rule that is gone resolves its incident with a note.
 */
class AlertStateRestartTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private final Gauge queueDepth = new Gauge();
  private Database database;
  private IncidentService incidents;

  @BeforeEach
  void start() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
  }

  @AfterEach
  void stop() {
    database.close();
  }

  @Test
  void anAlertThatClearedWhileDownResolvesAtTheFirstEvaluation() {
    AlertRule rule = rule(Duration.ZERO);
    queueDepth.value = 50;
    evaluator(rule).evaluate(rule);
    Incident open = incidents.recent(1).get(0);

    clock.advance(Duration.ofMinutes(10));
    queueDepth.value = 3;
    AlertRule reloaded = rule(Duration.ZERO);
    RuleEvaluator restarted = evaluator(reloaded);
    restarted.restore();
    restarted.evaluate(reloaded);

    Incident resolved = incidents.find(open.id()).orElseThrow();
    assertThat(resolved.state()).isEqualTo(Incident.State.RESOLVED);
    assertThat(incidents.timeline(open.id())).extracting(IncidentEvent::detail).contains("the rule no longer fires");
  }

  @Test
  void anAlertStillFiringAfterARestartKeepsItsIncident() {
    AlertRule rule = rule(Duration.ZERO);
    queueDepth.value = 50;
    evaluator(rule).evaluate(rule);

    clock.advance(Duration.ofMinutes(10));
    AlertRule reloaded = rule(Duration.ZERO);
    RuleEvaluator restarted = evaluator(reloaded);
    restarted.restore();
    restarted.evaluate(reloaded);
    queueDepth.value = 3;
    clock.advance(Duration.ofMinutes(1));
    restarted.evaluate(reloaded);

    assertThat(incidents.recent(10)).singleElement()
        .satisfies(i -> assertThat(i.state()).isEqualTo(Incident.State.RESOLVED));
  }

  @Test
  void aForTimerCarriesOnAcrossARestart() {
    AlertRule rule = rule(Duration.ofMinutes(5));
    queueDepth.value = 50;
    evaluator(rule).evaluate(rule);

    clock.advance(Duration.ofMinutes(3));
    AlertRule reloaded = rule(Duration.ofMinutes(5));
    RuleEvaluator restarted = evaluator(reloaded);
    restarted.restore();
    restarted.evaluate(reloaded);
    assertThat(incidents.recent(10)).as("pending for 3 of 5 minutes").isEmpty();

    clock.advance(Duration.ofMinutes(2));
    restarted.evaluate(reloaded);

    assertThat(incidents.recent(10)).singleElement().satisfies(i -> {
      assertThat(i.state()).isEqualTo(Incident.State.TRIGGERED);
      assertThat(i.openedAt()).isEqualTo(Instant.parse("2026-11-30T09:05:00Z"));
    });
  }

  @Test
  void anIncidentWhoseRuleIsGoneResolvesWithANote() {
    AlertRule rule = rule(Duration.ZERO);
    queueDepth.value = 50;
    evaluator(rule).evaluate(rule);
    Incident open = incidents.recent(1).get(0);

    clock.advance(Duration.ofMinutes(10));
    RuleEvaluator restarted = new RuleEvaluator(List.of(), queueDepth, samples -> {}, incidents,
        new AlertStateStore(database), clock);
    restarted.restore();

    assertThat(incidents.find(open.id()).orElseThrow().state()).isEqualTo(Incident.State.RESOLVED);
    assertThat(incidents.timeline(open.id())).extracting(IncidentEvent::detail)
        .contains("rule QueueBacklog is no longer loaded (removed, renamed or failing to load): resolved at start");
    RuleEvaluator again = evaluator(rule(Duration.ZERO));
    again.restore();
    assertThat(incidents.timeline(open.id())).filteredOn(e -> e.kind().equals("resolved")).hasSize(1);
  }

  private RuleEvaluator evaluator(AlertRule rule) {
    return new RuleEvaluator(List.of(new RuleGroup("rules.yml", "queue", Duration.ofSeconds(15), List.of(rule))),
        queueDepth, samples -> {}, incidents, new AlertStateStore(database), clock);
  }

  private static AlertRule rule(Duration forDuration) {
    try {
      return new AlertRule("QueueBacklog", PromQl.parse("queue_depth > 10"),
          new AlertRule.Lifecycle(forDuration, Duration.ZERO, null, null, Duration.ZERO), Map.of("severity", "warning"),
          Map.of("summary", "Queue depth is {{ $value }}"), Handling.DEFAULT);
    } catch (PromQlException e) {
      throw new AssertionError(e);
    }
  }

  /** One series, {@code queue_depth{job="shop"}}, whose latest sample is always {@link #value}. */
  private static final class Gauge implements SeriesReader {
    private static final Labels LABELS = Labels.of("__name__", "queue_depth", "job", "shop");
    volatile double value;

    @Override
    public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
      boolean matches = matchers.stream().allMatch(m -> m.matches(LABELS));
      return matches ? List.of(new Series(LABELS, new long[] {toMillis}, new double[] {value})) : List.of();
    }

    @Override
    public void onAppend(Consumer<Set<String>> metricNames) {
    }
  }
}
