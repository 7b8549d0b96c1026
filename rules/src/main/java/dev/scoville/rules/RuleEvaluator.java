package dev.scoville.rules;

import dev.scoville.core.Sample;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.VectorSample;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates each rule group every {@code interval}, its rules in order at one timestamp (recording
 * rules append their series to the store, where later rules and queries read them), and alerting
 * rules also as soon as the series they read get new samples (coalesced per rule over a
 * millisecond). Everything runs on one thread of its own, never on an event loop.
 */
final class RuleEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);
  private static final Counter EVALUATIONS = Counter.build("scoville_rule_evaluations_total",
      "Rule evaluations, by rule.").labelNames("rule").register();
  private static final Counter FAILURES = Counter.build("scoville_rule_evaluation_failures_total",
      "Rule evaluations that failed, by rule.").labelNames("rule").register();
  private static final Duration COALESCE = Duration.ofMillis(1);

  private final List<RuleGroup> groups;
  private final List<AlertRule> rules = new ArrayList<>();
  private final Map<AlertRule, Duration> intervals = new IdentityHashMap<>();
  private final Map<String, List<AlertRule>> rulesByMetric = new HashMap<>();
  private final List<AlertRule> rulesReadingAnything = new ArrayList<>();
  private final SeriesReader series;
  private final Consumer<List<Sample>> recordedSeries;
  private final IncidentService incidents;
  private final Clock clock;
  private final Set<AlertRule> scheduled = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rule-evaluator");
    t.setDaemon(true);
    return t;
  });

  RuleEvaluator(List<RuleGroup> groups, SeriesReader series, Consumer<List<Sample>> recordedSeries,
      IncidentService incidents, Clock clock) {
    this.groups = List.copyOf(groups);
    this.series = series;
    this.recordedSeries = recordedSeries;
    this.incidents = incidents;
    this.clock = clock;
    for (RuleGroup group : groups) {
      for (GroupRule groupRule : group.rules()) {
        if (groupRule instanceof AlertRule rule) {
          rules.add(rule);
          intervals.put(rule, group.interval());
          Set<String> names = rule.metricNames();
          if (names.isEmpty()) {
            rulesReadingAnything.add(rule);
          }
          names.forEach(n -> rulesByMetric.computeIfAbsent(n, k -> new ArrayList<>()).add(rule));
        }
      }
    }
  }

  void start() {
    series.onAppend(this::samplesArrived);
    for (RuleGroup group : groups) {
      long interval = group.interval().toMillis();
      thread.scheduleAtFixedRate(() -> evaluate(group), interval, interval, TimeUnit.MILLISECONDS);
    }
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

  /** One evaluation of a group: its rules in order, at one timestamp. */
  void evaluate(RuleGroup group) {
    Instant now = clock.instant();
    for (GroupRule rule : group.rules()) {
      if (rule instanceof RecordingRule recording) {
        record(recording, now, group.interval());
      } else {
        evaluate((AlertRule) rule, now);
      }
    }
  }

  private void record(RecordingRule rule, Instant now, Duration interval) {
    try {
      EVALUATIONS.labels(rule.name()).inc();
      recordedSeries.accept(rule.evaluate(series, now.toEpochMilli(), bounds(now, interval)));
    } catch (RuntimeException e) {
      FAILURES.labels(rule.name()).inc();
      LOG.warn("Recording rule {} failed to evaluate: {}", rule.name(), e.getMessage());
    }
  }

  /** Evaluates one rule now; a failing rule is counted and logged and never stops the others. */
  void evaluate(AlertRule rule) {
    evaluate(rule, clock.instant());
  }

  private void evaluate(AlertRule rule, Instant now) {
    try {
      EVALUATIONS.labels(rule.name()).inc();
      Query.Bounds bounds = bounds(now, intervals.getOrDefault(rule, RulesConfig.Group.DEFAULT_INTERVAL));
      List<VectorSample> result = rule.query().evaluate(series, now.toEpochMilli(), bounds);
      AlertRule.Transitions transitions = rule.evaluate(result,
          () -> rule.resolveWhen().evaluate(series, now.toEpochMilli(), bounds), now);
      transitions.fired().forEach(incidents::open);
      transitions.resolved().forEach(incidents::resolve);
    } catch (RuntimeException e) {
      FAILURES.labels(rule.name()).inc();
      LOG.warn("Rule {} failed to evaluate: {}", rule.name(), e.getMessage());
    }
  }

  /** As in Prometheus, a subquery without a step in a rule steps by the group's interval. */
  private static Query.Bounds bounds(Instant now, Duration interval) {
    return new Query.Bounds(now.toEpochMilli(), now.toEpochMilli(), interval.toMillis());
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
