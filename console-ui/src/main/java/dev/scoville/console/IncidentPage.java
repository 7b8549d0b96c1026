package dev.scoville.console;

import dev.scoville.console.board.RuleChart;
import dev.scoville.console.board.Trend;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.StatusPageDraft;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentEvent;
import dev.scoville.rules.IncidentFilter;
import dev.scoville.rules.promql.VectorSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the incident room shows, read in one go off the UI thread.
 *
 * @param timeline the incident's own timeline and the actions taken for it, oldest first
 * @param commander the incident commander, the newest assignment on the timeline
 * @param related incidents of the same rule in the day before it opened, and since
 * @param inEffect suggested actions whose kill switch already serves their value
 * @param chart the rule's watched value around the incident, when the rule is known
 * @param now the watched value now, one per series
 */
record IncidentPage(
    Incident incident,
    List<Entry> timeline,
    String commander,
    ConsoleActions.Guide guide,
    List<ActionRun> runs,
    List<Incident> related,
    List<StatusPageDraft> drafts,
    Set<String> inEffect,
    Optional<Chart> chart,
    Instant at) {

  private static final Duration BEFORE = Duration.ofMinutes(15);
  private static final Duration RELATED = Duration.ofDays(1);

  /** A line of the timeline: an incident event or an action run, in the same words. */
  record Entry(Instant at, String kind, String actor, String detail) {}

  /** The rule's chart: its watched value, the threshold, the moment it fired, the value now. */
  record Chart(RuleChart rule, Trend trend, List<VectorSample> now) {}

  static Optional<IncidentPage> load(ConsoleServices services, long id) {
    return services.incidents().find(id).map(incident -> {
      Instant now = services.clock().instant();
      List<IncidentEvent> events = services.incidents().timeline(id);
      List<ActionRun> runs = services.actions().forIncident(id);
      ConsoleActions.Guide guide = services.actions().guide(incident);
      List<Incident> related = services.incidents().search().find(new IncidentFilter(Set.of(), null, incident.rule(),
              null, null, incident.openedAt().minus(RELATED), null), 0, 10).stream()
          .filter(i -> i.id() != id).limit(10).toList();
      List<StatusPageDraft> drafts = services.actions().statusPageDrafts().stream()
          .filter(d -> String.valueOf(id).equals(d.incidentId())).toList();
      Set<String> inEffect = guide.actions().stream().filter(services.actions()::inEffect).map(Action::name)
          .collect(Collectors.toSet());
      return new IncidentPage(incident, merge(events, runs), commander(events), guide, runs, related, drafts, inEffect,
          chart(services, incident, now), now);
    });
  }

  /** The rule's chart around {@code incident}, read at {@code now}; empty when the rule is not loaded here. */
  static Optional<Chart> chart(ConsoleServices services, Incident incident, Instant now) {
    Instant to = incident.resolvedAt() == null ? now : incident.resolvedAt().plus(Duration.ofMinutes(5)).isBefore(now)
        ? incident.resolvedAt().plus(Duration.ofMinutes(5)) : now;
    Instant from = incident.openedAt().minus(BEFORE);
    return services.ruleExpression().apply(incident.rule()).flatMap(RuleChart::of).map(rule -> new Chart(rule,
        rule.read(services.series(), from.toEpochMilli(), to.toEpochMilli(), 120),
        rule.now(services.series(), now.toEpochMilli())));
  }

  private static String commander(List<IncidentEvent> events) {
    String commander = null;
    for (IncidentEvent e : events) {
      if (e.kind().equals("commander")) {
        commander = e.detail();
      }
    }
    return commander;
  }

  private static List<Entry> merge(List<IncidentEvent> events, List<ActionRun> runs) {
    List<Entry> all = new ArrayList<>();
    events.forEach(e -> all.add(new Entry(e.at(), e.kind(), e.actor(), e.detail())));
    for (ActionRun run : runs) {
      String kind = switch (run.kind()) {
        case RUN -> "action " + run.outcome().name().toLowerCase().replace('_', ' ');
        case ROLLBACK -> "rollback " + run.outcome().name().toLowerCase().replace('_', ' ');
        case APPROVAL -> "approval " + run.outcome().name().toLowerCase().replace('_', ' ');
      };
      all.add(new Entry(run.requestedAt(), kind, run.requestedBy(), RunText.summary(run)));
    }
    all.sort(Comparator.comparing(Entry::at));
    return all;
  }
}
