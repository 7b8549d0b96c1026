package dev.scoville.reports.drills;

import dev.scoville.rules.Incident;
import java.util.List;

/**
 * Which runbook steps running an action for an incident carries out, each as {@code <runbook
 * title> › <step>}. Rules know runbooks only by name: the application joins them with the runbooks
 * module and hands the join to the drills.
 */
@FunctionalInterface
public interface RunbookSteps {
  /** No runbook knows any step. */
  RunbookSteps NONE = (incident, action) -> List.of();

  List<String> carriedOutBy(Incident incident, String action);
}
