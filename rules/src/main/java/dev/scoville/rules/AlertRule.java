package dev.scoville.rules;

import dev.scoville.core.Labels;
import dev.scoville.core.PrometheusDuration;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.VectorSample;
import dev.scoville.rules.template.AlertTemplate;
import dev.scoville.rules.template.TemplateData;
import dev.scoville.rules.template.TemplateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One alerting rule and the state of its alerts: each label set the expression returns goes
 * pending, then firing once it has lasted {@code for}, and resolves when it has stopped returning
 * for {@code keep_firing_for} (at once by default) and, with {@code resolve_when}, once that
 * expression returns it too. Firing label sets that agree on the {@code group_by} labels form
 * one group, which is what becomes an incident: it fires with its first member and resolves with
 * its last. A group that resolved twice within the flap window and fires again is flapping: it
 * resolves only after a whole window without firing.
 * Not thread-safe: the evaluator calls it from one thread.
 */
final class AlertRule implements GroupRule {
  private static final int RESOLVES_BEFORE_FLAPPING = 2;

  private final String name;
  private final Query query;
  private final Lifecycle lifecycle;
  private final Map<String, String> labels;
  private final Map<String, AlertTemplate> labelTemplates = new TreeMap<>();
  private final Map<String, AlertTemplate> annotations = new TreeMap<>();
  /** The rule's labels and alertname when no label is a template or empty; null otherwise. */
  private final Labels plainLabels;
  private final Handling handling;
  private final Map<Labels, Active> active = new HashMap<>();
  private final Map<Labels, Group> groups = new HashMap<>();
  /**
   * Every resolve within the flap window, oldest first: forgetting those older than the window
   * then costs what is forgotten. Walking every group's resolves at every evaluation took more
   * than half of this class's CPU for rules with a thousand resolves in their window.
   */
  private final Deque<GroupResolve> recentResolves = new ArrayDeque<>();
  /** How many of {@link #recentResolves} each group has. */
  private final Map<Labels, Integer> resolvesInWindow = new HashMap<>();
  private TemplateData.Queries queries;
  /** Whether an alert became active, fired or went since {@link #storedIfChanged()} last looked. */
  private boolean changed;

  /**
   * How an alert lives: {@code resolveWhen} is null when the breach ending is enough, {@code
   * groupBy} null for one group per label set, {@code flapWindow} zero to never damp flapping.
   */
  record Lifecycle(Duration forDuration, Duration keepFiringFor, Query resolveWhen, List<String> groupBy,
      Duration flapWindow) {
    static final Lifecycle IMMEDIATE = new Lifecycle(Duration.ZERO, Duration.ZERO, null, null, Duration.ZERO);

    Lifecycle {
      groupBy = groupBy == null ? null : List.copyOf(groupBy);
    }
  }

  AlertRule(String name, Query query, Lifecycle lifecycle, Map<String, String> labels,
      Map<String, String> annotations, Handling handling) {
    this.name = name;
    this.query = query;
    this.lifecycle = lifecycle;
    this.labels = labels;
    this.handling = handling;
    try {
      for (Map.Entry<String, String> label : labels.entrySet()) {
        labelTemplates.put(label.getKey(), AlertTemplate.parse(label.getValue()));
      }
      for (Map.Entry<String, String> annotation : annotations.entrySet()) {
        this.annotations.put(annotation.getKey(), AlertTemplate.parse(annotation.getValue()));
      }
    } catch (TemplateException e) {
      throw new IllegalArgumentException("rule " + name + ": " + e.getMessage(), e);
    }
    boolean plain = labelTemplates.values().stream().allMatch(t -> t.isPlainText() && !t.toString().isEmpty());
    Map<String, String> ruleLabels = new TreeMap<>(labels);
    ruleLabels.put("alertname", name);
    this.plainLabels = plain ? Labels.fromMap(ruleLabels) : null;
  }

  @Override
  public String name() {
    return name;
  }

  Query query() {
    return query;
  }

  Query resolveWhen() {
    return lifecycle.resolveWhen();
  }

  /** The metrics whose new samples may change this rule's alerts; empty for any metric. */
  Set<String> metricNames() {
    Query resolveWhen = lifecycle.resolveWhen();
    if (resolveWhen == null) {
      return query.metricNames();
    }
    if (query.metricNames().isEmpty() || resolveWhen.metricNames().isEmpty()) {
      return Set.of();
    }
    Set<String> names = new HashSet<>(query.metricNames());
    names.addAll(resolveWhen.metricNames());
    return names;
  }

  /**
   * Groups that changed state at {@code now}, given the expression's result then; {@code
   * recovered} is the result of {@code resolve_when}, asked for only when a firing alert is no
   * longer in {@code result}.
   */
  Transitions evaluate(List<VectorSample> result, Supplier<List<VectorSample>> recovered, Instant now) {
    forgetResolvesBefore(now.minus(lifecycle.flapWindow()));
    List<Alert> fired = new ArrayList<>();
    List<Alert> resolved = new ArrayList<>();
    Map<Labels, VectorSample> current = new HashMap<>();
    for (VectorSample sample : result) {
      current.put(alertLabels(sample), sample);
    }
    for (Map.Entry<Labels, VectorSample> e : current.entrySet()) {
      Active a = active.computeIfAbsent(e.getKey(), k -> {
        changed = true;
        return new Active(now);
      });
      a.value = e.getValue().value();
      a.sampleLabels = e.getValue().labels();
      a.lastSeen = now;
      if (!a.firing && !now.isBefore(a.since.plus(lifecycle.forDuration()))) {
        a.firing = true;
        changed = true;
        memberFired(e.getKey(), a, now, fired);
      }
    }
    List<VectorSample> recoveredSamples = null;
    Iterator<Map.Entry<Labels, Active>> it = active.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Labels, Active> e = it.next();
      Active a = e.getValue();
      if (current.containsKey(e.getKey())) {
        continue;
      }
      if (a.firing) {
        if (now.isBefore(a.lastSeen.plus(lifecycle.keepFiringFor()))) {
          continue;
        }
        if (lifecycle.resolveWhen() != null) {
          recoveredSamples = recoveredSamples == null ? recovered.get() : recoveredSamples;
          if (!recoveredCovers(recoveredSamples, e.getKey())) {
            continue;
          }
        }
        memberResolved(e.getKey(), now);
      }
      it.remove();
      changed = true;
    }
    resolveQuietGroups(now, resolved);
    return new Transitions(fired, resolved);
  }

  private void memberFired(Labels member, Active a, Instant now, List<Alert> fired) {
    Labels groupLabels = groupLabels(member);
    Group group = groups.get(groupLabels);
    if (group == null) {
      boolean flapping = resolvesInWindow.getOrDefault(groupLabels, 0) >= RESOLVES_BEFORE_FLAPPING;
      AlertTemplate template = annotations.get("summary");
      String summary = template == null ? name + " is firing" : template.render(templateData(a.sampleLabels, a.value));
      if (flapping) {
        summary += " [flapping: resolves after " + PrometheusDuration.format(lifecycle.flapWindow()) + " quiet]";
      }
      group = new Group(new Alert(name, groupLabels, summary, a.value, a.since, handling), flapping);
      groups.put(groupLabels, group);
      fired.add(group.alert);
    }
    group.members.add(member);
    group.quietSince = null;
  }

  private void memberResolved(Labels member, Instant now) {
    Group group = groups.get(groupLabels(member));
    group.members.remove(member);
    if (group.members.isEmpty()) {
      group.quietSince = now;
    }
  }

  /** Groups left without members resolve, at once or, when flapping, after a quiet window. */
  private void resolveQuietGroups(Instant now, List<Alert> resolved) {
    Iterator<Map.Entry<Labels, Group>> it = groups.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Labels, Group> e = it.next();
      Group group = e.getValue();
      if (group.quietSince == null || group.flapping && now.isBefore(group.quietSince.plus(lifecycle.flapWindow()))) {
        continue;
      }
      resolved.add(group.alert);
      it.remove();
      if (!lifecycle.flapWindow().isZero()) {
        recentResolves.addLast(new GroupResolve(e.getKey(), now));
        resolvesInWindow.merge(e.getKey(), 1, Integer::sum);
      }
    }
  }

  private void forgetResolvesBefore(Instant cutoff) {
    for (GroupResolve oldest = recentResolves.peekFirst(); oldest != null && oldest.at().isBefore(cutoff);
        oldest = recentResolves.peekFirst()) {
      recentResolves.removeFirst();
      resolvesInWindow.computeIfPresent(oldest.group(), (group, count) -> count == 1 ? null : count - 1);
    }
  }

  private record GroupResolve(Labels group, Instant at) {}

  /** Whether {@code resolve_when} returned a sample whose labels all agree with the alert's. */
  private static boolean recoveredCovers(List<VectorSample> recovered, Labels alert) {
    for (VectorSample sample : recovered) {
      Labels sampleLabels = sample.labels();
      boolean covers = true;
      for (int i = 0; i < sampleLabels.size() && covers; i++) {
        String label = sampleLabels.name(i);
        covers = label.equals(Labels.METRIC_NAME) || sampleLabels.value(i).equals(alert.get(label));
      }
      if (covers) {
        return true;
      }
    }
    return false;
  }

  /** The sample's labels without its name, the rule's labels (templates rendered) and alertname. */
  private Labels alertLabels(VectorSample sample) {
    if (plainLabels != null) {
      return sample.labels().without(Labels.METRIC_NAME, plainLabels);
    }
    Map<String, String> map = sample.labels().toMap();
    map.remove(Labels.METRIC_NAME);
    for (Map.Entry<String, AlertTemplate> label : labelTemplates.entrySet()) {
      AlertTemplate template = label.getValue();
      map.put(label.getKey(), template.isPlainText() ? template.toString()
          : template.render(templateData(sample.labels(), sample.value())));
    }
    map.put("alertname", name);
    return Labels.fromMap(map);
  }

  /** The labels an incident carries: the rule's own, alertname, and the {@code group_by} ones. */
  private Labels groupLabels(Labels member) {
    if (lifecycle.groupBy() == null) {
      return member;
    }
    Map<String, String> map = new TreeMap<>(labels);
    map.put("alertname", name);
    for (String label : lifecycle.groupBy()) {
      String value = member.get(label);
      if (value != null) {
        map.put(label, value);
      }
    }
    return Labels.fromMap(map);
  }

  /** Lets the templates' {@code query} function read the series; without it, query fails to render. */
  void queryWith(TemplateData.Queries queries) {
    this.queries = queries;
  }

  /**
   * What Prometheus gives an alert's templates: the expression's sample labels (metric name
   * included) and value. Scoville has no external labels or external URL of its own.
   */
  private TemplateData templateData(Labels sampleLabels, double value) {
    return new TemplateData(sampleLabels.toMap(), Map.of(), "", value, queries);
  }

  /**
   * After a reload, the rule of the same name takes over the state of the one it replaces, as
   * Prometheus's rule manager does: pending timers, firing groups and flap history carry on, and
   * alerts the new definition no longer returns resolve at its next evaluation.
   */
  void adoptStateOf(AlertRule previous) {
    active.putAll(previous.active);
    groups.putAll(previous.groups);
    recentResolves.addAll(previous.recentResolves);
    resolvesInWindow.putAll(previous.resolvesInWindow);
  }

  /**
   * Forgets that {@code alert} fired, as its incident could not be stored: the members still
   * returned fire again at the next evaluation, which tries again.
   */
  void notOpened(Alert alert) {
    Group group = groups.get(alert.labels());
    if (group == null || group.alert != alert) {
      return;
    }
    groups.remove(alert.labels());
    for (Labels member : group.members) {
      Active a = active.get(member);
      if (a != null) {
        a.firing = false;
      }
    }
    changed = true;
  }

  /**
   * Takes back {@code alert}, whose incident could not be resolved, as a group gone quiet: the next
   * evaluation resolves it again, unless its alerts came back meanwhile.
   */
  void notResolved(Alert alert, Instant quietSince) {
    if (!groups.containsKey(alert.labels())) {
      Group group = new Group(alert, false);
      group.quietSince = quietSince;
      groups.put(alert.labels(), group);
    }
  }

  /** Has the next {@link #storedIfChanged()} give the active alerts even when none changed. */
  void storeAgain() {
    changed = true;
  }

  /** The alerts of the groups firing now, for resolving them when the rule is removed. */
  List<Alert> firingAlerts() {
    return groups.values().stream().map(g -> g.alert).toList();
  }

  record Transitions(List<Alert> fired, List<Alert> resolved) {}

  /** An active alert as kept across restarts: since when, whether it fires, its incident's labels. */
  record Stored(Labels labels, Labels groupLabels, Instant since, boolean firing) {}

  /** The active alerts, when they changed since the last call (empty otherwise). */
  Optional<Map<Labels, Stored>> storedIfChanged() {
    if (!changed) {
      return Optional.empty();
    }
    changed = false;
    Map<Labels, Stored> stored = new HashMap<>();
    active.forEach((member, a) -> stored.put(member, new Stored(member, groupLabels(member), a.since, a.firing)));
    return Optional.of(stored);
  }

  /**
   * Takes back the alerts kept before a restart, before the first evaluation: a pending one keeps
   * its {@code for} timer; a firing one its group, whose incident is open, so that it opens
   * nothing new and resolves as usual once the expression no longer returns it.
   */
  void restore(Collection<Stored> stored, Instant now) {
    for (Stored s : stored) {
      Active a = new Active(s.since());
      a.firing = s.firing();
      a.value = Double.NaN;
      a.lastSeen = now;
      active.put(s.labels(), a);
      if (s.firing()) {
        Labels group = groupLabels(s.labels());
        groups.computeIfAbsent(group, g -> new Group(new Alert(name, g, name, Double.NaN, s.since(), handling), false))
            .members.add(s.labels());
      }
    }
  }

  private static final class Active {
    final Instant since;
    boolean firing;
    double value;
    Labels sampleLabels;
    Instant lastSeen;

    Active(Instant since) {
      this.since = since;
    }
  }

  /** Firing label sets sharing their group labels; the alert is the one its incident opened with. */
  private static final class Group {
    final Alert alert;
    final boolean flapping;
    final Set<Labels> members = new HashSet<>();
    Instant quietSince;

    Group(Alert alert, boolean flapping) {
      this.alert = alert;
      this.flapping = flapping;
    }
  }
}
