package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import dev.scoville.contingency.ActionRun;
import java.util.Map;
import java.util.function.Consumer;

/** Asks before a rollback, showing what it will send; nothing is sent until confirmed. */
final class RollbackDialog extends Dialog {
  /** Reads the run and what rolling it back sends, then asks. */
  static void open(ConsoleServices services, long runId, Users.Person person) {
    services.inBackground(UI.getCurrent(),
        () -> services.actions().find(runId).map(run -> Map.entry(run, services.actions().rollbackPreview(run))),
        found -> found.ifPresent(f -> new RollbackDialog(services, f.getKey(), f.getValue(), person,
            ActionOutcome::show).open()));
  }

  private RollbackDialog(ConsoleServices services, ActionRun run, String preview, Users.Person person,
      Consumer<ActionRun> done) {
    setHeaderTitle("Roll back “" + run.action() + "”?");
    Pre what = new Pre(preview);
    what.setId("rollback-preview");
    what.addClassName("payload");
    add(new Paragraph("Run #" + run.id() + " by " + run.requestedBy() + (run.incidentId() == null ? ""
        : " for incident #" + run.incidentId()) + ". Rolling back sends:"), what);
    Button confirm = new Button("Roll back", e -> {
      e.getSource().setEnabled(false);
      services.inBackground(UI.getCurrent(), () -> services.actions().rollback(run.id(), person), r -> {
        close();
        done.accept(r);
      });
    });
    confirm.setId("confirm-rollback");
    confirm.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
    Button cancel = new Button("Cancel", e -> close());
    cancel.setId("cancel-rollback");
    getFooter().add(cancel, confirm);
  }
}
