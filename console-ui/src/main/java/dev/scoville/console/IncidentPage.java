package dev.scoville.console;

import dev.scoville.contingency.ActionRun;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentEvent;
import java.util.List;
import java.util.Optional;

/** Everything the incident view shows, read in one go off the UI thread. */
record IncidentPage(Incident incident, List<IncidentEvent> timeline, ConsoleActions.Guide guide, List<ActionRun> runs) {

  static Optional<IncidentPage> load(ConsoleServices services, long id) {
    return services.incidents().find(id).map(incident -> new IncidentPage(incident,
        services.incidents().timeline(id), services.actions().guide(incident),
        services.actions().forIncident(id)));
  }
}
