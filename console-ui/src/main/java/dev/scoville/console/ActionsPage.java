package dev.scoville.console;

import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.KillSwitches;
import java.util.List;

/** Everything the actions page shows, read in one go off the UI thread. */
record ActionsPage(List<Action> catalog, List<KillSwitches.Flag> flags, List<ActionRun> awaitingApproval,
    List<ActionRun> auditLog) {

  static ActionsPage load(ConsoleActions actions) {
    return new ActionsPage(actions.catalog(), actions.flags(), actions.awaitingApproval(), actions.auditLog(100));
  }
}
