package dev.scoville.rules;

import dev.scoville.core.Labels;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.VectorSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One alerting rule and the state of its alerts: each label set the expression returns goes
 * pending, then firing once it has lasted {@code for}, and resolves when it has stopped returning
 * for {@code keep_firing_for} (at once by default).
 * Not thread-safe: the evaluator calls it from one thread.
 */
final class AlertRule {
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*(\\$value|\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*))\\s*}}");

  private final String name;
  private final Query query;
  private final Duration forDuration;
  private final Duration keepFiringFor;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;
  private final Handling handling;
  private final Map<Labels, Active> active = new HashMap<>();

  AlertRule(String name, Query query, Duration forDuration, Duration keepFiringFor,
      Map<String, String> labels, Map<String, String> annotations, Handling handling) {
    this.name = name;
    this.query = query;
    this.forDuration = forDuration;
    this.keepFiringFor = keepFiringFor;
    this.labels = labels;
    this.annotations = annotations;
    this.handling = handling;
  }

  String name() {
    return name;
  }

  Query query() {
    return query;
  }

  /** Alerts that changed state at {@code now}, given the expression's result then. */
  Transitions evaluate(List<VectorSample> result, Instant now) {
    List<Alert> fired = new ArrayList<>();
    List<Alert> resolved = new ArrayList<>();
    Map<Labels, VectorSample> current = new HashMap<>();
    for (VectorSample sample : result) {
      current.put(alertLabels(sample.labels()), sample);
    }
    for (Map.Entry<Labels, VectorSample> e : current.entrySet()) {
      Active a = active.computeIfAbsent(e.getKey(), k -> new Active(now));
      a.value = e.getValue().value();
      a.lastSeen = now;
      if (!a.firing && !now.isBefore(a.since.plus(forDuration))) {
        a.firing = true;
        fired.add(alert(e.getKey(), a));
      }
    }
    Iterator<Map.Entry<Labels, Active>> it = active.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Labels, Active> e = it.next();
      Active a = e.getValue();
      if (!current.containsKey(e.getKey())) {
        if (a.firing && now.isBefore(a.lastSeen.plus(keepFiringFor))) {
          continue;
        }
        if (a.firing) {
          resolved.add(alert(e.getKey(), e.getValue()));
        }
        it.remove();
      }
    }
    return new Transitions(fired, resolved);
  }

  private Labels alertLabels(Labels sampleLabels) {
    Map<String, String> map = sampleLabels.toMap();
    map.remove(Labels.METRIC_NAME);
    map.putAll(labels);
    map.put("alertname", name);
    return Labels.fromMap(map);
  }

  private Alert alert(Labels alertLabels, Active a) {
    String summary = annotations.getOrDefault("summary", name + " is firing");
    return new Alert(name, alertLabels, expand(summary, alertLabels, a.value), a.value, a.since, handling);
  }

  /** Prometheus-style {@code {{ $value }}} and {@code {{ $labels.x }}} in annotations. */
  static String expand(String template, Labels labels, double value) {
    Matcher m = TEMPLATE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(2) == null ? formatValue(value) : String.valueOf(labels.get(m.group(2)));
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }

  private static String formatValue(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    return String.format("%.4g", value);
  }

  record Transitions(List<Alert> fired, List<Alert> resolved) {}

  private static final class Active {
    final Instant since;
    boolean firing;
    double value;
    Instant lastSeen;

    Active(Instant since) {
      this.since = since;
    }
  }
}
