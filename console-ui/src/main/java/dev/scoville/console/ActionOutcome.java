package dev.scoville.console;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import dev.scoville.contingency.ActionRun;

/** Tells the person how a run, rollback or approval ended. */
final class ActionOutcome {
  private ActionOutcome() {}

  static void show(ActionRun run) {
    Notification note = Notification.show(RunText.summary(run), 6000, Notification.Position.BOTTOM_END);
    note.addThemeVariants(switch (run.outcome()) {
      case SUCCEEDED -> NotificationVariant.LUMO_SUCCESS;
      case REFUSED, FAILED -> NotificationVariant.LUMO_ERROR;
      default -> NotificationVariant.LUMO_CONTRAST;
    });
  }
}
