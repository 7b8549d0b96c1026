package dev.scoville.rules;

import dev.scoville.core.Labels;
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
import java.util.concurrent.ExecutionException;
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
  private final AlertStateStore state;
  /** What {@link #state} holds of each rule, as last written; touched only on the evaluator's thread. */
  private final Map<AlertRule, Map<Labels, AlertRule.Stored>> stored = new HashMap<>();
  private final Set<AlertRule> scheduled = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rule-evaluator");
    t.setDaemon(true);
    return t;
  });

  RuleEvaluator(List<AlertRule> rules, SeriesReader series, IncidentService incidents, AlertStateStore state,
      Clock clock, Duration tick) {
    this.rules = List.copyOf(rules);
    this.state = state;
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
    try {
      thread.submit(this::restore).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Evaluation still starts: alerts then begin afresh, as they did before state was kept.
      LOG.error("Alert state not restored: {}", e.getCause().toString());
    }
    series.onAppend(this::samplesArrived);
    thread.scheduleAtFixedRate(this::evaluateAll, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes back the alerts kept before the restart, before any evaluation. The firing alerts of a
   * rule that is no longer loaded resolve their incidents, saying so on the timeline.
   */
  void restore() {
    Instant now = clock.instant();
    Map<String, AlertRule> byName = new HashMap<>();
    rules.forEach(r -> byName.put(r.name(), r));
    state.load().forEach((name, kept) -> {
      AlertRule rule = byName.get(name);
      if (rule == null) {
        for (AlertRule.Stored s : AlertStateStore.firingGroups(kept)) {
          incidents.resolve(new Alert(name, s.groupLabels(), name, Double.NaN, s.since()),
              "rule " + name + " is no longer loaded (removed, renamed or failing to load): resolved at start");
        }
        state.forget(name);
        return;
      }
      rule.restore(kept, now);
      rule.storedIfChanged();
      Map<Labels, AlertRule.Stored> restored = new HashMap<>();
      kept.forEach(s -> restored.put(s.labels(), s));
      stored.put(rule, restored);
    });
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
      // After the incidents: a crash in between leaves the state behind them, which the next
      // evaluation catches up on, never an alert marked firing whose incident was not opened.
      rule.storedIfChanged().ifPresent(active -> {
        state.save(rule.name(), stored.getOrDefault(rule, Map.of()), active);
        stored.put(rule, active);
      });
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
