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
 * business results against the plan and against the same window a week earlier, capacity, third
 * parties, customer feedback, a forecast for the next peak, and the follow-up list it ends with.
 * Immutable.
 */
public record PostPeakReport(
    Instant from,
    Instant to,
    List<Handling> handling,
    List<IncidentRow> incidents,
    List<RuleRow> rules,
    List<ActionRow> actions,
    List<MeasureRow> measures,
    List<CapacityRow> capacity,
    List<ThirdPartyRow> thirdParties,
    FeedbackSummary feedback,
    Forecast forecast,
    List<FollowUp> followUps) {

  static final Duration EFFECT_SPAN = Duration.ofMinutes(5);
  private static final Duration WEEK = Duration.ofDays(7);
  private static final int SAMPLES = 60;
  private static final int CAPACITY_SAMPLES = 240;

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
   * When a component's limit was first crossed, and at what traffic (a ratio of the baseline, 1.0
   * being 100 %); for a component that never crossed it, the highest value it reached.
   *
   * @param crossedAt null when the limit held through the window
   * @param peakTraffic the highest traffic in the window, as a ratio of the baseline
   */
  public record CapacityRow(String name, String unit, double limit, Instant crossedAt, Double trafficAtCrossing,
      Double highest, Double peakTraffic) {
    /** How far below its limit the component stayed (0.2: 20 % below); null once it crossed it. */
    public Double headroom() {
      return crossedAt != null || highest == null || limit == 0 ? null : 1 - highest / limit;
    }
  }

  /**
   * How available a third party was: the share of the window's sampled instants its expression
   * said 1, and for how long it said less.
   *
   * @param availability null when its expression never answered
   * @param firstOutage the first instant it was unavailable, or null
   */
  public record ThirdPartyRow(String name, Double availability, Duration unavailableFor, Instant firstOutage) {}

  /**
   * The next peak, naively: this one's traffic and results times the growth the plan expects,
   * with each component's limit read against the traffic that brings.
   *
   * @param peakTraffic this window's highest traffic, a ratio of the baseline (null: no traffic configured)
   */
  public record Forecast(double growth, Double peakTraffic, List<MeasureForecast> measures,
      List<ComponentForecast> components) {
    /** The next peak's highest traffic, a ratio of the baseline. */
    public Double nextPeakTraffic() {
      return peakTraffic == null ? null : peakTraffic * growth;
    }
  }

  /** A measure at the next peak if it grows with the traffic. */
  public record MeasureForecast(String name, String unit, Double thisPeak, Double nextPeak) {}

  /**
   * Whether a component holds at the next peak's traffic: one that crossed its limit at traffic
   * T needs the next peak's traffic over T more capacity; one that never crossed it is projected
   * to grow with the traffic.
   *
   * @param capacityNeeded extra capacity needed (0.2: 20 % more), 0 when it should hold; null without traffic
   */
  public record ComponentForecast(String name, String unit, double limit, Double projectedHighest,
      Double capacityNeeded) {}

  /**
   * Builds the report of {@code [from, to)}.
   *
   * @param incidents incidents opened in the window
   * @param runs the audit log; runs outside the window, previews and refusals of approval are left out
   * @param ruleExpression a rule's expression, for the value an action's incident watched
   * @param feedback the window's customer feedback ({@link FeedbackLog#summary})
   * @param followUps the open follow-up list, which the report ends with
   */
  public static PostPeakReport build(Instant from, Instant to, List<Incident> incidents, List<ActionRun> runs,
      SeriesReader series, Function<String, Optional<String>> ruleExpression, ReportPlan plan,
      FeedbackSummary feedback, List<FollowUp> followUps) {
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
    List<MeasureRow> measureRows = plan.measures().stream().map(m -> new MeasureRow(m.name(), m.unit(),
        mean(m.query(), series, from, to), m.expected(), mean(m.query(), series, from.minus(WEEK), to.minus(WEEK))))
        .toList();
    List<CapacityRow> capacity = capacity(plan, series, from, to);
    return new PostPeakReport(from, to, handling(rows), rows, rules(opened, to), List.copyOf(actions), measureRows,
        capacity, thirdParties(plan, series, from, to), feedback, forecast(plan, measureRows, capacity),
        List.copyOf(followUps));
  }

  private static List<ThirdPartyRow> thirdParties(ReportPlan plan, SeriesReader series, Instant from, Instant to) {
    long step = capacityStep(from, to);
    List<ThirdPartyRow> rows = new ArrayList<>();
    for (ReportPlan.ThirdParty party : plan.thirdParties()) {
      int answered = 0;
      int available = 0;
      Instant firstOutage = null;
      for (long t = from.toEpochMilli() + step; t <= to.toEpochMilli(); t += step) {
        Double value = meanAt(party.query(), series, t);
        if (value == null) {
          continue;
        }
        answered++;
        if (value >= 1) {
          available++;
        } else if (firstOutage == null) {
          firstOutage = Instant.ofEpochMilli(t);
        }
      }
      rows.add(new ThirdPartyRow(party.name(), answered == 0 ? null : (double) available / answered,
          Duration.ofMillis(step * (answered - available)), firstOutage));
    }
    return rows;
  }

  private static Forecast forecast(ReportPlan plan, List<MeasureRow> measures, List<CapacityRow> capacity) {
    double growth = plan.nextPeakGrowth();
    Double peakTraffic = capacity.stream().map(CapacityRow::peakTraffic).filter(Objects::nonNull).findFirst()
        .orElse(null);
    List<MeasureForecast> measureForecasts = measures.stream().map(m -> new MeasureForecast(m.name(), m.unit(),
        m.actual(), m.actual() == null ? null : m.actual() * growth)).toList();
    List<ComponentForecast> components = new ArrayList<>();
    for (CapacityRow c : capacity) {
      Double projected = c.highest() == null ? null : c.highest() * growth;
      Double needed = null;
      if (peakTraffic != null && c.trafficAtCrossing() != null) {
        needed = Math.max(0, peakTraffic * growth / c.trafficAtCrossing() - 1);
      } else if (c.crossedAt() == null && projected != null && c.limit() > 0) {
        needed = Math.max(0, projected / c.limit() - 1);
      }
      components.add(new ComponentForecast(c.name(), c.unit(), c.limit(), projected, needed));
    }
    return new Forecast(growth, peakTraffic, measureForecasts, components);
  }

  /** Components that saturated first, in the order they did, then the others, least headroom first. */
  private static List<CapacityRow> capacity(ReportPlan plan, SeriesReader series, Instant from, Instant to) {
    long step = capacityStep(from, to);
    int instants = (int) ((to.toEpochMilli() - from.toEpochMilli()) / step);
    // The traffic at each instant, a ratio of the baseline: read once, for every limit.
    Double[] traffic = new Double[instants];
    Double peakTraffic = null;
    for (int i = 0; i < instants && plan.traffic() != null; i++) {
      Double sum = sum(plan.traffic().query(), series, from.toEpochMilli() + (i + 1) * step);
      traffic[i] = sum == null ? null : sum / plan.traffic().baseline();
      if (traffic[i] != null && (peakTraffic == null || traffic[i] > peakTraffic)) {
        peakTraffic = traffic[i];
      }
    }
    List<CapacityRow> rows = new ArrayList<>();
    for (ReportPlan.Limit limit : plan.limits()) {
      Instant crossedAt = null;
      Double trafficAtCrossing = null;
      Double highest = null;
      for (int i = 0; i < instants; i++) {
        long t = from.toEpochMilli() + (i + 1) * step;
        Double value = max(limit.query(), series, t);
        if (value == null) {
          continue;
        }
        highest = highest == null ? value : Math.max(highest, value);
        if (crossedAt == null && value > limit.above()) {
          crossedAt = Instant.ofEpochMilli(t);
          trafficAtCrossing = traffic[i];
        }
      }
      rows.add(new CapacityRow(limit.name(), limit.unit(), limit.above(), crossedAt, trafficAtCrossing, highest,
          peakTraffic));
    }
    rows.sort(Comparator.comparing((CapacityRow r) -> r.crossedAt() == null)
        .thenComparing(r -> r.crossedAt() == null ? Instant.MAX : r.crossedAt())
        .thenComparing(r -> r.headroom() == null ? Double.MAX_VALUE : r.headroom()));
    return rows;
  }

  /** Capacity and third parties are sampled at {@value #CAPACITY_SAMPLES} instants, at least a second apart. */
  private static long capacityStep(Instant from, Instant to) {
    return Math.max(1000, Duration.between(from, to).toMillis() / CAPACITY_SAMPLES);
  }

  private static Double max(Query query, SeriesReader series, long t) {
    List<VectorSample> samples = evaluate(query, series, t);
    return samples.isEmpty() ? null : samples.stream().mapToDouble(VectorSample::value).max().orElseThrow();
  }

  private static Double sum(Query query, SeriesReader series, long t) {
    List<VectorSample> samples = evaluate(query, series, t);
    return samples.isEmpty() ? null : samples.stream().mapToDouble(VectorSample::value).sum();
  }

  private static List<VectorSample> evaluate(Query query, SeriesReader series, long t) {
    try {
      return query.evaluate(series, t).stream().filter(v -> !Double.isNaN(v.value())).toList();
    } catch (PromQlEvaluationException e) {
      return List.of();
    }
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
      Double at = meanAt(query, series, t);
      if (at != null) {
        sum += at;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  /** The mean of the expression's series at one instant; null when none answers. */
  static Double meanAt(Query query, SeriesReader series, long t) {
    List<VectorSample> samples = evaluate(query, series, t);
    return samples.isEmpty() ? null : samples.stream().mapToDouble(VectorSample::value).average().orElseThrow();
  }

  private static Duration between(Instant from, Instant to) {
    return to == null ? null : Duration.between(from, to);
  }

  private static Duration mean(List<Duration> durations) {
    List<Duration> known = durations.stream().filter(Objects::nonNull).toList();
    return known.isEmpty() ? null : known.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(known.size());
  }
}
