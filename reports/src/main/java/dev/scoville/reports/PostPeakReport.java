package dev.scoville.reports;

import dev.scoville.contingency.ActionRun;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.Incident;
import dev.scoville.rules.promql.PromQlEvaluationException;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.promql.VectorSample;
import dev.scoville.rules.promql.WatchedValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a peak window looked like, for the people who review it: how the team handled incidents
 * (time to acknowledge and to resolve, overall and by severity), which rules fired and for how
 * long, what was done and whether it helped (the watched value before and after), and the
 * business results against the plan and against the same window a week earlier. Immutable.
 */
public record PostPeakReport(
    Instant from,
    Instant to,
    List<Handling> handling,
    List<IncidentRow> incidents,
    List<RuleRow> rules,
    List<ActionRow> actions,
    List<MeasureRow> measures) {

  static final Duration EFFECT_SPAN = Duration.ofMinutes(5);
  private static final Duration WEEK = Duration.ofDays(7);
  private static final int SAMPLES = 60;

  /** Mean time to acknowledge and to resolve, for one severity or (severity null) for all. */
  public record Handling(Incident.Severity severity, int incidents, Duration meanToAcknowledge, Duration meanToResolve) {}

  /** One incident opened in the window. */
  public record IncidentRow(long id, String rule, Incident.Severity severity, Instant openedAt, Duration toAcknowledge,
      Duration toResolve, String acknowledgedBy) {}

  /** A rule that fired in the window: how often, and how long its incidents stayed open within it. */
  public record RuleRow(String rule, int incidents, Duration open) {}

  /**
   * An action run in the window and its effect: the mean of its incident's watched value over the
   * five minutes before it and the five minutes after.
   */
  public record ActionRow(long runId, String action, String kind, String by, Instant at, String outcome,
      String incidentId, String watched, Double before, Double after) {}

  /** A measure's mean over the window, the plan, and the same window a week earlier. */
  public record MeasureRow(String name, String unit, Double actual, Double expected, Double weekEarlier) {
    public Double versusExpected() {
      return actual == null || expected == null || expected == 0 ? null : actual / expected - 1;
    }

    public Double versusWeekEarlier() {
      return actual == null || weekEarlier == null || weekEarlier == 0 ? null : actual / weekEarlier - 1;
    }
  }

  /**
   * Builds the report of {@code [from, to)}.
   *
   * @param incidents incidents opened in the window
   * @param runs the audit log; runs outside the window, previews and refusals of approval are left out
   * @param ruleExpression a rule's expression, for the value an action's incident watched
   */
  public static PostPeakReport build(Instant from, Instant to, List<Incident> incidents, List<ActionRun> runs,
      SeriesReader series, Function<String, Optional<String>> ruleExpression, List<Measure> measures) {
    List<Incident> opened = incidents.stream()
        .filter(i -> !i.openedAt().isBefore(from) && i.openedAt().isBefore(to))
        .sorted(Comparator.comparing(Incident::openedAt)).toList();
    List<IncidentRow> rows = opened.stream().map(i -> new IncidentRow(i.id(), i.rule(), i.severity(), i.openedAt(),
        between(i.openedAt(), i.acknowledgedAt()), between(i.openedAt(), i.resolvedAt()), i.acknowledgedBy())).toList();
    Map<Long, Incident> byId = new LinkedHashMap<>();
    opened.forEach(i -> byId.put(i.id(), i));
    List<ActionRow> actions = new ArrayList<>();
    runs.stream()
        .filter(r -> !r.dryRun() && r.kind() != ActionRun.Kind.APPROVAL)
        .filter(r -> !r.requestedAt().isBefore(from) && r.requestedAt().isBefore(to))
        .sorted(Comparator.comparing(ActionRun::requestedAt))
        .forEach(r -> actions.add(effect(r, byId, incidents, series, ruleExpression)));
    List<MeasureRow> measureRows = measures.stream().map(m -> new MeasureRow(m.name(), m.unit(),
        mean(m.query(), series, from, to), m.expected(), mean(m.query(), series, from.minus(WEEK), to.minus(WEEK))))
        .toList();
    return new PostPeakReport(from, to, handling(rows), rows, rules(opened, to), List.copyOf(actions), measureRows);
  }

  private static List<Handling> handling(List<IncidentRow> rows) {
    List<Handling> all = new ArrayList<>();
    all.add(handling(null, rows));
    Map<Incident.Severity, List<IncidentRow>> bySeverity = new EnumMap<>(Incident.Severity.class);
    rows.forEach(r -> bySeverity.computeIfAbsent(r.severity(), s -> new ArrayList<>()).add(r));
    bySeverity.forEach((severity, list) -> all.add(handling(severity, list)));
    return all;
  }

  private static Handling handling(Incident.Severity severity, List<IncidentRow> rows) {
    return new Handling(severity, rows.size(), mean(rows.stream().map(IncidentRow::toAcknowledge).toList()),
        mean(rows.stream().map(IncidentRow::toResolve).toList()));
  }

  private static List<RuleRow> rules(List<Incident> opened, Instant to) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    Map<String, Duration> open = new LinkedHashMap<>();
    for (Incident i : opened) {
      counts.computeIfAbsent(i.rule(), r -> new int[1])[0]++;
      Instant end = i.resolvedAt() == null || i.resolvedAt().isAfter(to) ? to : i.resolvedAt();
      open.merge(i.rule(), Duration.between(i.openedAt(), end), Duration::plus);
    }
    List<RuleRow> rows = new ArrayList<>();
    counts.forEach((rule, n) -> rows.add(new RuleRow(rule, n[0], open.get(rule))));
    rows.sort(Comparator.comparing(RuleRow::open).reversed());
    return rows;
  }

  private static ActionRow effect(ActionRun run, Map<Long, Incident> opened, List<Incident> all, SeriesReader series,
      Function<String, Optional<String>> ruleExpression) {
    Optional<Incident> incident = Optional.ofNullable(run.incidentId()).flatMap(id -> {
      try {
        long n = Long.parseLong(id);
        return Optional.ofNullable(opened.get(n)).or(() -> all.stream().filter(i -> i.id() == n).findFirst());
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
    Optional<WatchedValue> watched = incident.flatMap(i -> ruleExpression.apply(i.rule())).flatMap(WatchedValue::of);
    Instant at = run.finishedAt() == null ? run.requestedAt() : run.finishedAt();
    Double before = watched.map(w -> mean(w.query(), series, at.minus(EFFECT_SPAN), at)).orElse(null);
    Double after = watched.map(w -> mean(w.query(), series, at, at.plus(EFFECT_SPAN))).orElse(null);
    return new ActionRow(run.id(), run.action(), run.kind().name().toLowerCase(), run.requestedBy(), run.requestedAt(),
        run.outcome().name().toLowerCase().replace('_', ' '), run.incidentId(),
        watched.map(w -> w.query().toString()).orElse(null), before, after);
  }

  /**
   * The mean of the expression over {@code [from, to)}, sampled at {@value #SAMPLES} instants; each
   * instant's series are averaged. Null when nothing answers.
   */
  static Double mean(Query query, SeriesReader series, Instant from, Instant to) {
    long step = Math.max(1, Duration.between(from, to).toMillis() / SAMPLES);
    double sum = 0;
    int n = 0;
    for (long t = from.toEpochMilli() + step; t <= to.toEpochMilli(); t += step) {
      try {
        List<VectorSample> samples = query.evaluate(series, t);
        double s = 0;
        int k = 0;
        for (VectorSample v : samples) {
          if (!Double.isNaN(v.value())) {
            s += v.value();
            k++;
          }
        }
        if (k > 0) {
          sum += s / k;
          n++;
        }
      } catch (PromQlEvaluationException e) {
        // an instant that fails to evaluate counts as one without data
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static Duration between(Instant from, Instant to) {
    return to == null ? null : Duration.between(from, to);
  }

  private static Duration mean(List<Duration> durations) {
    List<Duration> known = durations.stream().filter(Objects::nonNull).toList();
    return known.isEmpty() ? null : known.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(known.size());
  }
}
