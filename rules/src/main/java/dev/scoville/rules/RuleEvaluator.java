package dev.scoville.rules;

import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.VectorSample;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates rules when the series they read get new samples (coalesced per rule over a
 * millisecond), and on a slow tick as a safety net for absent data and {@code for} timers.
 * Everything runs on one thread of its own, never on an event loop.
 */
final class RuleEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);
  private static final Counter EVALUATIONS = Counter.build("scoville_rule_evaluations_total",
      "Rule evaluations, by rule.").labelNames("rule").register();
  private static final Counter FAILURES = Counter.build("scoville_rule_evaluation_failures_total",
      "Rule evaluations that failed, by rule.").labelNames("rule").register();
  private static final Duration COALESCE = Duration.ofMillis(1);

  private final List<AlertRule> rules;
  private final Map<String, List<AlertRule>> rulesByMetric = new HashMap<>();
  private final List<AlertRule> rulesReadingAnything = new ArrayList<>();
  private final SeriesReader series;
  private final IncidentService incidents;
  private final Clock clock;
  private final Duration tick;
  private final Set<AlertRule> scheduled = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rule-evaluator");
    t.setDaemon(true);
    return t;
  });

  RuleEvaluator(List<AlertRule> rules, SeriesReader series, IncidentService incidents, Clock clock,
      Duration tick) {
    this.rules = List.copyOf(rules);
    this.series = series;
    this.incidents = incidents;
    this.clock = clock;
    this.tick = tick;
    for (AlertRule rule : rules) {
      Set<String> names = rule.metricNames();
      if (names.isEmpty()) {
        rulesReadingAnything.add(rule);
      }
      names.forEach(n -> rulesByMetric.computeIfAbsent(n, k -> new ArrayList<>()).add(rule));
    }
  }

  void start() {
    series.onAppend(this::samplesArrived);
    thread.scheduleAtFixedRate(this::evaluateAll, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  List<AlertRule> rules() {
    return rules;
  }

  private void samplesArrived(Set<String> metricNames) {
    for (String name : metricNames) {
      for (AlertRule rule : rulesByMetric.getOrDefault(name, List.of())) {
        schedule(rule);
      }
    }
    rulesReadingAnything.forEach(this::schedule);
  }

  private void schedule(AlertRule rule) {
    if (scheduled.add(rule)) {
      thread.schedule(() -> {
        scheduled.remove(rule);
        evaluate(rule);
      }, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void evaluateAll() {
    rules.forEach(this::evaluate);
  }

  /** Evaluates one rule now; a failing rule is counted and logged and never stops the others. */
  void evaluate(AlertRule rule) {
    Instant now = clock.instant();
    try {
      EVALUATIONS.labels(rule.name()).inc();
      List<VectorSample> result = rule.query().evaluate(series, now.toEpochMilli());
      AlertRule.Transitions transitions = rule.evaluate(result,
          () -> rule.resolveWhen().evaluate(series, now.toEpochMilli()), now);
      transitions.fired().forEach(incidents::open);
      transitions.resolved().forEach(incidents::resolve);
    } catch (RuntimeException e) {
      FAILURES.labels(rule.name()).inc();
      LOG.warn("Rule {} failed to evaluate: {}", rule.name(), e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
