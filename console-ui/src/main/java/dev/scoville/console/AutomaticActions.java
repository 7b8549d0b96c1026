package dev.scoville.console;

import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionCatalog;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.ActionService;
import dev.scoville.rules.Incident;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the low-risk actions the catalog marks {@code automatic_for} a rule as soon as that rule's
 * incident opens, audited as {@code scoville}. The service's idempotency key makes each run once
 * per incident, however often the incident changes.
 */
final class AutomaticActions {
  private static final Logger LOG = LoggerFactory.getLogger(AutomaticActions.class);

  private final ActionCatalog catalog;
  private final ActionService service;
  private final ExecutorService workers;

  AutomaticActions(ActionCatalog catalog, ActionService service, ExecutorService workers) {
    this.catalog = catalog;
    this.service = service;
    this.workers = workers;
  }

  void incidentChanged(Incident incident) {
    if (incident.state() != Incident.State.TRIGGERED) {
      return;
    }
    for (Action action : catalog.actions()) {
      if (action.automaticFor().contains(incident.rule())) {
        workers.submit(() -> run(action, incident));
      }
    }
  }

  private void run(Action action, Incident incident) {
    ActionRun run = service.runAutomatic(action.name(), String.valueOf(incident.id()), "rule " + incident.rule() + " fired");
    LOG.info("Automatic action {} for incident {}: {} {}", action.name(), incident.id(), run.outcome(), run.detail());
  }
}
