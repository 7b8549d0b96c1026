package dev.scoville.console;

import dev.scoville.collector.TargetHealth;
import dev.scoville.console.board.TileReading;
import dev.scoville.contingency.ActionRun;
import dev.scoville.rules.Incident;
import dev.scoville.rules.notify.ReceiverStatus;
import java.time.Instant;
import java.util.List;

/**
 * Everything the board shows, computed once per change and shown to every open console alike.
 *
 * @param open open incidents, newest first
 * @param resolved incidents resolved in the last day, newest first, for the "recently resolved" strip
 * @param reminders kill switches still switched although the incidents they were for resolved
 * @param awaitingApproval runs waiting for a second commander
 * @param receivers receivers that fail, with the fallback paging for them if one does
 */
record BoardSnapshot(
    Instant at,
    List<TileReading> tiles,
    List<Incident> open,
    List<Incident> resolved,
    List<ConsoleActions.SwitchReminder> reminders,
    List<ActionRun> awaitingApproval,
    List<TargetHealth> targets,
    List<ReceiverStatus> receivers) {

  static final BoardSnapshot EMPTY = new BoardSnapshot(Instant.EPOCH, List.of(), List.of(), List.of(), List.of(),
      List.of(), List.of(), List.of());

  /** Whether consoles showing {@code shown} must redraw to show this snapshot. */
  boolean differsFrom(BoardSnapshot shown) {
    if (!open.equals(shown.open) || !resolved.equals(shown.resolved) || !reminders.equals(shown.reminders)
        || !awaitingApproval.equals(shown.awaitingApproval) || !targets.equals(shown.targets)
        || !receivers.equals(shown.receivers)
        || tiles.size() != shown.tiles.size()) {
      return true;
    }
    for (int i = 0; i < tiles.size(); i++) {
      if (tiles.get(i).differsFrom(shown.tiles.get(i))) {
        return true;
      }
    }
    return false;
  }
}
