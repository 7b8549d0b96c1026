package dev.scoville.console;

import dev.scoville.contingency.ActionRun;
import java.util.Locale;

/** An audit entry in one line, as the incident view and the actions page list it. */
final class RunText {
  private RunText() {}

  static String summary(ActionRun run) {
    StringBuilder sb = new StringBuilder("#").append(run.id()).append(' ');
    switch (run.kind()) {
      case ROLLBACK -> sb.append("rollback of #").append(run.rollbackOf()).append(' ');
      case APPROVAL -> sb.append("approval of #").append(run.approvalOf()).append(' ');
      case RUN -> { }
    }
    sb.append(run.action()).append(" · ").append(run.dryRun() ? "dry run" : outcome(run.outcome()))
        .append(" · ").append(run.requestedBy()).append(" (").append(run.requestedRole().word()).append(") at ")
        .append(Display.when(run.requestedAt()));
    if (run.approvedBy() != null) {
      sb.append(" · approved by ").append(run.approvedBy());
    }
    if (run.rolledBackBy() != null) {
      sb.append(" · rolled back by #").append(run.rolledBackBy());
    }
    if (run.detail() != null && !run.detail().isBlank()) {
      sb.append(" — ").append(run.detail());
    }
    return sb.toString();
  }

  static String outcome(ActionRun.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
