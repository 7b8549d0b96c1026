package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextArea;

/** Resolves an incident by hand, with the reason the timeline and the receivers get. */
final class ResolveDialog extends Dialog {
  ResolveDialog(ConsoleServices services, long incidentId, Users.Person person) {
    setHeaderTitle("Resolve incident #" + incidentId + " by hand?");
    TextArea reason = new TextArea("Why is it resolved?");
    reason.setId("resolve-reason");
    reason.setRequired(true);
    reason.setWidthFull();
    add(new Paragraph("Every receiver paged for it gets a resolve. If the rule still fires, a new incident opens."),
        reason);
    Button confirm = new Button("Resolve", e -> {
      if (reason.getValue().isBlank()) {
        reason.setInvalid(true);
        reason.setErrorMessage("Say why, for the timeline and the post-peak report.");
        return;
      }
      e.getSource().setEnabled(false);
      String why = reason.getValue();
      services.inBackground(UI.getCurrent(), () -> services.incidents().resolveByHand(incidentId, person.name(), why),
          incident -> close());
    });
    confirm.setId("confirm-resolve");
    confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button cancel = new Button("Cancel", e -> close());
    getFooter().add(cancel, confirm);
    setWidth("min(36rem, 95vw)");
  }
}
