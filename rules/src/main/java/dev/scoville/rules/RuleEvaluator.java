package dev.scoville.rules;

import dev.scoville.core.GroupCommitter;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.QueryBudget;
import dev.scoville.rules.promql.VectorSample;
import dev.scoville.rules.query.QueryConfig;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates each rule group every {@code interval}, its rules in order at one timestamp (recording
 * rules append their series to the store, where later rules and queries read them), and alerting
 * rules also as soon as the series they read get new samples (coalesced per rule over a
 * millisecond). Everything runs on one thread of its own, never on an event loop; the groups can
 * be replaced there (a reload) without losing the state of the rules that stay. An evaluation
 * hands the incidents it opens or resolves, and the alert state after them, to the incidents'
 * group commit and goes on with the next rule without waiting for the disk.
 */
final class RuleEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);
  private static final Counter EVALUATIONS = Counter.build("scoville_rule_evaluations_total",
      "Rule evaluations, by rule.").labelNames("rule").register();
  private static final Counter FAILURES = Counter.build("scoville_rule_evaluation_failures_total",
      "Rule evaluations that failed, by rule.").labelNames("rule").register();
  private static final Duration COALESCE = Duration.ofMillis(1);
  /** Evaluations whose changes may wait for their commit at once; the evaluator waits beyond. */
  private static final int MAX_UNCOMMITTED = 1024;

  private final SeriesReader series;
  private final Consumer<List<Sample>> recordedSeries;
  private final IncidentService incidents;
  private final Clock clock;
  private final QueryConfig limits;
  private final AlertStateStore state;
  /** What {@link #state} holds of each rule, as last written; touched only on the evaluator's thread. */
  private final Map<AlertRule, Map<Labels, AlertRule.Stored>> stored = new HashMap<>();
  /** Rules whose last state write failed: the next one writes all of their state. */
  private final Set<AlertRule> unsaved = new HashSet<>();
  private final Semaphore uncommitted = new Semaphore(MAX_UNCOMMITTED);
  private final Set<AlertRule> scheduled = ConcurrentHashMap.newKeySet();
  private volatile Thread evaluatorThread;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rule-evaluator");
    t.setDaemon(true);
    evaluatorThread = t;
    return t;
  });
  /** Replaced whole on the evaluator thread; read by appending threads too. */
  private volatile Index index;
  private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
  private boolean started;

  /** The loaded groups and what the evaluator derives from them, immutable once built. */
  private record Index(List<RuleGroup> groups, List<AlertRule> rules, Map<AlertRule, Duration> intervals,
      Map<String, List<AlertRule>> rulesByMetric, List<AlertRule> rulesReadingAnything) {
    static Index of(List<RuleGroup> groups) {
      List<AlertRule> rules = new ArrayList<>();
      Map<AlertRule, Duration> intervals = new IdentityHashMap<>();
      Map<String, List<AlertRule>> byMetric = new HashMap<>();
      List<AlertRule> readingAnything = new ArrayList<>();
      for (RuleGroup group : groups) {
        for (GroupRule groupRule : group.rules()) {
          if (groupRule instanceof AlertRule rule) {
            rules.add(rule);
            intervals.put(rule, group.interval());
            Set<String> names = rule.metricNames();
            if (names.isEmpty()) {
              readingAnything.add(rule);
            }
            names.forEach(n -> byMetric.computeIfAbsent(n, k -> new ArrayList<>()).add(rule));
          }
        }
      }
      return new Index(List.copyOf(groups), List.copyOf(rules), intervals, byMetric, readingAnything);
    }
  }

  RuleEvaluator(List<RuleGroup> groups, SeriesReader series, Consumer<List<Sample>> recordedSeries,
      IncidentService incidents, AlertStateStore state, Clock clock) {
    this(groups, series, recordedSeries, incidents, state, clock, QueryConfig.defaults());
  }

  /** Each rule's evaluation (its query and its {@code resolve_when}) gets one budget of {@code limits}. */
  RuleEvaluator(List<RuleGroup> groups, SeriesReader series, Consumer<List<Sample>> recordedSeries,
      IncidentService incidents, AlertStateStore state, Clock clock, QueryConfig limits) {
    this.limits = limits;
    this.state = state;
    this.series = series;
    this.recordedSeries = recordedSeries;
    this.incidents = incidents;
    this.clock = clock;
    this.index = indexOf(groups);
  }

  /** The index of new groups, their alerting rules' templates given the query function. */
  private Index indexOf(List<RuleGroup> groups) {
    Index built = Index.of(groups);
    built.rules().forEach(rule -> rule.queryWith(this::templateQuery));
    return built;
  }

  /** The templates' {@code query}: PromQL over the store now, during the rule's evaluation. */
  private List<VectorSample> templateQuery(String expression) throws PromQlException {
    long now = clock.millis();
    return PromQl.parse(expression).evaluate(series, now, Query.Bounds.instant(now), limits.budget());
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
    onThread(() -> {
      started = true;
      scheduleTicks();
    });
  }

  List<AlertRule> rules() {
    return index.rules();
  }

  /**
   * Takes back the alerts kept before the restart, before any evaluation. The firing alerts of a
   * rule that is no longer loaded resolve their incidents, saying so on the timeline.
   */
  void restore() {
    Instant now = clock.instant();
    Map<String, AlertRule> byName = new HashMap<>();
    index.rules().forEach(r -> byName.put(r.name(), r));
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

  List<RuleGroup> groups() {
    return index.groups();
  }

  /**
   * Puts new groups in place of the current ones, on the evaluator thread, and waits for it. A
   * rule of the same group (same file and name) and the same name takes over the old one's state;
   * the firing alerts of a rule that is gone resolve, and a removed recording rule's series go
   * stale.
   */
  void replace(List<RuleGroup> groups) {
    onThread(() -> {
      Map<String, Deque<GroupRule>> previous = new HashMap<>();
      for (RuleGroup group : index.groups()) {
        for (GroupRule rule : group.rules()) {
          previous.computeIfAbsent(key(group, rule), k -> new ArrayDeque<>()).add(rule);
        }
      }
      for (RuleGroup group : groups) {
        for (GroupRule rule : group.rules()) {
          Deque<GroupRule> candidates = previous.getOrDefault(key(group, rule), new ArrayDeque<>());
          GroupRule old = candidates.poll();
          if (old instanceof AlertRule oldAlert && rule instanceof AlertRule newAlert) {
            newAlert.adoptStateOf(oldAlert);
            Map<Labels, AlertRule.Stored> kept = stored.remove(oldAlert);
            if (kept != null) {
              stored.put(newAlert, kept);
            }
          } else if (old instanceof RecordingRule oldRecording && rule instanceof RecordingRule newRecording) {
            newRecording.adoptStateOf(oldRecording);
          }
        }
      }
      long now = clock.millis();
      for (Deque<GroupRule> removed : previous.values()) {
        for (GroupRule rule : removed) {
          if (rule instanceof AlertRule alert) {
            alert.firingAlerts().forEach(incidents::resolve);
            stored.remove(alert);
            state.forget(alert.name());
          } else {
            recordedSeries.accept(((RecordingRule) rule).staleMarkers(now));
          }
        }
      }
      index = indexOf(groups);
      if (started) {
        ticks.forEach(t -> t.cancel(false));
        ticks.clear();
        scheduleTicks();
      }
    });
  }

  private static String key(RuleGroup group, GroupRule rule) {
    return group.source() + "\u0000" + group.name() + "\u0000" + (rule instanceof AlertRule ? "alert " : "record ")
        + rule.name();
  }

  private void scheduleTicks() {
    for (RuleGroup group : index.groups()) {
      long interval = group.interval().toMillis();
      ticks.add(thread.scheduleAtFixedRate(() -> evaluate(group), interval, interval, TimeUnit.MILLISECONDS));
    }
  }

  /** Runs on the evaluator thread (at once when already there) and waits. */
  private void onThread(Runnable task) {
    if (Thread.currentThread() == evaluatorThread) {
      task.run();
      return;
    }
    try {
      thread.submit(task).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rule evaluator", e);
    }
  }

  private void samplesArrived(Set<String> metricNames) {
    Index current = index;
    for (String name : metricNames) {
      for (AlertRule rule : current.rulesByMetric().getOrDefault(name, List.of())) {
        schedule(rule);
      }
    }
    current.rulesReadingAnything().forEach(this::schedule);
  }

  private void schedule(AlertRule rule) {
    if (scheduled.add(rule)) {
      thread.schedule(() -> {
        scheduled.remove(rule);
        // A reload may have replaced it meanwhile. Not waiting for the commit: the next rule's
        // samples are evaluated while this one's incidents are written, and their incidents join
        // the same group commit. Waiting made each evaluation last a commit, so that at 1,000 new
        // alerts a second the evaluator fell behind and alerts waited 30-200 ms for it.
        if (index.intervals().containsKey(rule)) {
          evaluate(rule, clock.instant());
        }
      }, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One evaluation of a group: its rules in order, at one timestamp; returns once its changes are committed. */
  void evaluate(RuleGroup group) {
    Instant now = clock.instant();
    List<CompletableFuture<?>> commits = new ArrayList<>();
    for (GroupRule rule : group.rules()) {
      if (rule instanceof RecordingRule recording) {
        record(recording, now, group.interval());
      } else {
        commits.add(evaluate((AlertRule) rule, now));
      }
    }
    commits.forEach(CompletableFuture::join);
  }

  private void record(RecordingRule rule, Instant now, Duration interval) {
    try {
      EVALUATIONS.labels(rule.name()).inc();
      recordedSeries.accept(rule.evaluate(series, now.toEpochMilli(), bounds(now, interval), limits.budget()));
    } catch (RuntimeException e) {
      FAILURES.labels(rule.name()).inc();
      LOG.warn("Recording rule {} failed to evaluate: {}", rule.name(), e.getMessage());
    }
  }

  /**
   * Evaluates one rule now and returns once its changes are committed: for tests, which then read
   * what it stored. The evaluator's own evaluations never wait for their commits (see {@link
   * #schedule(AlertRule)}).
   */
  void evaluate(AlertRule rule) {
    evaluate(rule, clock.instant()).join();
  }

  /**
   * Evaluates one rule now; a failing rule is counted and logged and never stops the others. The
   * future completes once its changes are committed (or failed, which the rule is told of here).
   */
  private CompletableFuture<Void> evaluate(AlertRule rule, Instant now) {
    AlertRule.Transitions transitions;
    try {
      EVALUATIONS.labels(rule.name()).inc();
      Query.Bounds bounds = bounds(now, index.intervals().getOrDefault(rule, RulesConfig.Group.DEFAULT_INTERVAL));
      QueryBudget budget = limits.budget();
      List<VectorSample> result = rule.query().evaluate(series, now.toEpochMilli(), bounds, budget);
      transitions = rule.evaluate(result,
          () -> {
            // The query's samples are released by now; its deadline still holds.
            budget.holdOnly(0);
            return rule.resolveWhen().evaluate(series, now.toEpochMilli(), bounds, budget);
          }, now);
    } catch (RuntimeException e) {
      FAILURES.labels(rule.name()).inc();
      LOG.warn("Rule {} failed to evaluate: {}", rule.name(), e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    // Bounded, so that a database slower than the alerts makes the evaluator wait, not memory grow.
    uncommitted.acquireUninterruptibly();
    List<CompletableFuture<?>> changes = new ArrayList<>();
    for (Alert alert : transitions.fired()) {
      changes.add(incidents.openLater(alert).whenComplete((incident, e) -> {
        if (e != null) {
          // Isolated by the group commit: only this alert failed; the rule fires it again next time.
          failed(rule, "could not open the incident of " + alert.labels(), e, () -> rule.notOpened(alert));
        }
      }));
    }
    for (Alert alert : transitions.resolved()) {
      changes.add(incidents.resolveLater(alert, "the rule no longer fires").whenComplete((incident, e) -> {
        if (e != null) {
          failed(rule, "could not resolve the incident of " + alert.labels(), e, () -> rule.notResolved(alert, now));
        }
      }));
    }
    // After the incidents, in the same group commit: a crash before it loses both, and the next
    // evaluation catches up; never an alert marked firing whose incident was not opened.
    rule.storedIfChanged().filter(active -> state.keeps()).ifPresent(active -> {
      Map<Labels, AlertRule.Stored> before = unsaved.remove(rule) ? null : stored.getOrDefault(rule, Map.of());
      stored.put(rule, active);
      changes.add(incidents.commits().submit(c -> {
        AlertStateStore.save(c, rule.name(), before, active);
        return null;
      }).whenComplete((v, e) -> {
        if (e != null) {
          failed(rule, "could not keep its alert state", e, () -> {
            unsaved.add(rule);
            rule.storeAgain();
          });
        }
      }));
    });
    CompletableFuture<Void> all = CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new));
    all.whenComplete((v, e) -> uncommitted.release());
    return all.exceptionally(e -> null);
  }

  /** Counts and logs a change of {@code rule} that was not committed, and repairs its state on the evaluator thread. */
  private void failed(AlertRule rule, String what, Throwable e, Runnable repair) {
    FAILURES.labels(rule.name()).inc();
    LOG.error("Rule {} {}: {}", rule.name(), what, e.toString());
    thread.execute(repair);
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
